//! One door from settings to a credential: a [`CredentialSpec`] describes a credential
//! (tenant, client, where its secret is, cloud, authority), from the environment or
//! from any other layer of configuration, overlays another one, and builds it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use secrecy::SecretString;
use url::Url;

#[cfg(feature = "certificate")]
use super::{CertificateOptions, ClientCertificateCredential};
use super::{
    ClientSecretCredential, Credential, CredentialKind, EndpointVersion, RefreshTokenCredential,
};
use crate::store::{LoginKey, RefreshTokenStore};
use crate::{AuthError, Cloud, TokenCache};

/// Where a secret is: its value (read from a variable), or a file to read when the
/// credential is built.
#[derive(Clone)]
#[non_exhaustive]
pub enum SecretRef {
    /// The secret itself.
    Value(SecretString),
    /// A file holding it (trailing line breaks dropped).
    File(PathBuf),
}

impl SecretRef {
    fn load(&self) -> Result<SecretString, AuthError> {
        match self {
            SecretRef::Value(s) => Ok(s.clone()),
            SecretRef::File(path) => crate::secret::from_file(path),
        }
    }
}

impl fmt::Debug for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretRef::Value(_) => f.write_str("Value([REDACTED])"),
            SecretRef::File(p) => f.debug_tuple("File").field(p).finish(),
        }
    }
}

/// A description of a credential, each part optional until [`build`](Self::build).
///
/// Layers of configuration become specs and are overlaid with [`or`](Self::or): the
/// left side wins, the right fills what it leaves unset. Each part remembers where it
/// came from ([`origins`](Self::origins)), for `-v` output; never a secret's value.
///
/// ```
/// use partner_center_auth::CredentialSpec;
/// let env = [("AZURE_TENANT_ID", "t"), ("AZURE_CLIENT_ID", "c"), ("AZURE_CLIENT_SECRET", "s")];
/// let spec = CredentialSpec::from_env(|name| {
///     env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
/// })
/// .unwrap();
/// let profile = CredentialSpec::default().with_tenant("contoso.onmicrosoft.com", "profile `primary`");
/// let merged = profile.or(spec);
/// assert_eq!(merged.tenant(), Some("contoso.onmicrosoft.com"));
/// assert_eq!(merged.origin("client_id"), Some("AZURE_CLIENT_ID"));
/// let credential = merged.build(None, None).unwrap();
/// assert!(!format!("{credential:?}").contains("\"s\""));
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct CredentialSpec {
    tenant: Option<String>,
    client_id: Option<String>,
    secret: Option<SecretRef>,
    certificate: Option<PathBuf>,
    certificate_password: Option<SecretRef>,
    send_certificate_chain: Option<bool>,
    refresh_token: Option<SecretRef>,
    cloud: Option<Cloud>,
    authority_host: Option<Url>,
    endpoint: Option<EndpointVersion>,
    /// Where a login (`auth login`) may have stored a refresh token: used when no other
    /// refresh token is given.
    store: Option<Arc<dyn RefreshTokenStore>>,
    /// Workload identity's token file.
    federated_token_file: Option<PathBuf>,
    /// What managed identity reads: `IDENTITY_ENDPOINT`, `IDENTITY_HEADER`,
    /// `AZURE_POD_IDENTITY_AUTHORITY_HOST`.
    managed: Option<ManagedEnv>,
    /// A user-assigned managed identity's client id.
    managed_identity_client_id: Option<String>,
    /// Which kind of credential to build.
    kind: Option<CredentialKind>,
    origins: BTreeMap<&'static str, String>,
    /// Variables azure-identity reads that this crate does not support, when set: named
    /// in the error if no supported credential is found.
    unsupported: Vec<&'static str>,
}

impl fmt::Debug for CredentialSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialSpec")
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("secret", &self.secret)
            .field("certificate", &self.certificate)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[REDACTED]"),
            )
            .field("cloud", &self.cloud)
            .field("authority_host", &self.authority_host)
            .finish_non_exhaustive()
    }
}

/// azure-identity variables this crate reads only to say it does not support them.
const UNSUPPORTED_VARIABLES: &[&str] = &["AZURE_USERNAME", "AZURE_PASSWORD"];

/// The managed identity endpoint's variables, as read.
#[derive(Clone, Default)]
struct ManagedEnv {
    endpoint: Option<String>,
    header: Option<SecretString>,
    imds_host: Option<String>,
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty => $field:ident;)+) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, value: $ty, origin: impl Into<String>) -> Self {
                self.$field = Some(value.into());
                self.origins.insert(stringify!($field), origin.into());
                self
            }
        )+
    };
}

