//! `tessera scenarios`: list a workbook's scenarios with their headline figures.

use std::path::PathBuf;

use tessera_workbook::figures::format_travel;

use crate::error::CliError;
use crate::inputs::open_workbook;

/// Arguments of `tessera scenarios`.
#[derive(clap::Args)]
pub struct Args {
    /// The workbook.
    workbook: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `tessera scenarios`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let wb = open_workbook(&args.workbook)?;
    let mut list = wb.scenarios()?;
    // A scenario edited since its figures were stored has none stored: they are computed now.
    for s in list.iter_mut().filter(|s| s.metrics.is_null()) {
        s.metrics = wb.figures(&wb.scenario(&s.name)?)?;
    }
    if args.json {
        let v: Vec<_> = list
            .iter()
            .map(|s| {
                serde_json::json!({"name": s.name, "created": s.created, "modified": s.modified,
                    "territories": s.territories, "metrics": s.metrics, "params": s.params,
                    "undo_steps": s.undo_steps, "redo_steps": s.redo_steps})
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&v).map_err(|e| CliError::failure(e.to_string()))?
        );
        return Ok(());
    }
    if list.is_empty() {
        println!("{}: no scenarios", args.workbook.display());
        return Ok(());
    }
    println!(
        "{:<24} {:>11} {:>9} {:>22} {:>10}  modified",
        "scenario", "territories", "max dev", "travel", "edits"
    );
    for s in &list {
        let num = |k: &str| s.metrics.get(k).and_then(|v| v.as_f64());
        println!(
            "{:<24} {:>11} {:>9} {:>22} {:>10}  {}",
            s.name,
            s.territories,
            num("max_dev")
                .map(|d| format!("{:.2}%", d * 100.0))
                .unwrap_or_else(|| "-".into()),
            num("travel").map(format_travel).unwrap_or_else(|| "-".into()),
            s.undo_steps,
            s.modified
        );
    }
    Ok(())
}
