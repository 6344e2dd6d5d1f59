//! What the service's answer says, read with the generated types: a
//! [`CloseOutcome`] from a `200`, a typed [`Error`] from anything else.

use crate::generated::types;
use crate::runtime::request::Answer;
use crate::runtime::request_id::ClientRequestId;
use crate::{CloseOutcome, Delivery, Error, ErrorKind, InvitationOutcome, InviteeAction};

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
            match serde_json::from_slice::<Results>(&answer.body) {
                Ok(results) => Ok(CloseOutcome::new(
                    action,
                    requested,
                    results.value.invite_action_results,
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

/// A `200` body as the facade reads it: the contract's
/// `InviteeClosingInvitationResponse`, each item read with the generated
/// type and kept as an outcome at once (one pass, no second list), less the
/// OData annotations (`@odata.context`, `@odata.type`) that no outcome
/// exposes: skipping them instead of copying them into strings is a third of
/// what decoding a one-item answer costs.
#[derive(serde::Deserialize)]
struct Results {
    value: ResultList,
}

#[derive(serde::Deserialize)]
struct ResultList {
    #[serde(rename = "inviteActionResults", default, deserialize_with = "outcomes")]
    invite_action_results: Vec<InvitationOutcome>,
}

fn outcomes<'de, D>(deserializer: D) -> Result<Vec<InvitationOutcome>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Items;

    impl<'de> serde::de::Visitor<'de> for Items {
        type Value = Vec<InvitationOutcome>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of invitation results")
        }

        fn visit_seq<A>(self, mut items: A) -> Result<Self::Value, A::Error>
        where
            A: serde::de::SeqAccess<'de>,
        {
            let mut outcomes = Vec::new();
            while let Some(item) = items.next_element::<types::InviteActionStatus>()? {
                outcomes.push(item.into());
            }
            Ok(outcomes)
        }
    }

    deserializer.deserialize_seq(Items)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The facade's reading of a `200` names the document's properties as
    /// the generated response type does: a body that type writes is read
    /// back item for item.
    #[test]
    fn the_facade_reads_what_the_generated_response_type_writes() {
        let mut results = types::InviteActionResults::new();
        results.invite_action_results =
            vec![types::InviteActionStatus::new("inv-1".into(), 200), {
                let mut item = types::InviteActionStatus::new("inv-2".into(), 404);
                item.message = Some("not found".into());
                item
            }];
        let written = serde_json::to_vec(&types::InviteeClosingInvitationResponse::new(
            results.clone(),
        ))
        .unwrap();
        let read: Results = serde_json::from_slice(&written).unwrap();
        let read: Vec<(String, i32, Option<String>)> = read
            .value
            .invite_action_results
            .iter()
            .map(|o| {
                (
                    o.id().to_owned(),
                    o.status().code(),
                    o.message().map(str::to_owned),
                )
            })
            .collect();
        let expected: Vec<(String, i32, Option<String>)> = results
            .invite_action_results
            .into_iter()
            .map(|i| (i.id, i.status, i.message))
            .collect();
        assert_eq!(read, expected);
    }
}
