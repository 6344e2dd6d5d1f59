//! What became of one invitation of a bulk run, in the six terms a caller
//! (or a script reading the command's output) branches on.

use serde::{Deserialize, Serialize};

use super::item::{BulkItem, BulkResult};
use crate::{ClosedBy, Delivery, ErrorKind, InvitationStatus};

/// What became of an invitation of a bulk run: [`BulkItem::disposition`].
///
/// Serialized as its [`as_str`](Disposition::as_str) name (`"closed"`,
/// `"already_closed"`, ...), as the journal and the command's output keep it.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Disposition {
    /// Closed by this run, or by an earlier send whose answer was lost (a
    /// `409` to its resend: [`ClosedBy::EarlierAttempt`]).
    Closed,
    /// Closed before, by someone else (`409`).
    AlreadyClosed,
    /// The service refused this invitation (`400`, `403`, `404`, ...):
    /// sending it again will not help.
    Failed,
    /// Its batch failed and nothing took effect: it may be sent again.
    NotApplied,
    /// It may have been closed without an answer saying so; a resend tells
    /// (`409` then means it was).
    #[default]
    Unknown,
    /// Not an invitation: an empty id or token, or an id the run read before.
    Invalid,
}

impl Disposition {
    /// Every disposition, in the order above.
    pub const ALL: [Disposition; 6] = [
        Self::Closed,
        Self::AlreadyClosed,
        Self::Failed,
        Self::NotApplied,
        Self::Unknown,
        Self::Invalid,
    ];

    /// Its name: `closed`, `already_closed`, `failed`, `not_applied`,
    /// `unknown`, `invalid`.
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

    /// Whether the invitation ends closed, by this run or before.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Closed | Self::AlreadyClosed)
    }
}

impl std::fmt::Display for Disposition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl BulkItem {
    /// What became of it, as far as this run knows: see [`Disposition`].
    /// A run that resumes an earlier one knows more:
    /// [`disposition_resumed`](BulkItem::disposition_resumed).
    pub fn disposition(&self) -> Disposition {
        self.classify(false).0
    }

    /// What became of it, given whether an earlier run left it uncertain
    /// (sent without an answer saying whether it took effect; a journal
    /// tells: [`JournalState::is_uncertain`](super::JournalState::is_uncertain)).
    /// A `409` to such an invitation is that run's close: [`Disposition::Closed`].
    pub fn disposition_resumed(&self, uncertain_before: bool) -> Disposition {
        self.classify(uncertain_before).0
    }

    /// Whether it is [`Disposition::Closed`] by a `409` that settled an
    /// uncertain send (an earlier attempt of its batch, or an earlier run's
    /// when `uncertain_before`), not by a plain close.
    pub fn is_reconciled(&self, uncertain_before: bool) -> bool {
        self.classify(uncertain_before).1
    }

