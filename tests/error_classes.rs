//! Every way a call can fail becomes the right `ErrorKind`, with the context a
//! user needs, and never a panic.

mod support;

use std::time::Duration;

use linkedin_invitations::{Client, ErrorKind, Invitation, InvitationStatus};
use serde_json::json;
use support::*;
use wiremock::{MockServer, ResponseTemplate};

fn one() -> [Invitation; 1] {
    [Invitation::new("inv-1", "vt-1")]
}

#[tokio::test]
async fn graph_error_envelopes_become_service_errors_with_code_message_ids_and_date() {
    let cases = [
        (400, "BadRequest"),
        (401, "InvalidAuthenticationToken"),
        (403, "Authorization_RequestDenied"),
        (404, "ResourceNotFound"),
        (429, "TooManyRequests"),
        (500, "InternalServerError"),
        (503, "ServiceUnavailable"),
    ];
    for (status, code) in cases {
        let server = answering(
            ResponseTemplate::new(status)
                .set_body_json(envelope(code, "something went wrong"))
                .insert_header("request-id", "header-request-id")
                .insert_header(
                    "x-ms-ags-diagnostic",
                    r#"{"ServerInfo":{"DataCenter":"West Europe"}}"#,
                )
                .insert_header("Retry-After", "7"),
        )
        .await;

        let error = client_for(&server.uri()).accept(one()).await.unwrap_err();

        assert_eq!(error.kind(), ErrorKind::Service, "{status}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.code(), Some(code));
        assert_eq!(error.message(), Some("something went wrong"));
        assert_eq!(error.request_id(), Some("header-request-id"));
        assert_eq!(error.date(), Some("2026-11-27T10:15:00"));
        assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
        assert!(error.diagnostic().unwrap().contains("West Europe"));
        assert!(error.client_request_id().is_some());
        assert!(error.may_have_been_sent());
        assert_eq!(error.attempts(), 1);
        assert_eq!(error.is_unauthorized(), status == 401, "{status}");
        assert_eq!(error.is_forbidden(), status == 403, "{status}");
        assert_eq!(error.is_not_found(), status == 404, "{status}");
        assert_eq!(error.is_throttled(), status == 429, "{status}");
        let text = error.to_string();
        assert!(
            text.contains(&status.to_string()) && text.contains(code),
            "{text}"
        );
    }
}

#[tokio::test]
async fn capitalised_date_and_request_id_only_in_the_envelope_are_read() {
    let server = MockServer::start().await;
    let body = json!({"error": {"code": "BadRequest", "message": "m",
        "innerError": {"Date": "2026-11-27T11:00:00", "request-id": "inner-id", "extra": {"nested": true}}}});
    answer_with(&server, ResponseTemplate::new(400).set_body_json(body)).await;

    let error = client_for(&server.uri()).accept(one()).await.unwrap_err();

    assert_eq!(error.date(), Some("2026-11-27T11:00:00"));
    assert_eq!(error.request_id(), Some("inner-id"));
}

#[tokio::test]
async fn an_html_502_is_a_service_error_with_status_no_code_and_a_bounded_excerpt() {
    let server = MockServer::start().await;
    let html = format!("<html><body>Bad Gateway{}</body></html>", "x".repeat(5000));
    answer_with(
        &server,
        ResponseTemplate::new(502)
            .set_body_raw(html, "text/html")
            .insert_header("request-id", "gw-1"),
    )
    .await;

    let error = client_for(&server.uri()).accept(one()).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(error.request_id(), Some("gw-1"));
    let excerpt = error.body_excerpt().unwrap();
    assert!(excerpt.starts_with("<html><body>Bad Gateway"));
    assert!(excerpt.chars().count() <= 513, "excerpt is bounded");
    assert_eq!(error.code(), None);
}

#[tokio::test]
async fn an_empty_200_is_an_unreadable_response_not_an_empty_success() {
    let server = answering(ResponseTemplate::new(200)).await;

    let error = client_for(&server.uri()).accept(one()).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::UnreadableResponse);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.body_excerpt(), Some(""));
}

#[tokio::test]
async fn unknown_item_statuses_and_extra_fields_are_kept_and_ignored_respectively() {
    let server = MockServer::start().await;
    let body = json!({
        "@odata.context": "ctx",
        "futureTopLevel": 1,
        "value": {
            "@odata.type": "microsoft.graph.InviteActionResults",
            "futureField": {"a": 1},
            "inviteActionResults": [
                {"id": "a", "status": 200, "message": "ok", "futureItemField": true},
                {"id": "b", "status": 451, "message": "new code"},
                {"id": "c", "status": 409}
            ]
        }
    });
    answer_with(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(body)
            .insert_header("request-id", "ok-1"),
    )
    .await;

    let outcome = client_for(&server.uri()).accept(one()).await.unwrap();

    assert_eq!(outcome.request_id(), Some("ok-1"));
    let statuses: Vec<_> = outcome.outcomes().map(|o| o.status()).collect();
    assert_eq!(
        statuses,
        [
            InvitationStatus::Closed,
            InvitationStatus::Unknown(451),
            InvitationStatus::AlreadyClosed
        ]
    );
    assert_eq!(outcome.outcome("b").unwrap().status().code(), 451);
    assert_eq!(outcome.succeeded().count(), 1);
    assert_eq!(
        outcome.failed().map(|o| o.id()).collect::<Vec<_>>(),
        ["b", "c"]
    );
    assert!(!outcome.all_succeeded());
    assert_eq!(
        outcome.unreported().collect::<Vec<_>>(),
        ["inv-1"],
        "sent, not reported"
    );
}

