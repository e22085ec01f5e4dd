//! Access tokens: a secret with an expiry, cheap to clone.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use secrecy::{ExposeSecret, SecretString};

use crate::jwt::{self, JwtError, UnverifiedJwt};

/// An access token. Cloning is an `Arc` clone; `Debug` never shows the token.
#[derive(Clone)]
pub struct AccessToken {
    inner: Arc<Inner>,
}

struct Inner {
    token: SecretString,
    expires_on: SystemTime,
    acquired: SystemTime,
}

impl AccessToken {
    /// A token that expires at `expires_on`, acquired at `acquired`.
    pub fn new(token: SecretString, expires_on: SystemTime, acquired: SystemTime) -> Self {
        Self {
            inner: Arc::new(Inner {
                token,
                expires_on,
                acquired,
            }),
        }
    }

    /// Decodes a token endpoint's answer (status and body, read at `now`) the way the
    /// credentials do: a token whose lifetime is clamped to
    /// [`MAX_TOKEN_LIFETIME`](crate::limits::MAX_TOKEN_LIFETIME), or the error. Never
    /// panics on any input; an error never echoes a success body (it may hold a token).
    ///
    /// ```
    /// use std::time::SystemTime;
    /// use partner_center_auth::AccessToken;
    /// let t = AccessToken::from_token_endpoint_response(200, br#"{"access_token":"a","expires_in":18446744073709551615}"#, SystemTime::now()).unwrap();
    /// assert!(t.lifetime() <= partner_center_auth::limits::MAX_TOKEN_LIFETIME);
    /// ```
    pub fn from_token_endpoint_response(
        status: u16,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Self, crate::AuthError> {
        if !(200..300).contains(&status) {
            return Err(crate::endpoint::decode_error(body, status, None));
        }
        let grant = crate::endpoint::decode_grant(body, status, now)?;
        Ok(Self::new(grant.access_token, grant.expires_on, now))
    }

    /// The token itself, still wrapped: only code that puts it on the wire unwraps it.
    pub fn secret(&self) -> &SecretString {
        &self.inner.token
    }

    /// When the token expires.
    pub fn expires_on(&self) -> SystemTime {
        self.inner.expires_on
    }

    /// When the token was acquired.
    pub fn acquired(&self) -> SystemTime {
        self.inner.acquired
    }

    /// The token's lifetime as issued.
    pub fn lifetime(&self) -> Duration {
        self.inner
            .expires_on
            .duration_since(self.inner.acquired)
            .unwrap_or_default()
    }

    /// Whether the token is expired at `now`.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        now >= self.inner.expires_on
    }

    /// Whether two handles are the same acquired token.
    pub fn same_as(&self, other: &AccessToken) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Decodes the token's header and claims **without verifying** its signature, for
    /// summaries and debugging. Entra ID tokens for Microsoft APIs are JWTs, but a
    /// resource may issue opaque tokens; then this fails with [`JwtError`].
    #[allow(clippy::disallowed_methods)] // reason: decoding only; the string never leaves this call
    pub fn inspect_unverified(&self) -> Result<UnverifiedJwt, JwtError> {
        jwt::decode_unverified(self.inner.token.expose_secret())
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"[REDACTED]")
            .field("expires_on", &humanish(self.inner.expires_on))
            .finish()
    }
}

fn humanish(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}
