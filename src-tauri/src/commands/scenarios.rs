//! Managing scenarios from the scenario list (issue 13): duplicate, rename, note, and delete with undo. Thin:
//! the workbook does the work (`Workbook::duplicate_scenario`, `rename_scenario`, `set_scenario_note`).
//!
//! Undo of a delete: [`remove_scenario`] answers with the whole scenario (plan, parameters, figures, note), the
//! window keeps it, and [`restore_scenario`] saves it back. Its edit history is not kept (it described edits
//! to a plan that no longer exists in the file).

use serde::{Deserialize, Serialize};
use tauri::State;
use tessera_optimizer::Plan;
use tessera_workbook::store::Scenario;

use crate::dto::ScenarioDto;
use crate::error::AppError;
use crate::state::{AppState, OpenWorkbook};

/// A deleted scenario, whole, so the window can undo the delete.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovedScenario {
    /// Its name.
    pub name: String,
    /// Territory index of every unit, in unit order.
    pub territory_of: Vec<u32>,
    /// Territory names, by index.
    pub territories: Vec<String>,
    /// The parameters that made it.
    pub params: serde_json::Value,
    /// Its figures.
    pub metrics: serde_json::Value,
    /// Its note.
    pub note: String,
}

/// The answer of [`remove_scenario`]: the remaining scenarios and the removed one.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Removal {
    /// Every scenario left.
    pub scenarios: Vec<ScenarioDto>,
    /// The one removed, for undo.
    pub removed: RemovedScenario,
}

fn list(wb: &OpenWorkbook) -> Result<Vec<ScenarioDto>, AppError> {
    Ok(wb.workbook.scenarios()?.into_iter().map(ScenarioDto::from).collect())
}

fn not_edited(wb: &OpenWorkbook, name: &str, what: &str) -> Result<(), AppError> {
    if wb.session.as_ref().is_some_and(|s| s.scenario == name) {
        return Err(AppError::Request(format!(
            "Scenario {name:?} is being edited; switch to another before you {what} it."
        )));
    }
    Ok(())
}

/// Copies scenario `from` as `to`.
#[tauri::command(async)]
pub fn duplicate_scenario(from: String, to: String, state: State<'_, AppState>) -> Result<Vec<ScenarioDto>, AppError> {
    state.with_workbook_mut(|wb| {
        wb.workbook.duplicate_scenario(&from, to.trim())?;
        list(wb)
    })
}

/// Renames scenario `from` to `to` (not the one being edited, not "current").
#[tauri::command(async)]
pub fn rename_scenario(from: String, to: String, state: State<'_, AppState>) -> Result<Vec<ScenarioDto>, AppError> {
    state.with_workbook_mut(|wb| {
        not_edited(wb, &from, "rename")?;
        wb.workbook.rename_scenario(&from, to.trim())?;
        list(wb)
    })
}

/// Sets the note of scenario `name`.
#[tauri::command(async)]
pub fn set_scenario_note(name: String, note: String, state: State<'_, AppState>) -> Result<Vec<ScenarioDto>, AppError> {
    state.with_workbook_mut(|wb| {
        wb.workbook.set_scenario_note(&name, &note)?;
        list(wb)
    })
}

/// Deletes scenario `name` (not the one being edited) and answers with it whole, for undo.
#[tauri::command(async)]
pub fn remove_scenario(name: String, state: State<'_, AppState>) -> Result<Removal, AppError> {
    state.with_workbook_mut(|wb| {
        not_edited(wb, &name, "delete")?;
        let s = wb.workbook.scenario(&name)?;
        let note = wb.workbook.scenario_note(&name)?;
        wb.workbook.delete_scenario(&name)?;
        Ok(Removal {
            scenarios: list(wb)?,
            removed: RemovedScenario {
                name: s.name,
                territory_of: s.plan.territory_of().to_vec(),
                territories: s.plan.names().to_vec(),
                params: s.params,
                metrics: s.metrics,
                note,
            },
        })
    })
}

/// Saves back a scenario [`remove_scenario`] removed (refused when a scenario of its name exists again).
#[tauri::command(async)]
pub fn restore_scenario(removed: RemovedScenario, state: State<'_, AppState>) -> Result<Vec<ScenarioDto>, AppError> {
    state.with_workbook_mut(|wb| {
        if wb.workbook.scenario(&removed.name).is_ok() {
            return Err(AppError::Request(format!(
                "A scenario called {:?} exists again; rename it first to bring the deleted one back.",
                removed.name
            )));
        }
        if removed
            .territory_of
            .iter()
            .any(|&t| t as usize >= removed.territories.len())
        {
            return Err(AppError::Request(
                "The deleted scenario's plan names an unknown territory.".into(),
            ));
        }
        let scenario = Scenario {
            name: removed.name.clone(),
            plan: Plan::new(removed.territory_of, removed.territories),
            params: removed.params,
            metrics: removed.metrics,
        };
        wb.workbook.save_scenario(&scenario)?;
        wb.workbook.set_scenario_note(&removed.name, &removed.note)?;
        list(wb)
    })
}
