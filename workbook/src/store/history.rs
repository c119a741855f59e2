//! Hand edits of a scenario, with undo and redo that survive closing and reopening the workbook.
//!
//! Each edit is a row of `tessera_history` (scenario, seq, change JSON, undone flag). The undo cursor is the
//! flag: undo takes back the newest edit not yet undone; redo reapplies the oldest undone edit; recording a
//! new edit drops every undone one (the redo branch), as editors do.

use rusqlite::{params, OptionalExtension, Transaction};

use super::error::{Result, WorkbookError};
use super::file::Workbook;
use super::geopackage;
use super::scenario_rows::{scenario_id, CURRENT};

/// One unit moving between territories (territories by name).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Move {
    /// Unit id.
    pub unit: String,
    /// Territory before the edit.
    pub before: String,
    /// Territory after the edit (may be a new territory name).
    pub after: String,
}

/// A hand edit: units moved together, undone and redone as one step.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Edit {
    /// The moves, applied in order (undone in reverse order).
    pub moves: Vec<Move>,
}

impl Edit {
    /// An edit moving one unit.
    pub fn single(unit: impl Into<String>, before: impl Into<String>, after: impl Into<String>) -> Self {
        Edit {
            moves: vec![Move {
                unit: unit.into(),
                before: before.into(),
                after: after.into(),
            }],
        }
    }
}

