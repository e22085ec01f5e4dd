//! The transport's errors: auth, API refusal, transient, undecodable.

use partner_center_auth::AuthError;
use partner_center_models::ApiFault;

/// What can go wrong with a Partner Center request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No token could be had.
    #[error(transparent)]
    Auth(AuthError),
    /// The API refused the request (4xx), with its error code and description.
    #[error("the API refused the request (HTTP {status}{}): {description}", code.as_ref().map(|c| format!(", code {c}")).unwrap_or_default())]
    Api {
        /// HTTP status.
        status: u16,
        /// The service's error code.
        code: Option<String>,
        /// The service's description (or a short excerpt of a non-JSON body).
        description: String,
        /// The decoded error body, when it had a known shape.
        fault: Option<Box<ApiFault>>,
        /// The request id.
        request_id: String,
        /// The correlation id.
        correlation_id: String,
    },
    /// 429, 5xx, timeouts or connection errors that persisted after the retries.
    #[error("the service did not answer successfully after {attempts} attempt(s): {message}")]
    Transient {
        /// The last HTTP status, if a response arrived.
        status: Option<u16>,
        /// What happened last.
        message: String,
        /// The class of network failure, when no answer arrived.
        network: Option<partner_center_auth::NetworkFailure>,
        /// Attempts made.
        attempts: u32,
        /// The request id (the same on every attempt).
        request_id: String,
        /// The correlation id.
        correlation_id: String,
    },
    /// The service answered with a body that could not be decoded.
    #[error("the answer (HTTP {status}) could not be decoded: {reason}; it began: {excerpt}")]
    Decode {
        /// HTTP status.
        status: u16,
        /// Why.
        reason: String,
        /// A short excerpt of the body.
        excerpt: String,
        /// The request id.
        request_id: String,
        /// The correlation id.
        correlation_id: String,
    },
    /// Invalid configuration or input.
    #[error("{0}")]
    Config(String),
}

impl Error {
    pub(crate) fn api(status: u16, body: &[u8], request_id: &str, correlation_id: &str) -> Self {
        let fault = fault_of(body);
        let description = fault
            .as_ref()
            .and_then(|f| f.text().map(str::to_owned))
            .unwrap_or_else(|| summarize(status, body));
        Error::Api {
            status,
            code: fault
                .as_ref()
                .and_then(|f| f.code.as_ref().map(ToString::to_string)),
            description,
            fault: fault.map(Box::new),
            request_id: request_id.to_owned(),
            correlation_id: correlation_id.to_owned(),
        }
    }

    pub(crate) fn decode(
        status: u16,
        body: &[u8],
        reason: &str,
        request_id: &str,
        correlation_id: &str,
    ) -> Self {
        Error::Decode {
            status,
            reason: reason.to_owned(),
            excerpt: excerpt(body),
            request_id: request_id.to_owned(),
            correlation_id: correlation_id.to_owned(),
        }
    }

