//! Any azure_core `TokenCredential` authenticates the client (feature
//! `azure-identity`): it is asked for `{root}/.default` of the configured
//! national cloud, its expiry keeps the client's cache working, and after a
//! continuous-access-evaluation challenge the client's request, claims
//! included, reaches it. A fake credential records what it is asked; the
//! service is a loopback server.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::time::OffsetDateTime;
use linkedin_invitations::{
    Client, Credentials, ErrorKind, Invitation, NationalCloud, TokenRequest,
};
use support::fault_server::{FaultServer, Reply};
use support::{bounded, envelope, results};

/// What the credential was asked: the scopes, and the client's request
/// carried in the options' context.
type Asked = (Vec<String>, Option<TokenRequest>);

#[derive(Debug)]
struct FakeCredential {
    lifetime: Duration,
    fail: bool,
    /// How long it works before it answers; `None`: it never does.
    delay: Option<Duration>,
    asked: Mutex<Vec<Asked>>,
}

impl FakeCredential {
    fn new(lifetime: Duration) -> Arc<Self> {
        Arc::new(Self {
            lifetime,
            fail: false,
            delay: Some(Duration::ZERO),
            asked: Mutex::default(),
        })
    }

    /// A credential that fails after `delay`, or never answers.
    fn failing(delay: Option<Duration>) -> Arc<Self> {
        Arc::new(Self {
            lifetime: Duration::from_secs(3600),
            fail: true,
            delay,
            asked: Mutex::default(),
        })
    }

    fn asked(&self) -> Vec<Asked> {
        self.asked.lock().unwrap().clone()
    }
}

#[async_trait::async_trait]
impl TokenCredential for FakeCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let request =
            options.and_then(|o| o.method_options.context.value::<TokenRequest>().cloned());
        let token = match request.as_ref().and_then(TokenRequest::claims) {
            Some(_) => "token-with-claims".to_owned(),
            None => format!("token-{}", self.asked.lock().unwrap().len()),
        };
        self.asked
            .lock()
            .unwrap()
            .push((scopes.iter().map(|s| s.to_string()).collect(), request));
        match self.delay {
            Some(delay) => tokio::time::sleep(delay).await,
            None => std::future::pending().await,
        }
        if self.fail {
            return Err(azure_core::Error::with_message(
                azure_core::error::ErrorKind::Credential,
                "no identity here",
            ));
        }
        Ok(AccessToken::new(
            token,
            OffsetDateTime::now_utc() + self.lifetime,
        ))
    }
}

fn ok() -> Reply {
    Reply::json(200, &results(&[("inv-1", 200)]))
}

fn one() -> [Invitation; 1] {
    [Invitation::new("inv-1", "vt-1")]
}

#[tokio::test]
async fn each_national_cloud_gets_its_own_default_scope_whatever_the_setter_order() {
    let clouds = [
        (
            NationalCloud::Global,
            "https://graph.microsoft.com/.default",
        ),
        (
            NationalCloud::UsGovernmentL4,
            "https://graph.microsoft.us/.default",
        ),
        (
            NationalCloud::UsGovernmentL5Dod,
            "https://dod-graph.microsoft.us/.default",
        ),
        (
            NationalCloud::China,
            "https://microsoftgraph.chinacloudapi.cn/.default",
        ),
    ];
    for (cloud, scope) in clouds {
        for credential_first in [true, false] {
            let server = FaultServer::start(vec![ok()]).await;
            let credential = FakeCredential::new(Duration::from_secs(3600));
            let builder = Client::builder();
            let builder = match credential_first {
                true => builder
                    .token_credential(credential.clone())
                    .national_cloud(cloud),
                false => builder
                    .national_cloud(cloud)
                    .token_credential(credential.clone()),
            };
            let client = builder.base_url(&server.url).build().unwrap();
            bounded(client.accept(one())).await.unwrap();
            assert_eq!(
                credential.asked(),
                [(vec![scope.to_owned()], Some(TokenRequest::new()))],
                "{cloud:?}"
            );
            assert_eq!(
                server.received()[0].header("authorization").as_deref(),
                Some("Bearer token-0")
            );
        }
    }
}

