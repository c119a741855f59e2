//! `tessera evaluate`: score a plan — balance, travel and contiguity per territory and in total.

use std::path::PathBuf;

use tessera_optimizer::{evaluate, Evaluation};
use tessera_workbook::figures::format_travel;

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
    /// Number of territories the plan is measured against (territories it does not use count as empty); default:
    /// the plan's own number (or the reps', when there are more reps). Fewer than the plan has is refused.
    #[arg(long, allow_negative_numbers = true, value_parser = crate::inputs::parse_territories)]
    territories: Option<usize>,
    /// The measure to balance.
    #[arg(long, default_value = "workload")]
    balance: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `tessera evaluate`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let dataset = load_dataset(&args.dataset, Some(&args.balance), args.territories)?;
    let plan = load_plan(&args.plan, &dataset)?;
    let p = territories(args.territories, &plan, dataset.reps.len())?;
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
    let e = evaluate(&dataset.units, &dataset.adjacency, &plan, weights, p, &dataset.reps);
    if args.json {
        let text = serde_json::to_string_pretty(&e).map_err(|e| CliError::failure(e.to_string()))?;
        println!("{text}");
    } else {
        print_table(&e);
    }
    Ok(())
}

/// The number of territories to measure against: the plan's own (or the reps', if more), or the one asked for when
/// it is at least the plan's; fewer would print a target of the wrong size above the plan's rows.
fn territories(asked: Option<usize>, plan: &tessera_optimizer::Plan, reps: usize) -> Result<usize, CliError> {
    let used = plan.territory_count();
    match asked {
        None => Ok(used.max(reps).max(1)),
        Some(p) if p >= used && p > 0 => Ok(p),
        Some(p) => Err(CliError::input(format!(
            "--territories {p}: the plan has {used} territories with units, so it cannot be measured as {p}; \
             give --territories {used} or more, or leave it out"
        ))),
    }
}

/// Prints an evaluation as a table a planner can read in a terminal.
pub fn print_table(e: &Evaluation) {
    println!(
        "{:<16} {:>14} {:>9} {:>22} {:>7}  contiguous",
        "territory", "load", "dev", "travel", "units"
    );
    for t in &e.territories {
        println!(
            "{:<16} {:>14.1} {:>+8.2}% {:>22} {:>7}  {}",
            t.name,
            t.load,
            t.deviation * 100.0,
            format_travel(t.travel),
            t.n_units,
            if t.connected { "yes" } else { "NO" }
        );
    }
    println!(
        "total: {} units, {} territories, target {:.1}, max deviation {:.2}%, CV {:.4}, travel {}, {} not contiguous",
        e.n_units,
        e.p,
        e.target,
        e.max_dev * 100.0,
        e.cv,
        format_travel(e.travel),
        e.n_noncontiguous
    );
}
