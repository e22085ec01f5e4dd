//! Tokens shared by a fleet of processes through Redis (feature `fleet`).
//!
//! [`FleetCredential`] wraps any credential: each process keeps a local copy of a token
//! until its refresh time (the hot path never touches Redis); when a refresh is due, it
//! takes the token another process put in Redis if that one is still fresh, else one
//! process asks the token endpoint (a Redis lock with an expiry: single flight across the
//! fleet) and the others wait for its token. Tokens rest in Redis encrypted with
//! AES-256-GCM under a key given by reference ([`TokenKey`]), bound to their Redis key;
//! never in the clear. Redis is a help, never a dependency: when it fails or is slow
//! (250 ms), the process asks its own credential, warns, and shares again once Redis
//! answers.
#![allow(clippy::disallowed_methods)] // reason: this module seals tokens (AES-256-GCM) before they rest in Redis, opens them after, and hands the Redis URL (which may carry its password) to the Redis client

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aes_gcm::aead::{Aead as _, KeyInit as _, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use redis::aio::ConnectionManager;
use secrecy::{ExposeSecret, SecretBox, SecretString};

use crate::cache::{CacheKey, RefreshPolicy, TokenCache};
use crate::{
    AccessToken, AuthError, CachedToken, Credential, TokenCredential, TokenRequestOptions,
};

/// How long a call to Redis may take before the process goes on alone.
const REDIS_TIMEOUT: Duration = Duration::from_millis(250);
/// How long the process that refreshes may hold the fleet's lock (a process stopped while
/// holding it holds the others back no longer than this).
const LOCK_TTL_MS: u64 = 10_000;
/// How long the others wait for its token before asking their own credential.
const WAIT_FOR_PEER: Duration = Duration::from_millis(LOCK_TTL_MS);

/// The AES-256 key tokens rest under: 32 bytes, base64, given by reference (an
/// environment variable or a file), never in a config file.
pub struct TokenKey(SecretBox<[u8; 32]>);

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey([REDACTED])")
    }
}

impl TokenKey {
    /// A key from its base64 text (standard or URL-safe, 32 bytes).
    pub fn from_base64(text: &SecretString) -> Result<Self, AuthError> {
        let trimmed = text.expose_secret().trim();
        let bytes = STANDARD
            .decode(trimmed)
            .or_else(|_| URL_SAFE_NO_PAD.decode(trimmed.trim_end_matches('=')))
            .map_err(|_| AuthError::config("the fleet's token key is not base64: give 32 random bytes in base64 (openssl rand -base64 32)"))?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| {
            AuthError::config("the fleet's token key is not 32 bytes: give 32 random bytes in base64 (openssl rand -base64 32)")
        })?;
        Ok(Self(SecretBox::new(Box::new(key))))
    }

    /// A fresh random key (for tests; a fleet shares one key).
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        key[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        key[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        Self(SecretBox::new(Box::new(key)))
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(self.0.expose_secret().into())
    }

    /// A short id of the key (a hash of it), so that processes with different keys use
    /// different Redis keys rather than overwrite each other's tokens.
    fn id(&self) -> String {
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(self.0.expose_secret());
        URL_SAFE_NO_PAD.encode(&digest[..6])
    }
}

/// 96 random bits for a nonce (the random bytes of a version-4 UUID).
fn nonce() -> [u8; 12] {
    let id = uuid::Uuid::new_v4();
    let b = id.as_bytes();
    let mut n = [0u8; 12];
    n[..6].copy_from_slice(&b[..6]);
    n[6..].copy_from_slice(&b[9..15]);
    n
}

fn secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A Redis connection that fails soft: each call answers within 250 ms or not at all
/// (`None`), a failure warns once a minute (saying what the process does instead) and
/// keeps Redis aside for a second, and the first answer after a failure says so. Shared
/// by the fleet's token cache and rate budget.
pub struct RedisLink {
    client: redis::Client,
    /// The connection, numbered: a failure forgets only the connection it happened on.
    conn: tokio::sync::Mutex<Option<(u64, ConnectionManager)>>,
    connections: std::sync::atomic::AtomicU64,
    failed_at: Mutex<Option<Instant>>,
    warned_at: Mutex<Option<Instant>>,
    /// What the process does while Redis is away, for the warning.
    meanwhile: &'static str,
}