impl CredentialSpec {
    setters! {
        /// The tenant (id or domain), and where it came from.
        with_tenant: &str => tenant;
        /// The application (client) id.
        with_client_id: &str => client_id;
        /// The client secret.
        with_secret: SecretRef => secret;
        /// A PEM or PKCS#12 certificate file, used when there is no client secret.
        with_certificate: PathBuf => certificate;
        /// The PKCS#12 password.
        with_certificate_password: SecretRef => certificate_password;
        /// Whether to send the certificate chain (`x5c`).
        with_send_certificate_chain: bool => send_certificate_chain;
        /// An App+User refresh token (the secure application model).
        with_refresh_token: SecretRef => refresh_token;
        /// The cloud (default public).
        with_cloud: Cloud => cloud;
        /// The authority host (default: the cloud's).
        with_authority_host: Url => authority_host;
        /// The token endpoint version (default v2).
        with_endpoint: EndpointVersion => endpoint;
        /// Workload identity's federated token file.
        with_federated_token_file: PathBuf => federated_token_file;
        /// A user-assigned managed identity's client id (default: system-assigned).
        with_managed_identity_client_id: &str => managed_identity_client_id;
        /// Which kind of credential to build (default: the environment's).
        with_kind: CredentialKind => kind;
    }

    /// Reads azure-identity's variables (and `PARTNER_CENTER_CLOUD`) through `lookup`;
    /// an empty variable counts as unset. Fails only on a malformed value.
    ///
    /// | variable | part |
    /// |---|---|
    /// | `AZURE_TENANT_ID` | tenant |
    /// | `AZURE_CLIENT_ID` | application id |
    /// | `AZURE_CLIENT_SECRET`, else `AZURE_CLIENT_SECRET_FILE` | client secret |
    /// | `AZURE_CLIENT_CERTIFICATE_PATH` | PEM or PKCS#12 file |
    /// | `AZURE_CLIENT_CERTIFICATE_PASSWORD` | its PKCS#12 password |
    /// | `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN` | `true`/`1` sends `x5c` |
    /// | `AZURE_AUTHORITY_HOST` | authority host |
    /// | `PARTNER_CENTER_CLOUD` | `public`, `china`, `usgov` |
    ///
    /// `AZURE_USERNAME`/`AZURE_PASSWORD` (username and password sign-in, which Partner
    /// Center's MFA requirement rules out) and `AZURE_FEDERATED_TOKEN_FILE` (workload
    /// identity) are not supported: when one is set and nothing supported is, the error
    /// names it.
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, AuthError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut spec = Self {
            unsupported: UNSUPPORTED_VARIABLES
                .iter()
                .copied()
                .filter(|name| get(name).is_some())
                .collect(),
            ..Self::default()
        };
        if let Some(v) = get("AZURE_TENANT_ID") {
            spec = spec.with_tenant(v.trim(), "AZURE_TENANT_ID");
        }
        if let Some(v) = get("AZURE_CLIENT_ID") {
            spec = spec.with_client_id(v.trim(), "AZURE_CLIENT_ID");
        }
        if let Some(v) = get("AZURE_CLIENT_SECRET") {
            spec = spec.with_secret(SecretRef::Value(v.into()), "AZURE_CLIENT_SECRET");
        } else if let Some(v) = get("AZURE_CLIENT_SECRET_FILE") {
            spec = spec.with_secret(SecretRef::File(v.into()), "AZURE_CLIENT_SECRET_FILE");
        }
        if let Some(v) = get("AZURE_CLIENT_CERTIFICATE_PATH") {
            spec = spec.with_certificate(v.into(), "AZURE_CLIENT_CERTIFICATE_PATH");
        }
        if let Some(v) = get("AZURE_CLIENT_CERTIFICATE_PASSWORD") {
            spec = spec.with_certificate_password(
                SecretRef::Value(v.into()),
                "AZURE_CLIENT_CERTIFICATE_PASSWORD",
            );
        }
        if let Some(v) = get("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN") {
            let on = matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true");
            spec = spec.with_send_certificate_chain(on, "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN");
        }
        if let Some(v) = get("AZURE_FEDERATED_TOKEN_FILE") {
            spec = spec.with_federated_token_file(v.into(), "AZURE_FEDERATED_TOKEN_FILE");
        }
        let managed = ManagedEnv {
            endpoint: get("IDENTITY_ENDPOINT"),
            header: get("IDENTITY_HEADER").map(SecretString::from),
            imds_host: get("AZURE_POD_IDENTITY_AUTHORITY_HOST"),
        };
        if managed.endpoint.is_some() || managed.imds_host.is_some() {
            spec.origins
                .insert("managed_identity", "IDENTITY_ENDPOINT".to_owned());
        }
        spec.managed = Some(managed);
        if let Some(v) = get("PARTNER_CENTER_MANAGED_IDENTITY_CLIENT_ID") {
            spec = spec.with_managed_identity_client_id(
                v.trim(),
                "PARTNER_CENTER_MANAGED_IDENTITY_CLIENT_ID",
            );
        }
        if let Some(v) = get("PARTNER_CENTER_CREDENTIAL") {
            let kind = v
                .parse()
                .map_err(|e| AuthError::config(format!("PARTNER_CENTER_CREDENTIAL: {e}")))?;
            spec = spec.with_kind(kind, "PARTNER_CENTER_CREDENTIAL");
        }
        if let Some(v) = get("PARTNER_CENTER_CLOUD") {
            let cloud = v
                .trim()
                .parse()
                .map_err(|e| AuthError::config(format!("PARTNER_CENTER_CLOUD: {e}")))?;
            spec = spec.with_cloud(cloud, "PARTNER_CENTER_CLOUD");
        }
        if let Some(v) = get("AZURE_AUTHORITY_HOST") {
            let url = crate::parse_url(&v)
                .map_err(|e| AuthError::config(format!("AZURE_AUTHORITY_HOST: {e}")))?;
            spec = spec.with_authority_host(url, "AZURE_AUTHORITY_HOST");
        }
        Ok(spec)
    }

    /// This spec, with every part it leaves unset taken from `other`.
    ///
    /// The client's secret, certificate and refresh token travel as one: when this
    /// spec names any of them, none of `other`'s is taken, so a profile's certificate is
    /// never paired with a secret from the environment.
    pub fn or(mut self, other: CredentialSpec) -> CredentialSpec {
        let has_own_secret = self.secret.is_some()
            || self.certificate.is_some()
            || self.refresh_token.is_some()
            || self.federated_token_file.is_some();
        macro_rules! fill {
            ($($field:ident),+) => {$(
                if self.$field.is_none() && other.$field.is_some() {
                    self.$field = other.$field.clone();
                    if let Some(o) = other.origins.get(stringify!($field)) {
                        self.origins.insert(stringify!($field), o.clone());
                    }
                }
            )+};
        }
        fill!(
            tenant,
            client_id,
            cloud,
            authority_host,
            endpoint,
            send_certificate_chain,
            store,
            managed_identity_client_id,
            kind
        );
        if self.managed.is_none() {
            self.managed = other.managed.clone();
        }
        if !has_own_secret {
            fill!(
                secret,
                certificate,
                certificate_password,
                refresh_token,
                federated_token_file
            );
        }
        for name in other.unsupported {
            if !self.unsupported.contains(&name) {
                self.unsupported.push(name);
            }
        }
        self
    }

    /// Where a stored login is looked for when no refresh token is given (what
    /// `partner-center auth login` saved).
    pub fn with_refresh_token_store(
        mut self,
        store: Arc<dyn RefreshTokenStore>,
        origin: impl Into<String>,
    ) -> Self {
        self.store = Some(store);
        self.origins.insert("refresh_token_store", origin.into());
        self
    }

    /// The store and key of this spec's login, when it has a store, a tenant and a
    /// client id.
    pub fn login(&self) -> Option<(Arc<dyn RefreshTokenStore>, LoginKey)> {
        let store = self.store.clone()?;
        let host = self
            .authority_host
            .clone()
            .unwrap_or_else(|| self.cloud_or_default().config().authority_host);
        Some((
            store,
            LoginKey::new(&host, self.tenant.as_deref()?, self.client_id.as_deref()?),
        ))
    }

    /// The client secret, read from where it is (a variable's value or a file), if set.
    pub fn load_client_secret(&self) -> Result<Option<SecretString>, AuthError> {
        self.secret.as_ref().map(SecretRef::load).transpose()
    }

    /// The tenant, if set.
    pub fn tenant(&self) -> Option<&str> {
        self.tenant.as_deref()
    }

    /// The client id, if set.
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }

    /// `tenant:client id` when this is an application's own credential (a secret or a
    /// certificate, no user's refresh token, no other kind): the identity whose tokens
    /// a fleet may share. `None` for App+User and for credentials with no such name.
    pub fn app_identity(&self) -> Option<String> {
        let app_only = (self.secret.is_some() || self.certificate.is_some())
            && self.refresh_token.is_none()
            && self.kind.is_none_or(|k| k == CredentialKind::Environment);
        let (tenant, client) = (self.tenant.as_deref()?, self.client_id.as_deref()?);
        app_only.then(|| format!("{tenant}:{client}"))
    }

    /// The authority host, if set.
    pub fn authority_host(&self) -> Option<&Url> {
        self.authority_host.as_ref()
    }

    /// The cloud (public when unset).
    pub fn cloud_or_default(&self) -> Cloud {
        self.cloud.unwrap_or_default()
    }

    /// Where a part came from (`"AZURE_TENANT_ID"`, `"profile `primary`"`), by the
    /// part's name: `tenant`, `client_id`, `secret`, `certificate`, `refresh_token`,
    /// `cloud`, `authority_host`, ….
    pub fn origin(&self, part: &str) -> Option<&str> {
        self.origins.get(part).map(String::as_str)
    }

    /// Every part that is set, with where it came from (never a value).
    pub fn origins(&self) -> impl Iterator<Item = (&str, &str)> {
        self.origins.iter().map(|(k, v)| (*k, v.as_str()))
    }

    /// Builds the credential of the spec's kind ([`with_kind`](Self::with_kind)). By
    /// default: a refresh token makes a [`RefreshTokenCredential`] (with the client
    /// secret, if any), else a stored login one too, else a client secret a
    /// [`ClientSecretCredential`], else a certificate a [`ClientCertificateCredential`],
    /// else a federated token file a [`WorkloadIdentityCredential`]. `http` and `cache`
    /// are shared when given.
    pub fn build(
        &self,
        http: Option<reqwest::Client>,
        cache: Option<Arc<TokenCache>>,
    ) -> Result<Credential, AuthError> {
        match self.kind.unwrap_or(CredentialKind::Environment) {
            CredentialKind::Environment => {
                match self.build_environment(http.clone(), cache.clone()) {
                    Err(AuthError::MissingCredentials { .. })
                        if self.federated_token_file.is_some() =>
                    {
                        self.build_workload(http, cache)
                    }
                    built => built,
                }
            }
            CredentialKind::Default => Ok(Credential::new(crate::DefaultCredential::from_spec(
                self, http, cache,
            ))),
            CredentialKind::WorkloadIdentity => self.build_workload(http, cache),
            CredentialKind::ManagedIdentity => {
                let mut m = self.managed_identity()?;
                if let Some(cache) = cache {
                    m = m.with_cache(cache);
                }
                if let Some(http) = http {
                    m = m.with_http_client(http);
                }
                Ok(Credential::new(m))
            }
            CredentialKind::AzureCli => self.build_azure_cli(),
        }
    }

    /// The Azure CLI's account, in the spec's tenant when it names one.
    pub(crate) fn build_azure_cli(&self) -> Result<Credential, AuthError> {
        let c = crate::AzureCliCredential::new()?;
        Ok(Credential::new(match self.tenant() {
            Some(t) => c.with_tenant(t)?,
            None => c,
        }))
    }

    /// The managed identity credential these settings describe (system-assigned unless a
    /// user-assigned client id is given).
    pub fn managed_identity(&self) -> Result<crate::ManagedIdentityCredential, AuthError> {
        let env = self.managed.clone().unwrap_or_default();
        let id = self.managed_identity_client_id.clone().map_or(
            crate::ManagedIdentityId::SystemAssigned,
            crate::ManagedIdentityId::ClientId,
        );
        let app_service = env.endpoint.zip(env.header);
        crate::ManagedIdentityCredential::from_parts(app_service, env.imds_host, id)
    }

    /// Workload identity from the federated token file, tenant and client id.
    pub(crate) fn build_workload(
        &self,
        http: Option<reqwest::Client>,
        cache: Option<Arc<TokenCache>>,
    ) -> Result<Credential, AuthError> {
        let Some(file) = &self.federated_token_file else {
            return Err(AuthError::unavailable(
                "WorkloadIdentityCredential",
                "AZURE_FEDERATED_TOKEN_FILE is not set (workload identity is not enabled here)",
            ));
        };
        let (Some(tenant), Some(client_id)) = (self.tenant.as_deref(), self.client_id.as_deref())
        else {
            return Err(AuthError::missing(
                "workload identity needs AZURE_TENANT_ID and AZURE_CLIENT_ID beside AZURE_FEDERATED_TOKEN_FILE",
            ));
        };
        let host = self
            .authority_host
            .clone()
            .unwrap_or_else(|| self.cloud_or_default().config().authority_host);
        let mut c = crate::WorkloadIdentityCredential::new(tenant, client_id, file.clone())?
            .with_authority_host(host)?
            .with_endpoint_version(self.endpoint.unwrap_or_default());
        if let Some(cache) = cache {
            c = c.with_cache(cache);
        }
        if let Some(http) = http {
            c = c.with_http_client(http);
        }
        Ok(Credential::new(c))
    }

    /// The environment's credential: a refresh token, a stored login, a client secret or
    /// a certificate.
    pub(crate) fn build_environment(
        &self,
        http: Option<reqwest::Client>,
        cache: Option<Arc<TokenCache>>,
    ) -> Result<Credential, AuthError> {
        let missing = |what: &str| AuthError::missing(format!("{what} is not set"));
        let tenant = self
            .tenant
            .as_deref()
            .ok_or_else(|| missing("the tenant (AZURE_TENANT_ID, or `tenant` in the profile)"))?;
        let client_id = self.client_id.as_deref().ok_or_else(|| {
            missing("the client id (AZURE_CLIENT_ID, or `client_id` in the profile)")
        })?;
        let host = self
            .authority_host
            .clone()
            .unwrap_or_else(|| self.cloud_or_default().config().authority_host);
        let version = self.endpoint.unwrap_or_default();
        let cache = cache.unwrap_or_else(|| Arc::new(TokenCache::new()));
        macro_rules! finish {
            ($c:expr) => {{
                let mut c = $c
                    .with_authority_host(host)?
                    .with_cache(cache)
                    .with_endpoint_version(version);
                if let Some(http) = http {
                    c = c.with_http_client(http);
                }
                Ok(Credential::new(c))
            }};
        }
        let secret = self.secret.as_ref().map(SecretRef::load).transpose()?;
        if let Some(rt) = &self.refresh_token {
            return finish!(RefreshTokenCredential::new(
                tenant,
                client_id,
                secret,
                rt.load()?
            )?);
        }
        if let Some((store, key)) = self.login() {
            // A store that cannot work here (no OS keyring) holds no login.
            let stored = match store.load(&key) {
                Err(AuthError::CredentialUnavailable { message, .. }) => {
                    tracing::debug!(%message, "no stored login: the store is unavailable");
                    None
                }
                other => other?,
            };
            if let Some(login) = stored {
                return finish!(
                    RefreshTokenCredential::new(tenant, client_id, secret, login.refresh_token)?
                        .with_store(store, key, login.user)
                );
            }
        }
        if let Some(secret) = secret {
            return finish!(ClientSecretCredential::new(tenant, client_id, secret)?);
        }
        if let Some(path) = &self.certificate {
            #[cfg(feature = "certificate")]
            {
                let password = self
                    .certificate_password
                    .as_ref()
                    .map(SecretRef::load)
                    .transpose()?;
                let options = CertificateOptions {
                    send_chain: self.send_certificate_chain.unwrap_or(false),
                    ..CertificateOptions::default()
                };
                return finish!(
                    ClientCertificateCredential::from_file(
                        tenant,
                        client_id,
                        path,
                        password.as_ref()
                    )?
                    .with_options(options)
                );
            }
            #[cfg(not(feature = "certificate"))]
            return Err(AuthError::certificate(format!(
                "a certificate is configured ({}), but partner-center-auth was built without its `certificate` feature; enable it, or use a client secret",
                path.display()
            )));
        }
        let mut message = "no client secret, certificate or stored login: set AZURE_CLIENT_SECRET (or AZURE_CLIENT_SECRET_FILE) or AZURE_CLIENT_CERTIFICATE_PATH, or the profile's client_secret_env / client_secret_file / certificate_path, or sign in with `partner-center auth login`, or choose another credential (`--credential default`)".to_owned();
        if !self.unsupported.is_empty() {
            message.push_str(&format!(
                " ({} is set, but username/password sign-in is not supported: Partner Center requires MFA; for App+User use `auth login`, the secure application model)",
                self.unsupported.join(", ")
            ));
        }
        Err(AuthError::missing(message))
    }
}
