//! The primal network simplex engine behind [`FlowNetwork`](super::FlowNetwork) and
//! [`transportation`](super::transportation).
//!
//! Textbook structure (Ahuja, Magnanti & Orlin, *Network Flows*, 1993, ch. 11; Király & Kovács, "Efficient
//! implementations of minimum-cost flow algorithms", Acta Univ. Sapientiae, Informatica 4(1), 2012):
//!
//! - an artificial root joined to every node by an uncapacitated arc gives a first, strongly feasible spanning
//!   tree (supply and zero-supply nodes point up to the root, demand nodes hang down from it); supply and demand
//!   nodes' arcs cost big M, transit nodes' arcs cost 0 (flow through the root still pays M on the way down);
//! - a crash start pivots in each transit node's cheapest outgoing arc, then each supply node's cheapest outgoing
//!   and each demand node's cheapest incoming arc;
//! - the entering arc is the most violating arc of a block of 2√m arcs, blocks scanned round-robin;
//! - the leaving arc is the last blocking arc met when walking the pivot cycle from its apex in the direction
//!   of the augmentation (Cunningham's rule), which keeps the tree strongly feasible and rules out cycling;
//! - the tree is stored as parent / pred-arc / preorder thread / reverse thread / subtree size / last
//!   descendant, all updated in time proportional to the changed part of the tree; potentials are shifted on
//!   the re-hung subtree or, when that is the larger part, the other way on the rest;
//! - the optimal tree is kept, so after cost changes the next solve starts warm.
//!
//! Node potentials follow AMO's sign convention: the reduced cost of arc (i, j) is `c_ij − π_i + π_j`; tree arcs
//! have reduced cost 0, arcs at their lower bound ≥ 0, arcs at their upper bound ≤ 0 at the optimum.

use super::FlowError;

/// Capacity meaning "no upper bound".
pub const INF: i64 = i64::MAX;

/// Pricing block = BLOCK_FACTOR × √(arcs). Király & Kovács recommend about √m. Timed on transport-zips-491 and
/// seeded random transportation problems of 3,000×49 to 30,000×491 (bench/flow), factors 1–2 were fastest
/// overall with the crash start (fewer pivots with bigger blocks, but each costs more pricing); 4 and 8 were
/// 10–50% slower on the random instances.
const BLOCK_FACTOR: f64 = 2.0;

/// "No node": the parent of the root.
const NONE: u32 = u32::MAX;

/// Arc states. Chosen so that `state × reduced cost < 0` exactly when the arc may enter the basis.
const UPPER: i8 = -1;
const TREE: i8 = 0;
const LOWER: i8 = 1;

/// Largest |cost| × nodes product for which every potential and reduced cost provably fits in an `i64`.
///
/// Potentials are sums of tree arc costs along a root path: at most one big-M arc plus n−1 real arcs, so
/// |π| ≤ M + n·C with M = (n+1)·C + 1. Reduced costs are at most C + 2|π|. Dividing by 16 leaves room for
/// the root's potential to drift (see `DRIFT_LIMIT`).
const COST_LIMIT: i128 = (i64::MAX / 16) as i128;

/// Bound on the root's potential drift (see the potential update in `pivot`) before all potentials are shifted
/// back to a root potential of 0. With |π − π_root| ≤ 2^60 every intermediate of a reduced cost stays below 2^62.
const DRIFT_LIMIT: u64 = 1 << 60;

/// Pricing block for `arcs` priced arcs: a multiple of √(arcs) (Király & Kovács); a floor keeps tiny networks
/// from pricing one arc at a time.
fn block_size(arcs: usize) -> usize {
    (((arcs as f64).sqrt() * BLOCK_FACTOR).ceil() as usize)
        .max(10)
        .min(arcs.max(1))
}

/// Pivots between two polls of the stop condition: a pivot costs about a microsecond on the largest networks
/// Tessera builds, so a deadline or Cancel is seen within about a millisecond.
const STOP_POLL: u64 = 1024;

/// A network ready to pivot: arcs as parallel arrays (structure of arrays keeps the pricing loop in cache),
/// the spanning tree as node arrays. Real arcs come first, then one artificial arc per real node.
#[derive(Debug, Clone)]
pub(crate) struct Simplex {
    /// Real nodes; the artificial root has index `n`.
    n: usize,
    /// Real arcs; artificial arc of node v has index `m + v`.
    m: usize,
    src: Vec<u32>,
    tgt: Vec<u32>,
    cap: Vec<i64>,
    cost: Vec<i64>,
    flow: Vec<i64>,
    state: Vec<i8>,

