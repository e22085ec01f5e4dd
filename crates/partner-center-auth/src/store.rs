//! Where an App+User refresh token lives between runs: a [`RefreshTokenStore`].
//!
//! The token is the keys to a partner's tenant for 90 days: a store keeps it private
//! (a file only its owner can read, written atomically), a profile refers to the store
//! and never holds the token, and every rotation is saved
//! ([`RefreshTokenCredential::with_store`](crate::RefreshTokenCredential::with_store)).

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::AuthError;

/// Which login a stored token belongs to: the authority host, tenant and application.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LoginKey {
    authority_host: String,
    tenant: String,
    client_id: String,
}

impl LoginKey {
    /// The login of `client_id` in `tenant` at `authority_host`.
    pub fn new(authority_host: &url::Url, tenant: &str, client_id: &str) -> Self {
        Self {
            authority_host: authority_host.as_str().trim_end_matches('/').to_owned(),
            tenant: tenant.to_ascii_lowercase(),
            client_id: client_id.to_ascii_lowercase(),
        }
    }

    /// A file-name-safe name for the key: host, tenant and client, with anything but
    /// letters, digits, `.` and `-` replaced.
    pub fn file_name(&self) -> String {
        let host = self
            .authority_host
            .split_once("://")
            .map_or(self.authority_host.as_str(), |(_, h)| h);
        let clean = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        };
        format!(
            "{}__{}__{}.json",
            clean(host),
            clean(&self.tenant),
            clean(&self.client_id)
        )
    }

    /// The tenant.
    pub fn tenant(&self) -> &str {
        &self.tenant
    }
}

/// A stored login: the refresh token, when it was saved, and who signed in.
#[derive(Clone)]
#[non_exhaustive]
pub struct StoredLogin {
    /// The refresh token.
    pub refresh_token: SecretString,
    /// When it was saved (each rotation saves it again).
    pub saved_at: SystemTime,
    /// Who signed in, when known.
    pub user: Option<String>,
}

impl StoredLogin {
    /// A login saved now.
    pub fn new(refresh_token: SecretString, user: Option<String>) -> Self {
        Self {
            refresh_token,
            saved_at: crate::Clock::now(&crate::SystemClock),
            user,
        }
    }

    /// When the refresh token dies if it is not used (90 days after it was saved).
    pub fn expires_unused_at(&self) -> SystemTime {
        crate::consent::refresh_token_expiry(self.saved_at)
    }
}

impl fmt::Debug for StoredLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredLogin")
            .field("refresh_token", &"[REDACTED]")
            .field("saved_at", &self.saved_at)
            .field("user", &self.user)
            .finish()
    }
}

/// Where refresh tokens are kept between runs.
pub trait RefreshTokenStore: Send + Sync + fmt::Debug {
    /// The stored login for `key`, if any.
    fn load(&self, key: &LoginKey) -> Result<Option<StoredLogin>, AuthError>;
    /// Saves (replaces) the login for `key`.
    fn save(&self, key: &LoginKey, login: &StoredLogin) -> Result<(), AuthError>;
    /// Removes the login for `key`; whether there was one.
    fn delete(&self, key: &LoginKey) -> Result<bool, AuthError>;
    /// Where the login for `key` is kept, for people (a path, "the OS keyring"); never
    /// the token.
    fn location(&self, key: &LoginKey) -> String;
}

/// Refresh tokens in files, one per login: created only-owner-readable (0600, in a 0700
/// directory) and replaced atomically (a temporary file renamed over the old one).
///
/// ```
/// use partner_center_auth::store::{FileStore, LoginKey, RefreshTokenStore, StoredLogin};
/// use partner_center_auth::SecretString;
/// let dir = std::env::temp_dir().join(format!("pc-store-doc-{}", std::process::id()));
/// let store = FileStore::new(&dir);
/// let key = LoginKey::new(&"https://login.microsoftonline.com".parse().unwrap(), "contoso.onmicrosoft.com", "app");
/// store.save(&key, &StoredLogin::new(SecretString::from("rt".to_owned()), None)).unwrap();
/// assert!(store.load(&key).unwrap().is_some());
/// assert!(store.delete(&key).unwrap());
/// # std::fs::remove_dir_all(&dir).ok();
/// ```
#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct FileLogin {
    version: u32,
    #[serde(serialize_with = "expose")]
    refresh_token: SecretString,
    saved_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user: Option<String>,
}

impl From<&StoredLogin> for FileLogin {
    fn from(login: &StoredLogin) -> Self {
        Self {
            version: 1,
            refresh_token: login.refresh_token.clone(),
            saved_at: login
                .saved_at
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or_default(),
            user: login.user.clone(),
        }
    }
}

