//! Tessera's desktop window: a Tauri app whose commands are thin wrappers over `tessera-workbook` (and, later,
//! `tessera-optimizer`). The UI it embeds is `ui/` (built to `ui/dist`).
#![deny(missing_docs)]

pub mod commands;
pub mod dto;
pub mod error;
pub mod explore;
pub mod launch;
pub mod optimize;
pub mod recent;
pub mod scope;
pub mod session;
pub mod state;

pub use error::AppError;
pub use state::AppState;

use launch::Choice;
use scope::Purpose;
use tauri::Manager;

/// Opens the start-up workbook (see [`launch`]) and runs the window until it is closed, then closes the
/// workbook.
///
/// Exits with status 1 and a message pointing to the `tessera` CLI when there is no display to open a
/// window on.
pub fn run() {
    if let Some(message) = no_display_message() {
        eprintln!("{message}");
        std::process::exit(1);
    }
    let context = tauri::generate_context!();
    let state = AppState::new();
    open_startup_workbook(&state, &context);
    let result = tauri::Builder::default()
        // Native dialogs for the app's own commands; the window is granted none of the plugin's commands.
        .plugin(tauri_plugin_dialog::init())
        // The window opens at the size and place it had when the app last closed (kept in the config folder).
        // Its visibility is not restored: a window saved hidden must never start hidden.
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(window_state_flags())
                .build(),
        )
        .manage(state)
        .setup(|app| {
            // Ctrl+C, SIGTERM (`kill`, a logout) and SIGHUP quit like closing the window, so the workbook is
            // closed on the way out (see the `RunEvent::Exit` arm below).
            let handle = app.handle().clone();
            if let Err(e) = ctrlc::set_handler(move || handle.exit(0)) {
                eprintln!("tessera-app: signals will end the app without closing the workbook: {e}");
            }
            // The recent workbooks live in the app's config folder (~/.config/<identifier> on Linux).
            match app.path().app_config_dir() {
                Ok(dir) => app.state::<AppState>().use_recent_file(dir.join(recent::RECENT_FILE)),
                Err(e) => eprintln!("tessera-app: no config folder for the recent workbooks: {e}"),
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::workbook::current_workbook,
            commands::workbook::open_workbook,
            commands::workbook::units_geojson,
            commands::workbook::current_alignment,
            commands::workbook::unit_text,
            commands::editing::list_scenarios,
            commands::editing::open_scenario,
            commands::editing::reassign_units,
            commands::editing::undo_edit,
            commands::editing::redo_edit,
            commands::editing::set_locks,
            commands::optimize::optimize,
            commands::optimize::cancel_optimize,
            commands::optimize::delete_scenario,
            commands::explore::explore,
            commands::explore::save_front_plan,
            commands::explore::save_growing_plan,
            commands::files::choose_workbook,
            commands::files::choose_import_file,
            commands::files::choose_save_path,
            commands::files::create_workbook,
            commands::files::cancel_import,
            commands::files::recent_workbooks,
            commands::files::forget_recent,
            commands::compare::compare_scenarios,
            commands::export::choose_export_path,
            commands::export::export_scenario_file,
            commands::scenarios::duplicate_scenario,
            commands::scenarios::rename_scenario,
            commands::scenarios::set_scenario_note,
            commands::scenarios::remove_scenario,
            commands::scenarios::restore_scenario,
            commands::scenarios::choose_scenario_file,
            commands::scenarios::new_scenario_from_file,
            commands::start::app_info,
            commands::start::open_sample,
            // Overlay teams (issue 14).
            commands::teams::list_teams,
            commands::teams::select_team,
            commands::teams::team_outlines,
            commands::teams::team_choices,
            commands::teams::add_team,
            commands::teams::rename_team,
            commands::teams::delete_team,
        ])
        .build(context);
    match result {
        Ok(app) => app.run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // Closing the workbook on the way out checkpoints an editing session's WAL back into the one
                // file and removes the owner lock beside it; `run` ends the process without dropping state.
                app.state::<AppState>().close();
            }
        }),
        Err(e) => {
            eprintln!("tessera-app: the window could not start: {e}");
            std::process::exit(1);
        }
    }
}

/// What the window remembers between runs: its size, place and whether it was maximized.
fn window_state_flags() -> tauri_plugin_window_state::StateFlags {
    use tauri_plugin_window_state::StateFlags;
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
}

/// Opens the workbook [`launch::choose`] picks; a failure is kept in `state` for the window to show.
fn open_startup_workbook(state: &AppState, context: &tauri::Context) {
    let exe = std::env::current_exe().ok();
    let cwd = std::env::current_dir().ok();
    let documents = launch::documents_folder();
    // Where an installed app's resources are (the .deb's /usr/lib/Tessera); the same rule Tauri's
    // `path().resource_dir()` follows once the app runs, computed here because the workbook opens first.
    let resources = tauri::utils::platform::resource_dir(context.package_info(), &tauri::Env::default()).ok();
    // The recent workbooks' file, where `setup` below will keep them (`app_config_dir` is the platform's config
    // folder joined with the identifier); its newest entry is the workbook open when the app last ran.
    let last = dirs::config_dir()
        .map(|dir| recent::RecentList::load(&dir.join(&context.config().identifier).join(recent::RECENT_FILE)))
        .and_then(|list| list.paths().first().cloned());
    let places = launch::Places {
        resources: resources.as_deref(),
        exe: exe.as_deref(),
        cwd: cwd.as_deref(),
        documents: documents.as_deref(),
        last: last.as_deref(),
    };
    let choice = launch::choose(
        std::env::args_os().skip(1),
        std::env::var_os(launch::WORKBOOK_ENV),
        places,
    );
    let fail = |message: String| {
        eprintln!("tessera-app: {message}");
        state.set_startup_error(message);
    };
    let (path, origin) = match choice {
        Choice::Open(path, origin) => (path, format!("{origin:?}")),
        Choice::Sample { bundled, copy } => match launch::ensure_sample_copy(&bundled, &copy) {
            Ok(made) => {
                let how = if made { "copied now from" } else { "the copy of" };
                let origin = format!("sample: {how} {}", bundled.display());
                (copy, origin)
            }
            Err(e) => return fail(format!("The sample workbook could not be copied for you to edit: {e}")),
        },
        Choice::SampleMissing(searched) => return fail(Choice::missing_message(&searched)),
        Choice::NoDocumentsFolder(bundled) => return fail(Choice::no_documents_message(&bundled)),
        Choice::LastWorkbookGone(path) => return fail(Choice::last_gone_message(&path)),
    };
    let started = std::time::Instant::now();
    // What start-up names (argument, variable, the sample's copy) the planner chose by starting Tessera so.
    state.allow(Purpose::Workbook, &path);
    match state.open_chosen(&path) {
        Ok(summary) => eprintln!(
            "tessera-app: opened {} ({origin}): {} units in {} ms",
            path.display(),
            summary.unit_count,
            started.elapsed().as_millis()
        ),
        Err(e) => fail(e.to_string()),
    }
}

/// On Linux/BSD, a window needs an X11 or Wayland display; say so (and point to the CLI) instead of letting GTK
/// fail with a less helpful message.
fn no_display_message() -> Option<String> {
    if !cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    )) {
        return None;
    }
    let has = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    if has("DISPLAY") || has("WAYLAND_DISPLAY") {
        return None;
    }
    Some(
        "tessera-app: no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot open.\n\
         Use the command line instead: `tessera --help` (cargo run -p tessera-cli -- --help), \
         or run the app under a virtual display: Xvfb :99 & DISPLAY=:99 tessera-app"
            .to_string(),
    )
}
