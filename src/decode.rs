//! What the service's answer says, read with the generated types: a
//! [`CloseOutcome`] from a `200`, a typed [`Error`] from anything else.

use crate::client::ClientRequestId;
use crate::generated::types;
use crate::pipeline::Answer;
use crate::{CloseOutcome, Delivery, Error, ErrorKind, InviteeAction};

/// The outcome of a call whose request named `requested`.
pub(crate) fn outcome(
    action: InviteeAction,
    requested: Vec<String>,
    answer: Answer,
    client_request_id: ClientRequestId,
) -> Result<CloseOutcome, Error> {
    let failed = |error: Error, delivery: Delivery| {
        let id = Some(client_request_id.as_str());
        Err(error.with_call(answer.attempts, delivery, id))
    };
    match answer.status.as_u16() {
        200 => {
            match serde_json::from_slice::<types::InviteeClosingInvitationResponse>(&answer.body) {
                Ok(value) => Ok(CloseOutcome::new(
                    action,
                    requested,
                    value.value.invite_action_results,
                    &answer,
                    client_request_id,
                )),
                // The request was processed; what became of it is unreadable.
                Err(cause) => failed(
                    unreadable(&answer, "the response body is not what the contract says")
                        .with_source(cause),
                    answer.delivery.and(Delivery::MaybeProcessed),
                ),
            }
        }
        400..=599 => failed(service_error(&answer).0, answer.delivery),
        other => failed(
            unreadable(
                &answer,
                &format!("the service answered with an undocumented status {other}"),
            ),
            // Not an answer the contract allows: what became of it is unknown.
            answer.delivery.and(Delivery::MaybeProcessed),
        ),
    }
}

fn unreadable(answer: &Answer, summary: &str) -> Error {
    Error::new(ErrorKind::UnreadableResponse, summary)
        .with_answer(answer.status, &answer.headers)
        .with_body_excerpt(&answer.body)
}

/// The service error an error status is, and whether its body was the Graph
/// error envelope. A body that is not (a gateway's HTML page) is still a
/// service error, with no code and the body's start kept.
pub(crate) fn service_error(answer: &Answer) -> (Error, bool) {
    let error = Error::new(ErrorKind::Service, "the service answered with an error")
        .with_answer(answer.status, &answer.headers);
    match serde_json::from_slice::<types::ODataError>(&answer.body) {
        Ok(envelope) => (from_envelope(error, envelope.error), true),
        Err(_) => (error.with_body_excerpt(&answer.body), false),
    }
}

/// Adds the envelope's code, message, `request-id` and date (spelled `date`
/// or `Date`).
pub(crate) fn from_envelope(error: Error, envelope: types::MainError) -> Error {
    let inner = envelope.inner_error;
    let (request_id, date) = match inner {
        Some(mut inner) => {
            let date = inner
                .date
                .take()
                .or_else(|| match inner.extra.remove("Date") {
                    Some(serde_json::Value::String(date)) => Some(date),
                    _ => None,
                });
            (inner.request_id, date)
        }
        None => (None, None),
    };
    error.with_envelope(envelope.code, envelope.message, request_id, date)
}
