//! Responses in the Graph shape: the error envelope and the ids on every
//! response.

use bytes::Bytes;
use http::{header, HeaderName, HeaderValue, Response, StatusCode};
use serde_json::json;

use super::body::Body;

pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
pub(crate) const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");

/// The ids of one exchange.
#[derive(Clone, Debug)]
pub(crate) struct Ids {
    pub(crate) request_id: HeaderValue,
    /// Echoed as sent, whether or not it is the GUID the contract asks for.
    pub(crate) client_request_id: Option<HeaderValue>,
}

impl Ids {
    pub(crate) fn new(client_request_id: Option<HeaderValue>) -> Self {
        Self {
            request_id: new_request_id(),
            client_request_id,
        }
    }
}

/// A random (v4) GUID. It is drawn from the thread's fast generator:
/// `Uuid::new_v4` asks the operating system, a system call per request, and
/// request ids need not be unpredictable.
fn new_request_id() -> HeaderValue {
    let uuid = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let text = uuid.hyphenated().encode_lower(&mut text);
    HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static("unknown"))
}

/// A JSON response with `request-id` and the echoed `client-request-id`.
pub(crate) fn json(status: StatusCode, ids: &Ids, body: impl Into<Bytes>) -> Response<Body> {
    let mut response = Response::new(Body::full(body.into()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(REQUEST_ID, ids.request_id.clone());
    if let Some(value) = &ids.client_request_id {
        headers.insert(CLIENT_REQUEST_ID, value.clone());
    }
    response
}

/// The Graph error envelope.
pub(crate) fn error(status: StatusCode, code: &str, message: &str, ids: &Ids) -> Response<Body> {
    let text = |value: &HeaderValue| String::from_utf8_lossy(value.as_bytes()).into_owned();
    let mut inner = json!({
        "date": now_iso8601(),
        "request-id": text(&ids.request_id),
    });
    if let Some(client_request_id) = &ids.client_request_id {
        inner["client-request-id"] = json!(text(client_request_id));
    }
    let body = json!({"error": {"code": code, "message": message, "innerError": inner}});
    json(status, ids, body.to_string())
}

/// Graph's `innerError.date`: UTC, to the second, without an offset.
fn now_iso8601() -> String {
    let stamp = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    stamp.trim_end_matches('Z').to_owned()
}
