//! Rate budgets shared by a fleet of processes through Redis (feature `fleet`).
//!
//! The budget of a key is a GCRA kept in Redis and taken by one Lua script, atomically,
//! with Redis's own clock (`TIME`), so N processes together stay under the limit; a 429
//! holds the key back for every process until its `Retry-After`. Redis is a help, never a
//! dependency: when it is down or slow (no answer within 250 ms) a process goes on with
//! its local budget, warns, and tries Redis again a second later.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use redis::Script;
use redis::aio::ConnectionManager;

use partner_center_auth::{ExposeSecret as _, SecretString};

use crate::Error;

/// Takes a slot: 0, or the microseconds to wait. KEYS: the budget, its hold.
/// ARGV: the emission interval and the burst tolerance, in microseconds.
const TAKE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local held = tonumber(redis.call('GET', KEYS[2]) or '0')
if held > now then return held - now end
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
if now < tat - tolerance then return tat - tolerance - now end
local next = tat + interval
redis.call('SET', KEYS[1], next, 'PX', math.floor((next - now) / 1000) + 1000)
return 0
";

/// Holds a key back: KEYS: its hold; ARGV: microseconds.
const HOLD: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local until_ = now + tonumber(ARGV[1])
local held = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > held then
  redis.call('SET', KEYS[1], until_, 'PX', math.floor(tonumber(ARGV[1]) / 1000) + 1000)
end
return 0
";

/// How long a call to Redis may take before the process goes on alone.
const REDIS_TIMEOUT: Duration = Duration::from_millis(250);
/// How long after a failure Redis is tried again.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(1);

/// A rate budget shared through Redis (`redis://` or `rediss://` URL), its keys under a
/// namespace (the partner tenant, so that partners sharing a Redis do not share budgets).
pub struct FleetBudget {
    client: redis::Client,
    namespace: String,
    take: Script,
    hold: Script,
    state: tokio::sync::Mutex<Option<ConnectionManager>>,
    /// When Redis last failed, to go on alone for a while.
    failed_at: Mutex<Option<Instant>>,
}

impl std::fmt::Debug for FleetBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FleetBudget")
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

impl FleetBudget {
    /// A budget on the Redis at `url` (which may carry a password: it stays a secret);
    /// nothing is connected until it is used.
    pub fn new(url: &SecretString, namespace: &str) -> Result<Self, Error> {
        // The one place the URL leaves its wrapper: to the Redis client. Errors name
        // neither the URL nor its password.
        #[allow(clippy::disallowed_methods)]
        // reason: the URL goes to the Redis client, its one use
        let client = redis::Client::open(url.expose_secret()).map_err(|_| {
            Error::Config(
                "the fleet's redis_url is not a Redis URL (redis://host:port/db or rediss://…)"
                    .to_owned(),
            )
        })?;
        Ok(Self {
            client,
            namespace: namespace.to_owned(),
            take: Script::new(TAKE),
            hold: Script::new(HOLD),
            state: tokio::sync::Mutex::new(None),
            failed_at: Mutex::new(None),
        })
    }

    fn keys(&self, key: &str) -> (String, String) {
        let base = format!("partner-center:rate:{}:{key}", self.namespace);
        (base.clone(), format!("{base}:held"))
    }

    /// A connection, unless Redis failed a moment ago or cannot be reached now.
    async fn connection(&self) -> Option<ConnectionManager> {
        let recently = self
            .failed_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some_and(|at| at.elapsed() < RETRY_AFTER_FAILURE);
        if recently {
            return None;
        }
        let mut state = self.state.lock().await;
        if state.is_none() {
            // Another caller may have failed while this one waited for the lock.
            let failed = self
                .failed_at
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .is_some_and(|at| at.elapsed() < RETRY_AFTER_FAILURE);
            if failed {
                return None;
            }
            let config = redis::aio::ConnectionManagerConfig::new()
                .set_number_of_retries(0)
                .set_connection_timeout(REDIS_TIMEOUT)
                .set_response_timeout(REDIS_TIMEOUT);
            let connect = ConnectionManager::new_with_config(self.client.clone(), config);
            match tokio::time::timeout(REDIS_TIMEOUT, connect).await {
                Ok(Ok(manager)) => *state = Some(manager),
                _ => {
                    self.failed("cannot connect");
                    return None;
                }
            }
        }
        state.clone()
    }

    fn failed(&self, what: &str) {
        let mut at = self
            .failed_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if at.is_none_or(|t| t.elapsed() >= Duration::from_secs(60)) {
            tracing::warn!(
                "Redis {what}: the rate budget goes on in this process alone until it answers again"
            );
        }
        *at = Some(Instant::now());
    }

    fn recovered(&self) {
        let mut at = self
            .failed_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if at.take().is_some() {
            tracing::info!("Redis answers again: the rate budget is shared again");
        }
    }

    /// Takes a slot of `key`: how long to wait first (zero: taken), or `None` when Redis
    /// did not answer (the caller uses its local budget).
    pub(crate) async fn take(
        &self,
        key: &str,
        interval: Duration,
        tolerance: Duration,
    ) -> Option<Duration> {
        let mut conn = self.connection().await?;
        let (budget, held) = self.keys(key);
        let micros = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        let mut call = self.take.key(budget);
        call.key(held).arg(micros(interval)).arg(micros(tolerance));
        match tokio::time::timeout(REDIS_TIMEOUT, call.invoke_async::<i64>(&mut conn)).await {
            Ok(Ok(wait)) => {
                self.recovered();
                Some(Duration::from_micros(u64::try_from(wait).unwrap_or(0)))
            }
            _ => {
                self.failed("did not answer");
                None
            }
        }
    }

    /// Holds `key` back for every process, after a 429.
    pub(crate) async fn hold(&self, key: &str, retry_after: Duration) {
        let Some(mut conn) = self.connection().await else {
            return;
        };
        let (_, held) = self.keys(key);
        let micros = u64::try_from(retry_after.as_micros()).unwrap_or(u64::MAX);
        let mut call = self.hold.key(held);
        call.arg(micros);
        if !matches!(
            tokio::time::timeout(REDIS_TIMEOUT, call.invoke_async::<i64>(&mut conn)).await,
            Ok(Ok(_))
        ) {
            self.failed("did not answer");
        }
    }
}
