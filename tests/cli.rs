//! End-to-end tests of the `tessera` binary: what a planner's script sees (outputs, exit codes, messages).
//!
//! Tests on the real instances read `../shared` beside the repository (CI lays it there); when it is absent
//! they say so and pass when run by hand, and fail under `TESSERA_STRICT=1` (scripts/test-all.sh): see
//! support/needs.rs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "support/needs.rs"]
mod needs;
use needs::shared;

#[path = "support/run.rs"]
mod run;
use run::{import_sample_counties, import_sample_counties_with, ok, root, s, tessera};

fn read_plan(path: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(path).expect("read plan");
    text.lines()
        .skip(1)
        // id and territory are the first two columns; an export's assignment CSV has more after them.
        .filter_map(|l| l.split_once(','))
        .map(|(a, rest)| (a, rest.split(',').next().unwrap_or(rest)))
        .map(|(a, b)| (a.trim_matches('"').to_string(), b.trim_matches('"').to_string()))
        .collect()
}

fn evaluate_json(inst: &Path, plan: &Path, p: usize) -> serde_json::Value {
    let out = ok(&[
        "evaluate",
        "--units",
        s(&inst.join("units.csv")),
        "--adjacency",
        s(&inst.join("adjacency.csv")),
        "--plan",
        s(plan),
        "--territories",
        &p.to_string(),
        "--json",
    ]);
    serde_json::from_slice(&out.stdout).expect("evaluate prints JSON")
}

#[test]
fn evaluate_agrees_with_the_referee_on_every_peer_plan() {
    let Some(shared) = shared() else { return };
    let expected: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/data/referee.json")).expect("fixture"))
            .expect("fixture JSON");
    assert!(expected.len() >= 15, "the fixture lists every peer plan");
    for e in expected {
        let inst = shared.join("instances").join(e["instance"].as_str().expect("instance"));
        let plan = shared
            .join("peers/plans")
            .join(e["instance"].as_str().expect("i"))
            .join(e["plan"].as_str().expect("p"));
        let got = evaluate_json(&inst, &plan, e["p"].as_u64().expect("p") as usize);
        let (gt, et) = (
            got["travel"].as_f64().expect("travel"),
            e["travel"].as_f64().expect("travel"),
        );
        assert!(((gt - et) / et).abs() < 1e-6, "{plan:?}: travel {gt} vs referee {et}");
        let (gd, ed) = (
            got["max_dev"].as_f64().expect("max_dev"),
            e["max_dev"].as_f64().expect("max_dev"),
        );
        assert!((gd - ed).abs() < 1e-9, "{plan:?}: max_dev {gd} vs referee {ed}");
        assert_eq!(
            got["n_noncontiguous"], e["n_noncontiguous"],
            "{plan:?}: non-contiguous territories"
        );
        let (gc, ec) = (got["cv"].as_f64().expect("cv"), e["cv"].as_f64().expect("cv"));
        assert!((gc - ec).abs() < 1e-9, "{plan:?}: cv {gc} vs referee {ec}");
    }
}

/// Plans Georgia and returns (plan path, metrics).
fn plan_georgia(dir: &Path, extra: &[&str]) -> (PathBuf, serde_json::Value) {
    let inst = shared().expect("shared").join("instances/georgia");
    let out = dir.join(format!("plan{}.csv", extra.len()));
    let metrics = dir.join(format!("metrics{}.json", extra.len()));
    let (units, adjacency) = (inst.join("units.csv"), inst.join("adjacency.csv"));
    let mut args = vec![
        "plan",
        "--units",
        s(&units),
        "--adjacency",
        s(&adjacency),
        "--territories",
        "10",
        "--out",
        s(&out),
        "--metrics",
        s(&metrics),
    ];
    let extra: Vec<String> = extra.iter().map(|x| x.to_string()).collect();
    args.extend(extra.iter().map(String::as_str));
    ok(&args);
    let m = serde_json::from_str(&std::fs::read_to_string(&metrics).expect("metrics")).expect("metrics JSON");
    (out, m)
}

