//! One invitation's result as the command reports it (a line of output) and
//! as the journal keeps it.

use linkedin_invitations::{BulkItem, BulkResult, Disposition};
use serde::{Deserialize, Serialize};

/// A line of output, or an item of a journal record.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Outcome {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(rename = "outcome")]
    pub disposition: Disposition,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_journal: bool,
    /// Closed, as told by a `409` to a resend of a send whose answer was
    /// lost (an earlier attempt, or an earlier run's `unknown`): not a
    /// plain close.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reconciled: bool,
}

impl Outcome {
    /// The outcome of a bulk item. `was_unknown`: an earlier run left it
    /// unknown, so a `409` now means that run closed it.
    pub fn of(item: &BulkItem, was_unknown: bool) -> Self {
        let batch = item.batch();
        let mut outcome = Self {
            id: item.id().to_owned(),
            delivery: Some(batch.delivery().as_str().to_owned()),
            batch: Some(batch.number()),
            client_request_id: batch.client_request_id().map(str::to_owned),
            request_id: batch.request_id().map(str::to_owned),
            tracking_id: item.tracking_id().map(str::to_owned),
            ..Self::default()
        };
        outcome.disposition = item.disposition_resumed(was_unknown);
        outcome.reconciled = item.is_reconciled(was_unknown);
        match item.result() {
            BulkResult::Reported(reported) => {
                outcome.status = Some(reported.status().code());
                outcome.message = reported.message().map(str::to_owned);
            }
            BulkResult::Failed(error) => {
                outcome.error = Some(error.kind().as_str().to_owned());
                outcome.status = error.status().map(|s| i32::from(s.as_u16()));
                outcome.message = Some(error.to_string());
            }
            _ => {}
        }
        outcome
    }

    /// The fields a journal keeps of an item.
    pub fn compact(self) -> Self {
        Self {
            id: self.id,
            disposition: self.disposition,
            status: self.status,
            error: self.error,
            reconciled: self.reconciled,
            ..Self::default()
        }
    }
}
