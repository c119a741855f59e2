//! Segment mix bands: keep each territory's share of a segment (the A accounts among all its accounts) within a
//! band, `segment=A:0.2..0.4`, while the plan balances another measure.
//!
//! A share is a ratio, but a band on it is linear in the counts: with `m` the territory's accounts of the segment
//! and `c` its accounts with a value in the column,
//!
//! - share ≤ hi ⇔ m − hi·c ≤ 0, and
//! - share ≥ lo ⇔ m − lo·c ≥ 0.
//!
//! So each end of a band is a cap (or floor) of 0 on a derived per-unit measure, `members − hi·counted` (or
//! `− lo·`), which may be negative, and the machinery of [`crate::limits`] keeps it as it keeps any cap: prices
//! in the allocation, moves that never leave a territory further outside, repair chains, ranking of restarts.
//! Its excess is measured against the mean territory's count ([`crate::Limit::scale`]), so an excess of 0.01
//! is about one percentage point of share in an average territory.
//!
//! A unit with no counted accounts has no share; its derived values are 0, so it moves no territory's mix. A
//! territory with no counted accounts has no share either and keeps the band (0 ≤ 0); a planner who wants
//! every territory to hold accounts adds a floor on their count.
//!
//! [`resolve_mix`] refuses, before the run, a band no plan can keep: its ends out of order or outside 0..1, no
//! counted accounts at all, or a band that misses the share of all the accounts together (the territories'
//! counts add up to the totals, so if the overall share is above the top, `Σ_t (m_t − hi·c_t) > 0` and some
//! territory is above it; likewise below the bottom).

use thiserror::Error;

use crate::limits::{number, Limit};

/// One band as the caller asks it; [`resolve_mix`] checks it and the problem keeps it as it is
/// ([`crate::Problem::mixes`]), so the request and the kept band are one type.
pub type MixSpec = MixBand;

/// A band on every territory's share of a segment: per-unit counts of the segment and of everything counted,
/// with the counts to report shares by.
#[derive(Debug, Clone, PartialEq)]
pub struct MixBand {
    /// The band's name in messages, as the planner wrote it: `segment=A`.
    pub label: String,
    /// What is counted, plural, for messages: `accounts`.
    pub what: String,
    /// Smallest share allowed per territory (a fraction), if any.
    pub lo: Option<f64>,
    /// Largest share allowed per territory (a fraction), if any.
    pub hi: Option<f64>,
    /// Per unit, how many of its counted items are of the segment.
    pub members: Vec<f64>,
    /// Per unit, how many items with a value in the column it has.
    pub counted: Vec<f64>,
    /// Per territory, segment items it carries whatever the plan (named accounts); empty when none.
    pub base_members: Vec<f64>,
    /// Per territory, counted items it carries whatever the plan; empty when none.
    pub base_counted: Vec<f64>,
}

/// A territory's mix under a plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TerritoryMix {
    /// Territory index.
    pub territory: usize,
    /// Its segment items.
    pub members: f64,
    /// Its counted items.
    pub counted: f64,
}

impl TerritoryMix {
    /// The share of the segment, `None` without counted items.
    pub fn share(&self) -> Option<f64> {
        (self.counted > 0.0).then(|| self.members / self.counted)
    }
}

impl MixBand {
    /// `segment=A:0.2..0.4` (an open end left empty), as the planner writes it.
    pub fn words(&self) -> String {
        format!("{}:{}", self.label, range(self.lo, self.hi))
    }

    /// "20%..40%", "at most 40%", "at least 20%".
    pub fn range_in_percent(&self) -> String {
        match (self.lo, self.hi) {
            (Some(lo), Some(hi)) => format!("{}%..{}%", pct(lo), pct(hi)),
            (None, Some(hi)) => format!("at most {}%", pct(hi)),
            (Some(lo), None) => format!("at least {}%", pct(lo)),
            (None, None) => "any share".into(),
        }
    }

    /// Every territory's counts under `assignment` (base counts included).
    pub fn territories(&self, assignment: &[u32], p: usize) -> Vec<TerritoryMix> {
        let mut out: Vec<TerritoryMix> = (0..p)
            .map(|t| TerritoryMix {
                territory: t,
                members: self.base_members.get(t).copied().unwrap_or(0.0),
                counted: self.base_counted.get(t).copied().unwrap_or(0.0),
            })
            .collect();
        for (i, &t) in assignment.iter().enumerate() {
            if let Some(x) = out.get_mut(t as usize) {
                x.members += self.members[i];
                x.counted += self.counted[i];
            }
        }
        out
    }

