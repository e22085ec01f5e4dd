//! Rate budgets: the pace of the throttled operations (`rate_limit_per_minute`,
//! `PARTNER_CENTER_RATE_LIMIT`) and the Redis a fleet shares them through (`[fleet]`,
//! `PARTNER_CENTER_REDIS_URL`).

use partner_center_auth::SecretString;
use partner_center_transport::{Error, RateLimit};
use serde::Deserialize;

/// The config file's `[fleet]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Fleet {
    /// `redis://host:port/db` or `rediss://…`, with no password (that goes in
    /// `PARTNER_CENTER_REDIS_URL`).
    redis_url: Option<String>,
    /// The variable holding the key tokens rest under in Redis (32 bytes, base64; default
    /// `PARTNER_CENTER_FLEET_KEY`).
    token_key_env: Option<String>,
    /// A file holding that key.
    token_key_file: Option<std::path::PathBuf>,
}

/// The fleet's Redis and the key tokens rest under there (`None`: tokens not shared).
pub(super) fn fleet(
    file: Option<&Fleet>,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<(Option<SecretString>, Option<SecretString>), Error> {
    Ok((redis_url(file, get)?, token_key(file, get)?))
}

/// The key: the file's `token_key_file` or `token_key_env`, else
/// `PARTNER_CENTER_FLEET_KEY`.
fn token_key(
    file: Option<&Fleet>,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<SecretString>, Error> {
    if let Some(path) = file.and_then(|f| f.token_key_file.as_ref()) {
        let bytes = partner_center_auth::limits::read_file_capped(path, 1024).map_err(|e| {
            Error::Config(format!("[fleet] token_key_file {}: {e}", path.display()))
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::Config(format!(
                "[fleet] token_key_file {} is not text",
                path.display()
            ))
        })?;
        return Ok(Some(SecretString::from(text.trim().to_owned())));
    }
    if let Some(name) = file.and_then(|f| f.token_key_env.as_deref()) {
        return get(name).map(SecretString::from).map(Some).ok_or_else(|| {
            Error::Config(format!(
                "[fleet] token_key_env names {name}, which is not set: set it, or remove token_key_env"
            ))
        });
    }
    Ok(get("PARTNER_CENTER_FLEET_KEY").map(SecretString::from))
}

/// The fleet's Redis: the file's `[fleet] redis_url`, else `PARTNER_CENTER_REDIS_URL`.
/// A password in the file is refused, as every plaintext secret is.
fn redis_url(
    file: Option<&Fleet>,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<SecretString>, Error> {
    if let Some(url) = file.and_then(|f| f.redis_url.as_deref()) {
        // `redis://:pw@host`, or `redis+unix:///path?pass=pw` for a Unix socket.
        let password = url::Url::parse(url).is_ok_and(|u| {
            u.password().is_some()
                || u.query_pairs().any(|(k, _)| {
                    k.eq_ignore_ascii_case("pass") || k.eq_ignore_ascii_case("password")
                })
        });
        if password {
            return Err(Error::Config(
                "[fleet] redis_url carries a password, a secret in the config file: put the whole URL in PARTNER_CENTER_REDIS_URL instead".to_owned(),
            ));
        }
        return Ok(Some(SecretString::from(url.to_owned())));
    }
    Ok(get("PARTNER_CENTER_REDIS_URL").map(SecretString::from))
}

/// The pace: the profile's `rate_limit_per_minute`, else `PARTNER_CENTER_RATE_LIMIT`, else
/// the documented 500 a minute; 0 is none.
pub(super) fn rate_limit(
    profile: Option<u32>,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<RateLimit>, Error> {
    let n = match (profile, get("PARTNER_CENTER_RATE_LIMIT")) {
        (Some(n), _) => n,
        (None, None) => return Ok(Some(RateLimit::DOCUMENTED)),
        (None, Some(v)) => v.trim().parse().map_err(|_| {
            Error::Config(format!(
                "PARTNER_CENTER_RATE_LIMIT={}: give requests a minute (0: no limit)",
                v.chars().take(20).collect::<String>()
            ))
        })?,
    };
    Ok(RateLimit::per_minute(n))
}