    pi: Vec<i64>,
    parent: Vec<u32>,
    /// The tree arc joining a node to its parent.
    pred: Vec<u32>,
    /// True when `pred[v]` points from v up to its parent.
    up: Vec<bool>,
    /// Preorder successor (cyclic, through the root).
    thread: Vec<u32>,
    rev_thread: Vec<u32>,
    /// Number of nodes in the subtree (the node included).
    succ_num: Vec<u32>,
    /// Last node of the subtree in preorder.
    last_succ: Vec<u32>,

    /// Pricing: block size and where the next block starts (a position among the arcs priced, see `priced`).
    block: usize,
    next_arc: usize,
    /// Real arcs priced first: arcs `first..m` are looked at only once none of the others can enter.
    first: usize,
    /// Real arcs priced now (`first` or `m`); the artificial arcs are always priced.
    priced: usize,
    /// Scratch for the pivot.
    stem: Vec<u32>,
    links: Vec<(u32, u32)>,
    /// Number of pivots done, for statistics.
    pub(crate) pivots: u64,
    /// The |cost| bound big M was sized for.
    max_cost: i64,
    /// The crash start runs once; later solves start from the previous optimal tree.
    crashed: bool,
    /// Costs changed since the potentials were last made consistent with the tree.
    pi_stale: bool,
    /// Tests: check every tree invariant after every pivot.
    #[cfg(test)]
    pub(crate) check: bool,
}

/// Outcome of a finished run.
pub(crate) struct Solved {
    pub cost: i128,
    pub flow: Vec<i64>,
    pub pi: Vec<i64>,
    pub pivots: u64,
}

