//! Plain text: one change per line.

use super::{operation_label, Report};

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    if report.changes.is_empty() {
        out.push_str(&format!(
            "no {} from {} to {}\n",
            report.selection, report.base, report.revision
        ));
    } else {
        out.push_str(&format!(
            "{} from {} to {}:\n",
            report.selection, report.base, report.revision
        ));
        for change in &report.changes {
            let operation = operation_label(change);
            let at = if operation.is_empty() {
                String::new()
            } else {
                format!(" {operation}:")
            };
            out.push_str(&format!(
                "{:<4} [{}]{at} {}\n",
                change.level, change.id, change.text
            ));
        }
    }
    out.push_str(&format!("{}\n", report.summary()));
    out
}
