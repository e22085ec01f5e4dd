//! Credentials from environment variables, with azure-identity's names.

use std::sync::Arc;

use super::{Credential, CredentialSpec, TokenCredential, TokenRequestOptions};
use crate::{AccessToken, AuthError, TokenCache};

/// Reads, like azure-identity's `EnvironmentCredential` (through [`CredentialSpec::from_env`]):
///
/// | variable | meaning |
/// |---|---|
/// | `AZURE_TENANT_ID` | tenant (required) |
/// | `AZURE_CLIENT_ID` | application id (required) |
/// | `AZURE_CLIENT_SECRET` (or `AZURE_CLIENT_SECRET_FILE`) | client secret |
/// | `AZURE_CLIENT_CERTIFICATE_PATH` | PEM or PKCS#12 file, used when no secret is set |
/// | `AZURE_CLIENT_CERTIFICATE_PASSWORD` | the PKCS#12 password |
/// | `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN` | `true`/`1` to send `x5c` |
/// | `AZURE_AUTHORITY_HOST` | authority host (default: the cloud's) |
/// | `PARTNER_CENTER_CLOUD` | `public` (default), `china`, `usgov` |
///
/// ```
/// use partner_center_auth::EnvironmentCredential;
/// let vars = [("AZURE_TENANT_ID", "t"), ("AZURE_CLIENT_ID", "c"), ("AZURE_CLIENT_SECRET", "s")];
/// let cred = EnvironmentCredential::from_lookup(|name| {
///     vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
/// }).unwrap();
/// assert!(!format!("{cred:?}").contains("\"s\""));
/// ```
#[derive(Debug, Clone)]
pub struct EnvironmentCredential {
    inner: Credential,
    tenant: String,
    client_id: String,
}

impl EnvironmentCredential {
    /// Reads the process environment.
    pub fn new() -> Result<Self, AuthError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads variables through `lookup` (for tests, or a config layer of your own).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, AuthError> {
        Self::build(lookup, None, Arc::new(TokenCache::new()))
    }

    /// Like [`from_lookup`](Self::from_lookup), with a shared HTTP client and cache.
    pub fn from_lookup_with(
        lookup: impl Fn(&str) -> Option<String>,
        http: reqwest::Client,
        cache: Arc<TokenCache>,
    ) -> Result<Self, AuthError> {
        Self::build(lookup, Some(http), cache)
    }

    fn build(
        lookup: impl Fn(&str) -> Option<String>,
        http: Option<reqwest::Client>,
        cache: Arc<TokenCache>,
    ) -> Result<Self, AuthError> {
        let spec = CredentialSpec::from_env(lookup)?;
        let tenant = spec
            .tenant()
            .ok_or_else(|| AuthError::missing("AZURE_TENANT_ID is not set"))?
            .to_owned();
        let client_id = spec
            .client_id()
            .ok_or_else(|| AuthError::missing("AZURE_CLIENT_ID is not set"))?
            .to_owned();
        let inner = spec.build(http, Some(cache))?;
        Ok(Self {
            inner,
            tenant,
            client_id,
        })
    }

    /// The tenant read from `AZURE_TENANT_ID`.
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// The client id read from `AZURE_CLIENT_ID`.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
}

#[async_trait::async_trait]
impl TokenCredential for EnvironmentCredential {
    async fn get_token(
        &self,
        scope: &str,
        options: &TokenRequestOptions,
    ) -> Result<AccessToken, AuthError> {
        self.inner.get_token(scope, options).await
    }

    fn cached_token(&self, scope: &str) -> Option<crate::CachedToken> {
        self.inner.cached_token(scope)
    }

    fn for_tenant(&self, tenant: &str) -> Result<Credential, AuthError> {
        self.inner.for_tenant(tenant)
    }
}
