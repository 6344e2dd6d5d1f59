//! The facade: close invitations in one typed call.

use std::borrow::Cow;

use progenitor_client::ClientInfo;
use reqwest::header::HeaderValue;

use crate::bulk::{Bulk, BulkStream};
use crate::outcome::RequestBody;
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
    /// I/O when the list is empty, an id or validation token is blank, or the
    /// request breaks a constraint of the document ([`Error::field`] names
    /// it as the document does: `inviteActionData[3].invitationId`);
    /// otherwise the kind says what failed and [`Error::delivery`] whether
    /// the call may have taken effect.
    pub async fn close(
        &self,
        action: InviteeAction,
        invitations: impl IntoIterator<Item = Invitation>,
    ) -> Result<CloseOutcome, Error> {
        let invitations: Vec<Invitation> = invitations.into_iter().collect();
        for (index, invitation) in invitations.iter().enumerate() {
            invitation.check(index)?;
        }
        let ActionRequest {
            action,
            requested,
            body,
            client_request_id,
        } = ActionRequest::new(action, invitations)?;
        let outgoing = Outgoing {
            url: Cow::Borrowed(&self.core().action_url),
            client_request_id,
            body,
        };
        let answer = self.core().execute(&self.core().http, outgoing).await?;
        decode::outcome(action, requested, answer, client_request_id)
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
    client_request_id: ClientRequestId,
}

impl ActionRequest {
    /// The request of checked `invitations`; refuses an empty list. The body
    /// is serialized straight from them; only their ids stay afterwards (the
    /// validation tokens leave memory with the list).
    pub(crate) fn new(action: InviteeAction, invitations: Vec<Invitation>) -> Result<Self, Error> {
        if invitations.is_empty() {
            return Err(Error::invalid_input(
                "invitations",
                "is empty: name at least one invitation",
            ));
        }
        // Sized before writing: a buffer grown from empty copies the body
        // over again a dozen times at 100 items.
        let mut buffer = Vec::with_capacity(
            invitations
                .iter()
                .map(Invitation::wire_len_estimate)
                .sum::<usize>()
                + 64,
        );
        let body = RequestBody {
            invitations: &invitations,
            action,
        };
        // Every constraint the document puts on the request, before any I/O.
        crate::constraints::request(&body)?;
        serde_json::to_writer(&mut buffer, &body).map_err(|e| {
            Error::invalid_input("invitations", "cannot be serialized").with_source(e)
        })?;
        crate::bulk::body_fits(buffer.len())?;
        Ok(Self {
            action,
            requested: invitations.into_iter().map(Invitation::into_id).collect(),
            body: buffer.into(),
            client_request_id: ClientRequestId::new(),
        })
    }

    pub(crate) fn outgoing<'a>(&self, core: &'a Core) -> Outgoing<'a> {
        Outgoing {
            url: Cow::Borrowed(&core.action_url),
            client_request_id: self.client_request_id,
            body: self.body.clone(),
        }
    }

    pub(crate) fn client_request_id(&self) -> &str {
        self.client_request_id.as_str()
    }

    /// The outcome the final answer gives.
    pub(crate) fn outcome(self, answer: Answer) -> Result<CloseOutcome, Error> {
        decode::outcome(self.action, self.requested, answer, self.client_request_id)
    }
}

/// A call's `client-request-id`: a version 4 UUID, kept as its text so that
/// outcomes and errors can quote it without an allocation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClientRequestId([u8; uuid::fmt::Hyphenated::LENGTH]);

impl ClientRequestId {
    /// A fresh random id. It correlates logs, it guards nothing, so a fast
    /// non-cryptographic generator will do.
    pub(crate) fn new() -> Self {
        Self::from_uuid(
            uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid(),
        )
    }

    /// The id a request already carries, when it is a UUID.
    pub(crate) fn from_header(value: &HeaderValue) -> Option<Self> {
        uuid::Uuid::try_parse_ascii(value.as_bytes())
            .ok()
            .map(Self::from_uuid)
    }

    fn from_uuid(id: uuid::Uuid) -> Self {
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        id.hyphenated().encode_lower(&mut text);
        Self(text)
    }

    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The header value, made anew for each request that carries it.
    pub(crate) fn header(&self) -> HeaderValue {
        HeaderValue::from_str(self.as_str()).unwrap_or(HeaderValue::from_static(""))
    }
}

impl std::fmt::Debug for ClientRequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
