//! "Explore trade-offs" (issue 12) and quotas in the compare view (issue 13), through the window's commands on a
//! small workbook with Tauri's mock runtime: the front streams over the progress channel while it grows, Cancel
//! stops it, a plan picked on the chart is saved as a scenario with its parameters and the figures its point
//! showed, and the compare view sets quotas as `tessera compare` does and draws the front on its chart.

use std::sync::{Arc, Mutex};

use tauri::ipc::{Channel, InvokeResponseBody};
use tauri::test::{mock_builder, mock_context, noop_assets};
use tauri::Manager;
use tessera_app::commands::compare::{compare_scenarios, QuotaRequest};
use tessera_app::commands::editing::open_scenario;
use tessera_app::commands::explore::{explore, save_front_plan, save_growing_plan, SavedFrontPlan};
use tessera_app::commands::optimize::cancel_optimize;
use tessera_app::explore::FrontPointDto;
use tessera_app::optimize::OptimizeRequest;
use tessera_app::scope::Purpose;
use tessera_app::AppState;
use tessera_optimizer::genetic::Front;
use tessera_optimizer::{evaluate, Adjacency, Measure, Plan, Units};
use tessera_workbook::{AdjacencySource, Dataset, Workbook};

/// A 12 × 8 grid of points (rook neighbours), workload heavier to the east, a potential measure; "current" is
/// four vertical stripes of three columns, contiguous and unbalanced.
fn workbook(path: &std::path::Path) {
    let (w, h) = (12usize, 8usize);
    let n = w * h;
    let units = Units::new(
        (0..n).map(|i| format!("u{i}")).collect(),
        (0..n).map(|i| -100.0 + (i % w) as f64 * 0.2).collect(),
        (0..n).map(|i| 38.0 + (i / w) as f64 * 0.2).collect(),
        vec![
            Measure {
                name: "workload".into(),
                values: (0..n).map(|i| 10.0 + (i % w) as f64 * 3.0 + (i / w) as f64).collect(),
            },
            Measure {
                name: "potential".into(),
                values: (0..n).map(|i| 100.0 + ((i * 37) % 50) as f64).collect(),
            },
        ],
    )
    .expect("units");
    let mut edges = Vec::new();
    for i in 0..n as u32 {
        if (i as usize) % w < w - 1 {
            edges.push((i, i + 1));
        }
        if (i as usize) / w < h - 1 {
            edges.push((i, i + w as u32));
        }
    }
    let ds = Dataset {
        units,
        adjacency: Adjacency::from_edges(n, &edges),
        adjacency_source: AdjacencySource::File,
        bridged: Vec::new(),
        polygons: None,
        reps: Vec::new(),
        current: Some(Plan::new(
            (0..n).map(|i| ((i % w) / 3) as u32).collect(),
            ["A", "B", "C", "D"].map(String::from).to_vec(),
        )),
    };
    drop(Workbook::create(path, &ds).expect("workbook"));
}

fn app_on(path: &std::path::Path) -> tauri::App<tauri::test::MockRuntime> {
    let app = mock_builder()
        .manage(AppState::new())
        .build(mock_context(noop_assets()))
        .expect("mock app");
    app.state::<AppState>().allow(Purpose::Workbook, path);
    tessera_app::commands::workbook::open_workbook(path.to_path_buf(), app.state()).expect("opens");
    open_scenario("current".into(), None, app.state()).expect("editing current");
    app
}

fn request(time_limit: f64) -> OptimizeRequest {
    OptimizeRequest {
        territories: Some(4),
        measure: "workload".into(),
        tolerance: 0.05,
        keep_current: true,
        max_moved: None,
        respect_locks: true,
        time_limit,
        only: vec![],
        seed: 1,
        restarts: None,
        caps: vec![],
        floors: vec![],
        mixes: vec![],
    }
}

/// A channel that keeps every message, and calls `each` with the app's handle on each.
fn recording(
    app: &tauri::App<tauri::test::MockRuntime>,
    each: impl Fn(&tauri::AppHandle<tauri::test::MockRuntime>, &serde_json::Value) + Send + Sync + 'static,
) -> (
    Channel<tessera_app::commands::explore::ExploreProgressDto>,
    Arc<Mutex<Vec<serde_json::Value>>>,
) {
    let messages = Arc::new(Mutex::new(Vec::new()));
    let (sink, handle) = (messages.clone(), app.handle().clone());
    let channel = Channel::new(move |body| {
        let InvokeResponseBody::Json(json) = body else {
            panic!("progress is sent as JSON");
        };
        let value: serde_json::Value = serde_json::from_str(&json).expect("json");
        each(&handle, &value);
        sink.lock().expect("messages").push(value);
        Ok(())
    });
    (channel, messages)
}

