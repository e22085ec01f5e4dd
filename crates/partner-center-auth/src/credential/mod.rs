//! Credentials: one object-safe [`TokenCredential`] trait and its implementations.

mod azure_cli;
#[cfg(feature = "certificate")]
mod certificate;
mod chain;
mod environment;
mod kind;
mod managed;
mod refresh;
mod spec;
mod workload;

use std::fmt;
use std::sync::Arc;

use secrecy::SecretString;
use url::Url;

use crate::cache::Entry;
pub use crate::endpoint::TokenRetryPolicy;
use crate::endpoint::{self, FormValue, TokenGrant};

use crate::{AccessToken, AuthError, Authority, CacheKey, CachedToken, Cloud, TokenCache};

pub use azure_cli::AzureCliCredential;
#[cfg(feature = "certificate")]
pub use certificate::{CertificateOptions, ClientCertificateCredential};
pub use chain::DefaultCredential;
pub use environment::EnvironmentCredential;
pub use kind::CredentialKind;
pub use managed::{IMDS_ENDPOINT, ManagedIdentityCredential, ManagedIdentityId};
pub use refresh::{RefreshTokenCallback, RefreshTokenCredential};
pub use spec::{CredentialSpec, SecretRef};
pub use workload::WorkloadIdentityCredential;

/// Options for one token request.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct TokenRequestOptions {
    /// Bypass the cached token (it was rejected upstream, e.g. by a 401).
    pub force_refresh: bool,
    /// The token that was rejected: when the cache already holds a different one
    /// (another caller refreshed first), that one is returned without a new request.
    pub rejected: Option<AccessToken>,
}

impl TokenRequestOptions {
    /// Options for a forced refresh after `rejected` got a 401.
    pub fn refresh_rejected(rejected: AccessToken) -> Self {
        Self {
            force_refresh: true,
            rejected: Some(rejected),
        }
    }
}

/// Something that can produce access tokens for a resource or scope.
///
/// `scope` is a resource (`https://api.partnercenter.microsoft.com`) or a v2 scope
/// (`https://api.partnercenter.microsoft.com/.default`, `.../user_impersonation`);
/// each credential maps it to what its endpoint version expects.
///
/// The trait is object-safe: the transport holds one as a [`Credential`].
///
/// ```
/// use partner_center_auth::{StaticTokenCredential, TokenCredential, TokenRequestOptions, SecretString};
/// use std::sync::Arc;
/// use std::time::{Duration, SystemTime};
/// # async fn demo() -> Result<(), partner_center_auth::AuthError> {
/// let cred: Arc<dyn TokenCredential> = Arc::new(StaticTokenCredential::new(
///     SecretString::from("eyJ...".to_owned()),
///     SystemTime::now() + Duration::from_secs(3600),
/// ));
/// let token = cred.get_token("https://api.partnercenter.microsoft.com", &TokenRequestOptions::default()).await?;
/// assert!(format!("{token:?}").contains("REDACTED"));
/// # Ok(()) }
/// ```
#[async_trait::async_trait]
pub trait TokenCredential: Send + Sync + fmt::Debug {
    /// A token for `scope`, from the cache when it is still fresh.
    async fn get_token(
        &self,
        scope: &str,
        options: &TokenRequestOptions,
    ) -> Result<AccessToken, AuthError>;

    /// The synchronous fast path: the cached token for `scope` when it is fresh (no
    /// refresh due), read without locks, allocation or shared writes; `None` when a call
    /// to [`get_token`](Self::get_token) is needed. The default has no cache and
    /// returns `None`. [`Credential::token`] tries this before `get_token`.
    fn cached_token(&self, scope: &str) -> Option<CachedToken> {
        let _ = scope;
        None
    }

    /// The same identity's credential in another tenant (a customer's), when it can have
    /// one: App+User credentials can ([`RefreshTokenCredential::for_tenant`]); the
    /// default says it cannot.
    fn for_tenant(&self, tenant: &str) -> Result<Credential, AuthError> {
        Err(AuthError::config(format!(
            "{self:?} cannot get tokens in another tenant ({tenant}); acting in a customer's tenant needs App+User credentials (a refresh token, or `partner-center auth login`)"
        )))
    }
}

