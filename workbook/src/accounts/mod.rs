//! Accounts inside the geography: the customers that live in the units (a ZIP code, a county), attached to a
//! unit by a key column or by the unit polygon their point falls in, and *named* accounts, which belong to a
//! territory or rep by name whatever their unit.
//!
//! How the pieces fit:
//! - [`crate::import::read_accounts`] reads the accounts CSV, [`attach_by_key`] / [`attach_by_point`] find
//!   each account's unit, and [`crate::Workbook::replace_accounts`] stores them in one transaction.
//! - The units' measures summed from accounts ([`Accounts::unit_measures`]) are then the sums of their
//!   *geographic* (not named) accounts, recomputed on every change of the accounts or of the named accounts.
//! - Named accounts ([`crate::import::read_named`], [`crate::Workbook::set_named_accounts`]) count for their
//!   territory: figures add their load ([`NamedLoads::add_to`]), the optimizer plans the geography around it
//!   ([`NamedLoads::shift_targets`]).
//! - The account-level lists: [`Accounts::territories_in`] gives every account's territory in a plan.

mod attach;
mod named;

pub use attach::{attach_by_key, attach_by_point, Attachment};
pub use named::{resolve_territory, NamedLoads, NamedTerritory};

use tessera_optimizer::{Plan, Units};

use crate::import::{AccountColumn, AccountValues};

/// Where a named account is drawn on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedPoint {
    /// The account's id.
    pub id: String,
    /// The territory (or rep id) it is named to.
    pub territory: String,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// True when the position is the account's own; false when it is its unit's point (an account attached by a
    /// key column without coordinates).
    pub own_point: bool,
}

/// Name of the units' measure that counts their geographic accounts.
pub const COUNT_MEASURE: &str = "accounts";

/// A workbook's accounts, as stored, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Accounts {
    /// Account ids.
    pub ids: Vec<String>,
    /// The unit (index) each account lies in; `None` for an account that matched no unit.
    pub unit_of: Vec<Option<usize>>,
    /// The key each account was attached by, when attached by a key column.
    pub keys: Vec<Option<String>>,
    /// Each account's position, when the file had one.
    pub points: Vec<Option<(f64, f64)>>,
    /// Each account's line in the file it came from.
    pub lines: Vec<u64>,
    /// The named territory of each account (`None`: it goes with its unit).
    pub named: Vec<Option<String>>,
    /// The file's other columns.
    pub columns: Vec<AccountColumn>,
    /// For each of `columns`, the units' measure it is summed into (`None` for text columns).
    pub unit_measure_of: Vec<Option<String>>,
    /// How the accounts were attached, in words (`column "county"`, `point in polygon`).
    pub attached_by: String,
    /// The key column's header, when attached by a key column.
    pub key_column: Option<String>,
    /// The file the accounts came from, as the planner named it.
    pub source: String,
}

impl Accounts {
    /// The accounts flagged in `keep` (one flag per account), in order, each unit index `u` replaced by
    /// `index(u)`: a team's accounts over the team's units (see `Workbook::accounts`).
    ///
    /// # Panics
    /// If `keep` does not have one flag per account (a caller bug).
    pub fn retain_remapped(self, keep: &[bool], index: impl Fn(usize) -> Option<usize>) -> Accounts {
        assert_eq!(keep.len(), self.len(), "one flag per account");
        fn pick<T>(v: Vec<T>, keep: &[bool]) -> Vec<T> {
            v.into_iter().zip(keep).filter(|(_, &k)| k).map(|(x, _)| x).collect()
        }
        let columns = self
            .columns
            .into_iter()
            .map(|c| AccountColumn {
                name: c.name,
                values: match c.values {
                    AccountValues::Measure(v) => AccountValues::Measure(pick(v, keep)),
                    AccountValues::Text(v) => AccountValues::Text(pick(v, keep)),
                },
            })
            .collect();
        Accounts {
            ids: pick(self.ids, keep),
            unit_of: pick(self.unit_of, keep)
                .into_iter()
                .map(|u| u.and_then(&index))
                .collect(),
            keys: pick(self.keys, keep),
            points: pick(self.points, keep),
            lines: pick(self.lines, keep),
            named: pick(self.named, keep),
            columns,
            unit_measure_of: self.unit_measure_of,
            attached_by: self.attached_by,
            key_column: self.key_column,
            source: self.source,
        }
    }

    /// Number of accounts.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when the workbook has no accounts.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The units' measures summed from accounts: each measure column's, then the account count
    /// ([`COUNT_MEASURE`], unless a column is summed into a measure of that name).
    pub fn unit_measures(&self) -> Vec<String> {
        let mut out: Vec<String> = self.unit_measure_of.iter().flatten().cloned().collect();
        if !out.iter().any(|m| m == COUNT_MEASURE) {
            out.push(COUNT_MEASURE.to_string());
        }
        out
    }

