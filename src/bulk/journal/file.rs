//! A journal opened for a run: locked, and read from the start.

use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::error::JournalError;
use super::record::Entry;
use super::state::{JournalState, Recorded};
use super::writer::{JournalObserver, Repair};
use crate::bulk::disposition::Disposition;
use crate::InviteeAction;

/// A journal opened for a bulk run of one action on one input: locked, and
/// read. Ask it what it knows ([`state`](Journal::state)), then turn it
/// into the run's observer ([`observer`](Journal::observer)), which appends.
///
/// A journal belongs to one action and one input: opening it for another
/// is refused. The run holds an exclusive lock on it (until the observer is
/// dropped), so two runs never share one.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    action: InviteeAction,
    input: String,
    state: JournalState,
    repair: Option<Repair>,
}

impl Journal {
    /// Opens (or creates) the journal at `path` for a run of `action` on
    /// `input`, locks it, and reads what it knows. `input` names what the
    /// run reads (a file's canonical path, `-` for standard input, or any
    /// name of yours); a journal's input matches when it is the same name
    /// or, both being paths of existing files, the same file (through
    /// `..` or a link).
    ///
    /// # Errors
    ///
    /// [`JournalError`]: the file cannot be opened or read, another run
    /// holds it, a line other than a torn last one is not a record, or a
    /// record is of another action or input.
    pub fn open(
        path: impl AsRef<Path>,
        action: InviteeAction,
        input: &str,
    ) -> Result<Self, JournalError> {
        let path = path.as_ref().to_owned();
        let io = |source| JournalError::Io {
            path: path.clone(),
            source,
        };
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(JournalError::InUse { path }),
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        let mut journal = Self {
            path,
            file,
            action,
            input: input.to_owned(),
            state: JournalState::default(),
            repair: None,
        };
        let (known, repair) = journal.read()?;
        journal.state.known = Arc::new(known);
        journal.repair = repair;
        Ok(journal)
    }

    /// What it knew when opened.
    pub fn state(&self) -> &JournalState {
        &self.state
    }

    /// How its end will be mended before the run appends (a crash cut its
    /// last line short), if it must be.
    pub fn repair(&self) -> Option<Repair> {
        self.repair
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Mends its end (see [`repair`](Journal::repair)) and makes it the
    /// observer of the run: pass it to [`Bulk::observer`](crate::Bulk::observer).
    ///
    /// # Errors
    ///
    /// [`JournalError::Io`]: mending failed.
    pub fn observer(self) -> Result<JournalObserver, JournalError> {
        JournalObserver::new(
            self.path,
            self.file,
            self.repair,
            self.action,
            self.input,
            self.state,
        )
    }

    /// Reads every record, from the start: what it knows by id, and how its
    /// end must be mended.
    fn read(&self) -> Result<(HashMap<String, Recorded>, Option<Repair>), JournalError> {
        let mut known = HashMap::new();
        let mut reader = BufReader::new(&self.file);
        let (mut number, mut at) = (0u64, 0u64);
        let mut line = Vec::new();
        let mut repair = None;
        loop {
            line.clear();
            let read = reader
                .read_until(b'\n', &mut line)
                .map_err(|source| JournalError::Io {
                    path: self.path.clone(),
                    source,
                })? as u64;
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
                        repair = Some(Repair::AddNewline);
                    }
                    entry
                }
                // Only the very last line can be a fragment: nothing follows it.
                Err(_) if !whole => {
                    repair = Some(Repair::CutTornLine {
                        at: start,
                        length: read,
                    });
                    break;
                }
                Err(e) => {
                    return Err(JournalError::NotARecord {
                        path: self.path.clone(),
                        line: number,
                        problem: e.to_string(),
                    })
                }
            };
            self.learn(entry, number, &mut known)?;
        }
        Ok((known, repair))
    }

    /// Adds what record `entry` (line `number`) tells to `known`.
    fn learn(
        &self,
        entry: Entry,
        number: u64,
        known: &mut HashMap<String, Recorded>,
    ) -> Result<(), JournalError> {
        match entry {
            Entry::Sent {
                action, input, ids, ..
            } => {
                if action != self.action.to_string() {
                    return Err(JournalError::OtherAction {
                        path: self.path.clone(),
                        line: number,
                        recorded: action,
                        action: self.action.to_string(),
                    });
                }
                if let Some(recorded) = input.filter(|r| !same_input(r, &self.input)) {
                    return Err(JournalError::OtherInput {
                        path: self.path.clone(),
                        line: number,
                        recorded,
                        input: self.input.clone(),
                    });
                }
                for id in ids {
                    known.insert(id, Recorded::Uncertain);
                }
            }
            Entry::Answered { items, .. } => {
                for item in items {
                    let recorded = match item.outcome {
                        Disposition::Unknown => Recorded::Uncertain,
                        disposition => Recorded::Answered(disposition),
                    };
                    known.insert(item.id, recorded);
                }
            }
        }
        Ok(())
    }
}

