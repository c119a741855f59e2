//! Exploring trade-offs: the same request as a plan, answered with a front of plans instead of one — each
//! non-dominated over balance, travel and the workload moved from the current plan — so the planner can see
//! what a tighter balance costs in driving, or how much balance a few moves buy, and pick. Caps, floors and mix
//! bands are not traded: the searches keep them as a planning run does, the front holds only plans keeping them
//! all when any was found, and each plan says which it breaks and by how much ([`FrontPlan::limits`]).

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde_json::{json, Value};
use tessera_optimizer::genetic::{explore_observed, BalanceFigure, Developed, ExploreParams, Front, GeneticParams};
use tessera_optimizer::{Evaluation, Plan};

use super::progress::PlanProgress;
use super::promises::{limit_promises, mix_promises, Promise, RunEnd};
use super::request::PlanningError;
use super::run::Prepared;
use crate::figures::evaluation_document;
use crate::Scenario;

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
    /// One promise per cap, floor and mix band of the request (`cap:units`, `mix:segment=A`), kept or not; a
    /// broken one names the territories beyond it and by how much. Empty without limits. The plans of a front
    /// keep them all whenever the search found any plan that does.
    pub limits: Vec<Promise>,
}

impl FrontPlan {
    /// True when the plan keeps every cap, floor and mix band of the request.
    pub fn keeps_limits(&self) -> bool {
        self.limits.iter().all(|p| p.kept)
    }
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
    /// Children the searches dropped undeveloped (their allocation found no feasible flow); see
    /// [`ExploreOutcome::dropped_note`].
    pub dropped: usize,
    /// The planner cancelled; the front is what was found until then.
    pub cancelled: bool,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// The request's parameters document, as a planning run stores it (`search`: `"explore"`, the balance
    /// figure and the searches added); [`ExploreOutcome::scenario`] stores it with a plan of the front.
    pub params: Value,
}

impl ExploreOutcome {
    /// Plan `index` of the front as a scenario named `name`, to store: its parameters (the request's, which
    /// repeat the exploration, plus the plan's place on the front) and its metrics (as `tessera evaluate`
    /// measures it, with the share moved). `None` when the front has no such plan.
    pub fn scenario(&self, index: usize, name: impl Into<String>) -> Option<Scenario> {
        let f = self.front.get(index)?;
        let mut params = self.params.clone();
        if let Value::Object(m) = &mut params {
            m.insert("front_index".into(), json!(index));
            m.insert("front_size".into(), json!(self.front.len()));
        }
        let mut metrics = evaluation_document(&f.evaluation, self.measure());
        if let Value::Object(m) = &mut metrics {
            m.insert("moved_fraction".into(), json!(f.moved_fraction));
            if !f.limits.is_empty() {
                // As a planning run stores them: whether each cap, floor and band holds, and why not.
                m.insert("promises".into(), json!(f.limits));
            }
            m.insert("search".into(), json!("explore"));
            m.insert("seed".into(), self.params.get("seed").cloned().unwrap_or(Value::Null));
            m.insert("plans_developed".into(), json!(self.developed));
            m.insert("children_dropped".into(), json!(self.dropped));
            m.insert("cancelled".into(), json!(self.cancelled));
            m.insert("seconds".into(), json!(self.seconds));
        }
        Some(Scenario {
            name: name.into(),
            plan: f.plan.clone(),
            params,
            metrics,
        })
    }

    /// What the planner should know when the searches dropped children (none when they dropped none): the
    /// same note a genetic `plan` gives.
    pub fn dropped_note(&self) -> Option<String> {
        super::run::dropped_note(self.dropped)
    }

    /// The measure balanced.
    pub fn measure(&self) -> &str {
        self.params.get("measure").and_then(Value::as_str).unwrap_or_default()
    }
}

/// A plan's figures as the search measured them (the same definitions as [`evaluate`]'s: travel to the
/// territory's center or rep, deviation from the capacity-weighted target), for a front shown while it grows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FrontFigures {
    /// Largest relative deviation of a territory's load from its target.
    pub max_dev: f64,
    /// Coefficient of variation of the loads.
    pub cv: f64,
    /// Travel (workload × km).
    pub travel: f64,
    /// Share of the balanced measure in another territory than in the current plan (0 without one).
    pub moved_fraction: f64,
    /// True when the plan keeps every cap, floor and mix band (true without any).
    pub keeps_limits: bool,
}

