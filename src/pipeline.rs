//! What happens to every request of the generated client, through its hooks:
//! the headers (`Authorization`, `client-request-id`, no `api-version`), the
//! retries, the timeouts, the cap on the response body, and the tracing span.
//!
//! The generated client calls these hooks whether it is used directly or
//! through [`crate::Client`], so both behave alike.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_ENCODING};
use reqwest::{Request, Response, StatusCode};
use tracing::Instrument;

use crate::credentials::{Credentials, TokenError};
use crate::retry::{self, RetryPolicy};
use crate::Secret;

/// The header that identifies a request on the client's side.
const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
/// The header that identifies a request on the service's side.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
const RETRY_ATTEMPT: HeaderName = HeaderName::from_static("retry-attempt");
const API_VERSION: HeaderName = HeaderName::from_static("api-version");

/// The default cap on a response body read into memory: 4 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
/// The default timeout of one attempt, as in Microsoft's SDKs: 100 s.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(100);

/// The per-request behaviour of the generated client: credentials, retries,
/// timeouts and limits. It is the generated client's inner state.
#[derive(Clone, Debug)]
pub struct Pipeline {
    credentials: Credentials,
    retry: RetryPolicy,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    max_response_bytes: usize,
    compress_requests: bool,
}

impl Pipeline {
    /// Default retries, a 100 s attempt timeout, no operation timeout beyond
    /// the retry budget, and a 4 MiB response cap.
    pub fn new(credentials: Credentials) -> Self {
        Self {
            credentials,
            retry: RetryPolicy::default(),
            attempt_timeout: Some(DEFAULT_ATTEMPT_TIMEOUT),
            operation_timeout: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            compress_requests: false,
        }
    }

    /// Sets the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the timeout of one attempt (`None`: only the HTTP client's own).
    pub fn with_attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// Sets the timeout of the whole operation, retries and waits included.
    pub fn with_operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.operation_timeout = timeout;
        self
    }

    /// Sets the most bytes of a response body read into memory.
    pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Sends request bodies gzip-compressed (`Content-Encoding: gzip`), and
    /// once more uncompressed if the service answers `415`.
    pub fn with_request_compression(mut self, enabled: bool) -> Self {
        self.compress_requests = enabled;
        self
    }

    pub(crate) fn operation_timeout(&self) -> Option<Duration> {
        self.operation_timeout
    }
}

/// What the hooks saw during one call, for the facade to turn into a typed
/// error: the generated client can only carry strings and `reqwest` errors.
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    failure: Mutex<Option<Failure>>,
    attempts: AtomicU32,
    last_response: Mutex<Option<(StatusCode, HeaderMap)>>,
}

/// A failure that the generated client's error type cannot express.
#[derive(Debug)]
pub(crate) enum Failure {
    Credentials(TokenError),
    /// The status and headers are those of the last response.
    ResponseTooLarge {
        limit: usize,
    },
}

impl CallRecord {
    pub(crate) fn take_failure(&self) -> Option<Failure> {
        self.failure.lock().ok()?.take()
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.attempts.load(Ordering::Relaxed)
    }

    /// The status and headers of the last response, even when its body could
    /// not be read (the generated error then has no status).
    pub(crate) fn last_response(&self) -> Option<(StatusCode, HeaderMap)> {
        self.last_response.lock().ok()?.clone()
    }
}

tokio::task_local! {
    static CALL: Arc<CallRecord>;
}

/// Runs `call` with a fresh record that the hooks fill in.
pub(crate) async fn recorded<F: std::future::Future>(call: F) -> (F::Output, Arc<CallRecord>) {
    let record = Arc::new(CallRecord::default());
    let output = CALL.scope(Arc::clone(&record), call).await;
    (output, record)
}

fn record_failure(failure: Failure) {
    let _ = CALL.try_with(|record| {
        if let Ok(mut slot) = record.failure.lock() {
            slot.get_or_insert(failure);
        }
    });
}

fn record_attempt() {
    let _ = CALL.try_with(|record| record.attempts.fetch_add(1, Ordering::Relaxed));
}

