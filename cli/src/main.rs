//! `tessera`: Tessera's headless command line, for scripted runs and benchmarks.
//!
//! Each subcommand lives in its own module with its clap arguments and a `run` function. Bad input exits
//! with code 2 and a message naming the file, line and column; other failures exit with 1.

mod error;
mod evaluate;
mod export;
mod import;
mod inputs;
mod output;
mod plan;
mod scenarios;

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
    /// List a workbook's scenarios.
    Scenarios(scenarios::Args),
    /// Write a workbook scenario as CSV, GeoJSON or metrics JSON.
    Export(export::Args),
    /// Score a plan: balance, travel and contiguity per territory and in total.
    Evaluate(evaluate::Args),
    /// Design balanced, compact, contiguous territories.
    Plan(Box<plan::Args>),
}

fn main() {
    let cli = Cli::parse();
    let result: Result<(), CliError> = match &cli.command {
        Command::Import(a) => import::run(a),
        Command::Scenarios(a) => scenarios::run(a),
        Command::Export(a) => export::run(a),
        Command::Evaluate(a) => evaluate::run(a),
        Command::Plan(a) => plan::run(a),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(e.code);
    }
}
