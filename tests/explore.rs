//! End-to-end tests of `tessera explore` and `tessera plan --search genetic` on the sample counties: the front
//! written is non-dominated, every plan on it is whole, contiguous and has the figures its row in front.json
//! claims (measured again by `tessera evaluate`), the charts are written, an existing exploration is only
//! replaced with --force, and conflicting flags are refused with exit 2.

use std::collections::HashMap;
use std::path::Path;

#[path = "support/run.rs"]
mod run;
use run::{root, s, tessera};

/// The sample counties' flags: units (with their `territory` column, the current plan), adjacency, reps.
fn sample() -> Vec<String> {
    let sd = root().join("sample-data");
    vec![
        "--units".into(),
        s(&sd.join("us-counties.csv")).into(),
        "--adjacency".into(),
        s(&sd.join("us-county-adjacency.csv")).into(),
        "--reps".into(),
        s(&sd.join("reps.csv")).into(),
    ]
}

fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let headers = r.headers().expect("headers").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            headers
                .iter()
                .map(String::from)
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn explore_writes_a_non_dominated_front_of_valid_plans_that_are_what_their_rows_claim() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("front");
    let mut args: Vec<String> = vec!["explore".into()];
    args.extend(sample());
    args.extend(["--time-limit", "8", "--seed", "3", "--out", s(&out)].map(String::from));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = tessera(&argv);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("front.json")).expect("front.json")).expect("json");
    for chart in ["front.svg", "front.png"] {
        let len = std::fs::metadata(out.join(chart)).expect(chart).len();
        assert!(len > 1000, "{chart} has {len} bytes");
    }
    let svg = std::fs::read_to_string(out.join("front.svg")).expect("svg");
    assert!(svg.contains("current plan"), "the current plan is marked");
    // The time limit is a deadline for the whole run, reading the inputs included (limit × 1.05 + 0.5 s).
    let seconds = doc["seconds"].as_f64().expect("seconds");
    assert!(seconds <= 8.0 * 1.05 + 0.5, "{seconds} s for an 8 s limit");
    // Children the searches dropped for an infeasible allocation are counted, and a note says so exactly when
    // there were any.
    let dropped = doc["children_dropped"].as_u64().expect("children_dropped");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        dropped > 0,
        stderr.contains("dropped"),
        "{dropped} dropped; stderr: {stderr}"
    );
    let rows = doc["plans"].as_array().expect("plans");
    assert!(rows.len() >= 2, "a front of {} plans", rows.len());
    // Non-dominated over (max deviation, travel, moved share).
    let obj = |r: &serde_json::Value| {
        [
            r["max_dev"].as_f64().expect("max_dev"),
            r["travel"].as_f64().expect("travel"),
            r["moved_fraction"].as_f64().expect("moved"),
        ]
    };
    for a in rows {
        for b in rows {
            let (x, y) = (obj(a), obj(b));
            let dominates = x.iter().zip(&y).all(|(p, q)| p <= q) && x.iter().zip(&y).any(|(p, q)| p < q);
            assert!(!dominates, "{a} dominates {b}");
        }
    }
    // Every plan: every county once, contiguous, and the figures of its row, measured again.
    let units = read_csv(&root().join("sample-data/us-counties.csv"));
    let current: HashMap<&str, &str> = units
        .iter()
        .map(|u| (u["id"].as_str(), u["territory"].as_str()))
        .collect();
    let workload: HashMap<&str, f64> = units
        .iter()
        .map(|u| (u["id"].as_str(), u["workload"].parse::<f64>().expect("workload")))
        .collect();
    let total: f64 = workload.values().sum();
    for r in rows {
        let file = out.join(r["file"].as_str().expect("file"));
        let plan = read_csv(&file);
        assert_eq!(plan.len(), units.len(), "{} assigns every county once", file.display());
        let moved: f64 = plan
            .iter()
            .filter(|row| current[row["id"].as_str()] != row["territory"])
            .map(|row| workload[row["id"].as_str()])
            .sum::<f64>()
            / total;
        assert!(
            close(moved, r["moved_fraction"].as_f64().expect("moved")),
            "moved {moved} in {r}"
        );
        let mut eval: Vec<String> = vec!["evaluate".into()];
        eval.extend(sample());
        eval.extend(["--plan", s(&file), "--json"].map(String::from));
        let argv: Vec<&str> = eval.iter().map(String::as_str).collect();
        let e = tessera(&argv);
        assert!(e.status.success(), "{}", String::from_utf8_lossy(&e.stderr));
        let m: serde_json::Value = serde_json::from_slice(&e.stdout).expect("evaluate json");
        assert_eq!(m["n_noncontiguous"], 0, "{}", file.display());
        assert_eq!(r["n_noncontiguous"], 0);
        for key in ["max_dev", "cv", "travel"] {
            let (claimed, measured) = (r[key].as_f64().expect(key), m[key].as_f64().expect(key));
            assert!(
                close(claimed, measured),
                "{key}: row says {claimed}, evaluate {measured}"
            );
        }
    }
    // An existing exploration is replaced only with --force.
    let again = tessera(&argv);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let mut forced = argv.clone();
    forced.push("--force");
    let f = tessera(&forced);
    assert!(f.status.success(), "{}", String::from_utf8_lossy(&f.stderr));
    let doc2: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("front.json")).expect("front.json")).expect("json");
    let files: Vec<String> = std::fs::read_dir(&out)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("plan-"))
        .collect();
    assert_eq!(
        files.len(),
        doc2["plans"].as_array().expect("plans").len(),
        "no stale plan files: {files:?}"
    );
}

