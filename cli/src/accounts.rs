//! `tessera accounts`: the accounts inside a workbook's units. Import an accounts CSV and attach each account
//! to a unit by a key column (ZIP, FIPS) or by the unit polygon its point falls in; name accounts to a
//! territory or rep whatever their unit; or, with no action, list what the workbook holds.

use std::path::{Path, PathBuf};

use tessera_workbook::accounts::{attach_by_key, attach_by_point, Accounts, Attachment};
use tessera_workbook::import::{read_accounts, read_named, AttachBy};
use tessera_workbook::store::{unit_measure_of, AccountsImport, CURRENT};
use tessera_workbook::Workbook;

use crate::error::CliError;
use crate::inputs::{open_workbook_rw, open_workbook_team};
use crate::output::Output;

/// Unmatched accounts printed on the terminal; the rest go to --unmatched-out.
const SHOWN: usize = 10;

/// Arguments of `tessera accounts`.
#[derive(clap::Args)]
pub struct Args {
    /// The workbook.
    workbook: PathBuf,
    /// List or name the accounts of this team: a team with an account filter has the matching accounts (and
    /// those it named). Accounts are shared by every team, so --import takes no --team; each team names its own
    /// accounts (--named, --clear-named), and its figures, comparisons and exports count only those.
    #[arg(long, value_name = "NAME", conflicts_with = "import")]
    team: Option<String>,
    /// Import this accounts CSV (an `id` column, the key column or lon/lat, and any measures): each account is
    /// attached to a unit, and the units' measures of the same names become the sums of their accounts'
    /// (plus `accounts`, their number). Replaces nothing unless --replace.
    #[arg(long, value_name = "CSV")]
    import: Option<PathBuf>,
    /// Attach each account to the unit whose id equals this column's value (ZIP, FIPS). Compared as text;
    /// a key of digits that matches no id exactly matches the one id equal to it with leading zeros restored
    /// (1001 → 01001), and the command says how many did.
    #[arg(long, value_name = "COLUMN", requires = "import", conflicts_with = "by_point")]
    by_column: Option<String>,
    /// Attach each account to the unit polygon its lon/lat falls in (the workbook needs unit polygons).
    #[arg(long, requires = "import")]
    by_point: bool,
    /// With --by-point: an account outside every unit polygon (a coastal place off a generalised outline) goes
    /// to the nearest polygon if it is within KM kilometres; the command counts them. Without it, such accounts
    /// match no unit and are listed.
    #[arg(long, value_name = "KM", requires = "by_point")]
    nearest_within: Option<f64>,
    /// Sum the accounts' COLUMN into the units' measure MEASURE instead of the one of the same name
    /// (repeatable), e.g. --sum-as workload=account_hours to keep the units' own workload.
    #[arg(long, value_name = "COLUMN=MEASURE", requires = "import")]
    sum_as: Vec<String>,
    /// With --import: this column of the accounts CSV names a territory or rep (id or name) for the account,
    /// whatever its unit; an empty cell leaves the account with its unit.
    #[arg(long, value_name = "COLUMN", requires = "import", conflicts_with = "named")]
    named_column: Option<String>,
    /// Name accounts to territories or reps: a CSV with the account id and a territory (or rep id or rep name)
    /// per row. Replaces the team's named accounts (the default team's without --team); their measures count
    /// for that territory and leave their unit's sums for that team. Any account of the workbook may be named,
    /// whatever a team's filter.
    #[arg(long, value_name = "CSV")]
    named: Option<PathBuf>,
    /// Remove every named account of the team: all its accounts go with their units again.
    #[arg(long, conflicts_with_all = ["named", "named_column"])]
    clear_named: bool,
    /// Replace the workbook's accounts with --import (named accounts are kept for the accounts still there,
    /// unless --named-column gives new ones).
    #[arg(long, requires = "import")]
    replace: bool,
    /// Write every account that matches no unit to this CSV (line, id, key or lon/lat).
    #[arg(long, value_name = "CSV")]
    unmatched_out: Option<PathBuf>,
    /// Replace the --unmatched-out file if it exists.
    #[arg(long, requires = "unmatched_out")]
    force: bool,
}

