#![doc = include_str!("../README.md")]
//!
//! ## Modules at a glance
//! - [`secret`]: reading secrets into [`SecretString`] from env vars, files and readers.
//! - [`Cloud`] / [`Authority`]: public, China (21Vianet), US Government or custom endpoints.
//! - [`TokenCredential`] and its implementations: [`ClientSecretCredential`],
//!   [`ClientCertificateCredential`], [`RefreshTokenCredential`], [`StaticTokenCredential`],
//!   [`EnvironmentCredential`].
//! - [`TokenCache`]: per-key single-flight cache with proactive refresh.
//! - [`jwt`]: decode a JWT *without* verifying it, or verify it against a JWKS.

mod cache;
mod clock;
mod cloud;
pub mod consent;
mod credential;
mod endpoint;
mod error;
#[cfg(feature = "fleet")]
pub mod fleet;
pub mod http;
#[cfg(feature = "azure-core")]
pub mod interop;
pub mod jwt;
pub mod limits;
pub mod secret;
pub mod store;
mod token;

pub use cache::{CacheKey, CachedToken, RefreshPolicy, TokenCache};
pub use clock::{Clock, ManualClock, SystemClock};
pub use cloud::{
    Authority, Cloud, CloudConfig, check_url_allowed, is_loopback_url, parse_url, redact_url_text,
};
pub use credential::{
    AzureCliCredential, ClientSecretCredential, Credential, CredentialKind, CredentialSpec,
    DefaultCredential, EndpointVersion, EnvironmentCredential, IMDS_ENDPOINT,
    ManagedIdentityCredential, ManagedIdentityId, RefreshTokenCallback, RefreshTokenCredential,
    SecretRef, StaticTokenCredential, TokenCredential, TokenRequestOptions, TokenRetryPolicy,
    WorkloadIdentityCredential,
};
#[cfg(feature = "certificate")]
pub use credential::{CertificateOptions, ClientCertificateCredential};
pub use error::{AuthError, TokenEndpointError};
pub use http::{NetworkFailure, default_http_client, parse_retry_after};
pub use secrecy::{ExposeSecret, SecretString};
pub use token::AccessToken;

/// The resource of the Partner Center REST API (public cloud and US Government).
pub const PARTNER_CENTER_RESOURCE: &str = "https://api.partnercenter.microsoft.com";
/// The resource of the Partner Center submission (ingestion) API.
pub const INGESTION_RESOURCE: &str = "https://api.partner.microsoft.com";
/// The token resource (audience) of Microsoft Graph in the public cloud (partner billing
/// reports, GDAP, the Product Ingestion API).
pub const GRAPH_RESOURCE: &str = "https://graph.microsoft.com";
