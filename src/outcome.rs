//! What the caller sends (invitations, an action) and what comes back (one
//! outcome per invitation).

use std::fmt;

use reqwest::header::HeaderValue;

use crate::generated::types;
use crate::runtime::error::REQUEST_ID;
use crate::runtime::request::Answer;
use crate::runtime::request_id::ClientRequestId;
use crate::{Delivery, Error, Secret};

/// What the invitee does with the invitations: the contract's
/// `InviteeActionType`, as generated. Every member the document lists can be
/// sent (`ACCEPT` and `IGNORE` today); its `Display` and `FromStr` use the
/// wire names.
pub use crate::generated::types::InviteeActionType as InviteeAction;

/// One pending invitation to close, with the validation token that proves the
/// caller is its invitee.
///
/// It is the item the request carries, as the contract's type, so a call
/// sends it without copying anything.
#[derive(Clone, Debug, PartialEq)]
pub struct Invitation(types::InviteActionData);

// Every field is a string: equality is total.
impl Eq for Invitation {}

impl Invitation {
    /// An invitation by id, with its validation token (kept secret).
    pub fn new(id: impl Into<String>, validation_token: impl Into<Secret>) -> Self {
        // Graph needs `@odata.type` only to choose a derived type, and this
        // one has none: left unset, 45 bytes an item saved on the wire.
        Self(types::InviteActionData::new(
            id.into(),
            validation_token.into(),
        ))
    }

    /// Adds the tracking id that correlates the action with a campaign.
    #[cfg_attr(
        contract_deprecated = "InviteActionData.trackingId",
        deprecated(note = "the contract deprecates `trackingId` (openapi/invitations.yaml)")
    )]
    #[allow(deprecated)]
    pub fn with_tracking_id(mut self, tracking_id: impl Into<String>) -> Self {
        self.0.tracking_id = Some(tracking_id.into());
        self
    }

    /// The invitation's id.
    pub fn id(&self) -> &str {
        &self.0.invitation_id
    }

    /// The validation token (redacted in `Debug` and `Display`).
    pub fn validation_token(&self) -> &Secret {
        &self.0.validation_token
    }

    /// The tracking id, if one was set.
    #[cfg_attr(
        contract_deprecated = "InviteActionData.trackingId",
        deprecated(note = "the contract deprecates `trackingId` (openapi/invitations.yaml)")
    )]
    #[allow(deprecated)]
    pub fn tracking_id(&self) -> Option<&str> {
        self.0.tracking_id.as_deref()
    }

    /// The item as the contract's type: every property the document gives an
    /// invitation, the ones this facade has no method for included.
    pub fn as_generated(&self) -> &types::InviteActionData {
        &self.0
    }

    /// The item as the contract's type, to set what this facade has no
    /// method for.
    pub fn as_generated_mut(&mut self) -> &mut types::InviteActionData {
        &mut self.0
    }

    /// Checks what the contract requires of the item; `index` names it in
    /// errors. Inlined into the loop over a call's items.
    #[inline]
    pub(crate) fn check(&self, index: usize) -> Result<(), Error> {
        let field = |name: &str| format!("invitations[{index}].{name}");
        if crate::runtime::secret::is_blank(&self.0.invitation_id) {
            return Err(Error::invalid_input(field("id"), "is empty"));
        }
        if self.0.validation_token.is_blank() {
            return Err(Error::invalid_input(field("validation_token"), "is empty"));
        }
        Ok(())
    }

    /// About how many bytes the item takes in the request body: its
    /// strings, the property names and punctuation around them (what the
    /// facade sets; a buffer too small for the rest just grows).
    #[allow(deprecated)]
    pub(crate) fn wire_len_estimate(&self) -> usize {
        let tracking = self.0.tracking_id.as_ref().map_or(0, |t| t.len() + 16);
        self.0.invitation_id.len() + self.0.validation_token.expose().len() + tracking + 40
    }

    pub(crate) fn into_id(self) -> String {
        self.0.invitation_id
    }
}

impl From<types::InviteActionData> for Invitation {
    /// An invitation from the contract's item, with every property it sets.
    fn from(item: types::InviteActionData) -> Self {
        Self(item)
    }
}

impl From<Invitation> for types::InviteActionData {
    fn from(invitation: Invitation) -> Self {
        invitation.0
    }
}

/// The request body, serialized straight from the caller's invitations: each
/// item by the generated type's own serializer, with no copy of the list. A
/// test holds it to the generated request type's serialization.
#[derive(serde::Serialize)]
pub(crate) struct RequestBody<'a> {
    #[serde(rename = "inviteActionData", serialize_with = "items")]
    pub(crate) invitations: &'a [Invitation],
    #[serde(rename = "inviteeActionType")]
    pub(crate) action: types::InviteeActionType,
}

