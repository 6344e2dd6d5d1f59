//! When and how long to wait before sending the request again.
//!
//! This POST is not idempotent, so the policy is conservative. By default it
//! resends when the service says "try again" — `429` and `503` (refused
//! before processing) and `504` (a gateway gave up: the request **may** have
//! been applied, so the call's [`Delivery`](crate::Delivery) becomes
//! `MaybeProcessed` and a `409` on the resend reads
//! [`ClosedBy::EarlierAttempt`](crate::ClosedBy::EarlierAttempt)) — and when
//! the request cannot have been processed (no connection took it, or HTTP/2
//! refused the stream). Resending after the request may have been applied
//! *without the service asking* (a timeout or a broken connection once it
//! was sent) is opt-in: [`RetryPolicy::with_retry_when_possibly_sent`].

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

/// The most retries a policy may allow, as in Microsoft's own SDKs.
pub const MAX_RETRIES_CAP: u32 = 10;

/// The retry settings of a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_jitter: Duration,
    max_total: Duration,
    retry_possibly_sent: bool,
}

impl Default for RetryPolicy {
    /// 3 retries, 3 s base delay doubling each time plus up to 1 s of jitter,
    /// and at most 180 s spent waiting in all (Microsoft's SDK defaults).
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_secs(3),
            max_jitter: Duration::from_secs(1),
            max_total: Duration::from_secs(180),
            retry_possibly_sent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn disabled() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// How many times a request may be resent, capped at [`MAX_RETRIES_CAP`].
    pub fn with_max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries.min(MAX_RETRIES_CAP);
        self
    }

    /// The first backoff delay, used when the service sends no `Retry-After`;
    /// it doubles on every further retry.
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The most random jitter added to a backoff delay.
    pub fn with_max_jitter(mut self, jitter: Duration) -> Self {
        self.max_jitter = jitter;
        self
    }

    /// The most time spent waiting between attempts, in all. A wait that
    /// would pass it is not made: the last response is returned instead.
    pub fn with_max_total_delay(mut self, total: Duration) -> Self {
        self.max_total = total;
        self
    }

    /// Also resend after a timeout or a broken connection, when the request
    /// may already have reached the service and the service did not ask for
    /// a resend. Off by default: closing an invitation twice is not harmful
    /// (the second gets `409`), but the choice is the caller's. A `504` is
    /// the service asking, and is resent either way (within
    /// [`max_retries`](RetryPolicy::max_retries)); turn it off with
    /// [`RetryPolicy::disabled`].
    pub fn with_retry_when_possibly_sent(mut self, enabled: bool) -> Self {
        self.retry_possibly_sent = enabled;
        self
    }

    /// The configured number of retries.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The configured cap on total waiting time.
    pub fn max_total_delay(&self) -> Duration {
        self.max_total
    }

    /// Whether resending after a possibly delivered request is allowed.
    pub fn retries_when_possibly_sent(&self) -> bool {
        self.retry_possibly_sent
    }

    /// The backoff before retry number `retry` (1-based), without `Retry-After`.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(16);
        let delay = self.base_delay.saturating_mul(1 << exponent);
        let jitter = self.max_jitter.mul_f64(fastrand::f64());
        delay.saturating_add(jitter)
    }
}

/// The statuses the service uses to say "try again later".
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 503 | 504)
}

/// The wait a response asks for in `Retry-After`: delay-seconds or an HTTP
/// date (RFC 9110 §10.2.3). A date in the past means "now".
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_seconds() {
        let wait = retry_after(&headers("7"), SystemTime::now());
        assert_eq!(wait, Some(Duration::from_secs(7)));
    }

    #[test]
    fn retry_after_reads_an_http_date_relative_to_now() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let later = httpdate::fmt_http_date(now + Duration::from_secs(42));
        assert_eq!(
            retry_after(&headers(&later), now),
            Some(Duration::from_secs(42))
        );
    }

    #[test]
    fn retry_after_in_the_past_means_now_and_garbage_means_none() {
        let now = SystemTime::now();
        let past = httpdate::fmt_http_date(now - Duration::from_secs(60));
        assert_eq!(retry_after(&headers(&past), now), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_doubles_and_adds_bounded_jitter() {
        let policy = RetryPolicy::default()
            .with_base_delay(Duration::from_millis(100))
            .with_max_jitter(Duration::from_millis(10));
        for (retry, base) in [(1, 100), (2, 200), (3, 400)] {
            let delay = policy.backoff(retry);
            assert!(delay >= Duration::from_millis(base), "{delay:?}");
            assert!(delay <= Duration::from_millis(base + 10), "{delay:?}");
        }
    }

    #[test]
    fn max_retries_is_capped_and_disabled_means_zero() {
        assert_eq!(
            RetryPolicy::default().with_max_retries(50).max_retries(),
            10
        );
        assert_eq!(RetryPolicy::disabled().max_retries(), 0);
        assert_eq!(RetryPolicy::default().max_retries(), 3);
    }

    #[test]
    fn only_throttling_and_unavailability_are_retryable() {
        for code in [429, 503, 504] {
            assert!(is_retryable_status(StatusCode::from_u16(code).unwrap()));
        }
        for code in [400, 401, 403, 404, 409, 500, 502] {
            assert!(!is_retryable_status(StatusCode::from_u16(code).unwrap()));
        }
    }
}
