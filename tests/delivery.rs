//! Over all the attempts of a call, the client knows whether it took effect
//! (not sent / maybe processed / processed), and says so the same way
//! through the facade and through the raw generated client.

mod support;

use std::time::Duration;

use linkedin_invitations::generated::types;
use linkedin_invitations::{
    Client, CloseOutcome, ClosedBy, Credentials, Delivery, Error, ErrorKind, Invitation,
    InvitationStatus, TokenRequest,
};
use support::fault_server::{FaultServer, Reply};
use support::{bounded, envelope, fast_retries, results, TOKEN};

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token(TOKEN)
        .retry(fast_retries())
        .attempt_timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

fn one() -> [Invitation; 1] {
    [Invitation::new("inv-1", "vt-1")]
}

/// What a call came to, in the terms both clients share.
#[derive(Debug, PartialEq)]
struct Seen {
    kind: Option<ErrorKind>,
    status: Option<u16>,
    delivery: Delivery,
    attempts: u32,
}

fn seen_error(error: &Error) -> Seen {
    Seen {
        kind: Some(error.kind()),
        status: error.status().map(|s| s.as_u16()),
        delivery: error.delivery(),
        attempts: error.attempts(),
    }
}

async fn through_facade(script: Vec<Reply>) -> (Result<CloseOutcome, Error>, FaultServer) {
    let server = FaultServer::start(script).await;
    let result = bounded(client(&server.url).accept(one())).await;
    (result, server)
}

/// The same call through `client.generated()`, its error made typed again.
async fn through_generated(
    script: Vec<Reply>,
) -> Result<types::InviteeClosingInvitationResponse, Error> {
    let server = FaultServer::start(script).await;
    let client = client(&server.url);
    let body = support::generated_request("inv-1", "vt-1", types::InviteeActionType::Accept);
    let send = client
        .generated()
        .invitee_closing_invitation()
        .body(body)
        .send();
    bounded(send)
        .await
        .map(|r| r.into_inner())
        .map_err(Error::from)
}

/// Runs `script` through both clients; both must fail alike.
async fn both_fail(script: Vec<Reply>) -> Seen {
    let (facade, _server) = through_facade(script.clone()).await;
    let facade = seen_error(&facade.unwrap_err());
    let generated = seen_error(&through_generated(script).await.unwrap_err());
    assert_eq!(
        facade, generated,
        "the facade and the generated client differ"
    );
    facade
}

fn gateway_timeout() -> Reply {
    Reply::json(504, &envelope("GatewayTimeout", "the gateway gave up"))
}

#[tokio::test]
async fn a_refused_connection_was_not_sent() {
    let seen = both_fail(vec![Reply::StopListening]).await;
    assert_eq!(seen.kind, Some(ErrorKind::Connect));
    assert_eq!(seen.delivery, Delivery::NotSent);
    assert_eq!(
        seen.attempts, 4,
        "connect failures are retried: nothing was sent"
    );
}

#[tokio::test]
async fn a_504_then_a_refused_connection_may_have_been_processed() {
    let seen = both_fail(vec![gateway_timeout(), Reply::StopListening]).await;
    assert_eq!(
        seen.kind,
        Some(ErrorKind::Connect),
        "the last attempt's failure"
    );
    assert_eq!(
        seen.delivery,
        Delivery::MaybeProcessed,
        "the 504'd attempt may have closed the invitations"
    );
    assert_eq!(seen.attempts, 4);
}

#[tokio::test]
async fn a_reset_after_sending_may_have_been_processed_and_is_not_resent() {
    let seen = both_fail(vec![
        Reply::ResetBeforeHeaders,
        Reply::json(200, &results(&[])),
    ])
    .await;
    assert_eq!(seen.kind, Some(ErrorKind::Transport));
    assert_eq!(seen.delivery, Delivery::MaybeProcessed);
    assert_eq!(seen.attempts, 1);
}

