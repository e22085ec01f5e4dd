//! Rate budgets shared by a fleet of processes through Redis (feature `fleet`).
//!
//! The budget of a key is a GCRA kept in Redis and taken by one Lua script, atomically,
//! with Redis's own clock (`TIME`), so N processes together stay under the limit. A call
//! *reserves* its slot (the script answers how long until it comes, and the caller sleeps
//! that long): one Redis call per request, however many callers wait, where polling would
//! wake every waiter at every slot. A 429 holds the key back for every process until its
//! `Retry-After`: slots are then reserved from the end of the hold. Each process says it
//! is there with each call (a sorted set of the last 10 s), so each knows how many share
//! the budget. Redis is a help, never a dependency: when it is down or slow (no answer
//! within 250 ms) a process goes on with its local budget, its share of the limit (the
//! limit over the number of processes it last saw), warns, and tries Redis again a second
//! later. Every key of a budget carries the same hash tag (`{…}`), so Redis Cluster keeps
//! them in one slot, as a script needs.

use std::time::Duration;

use partner_center_auth::SecretString;
use partner_center_auth::fleet::RedisLink;
use redis::Script;

use crate::Error;

/// Reserves a slot. KEYS: the budget, its hold, its members. ARGV: the emission interval
/// and the longest wait the caller accepts, in microseconds, and the process's id.
/// Answers {wait in µs, 1 if reserved (0: the wait is longer than accepted), members,
/// µs until the fleet's reservations end}.
const TAKE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZADD', KEYS[3], now, ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - 10000000)
redis.call('PEXPIRE', KEYS[3], 60000)
local members = redis.call('ZCARD', KEYS[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local held = tonumber(redis.call('GET', KEYS[2]) or '0')
if held > tat then tat = held end
if now > tat then tat = now end
local wait = tat - now
if wait > tonumber(ARGV[2]) then return {wait, 0, members, wait} end
local next = tat + tonumber(ARGV[1])
redis.call('SET', KEYS[1], next, 'PX', math.floor((next - now) / 1000) + 1000)
return {wait, 1, members, next - now}
";

/// Gives back a slot a call reserved but whose answer came too late (the caller paced
/// itself locally instead). KEYS: the budget; ARGV: the emission interval in µs.
const RELEASE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat > now then
  local back = tat - tonumber(ARGV[1])
  if back < now then back = now end
  redis.call('SET', KEYS[1], back, 'PX', math.floor((back - now) / 1000) + 1000)
end
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

/// What the fleet's budget answered for one call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Taken {
    /// How long until the slot comes.
    pub(crate) wait: Duration,
    /// Whether the slot is the caller's (not when `wait` is longer than it accepts).
    pub(crate) reserved: bool,
    /// How many processes drew from this budget in the last 10 s, this one included.
    pub(crate) members: u32,
    /// How long until the slots the whole fleet has reserved have passed.
    pub(crate) booked: Duration,
}

/// A rate budget shared through Redis (`redis://` or `rediss://` URL), its keys under a
/// namespace (the partner tenant, so that partners sharing a Redis do not share budgets).
pub struct FleetBudget {
    redis: RedisLink,
    namespace: String,
    /// This process's name among the budget's members.
    member: String,
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
            member: format!("{:016x}", fastrand::u64(..)),
            take: Script::new(TAKE),
            hold: Script::new(HOLD),
        })
    }

    /// The budget's keys, under one hash tag: the budget, its hold, its members.
    fn keys(&self, key: &str) -> [String; 3] {
        let base = format!("partner-center:rate:{{{}:{key}}}", self.namespace);
        [
            base.clone(),
            format!("{base}:held"),
            format!("{base}:members"),
        ]
    }

    /// Reserves a slot of `key` if it comes within `longest`, or `None` when Redis did
    /// not answer (the caller uses its local budget).
    pub(crate) async fn take(
        &self,
        key: &str,
        interval: Duration,
        longest: Duration,
    ) -> Option<Taken> {
        let [budget, held, members] = self.keys(key);
        let micros = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        // Should the answer come too late, the slot it may have reserved is given back.
        let mut undo = redis::cmd("EVAL");
        undo.arg(RELEASE).arg(1).arg(&budget).arg(micros(interval));
        let mut call = self.take.key(budget);
        call.key(held)
            .key(members)
            .arg(micros(interval))
            .arg(micros(longest).min(1 << 62))
            .arg(&self.member);
        let (wait, reserved, members, booked): (i64, i64, i64, i64) =
            self.redis.run_or_undo(&call, Some(undo)).await?;
        let micros = |n: i64| Duration::from_micros(u64::try_from(n).unwrap_or(0));
        Some(Taken {
            wait: micros(wait),
            booked: micros(booked),
            reserved: reserved == 1,
            members: u32::try_from(members).unwrap_or(1).max(1),
        })
    }

    /// Holds `key` back for every process, after a 429.
    pub(crate) async fn hold(&self, key: &str, retry_after: Duration) {
        let [_, held, _] = self.keys(key);
        let micros = u64::try_from(retry_after.as_micros()).unwrap_or(u64::MAX);
        let mut call = self.hold.key(held);
        call.arg(micros);
        let _: Option<i64> = self.redis.run(&call).await;
    }
}
