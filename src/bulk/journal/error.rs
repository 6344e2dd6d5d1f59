//! Why a journal cannot be opened for a run.

use std::path::PathBuf;

/// Why a [`Journal`](crate::bulk::Journal) cannot be opened, read or mended.
/// Its message names the journal and says what to do.
#[derive(Debug)]
#[non_exhaustive]
pub enum JournalError {
    /// Opening, reading, locking or writing the file failed.
    Io {
        /// The journal.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Another run (or process) holds the journal's lock.
    InUse {
        /// The journal.
        path: PathBuf,
    },
    /// A line that is not a journal record (only a last line cut short by
    /// a crash is forgiven).
    NotARecord {
        /// The journal.
        path: PathBuf,
        /// The line's number, from 1.
        line: u64,
        /// What is wrong with it.
        problem: String,
    },
    /// The journal is of a run of another action.
    OtherAction {
        /// The journal.
        path: PathBuf,
        /// The line's number, from 1.
        line: u64,
        /// The action it records, as the wire names it (`ACCEPT`).
        recorded: String,
        /// The action of this run, as the wire names it.
        action: String,
    },
    /// The journal is of a run on another input.
    OtherInput {
        /// The journal.
        path: PathBuf,
        /// The line's number, from 1.
        line: u64,
        /// The input it records.
        recorded: String,
        /// The input of this run.
        input: String,
    },
}

impl std::fmt::Display for JournalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Io { path, source } => write!(f, "journal {}: {source}", path.display()),
            Self::InUse { path } => write!(
                f,
                "journal {} is in use by another run: wait for it to end, or use another journal",
                path.display()
            ),
            Self::NotARecord {
                path,
                line,
                problem,
            } => write!(
                f,
                "journal {} line {line}: not a journal record ({problem})",
                path.display()
            ),
            Self::OtherAction {
                path,
                line,
                recorded,
                action,
            } => write!(
                f,
                "journal {} is the journal of a run that did {} (line {line}); this run does {}: \
                 use another journal",
                path.display(),
                recorded.to_ascii_lowercase(),
                action.to_ascii_lowercase()
            ),
            Self::OtherInput {
                path,
                line,
                recorded,
                input,
            } => write!(
                f,
                "journal {} is the journal of input {recorded} (line {line}); this run reads \
                 {input}: use another journal",
                path.display()
            ),
        }
    }
}

impl std::error::Error for JournalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
