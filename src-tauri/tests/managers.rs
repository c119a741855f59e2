//! The compare view's, the scenario list's and Export…'s commands (issue 13), called directly on a small workbook with
//! Tauri's mock runtime.

use geo::{polygon, MultiPolygon};
use tauri::test::{mock_builder, mock_context, noop_assets};
use tauri::Manager;
use tessera_app::commands::compare::compare_scenarios;
use tessera_app::commands::editing::{list_scenarios, open_scenario};
use tessera_app::commands::export::{chosen_export_path, export_scenario_to, suggested_name, ExportRequest};
use tessera_app::commands::scenarios::{
    chosen_scenario_file, duplicate_scenario, new_scenario_with, remove_scenario, rename_scenario, restore_scenario,
    set_scenario_note, NewScenarioRequest, ScenarioFileKind,
};
use tessera_app::scope::Purpose;
use tessera_app::AppState;
use tessera_optimizer::{Adjacency, Measure, Plan, Units};
use tessera_workbook::export::ExportFormat;
use tessera_workbook::store::Scenario;
use tessera_workbook::{AdjacencySource, Dataset, Workbook};

/// Two by two squares a, b (bottom), c, d (top); "current": West {a, c}, East {b, d}; "moved": c goes East.
fn workbook(path: &std::path::Path) {
    let square = |x: f64, y: f64| -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0), (x: x, y: y)
        ]])
    };
    let units = Units::new(
        ["a", "b", "c", "d"].map(String::from).to_vec(),
        vec![-99.5, -98.5, -99.5, -98.5],
        vec![40.5, 40.5, 41.5, 41.5],
        vec![Measure {
            name: "workload".into(),
            values: vec![10.0, 20.0, 30.0, 40.0],
        }],
    )
    .expect("units");
    let ds = Dataset {
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
    };
    let mut wb = Workbook::create(path, &ds).expect("workbook");
    let mut moved = Scenario::new("moved", Plan::new(vec![0, 1, 1, 1], vec!["West".into(), "East".into()]));
    moved.params = serde_json::json!({"tolerance": 0.1});
    wb.save_scenario(&moved).expect("scenario");
}

fn app_on(path: &std::path::Path) -> tauri::App<tauri::test::MockRuntime> {
    let app = mock_builder()
        .manage(AppState::new())
        .build(mock_context(noop_assets()))
        .expect("mock app");
    let state = app.state::<AppState>();
    state.allow(Purpose::Workbook, path);
    tessera_app::commands::workbook::open_workbook(path.to_path_buf(), app.state()).expect("opens");
    app
}

#[test]
fn compare_gives_the_moves_maps_and_diff_map() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("g.tessera");
    workbook(&path);
    let app = app_on(&path);
    let view = compare_scenarios(vec!["current".into(), "moved".into()], None, app.state()).expect("compares");
    let c = &view.comparison;
    assert_eq!(c.scenarios[1].units_moved, 1);
    assert_eq!(c.moves[0].unit, "c");
    assert_eq!((c.moves[0].from.as_str(), c.moves[0].to.as_str()), ("West", "East"));
    assert_eq!(view.maps.len(), 2);
    assert_eq!(view.diff_maps.len(), 1);
    assert!(
        view.diff_maps[0].contains("c: West → East"),
        "the moved unit's hover title"
    );
    // Charts: travel-balance and one load chart per scenario, or the reason there are none.
    assert!(view.charts.len() == 3 || view.chart_note.is_some());
    let err = compare_scenarios(vec!["current".into()], None, app.state()).expect_err("one scenario");
    assert!(err.to_string().contains("2 to 4"), "{err}");
}

