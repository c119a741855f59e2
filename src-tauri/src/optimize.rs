//! The Optimize action: maps the dialog's request onto the planning service (`tessera_workbook::planning`), the
//! one `tessera plan` calls too, so the app and the CLI give the same plan and store the same scenario row for the
//! same request. No algorithm and no figure is computed here.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tessera_optimizer::progress::ProgressReport;
use tessera_optimizer::{Adjacency, Certificate, Evaluation, Plan, Rep, Units};
use tessera_workbook::planning::{
    self, MixBandRequest, PlanInputs, PlanProgress, PlanRequest, PlanningError, Promise, SegmentTable, TerritoryLimit,
};

use crate::error::AppError;

/// What the planner asked for in the Optimize dialog.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OptimizeRequest {
    /// Number of territories; `None`: one per rep.
    pub territories: Option<usize>,
    /// The measure to balance.
    pub measure: String,
    /// Tolerance, e.g. 0.05 for ±5%.
    pub tolerance: f64,
    /// Start from the scenario being edited, moving at most `max_moved` of the workload (`None`: no limit).
    pub keep_current: bool,
    /// Disruption budget: largest fraction of the total workload allowed to change territory.
    pub max_moved: Option<f64>,
    /// Keep locked units where they are.
    pub respect_locks: bool,
    /// Seconds the optimizer may run.
    pub time_limit: f64,
    /// Re-optimise only these territories of the scenario being edited ("Rebalance selected").
    #[serde(default)]
    pub only: Vec<String>,
    /// Seed: the same request and seed give the same plan.
    #[serde(default)]
    pub seed: u64,
    /// Restarts from different seeds; `None`: as `tessera plan` chooses, by the instance's size alone
    /// ([`tessera_optimizer::default_restarts`]), so the app and the CLI give the same plan for the same seed.
    #[serde(default)]
    pub restarts: Option<usize>,
    /// Hard caps on every territory (`units` for the number of units), as `tessera plan --cap`.
    #[serde(default)]
    pub caps: Vec<TerritoryLimit>,
    /// Hard floors on every territory, as `tessera plan --floor`.
    #[serde(default)]
    pub floors: Vec<TerritoryLimit>,
    /// Hard segment mix bands on every territory, as `tessera plan --mix`.
    #[serde(default)]
    pub mixes: Vec<MixBandRequest>,
}

/// Everything a run needs, copied out of the app state so the state is not held during the run.
#[derive(Debug, Clone)]
pub struct OptimizeInputs {
    /// The dataset's units.
    pub units: Units,
    /// Their adjacency.
    pub adjacency: Adjacency,
    /// Reps (one territory each when the request gives no number).
    pub reps: Vec<Rep>,
    /// The scenario being edited, if any.
    pub current: Option<Plan>,
    /// Locked units: (unit index, territory name).
    pub locks: Vec<(usize, String)>,
    /// The workbook's named accounts, counted for their territories (see `tessera_workbook::accounts`).
    pub named: tessera_workbook::accounts::NamedLoads,
    /// Where mix bands are counted: the workbook's accounts, then its units' text columns (read only for a
    /// request with bands; see `tessera_workbook::planning::segments`).
    pub segments: Vec<SegmentTable>,
}

/// A finished run: the plan, its figures, its promises and what to store with the scenario.
#[derive(Debug, Clone)]
pub struct OptimizeOutcome {
    /// The designed plan.
    pub plan: Plan,
    /// Its figures.
    pub evaluation: Evaluation,
    /// The measure balanced.
    pub measure: String,
    /// The tolerance asked for.
    pub tolerance: f64,
    /// The disruption budget the run held to, if any.
    pub max_moved: Option<f64>,
    /// The travel certificate at the plan's centers (see [`tessera_workbook::planning::PlanOutcome::certificate`]).
    pub certificate: Option<Certificate>,
    /// Share of the balanced measure that changed territory, when the run started from the current plan.
    pub moved_fraction: Option<f64>,
    /// Units that changed territory, when the run started from the current plan.
    pub moved_units: Option<usize>,
    /// The plan the run started from, measured as the result is.
    pub before: Option<Evaluation>,
    /// Every promise of the request, kept or not, with the reason.
    pub promises: Vec<Promise>,
    /// What the service found before the run: limits the request proved or suspected it would hit.
    pub notes: Vec<String>,
    /// The parameters stored with the scenario (the planning service's document, as `tessera plan` stores it).
    pub params: Value,
    /// The metrics stored with the scenario (as `tessera plan --metrics` writes them).
    pub metrics: Value,
    /// Whether the planner cancelled and this is the best plan found until then.
    pub cancelled: bool,
}

