//! `tessera compare`: two to four scenarios of a workbook side by side: a summary, per territory before / after /
//! difference of every measure, and the realignment list (every moved unit with its old and new territory and
//! rep), as CSV files plus JSON in a folder, one XLSX, or JSON on standard output.

use std::path::{Path, PathBuf};

use tessera_workbook::compare::{write_comparison_json, CompareFiles, Comparison, Side};
use tessera_workbook::export::{account_move_table, quotas, write_xlsx, QuotaParams, Table};
use tessera_workbook::figures::{default_measure, format_travel, percent};
use tessera_workbook::store::Scenario;
use tessera_workbook::Dataset;

use crate::error::CliError;
use crate::inputs::open_workbook_team;
use crate::output::{write_atomically, Output};
use crate::quota_args::QuotaArgs;

/// Arguments of `tessera compare`.
#[derive(clap::Args)]
pub struct Args {
    /// The workbook.
    workbook: PathBuf,
    /// Act on this team of the workbook (`tessera teams` lists them; default: the default team).
    #[arg(long, value_name = "NAME")]
    team: Option<String>,
    /// The scenarios: the first is the baseline the others are compared with (2 to 4).
    #[arg(required = true, num_args = 2..=4, value_name = "SCENARIO")]
    scenarios: Vec<String>,
    /// Where to write: a folder (created if missing) gets summary.csv, territories.csv, moves.csv and
    /// comparison.json; a name ending in .xlsx gets one workbook with those three sheets; `-` prints the JSON.
    #[arg(long)]
    out: PathBuf,
    /// The measure balance and deviation refer to (default: the workbook's balance measure).
    #[arg(long)]
    measure: Option<String>,
    /// Replace files that exist.
    #[arg(long)]
    force: bool,
    /// The realignment list down to accounts: every account whose territory changes (account, unit, from, to,
    /// reps, its columns), as account-moves.csv in the folder or an "account moves" sheet. Named accounts count for
    /// their territories in every figure with or without this flag.
    #[arg(long)]
    accounts: bool,
    /// Quotas per territory of every scenario (quotas.csv, or a quotas sheet), ramp-up against the baseline.
    #[command(flatten)]
    quota: QuotaArgs,
}

/// Runs `tessera compare`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let target = Target::of(&args.out);
    let quota = args.quota.params()?;
    if args.accounts && matches!(target, Target::Stdout) {
        return Err(CliError::input(
            "--accounts writes account-moves.csv into a folder or a sheet of an .xlsx; give --out FOLDER or --out FILE.xlsx",
        ));
    }
    target.check(args.force, quota.is_some())?;
    if let (true, Target::Folder(dir)) = (args.accounts, &target) {
        Output::File(dir.join(ACCOUNT_MOVES_FILE)).check("--out", args.force)?;
    }
    let wb = open_workbook_team(&args.workbook, args.team.as_deref())?;
    let accounts = match args.accounts {
        true => Some(wb.accounts()?.ok_or_else(|| {
            CliError::input(format!(
                "--accounts: {} has no accounts; import them with tessera accounts --import",
                args.workbook.display()
            ))
        })?),
        false => None,
    };
    let dataset = wb.dataset()?;
    let measure = match &args.measure {
        Some(m) => m.clone(),
        None => wb
            .balance_measure()?
            .or_else(|| default_measure(&dataset))
            .ok_or_else(|| {
                CliError::input(format!(
                    "{}: the units have no measure to compare",
                    args.workbook.display()
                ))
            })?,
    };
    let scenarios = args
        .scenarios
        .iter()
        .map(|name| wb.scenario(name))
        .collect::<Result<Vec<_>, _>>()?;
    let sides: Vec<Side<'_>> = scenarios
        .iter()
        .map(|s| Side {
            name: &s.name,
            plan: &s.plan,
        })
        .collect();
    let named = wb.named_loads()?;
    let comparison =
        Comparison::with_named(&dataset, &sides, &measure, &named).map_err(|e| CliError::input(e.to_string()))?;
    let account_moves = accounts.as_ref().map(|a| {
        let plans: Vec<(&str, &tessera_optimizer::Plan)> =
            scenarios.iter().map(|s| (s.name.as_str(), &s.plan)).collect();
        account_move_table(a, &dataset.units, &plans, &dataset.reps)
    });
    let quotas = quota.map(|q| quota_table(&dataset, &scenarios, &q)).transpose()?;
    match &target {
        Target::Stdout => {
            return Output::Stdout.write(|w| write_comparison_json(w, &comparison).map_err(|e| e.to_string()));
        }
        Target::Xlsx(path) => {
            let mut sheets = vec![
                comparison.summary_table(),
                comparison.territory_table(),
                comparison.move_table(),
            ];
            sheets.extend(account_moves.clone());
            write_atomically(path, |w| write_xlsx(w, &sheets).map_err(|e| e.to_string()))?;
        }
        Target::Folder(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| CliError::failure(format!("{}: cannot create the folder: {e}", dir.display())))?;
            for (file, table) in [
                (CompareFiles::SUMMARY, comparison.summary_table()),
                (CompareFiles::TERRITORIES, comparison.territory_table()),
                (CompareFiles::MOVES, comparison.move_table()),
            ] {
                write_atomically(&dir.join(file), |w| table.write_csv(w).map_err(|e| e.to_string()))?;
            }
            if let Some(t) = &account_moves {
                write_atomically(&dir.join(ACCOUNT_MOVES_FILE), |w| {
                    t.write_csv(w).map_err(|e| e.to_string())
                })?;
            }
            if let Some(q) = &quotas {
                write_atomically(&dir.join(QUOTAS_FILE), |w| q.write_csv(w).map_err(|e| e.to_string()))?;
            }
            write_atomically(&dir.join(CompareFiles::JSON), |w| {
                write_comparison_json(w, &comparison).map_err(|e| e.to_string())
            })?;
        }
    }
    print_summary(&comparison);
    if let Some(t) = &account_moves {
        println!("{} account(s) change territory", t.rows.len());
    }
    println!("{}: comparison written", args.out.display());
    Ok(())
}