fn record_response(status: StatusCode, headers: &HeaderMap) {
    let _ = CALL.try_with(|record| {
        if let Ok(mut slot) = record.last_response.lock() {
            *slot = Some((status, headers.clone()));
        }
    });
}

/// The `Authorization` header for the credentials' current (or, with
/// `force_refresh`, a fresh) token, marked sensitive.
async fn authorization(
    credentials: &Credentials,
    force_refresh: bool,
) -> Result<HeaderValue, TokenError> {
    let token: Secret = credentials.token(force_refresh).await?;
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| "the token has characters a header cannot carry")?;
    value.set_sensitive(true);
    Ok(value)
}

impl ClientHooks<Pipeline> for crate::generated::Client {
    async fn pre<E>(
        &self,
        request: &mut Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let headers = request.headers_mut();
        // progenitor sends the document's version; Graph has no such header.
        headers.remove(API_VERSION);
        if !headers.contains_key(CLIENT_REQUEST_ID) {
            let id = uuid::Uuid::new_v4().to_string();
            headers.insert(
                CLIENT_REQUEST_ID,
                HeaderValue::from_str(&id).expect("a uuid"),
            );
        }
        match authorization(&self.inner().credentials, false).await {
            Ok(value) => {
                request.headers_mut().insert(AUTHORIZATION, value);
                Ok(())
            }
            Err(cause) => {
                let message = format!("no usable token: {cause}");
                record_failure(Failure::Credentials(cause));
                Err(progenitor_client::Error::Custom(message))
            }
        }
    }

    async fn exec(&self, request: Request, info: &OperationInfo) -> reqwest::Result<Response> {
        let span = tracing::debug_span!(
            "graph.request",
            otel.name = info.operation_id,
            http.request.method = %request.method(),
            url.path = request.url().path(),
            client_request_id = header_str(request.headers(), &CLIENT_REQUEST_ID),
            http.response.status_code = tracing::field::Empty,
            request_id = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = Attempts::new(self.inner(), self.client())
            .run(request)
            .instrument(span.clone())
            .await;
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        span.record("duration_ms", duration_ms);
        span.in_scope(|| tracing::debug!(ok = result.is_ok(), duration_ms, "call finished"));
        result
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &HeaderName) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The attempt loop of one call.
struct Attempts<'a> {
    pipeline: &'a Pipeline,
    http: &'a reqwest::Client,
    deadline: Option<Instant>,
    waited: Duration,
    retries: u32,
    refreshed_token: bool,
}

impl<'a> Attempts<'a> {
    fn new(pipeline: &'a Pipeline, http: &'a reqwest::Client) -> Self {
        Self {
            pipeline,
            http,
            deadline: pipeline.operation_timeout.map(|t| Instant::now() + t),
            waited: Duration::ZERO,
            retries: 0,
            refreshed_token: false,
        }
    }

    async fn run(mut self, mut request: Request) -> reqwest::Result<Response> {
        let mut plain_body = None;
        if self.pipeline.compress_requests {
            plain_body = compress(&mut request);
        }
        loop {
            // A JSON body is bytes, so it can always be replayed as it was.
            let Some(mut attempt) = request.try_clone() else {
                return self.send_once(request).await;
            };
            if self.retries > 0 {
                attempt
                    .headers_mut()
                    .insert(RETRY_ATTEMPT, HeaderValue::from(self.retries));
            }
            *attempt.timeout_mut() = self.attempt_timeout();
            record_attempt();
            let span = tracing::Span::current();
            span.record("attempts", self.retries + 1);

            let response = match self.http.execute(attempt).await {
                Ok(response) => response,
                Err(error) => {
                    let possibly_sent = !error.is_connect();
                    let may_resend =
                        !possibly_sent || self.pipeline.retry.retries_when_possibly_sent();
                    tracing::debug!(error = %error, possibly_sent, "attempt failed");
                    if may_resend && self.wait(None).await {
                        continue;
                    }
                    return Err(error);
                }
            };

            let status = response.status();
            span.record("http.response.status_code", status.as_u16());
            span.record("request_id", header_str(response.headers(), &REQUEST_ID));
            tracing::debug!(status = status.as_u16(), "attempt answered");

            if status == StatusCode::UNAUTHORIZED
                && !self.refreshed_token
                && self.pipeline.credentials.can_refresh()
            {
                self.refreshed_token = true;
                match authorization(&self.pipeline.credentials, true).await {
                    Ok(value) => {
                        request.headers_mut().insert(AUTHORIZATION, value);
                        continue;
                    }
                    Err(cause) => record_failure(Failure::Credentials(cause)),
                }
            }

            if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                if let Some(plain) = plain_body.take() {
                    tracing::debug!("the service refused a gzip body; sending it plain");
                    request.headers_mut().remove(CONTENT_ENCODING);
                    *request.body_mut() = Some(plain.into());
                    continue;
                }
            }

            if retry::is_retryable_status(status) {
                let asked = retry::retry_after(response.headers(), SystemTime::now());
                if self.wait(asked).await {
                    continue;
                }
            }
            return self.buffer(response).await;
        }
    }

