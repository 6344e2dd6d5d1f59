//! The stages of one call: per call, the token and the deadline; per
//! attempt, send, classify and wait. What an answer means for the next
//! attempt (a redirect, a CAE challenge, a refused gzip body, throttling)
//! is decided here; what a failed exchange means, in `classify.rs`.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_ENCODING, HOST};
use reqwest::{Request, StatusCode, Url};

use super::body::{self, Watched};
use super::classify::{classify, BodyRead, Failed};
use super::credentials::TokenRequest;
use super::delivery::Delivery;
use super::error::{Error, ErrorKind};
use super::request::{Answer, CallOptions, Outgoing};
use super::request_id::{ClientRequestId, CLIENT_REQUEST_ID};
use super::settings::Settings;
use super::{cae, destination, retry};

const RETRY_ATTEMPT: reqwest::header::HeaderName =
    reqwest::header::HeaderName::from_static("retry-attempt");

/// The state of one call across its attempts.
pub(super) struct Call<'a> {
    core: &'a Settings,
    http: &'a reqwest::Client,
    options: CallOptions<'a>,
    deadline: Option<Instant>,
    attempts: u32,
    retries: u32,
    waited: Duration,
    delivery: Delivery,
}

impl<'a> Call<'a> {
    pub(super) fn new(
        core: &'a Settings,
        http: &'a reqwest::Client,
        options: CallOptions<'a>,
    ) -> Self {
        Self {
            core,
            http,
            options,
            deadline: core
                .timeout
                .map(|t| super::time::instant_after(Instant::now(), t)),
            attempts: 0,
            retries: 0,
            waited: Duration::ZERO,
            delivery: Delivery::NotSent,
        }
    }

    /// What the call as a whole did, on its answer or its error.
    pub(super) fn finish(
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

    pub(super) async fn run(&mut self, outgoing: Outgoing<'_>) -> Result<Answer, Error> {
        let Outgoing {
            method,
            mut url,
            mut headers,
            body,
            client_request_id,
        } = outgoing;
        destination::refuse_plain_http(&url)?;
        let (mut body, mut plain) = match self.core.compress_requests && !body.is_empty() {
            true => (body::gzip(&body), Some(body)),
            false => (body, None),
        };
        let first = match self.core.credentials.ready() {
            Some(ready) => ready?,
            None => self.authorization(TokenRequest::new(), None).await?,
        };
        // The call's headers, set once: the operation's, its host, id, token
        // and body encoding. Each attempt sends a copy.
        set_host(&mut headers, &url);
        headers.insert(CLIENT_REQUEST_ID, client_request_id.header());
        headers.insert(AUTHORIZATION, first);
        if plain.is_some() {
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        } else {
            headers.remove(CONTENT_ENCODING);
        }
        let mut redirects = 0;
        let mut refreshed = false;
        loop {
            if self.stopped() {
                return Err(stopped());
            }
            let mut request = Request::new(method.clone(), url.as_ref().clone());
            *request.headers_mut() = with_room(&headers);
            if self.retries > 0 {
                request
                    .headers_mut()
                    .insert(RETRY_ATTEMPT, HeaderValue::from(self.retries));
            }
            self.attempts += 1;
            let (status, version, answer_headers, answer_body) = match self
                .exchange(request, &url, &body)
                .await
            {
                Ok(answer) => answer,
                Err(failed) => {
                    let judged = classify(failed, &self.core.retry, self.core.max_response_bytes);
                    self.delivery = self.delivery.and(judged.delivery);
                    tracing::debug!(error = %judged.error, delivery = %self.delivery, "attempt failed");
                    if judged.may_resend && self.wait(None).await {
                        continue;
                    }
                    return Err(judged.error);
                }
            };
            self.delivery = self.delivery.and(Delivery::of_answer(status));
            tracing::debug!(status = status.as_u16(), "attempt answered");

            if status.is_redirection() {
                let next = destination::redirect(
                    &url,
                    &method,
                    status,
                    &answer_headers,
                    redirects,
                    self.core.max_redirects,
                )
                .map_err(|e| e.with_answer(status, &answer_headers))?;
                if !destination::same_origin(&url, &next) {
                    // No token travels to another origin.
                    headers.remove(AUTHORIZATION);
                }
                set_host(&mut headers, &next);
                url = Cow::Owned(next);
                redirects += 1;
                continue;
            }
            if status == StatusCode::UNAUTHORIZED
                && !refreshed
                && headers.contains_key(AUTHORIZATION)
                && self.core.credentials.can_refresh()
            {
                refreshed = true;
                let mut request = TokenRequest::new().with_force_refresh(true);
                if let Some(claims) = cae::challenge_claims(&answer_headers) {
                    request = request.with_claims(claims);
                }
                let fresh = self
                    .authorization(request, headers.get(AUTHORIZATION))
                    .await
                    .map_err(|e| e.with_answer(status, &answer_headers))?;
                headers.insert(AUTHORIZATION, fresh);
                continue;
            }
            if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                if let Some(plain) = plain.take() {
                    tracing::debug!("the service refused a gzip body; sending it plain");
                    body = plain;
                    headers.remove(CONTENT_ENCODING);
                    continue;
                }
            }
            let caller_paces =
                self.options.caller_paces_throttling && matches!(status.as_u16(), 429 | 503);
            if retry::is_retryable_status(status)
                && !caller_paces
                && self
                    .wait(retry::retry_after(&answer_headers, SystemTime::now()))
                    .await
            {
                continue;
            }
            return Ok(Answer {
                url: match url {
                    Cow::Owned(url) => Some(url),
                    Cow::Borrowed(_) => None,
                },
                status,
                version,
                headers: answer_headers,
                body: answer_body,
                attempts: 0,
                delivery: Delivery::NotSent,
            });
        }
    }

