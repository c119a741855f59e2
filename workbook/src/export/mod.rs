//! Writing Tessera results to files other tools read.
//!
//! - [`write_plan_csv`]: a plan as `id,territory` CSV (the format `tessera evaluate --plan` reads back).
//! - [`write_metrics_json`]: a scenario's metrics as pretty-printed JSON.
//! - [`plan_geojson`]: units with a plan's territories as a GeoJSON FeatureCollection (for maps and GIS).
//! - [`Table`] / [`write_xlsx`]: tables of text and numbers, written as CSV or as the sheets of an XLSX.
//! - [`account_table`] / [`account_move_table`]: the same down to accounts (every account's territory, the
//!   accounts that change territory).
//! - [`export_scenario`]: one scenario of a workbook to a file in any [`ExportFormat`], as `tessera export` and
//!   the app's Export… write it.
//!
//! Writers take any `std::io::Write`; the caller picks and names the file.

mod accounts;
mod atomic;
mod dissolve;
mod geojson;
mod metrics_json;
mod plan_csv;
mod quotas;
mod report_html;
mod scenario;
mod scenario_file;
mod svg_map;
mod table;
mod xlsx;

pub use accounts::{account_move_table, account_table};
pub use atomic::{temporary_beside, write_atomically};
pub use dissolve::{territory_shapes, voronoi_cells, ShapeSource, TerritoryShapes};
pub use geojson::{plan_geojson, territory_outlines_geojson};
pub use metrics_json::write_metrics_json;
pub use plan_csv::write_plan_csv;
pub use quotas::{changed_territories, quotas, Quota, QuotaError, QuotaParams};
pub use report_html::{html_report, scenario_charts};
pub use scenario::{PrepareError, ScenarioExport};
pub use scenario_file::{
    export_scenario, scenario_tolerance, Destination, ExportFormat, ExportOptions, Exported, ScenarioExportError,
};
pub use svg_map::{diff_map, territory_colors, territory_colors_across, territory_map, units_off_map};
pub use table::{Cell, Table};
pub use xlsx::write_xlsx;

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The plan does not have one territory per unit id.
    #[error("the plan assigns {plan} units but {ids} unit ids were given")]
    PlanSize {
        /// Units in the plan.
        plan: usize,
        /// Unit ids given.
        ids: usize,
    },
    /// Writing failed (disk full, closed pipe, ...).
    #[error("could not write the export: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV writer failed.
    #[error("could not write the CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The JSON writer failed.
    #[error("could not write the JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The XLSX writer failed.
    #[error("could not write the XLSX: {0}")]
    Xlsx(String),
}
