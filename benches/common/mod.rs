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

/// Ids and tokens of the size Graph's are (19-digit ids, ~40-character
/// tokens): every call does the same work, and no state changes between calls.
pub fn input(batch: usize) -> Input {
    (0..batch)
        .map(|i| {
            (
                format!("69120434123918{i:05}"),
                format!("vt-{i:06}-7f3a9c2e5b1d4f8a6c0e2b4d6f8a0c2e"),
            )
        })
        .collect()
}

/// A server on loopback that answers as Graph does: each invitation it is
/// sent closed (`status` 200), in Graph's envelope (`@odata.context`,
/// `@odata.type`), with Graph's headers (`request-id`, the echoed
/// `client-request-id`, `x-ms-ags-diagnostic`, OData's content type,
/// `Strict-Transport-Security`, `Cache-Control`). It runs in the parent
/// process: what it costs is not counted.
pub struct GraphLike;

impl wiremock::Respond for GraphLike {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Sent {
            invite_action_data: Vec<SentItem>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct SentItem {
            invitation_id: String,
        }
        let sent: Sent = serde_json::from_slice(&request.body).expect("a request of the action");
        let items: Vec<serde_json::Value> = sent
            .invite_action_data
            .into_iter()
            .map(|item| serde_json::json!({"id": item.invitation_id, "status": 200, "message": "closed"}))
            .collect();
        let body = serde_json::json!({
            "@odata.context": "https://graph.microsoft.com/beta/$metadata#microsoft.graph.inviteActionResults",
            "value": {
                "@odata.type": "#microsoft.graph.inviteActionResults",
                "inviteActionResults": items,
            },
        });
        let echoed = request
            .headers
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        wiremock::ResponseTemplate::new(200)
            .insert_header(
                "content-type",
                "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
            )
            .insert_header("request-id", "0f4bd0b1-5a0e-4a7c-9f5e-3c2d1b0a9f8e")
            .insert_header("client-request-id", echoed.as_str())
            .insert_header(
                "x-ms-ags-diagnostic",
                r#"{"ServerInfo":{"DataCenter":"West Europe","Slice":"E","Ring":"5","ScaleUnit":"003","RoleInstance":"AM2PEPF0000C3B1"}}"#,
            )
            .insert_header("strict-transport-security", "max-age=31536000")
            .insert_header("cache-control", "no-cache")
            .insert_header("odata-version", "4.0")
            .set_body_bytes(serde_json::to_vec(&body).unwrap())
    }
}

/// Starts a [`GraphLike`] server on loopback.
pub async fn graph_like_server() -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path(PATH))
        .respond_with(GraphLike)
        .mount(&server)
        .await;
    server
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
