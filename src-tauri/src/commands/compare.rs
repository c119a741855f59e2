//! The compare view: two to four scenarios of the open workbook side by side (issue 13). Thin: the comparison,
//! maps and diff maps are the workbook's (`tessera_workbook::compare`, `export::{territory_map, diff_map}`),
//! the same the CLI's `tessera compare` and HTML report give.

use serde::{Deserialize, Serialize};
use tauri::State;
use tessera_workbook::accounts::NamedLoads;
use tessera_workbook::charts::{load_font, Chart, ChartError, FrontPoint, LoadBar, ScenarioPoint};
use tessera_workbook::compare::{Comparison, Side};
use tessera_workbook::export::{
    diff_map, quotas, territory_colors_across, territory_map, territory_shapes, QuotaParams,
};
use tessera_workbook::figures::default_measure;

use crate::error::AppError;
use crate::state::AppState;

/// What the compare view shows: the comparison (as `tessera compare --out -` prints it, keys in snake_case, so
/// scripts and the window read one format), each scenario's territory map and, for each scenario after the
/// first, the diff map against the first (SVG documents made by the workbook, titles escaped).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompareView {
    /// The comparison.
    pub comparison: Comparison,
    /// One SVG map per scenario, in the order asked.
    pub maps: Vec<String>,
    /// One SVG diff map per scenario after the first.
    pub diff_maps: Vec<String>,
    /// Charts (SVG): travel against balance for the compared scenarios, then each one's load per territory
    /// against the tolerance band. Empty when no font was found to draw their text (see `chart_note`).
    pub charts: Vec<String>,
    /// Why there are no charts, when there are none.
    pub chart_note: Option<String>,
    /// Plans of the last exploration's front drawn on the travel–balance chart (0: no front drawn).
    pub front_plans: usize,
    /// Each scenario's quotas, in the order asked, when quotas were asked for and could be set.
    pub quotas: Vec<ScenarioQuotas>,
    /// Why quotas asked for could not be set (an unknown or negative measure, a total below 0, ...).
    pub quota_error: Option<String>,
}

/// How the manager asks for quotas in the compare view: as `tessera compare --quota-total T --quota-measure M
/// [--quota-history H:W] [--ramp R]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuotaRequest {
    /// The total to share out.
    pub total: f64,
    /// The potential measure whose share sets each territory's share.
    pub potential: String,
    /// A history measure to blend with, and its weight (0..1).
    pub history: Option<(String, f64)>,
    /// The share of its quota a rep whose territory changed carries while ramping up (0..1; none: 1).
    pub ramp: Option<f64>,
}

impl QuotaRequest {
    /// The workbook's quota parameters for this request (no ramp-up share: 1).
    pub fn params(&self) -> QuotaParams {
        QuotaParams {
            total: self.total,
            potential: self.potential.clone(),
            history: self.history.clone(),
            ramp: self.ramp.unwrap_or(1.0),
        }
    }
}

/// One scenario's quotas.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioQuotas {
    /// The scenario.
    pub scenario: String,
    /// One row per territory, in the scenario's territory order.
    pub rows: Vec<QuotaRow>,
}

/// A territory's quota, as `tessera compare`'s quotas.csv has it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuotaRow {
    /// Territory.
    pub territory: String,
    /// Its rep's name, when the territory is a rep's.
    pub rep: Option<String>,
    /// Its share of the total (0..1).
    pub share: f64,
    /// Share × total.
    pub quota: f64,
    /// Whether its units differ from the baseline's (the ramp-up applies).
    pub changed: bool,
    /// The quota while its rep ramps up.
    pub ramp_quota: f64,
}

/// Quotas of every scenario, ramp-up counted against the first, as `tessera compare` sets them.
fn quota_rows(
    dataset: &tessera_workbook::Dataset,
    scenarios: &[tessera_workbook::Scenario],
    q: &QuotaRequest,
) -> Result<Vec<ScenarioQuotas>, String> {
    let params = q.params();
    let base = &scenarios[0].plan;
    scenarios
        .iter()
        .map(|s| {
            let rows = quotas(dataset, &s.plan, Some(base), &params).map_err(|e| e.to_string())?;
            Ok(ScenarioQuotas {
                scenario: s.name.clone(),
                rows: rows
                    .into_iter()
                    .map(|r| QuotaRow {
                        rep: dataset
                            .reps
                            .iter()
                            .find(|x| x.id == r.territory)
                            .map(|x| x.name.clone()),
                        territory: r.territory,
                        share: r.share,
                        quota: r.quota,
                        changed: r.changed,
                        ramp_quota: r.ramp_quota,
                    })
                    .collect(),
            })
        })
        .collect()
}

