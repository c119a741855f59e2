//! `tessera import`: validate the planner's files and write them into a new `.tessera` workbook.

use std::path::PathBuf;

use tessera_workbook::import::balanced_measure;
use tessera_workbook::store::CURRENT;
use tessera_workbook::{Workbook, WorkbookError};

use crate::error::CliError;
use crate::inputs::{load_dataset_with_text, DatasetArgs};

/// Arguments of `tessera import`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    dataset: DatasetArgs,
    /// The measure the planner balances (checked numeric and non-negative on every row).
    #[arg(long)]
    balance: Option<String>,
    /// The workbook to create.
    #[arg(long)]
    out: PathBuf,
    /// Replace the workbook if it exists (the old one stays intact until the new one is complete).
    #[arg(long)]
    force: bool,
}

/// Runs `tessera import`. Everything is read and validated before anything is written.
pub fn run(args: &Args) -> Result<(), CliError> {
    if args.out.as_os_str() == "-" {
        return Err(CliError::input(
            "--out -: a workbook is a file (an SQLite database), it cannot go to standard output; give a file name",
        ));
    }
    if !args.force && args.out.exists() {
        return Err(exists(&args.out));
    }
    let (dataset, text) = load_dataset_with_text(&args.dataset, args.balance.as_deref(), None)?;
    // Staged, as the app's New from CSV is: the workbook appears at --out only whole, balance measure included,
    // so a kill at any point leaves the old file or the new one, never the new one half-written.
    let refused = |e: WorkbookError| match e {
        WorkbookError::Exists { path } => exists(&path),
        e => e.into(),
    };
    let mut staged = Workbook::create_staged(&args.out, &dataset).map_err(refused)?;
    let wb = staged.workbook();
    // Kept in the workbook, so the app balances the same measure when it opens it: the one asked for (in the
    // file's own spelling), else the default by the rule the app uses for its own imports. The imported
    // alignment's figures follow it (see `Workbook::set_balance_measure`).
    wb.set_balance_measure(balanced_measure(&dataset.units, args.balance.as_deref()))?;
    // Names, states and codes, for the app to name a unit by (no figure uses them).
    let text: Vec<tessera_workbook::store::UnitText> = text.into_iter().map(Into::into).collect();
    wb.set_unit_text(&text)?;
    let scenarios = wb.scenarios()?;
    staged.publish(args.force).map_err(refused)?;
    println!(
        "{}: {} units, {} measures ({}), {} adjacency edges ({:?}{}), {}{} reps, {} scenario(s){}",
        args.out.display(),
        dataset.units.len(),
        dataset.units.measures().len(),
        dataset
            .units
            .measures()
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        dataset.adjacency.edge_count(),
        dataset.adjacency_source,
        if dataset.bridged.is_empty() {
            String::new()
        } else {
            format!(", {} island bridges", dataset.bridged.len())
        },
        if dataset.polygons.is_some() {
            "polygons, "
        } else {
            "points only, "
        },
        dataset.reps.len(),
        scenarios.len(),
        if scenarios.iter().any(|s| s.name == CURRENT) {
            " incl. \"current\""
        } else {
            ""
        },
    );
    Ok(())
}

/// The planner's fix for an existing output file, in the CLI's words.
fn exists(path: &std::path::Path) -> CliError {
    CliError::input(format!(
        "--out {}: the file already exists; add --force to replace it (the old workbook stays intact until the \
         new one is complete), or choose another name",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    #[test]
    fn the_balance_measure_is_kept_in_the_workbook_as_the_file_spells_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let units = dir.path().join("u.csv");
        std::fs::write(
            &units,
            "id,lon,lat,workload,Potential\na,0,0,1,5\nb,0.5,0,2,6\nc,0,0.5,3,7\n",
        )
        .expect("write");
        let out = dir.path().join("w.tessera");
        let (u, o) = (units.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
        let cli = Cli::parse_from(["import", "--units", u, "--balance", "potential", "--out", o]);
        run(&cli.args).expect("imports");
        let wb = Workbook::open_read_only(&out).expect("opens");
        assert_eq!(wb.balance_measure().expect("reads").as_deref(), Some("Potential"));

        // Without --balance the shared default is stored, as the app's New from CSV stores it: workload.
        let out2 = dir.path().join("w2.tessera");
        let cli = Cli::parse_from(["import", "--units", u, "--out", out2.to_str().expect("utf-8")]);
        run(&cli.args).expect("imports");
        assert_eq!(
            Workbook::open_read_only(&out2)
                .expect("opens")
                .balance_measure()
                .expect("reads")
                .as_deref(),
            Some("workload")
        );
    }
}
