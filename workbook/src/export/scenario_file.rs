//! Exporting one scenario of a workbook to a file in one of the export formats: what `tessera export` and the
//! app's Export… both run, so a file exported from the app is the file the CLI writes.
//!
//! [`export_scenario`] reads what the format needs from the workbook (the scenario, the baseline its moves are
//! counted against, quotas, accounts, every scenario for the travel–balance chart and the GeoPackage's layers),
//! and writes the file whole ([`super::write_atomically`], or the GeoPackage's own staged copy). Whether an
//! existing file may be replaced is the caller's decision, taken before (the CLI's `--force`, the app's
//! confirmation).

use std::io::Write;
use std::path::{Path, PathBuf};

use tessera_optimizer::Plan;

use super::accounts::{account_move_table, account_table};
use super::atomic::write_atomically;
use super::dissolve::territory_shapes;
use super::geojson::plan_geojson;
use super::metrics_json::write_metrics_json;
use super::quotas::QuotaParams;
use super::report_html::{html_report, scenario_charts};
use super::scenario::ScenarioExport;
use super::xlsx::write_xlsx;
use crate::accounts::NamedLoads;
use crate::charts::{load_font, Chart, ScenarioPoint};
use crate::figures::default_measure;
use crate::store::{TerritoryFeature, TerritoryLayer, CURRENT};
use crate::{Dataset, Workbook, WorkbookError};

/// A format a scenario can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// Assignment CSV: every unit (id, territory, rep, its text and measure columns), or every account.
    Csv,
    /// Territory polygons dissolved from their units (GeoJSON).
    Geojson,
    /// The units with their territory (GeoJSON points or polygons).
    UnitsGeojson,
    /// The scenario's figures (JSON).
    Json,
    /// An Excel workbook: summary, territories, quotas, assignments, moves (and accounts).
    Xlsx,
    /// A GeoPackage: the units and every scenario's dissolved territories as layers.
    Gpkg,
    /// A one-file HTML report for a meeting.
    Html,
}

impl ExportFormat {
    /// Every format, in the order menus list them.
    pub const ALL: [ExportFormat; 7] = [
        ExportFormat::Xlsx,
        ExportFormat::Csv,
        ExportFormat::Geojson,
        ExportFormat::Gpkg,
        ExportFormat::Html,
        ExportFormat::Json,
        ExportFormat::UnitsGeojson,
    ];

    /// The format's name, as `tessera export --format` and the app spell it.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Geojson => "geojson",
            ExportFormat::UnitsGeojson => "units-geojson",
            ExportFormat::Json => "json",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Gpkg => "gpkg",
            ExportFormat::Html => "html",
        }
    }

    /// The format named `name` ([`ExportFormat::name`]).
    pub fn from_name(name: &str) -> Option<ExportFormat> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The format a file's extension picks (case does not matter): `.geojson` is the territory polygons;
    /// the units' GeoJSON is only ever asked for by name.
    pub fn from_path(path: &Path) -> Option<ExportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .filter(|f| *f != ExportFormat::UnitsGeojson)
            .find(|f| f.extension() == ext)
    }

    /// The file extension (without the dot).
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::UnitsGeojson => "geojson",
            f => f.name(),
        }
    }

    /// What the file holds, for a menu or a dialog's filter.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Csv => "Assignment CSV",
            ExportFormat::Geojson => "Territory polygons (GeoJSON)",
            ExportFormat::UnitsGeojson => "Units with their territory (GeoJSON)",
            ExportFormat::Json => "Figures (JSON)",
            ExportFormat::Xlsx => "Excel workbook",
            ExportFormat::Gpkg => "GeoPackage (every scenario's territories)",
            ExportFormat::Html => "HTML report",
        }
    }

    /// Whether the file is binary (it cannot go to standard output).
    pub fn is_binary(self) -> bool {
        matches!(self, ExportFormat::Xlsx | ExportFormat::Gpkg)
    }

    /// Whether the format can go down to accounts ([`ExportOptions::accounts`]).
    pub fn has_accounts_level(self) -> bool {
        matches!(self, ExportFormat::Csv | ExportFormat::Xlsx)
    }
}

/// What to export and how.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    /// The scenario.
    pub scenario: String,
    /// The format.
    pub format: ExportFormat,
    /// The scenario moves and "changed" are counted against; `None`: "current", when it exists and is not the
    /// exported scenario.
    pub baseline: Option<String>,
    /// The measure figures and charts balance; `None`: the workbook's balance measure.
    pub measure: Option<String>,
    /// The tolerance band of charts and the report; `None`: the scenario's own, else its team's, else 0.05 (see
    /// [`scenario_tolerance`]).
    pub tolerance: Option<f64>,
    /// Quotas (XLSX, HTML).
    pub quota: Option<QuotaParams>,
    /// Down to accounts (CSV, XLSX): the workbook must have accounts.
    pub accounts: bool,
    /// The font charts are drawn with; `None`: a usual system font.
    pub font: Option<PathBuf>,
    /// Also make the charts (returned in [`Exported::charts`], for the caller to write).
    pub charts: bool,
}