impl Simplex {
    /// Builds the first tree. `arcs` yields (from, to, capacity, cost); supplies are per node and must sum to 0.
    ///
    /// The caller has checked indices, capacities ≥ 0 and the balance; this checks the cost range.
    pub(crate) fn new(
        supply: &[i64],
        m: usize,
        arcs: impl Iterator<Item = (usize, usize, i64, i64)>,
    ) -> Result<Self, FlowError> {
        let n = supply.len();
        assert!(n < (u32::MAX - 1) as usize, "at most 2^32 − 2 nodes");
        assert!(
            m + n < u32::MAX as usize,
            "at most 2^32 − 1 arcs including one artificial arc per node"
        );
        let total = m + n;
        let mut src = Vec::with_capacity(total);
        let mut tgt = Vec::with_capacity(total);
        let mut cap = Vec::with_capacity(total);
        let mut cost = Vec::with_capacity(total);
        let mut max_cost: i64 = 1;
        // Every basic flow is a sum of supplies and finite capacities; bounding that sum bounds every flow.
        let mut flow_bound: i128 = supply.iter().map(|&b| (b as i128).abs()).sum();
        for (from, to, c, w) in arcs {
            src.push(from as u32);
            tgt.push(to as u32);
            cap.push(c);
            cost.push(w);
            max_cost = max_cost.max(w.checked_abs().ok_or(FlowError::Overflow {
                what: "an arc cost of i64::MIN",
            })?);
            if c != INF {
                flow_bound += c as i128;
            }
        }
        debug_assert_eq!(src.len(), m);
        if flow_bound > (INF / 2) as i128 {
            return Err(FlowError::Overflow {
                what: "supplies plus finite capacities exceed 2^62 (use INF for arcs without a limit)",
            });
        }
        if (n as i128 + 2) * max_cost as i128 > COST_LIMIT {
            return Err(FlowError::Overflow {
                what: "the largest |cost| times the number of nodes exceeds 2^59; potentials could overflow i64",
            });
        }
        // Big enough that routing through the root (which costs at least one big-M arc down to a demand node)
        // is dearer than any simple path of real arcs.
        let big_m = (n as i64 + 1) * max_cost + 1;
        let root = n as u32;
        let mut flow = vec![0i64; total];
        let mut state = vec![LOWER; total];
        let mut pi = vec![0i64; n + 1];
        let mut up = vec![true; n + 1];
        for (v, &b) in supply.iter().enumerate() {
            let a = m + v;
            state[a] = TREE;
            cap.push(INF);
            if b >= 0 {
                // Supply (and zero-supply) nodes send their supply up to the root: residual room towards the
                // root is unbounded, which makes the tree strongly feasible. Transit nodes get cost 0: any flow
                // through the root still pays big M on the way down to a demand node, which keeps the big-M
                // argument valid, and their real arcs price out immediately instead of only after their
                // neighbours have left the root.
                let c = if b > 0 { big_m } else { 0 };
                cost.push(c);
                src.push(v as u32);
                tgt.push(root);
                flow[a] = b;
                pi[v] = c;
            } else {
                cost.push(big_m);
                // Demand nodes receive from the root on an arc with positive flow: it can still be decreased.
                src.push(root);
                tgt.push(v as u32);
                flow[a] = -b;
                pi[v] = -big_m;
                up[v] = false;
            }
        }
        let mut parent = vec![root; n + 1];
        parent[n] = NONE;
        let pred: Vec<u32> = (0..=n).map(|v| if v < n { (m + v) as u32 } else { NONE }).collect();
        // Preorder: root, 0, 1, ..., n−1, back to root.
        let thread: Vec<u32> = (0..=n).map(|v| if v < n { v as u32 + 1 } else { 0 }).collect();
        let mut thread = thread;
        thread[n] = if n == 0 { root } else { 0 };
        if n > 0 {
            thread[n - 1] = root;
        }
        let mut rev_thread = vec![0u32; n + 1];
        for v in 0..=n {
            rev_thread[thread[v] as usize] = v as u32;
        }
        let mut succ_num = vec![1u32; n + 1];
        succ_num[n] = n as u32 + 1;
        let mut last_succ: Vec<u32> = (0..=n as u32).collect();
        last_succ[n] = if n == 0 { root } else { n as u32 - 1 };
        let block = block_size(total);
        Ok(Self {
            n,
            m,
            src,
            tgt,
            cap,
            cost,
            flow,
            state,
            pi,
            parent,
            pred,
            up,
            thread,
            rev_thread,
            succ_num,
            last_succ,
            block,
            next_arc: 0,
            first: m,
            priced: m,
            stem: Vec::new(),
            links: Vec::new(),
            pivots: 0,
            max_cost,
            crashed: false,
            pi_stale: false,
            #[cfg(test)]
            check: false,
        })
    }

    /// Prices real arcs `first..` only once none of the arcs before them can enter the basis, at every later
    /// solve: for networks whose arcs past `first` are rarely in an optimal flow (a unit's far candidates),
    /// pricing them at every pivot costs more than the pivots they could save. The optimum is the same.
    pub(crate) fn price_first(&mut self, first: usize) {
        self.first = first.min(self.m);
    }

    /// Prices the real arcs `..priced` (and the artificial ones) from the next pivot on.
    fn set_priced(&mut self, priced: usize) {
        self.priced = priced;
        let total = self.src.len() - (self.m - priced);
        self.block = block_size(total);
        self.next_arc = 0;
    }

    /// Pivots to optimality and extracts the solution of the real arcs.
    pub(crate) fn run(mut self) -> Result<Solved, FlowError> {
        self.solve()
    }

    /// Pivots to optimality from the current tree (the first call starts with the crash pivots) and extracts the
    /// solution of the real arcs. The tree is kept, so after [`Simplex::set_cost`] the next call starts warm.
    pub(crate) fn solve(&mut self) -> Result<Solved, FlowError> {
        self.solve_until(&|| false)
    }

