//! `tessera teams`: the overlay teams of a workbook. List them, add one (its own reps, an account filter choosing
//! its units, its measure and tolerance), rename or delete one. Every other command acts on a team with
//! `--team NAME` (the default team without it).

use std::path::PathBuf;

use tessera_workbook::import::read_reps;
use tessera_workbook::store::{NewTeam, TeamFilter};
use tessera_workbook::Workbook;

use crate::error::CliError;
use crate::inputs::open_workbook;

/// Arguments of `tessera teams`.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("action").args(["add", "rename", "delete"])))]
pub struct Args {
    /// The workbook.
    workbook: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Add a team of this name. Without --filter it plans every unit; with --reps it has those reps (else none:
    /// give `tessera plan --territories`).
    #[arg(long, value_name = "NAME")]
    add: Option<String>,
    /// With --add: the team's units are those with at least one account whose COLUMN equals VALUE
    /// ("segment = A"; text compared exactly, a numeric column as a number), and its measures are the sums over
    /// those matching accounts only (the units' own measures, such as a county's population, are not the
    /// team's). Refused when the accounts have no such column or no account in a unit matches.
    #[arg(long, value_name = "\"COLUMN = VALUE\"", requires = "add")]
    filter: Option<String>,
    /// With --add: the measure the team balances (default: as for the default team, `workload`).
    #[arg(long, value_name = "MEASURE", requires = "add")]
    balance: Option<String>,
    /// With --add: the team's tolerance, a fraction (0.05 = ±5%); `tessera plan --team` uses it unless
    /// --tolerance says otherwise.
    #[arg(long, value_name = "T", requires = "add", allow_negative_numbers = true)]
    tolerance: Option<f64>,
    /// With --add: the team's reps CSV (columns id,name,lon,lat and an optional capacity).
    #[arg(long, value_name = "CSV", requires = "add")]
    reps: Option<PathBuf>,
    /// Rename team NAME to --name (the default team stays the default).
    #[arg(long, value_name = "NAME", requires = "name")]
    rename: Option<String>,
    /// The new name (--rename).
    #[arg(long, requires = "rename")]
    name: Option<String>,
    /// Delete team NAME with its reps, scenarios, locks and named accounts (needs --force; the default team cannot be deleted).
    #[arg(long, value_name = "NAME")]
    delete: Option<String>,
    /// Confirm --delete: the team's scenarios go with it.
    #[arg(long, requires = "delete")]
    force: bool,
}

/// Runs `tessera teams`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let shown = args.workbook.display();
    if let Some(name) = &args.add {
        let filter = args
            .filter
            .as_deref()
            .map(TeamFilter::parse)
            .transpose()
            .map_err(|e| CliError::input(format!("--filter: {e}")))?;
        let reps = match &args.reps {
            Some(path) => {
                let (reps, warnings) = read_reps(path)?;
                for w in warnings {
                    eprintln!("warning: {w}");
                }
                reps
            }
            None => Vec::new(),
        };
        let mut wb = Workbook::open(&args.workbook)?;
        wb.add_team(&NewTeam {
            name: name.clone(),
            filter: filter.clone(),
            measure: args.balance.clone(),
            tolerance: args.tolerance,
            reps,
        })?;
        wb.select_team(name.trim())?;
        let units = wb.unit_ids()?.len();
        println!(
            "{shown}: team {:?} added: {units} units{}, {} reps",
            name.trim(),
            filter
                .map(|f| format!(" (with accounts where {f})"))
                .unwrap_or_default(),
            wb.dataset()?.reps.len()
        );
        return Ok(());
    }
    if let Some(from) = &args.rename {
        let to = args.name.as_deref().unwrap_or_default();
        Workbook::open(&args.workbook)?.rename_team(from, to)?;
        println!("{shown}: team {from:?} renamed {:?}", to.trim());
        return Ok(());
    }
    if let Some(name) = &args.delete {
        let mut wb = Workbook::open(&args.workbook)?;
        // The default team and unknown names are refused by the workbook, with the reason; another team needs
        // --force, since its scenarios go with it.
        if let Some(t) = wb.teams()?.into_iter().find(|t| &t.name == name && !t.default) {
            if !args.force {
                return Err(CliError::input(format!(
                    "--delete {name:?}: the team would be deleted with its {} scenario(s), {} rep(s), {} lock(s) \
                     and {} named account(s); add --force to delete it",
                    t.scenarios, t.reps, t.locks, t.named
                )));
            }
        }
        wb.delete_team(name)?;
        println!("{shown}: team {name:?} deleted");
        return Ok(());
    }
    list(args)
}

/// Lists the teams, the default first.
fn list(args: &Args) -> Result<(), CliError> {
    let mut wb = open_workbook(&args.workbook)?;
    let teams = wb.teams()?;
    // A team whose filter no longer fits the accounts (they were replaced since) is listed with the reason.
    let mut units: Vec<Result<usize, String>> = Vec::new();
    for t in &teams {
        wb.select_team(&t.name)?;
        units.push(wb.unit_ids().map(|ids| ids.len()).map_err(|e| e.to_string()));
    }
    if args.json {
        let v: Vec<_> = teams
            .iter()
            .zip(&units)
            .map(|(t, n)| {
                serde_json::json!({"name": t.name, "default": t.default,
                    "filter": t.filter.as_ref().map(|f| f.to_string()), "units": n.as_ref().ok(),
                    "problem": n.as_ref().err(), "reps": t.reps,
                    "measure": t.measure, "tolerance": t.tolerance, "scenarios": t.scenarios,
                    "locks": t.locks, "named": t.named})
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&v).map_err(|e| CliError::failure(e.to_string()))?
        );
        return Ok(());
    }
    println!(
        "{:<20} {:<24} {:>7} {:>5} {:<16} {:>9} {:>9} {:>5} {:>5}",
        "team", "units", "count", "reps", "measure", "tolerance", "scenarios", "locks", "named"
    );
    for (t, n) in teams.iter().zip(&units) {
        let name = if t.default {
            format!("{} (default)", t.name)
        } else {
            t.name.clone()
        };
        println!(
            "{:<20} {:<24} {:>7} {:>5} {:<16} {:>9} {:>9} {:>5} {:>5}",
            name,
            t.filter
                .as_ref()
                .map(|f| format!("accounts with {f}"))
                .unwrap_or_else(|| "all".into()),
            n.as_ref().map_or_else(|_| "-".to_string(), ToString::to_string),
            t.reps,
            t.measure.as_deref().unwrap_or("-"),
            t.tolerance
                .map(|x| format!("±{}%", x * 100.0))
                .unwrap_or_else(|| "-".into()),
            t.scenarios,
            t.locks,
            t.named
        );
    }
    for (t, n) in teams.iter().zip(&units) {
        if let Err(e) = n {
            eprintln!("warning: team {:?}: {e}", t.name);
        }
    }
    Ok(())
}
