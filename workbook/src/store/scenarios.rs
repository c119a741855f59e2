//! Scenarios: the workbook's methods to list, read, save and delete named plans with the parameters that made
//! them and their metrics. The rows themselves are read and written by `scenario_rows`.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};
use serde_json::Value;

use super::error::{Result, WorkbookError};
use super::file::Workbook;
use super::geopackage;
use super::scenario_rows::{delete_by_id, insert_scenario, load_plan, parse_json, scenario_id, sync_current_column};
pub use super::scenario_rows::{Scenario, CURRENT};
use super::team_rows::DEFAULT_TEAM;

/// What a scenario list shows without loading plans.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioSummary {
    /// Scenario name.
    pub name: String,
    /// When it was first saved (UTC, ISO 8601).
    pub created: String,
    /// When it last changed (UTC, ISO 8601).
    pub modified: String,
    /// Number of territories named in its plan.
    pub territories: usize,
    /// Optimizer parameters.
    pub params: Value,
    /// Metrics.
    pub metrics: Value,
    /// Edits that [`Workbook::undo`] can take back.
    pub undo_steps: usize,
    /// Undone edits that [`Workbook::redo`] can reapply.
    pub redo_steps: usize,
    /// The planner's note ("" when none; see [`Workbook::set_scenario_note`]).
    pub note: String,
}

