//! Request and answer bodies: a request body that tells whether the HTTP
//! stack read it, an answer read within a cap, gzip for requests.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use reqwest::header::HeaderMap;
use reqwest::{StatusCode, Version};

use super::classify::Failed;

/// A request body that records whether the HTTP stack read it. It tells
/// whether a request may have reached the service: a connection takes the
/// body only once it is established, so an attempt that failed before the
/// body was read (a timeout while still connecting, or while waiting for a
/// pooled connection) was not sent. It also cannot be cloned, so an HTTP
/// client (the caller's own) cannot resend it behind this pipeline's back:
/// every attempt is this pipeline's, and counted.
pub(crate) struct Watched {
    body: Option<Bytes>,
    read: Arc<AtomicBool>,
}

impl Watched {
    pub(crate) fn body(bytes: Bytes, read: Arc<AtomicBool>) -> reqwest::Body {
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

/// Reads the body into memory, at most `limit` bytes of it, so memory stays
/// bounded whatever the service sends. A body that comes in one chunk (the
/// usual case) is kept as it came, without a copy.
pub(crate) async fn read(
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

/// The gzip form of a body.
pub(crate) fn gzip(body: &Bytes) -> Bytes {
    use std::io::Write;

    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(body);
    encoder.finish().unwrap_or_default().into()
}
