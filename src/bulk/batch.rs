//! One batch of a bulk run: checked, announced, sent under the run's pacing,
//! resent after throttling, and turned into one item per invitation.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use super::item::{BatchInfo, BatchSending, BulkItem, BulkResult};
use super::observer::{BoxError, BulkObserver};
use super::pacer::Pacer;
use super::sizing::{fits, Weighed};
use crate::client::ActionRequest;
use crate::runtime::request::{Answer, CallOptions};
use crate::runtime::retry;
use crate::runtime::StopHandle;
use crate::{Client, CloseOutcome, Delivery, Error, ErrorKind, Invitation, InviteeAction};

/// What every batch of one run shares.
pub(crate) struct Run {
    client: Client,
    action: InviteeAction,
    pacer: Pacer,
    stop: StopHandle,
    observer: Option<Arc<dyn BulkObserver>>,
    max_throttled_resends: u32,
    /// Every id read so far, as a 128-bit fingerprint (16 bytes an id,
    /// not the id itself), to refuse an id the run already sent.
    seen: Mutex<HashSet<u128>>,
    fingerprint: (RandomState, RandomState),
}

/// An invitation's name, kept once its token has gone into the request.
struct Named {
    id: String,
    tracking_id: Option<String>,
}

/// A batch as read: the invitations to send, and those refused alone.
pub(crate) struct Prepared {
    refused: Vec<BulkItem>,
    items: Vec<Invitation>,
    named: Vec<Named>,
}

impl Run {
    pub(crate) fn new(
        client: Client,
        action: InviteeAction,
        pacer: Pacer,
        stop: StopHandle,
        observer: Option<Arc<dyn BulkObserver>>,
        max_throttled_resends: u32,
    ) -> Self {
        Self {
            client,
            action,
            pacer,
            stop,
            observer,
            max_throttled_resends,
            seen: Mutex::default(),
            fingerprint: (RandomState::new(), RandomState::new()),
        }
    }

    fn fingerprint(&self, id: &str) -> u128 {
        let (a, b) = &self.fingerprint;
        (u128::from(a.hash_one(id)) << 64) | u128::from(b.hash_one(id))
    }

    /// Checks batch `number` as it is read: an invitation with an empty id
    /// or token, that breaks a constraint of the document, too large for a
    /// request, or whose id the run has read before (in this batch or an
    /// earlier one), is refused alone.
    pub(crate) fn prepare(&self, number: u64, invitations: Vec<Weighed>) -> Prepared {
        let mut refused = Vec::new();
        let mut named = Vec::with_capacity(invitations.len());
        let mut items = Vec::with_capacity(invitations.len());
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        for (index, Weighed { invitation, bytes }) in invitations.into_iter().enumerate() {
            #[allow(deprecated)] // the tracking id, if the contract deprecates it
            let name = Named {
                id: invitation.id().to_owned(),
                tracking_id: invitation.tracking_id().map(str::to_owned),
            };
            let checked = invitation
                .check(index)
                .and_then(|()| crate::constraints::invitation(&invitation, index))
                .and_then(|()| fits(bytes, index, self.action))
                .and_then(|()| match seen.insert(self.fingerprint(&name.id)) {
                    true => Ok(()),
                    false => Err(Error::invalid_input(
                        format!("invitations[{index}].id"),
                        "repeats an invitation read earlier in this run",
                    )),
                });
            match checked {
                Ok(()) => {
                    items.push(invitation);
                    named.push(name);
                }
                Err(error) => refused.push(failed_alone(number, name, error)),
            }
        }
        Prepared {
            refused,
            items,
            named,
        }
    }

    /// Sends batch `number` and returns one item per invitation of it.
    pub(crate) async fn batch(self: Arc<Self>, number: u64, prepared: Prepared) -> Vec<BulkItem> {
        let Prepared {
            refused: mut out,
            items,
            named,
        } = prepared;
        if items.is_empty() {
            return out;
        }
        let sent = match ActionRequest::new(self.action, items) {
            Ok(request) => self.send(number, request, &named).await,
            Err(error) => Sent {
                info: info_of_error(number, &error),
                result: Err(error),
                announced: false,
            },
        };
        let answered = items_of(sent.result, named, &Arc::new(sent.info));
        if sent.announced {
            if let Some(observer) = &self.observer {
                if let Err(error) = observer.answered(&answered) {
                    tracing::warn!(error = %error, "the bulk observer failed; stopping the run");
                    self.stop.stop();
                }
            }
        }
        out.extend(answered);
        out
    }

