//! Shared pacing of a bulk run: AIMD on the number of requests in flight,
//! and one back-off that every task of the run waits out together.
//!
//! - At most `limit` requests are in flight (a fair, first-come semaphore).
//! - A throttling answer (`429`/`503`) halves `limit` (not below 1) and sets
//!   a resume time from its `Retry-After`: no task of the run sends before
//!   it. The answers of requests already in flight during that back-off do
//!   not halve `limit` again: one episode, one cut.
//! - After `limit` answers in a row that were not throttled, `limit` grows
//!   by one, up to the configured concurrency.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::time::Instant;

pub(crate) struct Pacer {
    semaphore: Semaphore,
    state: Mutex<State>,
}

struct State {
    limit: usize,
    max: usize,
    /// Permits to drop as they come back, after a cut that found them taken.
    debt: usize,
    resume_at: Option<Instant>,
    successes: usize,
}

/// The right to send one request; gives its place back when dropped.
pub(crate) struct Permit<'a> {
    pacer: &'a Pacer,
    permit: Option<SemaphorePermit<'a>>,
}

impl Pacer {
    pub(crate) fn new(concurrency: usize) -> Self {
        Self {
            semaphore: Semaphore::new(concurrency),
            state: Mutex::new(State {
                limit: concurrency,
                max: concurrency,
                debt: 0,
                resume_at: None,
                successes: 0,
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a place among the requests in flight, then for the end of
    /// any back-off, and says how long the back-off took. With a `budget`
    /// (what is left of a throttled batch's retry budget), a back-off that
    /// would last longer is not waited out: `None`.
    pub(crate) async fn acquire(&self, budget: Option<Duration>) -> Option<(Permit<'_>, Duration)> {
        // The semaphore is never closed.
        let permit = self.semaphore.acquire().await.ok();
        let permit = Permit {
            pacer: self,
            permit,
        };
        let mut slept = Duration::ZERO;
        loop {
            let resume_at = self.state().resume_at;
            let now = Instant::now();
            match resume_at {
                Some(at) if at > now => {
                    if budget.is_some_and(|b| at - now > b.saturating_sub(slept)) {
                        return None;
                    }
                    tokio::time::sleep_until(at).await;
                    slept += at - now;
                }
                _ => return Some((permit, slept)),
            }
        }
    }

    /// A request was throttled and asked for `wait` (already within the
    /// batch's retry budget; zero for one that is given up on).
    pub(crate) fn throttled(&self, wait: Duration) {
        let now = Instant::now();
        let mut state = self.state();
        let backing_off = state.resume_at.is_some_and(|at| at > now);
        let until = crate::runtime::time::tokio_instant_after(now, wait);
        state.resume_at = Some(state.resume_at.map_or(until, |at| at.max(until)));
        state.successes = 0;
        if !backing_off && state.limit > 1 {
            let cut = state.limit - state.limit / 2;
            state.limit -= cut;
            let forgotten = self.semaphore.forget_permits(cut);
            state.debt += cut - forgotten;
            tracing::debug!(limit = state.limit, ?wait, "bulk run throttled");
        }
    }

    /// A request was answered without throttling.
    pub(crate) fn succeeded(&self) {
        let mut state = self.state();
        state.successes += 1;
        if state.successes >= state.limit && state.limit < state.max {
            state.successes = 0;
            state.limit += 1;
            match state.debt {
                0 => self.semaphore.add_permits(1),
                _ => state.debt -= 1,
            }
        }
    }

    /// The current number of requests allowed in flight.
    #[cfg(test)]
    fn limit(&self) -> usize {
        self.state().limit
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut state = self.pacer.state();
        if let Some(permit) = self.permit.take() {
            if state.debt > 0 {
                state.debt -= 1;
                permit.forget();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_throttle_halves_once_per_episode_and_successes_add_one() {
        let pacer = Pacer::new(8);
        pacer.throttled(Duration::from_secs(1));
        pacer.throttled(Duration::from_secs(1));
        assert_eq!(pacer.limit(), 4, "one cut for one episode");
        let started = Instant::now();
        drop(pacer.acquire(None).await);
        assert!(started.elapsed() >= Duration::from_secs(1), "waited out");
        for _ in 0..4 {
            pacer.succeeded();
        }
        assert_eq!(pacer.limit(), 5);
        pacer.throttled(Duration::ZERO);
        pacer.throttled(Duration::ZERO);
        assert_eq!(pacer.limit(), 1, "a new episode cuts again");
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_too_long_to_represent_saturates_and_a_budget_refuses_it() {
        let pacer = Pacer::new(2);
        pacer.throttled(Duration::from_secs(u64::MAX));
        pacer.throttled(Duration::MAX);
        assert!(pacer
            .acquire(Some(Duration::from_secs(180)))
            .await
            .is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn permits_taken_during_a_cut_are_not_given_back() {
        let pacer = Pacer::new(4);
        let held: Vec<_> = [(); 4]
            .iter()
            .map(|_| pacer.semaphore.try_acquire().unwrap())
            .collect();
        let held: Vec<_> = held
            .into_iter()
            .map(|permit| Permit {
                pacer: &pacer,
                permit: Some(permit),
            })
            .collect();
        pacer.throttled(Duration::ZERO);
        drop(held);
        assert_eq!(pacer.semaphore.available_permits(), 2);
    }
}
