//! The one request pipeline: credentials, `client-request-id`, retries,
//! redirects, timeouts, the body cap, delivery state and tracing. The facade
//! calls it directly; the generated client reaches it through its hooks
//! (`hooks.rs`), so both apply the same checks and report the same errors.

use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE,
    WWW_AUTHENTICATE,
};
use reqwest::{Method, Request, StatusCode, Url, Version};
use tracing::Instrument;

use crate::client::ClientRequestId;
use crate::credentials::{Credentials, TokenRequest};
use crate::error::REQUEST_ID;
use crate::{destination, retry, Delivery, Error, ErrorKind, RetryPolicy};

/// The header that identifies a request on the client's side.
pub(crate) const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
const RETRY_ATTEMPT: HeaderName = HeaderName::from_static("retry-attempt");
const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// The request pipeline behind a [`Client`](crate::Client) and its generated
/// client: what [`ClientBuilder`](crate::ClientBuilder) configured. Cheap to
/// clone; get one from [`ClientBuilder::build_pipeline`](crate::ClientBuilder::build_pipeline)
/// to build a [`generated::Client`](crate::generated::Client) yourself.
#[derive(Clone)]
pub struct Pipeline(Arc<Core>);

/// The settings a call runs with; built only by `ClientBuilder`.
pub(crate) struct Core {
    pub(crate) http: reqwest::Client,
    pub(crate) credentials: Credentials,
    pub(crate) retry: RetryPolicy,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) token_timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) max_redirects: usize,
    pub(crate) compress_requests: bool,
    /// The action's URL under the configured base URL, parsed once.
    pub(crate) action_url: Url,
}

impl Pipeline {
    pub(crate) fn new(core: Core) -> Self {
        Self(Arc::new(core))
    }

    pub(crate) fn core(&self) -> &Core {
        &self.0
    }
}

impl fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let core = self.core();
        f.debug_struct("Pipeline")
            .field("action_url", &core.action_url.as_str())
            .field("credentials", &core.credentials)
            .field("retry", &core.retry)
            .field("attempt_timeout", &core.attempt_timeout)
            .field("timeout", &core.timeout)
            .field("token_timeout", &core.token_timeout)
            .field("max_response_bytes", &core.max_response_bytes)
            .field("max_redirects", &core.max_redirects)
            .field("compress_requests", &core.compress_requests)
            .finish_non_exhaustive()
    }
}

/// One call's request: the same URL, id and body on every attempt.
pub(crate) struct Outgoing<'a> {
    pub(crate) url: Cow<'a, Url>,
    pub(crate) client_request_id: ClientRequestId,
    pub(crate) body: Bytes,
}

/// The service's final answer to a call, its body read within the cap.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) version: Version,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) attempts: u32,
    pub(crate) delivery: Delivery,
}

impl Core {
    /// Sends `outgoing` until the service gives a final answer, or fails
    /// with an error that says what happened over all attempts.
    /// `http` sends the requests: the pipeline's own for the facade, the
    /// generated client's for it.
    pub(crate) async fn execute(
        &self,
        http: &reqwest::Client,
        outgoing: Outgoing<'_>,
    ) -> Result<Answer, Error> {
        self.execute_with(http, outgoing, Throttling::Retry).await
    }

    /// As [`Core::execute`], with the choice of who waits out a throttling
    /// answer (`429`/`503`): a bulk run paces all its calls together.
    pub(crate) async fn execute_with(
        &self,
        http: &reqwest::Client,
        outgoing: Outgoing<'_>,
        throttling: Throttling<'_>,
    ) -> Result<Answer, Error> {
        let span = tracing::debug_span!(
            "graph.request",
            otel.name = "POST",
            otel.kind = "client",
            http.request.method = "POST",
            url.full = %outgoing.url,
            server.address = outgoing.url.host_str().unwrap_or_default(),
            server.port = outgoing.url.port_or_known_default(),
            client_request_id = outgoing.client_request_id.as_str(),
            http.response.status_code = tracing::field::Empty,
            http.request.resend_count = tracing::field::Empty,
            request_id = tracing::field::Empty,
            error.type = tracing::field::Empty,
            delivery = tracing::field::Empty,
        );
        let client_request_id = outgoing.client_request_id;
        let mut call = Call::new(self, http, throttling);
        // With no subscriber listening, skip even entering the span.
        if span.is_disabled() {
            let result = call.run(outgoing).await;
            return call.finish(result, client_request_id);
        }
        let result = call.run(outgoing).instrument(span.clone()).await;
        let result = call.finish(result, client_request_id);
        record(&span, &result);
        result
    }
}

