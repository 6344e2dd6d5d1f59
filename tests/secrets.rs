//! Bearer tokens and validation tokens never appear in `Debug`, error text or
//! TRACE-level logs, through whole request cycles: success, error and retry.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use linkedin_invitations::{AccessToken, Client, Credentials, Invitation, RetryPolicy, Secret};
use support::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const VALIDATION_TOKEN: &str = "validation-secret-9d3e";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every log line of this test binary, at TRACE level. One global
/// subscriber: a thread-local one misses the spans whose callsite another
/// test thread met first, without a subscriber (a flaky test).
fn capture_logs() -> Captured {
    static LOGS: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Captured::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        logs
    })
    .clone()
}

fn assert_no_secret(what: &str, text: &str) {
    assert!(
        !text.contains(TOKEN),
        "{what} shows the bearer token:\n{text}"
    );
    assert!(
        !text.contains(VALIDATION_TOKEN),
        "{what} shows a validation token:\n{text}"
    );
}

#[tokio::test]
async fn no_secret_in_debug_errors_or_trace_logs_across_success_error_and_retry() {
    let logs = capture_logs();

    let server = MockServer::start().await;
    // First call: 429 then 200 (a retry); second call: 401 (an error).
    Mock::given(method("POST"))
        .and(path(ACTION_PATH))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "0")
                .set_body_json(envelope("TooManyRequests", "slow down")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(ACTION_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(results(&[("inv-1", 200)])))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer_with(
        &server,
        ResponseTemplate::new(401).set_body_json(envelope("InvalidAuthenticationToken", "expired")),
    )
    .await;

    let builder = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry(RetryPolicy::default().with_base_delay(Duration::from_millis(1)));
    assert_no_secret("ClientBuilder Debug", &format!("{builder:?}"));
    let client = builder.build().unwrap();
    let invitation = Invitation::new("inv-1", VALIDATION_TOKEN);

    let outcome = client.accept([invitation.clone()]).await.unwrap();
    let error = client.accept([invitation.clone()]).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3, "one retry, then the failing call");
    assert_eq!(requests[1].headers.get("retry-attempt").unwrap(), "1");

    assert_no_secret("Client Debug", &format!("{client:?}"));
    assert_no_secret(
        "generated Client Debug",
        &format!("{:?}", client.generated()),
    );
    assert_no_secret("Invitation Debug", &format!("{invitation:?}"));
    assert_no_secret("CloseOutcome Debug", &format!("{outcome:?}"));
    assert_no_secret("Error Debug", &format!("{error:?}"));
    assert_no_secret("Error Display", &error.to_string());
    assert_no_secret(
        "Credentials Debug",
        &format!("{:?}", Credentials::bearer(TOKEN)),
    );
    assert_no_secret(
        "Secret Debug and Display",
        &format!("{:?} {}", Secret::new(TOKEN), Secret::new(TOKEN)),
    );

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("graph.request"),
        "the span is logged:\n{logs}"
    );
    assert!(logs.contains("TRACE") || logs.contains("DEBUG"));
    assert_no_secret("TRACE logs", &logs);
}

#[tokio::test]
async fn a_failing_token_provider_error_does_not_leak_the_token_it_was_refreshing() {
    let server = answering(ResponseTemplate::new(200).set_body_json(results(&[]))).await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::from_fn(|_| async {
            Err::<AccessToken, _>("identity endpoint unreachable".into())
        }))
        .build()
        .unwrap();

    let error = client
        .accept([Invitation::new("inv-1", VALIDATION_TOKEN)])
        .await
        .unwrap_err();

    assert_eq!(error.kind(), linkedin_invitations::ErrorKind::Credentials);
    assert!(error.to_string().contains("identity endpoint unreachable"));
    assert_no_secret("credential Error", &format!("{error} {error:?}"));
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing sent"
    );
}

#[tokio::test]
async fn the_raw_generated_client_and_its_types_never_show_a_validation_token() {
    use linkedin_invitations::generated::types;

    let logs = capture_logs();

    let server =
        answering(ResponseTemplate::new(400).set_body_json(envelope("BadRequest", "no"))).await;
    let client = client_for(&server.uri());
    let body =
        support::generated_request("inv-1", VALIDATION_TOKEN, types::InviteeActionType::Accept);
    let operation = client
        .generated()
        .invitee_closing_invitation()
        .body(body.clone());
    assert_no_secret("generated request Debug", &format!("{body:?}"));
    assert_no_secret(
        "generated operation builder Debug",
        &format!("{operation:?}"),
    );

    let error = operation.send().await.unwrap_err();
    assert_no_secret("generated error", &format!("{error} {error:?}"));
    let typed = linkedin_invitations::Error::from(error);
    assert_no_secret("typed error", &format!("{typed} {typed:?}"));
    assert_no_secret(
        "TRACE logs",
        &String::from_utf8_lossy(&logs.0.lock().unwrap()),
    );

    let sent = &server.received_requests().await.unwrap()[0];
    let json: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(
        json["inviteActionData"][0]["validationToken"], VALIDATION_TOKEN,
        "on the wire, and only there, the token is itself"
    );
}