    /// True when a territory with these counts keeps the band: the same test, with the same slack, as the
    /// derived limits' ([`crate::Limit::holds`] on `members − hi·counted` against a cap of 0, and the floor).
    pub fn keeps(&self, mix: &TerritoryMix) -> bool {
        let top = self
            .hi
            .is_none_or(|hi| zero_limit(Some(0.0), None).holds(mix.members - hi * mix.counted));
        let bottom = self
            .lo
            .is_none_or(|lo| zero_limit(None, Some(0.0)).holds(mix.members - lo * mix.counted));
        top && bottom
    }

    /// The territories outside the band under `assignment`, furthest first.
    pub fn outside(&self, assignment: &[u32], p: usize) -> Vec<TerritoryMix> {
        let mut out: Vec<TerritoryMix> = self
            .territories(assignment, p)
            .into_iter()
            .filter(|m| !self.keeps(m))
            .collect();
        let miss = |m: &TerritoryMix| {
            let s = m.share().unwrap_or(0.0);
            (s - self.hi.unwrap_or(1.0)).max(self.lo.unwrap_or(0.0) - s)
        };
        out.sort_by(|a, b| miss(b).total_cmp(&miss(a)).then(a.territory.cmp(&b.territory)));
        out
    }
}

/// `0.2..0.4`, `..0.4`, `0.2..`.
fn range(lo: Option<f64>, hi: Option<f64>) -> String {
    format!(
        "{}..{}",
        lo.map(number).unwrap_or_default(),
        hi.map(number).unwrap_or_default()
    )
}

/// A share in percent with up to two decimals: 40, 37.5, 12.34.
pub fn pct(x: f64) -> String {
    let s = format!("{:.2}", x * 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A limit of 0 with no units, to test a derived load by the limits' own rule (and slack).
fn zero_limit(cap: Option<f64>, floor: Option<f64>) -> Limit {
    Limit::new("", Vec::new(), cap, floor)
}

/// Why a band cannot be kept, proved before any run; each variant names the band and its numbers.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum MixError {
    /// Ends out of 0..1, not numbers, both missing, or in the wrong order.
    #[error(
        "mix {words}: a band is LO..HI, shares from 0 to 1 with LO at most HI (e.g. 0.2..0.4; ..0.4 for at \
         most, 0.2.. for at least)"
    )]
    BadBand {
        /// The band as written.
        words: String,
    },
    /// Nothing is counted anywhere: no share to keep.
    #[error("mix {words}: none of the {what} has a value in this column, so no territory has a share to keep")]
    NothingCounted {
        /// The band as written.
        words: String,
        /// What is counted.
        what: String,
    },
    /// The share of all items together is outside the band: some territory must be outside it too.
    #[error(
        "mix {words} cannot hold: {members} of the {counted} {what} ({share}%) are in {label}, {side} the band \
         ({band}); the territories' counts add up to these totals, so every plan has a territory at {share}% \
         or {further}; {fix}"
    )]
    OverallOutside {
        /// The band as written.
        words: String,
        /// The segment, `segment=A`.
        label: String,
        /// What is counted.
        what: String,
        /// Items of the segment in all.
        members: String,
        /// Items counted in all.
        counted: String,
        /// Their share in percent.
        share: String,
        /// "above" or "below".
        side: &'static str,
        /// The band in percent.
        band: String,
        /// "more" or "less".
        further: &'static str,
        /// What would work.
        fix: String,
    },
}

