//! One request in, one response out (or, on purpose, none): routed to an
//! operation of the document; the action is applied to the emulator's
//! state, any other operation answered as its document says.

use std::sync::Arc;

use bytes::Bytes;
use http::{header, HeaderMap, HeaderValue, Request, Response, StatusCode};
use hyper::body::Incoming;
use serde_json::json;

use super::auth;
use super::body::{self, Body};
use super::contract::{Contract, Operation, Route, ACTION_ID};
use super::envelope::{self, Ids};
use super::faults::{Chaos, Fault, Interruption, FAULT_RETRY_AFTER_SECS};
use super::state::Store;
use super::validate;
use super::Timeouts;
use linkedin_invitations::Secret;

/// Everything the handler needs, shared by all connections.
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) store: Arc<Store>,
    pub(crate) contract: Arc<Contract>,
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
    let respond =
        |status, code, message: &str| Answer::Respond(envelope::error(status, code, message, &ids));
    let (operation, path_parameters) = match app.contract.route(&parts.method, parts.uri.path()) {
        Route::Found(operation, parameters) => (operation, parameters),
        Route::NotFound => {
            let message = format!("Resource not found for the segment '{}'.", parts.uri.path());
            return respond(StatusCode::NOT_FOUND, "BadRequest", &message);
        }
        Route::WrongMethod(allowed) => {
            app.store.count_request();
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
            let allowed: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
            if let Ok(allow) = HeaderValue::from_str(&allowed.join(", ")) {
                response.headers_mut().insert(header::ALLOW, allow);
            }
            return Answer::Respond(response);
        }
    };
    app.store.count_request();
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
    if let Err(message) =
        operation.check_parameters(&path_parameters, parts.uri.query(), &parts.headers)
    {
        return respond(StatusCode::BAD_REQUEST, "BadRequest", &message);
    }
    if operation.id != ACTION_ID {
        return Answer::Respond(
            refusal(app, operation, &parts.headers, &body, &ids)
                .unwrap_or_else(|| mocked(operation, &ids)),
        );
    }
    let fault = match app.chaos.next() {
        Some(Interruption::Fault(fault)) if fault.applies_action() => Some(fault),
        Some(interruption) => return Answer::Respond(interrupted(interruption, &ids)),
        None => None,
    };
    let response = act(app, operation, &parts.headers, &body, &ids);
    match fault {
        None => Answer::Respond(response),
        Some(Fault::ResetAfterApply) => Answer::Reset,
        Some(Fault::TruncatedAfterApply) => Answer::Respond(truncate(response)),
        Some(fault) => Answer::Respond(interrupted(Interruption::Fault(fault), &ids)),
    }
}

/// Authorizes the request and checks its body: the refusal when it is not
/// to be served.
fn refusal(
    app: &App,
    operation: &Operation,
    headers: &HeaderMap,
    body: &[u8],
    ids: &Ids,
) -> Option<Response<Body>> {
    if operation.secured {
        if let Err(message) = auth::authorize(headers, app.token.as_ref()) {
            let mut response = envelope::error(
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationToken",
                message,
                ids,
            );
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(auth::INVALID_TOKEN_CHALLENGE),
            );
            return Some(response);
        }
    }
    if operation.takes_body(body) && !is_json(headers) {
        return Some(envelope::error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            "Content-Type must be application/json",
            ids,
        ));
    }
    if let Err(message) = operation.check_body(body) {
        return Some(envelope::error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &message,
            ids,
        ));
    }
    None
}

/// A contract mock's answer: the success response the document gives.
fn mocked(operation: &Operation, ids: &Ids) -> Response<Body> {
    let (status, body) = operation.mock();
    let mut response = envelope::json(status, ids, body.clone().unwrap_or_default());
    if body.is_none() {
        response.headers_mut().remove(header::CONTENT_TYPE);
    }
    response
}

/// Authorizes, validates and applies the action. Its answer is put in the
/// types the document declares for it.
fn act(
    app: &App,
    action: &Operation,
    headers: &HeaderMap,
    body: &[u8],
    ids: &Ids,
) -> Response<Body> {
    if let Some(refused) = refusal(app, action, headers, body, ids) {
        return refused;
    }
    let request = match validate::action_request(action, body) {
        Ok(request) => request,
        Err(message) => {
            return envelope::error(StatusCode::BAD_REQUEST, "BadRequest", &message, ids)
        }
    };
    let action_type = request.invitee_action_type;
    let results: Vec<_> = request
        .invite_action_data
        .iter()
        .map(|item| {
            let (outcome, state) = app.store.close(
                &item.invitation_id,
                item.validation_token.expose(),
                action_type,
            );
            json!({
                "id": item.invitation_id,
                "status": outcome.code(),
                "message": outcome.message(state),
            })
        })
        .collect();
    let answer = json!({
        "@odata.context": app.context,
        "value": {
            "@odata.type": "microsoft.graph.InviteActionResults",
            "inviteActionResults": results,
        },
    });
    let answer = app
        .contract
        .conform(action, StatusCode::OK.as_u16(), answer);
    envelope::json(StatusCode::OK, ids, Bytes::from(answer.to_string()))
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
    } else if status == StatusCode::UNAUTHORIZED {
        envelope::error(
            status,
            code,
            "Continuous access evaluation resulted in claims challenge.",
            ids,
        )
    } else {
        envelope::error(status, code, "Emulated failure: retry later.", ids)
    };
    if interruption == Interruption::Fault(Fault::ClaimsChallenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, auth::claims_challenge());
    }
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
