//! Plain text: one change per line.

use super::{operation_label, printable, Report};

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    if report.changes.is_empty() {
        out.push_str(&format!(
            "no {} from {} to {}\n",
            report.selection,
            printable(&report.base),
            printable(&report.revision)
        ));
    } else {
        out.push_str(&format!(
            "{} from {} to {}:\n",
            report.selection,
            printable(&report.base),
            printable(&report.revision)
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
                change.level,
                change.id,
                printable(&change.text)
            ));
        }
    }
    out.push_str(&format!("{}\n", report.summary()));
    out
}
