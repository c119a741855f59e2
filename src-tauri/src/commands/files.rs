//! Files through Tessera's own dialogs: open a workbook, pick the files of an import (with a preview of the
//! units), choose where a new workbook goes, create it, and list the recent workbooks.
//!
//! The native dialogs (tauri-plugin-dialog) are called from Rust, never from the page, so every path comes from
//! the planner's own choice. Each dialog command is a thin layer: it shows the dialog and hands the chosen path
//! to a plain function ([`chosen_import`], [`chosen_save_path`], [`create_workbook_with`]) that the tests call
//! with real files, since a native dialog cannot be driven headless. Creating a workbook reports its progress
//! (reading the units, adjacency, writing the workbook) and can be cancelled ([`cancel_import`]); a cancelled
//! or refused import leaves no file behind.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::{DialogExt, FilePath, MessageDialogButtons, MessageDialogKind};
use tessera_optimizer::progress::ProgressReport;
use tessera_optimizer::Progress;
use tessera_workbook::import::{balanced_measure, import_dataset_with_text, preview_units, ImportRequest};
use tessera_workbook::{ImportError, Workbook, WorkbookError};

use crate::dto::{ChosenFile, CreateWorkbookRequest, ImportKind, RecentEntry, WorkbookSummary};
use crate::error::AppError;
use crate::optimize::ProgressDto;
use crate::scope::{canonical, Purpose};
use crate::state::AppState;

/// The extension of workbook files.
pub const WORKBOOK_EXTENSION: &str = "tessera";

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
    let state = app.state::<AppState>();
    let target = chosen_save_path(&state, &path);
    // The dialog confirmed (at most) the name as typed; the file written may be another one (the extension
    // added), so Tessera asks itself before replacing anything. Declining is cancelling.
    if target.replaces {
        if !ask_to_replace(&app, target.replace_question()) {
            return Ok(None);
        }
        confirmed_replace(&state, &target.path);
    }
    Ok(Some(target.path.display().to_string()))
}

/// Asks the planner, in a native message box, whether to replace an existing file (`question` names it);
/// true for Replace. Blocks the calling (worker) thread until answered.
pub(crate) fn ask_to_replace(app: &AppHandle, question: String) -> bool {
    app.dialog()
        .message(question)
        .title("Replace the existing file?")
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom("Replace".into(), "Cancel".into()))
        .blocking_show()
}

/// Imports the chosen files into a new workbook at the chosen place, keeps the balance measure in it and
/// opens it. Runs on a worker thread, sending progress (the stage and the fraction done; at most ~10 reports a
/// second, and every change of stage) to `on_progress`. Nothing is written unless every file imports and the
/// planner did not cancel (see [`create_workbook_with`]).
#[tauri::command]
pub async fn create_workbook<R: Runtime>(
    request: CreateWorkbookRequest,
    on_progress: Channel<ProgressDto>,
    app: AppHandle<R>,
) -> Result<WorkbookSummary, AppError> {
    let last = Mutex::new((Instant::now() - Duration::from_secs(1), String::new()));
    let progress = Progress::with_listener(move |r| {
        let dto = overall(r);
        let now = Instant::now();
        if let Ok(mut last) = last.lock() {
            let same_stage = last.1 == dto.stage;
            if same_stage && now.duration_since(last.0) < Duration::from_millis(100) && dto.fraction < 1.0 {
                return;
            }
            *last = (now, dto.stage.clone());
        }
        // A closed window just stops listening; the import goes on.
        let _ = on_progress.send(dto);
    });
    let state = app.state::<AppState>();
    state.start_import(progress.clone())?;
    let worker = app.clone();
    let job = tauri::async_runtime::spawn_blocking(move || {
        create_workbook_with(&worker.state::<AppState>(), &request, &progress)
    })
    .await;
    state.end_import();
    job.map_err(|e| AppError::Request(format!("The import stopped unexpectedly: {e}")))?
}

/// Asks the import in progress to stop; it writes nothing and `create_workbook` fails with the kind
/// `cancelled`. `false` when no import was running (or it had already written the workbook).
#[tauri::command(async)]
pub fn cancel_import(state: State<'_, AppState>) -> bool {
    state.cancel_import()
}

