//! Balance repair by ejection chains: when no single boundary move reduces the balance violation (heavy units,
//! neighbours at their bounds), push a unit from an overloaded territory into a neighbour, which pushes one of
//! its own units on, and so on until the load lands in a territory with room (or, for an underloaded
//! territory, pull along such a chain). Chains are searched by iterative deepening with a node budget.
//!
//! Effort is bounded by the instance, not by luck: every chain search counts against the number of searches
//! (failed ones too), all searches of one call share one node budget proportional to the number of units, a
//! node costs O(territory size × degree) (a territory's boundary comes from its member list, not from a scan
//! of every unit), and the deadline is polled every few hundred nodes.

use crate::alignment::Alignment;
use crate::contiguity::ConnectivityChecker;
use crate::geodesy::GeoPoint;
use crate::problem::Problem;
use crate::stop::Stop;

/// A move of one unit to a territory.
type Step = (usize, u32);

/// Longest chain tried.
const MAX_DEPTH: usize = 5;
/// Units tried per hop, the ones whose move best fixes the hop's territory first.
const UNITS_PER_HOP: usize = 8;
/// Search nodes per chain search, so a hopeless case costs bounded time.
const NODE_BUDGET: usize = 40_000;
/// Search nodes per unit for all the chain searches of one [`repair_balance`] call together.
const NODES_PER_UNIT: usize = 40;
/// Search nodes between two polls of the stop condition.
const STOP_POLL: usize = 256;

/// Repairs balance with ejection chains until every territory is within bounds, no chain helps, `max_chains`
/// chain searches (successful or not) were made, the call's node budget is spent or `stop` is reached. Each
/// chain must reduce the total squared violation; among the shortest that do, the least travel wins. Locks, the
/// disruption budget and connectivity hold throughout, and no chain leaves a territory further beyond a cap or
/// floor than it was. Returns the number of chains applied.
pub fn repair_balance(
    problem: &Problem,
    al: &mut Alignment,
    centers: &[GeoPoint],
    max_chains: usize,
    stop: &Stop,
) -> usize {
    repair(problem, al, centers, max_chains, stop, Goal::Balance)
}

/// Mends broken caps and floors ([`crate::limits`]) with ejection chains: from the territory furthest beyond a
/// limit, push units on (over a cap) or pull units in (under a floor) along chains of neighbours until the total
/// excess shrinks without any territory's excess growing; among the shortest such chains the least balance
/// violation, then the least travel wins. Balance may get worse ([`repair_balance`] mends it afterwards within the
/// limits). Same effort bounds as [`repair_balance`]. Returns the number of chains applied.
pub fn repair_limits(
    problem: &Problem,
    al: &mut Alignment,
    centers: &[GeoPoint],
    max_chains: usize,
    stop: &Stop,
) -> usize {
    if problem.limits.is_empty() {
        return 0;
    }
    repair(problem, al, centers, max_chains, stop, Goal::Limits)
}

/// What a chain must reduce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Goal {
    /// The total squared balance violation.
    Balance,
    /// The total excess over caps and floors.
    Limits,
}

fn repair(
    problem: &Problem,
    al: &mut Alignment,
    centers: &[GeoPoint],
    max_chains: usize,
    stop: &Stop,
    goal: Goal,
) -> usize {
    let p = problem.p();
    let mut search = ChainSearch {
        checker: ConnectivityChecker::new(problem.n()),
        nodes: 0,
        total_nodes: 0,
        node_limit: NODES_PER_UNIT * problem.n().max(1000),
        stop: stop.clone(),
        stopped: false,
        goal,
        limits_before: Vec::new(),
    };
    let mut made = 0;
    let mut searches = 0;
    let mut hopeless = vec![false; p];
    while searches < max_chains && !search.out_of_effort() {
        let worst = (0..p)
            .filter(|&t| !hopeless[t])
            .map(|t| (search.badness(problem, al, t), t))
            .filter(|(v, _)| *v > 0.0)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let Some((_, a)) = worst else { break };
        searches += 1;
        match search.best_chain(problem, al, centers, a as u32) {
            Some(steps) => {
                for (i, to) in steps {
                    al.move_unit(problem, i, to);
                }
                made += 1;
                // Loads changed along the chain: territories given up on may have a way out now.
                hopeless.iter_mut().for_each(|h| *h = false);
            }
            None => hopeless[a] = true,
        }
    }
    made
}

