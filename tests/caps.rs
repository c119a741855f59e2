//! End-to-end tests of `tessera plan --cap / --floor` (issue 14): the flags' form, refusals before the run that
//! name the limit and its numbers, plans that keep their caps and floors (checked from the written files), and the
//! limits stored with the scenario's parameters.

use std::collections::HashMap;
use std::path::Path;
use std::process::Output;

#[path = "support/run.rs"]
mod run;
use run::{import_sample_counties, root, s, tessera};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `tessera plan` on the sample counties, one territory per rep (25), two restarts, and `extra` flags.
fn plan_counties(extra: &[&str]) -> Output {
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
        "--restarts",
        "2",
    ];
    args.extend_from_slice(extra);
    tessera(&args)
}

/// Per territory of a plan CSV, the sum of a sample-county column (`units` counts the counties).
fn per_territory(plan: &Path, column: &str) -> HashMap<String, f64> {
    let counties = std::fs::read_to_string(root().join("sample-data").join("us-counties.csv")).expect("counties");
    let mut lines = counties.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let k = header.iter().position(|h| *h == column);
    let value: HashMap<String, f64> = lines
        .map(|l| {
            // The name column may hold a quoted comma; ids are first and the measures last, so count from the end.
            let f: Vec<&str> = l.split(',').collect();
            let v = match k {
                Some(k) => f[f.len() - (header.len() - k)].parse().expect("number"),
                None => 1.0,
            };
            (f[0].to_string(), v)
        })
        .collect();
    let mut out: HashMap<String, f64> = HashMap::new();
    for line in std::fs::read_to_string(plan).expect("plan").lines().skip(1) {
        let (id, t) = line.split_once(',').expect("id,territory");
        *out.entry(t.to_string()).or_default() += value[id];
    }
    out
}

#[test]
fn malformed_limit_flags_exit_2_naming_the_flag_and_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan.csv");
    let p = s(&plan);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--cap", "accounts250", "--out", p],
            "--cap \"accounts250\": no `:` between the measure and the value; write MEASURE:VALUE",
        ),
        (
            vec!["--floor", "potential_usd:lots", "--out", p],
            "--floor \"potential_usd:lots\": \"lots\" is not a number",
        ),
        (
            vec!["--cap", ":250", "--out", p],
            "--cap \":250\": the measure is missing",
        ),
        (
            vec!["--cap", "units:inf", "--out", p],
            "the value must be a finite number",
        ),
        (
            vec!["--cap", "units:-5", "--out", p],
            "--cap units:-5: a cap must be a number of at least 0",
        ),
        (
            vec!["--cap", "revenue:10", "--out", p],
            "--cap revenue:10: the units have no measure \"revenue\"",
        ),
        (
            vec!["--cap", "units:200", "--cap", "units:150", "--out", p],
            "give one cap per measure",
        ),
        (
            vec!["--cap", "accounts:1000", "--floor", "accounts:1200", "--out", p],
            "floor accounts:1200 is above cap accounts:1000",
        ),
    ];
    for (extra, needle) in cases {
        let out = plan_counties(&extra);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(needle), "{extra:?}: {err}");
        assert!(!plan.exists(), "{extra:?}: nothing written");
    }
}

#[test]
fn impossible_caps_and_floors_are_refused_before_the_run_with_their_numbers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan.csv");
    let p = s(&plan);
    let started = std::time::Instant::now();
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        // 25 reps × 700 = 17,500 accounts, but the counties hold 20,000.
        (
            vec!["--cap", "accounts:700", "--out", p],
            vec![
                "--cap accounts:700 cannot hold: 25 territories × 700 = 17500 accounts",
                "20000 accounts in total (2500 short)",
                "raise the cap to at least 800 or plan at least 29 territories",
            ],
        ),
        // Los Angeles County alone has 953 accounts.
        (
            vec!["--cap", "accounts:900", "--out", p],
            vec!["--cap accounts:900 cannot hold: unit 06037 alone has accounts 953, 53 above the cap"],
        ),
        // 25 × 124 = 3,100 < 3,108 counties.
        (
            vec!["--cap", "units:124", "--out", p],
            vec!["25 territories × 124 = 3100 units", "3108 units in total (8 short)"],
        ),
        (
            vec!["--floor", "accounts:801", "--out", p],
            vec![
                "--floor accounts:801 cannot hold: 25 territories × 801 = 20025 accounts",
                "(25 short)",
            ],
        ),
    ];
    for (extra, needles) in cases {
        let out = plan_counties(&extra);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
        for needle in needles {
            assert!(err.contains(needle), "{extra:?}: {err}");
        }
        assert!(!plan.exists(), "{extra:?}: nothing written");
    }
    assert!(
        started.elapsed().as_secs() < 30,
        "refused before the runs, not after them"
    );
}

