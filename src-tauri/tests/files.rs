//! Files through Tessera's dialogs, with real files in a temporary folder: the scope check of `open_workbook`,
//! the units preview, creating a workbook by import (and refusing one whole), the balance measure kept in the
//! workbook, and the recent workbooks. The native dialogs themselves are not driven; the functions they hand
//! the chosen path to are.

use std::path::{Path, PathBuf};

use std::sync::{Arc, Mutex};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::Manager;
use tessera_app::commands::editing::open_scenario;

use tauri::ipc::{Channel, InvokeResponseBody};
use tessera_app::commands::files::{
    cancel_import, chosen_import, chosen_save_path, confirmed_replace, create_workbook, create_workbook_from,
    create_workbook_with, forget_recent, overall, SaveTarget, STAGE_OPENING, STAGE_WRITING,
};
use tessera_app::commands::workbook::open_workbook;
use tessera_app::dto::{CreateWorkbookRequest, ImportKind};
use tessera_app::scope::Purpose;
use tessera_app::{AppError, AppState};
use tessera_optimizer::progress::ProgressReport;
use tessera_optimizer::Progress;
use tessera_workbook::import::ColumnRole;
use tessera_workbook::Workbook;

fn mock_app() -> tauri::App<MockRuntime> {
    mock_builder()
        .manage(AppState::new())
        .build(mock_context(noop_assets()))
        .expect("mock app")
}

/// Six counties in two rows of three (points only), with two measures and a name.
const UNITS: &str = "id,name,lon,lat,workload,potential\n\
    01001,Autauga,-86.6,32.5,30,5\n\
    01003,Baldwin,-87.7,30.7,90,1\n\
    01005,Barbour,-85.4,31.9,20,8\n\
    01007,Bibb,-87.1,33.0,20,2\n\
    01009,Blount,-86.6,34.0,50,7\n\
    01011,Bullock,-85.7,32.1,10,9\n";

const REPS: &str = "id,name,lon,lat\nR1,North,-86.7,33.5\nR2,South,-86.9,31.0\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

