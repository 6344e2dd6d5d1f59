//! Where the bearer token comes from: a fixed token, or a provider that can
//! fetch and refresh one. Provider tokens with an expiry are cached until five
//! minutes before it, as Microsoft's own SDKs do, and the `Authorization`
//! header is built once per token, not once per call.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use futures_util::future::{FutureExt, Shared};
use reqwest::header::HeaderValue;
use std::panic::AssertUnwindSafe;

use super::error::{Error, ErrorKind};
use super::secret::Secret;

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
    /// asked again for every call.
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
        self.expires_at(super::time::system_time_after(SystemTime::now(), lifetime))
    }

    /// The token itself.
    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// When the token expires, if known.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expires_at
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

/// What the client asks a [`TokenProvider`] for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenRequest {
    force_refresh: bool,
    claims: Option<String>,
}

impl TokenRequest {
    /// A request that a cached token may answer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks for a fresh token, not a cached one.
    pub fn with_force_refresh(mut self, force_refresh: bool) -> Self {
        self.force_refresh = force_refresh;
        self
    }

    /// Asks for a token that satisfies these claims (a JSON document).
    pub fn with_claims(mut self, claims: impl Into<String>) -> Self {
        self.claims = Some(claims.into());
        self
    }

    /// `true` when the service has just rejected the previous token (`401`):
    /// return a fresh one, not a cached one.
    pub fn force_refresh(&self) -> bool {
        self.force_refresh
    }

    /// The claims the service demands, decoded from the `claims` of a `401`
    /// challenge (continuous access evaluation): a JSON document to pass to
    /// the identity library (MSAL's and azure_identity's `claims`).
    pub fn claims(&self) -> Option<&str> {
        self.claims.as_deref()
    }
}

/// Supplies bearer tokens, for example from an OAuth client-credentials flow.
///
/// Any async closure `Fn(TokenRequest) -> impl Future<Output = Result<T, TokenError>>`
/// (with `T` an [`AccessToken`], [`Secret`], `String` or `&str`) is a provider:
///
/// ```
/// use std::time::Duration;
/// use linkedin_invitations::{AccessToken, Client, TokenRequest};
///
/// let client = Client::builder()
///     .token_provider(|request: TokenRequest| async move {
///         // pass request.claims() to your identity library when it is Some
///         Ok(AccessToken::new("token from your identity library")
///             .expires_in(Duration::from_secs(3600)))
///     })
///     .build()?;
/// # Ok::<(), linkedin_invitations::Error>(())
/// ```
///
/// A type of your own implements it by returning a boxed future.
pub trait TokenProvider: Send + Sync + 'static {
    /// Returns the token to send; see [`TokenRequest`] for what is asked.
    fn token(&self, request: TokenRequest) -> TokenFuture<'_>;
}

impl<F, Fut, T> TokenProvider for F
where
    F: Fn(TokenRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T, TokenError>> + Send + 'static,
    T: Into<AccessToken>,
{
    fn token(&self, request: TokenRequest) -> TokenFuture<'_> {
        let fetch = self(request);
        Box::pin(async move { fetch.await.map(Into::into) })
    }
}

/// How requests are authenticated.
#[derive(Clone)]
pub struct Credentials(Source);

#[derive(Clone)]
enum Source {
    Static(Result<HeaderValue, TokenFailure>),
    Provider(Arc<Cache>),
}

/// A provider and what it last gave. The lock is held only to read or swap
/// state, never across the provider's await.
struct Cache {
    provider: Arc<dyn TokenProvider>,
    named: Named,
    state: Mutex<State>,
    next_fetch: AtomicU64,
}

#[derive(Default)]
struct State {
    /// The last token kept, and the fetch it came from.
    current: Option<(u64, Authorization)>,
    inflight: Option<Inflight>,
}

