//! Minimum-cost flow by the primal network simplex method: Tessera's own solver for the balanced
//! transportation step of territory allocation (DESIGN.md §3.2).
//!
//! Which entry point to pick:
//! - [`transportation`]: sources with supply → sinks with a capacity over sparse costed arcs (units → candidate
//!   centres). It returns each arc's flow, the sinks' capacity prices and the sources' potentials.
//! - [`TransportSolver`]: the same problem solved repeatedly with changing arc costs (location–allocation
//!   rounds); each solve starts from the previous optimal tree, several times faster than a cold solve.
//! - [`FlowNetwork`]: any directed network with integer capacities, costs (negative allowed) and supplies;
//!   [`FlowNetwork::solver`] gives the warm-startable [`FlowSolver`].
//!
//! The algorithm is the primal network simplex with a strongly feasible spanning tree, an artificial root with
//! big-M arcs, block-search pricing and thread-based tree indices (Dantzig 1951; Cunningham 1976; Ahuja,
//! Magnanti & Orlin, *Network Flows*, 1993, ch. 11; Király & Kovács, "Efficient implementations of minimum-cost
//! flow algorithms", Acta Univ. Sapientiae, Informatica 4(1), 2012). It is written for this crate from those
//! descriptions; no code was taken from other solvers. Two additions pay off on transportation networks: a
//! crash start (each transit, then each supply node's cheapest outgoing arc pivoted in first) and zero-cost
//! artificial arcs for transit nodes; see `simplex.rs`.
//!
//! Performance (bench/flow/README.md): on transport-zips-491 (30,039 nodes, 266,896 arcs) the same optimum as
//! OR-Tools' SimpleMinCostFlow in well under its time; `cargo bench -p tessera-optimizer --bench flow` sweeps
//! seeded random instances.

mod simplex;
#[cfg(test)]
mod tests;

use simplex::Simplex;
pub use simplex::INF;
use thiserror::Error;

/// Why a min-cost-flow problem has no optimal solution, or cannot be solved safely in 64-bit integers.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum FlowError {
    /// Supplies do not sum to zero: a balanced problem is required.
    #[error("supplies sum to {supply_sum}, not 0: every unit supplied must be demanded somewhere")]
    Unbalanced {
        /// Sum of all node supplies (positive: more supply than demand).
        supply_sum: i64,
    },
    /// The arcs cannot carry every supply to a demand within their capacities.
    #[error(
        "no feasible flow: {unrouted} units of supply cannot reach a demand within the arc capacities \
         (they get stuck at node {node})"
    )]
    Infeasible {
        /// The lowest-numbered node where supply gets stuck: a source whose supply cannot leave it, or a
        /// transit node that receives more than its outgoing arcs can pass on. From [`transportation`]: a
        /// source that cannot be served (one shipping to a full sink if supply piles up there).
        node: usize,
        /// Total supply left unrouted at the best the arcs allow.
        unrouted: i64,
    },
    /// A cycle of negative total cost made of uncapacitated arcs: the cost has no lower bound.
    #[error("the cost is unbounded below: a negative-cost cycle consists of arcs with unlimited capacity")]
    Unbounded,
    /// The solve was stopped (deadline or cancel) before it reached an optimum.
    #[error("the flow solve was stopped before it finished (deadline or cancel)")]
    Interrupted,
    /// Numbers too large to solve safely in 64-bit arithmetic.
    #[error("numbers too large for exact 64-bit arithmetic: {what}")]
    Overflow {
        /// Which quantity is too large.
        what: &'static str,
    },
}

/// An arc of a [`FlowNetwork`], as returned by [`FlowNetwork::add_arc`]. Arcs are numbered 0, 1, … in the order
/// they were added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArcId(pub usize);

