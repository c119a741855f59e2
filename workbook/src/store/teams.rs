//! Overlay teams (schema 6): several teams plan over the same units in one workbook — a field team by geography,
//! a key-account team by segment — each with its own reps, units (all, or those whose accounts match a filter
//! such as `segment = A`), balanced measure, tolerance, scenarios and locks.
//!
//! A [`Workbook`] acts on one team at a time: the default team when opened (what the workbook held before
//! teams, and what every command without `--team` uses), another after [`Workbook::select_team`]. Every method
//! that reads or writes reps, scenarios, history or locks then touches that team's rows only, so planning or
//! editing one team leaves the others' rows as they were. The units, their polygons and the accounts are shared;
//! each team names its own accounts (schema 7).

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
    /// Number of locked units.
    pub locks: usize,
    /// Number of accounts it named.
    pub named: usize,
}

/// What a new team may choose from (the app's "Add team" form offers what `tessera teams --add` accepts).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TeamChoices {
    /// The accounts' columns a filter can name, in file order, each with its distinct values (sorted; text
    /// trimmed as the filter compares it; numbers as written by Rust, which the filter reads back as numbers).
    pub columns: Vec<FilterColumn>,
    /// The stored units' measures: what a team without a filter can balance.
    pub unit_measures: Vec<String>,
    /// The measures summed from accounts (with `accounts`, their number): what a filtered team can balance.
    pub account_measures: Vec<String>,
}

/// An accounts column as [`TeamChoices`] lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterColumn {
    /// The column's name.
    pub name: String,
    /// Whether it is numeric (compared as a number).
    pub numeric: bool,
    /// Its distinct values, sorted (numbers by value), at most [`FilterColumn::MAX_VALUES`].
    pub values: Vec<String>,
    /// Whether it has more distinct values than listed.
    pub more: bool,
}

