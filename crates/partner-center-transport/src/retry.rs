//! Retry policy: exponential backoff with full jitter, Retry-After, a shared budget.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// How a logical request is retried.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (default 4).
    pub max_attempts: u32,
    /// The first backoff step (default 500 ms); step n is up to `base * 2^(n-1)`.
    pub base_delay: Duration,
    /// The largest backoff step (default 30 s).
    pub max_delay: Duration,
    /// The total time a request may take across its attempts (default 2 min).
    pub max_elapsed: Duration,
    /// One attempt's timeout (default 100 s).
    pub attempt_timeout: Duration,
    /// The retry budget's capacity (default 500: 100 retries when every request fails).
    pub budget_capacity: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(120),
            attempt_timeout: Duration::from_secs(100),
            budget_capacity: 500,
        }
    }
}

impl RetryPolicy {
    /// Sets the attempts (at least 1).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Sets the first backoff step and the largest one.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = max;
        self
    }

    /// Sets the total time a request may take.
    pub fn max_elapsed(mut self, d: Duration) -> Self {
        self.max_elapsed = d;
        self
    }

    /// Sets one attempt's timeout.
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.attempt_timeout = d;
        self
    }

    /// The wait before attempt `attempt + 1`: the service's Retry-After when it sent one,
    /// else full jitter over the exponential step.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(d) = retry_after {
            return d;
        }
        partner_center_auth::http::full_jitter(self.base_delay, self.max_delay, attempt)
    }
}

/// A token bucket shared by every request of a client: each retry costs 5 tokens, each
/// success refunds 1. When it is empty, requests fail fast instead of piling retries onto
/// a service that is down.
#[derive(Debug)]
pub struct RetryBudget {
    capacity: u32,
    tokens: AtomicU32,
}

const RETRY_COST: u32 = 5;

impl RetryBudget {
    /// A full budget.
    pub fn new(capacity: u32) -> Self {
        Self {
            capacity,
            tokens: AtomicU32::new(capacity),
        }
    }

    /// Takes the cost of one retry; false when the budget is spent.
    pub fn withdraw(&self) -> bool {
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                t.checked_sub(RETRY_COST)
            })
            .is_ok()
    }

    /// Gives back one token after a success (lock-free: this is on every request's path).
    pub fn refund(&self) {
        if self.tokens.load(Ordering::Relaxed) < self.capacity {
            let _ = self
                .tokens
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                    (t < self.capacity).then_some(t + 1)
                });
        }
    }

    /// Tokens left.
    pub fn remaining(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded_and_honours_retry_after() {
        let p = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_secs(1));
        for attempt in 1..40 {
            assert!(p.delay(attempt, None) <= Duration::from_secs(1));
        }
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
    }

    #[test]
    fn budget_runs_dry_and_refills() {
        let b = RetryBudget::new(10);
        assert!(b.withdraw() && b.withdraw());
        assert!(!b.withdraw());
        for _ in 0..5 {
            b.refund();
        }
        assert!(b.withdraw());
    }
}
