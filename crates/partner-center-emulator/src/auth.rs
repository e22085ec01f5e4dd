//! The one bearer check every API of the emulator shares: a token it signed, for an
//! expected audience, from the registered application. Each API words the refusal in its
//! own error shape.

use axum::http::request::Parts;
use serde_json::Value;

use crate::AppState;

/// Why a request's bearer token was refused.
pub(crate) enum Denied {
    /// No `Authorization: Bearer …` header (401).
    NoBearer,
    /// The token does not verify: bad signature, expired, malformed (401).
    Invalid(String),
    /// The token is for another audience (401).
    Audience(String),
    /// The token's application is not the one registered with the partner (403).
    UnknownApp,
}

/// The claims of the request's bearer token, when it is one of ours, for one of
/// `audiences`, issued to the registered application. The scheme is matched
/// case-insensitively (RFC 6750).
pub(crate) fn bearer_claims(
    parts: &Parts,
    state: &AppState,
    audiences: &[&str],
) -> Result<Value, Denied> {
    let header = parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let token = header
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or(Denied::NoBearer)?;
    let claims = state.key.verify(token).map_err(Denied::Invalid)?;
    let aud = claims["aud"].as_str().unwrap_or_default();
    if !audiences.contains(&aud) {
        return Err(Denied::Audience(aud.to_owned()));
    }
    let app = claims["appid"]
        .as_str()
        .or_else(|| claims["azp"].as_str())
        .unwrap_or_default();
    if app != state.config.client_id {
        return Err(Denied::UnknownApp);
    }
    Ok(claims)
}