impl Workbook {
    /// Applies `edit` to scenario `scenario` and appends it to the scenario's history, in one transaction.
    /// Undone edits are dropped (a new edit ends the redo branch).
    ///
    /// # Errors
    /// [`WorkbookError::InvalidEdit`] when the edit is empty, names an unknown unit, or a unit is not in the
    /// `before` territory (the caller's view is stale); nothing is changed then.
    /// [`WorkbookError::NoScenario`], and write errors as [`Workbook::save_scenario`].
    pub fn record_edit(&mut self, scenario: &str, edit: &Edit) -> Result<()> {
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        if edit.moves.is_empty() {
            return Err(WorkbookError::InvalidEdit {
                path: path.clone(),
                scenario: scenario.into(),
                detail: "the edit moves no unit".into(),
            });
        }
        let team = self.team;
        let tx = self.write_tx()?;
        let id = scenario_id(&tx, &path, team, scenario)?;
        let steps: Vec<(&str, &str, &str)> = edit
            .moves
            .iter()
            .map(|m| (m.unit.as_str(), m.before.as_str(), m.after.as_str()))
            .collect();
        let moved = apply(&tx, &path, scenario, id, &steps, false)?;
        tx.execute(
            "DELETE FROM tessera_history WHERE scenario = ?1 AND undone = 1",
            params![id],
        )
        .map_err(sql)?;
        let change = serde_json::to_string(edit).map_err(|e| WorkbookError::InvalidEdit {
            path: path.clone(),
            scenario: scenario.into(),
            detail: e.to_string(),
        })?;
        tx.execute(
            "INSERT INTO tessera_history (scenario, seq, created, change, undone)
             VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM tessera_history WHERE scenario = ?1),
                     strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?2, 0)",
            params![id, change],
        )
        .map_err(sql)?;
        finish(tx, &path, mirrors(team, scenario), id, &moved)
    }

    /// How many edits of `scenario` can be undone and how many redone. Counts only that scenario's history (the
    /// window asks after every edit; [`Workbook::scenarios`] would parse every scenario's metrics).
    ///
    /// # Errors
    /// [`WorkbookError::NoScenario`]; read errors.
    pub fn history_steps(&self, scenario: &str) -> Result<(usize, usize)> {
        let sql = |e| WorkbookError::from_sqlite(&self.path, e);
        let id = scenario_id(&self.conn, &self.path, self.team, scenario)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(SUM(undone = 0), 0), COALESCE(SUM(undone = 1), 0) FROM tessera_history
                 WHERE scenario = ?1",
            )
            .map_err(sql)?;
        let (undo, redo): (i64, i64) = stmt
            .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql)?;
        Ok((undo as usize, redo as usize))
    }

    /// Takes back the newest edit of `scenario` that is not undone. Returns it, or `None` when there is
    /// nothing to undo.
    ///
    /// # Errors
    /// [`WorkbookError::NoScenario`]; [`WorkbookError::Corrupt`] when the plan no longer matches the history;
    /// write errors as [`Workbook::save_scenario`].
    pub fn undo(&mut self, scenario: &str) -> Result<Option<Edit>> {
        self.step(scenario, true)
    }

    /// Reapplies the oldest undone edit of `scenario`. Returns it, or `None` when there is nothing to redo.
    ///
    /// # Errors
    /// As [`Workbook::undo`].
    pub fn redo(&mut self, scenario: &str) -> Result<Option<Edit>> {
        self.step(scenario, false)
    }

    fn step(&mut self, scenario: &str, undo: bool) -> Result<Option<Edit>> {
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let team = self.team;
        let tx = self.write_tx()?;
        let id = scenario_id(&tx, &path, team, scenario)?;
        let query = if undo {
            "SELECT seq, change FROM tessera_history WHERE scenario = ?1 AND undone = 0 ORDER BY seq DESC LIMIT 1"
        } else {
            "SELECT seq, change FROM tessera_history WHERE scenario = ?1 AND undone = 1 ORDER BY seq ASC LIMIT 1"
        };
        let row: Option<(i64, String)> = tx
            .query_row(query, params![id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(sql)?;
        let Some((seq, change)) = row else {
            return Ok(None); // dropping the transaction rolls back the `modified` stamp
        };
        let edit: Edit = serde_json::from_str(&change).map_err(|e| {
            WorkbookError::corrupt(
                &path,
                format!("scenario {scenario:?}: history entry {seq} is not valid JSON: {e}"),
            )
        })?;
        let steps: Vec<(&str, &str, &str)> = if undo {
            edit.moves
                .iter()
                .rev()
                .map(|m| (m.unit.as_str(), m.after.as_str(), m.before.as_str()))
                .collect()
        } else {
            edit.moves
                .iter()
                .map(|m| (m.unit.as_str(), m.before.as_str(), m.after.as_str()))
                .collect()
        };
        let moved = apply(&tx, &path, scenario, id, &steps, true)?;
        tx.execute(
            "UPDATE tessera_history SET undone = ?3 WHERE scenario = ?1 AND seq = ?2",
            params![id, seq, i64::from(undo)],
        )
        .map_err(sql)?;
        finish(tx, &path, mirrors(team, scenario), id, &moved)?;
        Ok(Some(edit))
    }
}

/// Moves each `(unit, expected, to)`, checking the unit is in `expected` first. A mismatch is the caller's
/// stale view for a new edit, or a damaged history when replaying one. Returns each moved unit's fid and new
/// territory.
fn apply<'s>(
    tx: &Transaction<'_>,
    path: &std::path::Path,
    scenario: &str,
    id: i64,
    steps: &[(&str, &'s str, &'s str)],
    replay: bool,
) -> Result<Vec<(i64, &'s str)>> {
    let sql = |e| WorkbookError::from_sqlite(path, e);
    let names_json: String = tx
        .query_row(
            "SELECT territories FROM tessera_scenarios WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .map_err(sql)?;
    let mut names: Vec<String> = super::scenario_rows::parse_json(path, scenario, "territories", &names_json)?;
    let mut moved = Vec::with_capacity(steps.len());
    let names_before = names.len();
    let reject = |detail: String| {
        if replay {
            WorkbookError::corrupt(
                path,
                format!("scenario {scenario:?}: history does not match the plan: {detail}"),
            )
        } else {
            WorkbookError::InvalidEdit {
                path: path.to_path_buf(),
                scenario: scenario.into(),
                detail,
            }
        }
    };
    // Cached statements: a box edit moves hundreds of units, and every edit runs these again.
    let mut fid_of = tx
        .prepare_cached(&format!("SELECT fid FROM {} WHERE id = ?1", geopackage::UNITS_TABLE))
        .map_err(sql)?;
    let mut territory_of = tx
        .prepare_cached("SELECT territory FROM tessera_assignments WHERE scenario = ?1 AND unit = ?2")
        .map_err(sql)?;
    let mut assign = tx
        .prepare_cached("UPDATE tessera_assignments SET territory = ?3 WHERE scenario = ?1 AND unit = ?2")
        .map_err(sql)?;
    for &(unit, expected, to) in steps {
        let fid: Option<i64> = fid_of.query_row(params![unit], |r| r.get(0)).optional().map_err(sql)?;
        let fid = fid.ok_or_else(|| reject(format!("no unit has id {unit:?}")))?;
        let now: Option<String> = territory_of
            .query_row(params![id, fid], |r| r.get(0))
            .optional()
            .map_err(sql)?;
        if now.as_deref() != Some(expected) {
            return Err(reject(format!(
                "unit {unit:?} is in territory {:?}, not {expected:?}",
                now.unwrap_or_default()
            )));
        }
        if !names.iter().any(|n| n == to) {
            names.push(to.to_string());
        }
        assign.execute(params![id, fid, to]).map_err(sql)?;
        moved.push((fid, to));
    }
    if names.len() != names_before {
        let json = serde_json::to_string(&names).map_err(|e| reject(e.to_string()))?;
        tx.execute(
            "UPDATE tessera_scenarios SET territories = ?2 WHERE id = ?1",
            params![id, json],
        )
        .map_err(sql)?;
    }
    Ok(moved)
}

/// Whether team `team`'s scenario `scenario` is the one the units layer's `territory` column mirrors.
fn mirrors(team: i64, scenario: &str) -> bool {
    team == super::team_rows::DEFAULT_TEAM && scenario == CURRENT
}

/// Stamps the scenario, mirrors the `moved` units of the default team's "current" (`mirror`) into the units
/// layer, commits.
///
/// Only the moved units' `territory` column is rewritten: rewriting every row (30,000 ZIP codes) made each
/// hand edit cost a few hundred milliseconds.
fn finish(tx: Transaction<'_>, path: &std::path::Path, mirror: bool, id: i64, moved: &[(i64, &str)]) -> Result<()> {
    let sql = |e| WorkbookError::from_sqlite(path, e);
    // The stored figures described the plan before this edit: dropped, not left to mislead, and recomputed by
    // whoever reads them (`Workbook::figures`).
    tx.execute(
        "UPDATE tessera_scenarios SET modified = strftime('%Y-%m-%dT%H:%M:%fZ','now'), metrics = 'null'
         WHERE id = ?1",
        params![id],
    )
    .map_err(sql)?;
    if mirror {
        let units = geopackage::UNITS_TABLE;
        let mut stmt = tx
            .prepare_cached(&format!("UPDATE {units} SET territory = ?2 WHERE fid = ?1"))
            .map_err(sql)?;
        for (fid, to) in moved {
            stmt.execute(params![fid, to]).map_err(sql)?;
        }
        drop(stmt);
        geopackage::touch_units(&tx).map_err(sql)?;
    }
    tx.commit().map_err(sql)
}

#[cfg(test)]
mod tests {
    use tessera_optimizer::Plan;

    use super::*;
    use crate::store::test_fixtures::line;

    fn column(wb: &Workbook) -> Vec<String> {
        let mut stmt = wb
            .conn
            .prepare("SELECT territory FROM units ORDER BY fid")
            .expect("prepare");
        let rows = stmt.query_map([], |r| r.get(0)).expect("query");
        rows.collect::<rusqlite::Result<_>>().expect("rows")
    }

    #[test]
    fn edits_of_current_move_only_their_units_in_the_territory_column() {
        let ds = line(&["a", "b", "c"], Some((&[0, 0, 1], &["W", "E"])));
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = Workbook::create(dir.path().join("h.tessera"), &ds).expect("create");
        assert_eq!(column(&wb), ["W", "W", "E"]);
        wb.record_edit(CURRENT, &Edit::single("b", "W", "E")).expect("edit");
        assert_eq!(column(&wb), ["W", "E", "E"]);
        wb.undo(CURRENT).expect("undo");
        assert_eq!(column(&wb), ["W", "W", "E"]);
        wb.redo(CURRENT).expect("redo");
        assert_eq!(column(&wb), ["W", "E", "E"]);
    }

    #[test]
    fn history_steps_count_one_scenario_and_match_the_summaries() {
        let ds = line(&["a", "b"], Some((&[0, 1], &["W", "E"])));
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = Workbook::create(dir.path().join("s.tessera"), &ds).expect("create");
        let plan = Plan::new(vec![0, 0], vec!["W".into()]);
        wb.save_scenario(&crate::store::Scenario::new("other", plan))
            .expect("save");
        assert_eq!(wb.history_steps(CURRENT).expect("steps"), (0, 0));
        wb.record_edit(CURRENT, &Edit::single("b", "E", "W")).expect("edit");
        wb.record_edit(CURRENT, &Edit::single("a", "W", "E")).expect("edit");
        wb.record_edit("other", &Edit::single("a", "W", "X"))
            .expect("edit other");
        wb.undo(CURRENT).expect("undo");
        assert_eq!(wb.history_steps(CURRENT).expect("steps"), (1, 1));
        assert_eq!(wb.history_steps("other").expect("steps"), (1, 0));
        for s in wb.scenarios().expect("summaries") {
            assert_eq!(
                wb.history_steps(&s.name).expect("steps"),
                (s.undo_steps, s.redo_steps),
                "{}",
                s.name
            );
        }
        assert!(matches!(
            wb.history_steps("nope"),
            Err(WorkbookError::NoScenario { .. })
        ));
    }
}
