//! The ReCom step (DeFord, Duchin & Solomon, 2021): merge two neighbouring territories, draw a random spanning
//! tree of their units, and cut it at an edge that leaves both halves within the tolerance of their targets.

use rand::seq::SliceRandom;
use rand::Rng;

use crate::problem::Problem;

/// Spanning trees drawn before giving up on a pair of territories.
const TREES: usize = 8;

/// Re-draws two neighbouring territories of `assignment` by ReCom and returns the new assignment, or `None`
/// when no pair was found or no tree of the merged units had a balanced cut. Locked units stay in their
/// territories (a cut that would move one is not taken).
pub fn recombine(problem: &Problem, assignment: &[u32], rng: &mut impl Rng) -> Option<Vec<u32>> {
    let (a, b) = random_pair(problem, assignment, rng)?;
    let units: Vec<usize> = (0..problem.n())
        .filter(|&i| assignment[i] == a || assignment[i] == b)
        .collect();
    let mut local = vec![u32::MAX; problem.n()];
    for (k, &i) in units.iter().enumerate() {
        local[i] = k as u32;
    }
    let local = &local;
    let edges: Vec<(u32, u32)> = units
        .iter()
        .flat_map(|&i| {
            let li = local[i];
            problem
                .adjacency
                .neighbors(i)
                .iter()
                .filter(move |&&j| local[j as usize] != u32::MAX && (j as usize) > i)
                .map(move |&j| (li, j))
        })
        .map(|(li, j)| (li, local[j as usize]))
        .collect();
    let m = units.len();
    let (ta, tb) = (problem.targets[a as usize], problem.targets[b as usize]);
    let total: f64 = units.iter().map(|&i| problem.weights[i]).sum();
    for _ in 0..TREES {
        let tree = random_spanning_tree(m, &edges, rng)?;
        // Root the tree at 0; loads of every subtree, children before parents.
        let (order, parent) = bfs_order(m, &tree);
        let mut sub = vec![0.0; m];
        for &v in order.iter().rev() {
            sub[v] += problem.weights[units[v]];
            if let Some(&u) = parent.get(v).filter(|&&u| u != usize::MAX) {
                sub[u] += sub[v];
            }
        }
        // Cuts (the edge above v) whose subtree can be territory a or b with the rest the other one.
        let within = |load: f64, target: f64| (load - target).abs() <= target * problem.tolerance;
        let mut cuts: Vec<(usize, bool)> = Vec::new();
        for v in 1..m {
            if parent[v] == usize::MAX {
                continue;
            }
            if within(sub[v], ta) && within(total - sub[v], tb) {
                cuts.push((v, true));
            }
            if within(sub[v], tb) && within(total - sub[v], ta) {
                cuts.push((v, false));
            }
        }
        cuts.shuffle(rng);
        for (v, sub_is_a) in cuts {
            let inside = subtree(m, &tree, &parent, v);
            let (t_in, t_out) = if sub_is_a { (a, b) } else { (b, a) };
            let mut next = assignment.to_vec();
            let mut ok = true;
            for (k, &i) in units.iter().enumerate() {
                let t = if inside[k] { t_in } else { t_out };
                if problem.locks[i].is_some_and(|l| l != t) {
                    ok = false;
                    break;
                }
                next[i] = t;
            }
            if ok {
                return Some(next);
            }
        }
    }
    None
}

/// Two territories that touch, through a boundary edge drawn at random.
fn random_pair(problem: &Problem, assignment: &[u32], rng: &mut impl Rng) -> Option<(u32, u32)> {
    let n = problem.n();
    for _ in 0..64 {
        let i = rng.gen_range(0..n);
        let nb = problem.adjacency.neighbors(i);
        let other: Vec<u32> = nb
            .iter()
            .map(|&j| assignment[j as usize])
            .filter(|&t| t != assignment[i])
            .collect();
        if let Some(&t) = other.choose(rng) {
            return Some((assignment[i], t));
        }
    }
    None
}

