//! `tessera`: Tessera's headless command line, for scripted runs and benchmarks.
//!
//! Each subcommand lives in its own module with its clap arguments and a `run` function.

mod error;
mod evaluate;

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
    /// Score a plan: balance, travel and contiguity per territory and in total.
    Evaluate(evaluate::Args),
}

fn main() {
    let cli = Cli::parse();
    let result: Result<(), CliError> = match &cli.command {
        Command::Evaluate(a) => evaluate::run(a),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(e.code);
    }
}
