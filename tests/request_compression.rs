//! Opt-in gzip request bodies, resent plain when the service answers 415
//! (Microsoft's compression handler does the same).

mod support;

use std::io::Read;

use linkedin_invitations::{Client, Invitation, RetryPolicy};
use support::fault_server::{FaultServer, Reply};
use support::*;
use wiremock::ResponseTemplate;

fn inflate(body: &[u8]) -> serde_json::Value {
    let mut text = String::new();
    flate2::read::GzDecoder::new(body)
        .read_to_string(&mut text)
        .expect("a gzip body");
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn compressed_bodies_carry_content_encoding_and_inflate_to_the_same_json() {
    let server = answering(ResponseTemplate::new(200).set_body_json(results(&[("a", 200)]))).await;
    let client = builder_for(&server.uri())
        .compress_requests(true)
        .build()
        .unwrap();

    client.accept([Invitation::new("a", "ta")]).await.unwrap();

    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.headers.get("content-encoding").unwrap(), "gzip");
    assert_eq!(
        request.headers.get("content-type").unwrap(),
        "application/json"
    );
    let body = inflate(&request.body);
    assert_eq!(body["inviteActionData"][0]["invitationId"], "a");
    assert_eq!(body["inviteeActionType"], "ACCEPT");
}

#[tokio::test]
async fn a_415_to_a_compressed_body_is_answered_by_resending_it_plain() {
    let server = FaultServer::start(vec![
        Reply::json(415, &envelope("UnsupportedMediaType", "no gzip")),
        Reply::json(200, &results(&[("a", 200)])),
    ])
    .await;
    let client = Client::builder()
        .base_url(&server.url)
        .bearer_token(TOKEN)
        .retry(RetryPolicy::disabled())
        .compress_requests(true)
        .build()
        .unwrap();

    let outcome = client.accept([Invitation::new("a", "ta")]).await.unwrap();

    assert!(outcome.all_succeeded());
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].header("content-encoding").as_deref(),
        Some("gzip")
    );
    assert_eq!(received[1].header("content-encoding"), None);
    assert_eq!(
        inflate(&received[0].body),
        serde_json::from_slice::<serde_json::Value>(&received[1].body).unwrap()
    );
}

#[tokio::test]
async fn without_compression_a_415_is_a_service_error() {
    let server = FaultServer::start(vec![Reply::json(
        415,
        &envelope("UnsupportedMediaType", "no"),
    )])
    .await;
    let client = Client::builder()
        .base_url(&server.url)
        .bearer_token(TOKEN)
        .build()
        .unwrap();

    let error = client
        .accept([Invitation::new("a", "ta")])
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(415));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn the_emulator_inflates_gzip_bodies_and_refuses_unknown_encodings() {
    let emulator = seeded_emulator(TOKEN).await;
    let client = Client::builder()
        .base_url(emulator.url())
        .bearer_token(TOKEN)
        .compress_requests(true)
        .build()
        .unwrap();
    let outcome = client
        .accept([Invitation::new("inv-1", "vt-1")])
        .await
        .unwrap();
    assert!(outcome.all_succeeded());

    let refused = reqwest::Client::new()
        .post(format!("{}{ACTION_PATH}", emulator.url()))
        .bearer_auth(TOKEN)
        .header("content-type", "application/json")
        .header("content-encoding", "br")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 415);
}
