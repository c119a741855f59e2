//! The Optimize dialog's commands: run the optimizer in the background with progress over a channel, cancel
//! it, and delete a result the planner does not keep. A finished run is saved as a new scenario.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;
use tessera_workbook::planning::{PlanProgress, Promise, SegmentTable};
use tessera_workbook::Scenario;

use crate::dto::ScenarioDto;
use crate::error::AppError;
use crate::optimize::{fresh_name, run, OptimizeInputs, OptimizeRequest, ProgressDto};
use crate::state::AppState;

/// A finished run, saved as scenario `scenario`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OptimizeResult {
    /// The new scenario's name.
    pub scenario: String,
    /// Largest deviation of the result.
    pub max_dev: f64,
    /// Its total travel.
    pub travel: f64,
    /// Its territories that are not contiguous.
    pub noncontiguous: usize,
    /// Whether the run was cancelled (the result is the best plan found until then).
    pub cancelled: bool,
    /// Every promise of the request (tolerance, contiguity, disruption budget), kept or not, with the reason.
    pub promises: Vec<PromiseDto>,
    /// What the planner should know about the request, found before the run (e.g. a budget that cannot buy the
    /// tolerance).
    pub notes: Vec<String>,
    /// The workbook's scenarios, the new one included.
    pub scenarios: Vec<ScenarioDto>,
    /// What the result shows a planner beside the headline figures: what was balanced, what moved, travel
    /// before and after, the certificate. All of it as the planning service reported it.
    pub explained: ExplainedDto,
}

/// The figures that explain a result, as the planning service reported them (nothing is recomputed here).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplainedDto {
    /// The measure balanced.
    pub measure: String,
    /// The tolerance asked for (0.05 = ±5%).
    pub tolerance: f64,
    /// Target load of a full territory, in the measure.
    pub target: f64,
    /// Number of territories of the result.
    pub territories: usize,
    /// Units of the dataset.
    pub units: usize,
    /// The result's coefficient of variation of the loads.
    pub cv: f64,
    /// The disruption budget the run held to (share of the measure), if any.
    pub max_moved: Option<f64>,
    /// Share of the measure that changed territory, when the run started from the current plan.
    pub moved_fraction: Option<f64>,
    /// Units that changed territory, when the run started from the current plan.
    pub moved_units: Option<usize>,
    /// The plan the run started from, measured as the result is.
    pub before: Option<BeforeDto>,
    /// The travel certificate, when the plan is within the tolerance and there was time to compute it.
    pub certificate: Option<CertificateDto>,
}

/// The starting plan's totals, measured with the result's measure and reps.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BeforeDto {
    /// Largest deviation.
    pub max_dev: f64,
    /// Total travel.
    pub travel: f64,
    /// Territories in several pieces.
    pub noncontiguous: usize,
}

/// How far the plan's travel can be from the least possible for its centers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateDto {
    /// `travel / lower_bound − 1`: the plan travels at most this much more than any plan within the tolerance
    /// with these centers.
    pub gap: f64,
    /// False when the bound is over each unit's nearest centers only (very large problems): close, not proven.
    pub exact: bool,
}

/// Whether a promise of the run is kept, and why not, as the Optimize dialog shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PromiseDto {
    /// `tolerance`, `contiguity`, `disruption_budget`, `also_balance:<measure>`.
    pub name: String,
    /// True when the plan keeps it.
    pub kept: bool,
    /// Why it is not kept, in the planner's words (empty when kept).
    pub why: String,
}

impl From<Promise> for PromiseDto {
    fn from(p: Promise) -> Self {
        PromiseDto {
            name: p.name,
            kept: p.kept,
            why: p.why,
        }
    }
}

/// Runs the optimizer for `request` on a background thread, sending progress (at most ~10 reports a second)
/// to `on_progress`, and saves the result as a new scenario named `optimized N`.
#[tauri::command]
pub async fn optimize(
    request: OptimizeRequest,
    on_progress: Channel<ProgressDto>,
    state: State<'_, AppState>,
) -> Result<OptimizeResult, AppError> {
    let last = Mutex::new(Instant::now() - Duration::from_secs(1));
    let progress = PlanProgress::with_listener(move |r| {
        let now = Instant::now();
        if let Ok(mut last) = last.lock() {
            if now.duration_since(*last) < Duration::from_millis(100) && r.fraction < 1.0 {
                return;
            }
            *last = now;
        }
        // A closed window just stops listening; the run goes on and its result is saved.
        let _ = on_progress.send(ProgressDto::from(r));
    });
    let mut inputs = optimize_inputs(&state)?;
    if !request.mixes.is_empty() {
        inputs.segments = segment_tables(&state)?;
    }
    state.start_run(progress.optimizer_progress().clone())?;
    let job = {
        let progress = progress.clone();
        tauri::async_runtime::spawn_blocking(move || run(&inputs, &request, &progress).map(|o| (o, request)))
    };
    let outcome = job.await;
    state.end_run();
    let (outcome, _request) =
        outcome.map_err(|e| AppError::Request(format!("The optimizer stopped unexpectedly: {e}")))??;
    save_result(&state, outcome)
}

