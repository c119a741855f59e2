//! Caps and floors in the balanced allocation, by Lagrangian relaxation.
//!
//! The transportation network ships the balanced measure; a cap on another measure (or on the number of units) is
//! a second resource, which a single min-cost flow cannot hold exactly (the generalized assignment problem is
//! NP-hard). So each territory's limits get prices: a unit's arc into territory `c` costs, per unit of its
//! weight, `Σ_l (μ[l][c] − ν[l][c]) · value_l(i) / weight(i)` km on top of its distance, where μ ≥ 0 prices a cap
//! and ν ≥ 0 a floor. After each solve the prices take a projected subgradient step (Held, Wolfe & Crowder 1974;
//! Fisher, "The Lagrangian relaxation method for solving integer programming problems", Management Science 1981):
//! up by how far a territory is over its cap, down by how far it is under it (never below 0), and the same for
//! floors. The prices persist between the solves of one allocator, so the location–allocation rounds start from
//! the last round's prices. What the prices leave broken, the repair and local search mend.

use crate::limits::Limit;

/// Price rounds (re-solves) per allocation at most.
pub(crate) const PRICE_ROUNDS: usize = 8;
/// Largest price of one arc, in km per unit of weight: far below the escape hub's cost, so prices never make the
/// escape arc attractive.
const MAX_PRICE_KM: f64 = 20_000.0;
/// First step, as a multiple of the mean distance a unit of weight travels. On the 20,000 sample accounts into 100
/// territories with `--cap units:230` (seed 0), 0.1 brought the excess from 0.02–0.17 to under 0.01 (a unit or two
/// over in all) within one to three rounds from the second location round on, each re-solve taking a few to a
/// thousand pivots; 0.5 and 2 overshot, and the excess oscillated around 0.3 and 2 (worse than no prices at all).
const FIRST_STEP: f64 = 0.1;

/// The prices of each territory's caps and floors.
#[derive(Debug, Clone)]
pub(crate) struct LimitPrices<'a> {
    pub(crate) limits: &'a [Limit],
    /// Cap prices `cap[l][c]` ≥ 0.
    cap: Vec<Vec<f64>>,
    /// Floor prices `floor[l][c]` ≥ 0.
    floor: Vec<Vec<f64>>,
    /// Steps taken so far (the step shrinks as 1/√k).
    steps: usize,
    /// Per limit, km per unit of weight that one relative unit of excess is worth (set from the first solve).
    scale: Option<Vec<f64>>,
}

impl<'a> LimitPrices<'a> {
    /// Zero prices for `p` territories.
    pub(crate) fn new(limits: &'a [Limit], p: usize) -> Self {
        LimitPrices {
            limits,
            cap: vec![vec![0.0; p]; limits.len()],
            floor: vec![vec![0.0; p]; limits.len()],
            steps: 0,
            scale: None,
        }
    }

    /// True when every price is 0 (the costs are plain distances).
    pub(crate) fn all_zero(&self) -> bool {
        self.cap.iter().chain(&self.floor).all(|v| v.iter().all(|&x| x == 0.0))
    }

    /// The price, in km per unit of weight, of unit `i` (weight `w`) in territory `c`.
    pub(crate) fn km(&self, i: usize, w: f64, c: usize) -> f64 {
        if w <= 0.0 {
            return 0.0;
        }
        let mut x = 0.0;
        for (l, m) in self.limits.iter().enumerate() {
            let price = self.cap[l][c] - self.floor[l][c];
            if price != 0.0 {
                x += price * m.values[i] / w;
            }
        }
        x.clamp(-MAX_PRICE_KM, MAX_PRICE_KM)
    }

    /// One subgradient step from `assignment`'s limit loads; `km_per_weight` is the mean distance a unit of weight
    /// travels in that allocation (it sets the step's scale the first time). Returns the total relative excess of
    /// `assignment` over the limits.
    pub(crate) fn step(&mut self, assignment: &[u32], weights: &[f64], km_per_weight: f64) -> f64 {
        let p = self.cap.first().map_or(0, Vec::len);
        let loads = crate::limits::limit_loads(self.limits, assignment, p);
        let excess: f64 = self
            .limits
            .iter()
            .zip(&loads)
            .map(|(m, l)| l.iter().map(|&x| m.excess(x)).sum::<f64>())
            .sum();
        let scale = self.scale.get_or_insert_with(|| {
            // One relative unit of excess is worth the mean trip, for a unit of mean value and mean weight.
            let n = weights.len().max(1) as f64;
            let mean_w = weights.iter().sum::<f64>() / n;
            self.limits
                .iter()
                .map(|m| {
                    let mean_v = m.values.iter().map(|v| v.abs()).sum::<f64>() / n;
                    FIRST_STEP * km_per_weight.max(1e-6) * mean_w / mean_v.max(1e-12)
                })
                .collect()
        });
        self.steps += 1;
        let shrink = 1.0 / (self.steps as f64).sqrt();
        for (l, m) in self.limits.iter().enumerate() {
            for (c, &load) in loads[l].iter().enumerate() {
                if let Some(cap) = m.cap {
                    let g = (load - cap) / m.norm(cap);
                    self.cap[l][c] = (self.cap[l][c] + scale[l] * shrink * g).max(0.0);
                }
                if let Some(floor) = m.floor {
                    let g = (floor - load) / m.norm(floor);
                    self.floor[l][c] = (self.floor[l][c] + scale[l] * shrink * g).max(0.0);
                }
            }
        }
        excess
    }
}

/// Running limit loads while split and escaped units are resolved whole: says whether giving a unit to a territory
/// would push it further beyond a limit.
#[derive(Debug, Clone)]
pub(crate) struct LimitLoads<'a> {
    limits: &'a [Limit],
    loads: Vec<Vec<f64>>,
}

impl<'a> LimitLoads<'a> {
    /// The loads of the units already placed (`assignment[i] == u32::MAX` for the others).
    pub(crate) fn of_placed(limits: &'a [Limit], assignment: &[u32], p: usize) -> Self {
        LimitLoads {
            limits,
            loads: crate::limits::limit_loads(limits, assignment, p),
        }
    }

    /// True when unit `i` in territory `c` would leave it further beyond a limit than it is.
    pub(crate) fn breaks(&self, i: usize, c: usize) -> bool {
        self.limits.iter().zip(&self.loads).any(|(m, loads)| {
            let now = loads[c];
            m.excess(now + m.values[i]) > m.excess(now) + crate::alignment::LIMIT_EPS
        })
    }

    /// Places unit `i` in territory `c`.
    pub(crate) fn add(&mut self, i: usize, c: usize) {
        for (m, loads) in self.limits.iter().zip(&mut self.loads) {
            loads[c] += m.values[i];
        }
    }
}
