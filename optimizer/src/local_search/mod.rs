//! Connectivity-preserving local search: boundary moves that mend broken caps and floors first, then improve
//! balance, then secondary balance, then travel, never moving locked units, never breaking the disruption budget,
//! never leaving a territory further beyond a cap or floor than it was ([`crate::limits`]) and never disconnecting
//! a territory.
//!
//! Balance is scored as the sum of squared relative violations of the bounds, so a move that spreads an
//! overload over a neighbour with slack counts as progress, which lets overloads flow across several
//! territories towards room (an ejection chain built one move at a time).

mod balance;

pub use balance::{repair_balance, repair_limits};

use crate::alignment::Alignment;
use crate::contiguity::ConnectivityChecker;
use crate::geodesy::GeoPoint;
use crate::problem::Problem;
use crate::stop::Stop;

/// Tolerance under which a change of a score counts as no change.
const EPS: f64 = 1e-12;
/// Units looked at between two polls of the stop condition (well under a millisecond of work).
const STOP_POLL: usize = 256;

/// Options of [`improve`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalSearchParams {
    /// Largest number of passes over all units.
    pub max_passes: usize,
}

impl Default for LocalSearchParams {
    fn default() -> Self {
        LocalSearchParams { max_passes: 50 }
    }
}

/// A candidate move's score: lower is better, compared in order.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Delta {
    /// Change of the total excess over caps and floors (never positive: such moves are not candidates).
    limits: f64,
    balance: f64,
    secondary: f64,
    travel: f64,
}

impl Delta {
    /// True when the move makes the plan better: less violation, or as much and less secondary violation,
    /// or both the same and less travel.
    fn improves(&self) -> bool {
        if self.limits < -EPS {
            return true;
        }
        if self.balance < -EPS {
            return true;
        }
        if self.balance > EPS {
            return false;
        }
        if self.secondary < -EPS {
            return true;
        }
        if self.secondary > EPS {
            return false;
        }
        self.travel < -1e-9
    }

    fn better_than(&self, o: &Delta) -> bool {
        (self.limits, self.balance, self.secondary, self.travel) < (o.limits, o.balance, o.secondary, o.travel)
    }
}

/// Improves `al` by single-unit boundary moves measured against fixed `centers` (one per territory) until no
/// move helps, `params.max_passes` passes are done or `stop` is reached (polled every `STOP_POLL` units).
/// Returns the number of moves made.
///
/// Complexity: O(passes · (E + moves · territory size)) in the worst case; the connectivity check usually
/// stops after a few steps because a unit's neighbours touch each other.
pub fn improve(
    problem: &Problem,
    al: &mut Alignment,
    centers: &[GeoPoint],
    params: &LocalSearchParams,
    stop: &Stop,
) -> usize {
    let n = problem.n();
    let adj = &problem.adjacency;
    let mut checker = ConnectivityChecker::new(n);
    let mut moves = 0;
    let mut cands: Vec<u32> = Vec::with_capacity(8);
    'passes: for _pass in 0..params.max_passes {
        let mut moved_this_pass = 0;
        for i in 0..n {
            if i % STOP_POLL == 0 && stop.reached() {
                moves += moved_this_pass;
                break 'passes;
            }
            if problem.locks[i].is_some() {
                continue;
            }
            let from = al.assignment[i];
            let f = from as usize;
            if al.counts[f] <= 1 {
                continue;
            }
            cands.clear();
            for &j in adj.neighbors(i) {
                let t = al.assignment[j as usize];
                if t != from && !cands.contains(&t) {
                    cands.push(t);
                }
            }
            if cands.is_empty() {
                continue;
            }
            let w = problem.weights[i];
            let d_from = problem.points[i].km(&centers[f]);
            let v_from = Alignment::violation(problem, f, al.loads[f]);
            let v_from_after = Alignment::violation(problem, f, al.loads[f] - w);
            let mut best: Option<(Delta, u32)> = None;
            for &to in &cands {
                let t = to as usize;
                if let Some(b) = problem.move_budget {
                    let dm = al.moved_delta(problem, i, to);
                    if dm > 0.0 && al.moved + dm > b + 1e-9 {
                        continue;
                    }
                }
                let Some(limits) = al.limit_delta(problem, i, to) else {
                    continue;
                };
                let limits = if limits.abs() <= EPS { 0.0 } else { limits };
                let balance = v_from_after + Alignment::violation(problem, t, al.loads[t] + w)
                    - v_from
                    - Alignment::violation(problem, t, al.loads[t]);
                let mut secondary = 0.0;
                for (s, m) in problem.secondary.iter().enumerate() {
                    let x = m.values[i];
                    let (lf, lt) = (al.secondary[s][f], al.secondary[s][t]);
                    secondary += Alignment::secondary_violation(problem, s, f, lf - x)
                        + Alignment::secondary_violation(problem, s, t, lt + x)
                        - Alignment::secondary_violation(problem, s, f, lf)
                        - Alignment::secondary_violation(problem, s, t, lt);
                }
                let travel = w * (problem.points[i].km(&centers[t]) - d_from);
                let d = Delta {
                    limits,
                    balance,
                    secondary,
                    travel,
                };
                if d.improves() && best.is_none_or(|(b, _)| d.better_than(&b)) {
                    best = Some((d, to));
                }
            }
            if let Some((_, to)) = best {
                if checker.stays_connected_without(adj, &al.assignment, i) {
                    al.move_unit(problem, i, to);
                    moved_this_pass += 1;
                }
            }
        }
        moves += moved_this_pass;
        if moved_this_pass == 0 {
            break;
        }
    }
    moves
}