#[async_trait::async_trait]
impl<T: TokenCredential + ?Sized> TokenCredential for Arc<T> {
    async fn get_token(
        &self,
        scope: &str,
        options: &TokenRequestOptions,
    ) -> Result<AccessToken, AuthError> {
        (**self).get_token(scope, options).await
    }

    fn cached_token(&self, scope: &str) -> Option<CachedToken> {
        (**self).cached_token(scope)
    }

    fn for_tenant(&self, tenant: &str) -> Result<Credential, AuthError> {
        (**self).for_tenant(tenant)
    }
}

/// A credential to share: any [`TokenCredential`] behind an `Arc`, cheap to clone. Every
/// credential type converts into it (`Credential::from(cred)` or `.into()`), so APIs that
/// take a credential take `impl Into<Credential>` and callers never spell
/// `Arc<dyn TokenCredential>`. It dereferences to the trait object. An existing
/// `Arc<dyn TokenCredential>` goes in through [`Credential::from_arc`]; `.into()` would
/// wrap it in a second `Arc`.
///
/// ```
/// use partner_center_auth::{Credential, SecretString, StaticTokenCredential, TokenRequestOptions};
/// use std::time::{Duration, SystemTime};
/// # async fn demo() -> Result<(), partner_center_auth::AuthError> {
/// let credential: Credential = StaticTokenCredential::new(
///     SecretString::from("eyJ...".to_owned()),
///     SystemTime::now() + Duration::from_secs(3600),
/// )
/// .into();
/// let shared = credential.clone(); // the same credential and cache
/// let token = shared.get_token("https://api.partnercenter.microsoft.com", &TokenRequestOptions::default()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Credential(Arc<dyn TokenCredential>);

impl Credential {
    /// Wraps a credential.
    pub fn new(credential: impl TokenCredential + 'static) -> Self {
        Self(Arc::new(credential))
    }

    /// A credential already shared as a trait object (not wrapped a second time).
    pub fn from_arc(credential: Arc<dyn TokenCredential>) -> Self {
        Self(credential)
    }

    /// A token for `scope`: the lock-free cached read when the token is fresh and no
    /// refresh is forced, else [`TokenCredential::get_token`]. What a transport calls
    /// per request.
    ///
    /// ```
    /// use partner_center_auth::{Credential, SecretString, StaticTokenCredential, TokenRequestOptions};
    /// use std::time::{Duration, SystemTime};
    /// # async fn demo() -> Result<(), partner_center_auth::AuthError> {
    /// let credential = Credential::new(StaticTokenCredential::new(
    ///     SecretString::from("eyJ...".to_owned()),
    ///     SystemTime::now() + Duration::from_secs(3600),
    /// ));
    /// let token = credential.token("https://api.partnercenter.microsoft.com", &TokenRequestOptions::default()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn token(
        &self,
        scope: &str,
        options: &TokenRequestOptions,
    ) -> Result<AccessToken, AuthError> {
        if !options.force_refresh {
            if let Some(token) = self.0.cached_token(scope) {
                return Ok(token.to_token());
            }
        }
        self.0.get_token(scope, options).await
    }
}

impl<T: TokenCredential + 'static> From<T> for Credential {
    fn from(credential: T) -> Self {
        Self::new(credential)
    }
}

