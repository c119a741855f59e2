//! Export… from the scenario list and the compare view (issue 13): the native Save dialog, then the workbook's
//! [`export_scenario`], the same code `tessera export` runs, so the app and the CLI write the same files.
//!
//! Like the other dialogs, [`choose_export_path`] is a thin layer over a plain function ([`chosen_export_path`])
//! the tests call with real paths. A file is replaced only when the planner confirmed it: the native Save dialog
//! asks for the name as typed (GTK's overwrite confirmation, which the dialog plugin turns on); when Tessera adds
//! the extension the name becomes another file, and Tessera asks itself. [`export_scenario_to`] refuses any path
//! not chosen so, and an existing file whose replacing was not confirmed, naming the file and the rule.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tessera_workbook::export::{export_scenario, Destination, ExportFormat, ExportOptions, ScenarioExportError};

use crate::commands::compare::QuotaRequest;
use crate::commands::files::{ask_to_replace, replace_question};
use crate::error::AppError;
use crate::scope::{canonical, Purpose};
use crate::state::AppState;

/// Where an export goes, as chosen in the Save dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChosenExport {
    /// The file to write.
    pub path: String,
    /// Its name alone, for messages.
    pub file_name: String,
    /// The format the file's extension picks (the one asked for when the name had no known extension).
    pub format: String,
}

/// What the window asks to export.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    /// The scenario.
    pub scenario: String,
    /// The file, as [`choose_export_path`] answered it.
    pub path: PathBuf,
    /// The format (from [`ChosenExport::format`]).
    pub format: String,
    /// Down to accounts (CSV, XLSX; the workbook must have accounts).
    #[serde(default)]
    pub accounts: bool,
    /// The scenario moves are counted against (default: "current", as `tessera export`).
    #[serde(default)]
    pub baseline: Option<String>,
    /// Quotas, as the compare view asks for them.
    #[serde(default)]
    pub quota: Option<QuotaRequest>,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportDone {
    /// The file written.
    pub path: String,
    /// Its name alone.
    pub file_name: String,
    /// The scenario.
    pub scenario: String,
    /// What the file holds (the format's label).
    pub label: String,
    /// The baseline moves were counted against, when there was one.
    pub baseline: Option<String>,
    /// The file's size in bytes.
    pub bytes: u64,
    /// How long the export took, in milliseconds.
    pub millis: u64,
}

/// Shows the Save dialog for an export of `scenario` as `format` (suggesting `<scenario>.<extension>`, every
/// format as a filter, the asked one first); `null` when the planner cancels or declines replacing a file.
#[tauri::command]
pub async fn choose_export_path(
    scenario: String,
    format: String,
    app: AppHandle,
) -> Result<Option<ChosenExport>, AppError> {
    let asked = format_named(&format)?;
    let mut dialog = app
        .dialog()
        .file()
        .set_title(format!("Export scenario “{scenario}”"))
        .set_file_name(suggested_name(&scenario, asked))
        .add_filter(asked.label(), &[asked.extension()]);
    for f in ExportFormat::ALL {
        if f.extension() != asked.extension() && f != ExportFormat::UnitsGeojson {
            dialog = dialog.add_filter(f.label(), &[f.extension()]);
        }
    }
    let Some(picked) = dialog.blocking_save_file() else {
        return Ok(None);
    };
    let picked = picked
        .into_path()
        .map_err(|e| AppError::Request(format!("The chosen file is not a local file: {e}")))?;
    let state = app.state::<AppState>();
    let target = chosen_export_path(&state, &picked, asked);
    if target.replaces && !target.confirmed {
        if !ask_to_replace(&app, target.replace_question()) {
            return Ok(None);
        }
        state.allow(Purpose::Replace, &target.path);
    }
    Ok(Some(ChosenExport {
        path: target.path.display().to_string(),
        file_name: file_name(&target.path),
        format: target.format.name().to_string(),
    }))
}

/// Exports a scenario of the open workbook to the file chosen in [`choose_export_path`]; see
/// [`export_scenario_to`].
#[tauri::command(async)]
pub fn export_scenario_file(request: ExportRequest, state: State<'_, AppState>) -> Result<ExportDone, AppError> {
    export_scenario_to(&state, &request)
}

/// Where an export goes, as Tessera decided it from the Save dialog's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportTarget {
    /// The file to write: the name chosen, with the asked format's extension when its own names no format.
    pub path: PathBuf,
    /// The format its extension picks.
    pub format: ExportFormat,
    /// Whether something is at `path` already.
    pub replaces: bool,
    /// Whether replacing it is confirmed already: the dialog asked about this very name.
    pub confirmed: bool,
}