impl FileLogin {
    /// Reads a stored login's text; the error names `place`, never the text.
    fn parse(bytes: &[u8], place: &str) -> Result<StoredLogin, AuthError> {
        let file: FileLogin = serde_json::from_slice(bytes).map_err(|e| {
            AuthError::config(format!(
                "the stored login {place} is damaged ({:?}); run `partner-center auth logout` and log in again",
                e.classify()
            ))
        })?;
        Ok(StoredLogin {
            refresh_token: file.refresh_token,
            saved_at: SystemTime::UNIX_EPOCH + Duration::from_secs(file.saved_at),
            user: file.user,
        })
    }
}

impl FileStore {
    /// Files in `dir` (created when the first login is saved).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The default folder, through `env`: `$XDG_STATE_HOME/partner-center/logins`, else
    /// `~/.local/state/partner-center/logins` (`%LOCALAPPDATA%` on Windows).
    pub fn default_dir(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
        let get = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        let base = get("XDG_STATE_HOME")
            .map(PathBuf::from)
            .or_else(|| get("LOCALAPPDATA").map(PathBuf::from))
            .or_else(|| get("HOME").map(|h| Path::new(&h).join(".local").join("state")))?;
        Some(base.join("partner-center").join("logins"))
    }

    fn path(&self, key: &LoginKey) -> PathBuf {
        self.dir.join(key.file_name())
    }

    fn create_dir(&self) -> std::io::Result<()> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&self.dir)?;
        // A folder that existed before keeps its mode: make it private too.
        #[cfg(unix)]
        std::fs::set_permissions(
            &self.dir,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )?;
        Ok(())
    }
}

/// Writes the refresh token into the store's private file: the one place it rests.
#[allow(clippy::disallowed_methods)] // reason: the store writes the refresh token to its private file, the one place it rests
fn expose<S: serde::Serializer>(secret: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose_secret())
}

fn store_error(what: &str, path: &Path, e: impl fmt::Display) -> AuthError {
    AuthError::config(format!(
        "cannot {what} the stored login {}: {e}; check the folder's permissions",
        path.display()
    ))
}

impl RefreshTokenStore for FileStore {
    fn load(&self, key: &LoginKey) -> Result<Option<StoredLogin>, AuthError> {
        let path = self.path(key);
        let bytes = match crate::limits::read_file_capped(&path, 64 * 1024) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(store_error("read", &path, e)),
        };
        FileLogin::parse(&bytes, &path.display().to_string()).map(Some)
    }

    fn save(&self, key: &LoginKey, login: &StoredLogin) -> Result<(), AuthError> {
        let path = self.path(key);
        self.create_dir()
            .map_err(|e| store_error("create the folder of", &path, e))?;
        let text = serde_json::to_vec(&FileLogin::from(login))
            .map_err(|e| store_error("write", &path, e))?;
        let tmp = self.dir.join(format!(
            ".{}.{}.tmp",
            key.file_name(),
            uuid::Uuid::new_v4().simple()
        ));
        let write = || -> std::io::Result<()> {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut f = options.open(&tmp)?;
            f.write_all(&text)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            // The rename itself survives a crash only once the folder is on disk.
            #[cfg(unix)]
            std::fs::File::open(&self.dir)?.sync_all()?;
            Ok(())
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            store_error("write", &path, e)
        })
    }

    fn delete(&self, key: &LoginKey) -> Result<bool, AuthError> {
        let path = self.path(key);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(store_error("remove", &path, e)),
        }
    }

    fn location(&self, key: &LoginKey) -> String {
        format!("file {}", self.path(key).display())
    }
}

/// Refresh tokens in the OS keyring (feature `keyring`): the macOS Keychain, the
/// Windows Credential Manager, the Secret Service (GNOME Keyring, KWallet) over D-Bus.
/// One entry per login, service `partner-center`. Where there is no keyring (a headless
/// Linux server has no Secret Service), every call is
/// [`AuthError::CredentialUnavailable`], which [`PreferKeyring`] takes as "use the file".
#[cfg(feature = "keyring")]
#[derive(Debug, Clone, Default)]
pub struct KeyringStore;

#[cfg(feature = "keyring")]
impl KeyringStore {
    const SERVICE: &'static str = "partner-center";

    fn entry(key: &LoginKey) -> Result<keyring::Entry, AuthError> {
        keyring::Entry::new(Self::SERVICE, &key.file_name()).map_err(keyring_error)
    }
}

