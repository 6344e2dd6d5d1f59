//! The facade: close invitations in one typed call.

use std::time::Duration;

use progenitor_client::ClientInfo;

use crate::generated::types;
use crate::pipeline;
use crate::response;
use crate::{ClientBuilder, CloseOutcome, Error, ErrorKind, Invitation, InviteeAction};

/// The OData type of each item the client sends, as in the reference example.
const INVITE_ACTION_DATA_TYPE: &str = "microsoft.graph.InviteActionData";

/// A client of the `inviteeClosingInvitation` action.
///
/// Cheap to clone: clones share one connection pool. Build one with
/// [`Client::builder`].
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
    pub fn generated(&self) -> &crate::generated::Client {
        &self.generated
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
    /// [`ErrorKind::InvalidInput`] before any I/O when the list is empty or an
    /// id or validation token is empty; otherwise the kind says whether the
    /// request may have reached the service (see [`ErrorKind`]).
    pub async fn close(
        &self,
        action: InviteeAction,
        invitations: impl IntoIterator<Item = Invitation>,
    ) -> Result<CloseOutcome, Error> {
        let invitations: Vec<Invitation> = invitations.into_iter().collect();
        let body = request_body(action, &invitations)?;
        let requested = invitations.iter().map(|i| i.id().to_owned()).collect();
        let client_request_id = uuid::Uuid::new_v4();
        let id_text = client_request_id.to_string();
        let send = self
            .generated
            .invitee_closing_invitation()
            .client_request_id(client_request_id)
            .body(body)
            .send();
        let deadline = self.generated.inner().operation_timeout();
        let (result, record) = pipeline::recorded(with_backstop(deadline, send)).await;
        match result {
            Some(result) => response::outcome(action, requested, result, &record, id_text),
            None => Err(Error::new(ErrorKind::Timeout, "the operation timed out")
                .with_client_request_id(id_text)
                .with_attempts(record.attempts())),
        }
    }
}

/// Bounds the whole call, token fetch included, a little past the operation
/// timeout that the attempts themselves observe.
async fn with_backstop<F: std::future::Future>(
    limit: Option<Duration>,
    call: F,
) -> Option<F::Output> {
    match limit {
        Some(limit) => tokio::time::timeout(limit + Duration::from_millis(250), call)
            .await
            .ok(),
        None => Some(call.await),
    }
}

fn request_body(
    action: InviteeAction,
    invitations: &[Invitation],
) -> Result<types::InviteeClosingInvitationRequest, Error> {
    if invitations.is_empty() {
        return Err(Error::invalid_input(
            "invitations",
            "is empty: name at least one invitation",
        ));
    }
    let items = invitations
        .iter()
        .enumerate()
        .map(|(i, invitation)| item(i, invitation))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(types::InviteeClosingInvitationRequest {
        invite_action_data: items,
        invitee_action_type: action.into(),
    })
}

fn item(index: usize, invitation: &Invitation) -> Result<types::InviteActionData, Error> {
    let field = |name: &str| format!("invitations[{index}].{name}");
    if invitation.id().trim().is_empty() {
        return Err(Error::invalid_input(field("id"), "is empty"));
    }
    if invitation.validation_token().is_blank() {
        return Err(Error::invalid_input(field("validation_token"), "is empty"));
    }
    let invitation_id = invitation
        .id()
        .try_into()
        .map_err(|_| Error::invalid_input(field("id"), "is not a valid invitation id"))?;
    let validation_token = invitation
        .validation_token()
        .expose()
        .try_into()
        .map_err(|_| Error::invalid_input(field("validation_token"), "is not valid"))?;
    Ok(types::InviteActionData {
        odata_type: Some(INVITE_ACTION_DATA_TYPE.to_owned()),
        invitation_id,
        validation_token,
        tracking_id: invitation.tracking_id().map(str::to_owned),
    })
}
