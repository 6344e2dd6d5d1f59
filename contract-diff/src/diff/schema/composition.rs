//! `oneOf`, `anyOf`, `allOf` membership, discriminators, and a body wrapped
//! in a `oneOf`.

use super::cursor::Cursor;
use super::facets::Facets;
use super::graph::{NodeId, Out};
use super::shape::Shape;
use crate::api::Api;
use crate::diff::{Context, Direction};
use crate::node::Node;
use crate::refs::SchemaRef;

/// A union member as a type: its component, title, or type (`string`,
/// `integer/int64`), else its position.
pub(crate) fn member_name(api: &Api, member: &Node, index: usize) -> String {
    let resolved = SchemaRef(member).resolve(api);
    let title = resolved.and_then(|r| r.schema.str_field("title"));
    if let Some(name) = resolved.and_then(|r| r.name).or(title) {
        return name.to_owned();
    }
    let shape = Shape::of(api, &[SchemaRef(member)]);
    match (shape.type_name, shape.format) {
        (Some(ty), Some(format)) => format!("{ty}/{format}"),
        (Some(ty), None) => ty.to_owned(),
        (None, _) => format!("#{index}"),
    }
}

fn name<'a>(api: &'a Api, member: &'a Node) -> Option<&'a str> {
    SchemaRef(member).resolve(api).and_then(|r| r.name)
}

/// Base and revision members paired, each with the node comparing them,
/// and the unmatched indices on each side.
struct Matched {
    pairs: Vec<(usize, usize, Option<NodeId>)>,
    removed: Vec<usize>,
    added: Vec<usize>,
}

/// Pairs base members with revision members: by component name, then by
/// equivalent shape, then by a type only one leftover has, then a lone
/// leftover on each side. Every comparison made on the way is a node of the
/// graph, so the pair finally chosen is not compared again.
fn match_members<'a>(
    cx: &mut Context<'a>,
    old: &'a [Node],
    new: &'a [Node],
    at: Cursor,
) -> Matched {
    let mut pairs = Vec::new();
    let mut old_left: Vec<usize> = (0..old.len()).collect();
    let mut new_left: Vec<usize> = (0..new.len()).collect();
    let compare = |cx: &mut Context<'a>, i: usize, j: usize| {
        super::pair(cx, &[SchemaRef(&old[i])], &[SchemaRef(&new[j])], at.child())
    };

    old_left.retain(|&i| {
        let wanted = name(cx.base, &old[i]);
        let found = wanted.and_then(|w| {
            new_left
                .iter()
                .position(|&j| name(cx.rev, &new[j]) == Some(w))
        });
        match found {
            Some(position) => {
                let j = new_left.remove(position);
                pairs.push((i, j, None));
                false
            }
            None => true,
        }
    });
    old_left.retain(|&i| {
        let found = new_left.iter().enumerate().find_map(|(position, &j)| {
            let node = compare(cx, i, j);
            cx.schemas.equivalent(node).then_some((position, node))
        });
        match found {
            Some((position, node)) => {
                let j = new_left.remove(position);
                pairs.push((i, j, node));
                false
            }
            None => true,
        }
    });
    // A member edited in place keeps its type: pair it with the only
    // leftover of that type.
    let type_of = |api, member| Shape::of(api, &[SchemaRef(member)]).ty;
    let mut new_types = vec![None; new.len()];
    if !old_left.is_empty() {
        for &j in &new_left {
            new_types[j] = type_of(cx.rev, &new[j]);
        }
    }
    old_left.retain(|&i| {
        let Some(ty) = type_of(cx.base, &old[i]) else {
            return true;
        };
        let candidates: Vec<usize> = (0..new_left.len())
            .filter(|&p| new_types[new_left[p]] == Some(ty))
            .collect();
        match candidates.as_slice() {
            [position] => {
                pairs.push((i, new_left.remove(*position), None));
                false
            }
            _ => true,
        }
    });
    if old_left.len() == 1 && new_left.len() == 1 {
        pairs.push((old_left[0], new_left[0], None));
        old_left.clear();
        new_left.clear();
    }
    for (i, j, node) in &mut pairs {
        if node.is_none() {
            *node = compare(cx, *i, *j);
        }
    }
    Matched {
        pairs,
        removed: old_left,
        added: new_left,
    }
}

