//! Travel improvement by ejection chains: several units moved at once along territories (A gives to B, B to C,
//! C back to A, and so on), kept when the plan ends as balanced as before and travels less.
//!
//! Single-unit moves stall once the loads sit at their bounds: no unit can leave a territory at its lower bound
//! or join one at its upper bound, however much travel that would save, and with units heavy against the
//! tolerance (a county that is 14% of a target under ±5%) no swap of two fits either. A chain passes through
//! unbalanced states and ends balanced. The search is depth-first, in the manner of Lin and Kernighan: the
//! first move saves travel, each later move takes a unit out of a territory over its upper bound or into one
//! under its lower bound, and the travel saved so far must stay positive after every move. Connectivity holds
//! after every move, locks and the disruption budget are kept, and no cap or floor is left worse.

use super::develop::{figures, Developed};
use crate::alignment::Alignment;
use crate::contiguity::{repair, ConnectivityChecker};
use crate::design::update_centers;
use crate::geodesy::GeoPoint;
use crate::local_search::{enforce_budget, improve, LocalSearchParams};
use crate::problem::Problem;
use crate::stop::Stop;

/// Longest chain tried.
const MAX_DEPTH: usize = 6;
/// Moves tried from each state of the search, the ones saving most travel first.
const BREADTH: usize = 5;
/// Search nodes per unit for one call (failed searches included), so the effort is bounded by the instance.
pub const NODES_PER_UNIT: usize = 10;

/// Improves `al` by ejection chains against fixed `centers` until no chain is found, the node budget
/// ([`NODES_PER_UNIT`] per unit) is spent or `stop` is reached. Returns the number of chains applied.
pub fn chain_improve(problem: &Problem, al: &mut Alignment, centers: &[GeoPoint], stop: &Stop) -> usize {
    chain_improve_with(problem, al, centers, stop, NODES_PER_UNIT)
}

/// [`chain_improve`] with a budget of `nodes_per_unit` search nodes per unit.
pub fn chain_improve_with(
    problem: &Problem,
    al: &mut Alignment,
    centers: &[GeoPoint],
    stop: &Stop,
    nodes_per_unit: usize,
) -> usize {
    let n = problem.n();
    // Chains are for a balanced plan stuck at its bounds; an unbalanced one is local search's and balance
    // repair's to mend first (and every territory out of bounds would make each node of the search scan it).
    if al.total_violation(problem) > 0.0 {
        return 0;
    }
    let mut search = ChainSearch {
        problem,
        centers,
        checker: ConnectivityChecker::new(n),
        moved: vec![false; n],
        path: Vec::new(),
        nodes: 0,
        budget: nodes_per_unit.max(1) * n.max(1),
        base_violation: 0.0,
    };
    let mut applied = 0;
    'chains: while !stop.reached() && search.nodes < search.budget {
        search.base_violation = al.total_violation(problem);
        // First moves: every boundary move that saves travel, best first.
        let mut firsts = Vec::new();
        for i in 0..n {
            search.candidates_of(al, i, &mut firsts);
        }
        firsts.sort_by(|a, b| a.0.total_cmp(&b.0));
        for &(gain, i, to) in &firsts {
            if gain >= 0.0 || stop.reached() || search.nodes >= search.budget {
                break;
            }
            if search.try_move(al, i, to) {
                if search.dfs(al, gain, 1) {
                    applied += 1;
                    search.commit();
                    continue 'chains;
                }
                search.undo_last(al);
            }
        }
        break;
    }
    applied
}

/// Rounds of chains, local search and new medoids [`polish`] runs at most (each must save travel).
const POLISH_ROUNDS: usize = 20;

/// Ejection chains on a developed plan, alternating with single-unit local search and the medoids of the new
/// territories, until a round saves no travel. Returns the polished plan when it ranks before `plan`
/// ([`Developed::better_than`]), `None` otherwise (no chain found, or the stop condition came first).
///
/// The search runs this only on the few children near its best plan (see `Search::develop_all`): a chain
/// search costs several developments on a large instance, and pays only where single-unit moves stall at
/// the bounds with a plan worth keeping.
pub fn polish(problem: &Problem, plan: &Developed, stop: &Stop) -> Option<Developed> {
    polish_with(problem, plan, stop, NODES_PER_UNIT)
}