#[test]
fn scenarios_are_duplicated_renamed_noted_and_a_delete_is_undone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("g.tessera");
    workbook(&path);
    let app = app_on(&path);
    open_scenario("current".into(), None, app.state()).expect("editing current");
    duplicate_scenario("moved".into(), " copy ".into(), app.state()).expect("duplicate");
    set_scenario_note("copy".into(), "for March".into(), app.state()).expect("note");
    let list = rename_scenario("copy".into(), "renamed".into(), app.state()).expect("rename");
    let names: Vec<&str> = list.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["current", "moved", "renamed"]);
    assert_eq!(list[2].note, "for March");
    assert!(rename_scenario("current".into(), "x".into(), app.state()).is_err());
    assert!(remove_scenario("current".into(), app.state()).is_err(), "being edited");

    let removal = remove_scenario("renamed".into(), app.state()).expect("delete");
    assert_eq!(removal.scenarios.len(), 2);
    assert_eq!(removal.removed.territory_of, [0, 1, 1, 1]);
    let back = restore_scenario(removal.removed.clone(), app.state()).expect("undo");
    assert_eq!(back.len(), 3);
    assert_eq!(back[2].note, "for March");
    assert!(restore_scenario(removal.removed, app.state()).is_err(), "exists again");
    let listed = list_scenarios(app.state()).expect("list");
    assert_eq!(listed[2].name, "renamed");
}

/// An export request for `path` as `format`, nothing else asked.
fn export_request(scenario: &str, path: &std::path::Path, format: &str) -> ExportRequest {
    ExportRequest {
        scenario: scenario.into(),
        path: path.to_path_buf(),
        format: format.into(),
        accounts: false,
        baseline: None,
        quota: None,
    }
}

#[test]
fn an_export_writes_the_chosen_file_as_tessera_export_does_read_back_independently() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("g.tessera");
    workbook(&path);
    let app = app_on(&path);
    let state = app.state::<AppState>();

    // The name typed without an extension gets the asked format's.
    let target = chosen_export_path(&state, &dir.path().join("moved"), ExportFormat::Xlsx);
    assert_eq!(target.path, dir.path().join("moved.xlsx"));
    assert_eq!((target.format, target.replaces), (ExportFormat::Xlsx, false));
    let done = export_scenario_to(&state, &export_request("moved", &target.path, "xlsx")).expect("exports");
    assert_eq!(done.file_name, "moved.xlsx");
    assert_eq!(
        done.baseline.as_deref(),
        Some("current"),
        "moves counted against current, as the CLI"
    );
    assert_eq!(done.bytes, std::fs::metadata(&target.path).expect("written").len());

    // calamine, not the writer, reads it: the sheets, each unit's territory, the one move and its load.
    use calamine::{Data, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&target.path).expect("opens as XLSX");
    assert_eq!(
        book.sheet_names(),
        ["summary", "territories", "quotas", "assignments", "moves"]
    );
    let assignments = book.worksheet_range("assignments").expect("assignments");
    let rows: Vec<(String, String)> = assignments
        .rows()
        .skip(1)
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    let expected = [("a", "West"), ("b", "East"), ("c", "East"), ("d", "East")];
    assert_eq!(rows, expected.map(|(u, t)| (u.to_string(), t.to_string())));
    let moves = book.worksheet_range("moves").expect("moves");
    assert_eq!(moves.height(), 2, "one moved unit under the header");
    let row: Vec<&Data> = moves.rows().nth(1).expect("the move").iter().collect();
    assert!(row.iter().any(|c| **c == "c"), "{row:?}");
    let territories = book.worksheet_range("territories").expect("territories");
    let east = territories.rows().find(|r| r[0] == "East").expect("East's row");
    assert!(
        east.iter().any(|c| matches!(c, Data::Float(v) if *v == 90.0)),
        "East carries b + c + d = 90, as a number: {east:?}"
    );

    // The CSV and the territory GeoJSON of the same scenario, from a name with their extensions.
    let csv = chosen_export_path(&state, &dir.path().join("moved.csv"), ExportFormat::Xlsx);
    assert_eq!(
        csv.format,
        ExportFormat::Csv,
        "the extension picks the format, as in tessera export"
    );
    export_scenario_to(&state, &export_request("moved", &csv.path, "csv")).expect("csv");
    let text = std::fs::read_to_string(&csv.path).expect("csv written");
    let mut lines = text.lines();
    assert!(lines.next().expect("header").starts_with("id,territory,rep,"));
    let territory_of: Vec<&str> = lines.map(|l| l.split(',').nth(1).expect("territory")).collect();
    assert_eq!(territory_of, ["West", "East", "East", "East"]);
    let shapes = chosen_export_path(&state, &dir.path().join("moved.geojson"), ExportFormat::Geojson);
    export_scenario_to(&state, &export_request("moved", &shapes.path, "geojson")).expect("geojson");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&shapes.path).expect("written")).expect("JSON");
    let names: Vec<&str> = json["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(|f| f["properties"]["territory"].as_str())
        .collect();
    assert_eq!(names, ["West", "East"]);
    let units = chosen_export_path(&state, &dir.path().join("u.geojson"), ExportFormat::UnitsGeojson);
    assert_eq!(
        units.format,
        ExportFormat::UnitsGeojson,
        "asked for the units, named .geojson"
    );
    assert!(no_temporary_files(dir.path()));
}

