//! Files through Tessera's own dialogs: open a workbook, pick the files of an import (with a preview of the
//! units), choose where a new workbook goes, create it, and list the recent workbooks.
//!
//! The native dialogs (tauri-plugin-dialog) are called from Rust, never from the page, so every path comes from
//! the planner's own choice. Each dialog command is a thin layer: it shows the dialog and hands the chosen path
//! to a plain function ([`chosen_import`], [`chosen_save_path`], [`create_workbook_from`]) that the tests call
//! with real files, since a native dialog cannot be driven headless.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::{DialogExt, FilePath};
use tessera_workbook::import::{import_dataset, preview_units, ImportRequest, UnitsPreview};
use tessera_workbook::Workbook;

use crate::dto::WorkbookSummary;
use crate::error::AppError;
use crate::recent::RecentEntry;
use crate::scope::{canonical, Purpose};
use crate::state::AppState;

/// The extension of workbook files.
pub const WORKBOOK_EXTENSION: &str = "tessera";

/// Which file of an import the planner is choosing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    /// Units CSV (required).
    Units,
    /// Polygons GeoJSON.
    Polygons,
    /// Reps CSV.
    Reps,
    /// Adjacency CSV.
    Adjacency,
}

impl ImportKind {
    fn dialog_title(self) -> &'static str {
        match self {
            ImportKind::Units => "Choose the units CSV",
            ImportKind::Polygons => "Choose the unit polygons (GeoJSON)",
            ImportKind::Reps => "Choose the reps CSV",
            ImportKind::Adjacency => "Choose the adjacency CSV",
        }
    }

    fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            ImportKind::Polygons => ("GeoJSON", &["geojson", "json"]),
            _ => ("CSV", &["csv", "tsv", "txt"]),
        }
    }
}

/// A file the planner chose for an import.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChosenFile {
    /// What it is for.
    pub kind: ImportKind,
    /// Its path (the window sends it back in [`CreateWorkbookRequest`]).
    pub path: String,
    /// Its file name, for display.
    pub name: String,
    /// For a units file: its first rows and column roles.
    pub preview: Option<UnitsPreview>,
}

/// What the import wizard asks to create. Every path must have been chosen in Tessera's dialogs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWorkbookRequest {
    /// Units CSV.
    pub units: PathBuf,
    /// Polygons GeoJSON, if any.
    pub polygons: Option<PathBuf>,
    /// Reps CSV, if any.
    pub reps: Option<PathBuf>,
    /// Adjacency CSV, if any.
    pub adjacency: Option<PathBuf>,
    /// The measure to balance (default: `workload` if the units have it). Kept in the workbook.
    pub balance: Option<String>,
    /// The workbook to write (chosen in the Save dialog).
    pub out: PathBuf,
}

/// Shows the Open dialog; the chosen workbook may then be opened with `open_workbook`. `null` when the planner
/// cancels.
#[tauri::command]
pub async fn choose_workbook(app: AppHandle) -> Result<Option<String>, AppError> {
    let picked = app
        .dialog()
        .file()
        .set_title("Open a Tessera workbook")
        .add_filter("Tessera workbook", &[WORKBOOK_EXTENSION])
        .blocking_pick_file();
    let Some(path) = picked.map(into_path).transpose()? else {
        return Ok(None);
    };
    app.state::<AppState>().allow(Purpose::Workbook, &path);
    Ok(Some(path.display().to_string()))
}

/// Shows the Open dialog for one file of an import; for a units file, previews it. `null` when cancelled.
#[tauri::command]
pub async fn choose_import_file(kind: ImportKind, app: AppHandle) -> Result<Option<ChosenFile>, AppError> {
    let (label, extensions) = kind.filter();
    let picked = app
        .dialog()
        .file()
        .set_title(kind.dialog_title())
        .add_filter(label, extensions)
        .blocking_pick_file();
    let Some(path) = picked.map(into_path).transpose()? else {
        return Ok(None);
    };
    let state = app.state::<AppState>();
    chosen_import(&state, kind, &path).map(Some)
}

/// Shows the Save dialog for a new workbook (suggesting `suggested_name`); `null` when cancelled.
#[tauri::command]
pub async fn choose_save_path(suggested_name: Option<String>, app: AppHandle) -> Result<Option<String>, AppError> {
    let mut dialog = app
        .dialog()
        .file()
        .set_title("Create the workbook")
        .add_filter("Tessera workbook", &[WORKBOOK_EXTENSION]);
    if let Some(name) = suggested_name.filter(|n| !n.trim().is_empty()) {
        dialog = dialog.set_file_name(with_extension(Path::new(name.trim())).display().to_string());
    }
    let Some(path) = dialog.blocking_save_file().map(into_path).transpose()? else {
        return Ok(None);
    };
    let path = chosen_save_path(&app.state::<AppState>(), &path);
    Ok(Some(path.display().to_string()))
}

