//! Contiguity: checks that keep territories connected, and repair of territories that are not.
//!
//! - [`ConnectivityChecker`]: does a territory stay connected when one unit leaves it? (a local search asks
//!   this for every candidate move, so it reuses its buffers and stops as soon as it has the answer).
//! - [`repair`]: keeps each territory's main component and hands every fragment to the adjacent territory
//!   where it stays within the disruption budget and the caps and floors, then costs least balance, then least
//!   travel.

use crate::alignment::Alignment;
use crate::geodesy::GeoPoint;
use crate::model::Adjacency;
use crate::problem::Problem;

/// Answers "does territory A stay connected without unit i?" by a search over A from one of i's neighbours
/// in A that stops once all of them are reached. Buffers are reused between calls.
#[derive(Debug, Clone)]
pub struct ConnectivityChecker {
    stamp: Vec<u32>,
    generation: u32,
    stack: Vec<u32>,
}

impl ConnectivityChecker {
    /// A checker for graphs of `n` nodes.
    pub fn new(n: usize) -> Self {
        ConnectivityChecker {
            stamp: vec![0; n],
            generation: 0,
            stack: Vec::new(),
        }
    }

    /// True when the units of `i`'s territory other than `i` that neighbour `i` remain connected to each
    /// other without `i` (so removing `i` splits nothing that was connected through it).
    pub fn stays_connected_without(&mut self, adjacency: &Adjacency, assignment: &[u32], i: usize) -> bool {
        let t = assignment[i];
        let nbrs = adjacency.neighbors(i);
        let mut same = nbrs.iter().filter(|&&j| assignment[j as usize] == t);
        let Some(&start) = same.next() else { return true };
        let remaining_targets = nbrs.iter().filter(|&&j| assignment[j as usize] == t).count() - 1;
        if remaining_targets == 0 {
            return true;
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.generation = 1;
        }
        let g = self.generation;
        // i itself is marked so the search never passes through it.
        self.stamp[i] = g;
        self.stamp[start as usize] = g;
        self.stack.clear();
        self.stack.push(start);
        let mut found = 0;
        while let Some(v) = self.stack.pop() {
            for &u in adjacency.neighbors(v as usize) {
                let uu = u as usize;
                if self.stamp[uu] != g && assignment[uu] == t {
                    self.stamp[uu] = g;
                    if nbrs.binary_search(&u).is_ok() {
                        found += 1;
                        if found == remaining_targets {
                            return true;
                        }
                    }
                    self.stack.push(u);
                }
            }
        }
        false
    }
}

/// Number of territories of `assignment` (territories `0..p`) whose units are not connected.
pub fn noncontiguous_count(adjacency: &Adjacency, assignment: &[u32], p: usize) -> usize {
    let (comp, _) = adjacency.components_where(|a, b| assignment[a] == assignment[b]);
    let mut first = vec![u32::MAX; p];
    let mut split = vec![false; p];
    for (i, &t) in assignment.iter().enumerate() {
        let t = t as usize;
        if first[t] == u32::MAX {
            first[t] = comp[i];
        } else if first[t] != comp[i] {
            split[t] = true;
        }
    }
    split.iter().filter(|&&s| s).count()
}

/// Per territory, the connected components of its units (largest weight first).
pub fn territory_components(
    adjacency: &Adjacency,
    assignment: &[u32],
    p: usize,
    weights: &[f64],
) -> Vec<Vec<Vec<usize>>> {
    let (comp, k) = adjacency.components_where(|a, b| assignment[a] == assignment[b]);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &c) in comp.iter().enumerate() {
        members[c as usize].push(i);
    }
    let mut out: Vec<Vec<Vec<usize>>> = vec![Vec::new(); p];
    for m in members {
        if let Some(&first) = m.first() {
            out[assignment[first] as usize].push(m);
        }
    }
    for comps in &mut out {
        comps.sort_by(|a, b| {
            let wa: f64 = a.iter().map(|&i| weights[i]).sum();
            let wb: f64 = b.iter().map(|&i| weights[i]).sum();
            wb.total_cmp(&wa).then(b.len().cmp(&a.len())).then(a[0].cmp(&b[0]))
        });
    }
    out
}

