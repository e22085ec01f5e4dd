//! Clouds and authorities as data: the same code runs against the public cloud,
//! 21Vianet (China), US Government, or custom endpoints (the emulator, a proxy).

use std::net::IpAddr;
use std::str::FromStr;

use url::Url;

use crate::AuthError;

/// The endpoints of one cloud. Every field is data; nothing branches on the cloud's name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CloudConfig {
    /// The Entra ID authority host, e.g. `https://login.microsoftonline.com`.
    pub authority_host: Url,
    /// The token resource of the Partner Center REST API.
    pub partner_center_resource: String,
    /// The base URL of the REST API (without `/v1`).
    pub partner_center_api: Url,
    /// The token resource of the submission (ingestion) API.
    pub ingestion_resource: String,
    /// The base URL of the submission API (without `/v1.0/ingestion`).
    pub ingestion_api: Url,
    /// The token resource of Microsoft Graph.
    pub graph_resource: String,
    /// The base URL of Microsoft Graph (without `/v1.0`).
    pub graph_api: Url,
}

impl CloudConfig {
    /// A custom cloud: an authority host and API base URLs, with the public cloud's token
    /// resources (what a proxy or the emulator expects); set the `*_resource` fields to
    /// change them. `http://` is refused unless the host is loopback.
    ///
    /// ```
    /// use partner_center_auth::CloudConfig;
    /// let emulator = CloudConfig::custom("http://127.0.0.1:8080", "http://127.0.0.1:8080", "http://127.0.0.1:8080").unwrap();
    /// assert_eq!(emulator.authority_host.as_str(), "http://127.0.0.1:8080/");
    /// assert_eq!(emulator.partner_center_resource, "https://api.partnercenter.microsoft.com");
    /// assert!(CloudConfig::custom("http://login.example.com", "https://a", "https://b").is_err());
    /// ```
    pub fn custom(authority_host: &str, api: &str, ingestion_api: &str) -> Result<Self, AuthError> {
        Cloud::Public
            .config()
            .with_authority_host(authority_host)?
            .with_partner_center_api(api)?
            .with_ingestion_api(ingestion_api)
    }

    /// Replaces the authority host (e.g. from `AZURE_AUTHORITY_HOST`).
    pub fn with_authority_host(mut self, host: &str) -> Result<Self, AuthError> {
        self.authority_host = parse_url(host)?;
        Ok(self)
    }

    /// Replaces the REST API base URL; the resource is left as it is, since the same
    /// token audience is valid behind a proxy or an emulator.
    pub fn with_partner_center_api(mut self, api: &str) -> Result<Self, AuthError> {
        self.partner_center_api = parse_url(api)?;
        Ok(self)
    }

    /// Replaces the submission API base URL.
    pub fn with_ingestion_api(mut self, api: &str) -> Result<Self, AuthError> {
        self.ingestion_api = parse_url(api)?;
        Ok(self)
    }

    /// Replaces the Microsoft Graph base URL (the resource is left as it is).
    pub fn with_graph_api(mut self, api: &str) -> Result<Self, AuthError> {
        self.graph_api = parse_url(api)?;
        Ok(self)
    }
}

/// Parses a URL given by a user (a variable, a profile, a flag) and checks it with
/// [`check_url_allowed`]. The error never quotes a password the text may carry.
///
/// ```
/// use partner_center_auth::parse_url;
/// assert!(parse_url("https://login.microsoftonline.com").is_ok());
/// let err = parse_url("http://user:hunter2@127.0.0.1:1").unwrap_err();
/// assert!(!err.to_string().contains("hunter2"));
/// ```
pub fn parse_url(raw: &str) -> Result<Url, AuthError> {
    let url = Url::parse(raw.trim()).map_err(|e| {
        AuthError::config(format!(
            "`{}` is not a valid URL ({e}); give a scheme and host such as https://login.microsoftonline.com",
            redact_url_text(raw)
        ))
    })?;
    check_url_allowed(&url)?;
    Ok(url)
}

