//! An emulator of the Microsoft Graph beta action
//! `POST /linkedIn/invitations/inviteeClosingInvitation` on loopback, for
//! tests and local runs of the `linkedin-invitations` client.
//!
//! It serves every operation of `openapi/invitations.yaml`, converted to a
//! table at build time: routed by method and path template, its parameters
//! and body validated against the document's own schemas (`400` with the
//! Graph error envelope, naming the first field at fault). The action is
//! implemented, the other operations answer as a contract mock from their
//! response examples or schemas. For the action: the bearer header is
//! required (optionally one fixed token; a `401` carries Graph's
//! `WWW-Authenticate` challenge), any member of `InviteeActionType` closes a pending invitation,
//! each invitation gets its own
//! `200`/`403`/`404`/`409`, state persists across calls, and every response
//! carries a `request-id` and echoes the `client-request-id` (errors found
//! before the action runs too: an oversized, malformed or late body).
//!
//! It is built to run for hours in CI: idle connections and slow request
//! heads or bodies are closed after [`Timeouts`], the number of connections
//! is bounded (at the limit the oldest idle connection makes room, and when
//! every connection is mid-request a new one is answered `503`), and
//! shutdown waits at most [`Timeouts::shutdown`] for exchanges under way.
//! Paths match without regard to case, as Graph's router does.
//!
//! # Runtime
//!
//! [`Emulator::start`] must be awaited inside a Tokio runtime, and serves on
//! that runtime's tasks: it needs the runtime's I/O and time drivers
//! (`#[tokio::test]` and `#[tokio::main]` enable them, a hand-built runtime
//! needs `enable_all()`); a current-thread runtime is enough. In your
//! `Cargo.toml`: `tokio = { version = "1", features = ["rt", "macros"] }`
//! (add `rt-multi-thread` for the default flavour of `#[tokio::main]`).
//!
//! ```
//! use linkedin_invitations_emulator::Emulator;
//!
//! let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
//! runtime.block_on(async {
//!     let emulator = Emulator::builder()
//!         .invitation("inv-1", "token-1")
//!         .start()
//!         .await?;
//!     println!("serving on {}", emulator.url());
//!     emulator.shutdown().await;
//!     Ok::<_, std::io::Error>(())
//! })?;
//! # Ok::<_, std::io::Error>(())
//! ```

#![warn(missing_docs)]

mod auth;
mod body;
mod contract;
mod envelope;
mod faults;
mod handler;
mod mock;
mod server;
mod state;
mod validate;

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

pub use faults::{CallFaults, Fault, FaultPlan, UnknownFault};
use linkedin_invitations::Secret;
pub use state::{InvitationState, SeedInvitation, UnknownState};

/// Whether the emulator would accept `body` as a request: the entry point
/// of the fuzz target in `fuzz/` (compiled only under `--cfg fuzzing`, which
/// cargo-fuzz sets).
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn fuzz_request(body: &[u8]) -> bool {
    validate::request(body).is_ok()
}

/// The invitations an emulator holds unless told otherwise.
pub fn default_seed() -> Vec<SeedInvitation> {
    (1..=5)
        .map(|n| SeedInvitation::pending(format!("inv-100{n}"), format!("vt-100{n}")))
        .collect()
}

/// How long the emulator waits for clients before it closes a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// How long a connection may wait for a request without sending a byte
    /// of it: a new connection, or a kept-alive one after an answer.
    /// Default 60 s.
    pub idle: Duration,
    /// How long a request head may take from its first byte to its end
    /// (slowloris). The connection is closed unanswered. Default 10 s.
    pub header_read: Duration,
    /// How long a request body may take once the head is in; a late body
    /// is answered `408` and the connection closed. Default 10 s.
    pub body_read: Duration,
    /// How long shutdown waits for exchanges under way before it closes
    /// every connection left. Default 5 s.
    pub shutdown: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(60),
            header_read: Duration::from_secs(10),
            body_read: Duration::from_secs(10),
            shutdown: Duration::from_secs(5),
        }
    }
}

