//! The journal as a bulk run's observer: a record appended, and on disk,
//! before each batch goes out and once it is answered.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use super::error::JournalError;
use super::record::{Entry, Item};
use super::state::JournalState;
use crate::bulk::item::{BatchSending, BulkItem};
use crate::bulk::observer::{BoxError, BulkObserver};
use crate::InviteeAction;

/// How the end of a journal is mended before a run appends to it: a crash
/// mid-write leaves a torn last line, or a whole last record without its
/// newline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Repair {
    /// The last record gets its missing newline.
    AddNewline,
    /// The torn last line (never a whole record: a `sent` record is on disk
    /// before its batch goes out) is cut off.
    CutTornLine {
        /// Where it starts.
        at: u64,
        /// Its length in bytes.
        length: u64,
    },
}

impl std::fmt::Display for Repair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AddNewline => f.write_str("its last record had no line end (a crash); added one"),
            Self::CutTornLine { length, .. } => write!(
                f,
                "removed a torn last line ({length} bytes, a crash while writing it) before \
                 appending"
            ),
        }
    }
}

/// Writes a [`Journal`](super::Journal) as the observer of a bulk run
/// ([`Bulk::observer`](crate::Bulk::observer)); get one from
/// [`Journal::observer`](super::Journal::observer). Each record is flushed to disk (`fdatasync`)
/// before the run goes on: a `sent` record before its batch goes out, an
/// `answered` one before its items are yielded. A failed write stops the run.
///
/// An invitation the journal listed as uncertain and now answered `409` is
/// recorded [`Closed`](crate::bulk::Disposition::Closed) (the earlier send
/// closed it), with `"reconciled": true`.
#[derive(Debug)]
pub struct JournalObserver {
    file: Mutex<File>,
    action: InviteeAction,
    input: String,
    state: JournalState,
}

impl JournalObserver {
    /// Mends the end of `file` as `repair` says, then appends to it.
    pub(super) fn new(
        path: PathBuf,
        mut file: File,
        repair: Option<Repair>,
        action: InviteeAction,
        input: String,
        state: JournalState,
    ) -> Result<Self, JournalError> {
        let mended = match repair {
            None => Ok(()),
            Some(Repair::AddNewline) => file.write_all(b"\n"),
            Some(Repair::CutTornLine { at, .. }) => file.set_len(at),
        };
        mended
            .and_then(|()| match repair {
                Some(_) => file.sync_data(),
                None => Ok(()),
            })
            .map_err(|source| JournalError::Io { path, source })?;
        Ok(Self {
            file: Mutex::new(file),
            action,
            input,
            state,
        })
    }

    /// Appends one record and waits until it is on disk.
    fn append(&self, entry: &Entry) -> Result<(), BoxError> {
        let mut line = serde_json::to_vec(entry)?;
        line.push(b'\n');
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        file.write_all(&line)?;
        file.sync_data()?;
        Ok(())
    }
}

impl BulkObserver for JournalObserver {
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
                .map(|i| Item::of(i, self.state.is_uncertain(i.id())))
                .collect(),
        })
    }
}
