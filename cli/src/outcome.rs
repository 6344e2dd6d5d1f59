//! One invitation's result as the command reports it: a line of output.

use linkedin_invitations::{BulkItem, BulkResult, Disposition};
use serde::Serialize;

/// A line of output.
#[derive(Debug, Default, Serialize)]
pub struct Outcome {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(rename = "outcome")]
    pub disposition: Disposition,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub from_journal: bool,
    /// Closed, as told by a `409` to a resend of a send whose answer was
    /// lost (an earlier attempt, or an earlier run's `unknown`): not a
    /// plain close.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
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
}
