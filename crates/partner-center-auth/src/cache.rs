//! The token cache: proactive refresh, single-flight per key, remembered refusals.
//!
//! Lessons taken from other SDKs' issue trackers:
//! - one global write lock held across the network call (azure_identity for Rust) blocks
//!   cached reads of every other scope while one scope refreshes: here each key has its
//!   own refresh mutex, and the map and entries are only ever locked for a clone;
//! - a refresh storm after one 429 (MSAL.NET): here a 429/5xx with `Retry-After` is
//!   remembered and handed to callers until that time, and early refreshes are tried at
//!   most once per 30 s per key;
//! - Go azidentity's shape, which got it right: serve the valid token while one caller
//!   refreshes early, and ignore a failed early refresh while the token is valid.
//!
//! The warm read path writes nothing shared: each entry publishes its token as an
//! immutable [`Snapshot`] behind `arc-swap`, with its deadline precomputed on a coarse
//! monotonic clock; a credential resolves scope → entry once (entries live as long as the
//! cache: [`TokenCache::clear`] empties them in place, and an epoch keeps a fetch that
//! started before a clear out of the cache), so a cached read is a string compare, one
//! `arc-swap` load and a coarse clock read, and returns a guard, not a clone.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwap;

use crate::{AccessToken, AuthError, Clock, SystemClock};

/// How long the lock-free read path trusts a snapshot's coarse monotonic deadline before
/// the wall clock is read again (a wall-clock step or a suspended machine is noticed
/// within this time).
const FAST_WINDOW: Duration = Duration::from_secs(1);

/// What a cached token is for: (authority host, tenant, client id, resource or scope).
///
/// Cloning is an `Arc` clone and hashing writes one precomputed `u64`, so a cached read
/// costs no allocation and no string hashing.
#[derive(Debug, Clone)]
pub struct CacheKey {
    parts: Arc<KeyParts>,
    hash: u64,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct KeyParts {
    authority: String,
    tenant: String,
    client_id: String,
    scope: String,
}

impl CacheKey {
    /// A cache key.
    pub fn new(authority: &str, tenant: &str, client_id: &str, scope: &str) -> Self {
        use std::hash::{Hash as _, Hasher as _};
        let parts = KeyParts {
            authority: authority.to_owned(),
            tenant: tenant.to_ascii_lowercase(),
            client_id: client_id.to_ascii_lowercase(),
            scope: scope.to_owned(),
        };
        let mut h = std::collections::hash_map::DefaultHasher::new();
        parts.hash(&mut h);
        Self {
            parts: Arc::new(parts),
            hash: h.finish(),
        }
    }
}

impl PartialEq for CacheKey {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash
            && (Arc::ptr_eq(&self.parts, &other.parts) || self.parts == other.parts)
    }
}

impl Eq for CacheKey {}

impl std::hash::Hash for CacheKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// When to refresh, and how long to remember refusals.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct RefreshPolicy {
    /// Refresh this long before expiry (default 5 minutes, at most half the lifetime).
    pub skew: Duration,
    /// Tokens living at least this long are refreshed at half-life (default 2 hours).
    pub long_lived: Duration,
    /// At most one early (pre-expiry) refresh attempt per key in this interval (30 s).
    pub early_attempt_interval: Duration,
    /// How long an `invalid_client`-class refusal is handed back without asking again.
    pub client_refusal_memory: Duration,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        Self {
            skew: Duration::from_secs(300),
            long_lived: Duration::from_secs(2 * 3600),
            early_attempt_interval: Duration::from_secs(30),
            client_refusal_memory: Duration::from_secs(10),
        }
    }
}

impl RefreshPolicy {
    /// When a token should be refreshed.
    pub fn refresh_at(&self, token: &AccessToken) -> SystemTime {
        let lifetime = token.lifetime();
        if lifetime >= self.long_lived {
            token.acquired() + lifetime / 2
        } else {
            token.expires_on() - self.skew.min(lifetime / 2)
        }
    }

