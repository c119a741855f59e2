//! Scenarios: named plans with the parameters that made them and their metrics.
//!
//! A scenario's assignments are rows of `tessera_assignments` (scenario, unit = `units.fid`, territory name);
//! its territory names, in index order, are a JSON list in `tessera_scenarios.territories`, so territories
//! without units and the plan's numbering survive a round trip. The alignment imported with the dataset is
//! the scenario named [`CURRENT`]; the `territory` column of the `units` layer always mirrors it, so GIS
//! tools can colour the current alignment.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::Value;
use tessera_optimizer::Plan;

use super::error::{Result, WorkbookError};
use super::file::Workbook;
use super::geopackage;

/// Name of the scenario that holds the current (imported) alignment.
pub const CURRENT: &str = "current";

/// A named plan with the parameters that produced it and its metrics (both free-form JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Unique name within the workbook.
    pub name: String,
    /// Territory of every unit, in the workbook's unit order.
    pub plan: Plan,
    /// Optimizer parameters (or `null`).
    pub params: Value,
    /// Metrics of the plan (or `null`).
    pub metrics: Value,
}

impl Scenario {
    /// A scenario with `null` parameters and metrics.
    pub fn new(name: impl Into<String>, plan: Plan) -> Self {
        Scenario {
            name: name.into(),
            plan,
            params: Value::Null,
            metrics: Value::Null,
        }
    }
}

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
                        (SELECT count(*) FROM tessera_history h WHERE h.scenario = s.id AND h.undone = 1)
                 FROM tessera_scenarios s ORDER BY s.created, s.id",
            )
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, i64>(7)?,
                ))
            })
            .map_err(self.sql())?;
        let mut out = Vec::new();
        for row in rows {
            let (name, created, modified, territories, params, metrics, undo, redo) = row.map_err(self.sql())?;
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
                "SELECT id, params, metrics FROM tessera_scenarios WHERE name = ?1",
                params![name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(self.sql())?;
        let (id, params, metrics) = row.ok_or_else(|| WorkbookError::NoScenario {
            path: self.path.clone(),
            name: name.to_string(),
        })?;
        Ok(Scenario {
            name: name.to_string(),
            plan: load_plan(&self.conn, &self.path, id, name)?,
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
        let units = self.unit_count()?;
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
        let tx = self.write_tx()?;
        insert_scenario(&tx, scenario).map_err(sql)?;
        if scenario.name == CURRENT {
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
        let tx = self.write_tx()?;
        let n = tx
            .execute(
                "UPDATE tessera_scenarios SET metrics = ?2, modified = strftime('%Y-%m-%dT%H:%M:%fZ','now')
                 WHERE name = ?1",
                params![name, metrics.to_string()],
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
        let tx = self.write_tx()?;
        let id = scenario_id(&tx, &path, name)?;
        delete_by_id(&tx, id).map_err(sql)?;
        if name == CURRENT {
            sync_current_column(&tx).map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    /// Unit ids in unit order (what a plan's entries refer to), without reading the whole dataset.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn unit_ids(&self) -> Result<Vec<String>> {
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

    /// Number of units in the workbook.
    pub(super) fn unit_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row(&format!("SELECT count(*) FROM {}", geopackage::UNITS_TABLE), [], |r| {
                r.get(0)
            })
            .map_err(self.sql())?;
        Ok(n as usize)
    }
}

/// Inserts (or atomically replaces) a scenario and its assignments. Assumes the plan was checked.
pub(super) fn insert_scenario(tx: &Transaction<'_>, scenario: &Scenario) -> rusqlite::Result<()> {
    let old: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, created FROM tessera_scenarios WHERE name = ?1",
            params![scenario.name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((id, _)) = &old {
        delete_by_id(tx, *id)?;
    }
    let names = serde_json::to_string(scenario.plan.names()).unwrap_or_else(|_| "[]".into());
    tx.execute(
        "INSERT INTO tessera_scenarios (name, created, modified, territories, params, metrics)
         VALUES (?1, COALESCE(?2, strftime('%Y-%m-%dT%H:%M:%fZ','now')), strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                 ?3, ?4, ?5)",
        params![
            scenario.name,
            old.map(|(_, created)| created),
            names,
            scenario.params.to_string(),
            scenario.metrics.to_string()
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut insert =
        tx.prepare_cached("INSERT INTO tessera_assignments (scenario, unit, territory) VALUES (?1, ?2, ?3)")?;
    let names = scenario.plan.names();
    for (i, &t) in scenario.plan.territory_of().iter().enumerate() {
        insert.execute(params![id, i as i64 + 1, names[t as usize]])?;
    }
    Ok(())
}

/// Deletes a scenario's rows explicitly (not relying on `ON DELETE CASCADE`, which a connection without
/// `foreign_keys = ON`, such as a GIS tool's, would not apply).
fn delete_by_id(tx: &Transaction<'_>, id: i64) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM tessera_history WHERE scenario = ?1", params![id])?;
    tx.execute("DELETE FROM tessera_assignments WHERE scenario = ?1", params![id])?;
    tx.execute("DELETE FROM tessera_scenarios WHERE id = ?1", params![id])?;
    Ok(())
}

/// The row id of scenario `name`.
pub(super) fn scenario_id(conn: &Connection, path: &std::path::Path, name: &str) -> Result<i64> {
    conn.query_row("SELECT id FROM tessera_scenarios WHERE name = ?1", params![name], |r| {
        r.get(0)
    })
    .optional()
    .map_err(|e| WorkbookError::from_sqlite(path, e))?
    .ok_or_else(|| WorkbookError::NoScenario {
        path: path.to_path_buf(),
        name: name.to_string(),
    })
}

/// Copies the "current" scenario's territories into the `territory` column of the units layer (NULL when
/// there is no such scenario).
pub(super) fn sync_current_column(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        &format!(
            "UPDATE {units} SET territory = (
                 SELECT a.territory FROM tessera_assignments a JOIN tessera_scenarios s ON a.scenario = s.id
                 WHERE s.name = ?1 AND a.unit = {units}.fid)",
            units = geopackage::UNITS_TABLE
        ),
        params![CURRENT],
    )?;
    geopackage::touch_units(tx)
}

/// Rebuilds a scenario's plan, checking that every unit has exactly one known territory.
pub(super) fn load_plan(conn: &Connection, path: &std::path::Path, id: i64, name: &str) -> Result<Plan> {
    let sql = |e| WorkbookError::from_sqlite(path, e);
    let n: i64 = conn
        .query_row(&format!("SELECT count(*) FROM {}", geopackage::UNITS_TABLE), [], |r| {
            r.get(0)
        })
        .map_err(sql)?;
    let names_json: String = conn
        .query_row(
            "SELECT territories FROM tessera_scenarios WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .map_err(sql)?;
    let names: Vec<String> = parse_json(path, name, "territories", &names_json)?;
    let index: HashMap<&str, u32> = names.iter().enumerate().map(|(k, s)| (s.as_str(), k as u32)).collect();
    let mut territory_of = vec![u32::MAX; n as usize];
    let mut stmt = conn
        .prepare_cached("SELECT unit, territory FROM tessera_assignments WHERE scenario = ?1")
        .map_err(sql)?;
    let mut rows = stmt.query(params![id]).map_err(sql)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let unit: i64 = row.get(0).map_err(sql)?;
        let territory: String = row.get(1).map_err(sql)?;
        let slot = usize::try_from(unit - 1)
            .ok()
            .and_then(|i| territory_of.get_mut(i))
            .ok_or_else(|| {
                WorkbookError::corrupt(path, format!("scenario {name:?} assigns unknown unit fid {unit}"))
            })?;
        *slot = *index.get(territory.as_str()).ok_or_else(|| {
            WorkbookError::corrupt(
                path,
                format!("scenario {name:?} uses territory {territory:?} not in its list"),
            )
        })?;
    }
    if let Some(i) = territory_of.iter().position(|&t| t == u32::MAX) {
        return Err(WorkbookError::corrupt(
            path,
            format!("scenario {name:?} leaves unit fid {} unassigned", i + 1),
        ));
    }
    Ok(Plan::new(territory_of, names))
}

/// Parses a JSON column, naming the scenario and column when it is not valid.
pub(super) fn parse_json<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    scenario: &str,
    column: &str,
    text: &str,
) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| WorkbookError::corrupt(path, format!("scenario {scenario:?}: {column} is not valid JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AdjacencySource, Dataset};
    use tessera_optimizer::{Adjacency, Measure, Units};

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
