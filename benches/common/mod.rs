//! The three clients the benchmarks compare, each closing the same batch of
//! invitations against the same server: a bare `reqwest` POST with serde (the
//! floor for this stack), the raw generated client, and the facade.
#![allow(dead_code)]

use linkedin_invitations::generated::types;
use linkedin_invitations::{Client, Invitation};
use reqwest::header::{HeaderValue, AUTHORIZATION};
use serde::{Deserialize, Serialize};

pub const PATH: &str = "/linkedIn/invitations/inviteeClosingInvitation";
pub const TOKEN: &str = "bench-token";

/// Which client a run measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    BareReqwest,
    Generated,
    Facade,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::BareReqwest, Kind::Generated, Kind::Facade];

    pub fn name(self) -> &'static str {
        match self {
            Kind::BareReqwest => "bare-reqwest",
            Kind::Generated => "generated",
            Kind::Facade => "facade",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The request body as a hand-written client would send it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BareRequest {
    invite_action_data: Vec<BareItem>,
    invitee_action_type: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BareItem {
    invitation_id: String,
    validation_token: String,
}

#[derive(Deserialize)]
pub struct BareResponse {
    pub value: BareResults,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BareResults {
    #[serde(default)]
    pub invite_action_results: Vec<BareStatus>,
}

#[derive(Deserialize)]
pub struct BareStatus {
    pub id: String,
    pub status: i32,
    pub message: Option<String>,
}

/// One call's input, owned, as each client takes it.
pub enum Input {
    Bare(BareRequest),
    Generated(types::InviteeClosingInvitationRequest),
    Facade(Vec<Invitation>),
}

/// Ids the emulator does not hold: every call does the same work (a per-item
/// 404) and no state changes between calls.
fn ids(batch: usize) -> impl Iterator<Item = (String, String)> {
    (0..batch).map(|i| (format!("bench-missing-{i:06}"), format!("vt-{i:06}-token")))
}

pub fn input(kind: Kind, batch: usize) -> Input {
    match kind {
        Kind::BareReqwest => Input::Bare(BareRequest {
            invite_action_data: ids(batch)
                .map(|(invitation_id, validation_token)| BareItem {
                    invitation_id,
                    validation_token,
                })
                .collect(),
            invitee_action_type: "ACCEPT",
        }),
        Kind::Generated => Input::Generated(types::InviteeClosingInvitationRequest::new(
            ids(batch)
                .map(|(id, token)| types::InviteActionData::new(id, token.into()))
                .collect(),
            types::InviteeActionType::Accept,
        )),
        Kind::Facade => Input::Facade(ids(batch).map(|(id, t)| Invitation::new(id, t)).collect()),
    }
}

/// The clients, built once.
pub struct Clients {
    http: reqwest::Client,
    url: reqwest::Url,
    authorization: HeaderValue,
    facade: Client,
}

impl Clients {
    pub fn new(base_url: &str) -> Self {
        let mut authorization = HeaderValue::from_str(&format!("Bearer {TOKEN}")).unwrap();
        authorization.set_sensitive(true);
        Self {
            http: reqwest::Client::new(),
            url: format!("{base_url}{PATH}").parse().unwrap(),
            authorization,
            facade: Client::builder()
                .base_url(base_url)
                .bearer_token(TOKEN)
                .build()
                .unwrap(),
        }
    }

    /// Sends one call; returns how many results came back.
    pub async fn call(&self, input: Input) -> usize {
        match input {
            Input::Bare(body) => {
                let response = self
                    .http
                    .post(self.url.clone())
                    .header(AUTHORIZATION, self.authorization.clone())
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let bytes = response.bytes().await.unwrap();
                let parsed: BareResponse = serde_json::from_slice(&bytes).unwrap();
                parsed.value.invite_action_results.len()
            }
            Input::Generated(body) => {
                let response = self
                    .facade
                    .generated()
                    .invitee_closing_invitation()
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                response.into_inner().value.invite_action_results.len()
            }
            Input::Facade(invitations) => {
                let outcome = self.facade.accept(invitations).await.unwrap();
                outcome.outcomes().len()
            }
        }
    }
}
