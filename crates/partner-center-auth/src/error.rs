//! The auth crate's errors: what failed, why, whether retrying can help, and a hint.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Everything that can go wrong while getting a token.
///
/// No variant ever holds a secret: not the client secret, the assertion, a refresh token
/// or an access token. Errors are `Clone` so the cache can remember a refusal.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// Configuration is invalid (a malformed URL, tenant or file); fix the input.
    #[error("{message}")]
    Config {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// No credentials were found, or some required part is missing.
    #[error("missing credentials: {message}")]
    MissingCredentials {
        /// Which part is missing and where it is looked for.
        message: String,
    },
    /// `http://` was given for a host that is not loopback.
    #[error(
        "refusing plain http:// to {url}: only loopback hosts (127.0.0.1, ::1, localhost) may use http; use https://"
    )]
    InsecureUrl {
        /// The offending URL.
        url: String,
    },
    /// The certificate or private key could not be loaded or used.
    #[error("client certificate: {message}")]
    Certificate {
        /// What failed and how to fix it.
        message: String,
    },
    /// The token endpoint refused the request (a 4xx with an OAuth error body).
    #[error("the token endpoint refused the request: {0}")]
    Refused(Box<TokenEndpointError>),
    /// The token endpoint is throttling (429) or failing (5xx); retry after the delay.
    #[error("the token endpoint is unavailable: {0}")]
    Unavailable(Box<TokenEndpointError>),
    /// The token endpoint could not be reached (DNS, connection, timeout, TLS).
    #[error("could not reach the token endpoint {endpoint}: {message}")]
    Connection {
        /// The endpoint (no query string, so no secret).
        endpoint: String,
        /// What failed: host, port and cause.
        message: String,
        /// The class of failure.
        failure: crate::NetworkFailure,
        /// The underlying error.
        #[source]
        source: Option<Arc<dyn std::error::Error + Send + Sync>>,
    },
    /// The token endpoint answered with something that is not a token response.
    #[error("unexpected answer from the token endpoint (HTTP {status}): {excerpt}")]
    InvalidResponse {
        /// The HTTP status.
        status: u16,
        /// A short excerpt of the body (token-like strings are never kept).
        excerpt: String,
    },
    /// A credential cannot work in this environment (no managed identity endpoint, no
    /// Azure CLI, no federated token file): a chain moves on to the next credential.
    #[error("{credential}: {message}")]
    CredentialUnavailable {
        /// Which credential.
        credential: &'static str,
        /// Why, and what would make it work.
        message: String,
    },
    /// Every credential of a chain failed; each attempt is listed.
    #[error("no credential in the chain produced a token:{}", attempts.iter().map(|(c, m)| format!("\n  {c}: {m}")).collect::<String>())]
    ChainFailed {
        /// Each credential tried, and why it failed.
        attempts: Vec<(String, String)>,
    },
    /// An interactive sign-in (`auth login`) did not complete: declined, timed out, or
    /// answered by something that was not this sign-in.
    #[error("the sign-in did not complete: {message}")]
    SignIn {
        /// What happened and what to do.
        message: String,
    },
    /// A static or externally supplied token is expired and cannot be refreshed.
    #[error("the token expired and this credential cannot refresh it; supply a new one")]
    Expired,
}

impl AuthError {
    pub(crate) fn config(message: impl Into<String>) -> Self {
        AuthError::Config {
            message: message.into(),
        }
    }

    pub(crate) fn missing(message: impl Into<String>) -> Self {
        AuthError::MissingCredentials {
            message: message.into(),
        }
    }

    pub(crate) fn unavailable(credential: &'static str, message: impl Into<String>) -> Self {
        AuthError::CredentialUnavailable {
            credential,
            message: message.into(),
        }
    }

    pub(crate) fn sign_in(message: impl Into<String>) -> Self {
        AuthError::SignIn {
            message: message.into(),
        }
    }

    pub(crate) fn certificate(message: impl Into<String>) -> Self {
        AuthError::Certificate {
            message: message.into(),
        }
    }

    /// A store of logins that cannot work here (no OS keyring): what a
    /// [`RefreshTokenStore`](crate::store::RefreshTokenStore) of your own answers so that
    /// [`PreferKeyring`](crate::store::PreferKeyring) falls back to its file.
    pub fn from_store_unavailable(message: impl Into<String>) -> Self {
        Self::unavailable("the OS keyring", message)
    }

