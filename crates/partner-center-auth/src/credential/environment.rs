//! Credentials from environment variables, with azure-identity's names.

use std::path::PathBuf;
use std::sync::Arc;

use secrecy::SecretString;
use url::Url;

use super::{
    ClientCertificateCredential, ClientSecretCredential, TokenCredential, TokenRequestOptions,
};
use crate::credential::certificate::CertificateOptions;
use crate::{AccessToken, AuthError, Cloud, TokenCache};

/// Reads, like azure-identity's `EnvironmentCredential`:
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
    inner: Arc<dyn TokenCredential>,
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
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let tenant = get("AZURE_TENANT_ID")
            .ok_or_else(|| AuthError::missing("AZURE_TENANT_ID is not set"))?;
        let client_id = get("AZURE_CLIENT_ID")
            .ok_or_else(|| AuthError::missing("AZURE_CLIENT_ID is not set"))?;
        let cloud: Cloud = match get("PARTNER_CENTER_CLOUD") {
            Some(c) => c.parse()?,
            None => Cloud::Public,
        };
        let host = match get("AZURE_AUTHORITY_HOST") {
            Some(h) => Url::parse(&h).map_err(|e| {
                AuthError::config(format!("AZURE_AUTHORITY_HOST=`{h}` is not a URL ({e}); give e.g. https://login.microsoftonline.com"))
            })?,
            None => cloud.config().authority_host,
        };
        let secret = match get("AZURE_CLIENT_SECRET") {
            Some(s) => Some(SecretString::from(s)),
            None => match get("AZURE_CLIENT_SECRET_FILE") {
                Some(path) => Some(crate::secret::from_file(path.as_ref())?),
                None => None,
            },
        };
        let inner: Arc<dyn TokenCredential> = if let Some(secret) = secret {
            let mut c = ClientSecretCredential::new(&tenant, &client_id, secret)?
                .with_authority_host(host)?
                .with_cache(cache);
            if let Some(http) = http {
                c = c.with_http_client(http);
            }
            Arc::new(c)
        } else if let Some(path) = get("AZURE_CLIENT_CERTIFICATE_PATH") {
            let password = get("AZURE_CLIENT_CERTIFICATE_PASSWORD").map(SecretString::from);
            let send_chain = get("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN")
                .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true"));
            let mut c = ClientCertificateCredential::from_file(
                &tenant,
                &client_id,
                &PathBuf::from(path),
                password.as_ref(),
            )?
            .with_authority_host(host)?
            .with_cache(cache)
            .with_options(CertificateOptions {
                send_chain,
                ..CertificateOptions::default()
            });
            if let Some(http) = http {
                c = c.with_http_client(http);
            }
            Arc::new(c)
        } else {
            return Err(AuthError::missing(
                "neither AZURE_CLIENT_SECRET nor AZURE_CLIENT_CERTIFICATE_PATH is set",
            ));
        };
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
}
