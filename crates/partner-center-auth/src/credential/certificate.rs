//! Client credentials with a certificate: a signed client assertion (RFC 7523).

use std::fmt;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::SecretString;
use serde::Serialize;
use sha1::Digest as _;

use super::{ClientCore, client_settings};
use crate::endpoint::FormValue;
use crate::{AccessToken, AuthError};

const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How the client assertion is signed and what its header carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CertificateOptions {
    /// Sign with RS256 and the SHA-1 `x5t` thumbprint (older Entra ID guidance) instead
    /// of the default PS256 with `x5t#S256` (what MSAL sends today).
    pub legacy_rs256: bool,
    /// Send the certificate chain in `x5c` (for subject-name/issuer authentication).
    pub send_chain: bool,
}

impl CertificateOptions {
    /// Signs with RS256 and the SHA-1 `x5t` instead of PS256 with `x5t#S256`.
    pub fn legacy_rs256(mut self, yes: bool) -> Self {
        self.legacy_rs256 = yes;
        self
    }

    /// Sends the certificate chain in `x5c`.
    pub fn send_chain(mut self, yes: bool) -> Self {
        self.send_chain = yes;
        self
    }
}

/// The private key and certificate chain, loaded once.
struct CertificateKey {
    key: EncodingKey,
    /// DER certificates, leaf first.
    chain: Vec<Vec<u8>>,
}

impl CertificateKey {
    fn from_pem(pem_bytes: &[u8]) -> Result<Self, AuthError> {
        let blocks = pem::parse_many(pem_bytes)
            .map_err(|e| AuthError::certificate(format!("the PEM file cannot be parsed: {e}")))?;
        let mut chain = Vec::new();
        let mut key = None;
        for block in &blocks {
            match block.tag() {
                "CERTIFICATE" => chain.push(block.contents().to_vec()),
                "PRIVATE KEY" | "RSA PRIVATE KEY" => {
                    let pem_text = pem::encode(block);
                    key = Some(EncodingKey::from_rsa_pem(pem_text.as_bytes()).map_err(|e| {
                        AuthError::certificate(format!(
                            "the private key is not a usable RSA key: {e}"
                        ))
                    })?);
                }
                "ENCRYPTED PRIVATE KEY" => {
                    return Err(AuthError::certificate(
                        "the PEM private key is encrypted; use a PKCS#12 (.pfx) file with its password, or an unencrypted PEM",
                    ));
                }
                _ => {}
            }
        }
        Self::assemble(key, chain)
    }

    fn from_pkcs12(data: &[u8], password: &str) -> Result<Self, AuthError> {
        let store = p12_keystore::KeyStore::from_pkcs12(data, password).map_err(|e| {
            AuthError::certificate(format!(
                "the PKCS#12 file cannot be read ({e}); check the password (AZURE_CLIENT_CERTIFICATE_PASSWORD)"
            ))
        })?;
        let (_, chain) = store.private_key_chain().ok_or_else(|| {
            AuthError::certificate(
                "the PKCS#12 file holds no private key; export the certificate with its key",
            )
        })?;
        let der = pem::Pem::new("PRIVATE KEY", chain.key().to_vec());
        let key = EncodingKey::from_rsa_pem(pem::encode(&der).as_bytes()).map_err(|e| {
            AuthError::certificate(format!("the private key is not a usable RSA key: {e}"))
        })?;
        let certs = chain.chain().iter().map(|c| c.as_der().to_vec()).collect();
        Self::assemble(Some(key), certs)
    }

    fn assemble(key: Option<EncodingKey>, chain: Vec<Vec<u8>>) -> Result<Self, AuthError> {
        let key = key.ok_or_else(|| {
            AuthError::certificate(
                "no private key found; the file must hold the certificate and its RSA private key",
            )
        })?;
        if chain.is_empty() {
            return Err(AuthError::certificate(
                "no certificate found next to the private key",
            ));
        }
        Ok(Self { key, chain })
    }

    fn thumbprint_sha1(&self) -> String {
        URL_SAFE_NO_PAD.encode(sha1::Sha1::digest(&self.chain[0]))
    }

    fn thumbprint_sha256(&self) -> String {
        URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(&self.chain[0]))
    }
}

#[derive(Serialize)]
struct AssertionClaims<'a> {
    aud: &'a str,
    iss: &'a str,
    sub: &'a str,
    jti: String,
    nbf: u64,
    iat: u64,
    exp: u64,
}

