//! Closing any number of invitations: batches sent with bounded concurrency
//! and shared pacing, outcomes yielded as a stream as they arrive, each
//! classified ([`Disposition`]), and a resumable journal
//! ([`Journal`]) that the `linkedin-invitations` command keeps too.
//!
//! The stream is a `futures` `Stream`: reading it as below takes
//! `futures_util::StreamExt` (`futures-util = "0.3"` in your `Cargo.toml`).
//! Start with [`Client::bulk`]; [`Bulk`] tells how a run batches, paces and
//! stops.
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use linkedin_invitations::{BulkResult, Client, Error, Invitation, InviteeAction};
//!
//! async fn accept_all(client: &Client, pending: Vec<(String, String)>) -> Result<(), Error> {
//!     let invitations = pending
//!         .into_iter()
//!         .map(|(id, token)| Invitation::new(id, token));
//!     let mut results = client
//!         .bulk(InviteeAction::Accept)
//!         .batch_size(100)? // the default; more than the contract's MAX_BATCH_SIZE is an error
//!         .concurrency(4) // the default
//!         .close(invitations); // or .close_stream(a Stream of Invitation)
//!     while let Some(item) = results.next().await {
//!         let batch = item.batch().client_request_id().unwrap_or("-");
//!         match item.result() {
//!             _ if item.closed_by_this_run() => {}
//!             _ if item.is_uncertain() => eprintln!("{}: answer lost (batch {batch}), may be closed", item.id()),
//!             BulkResult::Failed(error) => eprintln!("{}: {error}", item.id()),
//!             _ => eprintln!("{}: not closed (batch {batch})", item.id()),
//!         }
//!     }
//!     Ok(())
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), linkedin_invitations::Error> {
//!     let client = Client::builder()
//!         .bearer_token(std::env::var("GRAPH_TOKEN").unwrap_or_default())
//!         .build()?;
//!     let pending = vec![("6912043412391845888".to_owned(), "validation-token-1".to_owned())];
//!     accept_all(&client, pending).await?;
//!     Ok(())
//! }
//! ```
//!
//! # What became of each invitation: [`Disposition`]
//!
//! [`BulkItem::disposition`] sorts every item into the six terms the
//! command reports: `closed` (by this run, or by an earlier send whose
//! answer was lost: a `409` to its resend), `already_closed` (by someone
//! else), `failed` (the service refused it: sending again will not help),
//! `not_applied` (its batch failed and nothing took effect: send it again),
//! `unknown` (it may have been closed without an answer saying so) and
//! `invalid` (not an invitation).
//!
//! # Resuming: [`Journal`]
//!
//! A [`Journal`] is a file that a run appends to before each batch goes out
//! and once it is answered (its [`JournalObserver`] is the run's
//! [`BulkObserver`]), each record on disk before the run goes on. Opened
//! again, it tells a new run what the last one settled (not to be sent
//! again) and what it left uncertain (sent, fate unknown): a `409` to one of
//! those, resent, is the earlier run's close, and
//! [`JournalState::disposition`] says `closed`. It holds ids, never
//! validation tokens; it belongs to one action and one input, and a run
//! holds a lock on it. The command's `--journal` is this file: either reads
//! the other's.
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use linkedin_invitations::bulk::{Disposition, Journal};
//! use linkedin_invitations::{Client, Invitation, InviteeAction};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let client = Client::builder()
//!         .bearer_token(std::env::var("GRAPH_TOKEN").unwrap_or_default())
//!         .build()?;
//!     let pending = vec![("6912043412391845888".to_owned(), "validation-token-1".to_owned())];
//!
//!     // What an earlier run with this journal settled is not sent again.
//!     let journal = Journal::open("accept.journal", InviteeAction::Accept, "pending-export")?;
//!     let known = journal.state().clone();
//!     let invitations = pending
//!         .into_iter()
//!         .filter(move |(id, _)| !known.is_settled(id))
//!         .map(|(id, token)| Invitation::new(id, token));
//!     let known = journal.state().clone();
//!     let mut results = client
//!         .bulk(InviteeAction::Accept)
//!         .observer(journal.observer()?)
//!         .close(invitations);
//!     while let Some(item) = results.next().await {
//!         match known.disposition(&item) {
//!             Disposition::Closed | Disposition::AlreadyClosed => {}
//!             Disposition::Unknown => eprintln!("{}: answer lost, may be closed: run again", item.id()),
//!             Disposition::NotApplied => eprintln!("{}: nothing took effect: run again", item.id()),
//!             other => eprintln!("{}: {other}", item.id()),
//!         }
//!     }
//!     Ok(())
//! }
//! ```

mod batch;
mod disposition;
mod item;
mod journal;
mod observer;
mod pacer;
mod sizing;

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::stream::{self, Stream, StreamExt};

pub use disposition::Disposition;
pub use item::{BatchInfo, BatchSending, BulkItem, BulkResult};
pub use journal::{Journal, JournalError, JournalObserver, JournalState, Recorded, Repair};
pub use observer::{BoxError, BulkObserver};

use crate::defaults::{
    DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, DEFAULT_MAX_THROTTLED_RESENDS, MAX_BATCH_SIZE,
};
use crate::runtime::StopHandle;
use crate::{Client, Error, Invitation, InviteeAction};

/// A bulk run of one action, configured; start it with
/// [`close`](Bulk::close) or [`close_stream`](Bulk::close_stream). Get one
/// from [`Client::bulk`].
///
/// - **Batches.** The input is read lazily, [`batch_size`](Bulk::batch_size)
///   invitations at a time (default [`DEFAULT_BATCH_SIZE`], at most the
///   contract's [`MAX_BATCH_SIZE`]), fewer when their request body would
///   pass [`MAX_REQUEST_BYTES`](crate::defaults::MAX_REQUEST_BYTES) (Microsoft Graph's 4 MB); each batch is one
///   request. An invitation with an empty id or token, that breaks a
///   constraint of the contract, too large for any request, or whose id the
///   run has read before (in its batch or an earlier one), fails alone with
///   `InvalidInput`; the rest of its batch is sent.
/// - **Concurrency and memory.** At most [`concurrency`](Bulk::concurrency)
///   batches (default [`DEFAULT_CONCURRENCY`]) are read ahead and in flight,
///   so memory stays within about batch size × (concurrency + 2) invitations
///   whatever the input's length, plus a 16-byte fingerprint of every id
///   read (to refuse repeats): at most 40 bytes an id with the set's
///   overhead, 4 MB per 100,000 ids.
/// - **Pacing (AIMD).** A `429` or `503` answer is not retried by its own
///   task: it halves the number of requests the run keeps in flight (not
///   below one, once per throttling episode), and every task of the run
///   waits until its `Retry-After` has passed (without one, the client's
///   [`RetryPolicy`](crate::RetryPolicy) backoff) before sending; then the
///   batch is resent, at most [`max_throttled_resends`](Bulk::max_throttled_resends)
///   times, and only while the wait fits in what is left of the client's
///   [`RetryPolicy::max_total_delay`](crate::RetryPolicy::max_total_delay),
///   the budget a single call honours: past it (a `Retry-After` of a day)
///   the throttling answer is the batch's error at once. After as many unthrottled answers in a row as the current limit,
///   the limit grows by one, back up to the configured concurrency. Other
///   retries (a connection never made, a `504`) follow the client's policy.
/// - **Results.** Every invitation read comes out exactly once, as a
///   [`BulkItem`] with its batch's `client-request-id`, `request-id` and
///   delivery; a failed batch yields one item per invitation, each with the
///   batch's error. Items come in the order batches are answered.
/// - **Stopping.** Dropping the [`BulkStream`], or [`StopHandle::stop`],
///   stops at once: no request is sent after it and no more input is read.
///   Requests already on the wire are not cut off (their fate would become
///   unknown): they run to their answer in the background, so an observer
///   still hears of it. A batch waiting for its turn or out of a back-off
///   stops waiting, so nothing of the run holds the client after the stream
///   is dropped. After `stop` the stream yields what is in flight and the
///   batches read but not sent (failed with `ErrorKind::Stopped`), then
///   ends; no invitation is read after `stop`.
///
/// Needs a Tokio runtime: each batch runs in a task of its own.
pub struct Bulk {
    client: Client,
    action: InviteeAction,
    batch_size: usize,
    concurrency: usize,
    max_throttled_resends: u32,
    observer: Option<Arc<dyn BulkObserver>>,
}

impl std::fmt::Debug for Bulk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bulk")
            .field("action", &self.action)
            .field("batch_size", &self.batch_size)
            .field("concurrency", &self.concurrency)
            .field("max_throttled_resends", &self.max_throttled_resends)
            .field("observer", &self.observer.is_some())
            .finish_non_exhaustive()
    }
}

