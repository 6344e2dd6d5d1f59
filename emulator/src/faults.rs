//! Misbehaviour on demand, so users can test their own retry handling and
//! their handling of calls that may have taken effect: scripted or random
//! failures (like Microsoft's chaos handler), answers lost after the action
//! was applied, and throttling (N requests per window, then `429`).

use std::collections::{BTreeMap, VecDeque};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A failure the emulator answers a request with.
///
/// The first five refuse the request before it is processed (state is
/// unchanged). The `…AfterApply` ones process it (invitations are closed)
/// and then lose the answer, as a dropped connection or a timed-out gateway
/// would: the client cannot tell whether the call took effect.
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
    /// Applies the action, then resets the connection (TCP RST) instead of
    /// answering.
    ResetAfterApply,
    /// Applies the action, then answers `504 GatewayTimeout`, as a gateway
    /// that gave up waiting would.
    GatewayTimeoutAfterApply,
    /// Applies the action, then sends the `200` head and half of its body
    /// and closes the connection.
    TruncatedAfterApply,
    /// `401` with a continuous access evaluation challenge before the
    /// action: `WWW-Authenticate: Bearer ..., error="insufficient_claims",
    /// claims="<base64 JSON>"`, as Graph answers a token revoked mid-life,
    /// so a client's token refresh path can be tried.
    ClaimsChallenge,
}

impl Fault {
    /// The faults that refuse a request before processing it, in the order
    /// random mode draws from.
    pub const ALL: [Fault; 5] = [
        Self::TooManyRequests,
        Self::InternalServerError,
        Self::BadGateway,
        Self::ServiceUnavailable,
        Self::GatewayTimeout,
    ];

    /// The faults that apply the action and then lose the answer.
    pub const AFTER_APPLY: [Fault; 3] = [
        Self::ResetAfterApply,
        Self::GatewayTimeoutAfterApply,
        Self::TruncatedAfterApply,
    ];

    /// The HTTP status it answers with (`200` for a truncated answer, `0`
    /// for a reset, which has none).
    pub fn status(self) -> u16 {
        match self {
            Self::TooManyRequests => 429,
            Self::InternalServerError => 500,
            Self::BadGateway => 502,
            Self::ServiceUnavailable => 503,
            Self::GatewayTimeout | Self::GatewayTimeoutAfterApply => 504,
            Self::TruncatedAfterApply => 200,
            Self::ResetAfterApply => 0,
            Self::ClaimsChallenge => 401,
        }
    }

    /// Every fault, by the order of [`Fault::ALL`], [`Fault::AFTER_APPLY`],
    /// then the challenge.
    const EVERY: [Fault; 9] = [
        Self::TooManyRequests,
        Self::InternalServerError,
        Self::BadGateway,
        Self::ServiceUnavailable,
        Self::GatewayTimeout,
        Self::ResetAfterApply,
        Self::GatewayTimeoutAfterApply,
        Self::TruncatedAfterApply,
        Self::ClaimsChallenge,
    ];

    /// Whether the action is applied before the fault strikes.
    pub fn applies_action(self) -> bool {
        Self::AFTER_APPLY.contains(&self)
    }

    /// The name used on the command line, e.g. `reset-after-apply`.
    pub fn name(self) -> &'static str {
        match self {
            Self::TooManyRequests => "too-many-requests",
            Self::InternalServerError => "internal-server-error",
            Self::BadGateway => "bad-gateway",
            Self::ServiceUnavailable => "service-unavailable",
            Self::GatewayTimeout => "gateway-timeout",
            Self::ResetAfterApply => "reset-after-apply",
            Self::GatewayTimeoutAfterApply => "gateway-timeout-after-apply",
            Self::TruncatedAfterApply => "truncated-after-apply",
            Self::ClaimsChallenge => "claims-challenge",
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::TooManyRequests => "TooManyRequests",
            Self::InternalServerError => "InternalServerError",
            Self::BadGateway => "BadGateway",
            Self::ServiceUnavailable => "ServiceUnavailable",
            Self::GatewayTimeout | Self::GatewayTimeoutAfterApply => "GatewayTimeout",
            Self::ClaimsChallenge => "InvalidAuthenticationToken",
            Self::ResetAfterApply | Self::TruncatedAfterApply => "",
        }
    }
}

/// A name that is not a [`Fault`]'s.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown fault {0:?} (expected one of: {names})", names = Fault::EVERY.map(Fault::name).join(", "))]
pub struct UnknownFault(String);

impl FromStr for Fault {
    type Err = UnknownFault;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::EVERY
            .into_iter()
            .find(|fault| fault.name() == name)
            .ok_or_else(|| UnknownFault(name.to_owned()))
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
    /// The requests with these call numbers (1 for the first request the
    /// action receives) fail with these faults; the others succeed. Build
    /// it with [`FaultPlan::on_call`].
    Calls(BTreeMap<u64, Fault>),
    /// Each request fails with probability `rate` (0.0 to 1.0), with a
    /// fault drawn at random from [`Fault::ALL`]; `seed` makes the sequence
    /// repeatable.
    Random {
        /// The probability of a fault, from 0.0 to 1.0.
        rate: f64,
        /// The seed of the random sequence.
        seed: u64,
    },
}

