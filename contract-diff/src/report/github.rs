//! GitHub Actions workflow commands: each change becomes an annotation.

use super::{operation_label, printable, Report};
use crate::Level;

/// Escaping for a command's message, as the runner decodes it.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a command's property values, which also end at `,` and `:`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    for change in &report.changes {
        let command = match change.level {
            Level::Err => "error",
            Level::Warn => "warning",
            Level::Info => "notice",
        };
        let mut properties = vec![format!("title={}", escape_property(change.id))];
        if let Some(file) = &report.revision_file {
            properties.push(format!("file={}", escape_property(file)));
            let line = change
                .location
                .as_deref()
                .and_then(|at| report.revision_lines.as_ref()?.line(at));
            if let Some(line) = line {
                properties.push(format!("line={line}"));
            }
        }
        let operation = operation_label(change);
        let message = if operation.is_empty() {
            printable(&change.text)
        } else {
            format!("{operation}: {}", printable(&change.text))
        };
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape_data(&message)
        ));
    }
    out.push_str(&format!("contract-diff: {}\n", report.summary()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