/// The most connections an emulator keeps open unless told otherwise.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// The most bytes a request body may hold, as sent or once inflated;
/// larger ones are answered `413`.
pub const MAX_BODY_BYTES: usize = body::MAX_BODY;

/// Configures an [`Emulator`]. Its `Debug` shows no token.
#[derive(Debug)]
pub struct EmulatorBuilder {
    listen: SocketAddr,
    token: Option<Secret>,
    invitations: Option<Vec<SeedInvitation>>,
    faults: FaultPlan,
    throttle: Option<(u32, Duration)>,
    timeouts: Timeouts,
    max_connections: usize,
    /// The document served; the embedded one unless a test gives another.
    contract: Option<Arc<contract::Contract>>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            token: None,
            invitations: None,
            faults: FaultPlan::None,
            throttle: None,
            timeouts: Timeouts::default(),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            contract: None,
        }
    }
}

impl EmulatorBuilder {
    /// The address to listen on (default `127.0.0.1:0`: a free port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Accepts only this bearer token (default: any non-empty token). An
    /// empty token, or one with white space, is refused by [`start`](Self::start).
    pub fn require_token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Fails requests as the plan says: the faults of [`Fault::ALL`] before
    /// processing them (state is unchanged; `429` and `503` carry
    /// `Retry-After: 1`), those of [`Fault::AFTER_APPLY`] after.
    pub fn faults(mut self, plan: impl Into<FaultPlan>) -> Self {
        self.faults = plan.into();
        self
    }

    /// Answers at most `limit` requests per `window`; the rest get `429`
    /// with `Retry-After` set to the seconds left in the window. Both must
    /// be above zero.
    pub fn throttle(mut self, limit: u32, window: Duration) -> Self {
        self.throttle = Some((limit, window));
        self
    }

