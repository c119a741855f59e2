//! `tessera evaluate`: score a plan — balance, travel and contiguity per territory and in total.

use std::path::PathBuf;

use tessera_optimizer::{evaluate, Evaluation};

use crate::error::CliError;
use crate::inputs::{load_dataset, load_plan, DatasetArgs};

/// Arguments of `tessera evaluate`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    dataset: DatasetArgs,
    /// Plan CSV (id,territory).
    #[arg(long)]
    plan: PathBuf,
    /// Number of territories the plan is measured against (territories it does not use count as empty).
    #[arg(long)]
    territories: usize,
    /// The measure to balance.
    #[arg(long, default_value = "workload")]
    balance: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `tessera evaluate`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let dataset = load_dataset(&args.dataset, Some(&args.balance), Some(args.territories))?;
    let plan = load_plan(&args.plan, &dataset)?;
    let weights = dataset.units.measure(&args.balance).ok_or_else(|| {
        CliError::input(format!(
            "{}: no measure {:?}",
            args.dataset
                .units
                .as_deref()
                .unwrap_or(std::path::Path::new("units"))
                .display(),
            args.balance
        ))
    })?;
    let e = evaluate(
        &dataset.units,
        &dataset.adjacency,
        &plan,
        weights,
        args.territories,
        &dataset.reps,
    );
    if args.json {
        let text = serde_json::to_string_pretty(&e).map_err(|e| CliError::failure(e.to_string()))?;
        println!("{text}");
    } else {
        print_table(&e);
    }
    Ok(())
}

/// Prints an evaluation as a table a planner can read in a terminal.
pub fn print_table(e: &Evaluation) {
    println!(
        "{:<16} {:>14} {:>9} {:>16} {:>7}  contiguous",
        "territory", "load", "dev", "travel", "units"
    );
    for t in &e.territories {
        println!(
            "{:<16} {:>14.1} {:>+8.2}% {:>16.1} {:>7}  {}",
            t.name,
            t.load,
            t.deviation * 100.0,
            t.travel,
            t.n_units,
            if t.connected { "yes" } else { "NO" }
        );
    }
    println!(
        "total: {} units, {} territories, target {:.1}, max deviation {:.2}%, CV {:.4}, travel {:.6e}, {} not contiguous",
        e.n_units,
        e.p,
        e.target,
        e.max_dev * 100.0,
        e.cv,
        e.travel,
        e.n_noncontiguous
    );
}
