//! Profiles and settings. Precedence, lowest first: the cloud's defaults, the
//! environment (azure-identity's `AZURE_*` variables and `PARTNER_CENTER_*`), the chosen
//! profile of the config file, flags. **An explicit profile wins**: when one is chosen
//! (`--profile` or `PARTNER_CENTER_PROFILE`), its settings beat the environment, which
//! fills only what it leaves unset. [`Settings::sources`] says where each came from.
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
//! assert!(!err.to_string().contains("oops"));
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use partner_center_auth::limits::{MAX_CREDENTIAL_FILE_BYTES, read_file_capped};
use partner_center_auth::store::{FileStore, RefreshTokenStore};
use partner_center_auth::{
    Cloud, CloudConfig, Credential, CredentialKind, CredentialSpec, EndpointVersion, SecretRef,
    SecretString,
};
use serde::Deserialize;
use url::Url;

use crate::Error;

mod budget;
mod check;
use check::check_file;
#[cfg(test)]
use check::looks_like_secret;

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
    /// Microsoft Graph's base URL, without `/v1.0` (default: the cloud's).
    pub graph_url: Option<String>,
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
    /// Whether to send the certificate chain (`x5c`) with the assertion.
    pub send_certificate_chain: Option<bool>,
    /// `v1` or `v2` (default).
    pub endpoint: Option<String>,
    /// Which credential: `environment` (default), `default` (the chain),
    /// `workload-identity`, `managed-identity`, `azure-cli`.
    #[serde(default, deserialize_with = "credential_kind")]
    pub credential: Option<CredentialKind>,
    /// A user-assigned managed identity's client id (default: system-assigned).
    pub managed_identity_client_id: Option<String>,
    /// Where `auth login` keeps this profile's refresh token: `auto` (the OS keyring where
    /// there is one, else a private file), `keyring` or `file`.
    pub login_store: Option<String>,
    /// The client-side rate limit of the throttled operations, requests a minute per
    /// customer (default 500, the documented limit; 0: none).
    pub rate_limit_per_minute: Option<u32>,
}

/// A profile's `credential = "…"`, by name.
fn credential_kind<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<CredentialKind>, D::Error> {
    let name = String::deserialize(d)?;
    name.parse().map(Some).map_err(serde::de::Error::custom)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
    /// The fleet's Redis.
    #[serde(default)]
    fleet: Option<budget::Fleet>,
}

/// Fully resolved settings: the credential's description and the cloud's endpoints.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Settings {
    /// The profile used, if any.
    pub profile: Option<String>,
    /// The credential, as described by the profile and the environment.
    pub credential: CredentialSpec,
    /// The cloud's endpoints, with overrides applied.
    pub cloud: CloudConfig,
    /// Where the endpoint overrides came from.
    endpoint_origins: Vec<(&'static str, String)>,
    /// The client-side rate limit (`None`: none).
    pub rate_limit: Option<partner_center_transport::RateLimit>,
    /// The Redis a fleet of processes shares its rate budgets through (`[fleet]
    /// redis_url`, else `PARTNER_CENTER_REDIS_URL`; docs/fleet.md).
    pub redis_url: Option<SecretString>,
    /// The key tokens rest under in that Redis (tokens are shared only with one).
    pub fleet_token_key: Option<SecretString>,
}

fn usage(message: String) -> Error {
    Error::Config(message)
}

/// A variable's value through `env`; an empty one counts as unset.
fn non_empty(env: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    env(name).filter(|v| !v.trim().is_empty())
}

