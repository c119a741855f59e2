//! Hard caps and floors per territory: "no more than 250 accounts", "at most 230 units", "at least $2M of
//! potential" — constraints every plan the optimizer calls feasible meets, not penalties traded against travel.
//!
//! A [`LimitSpec`] is what a planner asks (`--cap accounts:250`); [`resolve`] checks the request against the units
//! and turns it into [`Limit`]s (one per measure, with its cap and/or floor), refusing what provably cannot be met
//! ([`LimitError`]: the caps add up to less than the total, a single unit is above a cap, the floors add up to
//! more than the total, locked units already break one, a cap on the balanced measure below its tolerance band...).
//! The measure [`UNITS`] is the number of units.
//!
//! How each step of the optimizer keeps them:
//! - allocation prices each territory's limits into its arcs (Lagrangian relaxation, a subgradient step per
//!   re-solve, [`crate::assign::Allocator::with_limits`]) and resolves split units to a share that keeps them;
//! - local search and balance repair never make a move (or chain) that leaves any territory's excess over a limit
//!   larger than it was, so a limit that held keeps holding, and moves that shrink an excess come first;
//! - contiguity repair hands a fragment to the neighbour where it breaks the fewest limits;
//! - restarts are ranked by contiguity, then total excess over the limits, then balance, then travel.
//!
//! The excess figures here are relative (excess / the limit's value), so several limits add up.

use thiserror::Error;

use crate::model::Units;

/// The name that means "the number of units" in a cap or a floor.
pub const UNITS: &str = "units";

/// Slack (relative to the limit's value) under which a load counts as within it: sums taken in another order differ
/// in their last bits.
pub const SLACK: f64 = 1e-9;

/// Cap or floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitKind {
    /// An upper limit on every territory's load.
    Cap,
    /// A lower limit on every territory's load.
    Floor,
}

impl LimitKind {
    /// `cap` or `floor`, as the planner writes it.
    pub fn word(self) -> &'static str {
        match self {
            LimitKind::Cap => "cap",
            LimitKind::Floor => "floor",
        }
    }
}

/// One limit as a planner asks for it: every territory's `measure` at most (cap) or at least (floor) `value`.
#[derive(Debug, Clone, PartialEq)]
pub struct LimitSpec {
    /// A measure of the units, or [`UNITS`] for their number.
    pub measure: String,
    /// Cap or floor.
    pub kind: LimitKind,
    /// The limit.
    pub value: f64,
}

impl LimitSpec {
    /// `cap units:230`, as messages name it.
    pub fn label(&self) -> String {
        format!("{} {}:{}", self.kind.word(), self.measure, number(self.value))
    }
}

/// A measure with the cap and/or floor every territory must keep, as the optimizer holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    /// The measure ([`UNITS`] for the number of units).
    pub measure: String,
    /// Its value per unit (1 for [`UNITS`]).
    pub values: Vec<f64>,
    /// Largest load allowed per territory.
    pub cap: Option<f64>,
    /// Smallest load allowed per territory.
    pub floor: Option<f64>,
    /// What one relative unit of excess stands for; `None`: the limit's own value (a territory 10% over a cap
    /// of 250 has excess 0.1). A segment mix band ([`crate::mix`]) limits a derived measure to 0 and sets this
    /// to the mean territory's count, so its excess reads as a share of an average territory.
    pub scale: Option<f64>,
    /// Load every territory carries whatever the plan (named accounts' loads), one entry per territory; empty
    /// when none. [`limit_loads`] starts each territory's load from it.
    pub base: Vec<f64>,
    /// The index in [`crate::Problem::mixes`] of the segment mix band this limit keeps one end of; `None` for a
    /// planner's cap or floor.
    pub band: Option<usize>,
}