/// `oneOf` and `anyOf`: members added and removed, matched members compared.
pub(crate) fn compare_unions<'a>(
    cx: &mut Context<'a>,
    out: &mut Out,
    old: &Shape<'a>,
    new: &Shape<'a>,
    at: Cursor,
) {
    let lists = [
        ("one-of", "oneOf", old.one_of, new.one_of),
        ("any-of", "anyOf", old.any_of, new.any_of),
    ];
    for (suffix, keyword, old_members, new_members) in lists {
        if old_members.is_empty() && new_members.is_empty() {
            continue;
        }
        let matched = match_members(cx, old_members, new_members, at);
        for &(i, j, node) in &matched.pairs {
            let (before, after) = (
                member_name(cx.base, &old_members[i], i),
                member_name(cx.rev, &new_members[j], j),
            );
            if !replaced(cx, (&old_members[i], &new_members[j])) {
                let segment = format!("{keyword}[{after}]");
                out.child(&segment, node);
                continue;
            }
            // Another schema in its place: one change where the member
            // was, not the new schema's differences from the old as if
            // they were edits of the new one. Whether it reads fewer
            // values decides between oasdiff's removed and added ids.
            let breaks = node.is_some_and(|node| cx.schemas.breaks(node));
            let narrowed = breaks == (at.direction == Direction::Request);
            let (verb, how) = if narrowed {
                ("removed", "narrowed: it reads fewer values")
            } else {
                ("added", "widened: it reads every value the old one did")
            };
            out.emit_first(
                &at.ids(&format!("{suffix}-{verb}")),
                "",
                format!(": {keyword} member '{before}' replaced by '{after}', {how}"),
            );
        }
        for i in matched.removed {
            let member = member_name(cx.base, &old_members[i], i);
            out.emit_first(
                &at.ids(&format!("{suffix}-removed")),
                "",
                format!(": {keyword} member '{member}' removed"),
            );
        }
        for j in matched.added {
            let member = member_name(cx.rev, &new_members[j], j);
            out.emit_first(
                &at.ids(&format!("{suffix}-added")),
                "",
                format!(": {keyword} member '{member}' added"),
            );
        }
    }
}

/// Whether a matched pair of members are different schemas: named apart
/// (component or title), where one of them has a name.
fn replaced(cx: &Context<'_>, (old, new): (&Node, &Node)) -> bool {
    let named = |api, member| {
        let resolved = SchemaRef(member).resolve(api);
        let title = resolved.and_then(|r| r.schema.str_field("title"));
        resolved.and_then(|r| r.name).or(title)
    };
    let (before, after) = (named(cx.base, old), named(cx.rev, new));
    before != after && (before.is_some() || after.is_some())
}

/// A member that only annotates (description, title, example...) and
/// constrains nothing.
fn annotation_only(api: &Api, member: &Node) -> bool {
    let Some(resolved) = SchemaRef(member).resolve(api) else {
        return false;
    };
    let f = Facets::of(resolved.schema);
    f.ty.is_none()
        && f.format.is_none()
        && f.enumeration.is_none()
        && f.minimum.is_none()
        && f.maximum.is_none()
        && f.multiple_of.is_none()
        && f.min_length.is_none()
        && f.max_length.is_none()
        && f.pattern.is_none()
        && f.items.is_none()
        && f.min_items.is_none()
        && f.max_items.is_none()
        && f.properties.is_empty()
        && f.required.iter().all(|name| name.as_str().is_none())
        && f.additional_properties.is_none()
        && f.one_of.is_empty()
        && f.all_of.is_empty()
        && f.any_of.is_empty()
        && f.not.is_none()
        && !resolved.schema.flag("nullable")
        && resolved.schema.field("discriminator").is_none()
}

