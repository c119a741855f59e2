//! `tessera`: Tessera's headless command line, for scripted runs and benchmarks.
//!
//! Each subcommand lives in its own module with its clap arguments and a `run` function. Exit codes (DESIGN.md
//! §6): 0 done; 1 an internal error; 2 bad input or usage, nothing written, with a message naming the file, line,
//! column or flag and the rule broken; 3 the plan was written but a promise was not kept, with the reason.

mod accounts;
mod compare;
mod error;
mod evaluate;
mod explore;
mod export;
mod front_chart;
mod import;
mod inputs;
mod limit_args;
mod mix_args;
mod output;
mod plan;
mod quota_args;
mod scenarios;
mod teams;

use clap::{Parser, Subcommand};

use error::CliError;

/// Sales territory design from the command line.
#[derive(Parser)]
#[command(name = "tessera", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate units (and adjacency, polygons, reps) and write a new .tessera workbook.
    Import(import::Args),
    /// Accounts inside a workbook's units: import them (attached by a key column or point in polygon), name
    /// accounts to territories or reps, or list them.
    Accounts(accounts::Args),
    /// List a workbook's scenarios; duplicate, rename, note or delete one; start one from a plan CSV or polygons.
    Scenarios(scenarios::Args),
    /// A workbook's overlay teams: list them; add one (its reps, an account filter choosing its units, its
    /// measure and tolerance), rename or delete one. Other commands pick a team with --team NAME.
    Teams(teams::Args),
    /// Write a workbook scenario as CSV, GeoJSON, XLSX, GeoPackage, an HTML report or metrics JSON.
    Export(export::Args),
    /// Compare 2 to 4 scenarios: summary, per territory before/after, every moved unit.
    Compare(compare::Args),
    /// Score a plan: balance, travel and contiguity per territory and in total.
    Evaluate(evaluate::Args),
    /// Design balanced, compact, contiguous territories.
    Plan(Box<plan::Args>),
    /// The trade-off front: plans none beats on balance, travel and workload moved at once, as CSVs, JSON and
    /// a chart.
    Explore(Box<explore::Args>),
}

fn main() {
    let cli = Cli::parse();
    let result: Result<(), CliError> = match &cli.command {
        Command::Import(a) => import::run(a),
        Command::Accounts(a) => accounts::run(a),
        Command::Scenarios(a) => scenarios::run(a),
        Command::Teams(a) => teams::run(a),
        Command::Export(a) => export::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Evaluate(a) => evaluate::run(a),
        Command::Plan(a) => plan::run(a),
        Command::Explore(a) => explore::run(a),
    };
    if let Err(e) = result {
        // Exit 3 is not an error: the plan was written, and the message says which promises it does not keep.
        if e.code == error::EXIT_PROMISE_NOT_KEPT {
            eprintln!("{e}");
        } else {
            eprintln!("error: {e}");
        }
        std::process::exit(e.code);
    }
}
