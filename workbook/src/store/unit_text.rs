//! The units' text columns (names, states, codes such as a `county` FIPS column): kept so the app can name a unit
//! ("Autauga, AL · 01001"), not used by any figure.
//!
//! Stored in `tessera_unit_text`, one row per column with its values as a JSON array in unit order. The table is
//! created when text is first written, with no schema version: a workbook without it (made before, or from a
//! file with no text) simply has no text, and an older Tessera opens a newer workbook and ignores the table.

use rusqlite::params;

use super::error::{Result, WorkbookError};
use super::file::Workbook;
use crate::import::TextColumn;

/// The table holding the text columns.
const TABLE: &str = "tessera_unit_text";

impl Workbook {
    /// The units' text columns, in import order; empty when the workbook has none.
    ///
    /// # Errors
    /// SQLite errors; [`WorkbookError::Corrupt`] for a column whose values are not a JSON array of strings, one
    /// per unit.
    pub fn unit_text(&self) -> Result<Vec<TextColumn>> {
        let exists: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
                params![TABLE],
                |r| r.get(0),
            )
            .map_err(self.sql())?;
        if !exists {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT name, unit_values FROM {TABLE} ORDER BY position"))
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(self.sql())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.sql())?;
        let n = self.unit_count()?;
        rows.into_iter()
            .map(|(name, json)| {
                let values: Vec<String> =
                    serde_json::from_str(&json).map_err(|e| self.corrupt_text(&name, &e.to_string()))?;
                if values.len() != n {
                    return Err(self.corrupt_text(&name, &format!("{} values for {n} units", values.len())));
                }
                Ok(TextColumn { name, values })
            })
            .collect()
    }

    /// Replaces the units' text columns with `columns` (each one value per unit, in unit order), in one
    /// transaction.
    ///
    /// # Errors
    /// [`WorkbookError::InvalidEdit`] for a column without one value per unit (nothing is written then);
    /// [`WorkbookError::ReadOnly`] and SQLite write errors.
    pub fn set_unit_text(&mut self, columns: &[TextColumn]) -> Result<()> {
        let n = self.unit_count()?;
        if let Some(c) = columns.iter().find(|c| c.values.len() != n) {
            return Err(WorkbookError::InvalidEdit {
                path: self.path.clone(),
                scenario: String::new(),
                detail: format!("text column {:?} has {} values for {n} units", c.name, c.values.len()),
            });
        }
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let tx = self.write_tx()?;
        tx.execute_batch(&format!(
            "CREATE TABLE IF NOT EXISTS {TABLE} (name TEXT NOT NULL PRIMARY KEY, position INTEGER NOT NULL, \
             unit_values TEXT NOT NULL); DELETE FROM {TABLE};"
        ))
        .map_err(sql)?;
        for (k, c) in columns.iter().enumerate() {
            let json = serde_json::Value::from(c.values.clone()).to_string();
            tx.execute(
                &format!("INSERT INTO {TABLE} (name, position, unit_values) VALUES (?1, ?2, ?3)"),
                params![c.name, k as i64, json],
            )
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    fn corrupt_text(&self, column: &str, detail: &str) -> WorkbookError {
        WorkbookError::Corrupt {
            path: self.path.clone(),
            detail: format!("{TABLE}: column {column:?}: {detail}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_fixtures::line;

    #[test]
    fn text_columns_round_trip_and_a_workbook_without_them_has_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = Workbook::create(dir.path().join("t.tessera"), &line(&["a", "b", "c"], None)).expect("create");
        assert!(wb.unit_text().expect("reads").is_empty());
        let columns = vec![
            TextColumn {
                name: "name".into(),
                values: vec!["Autauga".into(), "Baldwin".into(), "".into()],
            },
            TextColumn {
                name: "state".into(),
                values: vec!["AL".into(), "AL".into(), "AL".into()],
            },
        ];
        wb.set_unit_text(&columns).expect("writes");
        assert_eq!(wb.unit_text().expect("reads"), columns);
        let short = [TextColumn {
            name: "county".into(),
            values: vec!["01001".into()],
        }];
        let err = wb.set_unit_text(&short).expect_err("one value for three units");
        assert!(err.to_string().contains("1 values for 3 units"), "{err}");
        assert_eq!(wb.unit_text().expect("unchanged").len(), 2);
    }
}
