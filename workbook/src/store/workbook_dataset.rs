//! [`Workbook::dataset`]: the dataset of an open workbook, read by `dataset_io`.

use super::dataset_io::read_dataset;
use super::error::Result;
use super::file::Workbook;
use crate::Dataset;

impl Workbook {
    /// Reads the dataset back: units (ids, positions, measures with their original names), adjacency and
    /// its source, bridges, polygons, reps, and the current alignment (the scenario "current", if any).
    ///
    /// # Errors
    /// [`WorkbookError::Corrupt`] naming the table and row when the content breaks a rule (fids not 1..n,
    /// duplicate unit ids, an undecodable geometry, an edge outside the units, bad JSON).
    pub fn dataset(&self) -> Result<Dataset> {
        read_dataset(&self.conn, &self.path)
    }
}