/// A min-cost-flow problem under construction: nodes `0..nodes`, arcs with capacity and cost, node supplies.
///
/// # Example
///
/// Two sources, one transit node, one sink; the cheap direct arc is capacity-limited:
///
/// ```
/// use tessera_optimizer::flow::FlowNetwork;
///
/// let mut net = FlowNetwork::new(4);
/// let direct = net.add_arc(0, 3, 2, 1); // capacity 2, cost 1 per unit
/// let via = net.add_arc(0, 2, 10, 1);
/// net.add_arc(1, 2, 10, 2);
/// let last = net.add_arc(2, 3, 10, 3);
/// net.set_supply(0, 5);
/// net.set_supply(1, 1);
/// net.set_supply(3, -6);
/// let sol = net.solve().unwrap();
/// assert_eq!(sol.flow(direct), 2);
/// assert_eq!(sol.flow(via), 3);
/// assert_eq!(sol.flow(last), 4);
/// assert_eq!(sol.cost, 2 * 1 + 3 * (1 + 3) + 1 * (2 + 3));
/// // Duals: every arc with flow strictly between its bounds has reduced cost 0.
/// assert_eq!(net.reduced_cost(&sol, via), 0);
/// assert!(net.reduced_cost(&sol, direct) <= 0); // saturated, so it would take more if it could
/// ```
///
/// # Complexity
///
/// Building is O(nodes + arcs). [`FlowNetwork::solve`] performs pivots of O(nodes) worst-case work each plus
/// block pricing of 2√arcs arcs per pivot when a candidate is found early; the number of pivots is not
/// polynomially bounded in theory (as for every primal simplex) but is typically a small multiple of the number
/// of nodes. Memory is O(nodes + arcs).
#[derive(Debug, Clone, Default)]
pub struct FlowNetwork {
    supply: Vec<i64>,
    from: Vec<usize>,
    to: Vec<usize>,
    capacity: Vec<i64>,
    cost: Vec<i64>,
}