#[tokio::test]
async fn the_credentials_expiry_is_kept_so_tokens_are_cached() {
    let server = FaultServer::start(vec![ok(), ok(), ok(), ok()]).await;
    let long = FakeCredential::new(Duration::from_secs(3600));
    let client = Client::builder()
        .base_url(&server.url)
        .credentials(Credentials::from_token_credential(
            long.clone(),
            NationalCloud::Global,
        ))
        .build()
        .unwrap();
    bounded(client.accept(one())).await.unwrap();
    bounded(client.accept(one())).await.unwrap();
    assert_eq!(long.asked().len(), 1, "a token valid for an hour is reused");

    // Within the five-minute refresh margin: asked again for every call.
    let short = FakeCredential::new(Duration::from_secs(120));
    let client = Client::builder()
        .base_url(&server.url)
        .credentials(Credentials::from_token_credential(
            short.clone(),
            NationalCloud::Global,
        ))
        .build()
        .unwrap();
    bounded(client.accept(one())).await.unwrap();
    bounded(client.accept(one())).await.unwrap();
    assert_eq!(short.asked().len(), 2);
}

#[tokio::test]
async fn a_cae_challenge_passes_its_claims_to_the_credential_and_retries_once() {
    let claims = r#"{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}"#;
    let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, claims);
    let challenge = format!(
        r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="{encoded}""#
    );
    let server = FaultServer::start(vec![
        Reply::json(401, &envelope("InvalidAuthenticationToken", "claims"))
            .header("www-authenticate", &challenge),
        ok(),
    ])
    .await;
    let credential = FakeCredential::new(Duration::from_secs(3600));
    let client = Client::builder()
        .base_url(&server.url)
        .token_credential(credential.clone())
        .build()
        .unwrap();

    let outcome = bounded(client.accept(one())).await.unwrap();

    assert_eq!(outcome.attempts(), 2);
    let scope = vec!["https://graph.microsoft.com/.default".to_owned()];
    let refreshed = TokenRequest::new()
        .with_force_refresh(true)
        .with_claims(claims);
    assert_eq!(
        credential.asked(),
        [
            (scope.clone(), Some(TokenRequest::new())),
            (scope, Some(refreshed))
        ]
    );
    let received = server.received();
    assert_eq!(
        received[0].header("authorization").as_deref(),
        Some("Bearer token-0")
    );
    assert_eq!(
        received[1].header("authorization").as_deref(),
        Some("Bearer token-with-claims")
    );
}

#[tokio::test]
async fn a_credential_that_fails_is_a_credentials_error_and_nothing_is_sent() {
    let server = FaultServer::start(vec![ok()]).await;
    let credential = FakeCredential::failing(Some(Duration::ZERO));
    let client = Client::builder()
        .base_url(&server.url)
        .token_credential(credential)
        .build()
        .unwrap();
    let error = bounded(client.accept(one())).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials);
    assert!(error.to_string().contains("no identity here"), "{error}");
    assert!(!error.may_have_been_sent());
    assert!(server.received().is_empty());
}

fn us_government_client(url: &str, credential: Arc<FakeCredential>, timeout: Duration) -> Client {
    Client::builder()
        .national_cloud(NationalCloud::UsGovernmentL4)
        .base_url(url)
        .token_credential(credential)
        .token_timeout(timeout)
        .build()
        .unwrap()
}

fn assert_names(error: &linkedin_invitations::Error, parts: &[&str]) {
    assert_eq!(error.kind(), ErrorKind::Credentials);
    let text = error.to_string();
    let named = [
        "FakeCredential",
        "https://graph.microsoft.us/.default",
        "https://login.microsoftonline.us",
    ];
    for part in named.iter().chain(parts) {
        assert!(text.contains(part), "{part} in {text}");
    }
}

#[tokio::test]
async fn a_failing_credential_fails_at_once_naming_itself_the_scope_and_the_authority() {
    let server = FaultServer::start(vec![ok()]).await;
    let credential = FakeCredential::failing(Some(Duration::from_millis(200)));
    let client = us_government_client(&server.url, credential, Duration::from_secs(30));
    let started = std::time::Instant::now();
    let error = bounded(client.accept(one())).await.unwrap_err();
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");
    assert_names(&error, &["no identity here"]);
    let source = std::error::Error::source(&error).expect("the credential's error");
    let own = source
        .downcast_ref::<azure_core::Error>()
        .expect("the credential's own azure_core::Error");
    assert_eq!(own.kind(), &azure_core::error::ErrorKind::Credential);
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_credential_that_does_not_answer_in_time_is_named_with_how_to_hear_its_error() {
    let server = FaultServer::start(vec![ok()]).await;
    let credential = FakeCredential::failing(None);
    let client = us_government_client(&server.url, credential, Duration::from_millis(200));
    let error = bounded(client.accept(one())).await.unwrap_err();
    assert_names(
        &error,
        &["did not answer within 200ms", "RetryOptions::none()"],
    );
    assert!(server.received().is_empty());
}
