//! Every error in its API's shape: an answer of 400 or more without a JSON body (an unknown
//! route, a method a route does not take, a body or query the extractors refused) is given
//! the body the API it belongs to documents, so a client decoding errors never meets an
//! empty or plain-text body (the sign-in pages' HTML errors, for a person, stay pages).
//! Faults injected on purpose (`/_emulator/faults`) are left as
//! they are: this layer sits inside theirs.
//!
//! The shapes, by path:
//! - Entra ID (`…/oauth2/…`, discovery): the OAuth error with its AADSTS code
//!   (reference-aadsts-error-codes.md; 900561 "The endpoint only accepts POST, OPTIONS
//!   requests" for a wrong method, naming what the route takes);
//! - the submission API (`/v1.0/ingestion`): a bare JSON string, the swagger's error type;
//! - Microsoft Graph (`/v1.0`, `/beta`): `{"error": {"code", "message", "innerError"}}`
//!   with Graph's codes (microsoft-graph-docs-contrib concepts/errors.md);
//! - everything else, the Partner Center REST API: an `ApiFault` (`{code, description,
//!   data, source}`, error-codes.md), code 1000 for not found.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// The most of a plain-text error body kept as the message.
const MESSAGE_LIMIT: usize = 16 * 1024;

/// Gives every body-less or non-JSON error the shape of the API its path belongs to.
pub(crate) async fn shape_errors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    if status.as_u16() < 400 || is_json_or_page(response.headers()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let allowed = parts
        .headers
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let said = axum::body::to_bytes(body, MESSAGE_LIMIT)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let message = if !said.is_empty() {
        said
    } else if status == StatusCode::NOT_FOUND {
        format!(
            "No such resource: {method} {path}. If the service has it, the emulator does not emulate it (docs/emulator.md lists what it serves)."
        )
    } else if status == StatusCode::METHOD_NOT_ALLOWED {
        format!(
            "The method {method} is not allowed on {path}; it takes {allowed}. If the service allows it, the emulator does not emulate it (docs/emulator.md)."
        )
    } else {
        format!(
            "{} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("error")
        )
    };
    let mut shaped = shape(status, &method, &path, &message, &allowed);
    // The original answer's headers (Allow, WWW-Authenticate, Retry-After, ids…) win; the
    // new body's type and length, and what the shape adds, join them.
    let mut headers = parts.headers;
    headers.remove(header::CONTENT_TYPE);
    headers.remove(header::CONTENT_LENGTH);
    for (name, value) in shaped.headers() {
        if !headers.contains_key(name) {
            headers.insert(name.clone(), value.clone());
        }
    }
    *shaped.headers_mut() = headers;
    shaped
}

/// A JSON body, or a page for a person (the sign-in pages answer errors in HTML).
fn is_json_or_page(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json") || v.starts_with("text/html"))
}

fn shape(
    status: StatusCode,
    method: &Method,
    path: &str,
    message: &str,
    allowed: &str,
) -> Response {
    if path.contains("/oauth2/") || path.contains("/.well-known/") || path.contains("/discovery/") {
        let (error, code) = match status {
            StatusCode::METHOD_NOT_ALLOWED => ("invalid_request", 900561),
            StatusCode::NOT_FOUND => ("invalid_request", 90002),
            _ => ("invalid_request", 90014),
        };
        // Entra's own words for its token endpoints, or what the route takes.
        let allowed = if allowed.is_empty() {
            "POST, OPTIONS"
        } else {
            allowed
        };
        let message = if code == 900561 {
            format!("The endpoint only accepts {allowed} requests. Received a {method} request.")
        } else {
            message.to_owned()
        };
        return crate::entra::oauth_error(status, error, code, &message);
    }
    if path.starts_with(crate::ingestion::BASE) {
        // Every answer of the submission API carries a Request-ID, these too.
        let mut response = crate::ingestion::error(status, message);
        if let Ok(id) = axum::http::HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
            response.headers_mut().insert("request-id", id);
        }
        return response;
    }
    if path.starts_with("/v1.0/") || path.starts_with("/beta/") {
        let code = match status.as_u16() {
            401 => "unauthenticated",
            403 => "accessDenied",
            404 => "itemNotFound",
            405 => "notSupported",
            409 => "nameAlreadyExists",
            400..=499 => "invalidRequest",
            _ => "generalException",
        };
        return crate::graph::graph_error(status, code, message);
    }
    // error-codes.md: 1000 is "not found"; other statuses have no business code, so the
    // fault carries the status itself.
    let code = match status {
        StatusCode::NOT_FOUND => 1000,
        other => u32::from(other.as_u16()),
    };
    crate::rest::fault_response(status, code, message)
}
