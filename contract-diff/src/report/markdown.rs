//! Markdown, for pull request comments and job summaries.

use super::{operation_label, printable, Report};

/// Table cells may not contain a bare `|` or a line break.
fn cell(text: &str) -> String {
    printable(text).replace('|', "\\|")
}

pub(super) fn render(report: &Report) -> String {
    let mut out = format!(
        "### contract-diff: {} from `{}` to `{}`\n\n",
        report.selection,
        cell(&report.base),
        cell(&report.revision)
    );
    if report.changes.is_empty() {
        out.push_str(&format!("No {}.\n\n", report.selection));
    } else {
        out.push_str("| Level | Rule | Operation | Change |\n|---|---|---|---|\n");
        for change in &report.changes {
            out.push_str(&format!(
                "| {} | `{}` | {} | {} |\n",
                change.level,
                change.id,
                cell(&operation_label(change)),
                cell(&change.text)
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!("{}\n", report.summary()));
    out
}
