//! The HTTP client this crate builds when the caller passes none.

use std::path::Path;
use std::time::Duration;

use url::Url;

use crate::AuthError;

/// A `reqwest::Client` with rustls, sane timeouts, and the certificates in
/// `SSL_CERT_FILE` (if set and not empty, as curl reads it) trusted in addition to the
/// built-in roots.
///
/// Pass your own client to the credentials' `with_http_client` to share a pool or add
/// a proxy.
pub fn default_http_client() -> Result<reqwest::Client, AuthError> {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("partner-center-rs/", env!("CARGO_PKG_VERSION")));
    let ssl_cert_file = std::env::var_os("SSL_CERT_FILE").filter(|p| !p.is_empty());
    if let Some(path) = ssl_cert_file {
        for cert in extra_roots(Path::new(&path))? {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder
        .build()
        .map_err(|e| AuthError::config(format!("cannot build the HTTP client: {e}")))
}

/// The certificates of a PEM bundle named by `SSL_CERT_FILE`.
fn extra_roots(path: &Path) -> Result<Vec<reqwest::Certificate>, AuthError> {
    let shown = path.display();
    let pem = crate::limits::read_file_capped(path, crate::limits::MAX_CREDENTIAL_FILE_BYTES)
        .map_err(|e| {
            AuthError::config(format!(
                "SSL_CERT_FILE={shown} cannot be read: {e}; fix or unset it"
            ))
        })?;
    if !pem
        .windows(b"-----BEGIN CERTIFICATE-----".len())
        .any(|w| w == b"-----BEGIN CERTIFICATE-----")
    {
        return Err(AuthError::config(format!(
            "SSL_CERT_FILE={shown} holds no certificate (no -----BEGIN CERTIFICATE----- block); point it at a PEM bundle, or unset it"
        )));
    }
    reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
        AuthError::config(format!(
            "SSL_CERT_FILE={shown} holds no usable PEM certificate: {e}"
        ))
    })
}

/// Why a request got no answer: the class of network failure, for messages and hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NetworkFailure {
    /// The host's name could not be resolved.
    Dns,
    /// Nothing listens there (connection refused).
    Refused,
    /// The TLS handshake failed (an untrusted or invalid certificate, most often).
    Tls,
    /// No answer in time.
    Timeout,
    /// The connection was reset or closed mid-way.
    Reset,
    /// Anything else.
    Other,
}

impl NetworkFailure {
    /// What to do next.
    pub fn hint(self) -> &'static str {
        match self {
            NetworkFailure::Dns => {
                "the host name does not resolve: check the URL (AZURE_AUTHORITY_HOST, PARTNER_CENTER_API_URL, PARTNER_CENTER_INGESTION_URL), DNS and any proxy"
            }
            NetworkFailure::Refused => {
                "nothing answers at that host and port: check the URL and that the service (or the emulator) is running"
            }
            NetworkFailure::Tls => {
                "the TLS handshake failed: if the server's certificate is from a private CA (a corporate proxy, `emulator serve --tls`), trust it with SSL_CERT_FILE=/path/to/ca.pem"
            }
            NetworkFailure::Timeout => {
                "the service did not answer in time: check the network and proxy, and retry"
            }
            NetworkFailure::Reset => {
                "the connection was cut: check the network and proxy, and retry"
            }
            NetworkFailure::Other => "check the network, the URL and any proxy",
        }
    }
}

/// Describes a failed request without its URL's query (which may carry parameters):
/// `127.0.0.1:1: connection refused`, with the class of failure.
pub fn describe_network_error(e: &reqwest::Error, url: &Url) -> (String, NetworkFailure) {
    let mut deepest = None;
    let mut kind = None;
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        let lower = text.to_ascii_lowercase();
        if kind.is_none() {
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                kind = match io.kind() {
                    std::io::ErrorKind::ConnectionRefused => Some(NetworkFailure::Refused),
                    std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::UnexpectedEof => Some(NetworkFailure::Reset),
                    std::io::ErrorKind::TimedOut => Some(NetworkFailure::Timeout),
                    _ => None,
                };
            }
        }
        if kind.is_none() {
            if lower.contains("dns error") || lower.contains("failed to lookup address") {
                kind = Some(NetworkFailure::Dns);
            } else if lower.contains("certificate")
                || lower.contains("tls")
                || lower.contains("handshake")
            {
                kind = Some(NetworkFailure::Tls);
            }
        }
        if !text.is_empty() {
            deepest = Some(text);
        }
        source = s.source();
    }
    let kind = kind.unwrap_or(if e.is_timeout() {
        NetworkFailure::Timeout
    } else if e.is_body() || e.is_decode() {
        NetworkFailure::Reset
    } else {
        NetworkFailure::Other
    });
    let what = match kind {
        NetworkFailure::Dns => "the host name does not resolve",
        NetworkFailure::Refused => "connection refused",
        NetworkFailure::Tls => "TLS handshake failed",
        NetworkFailure::Timeout => "timed out",
        NetworkFailure::Reset => "the connection was cut",
        NetworkFailure::Other => "request failed",
    };
    let host = url.host_str().unwrap_or("?");
    let port = url.port_or_known_default().unwrap_or(0);
    let message = match deepest {
        Some(cause) if !cause.eq_ignore_ascii_case(what) => {
            format!("{host}:{port}: {what} ({cause})")
        }
        _ => format!("{host}:{port}: {what}"),
    };
    (message, kind)
}

/// Why a capped body read failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum BodyError {
    /// The body is larger than the cap.
    TooLarge {
        /// The cap, in bytes.
        cap: usize,
    },
    /// The connection failed while reading.
    Read(reqwest::Error),
}

/// Reads a response body of at most `cap` bytes, chunk by chunk: a larger body (by its
/// `Content-Length` or as it arrives) stops the read with [`BodyError::TooLarge`].
pub async fn read_body_capped(
    mut response: reqwest::Response,
    cap: usize,
) -> Result<bytes::Bytes, BodyError> {
    if response.content_length().is_some_and(|n| n > cap as u64) {
        return Err(BodyError::TooLarge { cap });
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Read)? {
        if body.len() + chunk.len() > cap {
            return Err(BodyError::TooLarge { cap });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The wait before attempt `attempt + 1` of an exponential backoff with full jitter: a
/// random duration up to `base * 2^(attempt-1)`, capped at `max`. One formula for the
/// token endpoint's retries and the API's.
///
/// ```
/// use std::time::Duration;
/// use partner_center_auth::http::full_jitter;
/// let d = full_jitter(Duration::from_millis(100), Duration::from_secs(1), 40);
/// assert!(d <= Duration::from_secs(1));
/// ```
pub fn full_jitter(base: Duration, max: Duration, attempt: u32) -> Duration {
    let step = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    step.min(max).mul_f64(fastrand::f64())
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
