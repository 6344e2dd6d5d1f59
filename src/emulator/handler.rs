//! The emulator's routes.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use serde_json::json;

use super::envelope::{self, Ids};
use super::faults::{Chaos, Interruption, FAULT_RETRY_AFTER_SECS};
use super::state::Store;
use super::validate;
use crate::Secret;

pub(crate) const ACTION_PATH: &str = "/linkedIn/invitations/inviteeClosingInvitation";

#[derive(Debug)]
pub(crate) struct Config {
    pub(crate) store: Arc<Store>,
    pub(crate) token: Option<Secret>,
    pub(crate) base_url: String,
    pub(crate) chaos: Chaos,
}

pub(crate) fn router(config: Config) -> Router {
    Router::new()
        .route(ACTION_PATH, any(action))
        .fallback(not_found)
        .with_state(Arc::new(config))
}

async fn not_found(headers: HeaderMap, uri: Uri) -> Response {
    let ids = Ids::new(client_request_id(&headers).ok().flatten());
    let message = format!("Resource not found for the segment '{}'.", uri.path());
    envelope::error(StatusCode::NOT_FOUND, "BadRequest", &message, &ids)
}

/// The client's `client-request-id`: `Ok(None)` when absent, `Err` when it
/// is not the GUID the contract asks for.
fn client_request_id(headers: &HeaderMap) -> Result<Option<String>, ()> {
    match headers.get("client-request-id") {
        None => Ok(None),
        Some(value) => {
            // Only the hyphenated spelling is `format: uuid`; the uuid crate
            // also parses the simple, braced and URN ones.
            let text = value.to_str().map_err(|_| ())?;
            let id = uuid::Uuid::try_parse(text).map_err(|_| ())?;
            if !id.hyphenated().to_string().eq_ignore_ascii_case(text) {
                return Err(());
            }
            Ok(Some(text.to_owned()))
        }
    }
}

async fn action(
    State(config): State<Arc<Config>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    config.store.count_request();
    let ids = match client_request_id(&headers) {
        Ok(id) => Ids::new(id),
        Err(()) => {
            let ids = Ids::new(None);
            return envelope::error(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "client-request-id must be a GUID",
                &ids,
            );
        }
    };
    if let Some(interruption) = config.chaos.next() {
        return interrupted(interruption, &ids);
    }
    if method != Method::POST {
        let mut response = envelope::error(
            StatusCode::METHOD_NOT_ALLOWED,
            "Request_BadRequest",
            &format!("The HTTP method '{method}' is not allowed for this action."),
            &ids,
        );
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return response;
    }
    if let Err(message) = authorize(&headers, config.token.as_ref()) {
        return envelope::error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
            &ids,
        );
    }
    if !is_json(&headers) {
        return envelope::error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            "Content-Type must be application/json",
            &ids,
        );
    }
    let body = match decode(&headers, &body) {
        Ok(body) => body,
        Err((status, code, message)) => return envelope::error(status, code, &message, &ids),
    };
    let action = match validate::request(&body) {
        Ok(action) => action,
        Err(message) => {
            return envelope::error(StatusCode::BAD_REQUEST, "BadRequest", &message, &ids)
        }
    };

    let results: Vec<_> = action
        .items
        .iter()
        .map(|item| {
            let (outcome, state) =
                config
                    .store
                    .close(&item.invitation_id, &item.validation_token, action.target);
            json!({
                "id": item.invitation_id,
                "status": outcome.code(),
                "message": outcome.message(state),
            })
        })
        .collect();
    let body = json!({
        "@odata.context": format!("{}/$metadata#microsoft.graph.InviteActionResults", config.base_url),
        "value": {
            "@odata.type": "microsoft.graph.InviteActionResults",
            "inviteActionResults": results,
        }
    });
    envelope::json_response(StatusCode::OK, &ids, &body)
}

fn authorize(headers: &HeaderMap, required: Option<&Secret>) -> Result<(), &'static str> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or("Access token is empty.")?
        .to_str()
        .map_err(|_| "Access token validation failure.")?;
    let token = value
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or("Access token is empty.")?;
    match required {
        Some(expected) if expected.expose() != token => Err("Access token validation failure."),
        _ => Ok(()),
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

fn interrupted(interruption: Interruption, ids: &Ids) -> Response {
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
        let mut response = Response::new(axum::body::Body::from(
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        ));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("text/html"),
        );
        if let Ok(value) = header::HeaderValue::from_str(&ids.request_id) {
            headers.insert("request-id", value);
        }
        response
    } else {
        envelope::error(status, code, "Emulated failure: retry later.", ids)
    };
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    }
    response
}

/// The most bytes a compressed request may inflate to.
const MAX_DECODED_BODY: u64 = 1024 * 1024;

/// The body as sent, or inflated from `Content-Encoding: gzip`.
fn decode(headers: &HeaderMap, body: &[u8]) -> Result<Vec<u8>, (StatusCode, &'static str, String)> {
    use std::io::Read;

    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap_or("?").trim().to_ascii_lowercase());
    match encoding.as_deref() {
        None | Some("identity") => Ok(body.to_vec()),
        Some("gzip") => {
            let mut inflated = Vec::new();
            flate2::read::GzDecoder::new(body)
                .take(MAX_DECODED_BODY + 1)
                .read_to_end(&mut inflated)
                .map_err(|e| {
                    (
                        StatusCode::BAD_REQUEST,
                        "BadRequest",
                        format!("the gzip body does not inflate: {e}"),
                    )
                })?;
            if inflated.len() as u64 > MAX_DECODED_BODY {
                return Err((
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "RequestEntityTooLarge",
                    "the body inflates past 1 MiB".into(),
                ));
            }
            Ok(inflated)
        }
        Some(other) => Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            format!("Content-Encoding {other} is not supported"),
        )),
    }
}
