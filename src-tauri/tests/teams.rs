//! Overlay teams in the window's commands (issue 14), called directly with Tauri's mock runtime: listing the
//! teams, switching the team shown, and another team's territory outlines.

use std::path::Path;

use tauri::test::{mock_builder, mock_context, noop_assets};
use tauri::Manager;
use tessera_app::commands::editing::list_scenarios;
use tessera_app::commands::teams::{list_teams, select_team, team_outlines_text, teams_of};
use tessera_app::commands::workbook::units_geojson_text;
use tessera_app::scope::Purpose;
use tessera_app::AppState;
use tessera_optimizer::{Adjacency, Measure, Plan, Units};
use tessera_workbook::accounts::attach_by_key;
use tessera_workbook::import::{parse_accounts, AttachBy};
use tessera_workbook::store::{AccountsImport, NewTeam, TeamFilter};
use tessera_workbook::{AdjacencySource, Dataset, Workbook};

/// Four units in a row, territories West {u0, u1} and East {u2, u3}; segment-A accounts in u0, u1 and u3, a
/// segment-B account in every unit; a team "key A" of the segment-A accounts.
fn write_workbook(path: &Path) {
    let ds = Dataset {
        units: Units::new(
            ["u0", "u1", "u2", "u3"].map(String::from).to_vec(),
            vec![-100.0, -99.0, -98.0, -97.0],
            vec![40.0, 40.2, 40.0, 40.3],
            vec![Measure {
                name: "workload".into(),
                values: vec![1.0; 4],
            }],
        )
        .expect("units"),
        adjacency: Adjacency::from_edges(4, &[(0, 1), (1, 2), (2, 3)]),
        adjacency_source: AdjacencySource::File,
        bridged: vec![],
        polygons: None,
        reps: vec![],
        current: Some(Plan::new(vec![0, 0, 1, 1], vec!["West".into(), "East".into()])),
    };
    let mut wb = Workbook::create(path, &ds).expect("create");
    let csv = "id,unit,hours,segment\na0,u0,1,A\na1,u1,2,A\na3,u3,3,A\nb0,u0,1,B\nb1,u1,1,B\nb2,u2,1,B\nb3,u3,1,B\n";
    let (file, _) = parse_accounts(
        Path::new("a.csv"),
        csv.as_bytes(),
        &AttachBy::Column("unit".into()),
        None,
    )
    .expect("accounts");
    let attachment = attach_by_key(&ds.units, &file.keys.as_ref().expect("keys").1);
    wb.replace_accounts(&AccountsImport {
        file: &file,
        attachment: &attachment,
        attached_by: "column \"unit\"".into(),
        source: "a.csv".into(),
        sum_as: vec![],
    })
    .expect("stored");
    wb.add_team(&NewTeam {
        name: "key A".into(),
        filter: Some(TeamFilter::parse("segment = A").expect("filter")),
        measure: Some("hours".into()),
        ..NewTeam::default()
    })
    .expect("team");
}

#[test]
fn the_window_lists_switches_and_outlines_teams() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("teams.tessera");
    write_workbook(&path);
    let app = mock_builder()
        .manage(AppState::new())
        .build(mock_context(noop_assets()))
        .expect("mock app");
    let state = app.state::<AppState>();
    state.allow(Purpose::Workbook, &path);
    state.open(&path).expect("opens");

    let teams = list_teams(app.state()).expect("teams");
    assert_eq!(teams.selected, "default");
    let names: Vec<(&str, bool, Option<&str>)> = teams
        .teams
        .iter()
        .map(|t| (t.name.as_str(), t.default, t.filter.as_deref()))
        .collect();
    assert_eq!(names, [("default", true, None), ("key A", false, Some("segment = A"))]);

    // Team A has no scenario yet: no outlines. The default team's "current" dissolves into two territories.
    assert_eq!(team_outlines_text(&state, "key A").expect("none"), "null");
    let v: serde_json::Value =
        serde_json::from_str(&team_outlines_text(&state, "default").expect("outlines")).expect("json");
    assert_eq!(
        (v["team"].as_str(), v["scenario"].as_str()),
        (Some("default"), Some("current"))
    );
    let territories: Vec<&str> = v["outlines"]["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["properties"]["territory"].as_str().expect("name"))
        .collect();
    assert_eq!(territories, ["West", "East"]);
    assert_eq!(
        teams_of(&state).expect("teams").selected,
        "default",
        "outlines leave the shown team alone"
    );

    // Switching shows team A: its three units (those with a segment-A account), its measures, no scenarios.
    let summary = select_team("key A".into(), app.state()).expect("switch");
    assert_eq!(summary.unit_count, 3);
    assert!(summary.measures.contains(&"hours".to_string()) && !summary.measures.contains(&"workload".to_string()));
    let units: serde_json::Value = serde_json::from_str(&units_geojson_text(&state).expect("units")).expect("json");
    let ids: Vec<&str> = units["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["properties"]["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["u0", "u1", "u3"]);
    assert!(list_scenarios(app.state()).expect("list").is_empty());
    assert_eq!(teams_of(&state).expect("teams").selected, "key A");

    // An unknown team is refused with the teams there are, and team A stays shown.
    let err = select_team("nope".into(), app.state()).expect_err("unknown");
    assert!(
        err.to_string().contains("the workbook's teams: default, key A"),
        "{err}"
    );
    assert_eq!(teams_of(&state).expect("teams").selected, "key A");
}