impl Limit {
    /// A cap and/or floor on `measure` with these per-unit `values`, no base load, relative to its own values.
    pub fn new(measure: impl Into<String>, values: Vec<f64>, cap: Option<f64>, floor: Option<f64>) -> Self {
        Limit {
            measure: measure.into(),
            values,
            cap,
            floor,
            scale: None,
            base: Vec::new(),
            band: None,
        }
    }

    /// The divisor of an excess over (or under) `value`: [`Limit::scale`], else `value` (never below 1e-12).
    pub fn norm(&self, value: f64) -> f64 {
        self.scale.unwrap_or(value).abs().max(1e-12)
    }

    /// The base load of territory `t` (0 without one).
    pub fn base_of(&self, t: usize) -> f64 {
        self.base.get(t).copied().unwrap_or(0.0)
    }

    /// The excess of a territory's `load` beyond the cap or below the floor, relative to [`Limit::norm`] (0 when
    /// within, up to [`SLACK`]).
    pub fn excess(&self, load: f64) -> f64 {
        let over = self
            .cap
            .map_or(0.0, |c| relative(load - c * (1.0 + SLACK) - SLACK, self.norm(c)));
        let under = self
            .floor
            .map_or(0.0, |f| relative(f * (1.0 - SLACK) - SLACK - load, self.norm(f)));
        over + under
    }

    /// True when `load` is within the cap and the floor.
    pub fn holds(&self, load: f64) -> bool {
        self.excess(load) == 0.0
    }

    /// The words of the limits this measure has: `cap units:230`, `cap accounts:250 and floor accounts:100`; for
    /// one end of a mix band, the band's words (its measure).
    pub fn label(&self) -> String {
        if self.band.is_some() {
            return self.measure.clone();
        }
        let cap = self.cap.map(|c| format!("cap {}:{}", self.measure, number(c)));
        let floor = self.floor.map(|f| format!("floor {}:{}", self.measure, number(f)));
        cap.into_iter().chain(floor).collect::<Vec<_>>().join(" and ")
    }
}

/// `x / scale` when positive, else 0.
fn relative(x: f64, scale: f64) -> f64 {
    if x > 0.0 {
        x / scale
    } else {
        0.0
    }
}

