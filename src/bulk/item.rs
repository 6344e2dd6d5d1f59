//! What a bulk run yields: one item per invitation, tied to its batch.

use std::sync::Arc;

use crate::{Delivery, Error, InvitationOutcome};

/// One invitation's result in a bulk run, with the batch it went in.
///
/// It names the invitation by id (and tracking id), never by its validation
/// token, which is dropped once its request is built.
#[derive(Clone, Debug)]
pub struct BulkItem {
    pub(crate) id: String,
    pub(crate) tracking_id: Option<String>,
    pub(crate) result: BulkResult,
    pub(crate) batch: Arc<BatchInfo>,
}

/// What became of one invitation of a bulk run.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum BulkResult {
    /// The service reported this invitation's status.
    Reported(InvitationOutcome),
    /// The batch was answered `200`, but the answer does not mention this
    /// invitation: whether it was closed is unknown.
    Unreported,
    /// The batch failed as a whole (or this invitation was refused before
    /// sending): the error, shared by every invitation of the batch, says
    /// what happened and, in [`Error::delivery`], whether it may have taken
    /// effect.
    Failed(Error),
}

impl BulkItem {
    /// The invitation's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The invitation's tracking id, if it had one.
    pub fn tracking_id(&self) -> Option<&str> {
        self.tracking_id.as_deref()
    }

    /// What became of it.
    pub fn result(&self) -> &BulkResult {
        &self.result
    }

    /// The batch it was sent in.
    pub fn batch(&self) -> &BatchInfo {
        &self.batch
    }

    /// The service's outcome, when it reported one.
    pub fn outcome(&self) -> Option<&InvitationOutcome> {
        match &self.result {
            BulkResult::Reported(outcome) => Some(outcome),
            _ => None,
        }
    }

    /// The error, when its batch failed.
    pub fn error(&self) -> Option<&Error> {
        match &self.result {
            BulkResult::Failed(error) => Some(error),
            _ => None,
        }
    }

    /// Whether this run most likely closed it: reported closed, or already
    /// closed by an earlier attempt of its batch (see
    /// [`InvitationOutcome::closed_by_this_call`]).
    pub fn closed_by_this_run(&self) -> bool {
        self.outcome()
            .is_some_and(InvitationOutcome::closed_by_this_call)
    }

    /// Whether it may have been closed without this run learning so: its
    /// batch's answer was lost or did not mention it. Resending it is then
    /// the caller's decision (a resend answers `409` if it was closed).
    pub fn is_uncertain(&self) -> bool {
        match &self.result {
            BulkResult::Reported(_) => false,
            BulkResult::Unreported => true,
            BulkResult::Failed(error) => error.delivery() == Delivery::MaybeProcessed,
        }
    }
}

/// The batch (one request of the action) an item went in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchInfo {
    pub(crate) number: u64,
    pub(crate) client_request_id: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) throttled: u32,
    pub(crate) delivery: Delivery,
}

impl BatchInfo {
    /// The batch's number in its run, from 1, in the order the input was read.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// The `client-request-id` sent with it (the same on every attempt);
    /// `None` when its items were refused before a request was built.
    pub fn client_request_id(&self) -> Option<&str> {
        self.client_request_id.as_deref()
    }

    /// The service's `request-id` of its last answer.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many requests it took, retries and resends after throttling
    /// included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// How many of its answers were throttling (`429`/`503`).
    pub fn throttled(&self) -> u32 {
        self.throttled
    }

    /// What is known of whether it took effect, over all its attempts.
    pub fn delivery(&self) -> Delivery {
        self.delivery
    }
}

/// A batch about to be sent for the first time, as shown to
/// [`BulkObserver::sending`](crate::BulkObserver::sending): no validation
/// token in it.
#[derive(Debug)]
pub struct BatchSending<'a> {
    pub(crate) number: u64,
    pub(crate) client_request_id: &'a str,
    pub(crate) ids: &'a [String],
}

impl BatchSending<'_> {
    /// The batch's number in its run, from 1.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// The `client-request-id` it will carry on every attempt.
    pub fn client_request_id(&self) -> &str {
        self.client_request_id
    }

    /// The ids of the invitations in it.
    pub fn ids(&self) -> &[String] {
        self.ids
    }
}
