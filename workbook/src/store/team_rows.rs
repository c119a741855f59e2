//! The rows of `tessera_teams` (schema 6) and what a team's account filter makes of the units: which units it
//! covers and their measures summed over its accounts. Below the `Workbook` (see `teams.rs` for its methods):
//! these functions work on the caller's connection and never reach back up.

use rusqlite::{params, Connection, OptionalExtension};

use super::account_rows::read_accounts;
use super::error::{Result, WorkbookError};
use crate::accounts::Accounts;
use crate::import::AccountValues;

pub use super::migrations::DEFAULT_TEAM;

/// A team's account filter: its units are those with at least one account whose `column` equals `value`.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamFilter {
    /// An accounts column (matched without regard to case).
    pub column: String,
    /// The value an account's cell must equal: text compared exactly (after trimming), a measure column's number
    /// compared as a number.
    pub value: String,
}

impl TeamFilter {
    /// Parses `COLUMN = VALUE` (spaces around `=` optional; the value may be quoted with `"` or `'`).
    ///
    /// # Errors
    /// A message saying what is missing when the text is not of that form.
    pub fn parse(text: &str) -> std::result::Result<TeamFilter, String> {
        let Some((column, value)) = text.split_once('=') else {
            return Err(format!(
                "filter {text:?} is not of the form \"COLUMN = VALUE\" (e.g. \"segment = A\")"
            ));
        };
        let column = column.trim();
        let mut value = value.trim();
        for q in ['"', '\''] {
            if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
                value = &value[1..value.len() - 1];
            }
        }
        if column.is_empty() || value.is_empty() {
            return Err(format!(
                "filter {text:?} needs a column and a value: \"COLUMN = VALUE\" (e.g. \"segment = A\")"
            ));
        }
        Ok(TeamFilter {
            column: column.to_string(),
            value: value.to_string(),
        })
    }

    /// Which accounts match, one flag per account in file order.
    ///
    /// # Errors
    /// A message naming the accounts' columns when `column` is not among them.
    pub fn matching(&self, accounts: &Accounts) -> std::result::Result<Vec<bool>, String> {
        let column = accounts
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&self.column))
            .ok_or_else(|| {
                format!(
                    "the accounts have no column {:?} (their columns: {})",
                    self.column,
                    accounts
                        .columns
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
        Ok(match &column.values {
            AccountValues::Text(v) => v.iter().map(|s| s.trim() == self.value).collect(),
            AccountValues::Measure(v) => match self.value.parse::<f64>() {
                Ok(x) => v.iter().map(|&y| y == x).collect(),
                Err(_) => vec![false; v.len()],
            },
        })
    }
}

impl std::fmt::Display for TeamFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} = {}", self.column, self.value)
    }
}

/// One row of `tessera_teams`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TeamRow {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) filter: Option<TeamFilter>,
    pub(super) measure: Option<String>,
    pub(super) tolerance: Option<f64>,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TeamRow> {
    let column: Option<String> = r.get(2)?;
    let value: Option<String> = r.get(3)?;
    Ok(TeamRow {
        id: r.get(0)?,
        name: r.get(1)?,
        filter: column.zip(value).map(|(column, value)| TeamFilter { column, value }),
        measure: r.get(4)?,
        tolerance: r.get(5)?,
    })
}

const SELECT: &str = "SELECT id, name, filter_column, filter_value, measure, tolerance FROM tessera_teams";

/// Every team, the default first, then in the order they were added.
pub(super) fn read_teams(conn: &Connection) -> rusqlite::Result<Vec<TeamRow>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY id"))?;
    let rows = stmt.query_map([], row)?;
    rows.collect()
}

/// The team with id `id`, if there is one.
pub(super) fn team_by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<TeamRow>> {
    conn.query_row(&format!("{SELECT} WHERE id = ?1"), params![id], row)
        .optional()
}

