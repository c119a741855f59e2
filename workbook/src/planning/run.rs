//! A planning run: request → problem → design → figures, promises and the documents stored with the scenario.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tessera_optimizer::genetic::{design_genetic, GeneticParams};
use tessera_optimizer::limits::{breaches, number};
use tessera_optimizer::{
    certify_until, design_territories, evaluate, redesign_territories, Certificate, DesignParams, Evaluation,
    LimitKind, LimitSpec, Plan, Problem, ProblemSpec, Stop,
};

use super::progress::PlanProgress;
use super::promises::{
    budget_shortfall, limit_promises, limits_document, mix_pct, mix_promises, mixes_document, promises, Promise,
    RunEnd, SecondaryResult,
};
use super::request::{PlanInputs, PlanRequest, PlanningError};
use super::segments::SegmentTable;
use super::whole_units;
use crate::accounts::NamedLoads;
use crate::figures::evaluation_document;
use crate::Scenario;

/// A request checked and turned into the optimizer's problem, ready to run. Made by [`prepare`].
#[derive(Debug)]
pub struct Prepared<'a> {
    inputs: PlanInputs<'a>,
    request: PlanRequest,
    problem: Problem,
    notes: Vec<String>,
    /// When the time limit started counting (default: when [`Prepared::run`] is called).
    clock: Option<Instant>,
    /// How the plan is searched for.
    search: SearchMethod,
    /// Named accounts' loads, counted for their territories ([`Prepared::with_named_loads`]).
    named: Option<NamedLoads>,
    /// True once [`Prepared::with_segments`] counted the request's mix bands.
    segments_counted: bool,
}

/// How a run searches for its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchMethod {
    /// Restarts of location–allocation, the best one kept (the default).
    #[default]
    Restarts,
    /// The memetic genetic search ([`tessera_optimizer::genetic`]), until the time limit or for this many
    /// generations; the request's restarts are not used.
    Genetic {
        /// Generations to run (`None`: until the time limit).
        generations: Option<usize>,
    },
}

/// A finished run.
#[derive(Debug, Clone)]
pub struct PlanOutcome {
    /// The plan.
    pub plan: Plan,
    /// Its figures over the whole plan.
    pub evaluation: Evaluation,
    /// The travel certificate at the plan's centers, when the plan is within the tolerance (the bound is over such
    /// plans) and the flow solver gave one.
    pub certificate: Option<Certificate>,
    /// Share of the balanced measure that changed territory, when there was a current plan.
    pub moved_fraction: Option<f64>,
    /// Units that changed territory, when there was a current plan.
    pub moved_units: Option<usize>,
    /// The current plan's figures, measured as [`PlanOutcome::evaluation`] measures the result (same measure,
    /// same reps), so a window can say "travel 40.9 bn → 52.4 bn". `None` without a current plan, or when the
    /// current plan uses territories the result does not have.
    pub before: Option<Evaluation>,
    /// Secondary measures' deviations.
    pub secondary: Vec<SecondaryResult>,
    /// Every promise of the request, kept or not, with the reason.
    pub promises: Vec<Promise>,
    /// Wall-clock seconds from [`prepare`]'s caller handing over the request to the figures being ready.
    pub seconds: f64,
    /// The planner cancelled; this is the best plan found until then.
    pub cancelled: bool,
    /// The run stopped before all restarts (cancel or time limit).
    pub stopped_early: bool,
    /// What the planner was told before the run ([`Prepared::notes`]).
    pub notes: Vec<String>,
    /// How a run that stopped before all its restarts stopped ("the 30 s time limit stopped the run after 3 of 8
    /// restarts"); `None` when every restart ran.
    pub stopped: Option<String>,
    /// The parameters document stored with the scenario.
    pub params: Value,
    /// The metrics document stored with the scenario (and written by `tessera plan --metrics`).
    pub metrics: Value,
}

impl PlanOutcome {
    /// The promises not kept.
    pub fn broken_promises(&self) -> impl Iterator<Item = &Promise> {
        self.promises.iter().filter(|p| !p.kept)
    }

    /// The scenario to store: the plan with its parameters and metrics.
    pub fn scenario(&self, name: impl Into<String>) -> Scenario {
        Scenario {
            name: name.into(),
            plan: self.plan.clone(),
            params: self.params.clone(),
            metrics: self.metrics.clone(),
        }
    }
}

fn fraction(x: f64, below_one: bool) -> bool {
    x.is_finite() && x >= 0.0 && if below_one { x < 1.0 } else { x <= 1.0 }
}

