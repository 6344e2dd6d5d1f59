//! The Graph HTTP runtime: everything a call of any operation needs on its
//! way to Microsoft Graph and back, and nothing of the action itself.
//!
//! A call is one [`Outgoing`] request (method, URL, headers and body, as the
//! generated client or the facade built it) sent by [`Pipeline`] in named
//! stages: per call, the token, the `client-request-id` and the span; per
//! attempt, send, classify and wait. The modules:
//!
//! - `pipeline`: the call loop and its settings; `classify`: what a failed
//!   exchange is (kind, delivery, may it be resent); `body`: the request
//!   body that knows whether it was read, the capped answer, gzip;
//! - `credentials` (and `azure`), `cae`: tokens, their cache and refresh;
//! - `retry`, `delivery`, `destination` (plain-http refusal, redirects),
//!   `request_id`, `stop`, `error`, `time`, `tls`, `cloud`, `secret`.
//!
//! This module never imports the action's modules (`client`, `outcome`,
//! `decode`, `bulk`, `generated`, `hooks`): `tests/layers.rs` checks it.

#[cfg(feature = "azure-identity")]
mod azure;
mod body;
mod cae;
mod call;
mod classify;
pub(crate) mod cloud;
pub(crate) mod credentials;
pub(crate) mod delivery;
pub(crate) mod destination;
pub(crate) mod error;
pub(crate) mod pipeline;
pub(crate) mod request;
pub(crate) mod request_id;
pub(crate) mod retry;
pub(crate) mod secret;
pub(crate) mod settings;
pub(crate) mod stop;
pub(crate) mod time;
pub(crate) mod tls;

pub use cloud::NationalCloud;
pub use credentials::{
    AccessToken, Credentials, TokenError, TokenFuture, TokenProvider, TokenRequest,
};
pub use delivery::Delivery;
pub use error::{Error, ErrorKind};
pub use pipeline::Pipeline;
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use stop::StopHandle;
