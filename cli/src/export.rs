//! `tessera export`: write a scenario of a workbook as a plan CSV, GeoJSON or metrics JSON.

use std::path::PathBuf;

use tessera_workbook::export::{plan_geojson, write_metrics_json, write_plan_csv};

use crate::error::CliError;
use crate::inputs::open_workbook;
use crate::output::write_atomically;

/// Arguments of `tessera export`.
#[derive(clap::Args)]
pub struct Args {
    /// The workbook.
    workbook: PathBuf,
    /// The scenario to export.
    #[arg(long)]
    scenario: String,
    /// Output file; its extension picks the format: .csv (id,territory), .geojson, .json (metrics).
    #[arg(long)]
    out: PathBuf,
}

/// Runs `tessera export`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let wb = open_workbook(&args.workbook)?;
    let scenario = wb.scenario(&args.scenario)?;
    let ext = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => {
            let dataset = wb.dataset()?;
            write_atomically(&args.out, |w| {
                write_plan_csv(w, dataset.units.ids(), &scenario.plan).map_err(|e| e.to_string())
            })?;
        }
        "geojson" => {
            let dataset = wb.dataset()?;
            let text = plan_geojson(&dataset, Some(&scenario.plan));
            write_atomically(&args.out, |w| w.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
        }
        "json" => {
            write_atomically(&args.out, |w| {
                write_metrics_json(w, &scenario.metrics).map_err(|e| e.to_string())
            })?;
        }
        _ => {
            return Err(CliError::input(format!(
                "{}: unknown export format {ext:?}; use .csv, .geojson or .json",
                args.out.display()
            )))
        }
    }
    println!("{}: scenario {:?} written", args.out.display(), scenario.name);
    Ok(())
}
