//! A dataset: everything imported for one territory-design job, validated and ready for the optimizer.

use geo::MultiPolygon;
use tessera_optimizer::{Adjacency, Plan, Rep, Units};

/// Where the adjacency graph came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjacencySource {
    /// An adjacency CSV given by the planner.
    File,
    /// Polygons sharing a border segment.
    PolygonsRook,
    /// Polygons sharing a border segment or a corner.
    PolygonsQueen,
    /// A Delaunay triangulation of the unit points.
    Delaunay,
}

/// Everything imported for one job: units with their measures, adjacency, optional polygons, reps and
/// the current alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Units with positions and numeric measures.
    pub units: Units,
    /// Which units touch.
    pub adjacency: Adjacency,
    /// How the adjacency was obtained.
    pub adjacency_source: AdjacencySource,
    /// Edges added to connect islands (unit index pairs), reported to the planner.
    pub bridged: Vec<(u32, u32)>,
    /// One (multi)polygon per unit, in unit order, when polygons were imported.
    pub polygons: Option<Vec<MultiPolygon<f64>>>,
    /// Reps with home bases; may be empty.
    pub reps: Vec<Rep>,
    /// The current alignment (the units file's `territory` column), if any.
    pub current: Option<Plan>,
}