/// The planning service's request for the dialog's choices on `units` units with `reps` reps: the dialog's
/// switches decide which of the workbook's data the run sees (see [`run`]), the numbers pass through.
pub fn plan_request(request: &OptimizeRequest, units: usize, reps: usize) -> PlanRequest {
    PlanRequest {
        territories: request.territories,
        measure: request.measure.clone(),
        tolerance: request.tolerance,
        also_balance: Vec::new(),
        max_moved: if request.keep_current { request.max_moved } else { None },
        only: request.only.clone(),
        caps: request.caps.clone(),
        floors: request.floors.clone(),
        mixes: request.mixes.clone(),
        seed: request.seed,
        restarts: request
            .restarts
            .unwrap_or_else(|| tessera_optimizer::default_restarts(units, request.territories.unwrap_or(reps))),
        time_limit: request.time_limit,
        threads: None,
    }
}

/// Runs the planning service for `request` on `inputs`, reporting to `progress`.
///
/// # Errors
/// [`AppError::Request`] with the service's explanation when the request cannot be met (unknown measure,
/// infeasible tolerance, `only` naming a territory the scenario lacks, ...).
pub fn run(
    inputs: &OptimizeInputs,
    request: &OptimizeRequest,
    progress: &PlanProgress,
) -> Result<OptimizeOutcome, AppError> {
    // The dialog's number of territories means territories without home bases; none means one per rep.
    let reps: &[Rep] = if request.territories.is_none() {
        &inputs.reps
    } else {
        &[]
    };
    let current = if request.keep_current || !request.only.is_empty() {
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
    // Named accounts count for their territories, as in `tessera plan --workbook`.
    let outcome = planning::prepare(planning_inputs, &planned)
        .and_then(|p| p.with_named_loads(&inputs.named))
        .and_then(|p| p.with_segments(&inputs.segments))
        .and_then(|p| p.run(progress))
        .map_err(app_error)?;
    Ok(OptimizeOutcome {
        plan: outcome.plan,
        evaluation: outcome.evaluation,
        measure: planned.measure,
        tolerance: planned.tolerance,
        max_moved: planned.max_moved,
        certificate: outcome.certificate,
        moved_fraction: outcome.moved_fraction,
        moved_units: outcome.moved_units,
        before: outcome.before,
        promises: outcome.promises,
        // A run the time limit cut short says so on the result, like a cancelled one.
        notes: outcome.notes.into_iter().chain(outcome.stopped).collect(),
        params: outcome.params,
        metrics: outcome.metrics,
        cancelled: outcome.cancelled,
    })
}

/// The service's refusal as the dialog shows it: a sentence starting with a capital and ending with a stop.
pub(crate) fn app_error(e: PlanningError) -> AppError {
    let text = e.to_string();
    let mut chars = text.chars();
    let sentence = match chars.next() {
        Some(c) => format!("{}{}", c.to_uppercase(), chars.as_str()),
        None => text,
    };
    AppError::Request(if sentence.ends_with('.') {
        sentence
    } else {
        format!("{sentence}.")
    })
}

/// A progress report as the window's progress bar shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressDto {
    /// What the run is doing.
    pub stage: String,
    /// Fraction done, 0 to 1.
    pub fraction: f64,
    /// Best plan so far: largest deviation.
    pub best_max_dev: Option<f64>,
    /// Best plan so far: travel (the whole plan's, also when only some territories are rebalanced).
    pub best_travel: Option<f64>,
    /// Best plan so far: territories in several pieces. The optimizer ranks plans by this first, so the best
    /// plan's deviation may rise when this falls; the window shows both.
    pub best_noncontiguous: Option<usize>,
}

impl From<&ProgressReport> for ProgressDto {
    fn from(r: &ProgressReport) -> Self {
        ProgressDto {
            stage: r.stage.clone(),
            fraction: r.fraction,
            best_max_dev: r.best_max_dev,
            best_travel: r.best_travel,
            best_noncontiguous: r.best_noncontiguous,
        }
    }
}

