//! Managed identity: tokens from the Azure platform's local endpoint, with no secret.
//!
//! Two sources, chosen as azure-identity chooses them:
//! - App Service and Functions: `IDENTITY_ENDPOINT` + `IDENTITY_HEADER` (the header
//!   `X-IDENTITY-HEADER`, `api-version=2019-08-01`; app-service overview-managed-identity.md);
//! - everywhere else (VMs, scale sets, AKS nodes): IMDS,
//!   `http://169.254.169.254/metadata/identity/oauth2/token` with `Metadata: true` and
//!   `api-version=2018-02-01` (entra-docs how-to-use-vm-token.md). `AZURE_POD_IDENTITY_AUTHORITY_HOST`
//!   replaces the host, as Python's and .NET's azure-identity do (tests point it at loopback).
//!
//! Plain http is allowed for exactly these endpoints: IMDS's link-local address and a
//! loopback `IDENTITY_ENDPOINT`; anything else must be https.

use std::fmt;
use std::time::Duration;

use secrecy::SecretString;
use url::Url;

use super::{ClientCore, resource_of};
use crate::endpoint::{decode_error, decode_grant};
use crate::{AccessToken, AuthError};

/// IMDS's token endpoint.
pub const IMDS_ENDPOINT: &str = "http://169.254.169.254/metadata/identity/oauth2/token";

/// Which identity: the resource's own (system-assigned), or a user-assigned one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ManagedIdentityId {
    /// The system-assigned identity.
    #[default]
    SystemAssigned,
    /// A user-assigned identity by its client id.
    ClientId(String),
    /// A user-assigned identity by its object (principal) id.
    ObjectId(String),
    /// A user-assigned identity by its Azure resource id.
    ResourceId(String),
}

#[derive(Clone)]
enum Source {
    Imds(Url),
    AppService { endpoint: Url, header: SecretString },
}

/// Tokens for the identity Azure assigned to the machine, app or pod.
///
/// ```no_run
/// use partner_center_auth::{ManagedIdentityCredential, ManagedIdentityId, TokenCredential};
/// # async fn demo() -> Result<(), partner_center_auth::AuthError> {
/// let cred = ManagedIdentityCredential::from_env(|k| std::env::var(k).ok(), ManagedIdentityId::SystemAssigned)?;
/// let token = cred.get_token("https://graph.microsoft.com", &Default::default()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ManagedIdentityCredential {
    core: ClientCore,
    source: Source,
    id: ManagedIdentityId,
    /// In a chain: the first request waits at most a second and is not retried, so a
    /// machine off Azure moves on at once.
    probe: bool,
    /// Whether the endpoint has answered once (the probe is over).
    answered: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl fmt::Debug for ManagedIdentityCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Imds(u) => format!("IMDS {u}"),
            Source::AppService { endpoint, .. } => format!("App Service {endpoint}"),
        };
        f.debug_struct("ManagedIdentityCredential")
            .field("source", &source)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Whether `url` may be plain http for managed identity: IMDS's address or loopback.
fn check_endpoint(url: &Url) -> Result<(), AuthError> {
    if url.scheme() == "http" && url.host_str() == Some("169.254.169.254") {
        return Ok(());
    }
    crate::check_url_allowed(url)
}

impl ManagedIdentityCredential {
    /// Chooses the source from the environment (through `lookup`): App Service when
    /// `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` are set, else IMDS (at
    /// `AZURE_POD_IDENTITY_AUTHORITY_HOST` when set).
    pub fn from_env(
        lookup: impl Fn(&str) -> Option<String>,
        id: ManagedIdentityId,
    ) -> Result<Self, AuthError> {
        let get = |k: &str| lookup(k).filter(|v| !v.trim().is_empty());
        let app_service = match (get("IDENTITY_ENDPOINT"), get("IDENTITY_HEADER")) {
            (Some(endpoint), Some(header)) => Some((endpoint, SecretString::from(header))),
            _ => None,
        };
        Self::from_parts(app_service, get("AZURE_POD_IDENTITY_AUTHORITY_HOST"), id)
    }