#[test]
fn an_export_never_replaces_a_file_unconfirmed_nor_the_open_workbook_and_names_file_and_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("g.tessera");
    workbook(&path);
    let app = app_on(&path);
    let state = app.state::<AppState>();

    // Not chosen in the Export dialog: refused, naming the file.
    let elsewhere = dir.path().join("elsewhere.csv");
    let err = export_scenario_to(&state, &export_request("moved", &elsewhere, "csv")).expect_err("not chosen");
    assert_eq!(err.kind(), "not_chosen");
    assert!(
        err.to_string().contains("elsewhere.csv") && err.to_string().contains("Export dialogs"),
        "{err}"
    );
    assert!(!elsewhere.exists());

    // "report" typed, "report.html" there: the dialog confirmed "report", not "report.html".
    let existing = dir.path().join("report.html");
    std::fs::write(&existing, "keep me").expect("write");
    let target = chosen_export_path(&state, &dir.path().join("report"), ExportFormat::Html);
    assert!(target.replaces && !target.confirmed);
    assert!(target.replace_question().starts_with("report.html already exists in"));
    let err = export_scenario_to(&state, &export_request("moved", &target.path, "html")).expect_err("unconfirmed");
    assert!(
        err.to_string().contains("report.html") && err.to_string().contains("replacing it was not confirmed"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&existing).expect("read"), "keep me");
    // Confirmed (the window's own question), then replaced once; the consent is spent.
    state.allow(Purpose::Replace, &target.path);
    export_scenario_to(&state, &export_request("moved", &target.path, "json")).expect("replaced");
    let figures: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&existing).expect("read")).expect("the figures JSON");
    assert!(figures["max_dev"].is_number(), "{figures}");
    assert!(export_scenario_to(&state, &export_request("moved", &target.path, "json")).is_err());
    // Chosen as typed over an existing file: the Save dialog itself asked, so it is confirmed.
    let typed = chosen_export_path(&state, &existing, ExportFormat::Html);
    assert!(typed.replaces && typed.confirmed);

    // Never the open workbook, even chosen and "confirmed".
    state.allow(Purpose::Export, &path);
    state.allow(Purpose::Replace, &path);
    let err = export_scenario_to(&state, &export_request("moved", &path, "gpkg")).expect_err("the open workbook");
    assert!(err.to_string().contains("is the workbook open now"), "{err}");

    // What the workbook cannot give is said, naming the export's file; nothing is written.
    let csv = chosen_export_path(&state, &dir.path().join("accounts.csv"), ExportFormat::Csv);
    let mut accounts = export_request("moved", &csv.path, "csv");
    accounts.accounts = true;
    let err = export_scenario_to(&state, &accounts).expect_err("no accounts");
    assert!(
        err.to_string().contains("accounts.csv") && err.to_string().contains("has no accounts"),
        "{err}"
    );
    let err = export_scenario_to(&state, &export_request("nope", &csv.path, "csv")).expect_err("no scenario");
    assert!(err.to_string().contains("nope"), "{err}");
    assert!(!csv.path.exists());
    assert!(no_temporary_files(dir.path()));
}

#[test]
fn the_suggested_name_is_the_scenario_made_safe_for_a_file_name() {
    assert_eq!(suggested_name("balanced 5%", ExportFormat::Xlsx), "balanced 5%.xlsx");
    assert_eq!(suggested_name("../a/b:c", ExportFormat::Csv), "-a-b-c.csv");
    assert_eq!(suggested_name(" ", ExportFormat::Html), "scenario.html");
    assert_eq!(suggested_name("x", ExportFormat::UnitsGeojson), "x units.geojson");
}

