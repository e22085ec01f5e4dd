//! Rate budgets shared by a fleet of processes through Redis (feature `fleet`).
//!
//! The budget of a key is a GCRA kept in Redis and taken by one Lua script, atomically,
//! with Redis's own clock (`TIME`), so N processes together stay under the limit; a 429
//! holds the key back for every process until its `Retry-After`. Redis is a help, never a
//! dependency: when it is down or slow (no answer within 250 ms) a process goes on with
//! its local budget, warns, and tries Redis again a second later.

use std::time::Duration;

use partner_center_auth::SecretString;
use partner_center_auth::fleet::RedisLink;
use redis::Script;

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

/// A rate budget shared through Redis (`redis://` or `rediss://` URL), its keys under a
/// namespace (the partner tenant, so that partners sharing a Redis do not share budgets).
pub struct FleetBudget {
    redis: RedisLink,
    namespace: String,
    take: Script,
    hold: Script,
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
        let redis = RedisLink::open(url, "the rate budget goes on in this process alone")
            .map_err(|e| Error::Config(e.to_string()))?;
        Ok(Self {
            redis,
            namespace: namespace.to_owned(),
            take: Script::new(TAKE),
            hold: Script::new(HOLD),
        })
    }

    fn keys(&self, key: &str) -> (String, String) {
        let base = format!("partner-center:rate:{}:{key}", self.namespace);
        (base.clone(), format!("{base}:held"))
    }

    /// Takes a slot of `key`: how long to wait first (zero: taken), or `None` when Redis
    /// did not answer (the caller uses its local budget).
    pub(crate) async fn take(
        &self,
        key: &str,
        interval: Duration,
        tolerance: Duration,
    ) -> Option<Duration> {
        let (budget, held) = self.keys(key);
        let micros = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        let mut call = self.take.key(budget);
        call.key(held).arg(micros(interval)).arg(micros(tolerance));
        let wait: i64 = self.redis.run(&call).await?;
        Some(Duration::from_micros(u64::try_from(wait).unwrap_or(0)))
    }

    /// Holds `key` back for every process, after a 429.
    pub(crate) async fn hold(&self, key: &str, retry_after: Duration) {
        let (_, held) = self.keys(key);
        let micros = u64::try_from(retry_after.as_micros()).unwrap_or(u64::MAX);
        let mut call = self.hold.key(held);
        call.arg(micros);
        let _: Option<i64> = self.redis.run(&call).await;
    }
}
