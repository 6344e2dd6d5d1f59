//! The generated client's hooks: a thin adapter that hands each request
//! the generated client built, whole, to the runtime the facade uses, and
//! the way back from its untyped errors to the crate's [`Error`].
//!
//! progenitor 0.15's `exec` hook can fail only with a `reqwest::Error`, and
//! its answer is a `reqwest::Response`: a typed [`Error`] travels as the
//! source of a `reqwest::Error` (`carry`, taken out again by `Error::from`),
//! and what the call did across its attempts as one header
//! ([`CALL_RECORD_HEADER`]). Both carriers live here and nowhere else.

use std::borrow::Cow;

use bytes::Bytes;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Request, Response};

use crate::generated::types;
use crate::runtime::request::{Answer, CallOptions, Outgoing};
use crate::runtime::request_id::{ClientRequestId, CLIENT_REQUEST_ID};
use crate::{decode, ClosedBy, Delivery, Error, ErrorKind, InvitationOutcome};

/// The generated client's error type.
pub type GeneratedError = progenitor_client::Error<types::ODataError>;

impl ClientHooks<crate::Pipeline> for crate::generated::Client {
    async fn exec(&self, request: Request, _info: &OperationInfo) -> reqwest::Result<Response> {
        let outgoing = match outgoing(request) {
            Ok(outgoing) => outgoing,
            Err(error) => return Err(carry(error).await),
        };
        let client_request_id = outgoing.client_request_id;
        let pipeline = self.inner();
        match pipeline
            .send(self.client(), outgoing, CallOptions::default())
            .await
        {
            Ok(answer) => match typed_failure(&answer, &client_request_id) {
                Some(error) => Err(carry(error).await),
                None => Ok(into_response(answer)),
            },
            Err(error) => Err(carry(error).await),
        }
    }
}

/// `text` parsed as a URL, once per thread for the same text: progenitor
/// formats each operation's URL as a string, and reqwest would parse it
/// again on every call (about 8,000 instructions, a tenth of a call's cost).
/// The generated `send()` calls it (`build/shape.rs`).
// The error is the generated `send()`'s own, whatever its size.
#[allow(clippy::result_large_err)]
pub(crate) fn parsed_url<E>(text: String) -> Result<reqwest::Url, progenitor_client::Error<E>> {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(String, reqwest::Url)>> =
            const { std::cell::RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((parsed, url)) = last.as_ref() {
            if *parsed == text {
                return Ok(url.clone());
            }
        }
        let url = reqwest::Url::parse(&text).map_err(|e| {
            progenitor_client::Error::InvalidRequest(format!("invalid URL {text:?}: {e}"))
        })?;
        *last = Some((text, url.clone()));
        Ok(url)
    })
}

/// The runtime's request for one the generated client built: its method,
/// URL, headers and body as the document says (`build/shape.rs` keeps
/// progenitor's `api-version`, which Graph does not know, out of it). A
/// `client-request-id` it carries (a header parameter of the document) is
/// the call's; otherwise the call gets a fresh one.
fn outgoing(mut request: Request) -> Result<Outgoing<'static>, Error> {
    let client_request_id = match request.headers().get(CLIENT_REQUEST_ID) {
        None => ClientRequestId::new(),
        Some(value) => ClientRequestId::from_header(value)
            .ok_or_else(|| Error::invalid_input(CLIENT_REQUEST_ID.as_str(), "is not a UUID"))?,
    };
    let body = in_memory(request.body_mut().take())?;
    let method = request.method().clone();
    let headers = std::mem::take(request.headers_mut());
    let url = request.url().clone();
    Ok(Outgoing {
        method,
        url: Cow::Owned(url),
        headers,
        body,
        client_request_id,
    })
}