#[test]
fn plan_on_georgia_is_balanced_contiguous_and_near_the_proven_optimum() {
    if shared().is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (plan, m) = plan_georgia(dir.path(), &[]);
    assert_eq!(read_plan(&plan).len(), 159, "every unit assigned once");
    assert!(m["max_dev"].as_f64().expect("max_dev") <= 0.05);
    assert_eq!(m["n_noncontiguous"], 0);
    // The proven optimum with contiguity is 2.3404e8; the bar is within 2% of it.
    let travel = m["travel"].as_f64().expect("travel");
    assert!(travel <= 2.387e8, "travel {travel}");
    let gap = m["certificate"]["gap"].as_f64().expect("certificate gap");
    assert!((0.0..0.05).contains(&gap), "certificate gap {gap}");
    // The referee (evaluate) agrees with the metrics the plan command wrote.
    let again = evaluate_json(&shared().expect("shared").join("instances/georgia"), &plan, 10);
    assert!((again["travel"].as_f64().expect("t") - travel).abs() / travel < 1e-9);
}

#[test]
fn the_same_seed_gives_the_same_plan() {
    if shared().is_none() {
        return;
    }
    let (a, b) = (tempfile::tempdir().expect("t"), tempfile::tempdir().expect("t"));
    let (pa, _) = plan_georgia(a.path(), &["--seed", "7", "--restarts", "4"]);
    let (pb, _) = plan_georgia(b.path(), &["--seed", "7", "--restarts", "4"]);
    assert_eq!(std::fs::read(pa).expect("a"), std::fs::read(pb).expect("b"));
}

#[test]
fn locked_units_keep_their_territory() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    // Fulton (Atlanta), Chatham (Savannah) and Richmond (Augusta) locked to three territories.
    let locks = dir.path().join("locks.csv");
    std::fs::write(&locks, "id,territory\n13121,T3\n13051,T7\n13245,T5\n").expect("write locks");
    let (plan, m) = plan_georgia(dir.path(), &["--locks", s(&locks)]);
    let p = read_plan(&plan);
    assert_eq!(p["13121"], "T3");
    assert_eq!(p["13051"], "T7");
    assert_eq!(p["13245"], "T5");
    assert_eq!(m["n_noncontiguous"], 0);
    assert!(m["max_dev"].as_f64().expect("max_dev") <= 0.05);
    let _ = shared;
}

#[test]
fn disruption_budget_is_held_and_names_are_kept() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let current = shared.join("peers/plans/georgia/recom.csv");
    let (plan, m) = plan_georgia(dir.path(), &["--current", s(&current), "--max-moved", "0.05"]);
    let moved = m["moved_fraction"].as_f64().expect("moved_fraction");
    assert!(moved <= 0.05 + 1e-9, "moved {moved}");
    let cur = read_plan(&current);
    let new = read_plan(&plan);
    let names: std::collections::HashSet<&String> = cur.values().collect();
    assert!(
        new.values().all(|t| names.contains(t)),
        "territories keep the current plan's names"
    );
}

#[test]
fn only_reoptimises_the_named_territories() {
    let Some(shared) = shared() else { return };
    let inst = shared.join("instances/conus");
    let current = shared.join("peers/plans/conus/recom.csv");
    let cur = read_plan(&current);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan.csv");
    let metrics = dir.path().join("m.json");
    // Two neighbouring territories of the current plan: those of Cook County (Chicago) and of one of its neighbours.
    let a = cur["17031"].clone();
    let b = ["17043", "17197", "17097", "18089"]
        .iter()
        .map(|u| cur[*u].clone())
        .find(|t| *t != a)
        .expect("neighbour");
    let only = format!("{a},{b}");
    ok(&[
        "plan",
        "--units",
        s(&inst.join("units.csv")),
        "--adjacency",
        s(&inst.join("adjacency.csv")),
        "--territories",
        "49",
        "--current",
        s(&current),
        "--only",
        &only,
        "--out",
        s(&out),
        "--metrics",
        s(&metrics),
    ]);
    let new = read_plan(&out);
    for (id, t) in &cur {
        if *t != a && *t != b {
            assert_eq!(&new[id], t, "unit {id} outside the selected territories moved");
        } else {
            assert!(new[id] == a || new[id] == b, "unit {id} left the selected territories");
        }
    }
    let m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&metrics).expect("m")).expect("json");
    assert_eq!(m["n_noncontiguous"], 0);
}

