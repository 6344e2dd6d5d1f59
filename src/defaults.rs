//! Every default and limit of a [`ClientBuilder`](crate::ClientBuilder)
//! and of a [`Bulk`](crate::Bulk) run, in one place: what a client does
//! when a setting is left alone.

use std::time::Duration;

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

/// How many invitations go in one request unless told otherwise. The
/// contract sets no maximum; 100 items make a body of about 20 KB, and a
/// lost answer leaves at most 100 invitations uncertain.
pub const DEFAULT_BATCH_SIZE: usize = 100;
/// How many requests a bulk run keeps in flight unless told otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// How many times a throttled batch is resent unless told otherwise.
pub const DEFAULT_MAX_THROTTLED_RESENDS: u32 = 10;