    /// Sends one request with `body` and reads its answer, within the
    /// attempt's time (reqwest's own timeout, which runs to the end of the
    /// body).
    async fn exchange(
        &self,
        mut request: Request,
        url: &Url,
        body: &Bytes,
    ) -> Result<
        (
            StatusCode,
            reqwest::Version,
            reqwest::header::HeaderMap,
            Bytes,
        ),
        Failed,
    > {
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
        body::read(response, self.core.max_response_bytes).await
    }

    fn stopped(&self) -> bool {
        self.options.stop.is_some_and(|stop| stop.is_stopped())
    }

    /// The `Authorization` header, within the call's deadline; a stopped
    /// run stops waiting for it.
    async fn authorization(
        &self,
        request: TokenRequest,
        rejected: Option<&HeaderValue>,
    ) -> Result<HeaderValue, Error> {
        let fetch = self
            .core
            .credentials
            .authorization(request, rejected, self.core.token_timeout);
        let fetch = async {
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
        };
        match self.options.stop {
            None => fetch.await,
            Some(stop) => stop
                .unless_stopped(fetch)
                .await
                .unwrap_or_else(|| Err(stopped())),
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
        let waited = match self.options.stop {
            None => {
                tokio::time::sleep(delay).await;
                true
            }
            Some(stop) => stop
                .unless_stopped(tokio::time::sleep(delay))
                .await
                .is_some(),
        };
        if !waited {
            tracing::debug!("the run was stopped: no retry is sent");
            return false;
        }
        self.waited += delay;
        self.retries += 1;
        true
    }
}

/// The `Host` header for `url`, as hyper would write it (the host, and a
/// port that is not the scheme's default), sliced from the URL's text and
/// kept per thread for the next call to the same host: hyper formats it
/// anew for every HTTP/1 request, about 2,800 instructions a call. On
/// HTTP/2 it equals `:authority`, as RFC 9113 §8.3.1 asks.
fn set_host(headers: &mut HeaderMap, url: &Url) {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(String, HeaderValue)>> =
            const { std::cell::RefCell::new(None) };
    }
    let authority = &url[url::Position::BeforeHost..url::Position::AfterPort];
    let host = LAST.with(|last| {
        let mut last = last.borrow_mut();
        match last.as_ref() {
            Some((cached, host)) if cached == authority => Some(host.clone()),
            _ => {
                let host = HeaderValue::from_str(authority)
                    .ok()
                    .filter(|_| !authority.is_empty())?;
                *last = Some((authority.to_owned(), host.clone()));
                Some(host)
            }
        }
    });
    match host {
        Some(host) => headers.insert(HOST, host),
        // No host to name: the HTTP stack decides.
        None => headers.remove(HOST),
    };
}

/// A copy of the call's headers for one attempt, with room for what the
/// attempt, reqwest and hyper add to it (`Retry-Attempt`, the HTTP client's
/// default headers, `content-length`): a clone has no room, and would grow
/// on the way out.
fn with_room(headers: &HeaderMap) -> HeaderMap {
    const ROOM: usize = 5;
    let mut copy = HeaderMap::with_capacity(headers.len() + ROOM);
    for (name, value) in headers {
        copy.append(name.clone(), value.clone());
    }
    copy
}

/// The error of a call whose run was stopped before it sent (again).
pub(crate) fn stopped() -> Error {
    Error::new(
        ErrorKind::Stopped,
        "the run was stopped before the request was sent",
    )
}