/// A number as a planner wrote it: whole numbers without decimals, others with up to four significant decimals.
pub fn number(x: f64) -> String {
    let x = x + 0.0; // -0.0 (an empty f64 sum starts there) prints as 0
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Why caps and floors cannot be met, proved before any run; each variant names the limit and the numbers.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum LimitError {
    /// The limit names a measure the units do not have.
    #[error("{label}: the units have no measure {measure:?} (they have: {available}; `units` is their number)")]
    UnknownMeasure {
        /// The limit as written.
        label: String,
        /// The measure.
        measure: String,
        /// The measures the units have.
        available: String,
    },
    /// The units have a measure named `units`, which a limit cannot tell from their number.
    #[error(
        "{label}: `units` means the number of units, but the units also have a measure named \"units\"; rename \
         that column to cap or floor it"
    )]
    UnitsColumn {
        /// The limit as written.
        label: String,
    },
    /// A value that is not a non-negative number.
    #[error("{label}: a {kind} must be a number of at least 0")]
    BadValue {
        /// The limit as written.
        label: String,
        /// `cap` or `floor`.
        kind: &'static str,
    },
    /// Two caps (or two floors) on one measure.
    #[error("{first} and {second}: give one {kind} per measure")]
    Twice {
        /// The first one.
        first: String,
        /// The second one.
        second: String,
        /// `cap` or `floor`.
        kind: &'static str,
    },
    /// The floor is above the cap.
    #[error("{floor} is above {cap}: no territory can be both")]
    FloorAboveCap {
        /// The floor as written.
        floor: String,
        /// The cap as written.
        cap: String,
    },
    /// The caps of all territories add up to less than the total.
    #[error(
        "{label} cannot hold: {territories} territories × {cap} = {room} {measure}, but the units have {total} \
         {measure} in total{incl} ({short} short); raise the cap to at least {min_cap} or plan at least \
         {min_territories} territories"
    )]
    CapsBelowTotal {
        /// The limit as written.
        label: String,
        /// ", named accounts included" when territories carry named loads, else empty.
        incl: &'static str,
        /// The measure.
        measure: String,
        /// The cap.
        cap: String,
        /// Territories.
        territories: usize,
        /// territories × cap.
        room: String,
        /// The units' total.
        total: String,
        /// total − room.
        short: String,
        /// total / territories.
        min_cap: String,
        /// ⌈total / cap⌉.
        min_territories: String,
    },
    /// The floors of all territories add up to more than the total.
    #[error(
        "{label} cannot hold: {territories} territories × {floor} = {need} {measure}, but the units have only \
         {total} {measure} in total{incl} ({short} short); lower the floor to at most {max_floor} or plan at most \
         {max_territories} territories"
    )]
    FloorsAboveTotal {
        /// The limit as written.
        label: String,
        /// ", named accounts included" when territories carry named loads, else empty.
        incl: &'static str,
        /// The measure.
        measure: String,
        /// The floor.
        floor: String,
        /// Territories.
        territories: usize,
        /// territories × floor.
        need: String,
        /// The units' total.
        total: String,
        /// need − total.
        short: String,
        /// total / territories.
        max_floor: String,
        /// ⌊total / floor⌋.
        max_territories: String,
    },
    /// One unit alone is above a cap: whichever territory gets it breaks the cap.
    #[error(
        "{label} cannot hold: unit {id} alone has {measure} {value}, {over} above the cap, and every unit belongs \
         to a territory; raise the cap to at least {value}"
    )]
    UnitAboveCap {
        /// The limit as written.
        label: String,
        /// The measure.
        measure: String,
        /// The unit.
        id: String,
        /// Its value.
        value: String,
        /// value − cap.
        over: String,
    },
    /// Named accounts of one territory alone break a cap.
    #[error(
        "{label} cannot hold: the accounts named to territory {territory} alone have {measure} {named}, {over} \
         above the cap; name fewer accounts to it or raise the cap"
    )]
    NamedAboveCap {
        /// The limit as written.
        label: String,
        /// The measure.
        measure: String,
        /// The territory.
        territory: String,
        /// Their load.
        named: String,
        /// named − cap.
        over: String,
    },
    /// Units locked to one territory (with its named accounts) already break a cap.
    #[error(
        "{label} cannot hold: the units locked to territory {territory}{with_named} already have {measure} \
         {locked}, {over} above the cap; unlock some of them or raise the cap"
    )]
    LockedAboveCap {
        /// " with its named accounts" when the territory has named load, else empty.
        with_named: &'static str,
        /// The limit as written.
        label: String,
        /// The measure.
        measure: String,
        /// The territory.
        territory: String,
        /// Their load.
        locked: String,
        /// locked − cap.
        over: String,
    },
    /// A limit on the balanced measure outside every plan within the tolerance.
    #[error(
        "{label} cannot hold together with ±{tol_pct}%: territory {territory} must carry {bound_word} {bound} \
         {measure}{with_named} to be within the tolerance, {gap} {side} the {kind}; {fix}"
    )]
    OutsideBand {
        /// " (its named accounts included)" when the territory has named load, else empty.
        with_named: &'static str,
        /// The limit as written.
        label: String,
        /// The balanced measure.
        measure: String,
        /// `cap` or `floor`.
        kind: &'static str,
        /// The tolerance in percent.
        tol_pct: String,
        /// The territory whose band misses the limit.
        territory: String,
        /// "at least" (a cap below the band) or "at most" (a floor above it).
        bound_word: &'static str,
        /// The band's end.
        bound: String,
        /// How far the band is from the limit.
        gap: String,
        /// "above" or "below".
        side: &'static str,
        /// What would work.
        fix: String,
    },
}