/// Client credentials with a certificate (app-only). Loads a PEM file (certificate and
/// RSA private key) or a PKCS#12 file (read in pure Rust; no OpenSSL).
///
/// ```no_run
/// use partner_center_auth::{ClientCertificateCredential, TokenCredential, TokenRequestOptions};
/// # async fn demo() -> Result<(), partner_center_auth::AuthError> {
/// let cred = ClientCertificateCredential::from_file(
///     "contoso.onmicrosoft.com",
///     "00000000-0000-0000-0000-000000000001",
///     "app-cert.pem".as_ref(),
///     None,
/// )?;
/// let token = cred.get_token("https://api.partnercenter.microsoft.com", &TokenRequestOptions::default()).await?;
/// # Ok(()) }
/// ```
pub struct ClientCertificateCredential {
    core: ClientCore,
    cert: CertificateKey,
    options: CertificateOptions,
}

client_settings!(ClientCertificateCredential);

impl ClientCertificateCredential {
    /// Loads `path`: PKCS#12 when it ends in `.pfx`/`.p12` (with `password`), else PEM.
    pub fn from_file(
        tenant: &str,
        client_id: &str,
        path: &Path,
        password: Option<&SecretString>,
    ) -> Result<Self, AuthError> {
        let data = crate::limits::read_file_capped(path, crate::limits::MAX_CREDENTIAL_FILE_BYTES)
            .map_err(|e| {
                AuthError::certificate(format!(
                    "cannot read {}: {e}; check AZURE_CLIENT_CERTIFICATE_PATH",
                    path.display()
                ))
            })?;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if ext == "pfx" || ext == "p12" {
            Self::from_pkcs12(tenant, client_id, &data, password)
        } else {
            Self::from_pem(tenant, client_id, &data)
        }
    }

    /// From PEM bytes holding the certificate (chain) and an unencrypted RSA private key.
    pub fn from_pem(tenant: &str, client_id: &str, pem: &[u8]) -> Result<Self, AuthError> {
        Ok(Self {
            core: ClientCore::new(tenant, client_id)?,
            cert: CertificateKey::from_pem(pem)?,
            options: CertificateOptions::default(),
        })
    }

    /// From PKCS#12 (`.pfx`) bytes.
    #[allow(clippy::disallowed_methods)] // reason: the PKCS#12 password is handed to the decoder, never stored or logged
    pub fn from_pkcs12(
        tenant: &str,
        client_id: &str,
        data: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Self, AuthError> {
        let password = password
            .map(ExposeSecret::expose_secret)
            .unwrap_or_default();
        Ok(Self {
            core: ClientCore::new(tenant, client_id)?,
            cert: CertificateKey::from_pkcs12(data, password)?,
            options: CertificateOptions::default(),
        })
    }

    /// Changes the assertion's algorithm and header.
    pub fn with_options(mut self, options: CertificateOptions) -> Self {
        self.options = options;
        self
    }

    /// The certificate's SHA-1 thumbprint, base64url (as in `x5t`).
    pub fn thumbprint_sha1(&self) -> String {
        self.cert.thumbprint_sha1()
    }

    /// Builds and signs a client assertion for the token endpoint.
    fn assertion(&self) -> Result<SecretString, AuthError> {
        let mut header = if self.options.legacy_rs256 {
            let mut h = Header::new(Algorithm::RS256);
            h.x5t = Some(self.cert.thumbprint_sha1());
            h
        } else {
            let mut h = Header::new(Algorithm::PS256);
            h.x5t_s256 = Some(self.cert.thumbprint_sha256());
            h
        };
        header.typ = Some("JWT".to_owned());
        if self.options.send_chain {
            header.x5c = Some(self.cert.chain.iter().map(|c| STANDARD.encode(c)).collect());
        }
        let now = self
            .core
            .cache
            .clock()
            .now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let aud = self.core.token_endpoint().to_string();
        let claims = AssertionClaims {
            aud: &aud,
            iss: &self.core.client_id,
            sub: &self.core.client_id,
            jti: uuid::Uuid::new_v4().to_string(),
            nbf: now,
            iat: now,
            exp: now + 600,
        };
        jsonwebtoken::encode(&header, &claims, &self.cert.key)
            .map(SecretString::from)
            .map_err(|e| {
                AuthError::certificate(format!("signing the client assertion failed: {e}"))
            })
    }

    async fn fetch(&self, scope: &str) -> Result<AccessToken, AuthError> {
        let assertion = self.assertion()?;
        let proof = [
            ("client_assertion_type", FormValue::Plain(ASSERTION_TYPE)),
            ("client_assertion", FormValue::Secret(&assertion)),
        ];
        self.core.client_credentials(scope, &proof).await
    }
}

use secrecy::ExposeSecret;

impl fmt::Debug for ClientCertificateCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCertificateCredential")
            .field("authority", &self.core.authority)
            .field("client_id", &self.core.client_id)
            .field("x5t", &self.cert.thumbprint_sha1())
            .field("private_key", &"[REDACTED]")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}