#[test]
fn a_unit_heavier_than_a_territory_fails_fast_with_its_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Los Angeles County is 1.78 × a territory's target at 49 territories (the conus instance leaves it out).
    let out = tessera(&[
        "plan",
        "--units",
        s(&root().join("sample-data/us-counties.csv")),
        "--adjacency",
        s(&root().join("sample-data/us-county-adjacency.csv")),
        "--territories",
        "49",
        "--out",
        s(&dir.path().join("p.csv")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("06037"), "{err}");
    assert!(err.contains("at most 29 territories"), "{err}");
    assert!(!dir.path().join("p.csv").exists(), "no plan written");
}

#[test]
fn bad_requests_exit_with_code_2_and_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let units = dir.path().join("u.csv");
    std::fs::write(&units, "id,lon,lat,workload\na,0,0,1\nb,0.1,0,1\nc,0.2,0,1\n").expect("write");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["--territories".into(), "0".into()], "at least 1"),
        (vec!["--territories".into(), "4".into()], "4 territories"),
        (
            vec!["--territories".into(), "2".into(), "--balance".into(), "revenue".into()],
            "revenue",
        ),
        (
            vec!["--territories".into(), "2".into(), "--tolerance".into(), "1.5".into()],
            "tolerance",
        ),
    ];
    for (extra, needle) in cases {
        let mut args = vec!["plan".to_string(), "--units".into(), s(&units).into(), "--out".into()];
        args.push(s(&dir.path().join("p.csv")).into());
        args.extend(extra);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = tessera(&refs);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{refs:?}: {err}");
        assert!(err.contains(needle), "{refs:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let missing = tessera(&[
        "evaluate",
        "--units",
        "/nonexistent/u.csv",
        "--plan",
        "x.csv",
        "--territories",
        "2",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/u.csv"));
}

#[test]
fn import_lists_and_exports_the_sample_workbook() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wb = dir.path().join("sample.tessera");
    let sd = root().join("sample-data");
    let polygons = sd.join("us-counties.geojson");
    import_sample_counties_with(&wb, &["--polygons", s(&polygons)]);
    let list = ok(&["scenarios", s(&wb), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json");
    assert!(
        v.as_array().expect("array").iter().any(|s| s["name"] == "current"),
        "{v}"
    );
    let out = dir.path().join("current.csv");
    ok(&["export", s(&wb), "--scenario", "current", "--out", s(&out)]);
    let exported = read_plan(&out);
    assert_eq!(exported.len(), 3108);
    // The export is the units file's territory column.
    let text = std::fs::read_to_string(sd.join("us-counties.csv")).expect("units");
    for line in text.lines().skip(1).take(50) {
        let cols: Vec<&str> = line.split(',').collect();
        let id = cols[0];
        let territory = cols[cols.len() - 1];
        assert_eq!(exported[id], territory, "{id}");
    }
    // A second import to the same path is refused, and the workbook is untouched.
    let again = tessera(&["import", "--units", s(&sd.join("us-counties.csv")), "--out", s(&wb)]);
    assert_eq!(again.status.code(), Some(2));
    ok(&["scenarios", s(&wb)]);
}

#[test]
fn ctrl_c_stops_the_optimizer_and_keeps_the_best_plan() {
    let Some(shared) = shared() else { return };
    let inst = shared.join("instances/zips-east");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan.csv");
    let metrics = dir.path().join("m.json");
    let child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args([
            "plan",
            "--units",
            s(&inst.join("units.csv")),
            "--adjacency",
            s(&inst.join("adjacency.csv")),
            "--territories",
            "40",
            "--restarts",
            "1000",
            "--time-limit",
            "600",
            "--out",
            s(&out),
            "--metrics",
            s(&metrics),
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn tessera");
    // Let a few restarts finish, then interrupt as a planner's Ctrl+C would.
    std::thread::sleep(std::time::Duration::from_secs(4));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let started = std::time::Instant::now();
    let output = child.wait_with_output().expect("wait");
    assert!(started.elapsed().as_secs() < 60, "stopped promptly");
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("stopped"), "{err}");
    assert_eq!(read_plan(&out).len(), 5370, "a whole plan was written");
    let m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&metrics).expect("m")).expect("json");
    assert_eq!(m["cancelled"], true);
}

#[test]
fn locks_that_break_balance_fail_fast_with_the_reason() {
    let Some(shared) = shared() else { return };
    let inst = shared.join("instances/georgia");
    let dir = tempfile::tempdir().expect("tempdir");
    // Fulton and DeKalb together are 1.84 × a territory's target.
    let locks = dir.path().join("locks.csv");
    std::fs::write(&locks, "id,territory\n13121,T1\n13089,T1\n").expect("write locks");
    let out = tessera(&[
        "plan",
        "--units",
        s(&inst.join("units.csv")),
        "--adjacency",
        s(&inst.join("adjacency.csv")),
        "--territories",
        "10",
        "--locks",
        s(&locks),
        "--out",
        s(&dir.path().join("p.csv")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("locked units give territory T1"), "{err}");
}

/// `PRAGMA integrity_check` of a workbook file.
fn integrity(path: &Path) -> String {
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
        .expect("integrity_check")
}

/// Scenario names of a workbook, as `tessera scenarios --json` lists them.
fn scenario_names(path: &Path) -> Vec<String> {
    let out = ok(&["scenarios", s(path), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s["name"].as_str().expect("name").to_string())
        .collect()
}

#[test]
fn killing_plan_and_save_at_any_point_leaves_the_old_or_the_new_workbook() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wb = dir.path().join("w.tessera");
    import_sample_counties(&wb);
    let args = [
        "plan",
        "--workbook",
        s(&wb),
        "--save-as",
        "optimized",
        "--restarts",
        "2",
        "--seed",
        "3",
    ];
    // How long a whole run takes here, to spread the kills over it.
    let t = std::time::Instant::now();
    ok(&args);
    let full = t.elapsed();
    ok(&[
        "export",
        s(&wb),
        "--scenario",
        "optimized",
        "--out",
        s(&dir.path().join("expected.csv")),
    ]);
    let expected = std::fs::read(dir.path().join("expected.csv")).expect("expected");
    let (mut old_states, mut new_states) = (0, 0);
    for k in 0..16u32 {
        // The old state: the workbook without the scenario (already so when the last kill came before the save).
        if scenario_names(&wb).contains(&"optimized".to_string()) {
            let mut w = tessera_workbook::Workbook::open(&wb).expect("open");
            w.delete_scenario("optimized").expect("delete");
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
            .args(args)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        if k < 15 {
            std::thread::sleep(full.mul_f64(f64::from(k) / 12.0));
            let _ = child.kill(); // SIGKILL
        }
        // The last run is not killed: on a loaded machine a run can outlast every kill, and the new state must
        // still be seen once.
        let _ = child.wait();
        // Listing first: a read-only open right after the crash must cope with the journal the kill left.
        let names = scenario_names(&wb);
        assert_eq!(integrity(&wb), "ok", "kill {k}");
        assert!(names.contains(&"current".to_string()), "kill {k}: {names:?}");
        if names.contains(&"optimized".to_string()) {
            // The new state, whole: the same seed gives the same plan as the uninterrupted run.
            let out = dir.path().join(format!("got{k}.csv"));
            ok(&["export", s(&wb), "--scenario", "optimized", "--out", s(&out)]);
            assert_eq!(
                std::fs::read(&out).expect("exported"),
                expected,
                "kill {k}: the new plan, whole"
            );
            new_states += 1;
        } else {
            old_states += 1;
        }
    }
    // The first kill lands before anything is saved; the last run ends by itself.
    assert!(
        old_states >= 1 && new_states >= 1,
        "{old_states} old, {new_states} new states after 16 kills"
    );
}

#[test]
fn killing_an_import_at_any_point_leaves_the_old_or_the_new_workbook() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wb = dir.path().join("w.tessera");
    let sd = root().join("sample-data");
    let (units, adjacency, reps) = (
        sd.join("us-counties.csv"),
        sd.join("us-county-adjacency.csv"),
        sd.join("reps.csv"),
    );
    let old = [
        "import",
        "--units",
        s(&units),
        "--adjacency",
        s(&adjacency),
        "--out",
        s(&wb),
        "--force",
    ];
    let new = [
        "import",
        "--units",
        s(&units),
        "--adjacency",
        s(&adjacency),
        "--reps",
        s(&reps),
        "--out",
        s(&wb),
        "--force",
    ];
    let t = std::time::Instant::now();
    ok(&new);
    let full = t.elapsed();
    let reps_in = |path: &Path| -> i64 {
        let conn =
            rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
        conn.query_row("SELECT COUNT(*) FROM tessera_reps", [], |r| r.get(0))
            .expect("count reps")
    };
    let (mut old_states, mut new_states) = (0, 0);
    for k in 0..16u32 {
        ok(&old);
        let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
            .args(new)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        if k < 15 {
            std::thread::sleep(full.mul_f64(f64::from(k) / 12.0));
            let _ = child.kill(); // SIGKILL
        }
        // The last run is not killed (as in the plan-and-save test above): on a loaded machine an import can
        // outlast every kill, and the new state must still be seen once.
        let _ = child.wait();
        assert_eq!(integrity(&wb), "ok", "kill {k}");
        assert_eq!(scenario_names(&wb), vec!["current".to_string()], "kill {k}");
        match reps_in(&wb) {
            0 => old_states += 1,
            25 => new_states += 1,
            n => panic!("kill {k}: {n} reps, neither the old workbook (0) nor the new (25)"),
        }
    }
    assert!(
        old_states >= 1 && new_states >= 1,
        "{old_states} old, {new_states} new states after 16 kills"
    );
}

#[test]
fn plan_of_a_workbook_keeps_the_locks_set_in_the_app() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wb = dir.path().join("w.tessera");
    import_sample_counties(&wb);
    let plan = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut args = vec![
            "plan",
            "--workbook",
            s(&wb),
            "--out",
            s(&out),
            "--restarts",
            "1",
            "--seed",
            "5",
        ];
        args.extend_from_slice(extra);
        ok(&args);
        read_plan(&out)
    };
    let exported = dir.path().join("current.csv");
    ok(&["export", s(&wb), "--scenario", "current", "--out", s(&exported)]);
    let current = read_plan(&exported);
    let free = plan("free.csv", &[]);
    // Units the unlocked run moves away from the current plan: locking them where they are must keep them.
    let mut moved: Vec<&String> = current.keys().filter(|u| free[*u] != current[*u]).collect();
    moved.sort();
    assert!(moved.len() >= 4, "the optimizer moves units of the naive current plan");
    let (a, b, c) = (moved[0], moved[moved.len() / 2], moved[moved.len() - 1]);
    {
        let mut w = tessera_workbook::Workbook::open(&wb).expect("open");
        let ids = w.dataset().expect("dataset").units.ids().to_vec();
        let index = |id: &str| ids.iter().position(|x| x == id).expect("unit");
        let locks: Vec<(usize, String)> = [a, b, c].iter().map(|u| (index(u), current[*u].clone())).collect();
        w.lock_units(&locks).expect("lock");
    }
    // A locks file on top: it adds a lock and, for a unit locked in both places, wins.
    let file = dir.path().join("locks.csv");
    std::fs::write(&file, format!("id,territory\n{c},{}\n", free[c])).expect("write locks");
    let locked = plan("locked.csv", &["--locks", s(&file)]);
    assert_eq!(locked[a], current[a], "{a} keeps its locked territory");
    assert_eq!(locked[b], current[b], "{b} keeps its locked territory");
    assert_eq!(locked[c], free[c], "{c}: the locks file overrides the workbook's lock");
}

/// `plan` on the sample counties with one territory per rep, and `extra` flags; returns the output.
fn plan_sample(extra: &[&str]) -> Output {
    let sd = root().join("sample-data");
    let (units, adjacency, reps) = (
        sd.join("us-counties.csv"),
        sd.join("us-county-adjacency.csv"),
        sd.join("reps.csv"),
    );
    let mut args = vec![
        "plan",
        "--units",
        s(&units),
        "--adjacency",
        s(&adjacency),
        "--reps",
        s(&reps),
    ];
    // Two restarts keep the tests quick, unless the test asks for its own number.
    if !extra.contains(&"--restarts") {
        args.extend_from_slice(&["--restarts", "2"]);
    }
    args.extend_from_slice(extra);
    tessera(&args)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_budget_that_cannot_buy_the_tolerance_writes_the_plan_says_why_and_exits_3() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plan, metrics) = (dir.path().join("plan.csv"), dir.path().join("m.json"));
    let out = plan_sample(&[
        "--max-moved",
        "0.05",
        "--also-balance",
        "potential_usd:0.15",
        "--out",
        s(&plan),
        "--metrics",
        s(&metrics),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(plan.exists(), "the plan is written");
    assert!(err.contains("promise not kept: tolerance"), "{err}");
    assert!(err.contains("5% disruption budget lets at most"), "{err}");
    assert!(err.contains("promise not kept: also_balance:potential_usd"), "{err}");
    assert!(!err.contains("error:"), "exit 3 is not an error: {err}");
    assert!(
        !err.contains("of the least travel"),
        "no certificate claim for an unbalanced plan: {err}"
    );
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&metrics).expect("metrics")).expect("json");
    let promises = m["promises"].as_array().expect("promises");
    let tolerance = promises
        .iter()
        .find(|p| p["name"] == "tolerance")
        .expect("tolerance promise");
    assert_eq!(tolerance["kept"], false);
    assert!(tolerance["why"].as_str().expect("why").contains("disruption budget"));
    let budget = promises
        .iter()
        .find(|p| p["name"] == "disruption_budget")
        .expect("budget promise");
    assert_eq!(budget["kept"], true, "the budget itself is held");
    assert!(m["moved_fraction"].as_f64().expect("moved") <= 0.05 + 1e-9);
}

