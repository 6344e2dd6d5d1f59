//! Credentials from any `azure_core` `TokenCredential` (feature
//! `azure-identity`): what azure_identity 1.x gives for a client secret, a
//! certificate, a managed identity, a workload identity or developer tools.

use std::sync::Arc;
use std::time::SystemTime;

use azure_core::credentials::{TokenCredential, TokenRequestOptions};
use azure_core::http::{ClientMethodOptions, Context};

use super::cloud::NationalCloud;
use super::credentials::{AccessToken, Credentials, TokenError, TokenRequest};

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
    /// This needs feature `azure-identity`, and the example below the
    /// `azure_identity` crate too: in your `Cargo.toml`,
    ///
    /// ```toml
    /// [dependencies]
    /// linkedin-invitations = { version = "0.2", features = ["azure-identity"] }
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
        Self::from_fn(move |request: TokenRequest| {
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
        })
    }
}