/// Runs `tessera accounts`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let unmatched_out = args.unmatched_out.as_deref().map(Output::parse);
    if let Some(out) = &unmatched_out {
        out.check("--unmatched-out", args.force)?;
    }
    if args.import.is_none() && args.named.is_none() && !args.clear_named {
        let wb = open_workbook_team(&args.workbook, args.team.as_deref())?;
        return list(&wb, &args.workbook, unmatched_out.as_ref());
    }
    let mut wb = open_workbook_rw(&args.workbook, args.team.as_deref())?;
    if let Some(csv) = &args.import {
        import(&mut wb, args, csv, unmatched_out.as_ref())?;
    }
    if args.clear_named {
        if wb.accounts()?.is_none() {
            return Err(CliError::input(format!(
                "--clear-named: {} has no accounts",
                args.workbook.display()
            )));
        }
        wb.set_named_accounts(&[])?;
        println!("{}: no account is named now", args.workbook.display());
    }
    if let Some(csv) = &args.named {
        let ids = wb.account_ids()?;
        if ids.is_empty() {
            return Err(CliError::input(format!(
                "--named {}: {} has no accounts to name; import them first with --import",
                csv.display(),
                args.workbook.display()
            )));
        }
        let (named, warnings) = read_named(csv, &ids)?;
        for w in warnings {
            eprintln!("warning: {w}");
        }
        let count = wb.set_named_accounts(&named)?;
        println!(
            "{}: {count} account(s) named from {}",
            args.workbook.display(),
            csv.display()
        );
        report_named(&wb)?;
        // Without --import, --unmatched-out lists the stored accounts that match no unit.
        if let (None, Some(out), Some(accounts)) = (&args.import, &unmatched_out, wb.accounts()?) {
            let rows: Vec<usize> = (0..accounts.len()).filter(|&a| accounts.unit_of[a].is_none()).collect();
            write_unmatched(&accounts, &rows, Some(out))?;
        }
    }
    Ok(())
}

