//! JUnit XML: one test case per change; what `--fail-on` fails on is a failure.
//!
//! The XML is written by hand: five characters need escaping and a writer
//! crate would be the only reason for a dependency.

use super::{operation_label, Report};

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters, nor U+FFFE
            // and U+FFFF, at all.
            c if (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
                || matches!(c, '\u{FFFE}' | '\u{FFFF}') =>
            {
                out.push('\u{FFFD}')
            }
            c => out.push(c),
        }
    }
    out
}

pub(super) fn render(report: &Report) -> String {
    let failures = report.changes.iter().filter(|c| report.fails_on(c)).count();
    let tests = report.changes.len().max(1);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"contract-diff\" tests=\"{tests}\" failures=\"{failures}\">\n  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\">\n",
        escape(&format!("{} -> {}", report.base, report.revision))
    ));
    if report.changes.is_empty() {
        out.push_str(&format!(
            "    <testcase classname=\"contract-diff\" name=\"no {}\"/>\n",
            report.selection
        ));
    }
    for change in &report.changes {
        let operation = operation_label(change);
        let classname = if operation.is_empty() {
            "document".to_owned()
        } else {
            operation
        };
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\">\n",
            escape(&classname),
            escape(change.id)
        ));
        if report.fails_on(change) {
            out.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                change.level,
                escape(&change.text),
                escape(&change.text)
            ));
        } else {
            out.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                escape(&change.text)
            ));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn characters_xml_cannot_carry_are_replaced() {
        assert_eq!(
            escape("a\u{FFFE}b\u{FFFF}c\u{1}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape("a<b & 'c' \"d\">"),
            "a&lt;b &amp; &apos;c&apos; &quot;d&quot;&gt;"
        );
    }
}
