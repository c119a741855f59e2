//! End-to-end tests of `tessera accounts` and the account-level exports: the sample counties with the 20,000
//! sample accounts attached by county and by point in polygon, named accounts, and refused input.

use std::collections::HashMap;
use std::path::Path;

#[path = "support/run.rs"]
mod run;
use run::{import_sample_counties_with, ok, root, s, tessera};

/// The sample counties (units, adjacency, reps, polygons) in a new workbook at `wb`.
fn import_counties(wb: &Path) {
    let polygons = root().join("sample-data/us-counties.geojson");
    import_sample_counties_with(wb, &["--polygons", s(&polygons)]);
}

fn accounts_csv() -> std::path::PathBuf {
    root().join("sample-data/accounts.csv")
}

/// A CSV file as a header index and rows of fields (quoted fields with commas handled by the csv crate).
fn read_csv(path: &Path) -> (HashMap<String, usize>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let header = r
        .headers()
        .expect("header")
        .iter()
        .enumerate()
        .map(|(k, h)| (h.to_string(), k))
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("row").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Sum of `column` per value of `by`.
fn sums(path: &Path, by: &str, column: &str) -> HashMap<String, f64> {
    let (h, rows) = read_csv(path);
    let mut out: HashMap<String, f64> = HashMap::new();
    for r in rows {
        let v: f64 = r[h[column]]
            .parse()
            .unwrap_or_else(|_| panic!("{column}: {:?}", r[h[column]]));
        *out.entry(r[h[by]].clone()).or_default() += v;
    }
    out
}

fn assert_same_sums(a: &HashMap<String, f64>, b: &HashMap<String, f64>, what: &str) {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let (x, y) = (a.get(k).copied().unwrap_or(0.0), b.get(k).copied().unwrap_or(0.0));
        assert!(
            (x - y).abs() <= 1e-6 * x.abs().max(1.0),
            "{what}, territory {k}: accounts {x} vs units {y}"
        );
    }
}

#[test]
fn sample_accounts_by_county_sum_to_the_units_of_every_territory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("counties.tessera");
    import_counties(&wb);
    let out = ok(&[
        "accounts",
        s(&wb),
        "--import",
        s(&accounts_csv()),
        "--by-column",
        "county",
        "--sum-as",
        "workload=account_hours",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("20000 accounts"), "{text}");
    assert!(text.contains("0 match no unit"), "{text}");
    assert!(
        text.contains("account_hours, potential_usd, visits_per_year, accounts"),
        "{text}"
    );

    // Every account's territory and every unit's, for the imported alignment.
    let units = dir.path().join("units.csv");
    let accounts = dir.path().join("accounts.csv");
    ok(&["export", s(&wb), "--scenario", "current", "--out", s(&units)]);
    ok(&[
        "export",
        s(&wb),
        "--scenario",
        "current",
        "--out",
        s(&accounts),
        "--accounts",
    ]);
    let (h, rows) = read_csv(&accounts);
    assert_eq!(rows.len(), 20_000);
    assert_eq!(rows[3][h["county"]], "06037", "keys keep their leading zero");
    assert_eq!(rows[3][h["unit"]], "06037");
    for (account_column, unit_column) in [
        ("workload", "account_hours"),
        ("potential_usd", "potential_usd"),
        ("visits_per_year", "visits_per_year"),
    ] {
        assert_same_sums(
            &sums(&accounts, "territory", account_column),
            &sums(&units, "territory", unit_column),
            account_column,
        );
    }
    // Independently: the sample's own per-county account counts (built by the data script) are what the
    // attachment gives, county by county.
    let original = sums(&root().join("sample-data/us-counties.csv"), "id", "accounts");
    let attached = sums(&units, "id", "accounts");
    assert_same_sums(&original, &attached, "accounts per county");
    // The units' own workload (population) was kept: --sum-as put the accounts' hours beside it.
    let population = sums(&units, "territory", "workload");
    assert!(population.values().sum::<f64>() > 2e8, "{population:?}");
}