/// A uniformly weighted random spanning tree by Kruskal's algorithm on shuffled edges, as adjacency lists;
/// `None` when the merged units are not connected.
fn random_spanning_tree(m: usize, edges: &[(u32, u32)], rng: &mut impl Rng) -> Option<Vec<Vec<usize>>> {
    let mut order: Vec<usize> = (0..edges.len()).collect();
    order.shuffle(rng);
    let mut root: Vec<usize> = (0..m).collect();
    fn find(root: &mut [usize], mut x: usize) -> usize {
        while root[x] != x {
            root[x] = root[root[x]];
            x = root[x];
        }
        x
    }
    let mut tree = vec![Vec::new(); m];
    let mut joined = 1;
    for k in order {
        let (u, v) = (edges[k].0 as usize, edges[k].1 as usize);
        let (ru, rv) = (find(&mut root, u), find(&mut root, v));
        if ru != rv {
            root[ru] = rv;
            tree[u].push(v);
            tree[v].push(u);
            joined += 1;
        }
    }
    (joined == m).then_some(tree)
}

/// Breadth-first order from node 0 and each node's parent (`usize::MAX` for the root).
fn bfs_order(m: usize, tree: &[Vec<usize>]) -> (Vec<usize>, Vec<usize>) {
    let mut parent = vec![usize::MAX; m];
    let mut seen = vec![false; m];
    let mut order = Vec::with_capacity(m);
    if m > 0 {
        seen[0] = true;
        order.push(0);
    }
    let mut k = 0;
    while k < order.len() {
        let v = order[k];
        k += 1;
        for &u in &tree[v] {
            if !seen[u] {
                seen[u] = true;
                parent[u] = v;
                order.push(u);
            }
        }
    }
    (order, parent)
}

/// Membership of the subtree below `v`.
fn subtree(m: usize, tree: &[Vec<usize>], parent: &[usize], v: usize) -> Vec<bool> {
    let mut inside = vec![false; m];
    let mut stack = vec![v];
    inside[v] = true;
    while let Some(x) = stack.pop() {
        for &u in &tree[x] {
            if u != parent[x] && !inside[u] {
                inside[u] = true;
                stack.push(u);
            }
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Adjacency, Measure, Units};
    use crate::problem::ProblemSpec;
    use rand::SeedableRng;

    #[test]
    fn recom_keeps_both_territories_balanced_and_connected() {
        let n = 64;
        let units = Units::new(
            (0..n).map(|i| format!("u{i}")).collect(),
            (0..n).map(|i| (i % 8) as f64 * 0.1).collect(),
            (0..n).map(|i| (i / 8) as f64 * 0.1).collect(),
            vec![Measure {
                name: "workload".into(),
                values: vec![1.0; n],
            }],
        )
        .unwrap();
        let mut edges = vec![];
        for i in 0..n as u32 {
            if i % 8 < 7 {
                edges.push((i, i + 1));
            }
            if i / 8 < 7 {
                edges.push((i, i + 8));
            }
        }
        let adj = Adjacency::from_edges(n, &edges);
        let mut spec = ProblemSpec::new(&units, &adj, 4);
        spec.tolerance = 0.1;
        let problem = spec.build().unwrap();
        // Quadrants.
        let start: Vec<u32> = (0..n).map(|i| ((i % 8) / 4 + 2 * ((i / 8) / 4)) as u32).collect();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let mut changed = 0;
        for _ in 0..20 {
            let Some(next) = recombine(&problem, &start, &mut rng) else {
                continue;
            };
            changed += usize::from(next != start);
            let mut loads = [0.0; 4];
            for (i, &t) in next.iter().enumerate() {
                loads[t as usize] += problem.weights[i];
            }
            for (t, load) in loads.iter().enumerate() {
                assert!((load - 16.0).abs() <= 1.6 + 1e-9, "territory {t} load {load}");
            }
            assert_eq!(crate::contiguity::noncontiguous_count(&problem.adjacency, &next, 4), 0);
        }
        assert!(changed > 0, "no ReCom step changed the plan");
    }
}
