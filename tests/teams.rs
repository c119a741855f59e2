//! End-to-end tests of overlay teams (`tessera teams`, `--team`): the sample counties with the 20,000 sample
//! accounts, a field team (the default, every county, 25 reps) and a key-account team (the counties with
//! segment-A accounts, 10 reps). Two teams' plans in one workbook are independent: planning, re-planning and
//! managing one team's scenarios leaves the other's rows and exports byte for byte as they were.

use std::collections::HashMap;
use std::path::Path;

#[path = "support/run.rs"]
mod run;
use run::{import_sample_counties, ok, root, s, tessera};

/// The sample counties with the sample accounts attached by county (their hours summed as `account_hours`) and
/// a team "key A": the counties with segment-A accounts, balancing their hours within ±10% over the first 10
/// sample reps.
fn two_teams(dir: &Path) -> std::path::PathBuf {
    let wb = dir.join("counties.tessera");
    import_sample_counties(&wb);
    let accounts = root().join("sample-data/accounts.csv");
    ok(&[
        "accounts",
        s(&wb),
        "--import",
        s(&accounts),
        "--by-column",
        "county",
        "--sum-as",
        "workload=account_hours",
    ]);
    let reps = std::fs::read_to_string(root().join("sample-data/reps.csv")).expect("reps");
    let ten: Vec<&str> = reps.lines().take(11).collect();
    let reps10 = dir.join("reps10.csv");
    std::fs::write(&reps10, ten.join("\n") + "\n").expect("write reps");
    let out = ok(&[
        "teams",
        s(&wb),
        "--add",
        "key A",
        "--filter",
        "segment = A",
        "--balance",
        "account_hours",
        "--tolerance",
        "0.1",
        "--reps",
        s(&reps10),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("team \"key A\" added: 913 units (with accounts where segment = A), 10 reps"),
        "{text}"
    );
    wb
}

/// Every row of team `team` (team row, reps, scenarios, assignments, history, locks), as text.
fn rows_of(wb: &Path, team: &str) -> String {
    let c = rusqlite::Connection::open(wb).expect("sqlite");
    let id: i64 = c
        .query_row("SELECT id FROM tessera_teams WHERE name = ?1", [team], |r| r.get(0))
        .expect("team id");
    let dump = |sql: &str| -> String {
        let mut stmt = c.prepare(sql).expect("query");
        let n = stmt.column_count();
        let rows = stmt
            .query_map([id], |r| {
                (0..n)
                    .map(|k| r.get::<_, rusqlite::types::Value>(k).map(|v| format!("{v:?}")))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .expect("rows");
        rows.map(|r| r.expect("row").join("|")).collect::<Vec<_>>().join("\n")
    };
    [
        "SELECT * FROM tessera_teams WHERE id = ?1",
        "SELECT * FROM tessera_reps WHERE team = ?1 ORDER BY seq",
        "SELECT * FROM tessera_scenarios WHERE team = ?1 ORDER BY id",
        "SELECT a.* FROM tessera_assignments a JOIN tessera_scenarios s ON s.id = a.scenario
         WHERE s.team = ?1 ORDER BY a.scenario, a.unit",
        "SELECT h.* FROM tessera_history h JOIN tessera_scenarios s ON s.id = h.scenario
         WHERE s.team = ?1 ORDER BY h.scenario, h.seq",
        "SELECT * FROM tessera_locks WHERE team = ?1 ORDER BY unit",
        "SELECT * FROM tessera_named_accounts WHERE team = ?1 ORDER BY account",
    ]
    .map(dump)
    .join("\n--\n")
}

/// What a planner takes away of a team's scenario: its CSV export, its metrics JSON and the scenario list.
fn exports_of(wb: &Path, dir: &Path, team: &str, scenario: &str) -> Vec<Vec<u8>> {
    let csv = dir.join(format!("{team}-{scenario}.csv"));
    let json = dir.join(format!("{team}-{scenario}.json"));
    for out in [&csv, &json] {
        let _ = std::fs::remove_file(out);
        ok(&["export", s(wb), "--team", team, "--scenario", scenario, "--out", s(out)]);
    }
    let list = ok(&["scenarios", s(wb), "--team", team, "--json"]).stdout;
    vec![
        std::fs::read(&csv).expect("csv"),
        std::fs::read(&json).expect("json"),
        list,
    ]
}

#[test]
fn two_teams_plans_in_one_workbook_are_independent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = two_teams(dir.path());
    let plan = |team: &str, name: &str, seed: &str| {
        ok(&[
            "plan",
            "--workbook",
            s(&wb),
            "--team",
            team,
            "--save-as",
            name,
            "--replace",
            "--seed",
            seed,
        ]);
    };
    plan("default", "balanced", "1");
    plan("key A", "segment A", "1");

    // The key-account team's plan covers its 913 counties, balanced on the segment-A accounts' hours alone.
    let a_csv = dir.path().join("a.csv");
    ok(&[
        "export",
        s(&wb),
        "--team",
        "key A",
        "--scenario",
        "segment A",
        "--out",
        s(&a_csv),
    ]);
    let mut r = csv::Reader::from_path(&a_csv).expect("csv");
    let h: HashMap<String, usize> = r
        .headers()
        .expect("header")
        .iter()
        .enumerate()
        .map(|(k, h)| (h.into(), k))
        .collect();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert_eq!(rows.len(), 913);
    let hours: f64 = rows
        .iter()
        .map(|x| x[h["account_hours"]].parse::<f64>().expect("number"))
        .sum();
    let mut r = csv::Reader::from_path(root().join("sample-data/accounts.csv")).expect("accounts");
    let ah = r.headers().expect("header").clone();
    let (seg, work) = (
        ah.iter().position(|c| c == "segment").expect("segment"),
        ah.iter().position(|c| c == "workload").expect("workload"),
    );
    let expected: f64 = r
        .records()
        .map(|x| x.expect("row"))
        .filter(|x| &x[seg] == "A")
        .map(|x| x[work].parse::<f64>().expect("number"))
        .sum();
    assert!(
        (hours - expected).abs() < 1e-6 * expected,
        "{hours} vs the segment-A accounts' {expected}"
    );
    assert!(
        !h.contains_key("workload"),
        "the counties' population is not the team's measure"
    );
    let metrics: serde_json::Value =
        serde_json::from_slice(&exports_of(&wb, dir.path(), "key A", "segment A")[1]).expect("metrics");
    assert_eq!(metrics["measure"], "account_hours");
    assert!(metrics["max_dev"].as_f64().expect("max_dev") <= 0.1 + 1e-9, "{metrics}");

    // Re-plan and manage team A's scenarios: the default team's rows and exports stay byte for byte.
    let default_rows = rows_of(&wb, "default");
    let default_files = exports_of(&wb, dir.path(), "default", "balanced");
    plan("key A", "segment A", "7");
    let manage = |args: &[&str]| {
        let mut all = vec!["scenarios", s(&wb), "--team", "key A"];
        all.extend_from_slice(args);
        ok(&all);
    };
    manage(&["--duplicate", "segment A", "--name", "copy"]);
    manage(&["--note", "copy", "--text", "for the key-account meeting"]);
    manage(&["--rename", "copy", "--name", "balanced"]);
    manage(&["--delete", "balanced"]);
    assert_eq!(rows_of(&wb, "default"), default_rows, "the default team's rows");
    assert_eq!(
        exports_of(&wb, dir.path(), "default", "balanced"),
        default_files,
        "its exports"
    );
    assert!(rows_of(&wb, "key A").contains("segment A"));

    // And the other way round: re-planning the default team leaves team A's as they were.
    let a_rows = rows_of(&wb, "key A");
    let a_files = exports_of(&wb, dir.path(), "key A", "segment A");
    plan("default", "balanced", "7");
    ok(&["scenarios", s(&wb), "--duplicate", "balanced", "--name", "segment A"]);
    assert_eq!(rows_of(&wb, "key A"), a_rows, "team A's rows");
    assert_eq!(
        exports_of(&wb, dir.path(), "key A", "segment A"),
        a_files,
        "its exports"
    );
    assert_ne!(rows_of(&wb, "default"), default_rows, "the default team did change");

    // Named accounts per team: team A names two accounts (one of segment B: any account may be named). The
    // default team's rows and exports stay byte for byte; team A's figures count them, its sums leave them.
    let default_rows = rows_of(&wb, "default");
    let default_files = exports_of(&wb, dir.path(), "default", "balanced");
    let a_before: serde_json::Value =
        serde_json::from_slice(&exports_of(&wb, dir.path(), "key A", "segment A")[1]).expect("metrics");
    let mut r = csv::Reader::from_path(root().join("sample-data/accounts.csv")).expect("accounts");
    let ah = r.headers().expect("header").clone();
    let (id, seg) = (
        ah.iter().position(|c| c == "id").expect("id"),
        ah.iter().position(|c| c == "segment").expect("segment"),
    );
    let records: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    let first_of =
        |segment: &str| -> String { records.iter().find(|x| &x[seg] == segment).expect("an account")[id].to_string() };
    let (a_account, b_account) = (first_of("A"), first_of("B"));
    let compare = |team: &str, a: &str, b: &str| ok(&["compare", s(&wb), a, b, "--team", team, "--out", "-"]).stdout;
    ok(&[
        "scenarios",
        s(&wb),
        "--team",
        "key A",
        "--duplicate",
        "segment A",
        "--name",
        "A copy",
    ]);
    let default_compare = compare("default", "balanced", "current");
    let a_compare = compare("key A", "segment A", "A copy");
    let territory = a_before["territories"][0]["name"]
        .as_str()
        .expect("a territory of team A")
        .to_string();
    let named_csv = dir.path().join("named.csv");
    std::fs::write(
        &named_csv,
        format!("account,territory\n{a_account},{territory}\n{b_account},{territory}\n"),
    )
    .expect("named csv");
    let out = ok(&["accounts", s(&wb), "--team", "key A", "--named", s(&named_csv)]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("2 account(s) named"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(rows_of(&wb, "default"), default_rows, "the default team's rows");
    assert_eq!(
        exports_of(&wb, dir.path(), "default", "balanced"),
        default_files,
        "the default team's exports"
    );
    assert!(rows_of(&wb, "key A").contains(&b_account), "team A's naming is its own");
    let listed: serde_json::Value =
        serde_json::from_slice(&ok(&["teams", s(&wb), "--json"]).stdout).expect("teams json");
    let named_of = |team: &str| {
        listed
            .as_array()
            .and_then(|a| a.iter().find(|t| t["name"] == team))
            .map(|t| t["named"].clone())
    };
    assert_eq!(named_of("key A"), Some(serde_json::json!(2)), "{listed}");
    assert_eq!(named_of("default"), Some(serde_json::json!(0)), "{listed}");
    let a_after: serde_json::Value =
        serde_json::from_slice(&exports_of(&wb, dir.path(), "key A", "segment A")[1]).expect("metrics");
    assert_eq!(a_after["named"]["accounts"], 2, "{}", a_after["named"]);
    assert!(
        a_after["named"]["territories"][&territory]["load"]
            .as_f64()
            .expect("load")
            > 0.0
    );
    // Compare (JSON on stdout): the default team's is as it was; team A's counts its named accounts.
    assert_eq!(compare("default", "balanced", "current"), default_compare);
    assert_ne!(compare("key A", "segment A", "A copy"), a_compare);
    ok(&["accounts", s(&wb), "--team", "key A", "--clear-named"]);
    assert_eq!(
        rows_of(&wb, "default"),
        default_rows,
        "clearing A's naming leaves the default's too"
    );
}

#[test]
fn a_team_scenario_without_a_tolerance_of_its_own_is_judged_by_the_teams() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = two_teams(dir.path());
    // A plan of team A drawn elsewhere (here: its own export), brought back as a scenario: it carries no
    // tolerance, so exports judge it by the team's ±10%, not the planning default ±5%.
    ok(&[
        "plan",
        "--workbook",
        s(&wb),
        "--team",
        "key A",
        "--save-as",
        "planned",
        "--seed",
        "1",
    ]);
    let plan_csv = dir.path().join("plan.csv");
    ok(&[
        "export",
        s(&wb),
        "--team",
        "key A",
        "--scenario",
        "planned",
        "--out",
        s(&plan_csv),
    ]);
    ok(&[
        "scenarios",
        s(&wb),
        "--team",
        "key A",
        "--from-plan",
        s(&plan_csv),
        "--name",
        "by hand",
    ]);
    for scenario in ["planned", "by hand"] {
        let html = dir.path().join(format!("{scenario}.html"));
        ok(&[
            "export",
            s(&wb),
            "--team",
            "key A",
            "--scenario",
            scenario,
            "--out",
            s(&html),
        ]);
        let text = std::fs::read_to_string(&html).expect("html");
        assert!(
            text.contains("within ±10%"),
            "{scenario}: {}",
            &text[..text.len().min(3000)]
        );
    }
    // The default team has no tolerance of its own: its hand-made scenario keeps the planning default.
    let default_html = dir.path().join("current.html");
    ok(&["export", s(&wb), "--scenario", "current", "--out", s(&default_html)]);
    let text = std::fs::read_to_string(&default_html).expect("html");
    assert!(text.contains("within ±5%"), "{}", &text[..text.len().min(3000)]);
}

#[test]
fn unknown_teams_bad_filters_and_unsafe_deletes_are_refused_with_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = two_teams(dir.path());
    let refused = |args: &[&str], says: &str| {
        let out = tessera(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    };
    let teams = "the workbook's teams: default, key A";
    let out = dir.path().join("x.csv");
    refused(&["scenarios", s(&wb), "--team", "nope"], teams);
    refused(
        &["plan", "--workbook", s(&wb), "--team", "nope", "--out", s(&out)],
        teams,
    );
    refused(
        &[
            "export",
            s(&wb),
            "--team",
            "nope",
            "--scenario",
            "current",
            "--out",
            s(&out),
        ],
        teams,
    );
    refused(
        &[
            "compare",
            s(&wb),
            "current",
            "current",
            "--team",
            "nope",
            "--out",
            s(dir.path()),
        ],
        teams,
    );
    refused(&["accounts", s(&wb), "--team", "nope"], teams);
    refused(
        &["teams", s(&wb), "--add", "x", "--filter", "sector = A"],
        "no column \"sector\"",
    );
    refused(
        &["teams", s(&wb), "--add", "x", "--filter", "segment = Z"],
        "no account in a unit has segment = Z",
    );
    refused(
        &["teams", s(&wb), "--add", "x", "--filter", "segment"],
        "COLUMN = VALUE",
    );
    refused(&["teams", s(&wb), "--add", "key A"], "has a team of this name");
    refused(&["teams", s(&wb), "--delete", "key A"], "add --force");
    refused(&["teams", s(&wb), "--delete", "default", "--force"], "default team");
    // Team A has no "current": its scenarios are its own.
    refused(
        &[
            "export",
            s(&wb),
            "--team",
            "key A",
            "--scenario",
            "current",
            "--out",
            s(&out),
        ],
        "no scenario named",
    );
    let list = String::from_utf8_lossy(&ok(&["teams", s(&wb)]).stdout).to_string();
    assert!(
        list.contains("default (default)") && list.contains("accounts with segment = A"),
        "{list}"
    );
    ok(&["teams", s(&wb), "--delete", "key A", "--force"]);
    let json: serde_json::Value = serde_json::from_slice(&ok(&["teams", s(&wb), "--json"]).stdout).expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(1));
    assert_eq!(json[0]["units"], 3108);
}
