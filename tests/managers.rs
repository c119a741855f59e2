//! End-to-end tests of what managers use: `tessera compare` and the exports, each output read back with an
//! independent reader (csv, serde_json, calamine for XLSX, ogrinfo for GeoPackage and GeoJSON) and checked against
//! what the workbook itself says (`tessera export --format json`, the plan CSV).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use calamine::{Data, Reader, Xlsx};

/// The sample counties with polygons and reps, and two more scenarios: "balanced" (one territory per rep,
/// ±5%) and "light" (at most 10% of the workload moved). Built once per test process; tests copy it when
/// they change it.
fn counties() -> &'static Path {
    static WB: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &WB.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let wb = dir.path().join("counties.tessera");
        let polygons = root().join("sample-data/us-counties.geojson");
        import_sample_counties_with(&wb, &["--polygons", s(&polygons)]);
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

#[path = "support/needs.rs"]
mod needs;

#[path = "support/run.rs"]
mod run;
use run::{import_sample_counties, import_sample_counties_with, ok, root, s, tessera};

/// Rings of a GeoJSON MultiPolygon as geo's type.
fn multipolygon(g: &serde_json::Value) -> geo::MultiPolygon<f64> {
    let ring = |r: &serde_json::Value| -> geo::LineString<f64> {
        r.as_array()
            .expect("ring")
            .iter()
            .map(|c| geo::Coord {
                x: c[0].as_f64().expect("x"),
                y: c[1].as_f64().expect("y"),
            })
            .collect()
    };
    let polys = g["coordinates"]
        .as_array()
        .expect("polygons")
        .iter()
        .map(|p| {
            let rings = p.as_array().expect("rings");
            geo::Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect())
        })
        .collect();
    geo::MultiPolygon::new(polys)
}

