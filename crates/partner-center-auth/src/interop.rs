//! Interop with the Azure SDK for Rust (feature `azure-core`): our credentials as
//! `azure_core::credentials::TokenCredential` ([`AzureCoreCredential`]), and any of
//! azure_core's (azure_identity's) as ours ([`FromAzureCore`]).
//!
//! ```
//! use partner_center_auth::{Credential, SecretString, StaticTokenCredential};
//! use partner_center_auth::interop::AzureCoreCredential;
//! use std::time::{Duration, SystemTime};
//! let ours = Credential::new(StaticTokenCredential::new(
//!     SecretString::from("eyJ...".to_owned()),
//!     SystemTime::now() + Duration::from_secs(3600),
//! ));
//! // Hand it to any Azure SDK client that takes an `Arc<dyn azure_core::credentials::TokenCredential>`.
//! let for_azure: std::sync::Arc<dyn azure_core::credentials::TokenCredential> =
//!     std::sync::Arc::new(AzureCoreCredential::new(ours));
//! ```

use std::fmt;
use std::sync::Arc;

use azure_core::credentials as az;
use secrecy::{ExposeSecret, SecretString};

use crate::{AccessToken, AuthError, Credential, TokenCredential, TokenRequestOptions};

/// One of our credentials, as azure_core's `TokenCredential` (its cache and lock-free
/// read path included).
#[derive(Debug, Clone)]
pub struct AzureCoreCredential(Credential);

impl AzureCoreCredential {
    /// Wraps a credential.
    pub fn new(credential: impl Into<Credential>) -> Self {
        Self(credential.into())
    }
}

#[async_trait::async_trait]
impl az::TokenCredential for AzureCoreCredential {
    #[allow(clippy::disallowed_methods)] // reason: hands the token to azure_core's own secret wrapper
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<az::TokenRequestOptions<'_>>,
    ) -> azure_core::Result<az::AccessToken> {
        let [scope] = scopes else {
            return Err(azure_core::Error::with_message(
                azure_core::error::ErrorKind::Credential,
                format!("exactly one scope is supported, {} given", scopes.len()),
            ));
        };
        let token = self
            .0
            .token(scope, &TokenRequestOptions::default())
            .await
            .map_err(|e| {
                azure_core::Error::with_message(
                    azure_core::error::ErrorKind::Credential,
                    e.to_string(),
                )
            })?;
        Ok(az::AccessToken::new(
            az::Secret::new(token.secret().expose_secret().to_owned()),
            azure_core::time::OffsetDateTime::from(token.expires_on()),
        ))
    }
}

/// Any azure_core credential (azure_identity's `ManagedIdentityCredential`,
/// `DeveloperToolsCredential`, …) as one of ours: the transport and the facade take it.
/// azure_core credentials cache their own tokens; this adds no cache.
#[derive(Clone)]
pub struct FromAzureCore(Arc<dyn az::TokenCredential>);

impl FromAzureCore {
    /// Wraps an azure_core credential.
    pub fn new(credential: Arc<dyn az::TokenCredential>) -> Self {
        Self(credential)
    }
}

impl fmt::Debug for FromAzureCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FromAzureCore").field(&self.0).finish()
    }
}

#[async_trait::async_trait]
impl TokenCredential for FromAzureCore {
    async fn get_token(
        &self,
        scope: &str,
        _options: &TokenRequestOptions,
    ) -> Result<AccessToken, AuthError> {
        let scope = crate::credential::v2_scope_of(scope);
        let token = self
            .0
            .get_token(&[&scope], None)
            .await
            .map_err(|e| AuthError::unavailable("azure_core credential", e.to_string()))?;
        let now = crate::Clock::now(&crate::SystemClock);
        Ok(AccessToken::new(
            SecretString::from(token.token.secret().to_owned()),
            std::time::SystemTime::from(token.expires_on),
            now,
        ))
    }
}