fn items<S: serde::Serializer>(invitations: &&[Invitation], out: S) -> Result<S::Ok, S::Error> {
    out.collect_seq(invitations.iter().map(|invitation| &invitation.0))
}

/// The outcome of one invitation, as the service reported it.
///
/// The service's per-item `status` is an HTTP-like code (this project's
/// reading, see the contract): unknown codes are kept, not rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InvitationStatus {
    /// `200`: closed as asked.
    Closed,
    /// `400`: the item was malformed.
    Invalid,
    /// `403`: the validation token does not match the invitation.
    ValidationTokenMismatch,
    /// `404`: no such invitation.
    NotFound,
    /// `409`: the invitation was already closed.
    AlreadyClosed,
    /// A code this version of the client does not know.
    Unknown(i32),
}

impl InvitationStatus {
    /// The code as the service sent it.
    pub fn code(self) -> i32 {
        match self {
            Self::Closed => 200,
            Self::Invalid => 400,
            Self::ValidationTokenMismatch => 403,
            Self::NotFound => 404,
            Self::AlreadyClosed => 409,
            Self::Unknown(code) => code,
        }
    }

    /// Whether the invitation was closed as asked (any 2xx code).
    pub fn is_success(self) -> bool {
        (200..300).contains(&self.code())
    }
}

impl fmt::Display for InvitationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Self::Closed => "closed",
            Self::Invalid => "invalid",
            Self::ValidationTokenMismatch => "validation token mismatch",
            Self::NotFound => "not found",
            Self::AlreadyClosed => "already closed",
            Self::Unknown(_) => "unknown status",
        };
        write!(f, "{name} ({})", self.code())
    }
}

impl From<i32> for InvitationStatus {
    fn from(code: i32) -> Self {
        match code {
            200 => Self::Closed,
            400 => Self::Invalid,
            403 => Self::ValidationTokenMismatch,
            404 => Self::NotFound,
            409 => Self::AlreadyClosed,
            other => Self::Unknown(other),
        }
    }
}

/// Who most likely closed an invitation that the service reports as already
/// closed (`409`): see [`InvitationOutcome::already_closed_by`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClosedBy {
    /// An earlier attempt of this very call may have been applied before its
    /// answer was lost (see [`Delivery::MaybeProcessed`]), and the service
    /// answered this call's resend: most likely that earlier attempt closed
    /// it, as asked.
    EarlierAttempt,
    /// No earlier attempt of this call can have been applied: it was closed
    /// before this call, by another call or another client.
    BeforeThisCall,
}

/// One invitation's outcome.
///
/// `PartialEq` but not `Eq`: it holds what the contract's item holds, and a
/// property the contract adds later (a `number`) may not be `Eq`.
#[derive(Clone, Debug, PartialEq)]
pub struct InvitationOutcome {
    reported: types::InviteActionStatus,
    after_uncertain_attempt: bool,
}

impl From<types::InviteActionStatus> for InvitationOutcome {
    /// The outcome an answer's item gives, before anything is known of the
    /// call's earlier attempts.
    fn from(result: types::InviteActionStatus) -> Self {
        Self {
            reported: result,
            after_uncertain_attempt: false,
        }
    }
}

impl InvitationOutcome {
    /// The invitation's id.
    pub fn id(&self) -> &str {
        &self.reported.id
    }

    /// What the service reported for it.
    pub fn status(&self) -> InvitationStatus {
        self.reported.status.into()
    }

    /// The service's explanation, for people.
    pub fn message(&self) -> Option<&str> {
        self.reported.message.as_deref()
    }

    /// Everything the service reported for it, as the contract's type: the
    /// properties this facade has no method for included.
    pub fn reported(&self) -> &types::InviteActionStatus {
        &self.reported
    }

    /// Whether the service reports it closed as asked by this answer.
    pub fn is_success(&self) -> bool {
        self.status().is_success()
    }

    /// For [`InvitationStatus::AlreadyClosed`]: whether this call's own
    /// earlier attempt most likely closed it, or it was closed before.
    /// `None` for every other status.
    pub fn already_closed_by(&self) -> Option<ClosedBy> {
        (self.status() == InvitationStatus::AlreadyClosed).then_some(
            match self.after_uncertain_attempt {
                true => ClosedBy::EarlierAttempt,
                false => ClosedBy::BeforeThisCall,
            },
        )
    }

    /// Whether this call most likely closed it: reported closed, or already
    /// closed by an earlier attempt of this call.
    pub fn closed_by_this_call(&self) -> bool {
        self.is_success() || self.already_closed_by() == Some(ClosedBy::EarlierAttempt)
    }
}

