//! One test per way a server can misbehave: each ends in its documented
//! outcome within a bounded time, and none panics.

mod support;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use linkedin_invitations::{
    Client, CloseOutcome, Credentials, Error, ErrorKind, Invitation, RetryPolicy, Secret,
    TokenRequest,
};
use serde_json::json;
use support::fault_server::{FaultServer, Reply};
use support::{bounded, envelope, fast_retries, results, TOKEN};

fn client(server: &FaultServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(&server.url)
        .bearer_token(TOKEN)
        .retry(retry)
        .attempt_timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

async fn call(server: &FaultServer, retry: RetryPolicy) -> Result<CloseOutcome, Error> {
    bounded(client(server, retry).accept([Invitation::new("inv-1", "vt-1")])).await
}

fn ok_body() -> serde_json::Value {
    results(&[("inv-1", 200)])
}

#[tokio::test]
async fn malformed_json_is_an_unreadable_response_with_an_excerpt() {
    let server = FaultServer::start(vec![Reply::with_type(
        200,
        "application/json",
        b"{\"value\": [".to_vec(),
    )])
    .await;
    let error = call(&server, fast_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnreadableResponse);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.body_excerpt(), Some("{\"value\": ["));
    assert_eq!(error.request_id(), Some("fault-200"));
}

#[tokio::test]
async fn an_html_502_is_a_service_error_and_not_retried() {
    let server = FaultServer::start(vec![Reply::with_type(
        502,
        "text/html",
        b"<html>Bad Gateway</html>".to_vec(),
    )])
    .await;
    let error = call(&server, fast_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.code(), None);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(server.received().len(), 1, "502 is not a retryable status");
}

#[tokio::test]
async fn an_empty_200_is_unreadable() {
    let server =
        FaultServer::start(vec![Reply::with_type(200, "application/json", Vec::new())]).await;
    let error = call(&server, fast_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnreadableResponse);
}