fn request(units: &Path, out: &Path) -> CreateWorkbookRequest {
    CreateWorkbookRequest {
        units: units.to_path_buf(),
        polygons: None,
        reps: None,
        adjacency: None,
        balance: None,
        out: out.to_path_buf(),
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn open_workbook_refuses_a_path_the_planner_did_not_choose() {
    let dir = tempfile::tempdir().expect("temp dir");
    let units = write(dir.path(), "u.csv", UNITS);
    let app = mock_app();
    let state = app.state::<AppState>();
    let out = chosen_save_path(&state, &dir.path().join("made")).path;
    chosen_import(&state, ImportKind::Units, &units).expect("preview");
    create_workbook_from(&state, &request(&units, &out)).expect("created");
    // The mock app keeps its state alive; closing releases the workbook as quitting does.
    state.close();

    // A second window run: nothing chosen yet, no recent list.
    let app = mock_app();
    let err = open_workbook(out.clone(), app.state()).expect_err("not chosen");
    assert!(matches!(err, AppError::NotChosen(_)), "{err}");
    let json = serde_json::to_value(&err).expect("serializes");
    assert_eq!(json["kind"], "not_chosen");
    assert!(
        json["message"]
            .as_str()
            .is_some_and(|m| m.contains("made.tessera cannot be opened as a workbook")),
        "{json}"
    );
    // Nor may the page name a file it was given for another purpose: a CSV chosen to import is no workbook
    // to open, and an import file is not a place to write.
    let state = app.state::<AppState>();
    chosen_import(&state, ImportKind::Units, &units).expect("chosen");
    assert!(matches!(
        open_workbook(units.clone(), app.state()),
        Err(AppError::NotChosen(_))
    ));
    let mut req = request(&units, &units);
    req.balance = Some("workload".into());
    assert!(matches!(
        create_workbook_from(&state, &req),
        Err(AppError::NotChosen(_))
    ));
    assert_eq!(
        std::fs::read_to_string(&units).expect("read"),
        UNITS,
        "the CSV is untouched"
    );

    // Chosen in the Open dialog: opens.
    state.allow(Purpose::Workbook, &out);
    assert_eq!(open_workbook(out, app.state()).expect("opens").unit_count, 6);
}

#[test]
fn a_recent_workbook_opens_in_a_later_run_and_the_list_is_kept_in_the_config_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config").join("recent-workbooks.json");
    let units = write(dir.path(), "u.csv", UNITS);
    let out = {
        let app = mock_app();
        let state = app.state::<AppState>();
        state.use_recent_file(config.clone());
        chosen_import(&state, ImportKind::Units, &units).expect("chosen");
        let out = chosen_save_path(&state, &dir.path().join("alabama.tessera")).path;
        create_workbook_from(&state, &request(&units, &out)).expect("created");
        let recent = state.recent_workbooks().expect("list");
        assert_eq!(recent.len(), 1);
        assert_eq!((recent[0].name.as_str(), recent[0].exists), ("alabama", true));
        state.close();
        out
    };
    let app = mock_app();
    let state = app.state::<AppState>();
    state.use_recent_file(config.clone());
    assert_eq!(state.recent_workbooks().expect("list")[0].name, "alabama");
    let summary = open_workbook(out.clone(), app.state()).expect("a recent workbook opens");
    assert_eq!(summary.name, "alabama");
    state.close();

    // A corrupt list file is an empty list, not a failure.
    std::fs::write(&config, "{ this is not json").expect("damage");
    let app = mock_app();
    let state = app.state::<AppState>();
    state.use_recent_file(config.clone());
    assert!(state.recent_workbooks().expect("list").is_empty());
    assert!(matches!(open_workbook(out, app.state()), Err(AppError::NotChosen(_))));
}

#[test]
fn the_units_preview_shows_roles_and_measures_and_a_bad_header_names_file_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let units = write(dir.path(), "u.csv", UNITS);
    let app = mock_app();
    let state = app.state::<AppState>();
    let chosen = chosen_import(&state, ImportKind::Units, &units).expect("preview");
    assert_eq!(chosen.name, "u.csv");
    let preview = chosen.preview.expect("units are previewed");
    let roles: Vec<ColumnRole> = preview.columns.iter().map(|c| c.role).collect();
    use ColumnRole::*;
    assert_eq!(roles, [Id, Name, Lon, Lat, Measure, Measure]);
    assert_eq!(preview.measures, ["workload", "potential"]);
    assert_eq!(preview.default_measure.as_deref(), Some("workload"));
    assert_eq!(preview.rows.len(), 6);
    assert_eq!(preview.rows[0][0], "01001");
    let json = serde_json::to_value(&preview).expect("serializes");
    assert_eq!(json["columns"][4]["role"], "measure");
    assert_eq!(json["defaultMeasure"], "workload");

    let bad = write(dir.path(), "bad.csv", "id,lon,lat,workload,LON\na,1,2,3,4\n");
    let err = chosen_import(&state, ImportKind::Units, &bad).expect_err("duplicate column");
    assert_eq!(err.kind(), "import");
    let message = err.to_string();
    assert!(
        message.contains("bad.csv line 1") && message.contains("\"lon\" twice (columns #2 and #5)"),
        "{message}"
    );
    // Other kinds are only recorded, not read.
    let polygons = chosen_import(&state, ImportKind::Polygons, &dir.path().join("p.geojson")).expect("chosen");
    assert!(polygons.preview.is_none());
}

#[test]
fn create_imports_keeps_the_chosen_measure_and_reopening_balances_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let units = write(dir.path(), "u.csv", UNITS);
    let reps = write(dir.path(), "reps.csv", REPS);
    let out = {
        let app = mock_app();
        let state = app.state::<AppState>();
        chosen_import(&state, ImportKind::Units, &units).expect("chosen");
        chosen_import(&state, ImportKind::Reps, &reps).expect("chosen");
        let out = chosen_save_path(&state, &dir.path().join("al")).path;
        assert_eq!(out.extension().and_then(|e| e.to_str()), Some("tessera"));
        let mut req = request(&units, &out);
        req.reps = Some(reps.clone());
        req.balance = Some("Potential".into()); // headers match case-insensitively; the file's spelling is kept
        let summary = create_workbook_from(&state, &req).expect("created");
        assert_eq!((summary.unit_count, summary.reps.len()), (6, 2));
        assert_eq!(summary.measures, ["workload", "potential"]);
        // It is the open workbook now.
        let view = open_scenario("current".into(), None, app.state());
        assert!(
            view.is_err(),
            "the units file had no territory column, so no scenario yet"
        );
        state.close();
        out
    };
    assert_eq!(
        Workbook::open_read_only(&out)
            .expect("reads")
            .balance_measure()
            .expect("setting")
            .as_deref(),
        Some("potential")
    );
    // A later run, once a scenario exists: the stored measure is balanced unless the window asks for another.
    {
        let mut wb = Workbook::open(&out).expect("open");
        let plan = tessera_optimizer::Plan::new(vec![0, 1, 0, 0, 0, 1], vec!["N".into(), "S".into()]);
        wb.save_scenario(&tessera_workbook::Scenario::new("two", plan))
            .expect("scenario");
    }
    let app = mock_app();
    app.state::<AppState>().allow(Purpose::Workbook, &out);
    open_workbook(out.clone(), app.state()).expect("opens");
    let view = open_scenario("two".into(), None, app.state()).expect("opens the scenario");
    assert_eq!(view.figures.measure.as_deref(), Some("potential"));
    let view = open_scenario("two".into(), Some("workload".into()), app.state()).expect("asked for");
    assert_eq!(view.figures.measure.as_deref(), Some("workload"));
}

