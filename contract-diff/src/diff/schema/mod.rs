//! Schemas, compared as resolved shapes: references followed, `allOf`
//! flattened.
//!
//! Each (base schema, revision schema, position) triple is compared once and
//! kept as a node of a graph: its own findings, and edges to the nodes of
//! its sub-schemas. A schema reached along many paths (a shared component, a
//! ring of references, a DAG) costs one comparison, and its changes are
//! reported once per operation, at the first path that reaches them in
//! document order. Recursive schemas are edges back to a node being built.

mod composition;
mod cursor;
pub(crate) mod facets;
mod graph;
mod json_schema;
mod object;
mod rust;
mod scalar;
mod shape;
mod types;

pub(crate) use cursor::Cursor;
pub(crate) use graph::{Apis, Graph, NodeId, Out, Reported};

use super::Context;
use crate::refs::SchemaRef;
use shape::Shape;

/// How deep sub-schemas may nest: deeper input is refused, never cut short.
pub(crate) const MAX_DEPTH: usize = 2_000;

/// Compares the schemas of `subject` (e.g. "request body (application/json)")
/// in the two documents; their changes are reported with the operation's.
pub(crate) fn compare<'a>(
    cx: &mut Context<'a>,
    old: SchemaRef<'a>,
    new: SchemaRef<'a>,
    subject: String,
    at: Cursor,
) {
    if let Some(node) = pair(cx, &[old], &[new], at) {
        cx.schema_changes(subject, node, new.address());
    }
}

/// The node comparing the conjunction `old_nodes` (in the base) with
/// `new_nodes` (in the revision) at `at`: built on first use, then shared.
pub(crate) fn pair<'a>(
    cx: &mut Context<'a>,
    old_nodes: &[SchemaRef<'a>],
    new_nodes: &[SchemaRef<'a>],
    at: Cursor,
) -> Option<NodeId> {
    // The same places compared again need no shapes: they are the same pair.
    if let Some(node) = cx.schemas.get_written(cx.apis(), old_nodes, new_nodes, at) {
        return Some(node);
    }
    let old = Shape::of(cx.base, old_nodes);
    let new = Shape::of(cx.rev, new_nodes);
    pair_shapes(cx, old_nodes, new_nodes, &old, &new, at)
}

/// [`pair`], for a caller that already has the shapes of `old_nodes` and `new_nodes`.
pub(crate) fn pair_shapes<'a>(
    cx: &mut Context<'a>,
    old_nodes: &[SchemaRef<'a>],
    new_nodes: &[SchemaRef<'a>],
    old: &Shape<'a>,
    new: &Shape<'a>,
    at: Cursor,
) -> Option<NodeId> {
    let apis = cx.apis();
    let key = graph::Key::new(apis, old, new, at);
    if let Some(node) = cx.schemas.get(&key) {
        cx.schemas
            .remember_written(apis, old_nodes, new_nodes, at, node);
        return Some(node);
    }
    if old.unresolved || new.unresolved || cx.schemas.depth() >= MAX_DEPTH {
        // The loader refuses unresolvable references and reference loops;
        // what is left is nesting deeper than MAX_DEPTH.
        let operation = cx.operation().clone();
        cx.schemas.too_deep(&operation);
        return None;
    }
    let node = cx.schemas.start(key);
    cx.schemas
        .remember_written(apis, old_nodes, new_nodes, at, node);
    let mut out = Out::new(cx.options.profile, cx.policy());
    let mark = out.mark();
    let wrapped = composition::wrapped_in_one_of(cx, &mut out, old_nodes, old, new, at)
        || composition::object_wrapped(cx, &mut out, old, new, at)
        || composition::became_union(cx, &mut out, old_nodes, (old, new), at);
    let covered = if wrapped {
        rust::Covered::all(out.wire_err_since(mark))
    } else {
        compare_shapes(cx, &mut out, node, old, new, at)
    };
    rust::compare(&mut out, old, new, &at, covered);
    cx.schemas.finish(node, new.name, out);
    Some(node)
}

use super::Sink;

/// Compares two shapes that are not a wrapping; returns which changes of
/// the generated Rust type the wire rules already reported at `ERR`.
fn compare_shapes<'a>(
    cx: &mut Context<'a>,
    out: &mut Out,
    node: NodeId,
    old: &Shape<'a>,
    new: &Shape<'a>,
    at: Cursor,
) -> rust::Covered {
    if let Some(from) = names(out, old, new) {
        cx.schemas.renamed(node, from);
    }
    let widened = widened_to_plain(cx, old, new, at);
    let covered = scalar::compare(out, (old, new), cx.apis(), &at, widened);
    if !old.items.is_empty() && !new.items.is_empty() {
        let node = pair(cx, &old.items, &new.items, at.child());
        out.child("items", node);
        sub_schema_nullable(cx, out, "items", (&old.items, &new.items), at.child());
    }
    if !old.additional.is_empty() && !new.additional.is_empty() {
        let node = pair(cx, &old.additional, &new.additional, at.child());
        out.child("additionalProperties", node);
        let nodes = (&old.additional[..], &new.additional[..]);
        sub_schema_nullable(cx, out, "additionalProperties", nodes, at.child());
    }
    object::compare(cx, out, old, new, at);
    json_schema::compare(cx, out, old, new, at);
    if !widened {
        composition::compare_unions(cx, out, old, new, at);
    }
    composition::compare_discriminators(out, old.discriminator, new.discriminator, at);
    let structural_change = out.changed(&cx.schemas);
    composition::compare_all_of(cx, out, old, new, at, structural_change);
    covered
}

/// Under the codegen profile: array items or map values that became (or
/// stopped being) nullable, `Vec<Option<T>>` for `Vec<T>`.
fn sub_schema_nullable<'a>(
    cx: &Context<'a>,
    out: &mut Out,
    segment: &str,
    (old, new): (&[SchemaRef<'a>], &[SchemaRef<'a>]),
    child: Cursor,
) {
    if !out.codegen() {
        return;
    }
    let nullable = |api, nodes| Shape::of(api, nodes).nullable;
    let change = (nullable(cx.base, old), nullable(cx.rev, new));
    rust::nullable_changed(out, segment, change, &child);
}

