//! The facade: close invitations in one typed call.

use std::borrow::Cow;
use std::sync::Arc;

use progenitor_client::ClientInfo;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::{Method, Url};

use crate::outcome::RequestBody;
use crate::runtime::pipeline::Pipeline;
use crate::runtime::request::{Answer, CallOptions, Outgoing};
use crate::runtime::request_id::ClientRequestId;
use crate::{decode, CloseOutcome, Error, Invitation, InviteeAction};

/// A client of the `inviteeClosingInvitation` action.
///
/// Cheap to clone: clones share one connection pool and token cache. Build
/// one with [`Client::builder`].
#[derive(Clone, Debug)]
pub struct Client {
    generated: crate::generated::Client,
    action: Arc<ActionTarget>,
}

/// Where the action's requests go: parsed once per client, borrowed by
/// every call.
#[derive(Debug)]
pub(crate) struct ActionTarget {
    url: Url,
}

impl Client {
    /// The facade over `generated`, whose base URL the action's path is
    /// appended to.
    pub(crate) fn from_generated(generated: crate::generated::Client) -> Result<Self, Error> {
        let url = format!("{}{ACTION_PATH}", generated.baseurl());
        let url = Url::parse(&url).map_err(|e| {
            Error::config(format!("invalid base URL {:?}: {e}", generated.baseurl()))
        })?;
        Ok(Self {
            generated,
            action: Arc::new(ActionTarget { url }),
        })
    }

    /// The generated client underneath, for calls the facade does not cover.
    /// It sends through the same pipeline: same credentials, retries,
    /// redirects, limits and errors.
    pub fn generated(&self) -> &crate::generated::Client {
        &self.generated
    }

    pub(crate) fn pipeline(&self) -> &Pipeline {
        self.generated.inner()
    }

    pub(crate) fn action(&self) -> &ActionTarget {
        &self.action
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
        let outgoing = self.action.outgoing(body, client_request_id);
        let pipeline = self.pipeline();
        let answer = pipeline
            .send(pipeline.http(), outgoing, CallOptions::default())
            .await?;
        decode::outcome(action, requested, answer, client_request_id)
    }
}

/// The action's path under the base URL.
const ACTION_PATH: &str = "/linkedIn/invitations/inviteeClosingInvitation";

impl ActionTarget {
    fn outgoing(&self, body: bytes::Bytes, client_request_id: ClientRequestId) -> Outgoing<'_> {
        const JSON: HeaderValue = HeaderValue::from_static("application/json");
        // Made for each call with room for the call's own headers
        // (`client-request-id`, the token, ...): a copy of a shared map
        // would have none and grow.
        let mut headers = HeaderMap::with_capacity(6);
        headers.insert(CONTENT_TYPE, JSON);
        headers.insert(ACCEPT, JSON);
        Outgoing {
            method: Method::POST,
            url: Cow::Borrowed(&self.url),
            headers,
            body,
            client_request_id,
        }
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
        body_fits(buffer.len())?;
        Ok(Self {
            action,
            requested: invitations.into_iter().map(Invitation::into_id).collect(),
            body: buffer.into(),
            client_request_id: ClientRequestId::new(),
        })
    }

    pub(crate) fn outgoing<'a>(&self, target: &'a ActionTarget) -> Outgoing<'a> {
        target.outgoing(self.body.clone(), self.client_request_id)
    }

    pub(crate) fn client_request_id(&self) -> &str {
        self.client_request_id.as_str()
    }

    /// The outcome the final answer gives.
    pub(crate) fn outcome(self, answer: Answer) -> Result<CloseOutcome, Error> {
        decode::outcome(self.action, self.requested, answer, self.client_request_id)
    }
}

/// Refuses a whole request body over [`MAX_REQUEST_BYTES`](crate::defaults::MAX_REQUEST_BYTES).
pub(crate) fn body_fits(bytes: usize) -> Result<(), Error> {
    if bytes <= crate::defaults::MAX_REQUEST_BYTES {
        return Ok(());
    }
    Err(Error::invalid_input(
        "inviteActionData",
        &format!(
            "makes a request body of {bytes} bytes; Microsoft Graph accepts at most \
             {} bytes a request: send fewer invitations a call",
            crate::defaults::MAX_REQUEST_BYTES
        ),
    ))
}
