//! Object properties: which exist, which are required, and how each changed.

use super::cursor::{Cursor, Site};
use super::graph::{NodeId, Out};
use super::rust;
use super::shape::Shape;
use crate::diff::lifecycle::{self, Lifecycle, LifecycleIds};
use crate::diff::{Context, Direction};
use crate::refs::SchemaRef;

const REQUEST_PROPERTY_LIFECYCLE: LifecycleIds = LifecycleIds {
    deprecated: "request-property-deprecated",
    deprecated_with_sunset: Some("request-property-deprecated-with-sunset"),
    sunset_missing: "request-property-deprecated-sunset-missing",
    sunset_parse: "request-property-deprecated-sunset-invalid",
    sunset_too_small: "request-property-sunset-date-too-small",
    reactivated: "request-property-reactivated",
    stability_decreased: Some("request-property-stability-decreased"),
    stability_increased: Some("request-property-stability-increased"),
};

const RESPONSE_PROPERTY_LIFECYCLE: LifecycleIds = LifecycleIds {
    deprecated: "response-property-deprecated",
    deprecated_with_sunset: Some("response-property-deprecated-with-sunset"),
    sunset_missing: "response-property-deprecated-sunset-missing",
    sunset_parse: "response-property-deprecated-sunset-invalid",
    sunset_too_small: "response-property-sunset-date-too-small",
    reactivated: "response-property-reactivated",
    stability_decreased: Some("response-property-stability-decreased"),
    stability_increased: Some("response-property-stability-increased"),
};

/// What a property's own schema says about it.
struct Property<'s, 'a> {
    name: &'a str,
    nodes: &'s [SchemaRef<'a>],
    shape: Shape<'a>,
    required: bool,
}

impl<'s, 'a> Property<'s, 'a> {
    fn of(
        side: &Shape<'a>,
        api: &'a crate::api::Api,
        name: &'a str,
        nodes: &'s [SchemaRef<'a>],
    ) -> Self {
        Self {
            name,
            nodes,
            shape: Shape::of(api, nodes),
            required: side.required.contains(name),
        }
    }

    fn lifecycle(&self) -> Lifecycle<'a> {
        Lifecycle::from_lookup(self.shape.deprecated, |key| self.shape.extension(key))
    }
}

pub(crate) fn compare<'a>(
    cx: &mut Context<'a>,
    out: &mut Out,
    old: &Shape<'a>,
    new: &Shape<'a>,
    at: Cursor,
) {
    if old.properties.is_empty() && new.properties.is_empty() {
        return;
    }
    let (base_api, rev_api) = (cx.base, cx.rev);
    let mut removed = Vec::new();
    for (name, nodes) in &old.properties {
        let before = Property::of(old, base_api, name, nodes);
        match new.properties.get_full(name) {
            None => removed.push(before),
            Some((_, key, new_nodes)) => {
                let after = Property::of(new, rev_api, key, new_nodes);
                modified(cx, out, &before, &after, at);
            }
        }
    }
    let added: Vec<Property<'_, 'a>> = new
        .properties
        .iter()
        .filter(|(name, _)| !old.properties.contains_key(*name))
        .map(|(name, nodes)| Property::of(new, rev_api, name, nodes))
        .collect();

    let renames = renames(cx, &removed, &added, at);
    let codegen = out.codegen() && rust::typed(&at);
    for (index, property) in removed.iter().enumerate() {
        let mark = out.mark();
        existence(out, property, at, (false, new.closed));
        // Wire rules only warn about most removals; a field is gone.
        if codegen && !out.wire_err_since(mark) && !renames.iter().any(|r| r.0 == index) {
            out.emit(
                "codegen-property-removed",
                property.name,
                " removed: the generated field is removed".to_owned(),
            );
        }
    }
    for (index, property) in added.iter().enumerate() {
        let mark = out.mark();
        existence(out, property, at, (true, new.closed));
        let renamed = renames.iter().any(|r| r.1 == index);
        if codegen && property.required && !out.wire_err_since(mark) && !renamed {
            out.emit(
                "codegen-required-property-added",
                property.name,
                " (required) added: the generated struct's `new` gains a parameter".to_owned(),
            );
        }
    }
    for &(from, to) in &renames {
        out.emit(
            "codegen-property-renamed",
            "",
            format!(
                ": property '{}' renamed to '{}': the generated field is renamed",
                removed[from].name, added[to].name
            ),
        );
    }
}

