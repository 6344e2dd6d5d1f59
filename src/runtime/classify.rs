//! What a failed exchange is: its error kind, what it tells of delivery,
//! and whether the retry policy may send the request again. One place to
//! judge, so a misjudged delivery has one obvious home.

use reqwest::header::HeaderMap;
use reqwest::{StatusCode, Url};

use super::delivery::Delivery;
use super::error::{Error, ErrorKind};
use super::retry::RetryPolicy;

/// Whether the HTTP stack read a request's body.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyRead {
    Yes,
    No,
}

/// How one exchange failed before a whole answer was read.
pub(crate) enum Failed {
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

/// A failed exchange, judged.
pub(crate) struct Classified {
    pub(crate) error: Error,
    pub(crate) delivery: Delivery,
    pub(crate) may_resend: bool,
}

/// Judges `failed`: `max_response_bytes` names the cap in the error a body
/// too large gets.
pub(crate) fn classify(
    failed: Failed,
    retry: &RetryPolicy,
    max_response_bytes: usize,
) -> Classified {
    let possibly_sent = retry.retries_when_possibly_sent();
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
        Failed::Send(cause, _) if cause.is_connect() => {
            (connect_error(cause), Delivery::NotSent, true)
        }
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
                format!("the response body is larger than the limit of {max_response_bytes} bytes"),
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
    Classified {
        error,
        delivery,
        may_resend,
    }
}

/// A failed connect names where it went and why in its own words: the
/// address and the operating system's reason ("connection refused") are
/// otherwise only deep in `source()`.
fn connect_error(cause: reqwest::Error) -> Error {
    let place = cause
        .url()
        .map(|url| {
            let host = url.host_str().unwrap_or_default();
            match url.port_or_known_default() {
                Some(port) => format!(" at {host}:{port}"),
                None => format!(" at {host}"),
            }
        })
        .unwrap_or_default();
    let reason = root_cause(&cause);
    Error::new(
        ErrorKind::Connect,
        format!("could not connect to the service{place}: {reason}"),
    )
    .with_source(cause)
}

/// The innermost error's words: the operating system's reason.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut last = error;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
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
