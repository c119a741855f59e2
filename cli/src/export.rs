//! `tessera export`: write a scenario of a workbook for people and other tools: the assignment CSV, territory
//! polygons (GeoJSON), the units as GeoJSON, metrics JSON, an XLSX workbook, a GeoPackage with every
//! scenario's territories, a one-file HTML report; optionally its charts (SVG and PNG) and quotas.

use std::path::{Path, PathBuf};

use tessera_workbook::accounts::NamedLoads;
use tessera_workbook::charts::{load_font, ScenarioPoint};
use tessera_workbook::export::{
    account_move_table, account_table, html_report, plan_geojson, scenario_charts, territory_shapes,
    write_metrics_json, write_xlsx, ScenarioExport,
};
use tessera_workbook::figures::default_measure;
use tessera_workbook::store::{TerritoryFeature, TerritoryLayer, CURRENT};
use tessera_workbook::{Dataset, Workbook};

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
    /// The tolerance band of charts and the report (default: the scenario's own, else the team's, else 0.05).
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
    if !FORMATS.contains(&format.as_str()) {
        return Err(CliError::input(format!(
            "{}: unknown export format {format:?}; use .csv, .geojson, .json, .xlsx, .gpkg or .html (or --format)",
            args.out.display()
        )));
    }
    if out.is_stdout() && (format == "xlsx" || format == "gpkg") {
        return Err(CliError::input(format!(
            "--out -: {format} is a binary file format; give a file name"
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
    if args.accounts && format != "csv" && format != "xlsx" {
        return Err(CliError::input(format!(
            "--accounts: account-level exports are CSV or XLSX, not {format}; give --out with .csv or .xlsx"
        )));
    }
    let quota = args.quota.params()?;
    let wb = open_workbook_team(&args.workbook, args.team.as_deref())?;
    let scenario = wb.scenario(&args.scenario)?;
    let accounts = match args.accounts {
        true => Some(wb.accounts()?.ok_or_else(|| {
            CliError::input(format!(
                "--accounts: {} has no accounts; import them with tessera accounts --import",
                args.workbook.display()
            ))
        })?),
        false => None,
    };
    if format == "json" {
        // Every scenario has figures: stored, or (edited since) computed now; never null.
        let metrics = wb.figures(&scenario)?;
        if metrics.is_null() {
            return Err(CliError::input(format!(
                "scenario {:?} has no figures and the units have no measure to compute them from",
                scenario.name
            )));
        }
        out.write(|w| write_metrics_json(w, &metrics).map_err(|e| e.to_string()))?;
        return done(args, &out, &scenario.name);
    }
    let dataset = wb.dataset()?;
    if format == "units-geojson" {
        let text = plan_geojson(&dataset, Some(&scenario.plan));
        out.write(|w| w.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
        return done(args, &out, &scenario.name);
    }
    let measure = match &args.measure {
        Some(m) => m.clone(),
        None => wb
            .balance_measure()?
            .or_else(|| default_measure(&dataset))
            .ok_or_else(|| CliError::input(format!("{}: the units have no measure", args.workbook.display())))?,
    };
    let baseline_name = match &args.baseline {
        Some(b) => Some(b.clone()),
        None => wb
            .scenarios()?
            .iter()
            .any(|s| s.name == CURRENT && s.name != scenario.name)
            .then(|| CURRENT.to_string()),
    };
    let baseline = baseline_name.as_deref().map(|b| wb.scenario(b)).transpose()?;
    let ex = ScenarioExport::new(
        &dataset,
        &scenario.name,
        &scenario.plan,
        &measure,
        baseline.as_ref().map(|b| (b.name.as_str(), &b.plan)),
        quota.as_ref(),
    )
    .map_err(|e| CliError::input(e.to_string()))?
    .with_text(wb.unit_text()?)
    .with_named(wb.named_loads()?);
    let tolerance = match args.tolerance {
        Some(t) if t > 0.0 && t.is_finite() => t,
        Some(t) => return Err(CliError::input(format!("--tolerance {t}: must be a number above 0"))),
        None => scenario
            .params
            .get("tolerance")
            .and_then(|v| v.as_f64())
            .or(wb.team_tolerance()?)
            .unwrap_or(0.05),
    };
    let needs_charts = format == "html" || args.charts.is_some();
    if needs_charts {
        load_font(args.font.as_deref()).map_err(|e| CliError::input(e.to_string()))?;
    }
    let points = if needs_charts {
        scenario_points(&wb, &dataset, &measure, &ex.named)?
    } else {
        vec![]
    };
    match format.as_str() {
        "csv" => {
            let t = match &accounts {
                Some(a) => account_table(a, &dataset.units, &scenario.plan, &dataset.reps),
                None => ex.assignment_table(),
            };
            out.write(|w| t.write_csv(w).map_err(|e| e.to_string()))?;
        }
        "geojson" => {
            let text = ex.territories_geojson(&ex.shapes());
            out.write(|w| w.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
        }
        "xlsx" => {
            let mut sheets = vec![
                ex.summary_table(),
                ex.territory_table(),
                ex.quota_table(),
                ex.assignment_table(),
                ex.move_table(),
            ];
            if let Some(a) = &accounts {
                sheets.push(account_table(a, &dataset.units, &scenario.plan, &dataset.reps));
                let mut sides: Vec<(&str, &tessera_optimizer::Plan)> = Vec::new();
                if let Some(b) = &baseline {
                    sides.push((b.name.as_str(), &b.plan));
                }
                sides.push((scenario.name.as_str(), &scenario.plan));
                sheets.push(account_move_table(a, &dataset.units, &sides, &dataset.reps));
            }
            out.write(|w| write_xlsx(w, &sheets).map_err(|e| e.to_string()))?;
        }
        // Written beside --out and renamed over it when complete (replacing it was checked above).
        "gpkg" => write_gpkg(&wb, &dataset, &measure, &ex.named, &args.out)?,
        "html" => {
            let html =
                html_report(&ex, &ex.shapes(), tolerance, &points).map_err(|e| CliError::failure(e.to_string()))?;
            out.write(|w| w.write_all(html.as_bytes()).map_err(|e| e.to_string()))?;
        }
        _ => unreachable!("checked against FORMATS above"),
    }
    if let Some(dir) = &args.charts {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::failure(format!("{}: cannot create the folder: {e}", dir.display())))?;
        for chart in scenario_charts(&ex, tolerance, &points) {
            let svg = chart.svg().map_err(|e| CliError::failure(e.to_string()))?;
            write_atomically(&dir.join(format!("{}.svg", chart.stem())), |w| {
                w.write_all(svg.as_bytes()).map_err(|e| e.to_string())
            })?;
            chart
                .png(&dir.join(format!("{}.png", chart.stem())))
                .map_err(|e| CliError::failure(e.to_string()))?;
        }
        if !out.is_stdout() {
            println!("{}: charts written", dir.display());
        }
    }
    done(args, &out, &scenario.name)
}

fn done(args: &Args, out: &Output, scenario: &str) -> Result<(), CliError> {
    if !out.is_stdout() {
        println!("{}: scenario {scenario:?} written", args.out.display());
    }
    Ok(())
}

/// Every scenario's max deviation and travel on `measure`, for the travel-balance chart.
fn scenario_points(
    wb: &Workbook,
    dataset: &Dataset,
    measure: &str,
    named: &NamedLoads,
) -> Result<Vec<ScenarioPoint>, CliError> {
    let mut points = Vec::new();
    let weights = dataset
        .units
        .measure(measure)
        .ok_or_else(|| CliError::input(format!("the units have no measure {measure:?}")))?;
    for s in wb.scenarios()? {
        let sc = wb.scenario(&s.name)?;
        let mut e = tessera_optimizer::evaluate(
            &dataset.units,
            &dataset.adjacency,
            &sc.plan,
            weights,
            sc.plan.names().len().max(1),
            &dataset.reps,
        );
        named.add_to(&mut e, measure);
        points.push(ScenarioPoint {
            scenario: s.name,
            max_dev: e.max_dev,
            travel: e.travel,
        });
    }
    Ok(points)
}

/// The GeoPackage: the workbook's layers and every scenario's dissolved territories.
fn write_gpkg(
    wb: &Workbook,
    dataset: &Dataset,
    measure: &str,
    named: &NamedLoads,
    path: &Path,
) -> Result<(), CliError> {
    let mut layers = Vec::new();
    for s in wb.scenarios()? {
        let sc = wb.scenario(&s.name)?;
        let ex = ScenarioExport::new(dataset, &sc.name, &sc.plan, measure, None, None)
            .map_err(|e| CliError::input(e.to_string()))?
            .with_named(named.clone());
        let shapes = territory_shapes(dataset, &sc.plan);
        let features = ex
            .evaluation
            .territories
            .iter()
            .zip(shapes.shapes)
            .filter(|(_, shape)| !shape.0.is_empty())
            .map(|(t, shape)| TerritoryFeature {
                territory: t.name.clone(),
                rep: ex.rep_name(&t.name),
                units: t.n_units,
                load: t.load,
                deviation: t.deviation,
                shape,
            })
            .collect();
        layers.push(TerritoryLayer {
            scenario: s.name,
            features,
        });
    }
    wb.write_geopackage(path, &layers)?;
    Ok(())
}