impl Bulk {
    pub(crate) fn new(client: Client, action: InviteeAction) -> Self {
        Self {
            client,
            action,
            batch_size: DEFAULT_BATCH_SIZE,
            concurrency: DEFAULT_CONCURRENCY,
            max_throttled_resends: DEFAULT_MAX_THROTTLED_RESENDS,
            observer: None,
        }
    }

    /// Invitations per request (default [`DEFAULT_BATCH_SIZE`]; 0 counts as
    /// 1). A batch also closes before its body would pass
    /// [`MAX_REQUEST_BYTES`](crate::defaults::MAX_REQUEST_BYTES).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for more
    /// than [`MAX_BATCH_SIZE`], the most the contract lets one request carry.
    // `MAX_BATCH_SIZE` is `usize::MAX` while the contract sets no `maxItems`.
    #[allow(clippy::absurd_extreme_comparisons)]
    pub fn batch_size(mut self, size: usize) -> Result<Self, Error> {
        if size > MAX_BATCH_SIZE {
            return Err(Error::invalid_input(
                "batch_size",
                &format!(
                    "is {size}; the contract allows at most {MAX_BATCH_SIZE} invitations a request (maxItems)"
                ),
            ));
        }
        self.batch_size = size.max(1);
        Ok(self)
    }

