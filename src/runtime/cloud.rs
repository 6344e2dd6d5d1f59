//! The Microsoft Graph national clouds and their beta roots.

/// A Microsoft Graph deployment. Tokens must come from the same cloud's
/// authority (`login.microsoftonline.com`, `login.microsoftonline.us` or
/// `login.chinacloudapi.cn`), with scope `{root}/.default` for app tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum NationalCloud {
    /// The global service, `https://graph.microsoft.com`.
    #[default]
    Global,
    /// US Government L4, `https://graph.microsoft.us`.
    UsGovernmentL4,
    /// US Government L5 (DoD), `https://dod-graph.microsoft.us`.
    UsGovernmentL5Dod,
    /// China, operated by 21Vianet, `https://microsoftgraph.chinacloudapi.cn`.
    China,
}

impl NationalCloud {
    /// The service root, without a version.
    pub fn root(self) -> &'static str {
        match self {
            Self::Global => "https://graph.microsoft.com",
            Self::UsGovernmentL4 => "https://graph.microsoft.us",
            Self::UsGovernmentL5Dod => "https://dod-graph.microsoft.us",
            Self::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The base URL of the beta API, where this action lives.
    pub fn beta_base_url(self) -> String {
        format!("{}/beta", self.root())
    }

    /// The Microsoft Entra authority that issues this cloud's tokens.
    pub fn authority_host(self) -> &'static str {
        match self {
            Self::Global => "https://login.microsoftonline.com",
            Self::UsGovernmentL4 | Self::UsGovernmentL5Dod => "https://login.microsoftonline.us",
            Self::China => "https://login.chinacloudapi.cn",
        }
    }

    /// The OAuth scope of an app-only token for this cloud.
    pub fn default_scope(self) -> String {
        format!("{}/.default", self.root())
    }
}

#[cfg(test)]
mod tests {
    use super::NationalCloud;

    #[test]
    fn each_cloud_has_its_beta_root_and_scope() {
        let roots = [
            (NationalCloud::Global, "https://graph.microsoft.com/beta"),
            (
                NationalCloud::UsGovernmentL4,
                "https://graph.microsoft.us/beta",
            ),
            (
                NationalCloud::UsGovernmentL5Dod,
                "https://dod-graph.microsoft.us/beta",
            ),
            (
                NationalCloud::China,
                "https://microsoftgraph.chinacloudapi.cn/beta",
            ),
        ];
        for (cloud, beta) in roots {
            assert_eq!(cloud.beta_base_url(), beta);
            assert!(cloud.default_scope().ends_with("/.default"));
            assert!(cloud.authority_host().starts_with("https://login."));
        }
        assert_eq!(NationalCloud::default(), NationalCloud::Global);
    }
}
