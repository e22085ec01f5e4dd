//! Workload identity: a Kubernetes service account token, federated with an Entra ID app,
//! sent as the client assertion (AKS workload identity sets `AZURE_FEDERATED_TOKEN_FILE`,
//! `AZURE_CLIENT_ID`, `AZURE_TENANT_ID` and `AZURE_AUTHORITY_HOST`).

use std::fmt;
use std::path::PathBuf;

use secrecy::SecretString;

use super::{ClientCore, client_settings};
use crate::endpoint::FormValue;
use crate::{AccessToken, AuthError};

/// App-only tokens for a federated workload: the token file is read again on every fetch
/// (the kubelet rotates it), so a rotated file is picked up at the next refresh.
///
/// ```no_run
/// use partner_center_auth::{TokenCredential, WorkloadIdentityCredential};
/// # async fn demo() -> Result<(), partner_center_auth::AuthError> {
/// let cred = WorkloadIdentityCredential::new("contoso.onmicrosoft.com", "00000000-0000-0000-0000-000000000001", "/var/run/secrets/azure/tokens/azure-identity-token")?;
/// let token = cred.get_token("https://graph.microsoft.com", &Default::default()).await?;
/// # Ok(()) }
/// ```
pub struct WorkloadIdentityCredential {
    core: ClientCore,
    token_file: PathBuf,
}

client_settings!(WorkloadIdentityCredential);

impl WorkloadIdentityCredential {
    /// A credential for `client_id` in `tenant`, asserting with the token in `token_file`.
    pub fn new(
        tenant: &str,
        client_id: &str,
        token_file: impl Into<PathBuf>,
    ) -> Result<Self, AuthError> {
        Ok(Self {
            core: ClientCore::new(tenant, client_id)?,
            token_file: token_file.into(),
        })
    }

    async fn fetch(&self, scope: &str) -> Result<AccessToken, AuthError> {
        let path = self.token_file.clone();
        let assertion: SecretString = tokio::task::spawn_blocking(move || {
            crate::secret::from_file(&path)
        })
        .await
        .map_err(|e| AuthError::config(format!("reading the federated token: {e}")))?
        .map_err(|e| {
            AuthError::unavailable(
                "WorkloadIdentityCredential",
                format!(
                    "{e} (AZURE_FEDERATED_TOKEN_FILE; is workload identity enabled for this pod?)"
                ),
            )
        })?;
        let proof = [
            (
                "client_assertion_type",
                FormValue::Plain("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ),
            ("client_assertion", FormValue::Secret(&assertion)),
        ];
        self.core.client_credentials(scope, &proof).await
    }
}

impl fmt::Debug for WorkloadIdentityCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkloadIdentityCredential")
            .field("authority", &self.core.authority)
            .field("client_id", &self.core.client_id)
            .field("token_file", &self.token_file)
            .finish_non_exhaustive()
    }
}
