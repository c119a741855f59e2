//! "Explore trade-offs": maps the Optimize dialog's request onto the planning service's exploration
//! (`Prepared::explore_observed`, the one `tessera explore` calls), and keeps the front found so a plan picked
//! on the chart can be saved as a scenario. No algorithm and no figure is computed here.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tessera_optimizer::genetic::BalanceFigure;
use tessera_optimizer::Rep;
use tessera_workbook::planning::{self, ExploreOutcome, FrontFigures, FrontPlan, PlanInputs, PlanProgress};

use crate::error::AppError;
use crate::optimize::{app_error, plan_request, OptimizeInputs, OptimizeRequest};

/// The balance figure the front is drawn over, as the window names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FrontBalance {
    /// Largest deviation of a territory's load from its target (the default).
    #[default]
    MaxDev,
    /// Coefficient of variation of the loads.
    Cv,
}

impl From<FrontBalance> for BalanceFigure {
    fn from(f: FrontBalance) -> Self {
        match f {
            FrontBalance::MaxDev => BalanceFigure::MaxDev,
            FrontBalance::Cv => BalanceFigure::Cv,
        }
    }
}

/// One plan on the chart: its figures, and where it is on the front once the run ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FrontPointDto {
    /// Its place in the final front (what `save_front_plan` takes); `None` while the run goes.
    pub index: Option<usize>,
    /// Largest deviation from target.
    pub max_dev: f64,
    /// Coefficient of variation of the loads.
    pub cv: f64,
    /// Travel (workload × km).
    pub travel: f64,
    /// Share of the balanced measure moved from the current plan (0 without one).
    pub moved_fraction: f64,
    /// Territories in several pieces (0 on the front; the current plan may have some).
    pub noncontiguous: usize,
    /// True when the plan keeps every cap, floor and mix band of the request (true without any).
    pub keeps_limits: bool,
    /// The caps, floors and mix bands the plan breaks, each with the territories beyond it and by how much
    /// (`cap:units: 2 of 25 territories have more than 230 units: …`); empty while the front grows.
    pub broken_limits: Vec<String>,
    /// The scenario it was saved as, once saved.
    pub scenario: Option<String>,
}

impl FrontPointDto {
    /// A point of the front while it grows (figures as the search measured them).
    pub fn growing(f: &FrontFigures) -> Self {
        FrontPointDto {
            index: None,
            max_dev: f.max_dev,
            cv: f.cv,
            travel: f.travel,
            moved_fraction: f.moved_fraction,
            noncontiguous: 0,
            keeps_limits: f.keeps_limits,
            broken_limits: Vec::new(),
            scenario: None,
        }
    }

    /// A plan of the finished front (figures as `tessera evaluate` measures them).
    pub fn of(index: Option<usize>, f: &FrontPlan, scenario: Option<String>) -> Self {
        FrontPointDto {
            index,
            max_dev: f.evaluation.max_dev,
            cv: f.evaluation.cv,
            travel: f.evaluation.travel,
            moved_fraction: f.moved_fraction,
            noncontiguous: f.evaluation.n_noncontiguous,
            keeps_limits: f.keeps_limits(),
            broken_limits: f
                .limits
                .iter()
                .filter(|p| !p.kept)
                .map(|p| format!("{}: {}", p.name, p.why))
                .collect(),
            scenario,
        }
    }
}

/// A finished exploration as the window shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExploreResultDto {
    /// The plans of the front, by balance figure then travel.
    pub front: Vec<FrontPointDto>,
    /// The plan moves are measured from (the scenario being edited), when the run started from it.
    pub current: Option<FrontPointDto>,
    /// The balance figure of the front.
    pub figure: FrontBalance,
    /// The measure balanced.
    pub measure: String,
    /// (tolerance, disruption budget) of every search run.
    pub searches: Vec<planning::Run>,
    /// Plans developed over all searches.
    pub developed: usize,
    /// The planner cancelled; the front is what was found until then.
    pub cancelled: bool,
    /// Wall-clock seconds of the run.
    pub seconds: f64,
}

/// The last exploration of the open workbook, kept so the planner can pick plans from its chart.
#[derive(Debug, Clone)]
pub struct Exploration {
    /// The workbook it explored.
    pub workbook: PathBuf,
    /// What the planning service found.
    pub outcome: ExploreOutcome,
    /// The scenario each plan of the front was saved as, once the planner picked it.
    pub saved: Vec<Option<String>>,
}

impl Exploration {
    /// The window's view of it.
    pub fn dto(&self) -> ExploreResultDto {
        let o = &self.outcome;
        ExploreResultDto {
            front: o
                .front
                .iter()
                .enumerate()
                .map(|(k, f)| FrontPointDto::of(Some(k), f, self.saved.get(k).cloned().flatten()))
                .collect(),
            current: o.current.as_ref().map(|c| FrontPointDto::of(None, c, None)),
            figure: match o.figure {
                BalanceFigure::MaxDev => FrontBalance::MaxDev,
                BalanceFigure::Cv => FrontBalance::Cv,
            },
            measure: o.measure().to_string(),
            searches: o.runs.clone(),
            developed: o.developed,
            cancelled: o.cancelled,
            seconds: o.seconds,
        }
    }
}

/// Explores the trade-offs for `request` on `inputs` (the dialog's switches decide what the run sees, as for
/// Optimize: "keep current" measures moves from the scenario being edited, its budget limits them, "respect
/// locks" holds the locked units), reporting to `progress` and showing the front as it grows to `on_front`.
///
/// # Errors
/// [`AppError::Request`] with the service's explanation when the request cannot be met (unknown measure,
/// infeasible tolerance, "Rebalance selected", which an exploration does not do, caps, floors or mix bands that
/// provably cannot hold). Caps, floors and mix bands are kept as Optimize keeps them: the front holds only plans
/// keeping them all when the search found any, and each point says which it breaks otherwise.
pub fn run(
    inputs: &OptimizeInputs,
    request: &OptimizeRequest,
    figure: FrontBalance,
    progress: &PlanProgress,
    on_front: &mut dyn FnMut(&[FrontFigures]),
) -> Result<ExploreOutcome, AppError> {
    let reps: &[Rep] = if request.territories.is_none() {
        &inputs.reps
    } else {
        &[]
    };
    let current = if request.keep_current {
        inputs.current.as_ref()
    } else {
        None
    };
    let locks: &[(usize, String)] = if request.respect_locks { &inputs.locks } else { &[] };
    let planning_inputs = PlanInputs {
        units: &inputs.units,
        adjacency: &inputs.adjacency,
        reps,
        current,
        locks,
    };
    let planned = plan_request(request, inputs.units.len(), inputs.reps.len());
    // Named accounts count for their territories and mix bands are counted in the workbook's segments, as for
    // Optimize and `tessera explore --workbook`.
    planning::prepare(planning_inputs, &planned)
        .and_then(|p| p.with_named_loads(&inputs.named))
        .and_then(|p| p.with_segments(&inputs.segments))
        .and_then(|p| p.explore_observed(figure.into(), progress, on_front))
        .map_err(app_error)
}
