//! The territory-design data model: units with positions and measures, their adjacency, reps and plans.
//!
//! - [`Units`]: the things territories are made of (accounts, ZIP codes, counties), with numeric measures.
//! - [`Adjacency`]: which units touch, as a compact undirected graph.
//! - [`Rep`]: a sales rep with a home base and a relative capacity.
//! - [`Plan`]: which territory each unit belongs to.

mod adjacency;
mod plan;
mod units;

pub use adjacency::Adjacency;
pub use plan::Plan;
pub use units::{Measure, Rep, Units};