#[tokio::test]
async fn a_wrong_content_type_is_judged_by_the_body() {
    // Documented: the content type is not checked; a body that is not the
    // contract's JSON is unreadable, one that is parses.
    let html = FaultServer::start(vec![Reply::with_type(
        200,
        "text/html",
        b"<html>ok</html>".to_vec(),
    )])
    .await;
    let error = call(&html, fast_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnreadableResponse);

    let plain = FaultServer::start(vec![Reply::with_type(
        200,
        "text/plain",
        ok_body().to_string().into_bytes(),
    )])
    .await;
    assert!(call(&plain, fast_retries()).await.unwrap().all_succeeded());
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error_that_may_have_been_sent_and_is_not_resent() {
    let server = FaultServer::start(vec![Reply::Truncated {
        content_length: 500,
        sent: b"{\"value\":".to_vec(),
    }])
    .await;
    let error = call(&server, fast_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert!(error.may_have_been_sent());
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_reset_before_the_headers_is_not_resent_unless_the_caller_opts_in() {
    let server = FaultServer::start(vec![Reply::ResetBeforeHeaders]).await;
    let error = call(&server, fast_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert!(error.may_have_been_sent());
    assert_eq!(
        server.received().len(),
        1,
        "a POST that may have been processed is not resent"
    );

    let opted_in = FaultServer::start(vec![
        Reply::ResetBeforeHeaders,
        Reply::json(200, &ok_body()),
    ])
    .await;
    let outcome = call(
        &opted_in,
        fast_retries().with_retry_when_possibly_sent(true),
    )
    .await
    .unwrap();
    assert!(outcome.all_succeeded());
    assert_eq!(opted_in.received().len(), 2);
}

#[tokio::test]
async fn a_reset_after_the_headers_is_a_transport_error() {
    let server = FaultServer::start(vec![Reply::ResetAfterHeaders]).await;
    let error = call(&server, fast_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn headers_slower_than_the_attempt_timeout_end_in_a_timeout_without_resending() {
    let server = FaultServer::start(vec![Reply::SlowHeaders(Duration::from_secs(5))]).await;
    let started = Instant::now();
    let error = call(&server, fast_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(error.may_have_been_sent());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_body_slower_than_the_attempt_timeout_ends_in_a_timeout() {
    let server = FaultServer::start(vec![Reply::SlowBody(Duration::from_secs(5))]).await;
    let started = Instant::now();
    let error = call(&server, fast_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_429_with_retry_after_seconds_is_waited_out_and_retried_with_the_same_body_and_id() {
    let throttled =
        Reply::json(429, &envelope("TooManyRequests", "wait")).header("Retry-After", "1");
    let server = FaultServer::start(vec![throttled, Reply::json(200, &ok_body())]).await;
    let started = Instant::now();
    let outcome = call(&server, fast_retries()).await.unwrap();
    assert!(outcome.all_succeeded());
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );

    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].body, received[1].body,
        "the body is replayed byte for byte"
    );
    assert_eq!(
        received[0].header("client-request-id"),
        received[1].header("client-request-id")
    );
    assert_eq!(received[0].header("retry-attempt"), None);
    assert_eq!(received[1].header("retry-attempt").as_deref(), Some("1"));
    assert_eq!(
        outcome.client_request_id(),
        received[0].header("client-request-id").unwrap()
    );
}

#[tokio::test]
async fn a_429_with_an_http_date_waits_until_that_date() {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let throttled =
        Reply::json(429, &envelope("TooManyRequests", "wait")).header("Retry-After", &date);
    let server = FaultServer::start(vec![throttled, Reply::json(200, &ok_body())]).await;
    let started = Instant::now();
    call(&server, fast_retries()).await.unwrap();
    // HTTP dates have one-second resolution: the wait is between 1 and 2 s.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_429_beyond_the_retry_budget_is_returned_as_a_service_error() {
    let throttled =
        Reply::json(429, &envelope("TooManyRequests", "wait")).header("Retry-After", "0");
    let server = FaultServer::start(vec![throttled]).await;
    let error = call(&server, fast_retries().with_max_retries(2))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.code(), Some("TooManyRequests"));
    assert_eq!(error.attempts(), 3);
    assert_eq!(error.retry_after(), Some(Duration::ZERO));
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn a_retry_after_past_the_total_wait_cap_is_not_waited_for() {
    let throttled =
        Reply::json(429, &envelope("TooManyRequests", "wait")).header("Retry-After", "3600");
    let server = FaultServer::start(vec![throttled]).await;
    let started = Instant::now();
    let error = call(&server, fast_retries()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.attempts(), 1);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn the_operation_timeout_bounds_retries_and_waits() {
    let unavailable =
        Reply::json(503, &envelope("ServiceUnavailable", "busy")).header("Retry-After", "1");
    let server = FaultServer::start(vec![unavailable]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .bearer_token(TOKEN)
        .retry(fast_retries().with_max_retries(10))
        .timeout(Duration::from_millis(2500))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = bounded(client.accept([Invitation::new("inv-1", "vt-1")]))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(
        started.elapsed() < Duration::from_millis(2800),
        "{:?}",
        started.elapsed()
    );
    assert!(server.received().len() <= 3);
}

#[tokio::test]
async fn a_503_without_retry_after_backs_off_exponentially() {
    let unavailable = Reply::json(503, &envelope("ServiceUnavailable", "busy"));
    let server = FaultServer::start(vec![
        unavailable.clone(),
        unavailable,
        Reply::json(200, &ok_body()),
    ])
    .await;
    let started = Instant::now();
    call(&server, fast_retries()).await.unwrap();
    // 20 ms, then 40 ms, plus jitter.
    assert!(started.elapsed() >= Duration::from_millis(60));
    let attempts: Vec<_> = server
        .received()
        .iter()
        .map(|r| r.header("retry-attempt"))
        .collect();
    assert_eq!(attempts, [None, Some("1".into()), Some("2".into())]);
}

#[tokio::test]
async fn other_errors_are_never_retried() {
    for status in [400, 403, 404, 409, 500] {
        let server = FaultServer::start(vec![Reply::json(status, &envelope("Code", "no"))]).await;
        let error = call(&server, fast_retries()).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(server.received().len(), 1, "{status} is not retried");
    }
}

#[tokio::test]
async fn a_401_with_a_static_token_is_a_service_error_after_one_attempt() {
    let server = FaultServer::start(vec![Reply::json(
        401,
        &envelope("InvalidAuthenticationToken", "expired"),
    )])
    .await;
    let error = call(&server, fast_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_401_asks_the_provider_for_a_fresh_token_once_and_retries_once() {
    let unauthorised = Reply::json(401, &envelope("InvalidAuthenticationToken", "expired"));
    let server = FaultServer::start(vec![unauthorised.clone(), Reply::json(200, &ok_body())]).await;
    let calls = Arc::new(AtomicU32::new(0));
    let seen = Arc::clone(&calls);
    let credentials = Credentials::from_fn(move |request: TokenRequest| {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        let force_refresh = request.force_refresh();
        async move { Ok(Secret::new(format!("token-{n}-{force_refresh}"))) }
    });
    let client = Client::builder()
        .base_url(&server.url)
        .credentials(credentials)
        .retry(fast_retries())
        .build()
        .unwrap();

    bounded(client.accept([Invitation::new("inv-1", "vt-1")]))
        .await
        .unwrap();

    let auth: Vec<_> = server
        .received()
        .iter()
        .map(|r| r.header("authorization").unwrap())
        .collect();
    assert_eq!(auth, ["Bearer token-0-false", "Bearer token-1-true"]);

    // A second 401 after the refresh is returned, not retried again.
    let always = FaultServer::start(vec![unauthorised]).await;
    let client = Client::builder()
        .base_url(&always.url)
        .credentials(Credentials::from_fn(|_| async { Ok(Secret::new("t")) }))
        .build()
        .unwrap();
    let error = bounded(client.accept([Invitation::new("inv-1", "vt-1")]))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(always.received().len(), 2);
}

#[tokio::test]
async fn a_provider_that_fails_on_refresh_is_a_credentials_error() {
    let server = FaultServer::start(vec![Reply::json(
        401,
        &envelope("InvalidAuthenticationToken", "expired"),
    )])
    .await;
    let client = Client::builder()
        .base_url(&server.url)
        .credentials(Credentials::from_fn(|request: TokenRequest| async move {
            if request.force_refresh() {
                Err("refresh token revoked".into())
            } else {
                Ok(Secret::new("stale"))
            }
        }))
        .build()
        .unwrap();
    let error = bounded(client.accept([Invitation::new("inv-1", "vt-1")]))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials);
    assert!(error.to_string().contains("refresh token revoked"));
    assert_eq!(
        error.status().map(|s| s.as_u16()),
        Some(401),
        "the 401 is kept"
    );
    assert_eq!(error.request_id(), Some("fault-401"));
}

#[tokio::test]
async fn a_redirect_to_another_host_drops_the_authorization_header() {
    let target = FaultServer::start(vec![Reply::json(200, &ok_body())]).await;
    // Same port family, other host name: 127.0.0.1 redirects to localhost.
    let elsewhere = target.url.replace("127.0.0.1", "localhost");
    let location = format!("{elsewhere}/linkedIn/invitations/inviteeClosingInvitation");
    let origin = FaultServer::start(vec![
        Reply::with_type(307, "text/plain", Vec::new()).header("location", &location)
    ])
    .await;

    let outcome = call(&origin, fast_retries()).await.unwrap();

    assert!(outcome.all_succeeded());
    assert!(origin.received()[0].header("authorization").is_some());
    let forwarded = &target.received()[0];
    assert_eq!(
        forwarded.header("authorization"),
        None,
        "the token stays with its host"
    );
    assert_eq!(
        forwarded.body,
        origin.received()[0].body,
        "307 keeps the body"
    );
}

#[tokio::test]
async fn a_redirect_loop_stops_at_the_limit() {
    let server = FaultServer::start(vec![Reply::with_type(308, "text/plain", Vec::new())
        .header("location", "/linkedIn/invitations/inviteeClosingInvitation")])
    .await;
    let error = call(&server, fast_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect);
    assert_eq!(server.received().len(), 6, "the request and 5 redirects");
}

#[tokio::test]
async fn an_oversize_body_ends_in_a_typed_error_whether_announced_or_endless() {
    let announced = FaultServer::start(vec![Reply::json(
        200,
        &json!({"value": {"pad": "x".repeat(10_000)}}),
    )])
    .await;
    let small = |server: &FaultServer| {
        Client::builder()
            .base_url(&server.url)
            .bearer_token(TOKEN)
            .max_response_bytes(1024)
            .build()
            .unwrap()
    };
    let error = bounded(small(&announced).accept([Invitation::new("a", "b")]))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));

    let endless = FaultServer::start(vec![Reply::Endless {
        limit: 256 * 1024 * 1024,
    }])
    .await;
    let error = bounded(small(&endless).accept([Invitation::new("a", "b")]))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge);
    assert!(error.to_string().contains("1024 bytes"));
}