/// Brings the moved weight back within the disruption budget: units away from their current territory return
/// to it, the returns that cost least balance first, as long as the return keeps both territories connected.
/// Returns the number of units returned.
///
/// A promise keeper, so it does not poll the deadline; its cost is bounded by the moved units, not by luck:
/// O(m² + m·deg) for m units away from home.
pub fn enforce_budget(problem: &Problem, al: &mut Alignment) -> usize {
    let (Some(budget), Some(current)) = (problem.move_budget, problem.current.as_ref()) else {
        return 0;
    };
    let mut checker = ConnectivityChecker::new(problem.n());
    let mut returned = 0;
    // Only units away from a home territory that exists can return; the list shrinks as they do.
    let mut away: Vec<usize> = (0..problem.n())
        .filter(|&i| {
            al.assignment[i] != current[i] && (current[i] as usize) < problem.p() && problem.locks[i].is_none()
        })
        .collect();
    while al.moved > budget + 1e-9 {
        let mut best: Option<(bool, f64, usize, usize)> = None;
        for (k, &i) in away.iter().enumerate() {
            let (from, home) = (al.assignment[i], current[i]);
            if al.counts[from as usize] <= 1
                || !problem
                    .adjacency
                    .neighbors(i)
                    .iter()
                    .any(|&j| al.assignment[j as usize] == home)
            {
                continue;
            }
            let w = problem.weights[i];
            let (f, h) = (from as usize, home as usize);
            let dv = Alignment::violation(problem, f, al.loads[f] - w)
                + Alignment::violation(problem, h, al.loads[h] + w)
                - Alignment::violation(problem, f, al.loads[f])
                - Alignment::violation(problem, h, al.loads[h]);
            // Returns that keep the caps and floors come first; one that breaks a limit is made only when no other
            // return is left (the budget is a promise too, and the report names whichever is not kept).
            let breaks = al.limit_delta(problem, i, home).is_none();
            if best.is_none_or(|(bb, b, bi, _)| (breaks, dv, i) < (bb, b, bi))
                && checker.stays_connected_without(&problem.adjacency, &al.assignment, i)
            {
                best = Some((breaks, dv, i, k));
            }
        }
        let Some((_, _, i, k)) = best else { break };
        al.move_unit(problem, i, current[i]);
        away.swap_remove(k);
        returned += 1;
    }
    returned
}