    /// The time after which a token is no longer handed out at all: a small margin so a
    /// token does not expire while its request is in flight.
    fn usable_until(token: &AccessToken) -> SystemTime {
        token.expires_on() - Duration::from_secs(30).min(token.lifetime() / 4)
    }
}

/// A token cache shared by credentials (one per credential by default).
///
/// A credential's cached read ([`TokenCredential::cached_token`](crate::TokenCredential::cached_token))
/// takes no lock and writes no shared memory. Concurrent callers on a cold, expired or
/// force-refreshed key make exactly one request; callers of other keys are never blocked
/// by it.
#[derive(Debug)]
pub struct TokenCache {
    entries: RwLock<HashMap<CacheKey, Arc<Entry>>>,
    /// Bumped by [`clear`](Self::clear), so that a fetch that started before it is not
    /// cached after it.
    epoch: AtomicU64,
    clock: Arc<dyn Clock>,
    policy: RefreshPolicy,
}

/// One key's state: the published snapshot (read without locks), the rest behind locks
/// taken only on the slow path.
#[derive(Debug, Default)]
pub(crate) struct Entry {
    snapshot: ArcSwap<Snapshot>,
    state: RwLock<State>,
    refresh: tokio::sync::Mutex<()>,
}

/// An immutable view of an entry's token with its deadlines precomputed.
#[derive(Debug)]
pub(crate) struct Snapshot {
    token: AccessToken,
    /// Fresh (no refresh due, safely usable) until this wall-clock time.
    fresh_until: SystemTime,
    /// On clocks with a coarse monotonic reading: fresh until this reading (at most
    /// [`FAST_WINDOW`] after publication). 0: never.
    fast_until_ms: u64,
}

impl Default for Snapshot {
    fn default() -> Self {
        let never = SystemTime::UNIX_EPOCH;
        Self {
            token: AccessToken::new(secrecy::SecretString::from(String::new()), never, never),
            fresh_until: never,
            fast_until_ms: 0,
        }
    }
}

impl Snapshot {
    fn is_fresh(&self, clock: &dyn Clock) -> bool {
        match clock.coarse_monotonic_ms() {
            Some(ms) => ms < self.fast_until_ms,
            None => clock.now() < self.fresh_until,
        }
    }
}

/// A token read from the cache without locks: dereferences to the [`AccessToken`].
///
/// Hold it briefly (to build a request header); [`to_token`](Self::to_token) gives an
/// owned handle to keep.
pub struct CachedToken {
    snapshot: arc_swap::Guard<Arc<Snapshot>>,
}

impl CachedToken {
    /// An owned handle to the token (an `Arc` clone).
    pub fn to_token(&self) -> AccessToken {
        self.snapshot.token.clone()
    }
}

impl std::ops::Deref for CachedToken {
    type Target = AccessToken;

    fn deref(&self) -> &AccessToken {
        &self.snapshot.token
    }
}

impl std::fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.snapshot.token.fmt(f)
    }
}

#[derive(Debug, Default)]
struct State {
    token: Option<AccessToken>,
    /// Incremented by every completed fetch, successful or not.
    generation: u64,
    /// The outcome of the last fetch when it failed (handed to callers that waited on it).
    last_error: Option<AuthError>,
    /// A refusal handed back without asking until this time.
    refused_until: Option<SystemTime>,
    last_early_attempt: Option<SystemTime>,
}

impl Default for TokenCache {
    fn default() -> Self {
        Self::new()
    }
}

impl TokenCache {
    /// An empty cache on the system clock with the default policy.
    pub fn new() -> Self {
        Self::with_clock(Arc::new(SystemClock), RefreshPolicy::default())
    }

    /// An empty cache with a custom clock (tests) and policy.
    pub fn with_clock(clock: Arc<dyn Clock>, policy: RefreshPolicy) -> Self {
        Self {
            entries: RwLock::new(HashMap::new()),
            epoch: AtomicU64::new(0),
            clock,
            policy,
        }
    }