    /// The most requests in flight (default [`DEFAULT_CONCURRENCY`]; 0
    /// counts as 1); throttling lowers it for a while.
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// How many times one batch is resent after throttling before its items
    /// fail with the throttling error (default
    /// [`DEFAULT_MAX_THROTTLED_RESENDS`]).
    pub fn max_throttled_resends(mut self, resends: u32) -> Self {
        self.max_throttled_resends = resends;
        self
    }

    /// Tells `observer` of every batch sent and answered.
    pub fn observer(mut self, observer: impl BulkObserver) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// Closes every invitation of `invitations`, read lazily.
    pub fn close<I>(self, invitations: I) -> BulkStream
    where
        I: IntoIterator<Item = Invitation>,
        I::IntoIter: Send + 'static,
    {
        self.close_stream(stream::iter(invitations))
    }

    /// Closes every invitation `invitations` yields, read lazily.
    pub fn close_stream<S>(self, invitations: S) -> BulkStream
    where
        S: Stream<Item = Invitation> + Send + 'static,
    {
        let stop = StopHandle::default();
        let run = Arc::new(batch::Run::new(
            self.client,
            self.action,
            pacer::Pacer::new(self.concurrency),
            stop.clone(),
            self.observer,
            self.max_throttled_resends,
        ));
        // Once stopped, the input is not polled again: nothing is read to be
        // dropped. A stop while the input is pending ends the wait.
        let read = stream::unfold(
            (Box::pin(invitations), stop.clone()),
            |(mut input, stop)| async move {
                let invitation = stop.unless_stopped(input.next()).await.flatten()?;
                Some((invitation, (input, stop)))
            },
        );
        let items = sizing::batches(read, self.batch_size, self.action)
            .zip(stream::iter(1u64..))
            .map(move |(invitations, number)| {
                // Checked here, in input order, so that the first of a
                // repeated id is the one sent.
                let prepared = run.prepare(number, invitations);
                tokio::spawn(Arc::clone(&run).batch(number, prepared))
            })
            .buffer_unordered(self.concurrency)
            .flat_map(|joined| {
                let items = match joined {
                    Ok(items) => items,
                    Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
                    // The runtime is shutting down.
                    Err(_) => Vec::new(),
                };
                stream::iter(items)
            });
        BulkStream {
            items: Box::pin(items),
            stop,
        }
    }
}

/// The outcomes of a bulk run, as they arrive; see [`Bulk`]. Dropping it
/// stops the run.
#[must_use = "a bulk run sends nothing until its stream is polled"]
pub struct BulkStream {
    items: Pin<Box<dyn Stream<Item = BulkItem> + Send>>,
    stop: StopHandle,
}

impl BulkStream {
    /// A handle that stops the run from elsewhere (a Ctrl-C handler).
    pub fn stop_handle(&self) -> StopHandle {
        self.stop.clone()
    }
}

impl std::fmt::Debug for BulkStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkStream")
            .field("stopped", &self.stop.is_stopped())
            .finish_non_exhaustive()
    }
}

impl Stream for BulkStream {
    type Item = BulkItem;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<BulkItem>> {
        self.items.as_mut().poll_next(cx)
    }
}

impl Drop for BulkStream {
    fn drop(&mut self) {
        self.stop.stop();
    }
}

impl Client {
    /// Starts a bulk run that closes any number of invitations in batches,
    /// with bounded concurrency and shared pacing: see [`Bulk`].
    pub fn bulk(&self, action: InviteeAction) -> Bulk {
        Bulk::new(self.clone(), action)
    }

    /// Closes every invitation of `invitations` with the default batch size
    /// and concurrency, yielding each one's outcome as it arrives: short for
    /// `client.bulk(action).close(invitations)`; see [`Bulk`].
    pub fn close_all<I>(&self, action: InviteeAction, invitations: I) -> BulkStream
    where
        I: IntoIterator<Item = Invitation>,
        I::IntoIter: Send + 'static,
    {
        self.bulk(action).close(invitations)
    }
}