#[test]
fn plan_search_genetic_writes_a_balanced_contiguous_plan_and_refuses_conflicting_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan.csv");
    let metrics = dir.path().join("m.json");
    let mut args: Vec<String> = vec!["plan".into()];
    args.extend(sample());
    args.extend(
        [
            "--search",
            "genetic",
            "--generations",
            "3",
            "--time-limit",
            "60",
            "--out",
            s(&plan),
            "--metrics",
            s(&metrics),
        ]
        .map(String::from),
    );
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = tessera(&argv);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&metrics).expect("metrics")).expect("json");
    assert_eq!(m["search"], "genetic");
    assert_eq!(m["generations_done"], 3);
    assert!(m["plans_developed"].as_u64().expect("developed") >= 10);
    // The end of a genetic run counts the children dropped for an infeasible allocation (none here, and no
    // note saying otherwise) and the fresh populations (none in three generations).
    assert_eq!(m["children_dropped"], 0);
    assert!(!String::from_utf8_lossy(&run.stderr).contains("dropped"));
    assert_eq!(m["population_restarts"], 0);
    assert!(m["max_dev"].as_f64().expect("max_dev") <= 0.05 + 1e-9);
    assert_eq!(m["n_noncontiguous"], 0);
    assert!(m["promises"]
        .as_array()
        .expect("promises")
        .iter()
        .all(|p| p["kept"] == true));

    for (extra, says) in [
        (
            vec!["--search", "genetic", "--restarts", "4"],
            "--restarts with --search genetic",
        ),
        (vec!["--generations", "4"], "--generations needs --search genetic"),
        (vec!["--search", "genetic", "--generations", "0"], "--generations 0"),
        (
            vec!["--search", "genetic", "--only", "R01"],
            "genetic search designs the whole plan",
        ),
    ] {
        let mut args: Vec<String> = vec!["plan".into()];
        args.extend(sample());
        args.extend(["--out", s(&dir.path().join("x.csv"))].map(String::from));
        args.extend(extra.iter().map(|x| x.to_string()));
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = tessera(&argv);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(says), "{extra:?}: {err}");
        assert!(!dir.path().join("x.csv").exists(), "nothing written for {extra:?}");
    }
}
