//! Turns what the generated client returned, and what its hooks saw, into a
//! [`CloseOutcome`] or a typed [`Error`].

use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};
use reqwest::StatusCode;

use crate::generated::types;
use crate::pipeline::{CallRecord, Failure, REQUEST_ID};
use crate::{CloseOutcome, Error, ErrorKind, InviteeAction};

/// Graph's diagnostic header: which data centre and server answered.
const DIAGNOSTIC: HeaderName = HeaderName::from_static("x-ms-ags-diagnostic");

type Generated = Result<
    progenitor_client::ResponseValue<types::InviteeClosingInvitationResponse>,
    progenitor_client::Error<types::ODataError>,
>;

pub(crate) fn outcome(
    action: InviteeAction,
    requested: Vec<String>,
    result: Generated,
    record: &CallRecord,
    client_request_id: String,
) -> Result<CloseOutcome, Error> {
    // The id this client sent is the one to quote, whatever came back.
    let failed = |error: Error| {
        Err(error
            .with_client_request_id(client_request_id.clone())
            .with_attempts(record.attempts()))
    };
    if let Some(failure) = record.take_failure() {
        return failed(from_failure(failure, record));
    }
    match result {
        Ok(value) => {
            let request_id = header(value.headers(), &REQUEST_ID);
            let outcomes = value
                .into_inner()
                .value
                .invite_action_results
                .into_iter()
                .map(Into::into)
                .collect();
            Ok(CloseOutcome::new(
                action,
                requested,
                outcomes,
                request_id,
                client_request_id.clone(),
            ))
        }
        Err(error) => failed(from_generated(error, record)),
    }
}

fn header(headers: &HeaderMap, name: &HeaderName) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::to_owned)
}

/// The status, `request-id`, `Retry-After` and diagnostics of a response,
/// kept on every error that has one.
fn with_response_headers(error: Error, status: StatusCode, headers: &HeaderMap) -> Error {
    error
        .with_status(status)
        .with_request_id(header(headers, &REQUEST_ID))
        .with_retry_after(header(headers, &RETRY_AFTER))
        .with_diagnostic(header(headers, &DIAGNOSTIC))
}

/// Adds what the hooks saw of the last response, when there was one: the
/// generated error loses the status when a body cannot be read.
fn with_last_response(error: Error, record: &CallRecord) -> Error {
    match record.last_response() {
        Some((status, headers)) => with_response_headers(error, status, &headers),
        None => error,
    }
}

fn from_failure(failure: Failure, record: &CallRecord) -> Error {
    let error = match failure {
        // After a 401 whose refresh failed, the 401's status and ids are kept.
        Failure::Credentials(cause) => {
            Error::new(ErrorKind::Credentials, format!("no usable token: {cause}"))
                .with_source(cause)
        }
        Failure::ResponseTooLarge { limit } => Error::new(
            ErrorKind::ResponseTooLarge,
            format!("the response body is larger than the limit of {limit} bytes"),
        ),
    };
    with_last_response(error, record)
}

fn from_generated(
    error: progenitor_client::Error<types::ODataError>,
    record: &CallRecord,
) -> Error {
    use progenitor_client::Error as E;
    match error {
        E::ErrorResponse(value) => {
            let status = value.status();
            let headers = value.headers().clone();
            let envelope = value.into_inner().error;
            let inner = envelope.inner_error.as_ref();
            let date = inner.and_then(|i| {
                i.date.clone().or_else(|| {
                    i.extra
                        .get("Date")
                        .and_then(|d| d.as_str())
                        .map(str::to_owned)
                })
            });
            let summary = "the service answered with an error";
            let mut error =
                with_response_headers(Error::new(ErrorKind::Service, summary), status, &headers)
                    .with_service_error(Some(envelope.code), Some(envelope.message), date);
            if error.request_id().is_none() {
                error = error.with_request_id(inner.and_then(|i| i.request_id.clone()));
            }
            error
        }
        E::InvalidResponsePayload(body, cause) => with_last_response(
            Error::new(
                ErrorKind::UnreadableResponse,
                format!("the response body is not what the contract says: {cause}"),
            )
            .with_body_excerpt(&body)
            .with_source(cause),
            record,
        ),
        E::UnexpectedResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            with_response_headers(
                Error::new(
                    ErrorKind::UnreadableResponse,
                    format!(
                        "the service answered with an undocumented status {}",
                        status.as_u16()
                    ),
                ),
                status,
                &headers,
            )
        }
        E::CommunicationError(cause) | E::ResponseBodyError(cause) | E::InvalidUpgrade(cause) => {
            with_last_response(from_transport(cause), record)
        }
        E::InvalidRequest(message) => {
            Error::new(ErrorKind::InvalidInput, format!("invalid input: {message}"))
        }
        E::Custom(message) => Error::new(ErrorKind::Credentials, message),
    }
}

fn from_transport(cause: reqwest::Error) -> Error {
    let (kind, summary) = if cause.is_connect() {
        (
            ErrorKind::Connect,
            "could not connect to the service; the request was not sent",
        )
    } else if cause.is_timeout() {
        (
            ErrorKind::Timeout,
            "the service did not answer in time; the request may have been processed",
        )
    } else if cause.is_redirect() {
        (
            ErrorKind::Transport,
            "a redirect was refused; the request may have been processed",
        )
    } else {
        (
            ErrorKind::Transport,
            "the connection failed; the request may have been processed",
        )
    };
    Error::new(kind, summary).with_source(cause)
}
