//! Managing scenarios from the scenario list (issue 13): duplicate, rename, note, delete with undo, and a new
//! scenario from the planner's own territories (a plan CSV, or territory polygons: GeoJSON or a Shapefile). Thin:
//! the workbook does the work (`Workbook::duplicate_scenario`, `rename_scenario`, `set_scenario_note`, and
//! `import::scenario_from_file`, which `tessera scenarios --from-plan/--from-polygons` runs too).
//!
//! Undo of a delete: [`remove_scenario`] answers with the whole scenario (plan, parameters, figures, note), the
//! window keeps it, and [`restore_scenario`] saves it back. Its edit history is not kept (it described edits
//! to a plan that no longer exists in the file).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tessera_optimizer::Plan;
use tessera_workbook::import::{scenario_from_file, ScenarioSource, ScenarioSourceError};
use tessera_workbook::store::Scenario;

use crate::dto::ScenarioDto;
use crate::error::AppError;
use crate::scope::Purpose;
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

/// What a new scenario's territories come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ScenarioFileKind {
    /// A plan CSV: `id,territory`.
    Plan,
    /// Territory polygons: GeoJSON, or a Shapefile (`.shp` with its `.shx` and `.dbf` beside it).
    Polygons,
}

/// A file chosen for a new scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChosenScenarioFile {
    /// What it holds.
    pub kind: ScenarioFileKind,
    /// The file.
    pub path: String,
    /// Its name alone.
    pub file_name: String,
}

/// Shows the Open dialog for a plan CSV or territory polygons; `null` when the planner cancels.
#[tauri::command]
pub async fn choose_scenario_file(
    kind: ScenarioFileKind,
    app: AppHandle,
) -> Result<Option<ChosenScenarioFile>, AppError> {
    let dialog = app.dialog().file();
    let dialog = match kind {
        ScenarioFileKind::Plan => dialog
            .set_title("Choose the plan CSV (id, territory)")
            .add_filter("Plan CSV", &["csv", "tsv", "txt"]),
        ScenarioFileKind::Polygons => dialog
            .set_title("Choose the territory polygons (GeoJSON or Shapefile)")
            .add_filter("Territory polygons", &["geojson", "json", "shp"])
            .add_filter("GeoJSON", &["geojson", "json"])
            .add_filter("Shapefile (with its .shx and .dbf)", &["shp"]),
    };
    let Some(picked) = dialog.blocking_pick_file() else {
        return Ok(None);
    };
    let path = picked
        .into_path()
        .map_err(|e| AppError::Request(format!("The chosen file is not a local file: {e}")))?;
    Ok(Some(chosen_scenario_file(&app.state::<AppState>(), kind, &path)))
}

/// Records `path` as chosen (in the Open dialog) for a new scenario.
pub fn chosen_scenario_file(state: &AppState, kind: ScenarioFileKind, path: &Path) -> ChosenScenarioFile {
    state.allow(Purpose::Import, path);
    ChosenScenarioFile {
        kind,
        path: path.display().to_string(),
        file_name: path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
    }
}

/// What the window asks: a new scenario `name` from the file chosen in [`choose_scenario_file`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewScenarioRequest {
    /// What the file holds.
    pub kind: ScenarioFileKind,
    /// The file.
    pub path: PathBuf,
    /// The new scenario's name; empty: the file's name without its extension.
    pub name: String,
    /// Polygons: the feature property (Shapefile: the .dbf field) naming the territory; default `territory`.
    #[serde(default)]
    pub property: Option<String>,
}

/// A unit outside every territory polygon, and the territory it was given to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutsideUnit {
    /// The unit's id.
    pub unit: String,
    /// The nearest territory, which it went to.
    pub nearest: String,
    /// How far that polygon is, in degrees.
    pub distance_deg: f64,
}

/// The new scenario, and what the planner must be told about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewScenario {
    /// Its name.
    pub name: String,
    /// Its number of territories.
    pub territories: usize,
    /// The workbook's units.
    pub unit_count: usize,
    /// What reading the plan CSV noted (file and line).
    pub warnings: Vec<String>,
    /// Units outside every polygon, each given to the nearest territory: listed, never dropped.
    pub outside: Vec<OutsideUnit>,
    /// Every scenario now.
    pub scenarios: Vec<ScenarioDto>,
}

/// Makes and saves a new scenario from a file chosen in [`choose_scenario_file`], with the code `tessera scenarios
/// --from-plan / --from-polygons` runs. A name in use is refused (delete or rename that scenario first); a file
/// refused names its line or feature and the rule, and nothing is saved.
///
/// # Errors
/// [`AppError::NotChosen`] for a file not chosen in the dialog; [`AppError::Request`] for a name in use;
/// [`AppError::Import`] for a refused file; [`AppError::Workbook`].
#[tauri::command(async)]
pub fn new_scenario_from_file(
    request: NewScenarioRequest,
    state: State<'_, AppState>,
) -> Result<NewScenario, AppError> {
    new_scenario_with(&state, &request)
}

/// [`new_scenario_from_file`] on a plain state, for tests.
///
/// # Errors
/// As [`new_scenario_from_file`].
pub fn new_scenario_with(state: &AppState, request: &NewScenarioRequest) -> Result<NewScenario, AppError> {
    let path = state.check(Purpose::Import, &request.path)?;
    let name = match request.name.trim() {
        "" => path
            .file_stem()
            .map_or_else(|| "from file".to_string(), |s| s.to_string_lossy().into_owned()),
        n => n.to_string(),
    };
    let property = request
        .property
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .unwrap_or("territory");
    let source = match request.kind {
        ScenarioFileKind::Plan => ScenarioSource::PlanCsv(&path),
        ScenarioFileKind::Polygons => ScenarioSource::Polygons { path: &path, property },
    };
    state.with_workbook_mut(|wb| {
        if wb.workbook.scenario(&name).is_ok() {
            return Err(AppError::Request(format!(
                "A scenario called {name:?} exists already; type another name, or delete or rename that one first."
            )));
        }
        let built = scenario_from_file(&wb.workbook, &wb.dataset, &name, source).map_err(|e| match e {
            ScenarioSourceError::Import(e) => AppError::Import(e),
            ScenarioSourceError::Workbook(e) => AppError::Workbook(e),
        })?;
        wb.workbook.save_scenario(&built.scenario)?;
        let ids = wb.dataset.units.ids();
        Ok(NewScenario {
            territories: built.scenario.plan.names().len(),
            unit_count: ids.len(),
            warnings: built.warnings.iter().map(ToString::to_string).collect(),
            outside: built
                .outside
                .iter()
                .map(|o| OutsideUnit {
                    unit: ids[o.unit].clone(),
                    nearest: o.nearest.clone(),
                    distance_deg: o.distance_deg,
                })
                .collect(),
            scenarios: list(wb)?,
            name,
        })
    })
}