/// The config file's default path.
pub fn default_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let env = |k: &str| non_empty(env, k);
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
    /// `PARTNER_CENTER_PROFILE`), and the environment through `env` (an empty variable
    /// counts as unset).
    pub fn resolve(
        config_path: Option<&Path>,
        profile: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let get = |k: &str| non_empty(env, k);
        let profile_name = profile
            .map(str::to_owned)
            .or_else(|| get("PARTNER_CENTER_PROFILE"));
        let explicit = config_path
            .map(Path::to_path_buf)
            .or_else(|| get("PARTNER_CENTER_CONFIG").map(PathBuf::from));
        let path = explicit.clone().or_else(|| default_path(env));
        let text = match &path {
            Some(p) => match read_file_capped(p, MAX_CREDENTIAL_FILE_BYTES) {
                Ok(bytes) => Some(String::from_utf8(bytes).map_err(|_| {
                    usage(format!("the config file {} is not UTF-8 text", p.display()))
                })?),
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
            (Some(t), None) => {
                // Not used, but a plaintext secret in it is refused all the same.
                check_file(t, path.as_deref())?;
                None
            }
            (None, Some(name)) => {
                return Err(usage(format!(
                    "profile `{name}` was asked for, but there is no config file (looked at {}); create it or set PARTNER_CENTER_CONFIG",
                    path.map_or_else(
                        || "no path: set HOME or XDG_CONFIG_HOME".to_owned(),
                        |p| p.display().to_string()
                    )
                )));
            }
            (None, None) => None,
        };
        let file = text
            .as_deref()
            .map(|t| check_file(t, path.as_deref()))
            .transpose()?;
        Self::from_profile(profile_name, profile.unwrap_or_default(), env)?
            .with_fleet(file.and_then(|f| f.fleet), env)
    }

    /// The file's `[fleet]`, when it has one, over the environment's.
    fn with_fleet(
        mut self,
        fleet: Option<budget::Fleet>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        if fleet.is_some() {
            (self.redis_url, self.fleet_token_key) =
                budget::fleet(fleet.as_ref(), &|k| non_empty(env, k))?;
        }
        Ok(self)
    }

    /// Resolves settings from a config file's text (for tests and embedding).
    pub fn from_toml_str(
        text: &str,
        profile: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let p = parse_profile(text, profile, None)?;
        let fleet = check_file(text, None)?.fleet;
        Self::from_profile(Some(profile.to_owned()), p, env)?.with_fleet(fleet, env)
    }

    fn from_profile(
        name: Option<String>,
        p: Profile,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let get = |k: &str| non_empty(env, k);
        let env_spec = CredentialSpec::from_env(get).map_err(Error::Auth)?;
        let origin = format!("profile `{}`", name.as_deref().unwrap_or("-"));
        let mut credential = profile_spec(&p, &origin, &get)?.or(env_spec);
        if let Some(store) = login_store(&get, p.login_store.as_deref())? {
            credential = credential.with_refresh_token_store(store, "stored login");
        }
        let mut cloud = credential.cloud_or_default().config();
        if let Some(host) = credential.authority_host() {
            cloud.authority_host = host.clone();
        }
        let mut endpoint_origins = Vec::new();
        for (key, var, from_profile) in [
            ("api_url", "PARTNER_CENTER_API_URL", &p.api_url),
            (
                "ingestion_url",
                "PARTNER_CENTER_INGESTION_URL",
                &p.ingestion_url,
            ),
            ("graph_url", "PARTNER_CENTER_GRAPH_URL", &p.graph_url),
        ] {
            let chosen = match from_profile {
                Some(u) => Some((u.clone(), origin.clone())),
                None => get(var).map(|u| (u, var.to_owned())),
            };
            let Some((url, from)) = chosen else { continue };
            let bad = |e| usage(format!("{key} (from {from}): {e}"));
            cloud = match key {
                "api_url" => cloud.with_partner_center_api(&url).map_err(bad)?,
                "ingestion_url" => cloud.with_ingestion_api(&url).map_err(bad)?,
                _ => cloud.with_graph_api(&url).map_err(bad)?,
            };
            endpoint_origins.push((key, from));
        }
        let rate_limit = budget::rate_limit(p.rate_limit_per_minute, &get)?;
        let (redis_url, fleet_token_key) = budget::fleet(None, &get)?;
        let settings = Self {
            profile: name,
            credential,
            cloud,
            endpoint_origins,
            rate_limit,
            redis_url,
            fleet_token_key,
        };
        for (setting, source) in settings.sources() {
            tracing::info!(setting, source, "setting resolved");
        }
        Ok(settings)
    }

    /// Where each setting came from (`tenant` ← `profile `primary``, `client_id` ←
    /// `AZURE_CLIENT_ID`, …): names and sources, never values.
    pub fn sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.credential
            .origins()
            .chain(self.endpoint_origins.iter().map(|(k, v)| (*k, v.as_str())))
    }

    /// The credential these settings describe.
    pub fn credential(&self, http: reqwest::Client) -> Result<Credential, Error> {
        self.credential.build(Some(http), None).map_err(Error::Auth)
    }
}