/// Makes every territory connected where the graph allows: each territory keeps its main component (the one
/// with its locked units, else the heaviest) and every other fragment goes whole to an adjacent territory,
/// choosing one within the disruption budget, then one it leaves within the caps and floors (contiguity comes
/// first: when every neighbour would break a limit the fragment still moves, and the limit's promise reports it),
/// then the least increase of balance violation, then of travel to `centers`. Fragments holding locked
/// units stay. Returns the number of territories still not connected.
pub fn repair(problem: &Problem, al: &mut Alignment, centers: &[GeoPoint]) -> usize {
    let p = problem.p();
    let adj = &problem.adjacency;
    for _round in 0..(4 * p + 10) {
        let comps = territory_components(adj, &al.assignment, p, &problem.weights);
        let mut fragments: Vec<(u32, Vec<usize>)> = Vec::new();
        for (t, cs) in comps.into_iter().enumerate() {
            if cs.len() <= 1 {
                continue;
            }
            // The main component: the one with locked units if any, else the heaviest (first).
            let main = cs
                .iter()
                .position(|c| c.iter().any(|&i| problem.locks[i].is_some()))
                .unwrap_or(0);
            for (k, c) in cs.into_iter().enumerate() {
                if k != main && !c.iter().any(|&i| problem.locks[i].is_some()) {
                    fragments.push((t as u32, c));
                }
            }
        }
        if fragments.is_empty() {
            break;
        }
        fragments.sort_by(|a, b| a.1.len().cmp(&b.1.len()).then(a.1[0].cmp(&b.1[0])));
        let mut moved_any = false;
        for (from, frag) in fragments {
            // A fragment may have changed territory earlier in this round through another move: skip it then.
            if frag.iter().any(|&i| al.assignment[i] != from) {
                continue;
            }
            let w: f64 = frag.iter().map(|&i| problem.weights[i]).sum();
            let mut cands: Vec<u32> = frag
                .iter()
                .flat_map(|&i| adj.neighbors(i).iter().map(|&j| al.assignment[j as usize]))
                .filter(|&t| t != from)
                .collect();
            cands.sort_unstable();
            cands.dedup();
            let f = from as usize;
            let base = Alignment::violation(problem, f, al.loads[f]);
            let best = cands
                .into_iter()
                .map(|to| {
                    let t = to as usize;
                    let dv = Alignment::violation(problem, f, al.loads[f] - w)
                        + Alignment::violation(problem, t, al.loads[t] + w)
                        - base
                        - Alignment::violation(problem, t, al.loads[t]);
                    let dt: f64 = frag
                        .iter()
                        .map(|&i| {
                            problem.weights[i] * (problem.points[i].km(&centers[t]) - problem.points[i].km(&centers[f]))
                        })
                        .sum();
                    let dm: f64 = frag.iter().map(|&i| al.moved_delta(problem, i, to)).sum();
                    let over_budget = problem.move_budget.is_some_and(|b| dm > 0.0 && al.moved + dm > b);
                    // A neighbour the fragment would push further beyond a cap or floor comes last.
                    let breaks_limit = al
                        .limits_after(problem, from, to, |l| {
                            frag.iter().map(|&i| problem.limits[l].values[i]).sum()
                        })
                        .is_none();
                    (over_budget, breaks_limit, dv, dt, to)
                })
                .min_by(|a, b| {
                    a.0.cmp(&b.0)
                        .then(a.1.cmp(&b.1))
                        .then(a.2.total_cmp(&b.2))
                        .then(a.3.total_cmp(&b.3))
                        .then(a.4.cmp(&b.4))
                });
            if let Some((_, _, _, _, to)) = best {
                for &i in &frag {
                    al.move_unit(problem, i, to);
                }
                moved_any = true;
            }
        }
        if !moved_any {
            break;
        }
    }
    noncontiguous_count(adj, &al.assignment, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_vertex_is_detected() {
        // 0 - 1 - 2 all in territory 0: removing 1 disconnects 0 and 2.
        let adj = Adjacency::from_edges(3, &[(0, 1), (1, 2)]);
        let mut c = ConnectivityChecker::new(3);
        assert!(!c.stays_connected_without(&adj, &[0, 0, 0], 1));
        assert!(c.stays_connected_without(&adj, &[0, 0, 0], 0));
    }

    #[test]
    fn counts_territories_in_pieces() {
        // 0 - 1 - 2 - 3: territory 0 holds units 0 and 2 (apart), territory 1 holds 1 and 3 (apart too).
        let adj = Adjacency::from_edges(4, &[(0, 1), (1, 2), (2, 3)]);
        assert_eq!(noncontiguous_count(&adj, &[0, 1, 0, 1], 2), 2);
        assert_eq!(noncontiguous_count(&adj, &[0, 0, 1, 1], 2), 0);
        assert_eq!(noncontiguous_count(&adj, &[0, 0, 1, 0], 3), 1);
    }

    #[test]
    fn cycle_has_no_cut_vertex() {
        let adj = Adjacency::from_edges(4, &[(0, 1), (1, 2), (2, 3), (3, 0)]);
        let mut c = ConnectivityChecker::new(4);
        for i in 0..4 {
            assert!(c.stays_connected_without(&adj, &[0; 4], i));
        }
    }
}