impl FaultPlan {
    /// A plan where call number `call` (counting from 1) fails with `fault`;
    /// chain [`CallFaults::on_call`] to script more calls.
    ///
    /// ```
    /// use linkedin_invitations_emulator::{Emulator, Fault, FaultPlan};
    ///
    /// let builder = Emulator::builder().faults(
    ///     FaultPlan::on_call(2, Fault::ResetAfterApply).on_call(3, Fault::TruncatedAfterApply),
    /// );
    /// # drop(builder);
    /// ```
    pub fn on_call(call: u64, fault: Fault) -> CallFaults {
        CallFaults(BTreeMap::from([(call, fault)]))
    }

    /// Why the plan makes no sense, if it does not.
    pub(crate) fn problem(&self) -> Option<String> {
        match self {
            Self::Random { rate, .. } if !(0.0..=1.0).contains(rate) => Some(format!(
                "the fault rate must be a number from 0.0 to 1.0, not {rate}"
            )),
            Self::Calls(calls) if calls.contains_key(&0) => {
                Some("fault call numbers count from 1".into())
            }
            _ => None,
        }
    }
}

/// A [`FaultPlan::Calls`] being scripted, call by call: what
/// [`FaultPlan::on_call`] starts; [`EmulatorBuilder::faults`](crate::EmulatorBuilder::faults)
/// takes it as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallFaults(BTreeMap<u64, Fault>);

impl CallFaults {
    /// Call number `call` (counting from 1) fails with `fault` too.
    pub fn on_call(mut self, call: u64, fault: Fault) -> Self {
        self.0.insert(call, fault);
        self
    }
}

impl From<CallFaults> for FaultPlan {
    fn from(calls: CallFaults) -> Self {
        Self::Calls(calls.0)
    }
}

/// What to answer a request with, instead of (or after) processing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Interruption {
    Fault(Fault),
    Throttled { retry_after_secs: u64 },
}

#[derive(Debug)]
enum Source {
    Script(VecDeque<Fault>),
    Calls(BTreeMap<u64, Fault>),
    Random { rate: f64, rng: fastrand::Rng },
}

#[derive(Debug)]
struct Window {
    limit: u32,
    length: Duration,
    started: Instant,
    used: u32,
}

/// The fault and throttling state of one emulator. Without faults or
/// throttling it takes no lock.
#[derive(Debug)]
pub(crate) struct Chaos {
    source: Option<Mutex<Source>>,
    window: Option<Mutex<Window>>,
    calls: AtomicU64,
}

/// How long faults ask clients to wait.
pub(crate) const FAULT_RETRY_AFTER_SECS: u64 = 1;

impl Chaos {
    pub(crate) fn new(plan: FaultPlan, throttle: Option<(u32, Duration)>) -> Self {
        let source = match plan {
            FaultPlan::None => None,
            FaultPlan::Script(faults) => Some(Source::Script(faults.into())),
            FaultPlan::Calls(calls) => Some(Source::Calls(calls)),
            FaultPlan::Random { rate, seed } => Some(Source::Random {
                rate,
                rng: fastrand::Rng::with_seed(seed),
            }),
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
            source: source.map(Mutex::new),
            window,
            calls: AtomicU64::new(0),
        }
    }

    /// Decides whether this request is throttled or fails.
    pub(crate) fn next(&self) -> Option<Interruption> {
        let source = self.source.as_ref();
        let call = match source {
            Some(_) => self.calls.fetch_add(1, Ordering::Relaxed) + 1,
            None if self.window.is_none() => return None,
            None => 0,
        };
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
        let mut source = source?.lock().unwrap_or_else(|e| e.into_inner());
        let fault = match &mut *source {
            Source::Script(faults) => faults.pop_front(),
            Source::Calls(calls) => calls.get(&call).copied(),
            Source::Random { rate, rng } => {
                (rng.f64() < *rate).then(|| Fault::ALL[rng.usize(..Fault::ALL.len())])
            }
        };
        fault.map(Interruption::Fault)
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
    fn a_per_call_plan_strikes_only_the_numbered_calls() {
        let plan =
            FaultPlan::on_call(2, Fault::ResetAfterApply).on_call(4, Fault::TruncatedAfterApply);
        let chaos = Chaos::new(plan.into(), None);
        let drawn: Vec<_> = (0..5).map(|_| chaos.next()).collect();
        assert_eq!(
            drawn,
            [
                None,
                Some(Interruption::Fault(Fault::ResetAfterApply)),
                None,
                Some(Interruption::Fault(Fault::TruncatedAfterApply)),
                None
            ]
        );
    }

    #[test]
    fn fault_names_round_trip_and_unknown_names_list_the_known_ones() {
        for fault in Fault::EVERY {
            assert_eq!(fault.name().parse(), Ok(fault));
        }
        assert_eq!("claims-challenge".parse(), Ok(Fault::ClaimsChallenge));
        let error = "reset".parse::<Fault>().unwrap_err().to_string();
        assert!(error.contains("reset-after-apply"), "{error}");
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
    fn rates_outside_zero_to_one_are_problems() {
        for rate in [f64::NAN, 7.0, f64::INFINITY, -0.1] {
            assert!(FaultPlan::Random { rate, seed: 1 }.problem().is_some());
        }
        assert!(FaultPlan::Random { rate: 1.0, seed: 1 }.problem().is_none());
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
