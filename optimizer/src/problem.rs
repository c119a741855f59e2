//! A territory-design problem: everything the optimizer needs, checked for feasibility up front.

use std::collections::HashMap;

use thiserror::Error;

use crate::geodesy::GeoPoint;
use crate::limits::{resolve, Limit, LimitContext, LimitError, LimitSpec};
use crate::mix::{resolve_mix, MixBand, MixError, MixSpec};
use crate::model::{Adjacency, Plan, Rep, Units};

/// Relative margin kept inside the tolerance by the optimizer's bounds.
const BOUND_MARGIN: f64 = 1e-9;

/// Why a plan cannot be made; each variant says which rule is broken and what would work.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum PlanError {
    /// Zero territories requested.
    #[error("the number of territories must be at least 1")]
    ZeroTerritories,
    /// More territories than units.
    #[error("{territories} territories requested but there are only {units} units")]
    TooManyTerritories {
        /// Requested.
        territories: usize,
        /// Available.
        units: usize,
    },
    /// The balance measure is not among the units' measures.
    #[error("no measure named {name:?} to balance (the units have: {available})")]
    UnknownMeasure {
        /// Requested measure.
        name: String,
        /// Comma-separated list of available measures.
        available: String,
    },
    /// The balance measure sums to zero.
    #[error("measure {name:?} is zero for every unit: there is nothing to balance")]
    NothingToBalance {
        /// The measure.
        name: String,
    },
    /// One unit alone exceeds the upper bound of every territory.
    #[error(
        "unit {id} has {measure} {weight} = {share:.3}× a territory's target; no plan can hold ±{tol_pct}% \
         with {territories} territories (at most {max_feasible} territories are feasible)"
    )]
    UnitTooHeavy {
        /// The unit.
        id: String,
        /// The measure.
        measure: String,
        /// Its value.
        weight: f64,
        /// weight / target.
        share: f64,
        /// Tolerance in percent.
        tol_pct: f64,
        /// Requested territories.
        territories: usize,
        /// Largest feasible number of territories.
        max_feasible: usize,
    },
    /// Locked units already put a territory above its upper bound.
    #[error("locked units give territory {territory} a load of {load:.1}, above its upper bound {upper:.1}")]
    LocksBreakBalance {
        /// Territory name.
        territory: String,
        /// Locked load.
        load: f64,
        /// Upper bound.
        upper: f64,
    },
    /// A lock names a territory the problem does not have.
    #[error("unit {id} is locked to territory {territory:?}, which is not among the territories")]
    UnknownLockTerritory {
        /// Unit id.
        id: String,
        /// Territory.
        territory: String,
    },
    /// The tolerance is not a sensible fraction.
    #[error("tolerance must be between 0 and 1 (got {0})")]
    BadTolerance(f64),
    /// The adjacency graph does not match the units.
    #[error("the adjacency graph has {graph} nodes but there are {units} units")]
    AdjacencyMismatch {
        /// Nodes in the graph.
        graph: usize,
        /// Units.
        units: usize,
    },
    /// `--only` names a territory the current plan does not have.
    #[error("territory {0:?} is not in the current plan")]
    UnknownTerritory(String),
    /// A secondary measure to balance is unknown.
    #[error("no measure named {0:?} to balance as a secondary measure")]
    UnknownSecondary(String),
    /// The request needs a current plan.
    #[error("{0} needs a current plan")]
    NeedsCurrentPlan(&'static str),
    /// The current plan has units in territories the problem does not have (e.g. reps who left).
    #[error("the current plan puts unit {id} in a territory the optimizer does not have; re-optimise all territories")]
    CurrentOutsideTerritories {
        /// One such unit.
        id: String,
    },
    /// The reps do not match the territories.
    #[error("{reps} reps given for {territories} territories: give one territory per rep")]
    RepsMismatch {
        /// Reps.
        reps: usize,
        /// Territories.
        territories: usize,
    },
    /// The run was stopped (its deadline passed or the planner cancelled) before this step finished. The
    /// designer catches it and keeps the best plan found so far; it reaches a caller only from a step run on
    /// its own, such as one allocation.
    #[error("stopped before this step finished (the time limit ran out or the run was cancelled)")]
    Stopped,
    /// A cap or floor is malformed or provably cannot hold (see [`crate::limits`]).
    #[error("{0}")]
    Limit(Box<LimitError>),
    /// A segment mix band is malformed or provably cannot hold (see [`crate::mix`]).
    #[error("{0}")]
    Mix(Box<MixError>),
    /// The min-cost-flow solver failed (a bug or an impossible network).
    #[error("balanced allocation failed: {0}")]
    Flow(String),
}

