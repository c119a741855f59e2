//! Comparing scenarios: what changes between a baseline scenario and one to three others, in the figures a
//! manager asks about ("what changes for my reps?").
//!
//! [`Comparison::new`] evaluates every scenario's plan on the same dataset and measure (so the figures are
//! comparable, whatever measure each run balanced) and lays out three tables:
//!
//! - [`ScenarioRow`]: per scenario, max deviation, CV, travel, non-contiguous territories, and against the
//!   baseline (the first scenario) the units moved, each measure moved, and the territories whose units changed;
//! - [`TerritoryRow`]: per scenario after the first and per territory, before (baseline), after and the
//!   difference of every measure, units, travel and deviation, with the units gained and lost;
//! - [`MoveRow`]: the realignment list, every unit whose territory differs from the baseline's, with its old
//!   and new territory and rep.
//!
//! Territories are matched by name (the rep id when a plan was made for reps), which is what makes "before" and
//! "after" of one rep meaningful. A territory present in only one scenario has `None` on the other side.
//! A unit moved when its territory's name differs.

mod write;

use std::collections::HashMap;

use serde::Serialize;
use tessera_optimizer::{evaluate, Evaluation, Plan};

use crate::accounts::NamedLoads;
use crate::Dataset;

pub use write::{write_comparison_csv, write_comparison_json, CompareFiles};

/// One scenario to compare: its name and plan.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// Scenario name.
    pub name: &'a str,
    /// Its plan, one territory per unit in the dataset's unit order.
    pub plan: &'a Plan,
}

/// The headline figures of one scenario, and what moved against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioRow {
    /// Scenario name.
    pub scenario: String,
    /// Territories with at least one unit.
    pub territories: usize,
    /// Largest relative deviation of a territory's load from its target.
    pub max_dev: f64,
    /// Coefficient of variation of the loads.
    pub cv: f64,
    /// Travel, Σ workload × km to the territory's center ([`crate::figures::TRAVEL_UNIT`]).
    pub travel: f64,
    /// Territories that are not connected.
    pub n_noncontiguous: usize,
    /// Units whose territory differs from the baseline's (0 for the baseline).
    pub units_moved: usize,
    /// Of every measure (in [`Comparison::measures`] order), the amount on units that moved.
    pub moved: Vec<f64>,
    /// Territories (reps) whose set of units differs from the baseline's, in name order.
    pub changed_territories: Vec<String>,
}

/// One territory's figures before (baseline) and after (another scenario).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TerritoryRow {
    /// The scenario compared with the baseline.
    pub scenario: String,
    /// Territory name.
    pub territory: String,
    /// The rep's name when the territory is named after a rep.
    pub rep: Option<String>,
    /// Units before and after (`None` when the territory does not exist on that side).
    pub units: Pair,
    /// Every measure's load, in [`Comparison::measures`] order.
    pub loads: Vec<Pair>,
    /// Travel before and after.
    pub travel: Pair,
    /// Signed relative deviation of the balanced measure before and after.
    pub deviation: Pair,
    /// Units this territory gained from others.
    pub gained: usize,
    /// Units it lost to others.
    pub lost: usize,
}

/// A figure before and after; the difference is `after - before` where both exist.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pair {
    /// In the baseline.
    pub before: Option<f64>,
    /// In the compared scenario.
    pub after: Option<f64>,
}

impl Pair {
    /// `after - before`, counting a missing side as 0 (a territory that appears gains all it has).
    pub fn diff(&self) -> f64 {
        self.after.unwrap_or(0.0) - self.before.unwrap_or(0.0)
    }
}

/// One unit that changed territory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoveRow {
    /// The scenario the unit moved in.
    pub scenario: String,
    /// Unit id.
    pub unit: String,
    /// Territory in the baseline.
    pub from: String,
    /// Its rep's name, when the territory is a rep's.
    pub from_rep: Option<String>,
    /// Territory in the compared scenario.
    pub to: String,
    /// Its rep's name.
    pub to_rep: Option<String>,
    /// The unit's measures, in [`Comparison::measures`] order.
    pub values: Vec<f64>,
}