    /// The disposition, and whether a `409` settled an uncertain send.
    fn classify(&self, uncertain_before: bool) -> (Disposition, bool) {
        match &self.result {
            BulkResult::Reported(reported) => {
                let earlier = reported.already_closed_by() == Some(ClosedBy::EarlierAttempt);
                match reported.status() {
                    InvitationStatus::AlreadyClosed if earlier || uncertain_before => {
                        (Disposition::Closed, true)
                    }
                    _ if reported.closed_by_this_call() => (Disposition::Closed, false),
                    InvitationStatus::AlreadyClosed => (Disposition::AlreadyClosed, false),
                    _ => (Disposition::Failed, false),
                }
            }
            BulkResult::Unreported => (Disposition::Unknown, false),
            BulkResult::Failed(error) => match error.delivery() {
                Delivery::MaybeProcessed => (Disposition::Unknown, false),
                _ if error.kind() == ErrorKind::InvalidInput => (Disposition::Invalid, false),
                _ => (Disposition::NotApplied, false),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use reqwest::{StatusCode, Version};

    use super::*;
    use crate::bulk::BatchInfo;
    use crate::runtime::request::Answer;
    use crate::runtime::request_id::ClientRequestId;
    use crate::{Error, InviteeAction};

    fn item(result: BulkResult) -> BulkItem {
        BulkItem {
            id: "inv-1".into(),
            tracking_id: None,
            result,
            batch: Arc::new(BatchInfo {
                number: 1,
                client_request_id: None,
                request_id: None,
                attempts: 1,
                throttled: 0,
                delivery: Delivery::Processed,
            }),
        }
    }

    /// `inv-1` reported with `status` in a `200` whose call's delivery is
    /// `delivery` (`MaybeProcessed`: an earlier attempt's answer was lost).
    fn reported(status: i32, delivery: Delivery) -> BulkItem {
        let body = serde_json::json!({"value": {"inviteActionResults": [{"id": "inv-1", "status": status}]}});
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("content-type", "application/json".parse().unwrap());
        let answer = Answer {
            url: None,
            status: StatusCode::OK,
            version: Version::HTTP_11,
            headers,
            body: body.to_string().into(),
            attempts: 1,
            delivery,
        };
        let requested = vec!["inv-1".to_owned()];
        let outcome = crate::decode::outcome(
            InviteeAction::Accept,
            requested,
            answer,
            ClientRequestId::new(),
        )
        .unwrap();
        item(BulkResult::Reported(
            outcome.outcomes().next().unwrap().clone(),
        ))
    }

    fn failed(kind: ErrorKind, delivery: Delivery) -> BulkItem {
        item(BulkResult::Failed(
            Error::new(kind, "the batch failed").with_call(1, delivery, None),
        ))
    }

    /// Every case: (item, disposition now, after an uncertain earlier send,
    /// reconciled now, reconciled after).
    #[test]
    fn every_result_has_the_commands_disposition_and_a_409_after_an_uncertain_send_is_ours() {
        use Disposition::*;
        let cases = [
            (
                "200",
                reported(200, Delivery::Processed),
                Closed,
                Closed,
                false,
                false,
            ),
            (
                "200 after a lost answer",
                reported(200, Delivery::MaybeProcessed),
                Closed,
                Closed,
                false,
                false,
            ),
            (
                "409 before this call",
                reported(409, Delivery::Processed),
                AlreadyClosed,
                Closed,
                false,
                true,
            ),
            (
                "409 after a lost answer",
                reported(409, Delivery::MaybeProcessed),
                Closed,
                Closed,
                true,
                true,
            ),
            (
                "400",
                reported(400, Delivery::Processed),
                Failed,
                Failed,
                false,
                false,
            ),
            (
                "403",
                reported(403, Delivery::Processed),
                Failed,
                Failed,
                false,
                false,
            ),
            (
                "404",
                reported(404, Delivery::Processed),
                Failed,
                Failed,
                false,
                false,
            ),
            (
                "404 after a lost answer",
                reported(404, Delivery::MaybeProcessed),
                Failed,
                Failed,
                false,
                false,
            ),
            (
                "an unknown status",
                reported(418, Delivery::Processed),
                Failed,
                Failed,
                false,
                false,
            ),
            (
                "unreported",
                item(BulkResult::Unreported),
                Unknown,
                Unknown,
                false,
                false,
            ),
            (
                "lost answer",
                failed(ErrorKind::Timeout, Delivery::MaybeProcessed),
                Unknown,
                Unknown,
                false,
                false,
            ),
            (
                "refused unprocessed",
                failed(ErrorKind::Service, Delivery::Processed),
                NotApplied,
                NotApplied,
                false,
                false,
            ),
            (
                "never sent",
                failed(ErrorKind::Connect, Delivery::NotSent),
                NotApplied,
                NotApplied,
                false,
                false,
            ),
            (
                "stopped",
                failed(ErrorKind::Stopped, Delivery::NotSent),
                NotApplied,
                NotApplied,
                false,
                false,
            ),
            (
                "invalid input",
                failed(ErrorKind::InvalidInput, Delivery::NotSent),
                Invalid,
                Invalid,
                false,
                false,
            ),
        ];
        for (case, item, now, resumed, reconciled_now, reconciled_resumed) in cases {
            assert_eq!(item.disposition(), now, "{case}");
            assert_eq!(item.disposition_resumed(false), now, "{case}");
            assert_eq!(item.disposition_resumed(true), resumed, "{case}, resumed");
            assert_eq!(item.is_reconciled(false), reconciled_now, "{case}");
            assert_eq!(
                item.is_reconciled(true),
                reconciled_resumed,
                "{case}, resumed"
            );
        }
    }

    #[test]
    fn a_disposition_is_named_and_serialized_as_the_command_names_it() {
        let names = [
            "closed",
            "already_closed",
            "failed",
            "not_applied",
            "unknown",
            "invalid",
        ];
        for (disposition, name) in Disposition::ALL.into_iter().zip(names) {
            assert_eq!(disposition.as_str(), name);
            assert_eq!(disposition.to_string(), name);
            assert_eq!(serde_json::to_value(disposition).unwrap(), name);
            let read: Disposition = serde_json::from_value(name.into()).unwrap();
            assert_eq!(read, disposition);
        }
        let closed: Vec<_> = Disposition::ALL
            .into_iter()
            .filter(|d| d.is_closed())
            .collect();
        assert_eq!(closed, [Disposition::Closed, Disposition::AlreadyClosed]);
    }
}
