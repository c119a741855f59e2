//! "Explore trade-offs": maps the Optimize dialog's request onto the planning service's exploration
//! (`Prepared::explore_observed`, the one `tessera explore` calls), and keeps the front found so a plan picked
//! on the chart can be saved as a scenario. No algorithm and no figure is computed here.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tessera_optimizer::genetic::{BalanceFigure, Developed};
use tessera_optimizer::Rep;
use tessera_workbook::planning::{
    self, plan_id, ExploreOutcome, FrontPlan, GrowingPlan, PlanInputs, PlanProgress, PlanningError, Prepared,
};
use tessera_workbook::Scenario;

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
    /// The plan's id (hexadecimal [`plan_id`]): the same while it stays on the growing front and on the
    /// finished one; what `save_growing_plan` takes while the run goes. `None` for the current plan.
    pub id: Option<String>,
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
    /// A point of the front while it grows (figures as the search measured them), with the scenario it was
    /// saved as if the planner picked it already.
    pub fn growing(g: &GrowingPlan, scenario: Option<String>) -> Self {
        let f = &g.figures;
        FrontPointDto {
            index: None,
            id: Some(id_text(g.id)),
            max_dev: f.max_dev,
            cv: f.cv,
            travel: f.travel,
            moved_fraction: f.moved_fraction,
            noncontiguous: 0,
            keeps_limits: f.keeps_limits,
            broken_limits: Vec::new(),
            scenario,
        }
    }

    /// A plan of the finished front (figures as `tessera evaluate` measures them); `index` `None` for the
    /// current plan (no id either) or a plan picked while the run goes.
    pub fn of(index: Option<usize>, f: &FrontPlan, scenario: Option<String>) -> Self {
        FrontPointDto {
            index,
            id: Some(id_text(plan_id(f.plan.territory_of()))),
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
    /// The planning service's note when the searches dropped children (no feasible flow for their allocation),
    /// as `tessera explore` prints it; `None` when they dropped none.
    pub dropped_note: Option<String>,
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
            current: o.current.as_ref().map(|c| FrontPointDto {
                id: None,
                ..FrontPointDto::of(None, c, None)
            }),
            figure: match o.figure {
                BalanceFigure::MaxDev => FrontBalance::MaxDev,
                BalanceFigure::Cv => FrontBalance::Cv,
            },
            measure: o.measure().to_string(),
            searches: o.runs.clone(),
            developed: o.developed,
            dropped_note: o.dropped_note(),
            cancelled: o.cancelled,
            seconds: o.seconds,
        }
    }
}

/// A plan id as the window holds it (hexadecimal: a `u64` does not fit a JavaScript number).
pub fn id_text(id: u64) -> String {
    format!("{id:016x}")
}

/// An exploration while it runs: what it was asked, the plans of the front last shown, and the plans picked
/// so far, so the planner can pick a plan (draw it, save it as a scenario) before the run ends.
#[derive(Debug)]
pub struct GrowingExploration {
    /// The workbook it explores.
    pub workbook: PathBuf,
    /// What the run sees (a picked plan is measured on the same).
    pub inputs: Arc<OptimizeInputs>,
    /// The dialog's request.
    pub request: OptimizeRequest,
    /// The balance figure of the front.
    pub figure: FrontBalance,
    /// Plans of the front in the last report sent, by id.
    shown: HashMap<u64, Arc<Developed>>,
    /// Plans of the report before it: a click may land on a point drawn from it as the next report arrives.
    before: HashMap<u64, Arc<Developed>>,
    /// The scenario each picked plan was saved as, by id (it stays saved when a better plan later pushes the
    /// plan off the front).
    pub saved: HashMap<u64, String>,
}

impl GrowingExploration {
    /// An exploration of `request` over `figure` on `inputs`, of the workbook at `workbook`, nothing shown yet.
    pub fn new(workbook: PathBuf, inputs: Arc<OptimizeInputs>, request: OptimizeRequest, figure: FrontBalance) -> Self {
        GrowingExploration {
            workbook,
            inputs,
            request,
            figure,
            shown: HashMap::new(),
            before: HashMap::new(),
            saved: HashMap::new(),
        }
    }

    /// Keeps `front`'s plans as the ones shown and returns their points, as the window draws them.
    pub fn show(&mut self, front: &[GrowingPlan]) -> Vec<FrontPointDto> {
        self.before = std::mem::take(&mut self.shown);
        self.shown = front.iter().map(|g| (g.id, g.plan.clone())).collect();
        front
            .iter()
            .map(|g| FrontPointDto::growing(g, self.saved.get(&g.id).cloned()))
            .collect()
    }

    /// Plan `id`, if one of the last two reports showed it.
    pub fn plan(&self, id: u64) -> Option<Arc<Developed>> {
        self.shown.get(&id).or_else(|| self.before.get(&id)).cloned()
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
    on_front: &mut dyn FnMut(&[GrowingPlan]),
) -> Result<ExploreOutcome, AppError> {
    with_prepared(inputs, request, |p| {
        p.explore_observed(figure.into(), progress, on_front)
    })
}

/// Plan `assignment`, picked from the front of a run of `request` over `figure` on `inputs` while it goes, as
/// a scenario named `name` (see `Prepared::picked_scenario`), with the plan as measured.
///
/// # Errors
/// As [`run`] (the request was accepted once, so in practice none).
pub fn picked_scenario(
    inputs: &OptimizeInputs,
    request: &OptimizeRequest,
    figure: FrontBalance,
    assignment: &[u32],
    name: &str,
) -> Result<(Scenario, FrontPlan), AppError> {
    with_prepared(inputs, request, |p| {
        Ok(p.picked_scenario(figure.into(), assignment, name))
    })
}

/// `f` on the planning service's preparation of `request` on `inputs` (the dialog's switches decide what the
/// run sees).
fn with_prepared<T>(
    inputs: &OptimizeInputs,
    request: &OptimizeRequest,
    f: impl FnOnce(Prepared<'_>) -> Result<T, PlanningError>,
) -> Result<T, AppError> {
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
        .and_then(f)
        .map_err(app_error)
}
