//! The one place where credentials go on the wire: the token endpoint request.

use std::time::{Duration, SystemTime};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

use crate::error::{AuthError, TokenEndpointError};

/// A form field's value: plain, or a secret that is unwrapped only while encoding.
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

/// POSTs the form to the token endpoint and decodes the answer.
pub(crate) async fn request_token(
    client: &reqwest::Client,
    endpoint: &Url,
    fields: &[(&str, FormValue<'_>)],
    now: SystemTime,
) -> Result<TokenGrant, AuthError> {
    let grant_type = fields
        .iter()
        .find_map(|(n, v)| match (n, v) {
            (&"grant_type", FormValue::Plain(g)) => Some(*g),
            _ => None,
        })
        .unwrap_or("?");
    tracing::debug!(endpoint = %endpoint, grant_type, "requesting a token");
    let response = client
        .post(endpoint.clone())
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(reqwest::header::ACCEPT, "application/json")
        .body(encode_form(fields))
        .send()
        .await
        .map_err(|e| connection_error(endpoint, &e))?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| crate::parse_retry_after(v, now));
    let body = response
        .bytes()
        .await
        .map_err(|e| connection_error(endpoint, &e))?;
    tracing::debug!(endpoint = %endpoint, status, "token endpoint answered");
    if (200..300).contains(&status) {
        return decode_grant(&body, status, now);
    }
    Err(decode_error(&body, status, retry_after))
}

fn connection_error(endpoint: &Url, e: &reqwest::Error) -> AuthError {
    let mut endpoint = endpoint.clone();
    endpoint.set_query(None);
    let message = if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_connect() {
        "connection failed".to_owned()
    } else {
        "request failed".to_owned()
    };
    let source_text = std::error::Error::source(e).map(ToString::to_string);
    AuthError::Connection {
        endpoint: endpoint.to_string(),
        message: match source_text {
            Some(s) => format!("{message} ({s})"),
            None => message,
        },
        source: None,
    }
}

fn decode_grant(body: &[u8], status: u16, now: SystemTime) -> Result<TokenGrant, AuthError> {
    let raw: RawGrant = serde_json::from_slice(body).map_err(|e| AuthError::InvalidResponse {
        status,
        // Never echo a success body: it may hold a token.
        excerpt: format!("not a token response ({e}; {} bytes)", body.len()),
    })?;
    // `expires_in` is relative, so a skewed local clock does not matter; the absolute
    // `expires_on` (v1 only) is the fallback.
    let expires_on = raw
        .expires_in
        .as_ref()
        .and_then(NumberOrString::get)
        .map(|s| now + Duration::from_secs(s))
        .or_else(|| {
            raw.expires_on
                .as_ref()
                .and_then(NumberOrString::get)
                .map(|secs| SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
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
