//! The one place where credentials go on the wire: the token endpoint request.

use std::time::{Duration, SystemTime};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

use crate::Clock;
use crate::error::{AuthError, TokenEndpointError};
use crate::http::{BodyError, read_body_capped};
use crate::limits::{MAX_TOKEN_LIFETIME, MAX_TOKEN_RESPONSE_BYTES};

/// A form field's value: plain, or a secret that is unwrapped only while encoding.
#[derive(Clone)]
pub(crate) enum FormValue<'a> {
    Plain(&'a str),
    Secret(&'a SecretString),
}

/// What a successful token request yields.
pub(crate) struct TokenGrant {
    pub(crate) access_token: SecretString,
    pub(crate) expires_on: SystemTime,
    pub(crate) refresh_token: Option<SecretString>,
}

#[derive(Deserialize)]
struct RawGrant {
    access_token: SecretString,
    #[serde(default)]
    expires_in: Option<NumberOrString>,
    #[serde(default)]
    expires_on: Option<NumberOrString>,
    #[serde(default)]
    refresh_token: Option<SecretString>,
}

/// v1 sends numbers as strings; v2 as numbers. Accept both.
#[derive(Deserialize)]
#[serde(untagged)]
enum NumberOrString {
    Number(u64),
    Text(String),
}

impl NumberOrString {
    fn get(&self) -> Option<u64> {
        match self {
            NumberOrString::Number(n) => Some(*n),
            NumberOrString::Text(s) => s.trim().parse().ok(),
        }
    }
}

#[derive(Deserialize, Default)]
struct RawError {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
    #[serde(default)]
    error_codes: Vec<u32>,
    #[serde(default)]
    trace_id: Option<String>,
    #[serde(default)]
    correlation_id: Option<String>,
}

#[allow(clippy::disallowed_methods)] // reason: the single line where a secret is put on the wire
fn encode_form(fields: &[(&str, FormValue<'_>)]) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in fields {
        let value = match value {
            FormValue::Plain(v) => v,
            FormValue::Secret(s) => s.expose_secret(),
        };
        form.append_pair(name, value);
    }
    form.finish()
}

/// Adds a header whose value is a secret (marked sensitive, so it never shows in logs):
/// the managed identity endpoint's `X-IDENTITY-HEADER`.
#[allow(clippy::disallowed_methods)] // reason: puts a platform secret on the wire, as its header
pub(crate) fn with_secret_header(
    request: reqwest::RequestBuilder,
    name: &'static str,
    secret: &SecretString,
) -> reqwest::RequestBuilder {
    match reqwest::header::HeaderValue::from_str(secret.expose_secret()) {
        Ok(mut value) => {
            value.set_sensitive(true);
            request.header(name, value)
        }
        Err(_) => request,
    }
}

/// How calls to the token endpoint are retried: a bounded number of attempts on 429,
/// 5xx, `temporarily_unavailable` and network failures, honouring `Retry-After`.
///
/// A `Retry-After` longer than [`max_wait`](Self::max_wait) ends the retries at once:
/// the error goes back to the cache, which remembers it for that long, so callers fail
/// fast instead of waiting in line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenRetryPolicy {
    /// Attempts in all, the first included (default 3).
    pub max_attempts: u32,
    /// The first backoff step (default 250 ms); step n is up to `base_delay * 2^(n-1)`
    /// (at most `max_wait`), with full jitter.
    pub base_delay: Duration,
    /// The longest `Retry-After` waited for before the next attempt (default 10 s).
    pub max_wait: Duration,
}

impl Default for TokenRetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(250),
            max_wait: Duration::from_secs(10),
        }
    }
}

impl TokenRetryPolicy {
    /// No retry: one attempt per token request.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the attempts (at least 1) and the first backoff step.
    pub fn attempts(mut self, max_attempts: u32, base_delay: Duration) -> Self {
        self.max_attempts = max_attempts.max(1);
        self.base_delay = base_delay;
        self
    }

