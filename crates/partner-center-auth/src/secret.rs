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

/// Reads a secret from a file, dropping trailing line breaks.
pub fn from_file(path: &Path) -> Result<SecretString, AuthError> {
    let mut value = std::fs::read_to_string(path).map_err(|e| {
        AuthError::config(format!(
            "cannot read the secret file {}: {e}; check the path and its permissions",
            path.display()
        ))
    })?;
    trim_line_end(&mut value);
    Ok(SecretString::from(value))
}

/// Reads a secret from a reader (e.g. stdin), dropping trailing line breaks.
pub fn from_reader(mut reader: impl Read) -> Result<SecretString, AuthError> {
    let mut value = String::new();
    reader
        .read_to_string(&mut value)
        .map_err(|e| AuthError::config(format!("cannot read the secret: {e}")))?;
    trim_line_end(&mut value);
    Ok(SecretString::from(value))
}

fn trim_line_end(value: &mut String) {
    while value.ends_with(['\n', '\r']) {
        value.pop();
    }
}