/// One fetch from the provider, shared by every call that waits for it.
/// It has no deadline of its own: each waiter bounds its own wait, so a
/// caller that goes away leaves nothing of its deadline behind, and the
/// fetch always ends in a value (a panic of the provider is caught), so
/// one waiter's misfortune is never another's.
struct Inflight {
    id: u64,
    request: TokenRequest,
    fetch: Shared<Pin<Box<dyn Future<Output = Fetched> + Send>>>,
}

type Fetched = Result<Authorization, TokenFailure>;

/// A token as the header that carries it.
#[derive(Clone)]
struct Authorization {
    header: HeaderValue,
    expires_at: Option<SystemTime>,
}

impl Authorization {
    fn from_token(token: &AccessToken) -> Result<Self, TokenFailure> {
        Ok(Self {
            header: bearer_header(&token.token)?,
            expires_at: token.expires_at,
        })
    }

    fn usable_at(&self, now: SystemTime) -> bool {
        self.expires_at
            .is_some_and(|at| now + TOKEN_REFRESH_MARGIN < at)
    }
}

/// How errors name a provider, and what they add when it does not answer.
pub(crate) struct Named {
    /// E.g. `the token provider`, or a credential's type, scope and authority.
    pub(crate) name: String,
    /// Why the provider may be slow, and how to hear its own error sooner.
    pub(crate) on_timeout: &'static str,
}

impl Default for Named {
    fn default() -> Self {
        Self {
            name: "the token provider".to_owned(),
            on_timeout: "",
        }
    }
}

/// Why no token could be had; cheap to clone, as a shared fetch's result.
#[derive(Clone, Debug)]
enum TokenFailure {
    Provider(Arc<TokenError>),
    Unusable(&'static str),
    TimedOut(Duration),
    Panicked,
}

impl TokenFailure {
    /// The error, naming the provider; a provider's own error is its
    /// source, as the provider returned it.
    fn into_error(self, named: &Named) -> Error {
        let Named { name, on_timeout } = named;
        let error = |summary: String| Error::new(ErrorKind::Credentials, summary);
        match self {
            Self::Provider(cause) => {
                error(format!("no usable token: {name} failed: {cause}")).with_shared_source(cause)
            }
            Self::Unusable(why) => error(format!("no usable token: {why} (from {name})")),
            Self::Panicked => error(format!("no usable token: {name} panicked")),
            Self::TimedOut(limit) => error(format!(
                "no usable token: {name} did not answer within {limit:?}{on_timeout}"
            )),
        }
    }
}

/// A fixed token can only be unusable (empty, or not a header value).
fn static_error(failure: TokenFailure) -> Error {
    let named = Named {
        name: "the bearer token".to_owned(),
        on_timeout: "",
    };
    failure.into_error(&named)
}

fn bearer_header(token: &Secret) -> Result<HeaderValue, TokenFailure> {
    if token.is_blank() {
        return Err(TokenFailure::Unusable("the token is empty"));
    }
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose()))
        .map_err(|_| TokenFailure::Unusable("the token has characters a header cannot carry"))?;
    value.set_sensitive(true);
    Ok(value)
}

