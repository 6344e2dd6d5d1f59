//! Batches bounded by the document and by the service: at most the request
//! list's `maxItems` invitations (the generated
//! `INVITE_ACTION_DATA_MAX_ITEMS`), and a body of at most
//! [`MAX_REQUEST_BYTES`].

use futures_util::stream::{self, Stream, StreamExt};

use crate::defaults::MAX_REQUEST_BYTES;
use crate::outcome::RequestBody;
use crate::{Error, Invitation, InviteeAction};

/// An invitation read, with the bytes it takes in a request body.
pub(crate) struct Weighed {
    pub(crate) invitation: Invitation,
    pub(crate) bytes: usize,
}

/// Reads `input` into batches of at most `max_items` invitations whose
/// request body stays within [`MAX_REQUEST_BYTES`]. A batch waits until it
/// is full, or the input ends. An invitation too large for any request
/// takes no room: [`fits`] refuses it alone.
pub(crate) fn batches<S>(
    input: S,
    max_items: usize,
    action: InviteeAction,
) -> impl Stream<Item = Vec<Weighed>> + Send
where
    S: Stream<Item = Invitation> + Send + 'static,
{
    let room = MAX_REQUEST_BYTES.saturating_sub(envelope(action));
    // Fused: the input is not polled again once it has ended.
    let state = (Box::pin(input.fuse()), None::<Weighed>);
    stream::unfold(state, move |(mut input, mut carried)| async move {
        let mut batch = Vec::with_capacity(max_items.min(1024));
        let mut used = 0;
        loop {
            let next = match carried.take() {
                Some(weighed) => weighed,
                None => match input.next().await {
                    Some(invitation) => Weighed {
                        bytes: wire_len(&invitation),
                        invitation,
                    },
                    None => break,
                },
            };
            // One byte more for the comma before it.
            let takes = if next.bytes > room { 0 } else { next.bytes + 1 };
            if !batch.is_empty() && used + takes > room {
                carried = Some(next);
                break;
            }
            used += takes;
            batch.push(next);
            if batch.len() >= max_items {
                break;
            }
        }
        (!batch.is_empty()).then_some((batch, (input, carried)))
    })
}

/// Refuses an invitation that no request body of [`MAX_REQUEST_BYTES`] can
/// carry, `index` in its batch.
pub(crate) fn fits(bytes: usize, index: usize, action: InviteeAction) -> Result<(), Error> {
    if bytes + envelope(action) <= MAX_REQUEST_BYTES {
        return Ok(());
    }
    Err(Error::invalid_input(
        format!("inviteActionData[{index}]"),
        &format!(
            "takes {bytes} bytes in a request body; Microsoft Graph accepts at most \
             {MAX_REQUEST_BYTES} bytes a request"
        ),
    ))
}

/// The body around the items: `{"inviteActionData":[],"inviteeActionType":...}`.
fn envelope(action: InviteeAction) -> usize {
    let body = RequestBody {
        invitations: &[],
        action,
    };
    serde_json::to_vec(&body).map_or(0, |bytes| bytes.len())
}

/// The exact bytes the item takes, every property it sets included,
/// counted as it is written, not stored.
fn wire_len(invitation: &Invitation) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, invitation.as_generated()) {
        Ok(()) => count.0,
        // Not serializable: the request refuses it with its own error.
        Err(_) => 0,
    }
}
