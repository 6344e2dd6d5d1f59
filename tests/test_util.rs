//! The `test-util` values are what the client itself returns: each is
//! compared with the result of a real call to a loopback server that sends
//! the same answer.

mod support;

use linkedin_invitations::test_util::{failure, invitation_outcome, ServiceAnswer};
use linkedin_invitations::{
    ClosedBy, Delivery, ErrorKind, InvitationStatus, InviteeAction, RetryPolicy,
};
use serde_json::json;
use support::fault_server::{FaultServer, Reply};
use support::{bounded, builder_for, fast_retries};

fn invitations() -> Vec<linkedin_invitations::Invitation> {
    ["inv-1", "inv-2", "inv-3"]
        .into_iter()
        .map(|id| linkedin_invitations::Invitation::new(id, "vt"))
        .collect()
}

#[tokio::test]
async fn a_built_outcome_equals_the_one_a_real_call_returns() {
    // A gateway timeout that may have applied the request, then a resend
    // that finds inv-2 already closed.
    let body = json!({"value": {"inviteActionResults": [
        {"id": "inv-1", "status": 200, "message": InvitationStatus::Closed.to_string()},
        {"id": "inv-2", "status": 409, "message": InvitationStatus::AlreadyClosed.to_string()},
    ]}});
    let server = FaultServer::start(vec![
        Reply::json(
            504,
            &json!({"error": {"code": "GatewayTimeout", "message": "late"}}),
        ),
        Reply::json(200, &body), // request-id: fault-200
    ])
    .await;
    let client = builder_for(&server.url)
        .retry(fast_retries())
        .build()
        .unwrap();
    let real = bounded(client.accept(invitations())).await.unwrap();

    let built = ServiceAnswer::ok([
        ("inv-1", InvitationStatus::Closed),
        ("inv-2", InvitationStatus::AlreadyClosed),
    ])
    .request_id("fault-200")
    .attempts(2)
    .delivery(Delivery::MaybeProcessed)
    .client_request_id(real.client_request_id())
    .close(InviteeAction::Accept, ["inv-1", "inv-2", "inv-3"])
    .unwrap();

    assert_eq!(built, real);
    assert_eq!(
        built.outcome("inv-2").unwrap().already_closed_by(),
        Some(ClosedBy::EarlierAttempt)
    );
    assert_eq!(built.unreported().collect::<Vec<_>>(), ["inv-3"]);
    assert_eq!(
        invitation_outcome("inv-2", InvitationStatus::AlreadyClosed).already_closed_by(),
        Some(ClosedBy::BeforeThisCall)
    );
}

#[tokio::test]
async fn a_built_service_error_equals_the_one_a_real_call_returns() {
    let server = FaultServer::start(vec![Reply::json(
        429,
        &json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
    )
    .header("retry-after", "7")]) // request-id: fault-429
    .await;
    let client = builder_for(&server.url)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let real = bounded(client.ignore(invitations())).await.unwrap_err();

    let built = ServiceAnswer::error(429, "TooManyRequests", "slow down")
        .request_id("fault-429")
        .header("retry-after", "7")
        .client_request_id(real.client_request_id().unwrap())
        .close(InviteeAction::Ignore, ["inv-1", "inv-2", "inv-3"])
        .unwrap_err();

    assert_eq!(format!("{built:?}"), format!("{real:?}"));
    assert_eq!(built.to_string(), real.to_string());
    assert_eq!(built.kind(), ErrorKind::Service);
}

#[test]
fn a_failure_before_any_answer_keeps_its_delivery_and_an_impossible_answer_is_refused() {
    let error = failure(ErrorKind::Timeout, "timed out", Delivery::MaybeProcessed, 1);
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(error.delivery().is_uncertain());
    assert_eq!(error.attempts(), 1);

    let impossible = ServiceAnswer::ok([("inv-1", InvitationStatus::Closed)])
        .delivery(Delivery::NotSent)
        .close(InviteeAction::Accept, ["inv-1"])
        .unwrap_err();
    assert_eq!(impossible.kind(), ErrorKind::Config);
    let bad_header = ServiceAnswer::new(200, "{}")
        .header("bad header", "x")
        .close(InviteeAction::Accept, ["inv-1"])
        .unwrap_err();
    assert_eq!(bad_header.kind(), ErrorKind::Config);
}