/// Whether a journal's `input` and this run's name one input: the same
/// name, or the same existing file however it is spelled (a journal written
/// before inputs were recorded canonically holds an absolute path).
fn same_input(recorded: &str, input: &str) -> bool {
    recorded == input
        || (recorded != "-"
            && input != "-"
            && same_file::is_same_file(recorded, input).unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal_with(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("journal-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// A journal the command wrote before the library kept journals: no
    /// `input`, whole result lines as items, a blank line.
    const OLD: &str = concat!(
        r#"{"sent":"c1","action":"ACCEPT","ids":["a","b","c","d","e"]}"#,
        "\n\n",
        r#"{"answered":"c1","request_id":"r1","delivery":"processed","items":["#,
        r#"{"id":"a","outcome":"closed","status":200,"delivery":"processed","batch":1,"message":"ok"},"#,
        r#"{"id":"b","outcome":"failed","status":404},"#,
        r#"{"id":"c","outcome":"not_applied","error":"service"},"#,
        r#"{"id":"d","outcome":"unknown"}]}"#,
        "\n",
    );

    #[test]
    fn an_old_journal_is_read_settled_uncertain_or_to_send_again() {
        let path = journal_with("old.jsonl", OLD);
        let journal = Journal::open(&path, InviteeAction::Accept, "/any/input").unwrap();
        let state = journal.state();
        assert_eq!(journal.repair(), None);
        assert_eq!(
            state.get("a"),
            Some(Recorded::Answered(Disposition::Closed))
        );
        assert_eq!(
            state.get("b"),
            Some(Recorded::Answered(Disposition::Failed))
        );
        assert_eq!(
            state.get("c"),
            Some(Recorded::Answered(Disposition::NotApplied))
        );
        assert!(
            !state.is_settled("c") && !state.is_uncertain("c"),
            "sent again"
        );
        let mut uncertain: Vec<_> = state.uncertain().collect();
        uncertain.sort_unstable();
        assert_eq!(uncertain, ["d", "e"], "answered unknown, or never answered");
        let mut settled: Vec<_> = state.settled().map(|(id, _)| id).collect();
        settled.sort_unstable();
        assert_eq!(settled, ["a", "b"]);
    }

    #[test]
    fn a_torn_or_unterminated_last_line_is_mended_and_any_other_bad_line_refused() {
        let sent = r#"{"sent":"c1","action":"ACCEPT","ids":["a"]}"#;
        let torn = journal_with("torn.jsonl", &format!("{sent}\n{{\"answered\":\"c"));
        let journal = Journal::open(&torn, InviteeAction::Accept, "-").unwrap();
        let length = "{\"answered\":\"c".len() as u64;
        let at = sent.len() as u64 + 1;
        assert_eq!(journal.repair(), Some(Repair::CutTornLine { at, length }));
        assert!(journal.state().is_uncertain("a"));
        drop(journal.observer().unwrap());
        assert_eq!(std::fs::read_to_string(&torn).unwrap(), format!("{sent}\n"));

        let open = journal_with("open.jsonl", sent);
        let journal = Journal::open(&open, InviteeAction::Accept, "-").unwrap();
        assert_eq!(journal.repair(), Some(Repair::AddNewline));
        drop(journal.observer().unwrap());
        assert_eq!(std::fs::read_to_string(&open).unwrap(), format!("{sent}\n"));

        let bad = journal_with("bad.jsonl", &format!("not a record\n{sent}\n"));
        let error = Journal::open(&bad, InviteeAction::Accept, "-").unwrap_err();
        assert!(
            matches!(error, JournalError::NotARecord { line: 1, .. }),
            "{error}"
        );
    }
}
