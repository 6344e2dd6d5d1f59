//! The one error type of the facade.

use std::fmt;

use reqwest::StatusCode;

/// What went wrong, and so whether the request may have reached the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client's configuration is invalid; nothing was sent.
    Config,
    /// The input was rejected before any I/O; nothing was sent.
    InvalidInput,
    /// No token could be had from the credentials, or the service rejected
    /// the token and no fresh one could be had.
    Credentials,
    /// No connection could be made; the request was not sent.
    Connect,
    /// The connection broke; the request may have been processed.
    Transport,
    /// No answer within the timeout; the request may have been processed.
    Timeout,
    /// The service answered with an error status (and usually the Graph error
    /// envelope, see [`Error::code`]).
    Service,
    /// The service answered with a body that could not be read as the
    /// contract says; [`Error::body_excerpt`] shows its start.
    UnreadableResponse,
    /// The response body was larger than the configured limit.
    ResponseTooLarge,
}

impl ErrorKind {
    /// Whether the service may have received and processed the request.
    pub fn may_have_been_sent(self) -> bool {
        !matches!(
            self,
            Self::Config | Self::InvalidInput | Self::Credentials | Self::Connect
        )
    }
}

/// The error of every fallible call of this crate.
///
/// Branch on [`kind`](Error::kind) and, for [`ErrorKind::Service`], on
/// [`code`](Error::code) — never on [`message`](Error::message).
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Default)]
struct Inner {
    kind: Option<ErrorKind>,
    summary: String,
    field: Option<String>,
    status: Option<StatusCode>,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    client_request_id: Option<String>,
    date: Option<String>,
    retry_after: Option<String>,
    diagnostic: Option<String>,
    body_excerpt: Option<String>,
    attempts: u32,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// The most characters of an unreadable body kept in an error.
pub(crate) const EXCERPT_CHARS: usize = 512;

impl Error {
    pub(crate) fn new(kind: ErrorKind, summary: impl Into<String>) -> Self {
        Self {
            inner: Box::new(Inner {
                kind: Some(kind),
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

    pub(crate) fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        self.inner.source = Some(source.into());
        self
    }

    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.inner.status = Some(status);
        self
    }

    pub(crate) fn with_service_error(
        mut self,
        code: Option<String>,
        message: Option<String>,
        date: Option<String>,
    ) -> Self {
        self.inner.code = code;
        self.inner.message = message;
        self.inner.date = date;
        self
    }

    pub(crate) fn with_request_id(mut self, request_id: Option<String>) -> Self {
        if request_id.is_some() {
            self.inner.request_id = request_id;
        }
        self
    }

    pub(crate) fn with_client_request_id(mut self, client_request_id: String) -> Self {
        self.inner.client_request_id = Some(client_request_id);
        self
    }

    pub(crate) fn with_retry_after(mut self, retry_after: Option<String>) -> Self {
        self.inner.retry_after = retry_after;
        self
    }

    pub(crate) fn with_diagnostic(mut self, diagnostic: Option<String>) -> Self {
        self.inner.diagnostic = diagnostic;
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

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = attempts;
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind.unwrap_or(ErrorKind::Transport)
    }

    /// Whether the service may have received and processed the request.
    pub fn may_have_been_sent(&self) -> bool {
        self.kind().may_have_been_sent()
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
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

    /// The `client-request-id` this client sent.
    pub fn client_request_id(&self) -> Option<&str> {
        self.inner.client_request_id.as_deref()
    }

    /// When the service says the error happened (`innerError.date` or `Date`).
    pub fn date(&self) -> Option<&str> {
        self.inner.date.as_deref()
    }

    /// The `Retry-After` the service sent with the error, as sent.
    pub fn retry_after(&self) -> Option<&str> {
        self.inner.retry_after.as_deref()
    }

    /// Graph's `x-ms-ags-diagnostic` response header (the serving data
    /// centre and server), for support requests.
    pub fn diagnostic(&self) -> Option<&str> {
        self.inner.diagnostic.as_deref()
    }

    /// For [`ErrorKind::InvalidInput`]: the field at fault, e.g.
    /// `invitations[1].validation_token`.
    pub fn field(&self) -> Option<&str> {
        self.inner.field.as_deref()
    }

    /// For [`ErrorKind::UnreadableResponse`] and [`ErrorKind::ResponseTooLarge`]:
    /// the start of the body, at most 512 characters.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.inner.body_excerpt.as_deref()
    }

    /// How many attempts were made (0 when nothing was sent).
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
        s.field("kind", &self.kind())
            .field("summary", &inner.summary);
        let optional = [
            ("field", &inner.field),
            ("code", &inner.code),
            ("message", &inner.message),
            ("request_id", &inner.request_id),
            ("client_request_id", &inner.client_request_id),
            ("date", &inner.date),
            ("retry_after", &inner.retry_after),
            ("diagnostic", &inner.diagnostic),
            ("body_excerpt", &inner.body_excerpt),
        ];
        if let Some(status) = inner.status {
            s.field("status", &status.as_u16());
        }
        for (name, value) in optional {
            if let Some(value) = value {
                s.field(name, value);
            }
        }
        if inner.attempts > 0 {
            s.field("attempts", &inner.attempts);
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
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