impl std::fmt::Debug for RedisLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RedisLink")
    }
}

impl RedisLink {
    /// A link to the Redis at `url` (`redis://` or `rediss://`; it may carry a password:
    /// it stays a secret, and errors name neither); nothing connects until it is used.
    /// `meanwhile` says what the process does while Redis does not answer.
    pub fn open(url: &SecretString, meanwhile: &'static str) -> Result<Self, AuthError> {
        let client = redis::Client::open(url.expose_secret()).map_err(|_| {
            AuthError::config(
                "the fleet's redis_url is not a Redis URL (redis://host:port/db or rediss://…)",
            )
        })?;
        Ok(Self {
            client,
            conn: tokio::sync::Mutex::new(None),
            connections: std::sync::atomic::AtomicU64::new(0),
            failed_at: Mutex::new(None),
            warned_at: Mutex::new(None),
            meanwhile,
        })
    }

    fn failed_recently(&self) -> bool {
        self.failed_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some_and(|at| at.elapsed() < Duration::from_secs(1))
    }

    async fn connection(&self) -> Option<(u64, ConnectionManager)> {
        if self.failed_recently() {
            return None;
        }
        let mut conn = self.conn.lock().await;
        if conn.is_none() {
            // Another caller may have failed while this one waited for the lock.
            if self.failed_recently() {
                return None;
            }
            let config = redis::aio::ConnectionManagerConfig::new()
                .set_number_of_retries(0)
                .set_connection_timeout(REDIS_TIMEOUT)
                .set_response_timeout(REDIS_TIMEOUT);
            let connect = ConnectionManager::new_with_config(self.client.clone(), config);
            match tokio::time::timeout(REDIS_TIMEOUT, connect).await {
                Ok(Ok(manager)) => {
                    let n = self
                        .connections
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    *conn = Some((n, manager));
                }
                _ => {
                    drop(conn);
                    self.failed(None).await;
                    return None;
                }
            }
        }
        conn.clone()
    }

    /// Notes a failure (a warning a minute at most) and forgets the connection it
    /// happened on (not one made since), so the next try, a second later, connects afresh
    /// rather than wait on the connection manager's own reconnection.
    async fn failed(&self, on: Option<u64>) {
        *self
            .failed_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Instant::now());
        {
            let mut warned = self
                .warned_at
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if warned.is_none_or(|t| t.elapsed() >= Duration::from_secs(60)) {
                tracing::warn!("Redis did not answer: {} until it does", self.meanwhile);
                *warned = Some(Instant::now());
            }
        }
        if let Some(n) = on {
            let mut conn = self.conn.lock().await;
            if conn.as_ref().is_some_and(|(current, _)| *current == n) {
                *conn = None;
            }
        }
    }

    /// Notes an answer to a call that started at `started`: a failure that came after
    /// it started (an overlapping call's) still stands.
    fn answered(&self, started: Instant) {
        let mut at = self
            .failed_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if at.is_some_and(|t| t <= started) {
            *at = None;
            let mut warned = self
                .warned_at
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if warned.take().is_some() {
                tracing::info!("Redis answers again: the fleet shares again");
            }
        }
    }

    /// A command's reply, or `None` when Redis did not answer in time.
    pub async fn query<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> Option<T> {
        self.within(
            None,
            |mut conn| async move { cmd.query_async(&mut conn).await },
        )
        .await
    }

    /// A script's reply, or `None` when Redis did not answer in time.
    pub async fn run<T: redis::FromRedisValue>(
        &self,
        call: &redis::ScriptInvocation<'_>,
    ) -> Option<T> {
        self.run_or_undo(call, None).await
    }

    /// A script's reply, or `None` when Redis did not answer in time; then, when the
    /// call may still have run (it was sent, the answer was late), `undo` is sent after
    /// it on the same connection (so Redis runs it after the call, if the call ran), in
    /// the background: a slot reserved by a call whose answer came too late is given back.
    pub async fn run_or_undo<T: redis::FromRedisValue>(
        &self,
        call: &redis::ScriptInvocation<'_>,
        undo: Option<redis::Cmd>,
    ) -> Option<T> {
        self.within(undo, |mut conn| async move {
            call.invoke_async(&mut conn).await
        })
        .await
    }

    /// `send` on the connection within the timeout: its reply, or `None` (the failure
    /// noted, `undo` sent after it on the same connection).
    async fn within<T, F, Fut>(&self, undo: Option<redis::Cmd>, send: F) -> Option<T>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: std::future::Future<Output = redis::RedisResult<T>>,
    {
        let started = Instant::now();
        let (n, conn) = self.connection().await?;
        match tokio::time::timeout(REDIS_TIMEOUT, send(conn.clone())).await {
            Ok(Ok(v)) => {
                self.answered(started);
                Some(v)
            }
            _ => {
                if let Some(undo) = undo {
                    let mut late = conn;
                    tokio::spawn(async move {
                        let undone = undo.query_async::<redis::Value>(&mut late);
                        let _ = tokio::time::timeout(Duration::from_secs(10), undone).await;
                    });
                }
                self.failed(Some(n)).await;
                None
            }
        }
    }
}