/// `ogrinfo -ro -al -so FILE`'s summary, after checking GDAL opened the file without a warning or error; `None`
/// (the test is skipped, saying why) where GDAL is not installed.
fn ogrinfo_summary(file: &Path, why: &str) -> Option<String> {
    let Ok(out) = Command::new("ogrinfo").args(["-ro", "-al", "-so", s(file)]).output() else {
        needs::absent(&format!("ogrinfo (GDAL), {why}"));
        return None;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("Warning") && !stderr.contains("ERROR"), "{stderr}");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn territory_geojson_covers_exactly_the_union_of_its_units_and_is_valid() {
    use geo::{Area, Validation};
    let wb = counties();
    let dir = tempfile::tempdir().expect("temp dir");
    let terr = dir.path().join("t.geojson");
    let units = dir.path().join("u.geojson");
    ok(&["export", s(wb), "--scenario", "balanced", "--out", s(&terr)]);
    ok(&[
        "export",
        s(wb),
        "--scenario",
        "balanced",
        "--out",
        s(&units),
        "--format",
        "units-geojson",
    ]);
    let t: serde_json::Value = serde_json::from_slice(&std::fs::read(&terr).expect("read")).expect("parse");
    let u: serde_json::Value = serde_json::from_slice(&std::fs::read(&units).expect("read")).expect("parse");
    // The union of each territory's unit polygons, from the units file.
    let mut members: HashMap<String, Vec<geo::MultiPolygon<f64>>> = HashMap::new();
    for f in u["features"].as_array().expect("features") {
        if f["geometry"]["type"] == "MultiPolygon" {
            let name = f["properties"]["territory"].as_str().expect("territory").to_string();
            members.entry(name).or_default().push(multipolygon(&f["geometry"]));
        }
    }
    let features = t["features"].as_array().expect("features");
    assert_eq!(features.len(), 25);
    let m = metrics_of(wb, "balanced");
    for f in features {
        let name = f["properties"]["territory"].as_str().expect("name");
        let shape = multipolygon(&f["geometry"]);
        assert!(shape.is_valid(), "territory {name} is not valid");
        let union = geo::unary_union(&members[name]);
        let (a, b) = (shape.unsigned_area(), union.unsigned_area());
        assert!(
            (a - b).abs() <= 1e-9 * b,
            "territory {name}: area {a} vs union of its units {b}"
        );
        let load = m["territories"]
            .as_array()
            .expect("territories")
            .iter()
            .find(|x| x["name"] == name)
            .expect("in metrics")["load"]
            .as_f64();
        assert_eq!(f["properties"]["workload"].as_f64(), load, "{name}");
    }
    // An independent reader: GDAL opens the file as GeoJSON, without a warning, with every territory as a
    // multipolygon.
    let Some(stdout) = ogrinfo_summary(&terr, "to read the territory GeoJSON") else {
        return;
    };
    assert!(stdout.contains("using driver `GeoJSON'"), "{stdout}");
    assert!(stdout.contains("Feature Count: 25"), "{stdout}");
    assert!(stdout.contains("Geometry: Multi Polygon"), "{stdout}");
}

#[test]
fn xlsx_export_holds_every_sheet_with_numbers_that_match_the_workbook() {
    let wb = counties();
    let dir = tempfile::tempdir().expect("temp dir");
    let x = dir.path().join("b.xlsx");
    ok(&[
        "export",
        s(wb),
        "--scenario",
        "balanced",
        "--out",
        s(&x),
        "--quota-total",
        "1000000",
        "--quota-measure",
        "potential_usd",
        "--ramp",
        "0.8",
    ]);
    let mut book: Xlsx<_> = calamine::open_workbook(&x).expect("open xlsx");
    assert_eq!(
        book.sheet_names(),
        ["summary", "territories", "quotas", "assignments", "moves"]
    );
    let m = metrics_of(wb, "balanced");
    let terr = book.worksheet_range("territories").expect("sheet");
    let headers: Vec<String> = terr
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut n = 0;
    for row in terr.rows().skip(1) {
        let name = row[0].to_string();
        let want = m["territories"]
            .as_array()
            .expect("territories")
            .iter()
            .find(|t| t["name"] == name.as_str())
            .expect("territory in metrics");
        match &row[col(&headers, "workload")] {
            Data::Float(v) => assert!(close(*v, want["load"].as_f64().expect("load")), "{name}"),
            other => panic!("load of {name} is not a number: {other:?}"),
        }
        n += 1;
    }
    assert_eq!(n, 25);
    let quotas = book.worksheet_range("quotas").expect("sheet");
    let total: f64 = quotas
        .rows()
        .skip(1)
        .map(|r| match &r[3] {
            Data::Float(v) => *v,
            other => panic!("quota is not a number: {other:?}"),
        })
        .sum();
    assert!(close(total, 1_000_000.0), "{total}");
    let assignments = book.worksheet_range("assignments").expect("sheet");
    assert_eq!(assignments.rows().count(), 3108 + 1);
    let plan = plan_of(wb, "balanced");
    for r in assignments.rows().skip(1).take(200) {
        assert_eq!(plan[&r[0].to_string()], r[1].to_string());
    }
}

#[test]
fn geopackage_export_opens_in_gdal_without_warnings_with_every_scenario() {
    let wb = counties();
    let dir = tempfile::tempdir().expect("temp dir");
    let g = dir.path().join("b.gpkg");
    ok(&["export", s(wb), "--scenario", "balanced", "--out", s(&g)]);
    let Some(stdout) = ogrinfo_summary(&g, "to open the GeoPackage") else {
        return;
    };
    for layer in [
        "units",
        "territories_current",
        "territories_balanced",
        "territories_light",
    ] {
        assert!(
            stdout.contains(&format!("Layer name: {layer}")),
            "{layer} missing: {stdout}"
        );
    }
    let b = Command::new("ogrinfo")
        .args(["-so", s(&g), "territories_balanced"])
        .output()
        .expect("ogrinfo");
    assert!(String::from_utf8_lossy(&b.stdout).contains("Feature Count: 25"));
}

#[test]
fn html_report_is_one_offline_file_with_maps_charts_and_the_moves() {
    let wb = counties();
    let dir = tempfile::tempdir().expect("temp dir");
    let h = dir.path().join("b.html");
    ok(&["export", s(wb), "--scenario", "balanced", "--out", s(&h)]);
    let html = std::fs::read_to_string(&h).expect("read");
    assert!(html.matches("<svg").count() >= 5, "two maps and three charts");
    for external in ["src=", "<script", "<link", "url("] {
        assert!(!html.contains(external), "the report must not reach out: {external}");
    }
    let current = plan_of(wb, "current");
    let balanced = plan_of(wb, "balanced");
    let moved = current.keys().filter(|id| current[*id] != balanced[*id]).count();
    assert!(html.contains(&format!("Realignment list ({moved} units)")));
}

/// A copy of the shared workbook, for tests that change it.
fn copy_of_counties(dir: &Path) -> PathBuf {
    let wb = dir.join("copy.tessera");
    std::fs::copy(counties(), &wb).expect("copy");
    wb
}

#[test]
fn a_scenario_from_exported_territory_polygons_is_the_same_plan() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = copy_of_counties(dir.path());
    let shapes = dir.path().join("balanced.geojson");
    ok(&["export", s(&wb), "--scenario", "balanced", "--out", s(&shapes)]);
    let out = ok(&[
        "scenarios",
        s(&wb),
        "--from-polygons",
        s(&shapes),
        "--name",
        "from shapes",
    ]);
    // County points outside their generalised outline are listed, not silently placed.
    let listed = String::from_utf8_lossy(&out.stderr);
    assert!(listed.contains("outside every territory polygon"), "{listed}");
    assert_eq!(plan_of(&wb, "from shapes"), plan_of(&wb, "balanced"));
    let again = tessera(&[
        "scenarios",
        s(&wb),
        "--from-polygons",
        s(&shapes),
        "--name",
        "from shapes",
    ]);
    assert_eq!(again.status.code(), Some(2), "not replaced without --replace");
}

