//! The one error type of the crate.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, LOCATION, WWW_AUTHENTICATE};
use reqwest::StatusCode;

use super::delivery::Delivery;

/// The header that identifies a request on the service's side.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
/// Graph's diagnostic header: which data centre and server answered.
const DIAGNOSTIC: HeaderName = HeaderName::from_static("x-ms-ags-diagnostic");

/// What went wrong. Whether the call may have taken effect is
/// [`Error::delivery`], which looks at every attempt, not only the last.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client's configuration is invalid; nothing was sent.
    Config,
    /// The input was rejected before any I/O; nothing was sent.
    InvalidInput,
    /// No token could be had from the credentials (in time), or the service
    /// rejected the token and no fresh one could be had.
    Credentials,
    /// No connection could be made.
    Connect,
    /// The connection broke.
    #[default]
    Transport,
    /// The call, an attempt or the token fetch ran out of time.
    Timeout,
    /// A redirect that a POST must not follow (`301`/`302`/`303`, or to plain
    /// http, or more than allowed); see [`Error::location`].
    Redirect,
    /// The service answered with an error status; [`Error::code`] is the
    /// Graph error envelope's code when the body was one (a gateway's HTML
    /// page has none: see [`Error::body_excerpt`]).
    Service,
    /// The service answered with a status or body the contract does not
    /// allow; [`Error::body_excerpt`] shows the body's start.
    UnreadableResponse,
    /// The response body was larger than the configured limit.
    ResponseTooLarge,
    /// A bulk run was stopped (dropped, stopped, or its observer failed)
    /// before this batch was sent, or sent again; see
    /// [`Error::delivery`] for what earlier attempts did.
    Stopped,
}