/// The call's closing fields on its span.
fn record(span: &tracing::Span, result: &Result<Answer, Error>) {
    let (attempts, delivery, request_id, status) = match result {
        Ok(answer) => {
            if answer.status.is_client_error() || answer.status.is_server_error() {
                // OpenTelemetry: an error status is the error type.
                span.record("error.type", answer.status.as_str());
            }
            let id = answer
                .headers
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok());
            (answer.attempts, answer.delivery, id, Some(answer.status))
        }
        Err(error) => {
            span.record("error.type", error.kind().as_str());
            (
                error.attempts(),
                error.delivery(),
                error.request_id(),
                error.status(),
            )
        }
    };
    // The last answer's status (OpenTelemetry's rule), recorded once.
    if let Some(status) = status {
        span.record("http.response.status_code", status.as_u16());
    }
    span.record("delivery", delivery.as_str());
    if attempts > 1 {
        span.record("http.request.resend_count", attempts - 1);
    }
    if let Some(id) = request_id {
        span.record("request_id", id);
    }
}

/// Who waits out a `429` or `503` answer.
#[derive(Clone, Copy)]
pub(crate) enum Throttling<'a> {
    /// The call waits and resends, as its retry policy allows.
    Retry,
    /// The call returns the answer at once, for its caller (a bulk run) to
    /// pace; once the run is stopped, the call sends no retry either: it
    /// ends with what it has instead of waiting.
    ReturnToCaller { stop: &'a crate::StopHandle },
}

/// The state of one call across its attempts.
struct Call<'a> {
    core: &'a Core,
    http: &'a reqwest::Client,
    throttling: Throttling<'a>,
    deadline: Option<Instant>,
    attempts: u32,
    retries: u32,
    waited: Duration,
    delivery: Delivery,
}

/// How one exchange failed before a whole answer was read.
enum Failed {
    /// `execute` failed: nothing or part of the request went out. With
    /// [`BodyRead::No`], the HTTP stack never took the body: no connection
    /// carried it, so the service cannot have processed the request.
    Send(reqwest::Error, BodyRead),
    /// The answer's body could not be read to its end.
    Body(StatusCode, HeaderMap, reqwest::Error),
    TooLarge(StatusCode, HeaderMap),
    /// A caller-supplied HTTP client followed a redirect on its own.
    Redirected(Url),
}

impl<'a> Call<'a> {
    fn new(core: &'a Core, http: &'a reqwest::Client, throttling: Throttling<'a>) -> Self {
        Self {
            core,
            http,
            throttling,
            deadline: core
                .timeout
                .map(|t| crate::time::instant_after(Instant::now(), t)),
            attempts: 0,
            retries: 0,
            waited: Duration::ZERO,
            delivery: Delivery::NotSent,
        }
    }

    /// What the call as a whole did, on its answer or its error.
    fn finish(
        &self,
        result: Result<Answer, Error>,
        client_request_id: ClientRequestId,
    ) -> Result<Answer, Error> {
        match result {
            Ok(mut answer) => {
                answer.attempts = self.attempts;
                answer.delivery = self.delivery;
                Ok(answer)
            }
            Err(error) => Err(error.with_call(
                self.attempts,
                self.delivery,
                Some(client_request_id.as_str()),
            )),
        }
    }

