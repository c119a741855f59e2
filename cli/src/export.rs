//! `tessera export`: write a scenario of a workbook as a plan CSV, GeoJSON or metrics JSON.

use std::path::PathBuf;

use tessera_workbook::export::{plan_geojson, write_metrics_json, write_plan_csv};

use crate::error::CliError;
use crate::inputs::open_workbook;
use crate::output::Output;

/// Arguments of `tessera export`.
#[derive(clap::Args)]
pub struct Args {
    /// The workbook.
    workbook: PathBuf,
    /// The scenario to export.
    #[arg(long)]
    scenario: String,
    /// Output file; its extension picks the format: .csv (id,territory), .geojson, .json (metrics). `-` writes
    /// to standard output (then give --format).
    #[arg(long)]
    out: PathBuf,
    /// The format, when the file name's extension does not say: csv, geojson or json.
    #[arg(long, value_parser = ["csv", "geojson", "json"])]
    format: Option<String>,
    /// Replace the --out file if it exists.
    #[arg(long)]
    force: bool,
}

/// Runs `tessera export`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let out = Output::parse(&args.out);
    let ext = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let format = match (&args.format, out.is_stdout()) {
        (Some(f), _) => f.clone(),
        (None, true) => {
            return Err(CliError::input(
                "--out -: standard output has no extension to pick the format; add --format csv, geojson or json",
            ))
        }
        (None, false) => ext,
    };
    out.check("--out", args.force)?;
    let wb = open_workbook(&args.workbook)?;
    let scenario = wb.scenario(&args.scenario)?;
    match format.as_str() {
        "csv" => {
            let dataset = wb.dataset()?;
            out.write(|w| write_plan_csv(w, dataset.units.ids(), &scenario.plan).map_err(|e| e.to_string()))?;
        }
        "geojson" => {
            let dataset = wb.dataset()?;
            let text = plan_geojson(&dataset, Some(&scenario.plan));
            out.write(|w| w.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
        }
        "json" => {
            // Every scenario has figures: stored, or (edited since) computed now; never null.
            let metrics = wb.figures(&scenario)?;
            if metrics.is_null() {
                return Err(CliError::input(format!(
                    "scenario {:?} has no figures and the units have no measure to compute them from",
                    scenario.name
                )));
            }
            out.write(|w| write_metrics_json(w, &metrics).map_err(|e| e.to_string()))?;
        }
        _ => {
            return Err(CliError::input(format!(
                "{}: unknown export format {format:?}; use .csv, .geojson or .json (or --format)",
                args.out.display()
            )))
        }
    }
    if !out.is_stdout() {
        println!("{}: scenario {:?} written", args.out.display(), scenario.name);
    }
    Ok(())
}
