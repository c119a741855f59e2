//! The comparison as tables (summary, territories, moves) and as files: CSV per table plus one JSON, or the
//! sheets of an XLSX workbook (see [`crate::export::write_xlsx`]).

use std::io::Write;

use super::{Comparison, Pair};
use crate::export::{Cell, ExportError, Table};

/// The file names `tessera compare --out DIR` writes, in order.
pub struct CompareFiles;

impl CompareFiles {
    /// Summary per scenario.
    pub const SUMMARY: &'static str = "summary.csv";
    /// Per territory before / after / difference.
    pub const TERRITORIES: &'static str = "territories.csv";
    /// The realignment list.
    pub const MOVES: &'static str = "moves.csv";
    /// Everything as JSON.
    pub const JSON: &'static str = "comparison.json";
    /// Every file, for checks before writing.
    pub const ALL: [&'static str; 4] = [Self::SUMMARY, Self::TERRITORIES, Self::MOVES, Self::JSON];
}

impl Comparison {
    /// The summary: one row per scenario, the baseline first.
    pub fn summary_table(&self) -> Table {
        let mut headers: Vec<String> = [
            "scenario",
            "territories",
            "max_dev",
            "cv",
            "travel",
            "travel_unit",
            "noncontiguous",
            "units_moved",
        ]
        .map(String::from)
        .to_vec();
        headers.extend(self.measures.iter().map(|m| format!("{m}_moved")));
        headers.push("territories_changed".into());
        headers.push("changed".into());
        let mut t = Table::new("summary", headers);
        for s in &self.scenarios {
            let mut row: Vec<Cell> = vec![
                s.scenario.clone().into(),
                s.territories.into(),
                s.max_dev.into(),
                s.cv.into(),
                s.travel.into(),
                self.travel_unit.into(),
                s.n_noncontiguous.into(),
                s.units_moved.into(),
            ];
            row.extend(s.moved.iter().map(|&v| Cell::from(v)));
            row.push(s.changed_territories.len().into());
            row.push(s.changed_territories.join(" ").into());
            t.push(row);
        }
        t
    }

    /// Per territory of every scenario after the first: before, after and difference of each figure.
    pub fn territory_table(&self) -> Table {
        let mut headers: Vec<String> = ["scenario", "territory", "rep"].map(String::from).to_vec();
        let figures: Vec<String> = std::iter::once("units".to_string())
            .chain(self.measures.iter().cloned())
            .chain(["travel".to_string(), "deviation".to_string()])
            .collect();
        for f in &figures {
            for side in ["before", "after", "diff"] {
                headers.push(format!("{f}_{side}"));
            }
        }
        headers.push("units_gained".into());
        headers.push("units_lost".into());
        let mut t = Table::new("territories", headers);
        for r in &self.territories {
            let mut row: Vec<Cell> = vec![
                r.scenario.clone().into(),
                r.territory.clone().into(),
                r.rep.clone().into(),
            ];
            let pairs = std::iter::once(&r.units)
                .chain(&r.loads)
                .chain([&r.travel, &r.deviation]);
            for p in pairs {
                push_pair(&mut row, p);
            }
            row.push(r.gained.into());
            row.push(r.lost.into());
            t.push(row);
        }
        t
    }

    /// The realignment list.
    pub fn move_table(&self) -> Table {
        let mut headers: Vec<String> = ["scenario", "unit", "from", "from_rep", "to", "to_rep"]
            .map(String::from)
            .to_vec();
        headers.extend(self.measures.iter().cloned());
        let mut t = Table::new("moves", headers);
        for m in &self.moves {
            let mut row: Vec<Cell> = vec![
                m.scenario.clone().into(),
                m.unit.clone().into(),
                m.from.clone().into(),
                m.from_rep.clone().into(),
                m.to.clone().into(),
                m.to_rep.clone().into(),
            ];
            row.extend(m.values.iter().map(|&v| Cell::from(v)));
            t.push(row);
        }
        t
    }
}

fn push_pair(row: &mut Vec<Cell>, p: &Pair) {
    row.push(p.before.into());
    row.push(p.after.into());
    row.push(p.diff().into());
}

/// Writes the comparison's three tables as CSV through `open(file_name)`, one writer per file
/// ([`CompareFiles::SUMMARY`], [`CompareFiles::TERRITORIES`], [`CompareFiles::MOVES`]).
///
/// # Errors
/// Write errors.
pub fn write_comparison_csv<W: Write>(
    comparison: &Comparison,
    mut open: impl FnMut(&str) -> Result<W, ExportError>,
) -> Result<(), ExportError> {
    for (file, table) in [
        (CompareFiles::SUMMARY, comparison.summary_table()),
        (CompareFiles::TERRITORIES, comparison.territory_table()),
        (CompareFiles::MOVES, comparison.move_table()),
    ] {
        table.write_csv(open(file)?)?;
    }
    Ok(())
}

/// Writes the comparison as indented JSON (NaN as `null`).
///
/// # Errors
/// Write errors.
pub fn write_comparison_json<W: Write>(mut out: W, comparison: &Comparison) -> Result<(), ExportError> {
    serde_json::to_writer_pretty(&mut out, comparison)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}
