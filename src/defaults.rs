//! Every default and limit of a [`ClientBuilder`](crate::ClientBuilder)
//! and of a [`Bulk`](crate::Bulk) run, in one place: what a client does
//! when a setting is left alone.

use std::time::Duration;

use crate::generated::types::InviteeClosingInvitationRequest;

pub use crate::runtime::credentials::TOKEN_REFRESH_MARGIN;
pub use crate::runtime::retry::MAX_RETRIES_CAP;

/// The default connect timeout: 10 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default number of redirects followed, as in Microsoft's SDKs.
pub const DEFAULT_MAX_REDIRECTS: usize = 5;
/// The most redirects that may be configured.
pub const MAX_REDIRECTS_CAP: usize = 20;
/// The default cap on a response body read into memory: 4 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
/// The default timeout of one attempt, as in Microsoft's SDKs: 100 s.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(100);
/// The default time a token provider gets to answer: 30 s.
pub const DEFAULT_TOKEN_TIMEOUT: Duration = Duration::from_secs(30);

/// How many invitations go in one request unless told otherwise: 100, or
/// [`MAX_BATCH_SIZE`] (the contract's `maxItems`) if it is lower. 100 items
/// make a body of about 20 KB, and a lost answer leaves at most 100
/// invitations uncertain.
// `MAX_BATCH_SIZE` is `usize::MAX` while the contract sets no `maxItems`.
#[allow(clippy::absurd_extreme_comparisons)]
pub const DEFAULT_BATCH_SIZE: usize = if MAX_BATCH_SIZE < 100 {
    MAX_BATCH_SIZE
} else {
    100
};
/// How many requests a bulk run keeps in flight unless told otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// How many times a throttled batch is resent unless told otherwise.
pub const DEFAULT_MAX_THROTTLED_RESENDS: u32 = 10;

/// The most invitations one request may carry: the request list's `maxItems`
/// in the contract, or `usize::MAX` when it sets none (a batch is then
/// bounded by [`MAX_REQUEST_BYTES`] alone).
pub const MAX_BATCH_SIZE: usize =
    match InviteeClosingInvitationRequest::INVITE_ACTION_DATA_MAX_ITEMS {
        Some(max) => max,
        None => usize::MAX,
    };

/// The largest request body sent: Microsoft Graph's "Use the Microsoft
/// Graph API" page limits write requests to 4 MB (lower for some APIs; a
/// larger one is answered `413`), and this action publishes no limit of its
/// own. Read as 4,000,000 bytes, the smaller reading of "MB".
pub const MAX_REQUEST_BYTES: usize = 4_000_000;
