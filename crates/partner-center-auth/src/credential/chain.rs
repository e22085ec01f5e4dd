//! `DefaultCredential`: azure-identity's `DefaultAzureCredential` order, so the same code
//! signs in on a developer's machine, in a pipeline, on AKS and on an Azure VM.

use std::fmt;
use std::sync::{Arc, OnceLock};

use super::{Credential, CredentialSpec, TokenCredential, TokenRequestOptions};
use crate::{AccessToken, AuthError, CachedToken, TokenCache};

/// Tries, in azure-identity's order: the environment (a client secret or certificate, a
/// refresh token or a stored login: [`CredentialSpec::build`]), workload identity (when
/// `AZURE_FEDERATED_TOKEN_FILE` is set), managed identity (IMDS or App Service; IMDS is
/// given one second to answer the first time), the Azure CLI. The first that gives a
/// token is kept for every later call. When none does, the error lists each step and why
/// it failed; a step that is refused outright (a wrong secret, say) stops the chain with
/// its own error, as azure-identity's does.
///
/// ```
/// use partner_center_auth::{CredentialSpec, DefaultCredential};
/// let spec = CredentialSpec::from_env(|_| None).unwrap();
/// let chain = DefaultCredential::from_spec(&spec, None, None);
/// assert_eq!(chain.steps(), ["EnvironmentCredential", "WorkloadIdentityCredential", "ManagedIdentityCredential", "AzureCliCredential"]);
/// ```
pub struct DefaultCredential {
    steps: Vec<(&'static str, Result<Credential, AuthError>)>,
    chosen: OnceLock<usize>,
}

impl fmt::Debug for DefaultCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredential")
            .field("steps", &self.steps())
            .field("chosen", &self.chosen.get().map(|i| self.steps[*i].0))
            .finish()
    }
}

impl DefaultCredential {
    /// The chain for a spec (read from the environment and a profile), sharing `http` and
    /// `cache` when given. Never fails: a step that cannot be built reports why when the
    /// chain runs.
    pub fn from_spec(
        spec: &CredentialSpec,
        http: Option<reqwest::Client>,
        cache: Option<Arc<TokenCache>>,
    ) -> Self {
        let cache = cache.unwrap_or_else(|| Arc::new(TokenCache::new()));
        let mut steps = vec![
            (
                "EnvironmentCredential",
                spec.build_environment(http.clone(), Some(cache.clone())),
            ),
            (
                "WorkloadIdentityCredential",
                spec.build_workload(http.clone(), Some(cache.clone())),
            ),
        ];
        // Managed identity keeps its own proxy-free HTTP client.
        let managed = spec
            .managed_identity()
            .map(|m| Credential::new(m.probing().with_cache(cache.clone())));
        steps.push(("ManagedIdentityCredential", managed));
        steps.push(("AzureCliCredential", spec.build_azure_cli()));
        Self {
            steps,
            chosen: OnceLock::new(),
        }
    }

    /// The steps' names, in order.
    pub fn steps(&self) -> Vec<&'static str> {
        self.steps.iter().map(|(name, _)| *name).collect()
    }

    /// The step that gave a token, once one has.
    pub fn chosen(&self) -> Option<&'static str> {
        self.chosen.get().map(|i| self.steps[*i].0)
    }
}

/// Why a step failed, without the credential's name twice.
fn why(e: &AuthError) -> String {
    match e {
        AuthError::CredentialUnavailable { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// Whether the chain moves on past this error: the credential does not apply here. A
/// network failure of a configured credential stops the chain (a blip must not switch the
/// process to another identity for good); managed identity reports its absent endpoint
/// as unavailable itself.
fn moves_on(e: &AuthError) -> bool {
    matches!(
        e,
        AuthError::CredentialUnavailable { .. } | AuthError::MissingCredentials { .. }
    )
}

#[async_trait::async_trait]
impl TokenCredential for DefaultCredential {
    async fn get_token(
        &self,
        scope: &str,
        options: &TokenRequestOptions,
    ) -> Result<AccessToken, AuthError> {
        if let Some(Ok(credential)) = self.chosen.get().map(|i| &self.steps[*i].1) {
            return credential.get_token(scope, options).await;
        }
        let mut attempts = Vec::new();
        for (i, (name, step)) in self.steps.iter().enumerate() {
            let credential = match step {
                Ok(c) => c,
                Err(e) => {
                    attempts.push(((*name).to_owned(), why(e)));
                    continue;
                }
            };
            match credential.get_token(scope, options).await {
                Ok(token) => {
                    let _ = self.chosen.set(i);
                    tracing::info!(credential = name, "the default chain chose a credential");
                    return Ok(token);
                }
                Err(e) if moves_on(&e) => attempts.push(((*name).to_owned(), why(&e))),
                Err(e) => return Err(e),
            }
        }
        Err(AuthError::ChainFailed { attempts })
    }

    fn cached_token(&self, scope: &str) -> Option<CachedToken> {
        match self.chosen.get().map(|i| &self.steps[*i].1) {
            Some(Ok(credential)) => credential.cached_token(scope),
            _ => None,
        }
    }

    /// The chosen credential's, once the chain has chosen one.
    fn for_tenant(&self, tenant: &str) -> Result<Credential, AuthError> {
        match self.chosen.get().map(|i| &self.steps[*i].1) {
            Some(Ok(credential)) => credential.for_tenant(tenant),
            _ => Err(AuthError::config(
                "the default chain has not chosen a credential yet: get a token first",
            )),
        }
    }
}
