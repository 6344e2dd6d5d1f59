#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod cloud;
mod config;
mod credentials;
mod error;
mod outcome;
mod pipeline;
mod response;
mod retry;
mod secret;

pub mod generated;

#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;

#[cfg(feature = "emulator")]
pub mod emulator;

pub use client::Client;
pub use cloud::NationalCloud;
pub use config::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_REDIRECTS, MAX_REDIRECTS_CAP,
};
pub use credentials::{
    AccessToken, Credentials, TokenError, TokenFuture, TokenProvider, TOKEN_REFRESH_MARGIN,
};
pub use error::{Error, ErrorKind};
pub use outcome::{CloseOutcome, Invitation, InvitationOutcome, InvitationStatus, InviteeAction};
pub use pipeline::{Pipeline, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES};
pub use retry::{RetryPolicy, MAX_RETRIES_CAP};
pub use secret::Secret;