    /// [`Simplex::solve`], polling `stop` every [`STOP_POLL`] pivots and giving up with
    /// [`FlowError::Interrupted`] once it answers true. The tree stays valid (primal feasible), so a later call
    /// resumes where this one stopped.
    pub(crate) fn solve_until(&mut self, stop: &dyn Fn() -> bool) -> Result<Solved, FlowError> {
        let start = self.pivots;
        if self.pi_stale {
            self.recompute_potentials();
        }
        if !self.crashed {
            self.crashed = true;
            self.initial_pivots()?;
            #[cfg(test)]
            if self.check {
                self.check_tree();
            }
        }
        if self.priced != self.first {
            self.set_priced(self.first);
        }
        let mut since_poll = 0;
        loop {
            while let Some(e) = self.find_entering() {
                if since_poll == 0 && stop() {
                    return Err(FlowError::Interrupted);
                }
                since_poll = (since_poll + 1) % STOP_POLL;
                self.pivot(e)?;
                #[cfg(test)]
                if self.check {
                    self.check_tree();
                }
            }
            // Optimal over the arcs priced first: now over all of them.
            if self.priced == self.m {
                break;
            }
            self.set_priced(self.m);
        }
        // Flow left on artificial arcs is supply the real arcs cannot carry. Each such unit enters the root from
        // the supply or transit node where it got stuck and leaves it to an unmet demand node: count it once, on
        // the way in, and name the lowest node where flow got stuck.
        let mut unrouted = 0i64;
        let mut stuck = None;
        for v in 0..self.n {
            let a = self.m + v;
            if self.flow[a] > 0 && self.src[a] as usize == v {
                unrouted = unrouted.saturating_add(self.flow[a]);
                stuck.get_or_insert(v);
            }
        }
        if let Some(node) = stuck {
            return Err(FlowError::Infeasible { node, unrouted });
        }
        self.normalize_potentials();
        let flow = self.flow[..self.m].to_vec();
        let cost = flow.iter().zip(&self.cost).map(|(&f, &c)| f as i128 * c as i128).sum();
        Ok(Solved {
            cost,
            flow,
            pi: self.pi[..self.n].to_vec(),
            pivots: self.pivots - start,
        })
    }

    /// Current flow on arc `a` (after a solve, also after an infeasible one: the best flow the arcs allow).
    pub(crate) fn flow_on(&self, a: usize) -> i64 {
        self.flow[a]
    }

    /// Changes the cost of real arc `a`. The tree and flows stay primal feasible (and strongly feasible, which
    /// depends on flows only); potentials are recomputed from the tree at the next solve.
    pub(crate) fn set_cost(&mut self, a: usize, cost: i64) -> Result<(), FlowError> {
        assert!(a < self.m, "arc {a} out of range 0..{}", self.m);
        let abs = cost.checked_abs().ok_or(FlowError::Overflow {
            what: "an arc cost of i64::MIN",
        })?;
        if abs > self.max_cost {
            if (self.n as i128 + 2) * abs as i128 > COST_LIMIT {
                return Err(FlowError::Overflow {
                    what: "the largest |cost| times the number of nodes exceeds 2^59; potentials could overflow i64",
                });
            }
            // Big M must keep dominating every simple path: resize it on the artificial arcs that carry it
            // (those of supply and demand nodes; transit nodes' cost 0).
            self.max_cost = abs;
            let big_m = (self.n as i64 + 1) * abs + 1;
            for v in 0..self.n {
                if self.cost[self.m + v] != 0 {
                    self.cost[self.m + v] = big_m;
                }
            }
        }
        self.cost[a] = cost;
        self.pi_stale = true;
        Ok(())
    }

    /// Points real arc `a` at node `to` instead, if the arc is outside the tree and carries no flow (then the
    /// tree, the flows and their feasibility do not depend on it, and only its reduced cost changes). Returns
    /// false, changing nothing, for a tree arc or one with flow.
    pub(crate) fn retarget(&mut self, a: usize, to: usize) -> bool {
        assert!(a < self.m, "arc {a} out of range 0..{}", self.m);
        assert!(to < self.n, "node {to} out of range 0..{}", self.n);
        if self.state[a] != LOWER || self.flow[a] != 0 {
            return false;
        }
        self.tgt[a] = to as u32;
        self.pi_stale = true;
        true
    }

    /// Target node of real arc `a`.
    pub(crate) fn target(&self, a: usize) -> usize {
        self.tgt[a] as usize
    }

    /// Potentials from scratch: root 0, then down the thread (parents come first in preorder), each tree arc
    /// with reduced cost 0.
    fn recompute_potentials(&mut self) {
        let root = self.n;
        self.pi[root] = 0;
        let mut x = self.thread[root] as usize;
        while x != root {
            let (p, a) = (self.parent[x] as usize, self.pred[x] as usize);
            self.pi[x] = if self.up[x] {
                self.cost[a] + self.pi[p]
            } else {
                self.pi[p] - self.cost[a]
            };
            x = self.thread[x] as usize;
        }
        self.pi_stale = false;
    }