#[test]
fn create_answers_the_import_warnings_naming_the_file_and_opening_it_later_has_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Territories named "N" and "S" while the reps are R1 and R2; and a unit in Hawaii, thousands of km from
    // the others, whose Delaunay links are dropped.
    let units = write(
        dir.path(),
        "u.csv",
        "id,lon,lat,workload,territory\n\
         01001,-86.6,32.5,30,N\n\
         01003,-87.7,30.7,90,S\n\
         01005,-85.4,31.9,20,S\n\
         01007,-87.1,33.0,20,N\n\
         15001,-155.5,19.6,10,S\n",
    );
    let reps = write(dir.path(), "reps.csv", REPS);
    let app = mock_app();
    let state = app.state::<AppState>();
    chosen_import(&state, ImportKind::Units, &units).expect("chosen");
    chosen_import(&state, ImportKind::Reps, &reps).expect("chosen");
    let out = chosen_save_path(&state, &dir.path().join("notes")).path;
    let mut req = request(&units, &out);
    req.reps = Some(reps.clone());
    let summary = create_workbook_from(&state, &req).expect("created despite the warnings");
    assert_eq!(summary.unit_count, 5);
    let orphans = summary
        .import_warnings
        .iter()
        .find(|w| w.contains("match no rep id"))
        .unwrap_or_else(|| panic!("the territory warning, in {:?}", summary.import_warnings));
    assert!(
        orphans.starts_with(&units.display().to_string()),
        "names the file: {orphans}"
    );
    assert!(orphans.contains("2 of the 2 territories"), "{orphans}");
    assert!(
        summary
            .import_warnings
            .iter()
            .any(|w| w.contains("dropped from the Delaunay adjacency")),
        "the long links: {:?}",
        summary.import_warnings
    );
    // The window gets them as `importWarnings`; an open of the same workbook has nothing to report.
    let json = serde_json::to_value(&summary).expect("serialises");
    assert_eq!(
        json["importWarnings"].as_array().map(Vec::len),
        Some(summary.import_warnings.len())
    );
    state.close();
    let reopened = open_workbook(out, app.state()).expect("opens");
    assert!(reopened.import_warnings.is_empty());
    assert!(serde_json::to_value(&reopened)
        .expect("serialises")
        .get("importWarnings")
        .is_none());
}

#[test]
fn a_refused_import_names_file_line_and_column_and_leaves_no_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let units = write(
        dir.path(),
        "u.csv",
        "id,lon,lat,workload\na,-86.6,32.5,30\nb,-87.7,30.7,lots\nc,-85.4,31.9,20\n",
    );
    let app = mock_app();
    let state = app.state::<AppState>();
    chosen_import(&state, ImportKind::Units, &units).expect("the header is fine");
    let out = chosen_save_path(&state, &dir.path().join("never.tessera")).path;
    let before = files_in(dir.path());
    let err = create_workbook_from(&state, &request(&units, &out)).expect_err("refused");
    assert_eq!(err.kind(), "import");
    assert_eq!(
        err.to_string(),
        format!(
            "{} line 3, column \"workload\" (#4): \"lots\" is not a number",
            units.display()
        )
    );
    assert_eq!(
        files_in(dir.path()),
        before,
        "nothing written, not even a temporary file"
    );
    assert!(state.current_summary().expect("state").is_none(), "nothing opened");
}

