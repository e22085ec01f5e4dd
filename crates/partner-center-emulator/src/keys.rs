//! The emulator's signing key: RS256 tokens, a JWKS, and verification of what comes back.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};

use crate::EmulatorError;

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