/// Checks `request` against `inputs` and builds the optimizer's problem, before anything long runs.
///
/// # Errors
/// A [`PlanningError`] naming the broken rule: a tolerance, budget or time limit out of range, a number of
/// territories that contradicts the reps, a tolerance whole units provably cannot meet, and the optimizer's
/// own refusals (unknown measure, a unit heavier than a territory, locks that break balance, ...).
pub fn prepare<'a>(inputs: PlanInputs<'a>, request: &PlanRequest) -> Result<Prepared<'a>, PlanningError> {
    if !fraction(request.tolerance, true) {
        return Err(PlanningError::Tolerance(request.tolerance));
    }
    if let Some(a) = request.also_balance.iter().find(|a| !fraction(a.tolerance, true)) {
        return Err(PlanningError::AlsoTolerance {
            measure: a.measure.clone(),
            tolerance: a.tolerance,
        });
    }
    if let Some(m) = request.max_moved.filter(|&m| !fraction(m, false)) {
        return Err(PlanningError::MaxMoved(m));
    }
    if !(request.time_limit.is_finite() && request.time_limit > 0.0) {
        return Err(PlanningError::TimeLimit(request.time_limit));
    }
    if request.restarts == 0 {
        return Err(PlanningError::Restarts);
    }
    let reps = inputs.reps.len();
    let territories = match request.territories {
        None if reps == 0 => return Err(PlanningError::NoTerritories),
        None => reps,
        Some(p) if reps == 0 || p == reps => p,
        Some(p) => return Err(PlanningError::RepsConflict { reps, territories: p }),
    };
    let mut spec = ProblemSpec::new(inputs.units, inputs.adjacency, territories);
    spec.balance = request.measure.clone();
    spec.tolerance = request.tolerance;
    spec.also_balance = request
        .also_balance
        .iter()
        .map(|a| (a.measure.clone(), a.tolerance))
        .collect();
    spec.reps = inputs.reps;
    spec.current = inputs.current;
    spec.max_moved = request.max_moved;
    spec.locks = inputs.locks.to_vec();
    spec.limits = limit_specs(request);
    let problem = spec.build()?;
    whole_units::check(
        &problem.weights,
        &problem.targets,
        &problem.names,
        &problem.measure,
        problem.tolerance,
    )?;
    let mut notes: Vec<String> =
        whole_units::narrow_band_note(&problem.weights, &problem.targets, &problem.measure, problem.tolerance)
            .into_iter()
            .collect();
    if let Some(proof) = budget_shortfall(&problem) {
        notes.push(format!(
            "{proof}. No plan within the budget can hold the tolerance; the run looks for the best one within it"
        ));
    }
    notes.extend(untouched_limit_breaches(&problem, &request.only));
    Ok(Prepared {
        inputs,
        request: request.clone(),
        problem,
        notes,
        clock: None,
        search: SearchMethod::Restarts,
        named: None,
        segments_counted: false,
    })
}

/// With `only`, the territories left alone keep their units, so a mix band they already break stays broken: one
/// note per such band, said before the run.
fn untouched_mix_breaches(problem: &Problem, only: &[String]) -> Vec<String> {
    let Some(current) = problem.current.as_ref().filter(|_| !only.is_empty()) else {
        return Vec::new();
    };
    if current.iter().any(|&t| t as usize >= problem.p()) {
        return Vec::new();
    }
    let mut notes = Vec::new();
    for band in &problem.mixes {
        let untouched: Vec<String> = band
            .outside(current, problem.p())
            .into_iter()
            .filter(|m| !only.contains(&problem.names[m.territory]))
            .map(|m| {
                format!(
                    "{} has {}%",
                    problem.names[m.territory],
                    mix_pct(m.share().unwrap_or(0.0))
                )
            })
            .collect();
        if !untouched.is_empty() {
            notes.push(format!(
                "mix {}: territories left alone by `only` are already outside it ({}); they keep their units, so \
                 the plan cannot keep it",
                band.words(),
                untouched.join(", ")
            ));
        }
    }
    notes
}

/// With `only`, the territories left alone keep their units, so a cap or floor they already break stays broken
/// whatever the run does: one note per such limit, said before the run.
fn untouched_limit_breaches(problem: &Problem, only: &[String]) -> Vec<String> {
    let Some(current) = problem.current.as_ref().filter(|_| !only.is_empty()) else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    for limit in problem.limits.iter().filter(|l| l.band.is_none()) {
        let untouched: Vec<String> = breaches(limit, current, problem.p())
            .into_iter()
            .filter(|b| !only.contains(&problem.names[b.territory]))
            .map(|b| format!("{} has {}", problem.names[b.territory], number(b.load)))
            .collect();
        if !untouched.is_empty() {
            notes.push(format!(
                "{}: territories left alone by `only` already break it ({}); they keep their units, so the plan \
                 cannot keep it",
                limit.label(),
                untouched.join(", ")
            ));
        }
    }
    notes
}

/// The request's caps and floors as the optimizer takes them.
fn limit_specs(request: &PlanRequest) -> Vec<LimitSpec> {
    let caps = request.caps.iter().map(|c| (c, LimitKind::Cap));
    let floors = request.floors.iter().map(|f| (f, LimitKind::Floor));
    caps.chain(floors)
        .map(|(l, kind)| LimitSpec {
            measure: l.measure.clone(),
            kind,
            value: l.value,
        })
        .collect()
}