    /// The request id, when a request was sent.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. }
            | Error::Transient { request_id, .. }
            | Error::Decode { request_id, .. } => Some(request_id),
            _ => None,
        }
    }

    /// The correlation id, when a request was sent.
    pub fn correlation_id(&self) -> Option<&str> {
        match self {
            Error::Api { correlation_id, .. }
            | Error::Transient { correlation_id, .. }
            | Error::Decode { correlation_id, .. } => Some(correlation_id),
            _ => None,
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transient { status, .. } => *status,
            _ => None,
        }
    }

    /// What to do next.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Auth(e) => e.hint().map(str::to_owned),
            Error::Api { code: Some(c), .. } if c == "900329" => Some("this operation needs an App+User token: see `auth login` (`partner-center auth login` signs a user in, with MFA, and keeps the refresh token; SDK users give a RefreshTokenCredential)".to_owned()),
            Error::Api { status: 401, .. } => Some("the token was refused even after a refresh: check the app's API access in Partner Center (App management) and the token's audience".to_owned()),
            Error::Api { status: 403, .. } => Some("the operation is not allowed for this account or app: some operations need App+User credentials (a refresh token from the secure application model), and some work only in the integration sandbox".to_owned()),
            Error::Api { code: Some(c), .. } if c == "800018" => Some("the integration sandbox limit was reached (75 customers, 5 subscriptions each, 25 licences each): delete sandbox customers or use the primary account".to_owned()),
            Error::Api { code: Some(c), .. } if c == "2055" => Some("the etag is stale: get the resource again and retry with its current etag".to_owned()),
            Error::Api { status: 404, .. } => Some("check the id; resources of the integration sandbox and the primary account are separate".to_owned()),
            Error::Transient { status: Some(429 | 503), .. } => Some("the service is throttling: retry later, with less parallelism; include the request id in a support ticket".to_owned()),
            Error::Transient { status: Some(_), .. } => Some("the service is failing: retry later; include the request id in a support ticket".to_owned()),
            Error::Transient { network: Some(n), .. } => Some(n.hint().to_owned()),
            Error::Transient { .. } => Some("retry later; include the request id in a support ticket".to_owned()),
            Error::Decode { .. } => Some("the answer was cut off or is not what this SDK version expects; retry, and report the request id if it persists".to_owned()),
            _ => None,
        }
    }
}

/// The error a body describes: Partner Center's shape (`{code, description}`), or
/// Microsoft Graph's (`{"error": {code, message}}`).
fn fault_of(body: &[u8]) -> Option<ApiFault> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let inner = value
        .get("error")
        .filter(|e| e.is_object())
        .cloned()
        .unwrap_or(value);
    serde_json::from_value::<ApiFault>(inner)
        .ok()
        .filter(ApiFault::is_recognised)
}

/// A short, one-line summary of an error body: JSON `message`/`description`, else the
/// text of an HTML page's title, else the first characters.
pub(crate) fn summarize(status: u16, body: &[u8]) -> String {
    if let Some(t) = fault_of(body).as_ref().and_then(ApiFault::text) {
        return t.to_owned();
    }
    // The ingestion API's errors are a bare JSON string.
    if let Ok(text) = serde_json::from_slice::<String>(body) {
        return text;
    }
    let text = String::from_utf8_lossy(body);
    if let Some(start) = text.find("<title>") {
        if let Some(end) = text[start..].find("</title>") {
            return format!("HTTP {status}: {}", text[start + 7..start + end].trim());
        }
    }
    if text.trim_start().starts_with('<') {
        return format!("HTTP {status} with an HTML page instead of JSON");
    }
    format!("HTTP {status}: {}", excerpt(body))
}

/// At most 120 characters on one line, with anything after a `password` cut off.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(i) = flat.to_ascii_lowercase().find("password") {
        flat.truncate(i);
        flat.push_str("[REDACTED]");
    }
    if flat.is_empty() {
        return "(empty body)".to_owned();
    }
    let cut: String = flat.chars().take(120).collect();
    if cut.len() < flat.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_app_only_refusal_says_to_sign_in() {
        let body = br#"{"code":900329,"description":"This resource does not support application-only authentication."}"#;
        let e = Error::api(403, body, "r", "c");
        let hint = e.hint().unwrap_or_default();
        assert!(
            hint.starts_with("this operation needs an App+User token: see `auth login`"),
            "{hint}"
        );
        // Any other 403 keeps the general advice.
        let other = Error::api(403, br#"{"code":900308,"description":"x"}"#, "r", "c");
        assert!(
            !other
                .hint()
                .unwrap_or_default()
                .contains("see `auth login`")
        );
    }

    #[test]
    fn graph_errors_give_their_code_and_message() {
        let body = br#"{"error":{"code":"preconditionFailed","message":"The etag is stale.","innerError":{"date":"2026-12-01T00:00:00"}}}"#;
        match Error::api(412, body, "r", "c") {
            Error::Api {
                code, description, ..
            } => {
                assert_eq!(code.as_deref(), Some("preconditionFailed"));
                assert_eq!(description, "The etag is stale.");
            }
            other => panic!("{other:?}"),
        }
    }
}
