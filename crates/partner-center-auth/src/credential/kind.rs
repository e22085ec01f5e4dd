//! Which kind of credential a spec builds, by the name profiles and flags give it.

/// Which kind of credential a spec builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialKind {
    /// A refresh token or stored login, else a client secret or certificate, else
    /// workload identity (the default).
    Environment,
    /// azure-identity's chain: [`DefaultCredential`](crate::DefaultCredential).
    Default,
    /// Workload identity (`AZURE_FEDERATED_TOKEN_FILE`).
    WorkloadIdentity,
    /// Managed identity (IMDS, App Service).
    ManagedIdentity,
    /// The Azure CLI's signed-in account.
    AzureCli,
}

impl std::str::FromStr for CredentialKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "environment" | "env" => Ok(Self::Environment),
            "default" => Ok(Self::Default),
            "workload-identity" => Ok(Self::WorkloadIdentity),
            "managed-identity" => Ok(Self::ManagedIdentity),
            "azure-cli" => Ok(Self::AzureCli),
            other => Err(format!(
                "unknown credential `{other}`: use default, environment, workload-identity, managed-identity or azure-cli"
            )),
        }
    }
}
