//! Credentials from any `azure_core` `TokenCredential` (feature
//! `azure-identity`): what azure_identity 1.x gives for a client secret, a
//! certificate, a managed identity, a workload identity or developer tools.

use std::sync::Arc;
use std::time::SystemTime;

use azure_core::credentials::{TokenCredential, TokenRequestOptions};
use azure_core::http::{ClientMethodOptions, Context};

use super::cloud::NationalCloud;
use super::credentials::{AccessToken, Credentials, Named, TokenError, TokenRequest};

/// Why an azure_identity credential can outlast the token timeout.
const RETRIES_ON_ITS_OWN: &str = ": azure_identity's credentials retry a failed connection \
     to their authority on their own, for up to a minute; a credential built with \
     `ClientOptions { retry: RetryOptions::none(), .. }` reports its own error at once";

impl Credentials {
    /// Tokens from an `azure_core` [`TokenCredential`], for the app-only scope
    /// of `cloud` (`{root}/.default`, e.g. `https://graph.microsoft.com/.default`),
    /// cached by this client until five minutes before their expiry.
    ///
    /// azure_core 1.x has no `claims` option in its `TokenRequestOptions`:
    /// the client's [`TokenRequest`] (with [`TokenRequest::claims`] after a
    /// continuous-access-evaluation challenge, and
    /// [`TokenRequest::force_refresh`] after a `401`) travels in the options'
    /// `Context`, where a credential of your own reads it with
    /// `options.method_options.context.value::<TokenRequest>()`.
    /// azure_identity's credentials ignore it and answer from their own cache.
    ///
    /// A credential that fails fails the call at once with
    /// [`ErrorKind::Credentials`](crate::ErrorKind::Credentials): the error
    /// names the credential's type, the scope and the cloud's authority, and
    /// its [`source`](std::error::Error::source) is the credential's own
    /// `azure_core::Error`. azure_identity's credentials retry a connection
    /// that fails for up to a minute before they fail; a call waits for that
    /// no longer than [`token_timeout`](crate::ClientBuilder::token_timeout).
    ///
    /// This needs feature `azure-identity`, and the example below the
    /// `azure_identity` crate too: in your `Cargo.toml`,
    ///
    /// ```toml
    /// [dependencies]
    /// linkedin-invitations = { path = "../linkedin-invitations", features = ["azure-identity"] }
    /// azure_identity = "1"
    /// ```
    ///
    /// ```no_run
    /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// use linkedin_invitations::{Client, Credentials, NationalCloud};
    ///
    /// let credential = azure_identity::ClientSecretCredential::new(
    ///     "tenant-id",
    ///     "client-id".to_owned(),
    ///     std::env::var("AZURE_CLIENT_SECRET")?.into(),
    ///     None,
    /// )?;
    /// let client = Client::builder()
    ///     .credentials(Credentials::from_token_credential(credential, NationalCloud::Global))
    ///     .build()?;
    /// // or, for the scope of the cloud the builder calls:
    /// let credential = azure_identity::ManagedIdentityCredential::new(None)?;
    /// let client = Client::builder()
    ///     .national_cloud(NationalCloud::UsGovernmentL4)
    ///     .token_credential(credential)
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "azure-identity")))]
    pub fn from_token_credential(
        credential: Arc<dyn TokenCredential>,
        cloud: NationalCloud,
    ) -> Self {
        let scope = Arc::<str>::from(cloud.default_scope());
        let named = Named {
            name: format!(
                "{} (scope {scope}, {cloud:?} cloud, authority {})",
                type_name(&*credential),
                cloud.authority_host()
            ),
            on_timeout: RETRIES_ON_ITS_OWN,
        };
        let fetch = move |request: TokenRequest| {
            let credential = Arc::clone(&credential);
            let scope = Arc::clone(&scope);
            async move {
                let options = TokenRequestOptions {
                    method_options: ClientMethodOptions {
                        context: Context::new().with_value(request),
                    },
                };
                let token = credential.get_token(&[&scope], Some(options)).await?;
                Ok::<_, TokenError>(
                    AccessToken::new(token.token.secret())
                        .expires_at(SystemTime::from(token.expires_on)),
                )
            }
        };
        Self::named_provider(fetch, named)
    }
}

/// The credential's type name, read from its `Debug`, which azure_core
/// requires and azure_identity starts with the type's path
/// (`azure_identity::…::ClientSecretCredential { client_id: .. }`). Only the
/// name is kept: the fields may hold identifiers.
fn type_name(credential: &dyn TokenCredential) -> String {
    let debug = format!("{credential:?}");
    let path = debug
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .next()
        .unwrap_or_default();
    match path.rsplit("::").next() {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => "the TokenCredential".to_owned(),
    }
}