#[tokio::test]
async fn a_200_without_results_leaves_every_invitation_unreported_not_succeeded() {
    let server = MockServer::start().await;
    // The reference page's own (truncated) example response.
    let body = json!({"value": {"@odata.type": "microsoft.graph.InviteActionResults"}});
    answer_with(&server, ResponseTemplate::new(200).set_body_json(body)).await;

    let outcome = client_for(&server.uri()).accept(one()).await.unwrap();

    assert!(outcome.outcomes().next().is_none());
    assert_eq!(outcome.unreported().collect::<Vec<_>>(), ["inv-1"]);
    assert!(!outcome.all_succeeded(), "nothing was confirmed");
    assert_eq!(outcome.succeeded().count() + outcome.failed().count(), 0);
}

#[tokio::test]
async fn an_undocumented_status_is_an_unreadable_response() {
    let server = answering(ResponseTemplate::new(204)).await;

    let error = client_for(&server.uri()).accept(one()).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::UnreadableResponse);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(204));
}

#[tokio::test]
async fn invalid_input_fails_before_any_request_and_names_the_field() {
    let server = answering(ResponseTemplate::new(200).set_body_json(results(&[]))).await;
    let client = client_for(&server.uri());

    let empty = client.accept(Vec::new()).await.unwrap_err();
    assert_eq!(empty.kind(), ErrorKind::InvalidInput);
    assert_eq!(empty.field(), Some("invitations"));

    let no_id = client
        .ignore([Invitation::new("ok", "t"), Invitation::new("  ", "t")])
        .await
        .unwrap_err();
    assert_eq!(no_id.field(), Some("invitations[1].id"));

    let no_token = client.accept([Invitation::new("a", "")]).await.unwrap_err();
    assert_eq!(no_token.field(), Some("invitations[0].validation_token"));
    assert!(!no_token.may_have_been_sent());
    assert_eq!(no_token.attempts(), 0);

    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error_that_was_not_sent() {
    // Bind then drop a listener, so the port is known to be closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client_for(&format!("http://127.0.0.1:{port}"));

    let error = client.accept(one()).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Connect);
    assert!(!error.may_have_been_sent());
    assert!(std::error::Error::source(&error).is_some());
    // What failed and where, in the message itself, not only deep in source().
    let text = error.to_string();
    assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
    assert!(text.to_lowercase().contains("refused"), "{text}");
}

#[test]
fn build_refuses_bad_configuration() {
    let no_credentials = Client::builder().build().unwrap_err();
    assert_eq!(no_credentials.kind(), ErrorKind::Config);

    let plain_http = Client::builder()
        .base_url("http://graph.example.com/beta")
        .bearer_token(TOKEN)
        .build()
        .unwrap_err();
    assert_eq!(plain_http.kind(), ErrorKind::Config);
    assert!(plain_http.to_string().contains("plain http"));
    assert!(!plain_http.to_string().contains(TOKEN));

    for bad in [
        "not a url",
        "ftp://graph.microsoft.com",
        "https://h/beta?x=1",
    ] {
        let error = Client::builder()
            .base_url(bad)
            .bearer_token(TOKEN)
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{bad}");
    }

    let zero = std::time::Duration::ZERO;
    let refused = [
        Client::builder().bearer_token(TOKEN).timeout(zero).build(),
        Client::builder()
            .bearer_token(TOKEN)
            .attempt_timeout(zero)
            .build(),
        Client::builder()
            .bearer_token(TOKEN)
            .connect_timeout(zero)
            .build(),
        Client::builder()
            .bearer_token(TOKEN)
            .max_response_bytes(0)
            .build(),
        Client::builder()
            .bearer_token(TOKEN)
            .max_redirects(21)
            .build(),
    ];
    for result in refused {
        assert_eq!(result.unwrap_err().kind(), ErrorKind::Config);
    }

    assert!(
        Client::builder().bearer_token(TOKEN).build().is_ok(),
        "global beta by default"
    );
    assert!(Client::builder()
        .base_url("http://localhost:1234")
        .bearer_token(TOKEN)
        .build()
        .is_ok());
}

#[test]
fn build_refuses_an_empty_bearer_token_instead_of_failing_every_call() {
    for empty in ["", "   ", "\n"] {
        let error = Client::builder().bearer_token(empty).build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{empty:?}");
        assert!(error.to_string().contains("empty"), "{error}");
    }
    let error = Client::builder()
        .bearer_token("a\ntoken")
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config);
    assert!(!error.to_string().contains("a\ntoken"));
}

#[test]
fn with_http_client_refuses_the_settings_it_would_override() {
    let with_own = || {
        Client::builder()
            .bearer_token(TOKEN)
            .with_http_client(reqwest::Client::new())
    };
    let connect = with_own()
        .connect_timeout(std::time::Duration::from_secs(3))
        .build()
        .unwrap_err();
    assert_eq!(connect.kind(), ErrorKind::Config);
    assert!(connect.to_string().contains("connect_timeout"), "{connect}");
    let agent = with_own().user_agent("mine/1").build().unwrap_err();
    assert!(agent.to_string().contains("user_agent"), "{agent}");
    // Every other setting still applies beside the caller's client.
    assert!(with_own()
        .max_redirects(2)
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .is_ok());
}

#[test]
fn client_and_error_are_send_sync_and_static() {
    fn assert_traits<T: Send + Sync + 'static>() {}
    assert_traits::<Client>();
    assert_traits::<linkedin_invitations::Error>();
    assert_traits::<linkedin_invitations::CloseOutcome>();
    assert_traits::<linkedin_invitations::generated::Client>();
}