/// The first free scenario name `optimized 1`, `optimized 2`, ...
pub fn fresh_name(taken: &[String], base: &str) -> String {
    (1..)
        .map(|k| format!("{base} {k}"))
        .find(|n| !taken.contains(n))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_names_skip_taken_ones() {
        let taken = vec!["optimized 1".to_string(), "current".to_string()];
        assert_eq!(fresh_name(&taken, "optimized"), "optimized 2");
    }

    #[test]
    fn restarts_default_to_the_clis_choice_for_the_instance_size() {
        let mut request: OptimizeRequest = serde_json::from_value(serde_json::json!({
            "territories": 100, "measure": "workload", "tolerance": 0.05, "keepCurrent": false,
            "maxMoved": null, "respectLocks": true, "timeLimit": 30.0
        }))
        .expect("a request without restarts");
        assert_eq!(request.restarts, None);
        // As `tessera plan` without --restarts: 2 for 20,000 units into 100 territories, 6 for 3,108 counties.
        assert_eq!(plan_request(&request, 20_000, 25).restarts, 2);
        request.territories = None;
        assert_eq!(plan_request(&request, 3_108, 25).restarts, 6);
        request.restarts = Some(5);
        assert_eq!(plan_request(&request, 20_000, 25).restarts, 5);
    }

    #[test]
    fn caps_and_floors_from_the_dialog_reach_the_planning_service() {
        let request: OptimizeRequest = serde_json::from_value(serde_json::json!({
            "territories": 4, "measure": "workload", "tolerance": 0.05, "keepCurrent": false,
            "maxMoved": null, "respectLocks": true, "timeLimit": 30.0,
            "caps": [{"measure": "units", "value": 30.0}], "floors": [{"measure": "accounts", "value": 2e6}]
        }))
        .expect("a request with limits");
        let planned = plan_request(&request, 200, 0);
        assert_eq!(
            planned.caps,
            [TerritoryLimit {
                measure: "units".into(),
                value: 30.0
            }]
        );
        assert_eq!(
            planned.floors,
            [TerritoryLimit {
                measure: "accounts".into(),
                value: 2e6
            }]
        );
        // An older front end's request (no limits) still reads, with none.
        let older: OptimizeRequest = serde_json::from_value(serde_json::json!({
            "territories": 4, "measure": "workload", "tolerance": 0.05, "keepCurrent": false,
            "maxMoved": null, "respectLocks": true, "timeLimit": 30.0
        }))
        .expect("a request without limits");
        assert!(plan_request(&older, 200, 0).caps.is_empty());
    }

    #[test]
    fn mix_bands_from_the_dialog_are_counted_and_promised() {
        let request: OptimizeRequest = serde_json::from_value(serde_json::json!({
            "territories": 2, "measure": "workload", "tolerance": 0.1, "keepCurrent": false,
            "maxMoved": null, "respectLocks": true, "timeLimit": 30.0, "restarts": 1,
            "mixes": [{"column": "segment", "segment": "A", "lo": 0.25, "hi": null}]
        }))
        .expect("a request with a band");
        assert_eq!(plan_request(&request, 16, 0).mixes, request.mixes);
        // A 4 × 4 grid; the western column is segment A (25% overall).
        let n = 16;
        let units = Units::new(
            (0..n).map(|i| format!("u{i}")).collect(),
            (0..n).map(|i| (i % 4) as f64 * 0.1).collect(),
            (0..n).map(|i| (i / 4) as f64 * 0.1).collect(),
            vec![tessera_optimizer::Measure {
                name: "workload".into(),
                values: vec![1.0; n],
            }],
        )
        .expect("units");
        let mut edges = vec![];
        for i in 0..n as u32 {
            if i % 4 < 3 {
                edges.push((i, i + 1));
            }
            if i / 4 < 3 {
                edges.push((i, i + 4));
            }
        }
        let segment: Vec<String> = (0..n).map(|i| if i % 4 == 0 { "A" } else { "B" }.to_string()).collect();
        let mut inputs = OptimizeInputs {
            units,
            adjacency: Adjacency::from_edges(n, &edges),
            reps: Vec::new(),
            current: None,
            locks: Vec::new(),
            named: Default::default(),
            segments: Vec::new(),
        };
        // Without the segment data the run is refused before it starts, not run without the band.
        let err = run(&inputs, &request, &PlanProgress::new()).expect_err("no segments");
        assert!(
            err.to_string()
                .contains("segment=A:0.25..: neither the accounts nor the units have a column \"segment\""),
            "{err}"
        );
        inputs.segments = vec![SegmentTable::from_units([("segment".to_string(), segment)])];
        let outcome = run(&inputs, &request, &PlanProgress::new()).expect("run");
        let promise = outcome
            .promises
            .iter()
            .find(|p| p.name == "mix:segment=A")
            .expect("the band's promise");
        // Two contiguous halves of a 4 × 4 grid at 25% A each: the western column split between them.
        assert!(promise.kept, "{promise:?}");
        assert_eq!(outcome.metrics["mixes"][0]["territories_outside"], 0);
        assert_eq!(outcome.params["mixes"][0]["column"], "segment");
    }
}