/// A credential whose tokens a fleet of processes shares through Redis.
pub struct FleetCredential {
    inner: Credential,
    redis: RedisLink,
    key: TokenKey,
    namespace: String,
    cache: TokenCache,
}

impl std::fmt::Debug for FleetCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FleetCredential")
            .field("inner", &self.inner)
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

impl FleetCredential {
    /// `inner`'s tokens, shared through the Redis at `url` under `namespace` (the
    /// credential's identity: tenant and client id), at rest under `key`.
    pub fn new(
        inner: impl Into<Credential>,
        url: &SecretString,
        key: TokenKey,
        namespace: &str,
    ) -> Result<Self, AuthError> {
        Ok(Self {
            inner: inner.into(),
            redis: RedisLink::open(url, "tokens come from this process's own credential")?,
            key,
            namespace: namespace.to_owned(),
            cache: TokenCache::new(),
        })
    }

    fn cache_key(&self, scope: &str) -> Result<CacheKey, AuthError> {
        Ok(CacheKey::new("fleet", &self.namespace, "", scope))
    }

    /// The Redis key of a scope's token (the scope's SHA-256: no URL in key names).
    fn redis_key(&self, scope: &str) -> String {
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(scope.as_bytes());
        format!(
            "partner-center:token:{}:{}:{}",
            self.namespace,
            self.key.id(),
            URL_SAFE_NO_PAD.encode(&digest[..16])
        )
    }

    fn seal(&self, name: &str, token: &AccessToken) -> Option<String> {
        let plain = serde_json::json!({
            "token": token.secret().expose_secret(),
            "expires_on": secs(token.expires_on()),
            "acquired": secs(token.acquired()),
        })
        .to_string();
        let n = nonce();
        let sealed = self
            .key
            .cipher()
            .encrypt(
                &Nonce::from(n),
                Payload {
                    msg: plain.as_bytes(),
                    aad: name.as_bytes(),
                },
            )
            .ok()?;
        let mut out = n.to_vec();
        out.extend_from_slice(&sealed);
        Some(STANDARD.encode(out))
    }

    fn open(&self, name: &str, text: &str) -> Option<AccessToken> {
        let bytes = STANDARD.decode(text).ok()?;
        let (n, sealed) = bytes.split_at_checked(12)?;
        let n: [u8; 12] = n.try_into().ok()?;
        let plain = self
            .key
            .cipher()
            .decrypt(
                &Nonce::from(n),
                Payload {
                    msg: sealed,
                    aad: name.as_bytes(),
                },
            )
            .ok()?;
        let value: serde_json::Value = serde_json::from_slice(&plain).ok()?;
        let at = |f: &str| {
            UNIX_EPOCH
                .checked_add(Duration::from_secs(value[f].as_u64().unwrap_or(0)))
                .unwrap_or(UNIX_EPOCH)
        };
        Some(AccessToken::new(
            SecretString::from(value["token"].as_str()?.to_owned()),
            at("expires_on"),
            at("acquired"),
        ))
    }