impl FlowNetwork {
    /// A network with nodes `0..nodes`, no arcs and zero supplies.
    pub fn new(nodes: usize) -> Self {
        Self {
            supply: vec![0; nodes],
            ..Self::default()
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.supply.len()
    }

    /// Number of arcs added so far.
    pub fn arc_count(&self) -> usize {
        self.from.len()
    }

    /// Adds an arc `from → to` carrying between 0 and `capacity` units at `cost` per unit. Use [`INF`] for an
    /// uncapacitated arc. Costs may be negative; parallel arcs and loops are allowed.
    ///
    /// # Panics
    ///
    /// If `from` or `to` is not a node, or `capacity` is negative.
    pub fn add_arc(&mut self, from: usize, to: usize, capacity: i64, cost: i64) -> ArcId {
        let n = self.supply.len();
        assert!(from < n && to < n, "arc {from} → {to} names a node outside 0..{n}");
        assert!(capacity >= 0, "arc {from} → {to} has negative capacity {capacity}");
        self.from.push(from);
        self.to.push(to);
        self.capacity.push(capacity);
        self.cost.push(cost);
        ArcId(self.from.len() - 1)
    }

    /// Sets a node's supply: positive for a source, negative for a demand, 0 for transit (the default).
    ///
    /// # Panics
    ///
    /// If `node` is not a node.
    pub fn set_supply(&mut self, node: usize, supply: i64) {
        let n = self.supply.len();
        assert!(node < n, "node {node} outside 0..{n}");
        self.supply[node] = supply;
    }

    /// Changes an arc's cost per unit (for re-solving a variant of the same network).
    ///
    /// # Panics
    ///
    /// If `arc` was not returned by this network.
    pub fn set_cost(&mut self, arc: ArcId, cost: i64) {
        self.cost[arc.0] = cost;
    }

    /// The reduced cost `c_ij − π_i + π_j` of an arc under a solution's potentials: 0 on arcs strictly between
    /// their bounds, ≥ 0 on empty arcs, ≤ 0 on saturated arcs.
    ///
    /// # Panics
    ///
    /// If `arc` or the solution does not belong to this network.
    pub fn reduced_cost(&self, solution: &FlowSolution, arc: ArcId) -> i64 {
        let (i, j) = (self.from[arc.0], self.to[arc.0]);
        self.cost[arc.0] - solution.potentials[i] + solution.potentials[j]
    }

    /// Finds a flow of minimum total cost that meets every supply and demand within the capacities.
    ///
    /// Primal network simplex (see the [module docs](self)); the result is a basic (spanning-tree) optimum, so
    /// at most `nodes − 1` arcs carry flow strictly between their bounds.
    ///
    /// # Errors
    ///
    /// [`FlowError::Unbalanced`] if supplies do not sum to 0; [`FlowError::Infeasible`] if no flow meets them;
    /// [`FlowError::Unbounded`] for a negative cycle of uncapacitated arcs; [`FlowError::Overflow`] if the
    /// largest |cost| times the node count exceeds 2^59, or the sum of |supplies| and finite capacities exceeds
    /// 2^62.
    ///
    /// # Panics
    ///
    /// With 2^32 − 2 or more nodes, or 2^32 − 1 or more arcs and nodes together (indices are stored as `u32`).
    pub fn solve(&self) -> Result<FlowSolution, FlowError> {
        check_balance(&self.supply)?;
        let arcs = (0..self.from.len()).map(|k| (self.from[k], self.to[k], self.capacity[k], self.cost[k]));
        let solved = Simplex::new(&self.supply, self.from.len(), arcs)?.run()?;
        Ok(FlowSolution {
            cost: solved.cost,
            flows: solved.flow,
            potentials: solved.pi,
            pivots: solved.pivots,
        })
    }
}

impl FlowNetwork {
    /// A solver for this network that keeps its optimal spanning tree between solves, so that re-solving after
    /// cost changes ([`FlowSolver::set_cost`]) starts warm. Supplies, capacities and arcs are fixed.
    ///
    /// # Errors
    ///
    /// As [`FlowNetwork::solve`] for unbalanced supplies and numbers too large.
    ///
    /// # Panics
    ///
    /// With 2^32 − 2 or more nodes, or 2^32 − 1 or more arcs and nodes together (indices are stored as `u32`).
    pub fn solver(&self) -> Result<FlowSolver, FlowError> {
        check_balance(&self.supply)?;
        let arcs = (0..self.from.len()).map(|k| (self.from[k], self.to[k], self.capacity[k], self.cost[k]));
        Ok(FlowSolver {
            simplex: Simplex::new(&self.supply, self.from.len(), arcs)?,
        })
    }
}

/// A network simplex that keeps its optimal spanning tree between solves of networks that differ only in arc
/// costs — the location–allocation loop, where centres move and distances change but supplies and capacities
/// do not. After cost changes the old optimal tree is still a (strongly) feasible basis, so the next solve only
/// repairs what the new costs make non-optimal (a primal simplex warm start, as in the sensitivity analysis of
/// Ahuja, Magnanti & Orlin 1993, ch. 11). Made by [`FlowNetwork::solver`].
///
/// # Example
///
/// ```
/// use tessera_optimizer::flow::{FlowNetwork, INF};
///
/// let mut net = FlowNetwork::new(3);
/// let a = net.add_arc(0, 2, INF, 5);
/// let b = net.add_arc(0, 1, INF, 1);
/// net.add_arc(1, 2, INF, 1);
/// net.set_supply(0, 4);
/// net.set_supply(2, -4);
/// let mut solver = net.solver().unwrap();
/// assert_eq!(solver.solve().unwrap().cost, 8);
/// solver.set_cost(b, 9).unwrap(); // the detour becomes dear: flow moves to the direct arc
/// let sol = solver.solve().unwrap();
/// assert_eq!((sol.cost, sol.flow(a)), (20, 4));
/// ```
#[derive(Debug, Clone)]
pub struct FlowSolver {
    simplex: Simplex,
}

impl FlowSolver {
    /// Changes an arc's cost for the next [`FlowSolver::solve`].
    ///
    /// # Errors
    ///
    /// [`FlowError::Overflow`] if |cost| times the node count exceeds 2^59 (the cost is then left unchanged).
    ///
    /// # Panics
    ///
    /// If `arc` does not belong to the network.
    pub fn set_cost(&mut self, arc: ArcId, cost: i64) -> Result<(), FlowError> {
        self.simplex.set_cost(arc.0, cost)
    }

    /// Points `arc` at node `to` instead of its head, when the arc is outside the current tree and carries no
    /// flow: the tree stays a feasible basis, so the next solve still starts warm. Returns false and changes
    /// nothing otherwise (the arc is in use). Set its cost for the new head with [`FlowSolver::set_cost`].
    ///
    /// # Panics
    ///
    /// If `arc` or `to` does not belong to the network.
    pub fn retarget(&mut self, arc: ArcId, to: usize) -> bool {
        self.simplex.retarget(arc.0, to)
    }

