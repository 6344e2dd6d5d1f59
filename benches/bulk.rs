//! A bulk run against the in-process emulator, in one run:
//! 1. throttled to a fixed rate: wall time vs the least the throttle allows,
//!    and lost or duplicated outcomes (there must be none);
//! 2. unthrottled: requests and invitations per second, bulk vs a loop of
//!    single `accept` calls of the same batch size.
//!
//! cargo bench --bench bulk

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use linkedin_invitations::{Client, Invitation, InviteeAction};
use linkedin_invitations_emulator::{Emulator, SeedInvitation};

const INVITATIONS: usize = 10_000;
const BATCH: usize = 10;
const CONCURRENCY: usize = 8;
const RATE: u32 = 200;

fn input() -> impl Iterator<Item = Invitation> + Send + 'static {
    (0..INVITATIONS).map(|i| Invitation::new(format!("b-{i}"), format!("vt-{i}")))
}

async fn emulator(throttle: Option<u32>) -> Emulator {
    let seed =
        (0..INVITATIONS).map(|i| SeedInvitation::pending(format!("b-{i}"), format!("vt-{i}")));
    let mut builder = Emulator::builder().invitations(seed);
    if let Some(rate) = throttle {
        builder = builder.throttle(rate, Duration::from_secs(1));
    }
    builder.start().await.unwrap()
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token("bench")
        .build()
        .unwrap()
}

/// Runs the bulk close; returns wall time, closed, lost and duplicated.
async fn bulk(url: &str) -> (Duration, usize, usize, usize) {
    let started = Instant::now();
    let items: Vec<_> = client(url)
        .bulk(InviteeAction::Accept)
        .batch_size(BATCH)
        .unwrap()
        .concurrency(CONCURRENCY)
        .close(input())
        .collect()
        .await;
    let elapsed = started.elapsed();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for item in &items {
        *seen.entry(item.id().to_owned()).or_default() += 1;
    }
    let closed = items.iter().filter(|i| i.closed_by_this_run()).count();
    let lost = INVITATIONS - seen.len();
    let duplicated = seen.values().filter(|n| **n > 1).count();
    (elapsed, closed, lost, duplicated)
}

async fn single_calls(url: &str) -> Duration {
    let client = client(url);
    let all: Vec<Invitation> = input().collect();
    let started = Instant::now();
    for batch in all.chunks(BATCH) {
        let outcome = client.accept(batch.to_vec()).await.unwrap();
        assert!(outcome.all_succeeded());
    }
    started.elapsed()
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let requests = INVITATIONS.div_ceil(BATCH);
        let throttled = emulator(Some(RATE)).await;
        let (elapsed, closed, lost, duplicated) = bulk(throttled.url()).await;
        let served = throttled.requests_served();
        // The first window opens with the first request; the last request
        // can be answered at the start of window ceil(requests / rate).
        let minimum = Duration::from_secs((requests as u64).div_ceil(u64::from(RATE)) - 1);
        println!("## Throttled: {INVITATIONS} invitations, batches of {BATCH}, concurrency {CONCURRENCY}, emulator --throttle {RATE}/1\n");
        println!("| requests | least the throttle allows | wall time | ratio | closed | lost | duplicated | answers incl. 429 |");
        println!("|---|---|---|---|---|---|---|---|");
        println!(
            "| {requests} | {:.2} s | {:.2} s | {:.2}x | {closed} | {lost} | {duplicated} | {served} |\n",
            minimum.as_secs_f64(),
            elapsed.as_secs_f64(),
            elapsed.as_secs_f64() / minimum.as_secs_f64(),
        );

        // Alternating runs on fresh emulators; medians of five each.
        let (mut bulk_times, mut loop_times) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            let open = emulator(None).await;
            loop_times.push(single_calls(open.url()).await);
            let open = emulator(None).await;
            let (time, closed, lost, duplicated) = bulk(open.url()).await;
            assert_eq!((closed, lost, duplicated), (INVITATIONS, 0, 0));
            bulk_times.push(time);
        }
        let median = |times: &mut Vec<Duration>| {
            times.sort();
            times[times.len() / 2]
        };
        let (bulk_time, loop_time) = (median(&mut bulk_times), median(&mut loop_times));
        println!("## Unthrottled: {INVITATIONS} invitations in {requests} requests of {BATCH} (medians of 5)\n");
        println!("| way | wall time | requests/s | invitations/s |");
        println!("|---|---|---|---|");
        for (name, time) in [
            (format!("bulk, concurrency {CONCURRENCY}"), bulk_time),
            ("loop of single accept calls".to_owned(), loop_time),
        ] {
            let secs = time.as_secs_f64();
            println!(
                "| {name} | {secs:.2} s | {:.0} | {:.0} |",
                requests as f64 / secs,
                INVITATIONS as f64 / secs
            );
        }
        println!("\nbulk / loop: {:.2}x", loop_time.as_secs_f64() / bulk_time.as_secs_f64());
    });
}