struct ChainSearch {
    checker: ConnectivityChecker,
    /// Nodes of the current chain search.
    nodes: usize,
    /// Nodes of every search of this call.
    total_nodes: usize,
    /// Budget of `total_nodes`.
    node_limit: usize,
    stop: Stop,
    /// Set once `stop` was seen reached.
    stopped: bool,
    /// What the chains must reduce.
    goal: Goal,
    /// The limit loads when the current chain search began: no chain may leave a territory further beyond a limit.
    limits_before: Vec<Vec<f64>>,
}

/// Units of territory `t` that touch another territory and may move.
fn boundary(problem: &Problem, al: &Alignment, t: u32) -> Vec<usize> {
    al.members(t as usize)
        .iter()
        .map(|&i| i as usize)
        .filter(|&i| problem.locks[i].is_none())
        .filter(|&i| {
            problem
                .adjacency
                .neighbors(i)
                .iter()
                .any(|&j| al.assignment[j as usize] != t)
        })
        .collect()
}

/// Territories other than unit `i`'s own next to it.
fn neighbour_territories(problem: &Problem, assignment: &[u32], i: usize) -> Vec<u32> {
    let t = assignment[i];
    let mut v: Vec<u32> = problem
        .adjacency
        .neighbors(i)
        .iter()
        .map(|&j| assignment[j as usize])
        .filter(|&x| x != t)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

impl ChainSearch {
    /// How far territory `t` is from what the goal asks (0: nothing to mend there).
    fn badness(&self, problem: &Problem, al: &Alignment, t: usize) -> f64 {
        match self.goal {
            Goal::Balance => Alignment::violation(problem, t, al.loads[t]),
            Goal::Limits => problem
                .limits
                .iter()
                .zip(&al.limit_loads)
                .map(|(m, loads)| m.excess(loads[t]))
                .sum(),
        }
    }

    /// The figure a chain must reduce, and the one that breaks ties among the shortest chains (before travel).
    fn score(&self, problem: &Problem, al: &Alignment) -> (f64, f64) {
        match self.goal {
            Goal::Balance => (al.total_violation(problem), 0.0),
            Goal::Limits => (al.limit_excess(problem), al.total_violation(problem)),
        }
    }

    /// True once the call's node budget is spent or the stop condition was seen.
    fn out_of_effort(&self) -> bool {
        self.stopped || self.total_nodes >= self.node_limit
    }

    /// Counts one search node; false when the search must end (budget spent, deadline, cancel).
    fn tick(&mut self) -> bool {
        self.nodes += 1;
        self.total_nodes += 1;
        if self.total_nodes % STOP_POLL == 0 && self.stop.reached() {
            self.stopped = true;
        }
        self.nodes < NODE_BUDGET && !self.out_of_effort()
    }

    /// Applies `i → to` if allowed (not emptying its territory, connectivity, budget); returns the travel change.
    fn apply(&mut self, problem: &Problem, al: &mut Alignment, centers: &[GeoPoint], i: usize, to: u32) -> Option<f64> {
        let from = al.assignment[i];
        let dm = al.moved_delta(problem, i, to);
        if from == to
            || problem
                .move_budget
                .is_some_and(|b| dm > 0.0 && al.moved + dm > b + 1e-9)
            || al.counts[from as usize] <= 1
            || !self
                .checker
                .stays_connected_without(&problem.adjacency, &al.assignment, i)
        {
            return None;
        }
        let travel = problem.weights[i]
            * (problem.points[i].km(&centers[to as usize]) - problem.points[i].km(&centers[from as usize]));
        al.move_unit(problem, i, to);
        Some(travel)
    }

    /// The shortest chain (then least travel) starting at violating territory `a` that reduces total violation.
    fn best_chain(&mut self, problem: &Problem, al: &mut Alignment, centers: &[GeoPoint], a: u32) -> Option<Vec<Step>> {
        let base = self.score(problem, al).0;
        self.limits_before.clone_from(&al.limit_loads);
        let push = match self.goal {
            Goal::Balance => al.loads[a as usize] > problem.upper(a as usize),
            // Over a cap: shed units; under a floor: take some in.
            Goal::Limits => problem.limits.iter().zip(&al.limit_loads).any(|(m, loads)| {
                let load = loads[a as usize];
                m.excess(load) > 0.0 && m.cap.is_some_and(|c| load > c)
            }),
        };
        for depth in 1..=MAX_DEPTH {
            self.nodes = 0;
            let mut best: Option<((f64, f64), f64, Vec<Step>)> = None;
            let mut path = Vec::new();
            self.dfs(problem, al, centers, a, push, depth, base, 0.0, &mut path, &mut best);
            if let Some((_, _, steps)) = best {
                return Some(steps);
            }
            if self.nodes >= NODE_BUDGET || self.out_of_effort() {
                break;
            }
        }
        None
    }

    /// Extends the chain from territory `t`, which must now shed a unit (push) or take one (pull).
    #[allow(clippy::too_many_arguments)]
    fn dfs(
        &mut self,
        problem: &Problem,
        al: &mut Alignment,
        centers: &[GeoPoint],
        t: u32,
        push: bool,
        depth: usize,
        base: f64,
        travel: f64,
        path: &mut Vec<Step>,
        best: &mut Option<((f64, f64), f64, Vec<Step>)>,
    ) {
        let tt = t as usize;
        let target = problem.targets[tt];
        // Candidate hops: (unit, from, to). Push: a unit of t to a neighbour. Pull: a neighbour's unit into t.
        let mut hops: Vec<(f64, usize, u32)> = Vec::new();
        if push {
            for u in boundary(problem, al, t) {
                if path.iter().any(|s| s.0 == u) {
                    continue;
                }
                let fix = (al.loads[tt] - problem.weights[u] - target).abs();
                for b in neighbour_territories(problem, &al.assignment, u) {
                    hops.push((fix, u, b));
                }
            }
        } else {
            for u in boundary(problem, al, t) {
                for &j in problem.adjacency.neighbors(u) {
                    let j = j as usize;
                    if al.assignment[j] != t && problem.locks[j].is_none() && !path.iter().any(|s| s.0 == j) {
                        let fix = (al.loads[tt] + problem.weights[j] - target).abs();
                        hops.push((fix, j, t));
                    }
                }
            }
            hops.sort_by_key(|h| h.1);
            hops.dedup_by(|a, b| a.1 == b.1);
        }
        hops.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut units_seen = Vec::new();
        for (_, u, to) in hops {
            if !units_seen.contains(&u) {
                if units_seen.len() >= UNITS_PER_HOP {
                    continue;
                }
                units_seen.push(u);
            }
            if !self.tick() {
                return;
            }
            let from = al.assignment[u];
            let Some(dt) = self.apply(problem, al, centers, u, to) else {
                continue;
            };
            path.push((u, to));
            let v = self.score(problem, al);
            if v.0 < base - 1e-12 && al.limits_no_worse_than(problem, &self.limits_before) {
                if best.as_ref().is_none_or(|(bv, bt, _)| (v, travel + dt) < (*bv, *bt)) {
                    *best = Some((v, travel + dt, path.clone()));
                }
            } else if depth > 1 {
                // Push: the receiving territory passes a unit on. Pull: the giving territory pulls one in.
                let next = if push { to } else { from };
                self.dfs(
                    problem,
                    al,
                    centers,
                    next,
                    push,
                    depth - 1,
                    base,
                    travel + dt,
                    path,
                    best,
                );
            }
            path.pop();
            al.move_unit(problem, u, from);
        }
    }
}
