//! The units' text columns (a name, a state, a notes column): not measures, not used by the optimizer, but
//! kept so every export gives the planner every column they imported (`tessera_unit_text`, schema 4).

use rusqlite::params;

use super::error::{Result, WorkbookError};
use super::file::Workbook;

/// One text column: its header and one value per unit, in unit order.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitText {
    /// Column header as in the units file.
    pub name: String,
    /// One value per unit.
    pub values: Vec<String>,
}

impl From<crate::import::TextColumn> for UnitText {
    fn from(c: crate::import::TextColumn) -> Self {
        UnitText {
            name: c.name,
            values: c.values,
        }
    }
}

impl Workbook {
    /// Replaces the units' text columns with `columns`, in one transaction.
    ///
    /// # Errors
    /// [`WorkbookError::InvalidEdit`] when a column does not have one value per unit or two share a name;
    /// write errors.
    pub fn set_unit_text(&mut self, columns: &[UnitText]) -> Result<()> {
        let n = self.all_unit_count()?;
        for (k, c) in columns.iter().enumerate() {
            let bad = if c.values.len() != n {
                Some(format!(
                    "text column {:?} has {} values for {n} units",
                    c.name,
                    c.values.len()
                ))
            } else if columns[..k].iter().any(|o| o.name == c.name) {
                Some(format!("two text columns are both named {:?}", c.name))
            } else {
                None
            };
            if let Some(detail) = bad {
                return Err(WorkbookError::InvalidEdit {
                    path: self.path.clone(),
                    scenario: String::new(),
                    detail,
                });
            }
        }
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let tx = self.write_tx()?;
        tx.execute("DELETE FROM tessera_unit_text", []).map_err(sql)?;
        for (k, c) in columns.iter().enumerate() {
            let vals = serde_json::to_string(&c.values).unwrap_or_else(|_| "[]".into());
            tx.execute(
                "INSERT INTO tessera_unit_text (seq, name, vals) VALUES (?1, ?2, ?3)",
                params![k as i64, c.name, vals],
            )
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    /// The units' text columns, in import order (none for a workbook imported before schema 4), over the selected
    /// team's units.
    ///
    /// # Errors
    /// [`WorkbookError::Corrupt`] when a column's values are not a JSON list of one text per unit.
    pub fn unit_text(&self) -> Result<Vec<UnitText>> {
        let n = self.all_unit_count()?;
        let fids = self.team_fids()?;
        let mut stmt = self
            .conn
            .prepare("SELECT name, vals FROM tessera_unit_text ORDER BY seq")
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(self.sql())?;
        let mut out = Vec::new();
        for row in rows {
            let (name, vals) = row.map_err(self.sql())?;
            let values: Vec<String> = serde_json::from_str(&vals)
                .ok()
                .filter(|v: &Vec<String>| v.len() == n)
                .ok_or_else(|| {
                    WorkbookError::corrupt(&self.path, format!("text column {name:?} does not hold {n} values"))
                })?;
            // A filtered team's units are some of the units: their texts, in the team's unit order.
            let values = match &fids {
                None => values,
                Some(f) => f.iter().map(|&fid| values[(fid - 1) as usize].clone()).collect(),
            };
            out.push(UnitText { name, values });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_fixtures::line;

    #[test]
    fn text_columns_round_trip_and_must_fit_the_units() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("w.tessera");
        let mut wb = Workbook::create(&path, &line(&["a", "b"], None)).expect("create");
        assert!(wb.unit_text().expect("none yet").is_empty());
        let cols = vec![
            UnitText {
                name: "name".into(),
                values: vec!["Agawam, MA".into(), "São Paulo".into()],
            },
            UnitText {
                name: "state".into(),
                values: vec!["MA".into(), "".into()],
            },
        ];
        wb.set_unit_text(&cols).expect("set");
        drop(wb);
        let mut wb = Workbook::open(&path).expect("open");
        assert_eq!(wb.unit_text().expect("read"), cols);
        let short = [UnitText {
            name: "x".into(),
            values: vec!["1".into()],
        }];
        assert!(matches!(
            wb.set_unit_text(&short),
            Err(WorkbookError::InvalidEdit { .. })
        ));
        assert_eq!(wb.unit_text().expect("unchanged"), cols);
    }
}
