//! The window's commands, called directly on a small workbook, with no window (Tauri's mock runtime).

use std::path::Path;

use geo::{polygon, MultiPolygon};
use tauri::test::{mock_builder, mock_context, noop_assets};
use tauri::Manager;
use tessera_app::commands::editing::{list_scenarios, open_scenario, reassign_units, redo_edit, set_locks, undo_edit};
use tessera_app::commands::optimize::{delete_scenario, optimize_inputs, save_result};
use tessera_app::commands::workbook::{current_alignment, current_workbook, units_geojson, units_geojson_text};
use tessera_app::dto::GeometryKind;
use tessera_app::optimize::{run, OptimizeRequest};
use tessera_app::scope::Purpose;
use tessera_app::{AppError, AppState};
use tessera_optimizer::{Adjacency, Measure, Plan, Units};
use tessera_workbook::planning::PlanProgress;
use tessera_workbook::{AdjacencySource, Dataset, Workbook};

/// Two by two one-degree squares: a, b on the bottom row, c, d on top; territories West {a, c}, East {b, d}.
fn grid_dataset() -> Dataset {
    let square = |x: f64, y: f64| -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0), (x: x, y: y)
        ]])
    };
    let ids: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
    let units = Units::new(
        ids,
        vec![-99.5, -98.5, -99.5, -98.5],
        vec![40.5, 40.5, 41.5, 41.5],
        vec![Measure {
            name: "workload".into(),
            values: vec![10.0, 20.0, 30.0, 40.0],
        }],
    )
    .expect("distinct ids");
    Dataset {
        units,
        adjacency: Adjacency::from_edges(4, &[(0, 1), (0, 2), (1, 3), (2, 3)]),
        adjacency_source: AdjacencySource::PolygonsRook,
        bridged: Vec::new(),
        polygons: Some(vec![
            square(-100.0, 40.0),
            square(-99.0, 40.0),
            square(-100.0, 41.0),
            square(-99.0, 41.0),
        ]),
        reps: Vec::new(),
        current: Some(Plan::new(vec![0, 1, 0, 1], vec!["West".into(), "East".into()])),
    }
}

/// `open_workbook` as the window calls it after the planner chose `path` in the Open dialog (the command
/// refuses paths not chosen; that refusal is tested in tests/files.rs).
fn open_workbook(
    path: std::path::PathBuf,
    state: tauri::State<'_, AppState>,
) -> Result<tessera_app::dto::WorkbookSummary, AppError> {
    state.allow(Purpose::Workbook, &path);
    tessera_app::commands::workbook::open_workbook(path, state)
}

fn write_workbook(path: &Path) {
    drop(Workbook::create(path, &grid_dataset()).expect("workbook written"));
}

#[test]
fn commands_open_a_workbook_and_serve_its_summary_units_and_alignment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("grid.tessera");
    write_workbook(&path);

    let app = mock_builder()
        .manage(AppState::new())
        .build(mock_context(noop_assets()))
        .expect("mock app");

    // Nothing open yet: no summary, and reading units says so in words.
    assert_eq!(current_workbook(app.state()).expect("no error"), None);
    let Err(err) = units_geojson(app.state()) else {
        panic!("units without a workbook")
    };
    assert!(matches!(err, AppError::NoWorkbook), "{err}");

    let summary = open_workbook(path.clone(), app.state()).expect("opens");
    assert_eq!(summary.name, "grid");
    assert_eq!(summary.unit_count, 4);
    assert_eq!(summary.measures, vec!["workload".to_string()]);
    assert_eq!(summary.geometry, GeometryKind::Polygons);
    assert_eq!(summary.adjacency_edges, 4);
    assert_eq!(current_workbook(app.state()).expect("open").as_ref(), Some(&summary));
    // Opening the open workbook again is not a lock conflict with ourselves.
    assert_eq!(open_workbook(path.clone(), app.state()).expect("reopens"), summary);

    // The map's contract: a FeatureCollection in unit order, `properties.id` the unit id, measures numeric.
    let state = app.state::<AppState>();
    let text = units_geojson_text(&state).expect("geojson");
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(json["type"], "FeatureCollection");
    let features = json["features"].as_array().expect("features");
    let ids: Vec<&str> = features.iter().filter_map(|f| f["properties"]["id"].as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(features[3]["properties"]["workload"].as_f64(), Some(40.0));
    assert!(features
        .iter()
        .all(|f| f["geometry"]["type"] == "Polygon" || f["geometry"]["type"] == "MultiPolygon"));
    assert!(units_geojson(app.state()).is_ok());

    let alignment = current_alignment(app.state()).expect("read").expect("has an alignment");
    assert_eq!(alignment.territories, ["West", "East"]);
    assert_eq!(alignment.territory_of, [0, 1, 0, 1]);
    assert_eq!(alignment.adjacent, [[0, 1]]);
}

