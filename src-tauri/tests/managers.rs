//! The compare view's and the scenario list's commands (issue 13), called directly on a small workbook with
//! Tauri's mock runtime.

use geo::{polygon, MultiPolygon};
use tauri::test::{mock_builder, mock_context, noop_assets};
use tauri::Manager;
use tessera_app::commands::compare::compare_scenarios;
use tessera_app::commands::editing::{list_scenarios, open_scenario};
use tessera_app::commands::scenarios::{
    duplicate_scenario, remove_scenario, rename_scenario, restore_scenario, set_scenario_note,
};
use tessera_app::scope::Purpose;
use tessera_app::AppState;
use tessera_optimizer::{Adjacency, Measure, Plan, Units};
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
