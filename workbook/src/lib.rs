//! The `.tessera` workbook and Tessera's file formats.
#![deny(missing_docs)]

pub mod dataset;

pub use dataset::{AdjacencySource, Dataset};