/// The team called `name`, if there is one.
pub(super) fn team_by_name(conn: &Connection, name: &str) -> rusqlite::Result<Option<TeamRow>> {
    conn.query_row(&format!("{SELECT} WHERE name = ?1"), params![name], row)
        .optional()
}

/// What a filtered (or non-default) team makes of the units.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TeamUnits {
    /// The team's units as `units.fid`s in unit order; `None` for every unit.
    pub(super) fids: Option<Vec<i64>>,
    /// The units' measures summed from the team's geographic accounts, one value per team unit: all accounts
    /// for an unfiltered team, the matching ones for a filtered team, less those the team named (they count for
    /// their territory instead; another team's naming does not touch this team). Empty when the workbook has no
    /// accounts.
    pub(super) sums: Vec<(String, Vec<f64>)>,
}

/// The units of `team` and their measures summed from its accounts; `None` for the default team, whose units
/// and measures are the stored ones.
///
/// # Errors
/// [`WorkbookError::InvalidTeam`] when the team's filter no longer fits the accounts (its column is gone, or no
/// account matches); read errors.
pub(super) fn team_units(conn: &Connection, path: &std::path::Path, team: &TeamRow) -> Result<Option<TeamUnits>> {
    if team.id == DEFAULT_TEAM {
        return Ok(None);
    }
    let n_units: i64 = conn
        .query_row(
            &format!("SELECT count(*) FROM {}", super::geopackage::UNITS_TABLE),
            [],
            |r| r.get(0),
        )
        .map_err(|e| WorkbookError::from_sqlite(path, e))?;
    let accounts = read_accounts(conn, path, team.id)?;
    let invalid = |detail: String| WorkbookError::InvalidTeam {
        path: path.to_path_buf(),
        team: team.name.clone(),
        detail,
    };
    let Some(accounts) = accounts else {
        return match &team.filter {
            None => Ok(Some(TeamUnits {
                fids: None,
                sums: Vec::new(),
            })),
            Some(f) => Err(invalid(format!(
                "its filter \"{f}\" needs accounts and the workbook has none (import them with tessera accounts --import)"
            ))),
        };
    };
    let matching = match &team.filter {
        None => vec![true; accounts.len()],
        Some(f) => f.matching(&accounts).map_err(&invalid)?,
    };
    // Index of each unit among the team's units (usize::MAX: not the team's).
    let n = n_units as usize;
    let mut index = vec![usize::MAX; n];
    let fids = match &team.filter {
        None => {
            index.iter_mut().enumerate().for_each(|(i, x)| *x = i);
            None
        }
        Some(f) => {
            let mut has = vec![false; n];
            for (a, m) in matching.iter().enumerate() {
                if let (true, Some(u)) = (*m, accounts.unit_of[a]) {
                    if u < n {
                        has[u] = true;
                    }
                }
            }
            let fids: Vec<i64> = (0..n).filter(|&u| has[u]).map(|u| u as i64 + 1).collect();
            if fids.is_empty() {
                return Err(invalid(format!("no account in a unit has {f}")));
            }
            for (k, &fid) in fids.iter().enumerate() {
                index[(fid - 1) as usize] = k;
            }
            Some(fids)
        }
    };
    let len = fids.as_ref().map_or(n, Vec::len);
    let sums = accounts
        .unit_measures()
        .into_iter()
        .map(|m| {
            let mut v = vec![0.0; len];
            // A named account's unit still belongs to the team (which units a team has never depends on its
            // naming), but its measures count for its named territory, not here.
            for a in (0..accounts.len()).filter(|&a| matching[a] && accounts.named[a].is_none()) {
                if let Some(&k) = accounts.unit_of[a].and_then(|u| index.get(u)) {
                    if k != usize::MAX {
                        v[k] += accounts.value(a, &m);
                    }
                }
            }
            (m, v)
        })
        .collect();
    Ok(Some(TeamUnits { fids, sums }))
}
