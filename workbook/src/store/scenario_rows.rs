//! Scenario rows: the `tessera_scenarios` / `tessera_assignments` rows of one scenario, read and written on a
//! connection or transaction. No [`super::Workbook`] here: the workbook's methods (scenarios.rs), the dataset
//! writer (dataset_io.rs) and the migrations all build on these, so dependencies point one way.
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

/// The units a team's plans cover, as `units.fid`s in unit order: `None` for every unit (fid = index + 1), else
/// the fids of a filtered team's units (plan index i is unit `fids[i]`).
pub(super) type TeamFids<'a> = Option<&'a [i64]>;

/// The `units.fid` of plan index `i`.
pub(super) fn fid_of(fids: TeamFids<'_>, i: usize) -> i64 {
    fids.map_or(i as i64 + 1, |f| f[i])
}

/// Inserts (or atomically replaces) scenario `scenario` of team `team` and its assignments (plan index i is
/// unit `fid_of(fids, i)`). Assumes the plan was checked.
pub(super) fn insert_scenario(
    tx: &Transaction<'_>,
    team: i64,
    fids: TeamFids<'_>,
    scenario: &Scenario,
) -> rusqlite::Result<()> {
    let old: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, created FROM tessera_scenarios WHERE team = ?2 AND name = ?1",
            params![scenario.name, team],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((id, _)) = &old {
        delete_by_id(tx, *id)?;
    }
    let names = serde_json::to_string(scenario.plan.names()).unwrap_or_else(|_| "[]".into());
    tx.execute(
        "INSERT INTO tessera_scenarios (team, name, created, modified, territories, params, metrics)
         VALUES (?6, ?1, COALESCE(?2, strftime('%Y-%m-%dT%H:%M:%fZ','now')), strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                 ?3, ?4, ?5)",
        params![
            scenario.name,
            old.map(|(_, created)| created),
            names,
            scenario.params.to_string(),
            scenario.metrics.to_string(),
            team
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut insert =
        tx.prepare_cached("INSERT INTO tessera_assignments (scenario, unit, territory) VALUES (?1, ?2, ?3)")?;
    let names = scenario.plan.names();
    for (i, &t) in scenario.plan.territory_of().iter().enumerate() {
        insert.execute(params![id, fid_of(fids, i), names[t as usize]])?;
    }
    Ok(())
}

/// Deletes a scenario's rows explicitly (not relying on `ON DELETE CASCADE`, which a connection without
/// `foreign_keys = ON`, such as a GIS tool's, would not apply).
pub(super) fn delete_by_id(tx: &Transaction<'_>, id: i64) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM tessera_history WHERE scenario = ?1", params![id])?;
    tx.execute("DELETE FROM tessera_assignments WHERE scenario = ?1", params![id])?;
    tx.execute("DELETE FROM tessera_scenarios WHERE id = ?1", params![id])?;
    Ok(())
}

/// The row id of team `team`'s scenario `name`.
pub(super) fn scenario_id(conn: &Connection, path: &std::path::Path, team: i64, name: &str) -> Result<i64> {
    conn.query_row(
        "SELECT id FROM tessera_scenarios WHERE team = ?2 AND name = ?1",
        params![name, team],
        |r| r.get(0),
    )
    .optional()
    .map_err(|e| WorkbookError::from_sqlite(path, e))?
    .ok_or_else(|| WorkbookError::NoScenario {
        path: path.to_path_buf(),
        name: name.to_string(),
    })
}

/// Copies the default team's "current" scenario's territories into the `territory` column of the units layer
/// (NULL when there is no such scenario).
pub(super) fn sync_current_column(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        &format!(
            "UPDATE {units} SET territory = (
                 SELECT a.territory FROM tessera_assignments a JOIN tessera_scenarios s ON a.scenario = s.id
                 WHERE s.team = ?2 AND s.name = ?1 AND a.unit = {units}.fid)",
            units = geopackage::UNITS_TABLE
        ),
        params![CURRENT, super::migrations::DEFAULT_TEAM],
    )?;
    geopackage::touch_units(tx)
}

/// Rebuilds a scenario's plan over the units `fids` lists (see [`TeamFids`]), checking that every one of them has
/// exactly one known territory.
pub(super) fn load_plan(
    conn: &Connection,
    path: &std::path::Path,
    id: i64,
    name: &str,
    fids: TeamFids<'_>,
) -> Result<Plan> {
    let sql = |e| WorkbookError::from_sqlite(path, e);
    let n: i64 = match fids {
        Some(f) => f.len() as i64,
        None => conn
            .query_row(&format!("SELECT count(*) FROM {}", geopackage::UNITS_TABLE), [], |r| {
                r.get(0)
            })
            .map_err(sql)?,
    };
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
        let place = match fids {
            None => usize::try_from(unit - 1).ok(),
            Some(f) => f.binary_search(&unit).ok(),
        };
        let slot = place.and_then(|i| territory_of.get_mut(i)).ok_or_else(|| {
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
            format!("scenario {name:?} leaves unit fid {} unassigned", fid_of(fids, i)),
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
