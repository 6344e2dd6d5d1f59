//! The emulator holds up against clients that stall, hoard connections or
//! never finish a request: idle, header and body timeouts, a connection
//! limit that lets real clients in, and a shutdown with a deadline.

mod support;

use std::time::{Duration, Instant};

use linkedin_invitations::Invitation;
use linkedin_invitations_emulator::Emulator;
use support::raw;
use tokio::io::AsyncWriteExt;

const SHORT: Duration = Duration::from_millis(300);
const LONG: Duration = Duration::from_secs(60);

const PARTIAL_HEAD: &[u8] =
    b"POST /linkedIn/invitations/inviteeClosingInvitation HTTP/1.1\r\nhost: t\r\n";

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_idle_timeout() {
    let emulator = Emulator::builder()
        .idle_timeout(SHORT)
        .header_read_timeout(LONG)
        .start()
        .await
        .unwrap();
    let mut silent = raw::connect(emulator.url()).await;

    let closed = raw::read_to_close(&mut silent).await;

    assert_eq!(closed.text, "", "closed without an answer");
}

#[tokio::test]
async fn a_request_head_sent_too_slowly_is_closed_after_the_header_read_timeout() {
    let emulator = Emulator::builder()
        .idle_timeout(LONG)
        .header_read_timeout(SHORT)
        .start()
        .await
        .unwrap();
    let mut slowloris = raw::connect(emulator.url()).await;
    slowloris.write_all(PARTIAL_HEAD).await.unwrap();
    let started = Instant::now();

    raw::read_to_close(&mut slowloris).await;

    assert!(started.elapsed() < LONG / 2, "closed by the header timeout");
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_is_answered_408_in_the_envelope() {
    let emulator = Emulator::builder()
        .body_read_timeout(SHORT)
        .start()
        .await
        .unwrap();
    let mut late = raw::connect(emulator.url()).await;
    late.write_all(PARTIAL_HEAD).await.unwrap();
    late.write_all(b"client-request-id: 0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"invite")
        .await
        .unwrap();

    let response = raw::read_to_close(&mut late).await;

    assert_eq!(response.status(), Some(408), "{}", response.text);
    assert!(response.header("request-id").is_some());
    assert_eq!(
        response.header("client-request-id"),
        Some("0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3")
    );
    assert_eq!(response.json()["error"]["code"], "RequestTimeout");
}

#[tokio::test]
async fn connections_hoarded_up_to_the_limit_do_not_keep_a_real_client_out() {
    let emulator = Emulator::builder()
        .max_connections(8)
        .start()
        .await
        .unwrap();
    let mut hoarded = Vec::new();
    for _ in 0..20 {
        hoarded.push(raw::connect(emulator.url()).await);
    }
    let client = support::builder_for(emulator.url())
        .build()
        .expect("a valid client");

    let outcome = tokio::time::timeout(
        raw::PATIENCE,
        client.accept([Invitation::new("inv-1001", "vt-1001")]),
    )
    .await
    .expect("answered while idle connections are held open")
    .unwrap();

    assert!(outcome.all_succeeded());
}

#[tokio::test]
async fn when_every_connection_is_mid_request_a_new_one_is_answered_503_in_the_envelope() {
    let emulator = Emulator::builder()
        .max_connections(2)
        .body_read_timeout(LONG)
        .start()
        .await
        .unwrap();
    let mut busy = Vec::new();
    for _ in 0..2 {
        let mut stream = raw::connect(emulator.url()).await;
        stream.write_all(PARTIAL_HEAD).await.unwrap();
        stream
            .write_all(b"content-type: application/json\r\ncontent-length: 100\r\n\r\n")
            .await
            .unwrap();
        busy.push(stream);
    }
    // Poll until both exchanges are being handled (the body is awaited).
    let deadline = Instant::now() + raw::PATIENCE;
    while emulator.requests_served() < 2 {
        assert!(Instant::now() < deadline, "the busy requests never arrived");
        tokio::task::yield_now().await;
    }

    let response = raw::exchange(
        emulator.url(),
        b"GET / HTTP/1.1\r\nhost: t\r\nclient-request-id: 0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3\r\n\r\n",
    )
    .await;

    assert_eq!(response.status(), Some(503), "{}", response.text);
    assert_eq!(response.header("retry-after"), Some("1"));
    assert!(response.header("request-id").is_some());
    assert_eq!(
        response.header("client-request-id"),
        Some("0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3")
    );
    assert_eq!(response.json()["error"]["code"], "ServiceUnavailable");
}

#[tokio::test]
async fn shutdown_closes_a_half_sent_request_at_the_deadline() {
    let emulator = Emulator::builder()
        .idle_timeout(LONG)
        .header_read_timeout(LONG)
        .shutdown_timeout(SHORT)
        .start()
        .await
        .unwrap();
    let mut half_sent = raw::connect(emulator.url()).await;
    half_sent.write_all(PARTIAL_HEAD).await.unwrap();
    // The head's first bytes are read before shutdown begins.
    let mut probe = raw::connect(emulator.url()).await;
    probe
        .write_all(b"GET /ready HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    raw::read_to_close(&mut probe).await;

    tokio::time::timeout(raw::PATIENCE, emulator.shutdown())
        .await
        .expect("shutdown ends at its deadline");

    let closed = raw::read_to_close(&mut half_sent).await;
    assert_eq!(closed.text, "");
}