/// Copies what a run needs out of the state (the lock is not held during the run).
///
/// # Errors
/// [`AppError::NoWorkbook`].
pub fn optimize_inputs(state: &AppState) -> Result<OptimizeInputs, AppError> {
    state.with_workbook(|wb| {
        Ok(OptimizeInputs {
            units: wb.dataset.units.clone(),
            adjacency: wb.dataset.adjacency.clone(),
            reps: wb.dataset.reps.clone(),
            current: wb.session.as_ref().map(|s| s.plan()),
            locks: wb.workbook.locks()?,
            named: wb.workbook.named_loads()?,
            segments: Vec::new(),
        })
    })
}

/// The columns a mix band may be counted in: the workbook's accounts, then its units' text columns (as
/// `tessera plan --workbook --mix` reads them).
///
/// # Errors
/// [`AppError::NoWorkbook`]; the workbook's read errors.
pub fn segment_tables(state: &AppState) -> Result<Vec<SegmentTable>, AppError> {
    state.with_workbook(|wb| {
        let mut tables = Vec::new();
        if let Some(accounts) = wb.workbook.accounts()? {
            tables.push(SegmentTable::from_accounts(&accounts));
        }
        let text = wb.workbook.unit_text()?;
        if !text.is_empty() {
            tables.push(SegmentTable::from_units(text.into_iter().map(|c| (c.name, c.values))));
        }
        Ok(tables)
    })
}

/// Saves a finished run as a new scenario and describes it.
///
/// # Errors
/// The workbook's write errors.
pub fn save_result(state: &AppState, outcome: crate::optimize::OptimizeOutcome) -> Result<OptimizeResult, AppError> {
    state.with_workbook_mut(|wb| {
        let taken: Vec<String> = wb.workbook.scenarios()?.into_iter().map(|s| s.name).collect();
        let name = fresh_name(&taken, "optimized");
        let mut scenario = Scenario::new(name.clone(), outcome.plan);
        scenario.params = outcome.params;
        scenario.metrics = outcome.metrics;
        wb.workbook.save_scenario(&scenario)?;
        let e = &outcome.evaluation;
        let explained = ExplainedDto {
            measure: outcome.measure,
            tolerance: outcome.tolerance,
            target: e.target,
            territories: e.p,
            units: e.n_units,
            cv: e.cv,
            max_moved: outcome.max_moved,
            moved_fraction: outcome.moved_fraction,
            moved_units: outcome.moved_units,
            before: outcome.before.as_ref().map(|b| BeforeDto {
                max_dev: b.max_dev,
                travel: b.travel,
                noncontiguous: b.n_noncontiguous,
            }),
            certificate: outcome.certificate.as_ref().map(|c| CertificateDto {
                gap: c.gap,
                exact: c.exact,
            }),
        };
        Ok(OptimizeResult {
            scenario: name,
            max_dev: outcome.evaluation.max_dev,
            travel: outcome.evaluation.travel,
            noncontiguous: outcome.evaluation.n_noncontiguous,
            cancelled: outcome.cancelled,
            promises: outcome.promises.into_iter().map(PromiseDto::from).collect(),
            notes: outcome.notes,
            scenarios: wb.workbook.scenarios()?.into_iter().map(ScenarioDto::from).collect(),
            explained,
        })
    })
}

/// Asks the run in progress to stop and keep its best plan; `false` when nothing was running.
#[tauri::command(async)]
pub fn cancel_optimize(state: State<'_, AppState>) -> bool {
    state.cancel_run()
}

/// Deletes scenario `name` (an optimizer result the planner does not keep) and returns the remaining ones.
/// The scenario being edited cannot be deleted.
#[tauri::command(async)]
pub fn delete_scenario(name: String, state: State<'_, AppState>) -> Result<Vec<ScenarioDto>, AppError> {
    state.with_workbook_mut(|wb| {
        if wb.session.as_ref().is_some_and(|s| s.scenario == name) {
            return Err(AppError::Request(format!(
                "Scenario {name:?} is being edited; switch to another before deleting it."
            )));
        }
        wb.workbook.delete_scenario(&name)?;
        Ok(wb.workbook.scenarios()?.into_iter().map(ScenarioDto::from).collect())
    })
}
