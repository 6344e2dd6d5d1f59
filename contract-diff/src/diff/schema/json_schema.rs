//! The JSON Schema 2020-12 keywords OpenAPI 3.1 adds: `const`,
//! `prefixItems`, `contains`, `if`/`then`/`else`, `dependentRequired`,
//! `dependentSchemas`, `patternProperties`, `propertyNames`, the
//! `unevaluated*` and `content*` keywords, under oasdiff's ids. A keyword's sub-schemas,
//! present on both sides, are compared like any other.

use super::cursor::Cursor;
use super::graph::Out;
use super::shape::Shape;
use crate::diff::Context;
use crate::node::{Entry, Node};
use crate::refs::SchemaRef;

pub(crate) fn compare<'a>(
    cx: &mut Context<'a>,
    out: &mut Out,
    old: &Shape<'a>,
    new: &Shape<'a>,
    at: Cursor,
) {
    let (o, n) = (&old.json_schema, &new.json_schema);
    constant(out, (old, new), at);
    let single = [
        ("contains", "contains", o.contains, n.contains),
        ("if", "if", o.if_, n.if_),
        ("then", "then", o.then, n.then),
        ("else", "else", o.else_, n.else_),
        (
            "property-names",
            "propertyNames",
            o.property_names,
            n.property_names,
        ),
        (
            "unevaluated-properties",
            "unevaluatedProperties",
            o.unevaluated_properties,
            n.unevaluated_properties,
        ),
        (
            "unevaluated-items",
            "unevaluatedItems",
            o.unevaluated_items,
            n.unevaluated_items,
        ),
        (
            "content-schema",
            "contentSchema",
            o.content_schema,
            n.content_schema,
        ),
    ];
    for (suffix, keyword, before, after) in single {
        match (before, after) {
            (None, Some(_)) => emit(
                out,
                at,
                &format!("{suffix}-added"),
                format!("{keyword} added"),
            ),
            (Some(_), None) => {
                emit(
                    out,
                    at,
                    &format!("{suffix}-removed"),
                    format!("{keyword} removed"),
                );
            }
            (Some(before), Some(after)) => sub_schema(cx, out, keyword, (before, after), at),
            (None, None) => {}
        }
    }
    let texts = [
        (
            "content-media-type",
            "contentMediaType",
            o.content_media_type,
            n.content_media_type,
        ),
        (
            "content-encoding",
            "contentEncoding",
            o.content_encoding,
            n.content_encoding,
        ),
    ];
    for (suffix, keyword, before, after) in texts.into_iter().filter(|t| t.2 != t.3) {
        let spell = |text: Option<&str>| text.map_or("none".to_owned(), |t| format!("'{t}'"));
        emit(
            out,
            at,
            &format!("{suffix}-changed"),
            format!(
                "{keyword} changed from {} to {}",
                spell(before),
                spell(after)
            ),
        );
    }
    prefix_items(cx, out, (o.prefix_items, n.prefix_items), at);
    counts(
        out,
        (o.min_contains, n.min_contains),
        ("min-contains", "minContains", 1),
        at,
    );
    counts(
        out,
        (o.max_contains, n.max_contains),
        ("max-contains", "maxContains", usize::MAX),
        at,
    );
    dependent_required(out, (o.dependent_required, n.dependent_required), at);
    let maps = [
        (
            "dependent-schema",
            "dependentSchemas",
            o.dependent_schemas,
            n.dependent_schemas,
        ),
        (
            "pattern-property",
            "patternProperties",
            o.pattern_properties,
            n.pattern_properties,
        ),
    ];
    for (suffix, keyword, before, after) in maps {
        keyed_schemas(cx, out, (suffix, keyword), (before, after), at);
    }
}

fn emit(out: &mut Out, at: Cursor, suffix: &str, detail: String) {
    out.emit_first(&at.ids(suffix), "", format!(": {detail}"));
}

/// Compares a keyword's sub-schemas; `true`/`false` schemas compare as
/// whatever their keywords say (none).
fn sub_schema<'a>(
    cx: &mut Context<'a>,
    out: &mut Out,
    segment: &str,
    (before, after): (&'a Node, &'a Node),
    at: Cursor,
) {
    let node = super::pair(cx, &[SchemaRef(before)], &[SchemaRef(after)], at.child());
    out.child(segment, node);
}

