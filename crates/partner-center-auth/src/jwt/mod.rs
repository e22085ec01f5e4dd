//! JWT inspection for debugging, and optional verification against a JWKS.
//!
//! [`decode_unverified`] says what it does in its name: it decodes header and claims
//! **without checking the signature**. Use it to look at a token, never to trust one.
//!
//! ```
//! use partner_center_auth::jwt;
//! // header {"alg":"none"}, claims {"aud":"https://api.partnercenter.microsoft.com","exp":1}
//! let token = "eyJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL2FwaS5wYXJ0bmVyY2VudGVyLm1pY3Jvc29mdC5jb20iLCJleHAiOjF9.";
//! let jwt = jwt::decode_unverified(token).unwrap();
//! assert_eq!(jwt.claims.aud.as_deref(), Some("https://api.partnercenter.microsoft.com"));
//! assert!(jwt.claims.is_expired_at(std::time::SystemTime::now()));
//! assert!(jwt::decode_unverified("not a jwt").is_err());
//! ```

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Why a token could not be decoded or verified.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// Not three dot-separated base64url parts holding JSON objects.
    #[error(
        "malformed JWT: {0}; a JWT is three base64url parts separated by dots (header.claims.signature)"
    )]
    Malformed(String),
    /// The signature or a validated claim did not check out.
    #[error("the token did not verify: {0}")]
    Invalid(String),
    /// The JWKS or discovery document could not be fetched or read.
    #[error("cannot get the signing keys: {0}")]
    Keys(String),
}

/// A decoded, **unverified** JWT.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnverifiedJwt {
    /// The header as sent (alg, typ, kid, x5t, …).
    pub header: Map<String, Value>,
    /// The claims, the common ones typed, all of them kept.
    pub claims: Claims,
}

/// The claims Entra ID puts in access tokens, typed; every other claim is in `other`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Claims {
    /// Audience: the resource the token is for.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "string_or_first"
    )]
    pub aud: Option<String>,
    /// Issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Tenant id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tid: Option<String>,
    /// Application id (v1 tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appid: Option<String>,
    /// Authorized party: the application id (v2 tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azp: Option<String>,
    /// Object id of the principal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<String>,
    /// Subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// Application roles (app-only tokens).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// Delegated scopes, space-separated (App+User tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scp: Option<String>,
    /// Issued at (Unix seconds).
    #[serde(
        default,
        deserialize_with = "numeric_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub iat: Option<i64>,
    /// Not before (Unix seconds).
    #[serde(
        default,
        deserialize_with = "numeric_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub nbf: Option<i64>,
    /// Expiry (Unix seconds).
    #[serde(
        default,
        deserialize_with = "numeric_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub exp: Option<i64>,
    /// Token version, `1.0` or `2.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ver: Option<String>,
    /// Identity provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp: Option<String>,
    /// User principal name (App+User tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
    /// Authentication methods, e.g. `["pwd","mfa"]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amr: Vec<String>,
    /// Every other claim, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

fn string_or_first<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s),
        Some(Value::Array(a)) => a.into_iter().find_map(|v| v.as_str().map(str::to_owned)),
        _ => None,
    })
}

/// A NumericDate (RFC 7519 §2): seconds since the epoch, possibly fractional; kept as
/// whole seconds, saturating at the `i64` range, so any number a token carries is read.
fn numeric_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    use serde::de::Error as _;
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n
            .as_i64()
            .or_else(|| n.as_u64().map(|_| i64::MAX))
            // `as` saturates (and maps NaN to 0): the intent for an absurd date.
            .or_else(|| n.as_f64().map(|f| f as i64))),
        Some(other) => Err(D::Error::custom(format!(
            "a time claim must be a number, not {other}"
        ))),
    }
}