#[test]
fn accounts_by_point_agree_with_their_county_and_the_unmatched_are_listed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("counties.tessera");
    import_counties(&wb);
    let unmatched = dir.path().join("unmatched.csv");
    let out = ok(&[
        "accounts",
        s(&wb),
        "--import",
        s(&accounts_csv()),
        "--by-point",
        "--unmatched-out",
        s(&unmatched),
    ]);
    let exported = dir.path().join("accounts.csv");
    ok(&[
        "export",
        s(&wb),
        "--scenario",
        "current",
        "--out",
        s(&exported),
        "--accounts",
    ]);
    let (h, rows) = read_csv(&exported);
    let matched: Vec<&Vec<String>> = rows.iter().filter(|r| !r[h["unit"]].is_empty()).collect();
    let agree = matched.iter().filter(|r| r[h["unit"]] == r[h["county"]]).count();
    // Points near generalised (1:10m) borders may fall in a neighbour; on the sample, 19,645 of 19,646 agree.
    assert!(
        agree * 1000 >= matched.len() * 999,
        "{agree} of {} agree",
        matched.len()
    );
    let (_, listed) = read_csv(&unmatched);
    assert_eq!(
        listed.len(),
        rows.len() - matched.len(),
        "every unmatched account is in the file"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !listed.is_empty() {
        assert!(
            stderr.contains(&format!("{} of 20000 accounts match no unit", listed.len())),
            "{stderr}"
        );
        assert!(stderr.contains("lies in no unit polygon"), "{stderr}");
    }

    // Within 10 km of a county, a place off the generalised coast goes to the nearest county instead.
    let near = ok(&[
        "accounts",
        s(&wb),
        "--import",
        s(&accounts_csv()),
        "--by-point",
        "--nearest-within",
        "10",
        "--replace",
    ]);
    let stdout = String::from_utf8_lossy(&near.stdout);
    let stderr = String::from_utf8_lossy(&near.stderr);
    let unmatched_now: usize = stdout
        .split(" match no unit")
        .next()
        .and_then(|before| before.rsplit(", ").next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(unmatched_now < listed.len(), "{stdout}");
    assert!(
        stderr.contains(&format!(
            "{} account(s) lie outside every unit polygon and went to the nearest one",
            listed.len() - unmatched_now
        )),
        "{stderr}"
    );
}

#[test]
fn named_accounts_stay_with_their_territory_when_their_unit_moves() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("counties.tessera");
    import_counties(&wb);
    ok(&[
        "accounts",
        s(&wb),
        "--import",
        s(&accounts_csv()),
        "--by-column",
        "county",
    ]);
    // A00004 lies in Los Angeles County (06037), whose current territory is not R01; name it to R01's rep by
    // the rep's name, and A00001 by the rep id.
    let (rh, reps) = read_csv(&root().join("sample-data/reps.csv"));
    let r01 = reps.iter().find(|r| r[rh["id"]] == "R01").expect("R01")[rh["name"]].clone();
    let named = dir.path().join("named.csv");
    std::fs::write(&named, format!("account,rep\nA00004,\"{r01}\"\nA00001,R01\n")).expect("write");
    let out = ok(&["accounts", s(&wb), "--named", s(&named)]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 account(s) named"));

    // A scenario where Los Angeles County moves to R02 (every other county as in "current").
    let units = dir.path().join("units.csv");
    ok(&["export", s(&wb), "--scenario", "current", "--out", s(&units)]);
    let (uh, urows) = read_csv(&units);
    let la_before = urows.iter().find(|r| r[uh["id"]] == "06037").expect("LA")[uh["territory"]].clone();
    assert_ne!(la_before, "R01");
    let mut plan = String::from("id,territory\n");
    for r in &urows {
        let t = if r[uh["id"]] == "06037" {
            "R02"
        } else {
            r[uh["territory"]].as_str()
        };
        plan.push_str(&format!("{},{t}\n", r[uh["id"]]));
    }
    let plan_file = dir.path().join("moved.csv");
    std::fs::write(&plan_file, plan).expect("write");
    ok(&["scenarios", s(&wb), "--from-plan", s(&plan_file), "--name", "moved"]);

    for scenario in ["current", "moved"] {
        let out = dir.path().join(format!("{scenario}-accounts.csv"));
        ok(&["export", s(&wb), "--scenario", scenario, "--out", s(&out), "--accounts"]);
        let (h, rows) = read_csv(&out);
        let a4 = rows.iter().find(|r| r[h["id"]] == "A00004").expect("A00004");
        assert_eq!(
            (a4[h["territory"]].as_str(), a4[h["named"]].as_str()),
            ("R01", "yes"),
            "{scenario}"
        );
        assert_eq!(a4[h["unit"]], "06037");
        let other = rows
            .iter()
            .find(|r| r[h["unit"]] == "06037" && r[h["named"]].is_empty())
            .expect("another LA account");
        assert_eq!(
            other[h["territory"]],
            if scenario == "current" {
                la_before.as_str()
            } else {
                "R02"
            }
        );
    }

    // The account-level realignment list: LA's geographic accounts move, the named one does not.
    let cmp = dir.path().join("cmp");
    ok(&["compare", s(&wb), "current", "moved", "--out", s(&cmp), "--accounts"]);
    let (h, moves) = read_csv(&cmp.join("account-moves.csv"));
    assert!(!moves.is_empty());
    assert!(moves.iter().all(|r| r[h["unit"]] == "06037" && r[h["to"]] == "R02"));
    assert!(moves.iter().all(|r| r[h["account"]] != "A00004"));

    // The same at account level in an XLSX: every account, and the accounts that moved against "current".
    let xlsx = dir.path().join("moved.xlsx");
    ok(&["export", s(&wb), "--scenario", "moved", "--out", s(&xlsx), "--accounts"]);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).expect("open xlsx");
    use calamine::Reader;
    let names = book.sheet_names();
    assert_eq!(&names[names.len() - 2..], ["accounts", "account moves"]);
    assert_eq!(book.worksheet_range("accounts").expect("accounts").height(), 20_001);
    assert_eq!(
        book.worksheet_range("account moves").expect("moves").height(),
        moves.len() + 1
    );
    let wrong = tessera(&[
        "export",
        s(&wb),
        "--scenario",
        "moved",
        "--out",
        s(&dir.path().join("m.geojson")),
        "--accounts",
    ]);
    assert_eq!(wrong.status.code(), Some(2), "--accounts is for CSV and XLSX");

    // Figures count the named accounts for R01: the metrics name them.
    let metrics = dir.path().join("moved.json");
    ok(&["export", s(&wb), "--scenario", "moved", "--out", s(&metrics)]);
    let m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&metrics).expect("read")).expect("json");
    assert_eq!(m["named"]["territories"]["R01"]["accounts"], 2, "{}", m["named"]);

    // Caps count the named accounts for their territory, checked account by account from the exported accounts
    // (named ones in R01 whatever their unit). Los Angeles County alone has 952 geographic accounts: 1000 is
    // about the tightest cap the sample allows.
    let capped_metrics = dir.path().join("capped.json");
    ok(&[
        "plan",
        "--workbook",
        s(&wb),
        "--restarts",
        "2",
        // Los Angeles County's accounts alone are 1.17 targets of workload: ±20% lets whole counties fit.
        "--tolerance",
        "0.2",
        "--cap",
        "accounts:1000",
        "--save-as",
        "capped",
        "--metrics",
        s(&capped_metrics),
    ]);
    let capped_accounts = dir.path().join("capped-accounts.csv");
    ok(&[
        "export",
        s(&wb),
        "--scenario",
        "capped",
        "--out",
        s(&capped_accounts),
        "--accounts",
    ]);
    let (h, rows) = read_csv(&capped_accounts);
    let mut per: HashMap<String, f64> = HashMap::new();
    for r in &rows {
        *per.entry(r[h["territory"]].clone()).or_default() += 1.0;
    }
    let most = per.values().copied().fold(0.0, f64::max);
    assert!(most <= 1000.0, "{per:?}");
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&capped_metrics).expect("read")).expect("json");
    assert_eq!(
        m["limits"][0]["max"].as_f64(),
        Some(most),
        "the figures count the named accounts too"
    );
    assert_eq!(m["territories"].as_array().map(Vec::len), Some(25));

    // Named accounts alone above a cap are refused before the run, with their numbers (balancing the counties' own
    // account_hours, which named accounts do not carry, so that their workload does not fill R01 first).
    let many = dir.path().join("many.csv");
    let ids: Vec<String> = (1..=1050).map(|k| format!("A{k:05},R01\n")).collect();
    std::fs::write(&many, format!("account,territory\n{}", ids.concat())).expect("write");
    ok(&["accounts", s(&wb), "--named", s(&many)]);
    let over = tessera(&[
        "plan",
        "--workbook",
        s(&wb),
        "--balance",
        "account_hours",
        "--tolerance",
        "0.2",
        "--cap",
        "accounts:1000",
        "--out",
        s(&dir.path().join("c.csv")),
    ]);
    assert_eq!(over.status.code(), Some(2));
    let err = String::from_utf8_lossy(&over.stderr);
    assert!(
        err.contains("--cap accounts:1000 cannot hold: the accounts named to territory R01 alone have accounts 1050, 50 above the cap"),
        "{err}"
    );
    assert!(!dir.path().join("c.csv").exists());

    // --clear-named gives every account back to its unit: no named entry in the figures any more.
    ok(&["accounts", s(&wb), "--clear-named"]);
    let cleared = dir.path().join("cleared.json");
    ok(&["export", s(&wb), "--scenario", "moved", "--out", s(&cleared)]);
    let m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&cleared).expect("read")).expect("json");
    assert!(m.get("named").is_none(), "{}", m["named"]);
}

