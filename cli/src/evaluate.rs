//! `tessera evaluate`: score a plan.

use std::path::PathBuf;

use crate::error::CliError;

/// Arguments of `tessera evaluate`.
#[derive(clap::Args)]
pub struct Args {
    /// Units CSV (id, lon, lat and numeric measures).
    #[arg(long)]
    pub units: PathBuf,
    /// Adjacency CSV (a,b).
    #[arg(long)]
    pub adjacency: Option<PathBuf>,
    /// Plan CSV (id,territory).
    #[arg(long)]
    pub plan: PathBuf,
    /// Number of territories the plan is measured against.
    #[arg(long)]
    pub territories: usize,
    /// The measure to balance.
    #[arg(long, default_value = "workload")]
    pub balance: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `tessera evaluate`.
pub fn run(_args: &Args) -> Result<(), CliError> {
    Err(CliError::failure("evaluate: not wired to the importers yet"))
}