/// `const`: one value. Written as a one-value `enum` on the other side
/// (3.0's spelling of it), it is no change.
fn constant(out: &mut Out, (old, new): (&Shape<'_>, &Shape<'_>), at: Cursor) {
    let value = |shape: &Shape<'_>| shape.json_schema.constant.map(Node::to_value);
    let only = |shape: &Shape<'_>, value: &serde_json::Value| {
        shape.enumeration.as_deref() == Some(std::slice::from_ref(value))
    };
    match (value(old), value(new)) {
        (None, Some(to)) if !only(old, &to) => {
            emit(out, at, "const-added", format!("const {to} added"));
        }
        (Some(from), None) if !only(new, &from) => {
            emit(out, at, "const-removed", format!("const {from} removed"));
        }
        (Some(from), Some(to)) if from != to => emit(
            out,
            at,
            "const-changed",
            format!("const changed from {from} to {to}"),
        ),
        _ => {}
    }
}

fn prefix_items<'a>(
    cx: &mut Context<'a>,
    out: &mut Out,
    (old, new): (&'a [Node], &'a [Node]),
    at: Cursor,
) {
    match (old.is_empty(), new.is_empty()) {
        (true, false) => emit(
            out,
            at,
            "prefix-items-added",
            "prefixItems added".to_owned(),
        ),
        (false, true) => emit(
            out,
            at,
            "prefix-items-removed",
            "prefixItems removed".to_owned(),
        ),
        _ => {
            for (index, (before, after)) in old.iter().zip(new).enumerate() {
                sub_schema(
                    cx,
                    out,
                    &format!("prefixItems[{index}]"),
                    (before, after),
                    at,
                );
            }
        }
    }
}

/// `minContains` / `maxContains`, absent read as their defaults
/// (`unbounded` is `usize::MAX`).
fn counts(
    out: &mut Out,
    (old, new): (Option<usize>, Option<usize>),
    (suffix, keyword, default): (&str, &str, usize),
    at: Cursor,
) {
    let (from, to) = (old.unwrap_or(default), new.unwrap_or(default));
    let spell = |n: usize| {
        if n == usize::MAX {
            "none".to_owned()
        } else {
            n.to_string()
        }
    };
    let verb = match to.cmp(&from) {
        std::cmp::Ordering::Greater => "increased",
        std::cmp::Ordering::Less => "decreased",
        std::cmp::Ordering::Equal => return,
    };
    emit(
        out,
        at,
        &format!("{suffix}-{verb}"),
        format!("{keyword} {verb} from {} to {}", spell(from), spell(to)),
    );
}

fn dependent_required(out: &mut Out, (old, new): (&[Entry], &[Entry]), at: Cursor) {
    let names = |list: &Node| -> Vec<String> {
        let mut names: Vec<String> = list
            .items()
            .iter()
            .filter_map(Node::as_str)
            .map(str::to_owned)
            .collect();
        names.sort_unstable();
        names
    };
    let find = |entries: &'_ [Entry], key: &str| {
        entries
            .iter()
            .find(|(k, _)| **k == *key)
            .map(|(_, v)| names(v))
    };
    for (key, before) in old {
        match find(new, key) {
            None => emit(
                out,
                at,
                "dependent-required-removed",
                format!("dependentRequired of '{key}' removed"),
            ),
            Some(after) if after != names(before) => emit(
                out,
                at,
                "dependent-required-changed",
                format!(
                    "dependentRequired of '{key}' changed from [{}] to [{}]",
                    names(before).join(", "),
                    after.join(", ")
                ),
            ),
            Some(_) => {}
        }
    }
    for (key, _) in new.iter().filter(|(key, _)| find(old, key).is_none()) {
        emit(
            out,
            at,
            "dependent-required-added",
            format!("dependentRequired of '{key}' added"),
        );
    }
}

/// A keyword mapping names (or patterns) to schemas: entries added and
/// removed, and the schemas of entries both sides have compared.
fn keyed_schemas<'a>(
    cx: &mut Context<'a>,
    out: &mut Out,
    (suffix, keyword): (&str, &str),
    (old, new): (&'a [Entry], &'a [Entry]),
    at: Cursor,
) {
    for (key, before) in old {
        match new.iter().find(|(k, _)| k == key) {
            None => emit(
                out,
                at,
                &format!("{suffix}-removed"),
                format!("{keyword} '{key}' removed"),
            ),
            Some((_, after)) => {
                sub_schema(cx, out, &format!("{keyword}[{key}]"), (before, after), at);
            }
        }
    }
    for (key, _) in new
        .iter()
        .filter(|(key, _)| !old.iter().any(|(k, _)| k == key))
    {
        emit(
            out,
            at,
            &format!("{suffix}-added"),
            format!("{keyword} '{key}' added"),
        );
    }
}
