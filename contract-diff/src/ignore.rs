//! Ignore files: known changes a team accepted, one per line.
//!
//! ```text
//! # <operation> <rule-id> <reason>
//! POST /linkedIn/invitations/inviteeClosingInvitation response-optional-property-removed dropped in 2.0, see #12
//! inviteeClosingInvitation api-operation-id-removed renamed on purpose
//! * codegen-schema-renamed types renamed for the 1.0 release
//! ```
//!
//! The operation is `METHOD /path` (path parameter names do not matter), an
//! `operationId`, or `*` for any operation and for document-wide changes.
//! The reason is required: an ignore entry nobody can explain is a bug.

use std::fmt;

use super::diff::normalize_path;
use super::{rules, Change, OperationRef};

/// Which operations an entry covers.
#[derive(Debug, Clone, PartialEq, Eq)]
enum OperationPattern {
    Any,
    Endpoint { method: String, path: String },
    OperationId(String),
}

/// One accepted change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreEntry {
    operation: OperationPattern,
    rule: String,
    reason: String,
}

/// A parsed ignore file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreList {
    entries: Vec<IgnoreEntry>,
}

/// A line of an ignore file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreError {
    line: usize,
    problem: String,
}

impl fmt::Display for IgnoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.problem)
    }
}

impl std::error::Error for IgnoreError {}

const METHODS: &[&str] = &[
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE",
];

impl IgnoreList {
    /// Parses an ignore file's text.
    ///
    /// # Errors
    ///
    /// The first line that has no reason, names an unknown rule id, or has
    /// a method without a path.
    pub fn parse(text: &str) -> Result<Self, IgnoreError> {
        let mut entries = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fail = |problem: String| IgnoreError {
                line: index + 1,
                problem,
            };
            let mut words = line.split_whitespace();
            let first = words.next().unwrap_or_default();
            let operation = if first == "*" {
                OperationPattern::Any
            } else if METHODS.contains(&first.to_ascii_uppercase().as_str()) {
                let path = words
                    .next()
                    .filter(|p| p.starts_with('/'))
                    .ok_or_else(|| fail(format!("'{first}' must be followed by a path")))?;
                OperationPattern::Endpoint {
                    method: first.to_ascii_uppercase(),
                    path: normalize_path(path),
                }
            } else {
                OperationPattern::OperationId(first.to_owned())
            };
            let rule = words
                .next()
                .ok_or_else(|| fail("expected '<operation> <rule-id> <reason>'".to_owned()))?;
            if rules::lookup(rule).is_none() {
                return Err(fail(format!("unknown rule id '{rule}'")));
            }
            let reason = words.collect::<Vec<_>>().join(" ");
            if reason.is_empty() {
                return Err(fail(format!("no reason given for ignoring '{rule}'")));
            }
            entries.push(IgnoreEntry {
                operation,
                rule: rule.to_owned(),
                reason,
            });
        }
        Ok(Self { entries })
    }

    /// The entry that covers `change`, if any.
    pub fn covering(&self, change: &Change) -> Option<&IgnoreEntry> {
        if change.operations.len() > 1 {
            // A change in a shared component is accepted only when it is
            // for every operation that reaches it.
            let entries: Vec<&IgnoreEntry> = (self.entries.iter())
                .filter(|entry| entry.rule == change.id)
                .collect();
            let covered = |op| entries.iter().any(|entry| entry.covers_operation(Some(op)));
            let all = change.operations.iter().all(covered);
            return entries.first().copied().filter(|_| all);
        }
        self.entries.iter().find(|entry| entry.covers(change))
    }

    /// How many entries the file has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the file has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl IgnoreEntry {
    /// Why the change is accepted.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    fn covers(&self, change: &Change) -> bool {
        self.rule == change.id && self.covers_operation(change.operation.as_ref())
    }

    fn covers_operation(&self, operation: Option<&OperationRef>) -> bool {
        match (&self.operation, operation) {
            (OperationPattern::Any, _) => true,
            (OperationPattern::Endpoint { method, path }, Some(op)) => {
                *method == op.method && *path == normalize_path(&op.path)
            }
            (OperationPattern::OperationId(id), Some(op)) => {
                op.operation_id.as_deref() == Some(id.as_str())
            }
            (_, None) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_need_a_known_rule_and_a_reason() {
        assert!(IgnoreList::parse("GET /a request-parameter-removed because").is_ok());
        let error = IgnoreList::parse("\nGET /a request-parameter-removed").unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 2: no reason given for ignoring 'request-parameter-removed'"
        );
        assert!(IgnoreList::parse("GET /a no-such-rule reason").is_err());
        assert!(IgnoreList::parse("GET request-parameter-removed reason").is_err());
    }
}