#[test]
fn caps_and_floors_hold_in_the_written_plan_and_are_stored_with_the_scenario() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wb = dir.path().join("w.tessera");
    import_sample_counties(&wb);
    let (plan, metrics) = (dir.path().join("plan.csv"), dir.path().join("m.json"));
    let out = tessera(&[
        "plan",
        "--workbook",
        s(&wb),
        "--save-as",
        "capped",
        "--restarts",
        "2",
        // Every restart finishes (a debug build on a loaded machine can take longer than the default 30 s).
        "--time-limit",
        "600",
        // Each binds: without them the plan has a territory of 1,200 accounts, one of 303 counties and one with
        // $46.8M of potential (seed 0).
        "--cap",
        "accounts:1150",
        "--cap",
        "units:280",
        "--floor",
        "potential_usd:5e7",
        "--out",
        s(&plan),
        "--metrics",
        s(&metrics),
    ]);
    let err = stderr(&out);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&metrics).expect("metrics")).expect("json");
    let promise = |name: &str| {
        m["promises"]
            .as_array()
            .expect("promises")
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("promise {name}: {m}"))
            .clone()
    };
    for name in ["cap:accounts", "cap:units", "floor:potential_usd"] {
        assert_eq!(promise(name)["kept"], true, "{name}: {err}");
    }
    assert_eq!(out.status.code(), Some(0), "{err}");
    // Measured from the files, not from the optimizer's figures.
    let accounts = per_territory(&plan, "accounts");
    let units = per_territory(&plan, "units");
    let potential = per_territory(&plan, "potential_usd");
    assert_eq!(accounts.len(), 25);
    assert!(accounts.values().all(|&a| a <= 1150.0), "{accounts:?}");
    assert!(units.values().all(|&u| u <= 280.0), "{units:?}");
    assert!(potential.values().all(|&p| p >= 5e7), "{potential:?}");
    let limits = m["limits"].as_array().expect("limits in the metrics");
    let accounts_doc = limits.iter().find(|l| l["measure"] == "accounts").expect("accounts");
    assert_eq!(accounts_doc["cap"], 1150.0);
    assert_eq!(accounts_doc["territories_outside"], 0);
    let most = accounts.values().copied().fold(0.0, f64::max);
    assert_eq!(accounts_doc["max"].as_f64(), Some(most));
    // The scenario's parameters keep the limits, as the request gave them.
    let scenario = tessera_workbook::Workbook::open_read_only(&wb)
        .expect("open")
        .scenario("capped")
        .expect("scenario");
    let params = &scenario.params;
    assert_eq!(params["caps"][0]["measure"], "accounts");
    assert_eq!(params["caps"][0]["value"], 1150.0);
    assert_eq!(params["caps"][1]["measure"], "units");
    assert_eq!(params["floors"][0]["measure"], "potential_usd");
    assert_eq!(params["floors"][0]["value"], 5e7);
}

#[test]
fn a_plan_without_limits_stores_no_limit_parameters() {
    let dir = tempfile::tempdir().expect("tempdir");
    let metrics = dir.path().join("m.json");
    let out = plan_counties(&["--out", "-", "--metrics", s(&metrics)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&metrics).expect("metrics")).expect("json");
    assert!(m.get("limits").is_none(), "{m}");
    let names: Vec<&str> = m["promises"]
        .as_array()
        .expect("promises")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["tolerance", "contiguity"]);
}