/// [`polish`] with a chain search of `nodes_per_unit` search nodes per unit in each round: a deeper search for
/// a plan the default budget leaves as it is (the search escalates it on a plan its population is stuck at).
pub fn polish_with(problem: &Problem, plan: &Developed, stop: &Stop, nodes_per_unit: usize) -> Option<Developed> {
    let mut al = Alignment::new(problem, plan.assignment.clone());
    let mut centers = plan.centers.clone();
    let ls = LocalSearchParams::default();
    let mut last_travel = plan.travel;
    let mut changed = false;
    for _round in 0..POLISH_ROUNDS {
        if stop.reached() || chain_improve_with(problem, &mut al, &centers, stop, nodes_per_unit) == 0 {
            break;
        }
        changed = true;
        improve(problem, &mut al, &centers, &ls, stop);
        centers = update_centers(problem, &al.assignment, &centers).0;
        let t = crate::design::travel(problem, &al.assignment, &centers);
        if t >= last_travel * (1.0 - 1e-9) {
            break;
        }
        last_travel = t;
    }
    if !changed {
        return None;
    }
    // The promise keepers, as at the end of a development (chains and moves keep both; these make sure).
    repair(problem, &mut al, &centers);
    if enforce_budget(problem, &mut al) > 0 {
        repair(problem, &mut al, &centers);
    }
    let polished = figures(problem, al, plan.finished);
    polished.better_than(plan).then_some(polished)
}

struct ChainSearch<'a> {
    problem: &'a Problem,
    centers: &'a [GeoPoint],
    checker: ConnectivityChecker,
    /// Units moved by the chain being built (none moves twice).
    moved: Vec<bool>,
    /// The chain being built: (unit, territory it came from).
    path: Vec<(usize, u32)>,
    nodes: usize,
    budget: usize,
    base_violation: f64,
}

