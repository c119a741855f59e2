//! Overlay teams in the window's commands (issue 14), called directly with Tauri's mock runtime: listing the
//! teams, switching the team shown, another team's territory outlines, and adding, renaming and deleting teams
//! from the team bar.

use std::path::Path;

use tauri::test::{mock_builder, mock_context, noop_assets};
use tauri::Manager;
use tessera_app::commands::editing::list_scenarios;
use tessera_app::commands::optimize::{optimize_inputs, save_result};
use tessera_app::commands::teams::{
    add_team_to, delete_team_in, list_teams, rename_team_in, select_team, team_choices_of, team_outlines_text,
    teams_of, FilterRequest, NewTeamRequest,
};
use tessera_app::commands::workbook::units_geojson_text;
use tessera_app::optimize::{run, OptimizeRequest};
use tessera_app::scope::Purpose;
use tessera_app::AppState;
use tessera_optimizer::{Adjacency, Measure, Plan, Units};
use tessera_workbook::accounts::attach_by_key;
use tessera_workbook::import::{parse_accounts, AttachBy};
use tessera_workbook::planning::PlanProgress;
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

/// The mock app with the workbook of [`write_workbook`] open.
fn open_app(path: &Path) -> tauri::App<tauri::test::MockRuntime> {
    write_workbook(path);
    let app = mock_builder()
        .manage(AppState::new())
        .build(mock_context(noop_assets()))
        .expect("mock app");
    let state = app.state::<AppState>();
    state.allow(Purpose::Workbook, path);
    state.open(path).expect("opens");
    app
}

