//! Stored logins: the private file, and the keyring-first store's fallback to it.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)] // reason: tests unwrap and read the token they stored

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use partner_center_auth::store::{
    FileStore, LoginKey, PreferKeyring, RefreshTokenStore, StoredLogin,
};
use partner_center_auth::{AuthError, ExposeSecret, SecretString};

fn key() -> LoginKey {
    LoginKey::new(
        &"https://login.microsoftonline.com".parse().unwrap(),
        "Contoso.onmicrosoft.com",
        "App",
    )
}

fn login(token: &str) -> StoredLogin {
    StoredLogin::new(
        SecretString::from(token.to_owned()),
        Some("admin@contoso".to_owned()),
    )
}

#[test]
fn the_file_is_private_replaced_atomically_and_never_quoted_when_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("logins"));
    assert!(store.load(&key()).unwrap().is_none());
    store.save(&key(), &login("first")).unwrap();
    store.save(&key(), &login("second")).unwrap();
    let loaded = store.load(&key()).unwrap().unwrap();
    assert_eq!(loaded.refresh_token.expose_secret(), "second");
    assert_eq!(loaded.user.as_deref(), Some("admin@contoso"));
    let files: Vec<_> = std::fs::read_dir(dir.path().join("logins"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "no temporary file left: {files:?}");
    assert!(
        files[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .contains("contoso.onmicrosoft.com"),
        "{files:?}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let file = std::fs::metadata(&files[0]).unwrap().permissions().mode();
        let folder = std::fs::metadata(dir.path().join("logins"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!((file & 0o777, folder & 0o777), (0o600, 0o700));
    }
    std::fs::write(&files[0], "{\"refresh_token\": \"LEAKED\"").unwrap();
    let err = store.load(&key()).unwrap_err().to_string();
    assert!(
        !err.contains("LEAKED") && err.contains("auth logout"),
        "{err}"
    );
    assert!(store.delete(&key()).unwrap());
    assert!(!store.delete(&key()).unwrap());
}

/// A keyring that is there (in memory) or not (every call unavailable).
#[derive(Debug, Default)]
struct FakeKeyring {
    present: bool,
    saved: Mutex<HashMap<String, StoredLogin>>,
}

impl RefreshTokenStore for FakeKeyring {
    fn load(&self, key: &LoginKey) -> Result<Option<StoredLogin>, AuthError> {
        if !self.present {
            return Err(no_keyring());
        }
        Ok(self.saved.lock().unwrap().get(&key.file_name()).cloned())
    }

    fn save(&self, key: &LoginKey, login: &StoredLogin) -> Result<(), AuthError> {
        if !self.present {
            return Err(no_keyring());
        }
        self.saved
            .lock()
            .unwrap()
            .insert(key.file_name(), login.clone());
        Ok(())
    }

    fn delete(&self, key: &LoginKey) -> Result<bool, AuthError> {
        if !self.present {
            return Err(no_keyring());
        }
        Ok(self
            .saved
            .lock()
            .unwrap()
            .remove(&key.file_name())
            .is_some())
    }

    fn location(&self, _key: &LoginKey) -> String {
        "the fake keyring".to_owned()
    }
}

fn no_keyring() -> AuthError {
    // What KeyringStore answers on a machine without a Secret Service.
    AuthError::from_store_unavailable("no Secret Service on the session bus")
}

#[test]
fn without_a_keyring_logins_go_to_the_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = PreferKeyring::new(Arc::new(FakeKeyring::default()), FileStore::new(dir.path()));
    store.save(&key(), &login("rt")).unwrap();
    assert_eq!(
        store
            .load(&key())
            .unwrap()
            .unwrap()
            .refresh_token
            .expose_secret(),
        "rt"
    );
    assert!(
        store.location(&key()).starts_with("file "),
        "{}",
        store.location(&key())
    );
    assert!(FileStore::new(dir.path()).load(&key()).unwrap().is_some());
    assert!(store.delete(&key()).unwrap());
    assert!(store.load(&key()).unwrap().is_none());
}

#[test]
fn with_a_keyring_logins_go_there_and_an_old_file_copy_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let files = FileStore::new(dir.path());
    files.save(&key(), &login("old-file-copy")).unwrap();
    let keyring = Arc::new(FakeKeyring {
        present: true,
        ..FakeKeyring::default()
    });
    let store = PreferKeyring::new(keyring.clone(), files.clone());
    assert_eq!(
        store
            .load(&key())
            .unwrap()
            .unwrap()
            .refresh_token
            .expose_secret(),
        "old-file-copy",
        "a login from before the keyring is still found"
    );
    store.save(&key(), &login("rotated")).unwrap();
    assert!(
        files.load(&key()).unwrap().is_none(),
        "the file copy is gone"
    );
    assert_eq!(store.location(&key()), "the fake keyring");
    assert_eq!(
        store
            .load(&key())
            .unwrap()
            .unwrap()
            .refresh_token
            .expose_secret(),
        "rotated"
    );
    assert!(store.delete(&key()).unwrap());
    assert!(keyring.saved.lock().unwrap().is_empty());
}

#[test]
fn when_both_hold_a_login_the_newer_wins() {
    let dir = tempfile::tempdir().unwrap();
    let files = FileStore::new(dir.path());
    let keyring = Arc::new(FakeKeyring {
        present: true,
        ..FakeKeyring::default()
    });
    // The keyring's copy is older: the file's was saved a second later.
    keyring.save(&key(), &login("keyring-old")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    files.save(&key(), &login("file-new")).unwrap();
    let store = PreferKeyring::new(keyring, files);
    assert_eq!(
        store
            .load(&key())
            .unwrap()
            .unwrap()
            .refresh_token
            .expose_secret(),
        "file-new"
    );
}
