//! The Optimize action: builds the optimizer's problem from the workbook's dataset and the scenario being
//! edited, runs it, and describes the result. Mirrors `tessera plan` (cli/src/plan.rs) — the same spec, the same
//! `--only` restriction and the same metrics — so the app and the CLI give the same plan for the same request.
//! No algorithm lives here.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tessera_optimizer::progress::ProgressReport;
use tessera_optimizer::{
    certify, design_territories, evaluate, redesign_territories, Adjacency, DesignParams, Evaluation, Plan,
    ProblemSpec, Progress, Rep, Units,
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
}

/// A finished run: the plan, its figures and what to store with the scenario.
#[derive(Debug, Clone)]
pub struct OptimizeOutcome {
    /// The designed plan.
    pub plan: Plan,
    /// Its figures.
    pub evaluation: Evaluation,
    /// The request, stored as the scenario's parameters.
    pub params: Value,
    /// The metrics stored with the scenario (as `tessera plan --metrics` writes them).
    pub metrics: Value,
    /// Whether the planner cancelled and this is the best plan found until then.
    pub cancelled: bool,
}

/// Runs the optimizer for `request` on `inputs`, reporting to `progress`.
///
/// # Errors
/// [`AppError::Request`] with the optimizer's explanation when the request cannot be met (unknown measure,
/// infeasible tolerance, `only` naming a territory the scenario lacks, ...).
pub fn run(
    inputs: &OptimizeInputs,
    request: &OptimizeRequest,
    progress: &Progress,
) -> Result<OptimizeOutcome, AppError> {
    let bad = |m: String| AppError::Request(m);
    if !(request.time_limit > 0.0 && request.time_limit.is_finite()) {
        return Err(bad(format!(
            "The time limit must be a positive number of seconds, not {}.",
            request.time_limit
        )));
    }
    if let Some(f) = request.max_moved {
        if !(0.0..=1.0).contains(&f) {
            return Err(bad(format!(
                "The disruption budget must be between 0% and 100%, not {}%.",
                f * 100.0
            )));
        }
    }
    let territories = match request.territories {
        Some(p) => p,
        None if !inputs.reps.is_empty() => inputs.reps.len(),
        None => return Err(bad("This workbook has no reps: give the number of territories.".into())),
    };
    let current = if request.keep_current || !request.only.is_empty() {
        inputs.current.as_ref()
    } else {
        None
    };
    let mut spec = ProblemSpec::new(&inputs.units, &inputs.adjacency, territories);
    spec.balance = request.measure.clone();
    spec.tolerance = request.tolerance;
    // A number of territories different from the reps' means territories without home bases.
    spec.reps = if request.territories.is_none() {
        &inputs.reps
    } else {
        &[]
    };
    spec.current = current;
    spec.max_moved = if request.keep_current { request.max_moved } else { None };
    spec.locks = if request.respect_locks {
        inputs.locks.clone()
    } else {
        Vec::new()
    };
    let problem = spec.build().map_err(|e| bad(e.to_string()))?;
    let params = DesignParams::default()
        .seed(request.seed)
        .time_limit(Duration::from_secs_f64(request.time_limit));

    // The whole plan, or — "Rebalance selected" — only the named territories, the rest left where they are.
    let design = if request.only.is_empty() {
        design_territories(&problem, &params, progress)
    } else {
        redesign_territories(&problem, &request.only, &params, progress)
    }
    .map_err(|e| bad(e.to_string()))?;
    let (assignment, centers) = (design.assignment, design.centers);

    let plan = Plan::new(assignment.clone(), problem.names.clone());
    let reps: &[Rep] = if request.territories.is_none() {
        &inputs.reps
    } else {
        &[]
    };
    let evaluation = evaluate(
        &inputs.units,
        &inputs.adjacency,
        &plan,
        &problem.weights,
        problem.p(),
        reps,
    );
    let certificate = certify(&problem, &assignment, &centers).ok();
    let moved = current.map(|c| {
        let of = c.territory_of();
        let moved: f64 = (0..inputs.units.len())
            .filter(|&i| c.names().get(of[i] as usize) != plan.names().get(assignment[i] as usize))
            .map(|i| problem.weights[i])
            .sum();
        moved / problem.total()
    });
    let mut metrics = serde_json::to_value(&evaluation).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut metrics {
        m.insert("measure".into(), json!(problem.measure));
        m.insert("tolerance".into(), json!(problem.tolerance));
        m.insert("certificate".into(), json!(certificate));
        m.insert("moved_fraction".into(), json!(moved));
        m.insert("seed".into(), json!(request.seed));
        m.insert("cancelled".into(), json!(progress.is_cancelled()));
    }
    Ok(OptimizeOutcome {
        plan,
        evaluation,
        params: serde_json::to_value(request).unwrap_or(Value::Null),
        metrics,
        cancelled: progress.is_cancelled(),
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
    /// Best plan so far: travel.
    pub best_travel: Option<f64>,
}

impl From<&ProgressReport> for ProgressDto {
    fn from(r: &ProgressReport) -> Self {
        ProgressDto {
            stage: r.stage.clone(),
            fraction: r.fraction,
            best_max_dev: r.best_max_dev,
            best_travel: r.best_travel,
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
}