#[test]
fn the_team_bar_adds_renames_and_deletes_teams_with_the_clis_rules() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("teams.tessera");
    let app = open_app(&path);
    let state = app.state::<AppState>();

    // The form's choices: the accounts' columns with their values, and the measures.
    let choices = team_choices_of(&state).expect("choices");
    let segment = choices.columns.iter().find(|c| c.name == "segment").expect("segment");
    assert_eq!(
        (segment.numeric, segment.values.clone()),
        (false, vec!["A".to_string(), "B".to_string()])
    );
    assert!(choices.columns.iter().any(|c| c.name == "hours" && c.numeric));
    assert!(choices.account_measures.contains(&"hours".to_string()));
    assert!(choices.unit_measures.contains(&"workload".to_string()));

    // A team of the segment-B accounts, balancing their hours within ±8%, with reps from a CSV chosen in the
    // import dialog.
    let reps = dir.path().join("reps.csv");
    std::fs::write(&reps, "id,name,lon,lat\nR1,Ann,-100,40\nR2,Bo,-97,40.3\n").expect("reps");
    let request = NewTeamRequest {
        name: " key B ".into(),
        filter: Some(FilterRequest {
            column: "segment".into(),
            value: "B".into(),
        }),
        measure: Some("hours".into()),
        tolerance: Some(0.08),
        reps: Some(reps.clone()),
    };
    let err = add_team_to(&state, &request).expect_err("the reps file was not chosen in a dialog");
    assert_eq!(err.kind(), "not_chosen", "{err}");
    assert_eq!(teams_of(&state).expect("teams").teams.len(), 2, "nothing added");
    state.allow(Purpose::Import, &reps);
    let teams = add_team_to(&state, &request).expect("added");
    let b = teams.teams.iter().find(|t| t.name == "key B").expect("trimmed name");
    assert_eq!(
        (
            b.filter.as_deref(),
            b.measure.as_deref(),
            b.tolerance,
            b.reps,
            b.scenarios
        ),
        (Some("segment = B"), Some("hours"), Some(0.08), 2, 0)
    );
    assert_eq!(teams.selected, "default", "the window switches with select_team");
    let summary = select_team("key B".into(), app.state()).expect("show it");
    assert_eq!(summary.unit_count, 4, "every unit has a segment-B account");
    assert_eq!(summary.reps.len(), 2);
    assert!(
        list_scenarios(app.state()).expect("list").is_empty(),
        "no alignment: design territories"
    );
    // "Design territories" on the new team: the window's optimize path with no scenario to start from, saved
    // as the team's first scenario; the default team keeps its one.
    let inputs = optimize_inputs(&state).expect("inputs");
    assert!(inputs.current.is_none() && inputs.reps.len() == 2);
    let design = OptimizeRequest {
        territories: None,
        measure: "hours".into(),
        tolerance: 0.08,
        keep_current: false,
        max_moved: None,
        respect_locks: true,
        time_limit: 5.0,
        only: vec![],
        seed: 1,
        restarts: Some(2),
        caps: vec![],
        floors: vec![],
        mixes: vec![],
    };
    let outcome = run(&inputs, &design, &PlanProgress::default()).expect("designs");
    assert_eq!(outcome.plan.names().len(), 2, "one territory per rep");
    let saved = save_result(&state, outcome).expect("saved");
    assert_eq!(saved.scenarios.len(), 1, "{:?}", saved.scenarios);
    let counts: Vec<(String, usize)> = teams_of(&state)
        .expect("teams")
        .teams
        .into_iter()
        .map(|t| (t.name, t.scenarios))
        .collect();
    assert_eq!(
        counts,
        [
            ("default".to_string(), 1),
            ("key A".to_string(), 0),
            ("key B".to_string(), 1)
        ]
    );

    // Refusals in the planner's words, nothing changed.
    let refused = |request: NewTeamRequest, says: &str| {
        let err = add_team_to(&state, &request).expect_err("refused");
        assert_eq!(err.kind(), "request", "{err}");
        let text = err.to_string();
        assert!(text.contains(says), "{text}");
        assert!(!text.contains(path.to_string_lossy().as_ref()), "no file path: {text}");
    };
    let base = || NewTeamRequest {
        reps: None,
        ..request.clone()
    };
    refused(
        base(),
        "Team “key B” cannot be added: the workbook has a team of this name.",
    );
    refused(
        NewTeamRequest {
            name: "z".into(),
            filter: Some(FilterRequest {
                column: "segment".into(),
                value: "Z".into(),
            }),
            ..base()
        },
        "no account in a unit has segment = Z",
    );
    refused(
        NewTeamRequest {
            name: "w".into(),
            measure: Some("workload".into()),
            ..base()
        },
        "its units have no measure \"workload\"",
    );
    refused(
        NewTeamRequest {
            name: "t".into(),
            tolerance: Some(1.5),
            ..base()
        },
        "not between 0 and 1",
    );
    assert_eq!(teams_of(&state).expect("teams").teams.len(), 3);

    // Rename the shown team: it stays shown, under its new name.
    let teams = rename_team_in(&state, "key B", "segment B").expect("renamed");
    assert_eq!(teams.selected, "segment B");
    let err = rename_team_in(&state, "segment B", "key A").expect_err("taken");
    assert!(
        err.to_string()
            .contains("cannot be renamed: the workbook has a team named \"key A\""),
        "{err}"
    );

    // The default team cannot be deleted; the shown team can, and the window is back on the default team.
    let err = delete_team_in(&state, "default").expect_err("default");
    assert!(
        err.to_string()
            .starts_with("Team “default” cannot be deleted: it is the default team"),
        "{err}"
    );
    let teams = delete_team_in(&state, "segment B").expect("deleted");
    assert_eq!(teams.selected, "default");
    assert_eq!(
        teams.teams.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["default", "key A"]
    );
    let units: serde_json::Value = serde_json::from_str(&units_geojson_text(&state).expect("units")).expect("json");
    assert_eq!(units["features"].as_array().map(Vec::len), Some(4));
    assert_eq!(
        list_scenarios(app.state()).expect("list").len(),
        1,
        "the default team's \"current\" is shown again"
    );
    let err = delete_team_in(&state, "nope").expect_err("unknown");
    assert!(
        err.to_string().contains("no team “nope” (its teams: default, key A)"),
        "{err}"
    );
}
