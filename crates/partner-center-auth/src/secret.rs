//! Reading secrets straight into [`SecretString`], so they are never a plain `String`
//! that a `Debug`, a log line or an error message could show.
//!
//! ```
//! use partner_center_auth::secret;
//! # unsafe { std::env::set_var("MY_APP_SECRET", "s3cret") };
//! let secret = secret::from_env("MY_APP_SECRET").unwrap().expect("set above");
//! assert_eq!(format!("{secret:?}"), "SecretBox<str>([REDACTED])");
//! ```

use std::io::Read;
use std::path::Path;

use secrecy::SecretString;

use crate::AuthError;
use crate::limits::{MAX_CREDENTIAL_FILE_BYTES, read_capped};

/// Reads a secret from the environment variable `name`, or from the file named by
/// `{name}_FILE` (the Docker/Kubernetes convention) when `name` itself is unset.
///
/// Returns `Ok(None)` when neither is set. Trailing newlines in files are dropped.
pub fn from_env(name: &str) -> Result<Option<SecretString>, AuthError> {
    if let Ok(value) = std::env::var(name) {
        return Ok(Some(SecretString::from(value)));
    }
    match std::env::var(format!("{name}_FILE")) {
        Ok(path) => from_file(Path::new(&path)).map(Some),
        Err(_) => Ok(None),
    }
}

/// Reads a secret from a file (at most [`MAX_CREDENTIAL_FILE_BYTES`]), dropping
/// trailing line breaks.
pub fn from_file(path: &Path) -> Result<SecretString, AuthError> {
    let file = std::fs::File::open(path).map_err(|e| {
        AuthError::config(format!(
            "cannot read the secret file {}: {e}; check the path and its permissions",
            path.display()
        ))
    })?;
    from_bytes(
        read_capped(file, MAX_CREDENTIAL_FILE_BYTES),
        &path.display().to_string(),
    )
}

/// Reads a secret from a reader (e.g. stdin; at most [`MAX_CREDENTIAL_FILE_BYTES`]),
/// dropping trailing line breaks.
pub fn from_reader(reader: impl Read) -> Result<SecretString, AuthError> {
    from_bytes(read_capped(reader, MAX_CREDENTIAL_FILE_BYTES), "the input")
}

fn from_bytes(read: std::io::Result<Vec<u8>>, what: &str) -> Result<SecretString, AuthError> {
    let bytes =
        read.map_err(|e| AuthError::config(format!("cannot read the secret from {what}: {e}")))?;
    let mut value = String::from_utf8(bytes)
        .map_err(|_| AuthError::config(format!("the secret in {what} is not UTF-8 text")))?;
    trim_line_end(&mut value);
    Ok(SecretString::from(value))
}

fn trim_line_end(value: &mut String) {
    while value.ends_with(['\n', '\r']) {
        value.pop();
    }
}

/// A new random password for a user account: [`random_token`]'s 244 random bits, with
/// the upper case letter, lower case letter, digit and symbol Entra ID's complexity rule
/// asks for. Show it once; it is a secret like any other.
///
/// ```
/// use partner_center_auth::secret;
/// let p = secret::random_password();
/// assert!(!format!("{p:?}").contains("Pc9!"), "a secret: Debug is redacted");
/// ```
pub fn random_password() -> SecretString {
    SecretString::from(format!("Pc9!{}", random_token()))
}

/// 244 random bits from the OS's generator (two version-4 UUIDs), URL-safe base64 (43
/// characters): a PKCE verifier, an OAuth state, a password's body.
pub(crate) fn random_token() -> String {
    use base64::Engine as _;
    let mut bytes = [0u8; 32];
    bytes[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    bytes[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
