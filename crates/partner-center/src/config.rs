//! Profiles and settings: built-in defaults < config file < environment < flags.
//!
//! The config file (`$PARTNER_CENTER_CONFIG`, else `$XDG_CONFIG_HOME/partner-center/config.toml`,
//! else `~/.config/partner-center/config.toml`) holds named profiles with a **reference**
//! to each secret, never the secret:
//!
//! ```toml
//! [profiles.sandbox]
//! tenant = "contoso-sandbox.onmicrosoft.com"
//! client_id = "00000000-0000-0000-0000-000000000001"
//! client_secret_env = "PC_SANDBOX_SECRET"
//!
//! [profiles.primary]
//! tenant = "contoso.onmicrosoft.com"
//! client_id = "00000000-0000-0000-0000-000000000002"
//! certificate_path = "/etc/pc/primary.pfx"
//! certificate_password_env = "PC_PRIMARY_PFX_PASSWORD"
//! cloud = "public"
//! ```
//!
//! ```
//! use partner_center::config::Settings;
//! let err = Settings::from_toml_str("[profiles.x]\ntenant = \"t\"\nclient_id = \"c\"\nclient_secret = \"oops\"\n", "x", &|_| None).unwrap_err();
//! assert!(err.to_string().contains("client_secret_env"));
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use partner_center_auth::{
    AuthError, ClientCertificateCredential, ClientSecretCredential, Cloud, CloudConfig,
    EndpointVersion, RefreshTokenCredential, SecretString, TokenCredential,
};
use serde::Deserialize;
use url::Url;

use crate::Error;

/// One profile of the config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Profile {
    /// Tenant id or domain.
    pub tenant: Option<String>,
    /// Application (client) id.
    pub client_id: Option<String>,
    /// `public`, `china` or `usgov`.
    pub cloud: Option<String>,
    /// Authority host override.
    pub authority_host: Option<String>,
    /// REST API base override.
    pub api_url: Option<String>,
    /// Submission API base override.
    pub ingestion_url: Option<String>,
    /// The environment variable holding the client secret.
    pub client_secret_env: Option<String>,
    /// A file holding the client secret.
    pub client_secret_file: Option<PathBuf>,
    /// A PEM or PKCS#12 certificate.
    pub certificate_path: Option<PathBuf>,
    /// The environment variable holding the PKCS#12 password.
    pub certificate_password_env: Option<String>,
    /// The environment variable holding an App+User refresh token.
    pub refresh_token_env: Option<String>,
    /// `v1` or `v2` (default).
    pub endpoint: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

const PLAINTEXT_KEYS: [&str; 7] = [
    "client_secret",
    "secret",
    "password",
    "refresh_token",
    "certificate_password",
    "access_token",
    "token",
];

/// Where the secret comes from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum SecretSource {
    /// A client secret.
    ClientSecret(SecretString),
    /// A certificate file, with its PKCS#12 password.
    Certificate(PathBuf, Option<SecretString>),
}

/// Fully resolved settings.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Settings {
    /// The profile used, if any.
    pub profile: Option<String>,
    /// Tenant.
    pub tenant: Option<String>,
    /// Client id.
    pub client_id: Option<String>,
    /// The cloud's endpoints, with overrides applied.
    pub cloud: CloudConfig,
    /// The client's secret or certificate.
    pub secret: Option<SecretSource>,
    /// An App+User refresh token.
    pub refresh_token: Option<SecretString>,
    /// Token endpoint version.
    pub endpoint: EndpointVersion,
}

fn usage(message: String) -> Error {
    Error::Config(message)
}

/// The config file's default path.
pub fn default_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(p) = env("PARTNER_CENTER_CONFIG") {
        return Some(PathBuf::from(p));
    }
    let base = env("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".config")))?;
    Some(base.join("partner-center").join("config.toml"))
}

