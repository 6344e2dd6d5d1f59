//! The client and types that progenitor generates from `openapi/invitations.yaml`.
//!
//! Use it directly when you want the raw operation builder; the facade
//! ([`crate::Client`]) is built on it. The generated [`Client`] needs a
//! [`Pipeline`](crate::Pipeline): it carries the credentials, the retry policy
//! and the limits that the hooks apply to every request.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use linkedin_invitations::generated::{types, Client};
//! use linkedin_invitations::{Pipeline, Credentials};
//!
//! let pipeline = Pipeline::new(Credentials::bearer("token"));
//! let client = Client::new_with_client(
//!     "https://graph.microsoft.com/beta",
//!     reqwest::Client::new(),
//!     pipeline,
//! );
//! let body = types::InviteeClosingInvitationRequest {
//!     invite_action_data: vec![types::InviteActionData {
//!         invitation_id: types::InviteActionDataInvitationId::try_from("6912043412391845888")?,
//!         validation_token: types::InviteActionDataValidationToken::try_from("vt-1f2e3d")?,
//!         odata_type: None,
//!         tracking_id: None,
//!     }],
//!     invitee_action_type: types::InviteeActionType::Accept,
//! };
//! let response = client.invitee_closing_invitation().body(body).send().await?;
//! println!("{:?}", response.into_inner().value.invite_action_results);
//! # Ok(())
//! # }
//! ```
#![allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all)]

include!(concat!(env!("OUT_DIR"), "/generated.rs"));