    /// Whether trying again later may succeed (throttling, outages, network errors).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            AuthError::Unavailable(_) | AuthError::Connection { .. }
        )
    }

    /// Whether the error is a problem with the caller's input or configuration, not with
    /// authentication itself (the CLI maps these to its usage exit code).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            AuthError::Config { .. } | AuthError::InsecureUrl { .. }
        )
    }

    /// Whether the token endpoint answered with something that is not a token response
    /// (the CLI maps these to its decode exit code).
    pub fn is_decode(&self) -> bool {
        matches!(self, AuthError::InvalidResponse { .. })
    }

    /// The token endpoint's details, when it answered with an error body.
    pub fn endpoint_error(&self) -> Option<&TokenEndpointError> {
        match self {
            AuthError::Refused(e) | AuthError::Unavailable(e) => Some(e),
            _ => None,
        }
    }

    /// How long to wait before trying again, when the service said so.
    pub fn retry_after(&self) -> Option<Duration> {
        self.endpoint_error().and_then(|e| e.retry_after)
    }

    /// What to do next, for the common failures.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            AuthError::Refused(e) | AuthError::Unavailable(e) => e.hint(),
            AuthError::MissingCredentials { .. } => Some(
                "set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH), or choose a profile with --profile",
            ),
            AuthError::Connection { failure, .. } => Some(failure.hint()),
            AuthError::Expired => Some("acquire a fresh token and build the credential again"),
            AuthError::CredentialUnavailable { .. } | AuthError::ChainFailed { .. } => Some(
                "choose a credential that works here: a client secret or certificate (AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH), a stored login (`auth login`), workload identity (AZURE_FEDERATED_TOKEN_FILE), a managed identity on Azure, or `az login`",
            ),
            AuthError::SignIn { .. } => Some(
                "run `partner-center auth login` again; on a machine without a browser use `--device-code`",
            ),
            _ => None,
        }
    }
}

/// The details of a token endpoint's error answer (RFC 6749 §5.2 plus Entra ID's fields).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenEndpointError {
    /// HTTP status.
    pub status: u16,
    /// The OAuth error, e.g. `invalid_client`.
    pub error: String,
    /// The AADSTS codes, e.g. `[7000215]`.
    pub codes: Vec<u32>,
    /// The first line of `error_description` (the trace lines are in the fields below).
    pub description: String,
    /// Entra ID's trace id, for support tickets.
    pub trace_id: Option<String>,
    /// Entra ID's correlation id, for support tickets.
    pub correlation_id: Option<String>,
    /// The `Retry-After` the service sent, if any.
    pub retry_after: Option<Duration>,
}

impl TokenEndpointError {
    /// Whether this is a refusal of the client's own credentials (wrong or expired
    /// secret, unknown app, bad assertion): the kind the cache remembers briefly.
    pub fn is_client_refusal(&self) -> bool {
        self.error == "invalid_client" || self.error == "unauthorized_client"
    }

    /// A hint for the common AADSTS codes.
    pub fn hint(&self) -> Option<&'static str> {
        self.codes.iter().find_map(|code| hint_for(*code)).or(match self.status {
            429 => Some("the token endpoint is throttling: wait for the Retry-After delay and reduce parallel sign-ins"),
            500..=599 => Some("Entra ID is failing; retry later and check the Azure status page"),
            _ => None,
        })
    }
}

fn hint_for(code: u32) -> Option<&'static str> {
    Some(match code {
        7_000_215 => {
            "the client secret is wrong: use the secret's *Value*, not its Secret ID; integration-sandbox and primary accounts have different apps and secrets, so check you use the pair for this account"
        }
        7_000_222 => {
            "the client secret has expired: create a new secret for the app (Partner Center > App management, or Entra ID > App registrations) and update your configuration"
        }
        700_016 => {
            "the app was not found in this tenant: check AZURE_CLIENT_ID and AZURE_TENANT_ID; sandbox credentials only work against the integration sandbox tenant, primary credentials only against the primary account"
        }
        90_002 | 900_023 => {
            "the tenant was not found: check the tenant id or domain, and that you are signing in to the right cloud (PARTNER_CENTER_CLOUD: public, china, usgov)"
        }
        70_002 | 50_012 | 700_027 | 700_021 => {
            "the client assertion was rejected: check that this certificate is uploaded to the app registration and has not expired"
        }
        7_000_218 | 7_000_216 | 90_014 => {
            "the request had neither a client secret nor a client assertion: configure one"
        }
        700_024 => {
            "the client assertion is outside its valid time range: check this machine's clock"
        }
        70_008 | 700_082 => {
            "the refresh token has expired (Partner Center refresh tokens die after 90 days unused): run the secure-application-model consent again to get a new one"
        }
        50_076 | 50_079 => {
            "multi-factor authentication is required: redo the consent with an MFA-enabled account (Partner Center enforces MFA for App+User)"
        }
        65_001 => {
            "the app lacks consent in this tenant: grant admin consent, or pre-consent it through Partner Center"
        }
        90_099 => {
            "the app is not authorized in the customer tenant: pre-consent it through the Partner Center applicationconsents API"
        }
        70_011 | 700_022 | 700_023 | 50_001 | 901_002 => {
            "the resource or scope is wrong: Partner Center uses https://api.partnercenter.microsoft.com (/.default on v2)"
        }
        53_003 => {
            "Conditional Access blocked the sign-in: ask the tenant admin to exclude this app or satisfy the policy"
        }
        _ => return None,
    })
}

impl fmt::Display for TokenEndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}, {}", self.status, self.error)?;
        if !self.description.is_empty() {
            write!(f, ": {}", self.description)?;
        }
        if let Some(id) = &self.trace_id {
            write!(f, " (trace id {id}")?;
            if let Some(c) = &self.correlation_id {
                write!(f, ", correlation id {c}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}
