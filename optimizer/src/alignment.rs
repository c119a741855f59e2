//! The working state of a plan under improvement: assignment plus the running figures moves need.

use crate::problem::Problem;

/// Change of a relative excess over a limit under which it counts as no change (running sums drift in their last
/// bits).
pub(crate) const LIMIT_EPS: f64 = 1e-12;

/// An assignment of units to territories with loads, unit counts, secondary loads and moved weight kept
/// up to date move by move, so a move is evaluated in O(1) apart from its connectivity check.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// Territory per unit.
    pub assignment: Vec<u32>,
    /// Balanced load per territory.
    pub loads: Vec<f64>,
    /// Units per territory.
    pub counts: Vec<usize>,
    /// Secondary loads: `secondary[s][t]`.
    pub secondary: Vec<Vec<f64>>,
    /// Weight of the units not in their current territory (0 without a current plan).
    pub moved: f64,
    /// Loads of the problem's capped or floored measures: `limit_loads[l][t]` ([`crate::limits`]).
    pub limit_loads: Vec<Vec<f64>>,
    /// Units of each territory, in no particular order (searches that look at one territory's boundary walk
    /// its members instead of all units).
    members: Vec<Vec<u32>>,
    /// Position of each unit in its territory's `members`.
    slot: Vec<u32>,
}