#[test]
fn a_file_that_is_not_a_workbook_gets_a_readable_error_and_keeps_the_open_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("grid.tessera");
    write_workbook(&good);
    let bad = dir.path().join("notes.tessera");
    std::fs::write(&bad, "these are not the droids").expect("write");

    let app = mock_builder()
        .manage(AppState::new())
        .build(mock_context(noop_assets()))
        .expect("mock app");
    open_workbook(good, app.state()).expect("opens");
    let err = open_workbook(bad.clone(), app.state()).expect_err("not a workbook");
    let json = serde_json::to_value(&err).expect("serializes");
    assert_eq!(json["kind"], "workbook");
    let message = json["message"].as_str().expect("message");
    assert!(
        message.contains("notes.tessera") && message.contains("not a Tessera workbook"),
        "{message}"
    );
    assert_eq!(
        current_workbook(app.state()).expect("still open").map(|s| s.name),
        Some("grid".into())
    );
}

#[test]
fn a_failed_startup_open_is_reported_to_the_window() {
    let app = mock_builder()
        .manage(AppState::new())
        .build(mock_context(noop_assets()))
        .expect("mock app");
    app.state::<AppState>()
        .set_startup_error("/x/sample.tessera: no such file".into());
    let err = current_workbook(app.state()).expect_err("startup failed");
    assert_eq!(err.kind(), "startup");
    assert_eq!(err.to_string(), "/x/sample.tessera: no such file");
}

fn mock_app() -> tauri::App<tauri::test::MockRuntime> {
    mock_builder()
        .manage(AppState::new())
        .build(mock_context(noop_assets()))
        .expect("mock app")
}

#[test]
fn an_edit_updates_the_figures_is_recorded_and_undo_redo_survive_reopening() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("grid.tessera");
    write_workbook(&path);
    {
        let app = mock_app();
        open_workbook(path.clone(), app.state()).expect("opens");
        let scenarios = list_scenarios(app.state()).expect("scenarios");
        assert_eq!(
            scenarios.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["current"]
        );

        // No scenario chosen yet: an edit says so.
        let err = reassign_units(vec![1], 0, app.state()).expect_err("no session");
        assert_eq!(err.kind(), "no_scenario");

        let view = open_scenario("current".into(), None, app.state()).expect("opens the scenario");
        assert_eq!(view.alignment.territories, ["West", "East"]);
        assert_eq!(view.figures.measure.as_deref(), Some("workload"));
        let loads = |f: &tessera_app::dto::FiguresDto| f.territories.iter().map(|t| t.load).collect::<Vec<_>>();
        // An edit sends the rows of the territories it changed (here both of the two).
        let changed = |f: &tessera_app::dto::FiguresUpdateDto| {
            f.territories.iter().map(|(t, row)| (*t, row.load)).collect::<Vec<_>>()
        };
        assert_eq!(loads(&view.figures), [40.0, 60.0]);
        assert!((view.figures.max_dev - 0.2).abs() < 1e-12);
        assert_eq!((view.undo_steps, view.redo_steps), (0, 0));

        // Unit b (20) goes west: West {a, b, c} = 60, East {d} = 40.
        let out = reassign_units(vec![1, 0], 0, app.state())
            .expect("edit")
            .expect("b moved");
        assert_eq!(out.changed, [[1, 0]], "a was already West");
        assert_eq!(changed(&out.figures), [(0, 60.0), (1, 40.0)]);
        assert_eq!(out.figures.territories[0].1.units, 3);
        assert_eq!((out.undo_steps, out.redo_steps), (1, 0));
        assert!(reassign_units(vec![1], 0, app.state()).expect("no-op").is_none());

        // Bad indices are refused in words, and change nothing.
        let err = reassign_units(vec![1], 7, app.state()).expect_err("no territory 7");
        assert_eq!(err.kind(), "request");
        let err = reassign_units(vec![99], 1, app.state()).expect_err("no unit 99");
        assert!(err.to_string().contains("99"), "{err}");

        let undone = undo_edit(app.state()).expect("undo").expect("an edit to undo");
        assert_eq!(undone.changed, [[1, 1]]);
        assert_eq!(changed(&undone.figures), [(0, 40.0), (1, 60.0)]);
        assert_eq!((undone.undo_steps, undone.redo_steps), (0, 1));
        assert!(undo_edit(app.state()).expect("undo").is_none(), "nothing left to undo");
        // Tauri keeps managed state past the app's drop: close the workbook to release its lock.
        app.state::<AppState>().close();
    }
    // Reopened: the history is in the file, so the undone edit can be redone.
    let app = mock_app();
    open_workbook(path, app.state()).expect("reopens");
    let view = open_scenario("current".into(), None, app.state()).expect("scenario");
    assert_eq!((view.undo_steps, view.redo_steps), (0, 1));
    let redone = redo_edit(app.state()).expect("redo").expect("an edit to redo");
    assert_eq!(redone.changed, [[1, 0]]);
    assert_eq!(redone.figures.territories[0].0, 0, "West's row");
    assert_eq!(redone.figures.territories[0].1.load, 60.0);
    let err = open_scenario("nope".into(), None, app.state()).expect_err("no such scenario");
    assert!(err.to_string().contains("nope"), "{err}");
    let err = open_scenario("current".into(), Some("revenue".into()), app.state()).expect_err("no such measure");
    assert_eq!(err.kind(), "request");
}