impl From<Box<LimitError>> for PlanError {
    fn from(e: Box<LimitError>) -> Self {
        PlanError::Limit(e)
    }
}

impl From<MixError> for PlanError {
    fn from(e: MixError) -> Self {
        PlanError::Mix(Box::new(e))
    }
}

/// A secondary measure balanced as far as possible within its own tolerance.
#[derive(Debug, Clone, PartialEq)]
pub struct Secondary {
    /// Measure name.
    pub name: String,
    /// Values per unit.
    pub values: Vec<f64>,
    /// Tolerance (fraction of its own target).
    pub tolerance: f64,
    /// Sum of `values` (kept so that a move's score does not sum every unit).
    pub total: f64,
}

/// A validated problem: units as prepared points and weights, the adjacency, the territories with their
/// bounds, locks, the current plan and the disruption budget.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Unit positions.
    pub points: Vec<GeoPoint>,
    /// Unit ids (for messages and output).
    pub ids: Vec<String>,
    /// Balanced measure per unit.
    pub weights: Vec<f64>,
    /// Sum of `weights`.
    pub weight_total: f64,
    /// Name of the balanced measure.
    pub measure: String,
    /// Which units touch.
    pub adjacency: Adjacency,
    /// Territory names.
    pub names: Vec<String>,
    /// Target load per territory.
    pub targets: Vec<f64>,
    /// Tolerance (fraction of target).
    pub tolerance: f64,
    /// Fixed centers (rep home bases), one per territory, when reps are given.
    pub fixed_centers: Option<Vec<GeoPoint>>,
    /// Territory a unit is locked to.
    pub locks: Vec<Option<u32>>,
    /// The current plan's territory per unit (indices into `names`), if any.
    pub current: Option<Vec<u32>>,
    /// Largest total weight allowed to change territory, when a budget is set.
    pub move_budget: Option<f64>,
    /// Secondary measures.
    pub secondary: Vec<Secondary>,
    /// Hard caps and floors per territory, one entry per measure ([`crate::limits`]), then the ends of the
    /// segment mix bands (limits with [`Limit::band`] set).
    pub limits: Vec<Limit>,
    /// Segment mix bands every territory keeps ([`crate::mix`]); their ends are among [`Problem::limits`].
    pub mixes: Vec<MixBand>,
}

impl Problem {
    /// Number of units.
    pub fn n(&self) -> usize {
        self.points.len()
    }

    /// Number of territories.
    pub fn p(&self) -> usize {
        self.names.len()
    }

    /// Lower load bound of territory `t`, a hair inside the tolerance so that sums taken in another order
    /// (a spreadsheet, the referee) never see a load just outside it.
    pub fn lower(&self, t: usize) -> f64 {
        self.targets[t] * (1.0 - self.tolerance + BOUND_MARGIN)
    }

    /// Upper load bound of territory `t` (a hair inside the tolerance, like [`Problem::lower`]).
    pub fn upper(&self, t: usize) -> f64 {
        self.targets[t] * (1.0 + self.tolerance - BOUND_MARGIN)
    }

    /// Total of the balanced measure.
    pub fn total(&self) -> f64 {
        self.weight_total
    }

