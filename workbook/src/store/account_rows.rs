//! The rows of the accounts tables (schema 5: `tessera_accounts`, `tessera_account_columns`,
//! `tessera_named_accounts`, and `accounts.` keys of `tessera_meta`), and the units' measures summed from them.
//! Below the `Workbook` (see `accounts.rs` for its methods): these functions work inside the caller's
//! transaction or connection and never reach back up.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::Value;

use super::column_names::{measure_columns, quote_ident};
use super::error::{Result, WorkbookError};
use super::geopackage::{self, UNITS_TABLE};
use crate::accounts::Accounts;
use crate::import::{AccountColumn, AccountValues};

/// `tessera_meta` keys of the accounts' provenance.
pub(super) const META_SOURCE: &str = "accounts.source";
pub(super) const META_ATTACHED_BY: &str = "accounts.attached_by";
pub(super) const META_KEY_COLUMN: &str = "accounts.key_column";
/// The units' measures summed from accounts at the last change (JSON list of names).
pub(super) const META_UNIT_MEASURES: &str = "accounts.unit_measures";

/// Sets (or, with `None`, removes) a `tessera_meta` value.
pub(super) fn set_meta(tx: &Transaction<'_>, key: &str, value: Option<&str>) -> rusqlite::Result<()> {
    match value {
        Some(v) => tx.execute(
            "INSERT INTO tessera_meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, v],
        ),
        None => tx.execute("DELETE FROM tessera_meta WHERE key = ?1", params![key]),
    }
    .map(|_| ())
}

/// A `tessera_meta` value.
pub(super) fn get_meta(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM tessera_meta WHERE key = ?1", params![key], |r| {
        r.get(0)
    })
    .optional()
}

