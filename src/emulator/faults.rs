//! Misbehaviour on demand, so users can test their own retry handling:
//! scripted or random failures (like Microsoft's chaos handler) and
//! throttling (N requests per window, then `429` with `Retry-After`).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A failure the emulator answers with instead of processing a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Fault {
    /// `429 TooManyRequests` with `Retry-After`.
    TooManyRequests,
    /// `500 InternalServerError`.
    InternalServerError,
    /// `502` with an HTML body, as a gateway would send.
    BadGateway,
    /// `503 ServiceUnavailable` with `Retry-After`.
    ServiceUnavailable,
    /// `504 GatewayTimeout`.
    GatewayTimeout,
}

impl Fault {
    /// Every fault, in the order random mode draws from.
    pub const ALL: [Fault; 5] = [
        Self::TooManyRequests,
        Self::InternalServerError,
        Self::BadGateway,
        Self::ServiceUnavailable,
        Self::GatewayTimeout,
    ];

    /// The HTTP status it answers with.
    pub fn status(self) -> u16 {
        match self {
            Self::TooManyRequests => 429,
            Self::InternalServerError => 500,
            Self::BadGateway => 502,
            Self::ServiceUnavailable => 503,
            Self::GatewayTimeout => 504,
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::TooManyRequests => "TooManyRequests",
            Self::InternalServerError => "InternalServerError",
            Self::BadGateway => "BadGateway",
            Self::ServiceUnavailable => "ServiceUnavailable",
            Self::GatewayTimeout => "GatewayTimeout",
        }
    }
}

/// Which requests fail, and how.
#[derive(Clone, Debug, Default)]
pub enum FaultPlan {
    /// No faults.
    #[default]
    None,
    /// The next requests fail with these faults, in order; then all succeed.
    Script(Vec<Fault>),
    /// Each request fails with probability `rate`, with a fault drawn at
    /// random; `seed` makes the sequence repeatable.
    Random {
        /// The probability of a fault, from 0.0 to 1.0.
        rate: f64,
        /// The seed of the random sequence.
        seed: u64,
    },
}

/// What to answer a request with, instead of processing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Interruption {
    Fault(Fault),
    Throttled { retry_after_secs: u64 },
}

#[derive(Debug)]
enum Source {
    None,
    Script(VecDeque<Fault>),
    Random { rate: f64, rng: fastrand::Rng },
}

#[derive(Debug)]
struct Window {
    limit: u32,
    length: Duration,
    started: Instant,
    used: u32,
}

/// The fault and throttling state of one emulator.
#[derive(Debug)]
pub(crate) struct Chaos {
    source: Mutex<Source>,
    window: Option<Mutex<Window>>,
}

/// How long faults ask clients to wait.
pub(crate) const FAULT_RETRY_AFTER_SECS: u64 = 1;

impl Chaos {
    pub(crate) fn new(plan: FaultPlan, throttle: Option<(u32, Duration)>) -> Self {
        let source = match plan {
            FaultPlan::None => Source::None,
            FaultPlan::Script(faults) => Source::Script(faults.into()),
            FaultPlan::Random { rate, seed } => Source::Random {
                rate: rate.clamp(0.0, 1.0),
                rng: fastrand::Rng::with_seed(seed),
            },
        };
        let window = throttle.map(|(limit, length)| {
            Mutex::new(Window {
                limit,
                length,
                started: Instant::now(),
                used: 0,
            })
        });
        Self {
            source: Mutex::new(source),
            window,
        }
    }

    /// Decides whether this request is throttled or fails.
    pub(crate) fn next(&self) -> Option<Interruption> {
        if let Some(window) = &self.window {
            let mut window = window.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            if now.duration_since(window.started) >= window.length {
                window.started = now;
                window.used = 0;
            }
            if window.used >= window.limit {
                let left = window
                    .length
                    .saturating_sub(now.duration_since(window.started));
                let retry_after_secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
                return Some(Interruption::Throttled {
                    retry_after_secs: retry_after_secs.max(1),
                });
            }
            window.used += 1;
        }
        let mut source = self.source.lock().unwrap_or_else(|e| e.into_inner());
        match &mut *source {
            Source::None => None,
            Source::Script(faults) => faults.pop_front().map(Interruption::Fault),
            Source::Random { rate, rng } => (rng.f64() < *rate)
                .then(|| Interruption::Fault(Fault::ALL[rng.usize(..Fault::ALL.len())])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_runs_once_in_order() {
        let chaos = Chaos::new(
            FaultPlan::Script(vec![Fault::ServiceUnavailable, Fault::TooManyRequests]),
            None,
        );
        assert_eq!(
            chaos.next(),
            Some(Interruption::Fault(Fault::ServiceUnavailable))
        );
        assert_eq!(
            chaos.next(),
            Some(Interruption::Fault(Fault::TooManyRequests))
        );
        assert_eq!(chaos.next(), None);
    }

    #[test]
    fn random_faults_follow_the_seed_and_rate() {
        let draw = |seed| {
            let chaos = Chaos::new(FaultPlan::Random { rate: 0.5, seed }, None);
            (0..200).map(|_| chaos.next()).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7), "repeatable");
        let faults = draw(7).iter().filter(|f| f.is_some()).count();
        assert!((60..140).contains(&faults), "{faults} of 200 at rate 0.5");
    }

    #[test]
    fn throttling_allows_n_per_window_then_asks_to_wait() {
        let chaos = Chaos::new(FaultPlan::None, Some((2, Duration::from_secs(30))));
        assert_eq!(chaos.next(), None);
        assert_eq!(chaos.next(), None);
        match chaos.next() {
            Some(Interruption::Throttled { retry_after_secs }) => {
                assert!((29..=30).contains(&retry_after_secs))
            }
            other => panic!("expected throttling, got {other:?}"),
        }
    }
}