/// The quotas file of a folder output.
const QUOTAS_FILE: &str = "quotas.csv";
/// The account-level realignment list of a folder output (--accounts).
const ACCOUNT_MOVES_FILE: &str = "account-moves.csv";

/// Every scenario's quotas, ramp-up counted against the first: scenario, territory, rep, share, quota,
/// changed, ramp_quota.
fn quota_table(dataset: &Dataset, scenarios: &[Scenario], q: &QuotaParams) -> Result<Table, CliError> {
    let headers = [
        "scenario",
        "territory",
        "rep",
        "share",
        "quota",
        "changed",
        "ramp_quota",
    ]
    .map(String::from)
    .to_vec();
    let mut t = Table::new("quotas", headers);
    let base = &scenarios[0].plan;
    for s in scenarios {
        let rows = quotas(dataset, &s.plan, Some(base), q).map_err(|e| CliError::input(e.to_string()))?;
        for r in rows {
            let rep = dataset
                .reps
                .iter()
                .find(|x| x.id == r.territory)
                .map(|x| x.name.clone());
            t.push(vec![
                s.name.clone().into(),
                r.territory.into(),
                rep.into(),
                r.share.into(),
                r.quota.into(),
                if r.changed { "yes" } else { "no" }.into(),
                r.ramp_quota.into(),
            ]);
        }
    }
    Ok(t)
}

/// Where the comparison goes.
enum Target {
    Stdout,
    Xlsx(PathBuf),
    Folder(PathBuf),
}

impl Target {
    fn of(out: &Path) -> Target {
        if out.as_os_str() == "-" {
            Target::Stdout
        } else if out
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
        {
            Target::Xlsx(out.to_path_buf())
        } else {
            Target::Folder(out.to_path_buf())
        }
    }

    /// Refuses to replace files unless `--force`, before any work starts.
    fn check(&self, force: bool, quotas: bool) -> Result<(), CliError> {
        match self {
            Target::Stdout => Ok(()),
            Target::Xlsx(p) => Output::File(p.clone()).check("--out", force),
            Target::Folder(dir) => {
                if dir.exists() && !dir.is_dir() {
                    return Err(CliError::input(format!(
                        "--out {}: a file, not a folder; give a folder for CSV files or a name ending in .xlsx",
                        dir.display()
                    )));
                }
                for f in CompareFiles::ALL.into_iter().chain(quotas.then_some(QUOTAS_FILE)) {
                    Output::File(dir.join(f)).check("--out", force)?;
                }
                Ok(())
            }
        }
    }
}

/// The summary as a table on standard output.
fn print_summary(c: &Comparison) {
    println!(
        "{:<24} {:>9} {:>8} {:>22} {:>7} {:>8} {:>14} {:>8}",
        "scenario",
        "max dev",
        "cv",
        "travel",
        "non-ct",
        "moved",
        format!("{} moved", c.measure),
        "changed"
    );
    let m = c.measure_index(&c.measure).unwrap_or(0);
    for s in &c.scenarios {
        println!(
            "{:<24} {:>8}% {:>7}% {:>22} {:>7} {:>8} {:>14} {:>8}",
            s.scenario,
            percent(s.max_dev),
            percent(s.cv),
            format_travel(s.travel),
            s.n_noncontiguous,
            s.units_moved,
            s.moved
                .get(m)
                .map(|v| format!("{v:.6}")
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string())
                .unwrap_or_default(),
            s.changed_territories.len()
        );
    }
}
