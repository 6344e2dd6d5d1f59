//! What the emulator answers whatever fails: the Graph error envelope with
//! `request-id` and the echoed `client-request-id`; how it reads gzip
//! bodies, bearer headers and paths; which settings it refuses to start
//! with; and that its `Debug` output never shows a token.

mod support;

use std::io::Write;
use std::time::Duration;

use linkedin_invitations_emulator::{Emulator, FaultPlan, SeedInvitation};
use support::raw::{self, Response};

const CLIENT_ID: &str = "0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3";
const BODY: &str = r#"{"inviteActionData":[{"invitationId":"inv-1001","validationToken":"vt-1001"}],"inviteeActionType":"ACCEPT"}"#;

/// A request to `path` with a bearer header, a `client-request-id`,
/// `Connection: close` and the given extra header lines and body.
fn request(method: &str, path: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nhost: test\r\nauthorization: Bearer t\r\ncontent-type: application/json\r\nclient-request-id: {CLIENT_ID}\r\nconnection: close\r\n{extra}\r\n"
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

fn action(extra: &str, body: &[u8]) -> Vec<u8> {
    request(
        "POST",
        "/linkedIn/invitations/inviteeClosingInvitation",
        extra,
        body,
    )
}

fn assert_graph_error(response: &Response, status: u16, code: &str) {
    assert_eq!(response.status(), Some(status), "{}", response.text);
    assert!(response.header("request-id").is_some(), "{}", response.text);
    assert_eq!(response.header("client-request-id"), Some(CLIENT_ID));
    assert_eq!(
        response.header("content-type"),
        Some("application/json"),
        "{}",
        response.text
    );
    let envelope = response.json();
    assert_eq!(envelope["error"]["code"], code, "{}", response.text);
    assert_eq!(
        envelope["error"]["innerError"]["client-request-id"],
        CLIENT_ID
    );
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test]
async fn a_body_over_the_cap_is_a_413_in_the_envelope() {
    let emulator = Emulator::start().await.unwrap();
    let body = vec![b' '; 3 * 1024 * 1024];
    let extra = format!("content-length: {}\r\n", body.len());

    let response = raw::exchange(emulator.url(), &action(&extra, &body)).await;

    assert_graph_error(&response, 413, "RequestEntityTooLarge");
}

#[tokio::test]
async fn broken_chunked_framing_is_a_400_in_the_envelope() {
    let emulator = Emulator::start().await.unwrap();

    let response = raw::exchange(
        emulator.url(),
        &action("transfer-encoding: chunked\r\n", b"zz\r\nabc\r\n0\r\n\r\n"),
    )
    .await;

    assert_graph_error(&response, 400, "BadRequest");
}

#[tokio::test]
async fn a_multi_member_gzip_body_is_inflated_whole() {
    let emulator = Emulator::start().await.unwrap();
    let (first, second) = BODY.split_at(40);
    let mut body = gzip(first.as_bytes());
    body.extend(gzip(second.as_bytes()));
    let extra = format!(
        "content-encoding: gzip\r\ncontent-length: {}\r\n",
        body.len()
    );

    let response = raw::exchange(emulator.url(), &action(&extra, &body)).await;

    assert_eq!(response.status(), Some(200), "{}", response.text);
    assert_eq!(
        response.json()["value"]["inviteActionResults"][0]["status"],
        200
    );
}

#[tokio::test]
async fn bytes_after_the_last_gzip_member_are_refused() {
    let emulator = Emulator::start().await.unwrap();
    let mut body = gzip(BODY.as_bytes());
    body.extend_from_slice(b"trailing garbage");
    let extra = format!(
        "content-encoding: gzip\r\ncontent-length: {}\r\n",
        body.len()
    );

    let response = raw::exchange(emulator.url(), &action(&extra, &body)).await;

    assert_graph_error(&response, 400, "BadRequest");
    assert_eq!(
        emulator.invitation_state("inv-1001"),
        Some(linkedin_invitations_emulator::InvitationState::Pending)
    );
}

#[tokio::test]
async fn the_bearer_scheme_is_matched_without_regard_to_case() {
    let emulator = Emulator::builder()
        .require_token("exact-token")
        .start()
        .await
        .unwrap();
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let extra = format!(
            "content-length: {}\r\nauthorization: {scheme} exact-token\r\n",
            BODY.len()
        );
        let request = format!(
            "POST /linkedIn/invitations/inviteeClosingInvitation HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\nconnection: close\r\n{extra}\r\n{BODY}"
        );
        let response = raw::exchange(emulator.url(), request.as_bytes()).await;
        assert_eq!(response.status(), Some(200), "{scheme}: {}", response.text);
    }
}

