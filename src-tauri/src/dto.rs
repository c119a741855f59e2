//! What the commands send to the window, and what the window sends them: every type that crosses the IPC
//! boundary lives here. Mirrors `ui/src/api/types.ts` field for field; change both together.
//!
//! Not yet here: `OptimizeRequest` and `ProgressDto` (`crate::optimize`) and `OptimizeResult`
//! (`crate::commands::optimize`), which move with the planning-service rework of those files.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tessera_optimizer::{Adjacency, Evaluation, Plan, Rep};
use tessera_workbook::import::UnitsPreview;
use tessera_workbook::{Dataset, ScenarioSummary};

/// How the units are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GeometryKind {
    /// The workbook holds a polygon per unit.
    Polygons,
    /// Only unit positions: drawn as circles.
    Points,
}

/// A summary of the open workbook's dataset, for the side panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkbookSummary {
    /// Display name: the file name without its extension.
    pub name: String,
    /// The workbook's path.
    pub path: String,
    /// Number of units.
    pub unit_count: usize,
    /// Names of the numeric measures, in import order.
    pub measures: Vec<String>,
    /// Polygons or points.
    pub geometry: GeometryKind,
    /// Edges of the adjacency graph.
    pub adjacency_edges: usize,
    /// Reps with their home bases, drawn as markers.
    pub reps: Vec<RepDto>,
    /// What the import that just created this workbook noted (each warning's text, naming its file and line
    /// where it has them): links dropped, islands joined, a Latin-1 file, territories matching no rep. Only in
    /// the answer of `create_workbook`; left out (empty) when a workbook is opened.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub import_warnings: Vec<String>,
    /// The named accounts the map marks (each at its own point, else its unit's).
    pub named_accounts: Vec<NamedAccountDto>,
    /// Named accounts with neither a point nor a unit, which the map cannot place (said in the window).
    pub named_unplaced: usize,
    /// Accounts of the shown team (0 when the workbook has none): the Export offers "down to accounts" only
    /// when there are some.
    pub account_count: usize,
}

/// A named account on the map: it belongs to `territory` whatever unit it lies in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedAccountDto {
    /// The account's id.
    pub id: String,
    /// The territory (or rep id) it is named to.
    pub territory: String,
    /// Longitude, degrees.
    pub lon: f64,
    /// Latitude, degrees.
    pub lat: f64,
    /// False when drawn at its unit's point (the account has no coordinates of its own).
    pub own_point: bool,
}

impl From<tessera_workbook::accounts::NamedPoint> for NamedAccountDto {
    fn from(p: tessera_workbook::accounts::NamedPoint) -> Self {
        NamedAccountDto {
            id: p.id,
            territory: p.territory,
            lon: p.lon,
            lat: p.lat,
            own_point: p.own_point,
        }
    }
}

/// A rep and their home base.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RepDto {
    /// The rep's id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Home base longitude, degrees.
    pub lon: f64,
    /// Home base latitude, degrees.
    pub lat: f64,
    /// Relative capacity (1.0 = full time).
    pub capacity: f64,
}

impl WorkbookSummary {
    /// Summarises `dataset`, read from the workbook at `path`.
    pub fn new(path: &Path, dataset: &Dataset) -> Self {
        let name = path
            .file_stem()
            .map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned());
        WorkbookSummary {
            name,
            path: path.display().to_string(),
            unit_count: dataset.units.len(),
            measures: dataset.units.measures().iter().map(|m| m.name.clone()).collect(),
            geometry: if dataset.polygons.is_some() {
                GeometryKind::Polygons
            } else {
                GeometryKind::Points
            },
            adjacency_edges: dataset.adjacency.edge_count(),
            reps: dataset
                .reps
                .iter()
                .map(|r| RepDto {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    lon: r.lon,
                    lat: r.lat,
                    capacity: r.capacity,
                })
                .collect(),
            import_warnings: Vec::new(),
            named_accounts: Vec::new(),
            named_unplaced: 0,
            account_count: 0,
        }
    }
}

/// A text column of the units (a name, a state, a code): one value per unit, in unit order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TextColumnDto {
    /// The column's header.
    pub name: String,
    /// One value per unit (empty where the file's cell was).
    pub values: Vec<String>,
}

/// An alignment: territory names, each unit's territory index (in unit order, the order of the features in the
/// units GeoJSON), and which territories touch. Index lists, not GeoJSON, so the map recolours without being
/// sent geometry again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlignmentDto {
    /// Territory names; a territory's index is its position here.
    pub territories: Vec<String>,
    /// For every unit, the index of its territory.
    pub territory_of: Vec<u32>,
    /// Pairs `[a, b]`, `a < b`, of territories with adjacent units, sorted: the map colours them apart.
    pub adjacent: Vec<[u32; 2]>,
}

