//! Endpoints: which paths and methods exist in each document.

use indexmap::IndexMap;

use super::lifecycle::{self, Lifecycle, RemovalIds};
use super::{operation, Context};
use crate::api::{operations, Api};
use crate::node::Node;
use crate::OperationRef;

const PATH_REMOVED: RemovalIds = RemovalIds {
    without_deprecation: "api-path-removed-without-deprecation",
    with_deprecation: "api-path-removed-with-deprecation",
    sunset_parse: "api-path-sunset-parse",
    before_sunset: "api-path-removed-before-sunset",
};

const OPERATION_REMOVED: RemovalIds = RemovalIds {
    without_deprecation: "api-removed-without-deprecation",
    with_deprecation: "api-removed-with-deprecation",
    sunset_parse: "api-path-sunset-parse",
    before_sunset: "api-removed-before-sunset",
};

/// A path template with its parameter names erased: `/a/{id}` and `/a/{key}`
/// are the same endpoint to a client.
pub(crate) fn normalize(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

fn index(api: &Api) -> IndexMap<String, (&str, &Node)> {
    api.paths()
        .map(|(path, item)| (normalize(path), (path, item)))
        .collect()
}

fn operation_ref(method: &str, path: &str, operation: &Node) -> OperationRef {
    OperationRef {
        method: method.to_ascii_uppercase(),
        path: path.to_owned(),
        operation_id: operation.str_field("operationId").map(str::to_owned),
    }
}

fn lifecycle(operation: &Node) -> Lifecycle<'_> {
    Lifecycle::of(operation)
}

pub(crate) fn compare(cx: &mut Context<'_>) {
    let (base_api, rev_api) = (cx.base, cx.rev);
    let base = index(base_api);
    let rev = index(rev_api);

    for (key, (base_path, base_item)) in &base {
        cx.schemas.forget_local();
        let Some((rev_path, rev_item)) = rev.get(key) else {
            for (method, op) in operations(base_item) {
                cx.set_operation(Some(operation_ref(method, base_path, op)));
                let what = format!("{} {base_path}", method.to_ascii_uppercase());
                lifecycle::removed(cx, &PATH_REMOVED, &what, lifecycle(op));
            }
            continue;
        };
        for (method, base_op) in operations(base_item) {
            let what = format!("{} {rev_path}", method.to_ascii_uppercase());
            match operations(rev_item).find(|(m, _)| *m == method) {
                None => {
                    cx.set_operation(Some(operation_ref(method, base_path, base_op)));
                    lifecycle::removed(cx, &OPERATION_REMOVED, &what, lifecycle(base_op));
                }
                Some((_, rev_op)) => {
                    cx.set_operation(Some(operation_ref(method, rev_path, rev_op)));
                    operation::compare(
                        cx,
                        operation::Pair {
                            base: (base_path, base_item, base_op),
                            rev: (rev_path, rev_item, rev_op),
                        },
                    );
                }
            }
        }
        for (method, rev_op) in operations(rev_item) {
            if !operations(base_item).any(|(m, _)| m == method) {
                cx.set_operation(Some(operation_ref(method, rev_path, rev_op)));
                cx.emit(
                    "endpoint-added",
                    format!("{} {rev_path} added", method.to_ascii_uppercase()),
                );
            }
        }
    }
    for (key, (rev_path, rev_item)) in &rev {
        if !base.contains_key(key) {
            for (method, rev_op) in operations(rev_item) {
                cx.set_operation(Some(operation_ref(method, rev_path, rev_op)));
                cx.emit(
                    "endpoint-added",
                    format!("{} {rev_path} added", method.to_ascii_uppercase()),
                );
            }
        }
    }
    cx.set_operation(None);
    webhooks(cx);
}

/// 3.1's webhooks: requests the API sends, by name. oasdiff reports which
/// exist; their operations are not compared.
fn webhooks(cx: &mut Context<'_>) {
    let names = |api: &Api| -> Vec<String> {
        let webhooks = api.root().get("webhooks");
        let entries = webhooks.map_or(&[][..], Node::entries);
        entries.iter().map(|(name, _)| name.to_string()).collect()
    };
    let (old, new) = (names(cx.base), names(cx.rev));
    for name in old.iter().filter(|name| !new.contains(name)) {
        cx.emit("webhook-removed", format!("webhook '{name}' removed"));
    }
    for name in new.iter().filter(|name| !old.contains(name)) {
        cx.emit("webhook-added", format!("webhook '{name}' added"));
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn parameter_names_do_not_distinguish_paths() {
        assert_eq!(normalize("/a/{id}/b/{x}"), "/a/{}/b/{}");
        assert_eq!(normalize("/a/{id}"), normalize("/a/{key}"));
    }
}
