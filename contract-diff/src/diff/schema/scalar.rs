//! Keywords of a single value: type and format, nullability, default,
//! enumerations, numeric bounds, lengths, counts and patterns.

use serde_json::Value;

use crate::node::Node;

use super::composition;
use super::cursor::Cursor;
use super::facets::JsonType;
use super::graph::Apis;
use super::graph::Out;
use super::rust::Covered;
use super::shape::{Bound, Shape};
use super::types::{self, Relation};
use crate::api::Api;
use crate::diff::Direction;

const EXTENSIBLE_ENUM: &str = "x-extensible-enum";

/// `widened`: the revision is a plain type that accepts every value the
/// base did, which the type and format alone cannot tell. Returns which of
/// the keywords the generated Rust type follows a wire rule already
/// reported at `ERR`.
pub(crate) fn compare(
    out: &mut Out,
    (old, new): (&Shape<'_>, &Shape<'_>),
    apis: Apis<'_>,
    at: &Cursor,
    widened: bool,
) -> Covered {
    let mark = out.mark();
    type_and_format(out, (old, new), apis, at, widened);
    let ty = out.wire_err_since(mark);
    let mark = out.mark();
    nullable(out, old, new, at);
    let nullable = out.wire_err_since(mark);
    default(out, old, new, at);
    let mark = out.mark();
    enumeration(out, old, new, at);
    let enumeration = out.wire_err_since(mark);
    extensible_enumeration(out, old, new, at);
    upper_bound(out, old.max, new.max, at);
    lower_bound(out, old.min, new.min, at);
    lengths(out, old, new, at);
    item_counts(out, old, new, at);
    pattern(out, old.pattern, new.pattern, at);
    Covered {
        ty,
        nullable,
        enumeration,
    }
}

fn emit(out: &mut Out, at: &Cursor, suffix: &str, detail: String) {
    out.emit_first(&at.ids(suffix), "", format!(": {detail}"));
}

/// A type as a reader would name it: `string/date-time`, `any`, or a
/// union's members (`string | Product`, see [`composition::member_name`]).
fn spell(api: &Api, shape: &Shape<'_>) -> String {
    let members = if shape.one_of.is_empty() {
        shape.any_of
    } else {
        shape.one_of
    };
    match (shape.type_name, shape.format) {
        (None, _) if shape.type_list.is_some() => {
            shape.type_list.clone().unwrap_or_default().join(", ")
        }
        (None, _) if !members.is_empty() => (members.iter().enumerate())
            .map(|(index, member)| composition::member_name(api, member, index))
            .collect::<Vec<_>>()
            .join(" | "),
        (None, _) => "any".to_owned(),
        (Some(ty), None) => ty.to_owned(),
        (Some(ty), Some(format)) => format!("{ty}/{format}"),
    }
}

fn type_and_format(
    out: &mut Out,
    (old, new): (&Shape<'_>, &Shape<'_>),
    (base, rev): Apis<'_>,
    at: &Cursor,
    widened: bool,
) {
    let response = at.direction == Direction::Response;
    let suffixes: &[&str] = if widened {
        if response {
            &["type-generalized", "type-changed"]
        } else {
            &["type-generalized"]
        }
    } else if old.type_list.is_some() || new.type_list.is_some() {
        fn types<'s>(shape: &Shape<'s>) -> Vec<&'s str> {
            (shape.type_list.clone()).unwrap_or_else(|| shape.type_name.into_iter().collect())
        }
        match types::list_change(&types(old), &types(new)) {
            Some(suffixes) => suffixes,
            None => return,
        }
    } else if old.type_name != new.type_name {
        types::type_change(old.type_name, new.type_name, response, at.typing())
    } else {
        match types::relate(old.ty, old.format, new.ty, new.format) {
            Relation::Same => return,
            // A response that may return more than before: oasdiff calls a
            // format widening a type change.
            Relation::Generalized if response => &["type-changed"],
            Relation::Generalized => &["type-generalized"],
            Relation::Specialized => &["type-specialized", "type-changed"],
            Relation::Compatible => &["type-compatible", "type-generalized"],
            Relation::Changed => &["type-changed"],
        }
    };
    let detail = format!(
        "type/format changed from '{}' to '{}'",
        spell(base, old),
        spell(rev, new)
    );
    let ids: Vec<String> = suffixes.iter().flat_map(|s| at.ids(s)).collect();
    out.emit_first(&ids, "", format!(": {detail}"));

    if old.ty != new.ty {
        return;
    }
    match new.ty {
        Some(JsonType::Integer) => {
            let ((from, old_width), (to, new_width)) = (
                types::rust_integer(old.format),
                types::rust_integer(new.format),
            );
            if from != to {
                let id = if new_width >= old_width {
                    "codegen-integer-format-widened"
                } else {
                    "codegen-integer-format-narrowed"
                };
                out.emit(
                    id,
                    "",
                    format!(": generated type changes from {from} to {to}",),
                );
            }
        }
        Some(JsonType::Number) => {
            let (from, to) = (types::rust_float(old.format), types::rust_float(new.format));
            if from != to {
                out.emit(
                    "codegen-number-format-changed",
                    "",
                    format!(": generated type changes from {from} to {to}",),
                );
            }
        }
        _ => {}
    }
}