impl ExportOptions {
    /// Scenario `scenario` as `format`, everything else by default.
    pub fn new(scenario: impl Into<String>, format: ExportFormat) -> Self {
        ExportOptions {
            scenario: scenario.into(),
            format,
            baseline: None,
            measure: None,
            tolerance: None,
            quota: None,
            accounts: false,
            font: None,
            charts: false,
        }
    }
}

/// Where an export goes.
pub enum Destination<'w> {
    /// A file, written whole.
    File(&'w Path),
    /// A stream (standard output): not for binary formats.
    Stream(&'w mut dyn Write),
}

/// What an export wrote.
#[derive(Debug)]
pub struct Exported {
    /// The scenario.
    pub scenario: String,
    /// The format.
    pub format: ExportFormat,
    /// The baseline moves were counted against, when there was one.
    pub baseline: Option<String>,
    /// The charts, when asked for ([`ExportOptions::charts`]).
    pub charts: Vec<Chart>,
}

/// Why a scenario could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioExportError {
    /// The request does not fit this workbook or format (no accounts, an unknown measure, accounts asked for a
    /// format without them, a bad tolerance, no font for charts...): the planner can change it.
    #[error("{0}")]
    Request(String),
    /// Reading the workbook failed, or it has no scenario of that name.
    #[error(transparent)]
    Workbook(#[from] WorkbookError),
    /// Writing the export failed (disk full, a closed pipe, no permission).
    #[error("{}: cannot write: {message}", path.display())]
    Write {
        /// The file (or `-` for standard output).
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// A chart could not be drawn.
    #[error("{0}")]
    Chart(String),
}

/// Exports `options.scenario` of `wb` as `options.format` to `dest`. Nothing is written when a check fails; a
/// file is written whole or not at all. An existing file at `dest` is replaced: the caller checked it may be.
///
/// # Errors
/// [`ScenarioExportError`].
pub fn export_scenario(
    wb: &Workbook,
    options: &ExportOptions,
    dest: Destination<'_>,
) -> Result<Exported, ScenarioExportError> {
    let format = options.format;
    let request = |m: String| ScenarioExportError::Request(m);
    if options.accounts && !format.has_accounts_level() {
        return Err(request(format!(
            "account-level exports are CSV or XLSX, not {}",
            format.name()
        )));
    }
    if let (ExportFormat::Gpkg | ExportFormat::Xlsx, Destination::Stream(_)) = (format, &dest) {
        return Err(request(format!(
            "{} is a binary file format; give a file name",
            format.name()
        )));
    }
    if let Some(t) = options.tolerance.filter(|t| !(*t > 0.0 && t.is_finite())) {
        return Err(request(format!("tolerance {t}: must be a number above 0")));
    }
    let scenario = wb.scenario(&options.scenario)?;
    let accounts = match options.accounts {
        true => Some(wb.accounts()?.ok_or_else(|| {
            request(format!(
                "{} has no accounts to export; import them first (tessera accounts --import)",
                wb.path().display()
            ))
        })?),
        false => None,
    };
    let mut exported = Exported {
        scenario: scenario.name.clone(),
        format,
        baseline: None,
        charts: Vec::new(),
    };
    if format == ExportFormat::Json {
        // Every scenario has figures: stored, or (edited since) computed now; never null.
        let metrics = wb.figures(&scenario)?;
        if metrics.is_null() {
            return Err(request(format!(
                "scenario {:?} has no figures and the units have no measure to compute them from",
                scenario.name
            )));
        }
        write(dest, |w| write_metrics_json(w, &metrics).map_err(|e| e.to_string()))?;
        return Ok(exported);
    }
    let dataset = wb.dataset()?;
    if format == ExportFormat::UnitsGeojson {
        let text = plan_geojson(&dataset, Some(&scenario.plan));
        write(dest, |w| w.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
        return Ok(exported);
    }
    let measure = match &options.measure {
        Some(m) => m.clone(),
        None => wb
            .balance_measure()?
            .or_else(|| default_measure(&dataset))
            .ok_or_else(|| request(format!("{}: the units have no measure", wb.path().display())))?,
    };
    let baseline_name = match &options.baseline {
        Some(b) => Some(b.clone()),
        None => wb
            .scenarios()?
            .iter()
            .any(|s| s.name == CURRENT && s.name != scenario.name)
            .then(|| CURRENT.to_string()),
    };
    let baseline = baseline_name.as_deref().map(|b| wb.scenario(b)).transpose()?;
    exported.baseline = baseline
        .as_ref()
        .map(|b| b.name.clone())
        .filter(|b| *b != scenario.name);
    let ex = ScenarioExport::new(
        &dataset,
        &scenario.name,
        &scenario.plan,
        &measure,
        baseline.as_ref().map(|b| (b.name.as_str(), &b.plan)),
        options.quota.as_ref(),
    )
    .map_err(|e| request(e.to_string()))?
    .with_text(wb.unit_text()?)
    .with_named(wb.named_loads()?);
    let tolerance = match options.tolerance {
        Some(t) => t,
        None => scenario_tolerance(&scenario.params, wb.team_tolerance()?),
    };
    let needs_charts = format == ExportFormat::Html || options.charts;
    if needs_charts {
        load_font(options.font.as_deref()).map_err(|e| request(e.to_string()))?;
    }
    let points = match needs_charts {
        true => scenario_points(wb, &dataset, &measure, &ex.named)?,
        false => Vec::new(),
    };
    match format {
        ExportFormat::Csv => {
            let t = match &accounts {
                Some(a) => account_table(a, &dataset.units, &scenario.plan, &dataset.reps),
                None => ex.assignment_table(),
            };
            write(dest, |w| t.write_csv(w).map_err(|e| e.to_string()))?;
        }
        ExportFormat::Geojson => {
            let text = ex.territories_geojson(&ex.shapes());
            write(dest, |w| w.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
        }
        ExportFormat::Xlsx => {
            let mut sheets = vec![
                ex.summary_table(),
                ex.territory_table(),
                ex.quota_table(),
                ex.assignment_table(),
                ex.move_table(),
            ];
            if let Some(a) = &accounts {
                sheets.push(account_table(a, &dataset.units, &scenario.plan, &dataset.reps));
                let mut sides: Vec<(&str, &Plan)> = Vec::new();
                if let Some(b) = &baseline {
                    sides.push((b.name.as_str(), &b.plan));
                }
                sides.push((scenario.name.as_str(), &scenario.plan));
                sheets.push(account_move_table(a, &dataset.units, &sides, &dataset.reps));
            }
            write(dest, |w| write_xlsx(w, &sheets).map_err(|e| e.to_string()))?;
        }
        ExportFormat::Gpkg => {
            let Destination::File(path) = dest else {
                unreachable!("a stream was refused for gpkg above")
            };
            // Built beside `path` and renamed over it when complete.
            wb.write_geopackage(path, &geopackage_layers(wb, &dataset, &measure, &ex.named)?)?;
        }
        ExportFormat::Html => {
            let html = html_report(&ex, &ex.shapes(), tolerance, &points)
                .map_err(|e| ScenarioExportError::Chart(e.to_string()))?;
            write(dest, |w| w.write_all(html.as_bytes()).map_err(|e| e.to_string()))?;
        }
        ExportFormat::Json | ExportFormat::UnitsGeojson => unreachable!("written above"),
    }
    if options.charts {
        exported.charts = scenario_charts(&ex, tolerance, &points);
    }
    Ok(exported)
}

/// Writes through `fill` to `dest`: a file atomically, a stream directly (then flushed).
/// The tolerance a scenario is judged by in exports and comparisons: the one it was planned with (its
/// parameters' `tolerance`: a plan made under a team carries the team's, or the one asked for then), else its
/// team's (`team`, e.g. from [`Workbook::team_tolerance`], for a scenario drawn by hand, imported or made from a
/// file), else 0.05.
pub fn scenario_tolerance(params: &serde_json::Value, team: Option<f64>) -> f64 {
    params
        .get("tolerance")
        .and_then(serde_json::Value::as_f64)
        .filter(|t| *t > 0.0 && t.is_finite())
        .or(team)
        .unwrap_or(0.05)
}

fn write(
    dest: Destination<'_>,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), String>,
) -> Result<(), ScenarioExportError> {
    match dest {
        Destination::File(path) => write_atomically(path, fill).map_err(|message| ScenarioExportError::Write {
            path: path.to_path_buf(),
            message,
        }),
        Destination::Stream(w) => fill(w)
            .and_then(|()| w.flush().map_err(|e| e.to_string()))
            .map_err(|message| ScenarioExportError::Write {
                path: PathBuf::from("-"),
                message,
            }),
    }
}

/// Every scenario's max deviation and travel on `measure`, for the travel–balance chart.
fn scenario_points(
    wb: &Workbook,
    dataset: &Dataset,
    measure: &str,
    named: &NamedLoads,
) -> Result<Vec<ScenarioPoint>, ScenarioExportError> {
    let weights = dataset
        .units
        .measure(measure)
        .ok_or_else(|| ScenarioExportError::Request(format!("the units have no measure {measure:?}")))?;
    let mut points = Vec::new();
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

/// The GeoPackage's layers: every scenario's dissolved territories.
fn geopackage_layers(
    wb: &Workbook,
    dataset: &Dataset,
    measure: &str,
    named: &NamedLoads,
) -> Result<Vec<TerritoryLayer>, ScenarioExportError> {
    let mut layers = Vec::new();
    for s in wb.scenarios()? {
        let sc = wb.scenario(&s.name)?;
        let ex = ScenarioExport::new(dataset, &sc.name, &sc.plan, measure, None, None)
            .map_err(|e| ScenarioExportError::Request(e.to_string()))?
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
    Ok(layers)
}