/// The position of a property's schema, with the revision's
/// `readOnly`/`writeOnly` marks.
fn property_cursor(after: &Property<'_, '_>, at: Cursor) -> Cursor {
    let mut child = at.child();
    child.read_only = after.shape.read_only;
    child.write_only = after.shape.write_only;
    child.optional = !after.required;
    child
}

/// Compares one property's schema on each side, read with the revision's
/// `readOnly`/`writeOnly` marks.
fn pair_property<'a>(
    cx: &mut Context<'a>,
    before: &Property<'_, 'a>,
    after: &Property<'_, 'a>,
    at: Cursor,
) -> Option<NodeId> {
    super::pair_shapes(
        cx,
        before.nodes,
        after.nodes,
        &before.shape,
        &after.shape,
        property_cursor(after, at),
    )
}

/// Reports a property that only one side has; `closed`: whether the
/// revision refuses properties it does not name.
fn existence(
    out: &mut Out,
    property: &Property<'_, '_>,
    at: Cursor,
    (added, closed): (bool, bool),
) {
    let write_only = property.shape.write_only;
    let id = match (at.direction, at.site, added) {
        // Clients do not send a read-only property, as oasdiff reasons.
        (Direction::Request, Site::Body, false) if property.shape.read_only => return,
        // A client that sends it is now refused, not ignored.
        (Direction::Request, Site::Body, false) if closed => {
            "request-property-removed-from-closed-schema"
        }
        (Direction::Request, Site::Body, false) => "request-property-removed",
        (Direction::Request, Site::Body, true)
            if property.required && !property.shape.read_only =>
        {
            if property.shape.default.is_some() {
                "new-required-request-property-with-default"
            } else {
                "new-required-request-property"
            }
        }
        (Direction::Request, Site::Body, true) => "new-optional-request-property",
        (Direction::Request, Site::Parameter { header: true }, true) if property.required => {
            "new-required-request-header-property"
        }
        (Direction::Response, Site::Body, _) => match (property.required, write_only, added) {
            (true, false, false) => "response-required-property-removed",
            (true, true, false) => "response-required-write-only-property-removed",
            (false, false, false) => "response-optional-property-removed",
            (false, true, false) => "response-optional-write-only-property-removed",
            (true, false, true) => "response-required-property-added",
            (true, true, true) => "response-required-write-only-property-added",
            (false, false, true) => "response-optional-property-added",
            (false, true, true) => "response-optional-write-only-property-added",
        },
        _ => return,
    };
    let verb = if added { "added" } else { "removed" };
    let required = if property.required {
        "required"
    } else {
        "optional"
    };
    out.emit(id, property.name, format!(" ({required}) {verb}"));
}

fn modified<'a>(
    cx: &mut Context<'a>,
    out: &mut Out,
    before: &Property<'_, 'a>,
    after: &Property<'_, 'a>,
    at: Cursor,
) {
    let node = pair_property(cx, before, after, at);
    out.child(after.name, node);
    requiredness(out, before, after, at);
    let child = property_cursor(after, at);
    if before.required && after.required {
        // An optional property is an `Option` whether nullable or not.
        let nullable = (before.shape.nullable, after.shape.nullable);
        rust::nullable_changed(out, after.name, nullable, &child);
    } else if !before.required && !after.required {
        let shapes = (&before.shape, &after.shape);
        rust::default_changed(out, after.name, shapes, &child);
    }
    if at.site == Site::Body {
        mutability(out, before, after, at);
        let ids = match at.direction {
            Direction::Request => &REQUEST_PROPERTY_LIFECYCLE,
            Direction::Response => &RESPONSE_PROPERTY_LIFECYCLE,
        };
        let mut sink = out.at(after.name);
        lifecycle::compare(&mut sink, ids, "", before.lifecycle(), after.lifecycle());
    }
}