fn objectives(p: &FrontPointDto) -> [f64; 3] {
    [p.max_dev, p.travel, p.moved_fraction]
}

#[test]
fn the_front_streams_while_it_grows_and_a_picked_plan_is_saved_with_its_parameters_and_figures() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("grid.tessera");
    workbook(&path);
    let app = app_on(&path);

    let (channel, messages) = recording(&app, |_, _| {});
    let result = tauri::async_runtime::block_on(explore(request(4.0), None, channel, app.state())).expect("explores");
    assert!(!result.cancelled);
    assert!(result.seconds <= 4.0 * 1.05 + 0.5, "{} s", result.seconds);
    let messages = messages.lock().expect("messages").clone();
    let growing: Vec<&serde_json::Value> = messages.iter().filter(|m| m["front"].is_array()).collect();
    assert!(!growing.is_empty(), "the front was sent while it grew: {messages:?}");
    assert!(
        growing.iter().all(|m| m["front"][0]["index"].is_null()),
        "no plan can be picked mid-run"
    );
    assert!(messages
        .iter()
        .any(|m| m["front"].is_null() && m["stage"].as_str().is_some_and(|s| s.starts_with("explore"))));

    // The front: every plan contiguous, none dominating another, indexed in order; the current plan beside it.
    assert!(!result.front.is_empty());
    for (k, p) in result.front.iter().enumerate() {
        assert_eq!(p.index, Some(k));
        assert_eq!(p.noncontiguous, 0);
        for q in &result.front {
            assert!(!Front::dominates(objectives(q), objectives(p)), "{q:?} dominates {p:?}");
        }
    }
    let current = result.current.as_ref().expect("the run kept the current plan");
    assert_eq!(current.moved_fraction, 0.0);
    assert_eq!(result.measure, "workload");
    assert!(!result.searches.is_empty());

    // Picking a plan saves it once, with the exploration's parameters and the figures its point showed.
    let k = result.front.len() - 1;
    let saved = save_front_plan(k, app.state()).expect("saved");
    assert_eq!((saved.scenario.as_str(), saved.created), ("explored 1", true));
    assert_eq!(saved.point.scenario.as_deref(), Some("explored 1"));
    assert!(saved.scenarios.iter().any(|s| s.name == "explored 1"));
    let again = save_front_plan(k, app.state()).expect("picked again");
    assert_eq!((again.scenario.as_str(), again.created), ("explored 1", false));
    let err = save_front_plan(result.front.len(), app.state()).expect_err("off the front");
    assert_eq!(err.kind(), "request");
    assert!(err.to_string().contains("no plan"), "{err}");

    // The row as stored (the app holds the workbook open and locked: read it through the app's handle).
    let stored = app
        .state::<AppState>()
        .with_workbook(|wb| Ok(wb.workbook.scenario("explored 1")?))
        .expect("row");
    assert_eq!(stored.params["search"], "explore");
    assert_eq!(stored.params["front_index"], k);
    assert_eq!(stored.params["tolerance"], 0.05);
    assert_eq!(stored.params["seed"], 1);
    assert_eq!(stored.params["from_current"], true);
    let units = app
        .state::<AppState>()
        .with_workbook(|wb| Ok(wb.dataset.clone()))
        .expect("dataset");
    let weights = units.units.measure("workload").expect("workload").to_vec();
    let e = evaluate(&units.units, &units.adjacency, &stored.plan, &weights, 4, &[]);
    let point = &result.front[k];
    assert!((e.max_dev - point.max_dev).abs() < 1e-12 && (e.travel - point.travel).abs() <= 1e-9 * e.travel);
    assert_eq!(stored.metrics["moved_fraction"], point.moved_fraction);

    // The compare view draws the front on its travel–balance chart and sets quotas as `tessera compare` does.
    let quota = QuotaRequest {
        total: 1_000_000.0,
        potential: "potential".into(),
        history: Some(("workload".into(), 0.25)),
        ramp: Some(0.8),
    };
    let view =
        compare_scenarios(vec!["current".into(), "explored 1".into()], Some(quota), app.state()).expect("compares");
    if view.chart_note.is_none() {
        assert_eq!(view.front_plans, result.front.len());
        assert!(view.charts[0].contains("trade-off front"), "the front is on the chart");
    }
    assert_eq!(view.quotas.len(), 2);
    assert!(view.quota_error.is_none());
    for q in &view.quotas {
        let sum: f64 = q.rows.iter().map(|r| r.quota).sum();
        assert!((sum - 1_000_000.0).abs() < 1e-6, "{} sums to {sum}", q.scenario);
        for r in &q.rows {
            assert!((r.quota - r.share * 1_000_000.0).abs() < 1e-6);
            let ramp = if r.changed { 0.8 * r.quota } else { r.quota };
            assert!((r.ramp_quota - ramp).abs() < 1e-6, "{r:?}");
        }
    }
    assert!(
        view.quotas[0].rows.iter().all(|r| !r.changed),
        "the baseline against itself"
    );
    // A quota that cannot be set is explained beside the comparison, which still shows.
    let bad = QuotaRequest {
        total: 1.0,
        potential: "revenue".into(),
        history: None,
        ramp: None,
    };
    let view =
        compare_scenarios(vec!["current".into(), "explored 1".into()], Some(bad), app.state()).expect("compares");
    assert!(view.quotas.is_empty());
    assert!(
        view.quota_error.as_deref().is_some_and(|e| e.contains("revenue")),
        "{:?}",
        view.quota_error
    );
}

