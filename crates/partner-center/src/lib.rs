#![doc = include_str!("../README.md")]

mod api;
pub mod config;
pub mod export;
mod graph;
pub mod ingestion;
pub mod login;
mod rest;

pub use api::Api;
pub use bytes::Bytes;
pub use graph::*;
pub use partner_center_auth as auth;
pub use partner_center_auth::{AuthError, Cloud, CloudConfig, Credential, TokenCredential};
pub use partner_center_models as models;
pub use partner_center_transport as transport;
#[cfg(feature = "fleet")]
pub use partner_center_transport::FleetBudget;
pub use partner_center_transport::{
    Cursor, Error, Page, Paged, Pages, RateLimit, RequestOptions, RetryPolicy,
};
pub use reqwest::Method;
pub use rest::*;
pub use url::Url;

use partner_center_transport::{ApiProfile, Transport};

/// What most programs want in scope: the stream extension traits that read a
/// [`Paged`] listing (`try_next`, `try_collect`, `take`, …).
pub mod prelude {
    pub use futures_util::{StreamExt as _, TryStreamExt as _};
}

/// The client: a transport and the two APIs' profiles. Cheap to clone.
///
/// ```no_run
/// use partner_center::prelude::*;
/// # async fn demo() -> Result<(), partner_center::Error> {
/// let pc = partner_center::PartnerCenter::from_profile("sandbox")?;
/// let customers: Vec<_> = pc.customers().list().try_collect().await?;
/// for c in &customers {
///     let subs: Vec<_> = pc.customer(&c.id).subscriptions().list().try_collect().await?;
///     println!("{} has {} subscriptions", c.id, subs.len());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct PartnerCenter {
    transport: Transport,
    rest: Api,
    ingestion: Api,
    graph: Api,
    product_ingestion: Api,
}

impl PartnerCenter {
    /// A builder: a credential and a cloud (default public).
    pub fn builder() -> PartnerCenterBuilder {
        PartnerCenterBuilder::default()
    }

    /// From the environment (azure-identity's variables and `PARTNER_CENTER_*`).
    pub fn from_env() -> Result<Self, Error> {
        Self::from_env_with(|k| std::env::var(k).ok())
    }

    /// As [`from_env`](Self::from_env), with the variables read through `lookup` (a map in
    /// tests, a secrets manager, a sandboxed environment).
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        Self::from_settings(&config::Settings::resolve(None, None, &lookup)?)
    }

    /// From a named profile of the config file, with environment overrides.
    pub fn from_profile(name: &str) -> Result<Self, Error> {
        Self::from_settings(&config::Settings::resolve(None, Some(name), &|k| {
            std::env::var(k).ok()
        })?)
    }

    /// From resolved settings.
    pub fn from_settings(settings: &config::Settings) -> Result<Self, Error> {
        let http = partner_center_auth::default_http_client().map_err(Error::Auth)?;
        let credential = settings.credential(http.clone())?;
        // With a fleet Redis and a key, an application's tokens are shared too
        // (docs/fleet.md); a user's (App+User) never are.
        #[cfg(feature = "fleet")]
        let credential = match (
            &settings.redis_url,
            &settings.fleet_token_key,
            settings.credential.app_identity(),
        ) {
            (Some(url), Some(key), Some(identity)) => {
                let key =
                    partner_center_auth::fleet::TokenKey::from_base64(key).map_err(Error::Auth)?;
                partner_center_auth::fleet::shared(credential, url, key, &identity)
                    .map_err(Error::Auth)?
            }
            (Some(_), Some(_), None) => {
                tracing::info!(
                    "fleet mode: this credential's tokens are not shared (only an application's own are); the rate budget is"
                );
                credential
            }
            _ => credential,
        };
        let builder = Self::builder()
            .credential(credential)
            .rate_limit(settings.rate_limit)
            .cloud(settings.cloud.clone())
            .http_client(http);
        #[cfg(feature = "fleet")]
        let builder = match &settings.redis_url {
            Some(url) => {
                // The partner's tenant names the budgets: partners sharing a Redis do not
                // share them.
                let namespace = settings.credential.tenant().unwrap_or("default");
                builder.fleet(std::sync::Arc::new(FleetBudget::new(url, namespace)?))
            }
            None => builder,
        };
        #[cfg(not(feature = "fleet"))]
        if settings.redis_url.is_some() {
            return Err(Error::Config(
                "a fleet Redis is configured, but this build has no fleet support: enable the partner-center crate's `fleet` feature".to_owned(),
            ));
        }
        builder.build()
    }

    /// The REST API (`…/v1`), called by path: for endpoints this facade does not wrap yet.
    pub fn rest_api(&self) -> &Api {
        &self.rest
    }

    /// The submission API (`…/v1.0/ingestion`), called by path.
    pub fn ingestion_api(&self) -> &Api {
        &self.ingestion
    }

    /// Microsoft Graph (`https://graph.microsoft.com/v1.0` in the public cloud), called by
    /// path, with tokens for Graph from the same credential: the partner billing reports,
    /// GDAP, the Product Ingestion API.
    pub fn graph_api(&self) -> &Api {
        &self.graph
    }

    /// The Product Ingestion API (`https://graph.microsoft.com/rp/product-ingestion` in
    /// the public cloud), called by path, with tokens for Microsoft Graph.
    pub fn product_ingestion_api(&self) -> &Api {
        &self.product_ingestion
    }

    /// The shared transport, under both APIs.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// The REST API's profile.
    pub fn rest_profile(&self) -> &ApiProfile {
        self.rest.profile()
    }

    /// The submission API's profile.
    pub fn ingestion_profile(&self) -> &ApiProfile {
        self.ingestion.profile()
    }
}