    async fn run(&mut self, outgoing: Outgoing<'_>) -> Result<Answer, Error> {
        let Outgoing {
            mut url,
            client_request_id,
            body,
        } = outgoing;
        destination::refuse_plain_http(&url)?;
        let (mut body, mut plain) = match self.core.compress_requests {
            true => (gzip(&body), Some(body)),
            false => (body, None),
        };
        let first = match self.core.credentials.ready() {
            Some(ready) => ready?,
            None => self.authorization(TokenRequest::new(), None).await?,
        };
        let mut authorization = Some(first);
        let mut redirects = 0;
        let mut refreshed = false;
        loop {
            let request = self.request(
                &url,
                &client_request_id,
                authorization.as_ref(),
                plain.is_some(),
            );
            self.attempts += 1;
            let (status, version, headers, answer_body) =
                match self.exchange(request, &url, &body).await {
                    Ok(answer) => answer,
                    Err(failed) => {
                        let (error, may_resend) = self.failure(failed);
                        if may_resend && self.wait(None).await {
                            continue;
                        }
                        return Err(error);
                    }
                };
            self.delivery = self.delivery.and(Delivery::of_answer(status));
            tracing::debug!(status = status.as_u16(), "attempt answered");

            if status.is_redirection() {
                let next = destination::redirect(
                    &url,
                    status,
                    &headers,
                    redirects,
                    self.core.max_redirects,
                )
                .map_err(|e| e.with_answer(status, &headers))?;
                if !destination::same_origin(&url, &next) {
                    authorization = None;
                }
                url = Cow::Owned(next);
                redirects += 1;
                continue;
            }
            if status == StatusCode::UNAUTHORIZED
                && !refreshed
                && authorization.is_some()
                && self.core.credentials.can_refresh()
            {
                refreshed = true;
                let mut request = TokenRequest::new().with_force_refresh(true);
                if let Some(claims) = challenge_claims(&headers) {
                    request = request.with_claims(claims);
                }
                let fresh = self
                    .authorization(request, authorization.as_ref())
                    .await
                    .map_err(|e| e.with_answer(status, &headers))?;
                authorization = Some(fresh);
                continue;
            }
            if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                if let Some(plain) = plain.take() {
                    tracing::debug!("the service refused a gzip body; sending it plain");
                    body = plain;
                    continue;
                }
            }
            let caller_paces = matches!(self.throttling, Throttling::ReturnToCaller { .. })
                && matches!(status.as_u16(), 429 | 503);
            if retry::is_retryable_status(status)
                && !caller_paces
                && self
                    .wait(retry::retry_after(&headers, SystemTime::now()))
                    .await
            {
                continue;
            }
            return Ok(Answer {
                status,
                version,
                headers,
                body: answer_body,
                attempts: 0,
                delivery: Delivery::NotSent,
            });
        }
    }

    fn request(
        &self,
        url: &Url,
        client_request_id: &ClientRequestId,
        authorization: Option<&HeaderValue>,
        gzipped: bool,
    ) -> Request {
        let mut request = Request::new(Method::POST, url.clone());
        let headers = request.headers_mut();
        headers.insert(CONTENT_TYPE, JSON);
        headers.insert(ACCEPT, JSON);
        headers.insert(CLIENT_REQUEST_ID, client_request_id.header());
        if let Some(authorization) = authorization {
            headers.insert(AUTHORIZATION, authorization.clone());
        }
        if gzipped {
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        if self.retries > 0 {
            headers.insert(RETRY_ATTEMPT, HeaderValue::from(self.retries));
        }
        request
    }

    /// Sends one request with `body` and reads its answer, within the
    /// attempt's time (reqwest's own timeout, which runs to the end of the
    /// body).
    async fn exchange(
        &self,
        mut request: Request,
        url: &Url,
        body: &Bytes,
    ) -> Result<(StatusCode, Version, HeaderMap, Bytes), Failed> {
        *request.timeout_mut() = self.attempt_timeout();
        let taken = Arc::new(AtomicBool::new(false));
        *request.body_mut() = Some(Watched::body(body.clone(), Arc::clone(&taken)));
        let response = self.http.execute(request).await.map_err(|cause| {
            let taken = match taken.load(Ordering::SeqCst) {
                true => BodyRead::Yes,
                false => BodyRead::No,
            };
            Failed::Send(cause, taken)
        })?;
        if response.url() != url {
            return Err(Failed::Redirected(response.url().clone()));
        }
        read(response, self.core.max_response_bytes).await
    }

    /// The error an exchange's failure is, what it tells of delivery, and
    /// whether the policy allows sending the request again.
    fn failure(&mut self, failed: Failed) -> (Error, bool) {
        let possibly_sent = self.core.retry.retries_when_possibly_sent();
        let lost_answer = |status: StatusCode| match status.is_success() {
            true => Delivery::MaybeProcessed,
            false => Delivery::of_answer(status),
        };
        let (error, delivery, may_resend) = match failed {
            Failed::Send(cause, _) if cause.is_builder() => (
                Error::config("the request could not be built").with_source(cause),
                Delivery::NotSent,
                false,
            ),
            Failed::Send(cause, _) if cause.is_connect() => (
                Error::new(ErrorKind::Connect, "could not connect to the service")
                    .with_source(cause),
                Delivery::NotSent,
                true,
            ),
            // Still connecting (or waiting for a connection) when the
            // attempt's or the call's time ran out.
            Failed::Send(cause, BodyRead::No) => (
                transport(
                    cause,
                    "the request was not sent: no connection took it in time",
                ),
                Delivery::NotSent,
                true,
            ),
            Failed::Send(cause, _) if refused_unprocessed(&cause) => (
                transport(
                    cause,
                    "the service refused the request without processing it",
                ),
                Delivery::NotSent,
                true,
            ),
            Failed::Send(cause, BodyRead::Yes) => (
                transport(cause, "the connection failed after the request was sent"),
                Delivery::MaybeProcessed,
                possibly_sent,
            ),
            Failed::Body(status, headers, cause) => (
                transport(cause, "the connection failed while the answer was read")
                    .with_answer(status, &headers),
                lost_answer(status),
                possibly_sent,
            ),
            Failed::TooLarge(status, headers) => (
                Error::new(
                    ErrorKind::ResponseTooLarge,
                    format!(
                        "the response body is larger than the limit of {} bytes",
                        self.core.max_response_bytes
                    ),
                )
                .with_answer(status, &headers),
                lost_answer(status),
                false,
            ),
            Failed::Redirected(to) => (
                Error::new(
                    ErrorKind::Redirect,
                    "the HTTP client followed a redirect by itself; build it with \
                     reqwest::redirect::Policy::none() so that this client decides",
                )
                .with_location(to.as_str()),
                Delivery::MaybeProcessed,
                false,
            ),
        };
        self.delivery = self.delivery.and(delivery);
        tracing::debug!(error = %error, delivery = %self.delivery, "attempt failed");
        (error, may_resend)
    }

    /// The `Authorization` header, within the call's deadline.
    async fn authorization(
        &self,
        request: TokenRequest,
        rejected: Option<&HeaderValue>,
    ) -> Result<HeaderValue, Error> {
        let fetch = self
            .core
            .credentials
            .authorization(request, rejected, self.core.token_timeout);
        match self.deadline {
            None => fetch.await,
            Some(at) => tokio::time::timeout_at(at.into(), fetch)
                .await
                .unwrap_or_else(|_| {
                    Err(Error::new(
                        ErrorKind::Timeout,
                        "the call timed out while waiting for a token",
                    ))
                }),
        }
    }

    /// How long the next attempt may take: the attempt timeout, cut short by
    /// the call's deadline.
    fn attempt_timeout(&self) -> Option<Duration> {
        let left = self
            .deadline
            .map(|d| d.saturating_duration_since(Instant::now()));
        match (self.core.attempt_timeout, left) {
            (Some(a), Some(l)) => Some(a.min(l)),
            (a, l) => a.or(l),
        }
    }

    /// Waits before the next retry, if the policy and the budgets allow one;
    /// returns whether to retry. A wait longer than what is left of the
    /// total retry budget (or of the call's time) is not made.
    async fn wait(&mut self, asked: Option<Duration>) -> bool {
        let policy = &self.core.retry;
        if self.retries >= policy.max_retries() {
            return false;
        }
        // Whatever the service asks for, only what is left of the budget is
        // compared: no sum that could overflow.
        let delay = asked.unwrap_or_else(|| policy.backoff(self.retries + 1));
        if delay > policy.max_total_delay().saturating_sub(self.waited) {
            tracing::debug!(?delay, "retry wait would pass the total retry budget");
            return false;
        }
        if let Some(deadline) = self.deadline {
            if delay >= deadline.saturating_duration_since(Instant::now()) {
                tracing::debug!(?delay, "retry wait would pass the call's timeout");
                return false;
            }
        }
        tracing::debug!(?delay, retry = self.retries + 1, "waiting to retry");
        let waited = match self.throttling {
            Throttling::Retry => {
                tokio::time::sleep(delay).await;
                true
            }
            Throttling::ReturnToCaller { stop } => stop
                .unless_stopped(tokio::time::sleep(delay))
                .await
                .is_some(),
        };
        if !waited {
            tracing::debug!("the bulk run was stopped: no retry is sent");
            return false;
        }
        self.waited += delay;
        self.retries += 1;
        true
    }
}

