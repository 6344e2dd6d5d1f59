//! The journal of a bulk run: an append-only JSON Lines file with a `sent`
//! record before each batch goes out and an `answered` record once it is
//! answered, each written and flushed to disk before the run goes on. It
//! holds ids, never validation tokens: a resume reads those again from the
//! input.
//!
//! ```text
//! {"sent":"<client-request-id>","action":"ACCEPT","input":"/data/in.jsonl","ids":["a","b"]}
//! {"answered":"<client-request-id>","request_id":"…","delivery":"processed","items":[{"id":"a","outcome":"closed","status":200},…]}
//! ```

mod error;
mod file;
mod record;
mod state;
mod writer;

pub use error::JournalError;
pub use file::Journal;
pub use state::{JournalState, Recorded};
pub use writer::{JournalObserver, Repair};