    async fn send_once(&self, mut request: Request) -> reqwest::Result<Response> {
        *request.timeout_mut() = self.attempt_timeout();
        record_attempt();
        let response = self.http.execute(request).await?;
        self.buffer(response).await
    }

    /// The timeout of the next attempt: the attempt timeout, cut short by
    /// the operation's deadline.
    fn attempt_timeout(&self) -> Option<Duration> {
        let remaining = self
            .deadline
            .map(|d| d.saturating_duration_since(Instant::now()));
        match (self.pipeline.attempt_timeout, remaining) {
            (Some(a), Some(r)) => Some(a.min(r)),
            (a, r) => a.or(r),
        }
    }

    /// Waits before the next retry, if the policy and the budgets allow one;
    /// returns whether to retry.
    async fn wait(&mut self, asked: Option<Duration>) -> bool {
        let policy = &self.pipeline.retry;
        if self.retries >= policy.max_retries() {
            return false;
        }
        let delay = asked.unwrap_or_else(|| policy.backoff(self.retries + 1));
        if self.waited + delay > policy.max_total_delay() {
            tracing::debug!(?delay, "retry wait would pass the total retry budget");
            return false;
        }
        if let Some(deadline) = self.deadline {
            if Instant::now() + delay >= deadline {
                tracing::debug!(?delay, "retry wait would pass the operation timeout");
                return false;
            }
        }
        tracing::debug!(?delay, retry = self.retries + 1, "waiting to retry");
        tokio::time::sleep(delay).await;
        self.waited += delay;
        self.retries += 1;
        true
    }

    /// Reads the body into memory, at most `max_response_bytes` of it; a
    /// larger body is cut there and the failure recorded, so memory stays
    /// bounded whatever the service sends.
    async fn buffer(&self, mut response: Response) -> reqwest::Result<Response> {
        let limit = self.pipeline.max_response_bytes;
        let status = response.status();
        let version = response.version();
        let headers = response.headers().clone();
        record_response(status, &headers);
        let too_large = || Failure::ResponseTooLarge { limit };

        let mut body = BytesMut::new();
        if response.content_length().is_some_and(|n| n > limit as u64) {
            record_failure(too_large());
        } else {
            while let Some(chunk) = response.chunk().await? {
                if body.len() + chunk.len() > limit {
                    record_failure(too_large());
                    body.extend_from_slice(&chunk[..limit - body.len()]);
                    break;
                }
                body.extend_from_slice(&chunk);
            }
        }
        Ok(rebuild(status, version, headers, body.freeze()))
    }
}

/// Replaces a bytes body with its gzip form; returns the plain body, for a
/// resend if the service refuses the compressed one. Leaves other bodies alone.
fn compress(request: &mut Request) -> Option<Bytes> {
    use std::io::Write;

    let plain = Bytes::copy_from_slice(request.body()?.as_bytes()?);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&plain).ok()?;
    let compressed = encoder.finish().ok()?;
    request
        .headers_mut()
        .insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    *request.body_mut() = Some(compressed.into());
    Some(plain)
}

fn rebuild(
    status: StatusCode,
    version: reqwest::Version,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    *response.version_mut() = version;
    *response.headers_mut() = headers;
    Response::from(response)
}