#[test]
fn a_tolerance_whole_units_cannot_meet_is_refused_before_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan.csv");
    let started = std::time::Instant::now();
    let out = plan_sample(&["--tolerance", "0", "--out", s(&plan)]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot be met with whole units"), "{err}");
    assert!(err.contains("Ask for a tolerance of more than"), "{err}");
    assert!(!plan.exists(), "nothing written");
    assert!(started.elapsed().as_secs() < 20, "refused before the run, not after it");
}

#[test]
fn conflicting_or_out_of_range_flags_are_refused_with_the_fix() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan.csv");
    let p = s(&plan);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--tolerance", "-0.05", "--out", p],
            "--tolerance -0.05: the tolerance is",
        ),
        (
            vec!["--max-moved", "-0.1", "--out", p],
            "--max-moved -0.1: the disruption budget",
        ),
        (vec!["--time-limit", "-3", "--out", p], "--time-limit -3"),
        (vec!["--territories", "-3", "--out", p], "must be at least 1"),
        (vec!["--territories", "10", "--out", p], "there are 25 reps"),
        (vec!["--save-as", "x", "--out", p], "--workbook"),
        (vec!["--out", "-", "--metrics", "-"], "both write to standard output"),
        (
            vec!["--also-balance", "potential_usd:-0.2", "--out", p],
            "its tolerance must be",
        ),
    ];
    for (extra, needle) in cases {
        let out = plan_sample(&extra);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(needle), "{extra:?}: {err}");
        assert!(!err.contains("unexpected argument"), "{extra:?}: {err}");
        assert!(!plan.exists(), "{extra:?}: nothing written");
    }
}