/// Whether `new` is a plain value type that accepts every value `old` did:
/// anything at all where values travel as text (a plain string), or every
/// member of `old`'s union (`oneOf` of string forms to `string`).
fn widened_to_plain(cx: &Context<'_>, old: &Shape<'_>, new: &Shape<'_>, at: Cursor) -> bool {
    let Some(ty) = new.ty else {
        return false;
    };
    let plain = new.one_of.is_empty()
        && new.any_of.is_empty()
        && new.enumeration.is_none()
        && new.pattern.is_none()
        && !types::is_validated(new.format);
    if !plain || (old.ty == new.ty && old.format == new.format) {
        return false;
    }
    if at.is_text() && ty == facets::JsonType::String && old.ty != new.ty {
        return true;
    }
    let members: Vec<_> = old.one_of.iter().chain(old.any_of).collect();
    old.ty.is_none()
        && !members.is_empty()
        && members.iter().all(|member| {
            let member = Shape::of(cx.base, &[SchemaRef(member)]);
            matches!(
                (member.ty, ty),
                (Some(a), b) if a == b || (a, b) == (facets::JsonType::Integer, facets::JsonType::Number)
            )
        })
}

/// Under the codegen profile: generated type names follow component names,
/// and inline schemas get names from where they sit. Returns the base
/// component renamed or inlined, if any.
fn names<'a>(out: &mut Out, old: &Shape<'a>, new: &Shape<'_>) -> Option<&'a str> {
    let (text, from) = match (old.name, new.name) {
        (Some(from), Some(to)) if from != to => (
            format!(": schema '{from}' renamed to '{to}': the generated type is renamed"),
            Some(from),
        ),
        (Some(from), None) if new.inline && new.makes_a_named_type() => (
            format!(": schema '{from}' inlined: the generated type is renamed"),
            Some(from),
        ),
        (None, Some(to)) if old.inline && old.makes_a_named_type() => (
            format!(": inline schema moved to '{to}': the generated type is renamed"),
            None,
        ),
        _ => return None,
    };
    out.emit("codegen-schema-renamed", "", text);
    from.filter(|_| out.codegen())
}
