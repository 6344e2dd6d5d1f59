//! `ClientBuilder`: every setting of a [`Client`](crate::Client), validated
//! once in [`build`](ClientBuilder::build).

use std::net::IpAddr;
use std::time::Duration;

use reqwest::{redirect, Url};

use crate::credentials::{Credentials, TokenProvider};
use crate::pipeline::{Pipeline, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES};
use crate::{Error, ErrorKind, NationalCloud, RetryPolicy, Secret};

/// The default connect timeout: 10 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default number of redirects followed, as in Microsoft's SDKs.
pub const DEFAULT_MAX_REDIRECTS: usize = 5;
/// The most redirects that may be configured.
pub const MAX_REDIRECTS_CAP: usize = 20;

/// Builds a [`Client`](crate::Client); start with [`Client::builder`](crate::Client::builder).
#[derive(Debug)]
pub struct ClientBuilder {
    base_url: Option<String>,
    credentials: Option<Credentials>,
    retry: RetryPolicy,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    connect_timeout: Duration,
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
            credentials: None,
            retry: RetryPolicy::default(),
            attempt_timeout: Some(DEFAULT_ATTEMPT_TIMEOUT),
            operation_timeout: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
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
        self
    }

    /// Authenticates with a fixed bearer token.
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::bearer(token));
        self
    }

    /// Authenticates with tokens from a provider that can refresh them.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.credentials = Some(Credentials::provider(provider));
        self
    }

    /// Authenticates with the given credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
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

    /// The timeout of the whole call, retries and waits included (default:
    /// none beyond the attempts and the retry budget).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// The timeout of making a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
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
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends through this `reqwest::Client` instead of one built here: its
    /// own connect timeout, user agent, proxy, TLS and redirect settings then
    /// apply, and this builder's are ignored.
    pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Validates the settings and builds the client.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when the base URL is not an http(s) URL, when no
    /// credentials were given, when a token would travel over plain http to a
    /// host that is not loopback, when a timeout or the body cap is zero, when
    /// more than 20 redirects are asked for, or when the HTTP client cannot be
    /// built.
    pub fn build(self) -> Result<crate::Client, Error> {
        let base_url = self
            .base_url
            .unwrap_or_else(|| NationalCloud::Global.beta_base_url());
        let url = parse_base_url(&base_url)?;
        let credentials = self.credentials.ok_or_else(|| {
            config_error("no credentials: set a bearer token or a token provider")
        })?;
        if url.scheme() == "http" && !is_loopback(&url) {
            return Err(config_error(format!(
                "refusing to send a bearer token over plain http to {}: use https",
                url.host_str().unwrap_or_default()
            )));
        }
        let timeouts = [
            ("attempt_timeout", self.attempt_timeout),
            ("timeout", self.operation_timeout),
            ("connect_timeout", Some(self.connect_timeout)),
        ];
        if let Some((name, _)) = timeouts.iter().find(|(_, t)| *t == Some(Duration::ZERO)) {
            return Err(config_error(format!(
                "{name} is zero: every request would time out"
            )));
        }
        if self.max_response_bytes == 0 {
            return Err(config_error(
                "max_response_bytes is zero: no answer could be read",
            ));
        }
        if self.max_redirects > MAX_REDIRECTS_CAP {
            return Err(config_error(format!(
                "max_redirects is {}, above the cap of {MAX_REDIRECTS_CAP}",
                self.max_redirects
            )));
        }
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent.unwrap_or_else(default_user_agent))
                .redirect(redirect_policy(self.max_redirects))
                .build()
                .map_err(|e| config_error("cannot build the HTTP client").with_source(e))?,
        };
        let pipeline = Pipeline::new(credentials)
            .with_retry(self.retry)
            .with_attempt_timeout(self.attempt_timeout)
            .with_operation_timeout(self.operation_timeout)
            .with_max_response_bytes(self.max_response_bytes)
            .with_request_compression(self.compress_requests);
        let base = url.as_str().trim_end_matches('/');
        Ok(crate::Client::from_generated(
            crate::generated::Client::new_with_client(base, http, pipeline),
        ))
    }
}

fn config_error(summary: impl Into<String>) -> Error {
    Error::new(ErrorKind::Config, summary)
}

fn default_user_agent() -> String {
    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned()
}

fn parse_base_url(base_url: &str) -> Result<Url, Error> {
    let url = Url::parse(base_url)
        .map_err(|e| config_error(format!("invalid base URL {base_url:?}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(config_error(format!(
            "invalid base URL {base_url:?}: expected an http or https URL with a host"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(config_error(format!(
            "invalid base URL {base_url:?}: it must not have a query or a fragment"
        )));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Follows at most `max` redirects and never from https down to http.
/// `reqwest` itself drops `Authorization` when scheme, host or port changes.
fn redirect_policy(max: usize) -> redirect::Policy {
    redirect::Policy::custom(move |attempt| {
        match refuse_redirect(attempt.previous(), attempt.url(), max) {
            Some(reason) => attempt.error(reason),
            None => attempt.follow(),
        }
    })
}

/// Why a redirect to `next` must not be followed, if it must not.
fn refuse_redirect(previous: &[Url], next: &Url, max: usize) -> Option<String> {
    let from_https = previous.last().is_some_and(|url| url.scheme() == "https");
    if from_https && next.scheme() == "http" {
        Some("refusing to follow a redirect from https to http".to_owned())
    } else if previous.len() > max {
        Some(format!("more than {max} redirects"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_never_downgrade_to_http_and_stop_at_the_limit() {
        let url = |u: &str| Url::parse(u).unwrap();
        let https = [url("https://graph.microsoft.com/beta/x")];
        assert!(
            refuse_redirect(&https, &url("http://graph.microsoft.com/beta/x"), 5)
                .unwrap()
                .contains("https to http")
        );
        assert_eq!(
            refuse_redirect(&https, &url("https://other.example/x"), 5),
            None
        );
        let http = [url("http://127.0.0.1:1/x")];
        assert_eq!(
            refuse_redirect(&http, &url("https://127.0.0.1:2/x"), 5),
            None
        );
        let five = vec![url("https://h/x"); 5];
        assert_eq!(refuse_redirect(&five, &url("https://h/y"), 5), None);
        let six = vec![url("https://h/x"); 6];
        assert!(refuse_redirect(&six, &url("https://h/y"), 5).is_some());
        assert!(refuse_redirect(&https, &url("https://h/y"), 0).is_some());
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for url in [
            "http://127.0.0.1:8080",
            "http://localhost",
            "http://[::1]:1",
            "http://127.3.2.1",
        ] {
            assert!(is_loopback(&Url::parse(url).unwrap()), "{url}");
        }
        for url in [
            "http://10.0.0.1",
            "http://graph.microsoft.com",
            "http://localhost.evil.com",
        ] {
            assert!(!is_loopback(&Url::parse(url).unwrap()), "{url}");
        }
    }
}