#[tokio::test]
async fn a_timeout_after_sending_may_have_been_processed() {
    let seen = both_fail(vec![Reply::SlowHeaders(Duration::from_secs(3))]).await;
    assert_eq!(seen.kind, Some(ErrorKind::Timeout));
    assert_eq!(seen.delivery, Delivery::MaybeProcessed);
}

#[tokio::test]
async fn a_gateway_answer_after_retries_may_have_been_processed() {
    let seen = both_fail(vec![gateway_timeout()]).await;
    assert_eq!(seen.kind, Some(ErrorKind::Service));
    assert_eq!(seen.status, Some(504));
    assert_eq!(seen.delivery, Delivery::MaybeProcessed);
    assert_eq!(seen.attempts, 4);
}

#[tokio::test]
async fn a_refusal_after_a_504_still_may_have_been_processed() {
    let bad = Reply::json(400, &envelope("BadRequest", "no"));
    let seen = both_fail(vec![gateway_timeout(), bad]).await;
    assert_eq!(
        (seen.kind, seen.status),
        (Some(ErrorKind::Service), Some(400))
    );
    assert_eq!(seen.delivery, Delivery::MaybeProcessed);
    assert_eq!(seen.attempts, 2);
}

#[tokio::test]
async fn a_single_refusal_was_processed_and_took_no_effect() {
    let seen = both_fail(vec![Reply::json(400, &envelope("BadRequest", "no"))]).await;
    assert_eq!(
        (seen.kind, seen.status),
        (Some(ErrorKind::Service), Some(400))
    );
    assert_eq!(seen.delivery, Delivery::Processed);
    assert_eq!(seen.attempts, 1);
}

#[tokio::test]
async fn an_html_gateway_page_is_a_service_error_through_both_clients() {
    let html = Reply::with_type(502, "text/html", b"<html>Bad Gateway</html>".to_vec());
    let (facade, _server) = through_facade(vec![html.clone()]).await;
    let generated = through_generated(vec![html]).await.unwrap_err();
    for error in [facade.unwrap_err(), generated] {
        assert_eq!(error.kind(), ErrorKind::Service);
        assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
        assert_eq!(error.code(), None);
        assert_eq!(error.body_excerpt(), Some("<html>Bad Gateway</html>"));
        assert_eq!(error.delivery(), Delivery::MaybeProcessed);
    }
}

#[tokio::test]
async fn a_processed_call_reports_its_attempts_and_delivery() {
    let (outcome, _server) =
        through_facade(vec![Reply::json(200, &results(&[("inv-1", 200)]))]).await;
    let outcome = outcome.unwrap();
    assert_eq!(outcome.delivery(), Delivery::Processed);
    assert_eq!(outcome.attempts(), 1);
    let generated = through_generated(vec![Reply::json(200, &results(&[("inv-1", 200)]))]).await;
    assert_eq!(
        generated.unwrap().value.invite_action_results[0].status,
        200
    );
}

#[tokio::test]
async fn a_409_after_a_504_is_most_likely_this_calls_own_earlier_attempt() {
    let closed = Reply::json(200, &results(&[("inv-1", 409)]));
    let (outcome, server) = through_facade(vec![gateway_timeout(), closed]).await;
    let outcome = outcome.unwrap();

    assert_eq!(outcome.attempts(), 2);
    assert_eq!(outcome.delivery(), Delivery::MaybeProcessed);
    let item = outcome.outcome("inv-1").unwrap();
    assert_eq!(item.status(), InvitationStatus::AlreadyClosed);
    assert_eq!(item.already_closed_by(), Some(ClosedBy::EarlierAttempt));
    assert!(item.closed_by_this_call());
    assert_eq!(outcome.closed_by_this_call().count(), 1);
    assert!(
        !outcome.all_succeeded(),
        "the service did not report it closed"
    );
    let received = server.received();
    assert_eq!(
        received[0].header("client-request-id"),
        received[1].header("client-request-id"),
        "a resend is the same request"
    );
}

