//! The emulator's fault and throttling modes let users exercise their own
//! retry handling, and faults after the action was applied let them check
//! what their code reports when a call may have taken effect.

mod support;

use std::time::{Duration, Instant};

use linkedin_invitations::{Client, ErrorKind, Invitation, InviteeAction, RetryPolicy};
use linkedin_invitations_emulator::{Emulator, Fault, FaultPlan, InvitationState, SeedInvitation};

fn client(emulator: &Emulator, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(emulator.url())
        .bearer_token("t")
        .retry(retry)
        .build()
        .unwrap()
}

#[tokio::test]
async fn scripted_faults_are_answered_in_order_without_touching_state() {
    let emulator = Emulator::builder()
        .invitation("inv-1", "vt-1")
        .faults(FaultPlan::Script(vec![
            Fault::InternalServerError,
            Fault::BadGateway,
            Fault::GatewayTimeout,
        ]))
        .start()
        .await
        .unwrap();
    let client = client(&emulator, RetryPolicy::disabled());
    let one = || [Invitation::new("inv-1", "vt-1")];

    let error = client.accept(one()).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.code()),
        (ErrorKind::Service, Some("InternalServerError"))
    );
    let error = client.accept(one()).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.code()),
        (ErrorKind::Service, None),
        "an HTML 502, as gateways send, is a service error without a code"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert!(error.body_excerpt().unwrap().contains("<html"));
    let error = client.accept(one()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(504));
    assert_eq!(
        emulator.invitation_state("inv-1"),
        Some(InvitationState::Pending)
    );

    assert!(client.accept(one()).await.unwrap().all_succeeded());
}

#[tokio::test]
async fn retries_ride_out_a_503_and_a_429_with_retry_after() {
    let emulator = Emulator::builder()
        .invitation("inv-1", "vt-1")
        .faults(FaultPlan::Script(vec![
            Fault::ServiceUnavailable,
            Fault::TooManyRequests,
        ]))
        .start()
        .await
        .unwrap();
    let started = Instant::now();

    let outcome = client(&emulator, RetryPolicy::default())
        .accept([Invitation::new("inv-1", "vt-1")])
        .await
        .unwrap();

    assert!(outcome.all_succeeded());
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "Retry-After: 1, twice"
    );
    assert_eq!(emulator.requests_served(), 3);
}

#[tokio::test]
async fn throttling_answers_429_with_the_seconds_left_in_the_window() {
    let emulator = Emulator::builder()
        .throttle(2, Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let client = client(&emulator, RetryPolicy::disabled());
    let one = || [Invitation::new("inv-1001", "vt-1001")];

    client.accept(one()).await.unwrap();
    client.accept(one()).await.unwrap();
    let error = client.accept(one()).await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.code(), Some("TooManyRequests"));
    let wait = error.retry_after().unwrap().as_secs();
    assert!((58..=60).contains(&wait), "{wait}");
}

#[tokio::test]
async fn random_faults_at_full_rate_fail_every_request_with_a_listed_status() {
    let emulator = Emulator::builder()
        .faults(FaultPlan::Random {
            rate: 1.0,
            seed: 42,
        })
        .start()
        .await
        .unwrap();
    let client = client(&emulator, RetryPolicy::disabled());
    for _ in 0..10 {
        let error = client
            .accept([Invitation::new("inv-1001", "vt-1001")])
            .await
            .unwrap_err();
        let status = error.status().unwrap().as_u16();
        assert!(Fault::ALL.iter().any(|f| f.status() == status), "{status}");
    }
}

#[tokio::test]
async fn faults_after_apply_close_the_invitations_and_lose_the_answer() {
    let plan = FaultPlan::on_call(2, Fault::ResetAfterApply)
        .on_call(3, Fault::GatewayTimeoutAfterApply)
        .on_call(4, Fault::TruncatedAfterApply);
    let emulator = Emulator::builder()
        .invitations((1..=4).map(|n| SeedInvitation::pending(format!("inv-{n}"), "vt")))
        .faults(plan)
        .start()
        .await
        .unwrap();
    let client = client(&emulator, RetryPolicy::disabled());
    let close = |n: u32| client.accept([Invitation::new(format!("inv-{n}"), "vt")]);

    assert!(
        close(1).await.unwrap().all_succeeded(),
        "call 1 is not scripted"
    );
    let reset = close(2).await.unwrap_err();
    assert_eq!(reset.status(), None, "a reset has no status: {reset}");
    let gateway = close(3).await.unwrap_err();
    assert_eq!(gateway.status().map(|s| s.as_u16()), Some(504));
    let truncated = close(4).await.unwrap_err();
    assert!(
        truncated.status().is_none_or(|s| s.as_u16() == 200),
        "{truncated}"
    );

    for n in 1..=4 {
        assert_eq!(
            emulator.invitation_state(&format!("inv-{n}")),
            Some(InvitationState::Closed(InviteeAction::Accept)),
            "call {n} was applied"
        );
    }
    assert_eq!(emulator.requests_served(), 4);
}