#[test]
fn the_open_workbook_cannot_be_the_target_of_a_new_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let units = write(dir.path(), "u.csv", UNITS);
    let app = mock_app();
    let state = app.state::<AppState>();
    chosen_import(&state, ImportKind::Units, &units).expect("chosen");
    let out = chosen_save_path(&state, &dir.path().join("a.tessera")).path;
    create_workbook_from(&state, &request(&units, &out)).expect("created and opened");
    let err = create_workbook_from(&state, &request(&units, &out)).expect_err("it is open");
    assert!(err.to_string().contains("is the workbook open now"), "{err}");
    assert_eq!(state.current_summary().expect("state").map(|s| s.unit_count), Some(6));
}

/// Every report seen: its stage and fraction.
type Seen = Arc<Mutex<Vec<(String, f64)>>>;

/// A progress handle that records every report and cancels itself at the first report `stop_at` accepts.
fn cancelling_at(stop_at: impl Fn(&ProgressReport) -> bool + Send + Sync + 'static) -> (Progress, Seen) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let slot: Arc<Mutex<Option<Progress>>> = Arc::new(Mutex::new(None));
    let (sink, handle) = (seen.clone(), slot.clone());
    let progress = Progress::with_listener(move |r| {
        sink.lock().expect("seen").push((r.stage.clone(), r.fraction));
        if stop_at(r) {
            if let Some(p) = handle.lock().expect("slot").as_ref() {
                p.cancel();
            }
        }
    });
    *slot.lock().expect("slot") = Some(progress.clone());
    (progress, seen)
}

#[test]
fn cancelling_an_import_mid_way_or_while_it_writes_leaves_no_file_and_keeps_the_one_it_would_replace() {
    let dir = tempfile::tempdir().expect("temp dir");
    let units = write(dir.path(), "u.csv", UNITS);
    let app = mock_app();
    let state = app.state::<AppState>();
    chosen_import(&state, ImportKind::Units, &units).expect("chosen");
    let out = chosen_save_path(&state, &dir.path().join("new.tessera")).path;
    let before = files_in(dir.path());

    // Mid-way: once the units are read, while adjacency is derived.
    let (progress, seen) = cancelling_at(|r| r.stage == "deriving adjacency");
    let err = create_workbook_with(&state, &request(&units, &out), &progress).expect_err("cancelled");
    assert_eq!(err.kind(), "cancelled", "{err}");
    assert!(err.to_string().ends_with("the import was cancelled"), "{err}");
    assert_eq!(files_in(dir.path()), before, "no workbook, no temporary file");
    let stages: Vec<String> = seen.lock().expect("seen").iter().map(|s| s.0.clone()).collect();
    assert!(
        !stages.iter().any(|s| s == STAGE_WRITING),
        "stopped before writing: {stages:?}"
    );

    // Late: the workbook is complete in its staging folder when the cancel comes; it is not published.
    let (progress, seen) = cancelling_at(|r| r.stage == STAGE_WRITING && r.fraction >= 1.0);
    let err = create_workbook_with(&state, &request(&units, &out), &progress).expect_err("cancelled");
    assert_eq!(err.kind(), "cancelled", "{err}");
    assert_eq!(
        files_in(dir.path()),
        before,
        "the staged workbook and its folder are gone"
    );
    assert!(seen.lock().expect("seen").iter().any(|s| s.0 == STAGE_WRITING));
    assert!(state.current_summary().expect("state").is_none(), "nothing opened");

    // Replacing a file (the planner confirmed it): a cancelled import leaves it as it was.
    std::fs::write(&out, b"the planner's old file").expect("write");
    confirmed_replace(&state, &out);
    let (progress, _) = cancelling_at(|r| r.stage == STAGE_WRITING && r.fraction >= 1.0);
    create_workbook_with(&state, &request(&units, &out), &progress).expect_err("cancelled");
    assert_eq!(std::fs::read(&out).expect("still there"), b"the planner's old file");

    // Not cancelled: the same request creates it, and the bar rises to the end through every stage.
    let (progress, seen) = cancelling_at(|_| false);
    create_workbook_with(&state, &request(&units, &out), &progress).expect("created");
    let seen = seen.lock().expect("seen").clone();
    let bar: Vec<f64> = seen
        .iter()
        .map(|(stage, fraction)| {
            overall(&ProgressReport {
                stage: stage.clone(),
                fraction: *fraction,
                best_max_dev: None,
                best_travel: None,
                best_noncontiguous: None,
            })
            .fraction
        })
        .collect();
    assert!(bar.windows(2).all(|w| w[0] <= w[1]), "{seen:?} -> {bar:?}");
    assert_eq!(bar.last().copied(), Some(1.0));
    for stage in ["reading units", "deriving adjacency", STAGE_WRITING, STAGE_OPENING] {
        assert!(seen.iter().any(|s| s.0 == stage), "{stage} missing from {seen:?}");
    }
    state.close(); // releases the owner lock (its sidecar file goes with it)
    assert_eq!(
        files_in(dir.path()),
        ["new.tessera", "u.csv"],
        "the workbook, and no leftovers"
    );
}

