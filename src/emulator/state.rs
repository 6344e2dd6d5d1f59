//! The emulator's invitations and what has happened to them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::Deserialize;

use crate::Secret;

/// Where an invitation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum InvitationState {
    /// Waiting for the invitee.
    #[default]
    Pending,
    /// Accepted by the invitee.
    Accepted,
    /// Ignored by the invitee.
    Ignored,
}

/// An invitation the emulator starts with.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedInvitation {
    id: String,
    #[serde(deserialize_with = "secret")]
    validation_token: Secret,
    #[serde(default)]
    state: InvitationState,
}

impl SeedInvitation {
    /// A pending invitation.
    pub fn pending(id: impl Into<String>, validation_token: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            validation_token: Secret::new(validation_token),
            state: InvitationState::Pending,
        }
    }

    /// The same invitation in another state.
    pub fn with_state(mut self, state: InvitationState) -> Self {
        self.state = state;
        self
    }
}

fn secret<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Secret, D::Error> {
    String::deserialize(deserializer).map(Secret::new)
}

/// The per-item outcome codes (see `InviteActionStatus` in the contract).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ItemOutcome {
    Closed,
    TokenMismatch,
    NotFound,
    AlreadyClosed,
}

impl ItemOutcome {
    pub(crate) fn code(self) -> i32 {
        match self {
            Self::Closed => 200,
            Self::TokenMismatch => 403,
            Self::NotFound => 404,
            Self::AlreadyClosed => 409,
        }
    }

    pub(crate) fn message(self, state: InvitationState) -> &'static str {
        match self {
            Self::Closed => match state {
                InvitationState::Ignored => "Invitation ignored",
                _ => "Invitation accepted",
            },
            Self::TokenMismatch => "The validation token does not match the invitation",
            Self::NotFound => "Invitation not found",
            Self::AlreadyClosed => match state {
                InvitationState::Ignored => "Invitation is already closed (ignored)",
                _ => "Invitation is already closed (accepted)",
            },
        }
    }
}

#[derive(Debug)]
struct Stored {
    validation_token: Secret,
    state: InvitationState,
}

#[derive(Debug)]
pub(crate) struct Store {
    invitations: Mutex<HashMap<String, Stored>>,
    served: AtomicU64,
}

impl Store {
    /// The store of a seed, or the first id the seed repeats.
    pub(crate) fn new(seed: Vec<SeedInvitation>) -> Result<Self, String> {
        let mut invitations = HashMap::with_capacity(seed.len());
        for s in seed {
            let stored = Stored {
                validation_token: s.validation_token,
                state: s.state,
            };
            if invitations.insert(s.id.clone(), stored).is_some() {
                return Err(format!("the seed holds invitation {:?} twice", s.id));
            }
        }
        Ok(Self {
            invitations: Mutex::new(invitations),
            served: AtomicU64::new(0),
        })
    }

    pub(crate) fn count_request(&self) {
        self.served.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn requests_served(&self) -> u64 {
        self.served.load(Ordering::Relaxed)
    }

    pub(crate) fn state_of(&self, id: &str) -> Option<InvitationState> {
        let invitations = self.invitations.lock().unwrap_or_else(|e| e.into_inner());
        invitations.get(id).map(|s| s.state)
    }

    /// Closes one invitation if its token matches and it is still pending.
    pub(crate) fn close(
        &self,
        id: &str,
        token: &str,
        to: InvitationState,
    ) -> (ItemOutcome, InvitationState) {
        let mut invitations = self.invitations.lock().unwrap_or_else(|e| e.into_inner());
        let Some(stored) = invitations.get_mut(id) else {
            return (ItemOutcome::NotFound, to);
        };
        if stored.validation_token.expose() != token {
            return (ItemOutcome::TokenMismatch, stored.state);
        }
        if stored.state != InvitationState::Pending {
            return (ItemOutcome::AlreadyClosed, stored.state);
        }
        stored.state = to;
        (ItemOutcome::Closed, to)
    }
}
