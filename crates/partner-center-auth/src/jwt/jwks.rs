//! Signature verification against a JSON Web Key Set (feature `jwks`, on by default).

use serde::Deserialize;

use super::{Claims, JwtError};

/// A JSON Web Key Set, as served at an OpenID provider's `jwks_uri`.
pub use jsonwebtoken::jwk::JwkSet;

/// Verifies an RS256 token's signature against `keys` (matched by `kid`), its expiry,
/// and its audience when `audience` is given. Returns the claims.
pub fn verify(token: &str, keys: &JwkSet, audience: Option<&[&str]>) -> Result<Claims, JwtError> {
    let header =
        jsonwebtoken::decode_header(token).map_err(|e| JwtError::Malformed(e.to_string()))?;
    let kid = header
        .kid
        .ok_or_else(|| JwtError::Invalid("the token header has no kid".to_owned()))?;
    let jwk = keys
        .find(&kid)
        .ok_or_else(|| JwtError::Invalid(format!("no key with kid {kid} in the key set")))?;
    let key =
        jsonwebtoken::DecodingKey::from_jwk(jwk).map_err(|e| JwtError::Keys(e.to_string()))?;
    let mut validation = jsonwebtoken::Validation::new(header.alg);
    match audience {
        Some(aud) => validation.set_audience(aud),
        None => validation.validate_aud = false,
    }
    jsonwebtoken::decode::<Claims>(token, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| JwtError::Invalid(e.to_string()))
}

#[derive(Deserialize)]
struct Discovery {
    jwks_uri: String,
}

/// Fetches the key set named by an OpenID discovery document
/// (`{authority}/{tenant}/v2.0/.well-known/openid-configuration`).
pub async fn fetch_jwks(
    client: &reqwest::Client,
    discovery_url: &url::Url,
) -> Result<JwkSet, JwtError> {
    let get = |url: url::Url| async move {
        client
            .get(url.clone())
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| JwtError::Keys(format!("GET {url}: {e}")))?
            .bytes()
            .await
            .map_err(|e| JwtError::Keys(format!("GET {url}: {e}")))
    };
    let doc: Discovery = serde_json::from_slice(&get(discovery_url.clone()).await?)
        .map_err(|e| JwtError::Keys(format!("the discovery document is invalid: {e}")))?;
    let jwks_url =
        url::Url::parse(&doc.jwks_uri).map_err(|e| JwtError::Keys(format!("bad jwks_uri: {e}")))?;
    serde_json::from_slice(&get(jwks_url).await?)
        .map_err(|e| JwtError::Keys(format!("the JWKS is invalid: {e}")))
}