/// The bytes of a generated request's body, the same bytes, not a copy:
/// reqwest hands an in-memory body over whole on its first poll, and the
/// runtime keeps it to send again on a retry.
fn in_memory(body: Option<reqwest::Body>) -> Result<Bytes, Error> {
    use http_body::Body as _;

    let Some(mut body) = body else {
        return Ok(Bytes::new());
    };
    // Only a body in memory can be sent again on a retry.
    let Some(len) = body.as_bytes().map(<[u8]>::len) else {
        return Err(Error::invalid_input(
            "body",
            "is a stream: the generated client's bodies are in memory",
        ));
    };
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::Pin::new(&mut body).poll_frame(&mut context) {
        std::task::Poll::Ready(None) if len == 0 => return Ok(Bytes::new()),
        std::task::Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
            Ok(data) if data.len() == len => return Ok(data),
            _ => {}
        },
        _ => {}
    }
    Err(Error::invalid_input(
        "body",
        "did not come whole from memory in one piece",
    ))
}

/// `value` as a JSON request body. The buffer starts at the size of the
/// last body this thread wrote (at most [`PRESIZE_LIMIT`]): a stream of like
/// calls (a bulk run's batches) then writes each body without growing it,
/// where reqwest's `json` grows from empty and copies a 100-invitation body
/// seven times over. The generated `send()` calls it (`build/shape.rs`).
// The error is the generated `send()`'s own, whatever its size.
#[allow(clippy::result_large_err)]
pub(crate) fn json_body<T, E>(value: &T) -> Result<Vec<u8>, progenitor_client::Error<E>>
where
    T: serde::Serialize + ?Sized,
{
    thread_local! {
        static LAST_LEN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }
    let mut buffer = Vec::with_capacity(LAST_LEN.get().min(PRESIZE_LIMIT));
    serde_json::to_writer(&mut buffer, value).map_err(|e| {
        progenitor_client::Error::InvalidRequest(format!("the body cannot be serialized: {e}"))
    })?;
    LAST_LEN.set(buffer.len());
    Ok(buffer)
}

/// The largest buffer [`json_body`] sets aside before writing: a small body
/// after a very large one should not hold a large allocation.
const PRESIZE_LIMIT: usize = 256 * 1024;

/// An answer the generated client would misreport: an error status whose
/// body is not the Graph envelope (it would lose the status), or an error
/// answer after several attempts (it would lose what they did).
fn typed_failure(answer: &Answer, client_request_id: &ClientRequestId) -> Option<Error> {
    if !(answer.status.is_client_error() || answer.status.is_server_error()) {
        return None;
    }
    let (error, enveloped) = decode::service_error(answer);
    (!enveloped || answer.attempts > 1).then(|| {
        error.with_call(
            answer.attempts,
            answer.delivery,
            Some(client_request_id.as_str()),
        )
    })
}

fn into_response(answer: Answer) -> Response {
    use reqwest::ResponseBuilderExt as _;

    let mut response = http::Response::builder()
        .status(answer.status)
        .version(answer.version);
    // The URL that answered; without it reqwest parses a placeholder.
    if let Some(url) = answer.url {
        response = response.url(url);
    }
    // The body twice, the same bytes: as the answer's body for code that
    // reads it (an `UnexpectedResponse`), and aside for `decoded`.
    let mut response = response
        .extension(ReadBody(answer.body.clone()))
        .body(answer.body)
        .unwrap_or_default();
    *response.headers_mut() = answer.headers;
    // The only way to the caller through the generated client's answer.
    // The usual call (one attempt, processed) is what no record reads as,
    // so it adds no header; one the service sent is never taken for ours.
    let headers = response.headers_mut();
    if answer.attempts == 1 && answer.delivery == Delivery::Processed {
        headers.remove(CALL_RECORD);
    } else {
        headers.insert(
            CALL_RECORD,
            call_record_value(answer.attempts, answer.delivery),
        );
    }
    Response::from(response)
}

/// An answer's body as the runtime read it, carried beside the
/// `reqwest::Response` the hook must return.
#[derive(Clone)]
struct ReadBody(Bytes);

/// What progenitor's `ResponseValue::from_response` does, from the body the
/// runtime already read (no second read through reqwest's body machinery)
/// and with the answer's headers moved, not copied. Every operation's
/// `send()` calls it (`build/shape.rs`).
pub(crate) async fn decoded<T, E>(
    mut response: Response,
) -> Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>
where
    T: serde::de::DeserializeOwned,
{
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = match response.extensions_mut().remove::<ReadBody>() {
        Some(ReadBody(body)) => body,
        None => response
            .bytes()
            .await
            .map_err(progenitor_client::Error::ResponseBodyError)?,
    };
    let inner = serde_json::from_slice(&body)
        .map_err(|e| progenitor_client::Error::InvalidResponsePayload(body, e))?;
    Ok(progenitor_client::ResponseValue::new(
        inner, status, headers,
    ))
}