impl std::ops::Deref for Credential {
    type Target = dyn TokenCredential;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Which token endpoint to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum EndpointVersion {
    /// `/oauth2/token` with `resource=` (what the Partner Center docs show).
    V1,
    /// `/oauth2/v2.0/token` with `scope=<resource>/.default` (what MSAL sends).
    #[default]
    V2,
}

/// `https://x/.default` → `https://x`; a bare resource stays as it is.
pub(crate) fn resource_of(scope: &str) -> &str {
    let scope = scope.split_whitespace().next().unwrap_or(scope);
    for suffix in ["/.default", "/user_impersonation"] {
        if let Some(r) = scope.strip_suffix(suffix) {
            return r;
        }
    }
    scope
}

/// `https://x` → `https://x/.default`; a scope with a path stays as it is.
pub(crate) fn v2_scope_of(scope: &str) -> String {
    // A resource is `scheme://host[:port][/]`: nothing after the authority but a slash.
    let after_scheme = scope.split_once("://").map_or(scope, |(_, rest)| rest);
    let is_resource = scope.contains("://")
        && after_scheme
            .find('/')
            .is_none_or(|i| after_scheme[i..] == *"/");
    if is_resource {
        format!("{}/.default", scope.trim_end_matches('/'))
    } else {
        scope.to_owned()
    }
}

/// What every confidential client shares: where tokens come from, for which app, over
/// which HTTP client, into which cache.
#[derive(Debug, Clone)]
pub(crate) struct ClientCore {
    pub(crate) authority: Authority,
    pub(crate) client_id: String,
    pub(crate) http: reqwest::Client,
    pub(crate) cache: Arc<TokenCache>,
    pub(crate) version: EndpointVersion,
    pub(crate) retry: TokenRetryPolicy,
    /// scope → cache entry, resolved once per scope (a credential sees one or two
    /// scopes) and read without locks or writes.
    pub(crate) slots: Arc<Slots>,
    /// Who the tokens are for, in cache keys: the client id for app-only tokens; with a
    /// per-credential mark for a user's (App+User) tokens, so two identities sharing a
    /// cache never share an entry.
    pub(crate) identity: String,
}

/// At most this many scopes are remembered per credential (more still work, resolved
/// through the cache's map each time).
const MAX_SLOTS: usize = 8;

/// Scopes resolved to their cache entries; each slot is written once.
pub(crate) type Slots = [std::sync::OnceLock<(Box<str>, Arc<Entry>)>; MAX_SLOTS];

impl ClientCore {
    pub(crate) fn new(tenant: &str, client_id: &str) -> Result<Self, AuthError> {
        if client_id.trim().is_empty() {
            return Err(AuthError::missing("the client (application) id is empty"));
        }
        Ok(Self {
            authority: Authority::new(Cloud::Public.config().authority_host, tenant)?,
            client_id: client_id.to_owned(),
            http: crate::default_http_client()?,
            cache: Arc::new(TokenCache::new()),
            version: EndpointVersion::default(),
            retry: TokenRetryPolicy::default(),
            slots: Arc::default(),
            identity: client_id.to_owned(),
        })
    }

    pub(crate) fn token_endpoint(&self) -> Url {
        match self.version {
            EndpointVersion::V1 => self.authority.token_endpoint_v1(),
            EndpointVersion::V2 => self.authority.token_endpoint_v2(),
        }
    }

    /// The resolved entry for `scope`, if it has a slot.
    fn slot(&self, scope: &str) -> Option<&Arc<Entry>> {
        self.slots
            .iter()
            .map_while(std::sync::OnceLock::get)
            .find(|(s, _)| &**s == scope)
            .map(|(_, entry)| entry)
    }

    /// The lock-free read: the fresh cached token for `scope`, if any.
    pub(crate) fn cached_token(&self, scope: &str) -> Option<CachedToken> {
        self.cache.fresh_in(self.slot(scope)?)
    }

    /// The cache entry for `scope`, resolved once per scope.
    fn entry(&self, scope: &str) -> Arc<Entry> {
        if let Some(entry) = self.slot(scope) {
            return Arc::clone(entry);
        }
        let key = CacheKey::new(
            self.authority.host().as_str(),
            self.authority.tenant(),
            &self.identity,
            &v2_scope_of(scope),
        );
        let entry = self.cache.resolve(&key);
        // The first free slot; a slot another caller filled meanwhile (for this scope or
        // another) is skipped, so a scope may at worst hold two slots, both correct.
        for slot in self.slots.iter() {
            let (s, _) = slot.get_or_init(|| (scope.into(), Arc::clone(&entry)));
            if &**s == scope {
                break;
            }
        }
        entry
    }

    /// The `resource`/`scope` field for this endpoint version.
    pub(crate) fn target_field(&self, scope: &str) -> (&'static str, String) {
        match self.version {
            EndpointVersion::V1 => ("resource", resource_of(scope).to_owned()),
            EndpointVersion::V2 => ("scope", v2_scope_of(scope)),
        }
    }