#[test]
fn the_create_command_streams_progress_and_cancel_import_stops_it_while_the_units_are_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Big enough that the units reader reports (every 65,536 rows) and checks for a cancel more than once.
    let mut text = String::from("id,lon,lat,workload\n");
    for i in 0..140_000u32 {
        let (x, y) = (f64::from(i % 400) * 0.01, f64::from(i / 400) * 0.01);
        text.push_str(&format!("u{i},{:.2},{:.2},1\n", -100.0 + x, 35.0 + y));
    }
    let units = write(dir.path(), "big.csv", &text);
    let app = mock_app();
    let state = app.state::<AppState>();
    chosen_import(&state, ImportKind::Units, &units).expect("chosen");
    let out = chosen_save_path(&state, &dir.path().join("big.tessera")).path;
    let before = files_in(dir.path());
    assert!(!cancel_import(app.state()), "nothing to cancel yet");

    let messages = Arc::new(Mutex::new(Vec::<serde_json::Value>::new()));
    let (sink, handle) = (messages.clone(), app.handle().clone());
    let channel = Channel::new(move |body| {
        let InvokeResponseBody::Json(json) = body else {
            panic!("progress is sent as JSON");
        };
        sink.lock()
            .expect("messages")
            .push(serde_json::from_str(&json).expect("json"));
        // The planner presses Cancel as soon as the bar first moves.
        assert!(cancel_import(handle.state()), "an import is running");
        Ok(())
    });
    let result = tauri::async_runtime::block_on(create_workbook(request(&units, &out), channel, app.handle().clone()));
    let err = result.expect_err("cancelled");
    assert_eq!(err.kind(), "cancelled", "{err}");
    assert_eq!(files_in(dir.path()), before, "no workbook, no temporary file");
    let messages = messages.lock().expect("messages").clone();
    let first = messages.first().expect("progress was sent");
    assert_eq!(first["stage"], "reading units");
    let fraction = first["fraction"].as_f64().expect("fraction");
    assert!(fraction > 0.0 && fraction < 0.25, "{first}");
    assert!(
        messages.iter().all(|m| m["stage"] == "reading units"),
        "stopped while reading the units: {messages:?}"
    );
    assert!(!cancel_import(app.state()), "the import is over");
    assert!(state.current_summary().expect("state").is_none(), "nothing opened");
}

#[test]
fn a_missing_recent_workbook_can_be_forgotten_in_this_run_and_the_next() {
    let dir = tempfile::tempdir().expect("temp dir");
    let units = write(dir.path(), "u.csv", UNITS);
    let app = mock_app();
    let state = app.state::<AppState>();
    state.use_recent_file(dir.path().join("config").join("recent.json"));
    chosen_import(&state, ImportKind::Units, &units).expect("chosen");
    let kept = chosen_save_path(&state, &dir.path().join("kept.tessera")).path;
    create_workbook_from(&state, &request(&units, &kept)).expect("created");
    let gone = chosen_save_path(&state, &dir.path().join("gone.tessera")).path;
    create_workbook_from(&state, &request(&units, &gone)).expect("created");
    state.close();
    std::fs::remove_file(&gone).expect("the planner deletes it");

    let entries = state.recent_workbooks().expect("list");
    assert_eq!(
        entries.iter().map(|e| (e.name.as_str(), e.exists)).collect::<Vec<_>>(),
        [("gone", false), ("kept", true)]
    );
    let left = forget_recent(PathBuf::from(&entries[0].path), app.state()).expect("forgotten");
    assert_eq!(left.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["kept"]);
    // Kept in the file too: a later run lists only the other one.
    let later = mock_app();
    later
        .state::<AppState>()
        .use_recent_file(dir.path().join("config").join("recent.json"));
    let names: Vec<String> = later
        .state::<AppState>()
        .recent_workbooks()
        .expect("list")
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["kept"]);
}