    /// The shared token of `name`, when it is there, readable and not yet due a refresh.
    async fn shared(&self, name: &str) -> Option<AccessToken> {
        let text: Option<String> = self.redis.query(redis::cmd("GET").arg(name)).await?;
        let token = self.open(name, &text?)?;
        let due = RefreshPolicy::default().refresh_at(&token);
        (self.cache.clock().now() < due).then_some(token)
    }

    async fn fetch(
        &self,
        scope: &str,
        options: &TokenRequestOptions,
    ) -> Result<AccessToken, AuthError> {
        let name = self.redis_key(scope);
        if !options.force_refresh {
            if let Some(token) = self.shared(&name).await {
                return Ok(token);
            }
        }
        let lock = format!("{name}:lock");
        let mine = crate::secret::random_token();
        let took: Option<Option<String>> = self
            .redis
            .query(
                redis::cmd("SET")
                    .arg(&lock)
                    .arg(&mine)
                    .arg("NX")
                    .arg("PX")
                    .arg(LOCK_TTL_MS),
            )
            .await;
        match took {
            Some(Some(_)) => {
                // This process refreshes for the fleet.
                // A new token from the endpoint, not one the inner cache holds.
                let fresh = TokenRequestOptions {
                    force_refresh: true,
                    rejected: None,
                };
                let token = self.inner.get_token(scope, &fresh).await;
                if let Ok(t) = &token {
                    let ttl = t
                        .expires_on()
                        .duration_since(self.cache.clock().now())
                        .unwrap_or_default();
                    if let (Some(sealed), false) = (self.seal(&name, t), ttl.is_zero()) {
                        let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
                        let _: Option<()> = self
                            .redis
                            .query(redis::cmd("SET").arg(&name).arg(sealed).arg("PX").arg(ms))
                            .await;
                    }
                }
                // Release the lock only if it is still ours.
                let release = redis::Script::new(
                    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
                );
                let mut call = release.key(&lock);
                call.arg(&mine);
                let _: Option<i64> = self.redis.run(&call).await;
                token
            }
            Some(None) => {
                // Another process refreshes: wait for its token (not the one rejected).
                // It stops waiting when the lock is gone without a token (the holder
                // failed or gave up) or Redis stops answering: then it asks its own.
                let until = Instant::now() + WAIT_FOR_PEER;
                while Instant::now() < until {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    if let Some(token) = self.shared(&name).await {
                        let rejected = options.rejected.as_ref().is_some_and(|r| {
                            r.secret().expose_secret() == token.secret().expose_secret()
                        });
                        if !rejected {
                            return Ok(token);
                        }
                    }
                    let held: Option<i64> = self.redis.query(redis::cmd("EXISTS").arg(&lock)).await;
                    if held != Some(1) {
                        break;
                    }
                }
                self.inner.get_token(scope, options).await
            }
            None => self.inner.get_token(scope, options).await,
        }
    }
}

#[async_trait::async_trait]
impl TokenCredential for FleetCredential {
    async fn get_token(
        &self,
        scope: &str,
        options: &TokenRequestOptions,
    ) -> Result<AccessToken, AuthError> {
        let key = self.cache_key(scope)?;
        self.cache
            .get_or_fetch(
                &key,
                options.force_refresh,
                options.rejected.as_ref(),
                || self.fetch(scope, options),
            )
            .await
    }

    fn cached_token(&self, scope: &str) -> Option<CachedToken> {
        self.cache.cached(&self.cache_key(scope).ok()?)
    }
}

/// Wraps `inner` in a [`FleetCredential`] as a [`Credential`].
pub fn shared(
    inner: impl Into<Credential>,
    url: &SecretString,
    key: TokenKey,
    namespace: &str,
) -> Result<Credential, AuthError> {
    Ok(Credential::from_arc(Arc::new(FleetCredential::new(
        inner, url, key, namespace,
    )?)))
}