/// Whether the HTTP stack read a request's body.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyRead {
    Yes,
    No,
}

/// A request body that records whether the HTTP stack read it. It tells
/// whether a request may have reached the service: a connection takes the
/// body only once it is established, so an attempt that failed before the
/// body was read (a timeout while still connecting, or while waiting for a
/// pooled connection) was not sent. It also cannot be cloned, so an HTTP
/// client (the caller's own) cannot resend it behind this pipeline's back:
/// every attempt is this pipeline's, and counted.
struct Watched {
    body: Option<Bytes>,
    read: Arc<AtomicBool>,
}

impl Watched {
    fn body(bytes: Bytes, read: Arc<AtomicBool>) -> reqwest::Body {
        if bytes.is_empty() {
            // Nothing to read: the stack may never ask for it.
            read.store(true, Ordering::SeqCst);
        }
        reqwest::Body::wrap(Self {
            body: Some(bytes),
            read,
        })
    }
}

impl http_body::Body for Watched {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        self.read.store(true, Ordering::SeqCst);
        let frame = self.body.take().filter(|b| !b.is_empty());
        std::task::Poll::Ready(frame.map(|b| Ok(http_body::Frame::data(b))))
    }

    fn is_end_stream(&self) -> bool {
        self.body.as_ref().is_none_or(Bytes::is_empty)
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.body.as_ref().map_or(0, |b| b.len() as u64))
    }
}

