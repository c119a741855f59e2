//! Where a segment mix band's counts come from: the segment column of the workbook's accounts (each account in
//! its unit, or in its named territory), else a text column of the units themselves (each unit one item, as when
//! the accounts are the units).
//!
//! A band counts, per territory, its items with a value in the column (`counted`) and those whose value is the
//! segment (`members`); the share is `members / counted`. An item with an empty cell has no segment and is left
//! out of both; an account in no unit and named to no territory belongs to no territory and is left out too.
//! A unit with no counted items has no share and moves no territory's mix ([`tessera_optimizer::mix`]).

use std::collections::BTreeSet;

use tessera_optimizer::limits::number;
use tessera_optimizer::MixSpec;

use super::request::{MixBandRequest, PlanningError};
use crate::accounts::Accounts;
use crate::import::AccountValues;

/// Where one item (an account, or a unit) counts.
#[derive(Debug, Clone, PartialEq)]
enum Place {
    /// In a unit, with the geography.
    Unit(usize),
    /// For a territory by name, whatever the plan (a named account).
    Named(String),
    /// Nowhere (an account that matched no unit and is not named).
    Nowhere,
}

/// The segment columns a run can keep mix bands on, with where each item counts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SegmentTable {
    /// What the items are, plural: `accounts` or `units`.
    what: String,
    /// Where each item counts.
    places: Vec<Place>,
    /// The columns: header and one value per item (empty: no value).
    columns: Vec<(String, Vec<String>)>,
}

impl SegmentTable {
    /// The workbook's accounts: every column (text as written, numbers as the planner would write them).
    pub fn from_accounts(accounts: &Accounts) -> Self {
        let places = (0..accounts.len())
            .map(|a| match (&accounts.named[a], accounts.unit_of[a]) {
                (Some(t), _) => Place::Named(t.clone()),
                (None, Some(u)) => Place::Unit(u),
                (None, None) => Place::Nowhere,
            })
            .collect();
        let columns = accounts
            .columns
            .iter()
            .map(|c| {
                let values = match &c.values {
                    AccountValues::Text(v) => v.iter().map(|s| s.trim().to_string()).collect(),
                    AccountValues::Measure(v) => v.iter().map(|&x| number(x)).collect(),
                };
                (c.name.clone(), values)
            })
            .collect();
        SegmentTable {
            what: "accounts".into(),
            places,
            columns,
        }
    }

    /// The units' own text columns (header, one value per unit): each unit is one item.
    pub fn from_units(columns: impl IntoIterator<Item = (String, Vec<String>)>) -> Self {
        let columns: Vec<(String, Vec<String>)> = columns
            .into_iter()
            .map(|(name, values)| (name, values.into_iter().map(|s| s.trim().to_string()).collect()))
            .collect();
        let n = columns.first().map_or(0, |c| c.1.len());
        SegmentTable {
            what: "units".into(),
            places: (0..n).map(Place::Unit).collect(),
            columns,
        }
    }

    /// The first of `tables` that has `column` (accounts before units, as the caller orders them).
    pub fn pick<'t>(tables: &'t [SegmentTable], column: &str) -> Option<&'t SegmentTable> {
        tables.iter().find(|t| t.columns.iter().any(|(name, _)| name == column))
    }

    /// The columns' headers.
    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.0.as_str())
    }

    /// What the items are: `accounts` or `units`.
    pub fn what(&self) -> &str {
        &self.what
    }

    /// The optimizer's counts for `band` over `n` units and the territories `names`.
    ///
    /// # Errors
    /// [`PlanningError::Mix`] when the table has no such column, no item has the segment (a misspelt value would
    /// otherwise make a band that holds trivially), or an item is named to a territory the plan does not have.
    pub fn counts(&self, band: &MixBandRequest, n: usize, names: &[String]) -> Result<MixSpec, PlanningError> {
        let words = band.words();
        let Some((_, values)) = self.columns.iter().find(|(name, _)| name == &band.column) else {
            return Err(PlanningError::Mix(format!(
                "{words}: the {} have no column {:?} (they have: {})",
                self.what,
                band.column,
                self.columns.iter().map(|c| c.0.as_str()).collect::<Vec<_>>().join(", ")
            )));
        };
        let p = names.len();
        let mut spec = MixSpec {
            label: format!("{}={}", band.column, band.segment),
            what: self.what.clone(),
            lo: band.lo,
            hi: band.hi,
            members: vec![0.0; n],
            counted: vec![0.0; n],
            base_members: vec![0.0; p],
            base_counted: vec![0.0; p],
        };
        let mut seen = BTreeSet::new();
        let mut any_member = false;
        for (place, value) in self.places.iter().zip(values) {
            if value.is_empty() {
                continue;
            }
            let member = *value == band.segment;
            any_member |= member;
            if seen.len() < 12 {
                seen.insert(value.as_str());
            }
            let (m, c) = match place {
                Place::Unit(u) if *u < n => (&mut spec.members[*u], &mut spec.counted[*u]),
                Place::Unit(_) | Place::Nowhere => continue,
                Place::Named(t) => {
                    let k = names.iter().position(|x| x == t).ok_or_else(|| {
                        PlanningError::Mix(format!(
                            "{words}: an account is named to territory {t:?}, which the plan does not have"
                        ))
                    })?;
                    (&mut spec.base_members[k], &mut spec.base_counted[k])
                }
            };
            *c += 1.0;
            if member {
                *m += 1.0;
            }
        }
        if !any_member {
            return Err(PlanningError::Mix(format!(
                "{words}: no {} has {:?} in column {:?} (its values include: {})",
                singular(&self.what),
                band.segment,
                band.column,
                seen.into_iter().collect::<Vec<_>>().join(", ")
            )));
        }
        if spec.base_counted.iter().all(|&c| c == 0.0) {
            spec.base_members.clear();
            spec.base_counted.clear();
        }
        Ok(spec)
    }
}

