//! The call loop's entry: a [`Pipeline`] sends one [`Outgoing`] request of
//! any operation until the service gives a final answer, within a `graph.request`
//! span. The stages of a call are in `call.rs`.

use std::fmt;
use std::sync::Arc;

use tracing::Instrument;

use super::call::Call;
use super::error::{Error, REQUEST_ID};
use super::request::{Answer, CallOptions, Outgoing};
use super::settings::Settings;

/// The request pipeline behind a [`Client`](crate::Client) and its generated
/// client: credentials, `client-request-id`, retries, redirects, timeouts,
/// the body cap, delivery state and tracing, for any operation. Cheap to
/// clone; a [`generated::Client`](crate::generated::Client) made by hand
/// takes the one a client was built with:
/// `generated::ClientInfo::inner(client.generated()).clone()`.
#[derive(Clone)]
pub struct Pipeline(Arc<Settings>);

impl Pipeline {
    pub(crate) fn new(settings: Settings) -> Self {
        Self(Arc::new(settings))
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.0
    }

    /// The HTTP client the pipeline sends with.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.0.http
    }

    /// Sends `outgoing` until the service gives a final answer, or fails
    /// with an error that says what happened over all attempts. `http`
    /// sends the requests: the pipeline's own, or a generated client's.
    pub(crate) async fn send(
        &self,
        http: &reqwest::Client,
        outgoing: Outgoing<'_>,
        options: CallOptions<'_>,
    ) -> Result<Answer, Error> {
        let span = tracing::debug_span!(
            "graph.request",
            otel.name = outgoing.method.as_str(),
            otel.kind = "client",
            http.request.method = outgoing.method.as_str(),
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
        let mut call = Call::new(self.settings(), http, options);
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

impl fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let core = self.settings();
        f.debug_struct("Pipeline")
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