/// A plan id clicked, and what saving it gave.
type Pick = (String, Result<SavedFrontPlan, String>);

#[test]
fn a_plan_picked_while_the_front_grows_is_saved_at_once_and_stays_saved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("grid.tessera");
    workbook(&path);
    let app = app_on(&path);
    // The planner clicks the first point of the first front shown, while the search goes on; and a point of
    // no front at all.
    let picks: Arc<Mutex<Vec<Pick>>> = Arc::default();
    let sink = picks.clone();
    let (channel, messages) = recording(&app, move |handle, m| {
        let mut picks = sink.lock().expect("picks");
        if !picks.is_empty() {
            return;
        }
        if let Some(id) = m["front"][0]["id"].as_str() {
            let saved = save_growing_plan(id.to_string(), handle.state()).map_err(|e| e.to_string());
            let stray = save_growing_plan("00000000000000ff".into(), handle.state()).map_err(|e| e.to_string());
            picks.push((id.to_string(), saved));
            picks.push(("00000000000000ff".into(), stray));
        }
    });
    let result = tauri::async_runtime::block_on(explore(request(4.0), None, channel, app.state())).expect("explores");
    let picks = picks.lock().expect("picks");
    let (id, saved) = &picks[0];
    let saved = saved.as_ref().expect("saved while the run went");
    assert_eq!((saved.scenario.as_str(), saved.created), ("explored 1", true));
    assert_eq!(saved.point.id.as_deref(), Some(id.as_str()));
    assert_eq!(saved.point.index, None);
    assert!(saved.scenarios.iter().any(|s| s.name == "explored 1"));
    let stray = picks[1].1.as_ref().expect_err("no such plan");
    assert!(stray.contains("no longer on the front"), "{stray}");

    // Later reports name its scenario while it stays on the front.
    let messages = messages.lock().expect("messages").clone();
    let at = messages
        .iter()
        .position(|m| {
            m["front"]
                .as_array()
                .is_some_and(|f| f.iter().any(|p| p["id"] == id.as_str()))
        })
        .expect("the picked plan was shown");
    for m in messages.iter().skip(at + 1).filter(|m| m["front"].is_array()) {
        for p in m["front"].as_array().expect("points") {
            assert_eq!(
                p["scenario"].as_str() == Some("explored 1"),
                p["id"] == id.as_str(),
                "{p}"
            );
        }
    }

    // The scenario holds the plan picked, with the exploration's parameters and the figures it was saved with.
    let stored = app
        .state::<AppState>()
        .with_workbook(|wb| Ok(wb.workbook.scenario("explored 1")?))
        .expect("row");
    assert_eq!(stored.params["search"], "explore");
    assert_eq!(stored.params["picked_while_running"], true);
    assert_eq!(stored.params["seed"], 1);
    assert_eq!(
        format!(
            "{:016x}",
            tessera_workbook::planning::plan_id(stored.plan.territory_of())
        ),
        *id
    );
    let data = app
        .state::<AppState>()
        .with_workbook(|wb| Ok(wb.dataset.clone()))
        .expect("dataset");
    let weights = data.units.measure("workload").expect("workload").to_vec();
    let e = evaluate(&data.units, &data.adjacency, &stored.plan, &weights, 4, &[]);
    assert_eq!(e.n_noncontiguous, 0);
    assert!((e.travel - saved.point.travel).abs() <= 1e-9 * e.travel);
    assert!((e.max_dev - saved.point.max_dev).abs() < 1e-12);

    // On the finished front the plan, if still there, names its scenario, and picking it again gives it.
    if let Some(k) = result.front.iter().position(|p| p.id.as_deref() == Some(id.as_str())) {
        assert_eq!(result.front[k].scenario.as_deref(), Some("explored 1"));
        let again = save_front_plan(k, app.state()).expect("picked again");
        assert_eq!((again.scenario.as_str(), again.created), ("explored 1", false));
    }
    assert!(result.front.iter().filter(|p| p.scenario.is_some()).count() <= 1);
    // Once the run has ended, plans are picked on the finished front.
    let err = save_growing_plan(id.clone(), app.state()).expect_err("the run ended");
    assert!(err.to_string().contains("finished front"), "{err}");
}