/// What [`resolve`] needs to know of the problem besides the limits.
#[derive(Debug, Clone, Copy)]
pub struct LimitContext<'a> {
    /// The units.
    pub units: &'a Units,
    /// Territory names.
    pub names: &'a [String],
    /// The balanced measure.
    pub balance: &'a str,
    /// Target load per territory.
    pub targets: &'a [f64],
    /// Tolerance.
    pub tolerance: f64,
    /// Territory each unit is locked to.
    pub locks: &'a [Option<u32>],
}

/// Checks `specs` and turns them into one [`Limit`] per measure (no base loads yet: see [`prove`]).
///
/// # Errors
/// A [`LimitError`] naming the limit and its numbers when it names an unknown measure, has a negative or
/// non-finite value, repeats a cap or floor, has a floor above its cap, or provably cannot hold: the caps add up to
/// less than the total, the floors to more, one unit (or one territory's locked units) is above a cap, or a limit
/// on the balanced measure lies outside a territory's tolerance band. Sum arguments are made only for measures
/// with no negative value (where they are proofs).
pub fn resolve(specs: &[LimitSpec], cx: &LimitContext<'_>) -> Result<Vec<Limit>, Box<LimitError>> {
    resolve_unboxed(specs, cx).map_err(Box::new)
}

/// [`resolve`] with the error by value (it is large, but made once, before a run).
#[allow(clippy::result_large_err)]
fn resolve_unboxed(specs: &[LimitSpec], cx: &LimitContext<'_>) -> Result<Vec<Limit>, LimitError> {
    let n = cx.units.len();
    let p = cx.names.len();
    let mut limits: Vec<(Limit, [Option<String>; 2])> = Vec::new();
    for spec in specs {
        let label = spec.label();
        if !(spec.value.is_finite() && spec.value >= 0.0) {
            return Err(LimitError::BadValue {
                label,
                kind: spec.kind.word(),
            });
        }
        if spec.measure == UNITS && cx.units.measure(UNITS).is_some() {
            return Err(LimitError::UnitsColumn { label });
        }
        let values: Vec<f64> = if spec.measure == UNITS {
            vec![1.0; n]
        } else {
            cx.units
                .measure(&spec.measure)
                .ok_or_else(|| LimitError::UnknownMeasure {
                    label: label.clone(),
                    measure: spec.measure.clone(),
                    available: cx
                        .units
                        .measures()
                        .iter()
                        .map(|m| m.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                })?
                .to_vec()
        };
        let k = match limits.iter().position(|(l, _)| l.measure == spec.measure) {
            Some(k) => k,
            None => {
                limits.push((Limit::new(spec.measure.clone(), values, None, None), [None, None]));
                limits.len() - 1
            }
        };
        let (limit, labels) = &mut limits[k];
        let (slot, seen) = match spec.kind {
            LimitKind::Cap => (&mut limit.cap, &mut labels[0]),
            LimitKind::Floor => (&mut limit.floor, &mut labels[1]),
        };
        if let Some(first) = seen {
            return Err(LimitError::Twice {
                first: first.clone(),
                second: label,
                kind: spec.kind.word(),
            });
        }
        *slot = Some(spec.value);
        *seen = Some(label);
    }
    for (limit, labels) in &limits {
        if let (Some(c), Some(f), [Some(cap), Some(floor)]) = (limit.cap, limit.floor, labels) {
            if f > c {
                return Err(LimitError::FloorAboveCap {
                    floor: floor.clone(),
                    cap: cap.clone(),
                });
            }
        }
        prove_possible(limit, labels, cx, p)?;
    }
    Ok(limits.into_iter().map(|(l, _)| l).collect())
}

/// Proves again, as [`resolve`] does, that the planner's `limits` (those without [`Limit::band`]) can hold, now
/// with their base loads ([`Limit::base`], the named accounts' load of each territory) and `cx`'s targets (which
/// named accounts shift). A territory's base load counts in its every load: towards the total, and against its
/// cap before any unit joins it.
///
/// # Errors
/// As [`resolve`], and [`LimitError::NamedAboveCap`] when a territory's base load alone is above a cap.
pub fn prove(limits: &[Limit], cx: &LimitContext<'_>) -> Result<(), Box<LimitError>> {
    for limit in limits.iter().filter(|l| l.band.is_none()) {
        let labels = [
            limit.cap.map(|c| format!("cap {}:{}", limit.measure, number(c))),
            limit.floor.map(|f| format!("floor {}:{}", limit.measure, number(f))),
        ];
        prove_possible(limit, &labels, cx, cx.names.len()).map_err(Box::new)?;
    }
    Ok(())
}

/// The proofs of [`resolve`] for one measure's limits.
#[allow(clippy::result_large_err)]
fn prove_possible(
    limit: &Limit,
    labels: &[Option<String>; 2],
    cx: &LimitContext<'_>,
    p: usize,
) -> Result<(), LimitError> {
    let m = limit.measure.as_str();
    if limit.values.iter().chain(&limit.base).any(|&v| v < 0.0) {
        return Ok(()); // with negative values, sums prove nothing
    }
    let based = limit.base.iter().any(|&b| b > 0.0);
    let (incl, with_named): (&'static str, &'static str) = if based {
        (", named accounts included", " (its named accounts included)")
    } else {
        ("", "")
    };
    let total: f64 = limit.values.iter().chain(&limit.base).sum();
    if let (Some(cap), Some(label)) = (limit.cap, &labels[0]) {
        let room = cap * p as f64;
        if room * (1.0 + SLACK) < total {
            return Err(LimitError::CapsBelowTotal {
                label: label.clone(),
                incl,
                measure: m.to_string(),
                cap: number(cap),
                territories: p,
                room: number(room),
                total: number(total),
                short: number(total - room),
                min_cap: number(round_up(total / p as f64)),
                min_territories: if cap > 0.0 {
                    number((total / cap * (1.0 - SLACK)).ceil())
                } else {
                    "∞ (the cap is 0)".into()
                },
            });
        }
        if let Some((i, &v)) = limit.values.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)) {
            if v > cap * (1.0 + SLACK) + SLACK {
                return Err(LimitError::UnitAboveCap {
                    label: label.clone(),
                    measure: m.to_string(),
                    id: cx.units.ids()[i].clone(),
                    value: number(v),
                    over: number(v - cap),
                });
            }
        }
        if let Some(t) = (0..p).find(|&t| limit.base_of(t) > cap * (1.0 + SLACK) + SLACK) {
            return Err(LimitError::NamedAboveCap {
                label: label.clone(),
                measure: m.to_string(),
                territory: cx.names[t].clone(),
                named: number(limit.base_of(t)),
                over: number(limit.base_of(t) - cap),
            });
        }
        let mut locked: Vec<f64> = (0..p).map(|t| limit.base_of(t)).collect();
        for (i, l) in cx.locks.iter().enumerate() {
            if let Some(t) = l {
                locked[*t as usize] += limit.values[i];
            }
        }
        if let Some(t) = (0..p).find(|&t| locked[t] > cap * (1.0 + SLACK) + SLACK) {
            return Err(LimitError::LockedAboveCap {
                with_named: if limit.base_of(t) > 0.0 {
                    " with its named accounts"
                } else {
                    ""
                },
                label: label.clone(),
                measure: m.to_string(),
                territory: cx.names[t].clone(),
                locked: number(locked[t]),
                over: number(locked[t] - cap),
            });
        }
        if m == cx.balance {
            // A territory's full load: its base plus its units', held within the tolerance of its target.
            let least = |t: usize| limit.base_of(t) + cx.targets[t] * (1.0 - cx.tolerance);
            if let Some(t) = (0..p).find(|&t| least(t) > cap * (1.0 + SLACK) + SLACK) {
                let bound = least(t);
                return Err(LimitError::OutsideBand {
                    with_named: if limit.base_of(t) > 0.0 { with_named } else { "" },
                    label: label.clone(),
                    measure: m.to_string(),
                    kind: "cap",
                    tol_pct: number(cx.tolerance * 100.0),
                    territory: cx.names[t].clone(),
                    bound_word: "at least",
                    bound: number(round_up(bound)),
                    gap: number(round_up(bound - cap)),
                    side: "above",
                    fix: format!(
                        "raise the cap to at least {}, widen the tolerance or plan more territories",
                        number(round_up(bound))
                    ),
                });
            }
        }
    }
    if let (Some(floor), Some(label)) = (limit.floor, &labels[1]) {
        let need = floor * p as f64;
        if need > total * (1.0 + SLACK) + SLACK {
            return Err(LimitError::FloorsAboveTotal {
                label: label.clone(),
                incl,
                measure: m.to_string(),
                floor: number(floor),
                territories: p,
                need: number(need),
                total: number(total),
                short: number(need - total),
                max_floor: number(round_down(total / p as f64)),
                max_territories: number((total / floor * (1.0 + SLACK)).floor()),
            });
        }
        if m == cx.balance {
            let most = |t: usize| limit.base_of(t) + cx.targets[t] * (1.0 + cx.tolerance);
            if let Some(t) = (0..p).find(|&t| most(t) < floor * (1.0 - SLACK) - SLACK) {
                let bound = most(t);
                return Err(LimitError::OutsideBand {
                    with_named: if limit.base_of(t) > 0.0 { with_named } else { "" },
                    label: label.clone(),
                    measure: m.to_string(),
                    kind: "floor",
                    tol_pct: number(cx.tolerance * 100.0),
                    territory: cx.names[t].clone(),
                    bound_word: "at most",
                    bound: number(round_down(bound)),
                    gap: number(round_up(floor - bound)),
                    side: "below",
                    fix: format!(
                        "lower the floor to at most {}, widen the tolerance or plan fewer territories",
                        number(round_down(bound))
                    ),
                });
            }
        }
    }
    Ok(())
}

