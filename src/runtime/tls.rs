//! The TLS backend chosen by features. reqwest's `rustls-no-provider` (our
//! `rustls-ring`) needs a process-wide rustls crypto provider before any
//! `reqwest::Client` is built, or building one panics; that includes the
//! generated `Client::new`, which unwraps its build.

/// Makes sure building a `reqwest::Client` works under the chosen backend.
/// Called before any pipeline exists, so before every generated client too.
pub(crate) fn prepare() {
    // Only when reqwest has no provider of its own (aws-lc-rs via `rustls`).
    // An application's own choice, installed earlier, is kept: this fails
    // then, and that is fine.
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
    let _ = rustls::crypto::ring::default_provider().install_default();
}
