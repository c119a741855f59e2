//! `tessera export`: write a scenario of a workbook for people and other tools: the assignment CSV, territory
//! polygons (GeoJSON), the units as GeoJSON, metrics JSON, an XLSX workbook, a GeoPackage with every
//! scenario's territories, a one-file HTML report; optionally its charts (SVG and PNG) and quotas.

use std::path::PathBuf;

use tessera_workbook::charts::Chart;
use tessera_workbook::export::{export_scenario, Destination, ExportFormat, ExportOptions, ScenarioExportError};

use crate::error::CliError;
use crate::inputs::open_workbook_team;
use crate::output::{write_atomically, Output};
use crate::quota_args::QuotaArgs;

/// The formats, as `--format` names them.
const FORMATS: [&str; 7] = ["csv", "geojson", "units-geojson", "json", "xlsx", "gpkg", "html"];

/// Arguments of `tessera export`.
#[derive(clap::Args)]
pub struct Args {
    /// The workbook.
    workbook: PathBuf,
    /// Act on this team of the workbook (`tessera teams` lists them; default: the default team).
    #[arg(long, value_name = "NAME")]
    team: Option<String>,
    /// The scenario to export.
    #[arg(long)]
    scenario: String,
    /// Output file; its extension picks the format: .csv (every unit: id, territory, rep, position, measures),
    /// .geojson (territory polygons dissolved from their units), .json (metrics), .xlsx (summary,
    /// territories, quotas, assignments, moves), .gpkg (units and every scenario's territories), .html (a
    /// one-file report). `-` writes to standard output (then give --format; not for xlsx, gpkg).
    #[arg(long)]
    out: PathBuf,
    /// The format, when the extension does not say: csv, geojson, units-geojson (the units with their
    /// territory), json, xlsx, gpkg or html.
    #[arg(long, value_parser = FORMATS)]
    format: Option<String>,
    /// Replace the --out file (and chart files) if they exist.
    #[arg(long)]
    force: bool,
    /// The scenario moves and "changed" are counted against (default: "current", when it exists and is not
    /// the exported scenario).
    #[arg(long)]
    baseline: Option<String>,
    /// The measure figures and charts balance (default: the workbook's balance measure).
    #[arg(long)]
    measure: Option<String>,
    /// The tolerance band of charts and the report (default: the scenario's own, else its team's, else 0.05).
    #[arg(long)]
    tolerance: Option<f64>,
    /// Also write the charts (load per territory, deviations, travel against balance) as SVG and PNG into
    /// this folder.
    #[arg(long, value_name = "DIR")]
    charts: Option<PathBuf>,
    /// The TrueType font charts are drawn with (default: a usual system font).
    #[arg(long)]
    font: Option<PathBuf>,
    /// Quotas (XLSX, HTML).
    #[command(flatten)]
    quota: QuotaArgs,
    /// Down to accounts: the CSV lists every account (id, unit, territory, named, rep, key, position, its
    /// columns) instead of every unit; the XLSX gains an accounts sheet and the accounts that change territory
    /// against the baseline. For .csv and .xlsx; the workbook needs accounts (tessera accounts --import).
    #[arg(long)]
    accounts: bool,
}

/// Runs `tessera export`: checks the flags and the files it would replace, then writes through the workbook's
/// [`export_scenario`] (the code the app's Export… runs too).
pub fn run(args: &Args) -> Result<(), CliError> {
    let out = Output::parse(&args.out);
    let ext = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let name = match (&args.format, out.is_stdout()) {
        (Some(f), _) => f.clone(),
        (None, true) => {
            return Err(CliError::input(
                "--out -: standard output has no extension to pick the format; add --format csv, geojson or json",
            ))
        }
        (None, false) => ext,
    };
    let format = ExportFormat::from_name(&name).ok_or_else(|| {
        CliError::input(format!(
            "{}: unknown export format {name:?}; use .csv, .geojson, .json, .xlsx, .gpkg or .html (or --format)",
            args.out.display()
        ))
    })?;
    if out.is_stdout() && format.is_binary() {
        return Err(CliError::input(format!(
            "--out -: {name} is a binary file format; give a file name"
        )));
    }
    out.check("--out", args.force)?;
    if let Some(dir) = &args.charts {
        for chart in ["load", "deviations", "travel-balance"] {
            for ext in ["svg", "png"] {
                Output::File(dir.join(format!("{chart}.{ext}"))).check("--charts", args.force)?;
            }
        }
    }
    if args.accounts && !format.has_accounts_level() {
        return Err(CliError::input(format!(
            "--accounts: account-level exports are CSV or XLSX, not {name}; give --out with .csv or .xlsx"
        )));
    }
    let options = ExportOptions {
        baseline: args.baseline.clone(),
        measure: args.measure.clone(),
        tolerance: args.tolerance,
        quota: args.quota.params()?,
        accounts: args.accounts,
        font: args.font.clone(),
        charts: args.charts.is_some(),
        ..ExportOptions::new(args.scenario.clone(), format)
    };
    if let Some(t) = args.tolerance.filter(|t| !(*t > 0.0 && t.is_finite())) {
        return Err(CliError::input(format!("--tolerance {t}: must be a number above 0")));
    }
    let wb = open_workbook_team(&args.workbook, args.team.as_deref())?;
    let exported = match &out {
        Output::File(path) => export_scenario(&wb, &options, Destination::File(path)),
        Output::Stdout => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            export_scenario(&wb, &options, Destination::Stream(&mut lock))
        }
    }
    .map_err(|e| match e {
        ScenarioExportError::Request(m) => CliError::input(m),
        ScenarioExportError::Workbook(e) => CliError::from(e),
        e @ (ScenarioExportError::Write { .. } | ScenarioExportError::Chart(_)) => CliError::failure(e.to_string()),
    })?;
    if let Some(dir) = &args.charts {
        write_charts(dir, &exported.charts)?;
        if !out.is_stdout() {
            println!("{}: charts written", dir.display());
        }
    }
    if !out.is_stdout() {
        println!("{}: scenario {:?} written", args.out.display(), exported.scenario);
    }
    Ok(())
}

/// Writes each chart as SVG and PNG into `dir` (replacing them was checked before the export).
fn write_charts(dir: &std::path::Path, charts: &[Chart]) -> Result<(), CliError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::failure(format!("{}: cannot create the folder: {e}", dir.display())))?;
    for chart in charts {
        let svg = chart.svg().map_err(|e| CliError::failure(e.to_string()))?;
        write_atomically(&dir.join(format!("{}.svg", chart.stem())), |w| {
            w.write_all(svg.as_bytes()).map_err(|e| e.to_string())
        })?;
        chart
            .png(&dir.join(format!("{}.png", chart.stem())))
            .map_err(|e| CliError::failure(e.to_string()))?;
    }
    Ok(())
}