#[tokio::test]
async fn a_reset_after_apply_is_a_tcp_reset_after_the_request_was_read() {
    let emulator = Emulator::builder()
        .invitation("inv-1", "vt-1")
        .faults(FaultPlan::on_call(1, Fault::ResetAfterApply))
        .start()
        .await
        .unwrap();
    let body = r#"{"inviteActionData":[{"invitationId":"inv-1","validationToken":"vt-1"}],"inviteeActionType":"ACCEPT"}"#;
    let request = format!(
        "POST /linkedIn/invitations/inviteeClosingInvitation HTTP/1.1\r\nhost: t\r\nauthorization: Bearer t\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );

    let response = support::raw::exchange(emulator.url(), request.as_bytes()).await;

    assert!(response.reset, "reset, not closed: {response:?}");
    assert_eq!(response.text, "");
    assert_eq!(
        emulator.invitation_state("inv-1"),
        Some(InvitationState::Closed(InviteeAction::Accept))
    );
}

#[tokio::test]
async fn a_truncated_answer_sends_the_200_head_and_half_the_announced_body() {
    let emulator = Emulator::builder()
        .invitation("inv-1", "vt-1")
        .faults(FaultPlan::on_call(1, Fault::TruncatedAfterApply))
        .start()
        .await
        .unwrap();
    let url = format!(
        "{}/linkedIn/invitations/inviteeClosingInvitation",
        emulator.url()
    );

    let response = reqwest::Client::new()
        .post(url)
        .bearer_auth("t")
        .json(&serde_json::json!({"inviteActionData": [{"invitationId": "inv-1", "validationToken": "vt-1"}], "inviteeActionType": "ACCEPT"}))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert!(response.content_length().unwrap() > 0);
    assert!(response.bytes().await.is_err(), "the body is cut short");
    assert_eq!(
        emulator.invitation_state("inv-1"),
        Some(InvitationState::Closed(InviteeAction::Accept))
    );
}

/// A request of the action as a client sends it, with this bearer token.
async fn send_action(emulator: &Emulator, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!(
            "{}/linkedIn/invitations/inviteeClosingInvitation",
            emulator.url()
        ))
        .bearer_auth(token)
        .json(&serde_json::json!({
            "inviteActionData": [{"invitationId": "inv-1", "validationToken": "vt-1"}],
            "inviteeActionType": InviteeAction::ALL[0].to_string(),
        }))
        .send()
        .await
        .unwrap()
}

fn challenge(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("www-authenticate")
        .expect("a 401 carries WWW-Authenticate")
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_401_carries_graphs_bearer_challenge() {
    let emulator = Emulator::builder()
        .invitation("inv-1", "vt-1")
        .require_token("right")
        .start()
        .await
        .unwrap();
    let response = send_action(&emulator, "wrong").await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        challenge(&response),
        r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token""#
    );
}

#[tokio::test]
async fn a_claims_challenge_fault_asks_for_a_new_token_and_leaves_state_alone() {
    use base64::Engine as _;
    let emulator = Emulator::builder()
        .invitation("inv-1", "vt-1")
        .faults(FaultPlan::on_call(1, Fault::ClaimsChallenge))
        .start()
        .await
        .unwrap();
    let response = send_action(&emulator, "t").await;
    assert_eq!(response.status(), 401);
    let challenge = challenge(&response);
    let prefix = r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims=""#;
    let claims = challenge
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("{challenge}"));
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(claims)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["access_token"]["nbf"]["essential"], true, "{claims}");
    let envelope: serde_json::Value = response.json().await.unwrap();
    assert_eq!(envelope["error"]["code"], "InvalidAuthenticationToken");
    assert_eq!(
        emulator.invitation_state("inv-1"),
        Some(InvitationState::Pending)
    );
    // The fresh token's retry goes through.
    assert_eq!(send_action(&emulator, "t2").await.status(), 200);
    assert_eq!(
        emulator.invitation_state("inv-1"),
        Some(InvitationState::Closed(InviteeAction::ALL[0]))
    );
}