impl ErrorKind {
    /// The kind's name, as in logs (`error.type`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Config => "config",
            Self::InvalidInput => "invalid_input",
            Self::Credentials => "credentials",
            Self::Connect => "connect",
            Self::Transport => "transport",
            Self::Timeout => "timeout",
            Self::Redirect => "redirect",
            Self::Service => "service",
            Self::UnreadableResponse => "unreadable_response",
            Self::ResponseTooLarge => "response_too_large",
            Self::Stopped => "stopped",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of every fallible call of this crate.
///
/// Branch on [`kind`](Error::kind), on [`delivery`](Error::delivery) before
/// resending, and for [`ErrorKind::Service`] on [`code`](Error::code) — never
/// on [`message`](Error::message). The statuses every caller handles have
/// names: [`is_unauthorized`](Error::is_unauthorized) (`401`),
/// [`is_forbidden`](Error::is_forbidden) (`403`),
/// [`is_not_found`](Error::is_not_found) (`404`) and
/// [`is_throttled`](Error::is_throttled) (`429`). Cheap to clone.
///
/// ```
/// use linkedin_invitations::{Client, Error, ErrorKind, Invitation};
///
/// async fn close(client: &Client, invitation: Invitation) -> Result<(), Error> {
///     match client.accept([invitation]).await {
///         Ok(_) => Ok(()),
///         Err(e) if e.is_throttled() => {
///             let wait = e.retry_after().unwrap_or(std::time::Duration::from_secs(10));
///             eprintln!("throttled: try again in {wait:?}");
///             Err(e)
///         }
///         Err(e) if e.is_unauthorized() || e.is_forbidden() => {
///             eprintln!("check the app's credentials and its permission: {e}");
///             Err(e)
///         }
///         Err(e) if e.kind() == ErrorKind::Stopped || !e.may_have_been_sent() => {
///             eprintln!("nothing was sent, resending is safe: {e}");
///             Err(e)
///         }
///         Err(e) => Err(e),
///     }
/// }
/// ```
#[derive(Clone)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone, Default)]
struct Inner {
    kind: ErrorKind,
    summary: String,
    field: Option<String>,
    status: Option<StatusCode>,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    client_request_id: Option<String>,
    date: Option<String>,
    retry_after: Option<Duration>,
    diagnostic: Option<String>,
    location: Option<String>,
    www_authenticate: Option<String>,
    body_excerpt: Option<String>,
    attempts: u32,
    delivery: Delivery,
    source: Option<Arc<BoxError>>,
}

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The most characters of a body kept in an error.
pub(crate) const EXCERPT_CHARS: usize = 512;

impl Error {
    pub(crate) fn new(kind: ErrorKind, summary: impl Into<String>) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                summary: summary.into(),
                ..Inner::default()
            }),
        }
    }

    pub(crate) fn invalid_input(field: impl Into<String>, problem: &str) -> Self {
        let field = field.into();
        let mut error = Self::new(
            ErrorKind::InvalidInput,
            format!("invalid input: {field} {problem}"),
        );
        error.inner.field = Some(field);
        error
    }

    pub(crate) fn config(summary: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, summary)
    }

    pub(crate) fn with_source(self, source: impl Into<BoxError>) -> Self {
        self.with_shared_source(Arc::new(source.into()))
    }

    /// A source several errors share (one token fetch, many waiting calls);
    /// [`source`](std::error::Error::source) gives it back as it was, so a
    /// caller can downcast it to its own type.
    pub(crate) fn with_shared_source(mut self, source: Arc<BoxError>) -> Self {
        self.inner.source = Some(source);
        self
    }

    /// Keeps what an answer's status line and headers say: status,
    /// `request-id`, `Retry-After`, diagnostics, `Location`, the challenge.
    pub(crate) fn with_answer(mut self, status: StatusCode, headers: &HeaderMap) -> Self {
        let text = |name: &HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let inner = &mut self.inner;
        inner.status = Some(status);
        inner.request_id = text(&REQUEST_ID).or(inner.request_id.take());
        inner.retry_after = super::retry::retry_after(headers, SystemTime::now());
        inner.diagnostic = text(&DIAGNOSTIC);
        inner.location = text(&LOCATION);
        inner.www_authenticate = text(&WWW_AUTHENTICATE);
        self
    }

    /// Keeps the Graph error envelope's fields; the header `request-id`
    /// wins over the envelope's.
    pub(crate) fn with_envelope(
        mut self,
        code: String,
        message: String,
        request_id: Option<String>,
        date: Option<String>,
    ) -> Self {
        let inner = &mut self.inner;
        inner.code = Some(code);
        inner.message = Some(message);
        inner.date = date;
        if inner.request_id.is_none() {
            inner.request_id = request_id;
        }
        self
    }

    pub(crate) fn with_body_excerpt(mut self, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
        let mut excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
        if text.chars().nth(EXCERPT_CHARS).is_some() {
            excerpt.push('…');
        }
        self.inner.body_excerpt = Some(excerpt);
        self
    }

    /// Records what the call as a whole did: its attempts, its delivery and
    /// the `client-request-id` it sent.
    pub(crate) fn with_call(
        mut self,
        attempts: u32,
        delivery: Delivery,
        client_request_id: Option<&str>,
    ) -> Self {
        let inner = &mut self.inner;
        inner.attempts = attempts;
        inner.delivery = delivery;
        inner.client_request_id = client_request_id.map(str::to_owned);
        self
    }

    pub(crate) fn with_location(mut self, location: &str) -> Self {
        self.inner.location = Some(location.to_owned());
        self
    }

    pub(crate) fn with_delivery(mut self, delivery: Delivery) -> Self {
        self.inner.delivery = delivery;
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// What is known of whether the call took effect, over all its attempts.
    pub fn delivery(&self) -> Delivery {
        self.inner.delivery
    }

    /// Whether any request of the call may have reached the service:
    /// `false` only when none left this client or the service refused each
    /// unprocessed (HTTP/2 `REFUSED_STREAM`), so resending is safe.
    pub fn may_have_been_sent(&self) -> bool {
        self.inner.delivery.may_have_been_sent()
    }

    /// The HTTP status of the last answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
    }

    /// `401`: the service refused the token, a freshly fetched one too
    /// (wrong tenant or audience, an expired secret, a revoked session).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// `403`: the token is valid but lacks the permission this action needs.
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(StatusCode::FORBIDDEN)
    }

    /// `404`: the service knows no such resource.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// `429`: the service is throttling this client; wait
    /// [`retry_after`](Error::retry_after), when it says, before sending more.
    pub fn is_throttled(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// The service's error code (`error.code`), e.g. `BadRequest`.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// The service's error message (`error.message`), for people.
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }

    /// The service's `request-id`, from the response header or the envelope.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The `client-request-id` this client sent (the same on every attempt).
    pub fn client_request_id(&self) -> Option<&str> {
        self.inner.client_request_id.as_deref()
    }

    /// When the service says the error happened (`innerError.date` or `Date`).
    pub fn date(&self) -> Option<&str> {
        self.inner.date.as_deref()
    }

    /// How long the service asked to wait (`Retry-After`, in seconds or as
    /// an HTTP date, measured when the answer came).
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// Graph's `x-ms-ags-diagnostic` response header (the serving data
    /// centre and server), for support requests.
    pub fn diagnostic(&self) -> Option<&str> {
        self.inner.diagnostic.as_deref()
    }

    /// For [`ErrorKind::Redirect`]: where the service redirected to.
    pub fn location(&self) -> Option<&str> {
        self.inner.location.as_deref()
    }

    /// For a `401`: the `WWW-Authenticate` challenge, whose `claims` a
    /// continuous-access-evaluation token request must carry.
    pub fn www_authenticate(&self) -> Option<&str> {
        self.inner.www_authenticate.as_deref()
    }

    /// For [`ErrorKind::InvalidInput`]: the field at fault, e.g.
    /// `invitations[1].validation_token`.
    pub fn field(&self) -> Option<&str> {
        self.inner.field.as_deref()
    }

    /// The start of a body that was not what the contract says (a gateway's
    /// HTML page, a body over the limit), at most 512 characters.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.inner.body_excerpt.as_deref()
    }

    /// How many requests the call sent, retries and redirects included
    /// (0 when none was).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.summary)?;
        if let Some(status) = self.inner.status {
            write!(f, " (status {}", status.as_u16())?;
            if let Some(code) = &self.inner.code {
                write!(f, ", code {code}")?;
            }
            if let Some(id) = &self.inner.request_id {
                write!(f, ", request-id {id}")?;
            }
            f.write_str(")")?;
        }
        if let Some(message) = &self.inner.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let mut s = f.debug_struct("Error");
        s.field("kind", &inner.kind)
            .field("summary", &inner.summary)
            .field("delivery", &inner.delivery)
            .field("attempts", &inner.attempts);
        if let Some(status) = inner.status {
            s.field("status", &status.as_u16());
        }
        let optional = [
            ("field", &inner.field),
            ("code", &inner.code),
            ("message", &inner.message),
            ("request_id", &inner.request_id),
            ("client_request_id", &inner.client_request_id),
            ("date", &inner.date),
            ("diagnostic", &inner.diagnostic),
            ("location", &inner.location),
            ("www_authenticate", &inner.www_authenticate),
            ("body_excerpt", &inner.body_excerpt),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                s.field(name, value);
            }
        }
        if let Some(wait) = inner.retry_after {
            s.field("retry_after", &wait);
        }
        if let Some(source) = &inner.source {
            s.field("source", source);
        }
        s.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| &**e as &(dyn std::error::Error + 'static))
    }
}