/// Checks `spec` for `p` territories and turns it into its band and the limits that keep it: a cap of 0 on
/// `members − hi·counted` for the top, a floor of 0 on `members − lo·counted` for the bottom. `band_index` is
/// the index the band will have in [`crate::Problem::mixes`].
///
/// # Errors
/// [`MixError`] as the module says.
///
/// # Panics
/// If `members` and `counted` differ in length, or a base has neither 0 nor `p` entries (a caller bug).
#[allow(clippy::result_large_err)]
pub fn resolve_mix(spec: &MixSpec, p: usize, band_index: usize) -> Result<(MixBand, Vec<Limit>), MixError> {
    assert_eq!(spec.members.len(), spec.counted.len(), "one count per unit");
    assert!(spec.base_members.is_empty() || spec.base_members.len() == p);
    assert!(spec.base_counted.is_empty() || spec.base_counted.len() == p);
    let words = spec.words();
    let ok = |x: Option<f64>| x.is_none_or(|v| v.is_finite() && (0.0..=1.0).contains(&v));
    let ordered = match (spec.lo, spec.hi) {
        (Some(lo), Some(hi)) => lo <= hi,
        (None, None) => false,
        _ => true,
    };
    if !(ok(spec.lo) && ok(spec.hi) && ordered) {
        return Err(MixError::BadBand { words });
    }
    let members: f64 = spec.members.iter().chain(&spec.base_members).sum();
    let counted: f64 = spec.counted.iter().chain(&spec.base_counted).sum();
    if counted <= 0.0 {
        return Err(MixError::NothingCounted {
            words,
            what: spec.what.clone(),
        });
    }
    let band = spec.clone();
    let share = members / counted;
    let outside = |side: &'static str, further: &'static str, fix: String| MixError::OverallOutside {
        words: words.clone(),
        label: spec.label.clone(),
        what: spec.what.clone(),
        members: number(members),
        counted: number(counted),
        share: pct(share),
        side,
        band: band.range_in_percent(),
        further,
        fix,
    };
    // The same slack as the limits' (a cap of 0 allows 1e-9 absolute over the whole plan's sum).
    if let Some(hi) = spec.hi {
        if members - hi * counted > 1e-9 {
            return Err(outside(
                "above",
                "more",
                format!("raise the top to at least {}", number(round_up(share))),
            ));
        }
    }
    if let Some(lo) = spec.lo {
        if lo * counted - members > 1e-9 {
            return Err(outside(
                "below",
                "less",
                format!("lower the bottom to at most {}", number(round_down(share))),
            ));
        }
    }
    // One relative unit of excess: the mean territory's count.
    let scale = (counted / p.max(1) as f64).max(1.0);
    // Per unit (and per territory's base) `members − x·counted`.
    let derived = |x: f64| -> (Vec<f64>, Vec<f64>) {
        let values = spec.members.iter().zip(&spec.counted).map(|(m, c)| m - x * c).collect();
        let base = if spec.base_members.is_empty() && spec.base_counted.is_empty() {
            Vec::new()
        } else {
            let at = |v: &[f64], t: usize| v.get(t).copied().unwrap_or(0.0);
            (0..p)
                .map(|t| at(&spec.base_members, t) - x * at(&spec.base_counted, t))
                .collect()
        };
        (values, base)
    };
    let mut limits = Vec::new();
    for (end, cap, floor) in [(spec.hi, Some(0.0), None), (spec.lo, None, Some(0.0))] {
        let Some(x) = end else { continue };
        let (values, base) = derived(x);
        let words = match cap {
            Some(_) => format!("mix {}:..{}", spec.label, number(x)),
            None => format!("mix {}:{}..", spec.label, number(x)),
        };
        let mut l = Limit::new(words, values, cap, floor);
        l.scale = Some(scale);
        l.base = base;
        l.band = Some(band_index);
        limits.push(l);
    }
    Ok((band, limits))
}

/// `x` rounded up to four decimals (so a suggested top is enough).
fn round_up(x: f64) -> f64 {
    (x * 1e4 - 1e-6).ceil() / 1e4
}