impl Alignment {
    /// Builds the running figures of `assignment`.
    pub fn new(problem: &Problem, assignment: Vec<u32>) -> Self {
        let p = problem.p();
        let mut loads = vec![0.0; p];
        let mut counts = vec![0; p];
        let mut secondary = vec![vec![0.0; p]; problem.secondary.len()];
        let mut moved = 0.0;
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); p];
        let mut slot = vec![0u32; assignment.len()];
        for (i, &t) in assignment.iter().enumerate() {
            slot[i] = members[t as usize].len() as u32;
            members[t as usize].push(i as u32);
            loads[t as usize] += problem.weights[i];
            counts[t as usize] += 1;
            for (s, m) in problem.secondary.iter().enumerate() {
                secondary[s][t as usize] += m.values[i];
            }
            if let Some(cur) = &problem.current {
                if cur[i] != t {
                    moved += problem.weights[i];
                }
            }
        }
        let limit_loads = crate::limits::limit_loads(&problem.limits, &assignment, p);
        Alignment {
            assignment,
            loads,
            counts,
            secondary,
            moved,
            limit_loads,
            members,
            slot,
        }
    }

    /// The units of territory `t`, in no particular order.
    pub fn members(&self, t: usize) -> &[u32] {
        &self.members[t]
    }

    /// Moves unit `i` to territory `to`, updating every running figure.
    pub fn move_unit(&mut self, problem: &Problem, i: usize, to: u32) {
        let from = self.assignment[i];
        if from == to {
            return;
        }
        let w = problem.weights[i];
        self.loads[from as usize] -= w;
        self.loads[to as usize] += w;
        self.counts[from as usize] -= 1;
        self.counts[to as usize] += 1;
        for (s, m) in problem.secondary.iter().enumerate() {
            self.secondary[s][from as usize] -= m.values[i];
            self.secondary[s][to as usize] += m.values[i];
        }
        for (l, m) in problem.limits.iter().enumerate() {
            self.limit_loads[l][from as usize] -= m.values[i];
            self.limit_loads[l][to as usize] += m.values[i];
        }
        self.moved += self.moved_delta(problem, i, to);
        self.assignment[i] = to;
        let k = self.slot[i] as usize;
        let list = &mut self.members[from as usize];
        list.swap_remove(k);
        if let Some(&other) = list.get(k) {
            self.slot[other as usize] = k as u32;
        }
        self.slot[i] = self.members[to as usize].len() as u32;
        self.members[to as usize].push(i as u32);
    }

    /// Change of moved weight if unit `i` went to `to`.
    pub fn moved_delta(&self, problem: &Problem, i: usize, to: u32) -> f64 {
        match &problem.current {
            Some(cur) => {
                let from = self.assignment[i];
                let w = problem.weights[i];
                (if cur[i] == from { w } else { 0.0 }) - (if cur[i] == to { w } else { 0.0 })
            }
            None => 0.0,
        }
    }

    /// What moving unit `i` to `to` does to the caps and floors: `None` when it would leave either territory
    /// further beyond one of its limits than it is (such a move is never made: a limit that holds keeps holding),
    /// else the change of the total excess (negative: the move mends a broken limit).
    pub fn limit_delta(&self, problem: &Problem, i: usize, to: u32) -> Option<f64> {
        let from = self.assignment[i];
        self.limits_after(problem, from, to, |l| problem.limits[l].values[i])
    }

    /// [`Alignment::limit_delta`] for moving several units of `from` to `to` whose values of limit `l` add up to
    /// `moved(l)`.
    pub fn limits_after(&self, problem: &Problem, from: u32, to: u32, moved: impl Fn(usize) -> f64) -> Option<f64> {
        if from == to {
            return Some(0.0);
        }
        let (f, t) = (from as usize, to as usize);
        let mut delta = 0.0;
        for (l, m) in problem.limits.iter().enumerate() {
            let x = moved(l);
            let (lf, lt) = (self.limit_loads[l][f], self.limit_loads[l][t]);
            let (df, dt) = (m.excess(lf - x) - m.excess(lf), m.excess(lt + x) - m.excess(lt));
            if df > LIMIT_EPS || dt > LIMIT_EPS {
                return None;
            }
            delta += df + dt;
        }
        Some(delta)
    }

    /// Total relative excess over the caps and floors (0 when every one holds).
    pub fn limit_excess(&self, problem: &Problem) -> f64 {
        problem
            .limits
            .iter()
            .zip(&self.limit_loads)
            .map(|(m, loads)| loads.iter().map(|&x| m.excess(x)).sum::<f64>())
            .sum()
    }

    /// True when no territory is further beyond any limit now than with the limit loads `before` (a copy of
    /// [`Alignment::limit_loads`] taken earlier): the rule every search step keeps, checked over a whole chain or
    /// re-design.
    pub fn limits_no_worse_than(&self, problem: &Problem, before: &[Vec<f64>]) -> bool {
        problem.limits.iter().enumerate().all(|(l, m)| {
            self.limit_loads[l]
                .iter()
                .zip(&before[l])
                .all(|(&now, &was)| m.excess(now) <= m.excess(was) + LIMIT_EPS)
        })
    }

    /// Squared relative violation of the balance bounds by a load `load` of territory `t`.
    pub fn violation(problem: &Problem, t: usize, load: f64) -> f64 {
        let (lo, hi, target) = (problem.lower(t), problem.upper(t), problem.targets[t]);
        let v = ((load - hi).max(0.0) + (lo - load).max(0.0)) / target;
        v * v
    }

    /// Squared relative violation of secondary measure `s`'s bounds by a load `load` of territory `t`.
    pub fn secondary_violation(problem: &Problem, s: usize, t: usize, load: f64) -> f64 {
        let m = &problem.secondary[s];
        let target = m.total * problem.targets[t] / problem.weight_total;
        if target <= 0.0 {
            return 0.0;
        }
        let v =
            ((load - target * (1.0 + m.tolerance)).max(0.0) + (target * (1.0 - m.tolerance) - load).max(0.0)) / target;
        v * v
    }

    /// Total squared balance violation over territories.
    pub fn total_violation(&self, problem: &Problem) -> f64 {
        (0..problem.p())
            .map(|t| Self::violation(problem, t, self.loads[t]))
            .sum()
    }

    /// Largest relative deviation from target.
    pub fn max_dev(&self, problem: &Problem) -> f64 {
        (0..problem.p())
            .map(|t| ((self.loads[t] - problem.targets[t]) / problem.targets[t]).abs())
            .fold(0.0, f64::max)
    }
}