impl Workbook {
    /// Every scenario, oldest first.
    ///
    /// # Errors
    /// [`WorkbookError::Corrupt`] when a stored JSON column cannot be parsed; SQLite errors.
    pub fn scenarios(&self) -> Result<Vec<ScenarioSummary>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.name, s.created, s.modified, s.territories, s.params, s.metrics,
                        (SELECT count(*) FROM tessera_history h WHERE h.scenario = s.id AND h.undone = 0),
                        (SELECT count(*) FROM tessera_history h WHERE h.scenario = s.id AND h.undone = 1),
                        s.note
                 FROM tessera_scenarios s WHERE s.team = ?1 ORDER BY s.created, s.id",
            )
            .map_err(self.sql())?;
        let rows = stmt
            .query_map(params![self.team], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, i64>(7)?,
                    r.get::<_, String>(8)?,
                ))
            })
            .map_err(self.sql())?;
        let mut out = Vec::new();
        for row in rows {
            let (name, created, modified, territories, params, metrics, undo, redo, note) = row.map_err(self.sql())?;
            let territories: Vec<String> = parse_json(&self.path, &name, "territories", &territories)?;
            out.push(ScenarioSummary {
                params: parse_json(&self.path, &name, "params", &params)?,
                metrics: parse_json(&self.path, &name, "metrics", &metrics)?,
                territories: territories.len(),
                name,
                created,
                modified,
                undo_steps: undo as usize,
                redo_steps: redo as usize,
                note,
            });
        }
        Ok(out)
    }

    /// The scenario called `name`, with its plan.
    ///
    /// # Errors
    /// [`WorkbookError::NoScenario`]; [`WorkbookError::Corrupt`] when its assignments do not cover every
    /// unit exactly once with a known territory.
    pub fn scenario(&self, name: &str) -> Result<Scenario> {
        let row: Option<(i64, String, String)> = self
            .conn
            .query_row(
                "SELECT id, params, metrics FROM tessera_scenarios WHERE team = ?2 AND name = ?1",
                params![name, self.team],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(self.sql())?;
        let (id, params, metrics) = row.ok_or_else(|| WorkbookError::NoScenario {
            path: self.path.clone(),
            name: name.to_string(),
        })?;
        let fids = self.team_fids()?;
        Ok(Scenario {
            name: name.to_string(),
            plan: load_plan(&self.conn, &self.path, id, name, fids.as_deref())?,
            params: parse_json(&self.path, name, "params", &params)?,
            metrics: parse_json(&self.path, name, "metrics", &metrics)?,
        })
    }

    /// Saves `scenario` in one transaction. A scenario of the same name is replaced atomically (its edit
    /// history goes with it, since it no longer applies; its creation time is kept).
    ///
    /// # Errors
    /// [`WorkbookError::PlanSize`] when the plan does not have one entry per unit,
    /// [`WorkbookError::InvalidEdit`] when two territories share a name, [`WorkbookError::ReadOnly`],
    /// [`WorkbookError::Locked`], [`WorkbookError::DiskFull`] (the workbook then holds its previous state).
    pub fn save_scenario(&mut self, scenario: &Scenario) -> Result<()> {
        let fids = self.team_fids()?;
        let units = match &fids {
            Some(f) => f.len(),
            None => self.all_unit_count()?,
        };
        let plan = &scenario.plan;
        if plan.territory_of().len() != units {
            return Err(WorkbookError::PlanSize {
                path: self.path.clone(),
                name: scenario.name.clone(),
                plan: plan.territory_of().len(),
                units,
            });
        }
        let mut seen = HashMap::new();
        for n in plan.names() {
            if seen.insert(n.as_str(), ()).is_some() {
                return Err(WorkbookError::InvalidEdit {
                    path: self.path.clone(),
                    scenario: scenario.name.clone(),
                    detail: format!("two territories are both named {n:?}"),
                });
            }
        }
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let team = self.team;
        let tx = self.write_tx()?;
        insert_scenario(&tx, team, fids.as_deref(), scenario).map_err(sql)?;
        if scenario.name == CURRENT && team == DEFAULT_TEAM {
            sync_current_column(&tx).map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    /// Replaces the metrics of scenario `name`, keeping its plan and history (e.g. after an edit).
    ///
    /// # Errors
    /// [`WorkbookError::NoScenario`], and write errors as [`Workbook::save_scenario`].
    pub fn set_metrics(&mut self, name: &str, metrics: &Value) -> Result<()> {
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let team = self.team;
        let tx = self.write_tx()?;
        let n = tx
            .execute(
                "UPDATE tessera_scenarios SET metrics = ?2, modified = strftime('%Y-%m-%dT%H:%M:%fZ','now')
                 WHERE team = ?3 AND name = ?1",
                params![name, metrics.to_string(), team],
            )
            .map_err(sql)?;
        if n == 0 {
            return Err(WorkbookError::NoScenario {
                path: path.clone(),
                name: name.to_string(),
            });
        }
        tx.commit().map_err(sql)
    }

    /// Deletes scenario `name` with its assignments and history.
    ///
    /// # Errors
    /// [`WorkbookError::NoScenario`], and write errors as [`Workbook::save_scenario`].
    pub fn delete_scenario(&mut self, name: &str) -> Result<()> {
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let team = self.team;
        let tx = self.write_tx()?;
        let id = scenario_id(&tx, &path, team, name)?;
        delete_by_id(&tx, id).map_err(sql)?;
        if name == CURRENT && team == DEFAULT_TEAM {
            sync_current_column(&tx).map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    /// The selected team's unit ids in unit order (what a plan's entries refer to), without reading the whole
    /// dataset.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn unit_ids(&self) -> Result<Vec<String>> {
        let all = self.all_unit_ids()?;
        Ok(match self.team_fids()? {
            None => all,
            Some(fids) => fids.iter().map(|&f| all[(f - 1) as usize].clone()).collect(),
        })
    }

    /// Every unit id of the workbook in unit order, whatever the team.
    fn all_unit_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT id FROM {} ORDER BY fid", geopackage::UNITS_TABLE))
            .map_err(self.sql())?;
        let ids = stmt
            .query_map([], |r| r.get(0))
            .map_err(self.sql())?
            .collect::<rusqlite::Result<Vec<String>>>()
            .map_err(self.sql())?;
        Ok(ids)
    }

    /// Number of units of the selected team.
    pub(super) fn unit_count(&self) -> Result<usize> {
        match self.team_fids()? {
            Some(fids) => Ok(fids.len()),
            None => self.all_unit_count(),
        }
    }

    /// Number of units in the workbook, whatever the team.
    pub(super) fn all_unit_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row(&format!("SELECT count(*) FROM {}", geopackage::UNITS_TABLE), [], |r| {
                r.get(0)
            })
            .map_err(self.sql())?;
        Ok(n as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AdjacencySource, Dataset};
    use tessera_optimizer::{Adjacency, Measure, Plan, Units};

    fn tiny() -> Dataset {
        let units = Units::new(
            vec!["a".into(), "b".into()],
            vec![0.0, 1.0],
            vec![0.0, 1.0],
            vec![Measure {
                name: "w".into(),
                values: vec![1.0, 2.0],
            }],
        )
        .expect("units");
        Dataset {
            units,
            adjacency: Adjacency::from_edges(2, &[(0, 1)]),
            adjacency_source: AdjacencySource::File,
            bridged: vec![],
            polygons: None,
            reps: vec![],
            current: Some(Plan::new(vec![0, 1], vec!["A".into(), "B".into()])),
        }
    }

    #[test]
    fn a_full_disk_reports_disk_full_and_keeps_the_previous_state() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("full.tessera");
        let mut wb = Workbook::create(&path, &tiny()).expect("create");
        // Cap the file at its current size: the next write that needs a page fails as on a full disk.
        let pages: i64 = wb
            .conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .expect("page_count");
        wb.conn.pragma_update(None, "max_page_count", pages).expect("cap");
        let big = Scenario {
            params: serde_json::Value::String("x".repeat(1 << 20)),
            ..Scenario::new("big", Plan::new(vec![0, 0], vec!["T".into()]))
        };
        let err = wb.save_scenario(&big).expect_err("no room");
        assert!(matches!(err, WorkbookError::DiskFull { .. }), "{err}");
        assert!(err.to_string().contains("previous state"), "{err}");
        assert!(matches!(wb.scenario("big"), Err(WorkbookError::NoScenario { .. })));
        assert_eq!(wb.dataset().expect("read"), tiny());
        wb.conn
            .pragma_update(None, "max_page_count", 1_000_000_000i64)
            .expect("uncap");
        wb.save_scenario(&big).expect("room again");
        drop(wb);
        assert_eq!(
            Workbook::open(&path).expect("reopen").scenario("big").expect("saved"),
            big
        );
    }

    #[test]
    fn an_empty_dataset_round_trips() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("empty.tessera");
        let ds = Dataset {
            units: Units::new(vec![], vec![], vec![], vec![]).expect("units"),
            adjacency: Adjacency::from_edges(0, &[]),
            adjacency_source: AdjacencySource::Delaunay,
            bridged: vec![],
            polygons: Some(vec![]),
            reps: vec![],
            current: None,
        };
        drop(Workbook::create(&path, &ds).expect("create"));
        assert_eq!(Workbook::open(&path).expect("open").dataset().expect("read"), ds);
    }
}