    /// The wait before the next attempt, or `None` when the error should be returned.
    fn delay(&self, attempt: u32, error: &AuthError) -> Option<Duration> {
        if attempt >= self.max_attempts || !error.is_retryable() {
            return None;
        }
        match error.retry_after() {
            Some(d) if d > self.max_wait => None,
            Some(d) => Some(d),
            None => Some(crate::http::full_jitter(
                self.base_delay,
                self.max_wait,
                attempt,
            )),
        }
    }
}

/// POSTs the form to the token endpoint and decodes the answer, retrying as `retry`
/// says.
pub(crate) async fn request_token(
    client: &reqwest::Client,
    endpoint: &Url,
    fields: &[(&str, FormValue<'_>)],
    clock: &dyn Clock,
    retry: &TokenRetryPolicy,
) -> Result<TokenGrant, AuthError> {
    let grant_type = fields
        .iter()
        .find_map(|(n, v)| match (n, v) {
            (&"grant_type", FormValue::Plain(g)) => Some(*g),
            _ => None,
        })
        .unwrap_or("?");
    let form = encode_form(fields);
    let mut attempt = 0;
    loop {
        attempt += 1;
        tracing::debug!(endpoint = %endpoint, grant_type, attempt, "requesting a token");
        let error = match request_once(client, endpoint, form.clone(), clock).await {
            Ok(grant) => return Ok(grant),
            Err(e) => e,
        };
        let Some(delay) = retry.delay(attempt, &error) else {
            return Err(error);
        };
        tracing::debug!(endpoint = %endpoint, attempt, ?delay, error = %error, "token request failed; retrying");
        tokio::time::sleep(delay).await;
    }
}

async fn request_once(
    client: &reqwest::Client,
    endpoint: &Url,
    form: String,
    clock: &dyn Clock,
) -> Result<TokenGrant, AuthError> {
    let now = clock.now();
    let answer = send(post_form(client, endpoint, form), endpoint, now).await?;
    tracing::debug!(endpoint = %endpoint, status = answer.status, "token endpoint answered");
    if answer.is_success() {
        return decode_grant(&answer.body, answer.status, now);
    }
    Err(decode_error(
        &answer.body,
        answer.status,
        answer.retry_after,
    ))
}

/// A form POST to an identity endpoint that answers JSON.
pub(crate) fn post_form(
    client: &reqwest::Client,
    endpoint: &Url,
    form: String,
) -> reqwest::RequestBuilder {
    client
        .post(endpoint.clone())
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(reqwest::header::ACCEPT, "application/json")
        .body(form)
}

/// What an identity endpoint answered: its status, `Retry-After` and body (at most
/// [`MAX_TOKEN_RESPONSE_BYTES`]).
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: bytes::Bytes,
}

impl Answer {
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Sends a request to an identity endpoint (a token, device code or managed identity
/// endpoint) and reads its answer, bounded; `now` dates `Retry-After`.
pub(crate) async fn send(
    request: reqwest::RequestBuilder,
    endpoint: &Url,
    now: SystemTime,
) -> Result<Answer, AuthError> {
    let response = request
        .send()
        .await
        .map_err(|e| connection_error(endpoint, &e))?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| crate::parse_retry_after(v, now));
    let body = read_body_capped(response, MAX_TOKEN_RESPONSE_BYTES)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge { cap } => AuthError::InvalidResponse {
                status,
                excerpt: format!(
                    "the answer is larger than the limit of {} for an identity endpoint",
                    crate::limits::human_bytes(cap as u64)
                ),
            },
            BodyError::Read(e) => connection_error(endpoint, &e),
        })?;
    Ok(Answer {
        status,
        retry_after,
        body,
    })
}

pub(crate) fn connection_error(endpoint: &Url, e: &reqwest::Error) -> AuthError {
    let mut endpoint = endpoint.clone();
    endpoint.set_query(None);
    let (message, failure) = crate::http::describe_network_error(e, &endpoint);
    AuthError::Connection {
        endpoint: endpoint.to_string(),
        message,
        failure,
        source: None,
    }
}