#[test]
fn existing_files_are_replaced_only_with_force_and_dash_is_standard_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan.csv");
    std::fs::write(&plan, "keep me\n").expect("write");
    let out = plan_sample(&["--out", s(&plan)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("add --force"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&plan).expect("read"), "keep me\n");
    // The same for --metrics.
    let metrics = dir.path().join("m.json");
    std::fs::write(&metrics, "{}").expect("write");
    let out = plan_sample(&["--out", "-", "--metrics", s(&metrics)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&metrics).expect("read"), "{}");

    // `-` is standard output, for the plan and for the metrics; no file named "-" appears.
    let out = plan_sample(&["--out", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("id,territory\n"), "{text}");
    assert_eq!(text.lines().count(), 3109);
    let out = plan_sample(&["--out", s(&plan), "--force", "--metrics", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metrics on stdout");
    assert!(m["travel"].as_f64().is_some());
    assert_eq!(m["travel_unit"], "workload·km");
    assert!(read_plan(&plan).len() == 3108, "--force replaced the file");
    assert!(!Path::new("-").exists());

    // Export and import refuse too, naming --force and no internal name.
    let wb = dir.path().join("w.tessera");
    import_sample_counties(&wb);
    let again = tessera(&[
        "import",
        "--units",
        s(&root().join("sample-data/us-counties.csv")),
        "--out",
        s(&wb),
    ]);
    let err = stderr(&again);
    assert_eq!(again.status.code(), Some(2), "{err}");
    assert!(err.contains("--force") && !err.contains("Workbook::"), "{err}");
    let dash = tessera(&[
        "import",
        "--units",
        s(&root().join("sample-data/us-counties.csv")),
        "--out",
        "-",
    ]);
    assert_eq!(dash.status.code(), Some(2), "{}", stderr(&dash));
    assert!(
        stderr(&dash).contains("cannot go to standard output"),
        "{}",
        stderr(&dash)
    );
    let out = tessera(&["export", s(&wb), "--scenario", "current", "--out", s(&plan)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    ok(&["export", s(&wb), "--scenario", "current", "--out", s(&plan), "--force"]);
    let out = ok(&[
        "export",
        s(&wb),
        "--scenario",
        "current",
        "--out",
        "-",
        "--format",
        "csv",
    ]);
    // The assignment CSV: id and territory first (what `evaluate --plan` reads), then the rest of each unit.
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("id,territory,rep,"));
}

#[test]
fn the_imported_alignment_is_replaced_only_with_replace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wb = dir.path().join("w.tessera");
    import_sample_counties(&wb);
    let before = ok(&[
        "export",
        s(&wb),
        "--scenario",
        "current",
        "--out",
        "-",
        "--format",
        "csv",
    ])
    .stdout;
    let args = ["plan", "--workbook", s(&wb), "--save-as", "current", "--restarts", "1"];
    let out = tessera(&args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("imported alignment") && err.contains("--replace"), "{err}");
    let after = ok(&[
        "export",
        s(&wb),
        "--scenario",
        "current",
        "--out",
        "-",
        "--format",
        "csv",
    ])
    .stdout;
    assert_eq!(before, after, "current untouched");
    // Any existing name, not only "current".
    ok(&["plan", "--workbook", s(&wb), "--save-as", "b", "--restarts", "1"]);
    let out = tessera(&["plan", "--workbook", s(&wb), "--save-as", "b", "--restarts", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let mut replace = args.to_vec();
    replace.push("--replace");
    let out = tessera(&replace);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    let replaced = ok(&[
        "export",
        s(&wb),
        "--scenario",
        "current",
        "--out",
        "-",
        "--format",
        "csv",
    ])
    .stdout;
    assert_ne!(before, replaced, "replaced when asked");
}

#[test]
fn every_scenario_has_figures_with_one_travel_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wb = dir.path().join("w.tessera");
    import_sample_counties(&wb);
    let list = ok(&["scenarios", s(&wb)]);
    let text = String::from_utf8_lossy(&list.stdout);
    let current = text.lines().find(|l| l.starts_with("current")).expect("current row");
    assert!(current.contains("workload·km") && current.contains('%'), "{text}");
    let m = dir.path().join("m.json");
    ok(&["export", s(&wb), "--scenario", "current", "--out", s(&m)]);
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&m).expect("read")).expect("json");
    assert!(
        v["max_dev"].as_f64().expect("max_dev") > 2.0,
        "the sample's alignment is 211% off: {v}"
    );

    // The plan's summary line and the evaluate table print travel the same way, with its unit.
    let plan = dir.path().join("p.csv");
    let out = plan_sample(&["--out", s(&plan)]);
    let err = stderr(&out);
    assert!(err.contains(" workload·km"), "{err}");
    assert!(!err.contains("e10") && !err.contains("e9"), "{err}");
    let sd = root().join("sample-data");
    let table = ok(&[
        "evaluate",
        "--units",
        s(&sd.join("us-counties.csv")),
        "--adjacency",
        s(&sd.join("us-county-adjacency.csv")),
        "--reps",
        s(&sd.join("reps.csv")),
        "--plan",
        s(&plan),
    ]);
    let total = String::from_utf8_lossy(&table.stdout);
    let total = total.lines().last().expect("total line").to_string();
    let travel = err
        .split("travel ")
        .nth(1)
        .and_then(|t| t.split(',').next())
        .expect("travel in the summary");
    assert!(total.contains(travel), "summary {travel:?} vs table {total:?}");
    assert!(total.contains("25 territories"), "{total}");
}

#[test]
fn evaluate_refuses_fewer_territories_than_the_plan_has() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wb = dir.path().join("w.tessera");
    import_sample_counties(&wb);
    let plan = dir.path().join("current.csv");
    ok(&["export", s(&wb), "--scenario", "current", "--out", s(&plan)]);
    let sd = root().join("sample-data");
    let out = tessera(&[
        "evaluate",
        "--units",
        s(&sd.join("us-counties.csv")),
        "--adjacency",
        s(&sd.join("us-county-adjacency.csv")),
        "--plan",
        s(&plan),
        "--territories",
        "10",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the plan has 25 territories"), "{err}");
    assert!(out.stdout.is_empty(), "no table with a wrong header");
}

#[test]
fn a_run_the_time_limit_cut_short_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plan, metrics) = (dir.path().join("plan.csv"), dir.path().join("m.json"));
    let out = plan_sample(&[
        "--restarts",
        "40",
        "--time-limit",
        "0.001",
        "--out",
        s(&plan),
        "--metrics",
        s(&metrics),
    ]);
    let err = stderr(&out);
    assert!(matches!(out.status.code(), Some(0) | Some(3)), "{err}");
    assert!(
        err.contains("stopped: the 0.001 s time limit stopped the run after"),
        "{err}"
    );
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&metrics).expect("metrics")).expect("json");
    assert_eq!(m["stopped_early"], true);
    assert!(
        m["stopped"].as_str().expect("stopped").contains("of 40 restarts"),
        "{m}"
    );
}

