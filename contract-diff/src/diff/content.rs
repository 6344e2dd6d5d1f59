//! Request bodies and the media types of bodies.

use super::schema::{self, Cursor};
use super::{Context, Direction};
use crate::node::{Entry, Node};
use crate::refs::{self, SchemaRef};

pub(crate) fn compare_request_body<'a>(cx: &mut Context<'a>, base: &'a Node, rev: &'a Node) {
    let old = base
        .field("requestBody")
        .and_then(|b| refs::follow(cx.base, "requestBodies", b));
    let new = rev
        .field("requestBody")
        .and_then(|b| refs::follow(cx.rev, "requestBodies", b));
    match (old, new) {
        (None, Some(new)) if new.flag("required") => {
            cx.emit("request-body-added-required", "required request body added");
        }
        (None, Some(_)) => {
            cx.emit("request-body-added-optional", "optional request body added");
        }
        (Some(_), None) => {
            cx.emit("request-body-removed", "request body removed");
        }
        (Some(old), Some(new)) => {
            match (old.flag("required"), new.flag("required")) {
                (false, true) => {
                    cx.emit(
                        "request-body-became-required",
                        "request body became required",
                    );
                }
                (true, false) => {
                    cx.emit(
                        "request-body-became-optional",
                        "request body became optional",
                    );
                }
                _ => {}
            }
            compare_media_types(
                cx,
                old.field("content"),
                new.field("content"),
                Direction::Request,
                "request body",
            );
        }
        (None, None) => {}
    }
}

/// How two media-type names relate, for the response rules that pair a
/// removed name with an added one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameRelation {
    /// The new name covers the old one (`application/*` for `application/json`).
    Generalized,
    /// The new name is covered by the old one.
    Specialized,
    /// Same essence, other parameters, or the same structured suffix.
    Renamed,
}

fn essence(name: &str) -> (String, String) {
    let base = name
        .split(';')
        .next()
        .unwrap_or(name)
        .trim()
        .to_ascii_lowercase();
    let (kind, sub) = base.split_once('/').unwrap_or((base.as_str(), "*"));
    (kind.to_owned(), sub.to_owned())
}

fn covers(wide: &(String, String), narrow: &(String, String)) -> bool {
    (wide.0 == "*" || wide.0 == narrow.0) && (wide.1 == "*" || wide.1 == narrow.1)
}

fn relate_names(old: &str, new: &str) -> Option<NameRelation> {
    let (a, b) = (essence(old), essence(new));
    let suffix = |sub: &str| {
        sub.rsplit_once('+')
            .map(|(_, s)| s.to_owned())
            .unwrap_or_else(|| sub.to_owned())
    };
    if a == b || (a.0 == b.0 && suffix(&a.1) == suffix(&b.1)) {
        Some(NameRelation::Renamed)
    } else if covers(&b, &a) {
        Some(NameRelation::Generalized)
    } else if covers(&a, &b) {
        Some(NameRelation::Specialized)
    } else {
        None
    }
}

pub(crate) fn compare_media_types<'a>(
    cx: &mut Context<'a>,
    old: Option<&'a Node>,
    new: Option<&'a Node>,
    direction: Direction,
    subject: &str,
) {
    let (old, new) = (
        old.map_or(&[][..], Node::entries),
        new.map_or(&[][..], Node::entries),
    );
    let find = |map: &[Entry], name: &str| {
        map.iter()
            .position(|(key, _)| key.eq_ignore_ascii_case(name))
    };
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut removed: Vec<usize> = Vec::new();
    for (index, (name, _)) in old.iter().enumerate() {
        match find(new, name) {
            Some(other) => pairs.push((index, other)),
            None => removed.push(index),
        }
    }
    let mut added: Vec<usize> = (0..new.len())
        .filter(|i| !pairs.iter().any(|(_, n)| n == i))
        .collect();

    if direction == Direction::Response {
        // A response media type replaced by a related name is one change, not two.
        removed.retain(|&old_index| {
            let old_name = old.get(old_index).map_or("", |(k, _)| &**k);
            let found = added.iter().position(|&new_index| {
                let new_name = new.get(new_index).map_or("", |(k, _)| &**k);
                relate_names(old_name, new_name).is_some()
            });
            let Some(position) = found else { return true };
            let new_index = added.remove(position);
            let new_name = new.get(new_index).map_or("", |(k, _)| &**k);
            let (id, verb) = match relate_names(old_name, new_name) {
                Some(NameRelation::Generalized) => {
                    ("response-media-type-name-generalized", "generalized")
                }
                Some(NameRelation::Specialized) => {
                    ("response-media-type-name-specialized", "specialized")
                }
                _ => ("response-media-type-name-changed", "changed"),
            };
            cx.emit(
                id,
                format!("{subject}: media type {verb} from '{old_name}' to '{new_name}'"),
            );
            pairs.push((old_index, new_index));
            false
        });
    }

    let (removed_id, added_id, dir) = match direction {
        Direction::Request => (
            "request-body-media-type-removed",
            "request-body-media-type-added",
            "request",
        ),
        Direction::Response => (
            "response-media-type-removed",
            "response-media-type-added",
            "response",
        ),
    };
    for index in removed {
        if let Some((name, _)) = old.get(index) {
            cx.emit(
                removed_id,
                format!("{subject}: media type '{name}' removed"),
            );
        }
    }
    for index in added {
        if let Some((name, _)) = new.get(index) {
            cx.emit(added_id, format!("{subject}: media type '{name}' added"));
        }
    }
    for (old_index, new_index) in pairs {
        let (Some((_, old_media)), Some((name, new_media))) =
            (old.get(old_index), new.get(new_index))
        else {
            continue;
        };
        let where_ = format!("{subject} ({name})");
        match (old_media.field("schema"), new_media.field("schema")) {
            (None, Some(_)) => {
                cx.emit(
                    format!("{dir}-body-media-type-schema-added").as_str(),
                    format!("{where_}: schema added"),
                );
            }
            (Some(_), None) => {
                cx.emit(
                    format!("{dir}-body-media-type-schema-removed").as_str(),
                    format!("{where_}: schema removed"),
                );
            }
            (Some(old_schema), Some(new_schema)) => {
                schema::compare(
                    cx,
                    SchemaRef(old_schema),
                    SchemaRef(new_schema),
                    where_,
                    Cursor::body(direction, name),
                );
            }
            (None, None) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_type_names_relate_by_wildcards_and_suffixes() {
        assert_eq!(
            relate_names("application/json", "application/*"),
            Some(NameRelation::Generalized)
        );
        assert_eq!(
            relate_names("*/*", "text/plain"),
            Some(NameRelation::Specialized)
        );
        assert_eq!(
            relate_names("application/json", "application/json; charset=utf-8"),
            Some(NameRelation::Renamed)
        );
        assert_eq!(
            relate_names("application/json", "application/problem+json"),
            Some(NameRelation::Renamed)
        );
        assert_eq!(relate_names("application/json", "text/plain"), None);
    }
}
