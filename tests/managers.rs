//! End-to-end tests of what managers use: `tessera compare` and the exports, each output read back with an
//! independent reader (csv, serde_json, calamine for XLSX, ogrinfo for GeoPackage) and checked against what the
//! workbook itself says (`tessera export --format json`, the plan CSV).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use calamine::{Data, Reader, Xlsx};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn tessera(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(args)
        .output()
        .expect("run tessera")
}

fn ok(args: &[&str]) -> Output {
    let out = tessera(args);
    assert!(
        out.status.success(),
        "tessera {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    out
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The sample counties with polygons and reps, and two more scenarios: "balanced" (one territory per rep,
/// ±5%) and "light" (at most 10% of the workload moved). Built once per test process; tests copy it when
/// they change it.
fn counties() -> &'static Path {
    static WB: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &WB.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let wb = dir.path().join("counties.tessera");
        let sd = root().join("sample-data");
        ok(&[
            "import",
            "--units",
            s(&sd.join("us-counties.csv")),
            "--adjacency",
            s(&sd.join("us-county-adjacency.csv")),
            "--polygons",
            s(&sd.join("us-counties.geojson")),
            "--reps",
            s(&sd.join("reps.csv")),
            "--out",
            s(&wb),
        ]);
        ok(&[
            "plan",
            "--workbook",
            s(&wb),
            "--save-as",
            "balanced",
            "--restarts",
            "2",
            "--seed",
            "1",
        ]);
        // Exits 3: 10% of the workload cannot fix the current alignment's imbalance; the plan is saved.
        let light = tessera(&[
            "plan",
            "--workbook",
            s(&wb),
            "--save-as",
            "light",
            "--max-moved",
            "0.1",
            "--restarts",
            "1",
            "--seed",
            "1",
        ]);
        assert!(matches!(light.status.code(), Some(0 | 3)), "{light:?}");
        (dir, wb)
    })
    .1
}

/// A scenario's plan, through `tessera export` (what the workbook says), as id → territory.
fn plan_of(wb: &Path, scenario: &str) -> HashMap<String, String> {
    let out = ok(&["export", s(wb), "--scenario", scenario, "--out", "-", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            (rec[0].to_string(), rec[1].to_string())
        })
        .collect()
}

/// A scenario's metrics, through `tessera export --format json`.
fn metrics_of(wb: &Path, scenario: &str) -> serde_json::Value {
    let out = ok(&[
        "export",
        s(wb),
        "--scenario",
        scenario,
        "--out",
        "-",
        "--format",
        "json",
    ]);
    serde_json::from_slice(&out.stdout).expect("metrics JSON")
}

fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let headers = r.headers().expect("headers").iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.expect("record").iter().map(String::from).collect())
        .collect();
    (headers, rows)
}

