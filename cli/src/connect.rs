//! Where the command sends: Graph in a national cloud, a base URL, or an
//! emulator in this process; and the credentials it sends with.

use std::env;

use clap::{Args, ValueEnum};
use linkedin_invitations::{Client, Credentials, NationalCloud, Secret};
use linkedin_invitations_emulator::{Emulator, SeedInvitation};

use crate::input::{Record, Records};
use crate::Usage;

#[derive(Debug, Args)]
pub struct Target {
    /// Read the bearer token from this environment variable.
    #[arg(long, default_value = "GRAPH_TOKEN")]
    token_env: String,
    /// The national cloud to call.
    #[arg(long, value_enum, default_value_t = Cloud::Global, conflicts_with_all = ["base_url", "emulator"])]
    cloud: Cloud,
    /// Call this base URL instead (e.g. a proxy or a local emulator).
    #[arg(long, conflicts_with = "emulator")]
    base_url: Option<String>,
    /// Run against an emulator in this process, seeded with the input's
    /// invitations: try the command with no account.
    #[arg(long)]
    emulator: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Cloud {
    Global,
    UsGov,
    UsGovDod,
    China,
}

impl From<Cloud> for NationalCloud {
    fn from(cloud: Cloud) -> Self {
        match cloud {
            Cloud::Global => Self::Global,
            Cloud::UsGov => Self::UsGovernmentL4,
            Cloud::UsGovDod => Self::UsGovernmentL5Dod,
            Cloud::China => Self::China,
        }
    }
}

/// The client to send with, and the records to send. With `--emulator`
/// the input is read first to seed it (the emulator lives as long as the
/// returned handle).
pub async fn client(
    target: &Target,
    records: Records,
) -> Result<(Client, Records, Option<Emulator>), Usage> {
    if target.emulator {
        let records: Vec<_> = records.collect::<Result<_, _>>()?;
        let mut seen = std::collections::HashSet::new();
        let seed = records.iter().filter_map(|record| match record {
            Record::Invitation { invitation, .. } if seen.insert(invitation.id().to_owned()) => {
                Some(SeedInvitation::pending(
                    invitation.id(),
                    invitation.validation_token().expose(),
                ))
            }
            _ => None,
        });
        let emulator = Emulator::builder().invitations(seed).start().await?;
        let client = Client::builder()
            .base_url(emulator.url())
            .bearer_token("emulator")
            .build()?;
        let records = Box::new(records.into_iter().map(Ok));
        return Ok((client, records, Some(emulator)));
    }
    let builder = match &target.base_url {
        Some(url) => Client::builder().base_url(url),
        None => Client::builder().national_cloud(target.cloud.into()),
    };
    let client = builder.credentials(credentials(target)?).build()?;
    Ok((client, records, None))
}

/// The credentials: a bearer token from the environment. (The
/// `azure-identity` feature adds developer-tools and managed-identity
/// credentials here, chosen by a flag beside `--token-env`.)
fn credentials(target: &Target) -> Result<Credentials, Usage> {
    match env::var(&target.token_env) {
        Ok(token) if !token.trim().is_empty() => Ok(Credentials::bearer(Secret::new(token))),
        _ => Err(Usage(format!(
            "no bearer token: set the environment variable {} (or name another with --token-env)",
            target.token_env
        ))),
    }
}
