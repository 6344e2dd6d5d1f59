//! The emulator's invitations and what has happened to them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::Deserialize;

use super::contract::Contract;
use linkedin_invitations::generated::types::{
    InviteActionData, InviteeActionType, InviteeClosingInvitationRequest,
};
use linkedin_invitations::{InviteeAction, Secret};

/// Where an invitation stands: pending, or closed by one of the contract's
/// actions (any member of `InviteeActionType`).
///
/// In a seed file it is spelled `pending`, or the member that closed it as
/// the document spells it (`ACCEPT`), as [`Display`](std::fmt::Display)
/// writes it; 0.2's `accepted` and `ignored` still read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum InvitationState {
    /// Waiting for the invitee.
    #[default]
    Pending,
    /// Closed by the invitee with this action.
    Closed(InviteeAction),
}

#[allow(non_upper_case_globals)]
impl InvitationState {
    /// `Closed(InviteeAction::Accept)`, by its name of 0.2.
    pub const Accepted: Self = Self::Closed(InviteeAction::Accept);
    /// `Closed(InviteeAction::Ignore)`, by its name of 0.2.
    pub const Ignored: Self = Self::Closed(InviteeAction::Ignore);

    /// The action that closed the invitation, if it is closed.
    pub fn closed_by(self) -> Option<InviteeAction> {
        match self {
            Self::Pending => None,
            Self::Closed(action) => Some(action),
        }
    }
}

/// The seed names of 0.2, a fixed list kept so old seed files still read;
/// a member added to the document is named by its wire name only.
const NAMES_OF_0_2: [(&str, InvitationState); 2] = [
    ("accepted", InvitationState::Accepted),
    ("ignored", InvitationState::Ignored),
];

impl std::fmt::Display for InvitationState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Pending => f.write_str("pending"),
            Self::Closed(action) => action.fmt(f),
        }
    }
}

/// Why a seed's state is not one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownState(String);

