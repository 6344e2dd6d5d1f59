//! One invitation's result as the command reports it (a line of output) and
//! as the journal keeps it.

use linkedin_invitations::{BulkItem, BulkResult, ClosedBy, Delivery, ErrorKind, InvitationStatus};
use serde::{Deserialize, Serialize};

/// What became of an invitation, in the terms a script branches on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Closed by this run (or by an earlier run whose answer was lost).
    Closed,
    /// Closed before, by someone else (`409`).
    AlreadyClosed,
    /// The service refused this invitation (`403`, `404`, ...): sending it
    /// again will not help.
    Failed,
    /// Its batch failed and nothing took effect: it may be sent again.
    NotApplied,
    /// It may have been closed without an answer saying so.
    #[default]
    Unknown,
    /// The input record is not an invitation.
    Invalid,
}

impl Verdict {
    pub const ALL: [Verdict; 6] = [
        Self::Closed,
        Self::AlreadyClosed,
        Self::Failed,
        Self::NotApplied,
        Self::Unknown,
        Self::Invalid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Closed => "closed",
            Self::AlreadyClosed => "already_closed",
            Self::Failed => "failed",
            Self::NotApplied => "not_applied",
            Self::Unknown => "unknown",
            Self::Invalid => "invalid",
        }
    }

    /// Whether the invitation ends closed.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Closed | Self::AlreadyClosed)
    }
}

/// A line of output, or an item of a journal record.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Outcome {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(rename = "outcome")]
    pub verdict: Verdict,
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
        outcome.verdict = match item.result() {
            BulkResult::Reported(reported) => {
                outcome.status = Some(reported.status().code());
                outcome.message = reported.message().map(str::to_owned);
                let earlier = reported.already_closed_by() == Some(ClosedBy::EarlierAttempt);
                match reported.status() {
                    InvitationStatus::AlreadyClosed if earlier || was_unknown => {
                        outcome.reconciled = true;
                        Verdict::Closed
                    }
                    _ if reported.closed_by_this_call() => Verdict::Closed,
                    InvitationStatus::AlreadyClosed => Verdict::AlreadyClosed,
                    _ => Verdict::Failed,
                }
            }
            BulkResult::Unreported => Verdict::Unknown,
            BulkResult::Failed(error) => {
                outcome.error = Some(error.kind().as_str().to_owned());
                outcome.status = error.status().map(|s| i32::from(s.as_u16()));
                outcome.message = Some(error.to_string());
                match error.delivery() {
                    Delivery::MaybeProcessed => Verdict::Unknown,
                    _ if error.kind() == ErrorKind::InvalidInput => Verdict::Invalid,
                    _ => Verdict::NotApplied,
                }
            }
            _ => Verdict::Unknown,
        };
        outcome
    }

    /// The fields a journal keeps of an item.
    pub fn compact(self) -> Self {
        Self {
            id: self.id,
            verdict: self.verdict,
            status: self.status,
            error: self.error,
            reconciled: self.reconciled,
            ..Self::default()
        }
    }
}