impl FilterColumn {
    /// How many distinct values a column lists at most: a filter is a segment, not an account id.
    pub const MAX_VALUES: usize = 200;
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
                    locks: count("tessera_locks")?,
                    named: count("tessera_named_accounts")?,
                    name: t.name,
                    filter: t.filter,
                    measure,
                    tolerance: t.tolerance,
                })
            })
            .collect()
    }

    /// What a new team may choose: the accounts' columns and values for its filter, and the measures it may
    /// balance (see [`TeamChoices`]). Empty columns and account measures when the workbook has no accounts.
    ///
    /// # Errors
    /// As [`Workbook::accounts`].
    pub fn team_choices(&self) -> Result<TeamChoices> {
        let unit_measures = self.measure_list()?;
        let Some(accounts) = super::account_rows::read_accounts(&self.conn, &self.path, DEFAULT_TEAM)? else {
            return Ok(TeamChoices {
                unit_measures,
                ..TeamChoices::default()
            });
        };
        let columns = accounts
            .columns
            .iter()
            .map(|c| {
                let (numeric, mut values): (bool, Vec<String>) = match &c.values {
                    crate::import::AccountValues::Text(v) => (
                        false,
                        v.iter()
                            .map(|x| x.trim().to_string())
                            .filter(|x| !x.is_empty())
                            .collect(),
                    ),
                    crate::import::AccountValues::Measure(v) => {
                        let mut x: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
                        x.sort_by(f64::total_cmp);
                        x.dedup();
                        (true, x.iter().map(f64::to_string).collect())
                    }
                };
                if !numeric {
                    values.sort();
                }
                values.dedup();
                let more = values.len() > FilterColumn::MAX_VALUES;
                values.truncate(FilterColumn::MAX_VALUES);
                FilterColumn {
                    name: c.name.clone(),
                    numeric,
                    values,
                    more,
                }
            })
            .collect();
        Ok(TeamChoices {
            columns,
            unit_measures,
            account_measures: accounts.unit_measures(),
        })
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
            team: team.name.trim().to_string(),
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
                return Err(invalid(format!(
                    "tolerance {t} is not between 0 and 1 (e.g. 0.05 for ±5%)"
                )));
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

    /// Deletes team `name` with its reps, scenarios (and their history), locks and named accounts, in one
    /// transaction. The default team cannot be deleted (it holds the imported alignment and is what commands
    /// without `--team` use), so neither can the last team. Deleting the selected team selects the
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
                    "it is the default team (commands without --team use it; it holds the imported alignment): \
                     delete the other teams instead, or rename it"
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
        for table in ["tessera_reps", "tessera_locks", "tessera_named_accounts"] {
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

    /// Team `name`'s territory outlines for the map: its "current" scenario, else its most recently changed one,
    /// dissolved (see [`crate::export::territory_outlines_geojson`]). Returns the scenario's name and the GeoJSON,
    /// or `None` when the team has no scenario. The selected team stays selected.
    ///
    /// # Errors
    /// [`WorkbookError::NoTeam`]; as [`Workbook::dataset`] and [`Workbook::scenario`].
    pub fn team_outlines(&mut self, name: &str) -> Result<Option<(String, String)>> {
        let selected = self.team;
        self.select_team(name)?;
        let outlines = (|| -> Result<Option<(String, String)>> {
            let list = self.scenarios()?;
            let Some(pick) = list
                .iter()
                .find(|s| s.name == super::scenario_rows::CURRENT)
                .or_else(|| list.iter().max_by(|a, b| a.modified.cmp(&b.modified)))
            else {
                return Ok(None);
            };
            let plan = self.scenario(&pick.name)?.plan;
            let dataset = self.dataset()?;
            Ok(Some((
                pick.name.clone(),
                crate::export::territory_outlines_geojson(&dataset, &plan),
            )))
        })();
        self.team = selected;
        outlines
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use rusqlite::Connection;
    use tessera_optimizer::{Measure, Plan, Units};

    use super::*;
    use crate::accounts::attach_by_key;
    use crate::import::{parse_accounts, AttachBy};
    use crate::store::test_fixtures::line;
    use crate::store::{AccountsImport, Edit, Scenario, CURRENT};

    /// Six units u0..u5 on a line with `workload` 10 each, current plan W (u0..u2) / E (u3..u5), and two accounts
    /// per unit except u4: `a{i}` of segment A with hours i+1 in even units, `b{i}` of segment B with hours 1.
    fn workbook(dir: &Path) -> Workbook {
        let mut ds = line(
            &["u0", "u1", "u2", "u3", "u4", "u5"],
            Some((&[0, 0, 0, 1, 1, 1], &["W", "E"])),
        );
        ds.units = Units::new(
            ds.units.ids().to_vec(),
            ds.units.lon().to_vec(),
            ds.units.lat().to_vec(),
            vec![Measure {
                name: "workload".into(),
                values: vec![10.0; 6],
            }],
        )
        .expect("units");
        ds.reps = vec![tessera_optimizer::Rep {
            id: "R1".into(),
            name: "Ann".into(),
            lon: 0.0,
            lat: 0.0,
            capacity: 1.0,
        }];
        let mut wb = Workbook::create(dir.join("t.tessera"), &ds).expect("create");
        let mut csv = String::from("id,unit,hours,segment\n");
        for i in [0, 2, 4] {
            csv.push_str(&format!("a{i},u{i},{},A\n", i + 1));
        }
        for i in [0, 1, 2, 3, 5] {
            csv.push_str(&format!("b{i},u{i},1,B\n"));
        }
        import(&mut wb, &csv).expect("accounts");
        wb
    }

    /// Replaces `wb`'s accounts with `csv` (columns id, unit, hours, segment), attached by `unit`.
    fn import(wb: &mut Workbook, csv: &str) -> Result<crate::store::AccountsReport> {
        let (file, _) = parse_accounts(
            Path::new("accounts.csv"),
            csv.as_bytes(),
            &AttachBy::Column("unit".into()),
            None,
        )
        .expect("parses");
        let attachment = attach_by_key(
            &wb.dataset().expect("dataset").units,
            &file.keys.as_ref().expect("keys").1,
        );
        wb.replace_accounts(&AccountsImport {
            file: &file,
            attachment: &attachment,
            attached_by: "column \"unit\"".into(),
            source: "accounts.csv".into(),
            sum_as: vec![],
        })
    }

    fn team_a() -> NewTeam {
        NewTeam {
            name: "key A".into(),
            filter: Some(TeamFilter::parse("segment = A").expect("filter")),
            measure: Some("hours".into()),
            tolerance: Some(0.1),
            reps: vec![],
        }
    }

    /// Every row of team `team` (its team row, reps, scenarios, assignments, history, locks), as text.
    fn rows_of(path: &Path, team: i64) -> String {
        let c = Connection::open(path).expect("raw");
        let dump = |sql: &str| -> String {
            let mut stmt = c.prepare(sql).expect("query");
            let n = stmt.column_count();
            let rows = stmt
                .query_map([team], |r| {
                    (0..n)
                        .map(|k| r.get::<_, rusqlite::types::Value>(k).map(|v| format!("{v:?}")))
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .expect("rows");
            rows.map(|r| r.expect("row").join("|")).collect::<Vec<_>>().join("\n")
        };
        [
            "SELECT * FROM tessera_teams WHERE id = ?1",
            "SELECT * FROM tessera_reps WHERE team = ?1 ORDER BY seq",
            "SELECT * FROM tessera_scenarios WHERE team = ?1 ORDER BY id",
            "SELECT a.* FROM tessera_assignments a JOIN tessera_scenarios s ON s.id = a.scenario
             WHERE s.team = ?1 ORDER BY a.scenario, a.unit",
            "SELECT h.* FROM tessera_history h JOIN tessera_scenarios s ON s.id = h.scenario
             WHERE s.team = ?1 ORDER BY h.scenario, h.seq",
            "SELECT * FROM tessera_locks WHERE team = ?1 ORDER BY unit",
            "SELECT * FROM tessera_named_accounts WHERE team = ?1 ORDER BY account",
        ]
        .map(dump)
        .join("\n--\n")
    }

    #[test]
    fn a_filtered_team_has_the_units_and_sums_of_its_matching_accounts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = workbook(dir.path());
        wb.add_team(&team_a()).expect("add");
        wb.select_team("key A").expect("select");
        let ds = wb.dataset().expect("dataset");
        assert_eq!(ds.units.ids(), ["u0", "u2", "u4"], "the units with a segment-A account");
        assert_eq!(ds.units.measure("hours").expect("hours"), [1.0, 3.0, 5.0]);
        assert_eq!(ds.units.measure("accounts").expect("count"), [1.0, 1.0, 1.0]);
        assert!(
            ds.units.measure("workload").is_none(),
            "the units' own measure is not the team's"
        );
        assert!(ds.reps.is_empty() && ds.current.is_none());
        assert_eq!(wb.balance_measure().expect("measure").as_deref(), Some("hours"));
        assert_eq!(wb.team_tolerance().expect("tolerance"), Some(0.1));
        assert_eq!(wb.unit_ids().expect("ids"), ["u0", "u2", "u4"]);
        let accounts = wb.accounts().expect("read").expect("some");
        assert_eq!(accounts.ids, ["a0", "a2", "a4"]);
        assert_eq!(
            accounts.unit_of,
            [Some(0), Some(1), Some(2)],
            "indices among the team's units"
        );
        // A plan of the team covers its three units; one of the workbook's six is refused.
        let plan = Plan::new(vec![0, 0, 1], vec!["X".into(), "Y".into()]);
        wb.save_scenario(&Scenario::new("p", plan.clone())).expect("save");
        assert_eq!(wb.scenario("p").expect("read").plan, plan);
        let six = Scenario::new("q", Plan::new(vec![0; 6], vec!["X".into()]));
        assert!(matches!(wb.save_scenario(&six), Err(WorkbookError::PlanSize { .. })));
        wb.lock_units(&[(2, "Y".into())]).expect("lock u4");
        assert_eq!(wb.locks().expect("locks"), [(2, "Y".to_string())]);
        // The default team still sees every unit and its stored measures.
        wb.select_team("default").expect("select default");
        let all = wb.dataset().expect("dataset");
        assert_eq!(all.units.len(), 6);
        assert_eq!(
            all.units.measure("hours").expect("hours"),
            [2.0, 1.0, 4.0, 1.0, 5.0, 1.0]
        );
        assert!(wb.locks().expect("locks").is_empty(), "locks are per team");
        assert!(matches!(wb.scenario("p"), Err(WorkbookError::NoScenario { .. })));
    }

    #[test]
    fn editing_one_team_leaves_the_other_teams_rows_as_they_were() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = workbook(dir.path());
        let path = wb.path().to_path_buf();
        wb.add_team(&team_a()).expect("add");
        wb.save_scenario(&Scenario::new(
            "plan",
            Plan::new(vec![0, 0, 1, 1, 2, 2], vec!["a".into(), "b".into(), "c".into()]),
        ))
        .expect("default's plan");
        wb.record_edit(CURRENT, &Edit::single("u2", "W", "E"))
            .expect("default's edit");
        wb.lock_units(&[(0, "W".into())]).expect("default's lock");
        let default_before = rows_of(&path, DEFAULT_TEAM);
        wb.select_team("key A").expect("select");
        let a_id: i64 = wb.team;
        // Every kind of change to team A: plans (one named like the default's), edits, undo, locks, scenario
        // management, its measure.
        wb.save_scenario(&Scenario::new(
            "plan",
            Plan::new(vec![0, 1, 1], vec!["x".into(), "y".into()]),
        ))
        .expect("A's plan of the same name");
        wb.save_scenario(&Scenario::new(
            CURRENT,
            Plan::new(vec![0, 0, 1], vec!["x".into(), "y".into()]),
        ))
        .expect("A's current");
        wb.record_edit("plan", &Edit::single("u2", "y", "x")).expect("A's edit");
        wb.record_edit(CURRENT, &Edit::single("u4", "y", "x"))
            .expect("A's edit of its current");
        wb.undo("plan").expect("undo");
        wb.lock_units(&[(1, "y".into())]).expect("A's lock");
        wb.duplicate_scenario("plan", "plan 2").expect("duplicate");
        wb.rename_scenario("plan 2", "plan 3").expect("rename");
        wb.set_scenario_note("plan 3", "segment A").expect("note");
        wb.set_metrics("plan 3", &serde_json::json!({"max_dev": 0.1}))
            .expect("metrics");
        wb.delete_scenario("plan").expect("delete");
        wb.set_balance_measure(Some("accounts")).expect("measure");
        assert_eq!(
            rows_of(&path, DEFAULT_TEAM),
            default_before,
            "the default team's rows did not change"
        );
        let a_before = rows_of(&path, a_id);
        // And the other way round.
        wb.select_team("default").expect("select default");
        wb.record_edit("plan", &Edit::single("u0", "a", "b"))
            .expect("default's edit");
        wb.delete_scenario("plan").expect("default's delete");
        wb.unlock_units(&[0]).expect("default's unlock");
        wb.set_balance_measure(Some("hours")).expect("default's measure");
        assert_eq!(rows_of(&path, a_id), a_before, "team A's rows did not change");
        // The units layer mirrors the default team's "current" only.
        drop(wb);
        let c = Connection::open(&path).expect("raw");
        let u4: String = c
            .query_row("SELECT territory FROM units WHERE id = 'u4'", [], |r| r.get(0))
            .expect("u4");
        assert_eq!(u4, "E", "team A's edit of its own current left the units layer alone");
    }

    /// The units layer (every column but the geometry), as text: the default team's stored measures.
    fn units_layer(path: &Path) -> String {
        let c = Connection::open(path).expect("raw");
        let columns: Vec<String> = {
            let mut stmt = c
                .prepare("SELECT name FROM pragma_table_info('units') WHERE name != 'geom' ORDER BY cid")
                .expect("columns");
            let rows = stmt.query_map([], |r| r.get(0)).expect("rows");
            rows.map(|r| r.expect("name")).collect()
        };
        let mut stmt = c
            .prepare(&format!("SELECT {} FROM units ORDER BY fid", columns.join(", ")))
            .expect("query");
        let rows = stmt
            .query_map([], |r| {
                (0..columns.len())
                    .map(|k| r.get::<_, rusqlite::types::Value>(k).map(|v| format!("{v:?}")))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .expect("rows");
        rows.map(|r| r.expect("row").join("|")).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn naming_an_account_in_one_team_leaves_the_default_teams_figures_and_rows_as_they_were() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = workbook(dir.path());
        let path = wb.path().to_path_buf();
        // The default team names b1 (hours 1, in u1) to W and has a plan; team A plans its three units.
        wb.set_named_accounts(&[("b1".into(), "W".into())])
            .expect("default names");
        wb.save_scenario(&Scenario::new(
            "plan",
            Plan::new(vec![0, 0, 1, 1, 2, 2], vec!["a".into(), "b".into(), "c".into()]),
        ))
        .expect("default's plan");
        wb.add_team(&team_a()).expect("add");
        let figures = |wb: &Workbook| -> Vec<String> {
            wb.scenarios()
                .expect("list")
                .iter()
                .map(|s| {
                    let sc = wb.scenario(&s.name).expect("scenario");
                    format!("{}: {}", s.name, wb.figures(&sc).expect("figures"))
                })
                .collect()
        };
        let default_rows = rows_of(&path, DEFAULT_TEAM);
        let default_units = units_layer(&path);
        let default_figures = figures(&wb);
        let default_named = wb.named_loads().expect("named");
        assert_eq!(default_named.load("W", "hours"), 1.0);

        wb.select_team("key A").expect("select");
        wb.save_scenario(&Scenario::new(
            CURRENT,
            Plan::new(vec![0, 0, 1], vec!["x".into(), "y".into()]),
        ))
        .expect("A's current");
        // Team A names a4 (hours 5, in u4, its third unit) to x, and b5 (segment B, hours 1) too: a named
        // account is the team's whatever its segment.
        assert_eq!(
            wb.set_named_accounts(&[("a4".into(), "x".into()), ("b5".into(), "x".into())])
                .expect("A names"),
            2
        );
        let ds = wb.dataset().expect("A's dataset");
        assert_eq!(
            ds.units.measure("hours").expect("hours"),
            [1.0, 3.0, 0.0],
            "a4 left u4's sum"
        );
        assert_eq!(
            ds.units.ids(),
            ["u0", "u2", "u4"],
            "naming does not change the team's units"
        );
        let named = wb.named_loads().expect("A's named");
        assert_eq!((named.accounts(), named.load("x", "hours")), (2, 6.0));
        assert!(named.load("W", "hours") == 0.0, "the default team's naming is not A's");
        let a = wb.accounts().expect("read").expect("some");
        assert_eq!(a.ids, ["a0", "a2", "a4", "b5"]);
        assert_eq!(a.named[3].as_deref(), Some("x"));
        assert_eq!(a.unit_of[3], None, "u5 is not one of A's units");
        // Figures of A's current: x = u0 + u2 + its named 6 hours = 1 + 3 + 6; y = u4 without a4 = 0.
        let current = wb.scenario(CURRENT).expect("A's current");
        let f = wb.figures(&current).expect("figures");
        assert_eq!(f["named"]["territories"]["x"]["load"], 6.0, "{f}");
        assert_eq!(f["named"]["territories"]["x"]["accounts"], 2, "{f}");

        wb.select_team("default").expect("back");
        assert_eq!(rows_of(&path, DEFAULT_TEAM), default_rows, "the default team's rows");
        assert_eq!(units_layer(&path), default_units, "the stored units' measures");
        assert_eq!(figures(&wb), default_figures, "the default team's figures");
        assert_eq!(wb.named_loads().expect("named"), default_named);
        assert_eq!(
            wb.accounts().expect("read").expect("some").named[2],
            None,
            "a4 is not named for the default team"
        );
        // Importing the accounts again keeps each team's naming for the accounts still there; one that left the
        // file loses its naming, in whichever team, and the report counts it.
        let mut csv = String::from("id,unit,hours,segment\n");
        for i in [0, 2, 4] {
            csv.push_str(&format!("a{i},u{i},{},A\n", i + 1));
        }
        for i in [0, 1, 2, 3] {
            csv.push_str(&format!("b{i},u{i},1,B\n"));
        }
        let report = import(&mut wb, &csv).expect("again, without b5");
        assert_eq!((report.named, report.named_dropped), (1, 1), "b1 kept; A's b5 dropped");
        wb.select_team("key A").expect("select");
        let named = wb.named_loads().expect("A's named");
        assert_eq!((named.accounts(), named.load("x", "hours")), (1, 5.0));
        wb.select_team("default").expect("back");
        // Deleting team A takes its naming with it.
        wb.delete_team("key A").expect("delete");
        let c = Connection::open(&path).expect("raw");
        let left: i64 = c
            .query_row("SELECT count(*) FROM tessera_named_accounts WHERE team != 1", [], |r| {
                r.get(0)
            })
            .expect("count");
        assert_eq!(left, 0);
    }

    #[test]
    fn a_new_team_chooses_from_the_accounts_columns_and_values_and_the_measures() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = workbook(dir.path());
        let choices = wb.team_choices().expect("choices");
        let columns: Vec<(&str, bool, Vec<&str>)> = choices
            .columns
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.numeric,
                    c.values.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            columns,
            [("hours", true, vec!["1", "3", "5"]), ("segment", false, vec!["A", "B"])]
        );
        assert!(choices.unit_measures.contains(&"workload".to_string()));
        assert_eq!(choices.account_measures, ["hours", "accounts"]);
        // A value offered makes a team, a numeric one too: "hours = 3" is account a2, in u2.
        let c = &choices.columns[0];
        wb.add_team(&NewTeam {
            name: "three".into(),
            filter: Some(TeamFilter {
                column: c.name.clone(),
                value: c.values[1].clone(),
            }),
            ..NewTeam::default()
        })
        .expect("a numeric filter from the choices");
        wb.select_team("three").expect("select");
        assert_eq!(wb.unit_ids().expect("ids"), ["u2"]);
        let t = &wb.teams().expect("teams")[1];
        assert_eq!((t.reps, t.scenarios, t.locks, t.named), (0, 0, 0, 0));
    }

    #[test]
    fn bad_teams_are_refused_and_the_default_team_stays() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = workbook(dir.path());
        let refused = |wb: &mut Workbook, team: NewTeam| -> String {
            let e = wb.add_team(&team).expect_err("refused");
            assert!(matches!(e, WorkbookError::InvalidTeam { .. }), "{e}");
            e.to_string()
        };
        let with = |filter: &str| NewTeam {
            filter: Some(TeamFilter::parse(filter).expect("parses")),
            ..team_a()
        };
        assert!(refused(&mut wb, with("sector = A")).contains("no column \"sector\" (their columns: hours, segment)"));
        assert!(refused(&mut wb, with("segment = Z")).contains("no account in a unit has segment = Z"));
        assert!(refused(
            &mut wb,
            NewTeam {
                name: "default".into(),
                ..team_a()
            }
        )
        .contains("has a team of this name"));
        assert!(refused(
            &mut wb,
            NewTeam {
                measure: Some("workload".into()),
                ..team_a()
            }
        )
        .contains("no measure"));
        assert!(TeamFilter::parse("segment").is_err() && TeamFilter::parse(" = A").is_err());
        assert_eq!(
            TeamFilter::parse("segment = 'A'").expect("quoted"),
            TeamFilter {
                column: "segment".into(),
                value: "A".into()
            }
        );
        assert_eq!(wb.teams().expect("list").len(), 1, "nothing was added");
        let e = wb.delete_team("default").expect_err("the last team");
        assert!(e.to_string().contains("only team"), "{e}");
        let e = wb.select_team("nope").expect_err("unknown");
        assert!(
            matches!(&e, WorkbookError::NoTeam { teams, .. } if teams == &["default".to_string()]),
            "{e}"
        );
        wb.add_team(&team_a()).expect("add");
        assert!(wb
            .delete_team("default")
            .expect_err("default")
            .to_string()
            .contains("default team"));
        wb.rename_team("default", "field").expect("rename");
        wb.select_team("key A").expect("select");
        wb.save_scenario(&Scenario::new("p", Plan::new(vec![0, 0, 0], vec!["x".into()])))
            .expect("save");
        wb.delete_team("key A").expect("delete");
        assert_eq!(wb.team_name().expect("name"), "field", "back on the default team");
        let teams = wb.teams().expect("list");
        assert_eq!(
            (teams.len(), teams[0].name.as_str(), teams[0].default),
            (1, "field", true)
        );
        let c = Connection::open(wb.path()).expect("raw");
        let left: i64 = c
            .query_row("SELECT count(*) FROM tessera_scenarios WHERE team != 1", [], |r| {
                r.get(0)
            })
            .expect("count");
        assert_eq!(left, 0, "the team's scenarios went with it");
    }

    #[test]
    fn accounts_that_would_move_a_planned_filtered_teams_units_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = workbook(dir.path());
        wb.add_team(&team_a()).expect("add");
        // Segment A moves from u0, u2, u4 to u1, u3, u5: fine while team A has no scenario.
        let moved = "id,unit,hours,segment\na1,u1,1,A\na3,u3,1,A\na5,u5,1,A\nb0,u0,1,B\n";
        import(&mut wb, moved).expect("no scenario of team A to keep");
        wb.select_team("key A").expect("select");
        assert_eq!(wb.unit_ids().expect("ids"), ["u1", "u3", "u5"]);
        wb.save_scenario(&Scenario::new(
            "p",
            Plan::new(vec![0, 0, 1], vec!["x".into(), "y".into()]),
        ))
        .expect("save");
        // Accounts are attached to all the units: not while another team is selected.
        let e = import(&mut wb, moved).expect_err("team A selected");
        assert!(
            e.to_string().contains("import them with the default team selected"),
            "{e}"
        );
        wb.select_team("default").expect("default");
        // Now the same units are required: other accounts on them are fine, moving them is refused.
        let same_units = "id,unit,hours,segment\na1,u1,2,A\na3,u3,2,A\na5,u5,2,A\nb2,u2,1,B\n";
        import(&mut wb, same_units).expect("team A keeps its units");
        let back = "id,unit,hours,segment\na0,u0,1,A\na3,u3,1,A\na5,u5,1,A\n";
        let e = import(&mut wb, back).expect_err("team A's units would change");
        assert!(matches!(e, WorkbookError::InvalidAccounts { .. }), "{e}");
        assert!(
            e.to_string()
                .contains("team \"key A\" (accounts with segment = A) has scenarios over its 3 units"),
            "{e}"
        );
        wb.select_team("key A").expect("select");
        assert_eq!(wb.unit_ids().expect("ids"), ["u1", "u3", "u5"], "nothing was changed");
        assert_eq!(
            wb.dataset().expect("dataset").units.measure("hours").expect("hours"),
            [2.0, 2.0, 2.0]
        );
        assert_eq!(wb.scenario("p").expect("still readable").plan.territory_of(), [0, 0, 1]);
    }

    /// A schema-5 workbook as Tessera 5 wrote it (no teams; scenario names unique, locks keyed by unit), with a
    /// plan, an edit, a lock and a chosen measure: opening it makes it one default team holding all of it.
    #[test]
    fn a_schema_5_workbook_becomes_one_default_team_holding_what_it_had() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = workbook(dir.path());
        let path = wb.path().to_path_buf();
        let plan = Plan::new(vec![0, 0, 1, 1, 2, 2], vec!["a".into(), "b".into(), "c".into()]);
        wb.save_scenario(&Scenario::new("plan", plan.clone())).expect("plan");
        wb.set_scenario_note("plan", "for March").expect("note");
        wb.record_edit(CURRENT, &Edit::single("u2", "W", "E")).expect("edit");
        wb.lock_units(&[(5, "E".into())]).expect("lock");
        wb.set_balance_measure(Some("hours")).expect("measure");
        let current = wb.scenario(CURRENT).expect("current");
        drop(wb);
        let c = Connection::open(&path).expect("raw");
        // Foreign keys off, or dropping the scenarios table would take the assignments with it (what the migration
        // must avoid too).
        c.execute_batch(
            "
            PRAGMA foreign_keys = OFF;
            CREATE TABLE s5 (id INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL UNIQUE, created TEXT NOT NULL,
                modified TEXT NOT NULL, territories TEXT NOT NULL, params TEXT NOT NULL, metrics TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT '');
            INSERT INTO s5 SELECT id, name, created, modified, territories, params, metrics, note FROM tessera_scenarios;
            DROP TABLE tessera_scenarios;
            ALTER TABLE s5 RENAME TO tessera_scenarios;
            CREATE TABLE l5 (unit INTEGER NOT NULL PRIMARY KEY, territory TEXT NOT NULL);
            INSERT INTO l5 SELECT unit, territory FROM tessera_locks;
            DROP TABLE tessera_locks;
            ALTER TABLE l5 RENAME TO tessera_locks;
            ALTER TABLE tessera_reps DROP COLUMN team;
            DROP TABLE tessera_teams;
            UPDATE tessera_meta SET value = '5' WHERE key = 'schema_version';
            ",
        )
        .expect("back to schema 5");
        let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).expect("count") };
        assert_eq!(count("SELECT count(*) FROM tessera_assignments"), 12);
        assert_eq!(count("SELECT count(*) FROM tessera_history"), 1);
        drop(c);

        let mut wb = Workbook::open(&path).expect("migrates");
        assert_eq!(wb.meta("schema_version").expect("meta").as_deref(), Some("7"));
        let teams = wb.teams().expect("teams");
        assert_eq!(teams.len(), 1);
        let t = &teams[0];
        assert_eq!(
            (t.name.as_str(), t.default, t.filter.is_none()),
            ("default", true, true)
        );
        assert_eq!((t.reps, t.scenarios, t.measure.as_deref()), (1, 2, Some("hours")));
        assert_eq!(
            wb.scenario("plan").expect("plan").plan,
            plan,
            "assignments kept (no cascade)"
        );
        assert_eq!(wb.scenario(CURRENT).expect("current").plan, current.plan);
        assert_eq!(wb.scenario_note("plan").expect("note"), "for March");
        assert_eq!(wb.history_steps(CURRENT).expect("history"), (1, 0));
        assert_eq!(wb.locks().expect("locks"), [(5, "E".to_string())]);
        assert_eq!(wb.dataset().expect("dataset").reps[0].name, "Ann");
        assert_eq!(wb.balance_measure().expect("measure").as_deref(), Some("hours"));
        wb.undo(CURRENT).expect("undo after migration");
        // Names are unique per team now: a new team can have its own "plan".
        wb.add_team(&team_a()).expect("add");
        wb.select_team("key A").expect("select");
        wb.save_scenario(&Scenario::new("plan", Plan::new(vec![0, 0, 0], vec!["x".into()])))
            .expect("same name, other team");
        let c = Connection::open(&path).expect("raw");
        let fk: i64 = c
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
            .expect("check");
        assert_eq!(fk, 0, "every assignment and edit points at its scenario");
    }
}