#[test]
fn bad_accounts_input_is_refused_and_nothing_is_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("counties.tessera");
    import_counties(&wb);
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "id,county,workload\nA1,01001,2\nA2,01003,x\nA3,,1\n").expect("write");
    let before = std::fs::read(&wb).expect("bytes");
    let out = tessera(&["accounts", s(&wb), "--import", s(&bad), "--by-column", "county"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.csv line 4, column \"county\" (#2): the value is empty"),
        "{err}"
    );
    assert_eq!(std::fs::read(&wb).expect("bytes"), before, "the workbook is untouched");

    let no_way = tessera(&["accounts", s(&wb), "--import", s(&accounts_csv())]);
    assert_eq!(no_way.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_way.stderr).contains("--by-column COLUMN"));

    ok(&[
        "accounts",
        s(&wb),
        "--import",
        s(&accounts_csv()),
        "--by-column",
        "county",
    ]);
    let again = tessera(&[
        "accounts",
        s(&wb),
        "--import",
        s(&accounts_csv()),
        "--by-column",
        "county",
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("add --replace"));

    let named = dir.path().join("named.csv");
    std::fs::write(&named, "account,territory\nA00001,R01\nZZZ,R02\n").expect("write");
    let unknown = tessera(&["accounts", s(&wb), "--named", s(&named)]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("line 3, column \"account\" (#1): account \"ZZZ\""),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
    let sum_as = tessera(&[
        "accounts",
        s(&wb),
        "--import",
        s(&accounts_csv()),
        "--by-column",
        "county",
        "--replace",
        "--sum-as",
        "segment=x",
    ]);
    assert_eq!(sum_as.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&sum_as.stderr).contains("\"segment\" is not a measure"));
}
