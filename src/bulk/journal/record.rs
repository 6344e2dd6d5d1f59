//! A journal's lines, as written and read: one JSON object a line.

use serde::{Deserialize, Serialize};

use crate::bulk::disposition::Disposition;
use crate::bulk::item::{BulkItem, BulkResult};

/// One line of a journal: a batch about to be sent, or its answer.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
pub(super) enum Entry {
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
        items: Vec<Item>,
    },
}

/// What an `answered` record keeps of an invitation. Other fields (a
/// journal the command wrote with its whole result lines) are ignored.
#[derive(Serialize, Deserialize)]
pub(super) struct Item {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) id: String,
    pub(super) outcome: Disposition,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// Closed, as told by a `409` to a resend of a send whose answer was
    /// lost: not a plain close.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    reconciled: bool,
}

impl Item {
    /// The record of `item`; `uncertain_before`: the journal listed it as
    /// uncertain when the run began.
    pub(super) fn of(item: &BulkItem, uncertain_before: bool) -> Self {
        let (status, error) = match item.result() {
            BulkResult::Reported(reported) => (Some(reported.status().code()), None),
            BulkResult::Unreported => (None, None),
            BulkResult::Failed(error) => (
                error.status().map(|s| i32::from(s.as_u16())),
                Some(error.kind().as_str().to_owned()),
            ),
        };
        Self {
            id: item.id().to_owned(),
            outcome: item.disposition_resumed(uncertain_before),
            status,
            error,
            reconciled: item.is_reconciled(uncertain_before),
        }
    }
}
