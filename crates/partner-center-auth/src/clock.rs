//! Time, injectable so that expiry logic is testable without sleeping.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// A source of wall-clock time. Token expiry is wall-clock time (`expires_on`), so the
/// cache asks a `Clock` rather than calling `SystemTime::now` directly.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;

    /// A cheap monotonic reading in milliseconds from an arbitrary origin, accurate to a
    /// few milliseconds, for the token cache's lock-free read path; `None` (the default)
    /// when the clock has none, and the cache reads [`now`](Self::now) instead.
    fn coarse_monotonic_ms(&self) -> Option<u64> {
        None
    }
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // reason: this is the one wrapper the lint points to
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    /// `CLOCK_MONOTONIC_COARSE` on Linux (and the platforms' equivalents), through
    /// `coarsetime`: a few nanoseconds, where a precise reading costs tens.
    fn coarse_monotonic_ms(&self) -> Option<u64> {
        let ticks = coarsetime::Instant::now_without_cache_update().as_ticks();
        Some(coarsetime::Duration::from_ticks(ticks).as_millis())
    }
}

/// A clock that only moves when told to: for tests of expiry and refresh.
///
/// ```
/// use partner_center_auth::{Clock, ManualClock};
/// use std::time::Duration;
/// let clock = ManualClock::new();
/// let t0 = clock.now();
/// clock.advance(Duration::from_secs(60));
/// assert_eq!(clock.now().duration_since(t0).unwrap(), Duration::from_secs(60));
/// ```
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<SystemTime>,
}

impl ManualClock {
    /// A manual clock starting at the real current time.
    pub fn new() -> Self {
        Self {
            now: Mutex::new(SystemClock.now()),
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *now += by;
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
