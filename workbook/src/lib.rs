//! The `.tessera` workbook and Tessera's file formats.
#![deny(missing_docs)]

pub mod accounts;
pub mod charts;
pub mod compare;
pub mod dataset;
pub mod error;
pub mod export;
pub mod figures;
pub mod import;
pub mod outline;
pub mod planning;
pub mod store;

pub use dataset::{AdjacencySource, Dataset};
pub use error::ImportError;
pub use store::{Edit, Scenario, ScenarioSummary, Workbook, WorkbookError};