/// A URL's text with any userinfo (`user:password@`) replaced by `***@`, for messages:
/// works on text that does not parse as a URL too.
///
/// ```
/// use partner_center_auth::redact_url_text;
/// assert_eq!(redact_url_text("http://u:p@h:1/x?y"), "http://***@h:1/x?y");
/// assert_eq!(redact_url_text("https://h/a@b"), "https://h/a@b");
/// ```
pub fn redact_url_text(raw: &str) -> String {
    let (scheme, rest) = match raw.find("://") {
        Some(i) => (&raw[..i + 3], &raw[i + 3..]),
        None => ("", raw),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}***{}", &rest[at..]),
        None => raw.to_owned(),
    }
}

/// The well-known clouds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Cloud {
    /// The public (global) cloud.
    #[default]
    Public,
    /// Azure China, operated by 21Vianet.
    China,
    /// Microsoft Cloud for US Government.
    UsGov,
}

impl Cloud {
    /// The endpoints of this cloud.
    pub fn config(self) -> CloudConfig {
        let (authority, api, api_resource, graph) = match self {
            Cloud::Public => (
                "https://login.microsoftonline.com",
                "https://api.partnercenter.microsoft.com",
                crate::PARTNER_CENTER_RESOURCE,
                crate::GRAPH_RESOURCE,
            ),
            Cloud::China => (
                "https://login.chinacloudapi.cn",
                "https://partner.partnercenterapi.microsoftonline.cn",
                "https://partner.partnercenterapi.microsoftonline.cn",
                "https://microsoftgraph.chinacloudapi.cn",
            ),
            Cloud::UsGov => (
                "https://login.microsoftonline.us",
                "https://api.partnercenter.microsoft.com",
                crate::PARTNER_CENTER_RESOURCE,
                "https://graph.microsoft.us",
            ),
        };
        CloudConfig {
            authority_host: static_url(authority),
            partner_center_resource: api_resource.to_owned(),
            partner_center_api: static_url(api),
            ingestion_resource: crate::INGESTION_RESOURCE.to_owned(),
            ingestion_api: static_url(crate::INGESTION_RESOURCE),
            graph_resource: graph.to_owned(),
            graph_api: static_url(graph),
        }
    }

    /// The name used in config files and `PARTNER_CENTER_CLOUD`.
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Public => "public",
            Cloud::China => "china",
            Cloud::UsGov => "usgov",
        }
    }
}

fn static_url(s: &str) -> Url {
    // The literals above are valid URLs; a failure here is a bug caught by the unit tests.
    Url::parse(s).unwrap_or_else(|_| unreachable!("invalid built-in URL {s}"))
}

impl FromStr for Cloud {
    type Err = AuthError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "public" | "azurecloud" | "global" => Ok(Cloud::Public),
            "china" | "azurechinacloud" | "21vianet" => Ok(Cloud::China),
            "usgov" | "azureusgovernment" | "usgovernment" => Ok(Cloud::UsGov),
            "germany" | "azuregermancloud" | "blackforest" => Err(AuthError::config(
                "Microsoft Cloud Germany closed on 2021-10-29 and its tenants moved to the public cloud: use `public` (PARTNER_CENTER_CLOUD=public, or cloud = \"public\" in the profile)",
            )),
            other => Err(AuthError::config(format!(
                "unknown cloud `{other}`; use one of: public, china, usgov"
            ))),
        }
    }
}

/// Where tokens come from: an authority host and a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Authority {
    host: Url,
    tenant: String,
}

