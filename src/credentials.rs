//! Where the bearer token comes from: a fixed token, or a provider that can
//! fetch and refresh one. Provider tokens with an expiry are cached until five
//! minutes before it, as Microsoft's own SDKs do.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::Secret;

/// The error a [`TokenProvider`] returns; any error type will do.
pub type TokenError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<AccessToken, TokenError>> + Send + 'a>>;

/// How long before its expiry a cached token is replaced.
pub const TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// A bearer token and, if known, when it expires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessToken {
    token: Secret,
    expires_at: Option<SystemTime>,
}

impl AccessToken {
    /// A token with no known expiry: it is not cached, so the provider is
    /// asked again for every request.
    pub fn new(token: impl Into<Secret>) -> Self {
        Self {
            token: token.into(),
            expires_at: None,
        }
    }

    /// Sets when the token expires; it is then reused until
    /// [`TOKEN_REFRESH_MARGIN`] before that.
    pub fn expires_at(mut self, at: SystemTime) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// Sets the expiry relative to now (an OAuth `expires_in`).
    pub fn expires_in(self, lifetime: Duration) -> Self {
        self.expires_at(SystemTime::now() + lifetime)
    }

    /// The token itself.
    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// When the token expires, if known.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expires_at
    }

    fn usable_at(&self, now: SystemTime) -> bool {
        self.expires_at
            .is_some_and(|at| now + TOKEN_REFRESH_MARGIN < at)
    }
}

impl From<Secret> for AccessToken {
    fn from(token: Secret) -> Self {
        Self::new(token)
    }
}

impl From<&str> for AccessToken {
    fn from(token: &str) -> Self {
        Self::new(token)
    }
}

impl From<String> for AccessToken {
    fn from(token: String) -> Self {
        Self::new(token)
    }
}

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

impl<F, Fut, T> TokenProvider for FnProvider<F>
where
    F: Fn(bool) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T, TokenError>> + Send + 'static,
    T: Into<AccessToken>,
{
    fn token(&self, force_refresh: bool) -> TokenFuture<'_> {
        let fetch = (self.0)(force_refresh);
        Box::pin(async move { fetch.await.map(Into::into) })
    }
}

/// How requests are authenticated.
#[derive(Clone)]
pub struct Credentials(Source);

#[derive(Clone)]
enum Source {
    Static(Secret),
    Provider {
        provider: Arc<dyn TokenProvider>,
        // One refresh at a time: concurrent calls wait for it, then share it.
        cache: Arc<tokio::sync::Mutex<Option<AccessToken>>>,
    },
}

impl Credentials {
    /// A fixed bearer token.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self(Source::Static(token.into()))
    }

    /// Tokens from a provider: asked when there is no cached token that is
    /// valid for five more minutes, and once more, with `force_refresh`,
    /// after a `401`.
    pub fn provider(provider: impl TokenProvider) -> Self {
        Self(Source::Provider {
            provider: Arc::new(provider),
            cache: Arc::default(),
        })
    }

    /// Tokens from an async closure that takes `force_refresh` and returns
    /// an [`AccessToken`] (or a [`Secret`], `String` or `&str`).
    ///
    /// ```
    /// use std::time::Duration;
    /// use linkedin_invitations::{AccessToken, Credentials};
    /// let credentials = Credentials::from_fn(|_force_refresh| async {
    ///     Ok(AccessToken::new("token from your identity library")
    ///         .expires_in(Duration::from_secs(3600)))
    /// });
    /// ```
    pub fn from_fn<F, Fut, T>(f: F) -> Self
    where
        F: Fn(bool) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<T, TokenError>> + Send + 'static,
        T: Into<AccessToken> + 'static,
    {
        Self::provider(FnProvider(f))
    }

    /// Whether asking again after a `401` can yield a different token.
    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self.0, Source::Provider { .. })
    }

    /// The token to send now.
    pub(crate) async fn token(&self, force_refresh: bool) -> Result<Secret, TokenError> {
        let (provider, cache) = match &self.0 {
            Source::Static(token) => return usable(token.clone()),
            Source::Provider { provider, cache } => (provider, cache),
        };
        let mut cached = cache.lock().await;
        if !force_refresh {
            if let Some(token) = cached.as_ref().filter(|t| t.usable_at(SystemTime::now())) {
                return Ok(token.token.clone());
            }
        }
        let fresh = provider.token(force_refresh).await?;
        let token = usable(fresh.token.clone())?;
        *cached = fresh.expires_at.is_some().then_some(fresh);
        Ok(token)
    }
}

fn usable(token: Secret) -> Result<Secret, TokenError> {
    if token.is_blank() {
        return Err("the token is empty".into());
    }
    Ok(token)
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Source::Static(_) => f.write_str("Credentials::Bearer(** redacted **)"),
            Source::Provider { .. } => f.write_str("Credentials::Provider"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// Credentials whose provider hands out `token-N` with the given lifetime.
    fn counting(lifetime: Option<Duration>) -> (Credentials, Arc<AtomicU32>) {
        let calls = Arc::new(AtomicU32::new(0));
        let seen = Arc::clone(&calls);
        let credentials = Credentials::from_fn(move |_| {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            async move {
                let token = AccessToken::new(format!("token-{n}"));
                Ok(match lifetime {
                    Some(lifetime) => token.expires_in(lifetime),
                    None => token,
                })
            }
        });
        (credentials, calls)
    }

    #[tokio::test]
    async fn a_token_valid_for_long_is_fetched_once_and_reused() {
        let (credentials, calls) = counting(Some(Duration::from_secs(3600)));
        for _ in 0..5 {
            assert_eq!(credentials.token(false).await.unwrap().expose(), "token-0");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_token_within_five_minutes_of_expiry_is_replaced() {
        let (credentials, calls) = counting(Some(Duration::from_secs(4 * 60)));
        credentials.token(false).await.unwrap();
        credentials.token(false).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_token_without_expiry_is_not_cached_and_force_refresh_bypasses_the_cache() {
        let (credentials, calls) = counting(None);
        credentials.token(false).await.unwrap();
        credentials.token(false).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);

        let (credentials, calls) = counting(Some(Duration::from_secs(3600)));
        credentials.token(false).await.unwrap();
        let fresh = credentials.token(true).await.unwrap();
        assert_eq!(fresh.expose(), "token-1");
        assert_eq!(credentials.token(false).await.unwrap().expose(), "token-1");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn concurrent_calls_share_one_refresh() {
        let (credentials, calls) = counting(Some(Duration::from_secs(3600)));
        let all = (0..8).map(|_| {
            let credentials = credentials.clone();
            tokio::spawn(async move { credentials.token(false).await.unwrap() })
        });
        for task in all {
            assert_eq!(task.await.unwrap().expose(), "token-0");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_empty_token_is_refused() {
        let credentials = Credentials::from_fn(|_| async { Ok("  ") });
        assert!(credentials.token(false).await.is_err());
        assert!(Credentials::bearer("").token(false).await.is_err());
    }
}
