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
//! [`Client::ignore`] or [`Client::close`]. This one runs against the
//! emulator of the action, the `linkedin-invitations-emulator` crate of this
//! repository (`emulator/`); against Graph, drop `base_url` (or pick a
//! [`NationalCloud`]) and pass real credentials.
//!
//! ```
//! use linkedin_invitations::{Client, Invitation, InvitationStatus};
//! use linkedin_invitations_emulator::Emulator;
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
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
//! | `test-util` | | `test_util`: [`CloseOutcome`], [`InvitationOutcome`] and [`Error`] values for your own unit tests |
//!
//! Choose a TLS backend with `default-features = false, features = ["rustls-ring"]`.
//! With none, only plain `http` to loopback works (an emulator).
//!
//! # Where things are
//!
//! Three layers, each importing only the ones below it:
//!
//! - [`generated`]: the client and types progenitor generates from the OpenAPI
//!   document; [`Client::generated`] hands out the facade's own, which sends
//!   through the same [`Pipeline`].
//! - the runtime (`src/runtime/`): a Microsoft Graph HTTP pipeline for any
//!   request — credentials, `client-request-id`, retries, redirects, timeouts,
//!   the body cap, delivery, tracing — that names nothing of this action.
//! - the ergonomic facade: [`Client`] and [`ClientBuilder`] (every setting;
//!   their defaults in [`defaults`]), [`Invitation`], [`CloseOutcome`],
//!   [`Error`], and [`Bulk`] for any number of invitations: the [`bulk`]
//!   module classifies each result ([`Disposition`]) and keeps the resumable
//!   journal the command keeps ([`bulk::Journal`]).
//! - Beside the crate: the emulator of the action on loopback, with state,
//!   faults and throttling, is the `linkedin-invitations-emulator` package
//!   (`emulator/`); the `linkedin-invitations` command is the
//!   `linkedin-invitations-cli` package (`cli/`).
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

mod client;
mod config;
mod constraints;
mod decode;
mod hooks;
mod outcome;
mod runtime;

pub mod bulk;
pub mod defaults;
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

#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;

pub use bulk::{
    BatchInfo, BatchSending, BoxError, Bulk, BulkItem, BulkObserver, BulkResult, BulkStream,
    Disposition,
};
pub use client::Client;
pub use config::ClientBuilder;
pub use hooks::{GeneratedCall, GeneratedError, CALL_RECORD_HEADER};
pub use outcome::{
    CloseOutcome, ClosedBy, Invitation, InvitationOutcome, InvitationStatus, InviteeAction,
};
pub use runtime::{
    AccessToken, Credentials, Delivery, Error, ErrorKind, NationalCloud, Pipeline, RetryPolicy,
    Secret, StopHandle, TokenError, TokenFuture, TokenProvider, TokenRequest,
};