impl Settings {
    /// Resolves settings: the config file (`config_path`, else the default path; a
    /// missing default file is fine), the profile (`profile`, else
    /// `PARTNER_CENTER_PROFILE`), then the environment through `env`.
    pub fn resolve(
        config_path: Option<&Path>,
        profile: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let profile_name = profile
            .map(str::to_owned)
            .or_else(|| env("PARTNER_CENTER_PROFILE"));
        let explicit = config_path
            .map(Path::to_path_buf)
            .or_else(|| env("PARTNER_CENTER_CONFIG").map(PathBuf::from));
        let path = explicit.clone().or_else(|| default_path(env));
        let text = match &path {
            Some(p) => match std::fs::read_to_string(p) {
                Ok(t) => Some(t),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => None,
                Err(e) => {
                    return Err(usage(format!(
                        "cannot read the config file {}: {e}",
                        p.display()
                    )));
                }
            },
            None => None,
        };
        let profile = match (&text, &profile_name) {
            (Some(t), Some(name)) => Some(parse_profile(t, name, path.as_deref())?),
            (None, Some(name)) => {
                return Err(usage(format!(
                    "profile `{name}` was asked for, but there is no config file (looked at {}); create it or set PARTNER_CENTER_CONFIG",
                    path.map_or_else(
                        || "no path: set HOME or XDG_CONFIG_HOME".to_owned(),
                        |p| p.display().to_string()
                    )
                )));
            }
            _ => None,
        };
        Self::from_profile(profile_name, profile.unwrap_or_default(), env)
    }

    /// Resolves settings from a config file's text (for tests and embedding).
    pub fn from_toml_str(
        text: &str,
        profile: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let p = parse_profile(text, profile, None)?;
        Self::from_profile(Some(profile.to_owned()), p, env)
    }

    fn from_profile(
        name: Option<String>,
        p: Profile,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let get = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        let cloud_name = get("PARTNER_CENTER_CLOUD").or(p.cloud.clone());
        let cloud: Cloud = match cloud_name {
            Some(c) => c.parse().map_err(Error::Auth)?,
            None => Cloud::Public,
        };
        let mut config = cloud.config();
        if let Some(h) = get("AZURE_AUTHORITY_HOST").or(p.authority_host.clone()) {
            config = config.with_authority_host(&h).map_err(Error::Auth)?;
        }
        if let Some(u) = get("PARTNER_CENTER_API_URL").or(p.api_url.clone()) {
            config = config.with_partner_center_api(&u).map_err(Error::Auth)?;
        }
        if let Some(u) = get("PARTNER_CENTER_INGESTION_URL").or(p.ingestion_url.clone()) {
            config = config.with_ingestion_api(&u).map_err(Error::Auth)?;
        }
        let secret_from_env = |var: &str| -> Result<SecretString, Error> {
            get(var).map(SecretString::from).ok_or_else(|| {
                Error::Auth(AuthError::MissingCredentials {
                    message: format!("the profile names ${var} for its secret, but it is not set"),
                })
            })
        };
        let secret = if let Some(s) = get("AZURE_CLIENT_SECRET") {
            Some(SecretSource::ClientSecret(SecretString::from(s)))
        } else if let Some(path) = get("AZURE_CLIENT_CERTIFICATE_PATH") {
            Some(SecretSource::Certificate(
                PathBuf::from(path),
                get("AZURE_CLIENT_CERTIFICATE_PASSWORD").map(SecretString::from),
            ))
        } else if let Some(var) = &p.client_secret_env {
            Some(SecretSource::ClientSecret(secret_from_env(var)?))
        } else if let Some(file) = &p.client_secret_file {
            Some(SecretSource::ClientSecret(
                partner_center_auth::secret::from_file(file).map_err(Error::Auth)?,
            ))
        } else if let Some(cert) = &p.certificate_path {
            let password = p
                .certificate_password_env
                .as_deref()
                .map(secret_from_env)
                .transpose()?;
            Some(SecretSource::Certificate(cert.clone(), password))
        } else {
            None
        };
        let refresh_token = p
            .refresh_token_env
            .as_deref()
            .map(secret_from_env)
            .transpose()?;
        let endpoint = match p.endpoint.as_deref() {
            None | Some("v2") => EndpointVersion::V2,
            Some("v1") => EndpointVersion::V1,
            Some(other) => {
                return Err(usage(format!(
                    "endpoint = \"{other}\" is not valid; use \"v1\" or \"v2\""
                )));
            }
        };
        Ok(Self {
            profile: name,
            tenant: get("AZURE_TENANT_ID").or(p.tenant),
            client_id: get("AZURE_CLIENT_ID").or(p.client_id),
            cloud: config,
            secret,
            refresh_token,
            endpoint,
        })
    }