#[test]
fn a_scenario_from_a_shapefile_written_by_gdal_is_the_same_plan() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = copy_of_counties(dir.path());
    let shapes = dir.path().join("balanced.geojson");
    ok(&["export", s(&wb), "--scenario", "balanced", "--out", s(&shapes)]);
    // GDAL writes the Shapefile (.shp, .shx, .dbf): a writer independent of the reader under test.
    let shp = dir.path().join("balanced.shp");
    let Ok(out) = Command::new("ogr2ogr")
        .args(["-f", "ESRI Shapefile", s(&shp), s(&shapes)])
        .output()
    else {
        needs::absent("ogr2ogr (GDAL), to write a Shapefile");
        return;
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    ok(&["scenarios", s(&wb), "--from-polygons", s(&shp), "--name", "from shp"]);
    assert_eq!(plan_of(&wb, "from shp"), plan_of(&wb, "balanced"));

    // A field the .dbf does not have: refused, naming the record and the field; nothing saved.
    let bad = tessera(&[
        "scenarios",
        s(&wb),
        "--from-polygons",
        s(&shp),
        "--property",
        "region",
        "--name",
        "nope",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("record 1: no territory name: the .dbf has no field \"region\""),
        "{err}"
    );
    let names = ok(&["scenarios", s(&wb)]);
    assert!(!String::from_utf8_lossy(&names.stdout).contains("nope"));
}

#[test]
fn scenarios_are_duplicated_renamed_noted_and_deleted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = copy_of_counties(dir.path());
    ok(&["scenarios", s(&wb), "--duplicate", "balanced", "--name", "b2"]);
    ok(&["scenarios", s(&wb), "--note", "b2", "--text", "for the March meeting"]);
    ok(&["scenarios", s(&wb), "--rename", "b2", "--name", "b3"]);
    ok(&["scenarios", s(&wb), "--delete", "light"]);
    let list: serde_json::Value = serde_json::from_slice(&ok(&["scenarios", s(&wb), "--json"]).stdout).expect("json");
    let names: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|x| x["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["current", "balanced", "b3"]);
    assert_eq!(list[2]["note"], "for the March meeting");
    assert_eq!(
        list[2]["params"], list[1]["params"],
        "the copy keeps the parameters to repeat the run"
    );
    assert_eq!(plan_of(&wb, "b3"), plan_of(&wb, "balanced"));
    for bad in [
        vec!["--rename", "current", "--name", "x"],
        vec!["--duplicate", "balanced", "--name", "b3"],
        vec!["--delete", "nope"],
        vec!["--name", "x"],
    ] {
        let mut args = vec!["scenarios", s(&wb)];
        args.extend(bad.iter().copied());
        assert_eq!(tessera(&args).status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn the_assignment_csv_keeps_every_column_of_the_units_file() {
    let wb = counties();
    let out = ok(&[
        "export",
        s(wb),
        "--scenario",
        "current",
        "--out",
        "-",
        "--format",
        "csv",
    ]);
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let h: Vec<String> = r.headers().expect("headers").iter().map(String::from).collect();
    for c in [
        "id",
        "territory",
        "rep",
        "name",
        "state",
        "lon",
        "lat",
        "workload",
        "potential_usd",
    ] {
        assert!(h.contains(&c.to_string()), "{c} missing from {h:?}");
    }
    let units = root().join("sample-data").join("us-counties.csv");
    let mut u = csv::Reader::from_path(units).expect("units");
    let uh: Vec<String> = u.headers().expect("headers").iter().map(String::from).collect();
    for (a, b) in r.records().zip(u.records()).take(300) {
        let (a, b) = (a.expect("row"), b.expect("row"));
        for c in ["id", "name", "state", "territory"] {
            assert_eq!(&a[col(&h, c)], &b[col(&uh, c)], "{c}");
        }
        assert_eq!(num(&a[col(&h, "workload")]), num(&b[col(&uh, "workload")]));
    }
}

#[test]
fn compare_with_quotas_shares_the_total_and_ramps_the_changed_territories() {
    let wb = counties();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("q");
    ok(&[
        "compare",
        s(wb),
        "current",
        "balanced",
        "--out",
        s(&out),
        "--quota-total",
        "1000000",
        "--quota-measure",
        "potential_usd",
        "--quota-history",
        "account_hours:0.3",
        "--ramp",
        "0.8",
    ]);
    let (h, rows) = csv_rows(&out.join("quotas.csv"));
    let (_, summary) = csv_rows(&out.join("summary.csv"));
    for (k, scenario) in ["current", "balanced"].iter().enumerate() {
        let mine: Vec<_> = rows.iter().filter(|r| r[0] == *scenario).collect();
        let total: f64 = mine.iter().map(|r| num(&r[col(&h, "quota")])).sum();
        assert!(close(total, 1_000_000.0), "{scenario}: {total}");
        let changed: Vec<_> = mine.iter().filter(|r| r[col(&h, "changed")] == "yes").collect();
        assert_eq!(
            changed.len().to_string(),
            summary[k][summary[k].len() - 2],
            "{scenario}"
        );
        for r in changed {
            assert!(close(num(&r[col(&h, "ramp_quota")]), 0.8 * num(&r[col(&h, "quota")])));
        }
    }
    let bad = tessera(&[
        "compare",
        s(wb),
        "current",
        "balanced",
        "--out",
        s(&out),
        "--quota-total",
        "5",
        "--force",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--quota-measure"));
}

#[test]
fn points_only_workbooks_get_valid_voronoi_territories_that_tile_the_outline() {
    use geo::{Area, Contains, Validation};
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("points.tessera");
    // The counties as points only (no polygons): territory shapes come from the units' Voronoi cells.
    import_sample_counties(&wb);
    let t = dir.path().join("t.geojson");
    ok(&["export", s(&wb), "--scenario", "current", "--out", s(&t)]);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&t).expect("read")).expect("parse");
    let shapes: Vec<(String, geo::MultiPolygon<f64>)> = v["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| {
            (
                f["properties"]["territory"].as_str().expect("name").to_string(),
                multipolygon(&f["geometry"]),
            )
        })
        .collect();
    assert_eq!(shapes.len(), 25);
    for (name, shape) in &shapes {
        assert!(shape.is_valid(), "{name} is not valid");
    }
    // The territories do not overlap: their areas add up to the area of their union. Within 1e-8, not 1e-9: each
    // territory is cut to the outline of the whole country, and the boolean operations snap to a grid over
    // their inputs' extent (2^31 steps across the US, ~1e-9 of it), as does this check's own union.
    let all: Vec<&geo::MultiPolygon<f64>> = shapes.iter().map(|(_, s)| s).collect();
    let sum: f64 = all.iter().map(|s| s.unsigned_area()).sum();
    let union = geo::unary_union(all.iter().copied()).unsigned_area();
    assert!((sum - union).abs() <= 1e-8 * union, "{sum} vs {union}");
    // Every unit's point inside the territories' union lies in its own territory.
    let plan = plan_of(&wb, "current");
    let units = csv::Reader::from_path(root().join("sample-data/us-counties.csv"))
        .expect("units")
        .into_records();
    let (mut inside, mut own) = (0, 0);
    for rec in units {
        let rec = rec.expect("row");
        let p = geo::Point::new(num(&rec[3]), num(&rec[4]));
        if let Some((_, shape)) = shapes.iter().find(|(_, sh)| sh.contains(&p)) {
            inside += 1;
            let mine = &shapes
                .iter()
                .find(|(n, _)| *n == plan[&rec[0]])
                .expect("own territory")
                .1;
            own += usize::from(mine.contains(&p));
            assert!(std::ptr::eq(shape, mine) || !mine.contains(&p));
        }
    }
    assert_eq!(inside, 3108, "the outline reaches past the outermost points");
    assert_eq!(own, inside, "every point lies in its own territory");
}
