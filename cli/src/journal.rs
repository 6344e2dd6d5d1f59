//! The journal: an append-only JSON Lines file with a `sent` record before
//! each batch goes out and an `answered` record once it is answered, each
//! written and flushed to disk before the run goes on. It holds ids, never
//! validation tokens: a resume reads those again from the input.
//!
//! A journal belongs to one action and one input (`input` is the input's
//! canonical path, `-` for standard input; the same file reached through
//! `..` or a link is the same input): a run with another is refused. A run
//! holds an exclusive lock on its journal, so two runs never share one.
//! A last line cut short by a crash is cut off before the run appends (a
//! whole last record that only lacks its newline gets one), and stderr says
//! so: a record is never glued onto a fragment.
//!
//! ```text
//! {"sent":"<client-request-id>","action":"ACCEPT","input":"/data/in.jsonl","ids":["a","b"]}
//! {"answered":"<client-request-id>","request_id":"…","delivery":"processed","items":[{"id":"a","outcome":"closed","status":200},…]}
//! ```

use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use linkedin_invitations::{BatchSending, BoxError, BulkItem, BulkObserver, InviteeAction};
use serde::{Deserialize, Serialize};

use crate::outcome::Outcome;
use linkedin_invitations::Disposition;

/// What a journal knows of one invitation, from its last record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Known {
    /// Its disposition, as answered.
    Answered(Disposition),
    /// Sent, and no answer recorded (the run was killed), or answered
    /// without saying whether it took effect.
    Unknown,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Entry {
    Sent {
        sent: String,
        action: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        input: Option<String>,
        ids: Vec<String>,
    },
    Answered {
        answered: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
        delivery: String,
        items: Vec<Outcome>,
    },
}

/// What a journal holds, as loaded, and the journal itself, locked.
pub struct Loaded {
    /// What it knows, by id.
    pub known: HashMap<String, Known>,
    /// How its end must be mended before records are appended.
    tail: Tail,
    /// Open for appending, and locked for this run.
    file: File,
}

/// The end of a journal file.
#[derive(Debug, PartialEq, Eq)]
enum Tail {
    /// Empty, or ends with a whole line.
    Whole,
    /// The last record is whole but its newline is missing.
    NoNewline,
    /// The last line is a fragment (a crash mid-write) from this byte on.
    Torn { at: u64, length: u64 },
}

/// Opens (or creates) the journal at `path`, locks it for this run, and
/// reads what it knows, by id, for a run of `action` on `input`. A last
/// line cut short by a crash is not a record (see [`Writer::open`] for its
/// repair); any other unreadable line, a record of another action or
/// input, or a journal another run holds, is an error.
pub fn load(path: &Path, action: InviteeAction, input: &str) -> io::Result<Loaded> {
    let mut known = HashMap::new();
    let invalid = |why: String| io::Error::new(io::ErrorKind::InvalidData, why);
    let file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(invalid(format!(
                "journal {} is in use by another run: wait for it to end, or use another journal",
                path.display()
            )))
        }
        Err(TryLockError::Error(e)) => return Err(e),
    }
    let mut reader = BufReader::new(&file);
    let (mut number, mut at) = (0u64, 0u64);
    let mut line = Vec::new();
    let mut tail = Tail::Whole;
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line)? as u64;
        if read == 0 {
            break;
        }
        number += 1;
        let whole = line.ends_with(b"\n");
        let start = at;
        at += read;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let entry = match serde_json::from_slice::<Entry>(&line) {
            Ok(entry) => {
                if !whole {
                    tail = Tail::NoNewline;
                }
                entry
            }
            // Only the very last line can be a fragment: nothing follows it.
            Err(_) if !whole => {
                tail = Tail::Torn {
                    at: start,
                    length: read,
                };
                break;
            }
            Err(e) => {
                return Err(invalid(format!(
                    "journal {} line {number}: not a journal record ({e})",
                    path.display()
                )))
            }
        };
        match entry {
            Entry::Sent {
                action: recorded,
                input: recorded_input,
                ids,
                ..
            } => {
                if *recorded != action.to_string() {
                    return Err(invalid(format!(
                        "journal {} is the journal of a run that did {} (line {number}); this run \
                         does {}: use another journal",
                        path.display(),
                        recorded.to_ascii_lowercase(),
                        action.to_string().to_ascii_lowercase()
                    )));
                }
                if let Some(recorded) = recorded_input.filter(|r| !same_input(r, input)) {
                    return Err(invalid(format!(
                        "journal {} is the journal of input {recorded} (line {number}); this run \
                         reads {input}: use another journal",
                        path.display()
                    )));
                }
                for id in ids {
                    known.insert(id, Known::Unknown);
                }
            }
            Entry::Answered { items, .. } => {
                for item in items {
                    let state = match item.disposition {
                        Disposition::Unknown => Known::Unknown,
                        disposition => Known::Answered(disposition),
                    };
                    known.insert(item.id, state);
                }
            }
        }
    }
    Ok(Loaded { known, tail, file })
}

