//! When a run must stop: a wall-clock deadline, the planner's cancel, or both.
//!
//! Every phase of the optimizer that can take long (flow solves, local search passes, ejection-chain searches,
//! nested re-designs) polls one [`Stop`], so the time limit is a deadline for the whole run rather than a rule
//! about when restarts may begin, and Cancel is seen within milliseconds wherever the run is.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::progress::Progress;

/// Share of a deadline's span given as grace to finish a plan cut short (see [`Stop::grace`]).
const GRACE_SHARE: f64 = 0.02;
/// Fixed part of the grace, in milliseconds.
const GRACE_MS: u64 = 200;

/// A deadline and a cancel flag, cheap to clone and to poll (one atomic load and, with a deadline, one read of
/// the monotonic clock).
#[derive(Debug, Clone, Default)]
pub struct Stop {
    deadline: Option<Instant>,
    /// The time from the deadline's setting to the deadline, which sizes [`Stop::grace`].
    span: Duration,
    cancel: Arc<AtomicBool>,
}

impl Stop {
    /// Never stops on its own; only [`Stop::cancel`] stops it.
    pub fn never() -> Self {
        Self::default()
    }

    /// Stops `limit` from now (none: no deadline) or when `progress` is cancelled, whichever comes first.
    pub fn new(progress: &Progress, limit: Option<Duration>) -> Self {
        Stop {
            deadline: limit.map(|l| Instant::now() + l),
            span: limit.unwrap_or_default(),
            cancel: progress.cancel_flag(),
        }
    }

    /// The same cancel flag with a deadline no later than `at`.
    pub fn until(&self, at: Instant) -> Self {
        let deadline = self.deadline.map_or(at, |d| d.min(at));
        Stop {
            deadline: Some(deadline),
            span: self.span.max(deadline.saturating_duration_since(Instant::now())),
            cancel: self.cancel.clone(),
        }
    }

    /// The same cancel flag with the deadline pushed back by 2% of its span plus 0.2 s: the time a run cut short
    /// by its deadline may take to turn its last state into a plan worth returning (a few local-search passes).
    /// A cancel still stops it at once. Without a deadline, the same stop.
    pub fn grace(&self) -> Self {
        Stop {
            deadline: self
                .deadline
                .map(|d| d + self.span.mul_f64(GRACE_SHARE) + Duration::from_millis(GRACE_MS)),
            span: self.span,
            cancel: self.cancel.clone(),
        }
    }

    /// The same cancel flag with the deadline brought forward by the [`Stop::grace`] it will be given back
    /// (never by more than half its span), so that work done in the grace still ends by the original deadline.
    pub fn leaving_grace(&self) -> Self {
        let give = (self.span.mul_f64(GRACE_SHARE) + Duration::from_millis(GRACE_MS)).min(self.span / 2);
        Stop {
            deadline: self.deadline.map(|d| d.checked_sub(give).unwrap_or(d)),
            span: self.span.saturating_sub(give),
            cancel: self.cancel.clone(),
        }
    }

    /// True once the deadline has passed or the run was cancelled.
    pub fn reached(&self) -> bool {
        self.cancelled() || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// True once the run was cancelled (as opposed to running out of time).
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Asks every holder of this flag to stop.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    /// Time left before the deadline (`None` without one; zero once it passed).
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline.map(|d| d.saturating_duration_since(Instant::now()))
    }

    /// The deadline, if any.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_stops_until_cancelled() {
        let s = Stop::never();
        assert!(!s.reached());
        s.clone().cancel();
        assert!(s.reached() && s.cancelled());
    }

    #[test]
    fn deadline_passes() {
        let s = Stop::new(&Progress::new(), Some(Duration::from_millis(0)));
        assert!(s.reached() && !s.cancelled());
        let later = Stop::never().until(Instant::now() + Duration::from_secs(3600));
        assert!(!later.reached());
        assert!(later.remaining().is_some_and(|r| r > Duration::from_secs(3000)));
    }

    #[test]
    fn grace_extends_the_deadline_but_not_a_cancel() {
        let s = Stop::new(&Progress::new(), Some(Duration::from_millis(0)));
        let g = s.grace();
        assert!(s.reached() && !g.reached());
        assert!(g.remaining().is_some_and(|r| r <= Duration::from_millis(GRACE_MS)));
        s.cancel();
        assert!(g.reached());
        assert!(Stop::never().grace().deadline().is_none());
    }

    #[test]
    fn work_leaving_grace_then_the_grace_end_by_the_deadline() {
        let s = Stop::new(&Progress::new(), Some(Duration::from_secs(10)));
        let work = s.leaving_grace();
        let (d, w, g) = (
            s.deadline().unwrap(),
            work.deadline().unwrap(),
            work.grace().deadline().unwrap(),
        );
        assert!(w < d && g <= d, "work {w:?} grace {g:?} deadline {d:?}");
        assert!(d - w <= Duration::from_millis(400));
    }

    #[test]
    fn progress_cancel_reaches_the_stop() {
        let p = Progress::new();
        let s = Stop::new(&p, None);
        p.cancel();
        assert!(s.reached());
    }
}
