//! Shared builders for tests that talk to servers on loopback.
#![allow(dead_code)]

pub mod example;
pub mod fault_server;

use linkedin_invitations::{Client, ClientBuilder, RetryPolicy};
use serde_json::{json, Value};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every test call must end well within this.
pub const BOUND: std::time::Duration = std::time::Duration::from_secs(15);

/// `call`, failing the test if it does not end within [`BOUND`].
pub async fn bounded<T>(call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, call)
        .await
        .expect("the call ended within its bound")
}

/// The default retry policy with waits of milliseconds.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_base_delay(std::time::Duration::from_millis(20))
        .with_max_jitter(std::time::Duration::from_millis(5))
}

pub const ACTION_PATH: &str = "/linkedIn/invitations/inviteeClosingInvitation";
pub const TOKEN: &str = "test-bearer-token-4f1c";

/// A client of `server` with retries off, so each test sees one exchange.
pub fn client_for(url: &str) -> Client {
    builder_for(url).build().expect("a valid client")
}

pub fn builder_for(url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(url)
        .bearer_token(TOKEN)
        .retry(RetryPolicy::disabled())
}

/// The generated client's request body for one invitation.
pub fn generated_request(
    id: &str,
    validation_token: &str,
    action: linkedin_invitations::generated::types::InviteeActionType,
) -> linkedin_invitations::generated::types::InviteeClosingInvitationRequest {
    use linkedin_invitations::generated::types;

    types::InviteeClosingInvitationRequest::new(
        vec![types::InviteActionData::new(
            id.into(),
            validation_token.into(),
        )],
        action,
    )
}

/// The Graph error envelope.
pub fn envelope(code: &str, message: &str) -> Value {
    json!({
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": "2026-11-27T10:15:00",
                "request-id": "envelope-request-id",
                "client-request-id": "envelope-client-request-id"
            }
        }
    })
}

/// A `200` body with the given `(id, status)` results.
pub fn results(items: &[(&str, i32)]) -> Value {
    let results: Vec<Value> = items
        .iter()
        .map(|(id, status)| json!({"id": id, "status": status, "message": format!("status {status}")}))
        .collect();
    json!({"value": {"@odata.type": "microsoft.graph.InviteActionResults", "inviteActionResults": results}})
}

/// A mock server that answers every action request with `response`.
pub async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    answer_with(&server, response).await;
    server
}

/// Answers every action request with `response`.
pub async fn answer_with(server: &MockServer, response: ResponseTemplate) {
    Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path(ACTION_PATH))
        .respond_with(response)
        .mount(server)
        .await;
}

/// An emulator that accepts only `token`, holding `inv-1`..`inv-3` with
/// validation tokens `vt-1`..`vt-3`.
pub async fn seeded_emulator(token: &str) -> linkedin_invitations_emulator::Emulator {
    linkedin_invitations_emulator::Emulator::builder()
        .require_token(token)
        .invitation("inv-1", "vt-1")
        .invitation("inv-2", "vt-2")
        .invitation("inv-3", "vt-3")
        .start()
        .await
        .expect("the emulator starts")
}

/// The path of an example binary: `cargo test` builds the examples beside
/// the test binaries, in target/<profile>/examples.
pub fn example_binary(name: &str) -> std::path::PathBuf {
    let exe = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap()
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        exe.exists(),
        "{} is missing: run the package's whole suite (`cargo test -p <package> --all-features`)",
        exe.display()
    );
    exe
}
