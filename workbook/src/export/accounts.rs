//! Account-level tables: every account with its territory in a plan, and the accounts that change territory
//! between scenarios (the realignment list at account level). An account's territory is its named territory,
//! else its unit's ([`Accounts::territories_in`]).

use std::collections::HashMap;

use tessera_optimizer::{Plan, Rep, Units};

use super::{Cell, Table};
use crate::accounts::Accounts;
use crate::import::AccountValues;

/// The cells of account `a`'s own columns, in file order: numbers for measures, text otherwise.
fn column_cells(accounts: &Accounts, a: usize) -> impl Iterator<Item = Cell> + '_ {
    accounts.columns.iter().map(move |c| match &c.values {
        AccountValues::Measure(v) => Cell::from(v[a]),
        AccountValues::Text(v) => Cell::from(v[a].clone()),
    })
}

fn rep_names(reps: &[Rep]) -> HashMap<&str, &str> {
    reps.iter().map(|r| (r.id.as_str(), r.name.as_str())).collect()
}

/// Every account in file order: `id`, `unit` (empty when it matched none), `territory` (empty when it has
/// none), `named` (`yes` for a named account), `rep`, the key column (under its own header), `lon`, `lat`,
/// then the file's other columns.
///
/// # Panics
/// If `plan` does not cover `units` (a caller bug: both are the workbook's).
pub fn account_table(accounts: &Accounts, units: &Units, plan: &Plan, reps: &[Rep]) -> Table {
    let mut headers: Vec<String> = ["id", "unit", "territory", "named", "rep"].map(String::from).to_vec();
    if let Some(k) = &accounts.key_column {
        headers.push(k.clone());
    }
    headers.extend(["lon", "lat"].map(String::from));
    headers.extend(accounts.columns.iter().map(|c| c.name.clone()));
    let rep = rep_names(reps);
    let territory = accounts.territories_in(plan);
    let mut t = Table::new("accounts", headers);
    for (a, territory) in territory.iter().enumerate() {
        let mut row: Vec<Cell> = vec![
            accounts.ids[a].clone().into(),
            accounts.unit_of[a].map(|u| units.ids()[u].clone()).into(),
            territory.map(str::to_string).into(),
            if accounts.named[a].is_some() { "yes" } else { "" }.into(),
            territory.and_then(|t| rep.get(t)).map(|s| s.to_string()).into(),
        ];
        if accounts.key_column.is_some() {
            row.push(accounts.keys[a].clone().into());
        }
        row.push(accounts.points[a].map(|p| p.0).into());
        row.push(accounts.points[a].map(|p| p.1).into());
        row.extend(column_cells(accounts, a));
        t.push(row);
    }
    t
}

/// The realignment list at account level: for each scenario after the first (the baseline), every account whose
/// territory differs from the baseline's: `scenario`, `account`, `unit`, `from`, `to`, `from_rep`, `to_rep`,
/// then the file's other columns. A named account never appears (its territory is the same in every
/// scenario); an account in no unit and not named has no territory in any scenario and never appears.
///
/// # Panics
/// If a plan does not cover `units` (a caller bug).
pub fn account_move_table(accounts: &Accounts, units: &Units, scenarios: &[(&str, &Plan)], reps: &[Rep]) -> Table {
    let mut headers: Vec<String> = ["scenario", "account", "unit", "from", "to", "from_rep", "to_rep"]
        .map(String::from)
        .to_vec();
    headers.extend(accounts.columns.iter().map(|c| c.name.clone()));
    let rep = rep_names(reps);
    let mut t = Table::new("account moves", headers);
    let Some(((_, base), rest)) = scenarios.split_first() else {
        return t;
    };
    let before = accounts.territories_in(base);
    for (name, plan) in rest {
        let after = accounts.territories_in(plan);
        for a in 0..accounts.len() {
            if before[a] == after[a] {
                continue;
            }
            let mut row: Vec<Cell> = vec![
                name.to_string().into(),
                accounts.ids[a].clone().into(),
                accounts.unit_of[a].map(|u| units.ids()[u].clone()).into(),
                before[a].map(str::to_string).into(),
                after[a].map(str::to_string).into(),
                before[a].and_then(|t| rep.get(t)).map(|s| s.to_string()).into(),
                after[a].and_then(|t| rep.get(t)).map(|s| s.to_string()).into(),
            ];
            row.extend(column_cells(accounts, a));
            t.push(row);
        }
    }
    t
}