#[tokio::test]
async fn a_409_on_the_only_attempt_was_closed_before_this_call() {
    let closed = Reply::json(200, &results(&[("inv-1", 409)]));
    let (outcome, _server) = through_facade(vec![closed]).await;
    let outcome = outcome.unwrap();
    let item = outcome.outcome("inv-1").unwrap();
    assert_eq!(item.already_closed_by(), Some(ClosedBy::BeforeThisCall));
    assert!(!item.closed_by_this_call());
    assert_eq!(outcome.closed_by_this_call().count(), 0);
    assert_eq!(outcome.delivery(), Delivery::Processed);
}

#[tokio::test]
async fn a_409_after_a_throttled_attempt_was_closed_before_this_call() {
    let throttled =
        Reply::json(429, &envelope("TooManyRequests", "wait")).header("Retry-After", "0");
    let closed = Reply::json(200, &results(&[("inv-1", 409)]));
    let (outcome, _server) = through_facade(vec![throttled, closed]).await;
    let item = outcome.unwrap().outcome("inv-1").unwrap().clone();
    assert_eq!(
        item.already_closed_by(),
        Some(ClosedBy::BeforeThisCall),
        "a 429 is refused before processing"
    );
}

#[tokio::test]
async fn a_token_provider_that_hangs_past_the_call_timeout_sent_nothing() {
    let server = FaultServer::start(vec![Reply::json(200, &results(&[("inv-1", 200)]))]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .credentials(Credentials::from_fn(|_| async {
            std::future::pending::<Result<&str, linkedin_invitations::TokenError>>().await
        }))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = bounded(client.accept(one())).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(error.delivery(), Delivery::NotSent);
    assert!(!error.may_have_been_sent());
    assert_eq!(error.attempts(), 0);
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_token_provider_that_hangs_fails_each_call_after_the_token_timeout_and_blocks_no_clone() {
    let server = FaultServer::start(vec![Reply::json(200, &results(&[("inv-1", 200)]))]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .credentials(Credentials::from_fn(|_| async {
            std::future::pending::<Result<&str, linkedin_invitations::TokenError>>().await
        }))
        .token_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let calls = (0..4).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.accept(one()).await })
    });
    for call in calls {
        let error = bounded(call).await.unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Credentials);
        assert!(!error.may_have_been_sent());
    }
}

#[tokio::test]
async fn a_huge_retry_after_after_an_earlier_retry_ends_the_call_without_a_panic() {
    // A real wait first: the old core added the next wait to the time
    // already waited, and overflowed.
    let first = Reply::json(429, &envelope("TooManyRequests", "wait")).header("Retry-After", "1");
    let huge = Reply::json(429, &envelope("TooManyRequests", "wait"))
        .header("Retry-After", "18446744073709551615");
    let seen = both_fail(vec![first, huge]).await;
    assert_eq!(
        (seen.kind, seen.status),
        (Some(ErrorKind::Service), Some(429))
    );
    assert_eq!(seen.attempts, 2);
    assert_eq!(seen.delivery, Delivery::Processed);
}

#[tokio::test]
async fn a_redirect_that_would_turn_the_post_into_a_get_is_a_typed_error_and_never_followed() {
    for status in [301, 302, 303] {
        let moved =
            Reply::with_type(status, "text/plain", Vec::new()).header("location", "/elsewhere");
        let (result, server) =
            through_facade(vec![moved.clone(), Reply::json(200, &results(&[]))]).await;
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Redirect, "{status}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.location(), Some("/elsewhere"));
        // A 303 is the answer to a POST that was processed (see Other).
        let delivery = match status {
            303 => Delivery::MaybeProcessed,
            _ => Delivery::Processed,
        };
        assert_eq!(error.delivery(), delivery, "{status}");
        let received = server.received();
        assert_eq!(received.len(), 1, "{status}: nothing follows the redirect");
        assert!(received[0].head.starts_with("POST "));

        let generated = through_generated(vec![moved, Reply::json(200, &results(&[]))]).await;
        assert_eq!(
            generated.unwrap_err().kind(),
            ErrorKind::Redirect,
            "{status}"
        );
    }
}