    /// Crash start: before general pricing, pivot in each transit node's cheapest outgoing arc, then each
    /// supply node's cheapest outgoing arc and each demand node's cheapest incoming arc (when still eligible).
    /// On transportation-like networks this first hangs the centres below the sink, then attaches most sources
    /// to their nearest centre in cheap pivots (tiny cycles, one-node subtrees) that block search would
    /// otherwise find only after scanning many blocks. On transport-zips-491 it halves the pivots.
    fn initial_pivots(&mut self) -> Result<(), FlowError> {
        let (n, m) = (self.n, self.m);
        // The artificial arcs still say which nodes supply (up, positive flow), demand (down) or only pass flow
        // on (up, no flow).
        let mut best = vec![NONE; n];
        let mut transit = vec![NONE; n];
        for a in 0..m {
            let (s, t) = (self.src[a] as usize, self.tgt[a] as usize);
            if s == t || self.cap[a] == 0 {
                continue;
            }
            let cheaper = |b: u32| b == NONE || self.cost[a] < self.cost[b as usize];
            if self.up[s] && self.flow[m + s] > 0 {
                if cheaper(best[s]) {
                    best[s] = a as u32;
                }
            } else if self.up[s] && cheaper(transit[s]) {
                transit[s] = a as u32;
            }
            if !self.up[t] && cheaper(best[t]) {
                best[t] = a as u32;
            }
        }
        // Transit nodes first: while they carry no flow their pivots are degenerate one-node moves, and they
        // give the supply nodes' pivots a real path towards the demands instead of a zero-cost way into the root.
        for a in transit.into_iter().chain(best) {
            if a == NONE {
                continue;
            }
            let a = a as usize;
            let rc = self.cost[a] - self.pi[self.src[a] as usize] + self.pi[self.tgt[a] as usize];
            if (self.state[a] as i64) * rc < 0 {
                self.pivot(a)?;
                #[cfg(test)]
                if self.check {
                    self.check_tree();
                }
            }
        }
        Ok(())
    }

    /// Block search pricing: scans the priced arcs round-robin in blocks, returns the most violating arc of the
    /// first block that has one, or `None` at optimality over them (a full round without a candidate).
    fn find_entering(&mut self) -> Option<usize> {
        // Positions count the priced arcs only: real arcs `..priced`, then the artificial ones.
        let total = self.src.len() - (self.m - self.priced);
        if total == 0 {
            return None;
        }
        let mut best = usize::MAX;
        let mut best_val = 0i64;
        let mut start = self.next_arc;
        let mut scanned = 0;
        while scanned < total {
            let len = self.block.min(total - scanned);
            // One block, possibly wrapping around the end of the arc list: split into two straight runs so the
            // hot loop has no wrap test.
            let end = start + len;
            let (a_end, wrap_end) = if end <= total { (end, 0) } else { (total, end - total) };
            self.price_positions(start, a_end, &mut best, &mut best_val);
            self.price_positions(0, wrap_end, &mut best, &mut best_val);
            start = if end < total { end } else { end - total };
            scanned += len;
            if best != usize::MAX {
                self.next_arc = start;
                return Some(best);
            }
        }
        None
    }

    /// Prices the priced arcs at positions `lo..hi`: real arcs below `priced` are at their own index, the
    /// artificial ones after them (the real arcs not priced skipped).
    fn price_positions(&self, lo: usize, hi: usize, best: &mut usize, best_val: &mut i64) {
        let (priced, skip) = (self.priced, self.m - self.priced);
        if lo < priced {
            self.price_range(lo, hi.min(priced), best, best_val);
        }
        if hi > priced {
            self.price_range(lo.max(priced) + skip, hi + skip, best, best_val);
        }
    }

