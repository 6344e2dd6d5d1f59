//! A stop signal shared by the calls of one run: once given, no request
//! is sent, and a call waiting (for a token, its turn or a back-off) stops
//! waiting.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Stops a run of calls (a bulk run): no request is sent after it, no more
/// input is read, and a call waiting (for a token, its turn, or out of a
/// back-off) stops waiting.
#[derive(Clone, Debug, Default)]
pub struct StopHandle(Arc<Stop>);

#[derive(Debug, Default)]
struct Stop {
    stopped: AtomicBool,
    wake: tokio::sync::Notify,
}

impl StopHandle {
    /// Stops the run.
    pub fn stop(&self) {
        self.0.stopped.store(true, Ordering::SeqCst);
        self.0.wake.notify_waiters();
    }

    /// Whether the run was stopped.
    pub fn is_stopped(&self) -> bool {
        self.0.stopped.load(Ordering::SeqCst)
    }

    /// Ends when the run is stopped.
    async fn stopped(&self) {
        loop {
            let mut woken = std::pin::pin!(self.0.wake.notified());
            woken.as_mut().enable();
            if self.is_stopped() {
                return;
            }
            woken.await;
        }
    }

    /// `work`'s output, or `None` when the run is stopped first (checked
    /// before `work` is polled at all).
    pub(crate) async fn unless_stopped<F: std::future::Future>(
        &self,
        work: F,
    ) -> Option<F::Output> {
        use futures_util::future::{select, Either};
        let stopped = std::pin::pin!(self.stopped());
        let work = std::pin::pin!(work);
        match select(stopped, work).await {
            Either::Left(_) => None,
            Either::Right((output, _)) => Some(output),
        }
    }
}