#[tokio::test]
async fn too_many_redirects_are_a_redirect_error_with_status_and_location() {
    let again = Reply::with_type(307, "text/plain", Vec::new())
        .header("location", "/linkedIn/invitations/inviteeClosingInvitation");
    let (result, server) = through_facade(vec![again]).await;
    let error = result.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(307));
    assert!(error
        .location()
        .unwrap()
        .ends_with("inviteeClosingInvitation"));
    assert_eq!(server.received().len(), 6, "the request and 5 redirects");
}

#[tokio::test]
async fn a_cae_challenge_gets_a_token_with_its_claims_and_one_retry() {
    let claims = r#"{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}"#;
    let encoded = base64_standard(claims);
    let challenge = format!(
        r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="{encoded}""#
    );
    let unauthorised = Reply::json(401, &envelope("InvalidAuthenticationToken", "claims"))
        .header("www-authenticate", &challenge);
    let server = FaultServer::start(vec![
        unauthorised,
        Reply::json(200, &results(&[("inv-1", 200)])),
    ])
    .await;
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = std::sync::Arc::clone(&asked);
    let client = Client::builder()
        .base_url(&server.url)
        .credentials(Credentials::from_fn(move |request: TokenRequest| {
            record.lock().unwrap().push(request.clone());
            let token = match request.claims() {
                Some(_) => "token-with-claims",
                None => "token",
            };
            async move { Ok(token) }
        }))
        .build()
        .unwrap();

    let outcome = bounded(client.accept(one())).await.unwrap();

    assert_eq!(outcome.attempts(), 2);
    let asked = asked.lock().unwrap().clone();
    assert_eq!(
        asked,
        [
            TokenRequest::new(),
            TokenRequest::new()
                .with_force_refresh(true)
                .with_claims(claims)
        ]
    );
    let received = server.received();
    assert_eq!(
        received[1].header("authorization").as_deref(),
        Some("Bearer token-with-claims")
    );

    // Without a provider to ask, the challenge reaches the caller.
    let again = FaultServer::start(vec![Reply::json(
        401,
        &envelope("InvalidAuthenticationToken", "claims"),
    )
    .header("www-authenticate", &challenge)])
    .await;
    let error = bounded(client_with_static_token(&again.url).accept(one()))
        .await
        .unwrap_err();
    assert_eq!(error.www_authenticate(), Some(challenge.as_str()));
}

fn client_with_static_token(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token(TOKEN)
        .build()
        .unwrap()
}

fn base64_standard(text: &str) -> String {
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, text)
}

#[tokio::test]
async fn ten_concurrent_401s_share_one_refresh() {
    use std::sync::atomic::{AtomicU32, Ordering};
    use wiremock::matchers::header;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer token-0"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(envelope("InvalidAuthenticationToken", "expired")),
        )
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(results(&[("inv-1", 200)])))
        .mount(&server)
        .await;
    let fetched = std::sync::Arc::new(AtomicU32::new(0));
    let count = std::sync::Arc::clone(&fetched);
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::from_fn(move |_| {
            let n = count.fetch_add(1, Ordering::SeqCst);
            async move {
                // Slow enough that the calls overlap.
                tokio::time::sleep(Duration::from_millis(50)).await;
                Ok(linkedin_invitations::AccessToken::new(format!("token-{n}"))
                    .expires_in(Duration::from_secs(3600)))
            }
        }))
        .build()
        .unwrap();
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.accept(one()).await })
        })
        .collect();
    for call in calls {
        assert!(bounded(call).await.unwrap().unwrap().all_succeeded());
    }
    assert_eq!(
        fetched.load(Ordering::SeqCst),
        2,
        "one first token, one refresh after the 401s"
    );
}

