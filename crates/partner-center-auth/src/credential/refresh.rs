//! App+User tokens from a refresh token (the secure application model).

use std::fmt;
use std::sync::Arc;

use secrecy::SecretString;

use super::{ClientCore, client_settings};
use crate::endpoint::FormValue;
use crate::{AccessToken, AuthError};

/// Called with every rotated refresh token, so the caller can persist it (e.g. to Key
/// Vault). Partner Center refresh tokens die after 90 days unused, and a rotated one
/// replaces the old: lose it and the consent must be redone.
pub type RefreshTokenCallback = Arc<dyn Fn(&SecretString) + Send + Sync>;

/// App+User credentials from a refresh token obtained once through the secure
/// application model's consent.
///
/// Every use of the refresh token is serialised (one request at a time, across all
/// scopes): two concurrent refreshes with one refresh token can get the token family
/// revoked.
///
/// ```no_run
/// use partner_center_auth::{RefreshTokenCredential, SecretString, secret};
/// use std::sync::Arc;
/// # fn demo() -> Result<(), partner_center_auth::AuthError> {
/// let refresh = secret::from_env("PARTNER_CENTER_REFRESH_TOKEN")?.expect("set it");
/// let app_secret = secret::from_env("AZURE_CLIENT_SECRET")?;
/// let cred = RefreshTokenCredential::new("contoso.onmicrosoft.com", "00000000-0000-0000-0000-000000000001", app_secret, refresh)?
///     .on_rotation(Arc::new(|_new: &SecretString| { /* store it in your vault */ }));
/// # Ok(()) }
/// ```
pub struct RefreshTokenCredential {
    core: ClientCore,
    client_secret: Option<SecretString>,
    /// Shared with the credentials of other tenants made by `for_tenant`: one user, one
    /// refresh token, one request at a time.
    refresh_token: Arc<tokio::sync::Mutex<SecretString>>,
    on_rotation: Option<RefreshTokenCallback>,
}

client_settings!(RefreshTokenCredential, {
    fn for_tenant(&self, tenant: &str) -> Result<crate::Credential, AuthError> {
        Ok(crate::Credential::new(RefreshTokenCredential::for_tenant(
            self, tenant,
        )?))
    }
});

impl RefreshTokenCredential {
    /// A credential for the app `client_id` (confidential when `client_secret` is set).
    pub fn new(
        tenant: &str,
        client_id: &str,
        client_secret: Option<SecretString>,
        refresh_token: SecretString,
    ) -> Result<Self, AuthError> {
        let mut core = ClientCore::new(tenant, client_id)?;
        core.identity = format!("{client_id}#user-{}", uuid::Uuid::new_v4().simple());
        Ok(Self {
            core,
            client_secret,
            refresh_token: Arc::new(tokio::sync::Mutex::new(refresh_token)),
            on_rotation: None,
        })
    }

    /// The same user's App+User tokens in another tenant: a customer's, for the work GDAP
    /// allows there (Microsoft Graph, Exchange), as the secure application model does
    /// (gdap-and-secure-application-model.md). The refresh token, its rotations and the
    /// token cache are shared (entries are per tenant, single-flight per key); the
    /// tenant's authority is asked. Entra refuses a tenant the partner has no
    /// relationship with.
    ///
    /// ```
    /// use partner_center_auth::{RefreshTokenCredential, SecretString};
    /// let partner = RefreshTokenCredential::new("contoso.onmicrosoft.com", "app", None, SecretString::from("rt".to_owned())).unwrap();
    /// let customer = partner.for_tenant("7d3a1b2c-0000-4000-8000-00000000c001").unwrap();
    /// assert_eq!(customer.tenant(), "7d3a1b2c-0000-4000-8000-00000000c001");
    /// ```
    pub fn for_tenant(&self, tenant: &str) -> Result<Self, AuthError> {
        let mut core = self.core.clone();
        core.authority = crate::Authority::new(core.authority.host().clone(), tenant)?;
        core.slots = Arc::default();
        Ok(Self {
            core,
            client_secret: self.client_secret.clone(),
            refresh_token: Arc::clone(&self.refresh_token),
            on_rotation: self.on_rotation.clone(),
        })
    }

    /// Sets the callback that receives every rotated refresh token.
    pub fn on_rotation(mut self, callback: RefreshTokenCallback) -> Self {
        self.on_rotation = Some(callback);
        self
    }

    /// Saves every rotated refresh token to `store` under `key` (keeping `user`), so the
    /// stored login stays alive; a failed save is logged as a warning (the token in
    /// memory still works for this process).
    pub fn with_store(
        self,
        store: Arc<dyn crate::store::RefreshTokenStore>,
        key: crate::store::LoginKey,
        user: Option<String>,
    ) -> Self {
        self.on_rotation(Arc::new(move |rotated: &SecretString| {
            let login = crate::store::StoredLogin::new(rotated.clone(), user.clone());
            if let Err(e) = store.save(&key, &login) {
                tracing::warn!(error = %e, "could not save the rotated refresh token; the stored login may expire sooner");
            }
        }))
    }

    async fn fetch(&self, scope: &str) -> Result<AccessToken, AuthError> {
        // Held across the request on purpose: one refresh token, one request at a time.
        let mut current = self.refresh_token.lock().await;
        let (target_name, mut target) = self.core.target_field(scope);
        if target_name == "scope" {
            target.push_str(" offline_access");
        }
        let mut fields = vec![
            ("grant_type", FormValue::Plain("refresh_token")),
            ("client_id", FormValue::Plain(&self.core.client_id)),
            ("refresh_token", FormValue::Secret(&current)),
            (target_name, FormValue::Plain(&target)),
        ];
        if let Some(secret) = &self.client_secret {
            fields.push(("client_secret", FormValue::Secret(secret)));
        }
        let mut grant = self.core.post(&fields).await?;
        drop(fields);
        if let Some(rotated) = grant.refresh_token.take() {
            if let Some(callback) = &self.on_rotation {
                callback(&rotated);
            }
            *current = rotated;
        }
        Ok(self.core.token_from(grant))
    }
}

impl fmt::Debug for RefreshTokenCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshTokenCredential")
            .field("authority", &self.core.authority)
            .field("client_id", &self.core.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[REDACTED]"),
            )
            .field("refresh_token", &"[REDACTED]")
            .finish_non_exhaustive()
    }
}
