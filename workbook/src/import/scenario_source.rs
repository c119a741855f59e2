//! A new scenario from the planner's own territories: a plan CSV (`id,territory`) or territory polygons (GeoJSON,
//! or a Shapefile), with its figures on the workbook's balance measure and the parameters that say where it came
//! from. `tessera scenarios --from-plan/--from-polygons` and the app's "New scenario from…" both build it here;
//! each caller decides whether its name may replace a scenario, and saves it.

use std::path::Path;

use crate::figures::{default_measure, plan_metrics_with_named};
use crate::import::{plan_from_territory_polygons, read_plan, Outside, Warning};
use crate::store::Scenario;
use crate::{Dataset, ImportError, Workbook, WorkbookError};

/// Where a new scenario's territories come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScenarioSource<'a> {
    /// A plan CSV: `id,territory` (as `tessera export` and `tessera plan` write it).
    PlanCsv(&'a Path),
    /// Territory polygons: GeoJSON, or a `.shp` with its `.shx` and `.dbf`; `property` names the territory (a
    /// GeoJSON feature property, a `.dbf` field).
    Polygons {
        /// The file.
        path: &'a Path,
        /// The property or field naming each polygon's territory.
        property: &'a str,
    },
}

/// A scenario built from a file, not saved yet, and what the planner should be told about it.
#[derive(Debug, Clone)]
pub struct ScenarioFromFile {
    /// The scenario: its plan, `params` (`source`, `file`, and for polygons `outside`: the unit ids listed),
    /// and figures.
    pub scenario: Scenario,
    /// What the plan CSV's reading noted (a plan CSV only).
    pub warnings: Vec<Warning>,
    /// Units outside every territory polygon, each given to the nearest (polygons only). Never dropped: the
    /// caller lists them to the planner.
    pub outside: Vec<Outside>,
}

/// Why a scenario could not be built from a file.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioSourceError {
    /// The file was refused (the message names the file, line or feature, and the rule).
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The workbook could not be read.
    #[error(transparent)]
    Workbook(#[from] WorkbookError),
}

/// Builds scenario `name` of `wb` (whose dataset is `dataset`) from `source`. Nothing is written.
///
/// # Errors
/// [`ScenarioSourceError`].
pub fn scenario_from_file(
    wb: &Workbook,
    dataset: &Dataset,
    name: &str,
    source: ScenarioSource<'_>,
) -> Result<ScenarioFromFile, ScenarioSourceError> {
    let (plan, params, warnings, outside) = match source {
        ScenarioSource::PlanCsv(path) => {
            let (file, warnings) = read_plan(path, &dataset.units)?;
            let params = serde_json::json!({"source": "plan", "file": path.display().to_string()});
            (file.plan, params, warnings, Vec::new())
        }
        ScenarioSource::Polygons { path, property } => {
            let (plan, outside) = plan_from_territory_polygons(path, &dataset.units, property)?;
            let listed: Vec<&str> = outside.iter().map(|o| dataset.units.ids()[o.unit].as_str()).collect();
            let params = serde_json::json!({"source": "polygons", "file": path.display().to_string(),
                "property": property, "outside": listed});
            (plan, params, Vec::new(), outside)
        }
    };
    let measure = wb.balance_measure()?.or_else(|| default_measure(dataset));
    let named = wb.named_loads()?;
    let metrics = measure
        .and_then(|m| plan_metrics_with_named(dataset, &plan, &m, &named))
        .unwrap_or(serde_json::Value::Null);
    Ok(ScenarioFromFile {
        scenario: Scenario {
            name: name.to_string(),
            plan,
            params,
            metrics,
        },
        warnings,
        outside,
    })
}