/// Drops a workbook from the recent list (one that is gone from disk, say) and returns the list.
#[tauri::command(async)]
pub fn forget_recent(path: PathBuf, state: State<'_, AppState>) -> Result<Vec<RecentEntry>, AppError> {
    state.forget_recent(&path)
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

/// Where a new workbook goes, as Tessera decided it from the Save dialog's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveTarget {
    /// The file to write: the name chosen, with the `.tessera` extension when it had none.
    pub path: PathBuf,
    /// True when a file (or anything else) is already at `path`: it is replaced only once the planner
    /// confirms ([`confirmed_replace`]).
    pub replaces: bool,
}

impl SaveTarget {
    /// The confirmation question, naming the file and its folder.
    pub fn replace_question(&self) -> String {
        replace_question(&self.path, "the new workbook")
    }
}

/// "NAME already exists in FOLDER. Replace it with `with`? …": the question before replacing `path`.
pub(crate) fn replace_question(path: &Path, with: &str) -> String {
    let folder = path
        .parent()
        .map_or_else(String::new, |d| format!(" in {}", d.display()));
    format!(
        "{} already exists{folder}. Replace it with {with}? What it holds now will be lost.",
        file_name(path)
    )
}

/// Records the place chosen for a new workbook: `path` with the `.tessera` extension when it has none (GTK's
/// Save dialog does not add it), and whether something is there already. Writing there is allowed from now on;
/// replacing what is there is not, until [`confirmed_replace`] (the Save dialog only confirmed the name as typed,
/// so "name" does not confirm replacing "name.tessera").
pub fn chosen_save_path(state: &AppState, path: &Path) -> SaveTarget {
    let path = with_extension(path);
    state.allow(Purpose::Save, &path);
    // symlink_metadata: a dangling link is something there too, and writing would replace it.
    let replaces = std::fs::symlink_metadata(&path).is_ok();
    SaveTarget { path, replaces }
}

/// Records that the planner confirmed replacing the existing file at `path` with a new workbook; the consent
/// is spent once a new workbook is in its place.
pub fn confirmed_replace(state: &AppState, path: &Path) {
    state.allow(Purpose::Replace, path);
}

/// Stage reported while the new workbook is written (after the import's own stages).
pub const STAGE_WRITING: &str = "writing the workbook";
/// Stage reported while the new workbook is opened.
pub const STAGE_OPENING: &str = "opening the workbook";

/// The shares of the progress bar: the import's own stages (reading, adjacency), writing, opening. Measured
/// in a release build (`examples/create_workbook_timing.rs`): 42,789 ZIP points take ~50 ms to import,
/// ~150 ms to write and ~20 ms to open; 1,000,000 units ~2.0 s, ~9.0 s and ~0.7 s. Writing reports no
/// progress of its own (the window shows its part of the bar as busy).
const IMPORT_SHARE: f64 = 0.25;
const WRITING_SHARE: f64 = 0.7;

/// A report of [`create_workbook_with`] as the window shows it: the importer reports its own stages from 0
/// to 1, which fill the first quarter of the bar; writing and opening fill the rest.
pub fn overall(r: &ProgressReport) -> ProgressDto {
    let fraction = r.fraction.clamp(0.0, 1.0);
    let fraction = match r.stage.as_str() {
        STAGE_WRITING => IMPORT_SHARE + WRITING_SHARE * fraction,
        STAGE_OPENING => IMPORT_SHARE + WRITING_SHARE + (1.0 - IMPORT_SHARE - WRITING_SHARE) * fraction,
        _ => IMPORT_SHARE * fraction,
    };
    ProgressDto {
        fraction,
        ..ProgressDto::from(r)
    }
}

/// [`create_workbook`] without the thread or the channel, and never cancelled.
///
/// # Errors
/// As [`create_workbook_with`].
pub fn create_workbook_from(state: &AppState, request: &CreateWorkbookRequest) -> Result<WorkbookSummary, AppError> {
    create_workbook_with(state, request, &Progress::new())
}