/// `allOf` membership. `structural_change` says whether the flattened
/// shapes differ: when they do not, the `allOf` was only reshaped and only
/// annotation-only members are worth a note.
pub(crate) fn compare_all_of<'a>(
    cx: &mut Context<'a>,
    out: &mut Out,
    old: &Shape<'a>,
    new: &Shape<'a>,
    at: Cursor,
    structural_change: bool,
) {
    if old.all_of.is_empty() && new.all_of.is_empty() {
        return;
    }
    let Matched { removed, added, .. } = match_members(cx, old.all_of, new.all_of, at);
    let sides = [
        (removed, old.all_of, cx.base, "removed"),
        (added, new.all_of, cx.rev, "added"),
    ];
    for (indices, members, api, verb) in sides {
        for i in indices {
            let member = member_name(api, &members[i], i);
            let suffix = if annotation_only(api, &members[i]) {
                format!("all-of-{verb}-annotation-only")
            } else if structural_change {
                format!("all-of-{verb}")
            } else {
                continue;
            };
            out.emit_first(
                &at.ids(&suffix),
                "",
                format!(": allOf member '{member}' {verb}"),
            );
        }
    }
}

pub(crate) fn compare_discriminators(
    out: &mut Out,
    old: Option<&Node>,
    new: Option<&Node>,
    at: Cursor,
) {
    let property = |d: &Node| d.str_field("propertyName").unwrap_or_default().to_owned();
    let mapping = |d: &Node| -> Vec<(String, String)> {
        let entries = d.field("mapping").map_or(&[][..], Node::entries);
        entries
            .iter()
            .filter_map(|(k, v)| Some((k.to_string(), v.as_str()?.to_owned())))
            .collect()
    };
    let target = |mapping: &[(String, String)], value: &str| {
        mapping
            .iter()
            .find(|(k, _)| k == value)
            .map(|(_, t)| t.clone())
    };
    let mut emit =
        |suffix: &str, detail: String| out.emit_first(&at.ids(suffix), "", format!(": {detail}"));
    let (old, new) = match (old, new) {
        (None, Some(new)) => {
            return emit(
                "discriminator-added",
                format!("discriminator '{}' added", property(new)),
            )
        }
        (Some(old), None) => {
            return emit(
                "discriminator-removed",
                format!("discriminator '{}' removed", property(old)),
            )
        }
        (Some(old), Some(new)) => (old, new),
        (None, None) => return,
    };
    let (old_name, new_name) = (property(old), property(new));
    if old_name != new_name {
        emit(
            "discriminator-property-name-changed",
            format!("discriminator property changed from '{old_name}' to '{new_name}'"),
        );
    }
    let (old_mapping, new_mapping) = (mapping(old), mapping(new));
    for (value, old_target) in &old_mapping {
        match target(&new_mapping, value) {
            None => emit(
                "discriminator-mapping-deleted",
                format!("discriminator mapping '{value}' deleted"),
            ),
            Some(new_target) if &new_target != old_target => emit(
                "discriminator-mapping-changed",
                format!(
                    "discriminator mapping '{value}' changed from '{old_target}' to '{new_target}'"
                ),
            ),
            Some(_) => {}
        }
    }
    for (value, _) in new_mapping
        .iter()
        .filter(|(v, _)| target(&old_mapping, v).is_none())
    {
        emit(
            "discriminator-mapping-added",
            format!("discriminator mapping '{value}' added"),
        );
    }
}

