//! Trying a call again: which failures, how often, how long to wait.
//!
//! A call is tried again when the connection could not be made or failed, when it timed out, or
//! when the server answered 429, 502, 503 or 504, and only for methods that may be repeated
//! without changing the result twice (GET, HEAD, PUT, DELETE, OPTIONS: RFC 9110 section 9.2.2).
//! The wait is exponential backoff with full jitter (a random time between zero and the backoff,
//! as smithy-rs's standard mode and AWS's guidance do), or the server's `Retry-After`, capped.
//! Attempts and total time are bounded, and so is how much a client retries in all: each retry
//! draws from the client's budget (5 tokens, 10 after a timeout) and each call that succeeds
//! first time puts one back, as smithy-rs's retry quota does, so that a storm of failures
//! (every call refused) stops being retried instead of tripling the load.

use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// When and how a call is tried again ([`ClientBuilder::retry`](super::ClientBuilder::retry)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    max_retry_after: Duration,
    budget: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

impl RetryConfig {
    /// Three attempts, backoff from 100 ms doubling up to 5 s, at most 30 s in all, a server's
    /// `Retry-After` honoured up to 20 s, a budget of 500 tokens per client (100 retries when
    /// nothing succeeds).
    pub const fn standard() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(20),
            budget: 500,
        }
    }

    /// Every call is tried once.
    pub const fn disabled() -> Self {
        RetryConfig { max_attempts: 1, ..RetryConfig::standard() }
    }

    /// How many times a call is tried in all (at least once).
    pub const fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = if attempts == 0 { 1 } else { attempts };
        self
    }

    /// The first backoff, doubled for every further attempt up to `max`.
    pub const fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// How long a call may take in all, waits included, before it is not tried again.
    pub const fn with_max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// The longest a server's `Retry-After` is waited for; a longer one ends the call.
    pub const fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The client's retry budget, in tokens: a retry costs 5 (10 after a timeout), a call that
    /// succeeds first time gives one back, up to this.
    pub const fn with_budget(mut self, tokens: u32) -> Self {
        self.budget = tokens;
        self
    }

    /// The client's retry budget, in tokens.
    pub const fn budget(&self) -> u32 {
        self.budget
    }

    /// How many times a call is tried in all.
    pub const fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before try `attempt + 1`, after `attempt` tries (1 or more): the server's
    /// `Retry-After` when it gave one, else a random time up to the backoff. `None` when the
    /// call is not tried again (attempts or time used up, or the server asks for too long).
    pub(super) fn wait(&self, attempt: u32, elapsed: Duration, retry_after: Option<Duration>) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let wait = match retry_after {
            Some(asked) if asked > self.max_retry_after => return None,
            Some(asked) => asked,
            None => {
                let doubling = self.initial_backoff.saturating_mul(1 << (attempt - 1).min(20));
                jitter(doubling.min(self.max_backoff))
            }
        };
        (elapsed.saturating_add(wait) <= self.max_elapsed).then_some(wait)
    }
}

/// What a retry draws from the client's budget.
pub(super) const RETRY_COST: u32 = 5;
/// What a retry after a timeout draws: a server that is slow to answer is not made busier.
pub(super) const TIMEOUT_RETRY_COST: u32 = 10;

/// A client's retry budget: tokens drawn by retries, given back by calls that succeed.
#[derive(Debug)]
pub(super) struct RetryBudget {
    tokens: AtomicU32,
    max: u32,
}

impl RetryBudget {
    pub(super) fn new(max: u32) -> Self {
        RetryBudget { tokens: AtomicU32::new(max), max }
    }

    /// Draws `cost` tokens for a retry: `false`, and nothing drawn, when fewer are left.
    pub(super) fn draw(&self, cost: u32) -> bool {
        self.tokens.fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| tokens.checked_sub(cost)).is_ok()
    }

    /// A call succeeded first time: one token back, up to the budget.
    pub(super) fn give_back(&self) {
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| (tokens < self.max).then_some(tokens + 1));
    }
}

/// Whether a call with `method` may be sent again (RFC 9110's idempotent methods).
pub(super) fn idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS)
}

/// Whether a server's answer says to try again later.
pub(super) fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// A `Retry-After` header: seconds, or an HTTP date (RFC 9110 section 10.2.3).
pub(super) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) is an RFC 2822 date.
    let date = time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let at = SystemTime::from(date);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A random time from zero to `up_to` ("full jitter"). The randomness is std's per-process
/// hasher keys (`RandomState` draws fresh keys from the operating system once per thread and
/// varies them for every instance): enough to spread clients apart, no dependency for it.
fn jitter(up_to: Duration) -> Duration {
    let random = std::collections::hash_map::RandomState::new().hash_one(SystemTime::now());
    let fraction = (random >> 11) as f64 / (1u64 << 53) as f64;
    up_to.mul_f64(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_and_stay_within_the_bounds() {
        let config = RetryConfig::standard()
            .with_max_attempts(6)
            .with_backoff(Duration::from_millis(100), Duration::from_millis(350));
        for attempt in 1..6 {
            let cap = Duration::from_millis(100 * (1 << (attempt - 1))).min(Duration::from_millis(350));
            for _ in 0..50 {
                let wait = config.wait(attempt, Duration::ZERO, None).unwrap();
                assert!(wait <= cap, "{attempt}: {wait:?} > {cap:?}");
            }
        }
        assert_eq!(config.wait(6, Duration::ZERO, None), None, "attempts used up");
        assert_eq!(config.wait(1, Duration::from_secs(30), None), None, "time used up");
        assert_eq!(RetryConfig::disabled().wait(1, Duration::ZERO, None), None);
        // The server's wait, unless it is beyond the cap.
        assert_eq!(config.wait(1, Duration::ZERO, Some(Duration::from_secs(2))), Some(Duration::from_secs(2)));
        assert_eq!(config.wait(1, Duration::ZERO, Some(Duration::from_secs(21))), None);
        // Not all waits are the same (jitter).
        let waits: std::collections::HashSet<Duration> =
            (0..20).map(|_| config.wait(3, Duration::ZERO, None).unwrap()).collect();
        assert!(waits.len() > 1, "{waits:?}");
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        headers.insert(RETRY_AFTER, "Sun, 06 Nov 1994 08:49:47 GMT".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(10)));
        headers.insert(RETRY_AFTER, "Sun, 06 Nov 1994 08:49:00 GMT".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO), "a date past is now");
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers, now), None);
    }

    #[test]
    fn only_idempotent_methods_and_busy_answers() {
        assert!(idempotent(&Method::GET) && idempotent(&Method::PUT) && idempotent(&Method::DELETE));
        assert!(!idempotent(&Method::POST) && !idempotent(&Method::PATCH));
        for status in [429, 502, 503, 504] {
            assert!(retryable_status(StatusCode::from_u16(status).unwrap()));
        }
        for status in [200, 400, 401, 404, 500, 501] {
            assert!(!retryable_status(StatusCode::from_u16(status).unwrap()));
        }
    }
}
