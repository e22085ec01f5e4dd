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

/// The budgets of one transport and its clones.
pub(crate) struct Pacer {
    #[cfg_attr(not(feature = "fleet"), allow(dead_code))]
    limit: Option<RateLimit>,
    limiter: Option<Keyed>,
    /// The budget shared with other processes, when there is one.
    #[cfg(feature = "fleet")]
    fleet: Option<std::sync::Arc<crate::fleet::FleetBudget>>,
    clock: DefaultClock,
    /// Keys held back by a 429, until when.
    held: Mutex<HashMap<String, Instant>>,
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
        let limiter = limit.map(|l| {
            let period = l.per / l.requests.get();
            let quota = Quota::with_period(period.max(Duration::from_nanos(1)))
                .unwrap_or_else(|| Quota::per_minute(l.requests))
                .allow_burst(NonZeroU32::MIN);
            RateLimiter::hashmap(quota)
        });
        Self {
            limit,
            limiter,
            #[cfg(feature = "fleet")]
            fleet,
            clock: DefaultClock::default(),
            held: Mutex::new(HashMap::new()),
        }
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
        #[cfg(feature = "fleet")]
        if let (Some(fleet), Some(limit)) = (&self.fleet, self.limit) {
            let interval = limit.per / limit.requests.get();
            // The fleet's budget while Redis answers; this process's own when it does not.
            while let Some(wait) = fleet.take(key, interval, Duration::ZERO).await {
                if wait.is_zero() {
                    return Ok(started.elapsed());
                }
                if Instant::now() + wait > deadline {
                    return Err(wait);
                }
                tokio::time::sleep(wait).await;
            }
        }
        loop {
            let held = self.held_until(key);
            let wait = match held {
                Some(until) if until > Instant::now() => until - Instant::now(),
                _ => match &self.limiter {
                    None => return Ok(started.elapsed()),
                    Some(limiter) => match limiter.check_key(&key.to_owned()) {
                        Ok(()) => return Ok(started.elapsed()),
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

    fn held_until(&self, key: &str) -> Option<Instant> {
        let mut held = self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        held.retain(|_, until| *until > now);
        held.get(key).copied()
    }

    /// Holds a key back after a 429, until its `Retry-After` has passed: in this process,
    /// and in the fleet's budget when there is one.
    pub(crate) async fn hold(&self, key: &str, retry_after: Duration) {
        #[cfg(feature = "fleet")]
        if let Some(fleet) = &self.fleet {
            fleet.hold(key, retry_after).await;
        }
        self.hold_here(key, retry_after);
    }

    fn hold_here(&self, key: &str, retry_after: Duration) {
        let until = Instant::now() + retry_after.min(Duration::from_secs(3600));
        let mut held = self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = held.entry(key.to_owned()).or_insert(until);
        if *entry < until {
            *entry = until;
        }
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
