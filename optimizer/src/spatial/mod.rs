//! Geometry that turns unit positions and shapes into an adjacency graph.
//!
//! Which member to pick:
//! - polygons given: [`polygon_adjacency`] (shared borders; [`Contiguity::Queen`] by default, or rook);
//! - only points: [`delaunay_edges`] over [`equirectangular_km`] positions, then [`drop_long_edges`] to cut
//!   hull edges across water;
//! - then, whatever the source, [`bridge_islands`] joins the components so every territory can be contiguous
//!   ([`bridge_islands_between`] with polygon vertices as sites, to link islands to the nearest shore).
//!
//! Nothing here reads files: the importers in `tessera-workbook` parse and validate, then call these.

mod delaunay;
mod islands;
mod long_edges;
mod polygon_adjacency;
mod projection;

pub use delaunay::{delaunay_edges, DelaunayError};
pub use islands::{bridge_islands, bridge_islands_between};
pub use long_edges::{drop_long_edges, PrunedEdges};
pub use polygon_adjacency::{polygon_adjacency, Contiguity, PolygonAdjacencyParams};
pub use projection::{equirectangular_km, unit_sphere};