#[test]
fn a_cap_the_run_cannot_keep_writes_the_plan_names_the_territories_and_exits_3() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plan, metrics) = (dir.path().join("plan.csv"), dir.path().join("m.json"));
    // 25 × 125 = 3,125 ≥ 3,108 counties, so nothing proves it impossible before the run; but every territory
    // would need 108 to 125 counties while balancing population within ±5%, which the map does not allow.
    let out = plan_counties(&[
        "--cap",
        "units:125",
        "--time-limit",
        "20",
        "--out",
        s(&plan),
        "--metrics",
        s(&metrics),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(plan.exists(), "the plan is written");
    assert!(err.contains("promise not kept: cap:units: "), "{err}");
    assert!(err.contains("territories have more than 125 units: "), "{err}");
    assert!(!err.contains("error:"), "exit 3 is not an error: {err}");
    // The territories named are the ones the plan file shows above the cap, with their counts.
    let units = per_territory(&plan, "units");
    let (worst, most) = units
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(t, &u)| (t.clone(), u))
        .expect("territories");
    assert!(most > 125.0);
    assert!(
        err.contains(&format!("{worst} has {most} ({} over)", most - 125.0)),
        "{worst} {most}: {err}"
    );
    let over = units.values().filter(|&&u| u > 125.0).count();
    assert!(err.contains(&format!("{over} of 25 territories")), "{over}: {err}");
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&metrics).expect("metrics")).expect("json");
    let cap = m["promises"]
        .as_array()
        .expect("promises")
        .iter()
        .find(|p| p["name"] == "cap:units")
        .expect("cap promise");
    assert_eq!(cap["kept"], false);
    assert_eq!(m["limits"][0]["territories_outside"], over);
}

#[test]
fn only_notes_before_the_run_a_cap_the_untouched_territories_already_break() {
    // The sample counties' imported alignment gives R17 (Los Angeles) 3,226 accounts; re-optimising other
    // territories cannot change that, and the planner is told before the run.
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan.csv");
    let out = plan_counties(&["--only", "R01,R02", "--cap", "accounts:1150", "--out", s(&plan)]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("note: cap accounts:1150: territories left alone by `only` already break it (R17 has 3226"),
        "{err}"
    );
    assert!(err.contains("promise not kept: cap:accounts: "), "{err}");
}

/// A 12 × 8 grid of units (ids `g00`..`g95`, 0.1° apart) whose western third weighs 1 and the rest 3, and its rook
/// adjacency, written into `dir`: a workload-balanced plan into 4 territories packs many light western units into
/// one territory, so a cap on the number of units binds.
fn light_west_grid(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (w, h) = (12, 8);
    let mut units = String::from("id,lon,lat,workload\n");
    let mut adjacency = String::from("a,b\n");
    for i in 0..w * h {
        let (x, y) = (i % w, i / w);
        let weight = if x < 4 { 1 } else { 3 };
        units.push_str(&format!(
            "g{i:02},{:.1},{:.1},{weight}\n",
            x as f64 * 0.1,
            40.0 + y as f64 * 0.1
        ));
        if x + 1 < w {
            adjacency.push_str(&format!("g{i:02},g{:02}\n", i + 1));
        }
        if y + 1 < h {
            adjacency.push_str(&format!("g{i:02},g{:02}\n", i + w));
        }
    }
    let (u, a) = (dir.join("grid.csv"), dir.join("grid-adjacency.csv"));
    std::fs::write(&u, units).expect("units");
    std::fs::write(&a, adjacency).expect("adjacency");
    (u, a)
}

/// `tessera explore --cap units:N` writes a front whose every plan keeps the cap (counted from its CSV) and whose
/// rows say so; the cap binds (a plan without it breaks it).
#[test]
fn explore_writes_a_front_whose_every_plan_keeps_a_unit_cap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (units, adjacency) = light_west_grid(dir.path());
    let base = [
        "--units",
        s(&units),
        "--adjacency",
        s(&adjacency),
        "--territories",
        "4",
        "--seed",
        "2",
    ];
    // Without the cap: some territory of the plan holds more than 26 units.
    let free = dir.path().join("free.csv");
    let mut args = vec!["plan"];
    args.extend_from_slice(&base);
    args.extend(["--restarts", "2", "--out", s(&free)]);
    let out = tessera(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let most = per_plan_counts(&free).into_values().max().expect("territories");
    assert!(
        most > 26,
        "without the cap some territory has {most} > 26 units: the cap binds"
    );

    let front = dir.path().join("front");
    let mut args = vec!["explore"];
    args.extend_from_slice(&base);
    args.extend(["--cap", "units:26", "--time-limit", "6", "--out", s(&front)]);
    let out = tessera(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(front.join("front.json")).expect("front.json")).expect("json");
    let plans = doc["plans"].as_array().expect("plans");
    assert!(!plans.is_empty());
    for row in plans {
        let file = row["file"].as_str().expect("file");
        let counts = per_plan_counts(&front.join(file));
        assert_eq!(counts.values().sum::<usize>(), 96, "{file}: every unit once");
        assert!(
            counts.values().all(|&c| c <= 26),
            "{file}: units per territory {counts:?}"
        );
        assert_eq!(row["limits_kept"], true, "{file}: {row}");
        assert_eq!(row["limits_broken"].as_array().map(Vec::len), Some(0), "{file}: {row}");
    }
}

