//! The pace stage: client-side rate budgets, so that callers wait for their slot rather
//! than draw a 429.
//!
//! Keyed as Partner Center's throttling guidance keys its limits
//! (develop/api-throttling-guidance.md): the throttled operations under
//! `/customers/{id}` (the customer, its orders, its subscriptions) per partner and
//! customer tenant, at the rate the Customer, Order and Subscription resource pages state,
//! 500 requests a minute (the emulator's default too). GCRA from `governor`, with a burst
//! of one: whatever the window a service counts over, a minute never holds more than the
//! limit. A 429 that still happens holds its key back until its `Retry-After` has passed;
//! every attempt, retries too, draws from the budget.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock as _, DefaultClock};
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};

/// A client-side rate limit: so many requests per period, per key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests per period, per partner and customer tenant.
    pub requests: NonZeroU32,
    /// The period (a minute for the documented limit).
    pub per: Duration,
}

impl RateLimit {
    /// The documented limit: 500 requests a minute per tenant identifier.
    pub const DOCUMENTED: Self = Self {
        requests: match NonZeroU32::new(500) {
            Some(n) => n,
            None => NonZeroU32::MIN,
        },
        per: Duration::from_secs(60),
    };

    /// `n` requests a minute (`None` for 0).
    pub fn per_minute(n: u32) -> Option<Self> {
        Self::new(n, Duration::from_secs(60))
    }

    /// `n` requests per `period` (`None` for 0 or a zero period).
    pub fn new(n: u32, period: Duration) -> Option<Self> {
        let requests = NonZeroU32::new(n)?;
        (!period.is_zero()).then_some(Self {
            requests,
            per: period,
        })
    }
}

impl Default for RateLimit {
    fn default() -> Self {
        Self::DOCUMENTED
    }
}

type Keyed = RateLimiter<String, HashMapStateStore<String>, DefaultClock>;

/// A GCRA with a burst of one at `limit` over `share` processes.
fn limiter(limit: RateLimit, share: u32) -> Keyed {
    let period = limit.per / limit.requests.get() * share.max(1);
    let quota = Quota::with_period(period.max(Duration::from_nanos(1)))
        .unwrap_or_else(|| Quota::per_minute(limit.requests))
        .allow_burst(NonZeroU32::MIN);
    RateLimiter::hashmap(quota)
}

/// This process's share of a fleet's budget.
#[cfg(feature = "fleet")]
struct Share {
    /// How many processes drew from it, at most, when last seen.
    members: u32,
    seen: Instant,
    /// The local budget at the limit over `members`, once needed.
    limiter: Option<std::sync::Arc<Keyed>>,
}

/// The budgets of one transport and its clones.
pub(crate) struct Pacer {
    #[cfg_attr(not(feature = "fleet"), allow(dead_code))]
    limit: Option<RateLimit>,
    limiter: Option<Keyed>,
    /// The budget shared with other processes, when there is one.
    #[cfg(feature = "fleet")]
    fleet: Option<std::sync::Arc<crate::fleet::FleetBudget>>,
    /// While the fleet's Redis does not answer: this process's share of the limit (the
    /// limit over the processes it last saw), and how many that was.
    #[cfg(feature = "fleet")]
    share: Mutex<Share>,
    clock: DefaultClock,
    /// Keys held back by a 429, until when.
    held: Mutex<HashMap<String, Instant>>,
    /// In a fleet: until when the fleet has reserved each key's slots (as of Redis's last
    /// answer); should Redis fail, this process's local budget starts after them.
    #[cfg(feature = "fleet")]
    booked: Mutex<HashMap<String, Instant>>,
}

impl std::fmt::Debug for Pacer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pacer")
            .field("limited", &self.limiter.is_some())
            .finish_non_exhaustive()
    }
}

