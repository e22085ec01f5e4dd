//! The emulator's signing key: RS256 tokens, a JWKS, and verification of what comes back.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};

use crate::EmulatorError;

/// A client certificate registered for the app: its thumbprints and public key.
#[derive(Clone)]
pub(crate) struct ClientCert {
    sha1: String,
    sha256: String,
    key: DecodingKey,
}

impl ClientCert {
    /// Reads the first certificate of a PEM file (a private key beside it is ignored).
    pub(crate) fn from_pem(pem: &[u8]) -> Result<Self, EmulatorError> {
        use sha1::Digest as _;
        use x509_cert::der::Decode as _;
        let text = std::str::from_utf8(pem)
            .map_err(|_| EmulatorError::Key("the certificate PEM is not UTF-8".to_owned()))?;
        let begin = "-----BEGIN CERTIFICATE-----";
        let end = "-----END CERTIFICATE-----";
        let start = text
            .find(begin)
            .ok_or_else(|| EmulatorError::Key("no CERTIFICATE block in the PEM".to_owned()))?;
        let stop = text[start..]
            .find(end)
            .ok_or_else(|| EmulatorError::Key("unterminated CERTIFICATE block".to_owned()))?;
        let body: String = text[start + begin.len()..start + stop]
            .split_whitespace()
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|e| EmulatorError::Key(format!("bad certificate base64: {e}")))?;
        let cert = x509_cert::Certificate::from_der(&der)
            .map_err(|e| EmulatorError::Key(format!("bad certificate: {e}")))?;
        let public = cert
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes();
        Ok(Self {
            sha1: URL_SAFE_NO_PAD.encode(sha1::Sha1::digest(&der)),
            sha256: URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(&der)),
            key: DecodingKey::from_rsa_der(public),
        })
    }
}

/// Verifies a client assertion (RFC 7523) the way Entra ID does: a registered
/// certificate by `x5t`/`x5t#S256`, its signature (RS256 or PS256), `aud` = the token
/// endpoint, `iss` = `sub` = the client id, and its validity window.
pub(crate) fn verify_assertion(
    assertion: &str,
    certs: &[ClientCert],
    audience: &str,
    client_id: &str,
) -> Result<(), (u32, String)> {
    let header = jsonwebtoken::decode_header(assertion).map_err(|e| {
        (
            50012,
            format!("The client assertion is not a valid JWT: {e}."),
        )
    })?;
    if !matches!(header.alg, Algorithm::RS256 | Algorithm::PS256) {
        return Err((
            50012,
            format!(
                "The client assertion's algorithm {:?} is not supported; use PS256 or RS256.",
                header.alg
            ),
        ));
    }
    let cert = certs
        .iter()
        .find(|c| header.x5t_s256.as_deref() == Some(c.sha256.as_str()) || header.x5t.as_deref() == Some(c.sha1.as_str()))
        .ok_or_else(|| (700027, "Client assertion failed signature validation: the certificate (x5t) is not registered for the app.".to_owned()))?;
    let mut validation = Validation::new(header.alg);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[client_id]);
    validation.sub = Some(client_id.to_owned());
    validation.leeway = 60;
    jsonwebtoken::decode::<Value>(assertion, &cert.key, &validation)
        .map(|_| ())
        .map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature
            | jsonwebtoken::errors::ErrorKind::ImmatureSignature => (
                700024,
                "Client assertion is not within its valid time range.".to_owned(),
            ),
            jsonwebtoken::errors::ErrorKind::InvalidAudience => (
                700021,
                format!("The client assertion's audience is not the token endpoint {audience}."),
            ),
            _ => (
                700027,
                format!("Client assertion failed signature validation: {e}."),
            ),
        })
}

pub(crate) struct SigningKey {
    pub(crate) kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    n: String,
    e: String,
}

impl SigningKey {
    pub(crate) fn generate() -> Result<Self, EmulatorError> {
        let mut rng = rand::rngs::OsRng;
        let key = rsa::RsaPrivateKey::new(&mut rng, 2048)
            .map_err(|e| EmulatorError::Key(e.to_string()))?;
        let der = key
            .to_pkcs1_der()
            .map_err(|e| EmulatorError::Key(e.to_string()))?;
        let n = URL_SAFE_NO_PAD.encode(key.n().to_bytes_be());
        let e = URL_SAFE_NO_PAD.encode(key.e().to_bytes_be());
        let decoding = DecodingKey::from_rsa_components(&n, &e)
            .map_err(|e| EmulatorError::Key(e.to_string()))?;
        Ok(Self {
            kid: format!("emu-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]),
            encoding: EncodingKey::from_rsa_der(der.as_bytes()),
            decoding,
            n,
            e,
        })
    }

    pub(crate) fn jwks(&self) -> Value {
        json!({"keys": [{
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid, "x5t": self.kid,
            "n": self.n, "e": self.e, "issuer": "emulator"
        }]})
    }

    pub(crate) fn sign(&self, claims: &Value, v1: bool) -> Result<String, EmulatorError> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        header.typ = Some("JWT".to_owned());
        if v1 {
            header.x5t = Some(self.kid.clone());
        }
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .map_err(|e| EmulatorError::Key(e.to_string()))
    }

    /// Verifies signature and expiry (with no leeway: an expired token is refused, as by
    /// the real service), and returns the claims.
    pub(crate) fn verify(&self, token: &str) -> Result<Value, String> {
        let header =
            jsonwebtoken::decode_header(token).map_err(|e| format!("malformed token: {e}"))?;
        if header.kid.as_deref() != Some(self.kid.as_str()) {
            return Err("the token was not signed by this authority".to_owned());
        }
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_aud = false;
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "aud"]);
        jsonwebtoken::decode::<Value>(token, &self.decoding, &validation)
            .map(|d| d.claims)
            .map_err(|e| format!("invalid token: {e}"))
    }
}