#[test]
fn locks_are_kept_in_the_workbook_and_hand_edits_leave_locked_units_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("grid.tessera");
    write_workbook(&path);
    {
        let app = mock_app();
        open_workbook(path.clone(), app.state()).expect("opens");
        open_scenario("current".into(), None, app.state()).expect("scenario");
        assert_eq!(set_locks(vec![0, 2], true, app.state()).expect("lock"), [0, 2]);
        let err = reassign_units(vec![0, 1], 1, app.state()).expect_err("a is locked");
        assert!(err.to_string().contains("locked"), "{err}");
        assert_eq!(set_locks(vec![2], false, app.state()).expect("unlock"), [0]);
        app.state::<AppState>().close();
    }
    let app = mock_app();
    open_workbook(path, app.state()).expect("reopens");
    let view = open_scenario("current".into(), None, app.state()).expect("scenario");
    assert_eq!(view.locked, [0]);
}

#[test]
fn an_optimizer_run_is_saved_as_a_new_scenario_that_can_be_deleted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("grid.tessera");
    write_workbook(&path);
    let app = mock_app();
    open_workbook(path, app.state()).expect("opens");
    open_scenario("current".into(), None, app.state()).expect("scenario");
    // Lock b (20) in East: with ±25% the only balanced contiguous plan is West {a, c}, East {b, d}.
    set_locks(vec![1], true, app.state()).expect("lock");
    let state = app.state::<AppState>();
    let inputs = optimize_inputs(&state).expect("inputs");
    assert_eq!(inputs.locks, [(1, "East".to_string())]);
    let request = OptimizeRequest {
        territories: Some(2),
        measure: "workload".into(),
        tolerance: 0.25,
        keep_current: true,
        max_moved: None,
        respect_locks: true,
        time_limit: 5.0,
        only: vec![],
        seed: 1,
        restarts: Some(8),
        caps: vec![],
        floors: vec![],
        mixes: vec![],
    };
    let reports = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = reports.clone();
    let progress = PlanProgress::with_listener(move |_| {
        counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    });
    let outcome = run(&inputs, &request, &progress).expect("designs");
    assert!(
        outcome.evaluation.max_dev <= 0.25 + 1e-9,
        "{}",
        outcome.evaluation.max_dev
    );
    assert_eq!(
        outcome.plan.names()[outcome.plan.territory_of()[1] as usize],
        "East",
        "lock held"
    );
    assert!(
        reports.load(std::sync::atomic::Ordering::SeqCst) > 0,
        "progress was reported"
    );
    let (moved_units, moved_fraction) = (outcome.moved_units, outcome.moved_fraction);
    let result = save_result(&state, outcome).expect("saved");
    assert_eq!(result.scenario, "optimized 1");
    // The result explains itself with the planning service's figures: it started from "current" (measured as
    // the result is), within the tolerance it has a certificate, and the target is half the workload.
    let x = &result.explained;
    assert_eq!(
        (x.measure.as_str(), x.tolerance, x.territories, x.units),
        ("workload", 0.25, 2, 4)
    );
    assert!(x.before.is_some(), "{x:?}");
    assert_eq!((x.moved_units, x.moved_fraction), (moved_units, moved_fraction));
    assert!(x.moved_units.is_some());
    let certificate = x
        .certificate
        .as_ref()
        .expect("a plan within the tolerance is certified");
    assert!(certificate.gap >= 0.0, "{certificate:?}");
    // The result says which promises it keeps: this one keeps them all.
    assert!(
        result.promises.iter().any(|p| p.name == "tolerance" && p.kept),
        "{:?}",
        result.promises
    );
    assert!(result.scenarios.iter().any(|s| s.name == "optimized 1"));
    assert_eq!(list_scenarios(app.state()).expect("list").len(), 2);

    // "Rebalance selected": only the named territories are redesigned; a name the scenario lacks is explained.
    let rebalance = OptimizeRequest {
        only: vec!["West".into(), "East".into()],
        ..request.clone()
    };
    let again = run(&inputs, &rebalance, &PlanProgress::new()).expect("rebalances");
    assert!(again.evaluation.max_dev <= 0.25 + 1e-9);
    let unknown = OptimizeRequest {
        only: vec!["North".into()],
        ..request.clone()
    };
    let err = run(&inputs, &unknown, &PlanProgress::new()).expect_err("no North");
    assert!(err.to_string().contains("North"), "{err}");

    // A request the optimizer cannot meet is explained, not a crash.
    let bad = OptimizeRequest {
        measure: "revenue".into(),
        ..request.clone()
    };
    let err = run(&inputs, &bad, &PlanProgress::new()).expect_err("unknown measure");
    assert_eq!(err.kind(), "request");
    assert!(err.to_string().contains("revenue"), "{err}");

    let err = delete_scenario("current".into(), app.state()).expect_err("being edited");
    assert_eq!(err.kind(), "request");
    let left = delete_scenario("optimized 1".into(), app.state()).expect("deleted");
    assert_eq!(left.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["current"]);
}