/// Imports the chosen files into a new workbook at the chosen place, keeps the balance measure in it and
/// opens it. Runs on a worker thread; nothing is written unless every file imports (the workbook is built
/// under a temporary name and renamed into place).
#[tauri::command]
pub async fn create_workbook(request: CreateWorkbookRequest, app: AppHandle) -> Result<WorkbookSummary, AppError> {
    let worker = app.clone();
    tauri::async_runtime::spawn_blocking(move || create_workbook_from(&worker.state::<AppState>(), &request))
        .await
        .map_err(|e| AppError::Request(format!("The import stopped unexpectedly: {e}")))?
}

/// The recent workbooks, newest first; missing files are marked.
#[tauri::command(async)]
pub fn recent_workbooks(state: State<'_, AppState>) -> Result<Vec<RecentEntry>, AppError> {
    state.recent_workbooks()
}

/// Records `path` as chosen for an import of `kind` and, for units, previews it (reading only its start).
///
/// # Errors
/// [`AppError::Import`] when the units file's header cannot be read (the message names file, line, column).
pub fn chosen_import(state: &AppState, kind: ImportKind, path: &Path) -> Result<ChosenFile, AppError> {
    state.allow(Purpose::Import, path);
    let preview = match kind {
        ImportKind::Units => Some(preview_units(path)?),
        _ => None,
    };
    Ok(ChosenFile {
        kind,
        path: path.display().to_string(),
        name: file_name(path),
        preview,
    })
}

/// Records `path` (given the `.tessera` extension if it has none) as the place chosen for a new workbook.
pub fn chosen_save_path(state: &AppState, path: &Path) -> PathBuf {
    let path = with_extension(path);
    state.allow(Purpose::Save, &path);
    path
}

/// [`create_workbook`] without the thread: checks that every path was chosen, imports, writes, opens.
///
/// # Errors
/// [`AppError::NotChosen`] for a path not chosen in a dialog; [`AppError::Import`] when the files are refused
/// (nothing is written then); [`AppError::Request`] when the target is the open workbook;
/// [`AppError::Workbook`] when the file cannot be written.
pub fn create_workbook_from(state: &AppState, request: &CreateWorkbookRequest) -> Result<WorkbookSummary, AppError> {
    let out = state.check(Purpose::Save, &request.out)?;
    let mut import = ImportRequest::new(state.check(Purpose::Import, &request.units)?);
    if let Some(p) = &request.polygons {
        import = import.polygons(state.check(Purpose::Import, p)?);
    }
    if let Some(p) = &request.reps {
        import = import.reps(state.check(Purpose::Import, p)?);
    }
    if let Some(p) = &request.adjacency {
        import = import.adjacency(state.check(Purpose::Import, p)?);
    }
    if let Some(b) = request.balance.as_deref().filter(|b| !b.trim().is_empty()) {
        import = import.balance(b);
    }
    if state.open_path().is_some_and(|open| canonical(&open) == out) {
        return Err(AppError::Request(format!(
            "{} is the workbook open now; choose another name for the new one.",
            out.display()
        )));
    }
    let started = Instant::now();
    let (dataset, warnings) = import_dataset(&import)?;
    // The measure the importer checked: the one asked for (as the header spells it), else `workload`.
    let wanted = import.balance.as_deref().unwrap_or("workload").trim().to_lowercase();
    let balance = dataset
        .units
        .measures()
        .iter()
        .find(|m| m.name.to_lowercase() == wanted)
        .map(|m| m.name.clone());
    let mut workbook = Workbook::create_replacing(&out, &dataset)?;
    if let Err(e) = workbook.set_balance_measure(balance.as_deref()) {
        // Not a half-made workbook either: without its measure it is not what the planner asked for.
        drop(workbook);
        let _ = std::fs::remove_file(&out);
        return Err(e.into());
    }
    drop(workbook);
    eprintln!(
        "tessera-app: created {} ({} units, {} warnings) in {} ms",
        out.display(),
        dataset.units.len(),
        warnings.len(),
        started.elapsed().as_millis()
    );
    for w in &warnings {
        eprintln!("tessera-app: import: {w}");
    }
    state.allow(Purpose::Workbook, &out);
    state.open_chosen(&out)
}

/// The path a dialog returned (a URL only on mobile platforms).
fn into_path(picked: FilePath) -> Result<PathBuf, AppError> {
    picked
        .into_path()
        .map_err(|e| AppError::Request(format!("The chosen file is not a local file: {e}")))
}

/// `path` with the workbook extension when it has none (GTK's Save dialog does not add it).
fn with_extension(path: &Path) -> PathBuf {
    match path.extension() {
        Some(_) => path.to_path_buf(),
        None => path.with_extension(WORKBOOK_EXTENSION),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}