#[tokio::test]
async fn an_http_client_that_follows_a_redirect_by_itself_never_yields_a_success() {
    // reqwest's default policy turns the POST into a GET on a 302 and
    // follows it itself; that answer may not pass as the call's result.
    let target = FaultServer::start(vec![Reply::json(200, &results(&[("inv-1", 200)]))]).await;
    let location = format!("{}/elsewhere", target.url);
    let origin = FaultServer::start(vec![
        Reply::with_type(302, "text/plain", Vec::new()).header("location", &location)
    ])
    .await;
    let client = Client::builder()
        .base_url(&origin.url)
        .bearer_token(TOKEN)
        .with_http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let error = bounded(client.accept(one())).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect);
    assert_eq!(error.location(), Some(location.as_str()));
    assert_eq!(error.delivery(), Delivery::MaybeProcessed);
    assert_eq!(target.received().len(), 1, "reqwest followed it");
}

#[tokio::test]
async fn a_307_is_followed_by_this_client_even_when_its_http_client_would_follow_it() {
    // The request body cannot be replayed by reqwest, so a 307 comes back
    // to the pipeline, which follows it under its own rules.
    let target = FaultServer::start(vec![Reply::json(200, &results(&[("inv-1", 200)]))]).await;
    let location = format!("{}/elsewhere", target.url);
    let origin = FaultServer::start(vec![
        Reply::with_type(307, "text/plain", Vec::new()).header("location", &location)
    ])
    .await;
    let client = Client::builder()
        .base_url(&origin.url)
        .bearer_token(TOKEN)
        .with_http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let outcome = bounded(client.accept(one())).await.unwrap();
    assert!(outcome.all_succeeded());
    assert_eq!(outcome.attempts(), 2, "the 307 and the POST it led to");
    assert_eq!(target.received().len(), 1);
}

#[tokio::test]
async fn a_303_to_the_post_may_have_been_processed_and_is_not_safe_to_resend() {
    let server = FaultServer::start(vec![
        Reply::with_type(303, "text/plain", Vec::new()).header("location", "/result/1")
    ])
    .await;
    let client = Client::builder()
        .base_url(&server.url)
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    let error = bounded(client.accept(one())).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect);
    assert_eq!(error.delivery(), Delivery::MaybeProcessed, "{error}");
    assert!(error.may_have_been_sent());
    assert_eq!(server.received().len(), 1, "not followed, not resent");
}

#[tokio::test]
async fn the_generated_client_says_on_success_what_its_attempts_did_so_a_409_can_be_reconciled() {
    use linkedin_invitations::GeneratedCall;

    let closed = Reply::json(200, &results(&[("inv-1", 409)]));
    let server = FaultServer::start(vec![gateway_timeout(), closed]).await;
    let item: types::InviteActionData = types::InviteActionData::builder()
        .invitation_id("inv-1")
        .validation_token(linkedin_invitations::Secret::new("vt-1"))
        .try_into()
        .unwrap();
    let body: types::InviteeClosingInvitationRequest =
        types::InviteeClosingInvitationRequest::builder()
            .invite_action_data(vec![item])
            .invitee_action_type(types::InviteeActionType::Accept)
            .try_into()
            .unwrap();
    let answer = bounded(
        client(&server.url)
            .generated()
            .invitee_closing_invitation()
            .body(body)
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(answer.attempts(), 2);
    assert_eq!(answer.delivery(), Delivery::MaybeProcessed);
    let result = &answer.value.invite_action_results[0];
    assert_eq!(
        answer.already_closed_by(result),
        Some(ClosedBy::EarlierAttempt)
    );

    // A single answered attempt: a 409 was closed before this call.
    let closed = Reply::json(200, &results(&[("inv-1", 409)]));
    let server = FaultServer::start(vec![closed]).await;
    let body = support::generated_request("inv-1", "vt-1", types::InviteeActionType::Accept);
    let answer = bounded(
        client(&server.url)
            .generated()
            .invitee_closing_invitation()
            .body(body)
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(answer.attempts(), 1);
    assert_eq!(answer.delivery(), Delivery::Processed);
    let result = &answer.value.invite_action_results[0];
    assert_eq!(
        answer.already_closed_by(result),
        Some(ClosedBy::BeforeThisCall)
    );
}