impl ExportTarget {
    /// The confirmation question, naming the file and its folder.
    pub fn replace_question(&self) -> String {
        replace_question(&self.path, "the export")
    }
}

/// Records the file the planner chose in the Save dialog for an export asked as `asked`: the extension picks
/// the format (as `tessera export` does; `.geojson` stays the units' GeoJSON when that was asked), and a name
/// without a known extension gets the asked one. Writing there is allowed from now on. An existing file at the
/// name as chosen was confirmed by the dialog, so replacing it is allowed too; a file at a name Tessera changed
/// is not, until the planner confirms ([`ExportTarget::confirmed`] false).
pub fn chosen_export_path(state: &AppState, chosen: &Path, asked: ExportFormat) -> ExportTarget {
    let (path, format) = match ExportFormat::from_path(chosen) {
        Some(ExportFormat::Geojson) if asked == ExportFormat::UnitsGeojson => (chosen.to_path_buf(), asked),
        Some(f) => (chosen.to_path_buf(), f),
        None => {
            let mut name = chosen.as_os_str().to_owned();
            name.push(".");
            name.push(asked.extension());
            (PathBuf::from(name), asked)
        }
    };
    state.allow(Purpose::Export, &path);
    // symlink_metadata: a dangling link is something there too, and writing would replace it.
    let replaces = std::fs::symlink_metadata(&path).is_ok();
    let confirmed = replaces && path == chosen;
    if confirmed {
        state.allow(Purpose::Replace, &path);
    }
    ExportTarget {
        path,
        format,
        replaces,
        confirmed,
    }
}

/// Checks that `request.path` was chosen for an export (and, when a file is there, that replacing it was
/// confirmed; never the open workbook), then writes the export with the workbook's [`export_scenario`]. The
/// consent to replace is spent once the file is written.
///
/// # Errors
/// [`AppError::NotChosen`] for a path not chosen in the Export dialog; [`AppError::Request`] for an existing
/// file whose replacing was not confirmed, the open workbook, an unknown format, or a request the workbook
/// cannot meet (no accounts, a quota measure missing...); [`AppError::Workbook`] when it cannot be read.
pub fn export_scenario_to(state: &AppState, request: &ExportRequest) -> Result<ExportDone, AppError> {
    let path = state.check(Purpose::Export, &request.path)?;
    let format = format_named(&request.format)?;
    if state.open_path().is_some_and(|open| canonical(&open) == path) {
        return Err(AppError::Request(format!(
            "{} is the workbook open now; an export never replaces it. Choose another name.",
            path.display()
        )));
    }
    if std::fs::symlink_metadata(&path).is_ok() && state.check(Purpose::Replace, &path).is_err() {
        return Err(AppError::Request(format!(
            "{} already exists and replacing it was not confirmed; choose Export… again and confirm, or choose \
             another name.",
            path.display()
        )));
    }
    let options = ExportOptions {
        baseline: request.baseline.clone(),
        quota: request.quota.as_ref().map(QuotaRequest::params),
        accounts: request.accounts,
        ..ExportOptions::new(request.scenario.clone(), format)
    };
    let started = Instant::now();
    let exported = state.with_workbook(|wb| {
        export_scenario(&wb.workbook, &options, Destination::File(&path)).map_err(|e| match e {
            ScenarioExportError::Workbook(e) => AppError::Workbook(e),
            e @ ScenarioExportError::Write { .. } => AppError::Request(e.to_string()),
            // The workbook's wording names no file: the planner reads which export it was about.
            e => AppError::Request(format!("{}: {e}", path.display())),
        })
    })?;
    state.revoke(Purpose::Replace, &path);
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Ok(ExportDone {
        path: path.display().to_string(),
        file_name: file_name(&path),
        scenario: exported.scenario,
        label: format.label().to_string(),
        baseline: exported.baseline,
        bytes,
        millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}

/// The file name the Save dialog suggests: the scenario's name (characters no file system takes replaced by
/// "-") with the format's extension.
pub fn suggested_name(scenario: &str, format: ExportFormat) -> String {
    let mut stem: String = scenario
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => '-',
            c => c,
        })
        .collect();
    // A leading dot would hide the file; an empty name is no name.
    stem = stem.trim_start_matches('.').to_string();
    if stem.is_empty() {
        stem = "scenario".into();
    }
    if format == ExportFormat::UnitsGeojson {
        stem.push_str(" units");
    }
    format!("{stem}.{}", format.extension())
}

fn format_named(name: &str) -> Result<ExportFormat, AppError> {
    ExportFormat::from_name(name).ok_or_else(|| {
        AppError::Request(format!(
            "Unknown export format {name:?}; Tessera exports {}.",
            ExportFormat::ALL.map(ExportFormat::name).join(", ")
        ))
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}