/// `x` rounded up to four decimals (so a suggested cap is enough).
fn round_up(x: f64) -> f64 {
    (x * 1e4 - 1e-6).ceil() / 1e4
}

/// `x` rounded down to four decimals (so a suggested floor is low enough).
fn round_down(x: f64) -> f64 {
    (x * 1e4 + 1e-6).floor() / 1e4
}

/// Per limit, the load of every territory: `loads[l][t]`, its base load ([`Limit::base`]) included.
pub fn limit_loads(limits: &[Limit], assignment: &[u32], p: usize) -> Vec<Vec<f64>> {
    limits
        .iter()
        .map(|l| {
            let mut loads: Vec<f64> = (0..p).map(|t| l.base_of(t)).collect();
            for (i, &t) in assignment.iter().enumerate() {
                if let Some(x) = loads.get_mut(t as usize) {
                    *x += l.values[i];
                }
            }
            loads
        })
        .collect()
}

/// Total relative excess of `assignment` over every territory's limits (0: every cap and floor holds).
pub fn total_excess(limits: &[Limit], assignment: &[u32], p: usize) -> f64 {
    limits
        .iter()
        .zip(limit_loads(limits, assignment, p))
        .map(|(l, loads)| loads.iter().map(|&x| l.excess(x)).sum::<f64>())
        .sum()
}