    pub(crate) async fn post(
        &self,
        fields: &[(&str, FormValue<'_>)],
    ) -> Result<TokenGrant, AuthError> {
        endpoint::request_token(
            &self.http,
            &self.token_endpoint(),
            fields,
            self.cache.clock().as_ref(),
            &self.retry,
        )
        .await
    }

    /// The cached token for `scope`, fetched with `fetch` when the cache says so.
    pub(crate) async fn cached<F, Fut>(
        &self,
        scope: &str,
        options: &TokenRequestOptions,
        fetch: F,
    ) -> Result<AccessToken, AuthError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<AccessToken, AuthError>>,
    {
        if !options.force_refresh {
            if let Some(token) = self.cached_token(scope) {
                return Ok(token.to_token());
            }
        }
        self.cache
            .get_or_fetch_in(
                &self.entry(scope),
                options.force_refresh,
                options.rejected.as_ref(),
                fetch,
            )
            .await
    }

    /// A client-credentials grant for `scope`, the client proving itself with `proof`
    /// (its secret, or a signed assertion).
    pub(crate) async fn client_credentials(
        &self,
        scope: &str,
        proof: &[(&str, FormValue<'_>)],
    ) -> Result<AccessToken, AuthError> {
        let (target_name, target) = self.target_field(scope);
        let mut fields = vec![
            ("grant_type", FormValue::Plain("client_credentials")),
            ("client_id", FormValue::Plain(&self.client_id)),
        ];
        fields.extend(proof.iter().map(|(k, v)| (*k, v.clone())));
        fields.push((target_name, FormValue::Plain(&target)));
        Ok(self.token_from(self.post(&fields).await?))
    }

    pub(crate) fn token_from(&self, grant: TokenGrant) -> AccessToken {
        AccessToken::new(
            grant.access_token,
            grant.expires_on,
            self.cache.clock().now(),
        )
    }
}

/// The [`TokenCredential`] impl of a credential with a `core: ClientCore` and a
/// `fetch(scope)`: tokens through the core's cache, with the lock-free read first; `{ … }`
/// adds trait methods (`for_tenant`).
macro_rules! cached_credential {
    ($ty:ty, { $($extra:tt)* }) => {
        #[async_trait::async_trait]
        impl $crate::TokenCredential for $ty {
            async fn get_token(
                &self,
                scope: &str,
                options: &$crate::TokenRequestOptions,
            ) -> Result<$crate::AccessToken, $crate::AuthError> {
                self.core.cached(scope, options, || self.fetch(scope)).await
            }

            fn cached_token(&self, scope: &str) -> Option<$crate::CachedToken> {
                self.core.cached_token(scope)
            }

            $($extra)*
        }
    };
}
pub(crate) use cached_credential;

/// Builder-style settings every confidential-client credential accepts, and its
/// [`TokenCredential`] impl ([`cached_credential!`]).
macro_rules! client_settings {
    ($ty:ty) => {
        client_settings!($ty, {});
    };
    ($ty:ty, { $($extra:tt)* }) => {
        $crate::credential::cached_credential!($ty, { $($extra)* });

        impl $ty {
            /// Uses a cloud's authority host (default: public).
            pub fn with_cloud(self, cloud: $crate::Cloud) -> Result<Self, $crate::AuthError> {
                self.with_authority_host(cloud.config().authority_host)
            }

            /// Uses a custom authority host (e.g. the emulator's).
            pub fn with_authority_host(
                mut self,
                host: url::Url,
            ) -> Result<Self, $crate::AuthError> {
                self.core.authority = $crate::Authority::new(host, self.core.authority.tenant())?;
                self.core.slots = std::sync::Arc::default();
                Ok(self)
            }

            /// Uses the caller's HTTP client (shared pool, proxy, extra roots).
            pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
                self.core.http = client;
                self
            }

            /// Shares a token cache (or one with a custom clock or policy).
            pub fn with_cache(mut self, cache: std::sync::Arc<$crate::TokenCache>) -> Self {
                self.core.cache = cache;
                self.core.slots = std::sync::Arc::default();
                self
            }

            /// How failed token requests are retried (default: 3 attempts, Retry-After
            /// honoured up to 10 s).
            pub fn with_token_retry(mut self, retry: $crate::TokenRetryPolicy) -> Self {
                self.core.retry = retry;
                self
            }

            /// Chooses the v1 or v2 token endpoint (default v2).
            pub fn with_endpoint_version(mut self, version: $crate::EndpointVersion) -> Self {
                self.core.version = version;
                self
            }

            /// The tenant tokens are requested from.
            pub fn tenant(&self) -> &str {
                self.core.authority.tenant()
            }

            /// The client (application) id.
            pub fn client_id(&self) -> &str {
                &self.core.client_id
            }
        }
    };
}
pub(crate) use client_settings;

/// Client credentials with a client secret (app-only).
///
/// ```no_run
/// use partner_center_auth::{ClientSecretCredential, TokenCredential, TokenRequestOptions, secret};
/// # async fn demo() -> Result<(), partner_center_auth::AuthError> {
/// let secret = secret::from_env("AZURE_CLIENT_SECRET")?.expect("set AZURE_CLIENT_SECRET");
/// let cred = ClientSecretCredential::new("contoso.onmicrosoft.com", "00000000-0000-0000-0000-000000000001", secret)?;
/// let token = cred.get_token("https://api.partnercenter.microsoft.com", &TokenRequestOptions::default()).await?;
/// println!("expires {:?}", token.expires_on());
/// # Ok(()) }
/// ```
pub struct ClientSecretCredential {
    core: ClientCore,
    secret: SecretString,
}

client_settings!(ClientSecretCredential);

impl ClientSecretCredential {
    /// A credential for `client_id` in `tenant` with `secret`, on the public cloud's v2 endpoint.
    pub fn new(tenant: &str, client_id: &str, secret: SecretString) -> Result<Self, AuthError> {
        Ok(Self {
            core: ClientCore::new(tenant, client_id)?,
            secret,
        })
    }

    async fn fetch(&self, scope: &str) -> Result<AccessToken, AuthError> {
        let proof = [("client_secret", FormValue::Secret(&self.secret))];
        self.core.client_credentials(scope, &proof).await
    }
}

impl fmt::Debug for ClientSecretCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSecretCredential")
            .field("authority", &self.core.authority)
            .field("client_id", &self.core.client_id)
            .field("secret", &"[REDACTED]")
            .finish_non_exhaustive()
    }
}

/// A token obtained elsewhere (e.g. `az account get-access-token`), used until it expires.
#[derive(Debug, Clone)]
pub struct StaticTokenCredential {
    token: AccessToken,
}

impl StaticTokenCredential {
    /// A credential that always returns `token`, until `expires_on`.
    pub fn new(token: SecretString, expires_on: std::time::SystemTime) -> Self {
        let acquired = crate::SystemClock.now();
        Self {
            token: AccessToken::new(token, expires_on, acquired.min(expires_on)),
        }
    }
}

use crate::Clock as _;

#[async_trait::async_trait]
impl TokenCredential for StaticTokenCredential {
    async fn get_token(
        &self,
        _scope: &str,
        _options: &TokenRequestOptions,
    ) -> Result<AccessToken, AuthError> {
        if self.token.is_expired_at(crate::SystemClock.now()) {
            return Err(AuthError::Expired);
        }
        Ok(self.token.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_mapping() {
        assert_eq!(
            resource_of("https://api.partnercenter.microsoft.com/.default"),
            "https://api.partnercenter.microsoft.com"
        );
        assert_eq!(
            resource_of("https://api.partnercenter.microsoft.com/user_impersonation"),
            "https://api.partnercenter.microsoft.com"
        );
        assert_eq!(
            v2_scope_of("https://api.partner.microsoft.com"),
            "https://api.partner.microsoft.com/.default"
        );
        assert_eq!(
            v2_scope_of("https://api.partner.microsoft.com/"),
            "https://api.partner.microsoft.com/.default"
        );
        assert_eq!(
            v2_scope_of("https://x/user_impersonation"),
            "https://x/user_impersonation"
        );
    }
}