/// The instant `secs` seconds after the epoch (before it, when negative), when the
/// platform's time can hold it: any `i64` is safe to pass.
pub fn time_from_epoch(secs: i64) -> Option<SystemTime> {
    let d = Duration::from_secs(secs.unsigned_abs());
    if secs >= 0 {
        SystemTime::UNIX_EPOCH.checked_add(d)
    } else {
        SystemTime::UNIX_EPOCH.checked_sub(d)
    }
}

impl Claims {
    /// The application id, from `appid` (v1) or `azp` (v2).
    pub fn app_id(&self) -> Option<&str> {
        self.appid.as_deref().or(self.azp.as_deref())
    }

    /// Expiry as a time.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.exp.and_then(time_from_epoch)
    }

    /// Not-before as a time.
    pub fn not_before(&self) -> Option<SystemTime> {
        self.nbf.and_then(time_from_epoch)
    }

    /// Whether the token is expired at `now` (a token without `exp` never is).
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        // A time too far to represent is far in the past (expired) or the future (not).
        self.exp
            .is_some_and(|secs| time_from_epoch(secs).map_or(secs < 0, |e| now >= e))
    }

    /// Whether the token is not yet valid at `now`.
    pub fn is_not_yet_valid_at(&self, now: SystemTime) -> bool {
        self.nbf
            .is_some_and(|secs| time_from_epoch(secs).map_or(secs > 0, |n| now < n))
    }

    /// Whether the token carries a user (App+User) rather than only an app.
    pub fn is_app_plus_user(&self) -> bool {
        self.scp.is_some() || self.upn.is_some()
    }
}

fn decode_part(part: &str, what: &str) -> Result<Map<String, Value>, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| JwtError::Malformed(format!("the {what} is not base64url")))?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(JwtError::Malformed(format!(
            "the {what} is not a JSON object"
        ))),
        Err(_) => Err(JwtError::Malformed(format!("the {what} is not JSON"))),
    }
}

/// Decodes a JWT's header and claims **without verifying the signature**.
pub fn decode_unverified(token: &str) -> Result<UnverifiedJwt, JwtError> {
    let token = token.trim();
    let token = token.strip_prefix("Bearer ").unwrap_or(token);
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(JwtError::Malformed(format!(
            "found {} part(s), not 3",
            parts.len()
        )));
    }
    let header = decode_part(parts[0], "header")?;
    let claims = serde_json::from_value(Value::Object(decode_part(parts[1], "claims part")?))
        .map_err(|e| JwtError::Malformed(format!("the claims have an unexpected type: {e}")))?;
    Ok(UnverifiedJwt { header, claims })
}

#[cfg(feature = "jwks")]
mod jwks;
#[cfg(feature = "jwks")]
pub use jwks::{JwkSet, fetch_jwks, verify};

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(v: &str) -> String {
        URL_SAFE_NO_PAD.encode(v)
    }

    #[test]
    fn claims_are_typed_and_kept() {
        let t = format!(
            "{}.{}.sig",
            b64(r#"{"alg":"RS256","kid":"k1"}"#),
            b64(
                r#"{"aud":["a","b"],"appid":"app","roles":["r"],"exp":10,"nbf":5,"custom":{"x":1}}"#
            )
        );
        let j = decode_unverified(&t).unwrap();
        assert_eq!(j.header["kid"], "k1");
        assert_eq!(j.claims.aud.as_deref(), Some("a"));
        assert_eq!(j.claims.app_id(), Some("app"));
        assert_eq!(j.claims.other["custom"]["x"], 1);
        assert!(j.claims.is_not_yet_valid_at(SystemTime::UNIX_EPOCH));
    }

    #[test]
    fn malformed_inputs_are_errors_not_panics() {
        for bad in [
            "",
            ".",
            "a.b",
            "a.b.c.d",
            "!!.e30.x",
            "e30.!!.x",
            "WzFd.e30.x",
            "e30.bnVsbA.x",
            "e30.eyJleHAiOiJ4In0.x",
        ] {
            assert!(decode_unverified(bad).is_err(), "{bad}");
        }
    }
}
