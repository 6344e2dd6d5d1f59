//! What a [`Pipeline`](super::Pipeline) sends with: the HTTP client, the
//! credentials and the limits of every call, as `ClientBuilder` set them.

use std::time::Duration;

use super::credentials::Credentials;
use super::retry::RetryPolicy;

/// The settings a call runs with; built only by `ClientBuilder`.
pub(crate) struct Settings {
    pub(crate) http: reqwest::Client,
    pub(crate) credentials: Credentials,
    pub(crate) retry: RetryPolicy,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) token_timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) max_redirects: usize,
    pub(crate) compress_requests: bool,
}