    /// From the variables' values: App Service's endpoint and header, else IMDS (at
    /// `imds_host` when given).
    pub(crate) fn from_parts(
        app_service: Option<(String, SecretString)>,
        imds_host: Option<String>,
        id: ManagedIdentityId,
    ) -> Result<Self, AuthError> {
        let source = match app_service {
            Some((endpoint, header)) => {
                let endpoint = Url::parse(endpoint.trim()).map_err(|e| {
                    AuthError::config(format!("IDENTITY_ENDPOINT is not a URL: {e}"))
                })?;
                Source::AppService { endpoint, header }
            }
            None => {
                let endpoint = match imds_host {
                    Some(host) => {
                        let mut url = Url::parse(host.trim()).map_err(|e| {
                            AuthError::config(format!(
                                "AZURE_POD_IDENTITY_AUTHORITY_HOST is not a URL: {e}"
                            ))
                        })?;
                        url.set_path("/metadata/identity/oauth2/token");
                        url
                    }
                    None => Url::parse(IMDS_ENDPOINT)
                        .map_err(|e| AuthError::config(format!("IMDS endpoint: {e}")))?,
                };
                Source::Imds(endpoint)
            }
        };
        match &source {
            Source::Imds(u) | Source::AppService { endpoint: u, .. } => check_endpoint(u)?,
        }
        let label = match &id {
            ManagedIdentityId::SystemAssigned => "system-assigned".to_owned(),
            ManagedIdentityId::ClientId(v)
            | ManagedIdentityId::ObjectId(v)
            | ManagedIdentityId::ResourceId(v) => v.clone(),
        };
        let mut core = ClientCore::new("managed-identity", &label)?;
        // IMDS "isn't intended to be used behind a proxy" (how-to-use-vm-token.md), and a
        // proxy's error page must not pass for an answer; App Service's header is a secret.
        core.http = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("partner-center-rs/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| AuthError::config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            core,
            source,
            id,
            probe: false,
            answered: std::sync::Arc::default(),
        })
    }

    /// In a chain: the first request waits at most a second and is not retried.
    pub(crate) fn probing(mut self) -> Self {
        self.probe = true;
        self
    }

    /// Uses the caller's HTTP client (by default: one that never goes through a proxy).
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.core.http = http;
        self
    }

    /// Shares a token cache.
    pub fn with_cache(mut self, cache: std::sync::Arc<crate::TokenCache>) -> Self {
        self.core.cache = cache;
        self.core.slots = std::sync::Arc::default();
        self
    }

    fn request(&self, scope: &str) -> reqwest::RequestBuilder {
        let resource = resource_of(scope);
        let (endpoint, version) = match &self.source {
            Source::Imds(u) => (u.clone(), "2018-02-01"),
            Source::AppService { endpoint, .. } => (endpoint.clone(), "2019-08-01"),
        };
        let app_service = matches!(self.source, Source::AppService { .. });
        let mut query = vec![("api-version", version), ("resource", resource)];
        match &self.id {
            ManagedIdentityId::SystemAssigned => {}
            ManagedIdentityId::ClientId(v) => query.push(("client_id", v)),
            ManagedIdentityId::ObjectId(v) => {
                query.push((
                    if app_service {
                        "principal_id"
                    } else {
                        "object_id"
                    },
                    v,
                ));
            }
            ManagedIdentityId::ResourceId(v) => {
                query.push((
                    if app_service {
                        "mi_res_id"
                    } else {
                        "msi_res_id"
                    },
                    v,
                ));
            }
        }
        let request = self.core.http.get(endpoint).query(&query);
        match &self.source {
            Source::Imds(_) => request.header("Metadata", "true"),
            Source::AppService { header, .. } => {
                crate::endpoint::with_secret_header(request, "X-IDENTITY-HEADER", header)
            }
        }
    }

    fn endpoint_text(&self) -> String {
        match &self.source {
            Source::Imds(u) | Source::AppService { endpoint: u, .. } => {
                let mut u = u.clone();
                u.set_query(None);
                u.to_string()
            }
        }
    }

    async fn fetch(&self, scope: &str) -> Result<AccessToken, AuthError> {
        let probe = self.probe && !self.answered.load(std::sync::atomic::Ordering::Acquire);
        let attempts = if probe {
            1
        } else {
            self.core.retry.max_attempts
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = self.request(scope);
            if probe {
                request = request.timeout(Duration::from_secs(1));
            }
            let error = match self.once(request).await {
                Ok(token) => return Ok(token),
                Err(e) => e,
            };
            let retryable = error.is_retryable()
                || error
                    .endpoint_error()
                    .is_some_and(|d| matches!(d.status, 404 | 410));
            if attempt >= attempts || !retryable {
                return Err(match error {
                    AuthError::Connection { message, .. } => AuthError::unavailable(
                        "ManagedIdentityCredential",
                        format!(
                            "no managed identity endpoint answered at {} ({message}): this is not an Azure resource with a managed identity",
                            self.endpoint_text()
                        ),
                    ),
                    other => other,
                });
            }
            let delay = error.retry_after().unwrap_or_else(|| {
                crate::http::full_jitter(
                    self.core.retry.base_delay,
                    self.core.retry.max_wait,
                    attempt,
                )
            });
            tokio::time::sleep(delay.min(self.core.retry.max_wait)).await;
        }
    }

    async fn once(&self, request: reqwest::RequestBuilder) -> Result<AccessToken, AuthError> {
        let endpoint = Url::parse(&self.endpoint_text())
            .map_err(|e| AuthError::config(format!("managed identity endpoint: {e}")))?;
        let now = crate::Clock::now(self.core.cache.clock().as_ref());
        let answer = crate::endpoint::send(request, &endpoint, now).await;
        if !matches!(answer, Err(AuthError::Connection { .. })) {
            self.answered
                .store(true, std::sync::atomic::Ordering::Release);
        }
        let crate::endpoint::Answer {
            status,
            retry_after,
            body,
        } = answer?;
        if (200..300).contains(&status) {
            let grant = decode_grant(&body, status, now)?;
            return Ok(AccessToken::new(grant.access_token, grant.expires_on, now));
        }
        if status == 400 {
            let which = match &self.id {
                ManagedIdentityId::SystemAssigned => {
                    "no managed identity is assigned to this resource".to_owned()
                }
                other => format!("the identity {other:?} is not assigned to this resource"),
            };
            return Err(AuthError::unavailable(
                "ManagedIdentityCredential",
                format!("{which} ({})", decode_error(&body, status, None)),
            ));
        }
        Err(decode_error(&body, status, retry_after))
    }
}

super::cached_credential!(ManagedIdentityCredential, {});
