//! What the caller sends (invitations, an action) and what comes back (one
//! outcome per invitation).

use std::fmt;

use crate::generated::types;
use crate::Secret;

/// What the invitee does with the invitations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InviteeAction {
    /// Accept: the inviter and invitee become connections.
    Accept,
    /// Ignore: the invitation is closed without connecting.
    Ignore,
}

impl InviteeAction {
    /// The value on the wire: `ACCEPT` or `IGNORE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "ACCEPT",
            Self::Ignore => "IGNORE",
        }
    }
}

impl fmt::Display for InviteeAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<InviteeAction> for types::InviteeActionType {
    fn from(action: InviteeAction) -> Self {
        match action {
            InviteeAction::Accept => Self::Accept,
            InviteeAction::Ignore => Self::Ignore,
        }
    }
}

/// One pending invitation to close, with the validation token that proves the
/// caller is its invitee.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    id: String,
    validation_token: Secret,
    tracking_id: Option<String>,
}

impl Invitation {
    /// An invitation by id, with its validation token (kept secret).
    pub fn new(id: impl Into<String>, validation_token: impl Into<Secret>) -> Self {
        Self {
            id: id.into(),
            validation_token: validation_token.into(),
            tracking_id: None,
        }
    }

    /// Adds the tracking id that correlates the action with a campaign.
    pub fn with_tracking_id(mut self, tracking_id: impl Into<String>) -> Self {
        self.tracking_id = Some(tracking_id.into());
        self
    }

    /// The invitation's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The tracking id, if one was set.
    pub fn tracking_id(&self) -> Option<&str> {
        self.tracking_id.as_deref()
    }

    pub(crate) fn validation_token(&self) -> &Secret {
        &self.validation_token
    }
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

/// One invitation's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitationOutcome {
    id: String,
    status: InvitationStatus,
    message: Option<String>,
}

impl InvitationOutcome {
    /// The invitation's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// What happened to it.
    pub fn status(&self) -> InvitationStatus {
        self.status
    }

    /// The service's explanation, for people.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Whether it was closed as asked.
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }
}

impl From<types::InviteActionStatus> for InvitationOutcome {
    fn from(status: types::InviteActionStatus) -> Self {
        Self {
            id: status.id,
            status: status.status.into(),
            message: status.message,
        }
    }
}

/// The result of one call: one outcome per invitation, and the ids that
/// identify the call in the service's logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloseOutcome {
    action: InviteeAction,
    requested: Vec<String>,
    outcomes: Vec<InvitationOutcome>,
    request_id: Option<String>,
    client_request_id: String,
}

impl CloseOutcome {
    pub(crate) fn new(
        action: InviteeAction,
        requested: Vec<String>,
        outcomes: Vec<InvitationOutcome>,
        request_id: Option<String>,
        client_request_id: String,
    ) -> Self {
        Self {
            action,
            requested,
            outcomes,
            request_id,
            client_request_id,
        }
    }

    /// The action that was asked for.
    pub fn action(&self) -> InviteeAction {
        self.action
    }

    /// Every outcome, in the order the service reported them.
    pub fn outcomes(&self) -> &[InvitationOutcome] {
        &self.outcomes
    }

    /// The outcome of one invitation, by id.
    pub fn outcome(&self, id: &str) -> Option<&InvitationOutcome> {
        self.outcomes.iter().find(|o| o.id == id)
    }

    /// The invitations that were closed as asked.
    pub fn succeeded(&self) -> impl Iterator<Item = &InvitationOutcome> {
        self.outcomes.iter().filter(|o| o.is_success())
    }

    /// The invitations that were not.
    pub fn failed(&self) -> impl Iterator<Item = &InvitationOutcome> {
        self.outcomes.iter().filter(|o| !o.is_success())
    }

    /// The ids that were sent but have no outcome in the answer (the
    /// reference page's own example answers with no outcomes at all): their
    /// fate is unknown, so they count as neither succeeded nor failed.
    pub fn unreported(&self) -> impl Iterator<Item = &str> {
        self.requested
            .iter()
            .filter(|id| !self.outcomes.iter().any(|o| &o.id == *id))
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
        self.request_id.as_deref()
    }

    /// The `client-request-id` this client sent.
    pub fn client_request_id(&self) -> &str {
        &self.client_request_id
    }
}
