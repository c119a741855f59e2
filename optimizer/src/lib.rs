//! Tessera's optimizer: pure territory-design algorithms.
//!
//! This crate knows nothing of files, SQLite, Tauri or the UI. It takes plain Rust values (units, their
//! measures, an adjacency graph, a plan) and returns plans and metrics. See `../shared/DESIGN.md` §3.
#![deny(missing_docs)]

pub mod alignment;
pub mod assign;
pub mod certificate;
pub mod contiguity;
pub mod design;
pub mod error;
pub mod flow;
pub mod genetic;
pub mod geodesy;
pub mod limits;
pub mod local_search;
pub mod metrics;
pub mod mix;
pub mod model;
pub mod problem;
pub mod progress;
mod reshape;
pub mod spatial;
pub mod stop;

pub use certificate::{certify, certify_until, Certificate};
pub use design::{default_restarts, design_territories, redesign_territories, Design, DesignParams, StoppedBy};
pub use error::ModelError;
pub use geodesy::haversine_km;
pub use limits::{Limit, LimitKind, LimitSpec};
pub use metrics::{evaluate, Evaluation, TerritoryMetrics};
pub use mix::{MixBand, MixSpec};
pub use model::{Adjacency, Measure, Plan, Rep, Units};
pub use problem::{PlanError, Problem, ProblemSpec};
pub use progress::Progress;
pub use stop::Stop;
