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

/// The request body as a hand-written client would send it: borrowed from
/// the caller's strings, nothing copied.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BareRequest<'a> {
    invite_action_data: Vec<BareItem<'a>>,
    invitee_action_type: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BareItem<'a> {
    invitation_id: &'a str,
    validation_token: &'a str,
}

/// The answer, decoded into owned structs: each item's `id`, `status` (an
/// `int32` in the contract) and optional `message`, nothing else.
#[derive(Deserialize)]
struct BareResponse {
    value: BareResults,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BareResults {
    #[serde(default)]
    invite_action_results: Vec<BareStatus>,
}

#[derive(Deserialize)]
pub struct BareStatus {
    pub id: String,
    pub status: i32,
    pub message: Option<String>,
}

/// One call's input as every client's caller holds it: owned ids and
/// validation tokens, built before the measured calls. Each client gets it
/// by value and makes from it what it takes (the bare client borrows it, the
/// others move the strings into their own types), so the count covers the
/// same span for all: from these strings to decoded results, both dropped.
pub type Input = Vec<(String, String)>;

/// Ids the emulator does not hold: every call does the same work (a per-item
/// 404) and no state changes between calls.
pub fn input(batch: usize) -> Input {
    (0..batch)
        .map(|i| (format!("bench-missing-{i:06}"), format!("vt-{i:06}-token")))
        .collect()
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

    /// Sends one call of `kind`; returns how many results came back.
    pub async fn call(&self, kind: Kind, input: Input) -> usize {
        match kind {
            Kind::BareReqwest => {
                let body = BareRequest {
                    invite_action_data: input
                        .iter()
                        .map(|(id, token)| BareItem {
                            invitation_id: id,
                            validation_token: token,
                        })
                        .collect(),
                    invitee_action_type: "ACCEPT",
                };
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
            Kind::Generated => {
                let body = types::InviteeClosingInvitationRequest::new(
                    input
                        .into_iter()
                        .map(|(id, token)| types::InviteActionData::new(id, token.into()))
                        .collect(),
                    types::InviteeActionType::Accept,
                );
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
            Kind::Facade => {
                let invitations = input
                    .into_iter()
                    .map(|(id, token)| Invitation::new(id, token));
                let outcome = self.facade.accept(invitations).await.unwrap();
                outcome.outcomes().len()
            }
        }
    }
}