/// Team `team`'s named accounts as (account id, territory), by account id.
pub(super) fn read_named(conn: &Connection, team: i64) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare("SELECT account, territory FROM tessera_named_accounts WHERE team = ?1 ORDER BY account")?;
    let rows = stmt.query_map(params![team], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Every team's named accounts as (team, account id, territory).
pub(super) fn read_all_named(conn: &Connection) -> rusqlite::Result<Vec<(i64, String, String)>> {
    let mut stmt =
        conn.prepare("SELECT team, account, territory FROM tessera_named_accounts ORDER BY team, account")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

/// Inserts team `team`'s named accounts (the caller cleared that team's rows first).
pub(super) fn write_named(tx: &Transaction<'_>, team: i64, named: &[(String, String)]) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare("INSERT INTO tessera_named_accounts (team, account, territory) VALUES (?1, ?2, ?3)")?;
    for (a, t) in named {
        stmt.execute(params![team, a, t])?;
    }
    Ok(())
}

/// The units' measures summed from accounts at the last change.
pub(super) fn derived_measures(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    Ok(get_meta(conn, META_UNIT_MEASURES)?
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

/// A measure's original name and its column in `units`, as `tessera_dataset.measures` lists them.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct MeasureColumn {
    name: String,
    column: String,
}

/// The units' measure names, as `tessera_dataset.measures` lists them.
pub(super) fn measure_names(conn: &Connection, path: &std::path::Path) -> Result<Vec<String>> {
    Ok(listed_measures(conn, path)?.into_iter().map(|m| m.name).collect())
}

/// The measures and their `units` columns, as `tessera_dataset.measures` lists them.
fn listed_measures(conn: &Connection, path: &std::path::Path) -> Result<Vec<MeasureColumn>> {
    let json: String = conn
        .query_row("SELECT measures FROM tessera_dataset", [], |r| r.get(0))
        .map_err(|e| WorkbookError::from_sqlite(path, e))?;
    serde_json::from_str(&json)
        .map_err(|e| WorkbookError::corrupt(path, format!("tessera_dataset.measures is not valid: {e}")))
}

/// Sets every units' measure summed from accounts to the sum over each unit's geographic accounts (those the
/// default team has not named: the stored measures are the default team's; another team's are summed when read,
/// see `team_rows::team_units`),
/// adding the measure column to `units` when it is new; drops every scenario's stored figures. Returns the
/// measures and the number of scenarios whose figures were dropped.
pub(super) fn refresh_unit_measures(tx: &Transaction<'_>, path: &std::path::Path) -> Result<Refreshed> {
    let sql = |e| WorkbookError::from_sqlite(path, e);
    let Some(accounts) = read_accounts(tx, path, super::migrations::DEFAULT_TEAM)? else {
        return Ok(Refreshed::default());
    };
    let n: usize = tx
        .query_row(&format!("SELECT count(*) FROM {UNITS_TABLE}"), [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(sql)? as usize;
    let measures = accounts.unit_measures();
    let mut sums = vec![vec![0.0; n]; measures.len()];
    for a in 0..accounts.len() {
        let (Some(u), None) = (accounts.unit_of[a], &accounts.named[a]) else {
            continue;
        };
        for (k, m) in measures.iter().enumerate() {
            sums[k][u] += accounts.value(a, m);
        }
    }
    let mut listed = listed_measures(tx, path)?;
    // A measure summed from the previous accounts file that this one lacks would keep stale sums: it goes.
    let mut removed = Vec::new();
    for m in derived_measures(tx).map_err(sql)? {
        if measures.contains(&m) {
            continue;
        }
        if let Some(k) = listed.iter().position(|c| c.name == m) {
            let column = listed.remove(k).column;
            tx.execute_batch(&format!(
                "ALTER TABLE {UNITS_TABLE} DROP COLUMN {}",
                quote_ident(&column)
            ))
            .map_err(sql)?;
            removed.push(m);
        }
    }
    for (k, m) in measures.iter().enumerate() {
        let column = match listed.iter().find(|c| &c.name == m) {
            Some(c) => c.column.clone(),
            None => {
                let mut names: Vec<String> = listed.iter().map(|c| c.name.clone()).collect();
                names.push(m.clone());
                let column = measure_columns(&names).pop().unwrap_or_else(|| "measure".into());
                tx.execute_batch(&format!(
                    "ALTER TABLE {UNITS_TABLE} ADD COLUMN {} REAL",
                    quote_ident(&column)
                ))
                .map_err(sql)?;
                listed.push(MeasureColumn {
                    name: m.clone(),
                    column: column.clone(),
                });
                column
            }
        };
        let mut update = tx
            .prepare(&format!(
                "UPDATE {UNITS_TABLE} SET {} = ?1 WHERE fid = ?2",
                quote_ident(&column)
            ))
            .map_err(sql)?;
        for (u, v) in sums[k].iter().enumerate() {
            update.execute(params![v, u as i64 + 1]).map_err(sql)?;
        }
    }
    tx.execute(
        "UPDATE tessera_dataset SET measures = ?1",
        params![serde_json::to_string(&listed).unwrap_or_else(|_| "[]".into())],
    )
    .map_err(sql)?;
    set_meta(
        tx,
        META_UNIT_MEASURES,
        Some(&serde_json::to_string(&measures).unwrap_or_else(|_| "[]".into())),
    )
    .map_err(sql)?;
    geopackage::touch_units(tx).map_err(sql)?;
    let refigured = tx
        .execute(
            "UPDATE tessera_scenarios SET metrics = 'null' WHERE metrics != 'null'",
            [],
        )
        .map_err(sql)?;
    Ok(Refreshed {
        measures,
        refigured,
        removed,
    })
}

/// What [`refresh_unit_measures`] did.
#[derive(Debug, Default)]
pub(super) struct Refreshed {
    /// The units' measures now summed from accounts.
    pub(super) measures: Vec<String>,
    /// Scenarios whose stored figures were dropped.
    pub(super) refigured: usize,
    /// Measures summed from the previous accounts file that the new one lacks, removed from the units.
    pub(super) removed: Vec<String>,
}

/// Reads the stored accounts, `None` when there are none; `named` is team `team`'s naming.
pub(super) fn read_accounts(conn: &Connection, path: &std::path::Path, team: i64) -> Result<Option<Accounts>> {
    let sql = |e| WorkbookError::from_sqlite(path, e);
    let corrupt = |detail: String| WorkbookError::corrupt(path, detail);
    let mut stmt = conn
        .prepare("SELECT name, measure, unit_measure FROM tessera_account_columns ORDER BY seq")
        .map_err(sql)?;
    let cols: Vec<(String, bool, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? == 1, r.get(2)?)))
        .map_err(sql)?
        .collect::<rusqlite::Result<_>>()
        .map_err(sql)?;
    let mut columns: Vec<AccountColumn> = cols
        .iter()
        .map(|(name, measure, _)| AccountColumn {
            name: name.clone(),
            values: if *measure {
                AccountValues::Measure(Vec::new())
            } else {
                AccountValues::Text(Vec::new())
            },
        })
        .collect();
    let named: HashMap<String, String> = read_named(conn, team).map_err(sql)?.into_iter().collect();
    let mut stmt = conn
        .prepare("SELECT id, unit, key, lon, lat, line, vals FROM tessera_accounts ORDER BY seq")
        .map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    let mut out = Accounts {
        ids: Vec::new(),
        unit_of: Vec::new(),
        keys: Vec::new(),
        points: Vec::new(),
        lines: Vec::new(),
        named: Vec::new(),
        columns: Vec::new(),
        unit_measure_of: cols.iter().map(|c| c.2.clone()).collect(),
        attached_by: get_meta(conn, META_ATTACHED_BY).map_err(sql)?.unwrap_or_default(),
        key_column: get_meta(conn, META_KEY_COLUMN).map_err(sql)?,
        source: get_meta(conn, META_SOURCE).map_err(sql)?.unwrap_or_default(),
    };
    while let Some(row) = rows.next().map_err(sql)? {
        let id: String = row.get(0).map_err(sql)?;
        let bad = |e: String| corrupt(format!("tessera_accounts {id:?}: {e}"));
        let unit: Option<i64> = row.get(1).map_err(sql)?;
        let lon: Option<f64> = row.get(3).map_err(sql)?;
        let lat: Option<f64> = row.get(4).map_err(sql)?;
        let vals: String = row.get(6).map_err(sql)?;
        let vals: Vec<Value> = serde_json::from_str(&vals).map_err(|e| bad(e.to_string()))?;
        if vals.len() != columns.len() {
            return Err(bad(format!("{} values for {} columns", vals.len(), columns.len())));
        }
        for (c, v) in columns.iter_mut().zip(vals) {
            match (&mut c.values, v) {
                (AccountValues::Measure(m), Value::Number(x)) => m.push(x.as_f64().unwrap_or(f64::NAN)),
                (AccountValues::Text(t), Value::String(s)) => t.push(s),
                (_, v) => return Err(bad(format!("column {:?} holds {v}", c.name))),
            }
        }
        out.unit_of.push(unit.map(|u| (u - 1) as usize));
        out.keys.push(row.get(2).map_err(sql)?);
        out.points.push(lon.zip(lat));
        out.lines.push(row.get::<_, i64>(5).map_err(sql)? as u64);
        out.named.push(named.get(&id).cloned());
        out.ids.push(id);
    }
    if out.ids.is_empty() {
        return Ok(None);
    }
    out.columns = columns;
    Ok(Some(out))
}
