//! The client and types that progenitor generates from `openapi/invitations.yaml`.
//!
//! Use it directly when you want the raw operation builder; the facade
//! ([`crate::Client`]) shares its pipeline: [`crate::Client::generated`]
//! hands it out. Its hooks send every request through that
//! [`Pipeline`](crate::Pipeline) (credentials, `client-request-id`, retries,
//! redirects, timeouts, body cap), and [`crate::Error::from`] turns its errors
//! into the crate's typed [`Error`](crate::Error).
//!
//! Every type of `types` is `#[non_exhaustive]`, so that a property or
//! member the contract gains later breaks no code: build values with `new`
//! (the required properties; the optional ones start unset, then set them
//! as fields) or with `builder()`, and match enums with a `_` arm. An enum of
//! plain members lists them in `ALL`.
//!
//! The types derive `schemars::JsonSchema` of schemars 0.8, which this crate
//! re-exports as [`crate::schemars`] (no dependency of your own needed; a
//! `schemars` 1.x of yours would not see the derive):
//!
//! ```
//! use linkedin_invitations::generated::types;
//!
//! let schema = linkedin_invitations::schemars::schema_for!(types::InviteeClosingInvitationRequest);
//! let object = schema.schema.object.expect("an object schema");
//! assert!(object.properties.contains_key("inviteActionData"));
//! ```
//!
//! Validation tokens are held as [`Secret`](crate::Secret) (the contract's
//! `x-rust-type`), so no `Debug` output shows them.
//!
//! ```no_run
//! # async fn run() -> Result<(), linkedin_invitations::Error> {
//! use linkedin_invitations::generated::types;
//!
//! let facade = linkedin_invitations::Client::builder().bearer_token("token").build()?;
//! let client = facade.generated();
//! let body = types::InviteeClosingInvitationRequest::new(
//!     vec![types::InviteActionData::new("6912043412391845888".into(), "vt-1f2e3d".into())],
//!     types::InviteeActionType::Accept,
//! );
//! let response = client
//!     .invitee_closing_invitation()
//!     .body(body)
//!     .send()
//!     .await
//!     .map_err(linkedin_invitations::Error::from)?;
//! println!("{:?}", response.into_inner().value.invite_action_results);
//! # Ok(())
//! # }
//! ```
//!
//! Through the facade's own generated client (the same pipeline), reading its
//! errors back as the crate's:
//!
//! ```rust,no_run
//! use linkedin_invitations::generated::types;
//! use linkedin_invitations::{Client, Error};
//!
//! async fn close_raw(client: &Client) {
//!     // Generated types are `#[non_exhaustive]`: build them with `new` (the
//!     // required properties) or `builder()`, then set optional fields.
//!     let mut item = types::InviteActionData::new(
//!         "6912043412391845888".into(),
//!         "validation-token".into(), // a `Secret`
//!     );
//!     item.tracking_id = Some("campaign-42".into());
//!     let body = types::InviteeClosingInvitationRequest::new(vec![item], types::InviteeActionType::Accept);
//!     match client.generated().invitee_closing_invitation().body(body).send().await {
//!         Ok(response) => {
//!             for item in response.into_inner().value.invite_action_results {
//!                 println!("{}: {}", item.id, item.status);
//!             }
//!         }
//!         Err(e) => {
//!             let e = Error::from(e); // the typed error, delivery and attempts included
//!             eprintln!("{e} (delivery: {})", e.delivery());
//!         }
//!     }
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Error> {
//!     let client = Client::builder()
//!         .bearer_token(std::env::var("GRAPH_TOKEN").unwrap_or_default())
//!         .build()?;
//!     close_raw(&client).await;
//!     Ok(())
//! }
//! ```
// `deprecated`: the generated code itself uses what the contract deprecates.
#![allow(missing_docs, deprecated, clippy::all, clippy::pedantic, rustdoc::all)]

include!(concat!(env!("OUT_DIR"), "/generated.rs"));
