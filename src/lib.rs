#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The generated types name `::linkedin_invitations::Secret` (`x-rust-type`).
extern crate self as linkedin_invitations;

mod bulk;
mod client;
mod cloud;
mod config;
mod credentials;
mod decode;
mod delivery;
mod destination;
mod error;
mod hooks;
mod outcome;
mod pipeline;
mod retry;
mod secret;

pub mod generated;

#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;

#[cfg(feature = "emulator")]
pub mod emulator;

#[cfg(feature = "contract")]
pub mod contract;

pub use bulk::{
    BatchInfo, BatchSending, BoxError, Bulk, BulkItem, BulkObserver, BulkResult, BulkStream,
    StopHandle, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, DEFAULT_MAX_THROTTLED_RESENDS,
};
pub use client::Client;
pub use cloud::NationalCloud;
pub use config::{
    ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_REDIRECTS,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TOKEN_TIMEOUT, MAX_REDIRECTS_CAP,
};
pub use credentials::{
    AccessToken, Credentials, TokenError, TokenFuture, TokenProvider, TokenRequest,
    TOKEN_REFRESH_MARGIN,
};
pub use delivery::Delivery;
pub use error::{Error, ErrorKind};
pub use hooks::GeneratedError;
pub use outcome::{
    CloseOutcome, ClosedBy, Invitation, InvitationOutcome, InvitationStatus, InviteeAction,
};
pub use pipeline::Pipeline;
pub use retry::{RetryPolicy, MAX_RETRIES_CAP};
pub use secret::Secret;