#[test]
fn cancel_stops_an_exploration_with_the_front_found_so_far() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("grid.tessera");
    workbook(&path);
    let app = app_on(&path);
    assert!(!cancel_optimize(app.state()), "nothing runs yet");
    // The planner presses Cancel as soon as the first report arrives.
    let (channel, _) = recording(&app, |handle, _| {
        cancel_optimize(handle.state());
    });
    let started = std::time::Instant::now();
    let result = tauri::async_runtime::block_on(explore(request(120.0), None, channel, app.state())).expect("explores");
    assert!(result.cancelled);
    assert!(started.elapsed().as_secs_f64() < 30.0, "{:?}", started.elapsed());
    // The current plan is contiguous: the front holds at least it.
    assert!(!result.front.is_empty());
    assert!(!cancel_optimize(app.state()), "the run is over");
}

/// Caps and mix bands from the dialog reach the exploration as they reach Optimize: every plan of the front keeps
/// a cap on the number of units (counted from the saved plans), a cap that cannot hold is refused with its
/// numbers, and a band on a column the workbook lacks is refused naming it.
#[test]
fn an_exploration_keeps_the_dialogs_caps_and_refuses_impossible_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("grid.tessera");
    workbook(&path);
    let app = app_on(&path);
    let mut capped = request(3.0);
    // 96 units into 4 territories: at most 25 each leaves one unit of slack in all.
    capped.caps = serde_json::from_value(serde_json::json!([{ "measure": "units", "value": 25.0 }])).expect("a cap");
    let (channel, _) = recording(&app, |_, _| {});
    let result = tauri::async_runtime::block_on(explore(capped, None, channel, app.state())).expect("explores");
    assert!(!result.front.is_empty());
    for (k, p) in result.front.iter().enumerate() {
        assert!(p.keeps_limits && p.broken_limits.is_empty(), "{p:?}");
        let saved = save_front_plan(k, app.state()).expect("saved");
        let plan = app
            .state::<AppState>()
            .with_workbook(|wb| Ok(wb.workbook.scenario(&saved.scenario)?))
            .expect("row")
            .plan;
        let mut per = std::collections::HashMap::new();
        for t in plan.territory_of() {
            *per.entry(t).or_insert(0usize) += 1;
        }
        assert!(per.values().all(|&c| c <= 25), "plan {k}: units per territory {per:?}");
    }
    let mut impossible = request(3.0);
    impossible.caps =
        serde_json::from_value(serde_json::json!([{ "measure": "units", "value": 23.0 }])).expect("a cap");
    let (channel, _) = recording(&app, |_, _| {});
    let err = tauri::async_runtime::block_on(explore(impossible, None, channel, app.state())).expect_err("cannot hold");
    assert_eq!(err.kind(), "request");
    assert!(err.to_string().contains("4 territories × 23 = 92 units"), "{err}");
    let mut banded = request(3.0);
    banded.mixes =
        serde_json::from_value(serde_json::json!([{ "column": "segment", "segment": "A", "lo": 0.2, "hi": null }]))
            .expect("a band");
    let (channel, _) = recording(&app, |_, _| {});
    let err = tauri::async_runtime::block_on(explore(banded, None, channel, app.state())).expect_err("no such column");
    assert_eq!(err.kind(), "request");
    assert!(err.to_string().contains("segment"), "{err}");
}