impl Authority {
    /// An authority for `tenant` (a GUID or a domain such as `contoso.onmicrosoft.com`).
    ///
    /// ```
    /// use partner_center_auth::{Authority, Cloud};
    /// let a = Authority::new(Cloud::China.config().authority_host, "contoso.partner.onmschina.cn").unwrap();
    /// assert_eq!(a.token_endpoint_v2().as_str(), "https://login.chinacloudapi.cn/contoso.partner.onmschina.cn/oauth2/v2.0/token");
    /// ```
    pub fn new(host: Url, tenant: impl Into<String>) -> Result<Self, AuthError> {
        check_url_allowed(&host)?;
        let tenant = tenant.into();
        let valid = !tenant.is_empty()
            && tenant
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
        if !valid {
            return Err(AuthError::config(format!(
                "`{tenant}` is not a tenant id: give the tenant's GUID or its domain (e.g. contoso.onmicrosoft.com)"
            )));
        }
        Ok(Self { host, tenant })
    }

    /// The tenant.
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// The authority host.
    pub fn host(&self) -> &Url {
        &self.host
    }

    fn join(&self, tail: &str) -> Url {
        let mut url = self.host.clone();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base}/{}/{tail}", self.tenant));
        url
    }

    /// The v1 token endpoint (`/oauth2/token`, with `resource`).
    pub fn token_endpoint_v1(&self) -> Url {
        self.join("oauth2/token")
    }

    /// The v2 token endpoint (`/oauth2/v2.0/token`, with `scope`).
    pub fn token_endpoint_v2(&self) -> Url {
        self.join("oauth2/v2.0/token")
    }

    /// The v2 authorization endpoint (the browser's sign-in and consent).
    pub fn authorize_endpoint(&self) -> Url {
        self.join("oauth2/v2.0/authorize")
    }

    /// The v2 device code endpoint.
    pub fn device_code_endpoint(&self) -> Url {
        self.join("oauth2/v2.0/devicecode")
    }

    /// The v2 OpenID discovery document.
    pub fn openid_configuration(&self) -> Url {
        self.join("v2.0/.well-known/openid-configuration")
    }
}

/// Whether the URL's host is a loopback address (127.0.0.0/8, ::1) or `localhost`.
pub fn is_loopback_url(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// `https://` is always allowed; `http://` only for loopback hosts (the emulator, tests).
/// A URL with userinfo (`user:password@host`) is refused: credentials go in the
/// credential settings, never in a URL that ends up in messages and logs.
pub fn check_url_allowed(url: &Url) -> Result<(), AuthError> {
    if !url.username().is_empty() || url.password().is_some() {
        let mut shown = url.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        return Err(AuthError::config(format!(
            "the URL {shown} carries a user name or password (`user:password@`); remove it: credentials go in AZURE_CLIENT_SECRET or the profile's secret reference, never in a URL"
        )));
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback_url(url) => Ok(()),
        "http" => Err(AuthError::InsecureUrl {
            url: url.to_string(),
        }),
        other => Err(AuthError::config(format!(
            "unsupported URL scheme `{other}` in {url}; use https://"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_clouds_parse() {
        for cloud in [Cloud::Public, Cloud::China, Cloud::UsGov] {
            let c = cloud.config();
            assert_eq!(c.authority_host.scheme(), "https");
            assert_eq!(cloud.name().parse::<Cloud>().unwrap(), cloud);
        }
        assert_eq!(
            Cloud::China.config().partner_center_resource,
            "https://partner.partnercenterapi.microsoftonline.cn"
        );
    }

    #[test]
    fn loopback_rules() {
        for ok in [
            "http://127.0.0.1:1",
            "http://127.8.9.1",
            "http://[::1]:80",
            "http://localhost:5",
            "https://x.example",
        ] {
            assert!(check_url_allowed(&Url::parse(ok).unwrap()).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1",
            "http://login.microsoftonline.com",
            "ftp://127.0.0.1",
            "http://localhost.evil.com",
        ] {
            assert!(
                check_url_allowed(&Url::parse(bad).unwrap()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn authority_paths() {
        let a = Authority::new(Url::parse("http://127.0.0.1:9/").unwrap(), "t1").unwrap();
        assert_eq!(
            a.token_endpoint_v1().as_str(),
            "http://127.0.0.1:9/t1/oauth2/token"
        );
        assert!(Authority::new(Url::parse("https://h").unwrap(), "a/../b").is_err());
    }
}
