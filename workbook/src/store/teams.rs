//! Overlay teams (schema 6): several teams plan over the same units in one workbook — a field team by geography,
//! a key-account team by segment — each with its own reps, units (all, or those whose accounts match a filter
//! such as `segment = A`), balanced measure, tolerance, scenarios and locks.
//!
//! A [`Workbook`] acts on one team at a time: the default team when opened (what the workbook held before
//! teams, and what every command without `--team` uses), another after [`Workbook::select_team`]. Every method
//! that reads or writes reps, scenarios, history or locks then touches that team's rows only, so planning or
//! editing one team leaves the others' rows as they were. The units, their polygons and the accounts are shared.
//! Named accounts belong to the default team.

use rusqlite::params;
use tessera_optimizer::Rep;

use super::dataset_io::write_reps;
use super::error::{Result, WorkbookError};
use super::file::Workbook;
use super::scenario_rows::delete_by_id;
use super::team_rows::{read_teams, team_by_id, team_by_name, team_units, TeamRow, TeamUnits};
pub use super::team_rows::{TeamFilter, DEFAULT_TEAM};

/// A team as listed by [`Workbook::teams`].
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// Unique name within the workbook.
    pub name: String,
    /// Whether this is the default team (the one commands without `--team` use).
    pub default: bool,
    /// The account filter choosing the team's units, `None` for every unit.
    pub filter: Option<TeamFilter>,
    /// The measure the team balances, when one was chosen.
    pub measure: Option<String>,
    /// The team's tolerance, when one was set (else the planning default).
    pub tolerance: Option<f64>,
    /// Number of reps.
    pub reps: usize,
    /// Number of scenarios.
    pub scenarios: usize,
}

/// A team to add with [`Workbook::add_team`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewTeam {
    /// Its name (unique in the workbook).
    pub name: String,
    /// The account filter choosing its units; `None` for every unit.
    pub filter: Option<TeamFilter>,
    /// The measure it balances; `None` for the planning default.
    pub measure: Option<String>,
    /// Its tolerance (0 < t < 1); `None` for the planning default.
    pub tolerance: Option<f64>,
    /// Its reps (home bases, capacities), in order.
    pub reps: Vec<Rep>,
}

