//! Tessera's optimizer: pure territory-design algorithms.
//!
//! This crate knows nothing of files, SQLite, Tauri or the UI. It takes plain Rust values (units, their
//! measures, an adjacency graph, a plan) and returns plans and metrics. See `../shared/DESIGN.md` §3.
#![deny(missing_docs)]

pub mod error;
pub mod flow;
pub mod geodesy;
pub mod metrics;
pub mod model;
pub mod progress;
pub mod spatial;

pub use error::ModelError;
pub use geodesy::haversine_km;
pub use metrics::{evaluate, Evaluation, TerritoryMetrics};
pub use model::{Adjacency, Plan, Rep, Units};
pub use progress::Progress;
