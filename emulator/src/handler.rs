//! The action: one request in, one response out (or, on purpose, none).

use std::sync::Arc;

use bytes::Bytes;
use http::{header, HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use hyper::body::Incoming;
use serde::Serialize;

use super::body::{self, Body};
use super::envelope::{self, Ids};
use super::faults::{Chaos, Fault, Interruption, FAULT_RETRY_AFTER_SECS};
use super::state::Store;
use super::validate;
use super::Timeouts;
use linkedin_invitations::Secret;

pub(crate) const ACTION_PATH: &str = "/linkedIn/invitations/inviteeClosingInvitation";

/// Everything the handler needs, shared by all connections.
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) store: Arc<Store>,
    pub(crate) token: Option<Secret>,
    /// `@odata.context` of every `200`, formatted once.
    pub(crate) context: String,
    pub(crate) chaos: Chaos,
    pub(crate) timeouts: Timeouts,
}

/// The answer to a request: a response, or a connection reset after the
/// action was applied.
pub(crate) enum Answer {
    Respond(Response<Body>),
    Reset,
}

/// Answers one request. Paths match without regard to case, as Graph's
/// router does.
pub(crate) async fn handle(app: &App, request: Request<Incoming>) -> Answer {
    let (parts, body) = request.into_parts();
    let ids = Ids::new(parts.headers.get(envelope::CLIENT_REQUEST_ID).cloned());
    if !parts.uri.path().eq_ignore_ascii_case(ACTION_PATH) {
        let message = format!("Resource not found for the segment '{}'.", parts.uri.path());
        return Answer::Respond(envelope::error(
            StatusCode::NOT_FOUND,
            "BadRequest",
            &message,
            &ids,
        ));
    }
    app.store.count_request();
    if parts.method != Method::POST {
        let message = format!(
            "The HTTP method '{}' is not allowed for this action.",
            parts.method
        );
        let mut response = envelope::error(
            StatusCode::METHOD_NOT_ALLOWED,
            "Request_BadRequest",
            &message,
            &ids,
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return Answer::Respond(response);
    }
    let body = match body::read(&parts.headers, body, app.timeouts.body_read).await {
        Ok(body) => body,
        Err((status, code, message)) => {
            let mut response = envelope::error(status, code, &message, &ids);
            // The rest of the body may still be on its way: start afresh.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            return Answer::Respond(response);
        }
    };
    if !is_guid(ids.client_request_id.as_ref()) {
        return Answer::Respond(envelope::error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "client-request-id must be a GUID",
            &ids,
        ));
    }
    let fault = match app.chaos.next() {
        Some(Interruption::Fault(fault)) if fault.applies_action() => Some(fault),
        Some(interruption) => return Answer::Respond(interrupted(interruption, &ids)),
        None => None,
    };
    let response = act(app, &parts.headers, &body, &ids);
    match fault {
        None => Answer::Respond(response),
        Some(Fault::ResetAfterApply) => Answer::Reset,
        Some(Fault::TruncatedAfterApply) => Answer::Respond(truncate(response)),
        Some(fault) => Answer::Respond(interrupted(Interruption::Fault(fault), &ids)),
    }
}

/// Authorizes, validates and applies the action.
fn act(app: &App, headers: &HeaderMap, body: &[u8], ids: &Ids) -> Response<Body> {
    if let Err(message) = super::auth::authorize(headers, app.token.as_ref()) {
        return envelope::error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
            ids,
        );
    }
    if !is_json(headers) {
        return envelope::error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            "Content-Type must be application/json",
            ids,
        );
    }
    let request = match validate::request(body) {
        Ok(request) => request,
        Err(validate::Refusal::BadRequest(message)) => {
            return envelope::error(StatusCode::BAD_REQUEST, "BadRequest", &message, ids)
        }
        Err(validate::Refusal::Internal(message)) => {
            return envelope::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServerError",
                &message,
                ids,
            )
        }
    };
    let action = request.invitee_action_type;
    let results: Vec<_> = request
        .invite_action_data
        .iter()
        .map(|item| {
            let (outcome, state) =
                app.store
                    .close(&item.invitation_id, item.validation_token.expose(), action);
            ItemResult {
                id: &item.invitation_id,
                status: outcome.code(),
                message: outcome.message(state),
            }
        })
        .collect();
    let body = Results {
        context: &app.context,
        value: ResultSet {
            odata_type: "microsoft.graph.InviteActionResults",
            invite_action_results: results,
        },
    };
    let mut json = Vec::with_capacity(256);
    match serde_json::to_writer(&mut json, &body) {
        Ok(()) => envelope::json(StatusCode::OK, ids, json),
        Err(e) => envelope::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            &e.to_string(),
            ids,
        ),
    }
}

#[derive(Serialize)]
struct Results<'a> {
    #[serde(rename = "@odata.context")]
    context: &'a str,
    value: ResultSet<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultSet<'a> {
    #[serde(rename = "@odata.type")]
    odata_type: &'static str,
    invite_action_results: Vec<ItemResult<'a>>,
}

#[derive(Serialize)]
struct ItemResult<'a> {
    id: &'a str,
    status: i32,
    message: &'static str,
}

/// Whether an absent or present `client-request-id` is acceptable: only
/// the hyphenated spelling is `format: uuid` (the uuid crate also parses
/// the simple, braced and URN ones).
fn is_guid(value: Option<&HeaderValue>) -> bool {
    let Some(value) = value else { return true };
    let text = value.as_bytes();
    text.len() == uuid::fmt::Hyphenated::LENGTH && uuid::Uuid::try_parse_ascii(text).is_ok()
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

/// The same response with its body cut in half; the announced length stays.
fn truncate(response: Response<Body>) -> Response<Body> {
    let (mut parts, body) = response.into_parts();
    let whole = body.into_bytes();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(whole.len()));
    Response::from_parts(parts, Body::truncated(whole))
}

fn interrupted(interruption: Interruption, ids: &Ids) -> Response<Body> {
    let (status, code, retry_after) = match interruption {
        Interruption::Throttled { retry_after_secs } => {
            (429, "TooManyRequests", Some(retry_after_secs))
        }
        Interruption::Fault(fault) => {
            let retry_after = matches!(fault.status(), 429 | 503).then_some(FAULT_RETRY_AFTER_SECS);
            (fault.status(), fault.code(), retry_after)
        }
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = if status == StatusCode::BAD_GATEWAY {
        // Gateways answer in HTML, not in the Graph envelope.
        let mut response = envelope::json(
            status,
            ids,
            Bytes::from_static(b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
        );
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        response
    } else {
        envelope::error(status, code, "Emulated failure: retry later.", ids)
    };
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// The answer to a connection over the limit while every other connection
/// is busy: `503` with `Retry-After`, then the connection closes.
pub(crate) fn over_capacity(headers: &HeaderMap) -> Response<Body> {
    let ids = Ids::new(headers.get(envelope::CLIENT_REQUEST_ID).cloned());
    let mut response = envelope::error(
        StatusCode::SERVICE_UNAVAILABLE,
        "ServiceUnavailable",
        "The emulator is serving as many connections as it allows; retry later.",
        &ids,
    );
    let headers = response.headers_mut();
    headers.insert(
        header::RETRY_AFTER,
        HeaderValue::from(FAULT_RETRY_AFTER_SECS),
    );
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