fn requiredness(out: &mut Out, before: &Property<'_, '_>, after: &Property<'_, '_>, at: Cursor) {
    if before.required == after.required {
        return;
    }
    let became_required = after.required;
    let mark = out.mark();
    requiredness_on_the_wire(out, after, at);
    if !out.codegen() || !rust::typed(&at) || out.wire_err_since(mark) {
        return;
    }
    let (id, text) = if became_required {
        (
            "codegen-property-became-required",
            " became required: the generated field is no longer optional, and `new` takes it",
        )
    } else {
        (
            "codegen-property-became-optional",
            " became optional: the generated field becomes optional, and `new` no longer takes it",
        )
    };
    out.emit(id, after.name, text.to_owned());
}

fn requiredness_on_the_wire(out: &mut Out, after: &Property<'_, '_>, at: Cursor) {
    let became_required = after.required;
    let write_only = after.shape.write_only;
    let id = match (at.direction, at.site, became_required) {
        (Direction::Request, Site::Body, true) if after.shape.read_only => return,
        (Direction::Request, Site::Body, true) if after.shape.default.is_some() => {
            "request-property-became-required-with-default"
        }
        (Direction::Request, Site::Body, true) => "request-property-became-required",
        (Direction::Request, Site::Body, false) => "request-property-became-optional",
        (Direction::Request, Site::Parameter { header: true }, true) => {
            "request-header-property-became-required"
        }
        (Direction::Response, Site::Body, true) if write_only => {
            "response-write-only-property-became-required"
        }
        (Direction::Response, Site::Body, true) => "response-property-became-required",
        (Direction::Response, Site::Body, false) if write_only => {
            "response-write-only-property-became-optional"
        }
        (Direction::Response, Site::Body, false) => "response-property-became-optional",
        _ => return,
    };
    let verb = if became_required {
        "became required"
    } else {
        "became optional"
    };
    out.emit(id, after.name, format!(" {verb}"));
}

fn mutability(out: &mut Out, before: &Property<'_, '_>, after: &Property<'_, '_>, at: Cursor) {
    let direction = match at.direction {
        Direction::Request => "request",
        Direction::Response => "response",
    };
    let required = if after.required {
        "required"
    } else {
        "optional"
    };
    let changes = [
        (before.shape.read_only, after.shape.read_only, "read-only"),
        (
            before.shape.write_only,
            after.shape.write_only,
            "write-only",
        ),
    ];
    for (was, is, flag) in changes {
        if was == is {
            continue;
        }
        let became = if is {
            flag.to_owned()
        } else {
            format!("not-{flag}")
        };
        out.emit(
            &format!("{direction}-{required}-property-became-{became}"),
            after.name,
            format!(" became {}", became.replace('-', " ")),
        );
    }
}

/// Under the codegen profile: a property removed and another added with the
/// same schema is a rename, which changes the generated field's name.
/// Returns the pairs, as indices into `removed` and `added`.
fn renames<'a>(
    cx: &mut Context<'a>,
    removed: &[Property<'_, 'a>],
    added: &[Property<'_, 'a>],
    at: Cursor,
) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    if removed.is_empty() || added.is_empty() || cx.options.profile != crate::Profile::Codegen {
        return pairs;
    }
    let mut taken = vec![false; added.len()];
    for (from, before) in removed.iter().enumerate() {
        let found = added.iter().enumerate().position(|(index, after)| {
            !taken[index] && before.required == after.required && {
                let node = pair_property(cx, before, after, at);
                cx.schemas.equivalent(node)
            }
        });
        if let Some(index) = found {
            taken[index] = true;
            pairs.push((from, index));
        }
    }
    pairs
}
