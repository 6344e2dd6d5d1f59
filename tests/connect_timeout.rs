//! A server that never completes the TCP handshake ends in a connect error
//! (not sent) after the connect timeout, not a hang.

use std::time::{Duration, Instant};

use linkedin_invitations::{Client, Delivery, ErrorKind, Invitation, RetryPolicy};
use tokio::net::{TcpSocket, TcpStream};

/// A listener that never accepts, with its backlog filled: further SYNs
/// are dropped by the kernel, so connecting hangs until a timeout.
async fn never_accepting() -> (tokio::net::TcpListener, Vec<TcpStream>) {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        if let Ok(Ok(stream)) =
            tokio::time::timeout(Duration::from_millis(100), TcpStream::connect(addr)).await
        {
            fillers.push(stream);
        }
    }
    (listener, fillers)
}

#[tokio::test]
async fn a_full_accept_queue_ends_in_a_connect_timeout() {
    let (listener, _fillers) = never_accepting().await;
    let addr = listener.local_addr().unwrap();
    let client = Client::builder()
        .base_url(format!("http://{addr}"))
        .bearer_token("t")
        .connect_timeout(Duration::from_millis(300))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = tokio::time::timeout(
        Duration::from_secs(10),
        client.accept([Invitation::new("a", "b")]),
    )
    .await
    .expect("bounded")
    .unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Connect, "{error:?}");
    assert!(!error.may_have_been_sent());
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(250),
        "it waited for the handshake: {waited:?}"
    );
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    drop(listener);
}

#[tokio::test]
async fn an_attempt_or_call_timeout_while_still_connecting_says_nothing_was_sent() {
    let (listener, _fillers) = never_accepting().await;
    let addr = listener.local_addr().unwrap();
    let builder = || {
        Client::builder()
            .base_url(format!("http://{addr}"))
            .bearer_token("t")
            .connect_timeout(Duration::from_secs(30))
            .retry(RetryPolicy::disabled())
    };
    let by_attempt = builder()
        .attempt_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let by_call = builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    for client in [by_attempt, by_call] {
        let error = tokio::time::timeout(
            Duration::from_secs(10),
            client.accept([Invitation::new("a", "b")]),
        )
        .await
        .expect("bounded")
        .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
        assert_eq!(error.delivery(), Delivery::NotSent, "{error}");
        assert!(!error.may_have_been_sent());
    }
    drop(listener);
}