    /// Adds a segment mix band: checks it ([`resolve_mix`]) and appends its ends to [`Problem::limits`].
    ///
    /// # Errors
    /// [`PlanError::Mix`] when the band is malformed or provably cannot hold.
    ///
    /// # Panics
    /// If the spec's counts do not have one entry per unit, or a base not one per territory (a caller bug).
    pub fn add_mix(&mut self, spec: &MixSpec) -> Result<(), PlanError> {
        assert_eq!(spec.members.len(), self.n(), "one count per unit");
        let (band, limits) = resolve_mix(spec, self.p(), self.mixes.len())?;
        self.mixes.push(band);
        self.limits.extend(limits);
        Ok(())
    }
}

/// What a planner asks for; turned into a [`Problem`] by [`ProblemSpec::build`].
#[derive(Debug, Clone)]
pub struct ProblemSpec<'a> {
    /// The units.
    pub units: &'a Units,
    /// Their adjacency.
    pub adjacency: &'a Adjacency,
    /// Number of territories (ignored when `reps` is not empty: one per rep).
    pub territories: usize,
    /// Measure to balance.
    pub balance: String,
    /// Tolerance, e.g. 0.05 for ±5%.
    pub tolerance: f64,
    /// Secondary measures and their tolerances.
    pub also_balance: Vec<(String, f64)>,
    /// Reps: one territory per rep, measured from the rep's home base.
    pub reps: &'a [Rep],
    /// The current plan: territories keep its names; needed for a move budget.
    pub current: Option<&'a Plan>,
    /// Largest fraction of the total workload allowed to change territory.
    pub max_moved: Option<f64>,
    /// (unit index, territory name) pairs that never move.
    pub locks: Vec<(usize, String)>,
    /// Hard caps and floors on every territory's measures or number of units.
    pub limits: Vec<LimitSpec>,
    /// Segment mix bands every territory keeps ([`crate::mix`]).
    pub mixes: Vec<MixSpec>,
}

impl<'a> ProblemSpec<'a> {
    /// A spec with defaults: balance `workload` within ±5%, no reps, no current plan, no locks.
    pub fn new(units: &'a Units, adjacency: &'a Adjacency, territories: usize) -> Self {
        ProblemSpec {
            units,
            adjacency,
            territories,
            balance: "workload".into(),
            tolerance: 0.05,
            also_balance: Vec::new(),
            reps: &[],
            current: None,
            max_moved: None,
            locks: Vec::new(),
            limits: Vec::new(),
            mixes: Vec::new(),
        }
    }

    /// Checks the request and builds the problem.
    ///
    /// # Errors
    /// A [`PlanError`] naming the broken rule: unknown measure, p = 0 or p > n, a unit heavier than a
    /// territory's upper bound (with the largest feasible p), locks that overload a territory, ...
    pub fn build(&self) -> Result<Problem, PlanError> {
        let units = self.units;
        let n = units.len();
        if !(0.0..1.0).contains(&self.tolerance) || self.tolerance.is_nan() {
            return Err(PlanError::BadTolerance(self.tolerance));
        }
        if self.adjacency.len() != n {
            return Err(PlanError::AdjacencyMismatch {
                graph: self.adjacency.len(),
                units: n,
            });
        }
        let weights = units
            .measure(&self.balance)
            .ok_or_else(|| PlanError::UnknownMeasure {
                name: self.balance.clone(),
                available: units
                    .measures()
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?
            .to_vec();
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return Err(PlanError::NothingToBalance {
                name: self.balance.clone(),
            });
        }

        // Territories: one per rep, else the current plan's names (when it has p of them), else T1..Tp.
        let (names, capacities, fixed_centers): (Vec<String>, Vec<f64>, Option<Vec<GeoPoint>>) =
            if !self.reps.is_empty() {
                (
                    self.reps.iter().map(|r| r.id.clone()).collect(),
                    self.reps.iter().map(|r| r.capacity).collect(),
                    Some(self.reps.iter().map(|r| GeoPoint::from_degrees(r.lon, r.lat)).collect()),
                )
            } else {
                let p = self.territories;
                let mut names: Vec<String> = match self.current {
                    Some(c) => c.names().iter().take(p).cloned().collect(),
                    None => Vec::new(),
                };
                let mut k = 1;
                while names.len() < p {
                    let candidate = format!("T{k}");
                    if !names.contains(&candidate) {
                        names.push(candidate);
                    }
                    k += 1;
                }
                (names, vec![1.0; p], None)
            };
        let p = names.len();
        if p == 0 {
            return Err(PlanError::ZeroTerritories);
        }
        if p > n {
            return Err(PlanError::TooManyTerritories {
                territories: p,
                units: n,
            });
        }
        let cap_total: f64 = capacities.iter().sum();
        let targets: Vec<f64> = capacities.iter().map(|c| total * c / cap_total).collect();

        let max_target = targets.iter().cloned().fold(0.0, f64::max);
        if let Some((i, &w)) = weights.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)) {
            if w > max_target * (1.0 + self.tolerance) * (1.0 + 1e-12) {
                let max_feasible = ((1.0 + self.tolerance) * total / w).floor() as usize;
                return Err(PlanError::UnitTooHeavy {
                    id: units.ids()[i].clone(),
                    measure: self.balance.clone(),
                    weight: w,
                    share: w / (total / p as f64),
                    tol_pct: self.tolerance * 100.0,
                    territories: p,
                    max_feasible,
                });
            }
        }

