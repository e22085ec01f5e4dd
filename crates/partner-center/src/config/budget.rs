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
}

/// The fleet's Redis: the file's `[fleet] redis_url`, else `PARTNER_CENTER_REDIS_URL`.
/// A password in the file is refused, as every plaintext secret is.
pub(super) fn redis_url(
    file: Option<&Fleet>,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<SecretString>, Error> {
    if let Some(url) = file.and_then(|f| f.redis_url.as_deref()) {
        let password = url::Url::parse(url).is_ok_and(|u| u.password().is_some());
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