impl ChainSearch<'_> {
    /// Travel change of moving unit `i` to `to`.
    fn gain(&self, al: &Alignment, i: usize, to: u32) -> f64 {
        let from = al.assignment[i] as usize;
        let p = &self.problem.points[i];
        self.problem.weights[i] * (p.km(&self.centers[to as usize]) - p.km(&self.centers[from]))
    }

    /// Pushes (travel change, unit, territory) for every move of boundary unit `i` to a neighbouring territory.
    fn candidates_of(&self, al: &Alignment, i: usize, out: &mut Vec<(f64, usize, u32)>) {
        if self.problem.locks[i].is_some() || self.moved[i] {
            return;
        }
        let from = al.assignment[i];
        let start = out.len();
        for &j in self.problem.adjacency.neighbors(i) {
            let to = al.assignment[j as usize];
            if to != from && !out[start..].iter().any(|c| c.2 == to) {
                out.push((self.gain(al, i, to), i, to));
            }
        }
    }

    /// Makes the move when it keeps locks, the budget, caps and floors, and connectivity.
    fn try_move(&mut self, al: &mut Alignment, i: usize, to: u32) -> bool {
        self.nodes += 1;
        let from = al.assignment[i];
        if al.counts[from as usize] <= 1 {
            return false;
        }
        if let Some(b) = self.problem.move_budget {
            let dm = al.moved_delta(self.problem, i, to);
            if dm > 0.0 && al.moved + dm > b + 1e-9 {
                return false;
            }
        }
        if !matches!(al.limit_delta(self.problem, i, to), Some(d) if d <= 1e-12) {
            return false;
        }
        if !self
            .checker
            .stays_connected_without(&self.problem.adjacency, &al.assignment, i)
        {
            return false;
        }
        al.move_unit(self.problem, i, to);
        self.moved[i] = true;
        self.path.push((i, from));
        true
    }

    fn undo_last(&mut self, al: &mut Alignment) {
        if let Some((i, from)) = self.path.pop() {
            // Moving back keeps connectivity: it restores the territories as they were.
            al.move_unit(self.problem, i, from);
            self.moved[i] = false;
        }
    }

    /// Keeps the chain built.
    fn commit(&mut self) {
        for (i, _) in self.path.drain(..) {
            self.moved[i] = false;
        }
    }

    /// Extends the chain (which saved `saved` < 0 travel so far, `depth` moves long) until the plan is as
    /// balanced as before the chain; true when it is (the chain stays applied), false after undoing what it added.
    fn dfs(&mut self, al: &mut Alignment, saved: f64, depth: usize) -> bool {
        let violation = al.total_violation(self.problem);
        if violation <= self.base_violation + 1e-15 {
            return true;
        }
        if depth >= MAX_DEPTH || self.nodes >= self.budget {
            return false;
        }
        // Moves out of territories over their upper bound and into territories under their lower bound.
        let p = self.problem.p();
        let mut next: Vec<(f64, usize, u32)> = Vec::new();
        for t in 0..p {
            let load = al.loads[t];
            if load > self.problem.upper(t) {
                for &i in al.members(t) {
                    self.candidates_of(al, i as usize, &mut next);
                }
            } else if load < self.problem.lower(t) {
                for &i in al.members(t) {
                    for &j in self.problem.adjacency.neighbors(i as usize) {
                        let j = j as usize;
                        if al.assignment[j] != t as u32
                            && self.problem.locks[j].is_none()
                            && !self.moved[j]
                            && !next.iter().any(|c| c.1 == j && c.2 == t as u32)
                        {
                            next.push((self.gain(al, j, t as u32), j, t as u32));
                        }
                    }
                }
            }
        }
        next.retain(|c| saved + c.0 < 0.0);
        next.sort_by(|a, b| a.0.total_cmp(&b.0));
        next.truncate(BREADTH);
        for (gain, i, to) in next {
            if self.try_move(al, i, to) {
                if self.dfs(al, saved + gain, depth + 1) {
                    return true;
                }
                self.undo_last(al);
            }
        }
        false
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::contiguity::noncontiguous_count;
    use crate::design::{centers_of, travel};
    use crate::local_search::{improve, LocalSearchParams};
    use crate::model::{Adjacency, Measure, Units};
    use crate::problem::ProblemSpec;
    use crate::progress::Progress;
    use rand::{Rng, SeedableRng};

    /// A 12 × 12 grid of units with heavy, uneven weights (some a tenth of a target) and a tight tolerance
    /// (±3%), where single-unit moves stall at the bounds. The genetic operators' tests use it too.
    pub(in crate::genetic) fn grid(seed: u64) -> Problem {
        let side = 12;
        let n = side * side;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let units = Units::new(
            (0..n).map(|i| format!("u{i}")).collect(),
            (0..n)
                .map(|i| (i % side) as f64 * 0.1 + rng.gen_range(-0.03..0.03))
                .collect(),
            (0..n)
                .map(|i| (i / side) as f64 * 0.1 + rng.gen_range(-0.03..0.03))
                .collect(),
            vec![Measure {
                name: "workload".into(),
                values: (0..n).map(|_| rng.gen_range(1.0..8.0_f64).powi(2)).collect(),
            }],
        )
        .unwrap();
        let mut edges = vec![];
        for i in 0..n as u32 {
            if i as usize % side < side - 1 {
                edges.push((i, i + 1));
            }
            if (i as usize) / side < side - 1 {
                edges.push((i, i + side as u32));
            }
        }
        let adj = Adjacency::from_edges(n, &edges);
        let mut spec = ProblemSpec::new(&units, &adj, 6);
        spec.tolerance = 0.03;
        spec.build().unwrap()
    }

    #[test]
    fn chains_keep_balance_and_contiguity_and_save_travel_where_single_moves_stall() {
        let progress = Progress::new();
        let stop = Stop::new(&progress, None);
        let mut applied_somewhere = 0;
        for seed in 0..6 {
            let problem = grid(seed);
            // A balanced, contiguous start: the designer's plan, then single moves until they stall.
            let d = crate::design::design_territories(&problem, &crate::DesignParams::default().restarts(1), &progress)
                .unwrap();
            let mut al = Alignment::new(&problem, d.assignment.clone());
            let (centers, _) = centers_of(&problem, &al.assignment);
            improve(&problem, &mut al, &centers, &LocalSearchParams::default(), &stop);
            if al.total_violation(&problem) > 0.0 || noncontiguous_count(&problem.adjacency, &al.assignment, 6) > 0 {
                continue;
            }
            let before = travel(&problem, &al.assignment, &centers);
            let applied = chain_improve(&problem, &mut al, &centers, &stop);
            let after = travel(&problem, &al.assignment, &centers);
            assert_eq!(
                al.total_violation(&problem),
                0.0,
                "seed {seed}: a chain unbalanced the plan"
            );
            assert_eq!(
                noncontiguous_count(&problem.adjacency, &al.assignment, 6),
                0,
                "seed {seed}"
            );
            let fresh = Alignment::new(&problem, al.assignment.clone());
            assert!(
                fresh
                    .loads
                    .iter()
                    .zip(&al.loads)
                    .all(|(x, y)| (x - y).abs() <= 1e-9 * x.abs().max(1.0)),
                "seed {seed}: running loads drifted"
            );
            if applied > 0 {
                assert!(
                    after < before,
                    "seed {seed}: {applied} chains, travel {before} -> {after}"
                );
                applied_somewhere += 1;
            } else {
                assert_eq!(after, before);
            }
        }
        assert!(applied_somewhere > 0, "no chain improved any stalled plan");
    }

    #[test]
    fn polish_returns_only_a_better_whole_balanced_contiguous_plan() {
        let progress = Progress::new();
        let stop = Stop::new(&progress, None);
        let mut polished_somewhere = 0;
        for seed in 0..6 {
            let problem = grid(seed);
            let d = crate::design::design_territories(&problem, &crate::DesignParams::default().restarts(1), &progress)
                .unwrap();
            let mut al = Alignment::new(&problem, d.assignment.clone());
            let (centers, _) = centers_of(&problem, &al.assignment);
            improve(&problem, &mut al, &centers, &LocalSearchParams::default(), &stop);
            let plan = figures(&problem, al, true);
            if plan.violation > 0.0 || plan.n_noncontiguous > 0 {
                continue;
            }
            match polish(&problem, &plan, &stop) {
                Some(p) => {
                    polished_somewhere += 1;
                    assert!(p.better_than(&plan), "seed {seed}");
                    assert!(p.travel < plan.travel, "seed {seed}: {} -> {}", plan.travel, p.travel);
                    assert_eq!(p.violation, 0.0, "seed {seed}");
                    assert_eq!(p.n_noncontiguous, 0, "seed {seed}");
                    assert_eq!(p.assignment.len(), problem.n());
                    // Its figures are the plan's own, measured afresh.
                    let fresh = figures(&problem, Alignment::new(&problem, p.assignment.clone()), true);
                    assert_eq!(fresh.travel, p.travel, "seed {seed}");
                }
                None => {
                    // Nothing found: the plan is left as it is, so polishing it again finds nothing either.
                    assert!(polish(&problem, &plan, &stop).is_none(), "seed {seed}");
                }
            }
        }
        assert!(polished_somewhere > 0, "polish improved no stalled plan");
        // A stop reached before it starts leaves every plan as it is.
        let problem = grid(0);
        let d = crate::design::design_territories(&problem, &crate::DesignParams::default().restarts(1), &progress)
            .unwrap();
        let plan = figures(&problem, Alignment::new(&problem, d.assignment), true);
        progress.cancel();
        assert!(polish(&problem, &plan, &Stop::new(&progress, None)).is_none());
    }
}