/// Two to four scenarios compared with the first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The measure balance and deviation refer to.
    pub measure: String,
    /// Every measure of the units, in the order of the `loads`, `moved` and `values` lists.
    pub measures: Vec<String>,
    /// The unit of `travel`.
    pub travel_unit: &'static str,
    /// One row per scenario, the baseline first.
    pub scenarios: Vec<ScenarioRow>,
    /// Per scenario after the first, per territory (in name order).
    pub territories: Vec<TerritoryRow>,
    /// Every moved unit, per scenario after the first, in unit order.
    pub moves: Vec<MoveRow>,
}

/// Why scenarios cannot be compared.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompareError {
    /// Fewer than two or more than four scenarios.
    #[error("compare takes 2 to 4 scenarios, {0} given")]
    Count(usize),
    /// The same scenario twice.
    #[error("scenario {0:?} is given twice")]
    Duplicate(String),
    /// The units have no such measure.
    #[error("the units have no measure {measure:?} (they have: {available})")]
    NoMeasure {
        /// The measure asked for.
        measure: String,
        /// The measures there are, comma-separated.
        available: String,
    },
    /// A plan does not cover the dataset's units.
    #[error("scenario {name:?} assigns {plan} units but the workbook has {units}")]
    PlanSize {
        /// Scenario name.
        name: String,
        /// Entries in its plan.
        plan: usize,
        /// Units in the dataset.
        units: usize,
    },
}