#[test]
fn plan_of_a_workbook_balances_the_measure_chosen_in_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wb = dir.path().join("w.tessera");
    import_sample_counties_with(&wb, &["--balance", "accounts"]);
    // The units' names and states are kept for the app's hover (text columns, not measures).
    let text = tessera_workbook::Workbook::open_read_only(&wb)
        .expect("open")
        .unit_text()
        .expect("text");
    let names: Vec<&str> = text.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["name", "state"], "{names:?}");
    assert_eq!(
        (text[0].values[0].as_str(), text[1].values[0].as_str()),
        ("Autauga", "AL")
    );
    // The imported alignment's figures are on the chosen measure too.
    let list = ok(&["scenarios", s(&wb), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json");
    assert_eq!(v[0]["metrics"]["measure"], "accounts", "{v}");
    // Planning it balances accounts (on which Los Angeles County alone outweighs a 25th of the total), not a
    // silent "workload".
    let out = tessera(&["plan", "--workbook", s(&wb), "--save-as", "a", "--restarts", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("unit 06037 has accounts"), "{}", stderr(&out));
    let out = tessera(&[
        "plan",
        "--workbook",
        s(&wb),
        "--save-as",
        "w",
        "--restarts",
        "1",
        "--balance",
        "workload",
        "--metrics",
        "-",
    ]);
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metrics on stdout");
    assert_eq!(m["measure"], "workload", "--balance still chooses");
}

#[test]
fn reading_an_older_workbook_upgrades_it_and_shows_its_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wb = dir.path().join("old.tessera");
    import_sample_counties(&wb);
    // As a schema-2 workbook left it: the imported alignment without figures.
    let conn = rusqlite::Connection::open(&wb).expect("sqlite");
    conn.execute_batch(
        "UPDATE tessera_scenarios SET metrics = 'null';
         UPDATE tessera_meta SET value = '2' WHERE key = 'schema_version';",
    )
    .expect("make it old");
    drop(conn);
    let out = ok(&["scenarios", s(&wb)]);
    let text = String::from_utf8_lossy(&out.stdout);
    let current = text.lines().find(|l| l.starts_with("current")).expect("current row");
    assert!(current.contains("210.97%") && current.contains("workload·km"), "{text}");
    assert!(stderr(&out).contains("upgraded"), "{}", stderr(&out));
}