/// [`prepare`] and [`Prepared::run`] in one call, for callers with no use for the notes before the run.
///
/// # Errors
/// As [`prepare`] and [`Prepared::run`].
pub fn plan(
    inputs: PlanInputs<'_>,
    request: &PlanRequest,
    progress: &PlanProgress,
) -> Result<PlanOutcome, PlanningError> {
    prepare(inputs, request)?.run(progress)
}

impl Prepared<'_> {
    /// What the planner should know before the run: suspected or proved limits the run will hit.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The optimizer's problem.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// Searches by `search` instead of restarts. The genetic search designs the whole plan: it cannot re-design
    /// only some territories.
    ///
    /// # Errors
    /// [`PlanningError::GeneticWithOnly`] for the genetic search on a request with `only`.
    pub fn searching(mut self, search: SearchMethod) -> Result<Self, PlanningError> {
        if matches!(search, SearchMethod::Genetic { .. }) && !self.request.only.is_empty() {
            return Err(PlanningError::GeneticWithOnly);
        }
        if let SearchMethod::Genetic { generations: Some(0) } = search {
            return Err(PlanningError::Generations);
        }
        self.search = search;
        Ok(self)
    }

    /// Plans the geography around named accounts: their load counts for their territory in every figure and
    /// promise, and the optimizer's targets leave room for it ([`NamedLoads::shift_targets`]: each territory's
    /// units are held within the tolerance of its target less its named load, which keeps the whole territory
    /// within the tolerance of its full target). Whole units are checked again against the shifted targets. Caps
    /// and floors count each territory's named load too ([`tessera_optimizer::Limit::base`]): the optimizer keeps
    /// them on the territory's whole load, and they are proved possible again with it (a territory whose named
    /// accounts alone are above a cap is refused).
    ///
    /// # Errors
    /// [`PlanningError::Named`] when an account is named to a territory the plan does not have or named loads
    /// alone fill a territory; [`PlanningError::WholeUnits`] as [`prepare`]; [`PlanningError::Plan`] when a cap or
    /// floor provably cannot hold with the named loads.
    pub fn with_named_loads(mut self, named: &NamedLoads) -> Result<Self, PlanningError> {
        if named.is_empty() {
            return Ok(self);
        }
        named.shift_targets(&mut self.problem).map_err(PlanningError::Named)?;
        // The notes on limits that `only` leaves broken are said again with the named loads counted.
        let untouched_before = untouched_limit_breaches(&self.problem, &self.request.only);
        let names = self.problem.names.clone();
        for limit in self.problem.limits.iter_mut().filter(|l| l.band.is_none()) {
            // `units` counts units, which named accounts are not; a measure not summed from accounts has no
            // named load (`NamedLoads::load` gives 0).
            if limit.measure != tessera_optimizer::limits::UNITS {
                limit.base = names.iter().map(|t| named.load(t, &limit.measure)).collect();
            }
        }
        let problem = &self.problem;
        tessera_optimizer::limits::prove(
            &problem.limits,
            &tessera_optimizer::limits::LimitContext {
                units: self.inputs.units,
                names: &problem.names,
                balance: &problem.measure,
                targets: &problem.targets,
                tolerance: problem.tolerance,
                locks: &problem.locks,
            },
        )
        .map_err(|e| PlanningError::Plan(e.into()))?;
        self.notes.retain(|n| !untouched_before.contains(n));
        self.notes.extend(untouched_limit_breaches(problem, &self.request.only));
        whole_units::check(
            &problem.weights,
            &problem.targets,
            &problem.names,
            &problem.measure,
            problem.tolerance,
        )?;
        let load: f64 = problem.names.iter().map(|n| named.load(n, &problem.measure)).sum();
        self.notes.push(if load > 0.0 {
            format!(
                "{} named account(s) count for their territories ({} {load:.2} in all); each territory's units are \
                 held within ±{}% of its target less its named load",
                named.accounts(),
                problem.measure,
                crate::figures::percent(problem.tolerance)
            )
        } else {
            format!(
                "{} named account(s) carry no {} (a measure not summed from accounts, or zero for them): the plan balances the units alone",
                named.accounts(),
                problem.measure
            )
        });
        for limit in problem.limits.iter().filter(|l| l.band.is_none()) {
            let carried: f64 = limit.base.iter().sum();
            if carried > 0.0 {
                self.notes.push(format!(
                    "{} counts the named accounts of each territory ({} {} in all)",
                    limit.label(),
                    number(carried),
                    limit.measure
                ));
            }
        }
        self.named = Some(named.clone());
        Ok(self)
    }

    /// Counts the request's segment mix bands ([`PlanRequest::mixes`]) in `tables` and adds them to the problem:
    /// each band's column is read from the first table that has it (the caller lists the accounts' before the
    /// units'). Named accounts count for their territory. A run whose request has bands needs this call; one
    /// without bands is left as it is.
    ///
    /// # Errors
    /// [`PlanningError::Mix`] when no table has a band's column, no item has its segment, or an account is named
    /// to a territory the plan lacks; [`PlanningError::Plan`] when a band is malformed or provably cannot hold
    /// (the share of all the items together lies outside it).
    pub fn with_segments(mut self, tables: &[SegmentTable]) -> Result<Self, PlanningError> {
        for band in &self.request.mixes {
            let words = band.words();
            let table = SegmentTable::pick(tables, &band.column).ok_or_else(|| {
                let have: Vec<String> = tables
                    .iter()
                    .flat_map(|t| t.column_names().map(move |c| format!("{c} ({})", t.what())))
                    .collect();
                PlanningError::Mix(format!(
                    "{words}: neither the accounts nor the units have a column {:?} ({})",
                    band.column,
                    if have.is_empty() {
                        "the data has no accounts and the units no text columns".to_string()
                    } else {
                        format!("columns: {}", have.join(", "))
                    }
                ))
            })?;
            let spec = table.counts(band, self.problem.n(), &self.problem.names)?;
            let members: f64 = spec.members.iter().chain(&spec.base_members).sum();
            let counted: f64 = spec.counted.iter().chain(&spec.base_counted).sum();
            self.problem.add_mix(&spec)?;
            self.notes.push(format!(
                "mix {words}: counted over {} {} with a {} ({} of them {}, {}% overall)",
                number(counted),
                table.what(),
                band.column,
                number(members),
                band.segment,
                mix_pct(members / counted)
            ));
        }
        self.notes
            .extend(untouched_mix_breaches(&self.problem, &self.request.only));
        self.segments_counted = true;
        Ok(self)
    }

    /// Refuses a request with mix bands whose segments were never counted ([`Prepared::with_segments`]): a
    /// band without counts would silently hold nothing.
    pub(crate) fn check_segments_counted(&self) -> Result<(), PlanningError> {
        if !self.request.mixes.is_empty() && !self.segments_counted {
            return Err(PlanningError::Mix(format!(
                "{}: the run was given no segment data to count the band in (a caller must call \
                 Prepared::with_segments)",
                self.request.mixes[0].words()
            )));
        }
        Ok(())
    }

    /// When the time limit counts from.
    pub(crate) fn started(&self) -> Instant {
        self.clock.unwrap_or_else(Instant::now)
    }

    /// The data planned.
    pub(crate) fn inputs(&self) -> PlanInputs<'_> {
        self.inputs
    }

    /// `plan` measured over the whole dataset as [`evaluate`] measures it, named accounts counted for their
    /// territories: the figures every plan of this request is reported with.
    pub(crate) fn evaluate_plan(&self, plan: &Plan) -> Evaluation {
        let (inputs, problem) = (self.inputs, &self.problem);
        let mut evaluation = evaluate(
            inputs.units,
            inputs.adjacency,
            plan,
            &problem.weights,
            problem.p(),
            inputs.reps,
        );
        if let Some(named) = &self.named {
            named.add_to(&mut evaluation, &problem.measure);
        }
        evaluation
    }

    /// The request.
    pub(crate) fn request(&self) -> &PlanRequest {
        &self.request
    }

    /// Counts the time limit from `start` (e.g. when a command began reading its inputs) instead of from
    /// [`Prepared::run`], so the limit is a deadline for everything the planner waits for.
    pub fn counting_from(mut self, start: Instant) -> Self {
        self.clock = Some(start);
        self
    }

    /// Runs the optimizer and measures the result over the whole plan. The time limit is a deadline for the
    /// design and the certificate together: the design stops at the limit with its best plan, and the
    /// certificate, which takes seconds on the largest inputs, gets what is left of the limit plus 5% of it
    /// and is left out (with a note) when that is not enough.
    ///
    /// # Errors
    /// [`PlanningError::Plan`]: `only` naming a territory the problem lacks or without a current plan, a failure
    /// of the flow solver.
    pub fn run(self, progress: &PlanProgress) -> Result<PlanOutcome, PlanningError> {
        self.check_segments_counted()?;
        let started = self.clock.unwrap_or_else(Instant::now);
        let (inputs, request, problem, mut notes) = (self.inputs, &self.request, &self.problem, self.notes.clone());
        let limit = Duration::from_secs_f64(request.time_limit);
        let mut params = DesignParams::default()
            .seed(request.seed)
            .restarts(request.restarts)
            .deadline(started + limit);
        if let Some(t) = request.threads {
            params = params.threads(t);
        }
        let mut generations = None;
        let design = if let SearchMethod::Genetic { generations: asked } = self.search {
            progress.set_travel_offset(0.0);
            let mut gp = GeneticParams {
                seed: request.seed,
                generations: asked,
                deadline: Some(started + limit),
                ..GeneticParams::default()
            };
            if let Some(t) = request.threads {
                gp.threads = t.max(1);
            }
            let g = design_genetic(problem, &gp, progress.optimizer_progress())?;
            if let Some(note) = dropped_note(g.dropped) {
                notes.push(note);
            }
            generations = Some(GeneticEnd {
                done: g.generations,
                developed: g.developed,
                dropped: g.dropped,
                restarts: g.restarts,
                asked,
            });
            g.design
        } else if request.only.is_empty() {
            progress.set_travel_offset(0.0);
            design_territories(problem, &params, progress.optimizer_progress())?
        } else {
            progress.set_travel_offset(untouched_travel(inputs, problem, &request.only));
            redesign_territories(problem, &request.only, &params, progress.optimizer_progress())?
        };
        let plan = Plan::new(design.assignment.clone(), problem.names.clone());
        // Named accounts count for their territories in every figure and promise (shift_targets checked that
        // the problem has each of their territories).
        let evaluation = self.evaluate_plan(&plan);
        let named = self.named.clone().unwrap_or_default();
        // The certificate bounds the travel of plans within the tolerance; a plan outside it may travel less than
        // that bound, and "within 0.00% of the least travel" would then be a false comfort. No certificate then.
        // Named load narrows the band the optimizer plans each territory's units in (see
        // `NamedLoads::shift_targets`): a bound over that band would not cover every plan within the tolerance, so
        // it is not offered as one.
        let narrowed = problem.names.iter().any(|t| named.load(t, &problem.measure) > 0.0);
        if narrowed {
            notes.push(
                "no travel certificate: named accounts narrow the band the optimizer plans each territory's units \
                 in, so its bound would not cover every plan within the tolerance"
                    .into(),
            );
        }
        let certificate = if evaluation.max_dev <= problem.tolerance + 1e-9 && !narrowed {
            let window = Stop::new(progress.optimizer_progress(), None).until(started + limit.mul_f64(1.05));
            let c = certify_until(problem, &design.assignment, &design.centers, &window)
                .ok()
                .flatten();
            if c.is_none() {
                notes.push("no travel certificate: the time limit left no time to compute it".into());
            }
            c
        } else {
            None
        };
        let moved_fraction = inputs.current.map(|c| {
            let of = c.territory_of();
            let moved: f64 = (0..inputs.units.len())
                .filter(|&i| c.names().get(of[i] as usize) != plan.names().get(design.assignment[i] as usize))
                .map(|i| problem.weights[i])
                // From +0.0: an empty f64 sum is -0.0, which printed "-0.0% of the workload moved".
                .fold(0.0, |a, w| a + w);
            moved / problem.total()
        });
        let moved_units = inputs.current.map(|c| {
            let of = c.territory_of();
            (0..inputs.units.len())
                .filter(|&i| c.names().get(of[i] as usize) != plan.names().get(design.assignment[i] as usize))
                .count()
        });
        let before = current_figures(inputs, problem).map(|mut e| {
            named.add_to(&mut e, &problem.measure);
            e
        });
        let secondary = secondary_results(problem, &design.assignment);
        let end = RunEnd {
            cancelled: progress.is_cancelled(),
            stopped_early: design.stopped_early,
            restarts_done: design.restarts_done,
            // The genetic search counts generations; without a number asked for, it runs until the limit.
            restarts: match &generations {
                Some(g) => g.asked.unwrap_or(g.done),
                None => request.restarts,
            },
            time_limit: request.time_limit,
            counting: if generations.is_some() {
                "generations"
            } else {
                "restarts"
            },
        };
        let mut promises = promises(problem, &evaluation, moved_fraction, request.max_moved, &secondary, end);
        promises.extend(limit_promises(problem, &design.assignment, end));
        promises.extend(mix_promises(problem, &design.assignment, end));
        let seconds = started.elapsed().as_secs_f64();

        let mut params = serde_json::to_value(request).unwrap_or_else(|_| json!({}));
        if let Value::Object(m) = &mut params {
            // The number the run used (one per rep when the request left it out), and what it started from.
            m.insert("territories".into(), json!(problem.p()));
            m.insert("per_rep".into(), json!(!inputs.reps.is_empty()));
            m.insert("from_current".into(), json!(inputs.current.is_some()));
            m.insert("locks".into(), json!(inputs.locks.len()));
            match self.search {
                SearchMethod::Restarts => m.insert("search".into(), json!("restarts")),
                SearchMethod::Genetic { generations } => {
                    m.insert("generations".into(), json!(generations));
                    m.insert("search".into(), json!("genetic"))
                }
            };
        }
        let mut metrics = evaluation_document(&evaluation, &problem.measure);
        if let Value::Object(m) = &mut metrics {
            m.insert("tolerance".into(), json!(problem.tolerance));
            m.insert("certificate".into(), json!(certificate));
            m.insert("moved_fraction".into(), json!(moved_fraction));
            m.insert("secondary".into(), json!(secondary));
            if problem.limits.iter().any(|l| l.band.is_none()) {
                m.insert("limits".into(), limits_document(problem, &design.assignment));
            }
            if !problem.mixes.is_empty() {
                m.insert("mixes".into(), mixes_document(problem, &design.assignment));
            }
            m.insert("promises".into(), json!(promises));
            m.insert("seed".into(), json!(request.seed));
            match &generations {
                Some(g) => {
                    m.insert("search".into(), json!("genetic"));
                    m.insert("generations_done".into(), json!(g.done));
                    m.insert("plans_developed".into(), json!(g.developed));
                    m.insert("children_dropped".into(), json!(g.dropped));
                    m.insert("population_restarts".into(), json!(g.restarts));
                }
                None => {
                    m.insert("search".into(), json!("restarts"));
                    m.insert("restarts_done".into(), json!(design.restarts_done));
                }
            }
            m.insert("stopped_early".into(), json!(design.stopped_early));
            m.insert("cancelled".into(), json!(end.cancelled));
            m.insert("stopped".into(), json!(end.stopped()));
            m.insert("seconds".into(), json!(seconds));
            if !named.is_empty() {
                m.insert("named".into(), named.document(&problem.measure, &[]));
            }
        }
        Ok(PlanOutcome {
            plan,
            evaluation,
            certificate,
            moved_fraction,
            moved_units,
            before,
            secondary,
            promises,
            seconds,
            cancelled: end.cancelled,
            stopped_early: design.stopped_early,
            notes,
            stopped: end.stopped(),
            params,
            metrics,
        })
    }
}

