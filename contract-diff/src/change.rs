//! A change found between two documents.

use std::fmt;
use std::str::FromStr;

/// How much a change matters to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Not breaking.
    Info,
    /// May break some clients.
    Warn,
    /// Breaks clients.
    Err,
}

impl Level {
    /// `INFO`, `WARN` or `ERR`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Err => "ERR",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_uppercase().as_str() {
            "INFO" => Ok(Level::Info),
            "WARN" | "WARNING" => Ok(Level::Warn),
            "ERR" | "ERROR" => Ok(Level::Err),
            _ => Err(format!("unknown level '{s}' (expected ERR, WARN or INFO)")),
        }
    }
}

/// Which rules run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// What changes on the wire: oasdiff's rules.
    #[default]
    Wire,
    /// The wire rules, plus changes that keep the wire format but break code
    /// written against the client progenitor generates.
    Codegen,
}

/// The operation a change belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OperationRef {
    /// Upper-case HTTP method.
    pub method: String,
    /// The path as the revision (or, for a removed operation, the base) writes it.
    pub path: String,
    /// The revision's `operationId` (the base's for a removed operation).
    pub operation_id: Option<String>,
}

impl OperationRef {
    /// The operation's JSON pointer: `#/paths/~1pets/get`.
    pub fn pointer(&self) -> String {
        crate::refs::pointer_of(&[
            "paths".to_owned(),
            self.path.clone(),
            self.method.to_ascii_lowercase(),
        ])
    }
}

impl fmt::Display for OperationRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// One change between two documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The rule id, e.g. `response-success-status-removed`.
    pub id: &'static str,
    /// Its level, after any override.
    pub level: Level,
    /// The operation it concerns; `None` for document-wide changes such as
    /// a security scheme. For a change in a component schema, the first
    /// operation (in document order) that reaches it.
    pub operation: Option<OperationRef>,
    /// For a change in a component schema, reported once: every operation
    /// that reaches it, in document order (`operation` first). Empty for
    /// any other change, which belongs to `operation` alone.
    pub operations: Vec<OperationRef>,
    /// What changed, in a sentence.
    pub text: String,
    /// Where in the revision the changed element is, as a JSON pointer
    /// (`#/paths/~1pets/get`, `#/components/schemas/Pet/properties/name`);
    /// for something removed, the nearest place that still exists may be
    /// named by a prefix of it.
    pub location: Option<String>,
}
