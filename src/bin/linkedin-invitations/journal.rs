//! The journal: an append-only JSON Lines file with a `sent` record before
//! each batch goes out and an `answered` record once it is answered, each
//! written and flushed to disk before the run goes on. It holds ids, never
//! validation tokens: a resume reads those again from the input.
//!
//! ```text
//! {"sent":"<client-request-id>","action":"ACCEPT","ids":["a","b"]}
//! {"answered":"<client-request-id>","request_id":"…","delivery":"processed","items":[{"id":"a","outcome":"closed","status":200},…]}
//! ```

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::sync::Mutex;

use linkedin_invitations::{BatchSending, BoxError, BulkItem, BulkObserver, InviteeAction};
use serde::{Deserialize, Serialize};

use crate::outcome::{Outcome, Verdict};

/// What a journal knows of one invitation, from its last record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Known {
    /// Its verdict, as answered.
    Answered(Verdict),
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

/// Reads what a journal knows, by id. A last line cut short by a crash is
/// ignored; any other unreadable line is an error.
pub fn load(path: &Path) -> io::Result<HashMap<String, Known>> {
    let mut known = HashMap::new();
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(known),
        Err(e) => return Err(e),
    };
    let mut lines = BufReader::new(file).lines().zip(1u64..).peekable();
    while let Some((text, number)) = lines.next() {
        let text = text?;
        if text.trim().is_empty() {
            continue;
        }
        let entry = match serde_json::from_str::<Entry>(&text) {
            Ok(entry) => entry,
            Err(_) if lines.peek().is_none() => break,
            Err(e) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "journal {} line {number}: not a journal record ({e})",
                        path.display()
                    ),
                ))
            }
        };
        match entry {
            Entry::Sent { ids, .. } => {
                for id in ids {
                    known.insert(id, Known::Unknown);
                }
            }
            Entry::Answered { items, .. } => {
                for item in items {
                    let state = match item.verdict {
                        Verdict::Unknown => Known::Unknown,
                        verdict => Known::Answered(verdict),
                    };
                    known.insert(item.id, state);
                }
            }
        }
    }
    Ok(known)
}

/// Writes the journal as the bulk run's observer.
pub struct Writer {
    file: Mutex<File>,
    action: InviteeAction,
}

impl Writer {
    pub fn open(path: &Path, action: InviteeAction) -> io::Result<Self> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Self {
            file: Mutex::new(file),
            action,
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
                .map(|i| Outcome::of(i, false).compact())
                .collect(),
        })
    }
}
