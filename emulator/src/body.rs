//! Bodies: the request body read within the emulator's limits, and the
//! response body, which a fault may cut short.

use std::future::Future;
use std::io::Read;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{header, HeaderMap, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Frame, Incoming, SizeHint};

/// The most bytes a request body may hold, as sent or once inflated.
pub(crate) const MAX_BODY: usize = 1024 * 1024;

/// Why a body was refused: the status, the Graph code and the message.
pub(crate) type Refusal = (StatusCode, &'static str, String);

/// The whole request body, inflated from `Content-Encoding: gzip`, or why
/// it cannot be had within `MAX_BODY` bytes and `timeout`.
pub(crate) async fn read(
    headers: &HeaderMap,
    body: Incoming,
    timeout: Duration,
) -> Result<Bytes, Refusal> {
    let too_large = || {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            format!("the body is larger than {MAX_BODY} bytes"),
        )
    };
    let collect = Limited::new(body, MAX_BODY).collect();
    tokio::pin!(collect);
    // A body that came with its head needs no timer: look before arming one.
    let already_in = collect
        .as_mut()
        .poll(&mut Context::from_waker(std::task::Waker::noop()));
    let collected = match already_in {
        Poll::Ready(collected) => collected,
        Poll::Pending => tokio::time::timeout(timeout, collect).await.map_err(|_| {
            (
                StatusCode::REQUEST_TIMEOUT,
                "RequestTimeout",
                format!("the body did not arrive within {timeout:?}"),
            )
        })?,
    };
    let raw = match collected {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<LengthLimitError>() => return Err(too_large()),
        Err(error) => {
            return Err((
                StatusCode::BAD_REQUEST,
                "BadRequest",
                format!("the body could not be read: {error}"),
            ))
        }
    };
    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap_or("?").trim().to_ascii_lowercase());
    match encoding.as_deref() {
        None | Some("identity") => Ok(raw),
        Some("gzip") => {
            // Every member of a multi-member file (RFC 1952 §2.2), and
            // nothing after the last: trailing bytes must form a member.
            let mut inflated = Vec::new();
            flate2::read::MultiGzDecoder::new(&raw[..])
                .take(MAX_BODY as u64 + 1)
                .read_to_end(&mut inflated)
                .map_err(|e| {
                    (
                        StatusCode::BAD_REQUEST,
                        "BadRequest",
                        format!("the gzip body does not inflate: {e}"),
                    )
                })?;
            if inflated.len() > MAX_BODY {
                return Err(too_large());
            }
            Ok(inflated.into())
        }
        Some(other) => Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            format!("Content-Encoding {other} is not supported"),
        )),
    }
}

/// A response body: whole, or cut after its first half by a fault.
#[derive(Debug)]
pub(crate) struct Body {
    data: Option<Bytes>,
    truncated: bool,
    /// A truncated body pauses once after its data, so that the server
    /// flushes the head and the half before the failure closes the socket.
    paused: bool,
}

impl Body {
    pub(crate) fn full(data: Bytes) -> Self {
        Self {
            data: Some(data),
            truncated: false,
            paused: false,
        }
    }

    /// The whole data of a body that is not cut short.
    pub(crate) fn into_bytes(self) -> Bytes {
        self.data.unwrap_or_default()
    }

    /// Sends the first half of `data`, then fails, which makes the server
    /// close the connection short of the announced `Content-Length`.
    pub(crate) fn truncated(data: Bytes) -> Self {
        let half = data.slice(..data.len() / 2);
        Self {
            data: Some(half),
            truncated: true,
            paused: false,
        }
    }
}

/// The error that cuts a truncated body.
#[derive(Debug, thiserror::Error)]
#[error("the emulator cut this response short on purpose")]
pub(crate) struct CutShort;

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = CutShort;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, CutShort>>> {
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if !self.truncated {
            return Poll::Ready(None);
        }
        if !self.paused {
            self.paused = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        Poll::Ready(Some(Err(CutShort)))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && !self.truncated
    }

    fn size_hint(&self) -> SizeHint {
        match &self.data {
            Some(data) if !self.truncated => SizeHint::with_exact(data.len() as u64),
            _ if !self.truncated => SizeHint::with_exact(0),
            _ => SizeHint::default(),
        }
    }
}
