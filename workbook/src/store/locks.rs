//! Locked units: units the planner pinned to a territory, which the optimizer never moves
//! (`ProblemSpec::locks`). Stored in `tessera_locks` (schema version 2; per team from 6, a territory being one
//! team's), by `units.fid`; read and written as indices among the selected team's units.

use rusqlite::params;

use super::error::{Result, WorkbookError};
use super::file::Workbook;
use super::scenario_rows::fid_of;

impl Workbook {
    /// Every lock of the selected team as `(unit index, territory name)`, in unit order.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn locks(&self) -> Result<Vec<(usize, String)>> {
        let fids = self.team_fids()?;
        let mut stmt = self
            .conn
            .prepare("SELECT unit, territory FROM tessera_locks WHERE team = ?1 ORDER BY unit")
            .map_err(self.sql())?;
        let rows = stmt
            .query_map(params![self.team], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(self.sql())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.sql())?;
        // `unit` is units.fid, 1-based; a filtered team's index is the fid's place among its units.
        Ok(rows
            .into_iter()
            .filter_map(|(fid, t)| match &fids {
                None => Some(((fid - 1) as usize, t)),
                Some(f) => f.binary_search(&fid).ok().map(|i| (i, t)),
            })
            .collect())
    }

    /// Locks each `(unit index, territory)`, replacing an earlier lock of the same unit; one transaction.
    ///
    /// # Errors
    /// [`WorkbookError::InvalidEdit`] for a unit index out of range (nothing is changed then); write errors as
    /// [`Workbook::save_scenario`].
    pub fn lock_units(&mut self, locks: &[(usize, String)]) -> Result<()> {
        self.check_units(locks.iter().map(|(u, _)| *u))?;
        let fids = self.team_fids()?;
        let team = self.team;
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let tx = self.write_tx()?;
        for (unit, territory) in locks {
            tx.execute(
                "INSERT INTO tessera_locks (team, unit, territory) VALUES (?3, ?1, ?2)
                 ON CONFLICT(team, unit) DO UPDATE SET territory = excluded.territory",
                params![fid_of(fids.as_deref(), *unit), territory, team],
            )
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    /// Removes the locks of `units` (indices); units without a lock are skipped.
    ///
    /// # Errors
    /// As [`Workbook::lock_units`].
    pub fn unlock_units(&mut self, units: &[usize]) -> Result<()> {
        self.check_units(units.iter().copied())?;
        let fids = self.team_fids()?;
        let team = self.team;
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let tx = self.write_tx()?;
        for unit in units {
            tx.execute(
                "DELETE FROM tessera_locks WHERE team = ?2 AND unit = ?1",
                params![fid_of(fids.as_deref(), *unit), team],
            )
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    fn check_units(&self, mut units: impl Iterator<Item = usize>) -> Result<()> {
        let n = self.unit_count()?;
        match units.find(|&u| u >= n) {
            Some(u) => Err(WorkbookError::InvalidEdit {
                path: self.path.clone(),
                scenario: String::new(),
                detail: format!("cannot lock unit number {u}: the workbook has {n} units"),
            }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::store::test_fixtures::line;
    use crate::{Dataset, Workbook};

    fn dataset() -> Dataset {
        line(&["a", "b", "c"], None)
    }

    #[test]
    fn locks_persist_replace_and_unlock() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("locks.tessera");
        let mut wb = Workbook::create(&path, &dataset()).expect("create");
        assert!(wb.locks().expect("locks").is_empty());
        wb.lock_units(&[(2, "East".into()), (0, "West".into())]).expect("lock");
        wb.lock_units(&[(2, "West".into())]).expect("relock");
        drop(wb);
        let mut wb = Workbook::open(&path).expect("reopen");
        assert_eq!(
            wb.locks().expect("locks"),
            [(0, "West".to_string()), (2, "West".to_string())]
        );
        wb.unlock_units(&[0, 1]).expect("unlock");
        assert_eq!(wb.locks().expect("locks"), [(2, "West".to_string())]);
        let err = wb.lock_units(&[(3, "East".into())]).expect_err("no unit 3");
        assert!(err.to_string().contains("unit number 3"), "{err}");
        assert_eq!(wb.locks().expect("locks").len(), 1, "nothing changed");
    }
}