    // Kept out of line: inlined into `solve_until` (through `price_positions`) its loop compiled to about 25% more
    // instructions (callgrind, a conus design).
    #[inline(never)]
    fn price_range(&self, lo: usize, hi: usize, best: &mut usize, best_val: &mut i64) {
        let pi = &self.pi;
        // Zipped slices: no bounds checks on the arc arrays; locals keep the running best in registers.
        let arcs = self.src[lo..hi]
            .iter()
            .zip(&self.tgt[lo..hi])
            .zip(&self.cost[lo..hi])
            .zip(&self.state[lo..hi]);
        let (mut b, mut bv) = (*best, *best_val);
        for (k, (((&s, &t), &c), &st)) in arcs.enumerate() {
            let v = st as i64 * (c - pi[s as usize] + pi[t as usize]);
            if v < bv {
                bv = v;
                b = lo + k;
            }
        }
        *best = b;
        *best_val = bv;
    }

    /// One pivot on entering arc `e`: find the cycle's apex, the leaving arc, augment, update the tree.
    fn pivot(&mut self, e: usize) -> Result<(), FlowError> {
        self.pivots += 1;
        // Orient the cycle along the augmentation: flow goes first → second on e.
        let (first, second) = if self.state[e] == LOWER {
            (self.src[e], self.tgt[e])
        } else {
            (self.tgt[e], self.src[e])
        };
        // Apex (join) of the cycle: climb from the endpoint with the smaller subtree, which cannot be an
        // ancestor of the other one.
        let (mut u, mut v) = (first, second);
        while u != v {
            if self.succ_num[u as usize] < self.succ_num[v as usize] {
                u = self.parent[u as usize];
            } else {
                v = self.parent[v as usize];
            }
        }
        let join = u;

        // Leaving arc by Cunningham's rule: the last blocking arc on the cycle walked from the apex, i.e.
        // join → first (down), e, second → join (up). Ties: prefer the second side nearest the apex, then e,
        // then the first side nearest `first`.
        let mut delta = self.cap[e];
        let mut leave: u32 = NONE; // NONE: e itself leaves
        let mut leave_on_first = false;
        let mut x = first;
        while x != join {
            let xi = x as usize;
            let a = self.pred[xi] as usize;
            // Walking join → first pushes flow from parent to x. Uncapacitated arcs never block forward
            // pushes, whatever their flow: a cycle without any blocking arc is an unbounded direction.
            let r = if self.up[xi] {
                self.flow[a]
            } else {
                self.forward_room(a)
            };
            if r < delta {
                delta = r;
                leave = x;
                leave_on_first = true;
            }
            x = self.parent[xi];
        }
        let mut x = second;
        while x != join {
            let xi = x as usize;
            let a = self.pred[xi] as usize;
            // Walking second → join pushes flow from x to its parent.
            let r = if self.up[xi] {
                self.forward_room(a)
            } else {
                self.flow[a]
            };
            if r <= delta {
                delta = r;
                leave = x;
                leave_on_first = false;
            }
            x = self.parent[xi];
        }
        if delta == INF {
            return Err(FlowError::Unbounded);
        }

        if delta > 0 {
            if self.state[e] == LOWER {
                self.flow[e] += delta;
            } else {
                self.flow[e] -= delta;
            }
            let mut x = first;
            while x != join {
                let xi = x as usize;
                let a = self.pred[xi] as usize;
                if self.up[xi] {
                    self.flow[a] -= delta;
                } else {
                    self.flow[a] += delta;
                }
                x = self.parent[xi];
            }
            let mut x = second;
            while x != join {
                let xi = x as usize;
                let a = self.pred[xi] as usize;
                if self.up[xi] {
                    self.flow[a] += delta;
                } else {
                    self.flow[a] -= delta;
                }
                x = self.parent[xi];
            }
        }

        if leave == NONE {
            // e goes from one bound to the other; the tree and potentials stay.
            self.state[e] = -self.state[e];
            return Ok(());
        }

        let u_out = leave;
        let a_out = self.pred[u_out as usize] as usize;
        self.state[a_out] = if self.flow[a_out] == 0 { LOWER } else { UPPER };
        self.state[e] = TREE;
        let (u_in, v_in) = if leave_on_first {
            (first, second)
        } else {
            (second, first)
        };
        self.update_tree(e, u_in, v_in, u_out, join);

        // Potentials: the re-hung subtree shifts by the reduced cost of e so that e gets reduced cost 0.
        let rc = self.cost[e] - self.pi[self.src[e] as usize] + self.pi[self.tgt[e] as usize];
        let sigma = if u_in == self.src[e] { rc } else { -rc };
        self.shift_potentials(u_in, sigma);
        Ok(())
    }

