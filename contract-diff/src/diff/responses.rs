//! Response statuses, their headers and their bodies.

use super::content::compare_media_types;
use super::parameters::value_schema;
use super::schema::{self, Cursor};
use super::{Context, Direction};
use crate::node::{Entry, Node};
use crate::refs;

/// A response key as a status: `200` or a range `2XX` (any case), with
/// whether it is a success. Other keys (`default`, extensions) are not statuses.
pub(crate) fn status(key: &str) -> Option<(String, bool)> {
    if key.len() != 3 {
        return None;
    }
    if let Ok(code) = key.parse::<i64>() {
        return (100..1000)
            .contains(&code)
            .then(|| (code.to_string(), (200..300).contains(&code)));
    }
    match key.to_ascii_uppercase().as_bytes() {
        [digit, b'X', b'X'] if digit.is_ascii_digit() => {
            Some((format!("{}XX", *digit as char), *digit == b'2'))
        }
        _ => None,
    }
}

fn statuses(operation: &Node) -> Vec<(String, bool, &Node)> {
    let Some(responses) = operation.get("responses") else {
        return Vec::new();
    };
    let mut out: Vec<(String, bool, &Node)> = Vec::new();
    for (key, response) in responses.entries() {
        let Some((code, success)) = status(key) else {
            continue;
        };
        // `2XX` and `2xx` are one status: the last one written wins.
        match out.iter_mut().find(|(known, _, _)| *known == code) {
            Some(slot) => slot.2 = response,
            None => out.push((code, success, response)),
        }
    }
    if let Some(default) = responses.field("default") {
        out.push(("default".to_owned(), false, default));
    }
    out
}

pub(crate) fn compare<'a>(cx: &mut Context<'a>, base: &'a Node, rev: &'a Node) {
    let old = statuses(base);
    let new = statuses(rev);
    for (status, success, old_response) in &old {
        let Some((_, _, new_response)) = new.iter().find(|(s, _, _)| s == status) else {
            let id = if *success {
                "response-success-status-removed"
            } else {
                "response-non-success-status-removed"
            };
            cx.emit(id, format!("response status {status} removed"));
            continue;
        };
        let (Some(old_response), Some(new_response)) = (
            refs::follow(cx.base, "responses", old_response),
            refs::follow(cx.rev, "responses", new_response),
        ) else {
            continue;
        };
        let headers = |response: &'a Node| response.field("headers").map_or(&[][..], Node::entries);
        compare_headers(cx, status, headers(old_response), headers(new_response));
        let subject = format!("response {status}");
        compare_media_types(
            cx,
            old_response.field("content"),
            new_response.field("content"),
            Direction::Response,
            &subject,
        );
    }
    for (status, success, _) in &new {
        if !old.iter().any(|(s, _, _)| s == status) {
            let id = if *success {
                "response-success-status-added"
            } else {
                "response-non-success-status-added"
            };
            cx.emit(id, format!("response status {status} added"));
        }
    }
}

type Headers<'a> = &'a [Entry];

fn find<'a>(map: Headers<'a>, name: &str) -> Option<&'a Node> {
    map.iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, h)| h)
}

fn compare_headers<'a>(cx: &mut Context<'a>, status: &str, old: Headers<'a>, new: Headers<'a>) {
    for (name, old_header) in old {
        let Some(old_header) = refs::follow(cx.base, "headers", old_header) else {
            continue;
        };
        let what = format!("response {status} header '{name}'");
        let Some(new_header) = find(new, name).and_then(|h| refs::follow(cx.rev, "headers", h))
        else {
            let id = if old_header.flag("required") {
                "required-response-header-removed"
            } else {
                "optional-response-header-removed"
            };
            cx.emit(id, format!("{what} removed"));
            continue;
        };
        if old_header.flag("required") && !new_header.flag("required") {
            cx.emit(
                "response-header-became-optional",
                format!("{what} became optional"),
            );
        }
        if let (Some(old_schema), Some(new_schema)) =
            (value_schema(old_header), value_schema(new_header))
        {
            schema::compare(cx, old_schema, new_schema, what, Cursor::header());
        }
    }
    for (name, _) in new {
        if find(old, name).is_none() {
            cx.emit(
                "response-header-added",
                format!("response {status} header '{name}' added"),
            );
        }
    }
}
