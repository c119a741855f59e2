//! The accounts inside the units and the named accounts (schema 5: `tessera_accounts`,
//! `tessera_account_columns`, `tessera_named_accounts`), and the units' measures summed from them.
//!
//! Every change (a new accounts file, new named accounts) runs in one transaction that also recomputes the
//! units' measures summed from accounts and drops the scenarios' stored figures (they were computed from the old
//! measures; they are computed again when read, as after an edit). A refused change leaves the workbook as it
//! was. The row-level reads and writes (and the sums) are in `account_rows.rs`.

use std::collections::{HashMap, HashSet};

use rusqlite::params;
use serde_json::Value;

use super::account_rows::{
    derived_measures, measure_names, read_accounts, read_all_named, refresh_unit_measures, set_meta, write_named,
    Refreshed, META_ATTACHED_BY, META_KEY_COLUMN, META_SOURCE,
};
use super::error::{Result, WorkbookError};
use super::file::Workbook;
use super::team_rows::{read_teams, team_units, TeamRow, DEFAULT_TEAM};
use crate::accounts::{resolve_territory, Accounts, Attachment, NamedLoads};
use crate::import::{AccountColumn, AccountValues, AccountsFile};

/// An accounts file attached to the units, ready to store with [`Workbook::replace_accounts`].
#[derive(Debug, Clone)]
pub struct AccountsImport<'a> {
    /// The file's accounts.
    pub file: &'a AccountsFile,
    /// Their units.
    pub attachment: &'a Attachment,
    /// How they were attached, in words (`column "county"`, `point in polygon`).
    pub attached_by: String,
    /// The file, as the planner named it.
    pub source: String,
    /// Measure columns summed into a units' measure of another name: (column, units' measure).
    pub sum_as: Vec<(String, String)>,
}

/// What [`Workbook::replace_accounts`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountsReport {
    /// Accounts stored.
    pub accounts: usize,
    /// Accounts that matched no unit (indices in file order); stored, in no unit.
    pub unmatched: Vec<usize>,
    /// Units with at least one account.
    pub units_with_accounts: usize,
    /// Named accounts after the change.
    pub named: usize,
    /// Previously named accounts whose account is no longer in the file (their naming was removed).
    pub named_dropped: usize,
    /// The units' measures now summed from accounts.
    pub unit_measures: Vec<String>,
    /// Units' measures the import replaced that did not come from accounts before (e.g. a units file's own
    /// `workload`).
    pub replaced: Vec<String>,
    /// Units' measures summed from the previous accounts file that this one lacks: removed from the units (their
    /// sums would be stale).
    pub removed: Vec<String>,
    /// Scenarios whose stored figures were dropped (computed again when read).
    pub refigured: usize,
}

