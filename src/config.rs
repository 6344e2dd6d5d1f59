//! `ClientBuilder`: every setting of a [`Client`](crate::Client) and of its
//! [`Pipeline`], with their defaults, validated once in
//! [`build`](ClientBuilder::build). No other type has setters.

use std::time::Duration;

use reqwest::{redirect, Url};

use crate::defaults::{
    DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_REDIRECTS,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TOKEN_TIMEOUT, MAX_REDIRECTS_CAP,
};
use crate::runtime::credentials::{Credentials, TokenProvider};
use crate::runtime::destination;
use crate::runtime::pipeline::Pipeline;
use crate::runtime::settings::Settings;
use crate::{Error, NationalCloud, RetryPolicy, Secret};

/// Credentials as set; a token credential gets its scope from the national
/// cloud when the client is built, whatever order the setters came in.
#[derive(Debug)]
pub(crate) enum CredentialsSetting {
    Ready(Credentials),
    #[cfg(feature = "azure-identity")]
    TokenCredential(Credential),
}

impl crate::Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

/// Builds a [`Client`](crate::Client); start with [`Client::builder`](crate::Client::builder).
#[derive(Debug)]
pub struct ClientBuilder {
    base_url: Option<String>,
    cloud: NationalCloud,
    credentials: Option<CredentialsSetting>,
    retry: RetryPolicy,
    attempt_timeout: Option<Duration>,
    timeout: Option<Duration>,
    token_timeout: Duration,
    connect_timeout: Option<Duration>,
    max_response_bytes: usize,
    max_redirects: usize,
    compress_requests: bool,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            cloud: NationalCloud::Global,
            credentials: None,
            retry: RetryPolicy::default(),
            attempt_timeout: Some(DEFAULT_ATTEMPT_TIMEOUT),
            timeout: None,
            token_timeout: DEFAULT_TOKEN_TIMEOUT,
            connect_timeout: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            compress_requests: false,
            user_agent: None,
            http_client: None,
        }
    }
}

impl ClientBuilder {
    /// The base URL the action's path is appended to, e.g.
    /// `https://graph.microsoft.com/beta` or an emulator's URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Calls the beta API of a national cloud (the default is the global one).
    pub fn national_cloud(mut self, cloud: NationalCloud) -> Self {
        self.base_url = Some(cloud.beta_base_url());
        self.cloud = cloud;
        self
    }

    /// Sets the credentials, resolved against the national cloud by `build`.
    #[cfg_attr(not(feature = "azure-identity"), allow(dead_code))]
    pub(crate) fn credentials_setting(mut self, setting: CredentialsSetting) -> Self {
        self.credentials = Some(setting);
        self
    }