impl Pacer {
    pub(crate) fn new(
        limit: Option<RateLimit>,
        #[cfg(feature = "fleet")] fleet: Option<std::sync::Arc<crate::fleet::FleetBudget>>,
    ) -> Self {
        Self {
            limit,
            limiter: limit.map(|l| limiter(l, 1)),
            #[cfg(feature = "fleet")]
            fleet,
            #[cfg(feature = "fleet")]
            share: Mutex::new(Share {
                members: 1,
                seen: Instant::now(),
                limiter: None,
            }),
            clock: DefaultClock::default(),
            held: Mutex::new(HashMap::new()),
            #[cfg(feature = "fleet")]
            booked: Mutex::new(HashMap::new()),
        }
    }

    /// Whether requests are paced at all.
    pub(crate) fn is_limited(&self) -> bool {
        self.limit.is_some()
    }

    /// The budget a request draws from, when its operation is a throttled one: the
    /// customer it is about (one transport is one partner).
    pub(crate) fn key(path: &str) -> Option<String> {
        let rest = path.split("/customers/").nth(1)?;
        let mut parts = rest.split(['/', '?']);
        let customer = parts.next().filter(|c| !c.is_empty())?;
        match parts.next() {
            None | Some("" | "orders" | "subscriptions") => Some(customer.to_ascii_lowercase()),
            Some(_) => None,
        }
    }