#[test]
fn once_the_workbook_is_in_place_cancel_has_nothing_to_stop_and_it_opens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let units = write(dir.path(), "u.csv", UNITS);
    let app = mock_app();
    let state = app.state::<AppState>();
    chosen_import(&state, ImportKind::Units, &units).expect("chosen");
    let out = chosen_save_path(&state, &dir.path().join("late.tessera")).path;
    let answers = Arc::new(Mutex::new(Vec::<(String, bool)>::new()));
    let (sink, handle) = (answers.clone(), app.handle().clone());
    let channel = Channel::new(move |body| {
        let InvokeResponseBody::Json(json) = body else {
            panic!("progress is sent as JSON");
        };
        let report: serde_json::Value = serde_json::from_str(&json).expect("json");
        if report["stage"] == STAGE_OPENING {
            let stage = report["stage"].as_str().unwrap_or_default().to_string();
            sink.lock()
                .expect("answers")
                .push((stage, cancel_import(handle.state())));
        }
        Ok(())
    });
    let summary = tauri::async_runtime::block_on(create_workbook(request(&units, &out), channel, app.handle().clone()))
        .expect("created and opened despite the late Cancel");
    assert_eq!(summary.unit_count, 6);
    let answers = answers.lock().expect("answers").clone();
    assert!(!answers.is_empty(), "the opening stage was reported");
    assert!(answers.iter().all(|(_, running)| !running), "{answers:?}");
}

#[test]
fn an_existing_file_is_replaced_only_after_a_confirmation_whatever_extension_was_typed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let units = write(dir.path(), "u.csv", UNITS);
    let existing = write(dir.path(), "name.tessera", "the planner's old workbook");
    let app = mock_app();
    let state = app.state::<AppState>();
    chosen_import(&state, ImportKind::Units, &units).expect("chosen");

    // Typed without the extension: Tessera adds it, sees the file there and asks before replacing it.
    let target = chosen_save_path(&state, &dir.path().join("name"));
    assert_eq!(
        target,
        SaveTarget {
            path: existing.clone(),
            replaces: true
        }
    );
    assert!(
        target.replace_question().starts_with("name.tessera already exists in "),
        "{}",
        target.replace_question()
    );
    // Not confirmed (the planner cancelled, or the page sends the path anyway): refused, the file untouched.
    let err = create_workbook_from(&state, &request(&units, &target.path)).expect_err("not confirmed");
    assert_eq!(err.kind(), "request", "{err}");
    assert!(err.to_string().contains("name.tessera already exists"), "{err}");
    assert_eq!(std::fs::read(&existing).expect("kept"), b"the planner's old workbook");

    // Typed with the extension: the same rule; the native dialog's own confirmation is not relied on.
    let target = chosen_save_path(&state, &existing);
    assert!(target.replaces);
    assert!(create_workbook_from(&state, &request(&units, &target.path)).is_err());
    assert_eq!(std::fs::read(&existing).expect("kept"), b"the planner's old workbook");

    // Confirmed: replaced by the new workbook.
    confirmed_replace(&state, &target.path);
    assert_eq!(
        create_workbook_from(&state, &request(&units, &target.path))
            .expect("replaced")
            .unit_count,
        6
    );
    state.close();
    assert!(Workbook::open_read_only(&existing).is_ok(), "a workbook now");
    // The consent is spent: the workbook just made is not replaced in turn without asking again.
    let err = create_workbook_from(&state, &request(&units, &target.path)).expect_err("asked again");
    assert!(err.to_string().contains("replacing it was not confirmed"), "{err}");

    // A new name: nothing to confirm.
    let fresh = chosen_save_path(&state, &dir.path().join("fresh"));
    assert_eq!(
        (fresh.path.file_name().and_then(|n| n.to_str()), fresh.replaces),
        (Some("fresh.tessera"), false)
    );
}