    /// Prices the arcs added after the first `arcs` only once none of those can improve the flow, at every
    /// solve: for networks where the later arcs are rarely used (far candidates), pricing them at every pivot
    /// costs more than the pivots they could save. The optimum is the same; only the work to reach it changes.
    pub fn price_first(&mut self, arcs: usize) {
        self.simplex.price_first(arcs);
    }

    /// The node `arc` now points at (after any [`FlowSolver::retarget`]).
    ///
    /// # Panics
    ///
    /// If `arc` does not belong to the network.
    pub fn head(&self, arc: ArcId) -> usize {
        self.simplex.target(arc.0)
    }

    /// Solves with the current costs, starting from the previous solve's optimal tree.
    ///
    /// # Errors
    ///
    /// [`FlowError::Infeasible`] if no flow meets the supplies (costs cannot change that);
    /// [`FlowError::Unbounded`] for a negative cycle of uncapacitated arcs.
    pub fn solve(&mut self) -> Result<FlowSolution, FlowError> {
        self.solve_until(&crate::stop::Stop::never())
    }

    /// [`FlowSolver::solve`] that gives up with [`FlowError::Interrupted`] once `stop` is reached; the tree is
    /// kept, so a later solve resumes from it.
    ///
    /// # Errors
    ///
    /// As [`FlowSolver::solve`], and [`FlowError::Interrupted`].
    pub fn solve_until(&mut self, stop: &crate::stop::Stop) -> Result<FlowSolution, FlowError> {
        let solved = self.simplex.solve_until(&|| stop.reached())?;
        Ok(FlowSolution {
            cost: solved.cost,
            flows: solved.flow,
            potentials: solved.pi,
            pivots: solved.pivots,
        })
    }
}

fn check_balance(supply: &[i64]) -> Result<(), FlowError> {
    let sum: i128 = supply.iter().map(|&b| b as i128).sum();
    let abs: i128 = supply.iter().map(|&b| (b as i128).abs()).sum();
    if abs > i64::MAX as i128 {
        return Err(FlowError::Overflow {
            what: "the sum of |supplies| exceeds i64::MAX",
        });
    }
    if sum != 0 {
        return Err(FlowError::Unbalanced { supply_sum: sum as i64 });
    }
    Ok(())
}

/// An optimal flow: its cost, each arc's flow and each node's potential (the dual prices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowSolution {
    /// Total cost Σ flow × cost, exact.
    pub cost: i128,
    flows: Vec<i64>,
    potentials: Vec<i64>,
    pivots: u64,
}

impl FlowSolution {
    /// Number of simplex pivots the solve took (degenerate ones and bound flips included), for diagnostics.
    pub fn pivots(&self) -> u64 {
        self.pivots
    }

    /// Flow on an arc.
    ///
    /// # Panics
    ///
    /// If `arc` does not belong to the solved network.
    pub fn flow(&self, arc: ArcId) -> i64 {
        self.flows[arc.0]
    }

    /// All arc flows, indexed by [`ArcId`] number.
    pub fn flows(&self) -> &[i64] {
        &self.flows
    }

    /// The potential π of a node: an optimal dual price, defined up to a common constant. With reduced cost
    /// `c_ij − π_i + π_j`, π_i − π_j is what one more unit of supply at i and demand at j would cost.
    ///
    /// # Panics
    ///
    /// If `node` is not a node of the solved network.
    pub fn potential(&self, node: usize) -> i64 {
        self.potentials[node]
    }

    /// All node potentials.
    pub fn potentials(&self) -> &[i64] {
        &self.potentials
    }
}

/// An optimal transportation plan from [`transportation`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportSolution {
    /// Total cost Σ flow × cost, exact.
    pub cost: i128,
    flows: Vec<i64>,
    source_potentials: Vec<i64>,
    sink_prices: Vec<i64>,
}

impl TransportSolution {
    /// Flow on input arc `k` (the k-th entry of the `arcs` argument).
    ///
    /// # Panics
    ///
    /// If `k` is out of range.
    pub fn flow(&self, k: usize) -> i64 {
        self.flows[k]
    }

    /// All arc flows, in the order of the `arcs` argument.
    pub fn flows(&self) -> &[i64] {
        &self.flows
    }