impl std::fmt::Display for UnknownState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown invitation state {:?}: expected pending", self.0)?;
        for action in InviteeAction::ALL {
            write!(f, ", {action}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownState {}

impl std::str::FromStr for InvitationState {
    type Err = UnknownState;

    /// `pending`, or an action's wire name (or its name of 0.2).
    fn from_str(name: &str) -> Result<Self, UnknownState> {
        if name == "pending" {
            return Ok(Self::Pending);
        }
        InviteeAction::ALL
            .iter()
            .find(|action| name == action.to_string())
            .map(|action| Self::Closed(*action))
            .or_else(|| {
                NAMES_OF_0_2
                    .iter()
                    .find(|(old, _)| *old == name)
                    .map(|(_, state)| *state)
            })
            .ok_or_else(|| UnknownState(name.to_owned()))
    }
}

impl<'de> Deserialize<'de> for InvitationState {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
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

/// Whether a request the document allows can name `invitation`: its id and
/// token, sent as the generated types send them, must pass the action's
/// request schema. The message names the invitation and the rule, never
/// the token.
pub(crate) fn check_seed(invitation: &SeedInvitation, contract: &Contract) -> Result<(), String> {
    let action = contract.action()?;
    let item = InviteActionData::new(invitation.id.clone(), invitation.validation_token.clone());
    let Some(&member) = InviteeActionType::ALL.first() else {
        return Ok(());
    };
    let request = InviteeClosingInvitationRequest::new(vec![item], member);
    let body = serde_json::to_value(&request)
        .map_err(|e| format!("invitation {:?} cannot be written: {e}", invitation.id))?;
    action.check_body_value(&body).map_err(|rule| {
        format!(
            "invitation {:?} breaks the document's request schema, so no request could close it: {rule}",
            invitation.id
        )
    })
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

    /// The message of an item whose invitation is now in `state`, naming
    /// the member that closed it as the document spells it.
    pub(crate) fn message(self, state: InvitationState) -> String {
        match (self, state) {
            (Self::Closed, InvitationState::Closed(action)) => {
                format!("Invitation closed ({action})")
            }
            (Self::AlreadyClosed, InvitationState::Closed(action)) => {
                format!("Invitation is already closed ({action})")
            }
            (Self::Closed, _) => "Invitation closed".to_owned(),
            (Self::AlreadyClosed, _) => "Invitation is already closed".to_owned(),
            (Self::TokenMismatch, _) => {
                "The validation token does not match the invitation".to_owned()
            }
            (Self::NotFound, _) => "Invitation not found".to_owned(),
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

    /// Closes one invitation with `action` if its token matches and it is
    /// still pending; the outcome, and the state the invitation is in.
    pub(crate) fn close(
        &self,
        id: &str,
        token: &str,
        action: InviteeAction,
    ) -> (ItemOutcome, InvitationState) {
        let mut invitations = self.invitations.lock().unwrap_or_else(|e| e.into_inner());
        let Some(stored) = invitations.get_mut(id) else {
            return (ItemOutcome::NotFound, InvitationState::Pending);
        };
        if stored.validation_token.expose() != token {
            return (ItemOutcome::TokenMismatch, stored.state);
        }
        if stored.state != InvitationState::Pending {
            return (ItemOutcome::AlreadyClosed, stored.state);
        }
        stored.state = InvitationState::Closed(action);
        (ItemOutcome::Closed, stored.state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_member_closes_a_pending_invitation_once() {
        for &action in InviteeAction::ALL {
            let store = Store::new(vec![SeedInvitation::pending("i", "t")]).unwrap();
            assert_eq!(
                store.close("i", "wrong", action),
                (ItemOutcome::TokenMismatch, InvitationState::Pending)
            );
            let closed = InvitationState::Closed(action);
            assert_eq!(store.close("i", "t", action), (ItemOutcome::Closed, closed));
            assert_eq!(store.state_of("i"), Some(closed));
            for &again in InviteeAction::ALL {
                assert_eq!(
                    store.close("i", "t", again),
                    (ItemOutcome::AlreadyClosed, closed),
                    "{again} after {action}"
                );
            }
            assert_eq!(store.close("nope", "t", action).0, ItemOutcome::NotFound);
        }
    }

    #[test]
    fn a_state_is_named_by_the_member_as_the_document_spells_it() {
        for &action in InviteeAction::ALL {
            let wire = action.to_string();
            let state = InvitationState::Closed(action);
            assert_eq!(state.to_string(), wire);
            assert_eq!(wire.parse(), Ok(state));
            assert_eq!(state.closed_by(), Some(action));
            assert_eq!(
                ItemOutcome::Closed.message(state),
                format!("Invitation closed ({wire})")
            );
            assert_eq!(
                ItemOutcome::AlreadyClosed.message(state),
                format!("Invitation is already closed ({wire})")
            );
        }
        assert_eq!("pending".parse(), Ok(InvitationState::Pending));
        let unknown = "withdrawn"
            .parse::<InvitationState>()
            .unwrap_err()
            .to_string();
        for &action in InviteeAction::ALL {
            assert!(unknown.contains(&action.to_string()), "{unknown}");
        }
    }

    #[test]
    fn the_names_of_0_2_still_read_and_mean_the_same() {
        let seed: Vec<SeedInvitation> = serde_json::from_str(
            r#"[{"id":"a","validationToken":"t","state":"accepted"},
                {"id":"b","validationToken":"t","state":"ignored"},
                {"id":"c","validationToken":"t","state":"pending"},
                {"id":"d","validationToken":"t"}]"#,
        )
        .unwrap();
        let states: Vec<_> = seed.iter().map(|s| s.state).collect();
        assert_eq!(
            states,
            [
                InvitationState::Accepted,
                InvitationState::Ignored,
                InvitationState::Pending,
                InvitationState::Pending
            ]
        );
        assert_eq!(InvitationState::Accepted.to_string(), "ACCEPT");
        assert!(serde_json::from_str::<Vec<SeedInvitation>>(
            r#"[{"id":"a","validationToken":"t","state":"closed"}]"#
        )
        .is_err());
    }
}