#[tokio::test]
async fn paths_match_without_regard_to_case_as_on_graph() {
    let emulator = Emulator::start().await.unwrap();
    let extra = format!("content-length: {}\r\n", BODY.len());

    let response = raw::exchange(
        emulator.url(),
        &request(
            "POST",
            "/LINKEDIN/Invitations/InviteeClosingInvitation",
            &extra,
            BODY.as_bytes(),
        ),
    )
    .await;

    assert_eq!(response.status(), Some(200), "{}", response.text);
}

#[tokio::test]
async fn a_wrong_method_is_405_even_with_a_malformed_client_request_id() {
    let emulator = Emulator::start().await.unwrap();
    let request = "GET /linkedIn/invitations/inviteeClosingInvitation HTTP/1.1\r\nhost: t\r\nclient-request-id: not-a-guid\r\nconnection: close\r\n\r\n";

    let response = raw::exchange(emulator.url(), request.as_bytes()).await;

    assert_eq!(response.status(), Some(405), "{}", response.text);
    assert_eq!(response.header("allow"), Some("POST"));
    assert_eq!(response.header("client-request-id"), Some("not-a-guid"));
}

#[tokio::test]
async fn start_refuses_settings_that_make_no_sense() {
    let refusals = [
        Emulator::builder().require_token("").start().await,
        Emulator::builder().require_token("two words").start().await,
        Emulator::builder()
            .throttle(0, Duration::from_secs(1))
            .start()
            .await,
        Emulator::builder()
            .throttle(2, Duration::ZERO)
            .start()
            .await,
        Emulator::builder()
            .faults(FaultPlan::Random {
                rate: f64::NAN,
                seed: 1,
            })
            .start()
            .await,
        Emulator::builder()
            .faults(FaultPlan::Random { rate: 7.0, seed: 1 })
            .start()
            .await,
        Emulator::builder()
            .invitations([
                SeedInvitation::pending("dup", "a"),
                SeedInvitation::pending("dup", "b"),
            ])
            .start()
            .await,
    ];
    for refusal in refusals {
        let error = refusal.expect_err("refused at start-up");
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{error}");
    }
}

#[tokio::test]
async fn seed_files_with_a_repeated_id_or_that_are_missing_are_named_in_the_error() {
    let dir = std::env::temp_dir().join(format!("seed-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("twice.json");
    std::fs::write(
        &seed,
        r#"[{"id": "s-1", "validationToken": "a"}, {"id": "s-1", "validationToken": "b"}]"#,
    )
    .unwrap();
    let missing = dir.join("missing.json");

    let repeated = Emulator::builder()
        .seed_file(&seed)
        .unwrap_err()
        .to_string();
    let absent = Emulator::builder()
        .seed_file(&missing)
        .unwrap_err()
        .to_string();

    assert!(
        repeated.contains("twice.json") && repeated.contains("s-1"),
        "{repeated}"
    );
    assert!(absent.contains("missing.json"), "{absent}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn debug_output_never_shows_the_bearer_or_validation_tokens() {
    let builder = Emulator::builder()
        .require_token("bearer-secret-1234")
        .invitation("inv-1", "validation-secret-5678");
    let shown_builder = format!("{builder:?}");
    let emulator = builder.start().await.unwrap();
    let shown_emulator = format!("{emulator:?}");

    for shown in [shown_builder, shown_emulator] {
        assert!(!shown.contains("bearer-secret-1234"), "{shown}");
        assert!(!shown.contains("validation-secret-5678"), "{shown}");
        assert!(
            shown.contains("inv-1") || shown.contains("Emulator"),
            "{shown}"
        );
    }
}
