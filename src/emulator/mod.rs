//! An emulator of the action on loopback, for tests and local runs
//! (feature `emulator`).
//!
//! It implements the action as `openapi/invitations.yaml` says: the bearer
//! header is required (optionally one fixed token), the body is validated
//! (`400` with the Graph error envelope), each invitation gets its own
//! `200`/`403`/`404`/`409`, state persists across calls, and every response
//! carries a `request-id` and echoes the `client-request-id`.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use linkedin_invitations::emulator::Emulator;
//!
//! let emulator = Emulator::builder()
//!     .invitation("inv-1", "token-1")
//!     .start()
//!     .await?;
//! println!("serving on {}", emulator.url());
//! # Ok(())
//! # }
//! ```

mod envelope;
mod faults;
mod handler;
mod state;
mod validate;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;

use crate::Secret;
pub use faults::{Fault, FaultPlan};
pub use state::{InvitationState, SeedInvitation};

/// Whether the emulator would accept `body` as a request (for fuzzing).
#[cfg(fuzzing)]
pub(crate) fn validate_request(body: &[u8]) -> bool {
    validate::request(body).is_ok()
}

/// The invitations an emulator holds unless told otherwise.
pub fn default_seed() -> Vec<SeedInvitation> {
    (1..=5)
        .map(|n| SeedInvitation::pending(format!("inv-100{n}"), format!("vt-100{n}")))
        .collect()
}

/// Configures an [`Emulator`].
#[derive(Debug)]
pub struct EmulatorBuilder {
    listen: SocketAddr,
    token: Option<Secret>,
    invitations: Option<Vec<SeedInvitation>>,
    faults: FaultPlan,
    throttle: Option<(u32, Duration)>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            token: None,
            invitations: None,
            faults: FaultPlan::None,
            throttle: None,
        }
    }
}

impl EmulatorBuilder {
    /// The address to listen on (default `127.0.0.1:0`: a free port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Accepts only this bearer token (default: any non-empty token).
    pub fn require_token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Fails requests as the plan says, before processing them (state is
    /// unchanged): `429` and `503` carry `Retry-After: 1`.
    pub fn faults(mut self, plan: FaultPlan) -> Self {
        self.faults = plan;
        self
    }

    /// Answers at most `limit` requests per `window`; the rest get `429`
    /// with `Retry-After` set to the seconds left in the window.
    pub fn throttle(mut self, limit: u32, window: Duration) -> Self {
        self.throttle = Some((limit, window));
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
    /// `{"id", "validationToken", "state"?}` objects (`state`: `pending`,
    /// `accepted` or `ignored`).
    ///
    /// # Errors
    ///
    /// When the file cannot be read or is not such an array.
    pub fn seed_file(self, path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)?;
        let seed: Vec<SeedInvitation> = serde_json::from_str(&text).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: not a seed file: {e}", path.display()),
            )
        })?;
        Ok(self.invitations(seed))
    }

    /// Binds the address and starts serving in the background.
    ///
    /// # Errors
    ///
    /// When the address cannot be bound.
    pub async fn start(self) -> std::io::Result<Emulator> {
        let listener = tokio::net::TcpListener::bind(self.listen).await?;
        let addr = listener.local_addr()?;
        let url = format!("http://{addr}");
        let state = Arc::new(state::Store::new(
            self.invitations.unwrap_or_else(default_seed),
        ));
        let app = handler::router(handler::Config {
            store: Arc::clone(&state),
            token: self.token,
            base_url: url.clone(),
            chaos: faults::Chaos::new(self.faults, self.throttle),
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let server = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        let task = tokio::spawn(async move {
            if let Err(error) = server.await {
                tracing::error!(%error, "emulator stopped");
            }
        });
        Ok(Emulator {
            url,
            store: state,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// A running emulator; it stops when dropped or on [`Emulator::shutdown`].
#[derive(Debug)]
pub struct Emulator {
    url: String,
    store: Arc<state::Store>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Emulator {
    /// Starts an emulator on a free loopback port with the default seed.
    ///
    /// # Errors
    ///
    /// When no loopback port can be bound.
    pub async fn start() -> std::io::Result<Self> {
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

    /// Stops serving and waits for the server to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
