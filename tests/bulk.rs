//! The bulk run: every invitation read comes out exactly once, tied to its
//! batch; input is read lazily; dropping the stream stops sending at once;
//! throttling is paced by the run, not by each request; lost answers make
//! their batch's items uncertain, never missing.

mod support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use linkedin_invitations::{
    BatchSending, BoxError, BulkItem, BulkObserver, BulkResult, Client, Delivery, ErrorKind,
    Invitation, InvitationStatus, InviteeAction, RetryPolicy,
};
use linkedin_invitations_emulator::{Emulator, Fault, FaultPlan, InvitationState};
use support::{bounded, TOKEN};

fn invitations(n: usize) -> impl Iterator<Item = Invitation> + Send + 'static {
    (0..n).map(|i| Invitation::new(format!("inv-{i}"), format!("vt-{i}")))
}

async fn emulator(n: usize, faults: FaultPlan) -> Emulator {
    Emulator::builder()
        .invitations(invitations(n).map(|i| {
            let n = &i.id()[4..];
            linkedin_invitations_emulator::SeedInvitation::pending(i.id(), format!("vt-{n}"))
        }))
        .faults(faults)
        .start()
        .await
        .unwrap()
}

fn client(url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token(TOKEN)
        .retry(retry)
        .attempt_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// The contract's most invitations a request (`MAX_BATCH_SIZE`), through a
/// call: what the tests compute from it holds for any document, and lints
/// do not read today's value (`usize::MAX`, no `maxItems`) into them.
fn max_batch_size() -> usize {
    linkedin_invitations::defaults::MAX_BATCH_SIZE
}

async fn collect(stream: linkedin_invitations::BulkStream) -> Vec<BulkItem> {
    bounded(stream.collect::<Vec<_>>()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_invitation_comes_out_once_with_its_batch_ids() {
    let emulator = emulator(1000, FaultPlan::None).await;
    let client = client(emulator.url(), RetryPolicy::disabled());
    // 30, or fewer if the contract's maxItems says so.
    let size = 30.min(max_batch_size());
    let items = collect(
        client
            .bulk(InviteeAction::Accept)
            .batch_size(size)
            .unwrap()
            .concurrency(3)
            .close(invitations(1000)),
    )
    .await;
    assert_eq!(items.len(), 1000);
    let mut seen = HashMap::new();
    let mut batches = HashMap::new();
    for item in &items {
        assert!(
            seen.insert(item.id().to_owned(), ()).is_none(),
            "{} twice",
            item.id()
        );
        assert!(item.closed_by_this_run(), "{item:?}");
        let batch = item.batch();
        assert_eq!(batch.delivery(), Delivery::Processed);
        assert!(batch.request_id().is_some());
        let crid = batch.client_request_id().unwrap().to_owned();
        assert_eq!(
            *batches.entry(crid).or_insert(batch.number()),
            batch.number()
        );
    }
    let expected = 1000usize.div_ceil(size);
    assert_eq!(
        batches.len(),
        expected,
        "1000 invitations in batches of {size}"
    );
    assert_eq!(emulator.requests_served() as usize, expected);
    assert_eq!(
        emulator.invitation_state("inv-999"),
        Some(InvitationState::Accepted)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_million_lazy_invitations_are_read_only_as_far_as_needed_and_drop_stops_sending() {
    let emulator = emulator(10, FaultPlan::None).await;
    let client = client(emulator.url(), RetryPolicy::disabled());
    let pulled = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&pulled);
    let input = (0..1_000_000).map(move |i| {
        counter.fetch_add(1, Ordering::SeqCst);
        Invitation::new(format!("lazy-{i}"), "vt")
    });
    let (batch_size, concurrency) = (50.min(max_batch_size()), 4);
    let mut stream = client
        .bulk(InviteeAction::Ignore)
        .batch_size(batch_size)
        .unwrap()
        .concurrency(concurrency)
        .close(input);
    let mut taken = 0;
    while taken < 500 {
        let item = bounded(stream.next()).await.unwrap();
        assert_eq!(item.outcome().unwrap().status(), InvitationStatus::NotFound);
        taken += 1;
    }
    let read = pulled.load(Ordering::SeqCst);
    assert!(
        read <= taken + batch_size * (concurrency + 2),
        "read {read} invitations to yield {taken}"
    );
    drop(stream);
    // Requests already on the wire finish; none starts after the drop.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let served = emulator.requests_served();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(emulator.requests_served(), served);
    assert!(served as usize <= read.div_ceil(batch_size));
    assert_eq!(
        pulled.load(Ordering::SeqCst),
        read,
        "no input read after the drop"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_whose_answer_is_lost_yields_each_item_uncertain_with_the_shared_error() {
    let plan = FaultPlan::on_call(2, Fault::ResetAfterApply).on_call(3, Fault::TruncatedAfterApply);
    let emulator = emulator(40, plan.into()).await;
    let client = client(emulator.url(), RetryPolicy::disabled());
    let items = collect(
        client
            .bulk(InviteeAction::Accept)
            .batch_size(10)
            .unwrap()
            .concurrency(1)
            .close(invitations(40)),
    )
    .await;
    assert_eq!(items.len(), 40);
    let uncertain: Vec<_> = items.iter().filter(|i| i.is_uncertain()).collect();
    assert_eq!(uncertain.len(), 20, "two batches of ten");
    for item in uncertain {
        let error = item.error().expect("a failed batch");
        assert_eq!(error.delivery(), Delivery::MaybeProcessed);
        assert_eq!(error.client_request_id(), item.batch().client_request_id());
        assert_eq!(item.batch().delivery(), Delivery::MaybeProcessed);
        // The fault struck after the action: the invitation is in fact closed.
        assert_eq!(
            emulator.invitation_state(item.id()),
            Some(InvitationState::Accepted)
        );
    }
    assert_eq!(items.iter().filter(|i| i.closed_by_this_run()).count(), 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_is_paced_by_the_run_even_with_retries_off() {
    let emulator = Emulator::builder()
        .invitations(invitations(24).map(|i| {
            let n = &i.id()[4..];
            linkedin_invitations_emulator::SeedInvitation::pending(i.id(), format!("vt-{n}"))
        }))
        .throttle(4, Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    let client = client(emulator.url(), RetryPolicy::disabled());
    let started = Instant::now();
    let items = collect(
        client
            .bulk(InviteeAction::Accept)
            .batch_size(2)
            .unwrap()
            .concurrency(4)
            .close(invitations(24)),
    )
    .await;
    assert!(items.iter().all(BulkItem::closed_by_this_run), "{items:?}");
    // 12 requests at 4 a second need two more windows after the first.
    assert!(started.elapsed() >= Duration::from_secs(2));
    let throttled: u32 = items.iter().map(|i| i.batch().throttled()).sum::<u32>() / 2;
    let served = emulator.requests_served();
    assert_eq!(served, 12 + u64::from(throttled));
    // Shared back-off: every task waits out one Retry-After together, so
    // the throttled answers stay few (each task retrying alone would earn
    // about one per task per window).
    assert!(throttled <= 8, "{throttled} throttled answers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_still_throttled_after_its_resends_fails_as_not_applied() {
    let emulator = Emulator::builder()
        .invitation("inv-0", "vt-0")
        .faults(FaultPlan::Script(vec![Fault::ServiceUnavailable; 2]))
        .start()
        .await
        .unwrap();
    let client = client(emulator.url(), RetryPolicy::disabled());
    let items = collect(
        client
            .bulk(InviteeAction::Accept)
            .max_throttled_resends(1)
            .close(invitations(1)),
    )
    .await;
    let error = items[0].error().unwrap();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.delivery(), Delivery::Processed);
    assert_eq!(error.attempts(), 2);
    assert_eq!(items[0].batch().throttled(), 1);
    assert!(!items[0].is_uncertain());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_invitation_fails_alone_and_the_rest_of_its_batch_is_sent() {
    let emulator = emulator(3, FaultPlan::None).await;
    let client = client(emulator.url(), RetryPolicy::disabled());
    let input = vec![
        Invitation::new("inv-0", "vt-0"),
        Invitation::new("inv-1", " "),
        Invitation::new("inv-0", "vt-0"),
        Invitation::new("inv-2", "vt-2"),
    ];
    let items = collect(client.close_all(InviteeAction::Accept, input)).await;
    assert_eq!(items.len(), 4);
    let invalid: Vec<_> = items
        .iter()
        .filter(|i| {
            i.error()
                .is_some_and(|e| e.kind() == ErrorKind::InvalidInput)
        })
        .collect();
    assert_eq!(invalid.len(), 2);
    assert!(invalid
        .iter()
        .all(|i| i.batch().delivery() == Delivery::NotSent));
    assert_eq!(items.iter().filter(|i| i.closed_by_this_run()).count(), 2);
}

/// Records what the observer hears.
#[derive(Default, Clone)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl BulkObserver for Recorder {
    fn sending(&self, batch: &BatchSending<'_>) -> Result<(), BoxError> {
        let line = format!("sending {} {:?}", batch.client_request_id(), batch);
        self.0.lock().unwrap().push(line);
        match batch.number() {
            3 => Err("the journal disk is full".into()),
            _ => Ok(()),
        }
    }

    fn answered(&self, items: &[BulkItem]) -> Result<(), BoxError> {
        let crid = items[0].batch().client_request_id().unwrap();
        self.0
            .lock()
            .unwrap()
            .push(format!("answered {crid} {}", items.len()));
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_observer_hears_each_batch_before_and_after_and_its_failure_stops_the_run() {
    let emulator = emulator(100, FaultPlan::None).await;
    let client = client(emulator.url(), RetryPolicy::disabled());
    let recorder = Recorder::default();
    let items = collect(
        client
            .bulk(InviteeAction::Accept)
            .batch_size(10)
            .unwrap()
            .concurrency(1)
            .observer(recorder.clone())
            .close(invitations(100)),
    )
    .await;
    let log = recorder.0.lock().unwrap().clone();
    assert_eq!(log.len(), 5, "{log:#?}");
    for pair in log[..4].chunks(2) {
        let crid = pair[0].split(' ').nth(1).unwrap();
        assert_eq!(pair[1], format!("answered {crid} 10"));
    }
    assert!(
        !log.join("\n").contains("vt-"),
        "no validation token: {log:#?}"
    );
    // Batch 3 was refused by the observer and the run stopped there: all
    // items read come out, none of them sent after the failure.
    assert_eq!(emulator.requests_served(), 2);
    let stopped: Vec<_> = items
        .iter()
        .filter(|i| i.error().is_some_and(|e| e.kind() == ErrorKind::Stopped))
        .collect();
    assert!(stopped.len() >= 10, "{}", stopped.len());
    assert!(stopped.iter().all(|i| !i.is_uncertain()));
    assert!(matches!(items[0].result(), BulkResult::Reported(_)));
    assert_eq!(items.len(), 20 + stopped.len());
}

/// A wiremock server that throttles every action request with `Retry-After`.
async fn throttling_forever(retry_after: &str) -> wiremock::MockServer {
    support::answering(
        wiremock::ResponseTemplate::new(429)
            .insert_header("retry-after", retry_after)
            .set_body_json(support::envelope("TooManyRequests", "slow down")),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_too_large_to_represent_ends_the_batch_with_the_429_without_a_panic() {
    let server = throttling_forever("18446744073709551615").await;
    let client = client(&server.uri(), RetryPolicy::default());
    let items = collect(client.bulk(InviteeAction::Accept).close(invitations(2))).await;
    assert_eq!(items.len(), 2);
    for item in &items {
        let error = item.error().expect("the batch failed");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(429), "{error:?}");
        assert_eq!(error.attempts(), 1);
        assert!(!item.is_uncertain());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_honours_the_retry_budget_of_a_single_call_and_ends_the_batch_with_the_429() {
    // A day is past the default budget of 180 s: a single call returns the
    // 429 at once, and so must a batch, instead of stalling the run.
    let server = throttling_forever("86400").await;
    let client = client(&server.uri(), RetryPolicy::default());
    let single = bounded(client.accept(invitations(1))).await.unwrap_err();
    assert_eq!(single.status().map(|s| s.as_u16()), Some(429));
    let items = collect(
        client
            .bulk(InviteeAction::Accept)
            .batch_size(1)
            .unwrap()
            .concurrency(2)
            .close(invitations(3)),
    )
    .await;
    assert_eq!(items.len(), 3);
    for item in &items {
        let error = item.error().expect("the batch failed");
        assert_eq!(error.kind(), single.kind());
        assert_eq!(error.status(), single.status());
        assert_eq!(item.batch().throttled(), 0);
    }
}

/// A client of `url` whose drop (that of its token provider, which lives as
/// long as it) sets the flag it comes with.
fn watched_client(url: &str, retry: RetryPolicy) -> (Client, Arc<AtomicBool>) {
    struct Released(Arc<AtomicBool>);
    impl Drop for Released {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }
    let released = Arc::new(AtomicBool::new(false));
    let guard = Released(Arc::clone(&released));
    let client = Client::builder()
        .base_url(url)
        .token_provider(move |_| {
            let _alive = &guard;
            async { Ok("a token") }
        })
        .retry(retry)
        .build()
        .unwrap();
    (client, released)
}

/// Waits (at most 5 s) for a [`watched_client`] to be dropped everywhere.
async fn wait_released(released: &AtomicBool) {
    let started = Instant::now();
    while !released.load(Ordering::SeqCst) {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the batch task still holds the client"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_in_back_off_lets_go_of_the_client_once_the_stream_and_client_are_dropped() {
    let server = throttling_forever("60").await;
    let (client, released) = watched_client(&server.uri(), RetryPolicy::default());
    let mut stream = client.bulk(InviteeAction::Accept).close(invitations(1));
    let polled = tokio::time::timeout(Duration::from_millis(500), stream.next()).await;
    assert!(polled.is_err(), "the batch waits out its back-off");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    drop(stream);
    drop(client);
    wait_released(&released).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_stop_no_invitation_is_read_and_dropped() {
    let emulator = emulator(10, FaultPlan::None).await;
    let client = client(emulator.url(), RetryPolicy::disabled());
    let pulled = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&pulled);
    let input = futures_util::stream::iter(invitations(10)).inspect(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let mut stream = client
        .bulk(InviteeAction::Accept)
        .batch_size(1)
        .unwrap()
        .concurrency(1)
        .close_stream(input);
    let first = bounded(stream.next()).await.unwrap();
    assert!(first.closed_by_this_run());
    stream.stop_handle().stop();
    let rest = collect(stream).await;
    assert_eq!(
        1 + rest.len(),
        pulled.load(Ordering::SeqCst),
        "one item per invitation read: {rest:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_repeated_in_a_later_batch_is_refused_not_sent_again() {
    let emulator = emulator(3, FaultPlan::None).await;
    let client = client(emulator.url(), RetryPolicy::disabled());
    let input = vec![
        Invitation::new("inv-0", "vt-0"),
        Invitation::new("inv-1", "vt-1"),
        Invitation::new("inv-0", "vt-0"),
    ];
    let items = collect(
        client
            .bulk(InviteeAction::Accept)
            .batch_size(2)
            .unwrap()
            .concurrency(1)
            .close(input),
    )
    .await;
    assert_eq!(items.len(), 3);
    assert_eq!(items.iter().filter(|i| i.closed_by_this_run()).count(), 2);
    let repeated: Vec<_> = items.iter().filter_map(BulkItem::error).collect();
    assert_eq!(repeated.len(), 1);
    assert_eq!(repeated[0].kind(), ErrorKind::InvalidInput);
    assert!(
        repeated[0].to_string().contains("repeats"),
        "{}",
        repeated[0]
    );
    assert_eq!(emulator.requests_served(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_provider_that_panics_fails_its_batch_with_a_credentials_error_and_the_observer_hears_it(
) {
    let emulator = emulator(4, FaultPlan::None).await;
    let asked = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&asked);
    let client = Client::builder()
        .base_url(emulator.url())
        .token_provider(move |_| {
            let first = count.fetch_add(1, Ordering::SeqCst) == 0;
            async move {
                if first {
                    panic!("the identity library broke");
                }
                Ok(TOKEN)
            }
        })
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let recorder = Recorder::default();
    let items = collect(
        client
            .bulk(InviteeAction::Accept)
            .batch_size(2)
            .unwrap()
            .concurrency(1)
            .observer(recorder.clone())
            .close(invitations(4)),
    )
    .await;
    assert_eq!(items.len(), 4);
    let failed: Vec<_> = items.iter().filter_map(BulkItem::error).collect();
    assert_eq!(failed.len(), 2, "{items:?}");
    assert!(failed.iter().all(|e| e.kind() == ErrorKind::Credentials));
    assert_eq!(items.iter().filter(|i| i.closed_by_this_run()).count(), 2);
    assert_eq!(
        asked.load(Ordering::SeqCst),
        2,
        "asked again after the panic"
    );
    let log = recorder.0.lock().unwrap().clone();
    let answered = log.iter().filter(|l| l.starts_with("answered")).count();
    assert_eq!(answered, 2, "{log:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_waiting_to_retry_a_504_sends_nothing_more_and_lets_go_once_dropped() {
    let server = support::answering(
        wiremock::ResponseTemplate::new(504)
            .set_body_json(support::envelope("GatewayTimeout", "the gateway gave up")),
    )
    .await;
    let (client, released) = watched_client(
        &server.uri(),
        RetryPolicy::default().with_base_delay(Duration::from_secs(60)),
    );
    let mut stream = client.bulk(InviteeAction::Accept).close(invitations(1));
    let polled = tokio::time::timeout(Duration::from_millis(500), stream.next()).await;
    assert!(polled.is_err(), "the batch waits to retry the 504");
    drop(stream);
    drop(client);
    wait_released(&released).await;
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "no request after the stop"
    );
}

/// The request list's `maxItems` in the contract, if it sets one.
fn contract_max_items() -> Option<usize> {
    let document: serde_json::Value =
        serde_yaml_ng::from_str(include_str!("../openapi/invitations.yaml")).unwrap();
    let schemas = &document["components"]["schemas"];
    let request = schemas["InviteeClosingInvitationRequest"]["properties"]
        .as_object()
        .unwrap();
    let list = request.values().find(|p| p["type"] == "array").unwrap();
    list["maxItems"].as_u64().map(|n| n as usize)
}

#[test]
fn the_batch_size_is_capped_by_the_contracts_max_items() {
    use linkedin_invitations::defaults::{DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE};
    assert_eq!(contract_max_items().unwrap_or(usize::MAX), MAX_BATCH_SIZE);
    assert_eq!(DEFAULT_BATCH_SIZE, max_batch_size().min(100));
    let client = client("http://127.0.0.1:9", RetryPolicy::disabled());
    let bulk = || client.bulk(InviteeAction::Accept);
    assert!(bulk().batch_size(MAX_BATCH_SIZE).is_ok());
    match MAX_BATCH_SIZE.checked_add(1) {
        Some(over) => {
            let error = bulk().batch_size(over).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidInput);
            assert_eq!(error.field(), Some("batch_size"));
            assert!(error.to_string().contains("maxItems"), "{error}");
        }
        // No `maxItems`: any size is allowed, the bytes bound the batch.
        None => assert!(contract_max_items().is_none()),
    }
}

/// Answers every invitation of a request closed, and records the body sizes.
struct ClosesAll(Arc<Mutex<Vec<usize>>>);

impl wiremock::Respond for ClosesAll {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        self.0.lock().unwrap().push(request.body.len());
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        let results: Vec<(&str, i32)> = body["inviteActionData"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| (item["invitationId"].as_str().unwrap(), 200))
            .collect();
        wiremock::ResponseTemplate::new(200).set_body_json(support::results(&results))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_fit_the_request_size_limit_and_an_item_too_large_fails_alone() {
    use linkedin_invitations::defaults::MAX_REQUEST_BYTES;
    let sizes = Arc::new(Mutex::new(Vec::new()));
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(ClosesAll(Arc::clone(&sizes)))
        .mount(&server)
        .await;
    let client = client(&server.uri(), RetryPolicy::disabled());
    // Four of these fill more than one request, three fit.
    let large = "t".repeat(MAX_REQUEST_BYTES / 4);
    let mut input: Vec<Invitation> = (0..7)
        .map(|i| Invitation::new(format!("inv-{i}"), format!("vt-{i}")).with_tracking_id(&large))
        .collect();
    input.insert(
        3,
        Invitation::new("too-large", "vt-x").with_tracking_id("t".repeat(MAX_REQUEST_BYTES)),
    );

    let items = collect(client.bulk(InviteeAction::Accept).close(input)).await;

    assert_eq!(items.len(), 8);
    let too_large = items.iter().find(|i| i.id() == "too-large").unwrap();
    let error = too_large.error().expect("refused alone");
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert_eq!(error.field(), Some("inviteActionData[3]"));
    assert!(!error.may_have_been_sent());
    let closed = items.iter().filter(|i| i.closed_by_this_run()).count();
    assert_eq!(closed, 7, "every other invitation is sent and closed");
    let sizes = sizes.lock().unwrap().clone();
    assert!(
        sizes.len() >= 3,
        "seven quarter-limit items need three requests: {sizes:?}"
    );
    assert!(sizes.iter().all(|&n| n <= MAX_REQUEST_BYTES), "{sizes:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_at_the_default_batch_size_fits_the_contract_and_closes_everything() {
    let n = 250;
    let emulator = emulator(n, FaultPlan::None).await;
    let client = client(emulator.url(), RetryPolicy::disabled());

    let items = collect(client.bulk(InviteeAction::Accept).close(invitations(n))).await;

    assert_eq!(items.len(), n);
    assert!(items.iter().all(BulkItem::closed_by_this_run));
    let mut per_batch: HashMap<u64, usize> = HashMap::new();
    for item in &items {
        *per_batch.entry(item.batch().number()).or_default() += 1;
    }
    assert!(
        per_batch.values().all(|&len| len <= max_batch_size()),
        "{per_batch:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_journal_observer_writes_what_a_resumed_run_reads_back_settled_or_uncertain() {
    use linkedin_invitations::bulk::{Disposition, Journal, JournalError, Recorded};

    // inv-0..29 exist, inv-30..39 do not (404); the second request's answer
    // is lost after it took effect.
    let emulator = emulator(30, FaultPlan::on_call(2, Fault::ResetAfterApply).into()).await;
    let client = client(emulator.url(), RetryPolicy::disabled());
    let dir = std::env::temp_dir().join(format!("bulk-journal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("accept.journal");
    let _ = std::fs::remove_file(&path);
    let ids = |range: std::ops::Range<usize>| -> Vec<String> {
        range.map(|i| format!("inv-{i}")).collect()
    };

    let journal = Journal::open(&path, InviteeAction::Accept, "pending").unwrap();
    assert!(journal.state().is_empty());
    assert!(
        matches!(
            Journal::open(&path, InviteeAction::Accept, "pending"),
            Err(JournalError::InUse { .. })
        ),
        "the run holds the journal"
    );
    let items = collect(
        client
            .bulk(InviteeAction::Accept)
            .batch_size(10)
            .unwrap()
            .concurrency(1)
            .observer(journal.observer().unwrap())
            .close(invitations(40)),
    )
    .await;
    assert_eq!(items.len(), 40);

    let journal = Journal::open(&path, InviteeAction::Accept, "pending").unwrap();
    let state = journal.state().clone();
    assert_eq!(journal.repair(), None);
    let mut uncertain: Vec<_> = state.uncertain().map(str::to_owned).collect();
    uncertain.sort();
    assert_eq!(uncertain, ids(10..20), "the batch whose answer was lost");
    let mut settled: Vec<_> = state.settled().map(|(id, d)| (id.to_owned(), d)).collect();
    settled.sort();
    let mut expected: Vec<_> = ids(0..10)
        .into_iter()
        .chain(ids(20..30))
        .map(|id| (id, Disposition::Closed))
        .chain(ids(30..40).into_iter().map(|id| (id, Disposition::Failed)))
        .collect();
    expected.sort();
    assert_eq!(settled, expected);
    assert_eq!(state.get("inv-10"), Some(Recorded::Uncertain));
    assert_eq!(state.get("inv-40"), None);

    // The resumed run sends what is not settled: each `409` is the lost
    // answer's close, ours, and journaled so.
    let pending = invitations(40).filter(move |i| !state.is_settled(i.id()));
    let state = journal.state().clone();
    let resent = collect(
        client
            .bulk(InviteeAction::Accept)
            .observer(journal.observer().unwrap())
            .close(pending),
    )
    .await;
    assert_eq!(resent.len(), 10);
    for item in &resent {
        assert_eq!(
            item.outcome().map(|o| o.status()),
            Some(InvitationStatus::AlreadyClosed)
        );
        assert_eq!(
            item.disposition(),
            Disposition::AlreadyClosed,
            "this run alone"
        );
        assert_eq!(state.disposition(item), Disposition::Closed, "{item:?}");
        assert!(item.is_reconciled(true));
    }

    let journal = Journal::open(&path, InviteeAction::Accept, "pending").unwrap();
    assert_eq!(journal.state().uncertain().count(), 0);
    assert_eq!(journal.state().settled().count(), 40);
    assert_eq!(
        journal.state().get("inv-15"),
        Some(Recorded::Answered(Disposition::Closed))
    );
    drop(journal);
    assert!(matches!(
        Journal::open(&path, InviteeAction::Ignore, "pending"),
        Err(JournalError::OtherAction { .. })
    ));
    assert!(matches!(
        Journal::open(&path, InviteeAction::Accept, "another input"),
        Err(JournalError::OtherInput { .. })
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_waiting_for_its_token_sends_nothing_once_stopped() {
    let server = support::answering(
        wiremock::ResponseTemplate::new(200).set_body_json(support::results(&[("inv-0", 200)])),
    )
    .await;
    let token_takes = Duration::from_secs(1);
    let client = Client::builder()
        .base_url(server.uri())
        .token_provider(move |_| async move {
            tokio::time::sleep(token_takes).await;
            Ok(TOKEN)
        })
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let mut stream = client.bulk(InviteeAction::Accept).close(invitations(1));
    let started = Instant::now();
    let polled = tokio::time::timeout(Duration::from_millis(300), stream.next()).await;
    assert!(polled.is_err(), "the batch waits for its token");
    stream.stop_handle().stop();
    let items = collect(stream).await;
    assert_eq!(items.len(), 1, "{items:?}");
    let error = items[0].error().expect("the stopped batch's item fails");
    assert_eq!(error.kind(), ErrorKind::Stopped, "{error:?}");
    assert_eq!(error.delivery(), Delivery::NotSent);
    assert!(!items[0].closed_by_this_run());
    // Past the moment the token arrives: still nothing reached the server.
    tokio::time::sleep(
        (token_takes + Duration::from_millis(500)).saturating_sub(started.elapsed()),
    )
    .await;
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "no request after the stop"
    );
}