    /// Sink j's capacity price p_j ≥ 0, an optimal dual: zero unless the sink is full. Every source ships only
    /// on arcs that minimise `cost + p_sink` — the weights of a power diagram when costs are distances.
    ///
    /// # Panics
    ///
    /// If `sink` is out of range.
    pub fn sink_price(&self, sink: usize) -> i64 {
        self.sink_prices[sink]
    }

    /// All sink prices.
    pub fn sink_prices(&self) -> &[i64] {
        &self.sink_prices
    }

    /// Source i's potential: min over its arcs of `cost + sink price`, what one more unit at i would cost.
    ///
    /// # Panics
    ///
    /// If `source` is out of range.
    pub fn source_potential(&self, source: usize) -> i64 {
        self.source_potentials[source]
    }

    /// All source potentials.
    pub fn source_potentials(&self) -> &[i64] {
        &self.source_potentials
    }
}

/// Solves a transportation problem: ship every source's supply to sinks along the given arcs, no sink receiving
/// more than its capacity, at minimum total cost.
///
/// `arcs` are `(source, sink, cost per unit)`, uncapacitated. Total capacity may exceed total supply (sinks
/// need not be full), but every unit of supply must be shipped: if the arcs and capacities cannot take it, the
/// result is [`FlowError::Infeasible`]. To keep a sparse instance always feasible, add an expensive escape (an
/// extra sink with ample capacity and a high-cost arc from every source).
///
/// Internally the network simplex of [`FlowNetwork::solve`] on sources → sinks → one super sink.
///
/// # Example
///
/// ```
/// use tessera_optimizer::flow::transportation;
///
/// // Two units of 3 and 2, two centres taking at most 3 each; unit 1 is nearer centre 0 but does not fit there.
/// let sol = transportation(&[3, 2], &[3, 3], &[(0, 0, 1), (0, 1, 5), (1, 0, 1), (1, 1, 2)]).unwrap();
/// assert_eq!(sol.flows(), &[3, 0, 0, 2]);
/// assert_eq!(sol.cost, 3 + 4);
/// // Centre 0 is full: its price makes centre 1 at least as good for unit 1 (1 + p0 ≥ 2).
/// assert!(sol.sink_price(0) >= 1);
/// assert_eq!(sol.sink_price(1), 0);
/// assert_eq!(sol.source_potential(1), 2);
/// ```
///
/// # Errors
///
/// [`FlowError::Infeasible`] if not all supply can be shipped (total capacity too small, or a source whose arcs
/// only reach full sinks), naming a source; [`FlowError::Overflow`] as for [`FlowNetwork::solve`].
///
/// # Panics
///
/// If a supply or capacity is negative, or an arc names a source or sink out of range; with 2^32 − 2 or more
/// sources and sinks, or 2^32 − 1 or more arcs, sources and sinks together.
///
/// # Complexity
///
/// As [`FlowNetwork::solve`] on `sources + sinks + 1` nodes and `arcs + sinks` arcs.
pub fn transportation(
    supplies: &[i64],
    capacities: &[i64],
    arcs: &[(usize, usize, i64)],
) -> Result<TransportSolution, FlowError> {
    TransportSolver::new(supplies, capacities, arcs)?.solve()
}

/// A [`transportation`] problem kept between solves that differ only in arc costs: each solve starts from the
/// previous optimal tree (see [`FlowSolver`]).
///
/// # Example
///
/// ```
/// use tessera_optimizer::flow::TransportSolver;
///
/// let mut solver = TransportSolver::new(&[3, 2], &[3, 3], &[(0, 0, 1), (0, 1, 5), (1, 0, 1), (1, 1, 2)]).unwrap();
/// assert_eq!(solver.solve().unwrap().cost, 7);
/// solver.set_cost(1, 0).unwrap(); // source 0 → sink 1 becomes free
/// let sol = solver.solve().unwrap();
/// assert_eq!(sol.flows(), &[0, 3, 2, 0]);
/// assert_eq!(sol.cost, 2);
/// ```
#[derive(Debug, Clone)]
pub struct TransportSolver {
    simplex: Simplex,
    sources: usize,
    sinks: usize,
    arcs: usize,
    /// Source and sink of each input arc, to name a source in errors.
    arc_source: Vec<u32>,
    arc_sink: Vec<u32>,
}