    /// Announces the batch, then sends it until an answer that is not
    /// throttling, within the run's pacing and the client's retry budget:
    /// a throttled batch is resent only while the wait it asks for fits in
    /// what is left of [`RetryPolicy::max_total_delay`](crate::RetryPolicy::max_total_delay),
    /// as a single call's retry would; otherwise the throttling answer is
    /// the batch's error.
    async fn send(&self, number: u64, request: ActionRequest, named: &[Named]) -> Sent {
        let pipeline = self.client.pipeline();
        let core = pipeline.settings();
        let client_request_id = request.client_request_id().to_owned();
        let (mut attempts, mut delivery, mut throttled) = (0, Delivery::NotSent, 0);
        let mut waited = Duration::ZERO;
        let mut announced = false;
        // The last throttling answer, while the batch waits to resend.
        let mut last: Option<Answer> = None;
        let result = loop {
            let budget = last
                .as_ref()
                .map(|_| core.retry.max_total_delay().saturating_sub(waited));
            let acquired = self.stop.unless_stopped(self.pacer.acquire(budget)).await;
            let permit = match acquired {
                None => {
                    break Err(stopped().with_call(attempts, delivery, Some(&client_request_id)))
                }
                Some(Some((permit, slept))) => {
                    waited += slept;
                    permit
                }
                // The run's back-off is longer than what is left of this
                // batch's budget: its last answer is its result.
                Some(None) => match last.take() {
                    Some(answer) => break finish(request, answer, attempts, delivery),
                    None => break Err(stopped()),
                },
            };
            if self.stop.is_stopped() {
                break Err(stopped().with_call(attempts, delivery, Some(&client_request_id)));
            }
            if !announced {
                if let Err(error) = self.announce(number, &client_request_id, named) {
                    break Err(stopped().with_source(error));
                }
                announced = true;
            }
            let options = CallOptions {
                stop: Some(&self.stop),
                caller_paces_throttling: true,
            };
            let answer = pipeline
                .send(
                    pipeline.http(),
                    request.outgoing(self.client.action()),
                    options,
                )
                .await;
            drop(permit);
            let answer = match answer {
                Ok(answer) => answer,
                Err(error) => {
                    let all = attempts + error.attempts();
                    let delivery = delivery.and(error.delivery());
                    break Err(error.with_call(all, delivery, Some(&client_request_id)));
                }
            };
            attempts += answer.attempts;
            delivery = delivery.and(answer.delivery);
            if !matches!(answer.status.as_u16(), 429 | 503) {
                self.pacer.succeeded();
                break finish(request, answer, attempts, delivery);
            }
            let wait = retry::retry_after(&answer.headers, SystemTime::now())
                .unwrap_or_else(|| core.retry.backoff(throttled + 1));
            let left = core.retry.max_total_delay().saturating_sub(waited);
            if throttled >= self.max_throttled_resends || wait > left {
                tracing::debug!(?wait, ?left, "throttled past the retry budget");
                // The run still slows down; it does not wait for this one.
                self.pacer.throttled(Duration::ZERO);
                break finish(request, answer, attempts, delivery);
            }
            throttled += 1;
            self.pacer.throttled(wait);
            last = Some(answer);
        };
        let mut info = match &result {
            Ok(outcome) => BatchInfo {
                number,
                client_request_id: None,
                request_id: outcome.request_id().map(str::to_owned),
                attempts: outcome.attempts(),
                throttled: 0,
                delivery: outcome.delivery(),
            },
            Err(error) => info_of_error(number, error),
        };
        info.client_request_id = Some(client_request_id);
        info.throttled = throttled;
        Sent {
            result,
            info,
            announced,
        }
    }

    /// Tells the observer, if any, that the batch is about to go out.
    fn announce(
        &self,
        number: u64,
        client_request_id: &str,
        named: &[Named],
    ) -> Result<(), BoxError> {
        let Some(observer) = &self.observer else {
            return Ok(());
        };
        let ids: Vec<String> = named.iter().map(|n| n.id.clone()).collect();
        let batch = BatchSending {
            number,
            client_request_id,
            ids: &ids,
        };
        observer.sending(&batch).inspect_err(|error| {
            tracing::warn!(error = %error, "the bulk observer failed; stopping the run");
            self.stop.stop();
        })
    }
}

/// The batch's result from its final answer, with what all its attempts did.
fn finish(
    request: ActionRequest,
    mut answer: Answer,
    attempts: u32,
    delivery: Delivery,
) -> Result<CloseOutcome, Error> {
    answer.attempts = attempts;
    answer.delivery = delivery;
    request.outcome(answer)
}

/// What sending a batch came to.
struct Sent {
    result: Result<CloseOutcome, Error>,
    info: BatchInfo,
    /// Whether the observer was told of it (and so must hear its answer).
    announced: bool,
}

fn stopped() -> Error {
    Error::new(
        ErrorKind::Stopped,
        "the bulk run was stopped before this batch was sent (again)",
    )
}

fn info_of_error(number: u64, error: &Error) -> BatchInfo {
    BatchInfo {
        number,
        client_request_id: error.client_request_id().map(str::to_owned),
        request_id: error.request_id().map(str::to_owned),
        attempts: error.attempts(),
        throttled: 0,
        delivery: error.delivery(),
    }
}

/// One item per invitation: its reported outcome, unreported, or the
/// batch's error.
fn items_of(
    result: Result<CloseOutcome, Error>,
    named: Vec<Named>,
    info: &Arc<BatchInfo>,
) -> Vec<BulkItem> {
    let item = |name: Named, result| BulkItem {
        id: name.id,
        tracking_id: name.tracking_id,
        result,
        batch: Arc::clone(info),
    };
    match result {
        Ok(outcome) => {
            let mut reported: HashMap<&str, _> = outcome.outcomes().map(|o| (o.id(), o)).collect();
            named
                .into_iter()
                .map(|name| {
                    let result = match reported.remove(name.id.as_str()) {
                        Some(o) => BulkResult::Reported(o.clone()),
                        None => BulkResult::Unreported,
                    };
                    item(name, result)
                })
                .collect()
        }
        Err(error) => named
            .into_iter()
            .map(|name| item(name, BulkResult::Failed(error.clone())))
            .collect(),
    }
}

/// An invitation refused before any request was built.
fn failed_alone(number: u64, name: Named, error: Error) -> BulkItem {
    BulkItem {
        id: name.id,
        tracking_id: name.tracking_id,
        batch: Arc::new(BatchInfo {
            number,
            client_request_id: None,
            request_id: None,
            attempts: 0,
            throttled: 0,
            delivery: Delivery::NotSent,
        }),
        result: BulkResult::Failed(error),
    }
}