    /// The cache's clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The entry for `key`, created when missing. Entries live as long as the cache
    /// ([`clear`](Self::clear) empties them in place), so a credential may keep it.
    pub(crate) fn resolve(&self, key: &CacheKey) -> Arc<Entry> {
        if let Some(e) = self
            .entries
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
        {
            return Arc::clone(e);
        }
        let mut map = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(map.entry(key.clone()).or_default())
    }

    /// The lock-free read: `entry`'s token when it is fresh (no refresh due).
    pub(crate) fn fresh_in(&self, entry: &Entry) -> Option<CachedToken> {
        let snapshot = entry.snapshot.load();
        snapshot
            .is_fresh(self.clock.as_ref())
            .then(|| CachedToken { snapshot })
    }

    /// The cached token for `key` when it is fresh (no refresh due), without fetching.
    ///
    /// This looks the key up in the cache's map; a credential's
    /// [`cached_token`](crate::TokenCredential::cached_token) skips even that.
    pub fn cached(&self, key: &CacheKey) -> Option<CachedToken> {
        let map = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        self.fresh_in(map.get(key)?)
    }

    /// Drops every cached token and remembered refusal (e.g. after rotating
    /// credentials). A fetch in flight when this is called still answers its callers,
    /// but its token is not cached.
    pub fn clear(&self) {
        let map = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        self.epoch.fetch_add(1, Ordering::AcqRel);
        for entry in map.values() {
            let mut s = entry.state.write().unwrap_or_else(PoisonError::into_inner);
            entry.snapshot.store(Arc::default());
            *s = State {
                generation: s.generation + 1,
                ..State::default()
            };
        }
    }

    /// Publishes `token` as `entry`'s snapshot, its deadlines computed now.
    fn publish(&self, entry: &Entry, token: &AccessToken) {
        let now = self.clock.now();
        let fresh_until = self
            .policy
            .refresh_at(token)
            .min(RefreshPolicy::usable_until(token));
        let left = fresh_until.duration_since(now).unwrap_or_default();
        let fast_until_ms = match self.clock.coarse_monotonic_ms() {
            Some(ms) if !left.is_zero() => {
                ms.saturating_add(u64::try_from(left.min(FAST_WINDOW).as_millis()).unwrap_or(0))
            }
            _ => 0,
        };
        entry.snapshot.store(Arc::new(Snapshot {
            token: token.clone(),
            fresh_until,
            fast_until_ms,
        }));
    }

    /// Returns the cached token for `key`, fetching one with `fetch` when needed.
    ///
    /// - `force`: the caller's token was rejected (a 401): fetch a new one unless another
    ///   caller already replaced `rejected` (or, without `rejected`, refreshed while this
    ///   caller waited).
    pub async fn get_or_fetch<F, Fut>(
        &self,
        key: &CacheKey,
        force: bool,
        rejected: Option<&AccessToken>,
        fetch: F,
    ) -> Result<AccessToken, AuthError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<AccessToken, AuthError>>,
    {
        let entry = self.resolve(key);
        self.get_or_fetch_in(&entry, force, rejected, fetch).await
    }

