//! `--mix COLUMN=VALUE:LO..HI` of `tessera plan`: the bands, and the segment columns their counts come from.
//!
//! With `--workbook` a band's column is looked up in the workbook's accounts first (each account counts in its
//! unit, or for its named territory), then in the units' text columns; with `--units` in the units file's text
//! columns (each unit one item, as when the units are accounts).

use std::collections::HashMap;
use std::path::Path;

use tessera_workbook::import::read_units;
use tessera_workbook::planning::{parse_mix, MixBandRequest, SegmentTable};
use tessera_workbook::Dataset;

use crate::error::CliError;
use crate::inputs::open_workbook;

/// Reads every `--mix` value (the form only: the columns and the counts are checked against the data later).
pub fn parse_mixes(values: &[String]) -> Result<Vec<MixBandRequest>, CliError> {
    values
        .iter()
        .map(|v| parse_mix(v).map_err(|e| CliError::input(format!("--mix {e}"))))
        .collect()
}

/// The segment tables a band may be counted in: the workbook's accounts, then its units' text columns; or the
/// units file's text columns, matched to `dataset`'s units by id.
pub fn segment_tables(
    workbook: Option<&Path>,
    units: Option<&Path>,
    dataset: &Dataset,
) -> Result<Vec<SegmentTable>, CliError> {
    let mut tables = Vec::new();
    if let Some(path) = workbook {
        let wb = open_workbook(path)?;
        if let Some(accounts) = wb.accounts()? {
            tables.push(SegmentTable::from_accounts(&accounts));
        }
        let text = wb.unit_text()?;
        if !text.is_empty() {
            tables.push(SegmentTable::from_units(text.into_iter().map(|c| (c.name, c.values))));
        }
    } else if let Some(path) = units {
        let (file, _) = read_units(path, None)?;
        // The dataset's units are the file's; matched by id so that the counts follow the dataset's order.
        let index: HashMap<&str, usize> = file
            .units
            .ids()
            .iter()
            .enumerate()
            .map(|(k, id)| (id.as_str(), k))
            .collect();
        let order: Vec<Option<usize>> = dataset
            .units
            .ids()
            .iter()
            .map(|id| index.get(id.as_str()).copied())
            .collect();
        let columns = file.text_columns.into_iter().map(|c| {
            let values = order
                .iter()
                .map(|k| k.map(|k| c.values[k].clone()).unwrap_or_default())
                .collect();
            (c.name, values)
        });
        tables.push(SegmentTable::from_units(columns));
    }
    Ok(tables)
}
