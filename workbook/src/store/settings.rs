//! The planner's choices kept with the workbook, so reopening it picks up where they left off: for now the
//! measure to balance (the default team's in `tessera_meta`, another team's in `tessera_teams`).
//!
//! Settings are rows of `tessera_meta` (key/value, there since schema 1) under keys starting `setting.`, not a
//! table of their own: a new key needs no schema version, so older workbooks need no migration (a read-only
//! open of one still works) and an older Tessera opens a newer workbook and ignores what it does not know.

use rusqlite::{params, OptionalExtension};

use super::error::{Result, WorkbookError};
use super::file::Workbook;
use super::scenario_rows::CURRENT;
use super::team_rows::DEFAULT_TEAM;
use crate::figures::{default_measure, plan_metrics_with_named};

pub use super::migrations::BALANCE_MEASURE_KEY;

impl Workbook {
    /// The measure the planner chose to balance, if they chose one and the dataset still has it (a name that
    /// is no longer among the measures reads as `None`, so callers fall back to their default).
    ///
    /// # Errors
    /// [`WorkbookError::Sqlite`] when the tables cannot be read; [`WorkbookError::Corrupt`] for a measure list
    /// that is not the JSON Tessera writes.
    pub fn balance_measure(&self) -> Result<Option<String>> {
        if self.team != DEFAULT_TEAM {
            return self.team_balance_measure();
        }
        let Some(name) = self.meta(BALANCE_MEASURE_KEY)? else {
            return Ok(None);
        };
        Ok(self.measure_names()?.contains(&name).then_some(name))
    }

    /// A team's measure (other than the default team's, kept in `tessera_meta`): `tessera_teams.measure`, when
    /// the team's units have it.
    fn team_balance_measure(&self) -> Result<Option<String>> {
        let row = self.team_row()?;
        let Some(name) = row.measure else {
            return Ok(None);
        };
        let mut names: Vec<String> = match row.filter {
            Some(_) => Vec::new(),
            None => self.measure_names()?,
        };
        if let Some(view) = self.team_units()? {
            names.extend(view.sums.into_iter().map(|(n, _)| n));
        }
        Ok(names.contains(&name).then_some(name))
    }

    /// Records `measure` as the one to balance (`None` forgets the choice), in one small transaction; the imported
    /// alignment's stored figures are then recomputed on it.
    ///
    /// The name is not checked here (the importer checked it is a numeric column); [`Workbook::balance_measure`]
    /// reads back only a name the dataset has.
    ///
    /// # Errors
    /// [`WorkbookError::ReadOnly`] and the write errors of [`Workbook::save_scenario`].
    pub fn set_balance_measure(&mut self, measure: Option<&str>) -> Result<()> {
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let team = self.team;
        let tx = self.write_tx()?;
        if team != DEFAULT_TEAM {
            tx.execute(
                "UPDATE tessera_teams SET measure = ?2 WHERE id = ?1",
                params![team, measure],
            )
            .map_err(sql)?;
            return tx.commit().map_err(sql);
        }
        match measure {
            Some(name) => tx.execute(
                "INSERT INTO tessera_meta(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![BALANCE_MEASURE_KEY, name],
            ),
            None => tx.execute("DELETE FROM tessera_meta WHERE key = ?1", params![BALANCE_MEASURE_KEY]),
        }
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        self.refigure_imported_alignment()
    }

    /// The imported alignment's figures follow the measure the planner balances: stored at import on the default
    /// measure, they are recomputed on the chosen one (optimizer runs keep theirs: they say what the run balanced).
    fn refigure_imported_alignment(&mut self) -> Result<()> {
        let Ok(current) = self.scenario(CURRENT) else {
            return Ok(());
        };
        let imported = current.params.get("source").and_then(|v| v.as_str()) == Some("import");
        if !imported || current.metrics.is_null() {
            return Ok(());
        }
        let dataset = self.dataset()?;
        let Some(measure) = self.balance_measure()?.or_else(|| default_measure(&dataset)) else {
            return Ok(());
        };
        if current.metrics.get("measure").and_then(|m| m.as_str()) == Some(measure.as_str()) {
            return Ok(());
        }
        let named = self.named_loads()?;
        match plan_metrics_with_named(&dataset, &current.plan, &measure, &named) {
            Some(metrics) => self.set_metrics(CURRENT, &metrics),
            None => Ok(()),
        }
    }

    /// The measures' original names, from `tessera_dataset.measures`, without reading the units.
    fn measure_names(&self) -> Result<Vec<String>> {
        #[derive(serde::Deserialize)]
        struct Named {
            name: String,
        }
        let json: Option<String> = self
            .conn
            .query_row("SELECT measures FROM tessera_dataset", [], |r| r.get(0))
            .optional()
            .map_err(self.sql())?;
        let Some(json) = json else { return Ok(Vec::new()) };
        let named: Vec<Named> = serde_json::from_str(&json)
            .map_err(|e| WorkbookError::corrupt(&self.path, format!("tessera_dataset.measures: {e}")))?;
        Ok(named.into_iter().map(|n| n.name).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AdjacencySource, Dataset};
    use tessera_optimizer::{Adjacency, Measure, Units};

    fn workbook(dir: &std::path::Path) -> Workbook {
        let units = Units::new(
            vec!["a".into(), "b".into()],
            vec![1.0, 2.0],
            vec![1.0, 2.0],
            vec![
                Measure {
                    name: "workload".into(),
                    values: vec![1.0, 2.0],
                },
                Measure {
                    name: "Potential $".into(),
                    values: vec![3.0, 4.0],
                },
            ],
        )
        .expect("units");
        let ds = Dataset {
            units,
            adjacency: Adjacency::from_edges(2, &[(0, 1)]),
            adjacency_source: AdjacencySource::Delaunay,
            bridged: vec![],
            polygons: None,
            reps: vec![],
            current: None,
        };
        Workbook::create(dir.join("s.tessera"), &ds).expect("create")
    }

    #[test]
    fn the_balance_measure_survives_reopening_and_can_be_forgotten() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = workbook(dir.path());
        assert_eq!(wb.balance_measure().expect("read"), None);
        wb.set_balance_measure(Some("Potential $")).expect("set");
        let path = wb.path().to_path_buf();
        drop(wb);
        let mut wb = Workbook::open(&path).expect("reopen");
        assert_eq!(wb.balance_measure().expect("read").as_deref(), Some("Potential $"));
        let ro = Workbook::open_read_only(&path).expect("read-only");
        assert_eq!(ro.balance_measure().expect("read").as_deref(), Some("Potential $"));
        wb.set_balance_measure(None).expect("forget");
        assert_eq!(wb.balance_measure().expect("read"), None);
    }

    #[test]
    fn a_name_the_dataset_lacks_reads_as_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = workbook(dir.path());
        wb.set_balance_measure(Some("revenue")).expect("stored");
        assert_eq!(wb.meta(BALANCE_MEASURE_KEY).expect("raw").as_deref(), Some("revenue"));
        assert_eq!(
            wb.balance_measure().expect("read"),
            None,
            "readers fall back to their default"
        );
    }
}