/// The units' measure each column of `file` is summed into: its own name, or the name `sum_as` gives it;
/// `None` for a text column.
///
/// # Errors
/// A message when `sum_as` names a column the file lacks or one that is not a measure, or when two columns would
/// be summed into one measure.
pub fn unit_measure_of(
    file: &AccountsFile,
    sum_as: &[(String, String)],
) -> std::result::Result<Vec<Option<String>>, String> {
    for (column, _) in sum_as {
        match file.columns.iter().find(|c| c.name.eq_ignore_ascii_case(column.trim())) {
            None => {
                return Err(format!(
                    "the accounts file has no column {column:?} (its columns: {})",
                    file.columns
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
            Some(AccountColumn {
                values: AccountValues::Text(_),
                name,
            }) => {
                return Err(format!(
                    "accounts column {name:?} is not a measure (not every cell is a number, or it holds codes), so it \
                     cannot be summed"
                ))
            }
            Some(_) => {}
        }
    }
    let out: Vec<Option<String>> = file
        .columns
        .iter()
        .map(|c| match c.values {
            AccountValues::Text(_) => None,
            AccountValues::Measure(_) => Some(
                sum_as
                    .iter()
                    .find(|(col, _)| col.trim().eq_ignore_ascii_case(&c.name))
                    .map_or_else(|| c.name.clone(), |(_, m)| m.trim().to_string()),
            ),
        })
        .collect();
    let mut seen = HashSet::new();
    if let Some(m) = out.iter().flatten().find(|m| !seen.insert(m.to_lowercase())) {
        return Err(format!(
            "two accounts columns would both be summed into the units' measure {m:?}"
        ));
    }
    Ok(out)
}

impl Workbook {
    /// Replaces the workbook's accounts with `import`, in one transaction: the accounts and their columns,
    /// their units, the named accounts (from the file's named column when it has one; otherwise earlier named
    /// accounts are kept for the accounts still there), then the units' measures summed from the accounts.
    ///
    /// # Errors
    /// [`WorkbookError::InvalidAccounts`] when `sum_as` does not fit the file, or an attachment does not cover
    /// every account; write errors as [`Workbook::save_scenario`]. Nothing is changed then.
    pub fn replace_accounts(&mut self, import: &AccountsImport<'_>) -> Result<AccountsReport> {
        let file = import.file;
        let invalid = |detail: String| WorkbookError::InvalidAccounts {
            path: self.path.clone(),
            detail,
        };
        // An attachment names units by their index among all units: what the default team sees. Built from
        // another team's units, its indices would name the wrong units.
        if self.team != DEFAULT_TEAM {
            return Err(invalid(format!(
                "accounts are shared by every team and attached to all the units; import them with the default team \
                 selected, not team {:?}",
                self.team_name()?
            )));
        }
        let unit_measure = unit_measure_of(file, &import.sum_as).map_err(invalid)?;
        let n_units = self.all_unit_count()?;
        // A filtered team's scenarios cover its units: accounts that change which units those are would leave
        // them covering the wrong units, so such a change is refused (checked below, before the commit).
        let filtered_before = filtered_teams_with_scenarios(&self.conn, &self.path)?;
        if import.attachment.unit_of.len() != file.len()
            || import.attachment.unit_of.iter().flatten().any(|&u| u >= n_units)
        {
            return Err(invalid(format!(
                "the attachment has {} entries for {} accounts, or names a unit outside the {n_units} units",
                import.attachment.unit_of.len(),
                file.len()
            )));
        }
        let reps = self.rep_ids_and_names()?;
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let tx = self.write_tx()?;
        let all_before = read_all_named(&tx).map_err(sql)?;
        let before: HashMap<String, String> = all_before
            .iter()
            .filter(|(team, _, _)| *team == DEFAULT_TEAM)
            .map(|(_, a, t)| (a.clone(), t.clone()))
            .collect();
        let previous_measures = derived_measures(&tx).map_err(sql)?;
        tx.execute_batch(
            "DELETE FROM tessera_accounts; DELETE FROM tessera_account_columns; DELETE FROM tessera_named_accounts;",
        )
        .map_err(sql)?;
        {
            let mut col = tx
                .prepare(
                    "INSERT INTO tessera_account_columns (seq, name, measure, unit_measure) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(sql)?;
            for (k, c) in file.columns.iter().enumerate() {
                let measure = matches!(c.values, AccountValues::Measure(_));
                col.execute(params![k as i64, c.name, measure as i64, unit_measure[k]])
                    .map_err(sql)?;
            }
            let mut row = tx
                .prepare(
                    "INSERT INTO tessera_accounts (seq, id, unit, key, lon, lat, line, vals)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(sql)?;
            for a in 0..file.len() {
                let vals: Vec<Value> = file
                    .columns
                    .iter()
                    .map(|c| match &c.values {
                        AccountValues::Measure(v) => Value::from(v[a]),
                        AccountValues::Text(v) => Value::from(v[a].as_str()),
                    })
                    .collect();
                let point = file.points.as_ref().map(|p| p[a]);
                row.execute(params![
                    a as i64,
                    file.ids[a],
                    import.attachment.unit_of[a].map(|u| u as i64 + 1),
                    file.keys.as_ref().map(|(_, k)| k[a].as_str()),
                    point.map(|p| p.0),
                    point.map(|p| p.1),
                    file.lines[a] as i64,
                    Value::Array(vals).to_string(),
                ])
                .map_err(sql)?;
            }
        }
        // Named accounts: the file's column when it has one, else the earlier ones whose account is still here.
        let ids: HashSet<&str> = file.ids.iter().map(String::as_str).collect();
        let named: Vec<(String, String)> = match &file.named {
            Some((_, column)) => file
                .ids
                .iter()
                .zip(column)
                .filter_map(|(id, t)| t.as_ref().map(|t| (id.clone(), resolve_territory(t, &reps))))
                .collect(),
            None => before
                .iter()
                .filter(|(a, _)| ids.contains(a.as_str()))
                .map(|(a, t)| (a.clone(), t.clone()))
                .collect(),
        };
        // Other teams keep their named accounts still in the file (the file's named column is the default
        // team's: accounts are imported with it selected).
        let others: Vec<(i64, String, String)> = all_before
            .iter()
            .filter(|(team, a, _)| *team != DEFAULT_TEAM && ids.contains(a.as_str()))
            .cloned()
            .collect();
        let others_dropped = all_before.iter().filter(|(team, _, _)| *team != DEFAULT_TEAM).count() - others.len();
        let named_dropped = others_dropped
            + match &file.named {
                Some(_) => 0,
                None => before.len() - named.len(),
            };
        write_named(&tx, DEFAULT_TEAM, &named).map_err(sql)?;
        for (team, a, t) in others {
            write_named(&tx, team, &[(a, t)]).map_err(sql)?;
        }
        for (key, value) in [
            (META_SOURCE, Some(import.source.as_str())),
            (META_ATTACHED_BY, Some(import.attached_by.as_str())),
            (META_KEY_COLUMN, file.keys.as_ref().map(|(h, _)| h.as_str())),
        ] {
            set_meta(&tx, key, value).map_err(sql)?;
        }
        let existing = measure_names(&tx, &path)?;
        let Refreshed {
            measures: unit_measures,
            refigured,
            removed,
        } = refresh_unit_measures(&tx, &path)?;
        let replaced = unit_measures
            .iter()
            .filter(|m| existing.contains(m) && !previous_measures.contains(m))
            .cloned()
            .collect();
        for (team, fids) in filtered_before {
            let after = team_units(&tx, &path, &team).ok().flatten().and_then(|v| v.fids);
            if after.as_ref() != Some(&fids) {
                return Err(WorkbookError::InvalidAccounts {
                    path: path.clone(),
                    detail: format!(
                        "team {:?} (accounts with {}) has scenarios over its {} units, and these accounts would \
                         change which units it has; delete its scenarios or the team first",
                        team.name,
                        team.filter.as_ref().map(|f| f.to_string()).unwrap_or_default(),
                        fids.len()
                    ),
                });
            }
        }
        tx.commit().map_err(sql)?;
        let mut units: Vec<usize> = import.attachment.unit_of.iter().flatten().copied().collect();
        units.sort_unstable();
        units.dedup();
        Ok(AccountsReport {
            accounts: file.len(),
            unmatched: import.attachment.unmatched(),
            units_with_accounts: units.len(),
            named: named.len(),
            named_dropped,
            unit_measures,
            replaced,
            removed,
            refigured,
        })
    }

    /// Replaces the selected team's named accounts with `named` (account id, territory or rep as written: a rep's
    /// name becomes its id), in one transaction. Returns how many accounts the team names now.
    ///
    /// Each team names its own accounts (schema 7): a key-account team's naming leaves every other team's rows
    /// as they were. For the default team the stored units' measures are summed again without its named
    /// accounts (they are its measures); for another team its measures are summed when read, and only its own
    /// scenarios' stored figures are dropped (they are computed again when read).
    ///
    /// # Errors
    /// [`WorkbookError::InvalidAccounts`] when the workbook has no accounts or an id is not among them; write
    /// errors as [`Workbook::save_scenario`].
    pub fn set_named_accounts(&mut self, named: &[(String, String)]) -> Result<usize> {
        let ids: HashSet<String> = self.account_ids()?.into_iter().collect();
        if ids.is_empty() {
            return Err(WorkbookError::InvalidAccounts {
                path: self.path.clone(),
                detail: "the workbook has no accounts yet: import them first (tessera accounts --import)".into(),
            });
        }
        if let Some((a, _)) = named.iter().find(|(a, _)| !ids.contains(a)) {
            return Err(WorkbookError::InvalidAccounts {
                path: self.path.clone(),
                detail: format!("account {a:?} is not among the workbook's accounts"),
            });
        }
        let reps = self.rep_ids_and_names()?;
        let resolved: Vec<(String, String)> = named
            .iter()
            .map(|(a, t)| (a.clone(), resolve_territory(t, &reps)))
            .collect();
        let path = self.path.clone();
        let sql = |e| WorkbookError::from_sqlite(&path, e);
        let team = self.team;
        let tx = self.write_tx()?;
        tx.execute("DELETE FROM tessera_named_accounts WHERE team = ?1", params![team])
            .map_err(sql)?;
        write_named(&tx, team, &resolved).map_err(sql)?;
        if team == DEFAULT_TEAM {
            refresh_unit_measures(&tx, &path)?;
        } else {
            tx.execute(
                "UPDATE tessera_scenarios SET metrics = 'null' WHERE team = ?1 AND metrics != 'null'",
                params![team],
            )
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        Ok(resolved.len())
    }

    /// The selected team's accounts, `None` when it has none: for the default team every account of the
    /// workbook; for another team its accounts (those matching its filter, and those it named), their units as
    /// indices among the team's units (none for a named account outside them). `named` is the selected team's
    /// naming.
    ///
    /// # Errors
    /// [`WorkbookError::Corrupt`] when a stored row breaks the schema's rules; SQLite errors.
    pub fn accounts(&self) -> Result<Option<Accounts>> {
        let Some(accounts) = read_accounts(&self.conn, &self.path, self.team)? else {
            return Ok(None);
        };
        if self.team == DEFAULT_TEAM {
            return Ok(Some(accounts));
        }
        let row = self.team_row()?;
        let Some(filter) = &row.filter else {
            return Ok(Some(accounts));
        };
        let mut keep = filter
            .matching(&accounts)
            .map_err(|detail| WorkbookError::InvalidTeam {
                path: self.path.clone(),
                team: row.name.clone(),
                detail,
            })?;
        // An account the team named is the team's, whatever its segment: the planner named it on purpose.
        keep.iter_mut()
            .zip(&accounts.named)
            .for_each(|(k, n)| *k |= n.is_some());
        let fids = self.team_fids()?.unwrap_or_default();
        let index = |u: usize| fids.binary_search(&(u as i64 + 1)).ok();
        Ok(Some(accounts.retain_remapped(&keep, index)))
    }

    /// The selected team's named accounts' loads per territory (empty when it names none).
    ///
    /// # Errors
    /// As [`Workbook::accounts`].
    pub fn named_loads(&self) -> Result<NamedLoads> {
        Ok(self.accounts()?.map(|a| a.named_loads()).unwrap_or_default())
    }

    /// Every account id of the workbook in file order, whatever the selected team (any may be named in it).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn account_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM tessera_accounts ORDER BY seq")
            .map_err(self.sql())?;
        let ids = stmt
            .query_map([], |r| r.get(0))
            .map_err(self.sql())?
            .collect::<rusqlite::Result<Vec<String>>>()
            .map_err(self.sql())?;
        Ok(ids)
    }

    fn rep_ids_and_names(&self) -> Result<Vec<tessera_optimizer::Rep>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name FROM tessera_reps WHERE team = 1 ORDER BY seq")
            .map_err(self.sql())?;
        let reps = stmt
            .query_map([], |r| {
                Ok(tessera_optimizer::Rep {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    lon: 0.0,
                    lat: 0.0,
                    capacity: 1.0,
                })
            })
            .map_err(self.sql())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.sql())?;
        Ok(reps)
    }
}

/// The filtered teams that have scenarios, with their units' fids now.
fn filtered_teams_with_scenarios(
    conn: &rusqlite::Connection,
    path: &std::path::Path,
) -> Result<Vec<(TeamRow, Vec<i64>)>> {
    let sql = |e| WorkbookError::from_sqlite(path, e);
    let mut out = Vec::new();
    for team in read_teams(conn).map_err(sql)? {
        if team.filter.is_none() {
            continue;
        }
        let scenarios: i64 = conn
            .query_row(
                "SELECT count(*) FROM tessera_scenarios WHERE team = ?1",
                params![team.id],
                |r| r.get(0),
            )
            .map_err(sql)?;
        if scenarios == 0 {
            continue;
        }
        if let Some(fids) = team_units(conn, path, &team).ok().flatten().and_then(|v| v.fids) {
            out.push((team, fids));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use tessera_optimizer::{Adjacency, Plan, Units};

    use super::*;
    use crate::accounts::attach_by_key;
    use crate::import::{parse_accounts, AttachBy};
    use crate::planning::{prepare, PlanInputs, PlanProgress, PlanRequest};
    use crate::{AdjacencySource, Dataset};

    /// A 6 × 6 grid of units `u0..u35` (0.1° apart) with a `workload` measure of 1 each, in territories W (west
    /// half) and E (east half).
    fn grid() -> Dataset {
        let n = 36;
        let mut edges = vec![];
        for i in 0..n as u32 {
            if i % 6 < 5 {
                edges.push((i, i + 1));
            }
            if i / 6 < 5 {
                edges.push((i, i + 6));
            }
        }
        Dataset {
            units: Units::new(
                (0..n).map(|i| format!("u{i}")).collect(),
                (0..n).map(|i| (i % 6) as f64 * 0.1).collect(),
                (0..n).map(|i| (i / 6) as f64 * 0.1).collect(),
                vec![tessera_optimizer::Measure {
                    name: "workload".into(),
                    values: vec![1.0; n],
                }],
            )
            .expect("units"),
            adjacency: Adjacency::from_edges(n, &edges),
            adjacency_source: AdjacencySource::File,
            bridged: vec![],
            polygons: None,
            reps: vec![],
            current: Some(Plan::new(
                (0..n).map(|i| u32::from(i % 6 >= 3)).collect(),
                vec!["W".into(), "E".into()],
            )),
        }
    }

    /// Two accounts per unit (`a{i}x`, `a{i}y`) with hours 1 and 2, plus one whose key matches no unit.
    fn accounts_csv() -> String {
        let mut s = String::from("id,unit_key,hours,segment\n");
        for i in 0..36 {
            s.push_str(&format!("a{i}x,u{i},1,A\na{i}y,u{i},2,B\n"));
        }
        s.push_str("lost,u99,5,A\n");
        s
    }

    fn import(wb: &mut Workbook, text: &str) -> Result<AccountsReport> {
        let (file, _) = parse_accounts(
            Path::new("accounts.csv"),
            text.as_bytes(),
            &AttachBy::Column("unit_key".into()),
            None,
        )
        .expect("parses");
        let units = wb.dataset()?.units;
        let keys = &file.keys.as_ref().expect("keys").1;
        let attachment = attach_by_key(&units, keys);
        wb.replace_accounts(&AccountsImport {
            file: &file,
            attachment: &attachment,
            attached_by: "column \"unit_key\"".into(),
            source: "accounts.csv".into(),
            sum_as: vec![],
        })
    }

    fn measure(wb: &Workbook, name: &str) -> Vec<f64> {
        wb.dataset()
            .expect("dataset")
            .units
            .measure(name)
            .expect("measure")
            .to_vec()
    }

    #[test]
    fn units_measures_are_their_accounts_sums_and_follow_a_reimport() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = Workbook::create(dir.path().join("g.tessera"), &grid()).expect("create");
        let report = import(&mut wb, &accounts_csv()).expect("import");
        assert_eq!(report.accounts, 73);
        assert_eq!(report.unmatched, vec![72], "the account keyed u99 is listed");
        assert_eq!(report.unit_measures, vec!["hours".to_string(), "accounts".to_string()]);
        assert_eq!(
            report.refigured, 1,
            "the imported alignment's figures are computed again"
        );
        assert_eq!(measure(&wb, "hours"), vec![3.0; 36]);
        assert_eq!(measure(&wb, "accounts"), vec![2.0; 36]);
        assert_eq!(measure(&wb, "workload"), vec![1.0; 36], "other measures are left alone");
        let stored = wb.accounts().expect("read").expect("accounts");
        assert_eq!(stored.unit_of[72], None);
        assert_eq!(stored.unit_of[3], Some(1));
        assert_eq!(stored.source, "accounts.csv");

        // A re-import replaces the accounts and the sums: unit u0 loses its accounts.
        let text = accounts_csv().replace("a0x,u0", "a0x,u1").replace("a0y,u0", "a0y,u1");
        import(&mut wb, &text).expect("re-import");
        let hours = measure(&wb, "hours");
        assert_eq!((hours[0], hours[1], hours[2]), (0.0, 6.0, 3.0));
        // A file without the hours column: the units' hours would be stale, so the measure goes.
        let text: String = accounts_csv()
            .lines()
            .map(|l| {
                // Every field but the third (hours).
                let mut fields: Vec<&str> = l.split(',').collect();
                fields.remove(2);
                fields.join(",") + "\n"
            })
            .collect();
        let report = import(&mut wb, &text).expect("without hours");
        assert_eq!(report.removed, vec!["hours".to_string()]);
        assert!(wb.dataset().expect("ds").units.measure("hours").is_none());
        assert_eq!(measure(&wb, "accounts")[0], 2.0);
        import(&mut wb, &accounts_csv()).expect("hours again");
        assert_eq!(measure(&wb, "hours")[5], 3.0);
        drop(wb);
        let wb = Workbook::open(dir.path().join("g.tessera")).expect("reopen");
        assert_eq!(measure(&wb, "hours")[1], 3.0, "the last import persisted");
    }

    #[test]
    fn a_refused_import_changes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("g.tessera");
        let mut wb = Workbook::create(&path, &grid()).expect("create");
        import(&mut wb, &accounts_csv()).expect("import");
        drop(wb);
        let before = std::fs::read(&path).expect("bytes");
        let mut wb = Workbook::open(&path).expect("open");
        let (file, _) = parse_accounts(
            Path::new("accounts.csv"),
            b"id,unit_key,hours\nb1,u0,7\n",
            &AttachBy::Column("unit_key".into()),
            None,
        )
        .expect("parses");
        let attachment = attach_by_key(&wb.dataset().expect("ds").units, &["u0".to_string()]);
        let err = wb
            .replace_accounts(&AccountsImport {
                file: &file,
                attachment: &attachment,
                attached_by: String::new(),
                source: String::new(),
                sum_as: vec![("segment".into(), "x".into())],
            })
            .expect_err("no column segment");
        assert!(err.to_string().contains("no column \"segment\""), "{err}");
        drop(wb);
        assert_eq!(std::fs::read(&path).expect("bytes"), before, "byte for byte as it was");
    }

    #[test]
    fn a_named_account_never_moves_with_its_unit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = Workbook::create(dir.path().join("g.tessera"), &grid()).expect("create");
        import(&mut wb, &accounts_csv()).expect("import");
        // a0y (hours 2) lies in u0, in the west; it is named to E. So is "lost", which lies in no unit.
        wb.set_named_accounts(&[("a0y".into(), "E".into()), ("lost".into(), "E".into())])
            .expect("name");
        let hours = measure(&wb, "hours");
        assert_eq!(hours[0], 1.0, "the unit keeps only its geographic account");
        let named = wb.named_loads().expect("named");
        assert_eq!(named.accounts(), 2);
        assert_eq!(named.load("E", "hours"), 7.0);
        assert_eq!(named.load("E", "accounts"), 2.0);

        // Figures count the named load for E: W 18·3 − 2 = 52, E 54 + 7 = 61.
        let current = wb.scenario(crate::store::CURRENT).expect("current");
        wb.set_balance_measure(Some("hours")).expect("measure");
        let figures = wb.figures(&current).expect("figures");
        let load = |doc: &Value, t: &str| {
            doc["territories"]
                .as_array()
                .expect("territories")
                .iter()
                .find(|x| x["name"] == t)
                .expect("territory")["load"]
                .as_f64()
                .expect("load")
        };
        assert_eq!((load(&figures, "W"), load(&figures, "E")), (52.0, 61.0));
        assert_eq!(figures["named"]["territories"]["E"]["accounts"], 2);

        // Move u0 to E and back out: the named account stays in E whatever its unit does.
        let accounts = wb.accounts().expect("read").expect("accounts");
        let a0y = accounts.ids.iter().position(|a| a == "a0y").expect("a0y");
        let mut plan = current.plan.clone();
        for t in [1, 0] {
            plan.assign(0, t);
            assert_eq!(accounts.territories_in(&plan)[a0y], Some("E"));
        }

        // The optimizer plans the geography around the named load: every territory within ±5% with it.
        let ds = wb.dataset().expect("dataset");
        let mut request = PlanRequest::new("hours");
        request.territories = Some(2);
        request.restarts = 2;
        let inputs = PlanInputs {
            units: &ds.units,
            adjacency: &ds.adjacency,
            reps: &[],
            current: ds.current.as_ref(),
            locks: &[],
        };
        let prepared = prepare(inputs, &request)
            .expect("prepare")
            .with_named_loads(&named)
            .expect("named");
        // E's units must bring (106 + 7) / 2 − 7 = 49.5, W's 56.5.
        let targets = prepared.problem().targets.clone();
        let e = prepared.problem().names.iter().position(|n| n == "E").expect("E");
        assert!(
            (targets[e] - 49.5).abs() < 1e-9 && (targets[1 - e] - 56.5).abs() < 1e-9,
            "{targets:?}"
        );
        let outcome = prepared.run(&PlanProgress::new()).expect("run");
        let total: f64 = outcome.evaluation.territories.iter().map(|t| t.load).sum();
        assert!(
            (total - 113.0).abs() < 1e-9,
            "the named load is in the figures: {total}"
        );
        assert!(
            outcome.evaluation.max_dev <= 0.05 + 1e-9,
            "{}",
            outcome.evaluation.max_dev
        );
        assert_eq!(outcome.metrics["named"]["territories"]["E"]["load"], 7.0);
        assert!(
            outcome.certificate.is_none(),
            "no bound over the narrowed band is offered as one"
        );
        assert!(outcome
            .notes
            .iter()
            .any(|n| n.starts_with("no travel certificate: named accounts")));

        // A name the plan does not have is refused before the run.
        let mut odd = named.clone();
        odd.territories[0].territory = "Z".into();
        let err = prepare(inputs, &request)
            .expect("prepare")
            .with_named_loads(&odd)
            .expect_err("no territory Z");
        assert!(
            err.to_string().contains("\"Z\", which this plan does not have"),
            "{err}"
        );
    }

    #[test]
    fn a_named_column_names_accounts_and_a_reimport_without_one_keeps_them() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ds = grid();
        ds.reps = vec![tessera_optimizer::Rep {
            id: "R9".into(),
            name: "Ann Lee".into(),
            lon: 0.0,
            lat: 0.0,
            capacity: 1.0,
        }];
        let mut wb = Workbook::create(dir.path().join("g.tessera"), &ds).expect("create");
        let (file, _) = parse_accounts(
            Path::new("a.csv"),
            b"id,unit_key,hours,owner\nk1,u0,4,Ann Lee\nk2,u1,5,\nk3,u2,6,E\n",
            &AttachBy::Column("unit_key".into()),
            Some("owner"),
        )
        .expect("parses");
        assert!(
            file.columns.iter().all(|c| c.name != "owner"),
            "the named column is not a data column"
        );
        let units = wb.dataset().expect("ds").units;
        let attachment = attach_by_key(&units, &file.keys.as_ref().expect("keys").1);
        let report = wb
            .replace_accounts(&AccountsImport {
                file: &file,
                attachment: &attachment,
                attached_by: String::new(),
                source: "a.csv".into(),
                sum_as: vec![],
            })
            .expect("import");
        assert_eq!(report.named, 2);
        let stored = wb.accounts().expect("read").expect("accounts");
        assert_eq!(stored.named, vec![Some("R9".to_string()), None, Some("E".to_string())]);
        assert_eq!(&measure(&wb, "hours")[..3], [0.0, 5.0, 0.0]);
        // A file without the column keeps the named accounts still there (k3 left the file).
        let (again, _) = parse_accounts(
            Path::new("b.csv"),
            b"id,unit_key,hours\nk1,u0,4\nk2,u1,5\n",
            &AttachBy::Column("unit_key".into()),
            None,
        )
        .expect("parses");
        let attachment = attach_by_key(&units, &again.keys.as_ref().expect("keys").1);
        let report = wb
            .replace_accounts(&AccountsImport {
                file: &again,
                attachment: &attachment,
                attached_by: String::new(),
                source: "b.csv".into(),
                sum_as: vec![],
            })
            .expect("re-import");
        assert_eq!((report.named, report.named_dropped), (1, 1));
        assert_eq!(wb.named_loads().expect("named").load("R9", "hours"), 4.0);
    }

    #[test]
    fn a_schema_4_workbook_is_migrated_and_takes_accounts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("old.tessera");
        drop(Workbook::create(&path, &grid()).expect("create"));
        // Take the file back to schema 4: the tables of version 5 go, the version says 4.
        let c = rusqlite::Connection::open(&path).expect("raw");
        c.execute_batch(
            "DROP TABLE tessera_accounts; DROP TABLE tessera_account_columns; DROP TABLE tessera_named_accounts;
             UPDATE tessera_meta SET value = '4' WHERE key = 'schema_version';",
        )
        .expect("downgrade to 4");
        drop(c);
        assert!(matches!(
            Workbook::open_read_only(&path),
            Err(WorkbookError::ReadOnly { .. })
        ));
        let mut wb = Workbook::open(&path).expect("migrates");
        let current = crate::store::SCHEMA_VERSION.to_string();
        assert_eq!(
            wb.meta("schema_version").expect("meta"),
            Some(current),
            "4 to the current version"
        );
        assert!(wb.accounts().expect("none").is_none());
        assert_eq!(wb.scenarios().expect("list").len(), 1, "the scenario came along");
        import(&mut wb, &accounts_csv()).expect("accounts after migration");
        assert_eq!(measure(&wb, "accounts")[5], 2.0);
    }
}
