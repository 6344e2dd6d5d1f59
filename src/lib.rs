//! A client for the Microsoft Graph **beta** action
//! `POST /linkedIn/invitations/inviteeClosingInvitation`: an invitee accepts or
//! ignores LinkedIn invitations in one call, and learns each invitation's
//! outcome.
//!
//! Beta APIs in Microsoft Graph are subject to change and not supported in
//! production applications.
//!
//! # Example
//!
//! Build a [`Client`] once (cheap to clone), then [`Client::accept`],
//! [`Client::ignore`] or [`Client::close`]. This one runs against the bundled
//! [emulator] (feature `emulator`); against Graph, drop
//! `base_url` (or pick a [`NationalCloud`]) and pass real credentials.
//!
//! ```
//! # #[cfg(feature = "emulator")]
//! # mod run {
//! use linkedin_invitations::emulator::Emulator;
//! use linkedin_invitations::{Client, Invitation, InvitationStatus};
//!
//! #[tokio::main(flavor = "current_thread")]
//! pub async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let emulator = Emulator::builder()
//!         .invitation("inv-1", "vt-1")
//!         .start()
//!         .await?;
//!     let client = Client::builder()
//!         .base_url(emulator.url())
//!         .bearer_token("a token")
//!         .build()?;
//!
//!     let outcome = client
//!         .accept([Invitation::new("inv-1", "vt-1"), Invitation::new("inv-2", "vt-2")])
//!         .await?;
//!     for item in outcome.outcomes() {
//!         println!("{}: {}", item.id(), item.status()); // "inv-2: not found (404)"
//!     }
//!     assert_eq!(outcome.outcome("inv-1").map(|o| o.status()), Some(InvitationStatus::Closed));
//!     Ok(())
//! }
//! # }
//! # #[cfg(feature = "emulator")]
//! # fn main() { run::main().unwrap() }
//! # #[cfg(not(feature = "emulator"))]
//! # fn main() {}
//! ```
//!
//! Against Graph, with a token from the environment:
//!
//! ```rust,no_run
//! use linkedin_invitations::{Client, ErrorKind, Invitation, NationalCloud};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), linkedin_invitations::Error> {
//!     let client = Client::builder()
//!         .national_cloud(NationalCloud::Global) // the default
//!         .bearer_token(std::env::var("GRAPH_TOKEN").unwrap_or_default())
//!         .build()?;
//!
//!     let outcome = client
//!         .accept([
//!             Invitation::new("6912043412391845888", "validation-token-1"),
//!             Invitation::new("6912043412391845999", "validation-token-2").with_tracking_id("campaign-42"),
//!         ])
//!         .await?;
//!
//!     for item in outcome.failed() {
//!         eprintln!("{} not accepted: {} {}", item.id(), item.status(), item.message().unwrap_or(""));
//!     }
//!     println!("request-id {}", outcome.request_id().unwrap_or("-"));
//!
//!     match client.ignore([Invitation::new("6912043412391845000", "token")]).await {
//!         Ok(outcome) => println!("{} ignored", outcome.succeeded().count()),
//!         Err(e) if e.kind() == ErrorKind::Service => eprintln!(
//!             "service said {}: {} (request-id {})",
//!             e.code().unwrap_or("-"),
//!             e.message().unwrap_or("-"),
//!             e.request_id().unwrap_or("-")
//!         ),
//!         Err(e) => return Err(e),
//!     }
//!     Ok(())
//! }
//! ```
//!
//! Every fallible call returns [`Error`]: branch on [`Error::kind`], and
//! before resending this non-idempotent POST, on [`Error::delivery`]
//! ([`Delivery`] says whether the call may have taken effect).
//!
//! # Credentials
//!
//! A fixed token ([`ClientBuilder::bearer_token`]) or a [`TokenProvider`]: an
//! async closure taking a [`TokenRequest`] will do
//! ([`ClientBuilder::token_provider`]). Tokens with an expiry are cached until
//! five minutes before it; after a `401` the provider is asked once for a fresh
//! token, with the claims of a continuous-access-evaluation challenge. With
//! feature `azure-identity`, any `azure_core` `TokenCredential` (client secret,
//! certificate, managed identity, workload identity, developer tools) is
//! credentials: see `Credentials::from_token_credential`.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `rustls` | yes | TLS by rustls with aws-lc-rs (reqwest's default) |
//! | `rustls-ring` | | TLS by rustls with *ring*: no C/CMake toolchain, a faster clean build |
//! | `native-tls` | | the platform's TLS (OpenSSL on Linux); wins when several are on |
//! | `azure-identity` | | `Credentials::from_token_credential`, for `azure_identity` 1.x credentials |
//! | `emulator` | | [`emulator::Emulator`], an in-process emulator of the action, for tests and local runs |
//! | `test-util` | | `test_util`: [`CloseOutcome`], [`InvitationOutcome`] and [`Error`] values for your own unit tests |
//! | `cli` | | the `linkedin-invitations` command (implies `emulator`) |
//!
//! Choose a TLS backend with `default-features = false, features = ["rustls-ring"]`.
//! With none, only plain `http` to loopback works (an emulator).
//!
//! # Where things are
//!
//! - [`emulator::Emulator`] (feature `emulator`): the action on loopback, with
//!   state, faults and throttling; it runs on a Tokio runtime.
//! - [`generated`]: the client and types progenitor generates from the OpenAPI
//!   document; [`Client::generated`] hands out the facade's own, which sends
//!   through the same [`Pipeline`].
//! - [`reqwest`] and [`uuid`] are re-exported, at the versions the public API
//!   uses ([`ClientBuilder::with_http_client`], the generated builders).
//!
//! Tracing: every call is one `graph.request` span with OpenTelemetry's HTTP
//! client fields (`http.request.method`, `url.full`, `server.address`,
//! `http.response.status_code`, `http.request.resend_count`, `error.type`) and
//! Graph's `client_request_id` and `request_id`.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The generated types name `::linkedin_invitations::Secret` (`x-rust-type`).
extern crate self as linkedin_invitations;

mod bulk;
mod client;
mod cloud;
mod config;
mod constraints;
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
mod time;

pub mod generated;

/// The date types of the contract's `date-time` and `date` properties.
pub use chrono;
pub use reqwest;
/// The JSON Schema crate the generated types derive `JsonSchema` from (0.8):
/// `linkedin_invitations::schemars::schema_for!(generated::types::InviteeClosingInvitationRequest)`.
pub use schemars;
pub use uuid;

#[cfg(feature = "test-util")]
pub mod test_util;

#[cfg(feature = "azure-identity")]
mod azure;

mod tls;

#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;

#[cfg(feature = "emulator")]
pub mod emulator;

pub use bulk::{
    BatchInfo, BatchSending, BoxError, Bulk, BulkItem, BulkObserver, BulkResult, BulkStream,
    StopHandle, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, DEFAULT_MAX_THROTTLED_RESENDS,
    MAX_BATCH_SIZE, MAX_REQUEST_BYTES,
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
pub use hooks::{GeneratedCall, GeneratedError, CALL_RECORD_HEADER};
pub use outcome::{
    CloseOutcome, ClosedBy, Invitation, InvitationOutcome, InvitationStatus, InviteeAction,
};
pub use pipeline::Pipeline;
pub use retry::{RetryPolicy, MAX_RETRIES_CAP};
pub use secret::Secret;
