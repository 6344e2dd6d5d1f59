//! One operation present in both documents: its own fields, then each part.

use super::lifecycle::{self, Lifecycle, LifecycleIds, SunsetIds};
use super::{content, parameters, responses, security, Context};
use crate::node::Node;

const OPERATION_LIFECYCLE: LifecycleIds = LifecycleIds {
    deprecated: "endpoint-deprecated",
    deprecated_with_sunset: Some("endpoint-deprecated-with-sunset"),
    sunset_missing: "api-deprecated-sunset-missing",
    sunset_parse: "api-deprecated-sunset-parse",
    sunset_too_small: "api-sunset-date-too-small",
    reactivated: "endpoint-reactivated",
    stability_decreased: Some("api-stability-decreased"),
    stability_increased: Some("api-stability-increased"),
};

const OPERATION_SUNSET: SunsetIds = SunsetIds {
    deleted: "sunset-deleted",
    parse: "api-path-sunset-parse",
    too_small: "api-sunset-date-changed-too-small",
};

/// Both sides of one operation: (path as written, path item, operation).
pub(crate) struct Pair<'a> {
    pub(crate) base: (&'a str, &'a Node, &'a Node),
    pub(crate) rev: (&'a str, &'a Node, &'a Node),
}

pub(crate) fn compare<'a>(cx: &mut Context<'a>, pair: Pair<'a>) {
    let (_, _, base) = pair.base;
    let (_, _, rev) = pair.rev;
    let base_life = Lifecycle::of(base);
    let rev_life = Lifecycle::of(rev);
    // An invalid level on either side leaves the policy unknown, as oasdiff says.
    for (side, life) in [("base", base_life), ("revision", rev_life)] {
        if let Err(why) = life.stability_rank() {
            cx.emit(
                "api-invalid-stability-level",
                format!("operation ({side}): {why}"),
            );
        }
    }
    lifecycle::compare(cx, &OPERATION_LIFECYCLE, "operation", base_life, rev_life);
    lifecycle::sunset_changed(cx, &OPERATION_SUNSET, "operation", base_life, rev_life);

    operation_id(cx, base, rev);
    tags(cx, base, rev);
    parameters::compare(cx, &pair);
    content::compare_request_body(cx, base, rev);
    responses::compare(cx, base, rev);
    security::compare_operation(cx, base, rev);
}

fn operation_id(cx: &mut Context<'_>, base: &Node, rev: &Node) {
    match (base.str_field("operationId"), rev.str_field("operationId")) {
        (Some(from), Some(to)) if from != to => {
            cx.emit(
                "api-operation-id-removed",
                format!("operationId '{from}' removed and replaced with '{to}'"),
            );
            cx.emit(
                "codegen-operation-id-renamed",
                format!("operationId renamed from '{from}' to '{to}': the generated client method is renamed"),
            );
        }
        (Some(from), None) => {
            cx.emit(
                "api-operation-id-removed",
                format!("operationId '{from}' removed"),
            );
        }
        (None, Some(to)) => {
            cx.emit(
                "api-operation-id-added",
                format!("operationId '{to}' added"),
            );
        }
        _ => {}
    }
}

fn tags(cx: &mut Context<'_>, base: &Node, rev: &Node) {
    let (old, new): (Vec<&str>, Vec<&str>) = (
        base.strings("tags").collect(),
        rev.strings("tags").collect(),
    );
    for tag in old.iter().filter(|t| !new.contains(t)) {
        cx.emit("api-tag-removed", format!("tag '{tag}' removed"));
    }
    for tag in new.iter().filter(|t| !old.contains(t)) {
        cx.emit("api-tag-added", format!("tag '{tag}' added"));
    }
}