/// How a genetic search ended, for the run's metrics.
struct GeneticEnd {
    /// Generations done.
    done: usize,
    /// Plans developed.
    developed: usize,
    /// Children dropped for an infeasible allocation.
    dropped: usize,
    /// Times the stalled population was replaced by a fresh one.
    restarts: usize,
    /// Generations asked for (`None`: until the time limit).
    asked: Option<usize>,
}

/// The note a genetic run gives when it dropped children whose allocation found no feasible flow (none when it
/// dropped none): the search went on without them, but the planner should know some of its work was lost.
pub(super) fn dropped_note(dropped: usize) -> Option<String> {
    (dropped > 0).then(|| {
        format!(
            "the genetic search dropped {dropped} {}: inheriting whole territories left some units no territory \
             with room in the allocation (no feasible flow); it went on without {}",
            if dropped == 1 { "child" } else { "children" },
            if dropped == 1 { "it" } else { "them" }
        )
    })
}

/// The current plan measured as the result is measured (the problem's weights and reps, its territory order),
/// or `None` without a current plan or when it uses territories the problem lacks.
fn current_figures(inputs: PlanInputs<'_>, problem: &Problem) -> Option<Evaluation> {
    let current = problem.current.as_ref()?;
    if current.iter().any(|&t| t as usize >= problem.p()) {
        return None;
    }
    let plan = Plan::new(current.clone(), problem.names.clone());
    Some(evaluate(
        inputs.units,
        inputs.adjacency,
        &plan,
        &problem.weights,
        problem.p(),
        inputs.reps,
    ))
}