fn transport(cause: reqwest::Error, summary: &str) -> Error {
    let kind = match cause.is_timeout() {
        true => ErrorKind::Timeout,
        false => ErrorKind::Transport,
    };
    Error::new(kind, summary).with_source(cause)
}

/// Whether HTTP/2 says the request was never processed (RFC 9113 §8.7): the
/// stream was refused (`REFUSED_STREAM`), or a graceful `GOAWAY` left it out.
/// Such a request is safe to resend, which this pipeline does itself:
/// reqwest's own resend of these is off, because it clones every request
/// just in case.
fn refused_unprocessed(cause: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(cause);
    while let Some(error) = source {
        if let Some(h2) = error.downcast_ref::<h2::Error>() {
            return h2.is_remote()
                && ((h2.is_reset() && h2.reason() == Some(h2::Reason::REFUSED_STREAM))
                    || (h2.is_go_away() && h2.reason() == Some(h2::Reason::NO_ERROR)));
        }
        source = error.source();
    }
    false
}

/// Reads the body into memory, at most `limit` bytes of it, so memory stays
/// bounded whatever the service sends. A body that comes in one chunk (the
/// usual case) is kept as it came, without a copy.
async fn read(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<(StatusCode, Version, HeaderMap, Bytes), Failed> {
    let status = response.status();
    let version = response.version();
    let headers = |r: &mut reqwest::Response| std::mem::take(r.headers_mut());
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(Failed::TooLarge(status, headers(&mut response)));
    }
    let mut first = Bytes::new();
    let mut more: Option<BytesMut> = None;
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(cause) => return Err(Failed::Body(status, headers(&mut response), cause)),
        };
        let read = first.len() + more.as_ref().map_or(0, BytesMut::len);
        if read + chunk.len() > limit {
            return Err(Failed::TooLarge(status, headers(&mut response)));
        }
        match &mut more {
            None if first.is_empty() => first = chunk,
            None => {
                let mut all = BytesMut::with_capacity(read + chunk.len());
                all.extend_from_slice(&first);
                all.extend_from_slice(&chunk);
                more = Some(all);
            }
            Some(all) => all.extend_from_slice(&chunk),
        }
    }
    let body = more.map_or(first, BytesMut::freeze);
    Ok((status, version, headers(&mut response), body))
}

/// The claims a `401` challenge demands (continuous access evaluation):
/// `claims="<base64 JSON>"` in `WWW-Authenticate`, decoded. A value that is
/// not base64 is passed on as it is.
fn challenge_claims(headers: &HeaderMap) -> Option<String> {
    use base64::Engine as _;

    let challenge = headers.get(WWW_AUTHENTICATE)?.to_str().ok()?;
    let start = challenge.find("claims=\"")? + "claims=\"".len();
    let value = &challenge[start..];
    let value = &value[..value.find('"')?];
    let engine = base64::engine::general_purpose::STANDARD;
    let decoded = engine
        .decode(value)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(value));
    Some(match decoded.ok().and_then(|b| String::from_utf8(b).ok()) {
        Some(json) => json,
        None => value.to_owned(),
    })
}

/// The gzip form of a body.
fn gzip(body: &Bytes) -> Bytes {
    use std::io::Write;

    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(body);
    encoder.finish().unwrap_or_default().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(WWW_AUTHENTICATE, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn claims_are_read_from_a_cae_challenge_and_decoded() {
        let claims = r#"{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}"#;
        let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, claims);
        let headers = challenge(&format!(
            r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="{encoded}""#
        ));
        assert_eq!(challenge_claims(&headers).as_deref(), Some(claims));
        assert_eq!(challenge_claims(&challenge(r#"Bearer realm="""#)), None);
        assert_eq!(challenge_claims(&HeaderMap::new()), None);
    }
}
