//! Response statuses, their headers and their bodies.

use indexmap::IndexMap;
use openapiv3::{Header, Operation, ParameterSchemaOrContent, ReferenceOr, Response, StatusCode};

use super::content::compare_media_types;
use super::schema::{self, Cursor};
use super::{Context, Direction};
use crate::refs::{self, SchemaRef};

fn statuses(operation: &Operation) -> Vec<(String, bool, &ReferenceOr<Response>)> {
    let mut out: Vec<_> = operation
        .responses
        .responses
        .iter()
        .map(|(code, response)| {
            let success = match code {
                StatusCode::Code(n) => (200..300).contains(n),
                StatusCode::Range(n) => *n == 2,
            };
            (code.to_string(), success, response)
        })
        .collect();
    if let Some(default) = &operation.responses.default {
        out.push(("default".to_owned(), false, default));
    }
    out
}

pub(crate) fn compare<'a>(cx: &mut Context<'a>, base: &'a Operation, rev: &'a Operation) {
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
            refs::response(cx.base, old_response),
            refs::response(cx.rev, new_response),
        ) else {
            continue;
        };
        compare_headers(cx, status, &old_response.headers, &new_response.headers);
        let subject = format!("response {status}");
        compare_media_types(
            cx,
            &old_response.content,
            &new_response.content,
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

fn header_schema(header: &Header) -> Option<SchemaRef<'_>> {
    match &header.format {
        ParameterSchemaOrContent::Schema(schema) => Some(SchemaRef::Plain(schema)),
        ParameterSchemaOrContent::Content(content) => content
            .values()
            .next()
            .and_then(|m| m.schema.as_ref())
            .map(SchemaRef::Plain),
    }
}

/// Header names are case-insensitive.
fn find<'a>(
    map: &'a IndexMap<String, ReferenceOr<Header>>,
    name: &str,
) -> Option<&'a ReferenceOr<Header>> {
    map.iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, h)| h)
}

fn compare_headers<'a>(
    cx: &mut Context<'a>,
    status: &str,
    old: &'a IndexMap<String, ReferenceOr<Header>>,
    new: &'a IndexMap<String, ReferenceOr<Header>>,
) {
    for (name, old_header) in old {
        let Some(old_header) = refs::header(cx.base, old_header) else {
            continue;
        };
        let what = format!("response {status} header '{name}'");
        let Some(new_header) = find(new, name).and_then(|h| refs::header(cx.rev, h)) else {
            let id = if old_header.required {
                "required-response-header-removed"
            } else {
                "optional-response-header-removed"
            };
            cx.emit(id, format!("{what} removed"));
            continue;
        };
        if old_header.required && !new_header.required {
            cx.emit(
                "response-header-became-optional",
                format!("{what} became optional"),
            );
        }
        if let (Some(old_schema), Some(new_schema)) =
            (header_schema(old_header), header_schema(new_header))
        {
            schema::compare(cx, old_schema, new_schema, what, Cursor::header());
        }
    }
    for name in new.keys() {
        if find(old, name).is_none() {
            cx.emit(
                "response-header-added",
                format!("response {status} header '{name}' added"),
            );
        }
    }
}
