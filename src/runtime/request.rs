//! A call as the runtime sees it: the operation's request going out, the
//! run it belongs to, and the final answer coming back.

use std::borrow::Cow;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Url, Version};

use super::delivery::Delivery;
use super::request_id::ClientRequestId;
use super::stop::StopHandle;

/// One call's request, as its operation built it: the same method, URL,
/// headers, id and body on every attempt. The call adds its `Host`,
/// `client-request-id`, token and body encoding to the headers (so they are
/// the call's to own); a retry adds `Retry-Attempt`.
pub(crate) struct Outgoing<'a> {
    pub(crate) method: Method,
    pub(crate) url: Cow<'a, Url>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) client_request_id: ClientRequestId,
}

/// How a call treats the run it belongs to.
#[derive(Clone, Copy, Default)]
pub(crate) struct CallOptions<'a> {
    /// Once given, the call sends nothing more and stops any wait (for its
    /// token or a retry), ending with what it has.
    pub(crate) stop: Option<&'a StopHandle>,
    /// A throttling answer (`429`/`503`) is returned at once, for the caller
    /// (a bulk run) to pace all its calls together.
    pub(crate) caller_paces_throttling: bool,
}

/// The service's final answer to a call, its body read within the cap.
pub(crate) struct Answer {
    /// The URL that answered, when the call owned it (a request handed over
    /// whole, or one redirected); a borrowed one is the caller's already.
    pub(crate) url: Option<Url>,
    pub(crate) status: StatusCode,
    pub(crate) version: Version,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) attempts: u32,
    pub(crate) delivery: Delivery,
}
