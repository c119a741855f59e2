//! Progress reporting and cancellation shared by the app and the CLI.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// One progress report from a long run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProgressReport {
    /// What the run is doing now ("allocation", "local search", ...).
    pub stage: String,
    /// Fraction done in [0, 1], as far as the run can tell.
    pub fraction: f64,
    /// Best plan's maximum deviation so far, if there is one.
    pub best_max_dev: Option<f64>,
    /// Best plan's travel so far, if there is one.
    pub best_travel: Option<f64>,
    /// Best plan's territories in several pieces, if there is one. Plans are ranked by this first, then by
    /// deviation, then travel: a report can show a larger deviation than the last one when the new best plan has
    /// fewer pieces, and a window shows this count so the "best so far" reads as getting better.
    pub best_noncontiguous: Option<usize>,
}

type Listener = Box<dyn Fn(&ProgressReport) + Send + Sync>;

/// A handle a long run reports to and polls for cancellation. Cheap to clone; clones share state.
///
/// A run calls [`Progress::report`] now and then and stops early, keeping its best result, once
/// [`Progress::is_cancelled`] turns true (Ctrl+C in the CLI, Cancel in the app).
#[derive(Clone, Default)]
pub struct Progress {
    cancelled: Arc<AtomicBool>,
    listener: Arc<Mutex<Option<Listener>>>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl Progress {
    /// A handle that reports to nobody and is never cancelled unless [`Progress::cancel`] is called.
    pub fn new() -> Self {
        Self::default()
    }

    /// A handle that passes every report to `listener`.
    pub fn with_listener(listener: impl Fn(&ProgressReport) + Send + Sync + 'static) -> Self {
        let p = Self::default();
        if let Ok(mut l) = p.listener.lock() {
            *l = Some(Box::new(listener));
        }
        p
    }

    /// Asks the run to stop at its next check and return its best result so far.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    /// True once [`Progress::cancel`] was called on this handle or a clone.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// The shared cancellation flag, for signal handlers.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        self.cancelled.clone()
    }

    /// Sends a report to the listener, if any.
    pub fn report(&self, report: ProgressReport) {
        if let Ok(l) = self.listener.lock() {
            if let Some(f) = l.as_ref() {
                f(&report);
            }
        }
    }
}
