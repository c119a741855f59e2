//! Exploring trade-offs: the same request as a plan, answered with a front of plans instead of one — each
//! non-dominated over balance, travel and the workload moved from the current plan — so the planner can see
//! what a tighter balance costs in driving, or how much balance a few moves buy, and pick.

use std::time::Duration;

use serde::Serialize;
use tessera_optimizer::genetic::{explore, BalanceFigure, ExploreParams, GeneticParams};
use tessera_optimizer::{evaluate, Evaluation, Plan};

use super::progress::PlanProgress;
use super::request::PlanningError;
use super::run::Prepared;

/// Disruption budgets an exploration searches when there is a current plan: shares of the total workload
/// allowed to move (none: no limit).
pub const EXPLORE_BUDGETS: [Option<f64>; 3] = [Some(0.1), Some(0.3), None];

/// One plan on the front (or the current plan), with the figures its row claims.
#[derive(Debug, Clone)]
pub struct FrontPlan {
    /// The plan.
    pub plan: Plan,
    /// Its figures over the whole plan (balance, travel, contiguity), measured as `tessera evaluate` does.
    pub evaluation: Evaluation,
    /// Share of the balanced measure in another territory than in the current plan (0 without one).
    pub moved_fraction: f64,
}

/// What an exploration found.
#[derive(Debug, Clone)]
pub struct ExploreOutcome {
    /// The non-dominated plans, by balance figure then travel.
    pub front: Vec<FrontPlan>,
    /// The current plan, when there is one (it is on the front too when nothing beats it).
    pub current: Option<FrontPlan>,
    /// The balance figure the front is over.
    pub figure: BalanceFigure,
    /// (tolerance, disruption budget) of each search run.
    pub runs: Vec<Run>,
    /// Plans developed over every run.
    pub developed: usize,
    /// The planner cancelled; the front is what was found until then.
    pub cancelled: bool,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// One search of an exploration.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Run {
    /// Its tolerance.
    pub tolerance: f64,
    /// Its disruption budget (share of the total; none: no limit).
    pub max_moved: Option<f64>,
}

impl Prepared<'_> {
    /// Explores the trade-off front for this request: genetic searches over a grid of tolerances (from the
    /// current plan's max deviation down to the request's tolerance) and, with a current plan, disruption
    /// budgets ([`EXPLORE_BUDGETS`]; the request's own budget instead when it sets one), sharing the time
    /// limit; every plan developed is offered to one front of contiguous plans over (`figure`, travel, moved
    /// share). Each plan on the front is measured over the whole plan as [`evaluate`] measures it.
    ///
    /// # Errors
    /// [`PlanningError::Plan`] if the flow solver fails; [`PlanningError::GeneticWithOnly`] with `only`.
    pub fn explore(self, figure: BalanceFigure, progress: &PlanProgress) -> Result<ExploreOutcome, PlanningError> {
        let started = self.started();
        let (inputs, request, problem) = (self.inputs(), self.request(), self.problem());
        if !request.only.is_empty() {
            return Err(PlanningError::GeneticWithOnly);
        }
        let mut search = GeneticParams {
            seed: request.seed,
            deadline: Some(started + Duration::from_secs_f64(request.time_limit)),
            ..GeneticParams::default()
        };
        if let Some(t) = request.threads {
            search.threads = t.max(1);
        }
        let params = ExploreParams {
            search,
            figure,
            tolerances: Vec::new(),
            budgets: match request.max_moved {
                Some(m) => vec![Some(m)],
                None => EXPLORE_BUDGETS.to_vec(),
            },
        };
        let found = explore(problem, &params, progress.optimizer_progress())?;
        let measure = |assignment: &[u32]| -> FrontPlan {
            let plan = Plan::new(assignment.to_vec(), problem.names.clone());
            let mut evaluation = evaluate(
                inputs.units,
                inputs.adjacency,
                &plan,
                &problem.weights,
                problem.p(),
                inputs.reps,
            );
            // Named accounts count for their territories, as in a planning run.
            if let Some(named) = self.named() {
                named.add_to(&mut evaluation, &problem.measure);
            }
            let moved_fraction = inputs.current.map_or(0.0, |c| {
                let of = c.territory_of();
                let moved: f64 = (0..inputs.units.len())
                    .filter(|&i| c.names().get(of[i] as usize) != plan.names().get(assignment[i] as usize))
                    .map(|i| problem.weights[i])
                    .sum();
                // (+ 0.0: an empty sum is -0.0, which would print as "-0")
                moved / problem.total() + 0.0
            });
            FrontPlan {
                plan,
                evaluation,
                moved_fraction,
            }
        };
        Ok(ExploreOutcome {
            front: found.front.plans().iter().map(|d| measure(&d.assignment)).collect(),
            current: found.current.as_ref().map(|d| measure(&d.assignment)),
            figure,
            runs: found
                .runs
                .iter()
                .map(|&(tolerance, max_moved)| Run { tolerance, max_moved })
                .collect(),
            developed: found.developed,
            cancelled: found.cancelled,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}