#[cfg(feature = "keyring")]
fn keyring_error(e: keyring::Error) -> AuthError {
    match e {
        // TooLong: Windows' Credential Manager holds about 1,280 characters, less than
        // some refresh tokens; the file takes those.
        keyring::Error::PlatformFailure(_)
        | keyring::Error::NoStorageAccess(_)
        | keyring::Error::TooLong(..) => AuthError::unavailable("the OS keyring", e.to_string()),
        other => AuthError::config(format!("the OS keyring: {other}")),
    }
}

#[cfg(feature = "keyring")]
impl RefreshTokenStore for KeyringStore {
    fn load(&self, key: &LoginKey) -> Result<Option<StoredLogin>, AuthError> {
        match Self::entry(key)?.get_password() {
            Ok(text) => FileLogin::parse(text.as_bytes(), "in the OS keyring").map(Some),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    #[allow(clippy::disallowed_methods)] // reason: hands the login to the OS keyring, where it rests
    fn save(&self, key: &LoginKey, login: &StoredLogin) -> Result<(), AuthError> {
        let text = serde_json::to_string(&FileLogin::from(login))
            .map(SecretString::from)
            .map_err(|e| AuthError::config(format!("cannot encode the login: {e}")))?;
        Self::entry(key)?
            .set_password(text.expose_secret())
            .map_err(keyring_error)
    }

    fn delete(&self, key: &LoginKey) -> Result<bool, AuthError> {
        match Self::entry(key)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn location(&self, key: &LoginKey) -> String {
        format!(
            "the OS keyring (service {}, account {})",
            Self::SERVICE,
            key.file_name()
        )
    }
}

/// The keyring where there is one, else the file: saves go to `primary` (the OS
/// keyring) and fall back to `fallback` (a [`FileStore`]) when the keyring is
/// unavailable; a save to the keyring removes any file copy; loads look in both.
#[derive(Debug, Clone)]
pub struct PreferKeyring {
    primary: std::sync::Arc<dyn RefreshTokenStore>,
    fallback: FileStore,
}

impl PreferKeyring {
    /// `primary` first (normally [`KeyringStore`]), then `fallback`.
    pub fn new(primary: std::sync::Arc<dyn RefreshTokenStore>, fallback: FileStore) -> Self {
        Self { primary, fallback }
    }

    /// The OS keyring, else files in `dir`.
    #[cfg(feature = "keyring")]
    pub fn os_keyring_or_files(dir: impl Into<PathBuf>) -> Self {
        Self::new(std::sync::Arc::new(KeyringStore), FileStore::new(dir))
    }
}

fn unavailable(e: &AuthError) -> bool {
    matches!(e, AuthError::CredentialUnavailable { .. })
}

impl RefreshTokenStore for PreferKeyring {
    fn load(&self, key: &LoginKey) -> Result<Option<StoredLogin>, AuthError> {
        let primary = match self.primary.load(key) {
            Ok(found) => found,
            Err(e) if unavailable(&e) => None,
            Err(e) => return Err(e),
        };
        // Both, when a login fell back to the file while the keyring was away (over
        // SSH, say): the newer one.
        Ok(match (primary, self.fallback.load(key)?) {
            (Some(k), Some(f)) => Some(if f.saved_at > k.saved_at { f } else { k }),
            (k, f) => k.or(f),
        })
    }

    fn save(&self, key: &LoginKey, login: &StoredLogin) -> Result<(), AuthError> {
        match self.primary.save(key, login) {
            Ok(()) => {
                // One place only: a file left from a keyring-less day would be stale.
                if let Err(e) = self.fallback.delete(key) {
                    tracing::warn!(error = %e, "the login is in the OS keyring, but an older copy in a file could not be removed");
                }
                Ok(())
            }
            Err(e) if unavailable(&e) => {
                tracing::debug!(error = %e, "no OS keyring; the login goes to a private file");
                self.fallback.save(key, login)
            }
            Err(e) => Err(e),
        }
    }

    fn delete(&self, key: &LoginKey) -> Result<bool, AuthError> {
        let in_primary = match self.primary.delete(key) {
            Ok(found) => found,
            Err(e) if unavailable(&e) => false,
            Err(e) => return Err(e),
        };
        Ok(self.fallback.delete(key)? || in_primary)
    }

    fn location(&self, key: &LoginKey) -> String {
        match self.primary.load(key) {
            Ok(Some(_)) => self.primary.location(key),
            _ if self.fallback.load(key).ok().flatten().is_some() => self.fallback.location(key),
            Err(_) => format!("{} (no OS keyring here)", self.fallback.location(key)),
            Ok(None) => format!(
                "{}, else {}",
                self.primary.location(key),
                self.fallback.location(key)
            ),
        }
    }
}
