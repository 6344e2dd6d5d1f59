//! Values of this crate's result types for your own unit tests (feature
//! `test-util`): code that branches on a [`CloseOutcome`] or an [`Error`] can
//! be tested without a server.
//!
//! They are made by the same code that reads a real answer: a
//! [`ServiceAnswer`] is a status, headers and a body as the service would
//! send them, decoded as the client decodes them. So a `409` in an answer
//! whose delivery is [`Delivery::MaybeProcessed`] reads as
//! [`ClosedBy::EarlierAttempt`](crate::ClosedBy::EarlierAttempt), and a
//! `429` with `Retry-After` has its [`Error::retry_after`], exactly as in
//! production.
//!
//! ```
//! use linkedin_invitations::test_util::ServiceAnswer;
//! use linkedin_invitations::{ErrorKind, InvitationStatus, InviteeAction};
//!
//! let outcome = ServiceAnswer::ok([("inv-1", InvitationStatus::Closed), ("inv-2", InvitationStatus::NotFound)])
//!     .request_id("req-1")
//!     .close(InviteeAction::Accept, ["inv-1", "inv-2", "inv-3"])?;
//! assert_eq!(outcome.failed().count(), 1);
//! assert_eq!(outcome.unreported().collect::<Vec<_>>(), ["inv-3"]);
//!
//! let error = ServiceAnswer::error(429, "TooManyRequests", "slow down")
//!     .header("retry-after", "7")
//!     .close(InviteeAction::Accept, ["inv-1"])
//!     .unwrap_err();
//! assert_eq!(error.kind(), ErrorKind::Service);
//! assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(7)));
//! # Ok::<(), linkedin_invitations::Error>(())
//! ```

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{StatusCode, Version};
use serde_json::json;

use crate::runtime::request::Answer;
use crate::runtime::request_id::ClientRequestId;
use crate::{
    decode, CloseOutcome, Delivery, Error, ErrorKind, InvitationOutcome, InvitationStatus,
    InviteeAction,
};

/// The service's final answer to a call, and what the call's attempts did.
#[derive(Clone, Debug)]
pub struct ServiceAnswer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    attempts: u32,
    delivery: Delivery,
    client_request_id: Option<String>,
}

impl ServiceAnswer {
    /// An answer with any status and body (a gateway's HTML page, a body
    /// the contract does not allow).
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
            attempts: 1,
            delivery: Delivery::Processed,
            client_request_id: None,
        }
    }

    /// A `200` reporting these per-invitation statuses, with the service's
    /// usual messages.
    pub fn ok<I, S>(results: I) -> Self
    where
        I: IntoIterator<Item = (S, InvitationStatus)>,
        S: Into<String>,
    {
        let results: Vec<_> = results
            .into_iter()
            .map(|(id, status)| {
                json!({"id": id.into(), "status": status.code(), "message": status.to_string()})
            })
            .collect();
        let body = json!({"value": {"inviteActionResults": results}});
        Self::new(200, body.to_string()).header("content-type", "application/json")
    }

    /// An error status with the Graph error envelope's code and message.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        let body = json!({"error": {"code": code, "message": message}});
        Self::new(status, body.to_string()).header("content-type", "application/json")
    }

    /// Adds a response header (`request-id`, `retry-after`, `www-authenticate`,
    /// `location`, `x-ms-ags-diagnostic` are read as in a real answer).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the service's `request-id` header.
    pub fn request_id(self, id: &str) -> Self {
        self.header("request-id", id)
    }

    /// How many requests the call sent before this answer came (default 1).
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// What the call's earlier attempts leave known of its delivery (default
    /// [`Delivery::Processed`]; [`Delivery::MaybeProcessed`] after a lost
    /// answer). This answer's own status is added to it, as in a real call.
    pub fn delivery(mut self, delivery: Delivery) -> Self {
        self.delivery = delivery;
        self
    }

    /// The `client-request-id` the call sent (default: a fresh UUID).
    pub fn client_request_id(mut self, id: &str) -> Self {
        self.client_request_id = Some(id.to_owned());
        self
    }

    /// What [`Client::close`](crate::Client::close) returns when a call
    /// asking `action` for `requested` gets this answer.
    ///
    /// # Errors
    ///
    /// The error the client returns for this answer: a `Service` error for
    /// an error status, `UnreadableResponse` for a body or status the
    /// contract does not allow; `Config` when the answer itself cannot be
    /// (a header that is not a header, no attempt, or a delivery of
    /// [`Delivery::NotSent`] for an answered call).
    pub fn close<I, S>(self, action: InviteeAction, requested: I) -> Result<CloseOutcome, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let requested = requested.into_iter().map(Into::into).collect();
        let (answer, client_request_id) = self.into_answer()?;
        decode::outcome(action, requested, answer, client_request_id)
    }

    fn into_answer(self) -> Result<(Answer, ClientRequestId), Error> {
        let invalid = |what: &str| Error::config(format!("not a possible answer: {what}"));
        let status = StatusCode::from_u16(self.status).map_err(|_| invalid("the status"))?;
        if self.attempts == 0 || self.delivery == Delivery::NotSent {
            return Err(invalid("an answered call sent at least one request"));
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let name = HeaderName::try_from(name.as_str()).map_err(|_| invalid(name))?;
            let value = HeaderValue::try_from(value.as_str()).map_err(|_| invalid(value))?;
            headers.append(name, value);
        }
        let client_request_id = match self.client_request_id {
            Some(id) => HeaderValue::try_from(id)
                .ok()
                .as_ref()
                .and_then(ClientRequestId::from_header)
                .ok_or_else(|| invalid("the client-request-id (a UUID)"))?,
            None => ClientRequestId::new(),
        };
        let answer = Answer {
            url: None,
            status,
            version: Version::HTTP_11,
            headers,
            body: self.body.into(),
            attempts: self.attempts,
            delivery: self.delivery.and(Delivery::of_answer(status)),
        };
        Ok((answer, client_request_id))
    }
}

/// One invitation's outcome, as a `200` answer reporting `status` for it
/// reads (its [`InvitationOutcome::already_closed_by`] is
/// [`BeforeThisCall`](crate::ClosedBy::BeforeThisCall); build a whole
/// [`ServiceAnswer`] with [`Delivery::MaybeProcessed`] for the other case).
pub fn invitation_outcome(id: &str, status: InvitationStatus) -> InvitationOutcome {
    let outcome = ServiceAnswer::ok([(id, status)])
        .close(InviteeAction::Accept, [id])
        .expect("a 200 answer with one result decodes");
    outcome.outcomes().next().cloned().expect("one outcome")
}

/// An error that came before any answer: `kind` with the call's delivery
/// and attempts, e.g. `(ErrorKind::Timeout, Delivery::MaybeProcessed, 1)`
/// for an attempt that timed out after its request was sent.
pub fn failure(kind: ErrorKind, summary: &str, delivery: Delivery, attempts: u32) -> Error {
    Error::new(kind, summary).with_call(attempts, delivery, None)
}