    /// [`get_or_fetch`](Self::get_or_fetch) on a resolved entry.
    pub(crate) async fn get_or_fetch_in<F, Fut>(
        &self,
        entry: &Entry,
        force: bool,
        rejected: Option<&AccessToken>,
        fetch: F,
    ) -> Result<AccessToken, AuthError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<AccessToken, AuthError>>,
    {
        let now = self.clock.now();
        let (current, seen_generation, refused) = {
            let s = entry.state.read().unwrap_or_else(PoisonError::into_inner);
            let refused = match (&s.refused_until, &s.last_error) {
                (Some(until), Some(e)) if now < *until => Some(e.clone()),
                _ => None,
            };
            (s.token.clone(), s.generation, refused)
        };
        let usable = current.filter(|t| now < RefreshPolicy::usable_until(t));

        if let Some(token) = &usable {
            let replaced = rejected.is_some_and(|r| !r.same_as(token));
            if !force || replaced {
                if now < self.policy.refresh_at(token) {
                    if !entry.snapshot.load().is_fresh(self.clock.as_ref()) {
                        // The fast path's window lapsed while the token is still fresh
                        // by the wall clock: publish it again for another window, unless
                        // a fetch or a clear() changed the entry since it was read.
                        let s = entry.state.write().unwrap_or_else(PoisonError::into_inner);
                        if s.generation == seen_generation {
                            self.publish(entry, token);
                        }
                    }
                    return Ok(token.clone());
                }
                return Ok(self
                    .refresh_early(entry, token, seen_generation, now, fetch)
                    .await);
            }
        }
        if let Some(err) = refused {
            return Err(err);
        }

        let _flight = entry.refresh.lock().await;
        {
            let s = entry.state.read().unwrap_or_else(PoisonError::into_inner);
            if s.generation != seen_generation {
                // Another caller finished a fetch while this one waited: share its outcome.
                if let Some(t) = s
                    .token
                    .as_ref()
                    .filter(|t| self.clock.now() < RefreshPolicy::usable_until(t))
                {
                    if s.last_error.is_none() {
                        return Ok(t.clone());
                    }
                }
                if let Some(e) = &s.last_error {
                    return Err(e.clone());
                }
            }
        }
        let epoch = self.epoch.load(Ordering::Acquire);
        let result = fetch().await;
        self.record(entry, &result, epoch);
        result
    }

    async fn refresh_early<F, Fut>(
        &self,
        entry: &Entry,
        token: &AccessToken,
        seen_generation: u64,
        now: SystemTime,
        fetch: F,
    ) -> AccessToken
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<AccessToken, AuthError>>,
    {
        {
            let s = entry.state.read().unwrap_or_else(PoisonError::into_inner);
            let recently = s
                .last_early_attempt
                .is_some_and(|t| now < t + self.policy.early_attempt_interval);
            if recently || s.generation != seen_generation {
                return s.token.clone().unwrap_or_else(|| token.clone());
            }
        }
        // Someone is already refreshing: keep serving the valid token.
        let Ok(_flight) = entry.refresh.try_lock() else {
            return token.clone();
        };
        {
            let mut s = entry.state.write().unwrap_or_else(PoisonError::into_inner);
            if s.generation != seen_generation {
                return s.token.clone().unwrap_or_else(|| token.clone());
            }
            s.last_early_attempt = Some(now);
        }
        let epoch = self.epoch.load(Ordering::Acquire);
        match fetch().await {
            Ok(fresh) => {
                self.record(entry, &Ok(fresh.clone()), epoch);
                fresh
            }
            Err(e) => {
                tracing::warn!(error = %e, "early token refresh failed; the cached token is still valid and stays in use");
                token.clone()
            }
        }
    }

    /// Records a fetch's outcome, unless the cache was cleared since it started (`epoch`).
    fn record(&self, entry: &Entry, result: &Result<AccessToken, AuthError>, epoch: u64) {
        let now = self.clock.now();
        let mut s = entry.state.write().unwrap_or_else(PoisonError::into_inner);
        if self.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
        s.generation += 1;
        match result {
            Ok(token) => {
                self.publish(entry, token);
                s.token = Some(token.clone());
                s.last_error = None;
                s.refused_until = None;
                s.last_early_attempt = None;
            }
            Err(e) => {
                s.last_error = Some(e.clone());
                s.refused_until = self.remember_for(e).map(|d| now + d);
            }
        }
    }

    fn remember_for(&self, e: &AuthError) -> Option<Duration> {
        match e {
            AuthError::Unavailable(d) => d.retry_after,
            AuthError::Refused(d) if d.is_client_refusal() => {
                Some(self.policy.client_refusal_memory)
            }
            _ => None,
        }
    }
}