/// No `.NAME.tmp-PID` file left in `dir`.
fn no_temporary_files(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir)
        .expect("list")
        .all(|e| !e.expect("entry").file_name().to_string_lossy().contains(".tmp-"))
}

#[test]
fn a_new_scenario_from_polygons_lists_the_units_outside_and_one_from_a_plan_csv_keeps_its_territories() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("g.tessera");
    workbook(&path);
    let app = app_on(&path);
    let state = app.state::<AppState>();

    // West covers a and c; East covers only b: d (-98.5, 41.5) lies outside both and goes to the nearest, East
    // (0.3° away; West is 0.5°).
    let polygons = dir.path().join("territories.geojson");
    std::fs::write(
        &polygons,
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"region":"West"},"geometry":{"type":"Polygon","coordinates":[[[-100,40],[-99,40],[-99,42],[-100,42],[-100,40]]]}},
          {"type":"Feature","properties":{"region":"East"},"geometry":{"type":"Polygon","coordinates":[[[-99,40],[-98,40],[-98,41.2],[-99,41.2],[-99,40]]]}}]}"#,
    )
    .expect("write");
    let request = |kind, path: &std::path::Path, name: &str, property: Option<&str>| NewScenarioRequest {
        kind,
        path: path.to_path_buf(),
        name: name.into(),
        property: property.map(String::from),
    };
    // Not chosen in the dialog: refused.
    let err = new_scenario_with(
        &state,
        &request(ScenarioFileKind::Polygons, &polygons, "mine", Some("region")),
    )
    .expect_err("not chosen");
    assert_eq!(err.kind(), "not_chosen");
    chosen_scenario_file(&state, ScenarioFileKind::Polygons, &polygons);
    let made = new_scenario_with(
        &state,
        &request(ScenarioFileKind::Polygons, &polygons, "", Some("region")),
    )
    .expect("from polygons");
    assert_eq!(made.name, "territories", "no name typed: the file's");
    assert_eq!((made.territories, made.unit_count), (2, 4));
    assert_eq!(made.outside.len(), 1);
    assert_eq!(
        (made.outside[0].unit.as_str(), made.outside[0].nearest.as_str()),
        ("d", "East")
    );
    assert!(made.scenarios.iter().any(|s| s.name == "territories"));
    let view = open_scenario("territories".into(), None, app.state()).expect("opens");
    let names = &view.alignment.territories;
    let of: Vec<&str> = view
        .alignment
        .territory_of
        .iter()
        .map(|&t| names[t as usize].as_str())
        .collect();
    assert_eq!(of, ["West", "East", "West", "East"]);

    // The name is in use now: refused, nothing replaced.
    let err = new_scenario_with(
        &state,
        &request(ScenarioFileKind::Polygons, &polygons, "territories", Some("region")),
    )
    .expect_err("name in use");
    assert!(err.to_string().contains("exists already"), "{err}");

    // A plan CSV; a bad one names its file and line, and nothing is saved.
    let plan = dir.path().join("plan.csv");
    std::fs::write(&plan, "id,territory\na,North\nb,North\nc,South\nd,South\n").expect("write");
    chosen_scenario_file(&state, ScenarioFileKind::Plan, &plan);
    let made =
        new_scenario_with(&state, &request(ScenarioFileKind::Plan, &plan, "from plan", None)).expect("from plan");
    assert_eq!((made.territories, made.outside.len()), (2, 0));
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "id,territory\na,North\nzz,South\n").expect("write");
    chosen_scenario_file(&state, ScenarioFileKind::Plan, &bad);
    let err = new_scenario_with(&state, &request(ScenarioFileKind::Plan, &bad, "bad", None)).expect_err("unknown unit");
    assert_eq!(err.kind(), "import");
    assert!(
        err.to_string().contains("bad.csv") && err.to_string().contains("line 3"),
        "{err}"
    );
    assert!(!list_scenarios(app.state())
        .expect("list")
        .iter()
        .any(|s| s.name == "bad"));
}
