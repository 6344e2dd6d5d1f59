//! What a journal knows, by invitation: what a resumed run skips, sends
//! again, or reads a `409` of as its own close.

use std::collections::HashMap;
use std::sync::Arc;

use crate::bulk::disposition::Disposition;
use crate::bulk::item::BulkItem;

/// What a journal knows of one invitation, from its last record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Recorded {
    /// Answered: what became of it. Never [`Disposition::Unknown`]: an
    /// answer that leaves it unknown is [`Recorded::Uncertain`].
    Answered(Disposition),
    /// Sent, and no answer recorded (the run was killed), or answered
    /// without saying whether it took effect.
    Uncertain,
}

impl Recorded {
    /// Whether its end is known, so a resume does not send it: every
    /// answer but [`Disposition::NotApplied`] (nothing took effect: send it
    /// again).
    pub fn is_settled(self) -> bool {
        matches!(self, Self::Answered(d) if d != Disposition::NotApplied)
    }
}

/// What a journal knew of each invitation when it was opened: what a
/// resumed run skips, sends again, or reads a `409` of as its own close.
/// Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct JournalState {
    pub(super) known: Arc<HashMap<String, Recorded>>,
}

impl JournalState {
    /// What it knows of invitation `id`; `None` when it was never sent.
    pub fn get(&self, id: &str) -> Option<Recorded> {
        self.known.get(id).copied()
    }

    /// Whether `id` was sent and its fate is unknown: a resend tells (a
    /// `409` then means the earlier send closed it).
    pub fn is_uncertain(&self, id: &str) -> bool {
        self.get(id) == Some(Recorded::Uncertain)
    }

    /// Whether the end of `id` is known, so a resumed run does not send it
    /// again (see [`Recorded::is_settled`]).
    pub fn is_settled(&self, id: &str) -> bool {
        self.get(id).is_some_and(Recorded::is_settled)
    }

    /// The invitations whose end is known (see [`Recorded::is_settled`]),
    /// with what became of them, in no particular order.
    pub fn settled(&self) -> impl Iterator<Item = (&str, Disposition)> {
        self.known
            .iter()
            .filter_map(|(id, recorded)| match recorded {
                Recorded::Answered(d) if recorded.is_settled() => Some((id.as_str(), *d)),
                _ => None,
            })
    }

    /// The invitations sent without an answer saying whether they took
    /// effect, in no particular order.
    pub fn uncertain(&self) -> impl Iterator<Item = &str> {
        self.known
            .iter()
            .filter(|(_, recorded)| **recorded == Recorded::Uncertain)
            .map(|(id, _)| id.as_str())
    }

    /// How many invitations it knows of.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// Whether it knows of none (a new journal).
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// What became of `item` of the resumed run: its
    /// [`disposition_resumed`](BulkItem::disposition_resumed), uncertain
    /// before when this journal says so.
    pub fn disposition(&self, item: &BulkItem) -> Disposition {
        item.disposition_resumed(self.is_uncertain(item.id()))
    }
}