    /// Waits for the key's slot, at most until `deadline`: how long it waited, or
    /// `Err` with the wait still needed when the deadline comes first.
    pub(crate) async fn acquire(&self, key: &str, deadline: Instant) -> Result<Duration, Duration> {
        let started = Instant::now();
        loop {
            #[cfg(feature = "fleet")]
            let share = match (&self.fleet, self.limit) {
                (Some(fleet), Some(limit)) => {
                    let interval = limit.per / limit.requests.get();
                    // A slot that comes with no time left for the request is not taken.
                    let longest = deadline
                        .saturating_duration_since(Instant::now())
                        .saturating_sub(Duration::from_millis(500));
                    // The fleet's budget while Redis answers: the slot is reserved, so
                    // the wait is slept once.
                    if let Some(taken) = fleet.take(key, interval, longest).await {
                        self.saw_fleet(taken.members);
                        if !taken.reserved {
                            return Err(taken.wait);
                        }
                        // Should Redis fail, this process's local budget starts after
                        // the slots the fleet has reserved (as of this answer).
                        remember(&self.booked, key, taken.booked);
                        // A 429's hold recorded only here (Redis missed it) holds too.
                        let held = until(&self.held, key).map_or(Duration::ZERO, |u| {
                            u.saturating_duration_since(Instant::now())
                        });
                        tokio::time::sleep(taken.wait.max(held)).await;
                        return Ok(started.elapsed());
                    }
                    // This process's share of it when Redis does not answer (asked
                    // again each time round: Redis may be back).
                    self.share()
                }
                _ => None,
            };
            #[cfg(feature = "fleet")]
            let limiter = share.as_deref().or(self.limiter.as_ref());
            #[cfg(not(feature = "fleet"))]
            let limiter = self.limiter.as_ref();
            let held = until(&self.held, key);
            #[cfg(feature = "fleet")]
            let held = held.max(until(&self.booked, key));
            let wait = match held {
                Some(until) if until > Instant::now() => until - Instant::now(),
                _ => match limiter {
                    None => return Ok(started.elapsed()),
                    Some(limiter) => match limiter.check_key(&key.to_owned()) {
                        Ok(()) => {
                            // A sync over many customers leaves a state per customer:
                            // those whose budget is full again are forgotten.
                            if limiter.len() > 4096 {
                                limiter.retain_recent();
                            }
                            return Ok(started.elapsed());
                        }
                        Err(not_until) => not_until.wait_time_from(self.clock.now()),
                    },
                },
            };
            if Instant::now() + wait > deadline {
                return Err(wait);
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// Notes how many processes share the fleet's budget: the most seen in the last
    /// 10 s (answers that overlap may come back in any order).
    #[cfg(feature = "fleet")]
    fn saw_fleet(&self, members: u32) {
        let mut share = self
            .share
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let stale = share.seen.elapsed() > Duration::from_secs(10);
        if members > share.members || (members < share.members && stale) {
            *share = Share {
                members,
                seen: Instant::now(),
                limiter: None,
            };
        } else if members == share.members {
            share.seen = Instant::now();
        }
    }

    /// The local budget while Redis is away: the limit over the processes last seen
    /// sharing it (built once per change in their number).
    #[cfg(feature = "fleet")]
    fn share(&self) -> Option<std::sync::Arc<Keyed>> {
        let limit = self.limit?;
        let mut share = self
            .share
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if share.members <= 1 {
            return None;
        }
        let members = share.members;
        Some(
            share
                .limiter
                .get_or_insert_with(|| std::sync::Arc::new(limiter(limit, members)))
                .clone(),
        )
    }

    /// Holds a key back after a 429, until its `Retry-After` has passed: in this process,
    /// and in the fleet's budget when there is one.
    pub(crate) async fn hold(&self, key: &str, retry_after: Duration) {
        #[cfg(feature = "fleet")]
        if let Some(fleet) = &self.fleet {
            fleet.hold(key, retry_after).await;
        }
        remember(&self.held, key, retry_after);
    }
}

/// Until when `key` is held in `map`.
fn until(map: &Mutex<HashMap<String, Instant>>, key: &str) -> Option<Instant> {
    map.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(key)
        .copied()
}

/// Holds `key` in `map` for `wait` from now (an hour at most), or longer if it already
/// was; past 4,096 keys, those whose time has passed are forgotten.
fn remember(map: &Mutex<HashMap<String, Instant>>, key: &str, wait: Duration) {
    let until = Instant::now() + wait.min(Duration::from_secs(3600));
    let mut map = map
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if map.len() > 4096 {
        let now = Instant::now();
        map.retain(|_, u| *u > now);
    }
    let entry = map.entry(key.to_owned()).or_insert(until);
    if *entry < until {
        *entry = until;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttled_operations_are_keyed_by_customer() {
        assert_eq!(Pacer::key("/v1/customers/ABC"), Some("abc".to_owned()));
        assert_eq!(
            Pacer::key("/v1/customers/abc/orders/1"),
            Some("abc".to_owned())
        );
        assert_eq!(
            Pacer::key("/v1/customers/abc/subscriptions?x=1"),
            Some("abc".to_owned())
        );
        assert_eq!(Pacer::key("/v1/customers/abc/users"), None);
        assert_eq!(Pacer::key("/v1/customers"), None);
        assert_eq!(Pacer::key("/v1/invoices"), None);
    }

    #[tokio::test]
    async fn a_key_is_paced_and_held_back_after_a_429() {
        let pacer = Pacer::new(
            RateLimit::per_minute(600),
            #[cfg(feature = "fleet")]
            None,
        );
        let far = Instant::now() + Duration::from_secs(60);
        pacer.acquire("a", far).await.unwrap();
        // The next slot of the same key is 100 ms later; another key has its own.
        pacer.acquire("b", far).await.unwrap();
        let waited = pacer.acquire("a", far).await.unwrap();
        assert!(waited >= Duration::from_millis(60), "{waited:?}");
        // Too short a deadline: the wait it would take.
        let soon = Instant::now() + Duration::from_millis(1);
        assert!(pacer.acquire("a", soon).await.is_err());
        // Held back by a 429.
        pacer.hold("c", Duration::from_millis(150)).await;
        let waited = pacer.acquire("c", far).await.unwrap();
        assert!(waited >= Duration::from_millis(120), "{waited:?}");
        // No limit: never short of time, unless held.
        let free = Pacer::new(
            None,
            #[cfg(feature = "fleet")]
            None,
        );
        for _ in 0..100 {
            assert!(free.acquire("a", soon).await.is_ok());
        }
    }
}
