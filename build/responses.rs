//! An operation's responses as progenitor 0.15 can generate them.
//!
//! - A `default` response beside a success is, in practice, the error of
//!   every status the operation does not list (Graph's own documents answer
//!   errors in one envelope): it becomes the `4XX` and the `5XX` the
//!   operation lacks ([`rewrite`]). Left as `default`, the generator counts it
//!   as a success type too and stops on its
//!   `assertion failed: response_types.len() <= 1`.
//! - A success, or an error, without a body beside one with a body cannot be
//!   one Rust type: [`check`] refuses it with the operation's name, its JSON
//!   pointer and what to write instead, before the generator runs.

use serde_json::Value;

use crate::preflight::escape;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every operation: (its pointer, its operationId, its responses).
fn operations(document: &mut Value) -> Vec<(String, String, &mut serde_json::Map<String, Value>)> {
    let mut found = Vec::new();
    let paths = document.get_mut("paths").and_then(Value::as_object_mut);
    for (path, item) in paths.into_iter().flatten() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let at = format!("/paths/{}/{method}", escape(path));
            if let Some(responses) = operation
                .get_mut("responses")
                .and_then(Value::as_object_mut)
            {
                found.push((at, id, responses));
            }
        }
    }
    found
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// Reads each `default` beside a success as the missing `4XX` and `5XX`.
pub fn rewrite(document: &mut Value) {
    for (_, _, responses) in operations(document) {
        if !responses.keys().any(|status| is_success(status)) {
            continue;
        }
        let Some(default) = responses.remove("default") else {
            continue;
        };
        for range in ["4XX", "5XX"] {
            if !responses
                .keys()
                .any(|status| status.eq_ignore_ascii_case(range))
            {
                responses.insert(range.to_owned(), default.clone());
            }
        }
    }
}

/// Refuses a mix of responses with and without a body on one side
/// (successes, or errors, `default` counted as an error).
pub fn check(document: &Value) -> Result<(), String> {
    let mut copy = document.clone();
    for (at, id, responses) in operations(&mut copy) {
        for (kind, on_side) in [
            ("a success", is_success as fn(&str) -> bool),
            ("an error", |status: &str| !is_success(status)),
        ] {
            let side: Vec<(&String, bool)> = responses
                .iter()
                .filter(|(status, _)| on_side(status))
                .map(|(status, response)| (status, has_body(document, response)))
                .collect();
            let typed = side.iter().find(|(_, body)| *body);
            let bare = side.iter().find(|(_, body)| !*body);
            if let (Some((typed, _)), Some((bare, _))) = (typed, bare) {
                return Err(format!(
                    "#{at}/responses/{} (operation `{id}`) is {kind} without a body beside `{typed}`, which has one; \
                     the generator makes one Rust type of them all: give it `{typed}`'s content, \
                     or remove it",
                    escape(bare)
                ));
            }
        }
    }
    Ok(())
}

fn has_body(document: &Value, response: &Value) -> bool {
    let response = response
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| document.pointer(pointer))
        .unwrap_or(response);
    response
        .get("content")
        .and_then(Value::as_object)
        .is_some_and(|content| !content.is_empty())
}
