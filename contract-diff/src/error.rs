//! Why a document cannot be used.

use std::fmt;

/// A document that cannot be compared: unreadable, malformed, not OpenAPI
/// 3.0.x or 3.1.x, or with a `$ref` that does not resolve.
///
/// Its `Display` is one line, `<source>: <problem>`, as the CLI prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    source: String,
    problem: Problem,
}

/// What is wrong with a document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The file or the git object could not be read.
    Unreadable(String),
    /// The text is neither valid YAML nor valid JSON.
    Syntax(String),
    /// The document is not OpenAPI 3.0.x or 3.1.x (Swagger 2.0, OpenAPI 3.2, or no `openapi` field).
    UnsupportedVersion(String),
    /// The document is OpenAPI 3.0.x or 3.1.x but does not fit its object model.
    Structure(String),
    /// A `$ref` names something the document does not contain.
    UnresolvedRef {
        /// The reference as written.
        reference: String,
        /// Where it was found, as a JSON pointer.
        at: String,
    },
    /// A key written twice in one mapping, or two keys that JSON cannot tell
    /// apart (`200` and `"200"`).
    DuplicateKey {
        /// The key, as JSON spells it.
        key: String,
        /// The mapping, as a JSON pointer.
        at: String,
    },
    /// A `$ref` chain that comes back to itself, or is longer than the tool follows.
    RefLoop {
        /// The reference as written.
        reference: String,
        /// Where it was found, as a JSON pointer.
        at: String,
    },
    /// The input is larger than the limit (`--max-input-bytes`).
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// A `$ref` this tool does not follow (another file, or outside `#/components`).
    UnsupportedRef {
        /// The reference as written.
        reference: String,
        /// Where it was found, as a JSON pointer.
        at: String,
    },
}

impl LoadError {
    pub(crate) fn new(source: impl Into<String>, problem: Problem) -> Self {
        Self {
            source: source.into(),
            problem,
        }
    }

    /// The file or `git:REV:PATH` the document was read from.
    pub fn source_name(&self) -> &str {
        &self.source
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Unreadable(why) => write!(f, "cannot read: {why}"),
            Problem::Syntax(why) => write!(f, "not valid YAML or JSON: {why}"),
            Problem::UnsupportedVersion(why) => {
                write!(f, "not an OpenAPI 3.0.x or 3.1.x document: {why}")
            }
            Problem::Structure(why) => write!(f, "not a valid OpenAPI document: {why}"),
            Problem::UnresolvedRef { reference, at } => {
                write!(f, "unresolvable $ref '{reference}' at {at}")
            }
            Problem::DuplicateKey { key, at } => {
                write!(f, "duplicate key '{key}' at {at} (a mapping names each key once; YAML may spell one key two ways)")
            }
            Problem::RefLoop { reference, at } => write!(
                f,
                "$ref '{reference}' at {at} loops or chains more than {} times without reaching a value",
                crate::refs::MAX_REF_HOPS
            ),
            Problem::TooLarge { limit } => write!(
                f,
                "larger than {limit} bytes (raise the limit with --max-input-bytes)"
            ),
            Problem::UnsupportedRef { reference, at } => write!(
                f,
                "unsupported $ref '{reference}' at {at}: only local references into #/components are followed"
            ),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.problem)
    }
}

impl std::error::Error for LoadError {}