fn nullable(out: &mut Out, old: &Shape<'_>, new: &Shape<'_>, at: &Cursor) {
    match (old.nullable, new.nullable) {
        (false, true) => emit(out, at, "became-nullable", "became nullable".to_owned()),
        (true, false) => emit(
            out,
            at,
            "became-not-nullable",
            "became not nullable".to_owned(),
        ),
        _ => {}
    }
}

fn default(out: &mut Out, old: &Shape<'_>, new: &Shape<'_>, at: &Cursor) {
    match (old.default, new.default) {
        (None, Some(to)) => emit(
            out,
            at,
            "default-value-added",
            format!("default value {to} added"),
        ),
        (Some(from), None) => emit(
            out,
            at,
            "default-value-removed",
            format!("default value {from} removed"),
        ),
        (Some(from), Some(to)) if from != to => {
            emit(
                out,
                at,
                "default-value-changed",
                format!("default value changed from {from} to {to}"),
            );
        }
        _ => {}
    }
}

fn enumeration(out: &mut Out, old: &Shape<'_>, new: &Shape<'_>, at: &Cursor) {
    if old.const_enum || new.const_enum {
        return;
    }
    let (old_values, new_values) = match (&old.enumeration, &new.enumeration) {
        (None, Some(_)) => {
            emit(out, at, "became-enum", "became an enumeration".to_owned());
            return;
        }
        (Some(_), None) => {
            emit(out, at, "enum-unset", "enumeration removed".to_owned());
            return;
        }
        (Some(old_values), Some(new_values)) => (old_values, new_values),
        (None, None) => return,
    };
    let removed: Vec<&Value> = old_values
        .iter()
        .filter(|v| !new_values.contains(v))
        .collect();
    let added: Vec<&Value> = new_values
        .iter()
        .filter(|v| !old_values.contains(v))
        .collect();
    for value in &removed {
        emit(
            out,
            at,
            "enum-value-removed",
            format!("enum value {value} removed"),
        );
    }
    for value in &added {
        emit(
            out,
            at,
            "enum-value-added",
            format!("enum value {value} added"),
        );
    }
    // progenitor turns string enums into Rust enums, which the build marks
    // `#[non_exhaustive]`.
    if new.ty == Some(JsonType::String) {
        let list = |values: &[&Value]| {
            values
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !added.is_empty() {
            out.emit(
                "codegen-enum-member-added",
                "",
                format!(
                    ": generated enum gains {} (it is non_exhaustive: no code breaks)",
                    list(&added)
                ),
            );
        }
        if !removed.is_empty() {
            out.emit(
                "codegen-enum-member-removed",
                "",
                format!(": generated enum loses {}", list(&removed)),
            );
        }
    }
}

fn extensible_enumeration(out: &mut Out, old: &Shape<'_>, new: &Shape<'_>, at: &Cursor) {
    fn values<'a>(shape: &Shape<'a>) -> Option<&'a [Node]> {
        shape
            .extension(EXTENSIBLE_ENUM)
            .filter(|values| matches!(values, Node::Array(_)))
            .map(Node::items)
    }
    let (Some(old_values), Some(new_values)) = (values(old), values(new)) else {
        return;
    };
    for value in old_values.iter().filter(|v| !new_values.contains(v)) {
        emit(
            out,
            at,
            "x-extensible-enum-value-removed",
            format!("x-extensible-enum value {value} removed"),
        );
    }
}

fn spell_bound(bound: Bound) -> String {
    if bound.exclusive {
        format!("{} (exclusive)", bound.value)
    } else {
        bound.value.to_string()
    }
}

/// The upper bound: lower is tighter, and an exclusive bound is tighter
/// than an inclusive one at the same value.
fn upper_bound(out: &mut Out, old: Option<Bound>, new: Option<Bound>, at: &Cursor) {
    match (old, new) {
        (None, Some(to)) => {
            let suffix = if to.exclusive {
                "exclusive-max-set"
            } else {
                "max-set"
            };
            emit(
                out,
                at,
                suffix,
                format!("maximum set to {}", spell_bound(to)),
            );
        }
        (Some(from), None) => emit(
            out,
            at,
            "max-unset",
            format!("maximum {} removed", spell_bound(from)),
        ),
        (Some(from), Some(to)) if from != to => {
            let tighter = to.value < from.value || (to.value == from.value && to.exclusive);
            let name = if from.exclusive || to.exclusive {
                "exclusive-max"
            } else {
                "max"
            };
            let verb = if tighter { "decreased" } else { "increased" };
            let detail = format!(
                "maximum {verb} from {} to {}",
                spell_bound(from),
                spell_bound(to)
            );
            emit(out, at, &format!("{name}-{verb}"), detail);
        }
        _ => {}
    }
}