        let index: HashMap<&str, u32> = names.iter().enumerate().map(|(i, s)| (s.as_str(), i as u32)).collect();
        let current = match self.current {
            Some(c) => {
                // Current territories beyond the problem's (e.g. fewer reps now) map to none: those units must move.
                let map: Vec<Option<u32>> = c.names().iter().map(|s| index.get(s.as_str()).copied()).collect();
                Some(
                    c.territory_of()
                        .iter()
                        .map(|&t| map[t as usize].unwrap_or(u32::MAX))
                        .collect::<Vec<u32>>(),
                )
            }
            None => None,
        };
        let move_budget = match (self.max_moved, &current) {
            (Some(f), Some(_)) => Some(f.max(0.0) * total),
            (Some(_), None) => return Err(PlanError::NeedsCurrentPlan("a move budget (--max-moved)")),
            _ => None,
        };

        let mut locks = vec![None; n];
        let mut locked_load = vec![0.0; p];
        for (i, t) in &self.locks {
            let k = *index.get(t.as_str()).ok_or_else(|| PlanError::UnknownLockTerritory {
                id: units.ids()[*i].clone(),
                territory: t.clone(),
            })?;
            locks[*i] = Some(k);
            locked_load[k as usize] += weights[*i];
        }
        for t in 0..p {
            let upper = targets[t] * (1.0 + self.tolerance);
            if locked_load[t] > upper {
                return Err(PlanError::LocksBreakBalance {
                    territory: names[t].clone(),
                    load: locked_load[t],
                    upper,
                });
            }
        }

        let limits = resolve(
            &self.limits,
            &LimitContext {
                units,
                names: &names,
                balance: &self.balance,
                targets: &targets,
                tolerance: self.tolerance,
                locks: &locks,
            },
        )?;

        let mut secondary = Vec::new();
        for (name, tol) in &self.also_balance {
            let values = units
                .measure(name)
                .ok_or_else(|| PlanError::UnknownSecondary(name.clone()))?;
            secondary.push(Secondary {
                name: name.clone(),
                total: values.iter().sum(),
                values: values.to_vec(),
                tolerance: *tol,
            });
        }

        let mut problem = Problem {
            points: units.geo_points(),
            ids: units.ids().to_vec(),
            weight_total: weights.iter().sum(),
            weights,
            measure: self.balance.clone(),
            adjacency: self.adjacency.clone(),
            names,
            targets,
            tolerance: self.tolerance,
            fixed_centers,
            locks,
            current,
            move_budget,
            secondary,
            limits,
            mixes: Vec::new(),
        };
        for mix in &self.mixes {
            problem.add_mix(mix)?;
        }
        Ok(problem)
    }
}