/// A plan of the front while it grows: an id, its figures and its assignment, so the planner can pick it
/// before the run ends ([`Prepared::picked_scenario`] makes the scenario).
#[derive(Debug, Clone)]
pub struct GrowingPlan {
    /// [`plan_id`] of its assignment: the same in every report while the plan is on the front, and for the
    /// same plan on the finished front.
    pub id: u64,
    /// Its figures as the search measured them.
    pub figures: FrontFigures,
    /// Territory per unit (shared with the search's front, not copied).
    pub plan: Arc<Developed>,
}

/// An id for the plan `assignment` (a hash of it): plans are told apart by what they assign, so a plan keeps
/// its id from one report of the growing front to the next and on the finished front.
pub fn plan_id(assignment: &[u32]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    assignment.hash(&mut h);
    h.finish()
}

/// The plans on `front` with their ids and figures, in its order (by balance figure, then travel).
pub fn growing_front(front: &Front) -> Vec<GrowingPlan> {
    front
        .plans()
        .into_iter()
        .zip(front_figures(front))
        .map(|(plan, figures)| GrowingPlan {
            id: plan_id(&plan.assignment),
            figures,
            plan,
        })
        .collect()
}

/// The figures of every plan on `front`, in its order (by balance figure, then travel).
pub fn front_figures(front: &Front) -> Vec<FrontFigures> {
    front
        .plans()
        .iter()
        .map(|d| FrontFigures {
            max_dev: d.max_dev,
            cv: d.cv,
            travel: d.travel,
            // (+ 0.0: an empty sum is -0.0)
            moved_fraction: d.moved_fraction + 0.0,
            keeps_limits: d.meets_limits(),
        })
        .collect()
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
    /// [`PlanningError::Plan`] if the flow solver fails; [`PlanningError::GeneticWithOnly`] with `only`;
    /// [`PlanningError::Mix`] for mix bands not counted ([`Prepared::with_segments`]).
    pub fn explore(self, figure: BalanceFigure, progress: &PlanProgress) -> Result<ExploreOutcome, PlanningError> {
        self.explore_observed(figure, progress, &mut |_| {})
    }

    /// [`Prepared::explore`], showing the front as it grows: `on_front` gets the plans found so far, with their
    /// ids and figures (see [`growing_front`]), after each generation of each search, on the calling thread.
    ///
    /// # Errors
    /// As [`Prepared::explore`].
    pub fn explore_observed(
        self,
        figure: BalanceFigure,
        progress: &PlanProgress,
        on_front: &mut dyn FnMut(&[GrowingPlan]),
    ) -> Result<ExploreOutcome, PlanningError> {
        let started = self.started();
        let (request, problem) = (self.request(), self.problem());
        if !request.only.is_empty() {
            return Err(PlanningError::GeneticWithOnly);
        }
        self.check_segments_counted()?;
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
        let found = explore_observed(problem, &params, progress.optimizer_progress(), &mut |front| {
            on_front(&growing_front(front))
        })?;
        let measure = |assignment: &[u32]| self.front_plan(assignment);
        // Measured on every core: on the largest instances a front of dozens of plans takes a second or more
        // to measure one after the other, all of it after the deadline.
        let plans = found.front.plans();
        let threads = params.search.threads.clamp(1, plans.len().max(1));
        let chunk = plans.len().div_ceil(threads).max(1);
        let front: Vec<FrontPlan> = std::thread::scope(|s| {
            let measure = &measure;
            let parts: Vec<_> = plans
                .chunks(chunk)
                .map(|part| s.spawn(move || part.iter().map(|d| measure(&d.assignment)).collect::<Vec<_>>()))
                .collect();
            parts
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        let current = found.current.as_ref().map(|d| measure(&d.assignment));
        let runs: Vec<Run> = found
            .runs
            .iter()
            .map(|&(tolerance, max_moved)| Run { tolerance, max_moved })
            .collect();
        let doc = self.explore_document(figure, Some(&runs));
        Ok(ExploreOutcome {
            front,
            current,
            figure,
            runs,
            developed: found.developed,
            dropped: found.dropped,
            cancelled: found.cancelled,
            seconds: started.elapsed().as_secs_f64(),
            params: doc,
        })
    }

    /// `assignment` as a plan of the front: named, measured over the whole plan as [`evaluate`] measures it
    /// (named accounts counted), with the share moved from the current plan.
    pub fn front_plan(&self, assignment: &[u32]) -> FrontPlan {
        let (inputs, problem) = (self.inputs(), self.problem());
        let plan = Plan::new(assignment.to_vec(), problem.names.clone());
        let evaluation = self.evaluate_plan(&plan);
        let moved_fraction = inputs.current.map_or(0.0, |c| {
            let of = c.territory_of();
            let moved: f64 = (0..inputs.units.len())
                .filter(|&i| c.names().get(of[i] as usize) != plan.names().get(assignment[i] as usize))
                .map(|i| problem.weights[i])
                .sum();
            // (+ 0.0: an empty sum is -0.0, which would print as "-0")
            moved / problem.total() + 0.0
        });
        // The caps, floors and bands measured from the plan, as a planning run's promises (the run's end is not
        // part of a front plan's story: every plan on it was finished).
        let end = RunEnd {
            cancelled: false,
            stopped_early: false,
            restarts_done: 0,
            restarts: 0,
            time_limit: self.request().time_limit,
            counting: "generations",
        };
        let mut limits = limit_promises(problem, assignment, end);
        limits.extend(mix_promises(problem, assignment, end));
        FrontPlan {
            plan,
            evaluation,
            moved_fraction,
            limits,
        }
    }

    /// The parameters document of an exploration of this request over `figure`: the request as a planning run
    /// stores it (the number used, what it started from), then how it searched (`runs`, once known).
    fn explore_document(&self, figure: BalanceFigure, runs: Option<&[Run]>) -> Value {
        let (inputs, request, problem) = (self.inputs(), self.request(), self.problem());
        let mut doc = serde_json::to_value(request).unwrap_or_else(|_| json!({}));
        if let Value::Object(m) = &mut doc {
            m.insert("measure".into(), json!(problem.measure));
            m.insert("territories".into(), json!(problem.p()));
            m.insert("per_rep".into(), json!(!inputs.reps.is_empty()));
            m.insert("from_current".into(), json!(inputs.current.is_some()));
            m.insert("locks".into(), json!(inputs.locks.len()));
            m.insert("search".into(), json!("explore"));
            m.insert("front_balance".into(), json!(figure));
            if let Some(runs) = runs {
                m.insert("searches".into(), json!(runs));
            }
        }
        doc
    }

    /// A plan picked from the front of an exploration of this request over `figure` while it still runs, as a
    /// scenario named `name`: the exploration's parameters (`picked_while_running`: the searches and the
    /// plan's place on the finished front are not known yet) and the plan's figures, measured as
    /// [`Prepared::front_plan`] measures them. Returns the plan measured too.
    pub fn picked_scenario(
        &self,
        figure: BalanceFigure,
        assignment: &[u32],
        name: impl Into<String>,
    ) -> (Scenario, FrontPlan) {
        let f = self.front_plan(assignment);
        let mut params = self.explore_document(figure, None);
        if let Value::Object(m) = &mut params {
            m.insert("picked_while_running".into(), json!(true));
        }
        let mut metrics = evaluation_document(&f.evaluation, &self.problem().measure);
        if let Value::Object(m) = &mut metrics {
            m.insert("moved_fraction".into(), json!(f.moved_fraction));
            if !f.limits.is_empty() {
                // As a plan of the finished front stores them ([`ExploreOutcome::scenario`]).
                m.insert("promises".into(), json!(f.limits));
            }
            m.insert("search".into(), json!("explore"));
            m.insert("seed".into(), json!(self.request().seed));
        }
        let scenario = Scenario {
            name: name.into(),
            plan: f.plan.clone(),
            params,
            metrics,
        };
        (scenario, f)
    }
}
