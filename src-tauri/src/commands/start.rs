//! The start view's commands: what the app is (for About) and "Open the sample" when no workbook is open.

use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::dto::WorkbookSummary;
use crate::error::AppError;
use crate::launch::{self, Choice, Places};
use crate::scope::Purpose;
use crate::state::AppState;

/// What About shows of the app itself.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The product name ("Tessera").
    pub name: String,
    /// The app's version (the workspace's).
    pub version: String,
    /// The Tauri version it runs on.
    pub tauri_version: String,
}

/// The app's name and version, for About.
#[tauri::command(async)]
pub fn app_info<R: Runtime>(app: AppHandle<R>) -> AppInfo {
    let package = app.package_info();
    AppInfo {
        name: package.name.clone(),
        version: package.version.to_string(),
        tauri_version: tauri::VERSION.to_string(),
    }
}

/// Opens the planner's copy of the sample (`Tessera/sample.tessera` in their documents folder), making it from
/// the bundled sample first if it is not there, as the first run does. The bundled sample is only read.
///
/// # Errors
/// [`AppError::Request`] saying where the sample was looked for when it is missing, or why it could not be
/// copied; as `open_workbook` when the copy cannot be opened.
#[tauri::command(async)]
pub fn open_sample<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<WorkbookSummary, AppError> {
    let resources = app.path().resource_dir().ok();
    let exe = std::env::current_exe().ok();
    let cwd = std::env::current_dir().ok();
    let documents = launch::documents_folder();
    let places = Places {
        resources: resources.as_deref(),
        exe: exe.as_deref(),
        cwd: cwd.as_deref(),
        documents: documents.as_deref(),
        last: None,
    };
    open_sample_at(&state, places)
}

/// [`open_sample`] with the places given, so it is tested without a window.
///
/// # Errors
/// As [`open_sample`].
pub fn open_sample_at(state: &AppState, places: Places<'_>) -> Result<WorkbookSummary, AppError> {
    let copy = match launch::sample_choice(places) {
        Choice::Sample { bundled, copy } => {
            launch::ensure_sample_copy(&bundled, &copy).map_err(|e| {
                AppError::Request(format!("The sample workbook could not be copied for you to edit: {e}"))
            })?;
            copy
        }
        Choice::SampleMissing(searched) => return Err(AppError::Request(Choice::missing_message(&searched))),
        Choice::NoDocumentsFolder(bundled) => return Err(AppError::Request(Choice::no_documents_message(&bundled))),
        // `sample_choice` answers only the three above.
        other => return Err(AppError::Request(format!("No sample workbook to open: {other:?}"))),
    };
    // The planner asked for it by name: their own copy, in their documents folder.
    state.allow(Purpose::Workbook, &copy);
    state.open_chosen(&copy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn opening_the_sample_copies_it_once_and_opens_the_copy() {
        let dir = tempfile::tempdir().expect("temp dir");
        let resources = dir.path().join("lib/Tessera");
        let bundled = resources.join(launch::SAMPLE_WORKBOOK);
        std::fs::create_dir_all(bundled.parent().expect("parent")).expect("mkdir");
        std::fs::write(&bundled, b"not a workbook").expect("write");
        let documents = dir.path().join("Documents");
        let places = Places {
            resources: Some(&resources),
            documents: Some(&documents),
            ..Places::default()
        };
        let state = AppState::new();
        // The copy is made even though this "sample" is no workbook; opening it then fails, naming the copy.
        let err = open_sample_at(&state, places).expect_err("not a workbook");
        let copy = launch::sample_copy_path(&documents);
        assert!(err.to_string().contains("sample.tessera"), "{err}");
        assert_eq!(std::fs::read(&copy).expect("copy"), b"not a workbook");
        assert_eq!(std::fs::read(&bundled).expect("bundled"), b"not a workbook");
    }

    #[test]
    fn a_missing_sample_is_reported_with_where_it_was_looked_for() {
        let places = Places {
            resources: Some(Path::new("/nowhere/lib/Tessera")),
            documents: Some(Path::new("/nowhere/Documents")),
            ..Places::default()
        };
        let err = open_sample_at(&AppState::new(), places).expect_err("no sample");
        assert_eq!(err.kind(), "request");
        assert!(
            err.to_string()
                .contains("/nowhere/lib/Tessera/sample-data/us-counties.tessera"),
            "{err}"
        );
    }
}