    /// Account `a`'s value of units' measure `measure` (1 for the account count), 0 when no column feeds it.
    pub fn value(&self, a: usize, measure: &str) -> f64 {
        match self.unit_measure_of.iter().position(|m| m.as_deref() == Some(measure)) {
            Some(c) => match &self.columns[c].values {
                AccountValues::Measure(v) => v[a],
                AccountValues::Text(_) => 0.0,
            },
            None if measure == COUNT_MEASURE => 1.0,
            None => 0.0,
        }
    }

    /// Every account's territory in `plan`: its named territory, else its unit's; `None` for an account that
    /// is neither named nor in a unit.
    ///
    /// # Panics
    /// If `plan` has fewer units than an account's unit index (a caller bug: the plan is the workbook's).
    pub fn territories_in<'p>(&'p self, plan: &'p Plan) -> Vec<Option<&'p str>> {
        (0..self.len())
            .map(|a| match (&self.named[a], self.unit_of[a]) {
                (Some(t), _) => Some(t.as_str()),
                (None, Some(u)) => Some(plan.names()[plan.territory_of()[u] as usize].as_str()),
                (None, None) => None,
            })
            .collect()
    }

    /// The named accounts' loads per territory, over the units' measures summed from accounts.
    pub fn named_loads(&self) -> NamedLoads {
        let measures = self.unit_measures();
        let mut territories: Vec<NamedTerritory> = Vec::new();
        for a in 0..self.len() {
            let Some(t) = &self.named[a] else { continue };
            let k = match territories.iter().position(|x| &x.territory == t) {
                Some(k) => k,
                None => {
                    territories.push(NamedTerritory {
                        territory: t.clone(),
                        accounts: 0,
                        loads: vec![0.0; measures.len()],
                    });
                    territories.len() - 1
                }
            };
            territories[k].accounts += 1;
            for (j, m) in measures.iter().enumerate() {
                territories[k].loads[j] += self.value(a, m);
            }
        }
        NamedLoads { measures, territories }
    }

    /// Where each named account is drawn: at its own point, else at its unit's point. Named accounts with
    /// neither (no coordinates and no unit) cannot be placed; their number is returned beside the points so the
    /// caller can say so.
    pub fn named_points(&self, units: &Units) -> (Vec<NamedPoint>, usize) {
        let mut points = Vec::new();
        let mut unplaced = 0;
        for a in 0..self.len() {
            let Some(territory) = &self.named[a] else { continue };
            let place = match (self.points[a], self.unit_of[a]) {
                (Some((lon, lat)), _) => Some((lon, lat, true)),
                (None, Some(u)) if u < units.len() => Some((units.lon()[u], units.lat()[u], false)),
                _ => None,
            };
            match place {
                Some((lon, lat, own_point)) => points.push(NamedPoint {
                    id: self.ids[a].clone(),
                    territory: territory.clone(),
                    lon,
                    lat,
                    own_point,
                }),
                None => unplaced += 1,
            }
        }
        (points, unplaced)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accounts(points: Vec<Option<(f64, f64)>>, unit_of: Vec<Option<usize>>, named: Vec<Option<&str>>) -> Accounts {
        let n = points.len();
        Accounts {
            ids: (0..n).map(|a| format!("a{a}")).collect(),
            unit_of,
            keys: vec![None; n],
            points,
            lines: (2..2 + n as u64).collect(),
            named: named.into_iter().map(|t| t.map(str::to_string)).collect(),
            columns: Vec::new(),
            unit_measure_of: Vec::new(),
            attached_by: "point in polygon".into(),
            key_column: None,
            source: "accounts.csv".into(),
        }
    }

    #[test]
    fn named_accounts_are_drawn_at_their_own_point_else_their_units_and_the_rest_are_counted() {
        let units = Units::new(
            vec!["u0".into(), "u1".into()],
            vec![-90.0, -80.0],
            vec![30.0, 40.0],
            vec![],
        )
        .expect("units");
        let a = accounts(
            vec![Some((-91.5, 31.5)), None, None, Some((-70.0, 45.0))],
            vec![Some(0), Some(1), None, Some(0)],
            vec![Some("West"), Some("East"), Some("East"), None],
        );
        let (points, unplaced) = a.named_points(&units);
        assert_eq!(unplaced, 1, "a2 has neither a point nor a unit");
        assert_eq!(
            points,
            vec![
                NamedPoint {
                    id: "a0".into(),
                    territory: "West".into(),
                    lon: -91.5,
                    lat: 31.5,
                    own_point: true
                },
                NamedPoint {
                    id: "a1".into(),
                    territory: "East".into(),
                    lon: -80.0,
                    lat: 40.0,
                    own_point: false
                },
            ],
            "a3 is not named: it goes with its unit and is not drawn"
        );
    }
}
