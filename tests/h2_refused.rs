//! A request HTTP/2 refuses unprocessed (`REFUSED_STREAM`, RFC 9113 §8.7)
//! took no effect: the call resends it as it would after a failed connect,
//! and says it was not sent when it cannot. Both the facade and the raw
//! generated client.
//!
//! The server is a real HTTP/2 server on loopback (the `h2` crate), spoken to
//! in cleartext by a caller-supplied reqwest client with its own resends of
//! refused streams off, so what is proven is this crate's handling.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use linkedin_invitations::generated::types;
use linkedin_invitations::{Client, Delivery, Error, ErrorKind, Invitation, RetryPolicy};
use support::{bounded, fast_retries, results, TOKEN};

/// An HTTP/2 server that refuses the first `refusals` streams and answers
/// every later one with a one-item `200`; returns its URL and a count of the
/// streams it saw.
async fn refusing_server(refusals: usize) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let streams = Arc::new(AtomicUsize::new(0));
    let seen = streams.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let Ok(mut connection) = h2::server::handshake(socket).await else {
                    return;
                };
                while let Some(Ok((_request, mut respond))) = connection.accept().await {
                    if seen.fetch_add(1, Ordering::SeqCst) < refusals {
                        respond.send_reset(h2::Reason::REFUSED_STREAM);
                        continue;
                    }
                    let head = http::Response::builder()
                        .status(200)
                        .header("content-type", "application/json")
                        .body(())
                        .unwrap();
                    let body = results(&[("inv-1", 200)]).to_string();
                    if let Ok(mut send) = respond.send_response(head, false) {
                        let _ = send.send_data(Bytes::from(body), true);
                    }
                }
            });
        }
    });
    (url, streams)
}

fn client(url: &str, retry: RetryPolicy) -> Client {
    let http = reqwest::Client::builder()
        .http2_prior_knowledge()
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never().max_retries_per_request(0))
        .build()
        .unwrap();
    Client::builder()
        .base_url(url)
        .bearer_token(TOKEN)
        .retry(retry)
        .with_http_client(http)
        .build()
        .unwrap()
}

async fn generated_call(client: &Client) -> Result<(), Error> {
    client
        .generated()
        .invitee_closing_invitation()
        .body(support::generated_request(
            "inv-1",
            "vt-1",
            types::InviteeActionType::Accept,
        ))
        .send()
        .await
        .map(drop)
        .map_err(Error::from)
}

#[tokio::test]
async fn a_refused_stream_is_resent_and_the_call_succeeds() {
    let (url, streams) = refusing_server(1).await;
    let outcome = bounded(client(&url, fast_retries()).accept([Invitation::new("inv-1", "vt-1")]))
        .await
        .expect("the resend is answered");
    assert_eq!(outcome.attempts(), 2);
    assert_eq!(outcome.delivery(), Delivery::Processed);
    assert!(outcome.all_succeeded());
    assert_eq!(streams.load(Ordering::SeqCst), 2);

    let (url, streams) = refusing_server(1).await;
    bounded(generated_call(&client(&url, fast_retries())))
        .await
        .expect("the generated client resends it too");
    assert_eq!(streams.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_refused_stream_that_is_not_resent_says_nothing_was_sent() {
    let (url, _) = refusing_server(usize::MAX).await;
    let client = client(&url, RetryPolicy::disabled());
    let facade = bounded(client.accept([Invitation::new("inv-1", "vt-1")]))
        .await
        .expect_err("every stream is refused");
    let generated = bounded(generated_call(&client))
        .await
        .expect_err("every stream is refused");
    for error in [facade, generated] {
        assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
        assert_eq!(error.delivery(), Delivery::NotSent, "{error}");
        assert!(!error.may_have_been_sent(), "{error}");
        assert_eq!(error.attempts(), 1);
    }
}

#[tokio::test]
async fn a_caller_supplied_client_with_reqwests_own_resends_counts_every_attempt() {
    let (url, streams) = refusing_server(1).await;
    // reqwest's defaults: it would resend a refused stream by itself, unseen.
    let http = reqwest::Client::builder()
        .http2_prior_knowledge()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(&url)
        .bearer_token(TOKEN)
        .retry(fast_retries())
        .with_http_client(http)
        .build()
        .unwrap();
    let outcome = bounded(client.accept([Invitation::new("inv-1", "vt-1")]))
        .await
        .expect("the resend is answered");
    assert_eq!(streams.load(Ordering::SeqCst), 2);
    assert_eq!(outcome.attempts(), 2, "every stream sent is an attempt");
}