/// Compares `names` (2 to 4 scenarios; the first is the baseline) on the workbook's balance measure, with
/// each scenario's quotas when `quota` is given. The travel–balance chart shows the front of the last
/// exploration of this workbook, when it balanced the same measure.
#[tauri::command(async)]
pub fn compare_scenarios(
    names: Vec<String>,
    quota: Option<QuotaRequest>,
    state: State<'_, AppState>,
) -> Result<CompareView, AppError> {
    // The exploration is read before the workbook is locked (see `AppState::with_exploration`).
    let explored: Vec<(String, FrontPoint)> = state
        .open_path()
        .and_then(|path| {
            state
                .with_exploration(&path, |x| {
                    let measure = x.outcome.measure().to_string();
                    Ok(x.outcome
                        .front
                        .iter()
                        .map(|f| {
                            (
                                measure.clone(),
                                FrontPoint {
                                    max_dev: f.evaluation.max_dev,
                                    travel: f.evaluation.travel,
                                },
                            )
                        })
                        .collect())
                })
                .ok()
        })
        .unwrap_or_default();
    state.with_workbook(|wb| {
        let dataset = &wb.dataset;
        let measure = wb
            .workbook
            .balance_measure()?
            .or_else(|| default_measure(dataset))
            .ok_or_else(|| AppError::Request("The units have no measure to compare.".into()))?;
        let scenarios = names
            .iter()
            .map(|n| wb.workbook.scenario(n))
            .collect::<Result<Vec<_>, _>>()?;
        let sides: Vec<Side<'_>> = scenarios
            .iter()
            .map(|s| Side {
                name: &s.name,
                plan: &s.plan,
            })
            .collect();
        // Named accounts count for their territories in every figure, as in the figures panel and `tessera compare`.
        let named = wb.workbook.named_loads()?;
        let comparison =
            Comparison::with_named(dataset, &sides, &measure, &named).map_err(|e| AppError::Request(e.to_string()))?;
        let mut maps = Vec::new();
        let mut diff_maps = Vec::new();
        // A territory keeps its colour on every map, so the maps differ only where units moved.
        let plans: Vec<&tessera_optimizer::Plan> = scenarios.iter().map(|s| &s.plan).collect();
        let colors = territory_colors_across(dataset, &plans);
        for (k, s) in scenarios.iter().enumerate() {
            let shapes = territory_shapes(dataset, &s.plan).shapes;
            maps.push(territory_map(dataset, &s.plan, &shapes, &colors[k], &s.name));
            if k > 0 {
                let title = format!("{} against {}", s.name, scenarios[0].name);
                diff_maps.push(diff_map(dataset, &scenarios[0].plan, &s.plan, &shapes, &title));
            }
        }
        let front: Vec<FrontPoint> = explored
            .iter()
            .filter(|(m, _)| *m == measure)
            .map(|(_, f)| *f)
            .collect();
        let team_tolerance = wb.workbook.team_tolerance()?;
        let (charts, chart_note) = match charts(
            dataset,
            &scenarios,
            &comparison,
            &measure,
            &front,
            &named,
            team_tolerance,
        ) {
            Ok(c) => (c, None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        let (quotas, quota_error) = match quota.as_ref().map(|q| quota_rows(dataset, &scenarios, q)) {
            None => (Vec::new(), None),
            Some(Ok(q)) => (q, None),
            Some(Err(e)) => (Vec::new(), Some(e)),
        };
        Ok(CompareView {
            comparison,
            maps,
            diff_maps,
            front_plans: if charts.is_empty() { 0 } else { front.len() },
            charts,
            chart_note,
            quotas,
            quota_error,
        })
    })
}

/// The compare view's charts: travel against balance (with `front`, an exploration's plans, when not empty),
/// then load per territory of each scenario (tolerance: the scenario's own, else `team_tolerance`, the team's,
/// else 5%), named accounts' loads counted for their territories.
fn charts(
    dataset: &tessera_workbook::Dataset,
    scenarios: &[tessera_workbook::Scenario],
    comparison: &Comparison,
    measure: &str,
    front: &[FrontPoint],
    named: &NamedLoads,
    team_tolerance: Option<f64>,
) -> Result<Vec<String>, ChartError> {
    load_font(None)?;
    let points = comparison
        .scenarios
        .iter()
        .map(|s| ScenarioPoint {
            scenario: s.scenario.clone(),
            max_dev: s.max_dev,
            travel: s.travel,
        })
        .collect();
    let mut out = vec![Chart::TravelBalance {
        title: "Travel against balance".into(),
        points,
        front: front.to_vec(),
        travel_unit: comparison.travel_unit.into(),
    }
    .svg()?];
    // The comparison checked the measure; without it there is nothing to chart per territory.
    let Some(weights) = dataset.units.measure(measure) else {
        return Ok(out);
    };
    for s in scenarios {
        let tolerance = tessera_workbook::export::scenario_tolerance(&s.params, team_tolerance);
        let mut e = tessera_optimizer::evaluate(
            &dataset.units,
            &dataset.adjacency,
            &s.plan,
            weights,
            s.plan.names().len().max(1),
            &dataset.reps,
        );
        named.add_to(&mut e, measure);
        let bars = e
            .territories
            .iter()
            .map(|t| LoadBar {
                territory: t.name.clone(),
                load: t.load,
                target: t.target,
            })
            .collect();
        out.push(
            Chart::Load {
                title: format!("{}: {measure} per territory against target", s.name),
                bars,
                tolerance,
                measure: measure.to_string(),
            }
            .svg()?,
        );
    }
    Ok(out)
}
