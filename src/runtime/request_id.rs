//! The `client-request-id` of a call: sent on every attempt, quoted by
//! every outcome and error.

use reqwest::header::{HeaderName, HeaderValue};

/// The header that identifies a request on the client's side.
pub(crate) const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");

/// A call's `client-request-id`: a version 4 UUID, kept as its text so that
/// outcomes and errors can quote it without an allocation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClientRequestId([u8; uuid::fmt::Hyphenated::LENGTH]);

impl ClientRequestId {
    /// A fresh random id. It correlates logs, it guards nothing, so a fast
    /// non-cryptographic generator will do.
    pub(crate) fn new() -> Self {
        Self::from_uuid(
            uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid(),
        )
    }

    /// The id a request already carries, when it is a UUID.
    pub(crate) fn from_header(value: &HeaderValue) -> Option<Self> {
        uuid::Uuid::try_parse_ascii(value.as_bytes())
            .ok()
            .map(Self::from_uuid)
    }

    fn from_uuid(id: uuid::Uuid) -> Self {
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        id.hyphenated().encode_lower(&mut text);
        Self(text)
    }

    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The header value, made anew for each request that carries it.
    pub(crate) fn header(&self) -> HeaderValue {
        HeaderValue::from_str(self.as_str()).unwrap_or(HeaderValue::from_static(""))
    }
}

impl std::fmt::Debug for ClientRequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
