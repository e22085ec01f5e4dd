//! Signing in for App+User (the secure application model): the consent flows of
//! [`partner_center_auth::consent`] on a profile's application and tenant, with the
//! refresh token kept in the profile's [`RefreshTokenStore`], never in the profile.
//!
//! ```no_run
//! use partner_center::config::Settings;
//! use partner_center::login::Login;
//! # async fn demo() -> Result<(), partner_center::Error> {
//! let settings = Settings::resolve(None, Some("primary"), &|k| std::env::var(k).ok())?;
//! let login = Login::from_settings(&settings)?;
//! let code = login.consent().start_device_code().await.map_err(partner_center::Error::Auth)?;
//! eprintln!("{}", code.message);
//! let consent = login.consent().finish_device_code(&code).await.map_err(partner_center::Error::Auth)?;
//! login.save(&consent)?; // later runs of this profile are App+User
//! # Ok(()) }
//! ```

use std::sync::Arc;

use partner_center_auth::consent::{Consent, ConsentClient};
use partner_center_auth::store::{LoginKey, RefreshTokenStore, StoredLogin};
use partner_center_auth::{Authority, SecretString};

use crate::Error;
use crate::config::Settings;

/// A profile's sign-in: the consent client and where its login is stored.
#[derive(Debug, Clone)]
pub struct Login {
    consent: ConsentClient,
    store: Arc<dyn RefreshTokenStore>,
    key: LoginKey,
}

impl Login {
    /// The sign-in of the settings' application in their tenant, on their cloud, sending
    /// the client secret when one is configured (a confidential app).
    pub fn from_settings(settings: &Settings) -> Result<Self, Error> {
        let spec = &settings.credential;
        let missing = |what: &str| {
            Error::Config(format!(
                "{what} is not set: `auth login` signs in to a profile's application (set `tenant` and `client_id`, or AZURE_TENANT_ID and AZURE_CLIENT_ID)"
            ))
        };
        let tenant = spec.tenant().ok_or_else(|| missing("the tenant"))?;
        let client_id = spec.client_id().ok_or_else(|| missing("the client id"))?;
        let (store, key) = spec.login().ok_or_else(|| {
            Error::Config(
                "there is nowhere to keep the login: set XDG_STATE_HOME or HOME".to_owned(),
            )
        })?;
        let authority =
            Authority::new(settings.cloud.authority_host.clone(), tenant).map_err(Error::Auth)?;
        let consent = ConsentClient::new(authority, client_id)
            .map_err(Error::Auth)?
            .with_resource(&settings.cloud.partner_center_resource)
            .with_client_secret(spec.load_client_secret().map_err(Error::Auth)?);
        Ok(Self {
            consent,
            store,
            key,
        })
    }

    /// The consent flows (device code, authorization code with PKCE).
    pub fn consent(&self) -> &ConsentClient {
        &self.consent
    }

    /// Keeps a consent's refresh token in the store.
    pub fn save(&self, consent: &Consent) -> Result<(), Error> {
        self.save_token(consent.refresh_token.clone(), consent.user.clone())
    }

    fn save_token(&self, token: SecretString, user: Option<String>) -> Result<(), Error> {
        self.store
            .save(&self.key, &StoredLogin::new(token, user))
            .map_err(Error::Auth)
    }

    /// The stored login, if any.
    pub fn status(&self) -> Result<Option<StoredLogin>, Error> {
        self.store.load(&self.key).map_err(Error::Auth)
    }

    /// Removes the stored login; whether there was one.
    pub fn logout(&self) -> Result<bool, Error> {
        self.store.delete(&self.key).map_err(Error::Auth)
    }

    /// Where the login is kept (never the token).
    pub fn location(&self) -> String {
        self.store.location(&self.key)
    }
}