/// A territory that breaks a limit, for reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Breach {
    /// Territory index.
    pub territory: usize,
    /// Its load.
    pub load: f64,
    /// The limit broken.
    pub kind: LimitKind,
    /// The limit's value.
    pub limit: f64,
}

/// Every territory that breaks `limit` under `assignment`, worst first.
pub fn breaches(limit: &Limit, assignment: &[u32], p: usize) -> Vec<Breach> {
    let loads = &limit_loads(std::slice::from_ref(limit), assignment, p)[0];
    let mut out: Vec<Breach> = Vec::new();
    for (t, &load) in loads.iter().enumerate() {
        if limit.holds(load) {
            continue;
        }
        let (kind, value) = match (limit.cap, limit.floor) {
            (Some(c), _) if load > c => (LimitKind::Cap, c),
            (_, Some(f)) => (LimitKind::Floor, f),
            (Some(c), None) => (LimitKind::Cap, c),
            (None, None) => continue,
        };
        out.push(Breach {
            territory: t,
            load,
            kind,
            limit: value,
        });
    }
    out.sort_by(|a, b| {
        limit
            .excess(b.load)
            .total_cmp(&limit.excess(a.load))
            .then(a.territory.cmp(&b.territory))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Measure;

    fn spec(measure: &str, kind: LimitKind, value: f64) -> LimitSpec {
        LimitSpec {
            measure: measure.into(),
            kind,
            value,
        }
    }

    /// Ten units with accounts 1..=10 (55 in all) and workload 1 each, in two territories with targets 5 and 5.
    fn run(specs: &[LimitSpec], locks: &[Option<u32>]) -> Result<Vec<Limit>, Box<LimitError>> {
        run_with((1..=10).map(f64::from).collect(), &[5.0, 5.0], specs, locks)
    }

    /// Ten units with these accounts and workload 1 each, in two territories with these targets.
    fn run_with(
        accounts: Vec<f64>,
        targets: &[f64],
        specs: &[LimitSpec],
        locks: &[Option<u32>],
    ) -> Result<Vec<Limit>, Box<LimitError>> {
        let units = Units::new(
            (0..10).map(|i| format!("u{i}")).collect(),
            vec![0.0; 10],
            vec![0.0; 10],
            vec![
                Measure {
                    name: "accounts".into(),
                    values: accounts,
                },
                Measure {
                    name: "workload".into(),
                    values: vec![1.0; 10],
                },
            ],
        )
        .expect("units");
        let names = vec!["A".to_string(), "B".to_string()];
        let cx = LimitContext {
            units: &units,
            names: &names,
            balance: "workload",
            targets,
            tolerance: 0.05,
            locks,
        };
        resolve(specs, &cx)
    }

    #[test]
    fn caps_below_the_total_are_refused_with_the_shortfall_and_the_fix() {
        let free = vec![None; 10];
        let e = run(&[spec("units", LimitKind::Cap, 4.0)], &free).expect_err("2 × 4 < 10");
        let msg = e.to_string();
        assert!(
            msg.contains("cap units:4 cannot hold: 2 territories × 4 = 8 units"),
            "{msg}"
        );
        assert!(msg.contains("10 units in total (2 short)"), "{msg}");
        assert!(msg.contains("at least 5 or plan at least 3 territories"), "{msg}");
        run(&[spec("units", LimitKind::Cap, 5.0)], &free).expect("2 × 5 = 10 fits");
    }

    #[test]
    fn a_unit_above_a_cap_and_locked_units_above_it_are_named() {
        let free = vec![None; 10];
        let mut accounts = vec![1.0; 10];
        accounts[9] = 12.0; // 21 in all: two caps of 11 have room for the total, not for u9
        let e = run_with(accounts, &[5.0, 5.0], &[spec("accounts", LimitKind::Cap, 11.0)], &free)
            .expect_err("unit u9 has 12");
        assert!(
            e.to_string().contains("unit u9 alone has accounts 12, 1 above the cap"),
            "{e}"
        );
        let mut accounts = vec![1.0; 10];
        accounts[7] = 8.0;
        accounts[8] = 9.0; // 25 in all
        let mut locks = free.clone();
        locks[7] = Some(1);
        locks[8] = Some(1);
        let e = run_with(accounts, &[5.0, 5.0], &[spec("accounts", LimitKind::Cap, 16.0)], &locks)
            .expect_err("8 + 9 = 17 locked to B");
        assert!(
            e.to_string()
                .contains("locked to territory B already have accounts 17, 1 above"),
            "{e}"
        );
    }

    #[test]
    fn floors_above_the_total_and_floors_above_caps_are_refused() {
        let free = vec![None; 10];
        let e = run(&[spec("accounts", LimitKind::Floor, 28.0)], &free).expect_err("2 × 28 > 55");
        assert!(e.to_string().contains("2 territories × 28 = 56 accounts"), "{e}");
        assert!(e.to_string().contains("lower the floor to at most 27.5"), "{e}");
        let e = run(
            &[
                spec("accounts", LimitKind::Cap, 30.0),
                spec("accounts", LimitKind::Floor, 31.0),
            ],
            &free,
        )
        .expect_err("floor above cap");
        assert_eq!(
            e.to_string(),
            "floor accounts:31 is above cap accounts:30: no territory can be both"
        );
        let e = run(
            &[spec("units", LimitKind::Cap, 6.0), spec("units", LimitKind::Cap, 7.0)],
            &free,
        )
        .expect_err("two caps");
        assert!(e.to_string().contains("give one cap per measure"), "{e}");
    }

    #[test]
    fn a_limit_on_the_balanced_measure_outside_a_territorys_band_is_refused() {
        let free = vec![None; 10];
        let accounts: Vec<f64> = (1..=10).map(f64::from).collect();
        // Targets 3 and 7 (reps of unequal capacity) ± 5%: B carries at least 6.65, A at most 3.15.
        let e = run_with(
            accounts.clone(),
            &[3.0, 7.0],
            &[spec("workload", LimitKind::Cap, 6.0)],
            &free,
        )
        .expect_err("below B's band");
        assert!(e.to_string().contains("cannot hold together with ±5%"), "{e}");
        assert!(
            e.to_string().contains("territory B must carry at least 6.65 workload"),
            "{e}"
        );
        run_with(
            accounts.clone(),
            &[3.0, 7.0],
            &[spec("workload", LimitKind::Cap, 7.5)],
            &free,
        )
        .expect("within");
        let e = run_with(accounts, &[3.0, 7.0], &[spec("workload", LimitKind::Floor, 3.5)], &free)
            .expect_err("above A's band");
        assert!(
            e.to_string().contains("territory A must carry at most 3.15 workload"),
            "{e}"
        );
    }

    #[test]
    fn unknown_measures_and_bad_values_are_named() {
        let free = vec![None; 10];
        let e = run(&[spec("revenue", LimitKind::Cap, 3.0)], &free).expect_err("unknown");
        assert!(
            e.to_string()
                .contains("cap revenue:3: the units have no measure \"revenue\""),
            "{e}"
        );
        let e = run(&[spec("units", LimitKind::Floor, -1.0)], &free).expect_err("negative");
        assert!(e.to_string().contains("a floor must be a number of at least 0"), "{e}");
    }

    #[test]
    fn excess_is_relative_and_zero_within_the_limits() {
        let l = Limit::new("units", vec![1.0; 4], Some(200.0), Some(100.0));
        assert_eq!(l.excess(150.0), 0.0);
        assert_eq!(l.excess(200.0), 0.0);
        assert!((l.excess(210.0) - 0.05).abs() < 1e-6);
        assert!((l.excess(90.0) - 0.1).abs() < 1e-6);
        assert_eq!(l.label(), "cap units:200 and floor units:100");
        assert_eq!(number(2e6), "2000000");
        assert_eq!(number(0.125), "0.125");
    }

    #[test]
    fn breaches_list_the_territories_out_of_their_limits_worst_first() {
        let l = Limit::new("units", vec![1.0; 6], Some(2.0), Some(1.0));
        // Territory 0 has 4 units (2 over), territory 1 has 2, territory 2 none (1 under).
        let b = breaches(&l, &[0, 0, 0, 0, 1, 1], 3);
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].territory, b[0].kind, b[0].load), (0, LimitKind::Cap, 4.0));
        assert_eq!((b[1].territory, b[1].kind, b[1].load), (2, LimitKind::Floor, 0.0));
    }
}
