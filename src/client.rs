//! The facade: close invitations in one typed call.

use std::borrow::Cow;

use progenitor_client::ClientInfo;
use reqwest::header::HeaderValue;

use crate::bulk::{Bulk, BulkStream};
use crate::generated::types;
use crate::pipeline::{Answer, Core, Outgoing};
use crate::{decode, ClientBuilder, CloseOutcome, Error, Invitation, InviteeAction};

/// A client of the `inviteeClosingInvitation` action.
///
/// Cheap to clone: clones share one connection pool and token cache. Build
/// one with [`Client::builder`].
#[derive(Clone, Debug)]
pub struct Client {
    generated: crate::generated::Client,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub(crate) fn from_generated(generated: crate::generated::Client) -> Self {
        Self { generated }
    }

    /// The generated client underneath, for calls the facade does not cover.
    /// It sends through the same pipeline: same credentials, retries,
    /// redirects, limits and errors.
    pub fn generated(&self) -> &crate::generated::Client {
        &self.generated
    }

    pub(crate) fn core(&self) -> &Core {
        self.generated.inner().core()
    }

    /// Accepts the invitations.
    ///
    /// # Errors
    ///
    /// See [`Client::close`].
    pub async fn accept(
        &self,
        invitations: impl IntoIterator<Item = Invitation>,
    ) -> Result<CloseOutcome, Error> {
        self.close(InviteeAction::Accept, invitations).await
    }

    /// Ignores the invitations.
    ///
    /// # Errors
    ///
    /// See [`Client::close`].
    pub async fn ignore(
        &self,
        invitations: impl IntoIterator<Item = Invitation>,
    ) -> Result<CloseOutcome, Error> {
        self.close(InviteeAction::Ignore, invitations).await
    }

    /// Accepts or ignores the invitations in one request.
    ///
    /// A `200` answer yields one outcome per invitation: some may have
    /// failed (see [`CloseOutcome::failed`]) while the call succeeded.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) before any
    /// I/O when the list is empty or an id or validation token is empty;
    /// otherwise the kind says what failed and [`Error::delivery`] whether
    /// the call may have taken effect.
    pub async fn close(
        &self,
        action: InviteeAction,
        invitations: impl IntoIterator<Item = Invitation>,
    ) -> Result<CloseOutcome, Error> {
        let items = invitations
            .into_iter()
            .enumerate()
            .map(|(index, invitation)| invitation.into_item(index))
            .collect::<Result<_, _>>()?;
        let request = ActionRequest::new(action, items)?;
        let answer = self
            .core()
            .execute(&self.core().http, request.outgoing(self.core()))
            .await?;
        request.outcome(answer)
    }

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

/// One request of the action, ready to send (on every attempt the same
/// body and `client-request-id`), and what is needed to read its answer.
pub(crate) struct ActionRequest {
    action: InviteeAction,
    requested: Vec<String>,
    body: bytes::Bytes,
    client_request_id: HeaderValue,
}

impl ActionRequest {
    /// The request of checked `items`; refuses an empty list.
    pub(crate) fn new(
        action: InviteeAction,
        items: Vec<types::InviteActionData>,
    ) -> Result<Self, Error> {
        if items.is_empty() {
            return Err(Error::invalid_input(
                "invitations",
                "is empty: name at least one invitation",
            ));
        }
        let request = types::InviteeClosingInvitationRequest {
            invite_action_data: items,
            invitee_action_type: action.into(),
        };
        let body = serde_json::to_vec(&request).map_err(|e| {
            Error::invalid_input("invitations", "cannot be serialized").with_source(e)
        })?;
        // The validation tokens leave memory with the request; only ids stay.
        let requested = request
            .invite_action_data
            .into_iter()
            .map(|item| item.invitation_id)
            .collect();
        Ok(Self {
            action,
            requested,
            body: body.into(),
            client_request_id: new_client_request_id(),
        })
    }

    pub(crate) fn outgoing<'a>(&self, core: &'a Core) -> Outgoing<'a> {
        Outgoing {
            url: Cow::Borrowed(&core.action_url),
            client_request_id: self.client_request_id.clone(),
            body: self.body.clone(),
        }
    }

    pub(crate) fn client_request_id(&self) -> &HeaderValue {
        &self.client_request_id
    }

    /// The outcome the final answer gives.
    pub(crate) fn outcome(self, answer: Answer) -> Result<CloseOutcome, Error> {
        decode::outcome(self.action, self.requested, answer, self.client_request_id)
    }
}

/// A fresh random (version 4) UUID for `client-request-id`. It correlates
/// logs, it guards nothing, so a fast non-cryptographic generator will do.
pub(crate) fn new_client_request_id() -> HeaderValue {
    let id = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let text = id.hyphenated().encode_lower(&mut text);
    HeaderValue::from_str(text).expect("a UUID is a valid header value")
}
