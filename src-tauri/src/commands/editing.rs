//! Scenarios and hand edits: choose the scenario to work on, give units to a territory, undo and redo. Each
//! edit is written to the workbook's history and answered with the units that changed and the new figures.

use tauri::State;

use crate::dto::{EditOutcome, ScenarioDto, ScenarioView};
use crate::error::AppError;
use crate::session::{history_steps, Session};
use crate::state::AppState;

/// Every scenario of the current workbook, oldest first.
#[tauri::command(async)]
pub fn list_scenarios(state: State<'_, AppState>) -> Result<Vec<ScenarioDto>, AppError> {
    state.with_workbook(|wb| Ok(wb.workbook.scenarios()?.into_iter().map(ScenarioDto::from).collect()))
}

/// Makes `name` the scenario being edited, balancing `measure` (the default measure when absent), and returns
/// its alignment and figures.
#[tauri::command(async)]
pub fn open_scenario(
    name: String,
    measure: Option<String>,
    state: State<'_, AppState>,
) -> Result<ScenarioView, AppError> {
    state.with_workbook_mut(|wb| {
        // Hand edits commit one small transaction each: WAL makes each a single fsync (the rollback journal
        // needs several, ~20 ms on a busy disk). The workbook goes back to one file when it is closed. When the
        // switch fails (another process reading), edits still work in rollback-journal mode.
        if let Err(e) = wb.workbook.use_wal_for_editing() {
            eprintln!("tessera-app: editing without WAL: {e}");
        }
        let session = Session::open(&wb.workbook, &wb.dataset, &name, measure)?;
        let (undo_steps, redo_steps) = history_steps(&wb.workbook, &name);
        let view = ScenarioView {
            locked: session.locked_units(),
            name,
            alignment: session.alignment(&wb.dataset),
            figures: session.figures(&wb.dataset),
            undo_steps,
            redo_steps,
        };
        wb.session = Some(session);
        Ok(view)
    })
}

/// Gives `units` (unit indices) to territory `territory` (an index of the alignment's territories) in the
/// scenario being edited, as one undoable edit. `null` when every unit already was there.
#[tauri::command(async)]
pub fn reassign_units(
    units: Vec<u32>,
    territory: u32,
    state: State<'_, AppState>,
) -> Result<Option<EditOutcome>, AppError> {
    state.with_workbook_mut(|wb| {
        let session = wb.session.as_mut().ok_or(AppError::NoScenario)?;
        session.reassign(&mut wb.workbook, &wb.dataset, &units, territory)
    })
}

/// Takes back the last edit of the scenario being edited; `null` when there is none.
#[tauri::command(async)]
pub fn undo_edit(state: State<'_, AppState>) -> Result<Option<EditOutcome>, AppError> {
    step(&state, true)
}

/// Reapplies the last undone edit of the scenario being edited; `null` when there is none.
#[tauri::command(async)]
pub fn redo_edit(state: State<'_, AppState>) -> Result<Option<EditOutcome>, AppError> {
    step(&state, false)
}

fn step(state: &AppState, undo: bool) -> Result<Option<EditOutcome>, AppError> {
    state.with_workbook_mut(|wb| {
        let session = wb.session.as_mut().ok_or(AppError::NoScenario)?;
        session.step(&mut wb.workbook, &wb.dataset, undo)
    })
}

/// Locks `units` (unit indices) to their current territory in the scenario being edited, or unlocks them
/// (`lock = false`). Locks live in the workbook; the optimizer and hand edits leave locked units alone.
/// Returns every locked unit.
#[tauri::command(async)]
pub fn set_locks(units: Vec<u32>, lock: bool, state: State<'_, AppState>) -> Result<Vec<u32>, AppError> {
    state.with_workbook_mut(|wb| {
        let session = wb.session.as_mut().ok_or(AppError::NoScenario)?;
        session.set_locked(&mut wb.workbook, &units, lock)
    })
}