/// Where `auth login` keeps refresh tokens: the profile's `login_store`, else
/// `PARTNER_CENTER_LOGIN_STORE`: `auto` (the default: the OS keyring where there is one,
/// else a private file), `keyring` or `file`.
fn login_store(
    get: &dyn Fn(&str) -> Option<String>,
    from_profile: Option<&str>,
) -> Result<Option<Arc<dyn RefreshTokenStore>>, Error> {
    let dir = FileStore::default_dir(get);
    let choice = from_profile
        .map(str::to_owned)
        .or_else(|| get("PARTNER_CENTER_LOGIN_STORE"))
        .map(|v| v.trim().to_ascii_lowercase());
    let files = || dir.clone().map(FileStore::new);
    Ok(match choice.as_deref() {
        Some("file") => files().map(|f| Arc::new(f) as Arc<dyn RefreshTokenStore>),
        #[cfg(feature = "keyring")]
        Some("keyring") => Some(Arc::new(partner_center_auth::store::KeyringStore)),
        #[cfg(feature = "keyring")]
        None | Some("auto") => Some(match files() {
            Some(f) => Arc::new(partner_center_auth::store::PreferKeyring::new(
                Arc::new(partner_center_auth::store::KeyringStore),
                f,
            )),
            None => Arc::new(partner_center_auth::store::KeyringStore),
        }),
        #[cfg(not(feature = "keyring"))]
        None | Some("auto") => files().map(|f| Arc::new(f) as Arc<dyn RefreshTokenStore>),
        Some(other) => {
            return Err(usage(format!(
                "login store `{other}` (the profile's login_store or PARTNER_CENTER_LOGIN_STORE): use auto, keyring or file{}",
                if cfg!(feature = "keyring") {
                    ""
                } else {
                    " (this build has no keyring support: only file)"
                }
            )));
        }
    })
}

/// A profile as a credential description; a variable it names must be set.
fn profile_spec(
    p: &Profile,
    origin: &str,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<CredentialSpec, Error> {
    let from_var = |var: &str, what: &str| -> Result<SecretRef, Error> {
        get(var).map(|v| SecretRef::Value(SecretString::from(v))).ok_or_else(|| {
            usage(format!(
                "the {origin} names ${var} for its {what}, but it is not set; export it, or change the profile"
            ))
        })
    };
    let mut spec = CredentialSpec::default();
    if let Some(v) = &p.tenant {
        spec = spec.with_tenant(v, origin);
    }
    if let Some(v) = &p.client_id {
        spec = spec.with_client_id(v, origin);
    }
    if let Some(v) = &p.cloud {
        let cloud: Cloud = v
            .parse()
            .map_err(|e| usage(format!("{origin}: cloud: {e}")))?;
        spec = spec.with_cloud(cloud, origin);
    }
    if let Some(v) = &p.authority_host {
        let url = partner_center_auth::parse_url(v)
            .map_err(|e| usage(format!("{origin}: authority_host: {e}")))?;
        spec = spec.with_authority_host(url, origin);
    }
    if let Some(var) = &p.client_secret_env {
        spec = spec.with_secret(
            from_var(var, "client secret")?,
            format!("{origin} (${var})"),
        );
    } else if let Some(file) = &p.client_secret_file {
        spec = spec.with_secret(SecretRef::File(file.clone()), origin);
    }
    if let Some(cert) = &p.certificate_path {
        spec = spec.with_certificate(cert.clone(), origin);
    }
    if let Some(var) = &p.certificate_password_env {
        spec = spec.with_certificate_password(from_var(var, "certificate password")?, origin);
    }
    if let Some(var) = &p.refresh_token_env {
        spec = spec.with_refresh_token(
            from_var(var, "refresh token")?,
            format!("{origin} (${var})"),
        );
    }
    if let Some(on) = p.send_certificate_chain {
        spec = spec.with_send_certificate_chain(on, origin);
    }
    if let Some(kind) = p.credential {
        spec = spec.with_kind(kind, origin);
    }
    if let Some(v) = &p.managed_identity_client_id {
        spec = spec.with_managed_identity_client_id(v, origin);
    }
    match p.endpoint.as_deref() {
        None => {}
        Some("v2") => spec = spec.with_endpoint(EndpointVersion::V2, origin),
        Some("v1") => spec = spec.with_endpoint(EndpointVersion::V1, origin),
        Some(_) => {
            return Err(usage(format!(
                "{origin}: `endpoint` must be \"v1\" or \"v2\""
            )));
        }
    }
    Ok(spec)
}

fn parse_profile(text: &str, name: &str, path: Option<&Path>) -> Result<Profile, Error> {
    let file = check_file(text, path)?;
    file.profiles.get(name).cloned().ok_or_else(|| {
        let known: Vec<_> = file.profiles.keys().cloned().collect();
        usage(format!(
            "{} has no profile `{name}` (profiles: {})",
            shown(path),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ))
    })
}

fn shown(path: Option<&Path>) -> String {
    path.map_or_else(|| "the config file".to_owned(), |p| p.display().to_string())
}

/// Parses a URL and checks the http-only-for-loopback rule.
pub fn checked_url(raw: &str) -> Result<Url, Error> {
    partner_center_auth::parse_url(raw).map_err(Error::Auth)
}

#[cfg(test)]
mod tests;
