//! Managing scenarios as a planner does: duplicate one to try a variant, rename it, write a note on it. Each
//! keeps its parameters (so the run can be repeated) and its figures; the edit history stays with the
//! original, since the copy starts from where the original is now.
//!
//! "current" is the imported alignment the disruption budget measures from and the `units` layer mirrors: it
//! can be duplicated and noted, but not renamed (duplicate it instead).

use rusqlite::{params, OptionalExtension};

use super::error::{Result, WorkbookError};
use super::file::Workbook;
use super::scenario_rows::{insert_scenario, scenario_id, Scenario, CURRENT};

impl Workbook {
    /// Copies scenario `from` (plan, parameters, figures, note) as `to`.
    ///
    /// # Errors
    /// [`WorkbookError::NoScenario`] for `from`; [`WorkbookError::InvalidEdit`] when `to` exists or is empty;
    /// write errors as [`Workbook::save_scenario`].
    pub fn duplicate_scenario(&mut self, from: &str, to: &str) -> Result<()> {
        self.check_new_name(to)?;
        let source = self.scenario(from)?;
        let note = self.scenario_note(from)?;
        let copy = Scenario {
            name: to.to_string(),
            ..source
        };
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let fids = self.team_fids()?;
        let team = self.team;
        let tx = self.write_tx()?;
        insert_scenario(&tx, team, fids.as_deref(), &copy).map_err(sql)?;
        tx.execute(
            "UPDATE tessera_scenarios SET note = ?2 WHERE team = ?3 AND name = ?1",
            params![to, note, team],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Renames scenario `from` to `to`, with its history.
    ///
    /// # Errors
    /// [`WorkbookError::NoScenario`]; [`WorkbookError::InvalidEdit`] when `from` is "current", or `to` exists
    /// or is empty; write errors.
    pub fn rename_scenario(&mut self, from: &str, to: &str) -> Result<()> {
        if from == CURRENT {
            return Err(self.invalid(
                from,
                "\"current\" is the imported alignment and keeps its name; duplicate it instead",
            ));
        }
        self.check_new_name(to)?;
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let team = self.team;
        let tx = self.write_tx()?;
        let id = scenario_id(&tx, &path, team, from)?;
        tx.execute(
            "UPDATE tessera_scenarios SET name = ?2, modified = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?1",
            params![id, to],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Sets the note of scenario `name` (empty text removes it).
    ///
    /// # Errors
    /// [`WorkbookError::NoScenario`]; write errors.
    pub fn set_scenario_note(&mut self, name: &str, note: &str) -> Result<()> {
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let team = self.team;
        let tx = self.write_tx()?;
        let id = scenario_id(&tx, &path, team, name)?;
        tx.execute(
            "UPDATE tessera_scenarios SET note = ?2 WHERE id = ?1",
            params![id, note],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// The note of scenario `name` ("" when none).
    ///
    /// # Errors
    /// [`WorkbookError::NoScenario`]; SQLite errors.
    pub fn scenario_note(&self, name: &str) -> Result<String> {
        self.conn
            .query_row(
                "SELECT note FROM tessera_scenarios WHERE team = ?2 AND name = ?1",
                params![name, self.team],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql())?
            .ok_or_else(|| WorkbookError::NoScenario {
                path: self.path.clone(),
                name: name.to_string(),
            })
    }

    fn check_new_name(&self, to: &str) -> Result<()> {
        if to.trim().is_empty() {
            return Err(self.invalid(to, "a scenario needs a name"));
        }
        let exists: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM tessera_scenarios WHERE team = ?2 AND name = ?1",
                params![to, self.team],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql())?;
        if exists.is_some() {
            return Err(self.invalid(
                to,
                "a scenario of this name exists; choose another name or delete it first",
            ));
        }
        Ok(())
    }

    fn invalid(&self, scenario: &str, detail: &str) -> WorkbookError {
        WorkbookError::InvalidEdit {
            path: self.path.clone(),
            scenario: scenario.to_string(),
            detail: detail.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_fixtures::line;
    use tessera_optimizer::Plan;

    #[test]
    fn duplicate_rename_note_and_their_refusals() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("w.tessera");
        let mut wb = Workbook::create(&path, &line(&["a", "b"], Some((&[0, 1], &["W", "E"])))).expect("create");
        let mut s = Scenario::new("plan a", Plan::new(vec![0, 0], vec!["All".into()]));
        s.params = serde_json::json!({"tolerance": 0.05, "seed": 7});
        wb.save_scenario(&s).expect("save");
        wb.set_scenario_note("plan a", "for the March meeting").expect("note");
        wb.duplicate_scenario("plan a", "plan b").expect("duplicate");
        let b = wb.scenario("plan b").expect("copy");
        assert_eq!((b.plan.clone(), b.params.clone()), (s.plan.clone(), s.params.clone()));
        assert_eq!(wb.scenario_note("plan b").expect("note"), "for the March meeting");
        wb.rename_scenario("plan b", "plan c").expect("rename");
        assert!(matches!(wb.scenario("plan b"), Err(WorkbookError::NoScenario { .. })));
        assert_eq!(wb.scenario("plan c").expect("renamed").plan, s.plan);
        let listed: Vec<(String, String)> = wb
            .scenarios()
            .expect("list")
            .into_iter()
            .map(|x| (x.name, x.note))
            .collect();
        assert!(
            listed.contains(&("plan c".into(), "for the March meeting".into())),
            "{listed:?}"
        );

        assert!(matches!(
            wb.rename_scenario("current", "x"),
            Err(WorkbookError::InvalidEdit { .. })
        ));
        assert!(matches!(
            wb.duplicate_scenario("plan a", "plan c"),
            Err(WorkbookError::InvalidEdit { .. })
        ));
        assert!(matches!(
            wb.rename_scenario("nope", "y"),
            Err(WorkbookError::NoScenario { .. })
        ));
        assert!(matches!(
            wb.duplicate_scenario("plan a", " "),
            Err(WorkbookError::InvalidEdit { .. })
        ));
    }
}
