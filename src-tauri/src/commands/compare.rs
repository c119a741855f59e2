//! The compare view: two to four scenarios of the open workbook side by side (issue 13). Thin: the comparison,
//! maps and diff maps are the workbook's (`tessera_workbook::compare`, `export::{territory_map, diff_map}`),
//! the same the CLI's `tessera compare` and HTML report give.

use serde::Serialize;
use tauri::State;
use tessera_workbook::compare::{Comparison, Side};
use tessera_workbook::export::{diff_map, territory_colors, territory_map, territory_shapes};
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
}

/// Compares `names` (2 to 4 scenarios; the first is the baseline) on the workbook's balance measure.
#[tauri::command(async)]
pub fn compare_scenarios(names: Vec<String>, state: State<'_, AppState>) -> Result<CompareView, AppError> {
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
        let comparison = Comparison::new(dataset, &sides, &measure).map_err(|e| AppError::Request(e.to_string()))?;
        let mut maps = Vec::new();
        let mut diff_maps = Vec::new();
        for (k, s) in scenarios.iter().enumerate() {
            let shapes = territory_shapes(dataset, &s.plan).shapes;
            let colors = territory_colors(dataset, &s.plan);
            maps.push(territory_map(dataset, &s.plan, &shapes, &colors, &s.name));
            if k > 0 {
                let title = format!("{} against {}", s.name, scenarios[0].name);
                diff_maps.push(diff_map(dataset, &scenarios[0].plan, &s.plan, &shapes, &title));
            }
        }
        Ok(CompareView {
            comparison,
            maps,
            diff_maps,
        })
    })
}
