//! The emulator's fault and throttling modes let users exercise their own
//! retry handling; the client's retries ride them out.

use std::time::{Duration, Instant};

use linkedin_invitations::emulator::{Emulator, Fault, FaultPlan, InvitationState};
use linkedin_invitations::{Client, ErrorKind, Invitation, RetryPolicy};

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