/// `account` for `accounts`, `unit` for `units`.
fn singular(what: &str) -> &str {
    what.strip_suffix('s').unwrap_or(what)
}

/// Reads a band as the planner writes it: `COLUMN=VALUE:LO..HI`, each end a fraction (`0.2`) or a percentage
/// (`20%`), either end left empty (`..0.4`: at most; `0.2..`: at least).
///
/// # Errors
/// A message saying what is wrong and how to write it.
pub fn parse_mix(text: &str) -> Result<MixBandRequest, String> {
    let bad = |why: &str| {
        format!(
            "{text:?}: {why}; write COLUMN=VALUE:LO..HI, e.g. segment=A:0.2..0.4 (20% to 40% of each territory's \
             accounts in segment A), segment=A:..0.4 (at most) or segment=A:20%.. (at least)"
        )
    };
    let (pair, range) = text.rsplit_once(':').ok_or_else(|| bad("no `:` before the band"))?;
    let (column, segment) = pair
        .split_once('=')
        .ok_or_else(|| bad("no `=` between the column and the segment"))?;
    let (column, segment) = (column.trim(), segment.trim());
    if column.is_empty() || segment.is_empty() {
        return Err(bad("the column or the segment is missing"));
    }
    let (lo, hi) = range.split_once("..").ok_or_else(|| bad("no `..` in the band"))?;
    let end = |s: &str| -> Result<Option<f64>, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        // Divided (not multiplied by 0.01), so 35% is the same number as 0.35.
        let (digits, per) = match s.strip_suffix('%') {
            Some(d) => (d.trim(), 100.0),
            None => (s, 1.0),
        };
        let x: f64 = digits.parse().map_err(|_| bad(&format!("{s:?} is not a number")))?;
        let x = x / per;
        if !(x.is_finite() && (0.0..=1.0).contains(&x)) {
            return Err(bad(&format!("{s} is not a share from 0 to 1 (0% to 100%)")));
        }
        Ok(Some(x))
    };
    let (lo, hi) = (end(lo)?, end(hi)?);
    match (lo, hi) {
        (None, None) => return Err(bad("the band has no end")),
        (Some(l), Some(h)) if l > h => return Err(bad("the bottom is above the top")),
        _ => {}
    }
    Ok(MixBandRequest {
        column: column.to_string(),
        segment: segment.to_string(),
        lo,
        hi,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_read_as_fractions_or_percentages_with_open_ends() {
        let b = parse_mix("segment=A:0.2..0.4").expect("band");
        assert_eq!(
            (b.column.as_str(), b.segment.as_str(), b.lo, b.hi),
            ("segment", "A", Some(0.2), Some(0.4))
        );
        assert_eq!(b.words(), "segment=A:0.2..0.4");
        let b = parse_mix("tier=Key account:..35%").expect("band");
        assert_eq!((b.segment.as_str(), b.lo, b.hi), ("Key account", None, Some(0.35)));
        assert_eq!(parse_mix("segment=A:20%..").expect("band").lo, Some(0.2));
        for bad in [
            "segment=A",
            "segment:0.2..0.4",
            "segment=A:0.4",
            "segment=A:..",
            "segment=A:0.5..0.4",
            "segment=A:..140%",
            "=A:0.1..0.2",
        ] {
            let e = parse_mix(bad).expect_err(bad);
            assert!(e.contains("write COLUMN=VALUE:LO..HI"), "{e}");
        }
    }

    #[test]
    fn counts_follow_units_and_named_territories_and_skip_empty_cells() {
        let table = SegmentTable {
            what: "accounts".into(),
            places: vec![
                Place::Unit(0),
                Place::Unit(0),
                Place::Unit(1),
                Place::Named("R2".into()),
                Place::Nowhere,
                Place::Unit(1),
            ],
            columns: vec![(
                "segment".into(),
                ["A", "B", "A", "A", "A", ""].map(String::from).to_vec(),
            )],
        };
        let band = parse_mix("segment=A:..0.5").expect("band");
        let names = vec!["R1".to_string(), "R2".to_string()];
        let spec = table.counts(&band, 2, &names).expect("counts");
        assert_eq!(spec.members, vec![1.0, 1.0]);
        assert_eq!(spec.counted, vec![2.0, 1.0], "the empty cell is not counted");
        assert_eq!(
            (spec.base_members.clone(), spec.base_counted.clone()),
            (vec![0.0, 1.0], vec![0.0, 1.0])
        );
        assert_eq!(spec.label, "segment=A");
        let typo = parse_mix("segment=a:..0.5").expect("band");
        let e = table.counts(&typo, 2, &names).expect_err("no a");
        assert!(
            e.to_string()
                .contains("no account has \"a\" in column \"segment\" (its values include: A, B)"),
            "{e}"
        );
        let e = table
            .counts(&parse_mix("tier=A:..0.5").expect("band"), 2, &names)
            .expect_err("no tier");
        assert!(
            e.to_string()
                .contains("the accounts have no column \"tier\" (they have: segment)"),
            "{e}"
        );
        let e = table.counts(&band, 2, &names[..1]).expect_err("R2 is not planned");
        assert!(e.to_string().contains("named to territory \"R2\""), "{e}");
    }
}
