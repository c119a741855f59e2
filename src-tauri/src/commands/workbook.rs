//! Opening a workbook and reading what the map and side panel show.

use std::path::PathBuf;

use tauri::ipc::Response;
use tauri::State;

use crate::dto::{AlignmentDto, TextColumnDto, WorkbookSummary};
use crate::error::AppError;
use crate::state::AppState;

/// The workbook opened at start-up: `null` when none was, an error saying why when opening it failed.
///
/// Runs off the main thread (`async`), like every command here, so the window never freezes on file I/O.
#[tauri::command(async)]
pub fn current_workbook(state: State<'_, AppState>) -> Result<Option<WorkbookSummary>, AppError> {
    state.current_summary()
}

/// Opens the workbook at `path` and makes it the current one, if the planner chose it (Open dialog, a
/// workbook just created, the recent workbooks, or the start-up argument); any other path is refused with
/// [`AppError::NotChosen`], so the page cannot open files on its own.
#[tauri::command(async)]
pub fn open_workbook(path: PathBuf, state: State<'_, AppState>) -> Result<WorkbookSummary, AppError> {
    state.open_chosen(&path)
}

/// The current workbook's units as a GeoJSON FeatureCollection, features in unit order.
///
/// The workbook's JSON text goes out as the response body as it is (Tauri treats a `String` body as JSON), so
/// megabytes of GeoJSON are neither re-serialised nor wrapped in a JSON string; the webview parses it once.
#[tauri::command(async)]
pub fn units_geojson(state: State<'_, AppState>) -> Result<Response, AppError> {
    units_geojson_text(&state).map(Response::new)
}

/// The text [`units_geojson`] sends.
///
/// # Errors
/// [`AppError::NoWorkbook`], or the workbook's read error.
pub fn units_geojson_text(state: &AppState) -> Result<String, AppError> {
    state.with_workbook(|wb| Ok(wb.workbook.units_geojson()?))
}

/// The current workbook's alignment (its units' `territory` column), `null` when it has none.
#[tauri::command(async)]
pub fn current_alignment(state: State<'_, AppState>) -> Result<Option<AlignmentDto>, AppError> {
    state.with_workbook(|wb| {
        Ok(wb
            .dataset
            .current
            .as_ref()
            .map(|plan| AlignmentDto::new(plan, &wb.dataset.adjacency)))
    })
}

/// The units' text columns (names, states, codes) the hover names a unit by; empty for a workbook without them
/// (made before Tessera kept them, or from a file with none).
#[tauri::command(async)]
pub fn unit_text(state: State<'_, AppState>) -> Result<Vec<TextColumnDto>, AppError> {
    state.with_workbook(|wb| {
        Ok(wb
            .workbook
            .unit_text()?
            .into_iter()
            .map(|c| TextColumnDto {
                name: c.name,
                values: c.values,
            })
            .collect())
    })
}