/// The result of one call: one outcome per invitation, the ids that identify
/// the call in the service's logs, and what is known of its attempts.
#[derive(Clone, Debug, PartialEq)]
pub struct CloseOutcome {
    action: InviteeAction,
    requested: Vec<String>,
    outcomes: Vec<InvitationOutcome>,
    request_id: Option<HeaderValue>,
    client_request_id: ClientRequestId,
    attempts: u32,
    delivery: Delivery,
}

impl CloseOutcome {
    pub(crate) fn new(
        action: InviteeAction,
        requested: Vec<String>,
        mut outcomes: Vec<InvitationOutcome>,
        answer: &Answer,
        client_request_id: ClientRequestId,
    ) -> Self {
        if answer.delivery == Delivery::MaybeProcessed {
            for outcome in &mut outcomes {
                outcome.after_uncertain_attempt = true;
            }
        }
        Self {
            action,
            requested,
            outcomes,
            request_id: answer.headers.get(REQUEST_ID).cloned(),
            client_request_id,
            attempts: answer.attempts,
            delivery: answer.delivery,
        }
    }

    /// The action that was asked for.
    pub fn action(&self) -> InviteeAction {
        self.action
    }

    /// Every outcome, in the order the service reported them; it knows its
    /// length, and [`as_slice`](std::slice::Iter::as_slice) gives them all
    /// at once.
    pub fn outcomes(&self) -> std::slice::Iter<'_, InvitationOutcome> {
        self.outcomes.iter()
    }

    /// The outcome of one invitation, by id.
    pub fn outcome(&self, id: &str) -> Option<&InvitationOutcome> {
        self.outcomes.iter().find(|o| o.id() == id)
    }

    /// The invitations that were closed as asked.
    pub fn succeeded(&self) -> impl Iterator<Item = &InvitationOutcome> {
        self.outcomes.iter().filter(|o| o.is_success())
    }

    /// The invitations that were not.
    pub fn failed(&self) -> impl Iterator<Item = &InvitationOutcome> {
        self.outcomes.iter().filter(|o| !o.is_success())
    }

    /// The invitations this call most likely closed: those reported closed,
    /// and those reported already closed after an earlier attempt of this
    /// call may have been applied (see [`ClosedBy::EarlierAttempt`]).
    pub fn closed_by_this_call(&self) -> impl Iterator<Item = &InvitationOutcome> {
        self.outcomes.iter().filter(|o| o.closed_by_this_call())
    }

    /// The ids that were sent but have no outcome in the answer (the
    /// reference page's own example answers with no outcomes at all): their
    /// fate is unknown, so they count as neither succeeded nor failed.
    pub fn unreported(&self) -> impl Iterator<Item = &str> {
        self.requested
            .iter()
            .filter(|id| !self.outcomes.iter().any(|o| o.id() == id.as_str()))
            .map(String::as_str)
    }

    /// Whether every invitation sent was reported closed as asked: no
    /// failure, and none left unreported.
    pub fn all_succeeded(&self) -> bool {
        self.outcomes.iter().all(InvitationOutcome::is_success)
            && self.unreported().next().is_none()
    }

    /// The service's `request-id` for this call.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_ref().and_then(|v| v.to_str().ok())
    }

    /// The `client-request-id` this client sent (the same on every attempt).
    pub fn client_request_id(&self) -> &str {
        self.client_request_id.as_str()
    }

    /// How many requests the call sent, retries and redirects included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// [`Delivery::Processed`] when the answer is the whole truth, or
    /// [`Delivery::MaybeProcessed`] when an earlier attempt may have been
    /// applied before its answer was lost (then a `409` is most likely this
    /// call's own doing: see [`InvitationOutcome::already_closed_by`]).
    pub fn delivery(&self) -> Delivery {
        self.delivery
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(deprecated)] // a tracking id, if the contract deprecates it
    fn the_request_body_serializes_as_the_generated_request_type() {
        let invitations = [
            Invitation::new("inv-1", "vt-1"),
            Invitation::new("inv-2", "vt-2").with_tracking_id("campaign"),
        ];
        let body = RequestBody {
            invitations: &invitations,
            action: InviteeAction::Ignore,
        };
        let generated = types::InviteeClosingInvitationRequest::new(
            invitations.iter().map(|i| i.0.clone()).collect(),
            types::InviteeActionType::Ignore,
        );
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            serde_json::to_string(&generated).unwrap()
        );
    }

    #[test]
    fn blank_means_empty_or_only_white_space() {
        for blank in ["", " ", "\t\n", "\u{3000}"] {
            assert!(crate::runtime::secret::is_blank(blank), "{blank:?}");
        }
        for text in ["a", " a ", "\ta"] {
            assert!(!crate::runtime::secret::is_blank(text), "{text:?}");
        }
    }
}