/// Checks that every path was chosen, imports (reporting to `progress`), writes, opens. The summary it answers
/// carries the import's warnings (`import_warnings`), for the window to show.
///
/// The workbook is built in a hidden folder beside its final place and renamed into place only when it is
/// complete and `progress` was not cancelled, so a failed or cancelled import leaves no file behind and an
/// existing file at that place stays as it was. An existing file is replaced only when the planner confirmed
/// it ([`confirmed_replace`]), whatever name was typed.
///
/// # Errors
/// [`AppError::NotChosen`] for a path not chosen in a dialog; [`AppError::Import`] when the files are refused
/// or the import was cancelled (nothing is written then); [`AppError::Request`] when the target is the open
/// workbook, or exists and replacing it was not confirmed; [`AppError::Workbook`] when the file cannot be
/// written.
pub fn create_workbook_with(
    state: &AppState,
    request: &CreateWorkbookRequest,
    progress: &Progress,
) -> Result<WorkbookSummary, AppError> {
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
    if std::fs::symlink_metadata(&out).is_ok() && state.check(Purpose::Replace, &out).is_err() {
        return Err(AppError::Request(format!(
            "{} already exists and replacing it was not confirmed; choose Create workbook… again and confirm, or \
             choose another name.",
            out.display()
        )));
    }
    let started = Instant::now();
    let (dataset, text, warnings) = import_dataset_with_text(&import, progress)?;
    let imported_ms = started.elapsed().as_millis();
    // The measure the importer checked: the one asked for (as the header spells it), else the default.
    let balance = balanced_measure(&dataset.units, import.balance.as_deref()).map(str::to_string);
    report(progress, STAGE_WRITING, 0.0);
    stop_if_cancelled(progress, &request.units)?;
    // Built beside its place and published only once complete and not cancelled: a Cancel drops it, leaving
    // nothing, and an existing file is replaced only when the planner confirmed it (checked above).
    let replace = state.check(Purpose::Replace, &out).is_ok();
    // A Cancel during the write interrupts it as well (a million rows take seconds to write); it is reported as a
    // cancelled import, like a Cancel at any other stage, and leaves nothing behind.
    let stop = || progress.is_cancelled();
    let mut staged = Workbook::create_staged_cancellable(&out, &dataset, &stop).map_err(|e| match e {
        WorkbookError::Cancelled { .. } => AppError::from(ImportError::Cancelled {
            path: request.units.clone(),
        }),
        e => e.into(),
    })?;
    staged.workbook().set_balance_measure(balance.as_deref())?;
    // Names, states and codes, for the hover to name a unit by.
    let text: Vec<tessera_workbook::store::UnitText> = text.into_iter().map(Into::into).collect();
    staged.workbook().set_unit_text(&text)?;
    report(progress, STAGE_WRITING, 1.0);
    stop_if_cancelled(progress, &request.units)?;
    staged.publish(replace)?;
    // The confirmation covered the file that was there; the new workbook is another one, asked about anew.
    state.revoke(Purpose::Replace, &out);
    // The workbook is in place: from here on a Cancel has nothing to stop (`cancel_import` answers false).
    state.end_import();
    eprintln!(
        "tessera-app: created {} ({} units, {} warnings) in {} ms ({} ms importing)",
        out.display(),
        dataset.units.len(),
        warnings.len(),
        started.elapsed().as_millis(),
        imported_ms
    );
    for w in &warnings {
        eprintln!("tessera-app: import: {w}");
    }
    report(progress, STAGE_OPENING, 0.0);
    state.allow(Purpose::Workbook, &out);
    let summary = state.open_chosen(&out);
    report(progress, STAGE_OPENING, 1.0);
    // The planner sees the warnings in the window once the workbook opens; stderr keeps them for a log.
    summary.map(|s| WorkbookSummary {
        import_warnings: warnings.iter().map(ToString::to_string).collect(),
        ..s
    })
}

fn report(progress: &Progress, stage: &str, fraction: f64) {
    progress.report(ProgressReport {
        stage: stage.to_string(),
        fraction,
        best_max_dev: None,
        best_travel: None,
        best_noncontiguous: None,
    });
}

fn stop_if_cancelled(progress: &Progress, units: &Path) -> Result<(), AppError> {
    if progress.is_cancelled() {
        return Err(ImportError::Cancelled {
            path: units.to_path_buf(),
        }
        .into());
    }
    Ok(())
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