fn col(headers: &[String], name: &str) -> usize {
    headers
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {headers:?}"))
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn compare_counts_every_moved_unit_and_matches_each_scenarios_own_figures() {
    let wb = counties();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("cmp");
    ok(&["compare", s(wb), "current", "balanced", "light", "--out", s(&out)]);
    let current = plan_of(wb, "current");
    let balanced = plan_of(wb, "balanced");
    let moved: HashSet<&String> = current.keys().filter(|id| current[*id] != balanced[*id]).collect();
    assert!(!moved.is_empty());

    // The realignment list: exactly the units whose territory differs, with both territories right.
    let (h, rows) = csv_rows(&out.join("moves.csv"));
    let listed: Vec<&Vec<String>> = rows.iter().filter(|r| r[col(&h, "scenario")] == "balanced").collect();
    assert_eq!(listed.len(), moved.len());
    for r in &listed {
        let id = &r[col(&h, "unit")];
        assert!(moved.contains(id), "{id} listed but did not move");
        assert_eq!(r[col(&h, "from")], current[id]);
        assert_eq!(r[col(&h, "to")], balanced[id]);
        assert!(!r[col(&h, "to_rep")].is_empty(), "the rep's name is given");
    }

    // The summary's figures are each scenario's own (as `tessera export --format json` gives them).
    let (h, rows) = csv_rows(&out.join("summary.csv"));
    assert_eq!(rows.len(), 3);
    for r in &rows {
        let m = metrics_of(wb, &r[0]);
        assert!(
            close(num(&r[col(&h, "max_dev")]), m["max_dev"].as_f64().expect("max_dev")),
            "{r:?}"
        );
        assert!(
            close(num(&r[col(&h, "travel")]), m["travel"].as_f64().expect("travel")),
            "{r:?}"
        );
    }
    assert_eq!(num(&rows[1][col(&h, "units_moved")]) as usize, moved.len());

    // Per territory: "after" is the scenario's own load, and the loads still sum to the total.
    let m = metrics_of(wb, "balanced");
    let load_of: HashMap<&str, f64> = m["territories"]
        .as_array()
        .expect("territories")
        .iter()
        .map(|t| (t["name"].as_str().expect("name"), t["load"].as_f64().expect("load")))
        .collect();
    let (h, rows) = csv_rows(&out.join("territories.csv"));
    let balanced_rows: Vec<_> = rows.iter().filter(|r| r[0] == "balanced").collect();
    assert_eq!(balanced_rows.len(), 25);
    let (mut before, mut after) = (0.0, 0.0);
    for r in balanced_rows {
        let a = num(&r[col(&h, "workload_after")]);
        assert!(close(a, load_of[r[col(&h, "territory")].as_str()]), "{r:?}");
        let b = num(&r[col(&h, "workload_before")]);
        assert!(close(num(&r[col(&h, "workload_diff")]), a - b));
        before += b;
        after += a;
    }
    assert!(close(before, after));

    // The JSON says the same.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("comparison.json")).expect("json")).expect("parse");
    assert_eq!(json["scenarios"][1]["units_moved"].as_u64(), Some(moved.len() as u64));

    // Files are not replaced without --force.
    let again = tessera(&["compare", s(wb), "current", "balanced", "--out", s(&out)]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    ok(&["compare", s(wb), "current", "balanced", "--out", s(&out), "--force"]);
}

#[test]
fn compare_to_xlsx_keeps_numbers_as_numbers() {
    let wb = counties();
    let dir = tempfile::tempdir().expect("temp dir");
    let x = dir.path().join("cmp.xlsx");
    ok(&["compare", s(wb), "current", "balanced", "--out", s(&x)]);
    let mut book: Xlsx<_> = calamine::open_workbook(&x).expect("open xlsx");
    assert_eq!(book.sheet_names(), ["summary", "territories", "moves"]);
    let summary = book.worksheet_range("summary").expect("summary");
    let headers: Vec<String> = summary
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let row = summary.rows().nth(2).expect("balanced row");
    assert_eq!(row[0], Data::String("balanced".into()));
    let m = metrics_of(wb, "balanced");
    match &row[col(&headers, "max_dev")] {
        Data::Float(v) => assert!(close(*v, m["max_dev"].as_f64().expect("max_dev"))),
        other => panic!("max_dev is not a number: {other:?}"),
    }
    let moves = book.worksheet_range("moves").expect("moves");
    let current = plan_of(wb, "current");
    let balanced = plan_of(wb, "balanced");
    let moved = current.keys().filter(|id| current[*id] != balanced[*id]).count();
    assert_eq!(moves.rows().count(), moved + 1);
}

#[test]
fn compare_refuses_bad_requests_with_code_2() {
    let wb = counties();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("x");
    let o = tessera(&["compare", s(wb), "current", "nope", "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nope"));
    let o = tessera(&["compare", s(wb), "current", "current", "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("twice"));
    let o = tessera(&[
        "compare",
        s(wb),
        "current",
        "balanced",
        "--measure",
        "nope",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no measure"));
    assert!(!out.exists(), "nothing written");
}