    /// Adds `sigma` to the potentials of the subtree rooted at `u_in` (or, equivalently, −sigma to the rest).
    fn shift_potentials(&mut self, u_in: u32, sigma: i64) {
        let size = self.succ_num[u_in as usize] as usize;
        let last = self.last_succ[u_in as usize];
        if 2 * size <= self.n + 1 {
            self.shift_segment(u_in, last, size, sigma);
        } else {
            // Potentials only matter up to a common constant: shifting the smaller rest of the tree (root
            // included) the other way is equivalent and cheaper. The root's potential drifts; keep it bounded.
            let (first, end) = (self.thread[last as usize], self.rev_thread[u_in as usize]);
            self.shift_segment(first, end, self.n + 1 - size, -sigma);
            if self.pi[self.n].unsigned_abs() > DRIFT_LIMIT {
                self.normalize_potentials();
            }
        }
    }

    /// Adds `sigma` to the `len` potentials of the preorder segment `first ..= last`.
    ///
    /// The walk is a chain of dependent loads (each step needs the previous node's thread link), so it runs at
    /// memory latency. Walking in from both ends at once, forwards on `thread` and backwards on `rev_thread`,
    /// keeps two independent chains in flight.
    fn shift_segment(&mut self, first: u32, last: u32, len: usize, sigma: i64) {
        let (mut a, mut b) = (first as usize, last as usize);
        for _ in 0..len / 2 {
            self.pi[a] += sigma;
            self.pi[b] += sigma;
            a = self.thread[a] as usize;
            b = self.rev_thread[b] as usize;
        }
        if len % 2 == 1 {
            self.pi[a] += sigma;
        }
    }

    /// Shifts all potentials so that the root's is 0.
    fn normalize_potentials(&mut self) {
        let r = self.pi[self.n];
        for p in &mut self.pi {
            *p -= r;
        }
    }

    /// How much more arc `a` can carry: unlimited for an uncapacitated arc.
    #[inline]
    fn forward_room(&self, a: usize) -> i64 {
        if self.cap[a] == INF {
            INF
        } else {
            self.cap[a] - self.flow[a]
        }
    }

    #[inline]
    fn link(&mut self, a: u32, b: u32) {
        self.thread[a as usize] = b;
        self.rev_thread[b as usize] = a;
    }

    /// Replaces tree arc pred[u_out] by e = (u_in, v_in): the subtree S of u_out is cut off, re-rooted at u_in
    /// by reversing the stem u_in → … → u_out, and hung below v_in as its first child.
    ///
    /// New preorder of S: A0 = old subtree of s0 = u_in, then for each stem node s_t (t ≥ 1) its old subtree
    /// with the hole of s_{t−1}'s old subtree cut out. Each A_t is a valid preorder of what s_t keeps, and s_{t+1}
    /// becomes the last child of s_t, so A0, A1, …, Ak is a preorder of the re-rooted S.
    fn update_tree(&mut self, e: usize, u_in: u32, v_in: u32, u_out: u32, join: u32) {
        let mut stem = std::mem::take(&mut self.stem);
        let mut links = std::mem::take(&mut self.links);
        stem.clear();
        links.clear();
        let mut x = u_in;
        loop {
            stem.push(x);
            if x == u_out {
                break;
            }
            x = self.parent[x as usize];
        }
        let k = stem.len() - 1;
        let s_size = self.succ_num[u_out as usize];
        let old_p = self.parent[u_out as usize];
        let before = self.rev_thread[u_out as usize];
        let last_s = self.last_succ[u_out as usize];
        let after = self.thread[last_s as usize];

        // Collect S's new thread links from the old arrays before touching them.
        let mut end = self.last_succ[u_in as usize];
        for t in 1..=k {
            let prev = stem[t - 1] as usize;
            let cur = stem[t];
            let p1_end = self.rev_thread[prev];
            let hole_end = self.last_succ[prev];
            let cur_last = self.last_succ[cur as usize];
            links.push((end, cur));
            if hole_end == cur_last {
                end = p1_end;
            } else {
                links.push((p1_end, self.thread[hole_end as usize]));
                end = cur_last;
            }
        }

        // Cut S out of the preorder; ancestors whose subtree ended with S now end just before it.
        self.link(before, after);
        let mut a = old_p;
        while a != NONE && self.last_succ[a as usize] == last_s {
            self.last_succ[a as usize] = before;
            a = self.parent[a as usize];
        }
        for &(p, q) in &links {
            self.link(p, q);
        }
        // Hang S right after v_in (as its first child). Only a leaf v_in changes its ancestors' last node.
        let next = self.thread[v_in as usize];
        self.link(v_in, u_in);
        self.link(end, next);
        if self.last_succ[v_in as usize] == v_in {
            let mut a = v_in;
            while a != NONE && self.last_succ[a as usize] == v_in {
                self.last_succ[a as usize] = end;
                a = self.parent[a as usize];
            }
        }

        // Subtree sizes: below the apex the old side loses S, the new side gains it.
        let mut a = old_p;
        while a != join {
            self.succ_num[a as usize] -= s_size;
            a = self.parent[a as usize];
        }
        let mut a = v_in;
        while a != join {
            self.succ_num[a as usize] += s_size;
            a = self.parent[a as usize];
        }

        // Reverse the stem (top down, so each step still reads the old values of the node below).
        for t in (1..=k).rev() {
            let s = stem[t] as usize;
            let below = stem[t - 1] as usize;
            self.parent[s] = below as u32;
            self.pred[s] = self.pred[below];
            self.up[s] = !self.up[below];
            self.succ_num[s] = s_size - self.succ_num[below];
            self.last_succ[s] = end;
        }
        let ui = u_in as usize;
        self.parent[ui] = v_in;
        self.pred[ui] = e as u32;
        self.up[ui] = self.src[e] == u_in;
        self.succ_num[ui] = s_size;
        self.last_succ[ui] = end;

        self.stem = stem;
        self.links = links;
    }