impl Credentials {
    /// A fixed bearer token.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self(Source::Static(bearer_header(&token.into())))
    }

    /// Why a fixed token can never be sent (empty, or characters a header
    /// cannot carry): known before any call, so a client refuses it when
    /// built.
    pub(crate) fn unusable(&self) -> Option<&'static str> {
        match &self.0 {
            Source::Static(Err(TokenFailure::Unusable(why))) => Some(why),
            _ => None,
        }
    }

    /// Tokens from a provider: asked when there is no cached token that is
    /// valid for five more minutes, and once more, with
    /// [`TokenRequest::force_refresh`] (and the service's claims, if it sent
    /// any), after a `401`. Concurrent calls share one fetch.
    pub fn provider(provider: impl TokenProvider) -> Self {
        Self::named_provider(provider, Named::default())
    }

    /// A provider that errors name as `named` says.
    pub(crate) fn named_provider(provider: impl TokenProvider, named: Named) -> Self {
        Self(Source::Provider(Arc::new(Cache {
            provider: Arc::new(provider),
            named,
            state: Mutex::default(),
            next_fetch: AtomicU64::new(0),
        })))
    }

    /// Tokens from an async closure that takes a [`TokenRequest`] and returns
    /// an [`AccessToken`] (or a [`Secret`], `String` or `&str`).
    ///
    /// ```
    /// use std::time::Duration;
    /// use linkedin_invitations::{AccessToken, Credentials, TokenRequest};
    /// let credentials = Credentials::from_fn(|request: TokenRequest| async move {
    ///     // pass request.claims() to your identity library when it is Some
    ///     Ok(AccessToken::new("token from your identity library")
    ///         .expires_in(Duration::from_secs(3600)))
    /// });
    /// ```
    pub fn from_fn<F, Fut, T>(f: F) -> Self
    where
        F: Fn(TokenRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<T, TokenError>> + Send + 'static,
        T: Into<AccessToken> + 'static,
    {
        Self::provider(f)
    }

    /// Whether asking again after a `401` can yield a different token.
    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self.0, Source::Provider(_))
    }

    /// The header to send without waiting, when there is one: a fixed
    /// token, or a cached one that is fresh enough.
    pub(crate) fn ready(&self) -> Option<Result<HeaderValue, Error>> {
        match &self.0 {
            Source::Static(header) => Some(header.clone().map_err(static_error)),
            Source::Provider(cache) => {
                let state = cache.state.lock().unwrap_or_else(PoisonError::into_inner);
                state.current_for(&TokenRequest::new(), None).map(Ok)
            }
        }
    }

    /// The `Authorization` header to send. `rejected` is the header the
    /// service has just refused: a forced refresh is skipped when the cached
    /// token is already another one. The provider gets `timeout` to answer.
    pub(crate) async fn authorization(
        &self,
        request: TokenRequest,
        rejected: Option<&HeaderValue>,
        timeout: Duration,
    ) -> Result<HeaderValue, Error> {
        match &self.0 {
            Source::Static(header) => header.clone().map_err(static_error),
            Source::Provider(cache) => cache
                .authorization(request, rejected, timeout)
                .await
                .map_err(|failure| failure.into_error(&cache.named)),
        }
    }
}

impl Cache {
    async fn authorization(
        &self,
        request: TokenRequest,
        rejected: Option<&HeaderValue>,
        timeout: Duration,
    ) -> Result<HeaderValue, TokenFailure> {
        let (id, fetch) = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.settle_finished_fetch();
            if let Some(current) = state.current_for(&request, rejected) {
                return Ok(current);
            }
            match &state.inflight {
                Some(inflight) if inflight.serves(&request) => {
                    (inflight.id, inflight.fetch.clone())
                }
                _ => {
                    let id = self.next_fetch.fetch_add(1, Ordering::Relaxed);
                    let fetch = self.start(request.clone());
                    state.inflight = Some(Inflight {
                        id,
                        request,
                        fetch: fetch.clone(),
                    });
                    (id, fetch)
                }
            }
        };
        // This waiter's own deadline; the fetch goes on for the others.
        let fetched = tokio::time::timeout(timeout, fetch)
            .await
            .unwrap_or(Err(TokenFailure::TimedOut(timeout)));
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.inflight.as_ref().is_some_and(|f| f.id == id) {
            // A fetch that did not answer in time is not joined again: the
            // next call asks the provider anew.
            state.inflight = None;
        }
        // Whoever receives the token keeps it, even when the waiter that
        // started the fetch gave up on it: the next call needs no fetch.
        state.keep(id, &fetched);
        fetched.map(|authorization| authorization.header)
    }

    /// The provider's answer. A provider that panics gives
    /// [`TokenFailure::Panicked`] to every call waiting for it, and the
    /// fetch is over, so the next call asks again.
    fn start(
        &self,
        request: TokenRequest,
    ) -> Shared<Pin<Box<dyn Future<Output = Fetched> + Send>>> {
        let provider = Arc::clone(&self.provider);
        // The provider is called inside the future, so that a panic in its
        // synchronous part is caught too.
        let answer = async move { provider.token(request).await };
        let fetch: Pin<Box<dyn Future<Output = Fetched> + Send>> = Box::pin(
            AssertUnwindSafe(answer)
                .catch_unwind()
                .map(|caught| match caught {
                    Ok(Ok(token)) => Authorization::from_token(&token),
                    Ok(Err(cause)) => Err(TokenFailure::Provider(Arc::new(cause))),
                    Err(_panic) => Err(TokenFailure::Panicked),
                }),
        );
        fetch.shared()
    }
}