pub(crate) use encode_segment as seg;

/// Percent-encodes a path segment or query value (ids come from callers) as RFC 3986
/// does: everything but the unreserved characters (`A-Z a-z 0-9 - . _ ~`) is `%XX`, so a
/// space is `%20` and `/`, `?`, `#` cannot change the path. Ids `.`, `..` and empty ones
/// are refused by the transport before any request (see `ApiProfile::resolve`).
///
/// ```
/// assert_eq!(partner_center::encode_segment("a b/c"), "a%20b%2Fc");
/// ```
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn segments_are_rfc3986_encoded() {
        assert_eq!(super::seg("a b/c?d#e%f+g"), "a%20b%2Fc%3Fd%23e%25f%2Bg");
        assert_eq!(super::seg("Abc-1._~"), "Abc-1._~");
        assert_eq!(super::seg("é"), "%C3%A9");
    }
}

/// Builds a [`PartnerCenter`].
#[derive(Debug, Default)]
pub struct PartnerCenterBuilder {
    credential: Option<Credential>,
    cloud: Option<CloudConfig>,
    http: Option<reqwest::Client>,
    policy: Option<RetryPolicy>,
    locale: Option<String>,
    rate_limit: Option<Option<RateLimit>>,
    #[cfg(feature = "fleet")]
    fleet: Option<std::sync::Arc<partner_center_transport::FleetBudget>>,
}

impl PartnerCenterBuilder {
    /// Shares the rate budget with the other processes of a fleet through Redis
    /// (feature `fleet`; see docs/fleet.md).
    #[cfg(feature = "fleet")]
    pub fn fleet(mut self, budget: std::sync::Arc<partner_center_transport::FleetBudget>) -> Self {
        self.fleet = Some(budget);
        self
    }

    /// The client-side rate limit of the throttled operations (default
    /// [`RateLimit::DOCUMENTED`]: 500 requests a minute per customer; `None`: none):
    /// requests wait for their slot instead of drawing a 429.
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// The credential (required).
    pub fn credential(mut self, credential: impl Into<Credential>) -> Self {
        self.credential = Some(credential.into());
        self
    }

    /// The cloud's endpoints (default: public).
    pub fn cloud(mut self, cloud: CloudConfig) -> Self {
        self.cloud = Some(cloud);
        self
    }

    /// The HTTP client to share.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// `X-Locale` (e.g. `en-US`).
    pub fn locale(mut self, locale: impl Into<String>) -> Self {
        self.locale = Some(locale.into());
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<PartnerCenter, Error> {
        let credential = self.credential.ok_or_else(|| {
            Error::Auth(AuthError::MissingCredentials {
                message: "no credential was given to PartnerCenter::builder()".to_owned(),
            })
        })?;
        let cloud = self.cloud.unwrap_or_else(|| Cloud::Public.config());
        let http = match self.http {
            Some(h) => h,
            None => partner_center_auth::default_http_client().map_err(Error::Auth)?,
        };
        let mut transport = Transport::with_parts(
            http,
            credential,
            self.policy.unwrap_or_default(),
            self.locale,
        );
        if let Some(limit) = self.rate_limit {
            transport = transport.with_rate_limit(limit);
        }
        #[cfg(feature = "fleet")]
        if let Some(fleet) = self.fleet {
            transport = transport.with_fleet(fleet);
        }
        let rest = ApiProfile::rest(&cloud.partner_center_api, &cloud.partner_center_resource)?;
        let ingestion = ApiProfile::ingestion(&cloud.ingestion_api, &cloud.ingestion_resource)?;
        let graph = ApiProfile::graph(&cloud.graph_api, &cloud.graph_resource)?;
        let product_ingestion =
            ApiProfile::product_ingestion(&cloud.graph_api, &cloud.graph_resource)?;
        Ok(PartnerCenter {
            rest: Api::new(transport.clone(), rest),
            ingestion: Api::new(transport.clone(), ingestion),
            graph: Api::new(transport.clone(), graph),
            product_ingestion: Api::new(transport.clone(), product_ingestion),
            transport,
        })
    }
}
