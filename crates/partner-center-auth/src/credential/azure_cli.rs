//! The Azure CLI's signed-in account: `az account get-access-token`, as azure-identity's
//! `AzureCliCredential` runs it (`--output json --resource R [--tenant T]`, a 10 s limit),
//! for developers' machines.

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use secrecy::SecretString;
use serde::Deserialize;
use tokio::io::AsyncReadExt as _;

use super::{ClientCore, resource_of};
use crate::{AccessToken, AuthError};

const NAME: &str = "AzureCliCredential";
/// The most read from `az`'s output and error streams.
const MAX_OUTPUT_BYTES: u64 = 64 * 1024;

/// Tokens from the Azure CLI's signed-in account (cached like every credential's).
///
/// ```no_run
/// use partner_center_auth::{AzureCliCredential, TokenCredential};
/// # async fn demo() -> Result<(), partner_center_auth::AuthError> {
/// let cred = AzureCliCredential::new()?;
/// let token = cred.get_token("https://api.partnercenter.microsoft.com", &Default::default()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct AzureCliCredential {
    core: ClientCore,
    program: PathBuf,
    tenant: Option<String>,
    timeout: Duration,
}

impl fmt::Debug for AzureCliCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureCliCredential")
            .field("program", &self.program)
            .field("tenant", &self.tenant)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct CliToken {
    #[serde(rename = "accessToken")]
    access_token: SecretString,
    /// Unix seconds (Azure CLI 2.54 and later).
    #[serde(default)]
    expires_on: Option<u64>,
}

impl AzureCliCredential {
    /// Runs `az` from `PATH`, for the CLI's default tenant.
    pub fn new() -> Result<Self, AuthError> {
        Ok(Self {
            core: ClientCore::new("azure-cli", "azure-cli")?,
            program: PathBuf::from("az"),
            tenant: None,
            timeout: Duration::from_secs(10),
        })
    }

    /// Asks for a token in `tenant` (`--tenant`).
    pub fn with_tenant(mut self, tenant: &str) -> Result<Self, AuthError> {
        check_arg(tenant, "tenant")?;
        self.tenant = Some(tenant.to_owned());
        Ok(self)
    }

    /// Runs this program instead of `az` from `PATH`.
    pub fn with_program(mut self, program: impl Into<PathBuf>) -> Self {
        self.program = program.into();
        self
    }

    /// How long `az` may take (default 10 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn fetch(&self, scope: &str) -> Result<AccessToken, AuthError> {
        let resource = resource_of(scope);
        check_arg(resource, "resource")?;
        let mut command = if cfg!(windows) && self.program.as_os_str() == "az" {
            // cmd looks in the working folder first: run it from the system's, as
            // azure-identity does, so a planted az.cmd is never picked.
            let mut c = tokio::process::Command::new("cmd");
            c.args(["/c", "az"]);
            if let Some(root) = std::env::var_os("SYSTEMROOT") {
                c.current_dir(root);
            }
            c
        } else {
            tokio::process::Command::new(&self.program)
        };
        command
            .args([
                "account",
                "get-access-token",
                "--output",
                "json",
                "--resource",
                resource,
            ])
            .env("AZURE_CORE_NO_COLOR", "true")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        if let Some(t) = &self.tenant {
            command.args(["--tenant", t]);
        }
        let mut child = command.spawn().map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                not_found()
            } else {
                AuthError::unavailable(NAME, format!("cannot run {}: {e}", self.program.display()))
            }
        })?;
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let stdout = child.stdout.take();
        let stderr = child.stderr.take();
        // Both streams at once (a child blocked writing one must not wait on the other),
        // each kept up to the cap and the rest drained, so a chatty az neither blocks nor
        // fills memory.
        let run = async {
            let (o, e) = tokio::join!(keep_some(stdout, &mut out), keep_some(stderr, &mut err));
            o?;
            e?;
            child.wait().await
        };
        let status = tokio::time::timeout(self.timeout, run)
            .await
            .map_err(|_| {
                AuthError::unavailable(
                    NAME,
                    format!(
                        "`az account get-access-token` did not answer within {} s",
                        self.timeout.as_secs()
                    ),
                )
            })?
            .map_err(|e| AuthError::unavailable(NAME, format!("running az: {e}")))?;
        if !status.success() {
            let text = String::from_utf8_lossy(&err);
            let text: String = text
                .chars()
                .filter(|c| !c.is_control() || *c == '\n')
                .take(600)
                .collect();
            let text = text.trim();
            if status.code() == Some(127) || text.contains("not recognized") {
                return Err(not_found());
            }
            if (text.contains("az login") || text.contains("az account set"))
                && !text.contains("AADSTS")
            {
                return Err(AuthError::unavailable(
                    NAME,
                    "the Azure CLI is not signed in: run `az login`",
                ));
            }
            return Err(AuthError::unavailable(
                NAME,
                format!("`az account get-access-token` failed: {text}"),
            ));
        }
        let token: CliToken = serde_json::from_slice(&out).map_err(|e| {
            AuthError::unavailable(
                NAME,
                format!(
                    "unexpected output from the Azure CLI ({e}; {} bytes)",
                    out.len()
                ),
            )
        })?;
        let expires_on = token
            .expires_on
            .map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s))
            .ok_or_else(|| {
                AuthError::unavailable(
                    NAME,
                    "the Azure CLI's answer has no `expires_on`: update the Azure CLI to 2.54 or later",
                )
            })?;
        let now = crate::Clock::now(self.core.cache.clock().as_ref());
        let latest = now + crate::limits::MAX_TOKEN_LIFETIME;
        Ok(AccessToken::new(
            token.access_token,
            expires_on.min(latest),
            now,
        ))
    }
}

/// Reads `stream` to its end, keeping at most [`MAX_OUTPUT_BYTES`] in `kept`.
async fn keep_some(
    stream: Option<impl tokio::io::AsyncRead + Unpin>,
    kept: &mut Vec<u8>,
) -> std::io::Result<()> {
    let Some(mut stream) = stream else {
        return Ok(());
    };
    (&mut stream)
        .take(MAX_OUTPUT_BYTES)
        .read_to_end(kept)
        .await?;
    tokio::io::copy(&mut stream, &mut tokio::io::sink()).await?;
    Ok(())
}

fn not_found() -> AuthError {
    AuthError::unavailable(
        NAME,
        "the Azure CLI (`az`) is not on PATH: install it (https://aka.ms/azure-cli) and run `az login`, or choose another credential",
    )
}

/// Only characters a resource URI or tenant needs (azure-identity's rule), so nothing
/// reaches `az` that it could take for an option.
fn check_arg(value: &str, what: &str) -> Result<(), AuthError> {
    let ok = !value.is_empty()
        && !value.starts_with('-')
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '/'));
    if ok {
        Ok(())
    } else {
        Err(AuthError::config(format!(
            "the {what} `{value}` has characters the Azure CLI credential does not pass to az"
        )))
    }
}

super::cached_credential!(AzureCliCredential, {});
