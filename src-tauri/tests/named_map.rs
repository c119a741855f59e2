//! Named accounts in the window (issue 14): the workbook summary the window opens with carries every named
//! account with the place the map marks it at, and the compare view counts their loads for their territory.

use tauri::test::{mock_builder, mock_context, noop_assets};
use tauri::Manager;
use tessera_app::scope::Purpose;
use tessera_app::AppState;
use tessera_optimizer::{Adjacency, Measure, Plan, Units};
use tessera_workbook::accounts::attach_by_key;
use tessera_workbook::import::{parse_accounts, AttachBy};
use tessera_workbook::store::{AccountsImport, Scenario};
use tessera_workbook::{AdjacencySource, Dataset, Workbook};

/// Four points a–d in a row, "current": West {a, b}, East {c, d}; one account per unit, the one in a named to
/// East.
fn workbook(path: &std::path::Path) {
    let units = Units::new(
        ["a", "b", "c", "d"].map(String::from).to_vec(),
        vec![-100.0, -99.0, -98.0, -97.0],
        vec![40.0, 40.5, 41.0, 41.5],
        vec![Measure {
            name: "workload".into(),
            values: vec![1.0; 4],
        }],
    )
    .expect("units");
    let ds = Dataset {
        units,
        adjacency: Adjacency::from_edges(4, &[(0, 1), (1, 2), (2, 3)]),
        adjacency_source: AdjacencySource::File,
        bridged: Vec::new(),
        polygons: None,
        reps: Vec::new(),
        current: Some(Plan::new(vec![0, 0, 1, 1], vec!["West".into(), "East".into()])),
    };
    let mut wb = Workbook::create(path, &ds).expect("workbook");
    let csv = "id,unit,hours\nk1,a,5\nk2,b,5\nk3,c,5\nk4,d,5\n";
    let (file, _) = parse_accounts(
        std::path::Path::new("accounts.csv"),
        csv.as_bytes(),
        &AttachBy::Column("unit".into()),
        None,
    )
    .expect("accounts");
    let keys = &file.keys.as_ref().expect("keys").1;
    let attachment = attach_by_key(&ds.units, keys);
    wb.replace_accounts(&AccountsImport {
        file: &file,
        attachment: &attachment,
        attached_by: "column \"unit\"".into(),
        source: "accounts.csv".into(),
        sum_as: vec![],
    })
    .expect("import");
    wb.set_named_accounts(&[("k1".into(), "East".into())]).expect("named");
    let moved = Plan::new(vec![0, 1, 1, 1], vec!["West".into(), "East".into()]);
    wb.save_scenario(&Scenario::new("moved", moved)).expect("scenario");
}

/// A mock app with the workbook at `path` allowed (as if chosen in the Open dialog).
fn app_for(path: &std::path::Path) -> tauri::App<tauri::test::MockRuntime> {
    let app = mock_builder()
        .manage(AppState::new())
        .build(mock_context(noop_assets()))
        .expect("mock app");
    app.state::<AppState>().allow(Purpose::Workbook, path);
    app
}

#[test]
fn the_summary_marks_each_named_account_at_its_units_point_when_it_has_none_of_its_own() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("named.tessera");
    workbook(&path);
    let app = app_for(&path);
    let summary = tessera_app::commands::workbook::open_workbook(path.clone(), app.state()).expect("opens");
    assert_eq!(summary.named_accounts.len(), 1, "{:?}", summary.named_accounts);
    let k1 = &summary.named_accounts[0];
    assert_eq!((k1.id.as_str(), k1.territory.as_str()), ("k1", "East"));
    assert_eq!((k1.lon, k1.lat, k1.own_point), (-100.0, 40.0, false), "unit a's point");
    assert_eq!(summary.named_unplaced, 0);
    assert_eq!(summary.account_count, 4, "the Export offers the accounts level");
    let json = serde_json::to_value(&summary).expect("json");
    assert_eq!(json["accountCount"], 4);
    assert_eq!(
        json["namedAccounts"][0]["ownPoint"], false,
        "the window reads camelCase: {json}"
    );
}

#[test]
fn the_compare_view_counts_named_accounts_for_their_territory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("named.tessera");
    workbook(&path);
    let app = app_for(&path);
    tessera_app::commands::workbook::open_workbook(path.clone(), app.state()).expect("opens");
    let view =
        tessera_app::commands::compare::compare_scenarios(vec!["current".into(), "moved".into()], None, app.state())
            .expect("compares");
    let c = &view.comparison;
    let hours = c
        .measures
        .iter()
        .position(|m| m == "hours")
        .expect("hours summed from the accounts");
    let row = |t: &str| c.territories.iter().find(|r| r.territory == t).expect("territory");
    // current: West {a, b}, East {c, d}. a's one account (5 hours) is named to East: West has b's 5, East 15.
    // moved: b goes East too; West has none of the accounts' hours, East all 20.
    assert_eq!(
        (row("West").loads[hours].before, row("West").loads[hours].after),
        (Some(5.0), Some(0.0))
    );
    assert_eq!(
        (row("East").loads[hours].before, row("East").loads[hours].after),
        (Some(15.0), Some(20.0))
    );
}