pub(crate) fn decode_grant(
    body: &[u8],
    status: u16,
    now: SystemTime,
) -> Result<TokenGrant, AuthError> {
    let raw: RawGrant = serde_json::from_slice(body).map_err(|e| AuthError::InvalidResponse {
        status,
        // Never echo a success body: it may hold a token.
        excerpt: format!("not a token response ({e}; {} bytes)", body.len()),
    })?;
    // `expires_in` is relative, so a skewed local clock does not matter; the absolute
    // `expires_on` (v1 only) is the fallback.
    // Both are clamped to MAX_TOKEN_LIFETIME from now: no value a server sends can
    // overflow the time arithmetic here or in the cache.
    let latest = now + MAX_TOKEN_LIFETIME;
    let expires_on = raw
        .expires_in
        .as_ref()
        .and_then(NumberOrString::get)
        .map(|s| now + Duration::from_secs(s).min(MAX_TOKEN_LIFETIME))
        .or_else(|| {
            raw.expires_on
                .as_ref()
                .and_then(NumberOrString::get)
                .map(|secs| {
                    SystemTime::UNIX_EPOCH
                        .checked_add(Duration::from_secs(secs))
                        .map_or(latest, |t| t.min(latest))
                })
        })
        .ok_or(AuthError::InvalidResponse {
            status,
            excerpt: "the token response has neither expires_in nor expires_on".to_owned(),
        })?;
    Ok(TokenGrant {
        access_token: raw.access_token,
        expires_on,
        refresh_token: raw.refresh_token,
    })
}

