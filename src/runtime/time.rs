//! The one place where times and durations that come from outside (a
//! `Retry-After`, a token's lifetime, a configured timeout) are added to a
//! point in time. It saturates: no input makes it panic or wrap around.
//! Everything else compares durations, which cannot overflow.

use std::time::{Duration, Instant, SystemTime};

/// Farther than any wait or lifetime this client acts on: what a sum that
/// would overflow saturates to (about a century).
pub(crate) const FAR: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);

/// `at + wait`, or `at + FAR` when that would overflow.
pub(crate) fn instant_after(at: Instant, wait: Duration) -> Instant {
    at.checked_add(wait)
        .or_else(|| at.checked_add(FAR))
        .unwrap_or(at)
}

/// [`instant_after`] on Tokio's clock (paused in tests).
pub(crate) fn tokio_instant_after(
    at: tokio::time::Instant,
    wait: Duration,
) -> tokio::time::Instant {
    tokio::time::Instant::from_std(instant_after(at.into_std(), wait))
}

/// `at + lifetime`, or `at + FAR` when that would overflow: a lifetime too
/// long to represent is as good as never expiring.
pub(crate) fn system_time_after(at: SystemTime, lifetime: Duration) -> SystemTime {
    at.checked_add(lifetime)
        .or_else(|| at.checked_add(FAR))
        .unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_past_the_representable_saturate_instead_of_panicking() {
        let now = Instant::now();
        assert!(instant_after(now, Duration::MAX) >= now + Duration::from_secs(3600));
        assert!(instant_after(now, Duration::from_secs(u64::MAX)) > now);
        let wall = SystemTime::now();
        assert!(system_time_after(wall, Duration::MAX) > wall + Duration::from_secs(3600));
        assert_eq!(
            instant_after(now, Duration::from_secs(1)),
            now + Duration::from_secs(1)
        );
    }
}