impl TransportSolver {
    /// Builds the network of [`transportation`] without solving it.
    ///
    /// # Errors
    ///
    /// [`FlowError::Infeasible`] if total capacity is below total supply; [`FlowError::Overflow`] as for
    /// [`FlowNetwork::solve`].
    ///
    /// # Panics
    ///
    /// If a supply or capacity is negative, or an arc names a source or sink out of range; at the size limits
    /// of [`FlowNetwork::solve`].
    pub fn new(supplies: &[i64], capacities: &[i64], arcs: &[(usize, usize, i64)]) -> Result<Self, FlowError> {
        let (s, t) = (supplies.len(), capacities.len());
        for (i, &b) in supplies.iter().enumerate() {
            assert!(b >= 0, "source {i} has negative supply {b}");
        }
        for (j, &c) in capacities.iter().enumerate() {
            assert!(c >= 0, "sink {j} has negative capacity {c}");
        }
        for &(i, j, _) in arcs {
            assert!(i < s && j < t, "arc ({i}, {j}) outside {s} sources × {t} sinks");
        }
        let total: i128 = supplies.iter().map(|&b| b as i128).sum();
        if total > i64::MAX as i128 / 2 {
            return Err(FlowError::Overflow {
                what: "the total supply exceeds i64::MAX / 2",
            });
        }
        let cap_total: i128 = capacities.iter().map(|&c| c as i128).sum();
        if cap_total < total {
            return Err(FlowError::Infeasible {
                node: 0,
                unrouted: (total - cap_total) as i64,
            });
        }
        let super_sink = s + t;
        let mut supply = Vec::with_capacity(s + t + 1);
        supply.extend_from_slice(supplies);
        supply.resize(s + t, 0);
        supply.push(-(total as i64));
        let m = arcs.len() + t;
        let it = arcs
            .iter()
            .map(|&(i, j, c)| (i, s + j, INF, c))
            .chain(capacities.iter().enumerate().map(|(j, &c)| (s + j, super_sink, c, 0)));
        Ok(Self {
            simplex: Simplex::new(&supply, m, it)?,
            sources: s,
            sinks: t,
            arcs: arcs.len(),
            arc_source: arcs.iter().map(|a| a.0 as u32).collect(),
            arc_sink: arcs.iter().map(|a| a.1 as u32).collect(),
        })
    }

    /// Changes the cost of input arc `k` for the next [`TransportSolver::solve`].
    ///
    /// # Errors
    ///
    /// [`FlowError::Overflow`] if |cost| times the node count exceeds 2^59 (the cost is then left unchanged).
    ///
    /// # Panics
    ///
    /// If `k` is out of range.
    pub fn set_cost(&mut self, k: usize, cost: i64) -> Result<(), FlowError> {
        assert!(k < self.arcs, "arc {k} out of range 0..{}", self.arcs);
        self.simplex.set_cost(k, cost)
    }

    /// Solves with the current costs, starting from the previous solve's optimal tree.
    ///
    /// # Errors
    ///
    /// [`FlowError::Infeasible`] if not all supply can be shipped, naming a source.
    pub fn solve(&mut self) -> Result<TransportSolution, FlowError> {
        let (s, t) = (self.sources, self.sinks);
        let solved = match self.simplex.solve() {
            Ok(solved) => solved,
            // Supply stuck at a full sink j: name a source shipping to it, one that cannot all be served.
            Err(FlowError::Infeasible { node, unrouted }) if node >= s => {
                let j = node - s;
                let source = (0..self.arcs)
                    .find(|&k| self.arc_sink[k] as usize == j && self.simplex.flow_on(k) > 0)
                    .map(|k| self.arc_source[k] as usize)
                    .unwrap_or(0);
                return Err(FlowError::Infeasible { node: source, unrouted });
            }
            Err(e) => return Err(e),
        };
        let pt = solved.pi[s + t];
        let mut flows = solved.flow;
        flows.truncate(self.arcs);
        Ok(TransportSolution {
            cost: solved.cost,
            flows,
            source_potentials: solved.pi[..s].iter().map(|&p| p - pt).collect(),
            // An empty sink may sit below the super sink's potential; raising it to 0 keeps every reduced cost
            // sign right (its arcs carry no flow) and gives prices a planner can read.
            sink_prices: solved.pi[s..s + t].iter().map(|&p| (p - pt).max(0)).collect(),
        })
    }
}
