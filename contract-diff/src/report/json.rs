//! JSON, for programs.

use serde_json::{json, Value};

use super::Report;
use crate::{Level, OperationRef};

pub(super) fn render(report: &Report) -> String {
    let changes: Vec<Value> = report
        .changes
        .iter()
        .map(|change| {
            let describe =
                |op: &OperationRef| json!({"method": op.method, "path": op.path, "operationId": op.operation_id});
            let operations: Vec<Value> = if change.operations.is_empty() {
                change.operation.iter().map(describe).collect()
            } else {
                change.operations.iter().map(describe).collect()
            };
            json!({
                "id": change.id,
                "level": change.level.as_str(),
                "operation": change.operation.as_ref().map(describe),
                "operations": operations,
                "text": change.text,
                "location": change.location,
            })
        })
        .collect();
    let document = json!({
        "base": report.base,
        "revision": report.revision,
        "changes": changes,
        "summary": {
            "ERR": report.count(Level::Err),
            "WARN": report.count(Level::Warn),
            "INFO": report.count(Level::Info),
            "ignored": report.ignored,
        },
    });
    // Serializing a `Value` cannot fail.
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}