/// The call record's header value.
fn call_record_value(attempts: u32, delivery: Delivery) -> HeaderValue {
    let record = format!("attempts={attempts}; delivery={}", delivery.as_str());
    HeaderValue::from_str(&record).unwrap_or(HeaderValue::from_static(""))
}

/// The header on a generated call's answer that carries what the pipeline
/// did across its attempts, unless the call was one processed attempt (what
/// an answer without it reads as). Any header of that name the service sent
/// is replaced or removed.
pub const CALL_RECORD_HEADER: &str = "x-linkedin-invitations-call";
const CALL_RECORD: HeaderName = HeaderName::from_static(CALL_RECORD_HEADER);

/// What the pipeline did for a call of the generated client that the service
/// answered: how many requests it took and what is known of its delivery,
/// as [`CloseOutcome::attempts`](crate::CloseOutcome::attempts) and
/// [`CloseOutcome::delivery`](crate::CloseOutcome::delivery) say for the
/// facade. A `200` after a retried `504` is [`Delivery::MaybeProcessed`]: its
/// `409` items were most likely closed by the earlier attempt
/// ([`GeneratedCall::already_closed_by`]).
///
/// ```no_run
/// # async fn run(client: linkedin_invitations::Client,
/// #     body: linkedin_invitations::generated::types::InviteeClosingInvitationRequest) {
/// use linkedin_invitations::GeneratedCall;
///
/// if let Ok(answer) = client.generated().invitee_closing_invitation().body(body).send().await {
///     println!("{} attempts, delivery {}", answer.attempts(), answer.delivery());
///     for item in &answer.value.invite_action_results {
///         println!("{}: {:?}", item.id, answer.already_closed_by(item));
///     }
/// }
/// # }
/// ```
pub trait GeneratedCall {
    /// How many requests the call took (retries and redirects included).
    fn attempts(&self) -> u32;

    /// What is known of whether the call took effect, over all its attempts.
    fn delivery(&self) -> Delivery;

    /// For an item reported already closed (`409`), who most likely closed
    /// it; `None` for any other status.
    fn already_closed_by(&self, item: &types::InviteActionStatus) -> Option<ClosedBy> {
        let outcome = InvitationOutcome::from(item.clone());
        outcome.already_closed_by().map(|_| match self.delivery() {
            Delivery::MaybeProcessed => ClosedBy::EarlierAttempt,
            _ => ClosedBy::BeforeThisCall,
        })
    }
}

/// A `ResponseValue` that did not come through this crate's pipeline (none
/// does otherwise) counts as one answered attempt.
impl<T> GeneratedCall for progenitor_client::ResponseValue<T> {
    fn attempts(&self) -> u32 {
        call_record(self.headers(), "attempts")
            .and_then(|n| n.parse().ok())
            .unwrap_or(1)
    }

    fn delivery(&self) -> Delivery {
        match call_record(self.headers(), "delivery") {
            Some("maybe_processed") => Delivery::MaybeProcessed,
            Some("not_sent") => Delivery::NotSent,
            _ => Delivery::Processed,
        }
    }
}

fn call_record<'a>(headers: &'a reqwest::header::HeaderMap, key: &str) -> Option<&'a str> {
    let record = headers.get(CALL_RECORD)?.to_str().ok()?;
    record.split(';').find_map(|part| {
        let (name, value) = part.trim().split_once('=')?;
        (name == key).then_some(value)
    })
}

/// A `reqwest::Error` whose source is `error`: the only failure the
/// generated client can return from its `exec` hook.
async fn carry(error: Error) -> reqwest::Error {
    let failing = futures_util::stream::iter([Err::<Bytes, Error>(error)]);
    let response = Response::from(http::Response::new(reqwest::Body::wrap_stream(failing)));
    match response.bytes().await {
        Err(carrier) => carrier,
        Ok(_) => unreachable!("a body whose only item is an error fails"),
    }
}