    /// Closes a connection that sends no request for this long (default 60 s).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.idle = timeout;
        self
    }

    /// Closes a connection whose request head takes longer than this from
    /// its first byte (default 10 s).
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.header_read = timeout;
        self
    }

    /// Answers `408` to a request whose body takes longer than this
    /// (default 10 s).
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.body_read = timeout;
        self
    }

    /// How long shutdown waits for exchanges under way (default 5 s).
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.shutdown = timeout;
        self
    }

    /// Keeps at most this many connections open (default
    /// [`DEFAULT_MAX_CONNECTIONS`]). At the limit the oldest connection
    /// waiting for a request is closed to make room; when all are
    /// mid-request the new one is answered `503` with `Retry-After`.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.max_connections = max;
        self
    }

    /// Adds a pending invitation (replacing the default seed).
    pub fn invitation(
        mut self,
        id: impl Into<String>,
        validation_token: impl Into<String>,
    ) -> Self {
        self.invitations
            .get_or_insert_with(Vec::new)
            .push(SeedInvitation::pending(id, validation_token));
        self
    }

    /// Replaces the seed with these invitations.
    pub fn invitations(mut self, invitations: impl IntoIterator<Item = SeedInvitation>) -> Self {
        self.invitations = Some(invitations.into_iter().collect());
        self
    }

    /// Replaces the seed with a JSON file: an array of
    /// `{"id", "validationToken", "state"?}` objects, each id once. `state`
    /// is `pending` (the default), or the action that closed the invitation:
    /// a member of the contract's `InviteeActionType` as the document spells
    /// it (`ACCEPT`; 0.2's `accepted` and `ignored` still read).
    ///
    /// # Errors
    ///
    /// When the file cannot be read or is not such an array; the message
    /// names the file.
    pub fn seed_file(self, path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref();
        let in_file = |kind, problem: String| {
            io::Error::new(kind, format!("seed file {}: {problem}", path.display()))
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| in_file(e.kind(), format!("cannot be read: {e}")))?;
        let seed: Vec<SeedInvitation> = serde_json::from_str(&text)
            .map_err(|e| in_file(io::ErrorKind::InvalidData, format!("not a seed file: {e}")))?;
        state::Store::new(seed.clone())
            .map_err(|problem| in_file(io::ErrorKind::InvalidData, problem))?;
        Ok(self.invitations(seed))
    }

    /// Serves another document's operations (tests of the conversion).
    #[cfg(test)]
    pub(crate) fn contract(mut self, contract: contract::Contract) -> Self {
        self.contract = Some(Arc::new(contract));
        self
    }

    /// Binds the address and starts serving in the background.
    ///
    /// # Errors
    ///
    /// `InvalidInput` when the settings make no sense (an empty or spaced
    /// token, a zero throttle or timeout, a fault rate outside 0.0–1.0, no
    /// connections allowed, a seed that repeats an id or holds an id or a
    /// token the document's request schema refuses: no request could close
    /// it), `InvalidData` when the document cannot be served, or the error
    /// of binding the address.
    pub async fn start(self) -> io::Result<Emulator> {
        let invalid = |problem: String| io::Error::new(io::ErrorKind::InvalidInput, problem);
        if let Some(problem) = self.token.as_ref().and_then(auth::unusable) {
            return Err(invalid(problem.into()));
        }
        if let Some((limit, window)) = self.throttle {
            if limit == 0 || window.is_zero() {
                return Err(invalid(format!(
                    "throttling needs at least one request per window and a window above zero, not {limit} per {window:?}"
                )));
            }
        }
        if let Some(problem) = self.faults.problem() {
            return Err(invalid(problem));
        }
        let t = self.timeouts;
        if [t.idle, t.header_read, t.body_read]
            .iter()
            .any(Duration::is_zero)
        {
            return Err(invalid(
                "the idle, header and body timeouts must be above zero".into(),
            ));
        }
        if self.max_connections == 0 {
            return Err(invalid("at least one connection must be allowed".into()));
        }
        // The document's validators, compiled once, before the first request.
        let contract = match self.contract {
            Some(contract) => contract,
            None => contract::embedded()
                .map_err(|problem| io::Error::new(io::ErrorKind::InvalidData, problem))?,
        };
        let given = self.invitations.is_some();
        let seed = self.invitations.unwrap_or_else(default_seed);
        for invitation in &seed {
            state::check_seed(invitation, &contract).map_err(|problem| {
                let whose = if given {
                    "the seed"
                } else {
                    "the default seed"
                };
                invalid(format!("{whose}: {problem}"))
            })?;
        }
        let store = Arc::new(state::Store::new(seed).map_err(invalid)?);

        let listener = tokio::net::TcpListener::bind(self.listen).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let app = Arc::new(handler::App {
            store: Arc::clone(&store),
            contract,
            token: self.token,
            context: format!("{url}/$metadata#microsoft.graph.InviteActionResults"),
            chaos: faults::Chaos::new(self.faults, self.throttle),
            timeouts: self.timeouts,
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, app, self.max_connections, stopped));
        Ok(Emulator {
            url,
            store,
            stop,
            task: Some(task),
        })
    }
}

/// A running emulator; it stops when dropped or on [`Emulator::shutdown`].
/// Its `Debug` shows no token. It runs on the Tokio runtime it was started
/// in, which needs its I/O and time drivers (see [Runtime](self#runtime)).
#[derive(Debug)]
pub struct Emulator {
    url: String,
    store: Arc<state::Store>,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Emulator {
    /// Starts an emulator on a free loopback port with the default seed.
    ///
    /// # Errors
    ///
    /// When no loopback port can be bound.
    pub async fn start() -> io::Result<Self> {
        Self::builder().start().await
    }

    /// Configures an emulator.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The base URL to give a client, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The state of an invitation, if the emulator knows it.
    pub fn invitation_state(&self, id: &str) -> Option<InvitationState> {
        self.store.state_of(id)
    }

    /// How many action requests were answered, valid or not.
    pub fn requests_served(&self) -> u64 {
        self.store.requests_served()
    }

    /// Stops accepting connections, lets the exchanges under way finish for
    /// at most the shutdown timeout, then closes every connection left.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