impl Workbook {
    /// Every team, the default first, then in the order they were added.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn teams(&self) -> Result<Vec<Team>> {
        let rows = read_teams(&self.conn).map_err(self.sql())?;
        rows.into_iter()
            .map(|t| {
                let count = |table: &str| -> Result<usize> {
                    self.conn
                        .query_row(
                            &format!("SELECT count(*) FROM {table} WHERE team = ?1"),
                            params![t.id],
                            |r| r.get::<_, i64>(0),
                        )
                        .map(|n| n as usize)
                        .map_err(self.sql())
                };
                let measure = if t.id == DEFAULT_TEAM {
                    self.meta(super::migrations::BALANCE_MEASURE_KEY)?
                } else {
                    t.measure.clone()
                };
                Ok(Team {
                    default: t.id == DEFAULT_TEAM,
                    reps: count("tessera_reps")?,
                    scenarios: count("tessera_scenarios")?,
                    name: t.name,
                    filter: t.filter,
                    measure,
                    tolerance: t.tolerance,
                })
            })
            .collect()
    }

    /// The name of the team this workbook acts on.
    ///
    /// # Errors
    /// SQLite errors; [`WorkbookError::Corrupt`] when the selected team's row is gone.
    pub fn team_name(&self) -> Result<String> {
        Ok(self.team_row()?.name)
    }

    /// The tolerance of the selected team, when one was set (`tessera teams --add --tolerance`).
    ///
    /// # Errors
    /// As [`Workbook::team_name`].
    pub fn team_tolerance(&self) -> Result<Option<f64>> {
        Ok(self.team_row()?.tolerance)
    }

    /// From now on act on team `name`: its reps, units, measure, scenarios and locks.
    ///
    /// # Errors
    /// [`WorkbookError::NoTeam`] naming the teams there are.
    pub fn select_team(&mut self, name: &str) -> Result<()> {
        match team_by_name(&self.conn, name).map_err(self.sql())? {
            Some(t) => {
                self.team = t.id;
                Ok(())
            }
            None => Err(self.no_team(name)?),
        }
    }

    /// Adds a team in one transaction, with its reps. Its units are checked against its filter before anything
    /// is written, and its measure against those units' measures.
    ///
    /// # Errors
    /// [`WorkbookError::InvalidTeam`] for an empty or taken name, a filter whose column the accounts lack or that
    /// no account in a unit matches (or a workbook without accounts), a measure the team's units lack, a tolerance
    /// outside (0, 1), or two reps with one id; write errors as [`Workbook::save_scenario`].
    pub fn add_team(&mut self, team: &NewTeam) -> Result<()> {
        let invalid = |detail: String| WorkbookError::InvalidTeam {
            path: self.path.clone(),
            team: team.name.clone(),
            detail,
        };
        let name = team.name.trim();
        if name.is_empty() {
            return Err(invalid("a team needs a name".into()));
        }
        if team_by_name(&self.conn, name).map_err(self.sql())?.is_some() {
            return Err(invalid("the workbook has a team of this name".into()));
        }
        if let Some(t) = team.tolerance {
            if !(t > 0.0 && t < 1.0) {
                return Err(invalid(format!("tolerance {t} is not between 0 and 1 (e.g. 0.05 for ±5%)")));
            }
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(r) = team.reps.iter().find(|r| !seen.insert(r.id.as_str())) {
            return Err(invalid(format!("two reps have the id {:?}", r.id)));
        }
        // The team's units and measures, as they will be read: the filter must leave some.
        let probe = TeamRow {
            id: i64::MAX,
            name: name.to_string(),
            filter: team.filter.clone(),
            measure: None,
            tolerance: None,
        };
        let view = team_units(&self.conn, &self.path, &probe)?;
        if let Some(m) = &team.measure {
            let stored = self.measure_list()?;
            let mut names: Vec<String> = match &team.filter {
                Some(_) => Vec::new(),
                None => stored,
            };
            names.extend(view.iter().flat_map(|v| v.sums.iter().map(|(n, _)| n.clone())));
            names.dedup();
            if !names.contains(m) {
                return Err(invalid(format!(
                    "its units have no measure {m:?} (they have: {})",
                    names.join(", ")
                )));
            }
        }
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO tessera_teams (name, filter_column, filter_value, measure, tolerance, created)
             VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
            params![
                name,
                team.filter.as_ref().map(|f| f.column.as_str()),
                team.filter.as_ref().map(|f| f.value.as_str()),
                team.measure,
                team.tolerance
            ],
        )
        .map_err(sql)?;
        let id = tx.last_insert_rowid();
        write_reps(&tx, id, &team.reps).map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Renames team `from` to `to` (the default team too: it stays the default).
    ///
    /// # Errors
    /// [`WorkbookError::NoTeam`]; [`WorkbookError::InvalidTeam`] when `to` is empty or taken; write errors.
    pub fn rename_team(&mut self, from: &str, to: &str) -> Result<()> {
        let Some(team) = team_by_name(&self.conn, from).map_err(self.sql())? else {
            return Err(self.no_team(from)?);
        };
        let to = to.trim();
        let invalid = |detail: &str| WorkbookError::InvalidTeam {
            path: self.path.clone(),
            team: from.to_string(),
            detail: detail.to_string(),
        };
        if to.is_empty() {
            return Err(invalid("a team needs a name"));
        }
        if team_by_name(&self.conn, to).map_err(self.sql())?.is_some() {
            return Err(invalid(&format!("the workbook has a team named {to:?}")));
        }
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let tx = self.write_tx()?;
        tx.execute("UPDATE tessera_teams SET name = ?2 WHERE id = ?1", params![team.id, to])
            .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Deletes team `name` with its reps, scenarios (and their history) and locks, in one transaction. The
    /// default team cannot be deleted (it holds the imported alignment and the named accounts, and is what
    /// commands without `--team` use), so neither can the last team. Deleting the selected team selects the
    /// default one.
    ///
    /// # Errors
    /// [`WorkbookError::NoTeam`]; [`WorkbookError::InvalidTeam`] for the default team; write errors.
    pub fn delete_team(&mut self, name: &str) -> Result<()> {
        let Some(team) = team_by_name(&self.conn, name).map_err(self.sql())? else {
            return Err(self.no_team(name)?);
        };
        if team.id == DEFAULT_TEAM {
            let only = read_teams(&self.conn).map_err(self.sql())?.len() == 1;
            return Err(WorkbookError::InvalidTeam {
                path: self.path.clone(),
                team: name.to_string(),
                detail: if only {
                    "it is the workbook's only team".into()
                } else {
                    "it is the default team (commands without --team use it; it holds the imported alignment and \
                     the named accounts): delete the other teams instead, or rename it"
                        .into()
                },
            });
        }
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let tx = self.write_tx()?;
        let ids: Vec<i64> = {
            let mut stmt = tx
                .prepare("SELECT id FROM tessera_scenarios WHERE team = ?1")
                .map_err(sql)?;
            let rows = stmt.query_map(params![team.id], |r| r.get(0)).map_err(sql)?;
            rows.collect::<rusqlite::Result<_>>().map_err(sql)?
        };
        for id in ids {
            delete_by_id(&tx, id).map_err(sql)?;
        }
        for table in ["tessera_reps", "tessera_locks"] {
            tx.execute(&format!("DELETE FROM {table} WHERE team = ?1"), params![team.id])
                .map_err(sql)?;
        }
        tx.execute("DELETE FROM tessera_teams WHERE id = ?1", params![team.id])
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
        if self.team == team.id {
            self.team = DEFAULT_TEAM;
        }
        Ok(())
    }

    /// The selected team's row.
    pub(super) fn team_row(&self) -> Result<TeamRow> {
        team_by_id(&self.conn, self.team)
            .map_err(self.sql())?
            .ok_or_else(|| WorkbookError::corrupt(&self.path, format!("tessera_teams has no team {}", self.team)))
    }

    /// The selected team's units and measures when they are not the stored ones (see [`Workbook::dataset`]).
    pub(super) fn team_units(&self) -> Result<Option<TeamUnits>> {
        if self.team == DEFAULT_TEAM {
            return Ok(None);
        }
        team_units(&self.conn, &self.path, &self.team_row()?)
    }

    /// The selected team's units as `units.fid`s, `None` when it has every unit.
    pub(super) fn team_fids(&self) -> Result<Option<Vec<i64>>> {
        if self.team == DEFAULT_TEAM {
            return Ok(None);
        }
        let row = self.team_row()?;
        if row.filter.is_none() {
            return Ok(None);
        }
        Ok(team_units(&self.conn, &self.path, &row)?.and_then(|v| v.fids))
    }

    /// The stored units' measure names, from `tessera_dataset.measures`.
    fn measure_list(&self) -> Result<Vec<String>> {
        super::account_rows::measure_names(&self.conn, &self.path)
    }

    fn no_team(&self, name: &str) -> Result<WorkbookError> {
        Ok(WorkbookError::NoTeam {
            path: self.path.clone(),
            name: name.to_string(),
            teams: read_teams(&self.conn)
                .map_err(self.sql())?
                .into_iter()
                .map(|t| t.name)
                .collect(),
        })
    }
}