/// `x` rounded down to four decimals (so a suggested bottom is low enough).
fn round_down(x: f64) -> f64 {
    (x * 1e4 + 1e-6).floor() / 1e4
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Six units: A-counts 2,0,1,3,0,0 of counted 4,2,2,3,0,1 (6 of 12 in all: 50%).
    fn spec(lo: Option<f64>, hi: Option<f64>) -> MixSpec {
        MixSpec {
            label: "segment=A".into(),
            what: "accounts".into(),
            lo,
            hi,
            members: vec![2.0, 0.0, 1.0, 3.0, 0.0, 0.0],
            counted: vec![4.0, 2.0, 2.0, 3.0, 0.0, 1.0],
            base_members: Vec::new(),
            base_counted: Vec::new(),
        }
    }

    #[test]
    fn a_band_becomes_a_cap_and_a_floor_of_zero_on_derived_counts() {
        let (band, limits) = resolve_mix(&spec(Some(0.25), Some(0.75)), 2, 3).expect("50% is inside");
        assert_eq!(limits.len(), 2);
        assert_eq!(limits[0].values, vec![-1.0, -1.5, -0.5, 0.75, 0.0, -0.75]);
        assert_eq!(
            (limits[0].cap, limits[0].floor, limits[0].band),
            (Some(0.0), None, Some(3))
        );
        assert_eq!(limits[1].values, vec![1.0, -0.5, 0.5, 2.25, 0.0, -0.25]);
        assert_eq!((limits[1].cap, limits[1].floor), (None, Some(0.0)));
        assert_eq!(limits[0].scale, Some(6.0), "12 counted over 2 territories");
        assert_eq!(band.words(), "segment=A:0.25..0.75");
        // Territory 0 gets units 0 and 3 (5 of 7 = 71%), territory 1 the rest (1 of 5 = 20%: below 25%).
        let assignment = [0, 1, 1, 0, 1, 1];
        let out = band.outside(&assignment, 2);
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].territory, out[0].members, out[0].counted), (1, 1.0, 5.0));
        // The derived limits agree with the shares.
        let loads = crate::limits::limit_loads(&limits, &assignment, 2);
        assert!(limits[0].holds(loads[0][0]) && limits[0].holds(loads[0][1]));
        assert!(limits[1].holds(loads[1][0]) && !limits[1].holds(loads[1][1]));
    }

    #[test]
    fn a_band_missing_the_overall_share_is_refused_with_its_numbers() {
        let e = resolve_mix(&spec(None, Some(0.4)), 2, 0).expect_err("50% > 40%");
        assert_eq!(
            e.to_string(),
            "mix segment=A:..0.4 cannot hold: 6 of the 12 accounts (50%) are in segment=A, above the band (at most \
             40%); the territories' counts add up to these totals, so every plan has a territory at 50% or more; \
             raise the top to at least 0.5"
        );
        let e = resolve_mix(&spec(Some(0.55), None), 2, 0).expect_err("50% < 55%");
        assert!(e.to_string().contains("below the band (at least 55%)"), "{e}");
        assert!(e.to_string().contains("lower the bottom to at most 0.5"), "{e}");
        resolve_mix(&spec(Some(0.5), Some(0.5)), 2, 0).expect("exactly 50% is possible");
    }

    #[test]
    fn bad_bands_and_nothing_counted_are_refused() {
        for (lo, hi) in [
            (Some(0.5), Some(0.4)),
            (None, None),
            (Some(-0.1), None),
            (None, Some(1.5)),
        ] {
            let e = resolve_mix(&spec(lo, hi), 2, 0).expect_err("bad band");
            assert!(matches!(e, MixError::BadBand { .. }), "{lo:?}..{hi:?}: {e}");
        }
        let mut empty = spec(None, Some(0.5));
        empty.counted = vec![0.0; 6];
        empty.members = vec![0.0; 6];
        let e = resolve_mix(&empty, 2, 0).expect_err("nothing counted");
        assert!(e.to_string().contains("none of the accounts has a value"), "{e}");
    }

    #[test]
    fn base_counts_join_their_territory_and_the_totals() {
        let mut s = spec(None, Some(0.5));
        // Territory 1 carries 2 A of 2 named accounts: 8 of 14 = 57% overall, above 50%.
        s.base_members = vec![0.0, 2.0];
        s.base_counted = vec![0.0, 2.0];
        assert!(resolve_mix(&s, 2, 0).is_err());
        s.hi = Some(0.6);
        let (band, limits) = resolve_mix(&s, 2, 0).expect("57% < 60%");
        assert_eq!(limits[0].base, vec![0.0, 2.0 - 1.2]);
        let mixes = band.territories(&[0, 0, 0, 0, 0, 0], 2);
        assert_eq!((mixes[1].members, mixes[1].counted), (2.0, 2.0));
        assert!(!band.keeps(&mixes[1]), "100% > 60%");
    }
}
