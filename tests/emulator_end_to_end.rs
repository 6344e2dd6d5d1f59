//! The facade against the bundled emulator: the action as the contract says,
//! end to end over loopback.

mod support;

use linkedin_invitations::emulator::{Emulator, InvitationState, SeedInvitation};
use linkedin_invitations::{Client, ErrorKind, Invitation, InvitationStatus, InviteeAction};

const TOKEN: &str = "emulator-bearer-token";

async fn emulator() -> Emulator {
    support::seeded_emulator(TOKEN).await
}

fn client(emulator: &Emulator, token: &str) -> Client {
    Client::builder()
        .base_url(emulator.url())
        .bearer_token(token)
        .build()
        .unwrap()
}

#[tokio::test]
async fn accept_and_ignore_close_invitations_and_state_persists_across_calls() {
    let emulator = emulator().await;
    let client = client(&emulator, TOKEN);

    let accepted = client
        .accept([Invitation::new("inv-1", "vt-1")])
        .await
        .unwrap();
    assert!(accepted.all_succeeded());
    assert_eq!(accepted.action(), InviteeAction::Accept);
    assert!(accepted.request_id().is_some());
    assert_eq!(
        emulator.invitation_state("inv-1"),
        Some(InvitationState::Accepted)
    );

    let ignored = client
        .close(
            InviteeAction::Ignore,
            [
                Invitation::new("inv-2", "vt-2"),
                Invitation::new("inv-1", "vt-1"),
            ],
        )
        .await
        .unwrap();
    let statuses: Vec<_> = ignored.outcomes().iter().map(|o| o.status()).collect();
    assert_eq!(
        statuses,
        [InvitationStatus::Closed, InvitationStatus::AlreadyClosed]
    );
    assert_eq!(
        emulator.invitation_state("inv-2"),
        Some(InvitationState::Ignored)
    );
    assert_eq!(
        emulator.invitation_state("inv-1"),
        Some(InvitationState::Accepted)
    );
}

#[tokio::test]
async fn each_invitation_gets_its_own_status_in_one_200() {
    let emulator = emulator().await;
    let client = client(&emulator, TOKEN);

    let outcome = client
        .accept([
            Invitation::new("inv-3", "wrong"),
            Invitation::new("inv-404", "vt"),
            Invitation::new("inv-3", "vt-3"),
        ])
        .await
        .unwrap();

    let codes: Vec<_> = outcome
        .outcomes()
        .iter()
        .map(|o| (o.id(), o.status().code()))
        .collect();
    assert_eq!(codes, [("inv-3", 403), ("inv-404", 404), ("inv-3", 200)]);
    assert_eq!(outcome.failed().count(), 2);
    assert!(outcome.outcome("inv-404").unwrap().message().is_some());
}

#[tokio::test]
async fn a_wrong_bearer_token_is_a_401_service_error_and_changes_nothing() {
    let emulator = emulator().await;

    let error = client(&emulator, "not-the-token")
        .accept([Invitation::new("inv-1", "vt-1")])
        .await
        .unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.code(), Some("InvalidAuthenticationToken"));
    assert!(error.request_id().is_some());
    assert!(error.date().is_some());
    assert_eq!(
        emulator.invitation_state("inv-1"),
        Some(InvitationState::Pending)
    );
}

#[tokio::test]
async fn the_emulator_validates_bodies_requires_a_bearer_and_echoes_ids() {
    let emulator = emulator().await;
    let url = format!(
        "{}/linkedIn/invitations/inviteeClosingInvitation",
        emulator.url()
    );
    let http = reqwest::Client::new();
    let client_request_id = uuid::Uuid::new_v4().to_string();

    let missing_auth = http
        .post(&url)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(missing_auth.status(), 401);

    let bad_body = http
        .post(&url)
        .bearer_auth(TOKEN)
        .header("client-request-id", &client_request_id)
        .json(&serde_json::json!({"inviteActionData": [], "inviteeActionType": "ACCEPT"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_body.status(), 400);
    assert!(bad_body.headers().get("request-id").is_some());
    assert_eq!(
        bad_body.headers().get("client-request-id").unwrap(),
        client_request_id.as_str()
    );
    let envelope: serde_json::Value = bad_body.json().await.unwrap();
    assert_eq!(envelope["error"]["code"], "BadRequest");
    assert!(envelope["error"]["message"]
        .as_str()
        .unwrap()
        .contains("inviteActionData"));
    assert_eq!(
        envelope["error"]["innerError"]["client-request-id"],
        client_request_id
    );

    let wrong_type = http
        .post(&url)
        .bearer_auth(TOKEN)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), 415);

    for not_hyphenated in [
        "0b1c2d3e4f504a6b9c7d8e9fa0b1c2d3",
        "{0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3}",
    ] {
        let response = http
            .post(&url)
            .bearer_auth(TOKEN)
            .header("client-request-id", not_hyphenated)
            .json(&serde_json::json!({"inviteActionData": [{"invitationId": "inv-1", "validationToken": "vt-1"}], "inviteeActionType": "ACCEPT"}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            400,
            "{not_hyphenated} is not format: uuid"
        );
    }

    let wrong_method = http.get(&url).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(wrong_method.status(), 405);
    assert_eq!(emulator.requests_served(), 6);
}

#[tokio::test]
async fn a_seed_file_sets_the_starting_state() {
    let dir = std::env::temp_dir().join(format!("seed-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("seed.json");
    std::fs::write(
        &seed,
        r#"[{"id": "s-1", "validationToken": "t-1"}, {"id": "s-2", "validationToken": "t-2", "state": "ignored"}]"#,
    )
    .unwrap();
    let emulator = Emulator::builder()
        .seed_file(&seed)
        .unwrap()
        .start()
        .await
        .unwrap();
    let client = client(&emulator, "any-token");

    let outcome = client
        .accept([Invitation::new("s-1", "t-1"), Invitation::new("s-2", "t-2")])
        .await
        .unwrap();

    let codes: Vec<_> = outcome
        .outcomes()
        .iter()
        .map(|o| o.status().code())
        .collect();
    assert_eq!(codes, [200, 409]);

    std::fs::write(&seed, "[{\"id\": 1}]").unwrap();
    let error = Emulator::builder().seed_file(&seed).unwrap_err();
    assert!(error.to_string().contains("not a seed file"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn seed_invitations_can_start_closed() {
    let emulator = Emulator::builder()
        .invitations([SeedInvitation::pending("c-1", "t").with_state(InvitationState::Accepted)])
        .start()
        .await
        .unwrap();
    let outcome = client(&emulator, "x")
        .ignore([Invitation::new("c-1", "t")])
        .await
        .unwrap();
    assert_eq!(
        outcome.outcomes()[0].status(),
        InvitationStatus::AlreadyClosed
    );
}