fn import(wb: &mut Workbook, args: &Args, csv: &Path, unmatched_out: Option<&Output>) -> Result<(), CliError> {
    let by =
        match (&args.by_column, args.by_point) {
            (Some(c), false) => AttachBy::Column(c.clone()),
            (None, true) => AttachBy::Point,
            _ => return Err(CliError::input(
                "--import needs how to attach the accounts to units: --by-column COLUMN (a key such as a ZIP or FIPS \
                 code) or --by-point (the unit polygon their lon/lat falls in)",
            )),
        };
    if let Some(existing) = wb.accounts()? {
        if !args.replace {
            return Err(CliError::input(format!(
                "{}: the workbook already has {} accounts (from {}); add --replace to replace them",
                args.workbook.display(),
                existing.len(),
                existing.source
            )));
        }
    }
    let sum_as = args
        .sum_as
        .iter()
        .map(|s| match s.split_once('=') {
            Some((c, m)) if !c.trim().is_empty() && !m.trim().is_empty() => {
                Ok((c.trim().to_string(), m.trim().to_string()))
            }
            _ => Err(CliError::input(format!(
                "--sum-as {s:?}: expected COLUMN=MEASURE, e.g. workload=account_hours"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (file, warnings) = read_accounts(csv, &by, args.named_column.as_deref())?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    unit_measure_of(&file, &sum_as).map_err(|e| CliError::input(format!("--sum-as: {e}")))?;
    let dataset = wb.dataset()?;
    let (attachment, attached_by) = match &by {
        AttachBy::Column(_) => {
            let (header, keys) = file
                .keys
                .as_ref()
                .ok_or_else(|| CliError::failure("the key column was not read"))?;
            (attach_by_key(&dataset.units, keys), format!("column {header:?}"))
        }
        AttachBy::Point => {
            let polygons = dataset.polygons.as_ref().ok_or_else(|| {
                CliError::input(format!(
                    "--by-point: {} has unit points, not polygons, so no point can fall in a unit; attach by a key \
                     column with --by-column",
                    args.workbook.display()
                ))
            })?;
            let points = file
                .points
                .as_ref()
                .ok_or_else(|| CliError::failure("the positions were not read"))?;
            if let Some(km) = args.nearest_within.filter(|k| !(k.is_finite() && *k > 0.0)) {
                return Err(CliError::input(format!(
                    "--nearest-within {km}: must be a distance in km above 0"
                )));
            }
            let how = match args.nearest_within {
                Some(km) => format!("point in polygon (else the nearest within {km} km)"),
                None => "point in polygon".to_string(),
            };
            (attach_by_point(polygons, points, args.nearest_within), how)
        }
    };
    let report = wb.replace_accounts(&AccountsImport {
        file: &file,
        attachment: &attachment,
        attached_by: attached_by.clone(),
        source: csv.display().to_string(),
        sum_as,
    })?;
    println!(
        "{}: {} accounts from {} attached by {attached_by}: {} in {} units, {} match no unit; {} named",
        args.workbook.display(),
        report.accounts,
        csv.display(),
        report.accounts - report.unmatched.len(),
        report.units_with_accounts,
        report.unmatched.len(),
        report.named
    );
    println!(
        "units' measures summed from their accounts: {}{}",
        report.unit_measures.join(", "),
        if report.replaced.is_empty() {
            String::new()
        } else {
            format!(" (replacing the units' own {})", report.replaced.join(", "))
        }
    );
    attachment_notes(&attachment);
    if !report.removed.is_empty() {
        eprintln!(
            "note: the units' {} came from the previous accounts file, which this one lacks: removed, as their sums \
             would be stale",
            report.removed.join(", ")
        );
    }
    if report.named_dropped > 0 {
        eprintln!(
            "note: {} named account(s) are no longer among the accounts; their naming was removed",
            report.named_dropped
        );
    }
    if report.refigured > 0 {
        eprintln!(
            "note: the figures of {} scenario(s) are computed again from the new measures when read",
            report.refigured
        );
    }
    let accounts = wb
        .accounts()?
        .ok_or_else(|| CliError::failure("the accounts were not stored"))?;
    write_unmatched(&accounts, &report.unmatched, unmatched_out)?;
    if report.named > 0 {
        report_named(wb)?;
    }
    Ok(())
}

/// What the attachment rules did that the planner should know.
fn attachment_notes(a: &Attachment) {
    if let Some((key, id)) = &a.zero_padded_example {
        eprintln!(
            "note: {} account key(s) matched a unit only with leading zeros restored or dropped (e.g. {key:?} → unit \
             {id:?}): a spreadsheet may have read the codes as numbers",
            a.zero_padded
        );
    }
    if a.nearest > 0 {
        eprintln!(
            "note: {} account(s) lie outside every unit polygon and went to the nearest one (the farthest {:.2} km \
             away)",
            a.nearest, a.nearest_farthest_km
        );
    }
    if a.on_border > 0 {
        eprintln!(
            "note: {} account(s) lie on the border of two units; each went to the first of them in unit order",
            a.on_border
        );
    }
}

/// Lists the accounts `rows` that match no unit: a count and the first rows on stderr, all of them in `out`.
fn write_unmatched(accounts: &Accounts, rows: &[usize], out: Option<&Output>) -> Result<(), CliError> {
    let describe = |a: usize| match (&accounts.keys[a], accounts.points[a]) {
        (Some(k), _) => format!("key {k:?} is not a unit id"),
        (None, Some((x, y))) => format!("point ({x}, {y}) lies in no unit polygon"),
        (None, None) => "no key or point".to_string(),
    };
    if !rows.is_empty() {
        eprintln!(
            "{} of {} accounts match no unit: they stay in the workbook, in no territory unless named{}",
            rows.len(),
            accounts.len(),
            if rows.len() > SHOWN {
                format!("; the first {SHOWN}:")
            } else {
                ":".into()
            }
        );
        for &a in rows.iter().take(SHOWN) {
            eprintln!(
                "  {} line {}: account {:?}: {}",
                accounts.source,
                accounts.lines[a],
                accounts.ids[a],
                describe(a)
            );
        }
        if rows.len() > SHOWN && out.is_none() {
            eprintln!("  (write them all with --unmatched-out FILE.csv)");
        }
    }
    if let Some(out) = out {
        out.write(|w| {
            writeln!(w, "line,id,key,lon,lat,reason").map_err(|e| e.to_string())?;
            for &a in rows {
                let (x, y) =
                    accounts.points[a].map_or((String::new(), String::new()), |(x, y)| (x.to_string(), y.to_string()));
                writeln!(
                    w,
                    "{},{},{},{x},{y},{}",
                    accounts.lines[a],
                    csv_field(&accounts.ids[a]),
                    csv_field(accounts.keys[a].as_deref().unwrap_or("")),
                    csv_field(&describe(a))
                )
                .map_err(|e| e.to_string())?;
            }
            Ok(())
        })?;
        if !out.is_stdout() {
            eprintln!("{} unmatched account(s) written", rows.len());
        }
    }
    Ok(())
}

/// A CSV field, quoted when it holds a delimiter, a quote or a line end.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Named accounts per territory, and those named to a territory neither a rep nor one of "current"'s.
fn report_named(wb: &Workbook) -> Result<(), CliError> {
    let named = wb.named_loads()?;
    if named.is_empty() {
        return Ok(());
    }
    let dataset = wb.dataset()?;
    let mut known: Vec<String> = dataset.reps.iter().map(|r| r.id.clone()).collect();
    if let Ok(current) = wb.scenario(CURRENT) {
        known.extend(current.plan.names().iter().cloned());
    }
    let list: Vec<String> = named
        .territories
        .iter()
        .map(|t| format!("{} {}", t.territory, t.accounts))
        .collect();
    println!("named accounts per territory: {}", list.join(", "));
    for t in named.territories.iter().filter(|t| !known.contains(&t.territory)) {
        eprintln!(
            "warning: {} account(s) are named to {:?}, which is neither a rep nor a territory of \"current\"; a plan \
             without that territory refuses them",
            t.accounts, t.territory
        );
    }
    Ok(())
}

/// With no action: what the workbook holds.
fn list(wb: &Workbook, path: &Path, out: Option<&Output>) -> Result<(), CliError> {
    let Some(accounts) = wb.accounts()? else {
        println!(
            "{}: no accounts (import them with --import FILE --by-column COLUMN or --by-point)",
            path.display()
        );
        if let Some(out) = out {
            write_unmatched_empty(out)?;
        }
        return Ok(());
    };
    let rows: Vec<usize> = (0..accounts.len()).filter(|&a| accounts.unit_of[a].is_none()).collect();
    let named = accounts.named.iter().flatten().count();
    println!(
        "{}: {} accounts from {} attached by {}: {} in units, {} match no unit; {} named",
        path.display(),
        accounts.len(),
        accounts.source,
        accounts.attached_by,
        accounts.len() - rows.len(),
        rows.len(),
        named
    );
    println!(
        "units' measures summed from their accounts: {}",
        accounts.unit_measures().join(", ")
    );
    report_named(wb)?;
    write_unmatched(&accounts, &rows, out)
}

fn write_unmatched_empty(out: &Output) -> Result<(), CliError> {
    out.write(|w| writeln!(w, "line,id,key,lon,lat,reason").map_err(|e| e.to_string()))
}