    /// Checks every tree invariant; for tests.
    #[cfg(test)]
    pub(crate) fn check_tree(&self) {
        let n = self.n;
        let root = n as u32;
        // Thread visits every node once, starting at the root, and is consistent with rev_thread.
        let mut seen = vec![false; n + 1];
        let mut x = root;
        let mut order = Vec::new();
        for _ in 0..=n {
            assert!(!seen[x as usize], "thread revisits {x}");
            seen[x as usize] = true;
            order.push(x);
            assert_eq!(self.rev_thread[self.thread[x as usize] as usize], x);
            x = self.thread[x as usize];
        }
        assert_eq!(x, root, "thread is not one cycle");
        let mut pos = vec![0usize; n + 1];
        for (i, &v) in order.iter().enumerate() {
            pos[v as usize] = i;
        }
        for v in 0..n {
            let p = self.parent[v] as usize;
            assert!(pos[p] < pos[v], "parent after child in preorder");
            let a = self.pred[v] as usize;
            let (s, t) = (self.src[a] as usize, self.tgt[a] as usize);
            assert_eq!(self.state[a], TREE);
            if self.up[v] {
                assert_eq!((s, t), (v, p));
            } else {
                assert_eq!((s, t), (p, v));
            }
            assert_eq!(
                self.cost[a] - self.pi[s] + self.pi[t],
                0,
                "tree arc with nonzero reduced cost"
            );
        }
        for v in 0..=n {
            let sz = self.succ_num[v] as usize;
            let last = order[pos[v] + sz - 1];
            assert_eq!(self.last_succ[v], last, "last_succ of {v}");
            // Every node of the segment has v as an ancestor, and the next one does not.
            for &w in &order[pos[v]..pos[v] + sz] {
                let mut y = w;
                while y != v as u32 {
                    y = self.parent[y as usize];
                    assert_ne!(y, NONE, "subtree segment of {v} holds non-descendant {w}");
                }
            }
            if pos[v] + sz <= n {
                let w = order[pos[v] + sz];
                let mut y = w;
                while y != NONE {
                    assert_ne!(y, v as u32, "descendant {w} of {v} outside its segment");
                    y = self.parent[y as usize];
                }
            }
        }
        let tree_arcs = self.state.iter().filter(|&&s| s == TREE).count();
        assert_eq!(tree_arcs, n);
    }

    /// Runs to optimality checking the tree after every pivot; for tests.
    #[cfg(test)]
    pub(crate) fn run_checked(mut self) -> Result<Solved, FlowError> {
        self.check_tree();
        self.check = true;
        self.solve()
    }
}