impl Comparison {
    /// Compares `sides[1..]` with `sides[0]` on `dataset`, balance and deviation measured on `measure`.
    ///
    /// Complexity: one evaluation per scenario (medoids O(Σ n_t²) without reps) plus O(n) per scenario.
    ///
    /// # Errors
    /// [`CompareError`] for 0–1 or more than 4 scenarios, a repeated name, an unknown measure or a plan that
    /// does not fit the dataset.
    pub fn new(dataset: &Dataset, sides: &[Side<'_>], measure: &str) -> Result<Self, CompareError> {
        Self::with_named(dataset, sides, measure, &NamedLoads::default())
    }

    /// [`Comparison::new`] with named accounts' loads counted for their territories in every scenario's figures
    /// ([`NamedLoads::add_to`]). Named accounts never move, so the moves are the units' as before.
    ///
    /// # Errors
    /// As [`Comparison::new`].
    pub fn with_named(
        dataset: &Dataset,
        sides: &[Side<'_>],
        measure: &str,
        named: &NamedLoads,
    ) -> Result<Self, CompareError> {
        if !(2..=4).contains(&sides.len()) {
            return Err(CompareError::Count(sides.len()));
        }
        for (k, s) in sides.iter().enumerate() {
            if sides[..k].iter().any(|o| o.name == s.name) {
                return Err(CompareError::Duplicate(s.name.to_string()));
            }
        }
        let units = &dataset.units;
        let measures: Vec<String> = units.measures().iter().map(|m| m.name.clone()).collect();
        let weights = units.measure(measure).ok_or_else(|| CompareError::NoMeasure {
            measure: measure.to_string(),
            available: measures.join(", "),
        })?;
        for s in sides {
            let n = s.plan.territory_of().len();
            if n != units.len()
                || s.plan
                    .territory_of()
                    .iter()
                    .any(|&t| t as usize >= s.plan.names().len())
            {
                return Err(CompareError::PlanSize {
                    name: s.name.to_string(),
                    plan: n,
                    units: units.len(),
                });
            }
        }
        let rep_name: HashMap<&str, &str> = dataset.reps.iter().map(|r| (r.id.as_str(), r.name.as_str())).collect();
        let rep_of = |t: &str| rep_name.get(t).map(|n| n.to_string());
        let evaluations: Vec<Evaluation> = sides
            .iter()
            .map(|s| {
                let p = s.plan.names().len().max(1);
                let mut e = evaluate(units, &dataset.adjacency, s.plan, weights, p, &dataset.reps);
                named.add_to(&mut e, measure);
                e
            })
            .collect();

        let base = sides[0].plan;
        let base_name = |i: usize| base.names()[base.territory_of()[i] as usize].as_str();
        let mut scenarios = Vec::new();
        let mut territories = Vec::new();
        let mut moves = Vec::new();
        for (k, (side, ev)) in sides.iter().zip(&evaluations).enumerate() {
            let plan = side.plan;
            let name_of = |i: usize| plan.names()[plan.territory_of()[i] as usize].as_str();
            let mut moved = vec![0.0; measures.len()];
            let mut units_moved = 0;
            // Per territory name: units gained and lost.
            let mut gained: HashMap<&str, usize> = HashMap::new();
            let mut lost: HashMap<&str, usize> = HashMap::new();
            for i in 0..units.len() {
                let (from, to) = (base_name(i), name_of(i));
                if from == to {
                    continue;
                }
                units_moved += 1;
                *gained.entry(to).or_default() += 1;
                *lost.entry(from).or_default() += 1;
                for (m, total) in units.measures().iter().zip(moved.iter_mut()) {
                    *total += m.values[i];
                }
                if k > 0 {
                    moves.push(MoveRow {
                        scenario: side.name.to_string(),
                        unit: units.ids()[i].clone(),
                        from: from.to_string(),
                        from_rep: rep_of(from),
                        to: to.to_string(),
                        to_rep: rep_of(to),
                        values: units.measures().iter().map(|m| m.values[i]).collect(),
                    });
                }
            }
            let mut changed: Vec<String> = gained.keys().chain(lost.keys()).map(|s| s.to_string()).collect();
            changed.sort();
            changed.dedup();
            scenarios.push(ScenarioRow {
                scenario: side.name.to_string(),
                territories: ev.territories.iter().filter(|t| t.n_units > 0).count(),
                max_dev: ev.max_dev,
                cv: ev.cv,
                travel: ev.travel,
                n_noncontiguous: ev.n_noncontiguous,
                units_moved,
                moved,
                changed_territories: changed,
            });
            if k == 0 {
                continue;
            }
            let before: HashMap<&str, &tessera_optimizer::TerritoryMetrics> = evaluations[0]
                .territories
                .iter()
                .map(|t| (t.name.as_str(), t))
                .collect();
            let after: HashMap<&str, &tessera_optimizer::TerritoryMetrics> =
                ev.territories.iter().map(|t| (t.name.as_str(), t)).collect();
            let mut names: Vec<&str> = before.keys().chain(after.keys()).copied().collect();
            names.sort_unstable();
            names.dedup();
            for t in names {
                let (b, a) = (before.get(t), after.get(t));
                let pair = |f: &dyn Fn(&tessera_optimizer::TerritoryMetrics) -> f64| Pair {
                    before: b.map(|x| f(x)),
                    after: a.map(|x| f(x)),
                };
                territories.push(TerritoryRow {
                    scenario: side.name.to_string(),
                    territory: t.to_string(),
                    rep: rep_of(t),
                    units: pair(&|x| x.n_units as f64),
                    loads: (0..measures.len())
                        .map(|m| pair(&|x| x.loads.get(m).copied().unwrap_or(f64::NAN)))
                        .collect(),
                    travel: pair(&|x| x.travel),
                    deviation: pair(&|x| x.deviation),
                    gained: gained.get(t).copied().unwrap_or(0),
                    lost: lost.get(t).copied().unwrap_or(0),
                });
            }
        }
        Ok(Comparison {
            measure: measure.to_string(),
            measures,
            travel_unit: crate::figures::TRAVEL_UNIT,
            scenarios,
            territories,
            moves,
        })
    }

    /// The index of `measure` in [`Comparison::measures`].
    pub fn measure_index(&self, measure: &str) -> Option<usize> {
        self.measures.iter().position(|m| m == measure)
    }
}

#[cfg(test)]
mod tests;
