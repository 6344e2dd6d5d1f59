//! Responses in the Graph shape: the error envelope and the ids on every
//! response.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The ids of one exchange.
#[derive(Clone, Debug)]
pub(crate) struct Ids {
    pub(crate) request_id: String,
    pub(crate) client_request_id: Option<String>,
}

impl Ids {
    pub(crate) fn new(client_request_id: Option<String>) -> Self {
        Self {
            request_id: uuid::Uuid::new_v4().to_string(),
            client_request_id,
        }
    }
}

/// A JSON response with `request-id` and the echoed `client-request-id`.
pub(crate) fn json_response(status: StatusCode, ids: &Ids, body: &serde_json::Value) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(value) = HeaderValue::from_str(&ids.request_id) {
        headers.insert("request-id", value);
    }
    if let Some(value) = ids
        .client_request_id
        .as_deref()
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        headers.insert("client-request-id", value);
    }
    (status, headers, body.to_string()).into_response()
}

/// The Graph error envelope.
pub(crate) fn error(status: StatusCode, code: &str, message: &str, ids: &Ids) -> Response {
    let mut inner = json!({
        "date": now_iso8601(),
        "request-id": ids.request_id,
    });
    if let Some(client_request_id) = &ids.client_request_id {
        inner["client-request-id"] = json!(client_request_id);
    }
    let body = json!({"error": {"code": code, "message": message, "innerError": inner}});
    json_response(status, ids, &body)
}

/// Graph's `innerError.date`: UTC, to the second, without an offset.
fn now_iso8601() -> String {
    let stamp = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    stamp.trim_end_matches('Z').to_owned()
}