/// An object that became a `oneOf` or `anyOf` of objects its properties
/// moved into: one change, not its properties reported removed. A body
/// wrapped in a `oneOf` is `...-body-wrapped-in-one-of`, as oasdiff says (a
/// payload may now match two overlapping members and be refused); elsewhere
/// the union is added. Each moved property is compared with its namesake in
/// every member, so a changed type still shows.
pub(crate) fn object_wrapped<'a>(
    cx: &mut Context<'a>,
    out: &mut Out,
    old: &Shape<'a>,
    new: &Shape<'a>,
    at: Cursor,
) -> bool {
    let unchanged_old = old.one_of.is_empty() && old.any_of.is_empty();
    if !unchanged_old || old.properties.is_empty() || !new.properties.is_empty() {
        return false;
    }
    let (members, suffix, keyword) = match (new.one_of, new.any_of) {
        (one_of, _) if !one_of.is_empty() => (one_of, "one-of-added", "oneOf"),
        (_, any_of) if !any_of.is_empty() => (any_of, "any-of-added", "anyOf"),
        _ => return false,
    };
    let shapes: Vec<Shape<'a>> = members
        .iter()
        .map(|member| Shape::of(cx.rev, &[SchemaRef(member)]))
        .collect();
    let moved = |name: &str| shapes.iter().any(|m| m.properties.contains_key(name));
    if !old.properties.keys().any(|name| moved(name)) {
        return false;
    }
    let keeps_required = shapes.iter().all(|member| {
        old.required.iter().all(|name| {
            let (Some(before), Some(after)) =
                (old.properties.get(name), member.properties.get(name))
            else {
                return false;
            };
            let node = super::pair(cx, before, after, at.child());
            member.required.contains(name) && cx.schemas.equivalent(node)
        })
    });
    let detail = if keeps_required {
        " that keep its required properties"
    } else {
        ""
    };
    let mut ids = if keyword == "oneOf" {
        at.ids("wrapped-in-one-of")
    } else {
        Vec::new()
    };
    ids.extend(at.ids(suffix));
    out.emit_first(
        &ids,
        "",
        format!(
            ": object wrapped in a {keyword} of {} members{detail}",
            members.len()
        ),
    );
    for (index, (member, shape)) in members.iter().zip(&shapes).enumerate() {
        let label = member_name(cx.rev, member, index);
        for (name, before) in &old.properties {
            if let Some(after) = shape.properties.get(name) {
                let node = super::pair(cx, before, after, at.child());
                out.child(&format!("{keyword}[{label}]/{name}"), node);
            }
        }
    }
    true
}

/// A single type that became a `oneOf` or `anyOf` with a member of that
/// type (`string` to `string | Product`): one change, the union named,
/// and the old schema compared with that member, so that a bound the
/// member adds still shows.
pub(crate) fn became_union<'a>(
    cx: &mut Context<'a>,
    out: &mut Out,
    old_nodes: &[SchemaRef<'a>],
    (old, new): (&Shape<'a>, &Shape<'a>),
    at: Cursor,
) -> bool {
    let plain = old.one_of.is_empty() && old.any_of.is_empty() && old.properties.is_empty();
    let (Some(ty), true, None) = (old.type_name, plain, new.type_name) else {
        return false;
    };
    let (members, suffix, keyword) = match (new.one_of, new.any_of) {
        (one_of, _) if !one_of.is_empty() => (one_of, "one-of-added", "oneOf"),
        (_, any_of) if !any_of.is_empty() => (any_of, "any-of-added", "anyOf"),
        _ => return false,
    };
    let same_type: Vec<usize> = (0..members.len())
        .filter(|&i| Shape::of(cx.rev, &[SchemaRef(&members[i])]).type_name == Some(ty))
        .collect();
    let [index] = same_type[..] else {
        return false;
    };
    let names: Vec<String> = (members.iter().enumerate())
        .map(|(i, member)| member_name(cx.rev, member, i))
        .collect();
    out.emit_first(
        &at.ids(suffix),
        "",
        format!(": '{ty}' became the {keyword} '{}'", names.join(" | ")),
    );
    let node = super::pair(cx, old_nodes, &[SchemaRef(&members[index])], at.child());
    out.child(&format!("{keyword}[{}]", names[index]), node);
    true
}

/// A body that became a `oneOf` one of whose members is the old body.
pub(crate) fn wrapped_in_one_of<'a>(
    cx: &mut Context<'a>,
    out: &mut Out,
    old_nodes: &[SchemaRef<'a>],
    old: &Shape<'a>,
    new: &Shape<'a>,
    at: Cursor,
) -> bool {
    if !at.is_root() || !old.one_of.is_empty() || new.one_of.is_empty() {
        return false;
    }
    let wrapped = new.one_of.iter().any(|member| {
        let node = super::pair(cx, old_nodes, &[SchemaRef(member)], at.child());
        cx.schemas.equivalent(node)
    });
    if wrapped {
        out.emit_first(
            &at.ids("wrapped-in-one-of"),
            "",
            ": wrapped in a oneOf".to_owned(),
        );
    }
    wrapped
}