impl State {
    /// A cached header that answers `request`, if there is one.
    fn current_for(
        &self,
        request: &TokenRequest,
        rejected: Option<&HeaderValue>,
    ) -> Option<HeaderValue> {
        let (_, current) = self.current.as_ref()?;
        let fresh_enough = current.usable_at(SystemTime::now());
        let answers = if request.force_refresh {
            // Another call already replaced the token the service refused.
            request.claims.is_none() && rejected.is_some_and(|r| *r != current.header)
        } else {
            true
        };
        (fresh_enough && answers).then(|| current.header.clone())
    }

    /// Keeps fetch `id`'s token for later calls when it has an expiry,
    /// unless a fetch started after it already gave one.
    fn keep(&mut self, id: u64, fetched: &Fetched) {
        let newer_kept = self.current.as_ref().is_some_and(|(kept, _)| *kept > id);
        if let Ok(authorization) = fetched {
            if authorization.expires_at.is_some() && !newer_kept {
                self.current = Some((id, authorization.clone()));
            }
        }
    }

    /// A fetch whose waiters all went away finished without being kept.
    fn settle_finished_fetch(&mut self) {
        let finished = self
            .inflight
            .as_ref()
            .and_then(|f| Some((f.id, f.fetch.peek()?.clone())));
        if let Some((id, fetched)) = finished {
            self.inflight = None;
            self.keep(id, &fetched);
        }
    }
}