impl AlignmentDto {
    /// The alignment of `plan` over `adjacency` (the dataset's unit adjacency).
    pub fn new(plan: &Plan, adjacency: &Adjacency) -> Self {
        let of = plan.territory_of();
        let mut adjacent: Vec<[u32; 2]> = adjacency
            .edges()
            .filter_map(|(a, b)| {
                // The workbook checks edges and plan on reading; `get` just keeps a bad file from panicking.
                let (ta, tb) = (*of.get(a as usize)?, *of.get(b as usize)?);
                (ta != tb).then(|| [ta.min(tb), ta.max(tb)])
            })
            .collect();
        adjacent.sort_unstable();
        adjacent.dedup();
        AlignmentDto {
            territories: plan.names().to_vec(),
            territory_of: of.to_vec(),
            adjacent,
        }
    }
}

/// A scenario as the scenario list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioDto {
    /// Its name (unique in the workbook).
    pub name: String,
    /// Number of territories.
    pub territories: usize,
    /// Last change, ISO 8601.
    pub modified: String,
    /// Edits that can be undone.
    pub undo_steps: usize,
    /// Undone edits that can be redone.
    pub redo_steps: usize,
    /// The planner's note ("" when none).
    pub note: String,
}

impl From<ScenarioSummary> for ScenarioDto {
    fn from(s: ScenarioSummary) -> Self {
        ScenarioDto {
            name: s.name,
            territories: s.territories,
            modified: s.modified,
            undo_steps: s.undo_steps,
            redo_steps: s.redo_steps,
            note: s.note,
        }
    }
}

/// One territory's row of the figures panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TerritoryFiguresDto {
    /// Territory name (a rep id when the territory belongs to a rep).
    pub name: String,
    /// The rep's display name, when the territory is named after a rep.
    pub rep: Option<String>,
    /// Load of the balanced measure.
    pub load: f64,
    /// Target load.
    pub target: f64,
    /// Signed relative deviation from the target.
    pub deviation: f64,
    /// Workload-weighted km from the members to the center.
    pub travel: f64,
    /// Number of units.
    pub units: usize,
    /// Whether the territory is one connected piece.
    pub connected: bool,
    /// Its connected pieces.
    pub components: usize,
    /// Load of every measure, in the order of [`FiguresDto::measures`].
    pub loads: Vec<f64>,
    /// Accounts named to this territory whatever their unit (counted in its loads).
    pub named_accounts: usize,
}

/// The figures panel: one row per territory and the plan's totals. Territory `i` is the alignment's
/// territory `i`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FiguresDto {
    /// The balanced measure (`null`: unit count).
    pub measure: Option<String>,
    /// Every measure, the order of [`TerritoryFiguresDto::loads`].
    pub measures: Vec<String>,
    /// Target of a full territory.
    pub target: f64,
    /// Largest absolute deviation.
    pub max_dev: f64,
    /// Coefficient of variation of the loads.
    pub cv: f64,
    /// Total travel, km.
    pub travel: f64,
    /// Territories that are not connected.
    pub noncontiguous: usize,
    /// One row per territory.
    pub territories: Vec<TerritoryFiguresDto>,
}

impl FiguresDto {
    /// The panel's view of `e`, with rep names from `reps`.
    pub fn new(e: &Evaluation, measure: Option<String>, reps: &[Rep]) -> Self {
        FiguresDto {
            measure,
            measures: e.measures.clone(),
            target: e.target,
            max_dev: e.max_dev,
            cv: e.cv,
            travel: e.travel,
            noncontiguous: e.n_noncontiguous,
            territories: e
                .territories
                .iter()
                .map(|t| TerritoryFiguresDto {
                    name: t.name.clone(),
                    rep: reps.iter().find(|r| r.id == t.name).map(|r| r.name.clone()),
                    load: t.load,
                    target: t.target,
                    deviation: t.deviation,
                    travel: t.travel,
                    units: t.n_units,
                    connected: t.connected,
                    components: t.components,
                    loads: t.loads.clone(),
                    named_accounts: 0,
                })
                .collect(),
        }
    }
}