impl AuthError {
    /// Decodes a token endpoint's non-success answer (status, body, `Retry-After`) the way
    /// the credentials do: an OAuth error body with AADSTS codes becomes `Refused` or
    /// `Unavailable`; anything else a short, readable error. Never panics on any input.
    ///
    /// ```
    /// use partner_center_auth::AuthError;
    /// let e = AuthError::from_token_endpoint_response(400, br#"{"error":"invalid_request","error_description":"AADSTS90002: Tenant 'x' not found."}"#, None);
    /// assert_eq!(e.endpoint_error().unwrap().codes, vec![90002]);
    /// ```
    pub fn from_token_endpoint_response(
        status: u16,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> Self {
        crate::endpoint::decode_error(body, status, retry_after)
    }
}

pub(crate) fn decode_error(body: &[u8], status: u16, retry_after: Option<Duration>) -> AuthError {
    let parsed: Option<RawError> = serde_json::from_slice(body).ok();
    let Some(raw) = parsed.filter(|r| !r.error.is_empty()) else {
        if status == 429 || status >= 500 {
            return AuthError::Unavailable(Box::new(TokenEndpointError {
                status,
                error: if status == 429 {
                    "throttled"
                } else {
                    "server_error"
                }
                .to_owned(),
                codes: Vec::new(),
                description: excerpt(body),
                trace_id: None,
                correlation_id: None,
                retry_after,
            }));
        }
        return AuthError::InvalidResponse {
            status,
            excerpt: excerpt(body),
        };
    };
    let first_line = raw
        .error_description
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let codes = if raw.error_codes.is_empty() {
        codes_from_text(&first_line)
    } else {
        raw.error_codes
    };
    let detail = TokenEndpointError {
        status,
        error: raw.error,
        codes,
        description: first_line,
        trace_id: raw.trace_id,
        correlation_id: raw.correlation_id,
        retry_after,
    };
    if status == 429 || status >= 500 || detail.error == "temporarily_unavailable" {
        AuthError::Unavailable(Box::new(detail))
    } else {
        AuthError::Refused(Box::new(detail))
    }
}

/// `AADSTS7000215: ...` → `[7000215]`.
fn codes_from_text(text: &str) -> Vec<u32> {
    text.match_indices("AADSTS")
        .filter_map(|(i, _)| {
            let digits: String = text[i + 6..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

/// A short, single-line excerpt of an error body.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if let (Some(start), Some(end)) = (text.find("<title>"), text.find("</title>")) {
        if start + 7 <= end {
            return format!("an HTML page: {}", text[start + 7..end].trim());
        }
    }
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        return "(empty body)".to_owned();
    }
    let mut cut: String = flat.chars().take(160).collect();
    if cut.len() < flat.len() {
        cut.push('…');
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_is_decoded() {
        let body = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2022","error_codes":[7000215],"trace_id":"t","correlation_id":"c"}"#;
        let AuthError::Refused(e) = decode_error(body, 401, None) else {
            panic!("not refused")
        };
        assert_eq!(e.codes, vec![7_000_215]);
        assert_eq!(
            e.description,
            "AADSTS7000215: Invalid client secret provided."
        );
        assert!(e.hint().unwrap().contains("Value"));
        assert!(e.is_client_refusal());
    }

    #[test]
    fn codes_are_read_from_text_when_missing() {
        assert_eq!(
            codes_from_text("AADSTS90002: Tenant 'x' not found. AADSTS1"),
            vec![90_002, 1]
        );
    }

    #[test]
    fn html_5xx_is_unavailable_with_short_excerpt() {
        let body = format!("<html><body>{}</body></html>", "bad gateway ".repeat(100));
        let err = decode_error(body.as_bytes(), 502, Some(Duration::from_secs(3)));
        assert!(err.is_retryable());
        assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
        assert!(err.to_string().len() < 300);
    }

    #[test]
    fn v1_string_numbers_are_accepted() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
        let g = decode_grant(
            br#"{"access_token":"a","expires_in":"3599","expires_on":"5000"}"#,
            200,
            now,
        )
        .unwrap();
        assert_eq!(
            g.expires_on,
            now + Duration::from_secs(3599),
            "relative expiry wins: immune to clock skew"
        );
        let g = decode_grant(br#"{"access_token":"a","expires_on":"5000"}"#, 200, now).unwrap();
        assert_eq!(
            g.expires_on,
            SystemTime::UNIX_EPOCH + Duration::from_secs(5000)
        );
        let g = decode_grant(br#"{"access_token":"a","expires_in":3599}"#, 200, now).unwrap();
        assert_eq!(g.expires_on, now + Duration::from_secs(3599));
    }

    #[test]
    fn bad_success_body_does_not_echo() {
        let err = decode_grant(
            br#"{"access_token":"eyJsecret"#,
            200,
            SystemTime::UNIX_EPOCH,
        )
        .err()
        .unwrap();
        assert!(!err.to_string().contains("eyJ"));
    }
}

#[cfg(test)]
mod hardening {
    use super::*;

    #[test]
    fn any_lifetime_a_server_sends_is_clamped_not_a_panic() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let max = now + MAX_TOKEN_LIFETIME;
        for body in [
            r#"{"access_token":"a","expires_in":18446744073709551615}"#,
            r#"{"access_token":"a","expires_on":18446744073709551615}"#,
            r#"{"access_token":"a","expires_in":"18446744073709551615"}"#,
            r#"{"access_token":"a","expires_in":300000000000}"#,
            r#"{"access_token":"a","expires_on":"300000000000"}"#,
        ] {
            let grant = decode_grant(body.as_bytes(), 200, now).unwrap();
            assert_eq!(grant.expires_on, max, "{body}");
        }
        let past = decode_grant(br#"{"access_token":"a","expires_on":5}"#, 200, now).unwrap();
        assert_eq!(
            past.expires_on,
            SystemTime::UNIX_EPOCH + Duration::from_secs(5)
        );
    }

    #[test]
    fn retry_policy_stops_on_long_retry_after_and_refusals() {
        let policy = TokenRetryPolicy::default();
        let unavailable =
            |retry_after| decode_error(br#"{"error":"temporarily_unavailable"}"#, 503, retry_after);
        assert!(policy.delay(1, &unavailable(None)).is_some());
        assert_eq!(
            policy.delay(1, &unavailable(Some(Duration::from_secs(2)))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            policy.delay(1, &unavailable(Some(Duration::from_secs(120)))),
            None
        );
        assert_eq!(
            policy.delay(3, &unavailable(None)),
            None,
            "3 attempts in all"
        );
        let refused = decode_error(br#"{"error":"invalid_client"}"#, 401, None);
        assert_eq!(policy.delay(1, &refused), None);
    }
}