impl Inflight {
    /// Whether this fetch's token answers `request` too.
    fn serves(&self, request: &TokenRequest) -> bool {
        self.request.claims == request.claims
            && (self.request.force_refresh || !request.force_refresh)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    const WAIT: Duration = Duration::from_secs(5);

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

    async fn header(credentials: &Credentials, request: TokenRequest) -> String {
        let value = credentials
            .authorization(request, None, WAIT)
            .await
            .unwrap();
        value.to_str().unwrap().to_owned()
    }

    fn forced() -> TokenRequest {
        TokenRequest::new().with_force_refresh(true)
    }

    #[tokio::test]
    async fn a_token_valid_for_long_is_fetched_once_and_reused() {
        let (credentials, calls) = counting(Some(Duration::from_secs(3600)));
        for _ in 0..5 {
            assert_eq!(
                header(&credentials, TokenRequest::new()).await,
                "Bearer token-0"
            );
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_token_within_five_minutes_of_expiry_is_replaced() {
        let (credentials, calls) = counting(Some(Duration::from_secs(4 * 60)));
        header(&credentials, TokenRequest::new()).await;
        header(&credentials, TokenRequest::new()).await;
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_token_without_expiry_is_not_cached_and_force_refresh_bypasses_the_cache() {
        let (credentials, calls) = counting(None);
        header(&credentials, TokenRequest::new()).await;
        header(&credentials, TokenRequest::new()).await;
        assert_eq!(calls.load(Ordering::SeqCst), 2);

        let (credentials, calls) = counting(Some(Duration::from_secs(3600)));
        header(&credentials, TokenRequest::new()).await;
        assert_eq!(header(&credentials, forced()).await, "Bearer token-1");
        assert_eq!(
            header(&credentials, TokenRequest::new()).await,
            "Bearer token-1"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn concurrent_calls_share_one_fetch() {
        let (credentials, calls) = counting(Some(Duration::from_secs(3600)));
        let all: Vec<_> = (0..8)
            .map(|_| {
                let credentials = credentials.clone();
                tokio::spawn(async move { header(&credentials, TokenRequest::new()).await })
            })
            .collect();
        for task in all {
            assert_eq!(task.await.unwrap(), "Bearer token-0");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_forced_refresh_is_skipped_when_another_call_already_replaced_the_rejected_token() {
        let (credentials, calls) = counting(Some(Duration::from_secs(3600)));
        let rejected = credentials
            .authorization(TokenRequest::new(), None, WAIT)
            .await
            .unwrap();
        // Ten calls were refused with the same token; one refresh serves all.
        for _ in 0..10 {
            let fresh = credentials
                .authorization(forced(), Some(&rejected), WAIT)
                .await
                .unwrap();
            assert_eq!(fresh.to_str().unwrap(), "Bearer token-1");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn claims_always_reach_the_provider() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let credentials = Credentials::from_fn(move |request: TokenRequest| {
            record.lock().unwrap().push(request.clone());
            async { Ok(AccessToken::new("t").expires_in(Duration::from_secs(3600))) }
        });
        let rejected = credentials
            .authorization(TokenRequest::new(), None, WAIT)
            .await
            .unwrap();
        let with_claims = forced().with_claims(r#"{"access_token":{}}"#);
        credentials
            .authorization(with_claims.clone(), Some(&rejected), WAIT)
            .await
            .unwrap();
        assert_eq!(*seen.lock().unwrap(), [TokenRequest::new(), with_claims]);
    }

    #[tokio::test]
    async fn a_provider_that_never_answers_times_out_and_does_not_block_later_calls() {
        let calls = Arc::new(AtomicU32::new(0));
        let seen = Arc::clone(&calls);
        let credentials = Credentials::from_fn(move |_| {
            let first = seen.fetch_add(1, Ordering::SeqCst) == 0;
            async move {
                if first {
                    std::future::pending::<()>().await;
                }
                Ok(AccessToken::new("late").expires_in(Duration::from_secs(3600)))
            }
        });
        let short = Duration::from_millis(50);
        let stuck = credentials.authorization(TokenRequest::new(), None, short);
        let error = tokio::time::timeout(WAIT, stuck)
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Credentials);
        assert!(error.to_string().contains("did not answer"), "{error}");
        let next = credentials.authorization(TokenRequest::new(), None, short);
        let value = tokio::time::timeout(WAIT, next).await.unwrap().unwrap();
        assert_eq!(value.to_str().unwrap(), "Bearer late");
    }

    #[tokio::test]
    async fn a_provider_that_panics_fails_its_waiters_with_a_credentials_error_and_is_asked_again()
    {
        let calls = Arc::new(AtomicU32::new(0));
        let seen = Arc::clone(&calls);
        let credentials = Credentials::from_fn(move |_| {
            let first = seen.fetch_add(1, Ordering::SeqCst) == 0;
            async move {
                // Long enough for every caller to join this fetch.
                tokio::time::sleep(Duration::from_millis(20)).await;
                if first {
                    panic!("the provider broke");
                }
                Ok(AccessToken::new("second").expires_in(Duration::from_secs(3600)))
            }
        });
        // Several calls wait on the one fetch that panics: each gets an error.
        let waiting: Vec<_> = (0..3)
            .map(|_| credentials.authorization(TokenRequest::new(), None, WAIT))
            .collect();
        for result in futures_util::future::join_all(waiting).await {
            let error = result.unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Credentials);
            assert!(error.to_string().contains("panicked"), "{error}");
        }
        assert_eq!(
            header(&credentials, TokenRequest::new()).await,
            "Bearer second"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_provider_that_panics_before_its_future_is_a_credentials_error_too() {
        let calls = Arc::new(AtomicU32::new(0));
        let seen = Arc::clone(&calls);
        let credentials = Credentials::from_fn(move |_| {
            if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                panic!("the provider broke before answering");
            }
            async { Ok(AccessToken::new("second")) }
        });
        let error = credentials
            .authorization(TokenRequest::new(), None, WAIT)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Credentials);
        assert_eq!(
            header(&credentials, TokenRequest::new()).await,
            "Bearer second"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_dropped_caller_leaves_no_deadline_behind_for_the_next_one() {
        let credentials = Credentials::from_fn(|_| async {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            Ok(AccessToken::new("slow").expires_in(Duration::from_secs(3600)))
        });
        let limit = Duration::from_secs(1);
        // The first caller goes away at 0.9 s, while the fetch runs.
        let first = credentials.authorization(TokenRequest::new(), None, limit);
        assert!(tokio::time::timeout(Duration::from_millis(900), first)
            .await
            .is_err());
        // The next one has a whole second of its own: the fetch answers
        // at 1.5 s, within it.
        let started = tokio::time::Instant::now();
        let value = credentials
            .authorization(TokenRequest::new(), None, limit)
            .await
            .unwrap();
        assert_eq!(value.to_str().unwrap(), "Bearer slow");
        assert_eq!(started.elapsed(), Duration::from_millis(600));
    }

    #[tokio::test(start_paused = true)]
    async fn a_token_a_later_waiter_receives_is_cached_though_the_first_waiter_timed_out() {
        let calls = Arc::new(AtomicU32::new(0));
        let seen = Arc::clone(&calls);
        let credentials = Credentials::from_fn(move |_| {
            seen.fetch_add(1, Ordering::SeqCst);
            async {
                tokio::time::sleep(Duration::from_millis(1500)).await;
                Ok(AccessToken::new("slow").expires_in(Duration::from_secs(3600)))
            }
        });
        let limit = Duration::from_secs(1);
        // The first waiter starts the fetch and gives up at 1 s; the second
        // joins it at 0.6 s and receives its token at 1.5 s.
        let first = credentials.authorization(TokenRequest::new(), None, limit);
        let second = async {
            tokio::time::sleep(Duration::from_millis(600)).await;
            credentials
                .authorization(TokenRequest::new(), None, limit)
                .await
        };
        let (first, second) = tokio::join!(first, second);
        assert!(first.unwrap_err().to_string().contains("did not answer"));
        assert_eq!(second.unwrap().to_str().unwrap(), "Bearer slow");
        // The next call is answered from the cache, not by the slow provider.
        let next = credentials
            .authorization(TokenRequest::new(), None, limit)
            .await;
        assert_eq!(next.unwrap().to_str().unwrap(), "Bearer slow");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_token_from_an_older_fetch_does_not_replace_a_newer_one() {
        let (credentials, _) = counting(Some(Duration::from_secs(3600)));
        let Source::Provider(cache) = &credentials.0 else {
            unreachable!("a provider")
        };
        let token = |name: &str| {
            Authorization::from_token(&AccessToken::new(name).expires_in(Duration::from_secs(3600)))
        };
        let mut state = cache.state.lock().unwrap();
        state.keep(2, &token("newer"));
        state.keep(1, &token("older"));
        let kept = state.current_for(&TokenRequest::new(), None).unwrap();
        assert_eq!(kept.to_str().unwrap(), "Bearer newer");
    }

    #[test]
    fn a_lifetime_too_long_to_represent_is_as_good_as_never_expiring() {
        let token = AccessToken::new("t").expires_in(Duration::MAX);
        let expiry = token.expiry().unwrap();
        assert!(expiry > SystemTime::now() + Duration::from_secs(10 * 365 * 24 * 3600));
        let token = AccessToken::new("t").expires_in(Duration::from_secs(u64::MAX));
        assert!(token.expiry().is_some());
    }

    #[tokio::test]
    async fn an_empty_token_is_refused() {
        let credentials = Credentials::from_fn(|_| async { Ok("  ") });
        let error = credentials
            .authorization(TokenRequest::new(), None, WAIT)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Credentials);
        assert!(Credentials::bearer("")
            .authorization(TokenRequest::new(), None, WAIT)
            .await
            .is_err());
    }
}