impl Problem {
    /// The sub-problem of re-optimising only territories `only` of `assignment`, leaving every other unit where
    /// it is: its units are those now in `only`, its adjacency the graph induced on them, its current plan the
    /// given assignment (so the first restart starts from it), its targets the territories' own when the units
    /// can meet them, else the same shares of the units' own total (then they are balanced among themselves). Returns it with the sub-problem's unit → full unit index map.
    ///
    /// # Panics
    /// If `assignment` does not have one entry per unit or `only` names a territory out of range.
    pub fn restrict(&self, only: &[u32], assignment: &[u32]) -> (Problem, Vec<usize>) {
        assert_eq!(assignment.len(), self.n());
        assert!(only.iter().all(|&t| (t as usize) < self.p()));
        let mut local_territory = vec![u32::MAX; self.p()];
        for (k, &t) in only.iter().enumerate() {
            local_territory[t as usize] = k as u32;
        }
        let map: Vec<usize> = (0..self.n())
            .filter(|&i| local_territory[assignment[i] as usize] != u32::MAX)
            .collect();
        let mut local_index = vec![u32::MAX; self.n()];
        for (k, &i) in map.iter().enumerate() {
            local_index[i] = k as u32;
        }
        let edges: Vec<(u32, u32)> = self
            .adjacency
            .edges()
            .filter(|&(a, b)| local_index[a as usize] != u32::MAX && local_index[b as usize] != u32::MAX)
            .map(|(a, b)| (local_index[a as usize], local_index[b as usize]))
            .collect();
        let weights: Vec<f64> = map.iter().map(|&i| self.weights[i]).collect();
        let sub_total: f64 = weights.iter().sum();
        // The territories keep their own targets when their units can meet them all; otherwise they share
        // their units' total in the same proportions.
        let share_total: f64 = only.iter().map(|&t| self.targets[t as usize]).sum();
        let feasible =
            sub_total >= share_total * (1.0 - self.tolerance) && sub_total <= share_total * (1.0 + self.tolerance);
        let scale = if feasible { 1.0 } else { sub_total / share_total };
        let targets = only.iter().map(|&t| self.targets[t as usize] * scale).collect();
        let sub_assignment: Vec<u32> = map.iter().map(|&i| local_territory[assignment[i] as usize]).collect();
        let problem = Problem {
            points: map.iter().map(|&i| self.points[i]).collect(),
            ids: map.iter().map(|&i| self.ids[i].clone()).collect(),
            weight_total: sub_total,
            weights,
            measure: self.measure.clone(),
            adjacency: Adjacency::from_edges(map.len(), &edges),
            names: only.iter().map(|&t| self.names[t as usize].clone()).collect(),
            targets,
            tolerance: self.tolerance,
            fixed_centers: self
                .fixed_centers
                .as_ref()
                .map(|f| only.iter().map(|&t| f[t as usize]).collect()),
            locks: map
                .iter()
                .map(|&i| {
                    self.locks[i]
                        .map(|t| local_territory[t as usize])
                        .filter(|&t| t != u32::MAX)
                })
                .collect(),
            current: Some(sub_assignment),
            move_budget: self.move_budget,
            secondary: self
                .secondary
                .iter()
                .map(|s| {
                    let values: Vec<f64> = map.iter().map(|&i| s.values[i]).collect();
                    Secondary {
                        name: s.name.clone(),
                        total: values.iter().sum(),
                        values,
                        tolerance: s.tolerance,
                    }
                })
                .collect(),
            limits: self
                .limits
                .iter()
                .map(|l| Limit {
                    values: map.iter().map(|&i| l.values[i]).collect(),
                    base: pick_territories(&l.base, only),
                    ..l.clone()
                })
                .collect(),
            mixes: self
                .mixes
                .iter()
                .map(|m| MixBand {
                    members: map.iter().map(|&i| m.members[i]).collect(),
                    counted: map.iter().map(|&i| m.counted[i]).collect(),
                    base_members: pick_territories(&m.base_members, only),
                    base_counted: pick_territories(&m.base_counted, only),
                    ..m.clone()
                })
                .collect(),
        };
        (problem, map)
    }
}

/// The entries of per-territory `values` for territories `only`, in that order (empty stays empty).
fn pick_territories(values: &[f64], only: &[u32]) -> Vec<f64> {
    if values.is_empty() {
        return Vec::new();
    }
    only.iter().map(|&t| values[t as usize]).collect()
}