/// An edit's figures: the totals, and the rows of only the territories the edit changed. An edit touches two
/// territories of hundreds; sending every row made each answer ~100 KB on 30,000 ZIP codes, for the window to
/// parse and compare.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FiguresUpdateDto {
    /// Target of a full territory.
    pub target: f64,
    /// Largest absolute deviation.
    pub max_dev: f64,
    /// Coefficient of variation of the loads.
    pub cv: f64,
    /// Total travel, km.
    pub travel: f64,
    /// Territories that are not connected.
    pub noncontiguous: usize,
    /// `(territory index, its row)` of each changed territory, by index (a new territory comes last).
    pub territories: Vec<(u32, TerritoryFiguresDto)>,
}

impl FiguresUpdateDto {
    /// The totals of `figures` and its rows of territories `changed` (indices; out-of-range ones are skipped).
    pub fn new(figures: FiguresDto, changed: &[u32]) -> Self {
        let mut rows: Vec<Option<TerritoryFiguresDto>> = figures.territories.into_iter().map(Some).collect();
        FiguresUpdateDto {
            target: figures.target,
            max_dev: figures.max_dev,
            cv: figures.cv,
            travel: figures.travel,
            noncontiguous: figures.noncontiguous,
            territories: changed
                .iter()
                .filter_map(|&t| rows.get_mut(t as usize).and_then(Option::take).map(|row| (t, row)))
                .collect(),
        }
    }
}

/// The scenario being edited, as the window loads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioView {
    /// The scenario's name.
    pub name: String,
    /// Its alignment (territories include empty ones, so units can be given to them).
    pub alignment: AlignmentDto,
    /// Its figures.
    pub figures: FiguresDto,
    /// Edits that can be undone.
    pub undo_steps: usize,
    /// Undone edits that can be redone.
    pub redo_steps: usize,
    /// Locked unit indices, sorted.
    pub locked: Vec<u32>,
}

/// What an edit, undo or redo changed: the window recolours `changed` units and replaces the figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EditOutcome {
    /// `[unit, territory]` pairs, in the order they were applied.
    pub changed: Vec<[u32; 2]>,
    /// The territory names, sent only when the edit added a territory.
    pub territories: Option<Vec<String>>,
    /// The figures after the edit: totals and the changed territories' rows.
    pub figures: FiguresUpdateDto,
    /// Edits that can be undone now.
    pub undo_steps: usize,
    /// Undone edits that can be redone now.
    pub redo_steps: usize,
    /// Microseconds the figures update took in Rust (moves applied + figures built), for the latency budget.
    pub figures_micros: u64,
    /// Microseconds the workbook write took (the history row and the moved assignments, committed).
    pub write_micros: u64,
    /// Microseconds of the whole command in Rust (write, figures, undo/redo counts), before serialization.
    pub backend_micros: u64,
}

/// Which file of an import the planner is choosing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    /// Units CSV (required).
    Units,
    /// Polygons GeoJSON.
    Polygons,
    /// Reps CSV.
    Reps,
    /// Adjacency CSV.
    Adjacency,
}

/// A file the planner chose for an import.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChosenFile {
    /// What it is for.
    pub kind: ImportKind,
    /// Its path (the window sends it back in [`CreateWorkbookRequest`]).
    pub path: String,
    /// Its file name, for display.
    pub name: String,
    /// For a units file: its first rows and column roles.
    pub preview: Option<UnitsPreview>,
}

/// What the import wizard asks to create. Every path must have been chosen in Tessera's dialogs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWorkbookRequest {
    /// Units CSV.
    pub units: PathBuf,
    /// Polygons GeoJSON, if any.
    pub polygons: Option<PathBuf>,
    /// Reps CSV, if any.
    pub reps: Option<PathBuf>,
    /// Adjacency CSV, if any.
    pub adjacency: Option<PathBuf>,
    /// The measure to balance (default: `workload` if the units have it). Kept in the workbook.
    pub balance: Option<String>,
    /// The workbook to write (chosen in the Save dialog).
    pub out: PathBuf,
}

/// A recent workbook as the window lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecentEntry {
    /// Display name: the file name without its extension.
    pub name: String,
    /// The full path.
    pub path: String,
    /// False when the file is gone (moved or deleted): shown greyed out, not opened.
    pub exists: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn territory_adjacency_comes_from_unit_edges_across_territories() {
        // A path of units 0-1-2-3 in territories 0,0,1,2: territories 0-1 and 1-2 touch, 0-2 do not.
        let plan = Plan::new(vec![0, 0, 1, 2], vec!["A".into(), "B".into(), "C".into()]);
        let adjacency = Adjacency::from_edges(4, &[(0, 1), (1, 2), (2, 3)]);
        let dto = AlignmentDto::new(&plan, &adjacency);
        assert_eq!(dto.adjacent, vec![[0, 1], [1, 2]]);
        assert_eq!(dto.territory_of, vec![0, 0, 1, 2]);
    }
}
