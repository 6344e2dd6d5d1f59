//! Whether a call's request reached the service, over every attempt of the
//! call: what a caller of this non-idempotent POST needs to know to decide
//! whether to send it again.

use std::fmt;

use reqwest::StatusCode;

/// What this client knows about whether a call took effect, across all of
/// its attempts (retries and redirects included).
///
/// The variants are ordered: a call's delivery only ever moves forward, from
/// `NotSent` to `Processed` to `MaybeProcessed`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Delivery {
    /// No request left this client (invalid input or configuration, no
    /// token, no connection), or the service refused every one unprocessed
    /// (HTTP/2 `REFUSED_STREAM`): nothing took effect, so it is safe to resend.
    #[default]
    NotSent,
    /// Every request that left this client was answered by the service, so the
    /// answer is the whole truth: an error status means nothing took effect,
    /// a `200` carries each invitation's result.
    Processed,
    /// At least one request may have been applied without this client learning
    /// its result: it timed out or its connection broke after it was sent, a
    /// gateway answered `500`/`502`/`504`, the service answered `303 See
    /// Other` (its answer to a POST it processed), or a `200` answer was cut
    /// short or unreadable. The invitations may be closed; on a resend, `409` (already
    /// closed) is then most likely this call's own doing.
    MaybeProcessed,
}

impl Delivery {
    /// Whether any request of the call may have reached the service.
    pub fn may_have_been_sent(self) -> bool {
        self != Self::NotSent
    }

    /// Whether the call may have taken effect without the caller knowing.
    pub fn is_uncertain(self) -> bool {
        self == Self::MaybeProcessed
    }

    /// What an answer with `status` says of the request it answers: whether
    /// the service (or a gateway in front of it) may have applied it while
    /// the answer says nothing of the result.
    pub(crate) fn of_answer(status: StatusCode) -> Self {
        match status.as_u16() {
            // See Other: the answer to a POST that was processed, its result
            // elsewhere (RFC 9110 §15.4.4). Not followed, so unknown here.
            303 => Self::MaybeProcessed,
            // Not implemented, unavailable (throttled), wrong version,
            // bandwidth exceeded: refused before any processing.
            501 | 503 | 505 | 509 => Self::Processed,
            // A gateway's timeout or failure, or the service failing midway.
            500..=599 => Self::MaybeProcessed,
            _ => Self::Processed,
        }
    }

    /// The delivery of a call that was `self` and then saw `other`.
    pub(crate) fn and(self, other: Self) -> Self {
        self.max(other)
    }

    /// The word used in logs and span fields.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotSent => "not_sent",
            Self::Processed => "processed",
            Self::MaybeProcessed => "maybe_processed",
        }
    }
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateway_failures_may_hide_an_effect_and_refusals_do_not() {
        for code in [303, 500, 502, 504, 507] {
            let status = StatusCode::from_u16(code).unwrap();
            assert_eq!(
                Delivery::of_answer(status),
                Delivery::MaybeProcessed,
                "{code}"
            );
        }
        for code in [200, 301, 302, 307, 308, 400, 401, 404, 409, 429, 501, 503] {
            let status = StatusCode::from_u16(code).unwrap();
            assert_eq!(Delivery::of_answer(status), Delivery::Processed, "{code}");
        }
    }

    #[test]
    fn an_uncertain_attempt_is_never_forgotten_by_later_answers() {
        let call = Delivery::NotSent
            .and(Delivery::MaybeProcessed)
            .and(Delivery::Processed)
            .and(Delivery::NotSent);
        assert_eq!(call, Delivery::MaybeProcessed);
        assert!(!Delivery::NotSent.may_have_been_sent());
        assert!(Delivery::Processed.may_have_been_sent());
    }
}
