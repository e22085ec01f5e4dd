//! The HTTP client this crate builds when the caller passes none.

use std::time::Duration;

use crate::AuthError;

/// A `reqwest::Client` with rustls, sane timeouts, and the certificates in
/// `SSL_CERT_FILE` (if set) trusted in addition to the built-in roots, as curl does.
///
/// Pass your own client to the credentials' `with_http_client` to share a pool or add
/// a proxy.
pub fn default_http_client() -> Result<reqwest::Client, AuthError> {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("partner-center-rs/", env!("CARGO_PKG_VERSION")));
    if let Some(path) = std::env::var_os("SSL_CERT_FILE") {
        let pem = std::fs::read(&path).map_err(|e| {
            AuthError::config(format!(
                "SSL_CERT_FILE={} cannot be read: {e}; fix or unset it",
                path.to_string_lossy()
            ))
        })?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            AuthError::config(format!(
                "SSL_CERT_FILE={} holds no usable PEM certificate: {e}",
                path.to_string_lossy()
            ))
        })?;
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder
        .build()
        .map_err(|e| AuthError::config(format!("cannot build the HTTP client: {e}")))
}

/// Parses a `Retry-After` value: delta seconds or an HTTP date. Absurd values are
/// clamped to one hour; unparseable ones give `None`.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
/// assert_eq!(partner_center_auth::parse_retry_after("57", now), Some(Duration::from_secs(57)));
/// assert_eq!(partner_center_auth::parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    const MAX: Duration = Duration::from_secs(3600);
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs).min(MAX));
    }
    if let Ok(secs) = value.parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Some(Duration::from_secs_f64(secs.min(MAX.as_secs_f64())));
        }
        return None;
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or_default().min(MAX))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::parse_retry_after;

    #[test]
    fn odd_retry_after_values() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after("1e9", now),
            Some(Duration::from_secs(3600)),
            "clamped to an hour"
        );
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("NaN", now), None);
        assert_eq!(parse_retry_after("", now), None);
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        assert_eq!(
            parse_retry_after("Tue, 14 Nov 2023 22:14:20 GMT", now),
            Some(Duration::from_secs(60))
        );
    }
}
