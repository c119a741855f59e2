//! Build script: generates Tauri's context (embedded UI, capabilities) and declares the app's commands.
//!
//! The window embeds the built UI from `../ui/dist` (`npm --prefix ui run build`). When it has not been built
//! yet, the crate still compiles — so `cargo clippy --workspace` works for engineers who never touch the UI —
//! but embeds `fallback/index.html`, a page that says how to build the UI, and cargo prints a warning.

use std::path::Path;

/// Commands the UI may invoke; each gets an `allow-<name>` permission that `capabilities/default.json` grants.
const COMMANDS: &[&str] = &[
    "open_workbook",
    "current_workbook",
    "units_geojson",
    "current_alignment",
    "unit_text",
    "list_scenarios",
    "open_scenario",
    "reassign_units",
    "undo_edit",
    "redo_edit",
    "set_locks",
    "optimize",
    "cancel_optimize",
    "delete_scenario",
    "explore",
    "save_front_plan",
    "choose_workbook",
    "choose_import_file",
    "choose_save_path",
    "create_workbook",
    "cancel_import",
    "recent_workbooks",
    "forget_recent",
    "compare_scenarios",
    "choose_export_path",
    "export_scenario_file",
    "duplicate_scenario",
    "rename_scenario",
    "set_scenario_note",
    "remove_scenario",
    "restore_scenario",
    "choose_scenario_file",
    "new_scenario_from_file",
    "app_info",
    "open_sample",
    // Overlay teams (issue 14).
    "list_teams",
    "select_team",
    "team_outlines",
    "team_choices",
    "add_team",
    "rename_team",
    "delete_team",
];

fn main() {
    // Rebuild when the UI output changes, so the embedded assets are never stale.
    println!("cargo:rerun-if-changed=../ui/dist");
    println!("cargo:rerun-if-changed=fallback");
    if !Path::new("../ui/dist/index.html").exists() {
        println!(
            "cargo:warning=ui/dist is missing: embedding the fallback page. \
             Run `npm --prefix ui ci && npm --prefix ui run build` first."
        );
        let patch = r#"{"build":{"frontendDist":"fallback"}}"#;
        // tauri-build reads TAURI_CONFIG from this process; `generate_context!` reads it from rustc's env.
        std::env::set_var("TAURI_CONFIG", patch);
        println!("cargo:rustc-env=TAURI_CONFIG={patch}");
    }
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri-build failed");
}