    /// Authenticates with a fixed bearer token.
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials = Some(CredentialsSetting::Ready(Credentials::bearer(token)));
        self
    }

    /// Authenticates with tokens from a provider that can refresh them: a
    /// type of yours, or an async closure taking a
    /// [`TokenRequest`](crate::TokenRequest) (see [`TokenProvider`]).
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.credentials = Some(CredentialsSetting::Ready(Credentials::provider(provider)));
        self
    }

    /// Authenticates with the given credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(CredentialsSetting::Ready(credentials));
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The timeout of one attempt, from sending to the end of the body
    /// (default 100 s).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The timeout of the whole call, taken when it starts: the token fetch,
    /// every attempt, every wait and the body (default: none beyond the
    /// attempts and the retry budget).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The time a token provider gets to answer (default 30 s); a provider
    /// that takes longer fails the call with
    /// [`ErrorKind::Credentials`](crate::ErrorKind::Credentials), and the
    /// next call asks it again.
    pub fn token_timeout(mut self, timeout: Duration) -> Self {
        self.token_timeout = timeout;
        self
    }

    /// The timeout of making a connection (default 10 s). With
    /// [`with_http_client`](ClientBuilder::with_http_client), that client's
    /// own setting applies: setting both fails [`build`](ClientBuilder::build).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The most bytes of a response body read into memory (default 4 MiB).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The most redirects followed (default 5, at most 20; 0 follows none).
    pub fn max_redirects(mut self, redirects: usize) -> Self {
        self.max_redirects = redirects;
        self
    }

    /// Sends request bodies gzip-compressed, resending plain on `415`
    /// (default off: a body is about 200 bytes per invitation, so only large
    /// batches gain).
    pub fn compress_requests(mut self, enabled: bool) -> Self {
        self.compress_requests = enabled;
        self
    }

    /// The `User-Agent` header (default `linkedin-invitations/<version>`).
    /// With [`with_http_client`](ClientBuilder::with_http_client), that
    /// client's own setting applies: setting both fails [`build`](ClientBuilder::build).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends through this `reqwest::Client` instead of one built here. Its
    /// own connection settings apply: connect timeout, user agent, proxy,
    /// TLS and pool; [`connect_timeout`](ClientBuilder::connect_timeout) and
    /// [`user_agent`](ClientBuilder::user_agent) set here too fail
    /// [`build`](ClientBuilder::build) rather than being ignored. Every other
    /// setting of this builder (credentials, retries, timeouts, body cap,
    /// redirects, compression) still applies. Build it with
    /// `.redirect(reqwest::redirect::Policy::none())`: this client follows
    /// redirects itself, and fails a call whose HTTP client followed one.
    pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Validates the settings and builds the client.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when the base URL is
    /// not an http(s) URL, when no credentials were given, when a token would
    /// travel over plain http to a host that is not loopback, when a timeout
    /// or the body cap is zero, when more than 20 redirects are asked for, or
    /// when the HTTP client cannot be built.
    pub fn build(self) -> Result<crate::Client, Error> {
        let base = self.base_url_or_default();
        let pipeline = self.build_pipeline()?;
        let http = pipeline.http().clone();
        crate::Client::from_generated(crate::generated::Client::new_with_client(
            &base, http, pipeline,
        ))
    }

    /// The pipeline of these settings, validated.
    fn build_pipeline(self) -> Result<Pipeline, Error> {
        crate::runtime::tls::prepare();
        let base_url = parse_base_url(&self.base_url_or_default())?;
        let credentials = match self.credentials {
            Some(CredentialsSetting::Ready(credentials)) => credentials,
            #[cfg(feature = "azure-identity")]
            Some(CredentialsSetting::TokenCredential(credential)) => {
                Credentials::from_token_credential(credential.0, self.cloud)
            }
            None => {
                return Err(Error::config(
                    "no credentials: set a bearer token or a token provider",
                ))
            }
        };
        if let Some(why) = credentials.unusable() {
            return Err(Error::config(format!(
                "the bearer token is unusable: {why}"
            )));
        }
        destination::refuse_plain_http(&base_url)?;
        let timeouts = [
            ("attempt_timeout", self.attempt_timeout),
            ("timeout", self.timeout),
            ("token_timeout", Some(self.token_timeout)),
            ("connect_timeout", self.connect_timeout),
        ];
        if let Some((name, _)) = timeouts.iter().find(|(_, t)| *t == Some(Duration::ZERO)) {
            return Err(Error::config(format!(
                "{name} is zero: every request would time out"
            )));
        }
        if self.max_response_bytes == 0 {
            return Err(Error::config(
                "max_response_bytes is zero: no answer could be read",
            ));
        }
        if self.max_redirects > MAX_REDIRECTS_CAP {
            return Err(Error::config(format!(
                "max_redirects is {}, above the cap of {MAX_REDIRECTS_CAP}",
                self.max_redirects
            )));
        }
        let http = match self.http_client {
            Some(client) => {
                let ignored = [
                    ("connect_timeout", self.connect_timeout.is_some()),
                    ("user_agent", self.user_agent.is_some()),
                ];
                if let Some((name, _)) = ignored.iter().find(|(_, set)| *set) {
                    return Err(Error::config(format!(
                        "{name} is set, but the reqwest::Client given to with_http_client \
                         decides it: set it on that client"
                    )));
                }
                client
            }
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .user_agent(self.user_agent.unwrap_or_else(default_user_agent))
                .redirect(redirect::Policy::none())
                // This pipeline resends what HTTP/2 refused unprocessed itself
                // (see `runtime::classify::refused_unprocessed`); reqwest's own resend
                // would clone every request just in case.
                .retry(reqwest::retry::never().max_retries_per_request(0))
                .build()
                .map_err(|e| Error::config("cannot build the HTTP client").with_source(e))?,
        };
        Ok(Pipeline::new(Settings {
            http,
            credentials,
            retry: self.retry,
            attempt_timeout: self.attempt_timeout,
            timeout: self.timeout,
            token_timeout: self.token_timeout,
            max_response_bytes: self.max_response_bytes,
            max_redirects: self.max_redirects,
            compress_requests: self.compress_requests,
        }))
    }

    fn base_url_or_default(&self) -> String {
        let base = match &self.base_url {
            Some(url) => url.clone(),
            None => NationalCloud::Global.beta_base_url(),
        };
        base.trim_end_matches('/').to_owned()
    }
}

fn default_user_agent() -> String {
    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned()
}

/// `base_url`, which must be an http(s) URL with a host and no query or
/// fragment.
fn parse_base_url(base_url: &str) -> Result<Url, Error> {
    let invalid = |why: String| Error::config(format!("invalid base URL {base_url:?}: {why}"));
    let url = Url::parse(base_url).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid("expected an http or https URL with a host".into()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or a fragment".into()));
    }
    Ok(url)
}

#[cfg(feature = "azure-identity")]
impl ClientBuilder {
    /// Authenticates with an `azure_core` `TokenCredential`, asking it for
    /// the app-only scope of the cloud set with
    /// [`national_cloud`](ClientBuilder::national_cloud) (the global one by
    /// default), in whatever order the two are set; see
    /// [`Credentials::from_token_credential`].
    #[cfg_attr(docsrs, doc(cfg(feature = "azure-identity")))]
    pub fn token_credential(
        self,
        credential: std::sync::Arc<dyn azure_core::credentials::TokenCredential>,
    ) -> Self {
        self.credentials_setting(CredentialsSetting::TokenCredential(Credential(credential)))
    }
}

#[cfg(feature = "azure-identity")]
/// A credential waiting for its scope; its own `Debug` is not shown.
pub(crate) struct Credential(
    pub(crate) std::sync::Arc<dyn azure_core::credentials::TokenCredential>,
);

#[cfg(feature = "azure-identity")]
impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCredential")
    }
}
