//! Progress of a planning run, with the travel figure of the whole plan.
//!
//! The optimizer reports the travel of what it designs. With `only` that is the sub-problem of the named
//! territories, while the result shows the whole plan's travel; the territories left alone add a constant, so
//! the service adds it here and the progress bar shows the same figure the result will.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use tessera_optimizer::progress::ProgressReport;
use tessera_optimizer::Progress;

/// A progress and cancel handle for [`super::Prepared::run`]. Cheap to clone; clones share state.
#[derive(Clone, Default)]
pub struct PlanProgress {
    progress: Progress,
    /// Travel of the territories the run leaves alone, added to every report.
    offset: Arc<Mutex<f64>>,
}

impl PlanProgress {
    /// A handle that reports to nobody (it can still be cancelled).
    pub fn new() -> Self {
        PlanProgress::default()
    }

    /// A handle whose reports go to `listener`, with `best_travel` the whole plan's travel.
    pub fn with_listener(listener: impl Fn(&ProgressReport) + Send + Sync + 'static) -> Self {
        let offset = Arc::new(Mutex::new(0.0));
        let added = offset.clone();
        let progress = Progress::with_listener(move |r| {
            let extra = added.lock().map(|o| *o).unwrap_or(0.0);
            let mut report = r.clone();
            report.best_travel = r.best_travel.map(|t| t + extra);
            listener(&report);
        });
        PlanProgress { progress, offset }
    }

    /// Asks the run to stop and keep its best plan.
    pub fn cancel(&self) {
        self.progress.cancel();
    }

    /// True once the run was asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.progress.is_cancelled()
    }

    /// The cancel flag, for a signal handler.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        self.progress.cancel_flag()
    }

    /// The optimizer's handle.
    pub fn optimizer_progress(&self) -> &Progress {
        &self.progress
    }

    pub(super) fn set_travel_offset(&self, travel: f64) {
        if let Ok(mut o) = self.offset.lock() {
            *o = travel;
        }
    }
}