/// Runs `tessera` (built by cargo, as the planner would run it) with `args`.
fn tessera_cli(args: &[&str]) -> std::process::Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::process::Command::new(env!("CARGO"))
        .current_dir(&root)
        .args(["run", "--quiet", "-p", "tessera-cli", "--"])
        .args(args)
        .output()
        .expect("cargo runs tessera")
}

/// Scenario `name`'s parameters and metrics, without the run time (the one figure two runs never share).
fn stored_row(path: &Path, name: &str) -> (Plan, serde_json::Value, serde_json::Value) {
    let wb = Workbook::open_read_only(path).expect("opens");
    let s = wb.scenario(name).expect("scenario");
    let mut metrics = s.metrics;
    let seconds = metrics.as_object_mut().and_then(|m| m.remove("seconds"));
    assert!(seconds.and_then(|s| s.as_f64()).is_some(), "the run time is stored");
    (s.plan, s.params, metrics)
}

#[test]
fn the_app_and_the_cli_store_the_same_row_for_the_same_request() {
    let sd = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sample-data");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("counties.tessera");
    let request = tessera_workbook::import::ImportRequest::new(sd.join("us-counties.csv"))
        .adjacency(sd.join("us-county-adjacency.csv"))
        .reps(sd.join("reps.csv"));
    let (dataset, _) = tessera_workbook::import::import_dataset(&request).expect("sample imports");
    drop(Workbook::create(&path, &dataset).expect("workbook written"));

    {
        let app = mock_app();
        open_workbook(path.clone(), app.state()).expect("opens");
        open_scenario("current".into(), None, app.state()).expect("scenario");
        let state = app.state::<AppState>();
        let inputs = optimize_inputs(&state).expect("inputs");
        let request = OptimizeRequest {
            territories: None,
            measure: "workload".into(),
            tolerance: 0.05,
            keep_current: true,
            max_moved: Some(0.3),
            respect_locks: true,
            time_limit: 30.0,
            only: vec![],
            seed: 3,
            restarts: Some(2),
            caps: vec![],
            floors: vec![],
            mixes: vec![],
        };
        let outcome = run(&inputs, &request, &PlanProgress::new()).expect("designs");
        assert_eq!(save_result(&state, outcome).expect("saved").scenario, "optimized 1");
        // Closed, as when the planner quits: the CLI then opens the workbook for writing.
        state.close();
    }
    let cli = tessera_cli(&[
        "plan",
        "--workbook",
        path.to_str().expect("utf-8"),
        "--save-as",
        "from cli",
        "--max-moved",
        "0.3",
        "--seed",
        "3",
        "--restarts",
        "2",
    ]);
    let err = String::from_utf8_lossy(&cli.stderr);
    assert!(matches!(cli.status.code(), Some(0) | Some(3)), "{err}");
    assert!(err.contains("saved as scenario"), "{err}");

    let (app_plan, app_params, app_metrics) = stored_row(&path, "optimized 1");
    let (cli_plan, cli_params, cli_metrics) = stored_row(&path, "from cli");
    assert_eq!(app_plan, cli_plan, "the same plan");
    assert_eq!(app_params, cli_params, "the same parameters");
    assert_eq!(app_metrics, cli_metrics, "the same metrics apart from run time");
    assert_eq!(app_params["max_moved"], 0.3);
    assert!(app_metrics["promises"].as_array().is_some_and(|p| !p.is_empty()));
    assert!(app_params.get("maxMoved").is_none(), "one key style: {app_params}");
}