/// Travel of the territories a run with `only` leaves alone, measured as [`evaluate`] measures the whole plan.
fn untouched_travel(inputs: PlanInputs<'_>, problem: &Problem, only: &[String]) -> f64 {
    let Some(e) = current_figures(inputs, problem) else {
        return 0.0;
    };
    e.territories
        .iter()
        .filter(|t| !only.contains(&t.name))
        .map(|t| t.travel)
        .sum()
}

/// Each secondary measure's largest deviation from its own targets (the balanced measure's shares).
fn secondary_results(problem: &Problem, assignment: &[u32]) -> Vec<SecondaryResult> {
    problem
        .secondary
        .iter()
        .map(|s| {
            let total: f64 = s.values.iter().sum();
            let mut loads = vec![0.0; problem.p()];
            for (i, &t) in assignment.iter().enumerate() {
                if let Some(l) = loads.get_mut(t as usize) {
                    *l += s.values[i];
                }
            }
            let max_dev = (0..problem.p())
                .map(|t| {
                    let target = total * problem.targets[t] / problem.total();
                    if target > 0.0 {
                        ((loads[t] - target) / target).abs()
                    } else {
                        0.0
                    }
                })
                .fold(0.0, f64::max);
            SecondaryResult {
                measure: s.name.clone(),
                tolerance: s.tolerance,
                max_dev,
                kept: max_dev <= s.tolerance + 1e-9,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tessera_optimizer::{Adjacency, Measure, Rep, Units};

    use super::*;
    use crate::planning::PlanningError;

    #[test]
    fn a_genetic_run_that_dropped_children_says_how_many() {
        assert_eq!(dropped_note(0), None);
        let one = dropped_note(1).expect("a note");
        assert!(one.contains("dropped 1 child:") && one.contains("without it"), "{one}");
        let many = dropped_note(17).expect("a note");
        assert!(
            many.contains("dropped 17 children:") && many.contains("no feasible flow"),
            "{many}"
        );
    }

    /// An 8 × 8 grid with uneven workloads, and a current plan of four 4 × 4 quadrants.
    fn grid() -> (Units, Adjacency, Plan) {
        let n = 64;
        let units = Units::new(
            (0..n).map(|i| format!("u{i}")).collect(),
            (0..n).map(|i| (i % 8) as f64 * 0.1).collect(),
            (0..n).map(|i| (i / 8) as f64 * 0.1).collect(),
            vec![Measure {
                name: "workload".into(),
                values: (0..n).map(|i| 1.0 + (i * 7 % 5) as f64).collect(),
            }],
        )
        .expect("units");
        let mut edges = vec![];
        for i in 0..n as u32 {
            if i % 8 < 7 {
                edges.push((i, i + 1));
            }
            if i / 8 < 7 {
                edges.push((i, i + 8));
            }
        }
        let quadrant = |i: usize| ((i / 8 >= 4) as u32) * 2 + (i % 8 >= 4) as u32;
        let current = Plan::new(
            (0..n).map(quadrant).collect(),
            ["A", "B", "C", "D"].iter().map(|s| s.to_string()).collect(),
        );
        (units, Adjacency::from_edges(n, &edges), current)
    }

    #[test]
    fn the_progress_travel_of_a_partial_redesign_is_the_whole_plans() {
        let (units, adjacency, current) = grid();
        let inputs = PlanInputs {
            units: &units,
            adjacency: &adjacency,
            reps: &[],
            current: Some(&current),
            locks: &[],
        };
        let mut request = PlanRequest::new("workload");
        request.territories = Some(4);
        request.only = vec!["A".into(), "B".into()];
        request.restarts = 3;
        let last = Arc::new(Mutex::new(None));
        let seen = last.clone();
        let progress = PlanProgress::with_listener(move |r| {
            if let Ok(mut l) = seen.lock() {
                *l = r.best_travel;
            }
        });
        let outcome = plan(inputs, &request, &progress).expect("redesigns");
        let reported = last.lock().expect("lock").expect("a report with travel");
        let final_travel = outcome.evaluation.travel;
        assert!(
            ((reported - final_travel) / final_travel).abs() < 1e-9,
            "progress {reported} vs result {final_travel}"
        );
        // C and D were left alone.
        for i in 0..64 {
            let was = &current.names()[current.territory_of()[i] as usize];
            if was == "C" || was == "D" {
                assert_eq!(&outcome.plan.names()[outcome.plan.territory_of()[i] as usize], was);
            }
        }
    }

    /// A cap that binds only with the named accounts counted: 64 units of 1 account each in four quadrants, and 6
    /// accounts named to A. With `cap accounts:19` and ±20% (12.8 to 19.2 units each), A's units must stay at 13 or
    /// fewer; a plan counting the units alone would give A about 16 (22 accounts with the named ones).
    #[test]
    fn caps_count_named_accounts_for_their_territory() {
        let (grid_units, adjacency, current) = grid();
        let n = grid_units.len();
        let units = Units::new(
            grid_units.ids().to_vec(),
            (0..n).map(|i| (i % 8) as f64 * 0.1).collect(),
            (0..n).map(|i| (i / 8) as f64 * 0.1).collect(),
            vec![
                Measure {
                    name: "workload".into(),
                    values: vec![1.0; n],
                },
                Measure {
                    name: "accounts".into(),
                    values: vec![1.0; n],
                },
            ],
        )
        .expect("units");
        let inputs = PlanInputs {
            units: &units,
            adjacency: &adjacency,
            reps: &[],
            current: Some(&current),
            locks: &[],
        };
        let named = NamedLoads {
            measures: vec!["workload".into(), "accounts".into()],
            territories: vec![crate::accounts::NamedTerritory {
                territory: "A".into(),
                accounts: 6,
                loads: vec![0.0, 6.0],
            }],
        };
        let mut request = PlanRequest::new("workload");
        request.territories = Some(4);
        request.tolerance = 0.2;
        request.restarts = 2;
        request.caps = vec![super::super::TerritoryLimit {
            measure: "accounts".into(),
            value: 19.0,
        }];
        let prepared = prepare(inputs, &request)
            .expect("prepare")
            .with_named_loads(&named)
            .expect("named");
        assert!(
            prepared
                .notes()
                .iter()
                .any(|n| n == "cap accounts:19 counts the named accounts of each territory (6 accounts in all)"),
            "{:?}",
            prepared.notes()
        );
        let outcome = prepared.run(&PlanProgress::new()).expect("run");
        let a = outcome.plan.names().iter().position(|t| t == "A").expect("A") as u32;
        let a_units = outcome.plan.territory_of().iter().filter(|&&t| t == a).count();
        assert!(a_units + 6 <= 19, "A has {a_units} units and 6 named accounts");
        let cap = outcome
            .promises
            .iter()
            .find(|p| p.name == "cap:accounts")
            .expect("promise");
        assert!(cap.kept, "{cap:?}");
        assert_eq!(
            outcome.metrics["limits"][0]["max"].as_f64().map(|x| x <= 19.0),
            Some(true)
        );

        // 4 × 17 = 68 is room for the 64 units' accounts, not for the 70 with the named ones: refused, saying so.
        request.caps[0].value = 17.0;
        let err = prepare(inputs, &request)
            .expect("64 fit in 68")
            .with_named_loads(&named)
            .expect_err("70 do not");
        assert!(
            err.to_string()
                .contains("the units have 70 accounts in total, named accounts included (2 short)"),
            "{err}"
        );
    }

    #[test]
    fn a_number_of_territories_other_than_the_reps_is_refused() {
        let (units, adjacency, _) = grid();
        let reps: Vec<Rep> = (0..3)
            .map(|k| Rep {
                id: format!("R{k}"),
                name: format!("Rep {k}"),
                lon: 0.1 * k as f64,
                lat: 0.2,
                capacity: 1.0,
            })
            .collect();
        let inputs = PlanInputs {
            units: &units,
            adjacency: &adjacency,
            reps: &reps,
            current: None,
            locks: &[],
        };
        let mut request = PlanRequest::new("workload");
        request.territories = Some(5);
        let err = prepare(inputs, &request).expect_err("5 ≠ 3 reps");
        assert_eq!(
            err,
            PlanningError::RepsConflict {
                reps: 3,
                territories: 5
            }
        );
        request.territories = Some(3);
        prepare(inputs, &request).expect("3 = 3 reps");
        request.territories = None;
        assert_eq!(prepare(inputs, &request).expect("per rep").problem().p(), 3);
    }

    #[test]
    fn a_budget_too_small_for_the_tolerance_is_noted_before_and_explained_after() {
        let (units, adjacency, _) = grid();
        // Everything in A but one unit per other territory: far outside ±5%.
        let skewed = Plan::new(
            (0..64).map(|i| if i < 3 { i as u32 + 1 } else { 0 }).collect(),
            ["A", "B", "C", "D"].iter().map(|s| s.to_string()).collect(),
        );
        let inputs = PlanInputs {
            units: &units,
            adjacency: &adjacency,
            reps: &[],
            current: Some(&skewed),
            locks: &[],
        };
        let mut request = PlanRequest::new("workload");
        request.territories = Some(4);
        request.max_moved = Some(0.05);
        request.restarts = 2;
        let prepared = prepare(inputs, &request).expect("runs");
        assert!(
            prepared.notes().iter().any(|n| n.contains("No plan within the budget")),
            "{:?}",
            prepared.notes()
        );
        let outcome = prepared.run(&PlanProgress::new()).expect("runs");
        // The starting plan is measured as the result is: its deviation is the skewed plan's, and what moved is
        // counted in units and in workload alike.
        let before = outcome.before.as_ref().expect("a current plan was given");
        let skewed_eval = evaluate(&units, &adjacency, &skewed, &units.measures()[0].values, 4, &[]);
        assert_eq!(before.max_dev, skewed_eval.max_dev);
        assert_eq!(before.travel, skewed_eval.travel);
        let moved_units = outcome.moved_units.expect("a current plan was given");
        let of = outcome.plan.territory_of();
        let counted = (0..64)
            .filter(|&i| skewed.names()[skewed.territory_of()[i] as usize] != outcome.plan.names()[of[i] as usize])
            .count();
        assert_eq!(moved_units, counted);
        assert_eq!(moved_units > 0, outcome.moved_fraction.expect("fraction") > 0.0);
        let tolerance = &outcome.promises[0];
        assert_eq!(tolerance.name, "tolerance");
        assert!(!tolerance.kept);
        assert!(tolerance.why.contains("5% disruption budget"), "{}", tolerance.why);
        assert_eq!(outcome.metrics["promises"][0]["kept"], false);
        let budget = outcome
            .promises
            .iter()
            .find(|p| p.name == "disruption_budget")
            .expect("budget");
        assert!(budget.kept, "{budget:?}");
        assert!(
            outcome.certificate.is_none(),
            "no certificate for a plan outside the tolerance"
        );
        assert!(outcome.metrics["certificate"].is_null());
    }

    #[test]
    fn a_cancelled_run_says_so_where_a_promise_is_not_kept() {
        let end = RunEnd {
            cancelled: true,
            stopped_early: true,
            restarts_done: 1,
            restarts: 8,
            time_limit: 30.0,
            counting: "restarts",
        };
        assert_eq!(
            end.stopped().as_deref(),
            Some("the run was cancelled after 1 of 8 restarts")
        );
        let timed_out = RunEnd {
            cancelled: false,
            ..end
        };
        assert_eq!(
            timed_out.stopped().as_deref(),
            Some("the 30 s time limit stopped the run after 1 of 8 restarts")
        );
        // Every restart done, then stopped: the redraw that follows them was cut short, not the restarts.
        let in_redraw = RunEnd {
            restarts_done: 6,
            restarts: 6,
            ..timed_out
        };
        assert_eq!(
            in_redraw.stopped().as_deref(),
            Some("the 30 s time limit stopped the run in the regional redraw of the best plan, after all 6 restarts")
        );
        assert_eq!(
            RunEnd {
                cancelled: true,
                ..in_redraw
            }
            .stopped()
            .as_deref(),
            Some("the run was cancelled in the regional redraw of the best plan, after all 6 restarts")
        );
    }
}