/// The typed error inside a `reqwest::Error` that [`carry`] made, if any.
fn carried(error: &reqwest::Error) -> Option<Error> {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(typed) = cause.downcast_ref::<Error>() {
            return Some(typed.clone());
        }
        source = cause.source();
    }
    None
}

/// Recovers the crate's typed error from the generated client's error:
/// `Error::from(e)` gives the same kind, status, ids and delivery that the
/// facade would have returned for the same answer.
///
/// ```no_run
/// # async fn run(client: linkedin_invitations::Client,
/// #     body: linkedin_invitations::generated::types::InviteeClosingInvitationRequest) {
/// match client.generated().invitee_closing_invitation().body(body).send().await {
///     Ok(answer) => println!("{:?}", answer.into_inner().value),
///     Err(e) => {
///         let e = linkedin_invitations::Error::from(e);
///         eprintln!("{} (may have been sent: {})", e.kind(), e.may_have_been_sent());
///     }
/// }
/// # }
/// ```
impl From<GeneratedError> for Error {
    fn from(error: GeneratedError) -> Self {
        use progenitor_client::Error as E;
        match error {
            E::CommunicationError(cause)
            | E::ResponseBodyError(cause)
            | E::InvalidUpgrade(cause) => carried(&cause).unwrap_or_else(|| {
                Error::new(ErrorKind::Transport, "the HTTP client failed").with_source(cause)
            }),
            // A single answer, so its status says all there is of delivery.
            E::ErrorResponse(value) => {
                let status = value.status();
                let error = Error::new(ErrorKind::Service, "the service answered with an error")
                    .with_answer(status, value.headers());
                let echoed = value.headers().get(CLIENT_REQUEST_ID).cloned();
                decode::from_envelope(error, value.into_inner().error).with_call(
                    1,
                    Delivery::of_answer(status),
                    echoed.as_ref().and_then(|v| v.to_str().ok()),
                )
            }
            // Only a `200` is decoded as a success: the request was processed.
            E::InvalidResponsePayload(body, cause) => Error::new(
                ErrorKind::UnreadableResponse,
                "the response body is not what the contract says",
            )
            .with_body_excerpt(&body)
            .with_source(cause)
            .with_delivery(Delivery::MaybeProcessed),
            E::UnexpectedResponse(response) => {
                let status = response.status();
                Error::new(
                    ErrorKind::UnreadableResponse,
                    format!(
                        "the service answered with an undocumented status {}",
                        status.as_u16()
                    ),
                )
                .with_answer(status, response.headers())
                .with_delivery(Delivery::MaybeProcessed)
            }
            // A constraint of the document, with its field (`constraints.rs`).
            E::InvalidRequest(message) => {
                match crate::constraints::Violation::from_carried(&message) {
                    Some(violation) => violation.into(),
                    None => {
                        Error::new(ErrorKind::InvalidInput, format!("invalid input: {message}"))
                    }
                }
            }
            E::Custom(message) => Error::new(ErrorKind::InvalidInput, message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_body_reaches_the_runtime_as_the_same_bytes_not_a_copy() {
        let bytes = Bytes::from(b"{\"inviteActionData\":[]}".to_vec());
        let body = reqwest::Body::from(bytes.clone());

        let taken = in_memory(Some(body)).unwrap();

        assert_eq!(taken, bytes);
        assert_eq!(taken.as_ptr(), bytes.as_ptr(), "not copied");
        assert!(in_memory(None).unwrap().is_empty());
    }

    #[test]
    fn a_streamed_body_is_refused_as_input_not_sent() {
        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("x"))]);
        let error = in_memory(Some(reqwest::Body::wrap_stream(chunks))).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn a_body_like_the_last_one_is_written_without_growing_its_buffer() {
        let value: Vec<String> = (0..100).map(|i| format!("invitation-{i:04}")).collect();
        let first = json_body::<_, ()>(&value).unwrap();
        let second = json_body::<_, ()>(&value).unwrap();
        assert_eq!(first, serde_json::to_vec(&value).unwrap());
        assert_eq!(second, first);
        assert_eq!(second.capacity(), second.len(), "sized before writing");
    }
}