/// The lower bound: higher is tighter.
fn lower_bound(out: &mut Out, old: Option<Bound>, new: Option<Bound>, at: &Cursor) {
    match (old, new) {
        (None, Some(to)) => {
            let suffix = if to.exclusive {
                "exclusive-min-set"
            } else {
                "min-set"
            };
            emit(
                out,
                at,
                suffix,
                format!("minimum set to {}", spell_bound(to)),
            );
        }
        (Some(from), None) => emit(
            out,
            at,
            "min-unset",
            format!("minimum {} removed", spell_bound(from)),
        ),
        (Some(from), Some(to)) if from != to => {
            let tighter = to.value > from.value || (to.value == from.value && to.exclusive);
            let name = if from.exclusive || to.exclusive {
                "exclusive-min"
            } else {
                "min"
            };
            let verb = if tighter { "increased" } else { "decreased" };
            let detail = format!(
                "minimum {verb} from {} to {}",
                spell_bound(from),
                spell_bound(to)
            );
            emit(out, at, &format!("{name}-{verb}"), detail);
        }
        _ => {}
    }
}

fn lengths(out: &mut Out, old: &Shape<'_>, new: &Shape<'_>, at: &Cursor) {
    match (old.max_length, new.max_length) {
        (None, Some(to)) => emit(out, at, "max-length-set", format!("maxLength set to {to}")),
        (Some(from), None) => emit(
            out,
            at,
            "max-length-unset",
            format!("maxLength {from} removed"),
        ),
        (Some(from), Some(to)) if to < from => {
            emit(
                out,
                at,
                "max-length-decreased",
                format!("maxLength decreased from {from} to {to}"),
            );
        }
        (Some(from), Some(to)) if to > from => {
            emit(
                out,
                at,
                "max-length-increased",
                format!("maxLength increased from {from} to {to}"),
            );
        }
        _ => {}
    }
    // No minLength is minLength 0.
    let (from, to) = (old.min_length.unwrap_or(0), new.min_length.unwrap_or(0));
    if to > from {
        emit(
            out,
            at,
            "min-length-increased",
            format!("minLength increased from {from} to {to}"),
        );
    } else if to < from {
        emit(
            out,
            at,
            "min-length-decreased",
            format!("minLength decreased from {from} to {to}"),
        );
    }
}

fn item_counts(out: &mut Out, old: &Shape<'_>, new: &Shape<'_>, at: &Cursor) {
    match (old.min_items, new.min_items) {
        (None, Some(to)) if to > 0 => {
            emit(out, at, "min-items-set", format!("minItems set to {to}"))
        }
        (Some(from), None) if from > 0 => {
            let ids: Vec<String> = ["min-items-unset", "min-items-decreased"]
                .iter()
                .flat_map(|s| at.ids(s))
                .collect();
            out.emit_first(&ids, "", format!(": minItems {from} removed"));
        }
        (Some(from), Some(to)) if to > from => {
            emit(
                out,
                at,
                "min-items-increased",
                format!("minItems increased from {from} to {to}"),
            );
        }
        (Some(from), Some(to)) if to < from => {
            emit(
                out,
                at,
                "min-items-decreased",
                format!("minItems decreased from {from} to {to}"),
            );
        }
        _ => {}
    }
    match (old.max_items, new.max_items) {
        (None, Some(to)) => emit(out, at, "max-items-set", format!("maxItems set to {to}")),
        (Some(from), None) => {
            let ids: Vec<String> = ["max-items-unset", "max-items-increased"]
                .iter()
                .flat_map(|s| at.ids(s))
                .collect();
            out.emit_first(&ids, "", format!(": maxItems {from} removed"));
        }
        (Some(from), Some(to)) if to < from => emit(
            out,
            at,
            "max-items-decreased",
            format!("maxItems decreased from {from} to {to}"),
        ),
        (Some(from), Some(to)) if to > from => emit(
            out,
            at,
            "max-items-increased",
            format!("maxItems increased from {from} to {to}"),
        ),
        _ => {}
    }
}

/// Patterns that match every string.
fn matches_everything(pattern: &str) -> bool {
    matches!(
        pattern,
        ".*" | "^.*$" | "^.*" | ".*$" | "[\\s\\S]*" | "^[\\s\\S]*$" | ""
    )
}

fn pattern(out: &mut Out, old: Option<&str>, new: Option<&str>, at: &Cursor) {
    match (old, new) {
        (None, Some(to)) => emit(out, at, "pattern-added", format!("pattern '{to}' added")),
        (Some(from), None) => emit(
            out,
            at,
            "pattern-removed",
            format!("pattern '{from}' removed"),
        ),
        (Some(from), Some(to)) if from != to => {
            let detail = format!("pattern changed from '{from}' to '{to}'");
            let suffixes: &[&str] = if matches_everything(to) {
                &["pattern-generalized", "pattern-changed"]
            } else {
                &["pattern-changed"]
            };
            let ids: Vec<String> = suffixes.iter().flat_map(|s| at.ids(s)).collect();
            out.emit_first(&ids, "", format!(": {detail}"));
        }
        _ => {}
    }
}