/// Per territory of a plan CSV, its number of units.
fn per_plan_counts(plan: &Path) -> HashMap<String, usize> {
    let mut out: HashMap<String, usize> = HashMap::new();
    for line in std::fs::read_to_string(plan).expect("plan").lines().skip(1) {
        let (_, t) = line.split_once(',').expect("id,territory");
        *out.entry(t.to_string()).or_default() += 1;
    }
    out
}

/// `tessera explore` refuses an impossible cap before the run, with its numbers, as `tessera plan` does, and
/// writes nothing; a malformed one names the flag.
#[test]
fn explore_refuses_an_impossible_cap_with_its_numbers_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (units, adjacency) = light_west_grid(dir.path());
    let front = dir.path().join("front");
    let base = [
        "explore",
        "--units",
        s(&units),
        "--adjacency",
        s(&adjacency),
        "--territories",
        "4",
    ];
    let cases: [(&str, &[&str]); 3] = [
        // 4 × 23 = 92 < 96 units.
        (
            "units:23",
            &[
                "--cap units:23 cannot hold: 4 territories × 23 = 92 units",
                "96 units in total (4 short)",
                "raise the cap to at least 24 or plan at least 5 territories",
            ],
        ),
        (
            "workload:2",
            &[
                "--cap workload:2 cannot hold: 4 territories × 2 = 8 workload",
                "224 workload in total (216 short)",
            ],
        ),
        (
            "units23",
            &["--cap \"units23\": no `:` between the measure and the value"],
        ),
    ];
    for (cap, needles) in cases {
        let mut args = base.to_vec();
        args.extend(["--cap", cap, "--time-limit", "30", "--out", s(&front)]);
        let started = std::time::Instant::now();
        let out = tessera(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{cap}: {err}");
        for needle in needles {
            assert!(err.contains(needle), "{cap}: {err}");
        }
        assert!(started.elapsed().as_secs() < 10, "{cap}: refused before the run");
        assert!(!front.exists(), "{cap}: nothing written");
    }
}

/// A cap the proofs before the run cannot refute but no contiguous plan keeps: a star of five units (a center and
/// four leaves adjacent to it only) into 2 territories at most 3 units each — the territory without the center is
/// one leaf, so the other has 4. `explore` writes the front of the best tries, each row naming the broken cap and
/// by how much, and exits 3 saying so.
#[test]
fn explore_exits_3_when_no_plan_keeps_the_cap_and_each_row_says_what_it_breaks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (units, adjacency) = (dir.path().join("star.csv"), dir.path().join("star-adjacency.csv"));
    std::fs::write(
        &units,
        "id,lon,lat,workload\nc,0,40,1\nn,0,40.1,1\ns,0,39.9,1\ne,0.1,40,1\nw,-0.1,40,1\n",
    )
    .expect("units");
    std::fs::write(&adjacency, "a,b\nc,n\nc,s\nc,e\nc,w\n").expect("adjacency");
    let front = dir.path().join("front");
    let out = tessera(&[
        "explore",
        "--units",
        s(&units),
        "--adjacency",
        s(&adjacency),
        "--territories",
        "2",
        "--tolerance",
        "0.5",
        "--cap",
        "units:3",
        "--time-limit",
        "2",
        "--out",
        s(&front),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("no plan found keeps every cap, floor and mix band"),
        "{err}"
    );
    assert!(
        err.contains("T1 has 4 (1 over)") || err.contains("T2 has 4 (1 over)"),
        "{err}"
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(front.join("front.json")).expect("front.json")).expect("json");
    let plans = doc["plans"].as_array().expect("plans");
    assert!(!plans.is_empty());
    for row in plans {
        let counts = per_plan_counts(&front.join(row["file"].as_str().expect("file")));
        assert_eq!(counts.values().max(), Some(&4), "{row}");
        assert_eq!(row["limits_kept"], false, "{row}");
        assert_eq!(row["limits_broken"][0]["name"], "cap:units", "{row}");
        assert!(
            row["limits_broken"][0]["why"]
                .as_str()
                .is_some_and(|w| w.contains("has 4 (1 over)")),
            "{row}"
        );
    }
}