    /// The credential these settings describe.
    pub fn credential(&self, http: reqwest::Client) -> Result<Arc<dyn TokenCredential>, Error> {
        let missing = |what: &str| {
            let via = self
                .profile
                .as_ref()
                .map_or_else(String::new, |p| format!(" (profile `{p}`)"));
            Error::Auth(AuthError::MissingCredentials {
                message: format!("{what} is not set{via}"),
            })
        };
        let tenant = self
            .tenant
            .as_deref()
            .ok_or_else(|| missing("the tenant (AZURE_TENANT_ID or `tenant`)"))?;
        let client_id = self
            .client_id
            .as_deref()
            .ok_or_else(|| missing("the client id (AZURE_CLIENT_ID or `client_id`)"))?;
        let host = self.cloud.authority_host.clone();
        if let Some(rt) = &self.refresh_token {
            let secret = match &self.secret {
                Some(SecretSource::ClientSecret(s)) => Some(s.clone()),
                _ => None,
            };
            let c = RefreshTokenCredential::new(tenant, client_id, secret, rt.clone())
                .and_then(|c| c.with_authority_host(host))
                .map_err(Error::Auth)?
                .with_http_client(http)
                .with_endpoint_version(self.endpoint);
            return Ok(Arc::new(c));
        }
        match &self.secret {
            Some(SecretSource::ClientSecret(s)) => {
                let c = ClientSecretCredential::new(tenant, client_id, s.clone())
                    .and_then(|c| c.with_authority_host(host))
                    .map_err(Error::Auth)?
                    .with_http_client(http)
                    .with_endpoint_version(self.endpoint);
                Ok(Arc::new(c))
            }
            Some(SecretSource::Certificate(path, password)) => {
                let c = ClientCertificateCredential::from_file(
                    tenant,
                    client_id,
                    path,
                    password.as_ref(),
                )
                .and_then(|c| c.with_authority_host(host))
                .map_err(Error::Auth)?
                .with_http_client(http)
                .with_endpoint_version(self.endpoint);
                Ok(Arc::new(c))
            }
            None => Err(missing(
                "no client secret or certificate (AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, or the profile's client_secret_env / client_secret_file / certificate_path)",
            )),
        }
    }
}

fn parse_profile(text: &str, name: &str, path: Option<&Path>) -> Result<Profile, Error> {
    let at = path.map_or_else(|| "the config file".to_owned(), |p| p.display().to_string());
    let value: toml::Table = text
        .parse()
        .map_err(|e| usage(format!("{at} is not valid TOML: {e}")))?;
    if let Some(profiles) = value.get("profiles").and_then(toml::Value::as_table) {
        for (pname, p) in profiles {
            if let Some(table) = p.as_table() {
                if let Some(key) = PLAINTEXT_KEYS.iter().find(|k| table.contains_key(**k)) {
                    return Err(usage(format!(
                        "{at}: profile `{pname}` holds a plaintext `{key}`; secrets never go in the config file. \
                         Move it to an environment variable and write `client_secret_env = \"NAME\"`, \
                         or to a file readable only by you and write `client_secret_file = \"PATH\"`"
                    )));
                }
            }
        }
    }
    let file: File = toml::from_str(text).map_err(|e| usage(format!("{at}: {e}")))?;
    file.profiles.get(name).cloned().ok_or_else(|| {
        let known: Vec<_> = file.profiles.keys().cloned().collect();
        usage(format!(
            "{at} has no profile `{name}` (profiles: {})",
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ))
    })
}

/// Parses a URL and checks the http-only-for-loopback rule.
pub fn checked_url(raw: &str) -> Result<Url, Error> {
    let url = Url::parse(raw).map_err(|e| usage(format!("`{raw}` is not a URL: {e}")))?;
    partner_center_auth::check_url_allowed(&url).map_err(Error::Auth)?;
    Ok(url)
}
