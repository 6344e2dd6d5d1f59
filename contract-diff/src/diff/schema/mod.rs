//! Schemas, compared as resolved shapes: references followed, `allOf`
//! flattened, recursion cut where a pair of schemas is met again.

mod composition;
mod cursor;
pub(crate) mod facets;
mod object;
mod scalar;
mod shape;
mod types;

pub(crate) use cursor::Cursor;

use super::Context;
use crate::refs::SchemaRef;
use shape::Shape;

/// Nesting beyond this is not followed; real documents stay far below it.
const MAX_DEPTH: usize = 64;

/// Compares the conjunction `old` (in the base) with `new` (in the revision) at `at`.
pub(crate) fn compare<'a>(
    cx: &mut Context<'a>,
    old_nodes: &[SchemaRef<'a>],
    new_nodes: &[SchemaRef<'a>],
    at: &Cursor,
) {
    let old = Shape::of(cx.base, old_nodes);
    let new = Shape::of(cx.rev, new_nodes);
    if old.unresolved || new.unresolved {
        return;
    }
    let key = (
        old.identity.first().copied().unwrap_or_default(),
        new.identity.first().copied().unwrap_or_default(),
    );
    if cx.schema_stack.contains(&key) || cx.schema_stack.len() >= MAX_DEPTH {
        return;
    }
    cx.schema_stack.push(key);
    if !composition::wrapped_in_one_of(cx, old_nodes, &old, &new, at) {
        compare_shapes(cx, &old, &new, at);
    }
    cx.schema_stack.pop();
}

fn compare_shapes<'a>(cx: &mut Context<'a>, old: &Shape<'a>, new: &Shape<'a>, at: &Cursor) {
    names(cx, old, new);
    let before = cx.found();
    scalar::compare(cx, old, new, at);
    if !old.items.is_empty() && !new.items.is_empty() {
        compare(cx, &old.items, &new.items, &at.child("items"));
    }
    if !old.additional.is_empty() && !new.additional.is_empty() {
        compare(
            cx,
            &old.additional,
            &new.additional,
            &at.child("additionalProperties"),
        );
    }
    object::compare(cx, old, new, at);
    composition::compare_unions(cx, old, new, at);
    composition::compare_discriminators(cx, old.discriminator, new.discriminator, at);
    let structural_change = cx.found() > before;
    composition::compare_all_of(cx, old, new, at, structural_change);
}

/// Under the codegen profile: generated type names follow component names,
/// and inline schemas get names from where they sit.
fn names(cx: &mut Context<'_>, old: &Shape<'_>, new: &Shape<'_>) {
    let text = match (old.name, new.name) {
        (Some(from), Some(to)) if from != to => {
            format!("schema '{from}' renamed to '{to}': the generated type is renamed")
        }
        (Some(from), None) if new.inline && new.makes_a_named_type() => {
            format!("schema '{from}' inlined: the generated type is renamed")
        }
        (None, Some(to)) if old.inline && old.makes_a_named_type() => {
            format!("inline schema moved to '{to}': the generated type is renamed")
        }
        _ => return,
    };
    cx.emit("codegen-schema-renamed", text);
}
