//! Where the bearer token comes from: a fixed token, or a provider that can
//! fetch and refresh one.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::Secret;

/// The error a [`TokenProvider`] returns; any error type will do.
pub type TokenError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, TokenError>> + Send + 'a>>;

/// Supplies bearer tokens, for example from an OAuth client-credentials flow.
///
/// `force_refresh` is `true` when the service has just rejected the previous
/// token with `401`: return a fresh one, not a cached one.
pub trait TokenProvider: Send + Sync + 'static {
    /// Returns the token to send.
    fn token(&self, force_refresh: bool) -> TokenFuture<'_>;
}

/// A [`TokenProvider`] made from an async closure; see [`Credentials::from_fn`].
struct FnProvider<F>(F);

impl<F, Fut> TokenProvider for FnProvider<F>
where
    F: Fn(bool) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Secret, TokenError>> + Send + 'static,
{
    fn token(&self, force_refresh: bool) -> TokenFuture<'_> {
        Box::pin((self.0)(force_refresh))
    }
}

/// How requests are authenticated.
#[derive(Clone)]
pub struct Credentials(Source);

#[derive(Clone)]
enum Source {
    Static(Secret),
    Provider(Arc<dyn TokenProvider>),
}

impl Credentials {
    /// A fixed bearer token.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self(Source::Static(token.into()))
    }

    /// Tokens from a provider, asked before every request and once more,
    /// with `force_refresh`, after a `401`.
    pub fn provider(provider: impl TokenProvider) -> Self {
        Self(Source::Provider(Arc::new(provider)))
    }

    /// Tokens from an async closure that takes `force_refresh`.
    ///
    /// ```
    /// use linkedin_invitations::{Credentials, Secret};
    /// let credentials = Credentials::from_fn(|_force_refresh| async {
    ///     Ok(Secret::new("token from your identity library"))
    /// });
    /// ```
    pub fn from_fn<F, Fut>(f: F) -> Self
    where
        F: Fn(bool) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Secret, TokenError>> + Send + 'static,
    {
        Self::provider(FnProvider(f))
    }

    /// Whether asking again after a `401` can yield a different token.
    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self.0, Source::Provider(_))
    }

    /// The token to send now.
    pub(crate) async fn token(&self, force_refresh: bool) -> Result<Secret, TokenError> {
        let token = match &self.0 {
            Source::Static(token) => token.clone(),
            Source::Provider(provider) => provider.token(force_refresh).await?,
        };
        if token.is_blank() {
            return Err("the token is empty".into());
        }
        Ok(token)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Source::Static(_) => f.write_str("Credentials::Bearer(** redacted **)"),
            Source::Provider(_) => f.write_str("Credentials::Provider"),
        }
    }
}