/// Whether a journal's `input` and this run's name one input: the same
/// name, or the same file however it is spelled (a journal written before
/// inputs were recorded canonically holds an absolute path).
fn same_input(recorded: &str, input: &str) -> bool {
    recorded == input
        || (recorded != "-"
            && input != "-"
            && crate::paths::same(recorded.as_ref(), input.as_ref()))
}

/// Writes the journal as the bulk run's observer.
pub struct Writer {
    file: Mutex<File>,
    action: InviteeAction,
    input: String,
    /// What the journal knew when the run began: a `409` to an invitation
    /// it listed as unknown is the earlier run's close, journaled as closed.
    known: Arc<HashMap<String, Known>>,
}

impl Writer {
    /// Opens the journal that `loaded` was read from for appending, first
    /// mending its end: a torn last line is cut off (it was never a whole
    /// record: a `sent` record is on disk before its batch goes out), a
    /// whole last record gets its newline. Says so on stderr.
    pub fn open(
        path: &Path,
        loaded: Loaded,
        action: InviteeAction,
        input: &str,
        known: Arc<HashMap<String, Known>>,
    ) -> io::Result<Self> {
        let mut file = loaded.file;
        match loaded.tail {
            Tail::Whole => {}
            Tail::NoNewline => {
                file.write_all(b"\n")?;
                file.sync_data()?;
                eprintln!(
                    "journal {}: its last record had no line end (a crash); added one",
                    path.display()
                );
            }
            Tail::Torn { at, length } => {
                file.set_len(at)?;
                file.sync_data()?;
                eprintln!(
                    "journal {}: removed a torn last line ({length} bytes, a crash while \
                     writing it) before appending",
                    path.display()
                );
            }
        }
        Ok(Self {
            file: Mutex::new(file),
            action,
            input: input.to_owned(),
            known,
        })
    }

    /// Appends one record and waits until it is on disk.
    fn append(&self, entry: &Entry) -> Result<(), BoxError> {
        let mut line = serde_json::to_vec(entry)?;
        line.push(b'\n');
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(&line)?;
        file.sync_data()?;
        Ok(())
    }
}

impl BulkObserver for Writer {
    fn sending(&self, batch: &BatchSending<'_>) -> Result<(), BoxError> {
        self.append(&Entry::Sent {
            sent: batch.client_request_id().to_owned(),
            action: self.action.to_string(),
            input: Some(self.input.clone()),
            ids: batch.ids().to_vec(),
        })
    }

    fn answered(&self, items: &[BulkItem]) -> Result<(), BoxError> {
        let Some(first) = items.first() else {
            return Ok(());
        };
        let batch = first.batch();
        self.append(&Entry::Answered {
            answered: batch.client_request_id().unwrap_or_default().to_owned(),
            request_id: batch.request_id().map(str::to_owned),
            delivery: batch.delivery().as_str().to_owned(),
            items: items
                .iter()
                .map(|i| {
                    let was_unknown = self.known.get(i.id()) == Some(&Known::Unknown);
                    Outcome::of(i, was_unknown).compact()
                })
                .collect(),
        })
    }
}
