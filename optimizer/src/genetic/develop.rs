//! Development of an individual: its genes (centers, territories pinned from a parent, or a whole start plan)
//! turned into a whole, balanced, contiguous plan by the designer's own steps — min-cost-flow allocation with
//! split units resolved whole, location rounds to weighted medoids, contiguity repair, local search and
//! ejection-chain balance repair — the memetic half of the search.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::alignment::Alignment;
use crate::assign::{kmeans_pp, AllocateParams, Allocator};
use crate::contiguity::{noncontiguous_count, repair};
use crate::design::{self, centers_of, mend_limits, nearest_assignment, travel};
use crate::geodesy::GeoPoint;
use crate::local_search::{enforce_budget, improve, repair_balance, LocalSearchParams};
use crate::problem::{PlanError, Problem};
use crate::stop::Stop;

/// What an individual is made from; the operators write it, [`develop`] reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Genes {
    /// Center unit of each territory (ignored when the problem has fixed centers, the reps' home bases).
    pub centers: Vec<usize>,
    /// Units held in a territory during the first allocation (territories inherited whole from a parent);
    /// empty for none. The later rounds let them move.
    pub pins: Vec<Option<u32>>,
    /// A whole plan to start local search from, skipping the allocation (a ReCom child).
    pub start: Option<Vec<u32>>,
    /// Seed of the development's own random choices (the allocation band).
    pub seed: u64,
}

/// A developed plan and the figures the search ranks it by.
#[derive(Debug, Clone, PartialEq)]
pub struct Developed {
    /// Territory per unit.
    pub assignment: Vec<u32>,
    /// Medoid unit of each territory (`None` with fixed centers or for an empty territory).
    pub center_units: Vec<Option<usize>>,
    /// Centers of the territories.
    pub centers: Vec<GeoPoint>,
    /// Weighted travel to the centers, in km.
    pub travel: f64,
    /// Largest relative deviation from target.
    pub max_dev: f64,
    /// Squared balance violation (0 within the tolerance).
    pub violation: f64,
    /// Territories not connected.
    pub n_noncontiguous: usize,
    /// Total relative excess over the caps, floors and mix bands ([`crate::limits`]); 0 when every one holds.
    pub limit_excess: f64,
    /// Share of the balanced measure away from its current territory (0 without a current plan).
    pub moved_fraction: f64,
    /// Coefficient of variation of the territory loads.
    pub cv: f64,
    /// False when the stop condition cut the development short (the plan is whole all the same).
    pub finished: bool,
}

impl Developed {
    /// The key plans are ranked by: fewest non-contiguous territories, then least excess over the caps, floors
    /// and mix bands, then least balance violation, then least travel (the designer's order, as its restarts are
    /// ranked). A cap is a hard promise the planner wrote down ("no more than 230 accounts"), the tolerance a
    /// band around a target: a plan keeping every limit wins over one that breaks a limit however much better it
    /// balances or travels. Any violation counts, however small: a load a millionth outside the tolerance is a
    /// promise not kept, and such a plan must never win over a balanced one by travel.
    pub fn key(&self) -> (usize, f64, f64, f64) {
        (self.n_noncontiguous, self.limit_excess, self.violation, self.travel)
    }

    /// True when the plan keeps every cap, floor and mix band of the problem.
    pub fn meets_limits(&self) -> bool {
        self.limit_excess == 0.0
    }

    /// True when `self` ranks strictly before `other`.
    pub fn better_than(&self, other: &Developed) -> bool {
        self.key() < other.key()
    }

    /// True when `self` and `other` are the same plan for the search: they rank alike ([`Developed::key`]) and
    /// group the units into the same territories, whatever the territories' labels. Without reps, locks or a
    /// current plan a label is only a name, and a child that is a parent's plan under other labels (crossover
    /// and ReCom both relabel) is no new plan: counted as one, such copies filled the whole population.
    pub fn same_plan(&self, other: &Developed) -> bool {
        if self.key() != other.key() || self.assignment.len() != other.assignment.len() {
            return false;
        }
        if self.assignment == other.assignment {
            return true;
        }
        // One label of `other` for each label of `self`, and back: the partitions are the same.
        let p = self.centers.len().max(other.centers.len());
        let (mut there, mut back) = (vec![u32::MAX; p], vec![u32::MAX; p]);
        for (&a, &b) in self.assignment.iter().zip(&other.assignment) {
            let (Some(x), Some(y)) = (there.get_mut(a as usize), back.get_mut(b as usize)) else {
                return false;
            };
            if *x == u32::MAX && *y == u32::MAX {
                (*x, *y) = (b, a);
            } else if *x != b || *y != a {
                return false;
            }
        }
        true
    }
}

/// How hard [`develop`] works.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DevelopParams {
    /// Candidate centers per unit in the allocation (every center when p ≤ 16).
    pub candidates: usize,
    /// Fraction of the tolerance the allocation uses (the designer's default, 0.5).
    pub allocation_band: f64,
    /// Largest number of allocation/location rounds.
    pub location_rounds: usize,
    /// Local search adds ejection chains ([`super::chains`]) once a plan is balanced: moves of several units
    /// at once, which single-unit moves cannot make when the loads sit at their bounds. Off by default: on
    /// zips-east (5,370 units) it made a development about eight times dearer and the search's plans worse at
    /// 10 s and 30 s, while on georgia it reached the proven optimum's neighbourhood no more often
    /// (BENCHMARKS.md, "Ejection chains"). The search runs chains on the children near its best plan instead
    /// (`Search::chains_near_best`).
    pub chains: bool,
}

impl Default for DevelopParams {
    fn default() -> Self {
        DevelopParams {
            candidates: 12,
            allocation_band: 0.5,
            location_rounds: 4,
            chains: false,
        }
    }
}

/// Weighted k-means++ centers drawn from `seed`: the genes of a first-generation individual.
pub fn random_genes(problem: &Problem, seed: u64) -> Genes {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Genes {
        centers: kmeans_pp(&problem.points, &problem.weights, problem.p(), &mut rng),
        pins: Vec::new(),
        start: None,
        seed,
    }
}

/// The genes of an existing plan (its medoids as centers, the plan as the start): the current plan as an
/// individual.
pub fn plan_genes(problem: &Problem, assignment: &[u32], seed: u64) -> Genes {
    let (_, units) = centers_of(problem, assignment);
    // k-means++ centers stand in for empty territories only: drawn only when there is one, since over a large
    // instance they take a while (and the first population is built after a deadline has sometimes passed).
    let fallback = if units.iter().any(Option::is_none) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        kmeans_pp(&problem.points, &problem.weights, problem.p(), &mut rng)
    } else {
        Vec::new()
    };
    Genes {
        centers: units
            .iter()
            .enumerate()
            .map(|(t, u)| u.or_else(|| fallback.get(t).copied()).unwrap_or(0))
            .collect(),
        pins: Vec::new(),
        start: Some(assignment.to_vec()),
        seed,
    }
}

/// Turns `genes` into a whole plan: every unit assigned once, contiguity repaired, balanced as far as local
/// search and chain repair can within `stop` (polled throughout; a development cut short still returns a whole
/// plan, with `finished` false). With a disruption budget the plan keeps it (units return home at the end).
///
/// # Errors
/// [`PlanError::Flow`] if the flow solver fails.
pub fn develop(problem: &Problem, genes: &Genes, params: &DevelopParams, stop: &Stop) -> Result<Developed, PlanError> {
    Ok(develop_until(problem, genes, params, stop, false)?.unwrap_or_else(|| unreachable!("never abandoned")))
}

/// [`develop`], abandoned (`None`) when `stop` is reached before local search could start: the allocation cut
/// short, or done just as the deadline passed. What a plan still needs then does not poll the deadline — its
/// medoids, contiguity repair, the disruption budget's return of units home (seconds on 12,000 units when the
/// cut-short allocation moved most of them), its figures — and a search that has plans already is better off
/// without it.
///
/// # Errors
/// [`PlanError::Flow`] if the flow solver fails.
pub fn develop_unless_stopped(
    problem: &Problem,
    genes: &Genes,
    params: &DevelopParams,
    stop: &Stop,
) -> Result<Option<Developed>, PlanError> {
    develop_until(problem, genes, params, stop, true)
}

fn develop_until(
    problem: &Problem,
    genes: &Genes,
    params: &DevelopParams,
    stop: &Stop,
    may_abandon: bool,
) -> Result<Option<Developed>, PlanError> {
    let p = problem.p();
    let mut cut_short = false;
    let mut centers: Vec<GeoPoint> = match &problem.fixed_centers {
        Some(f) => f.clone(),
        None => genes.centers.iter().map(|&c| problem.points[c]).collect(),
    };
    let assignment = match &genes.start {
        Some(start) => start.clone(),
        None => {
            let (a, stopped) = location_allocation(problem, genes, params, &mut centers, stop)?;
            if stopped && may_abandon {
                return Ok(None);
            }
            cut_short |= stopped;
            a
        }
    };
    if may_abandon && stop.reached() {
        return Ok(None);
    }
    let assignment = relabel_to_current(problem, assignment, &mut centers);
    let mut al = Alignment::new(problem, assignment);
    centers = update_centers(problem, &al.assignment, &centers);
    let ls = LocalSearchParams::default();
    let mut last_travel = f64::INFINITY;
    for _round in 0..20 {
        if stop.reached() {
            cut_short = true;
            break;
        }
        repair(problem, &mut al, &centers);
        improve(problem, &mut al, &centers, &ls, stop);
        // The limits first, as the designer mends them: balance repair then works within them.
        mend_limits(problem, &mut al, &centers, &ls, stop);
        if al.total_violation(problem) > 0.0 && repair_balance(problem, &mut al, &centers, 4 * p, stop) > 0 {
            improve(problem, &mut al, &centers, &ls, stop);
        }
        if params.chains && super::chains::chain_improve(problem, &mut al, &centers, stop) > 0 {
            improve(problem, &mut al, &centers, &ls, stop);
        }
        centers = update_centers(problem, &al.assignment, &centers);
        let t = travel(problem, &al.assignment, &centers);
        if t >= last_travel * (1.0 - 1e-9) {
            break;
        }
        last_travel = t;
    }
    cut_short |= stop.reached();
    if cut_short && (al.total_violation(problem) > 0.0 || al.limit_excess(problem) > 0.0) {
        // As the designer does: a few passes in the deadline's grace balance a plan cut short where they can.
        let grace = stop.grace();
        repair(problem, &mut al, &centers);
        improve(problem, &mut al, &centers, &ls, &grace);
        mend_limits(problem, &mut al, &centers, &ls, &grace);
        if al.total_violation(problem) > 0.0 {
            repair_balance(problem, &mut al, &centers, 4 * p, &grace);
        }
    }
    // Promise keepers, bounded by the plan's size and not polling the deadline.
    repair(problem, &mut al, &centers);
    if enforce_budget(problem, &mut al) > 0 {
        repair(problem, &mut al, &centers);
    }
    Ok(Some(figures(problem, al, !cut_short)))
}

/// The figures of `assignment`, a whole plan, as it is (no allocation, repair or local search), its
/// territories matched to the current plan's as [`develop`] matches them.
pub fn whole_plan(problem: &Problem, assignment: Vec<u32>) -> Developed {
    let mut centers = vec![GeoPoint::from_degrees(0.0, 0.0); problem.p()];
    let assignment = relabel_to_current(problem, assignment, &mut centers);
    figures(problem, Alignment::new(problem, assignment), true)
}

/// The figures of a whole plan `al`.
pub fn figures(problem: &Problem, al: Alignment, finished: bool) -> Developed {
    let p = problem.p();
    let (centers, center_units) = centers_of(problem, &al.assignment);
    let mean = problem.total() / p as f64;
    let var = al.loads.iter().map(|l| (l - mean) * (l - mean)).sum::<f64>() / p as f64;
    Developed {
        travel: travel(problem, &al.assignment, &centers),
        max_dev: al.max_dev(problem),
        violation: al.total_violation(problem),
        n_noncontiguous: noncontiguous_count(&problem.adjacency, &al.assignment, p),
        limit_excess: al.limit_excess(problem),
        moved_fraction: al.moved / problem.total(),
        cv: if mean > 0.0 { var.sqrt() / mean } else { 0.0 },
        assignment: al.assignment,
        center_units,
        centers,
        finished,
    }
}

/// The allocation rounds: a first allocation holding the pinned units in their territories, then rounds with
/// every unit free, each after moving the centers to their territories' medoids, until the assignment stops
/// changing. Returns the assignment and whether `stop` cut it short.
fn location_allocation(
    problem: &Problem,
    genes: &Genes,
    params: &DevelopParams,
    centers: &mut Vec<GeoPoint>,
    stop: &Stop,
) -> Result<(Vec<u32>, bool), PlanError> {
    let p = problem.p();
    // The band varies with the seed, as the designer's restarts vary it: diversity, and a tighter band where
    // heavy units make the loose one hard to repair.
    // The fifth band is the whole tolerance: the allocation then is the least-travel balanced plan for these
    // centers (contiguity aside), which the best plans are close to.
    const BAND_SCHEDULE: [f64; 5] = [1.0, 0.5, 1.4, 0.25, 2.0];
    let band = (problem.tolerance
        * params.allocation_band
        * BAND_SCHEDULE[(genes.seed % BAND_SCHEDULE.len() as u64) as usize])
        .min(problem.tolerance);
    let (lower, upper) = bounds(problem, band);
    let candidates = if p <= 16 { p } else { params.candidates };
    let pinned: Vec<Option<u32>> = if genes.pins.len() == problem.n() {
        problem.locks.iter().zip(&genes.pins).map(|(l, g)| l.or(*g)).collect()
    } else {
        Vec::new()
    };
    let mut assignment: Vec<u32> = Vec::new();
    let mut rounds = params.location_rounds.max(1);
    if !pinned.is_empty() {
        // Pinned territories come from a parent balanced to the tolerance, not to the tighter band: the band
        // widens to take in their loads, so the network stays feasible.
        let mut pinned_load = vec![0.0; p];
        for (i, t) in pinned.iter().enumerate() {
            if let Some(t) = t {
                pinned_load[*t as usize] += problem.weights[i];
            }
        }
        let upper: Vec<f64> = upper.iter().zip(&pinned_load).map(|(u, l)| u.max(*l)).collect();
        // Heavy pinned territories can leave the free units too little to lift every other territory to its
        // lower bound: the shortfalls are then scaled down to what the free units can give.
        let free_total = problem.total() - pinned_load.iter().sum::<f64>();
        let need: Vec<f64> = lower
            .iter()
            .zip(&pinned_load)
            .map(|(lo, l)| (lo - l).max(0.0))
            .collect();
        let need_total: f64 = need.iter().sum();
        // (A margin of 1e-6 keeps the allocator's rounding of weights to whole flow units from tipping it over.)
        let room = free_total * (1.0 - 1e-6);
        let scale = if need_total > room {
            (room / need_total).max(0.0)
        } else {
            1.0
        };
        let lower: Vec<f64> = (0..p)
            .map(|t| lower[t].min((pinned_load[t] + need[t] * scale) * (1.0 - 1e-6)))
            .collect();
        if pinned.iter().all(Option::is_some) {
            // Every unit inherited: the child is its parents' territories, nothing to allocate.
            assignment = pinned.iter().map(|t| t.unwrap_or(0)).collect();
        }
        let first = AllocateParams {
            lower: &lower,
            upper: &upper,
            candidates,
            locks: &pinned,
            current: None,
            stay_bonus_km: 0.0,
        };
        if assignment.is_empty() {
            let mut allocator =
                Allocator::new(&problem.points, &problem.weights, centers, &first)?.with_limits(&problem.limits);
            match allocator.allocate(centers, 0.0, stop) {
                Ok(a) => assignment = a.assignment,
                Err(PlanError::Stopped) => return Ok((nearest_assignment(problem, centers), true)),
                Err(e) => return Err(e),
            }
        }
        if problem.fixed_centers.is_some() {
            return Ok((assignment, false));
        }
        *centers = update_centers(problem, &assignment, centers);
        rounds -= 1;
    }
    let free = AllocateParams {
        lower: &lower,
        upper: &upper,
        candidates,
        locks: &problem.locks,
        current: None,
        stay_bonus_km: 0.0,
    };
    let mut allocator: Option<Allocator> = None;
    for _ in 0..rounds {
        if stop.reached() {
            break;
        }
        let fresh = match allocator.as_mut() {
            Some(a) => a.follow(centers) > problem.n() / 100,
            None => true,
        };
        if fresh {
            // Priced by the caps and floors, as the designer's allocation is: a plan that starts within them
            // keeps them through the moves below, which never leave a territory further beyond a limit.
            allocator =
                Some(Allocator::new(&problem.points, &problem.weights, centers, &free)?.with_limits(&problem.limits));
        }
        let Some(alloc) = allocator.as_mut() else { break };
        let a = match alloc.allocate(centers, 0.0, stop) {
            Ok(a) => a.assignment,
            Err(PlanError::Stopped) => break,
            Err(e) => return Err(e),
        };
        let changed = a != assignment;
        assignment = a;
        if problem.fixed_centers.is_some() || !changed {
            break;
        }
        *centers = update_centers(problem, &assignment, centers);
    }
    if assignment.is_empty() {
        return Ok((nearest_assignment(problem, centers), true));
    }
    Ok((assignment, stop.reached()))
}

/// Territory labels matched to the current plan's: without reps or locks a territory's index is only a name,
/// so each territory takes the current territory it shares most workload with (greedily, largest overlap
/// first), and the workload counted as moved is the workload that really changes hands.
fn relabel_to_current(problem: &Problem, assignment: Vec<u32>, centers: &mut [GeoPoint]) -> Vec<u32> {
    let p = problem.p();
    let Some(current) = &problem.current else {
        return assignment;
    };
    if problem.fixed_centers.is_some() || problem.locks.iter().any(Option::is_some) {
        return assignment;
    }
    let mut overlap = vec![0.0; p * p];
    for (i, (&t, &c)) in assignment.iter().zip(current).enumerate() {
        if (c as usize) < p {
            overlap[t as usize * p + c as usize] += problem.weights[i];
        }
    }
    let mut pairs: Vec<usize> = (0..p * p).filter(|&k| overlap[k] > 0.0).collect();
    pairs.sort_by(|&x, &y| overlap[y].total_cmp(&overlap[x]).then(x.cmp(&y)));
    let mut label = vec![u32::MAX; p];
    let mut taken = vec![false; p];
    for k in pairs {
        let (t, c) = (k / p, k % p);
        if label[t] == u32::MAX && !taken[c] {
            label[t] = c as u32;
            taken[c] = true;
        }
    }
    let mut free = (0..p).filter(|&c| !taken[c]);
    for l in label.iter_mut().filter(|l| **l == u32::MAX) {
        *l = free.next().map_or(0, |c| c as u32);
    }
    let old = centers.to_vec();
    for (t, &l) in label.iter().enumerate() {
        centers[l as usize] = old[t];
    }
    assignment.into_iter().map(|t| label[t as usize]).collect()
}

/// Allocation bounds: the targets ± `band`, widened under a disruption budget to take in the current loads
/// (so that keeping units where they are stays possible, as the designer does).
fn bounds(problem: &Problem, band: f64) -> (Vec<f64>, Vec<f64>) {
    let mut lower: Vec<f64> = problem.targets.iter().map(|t| t * (1.0 - band)).collect();
    let mut upper: Vec<f64> = problem.targets.iter().map(|t| t * (1.0 + band)).collect();
    if let (Some(cur), Some(_)) = (&problem.current, problem.move_budget) {
        let mut load = vec![0.0; problem.p()];
        for (i, &t) in cur.iter().enumerate() {
            if let Some(l) = load.get_mut(t as usize) {
                *l += problem.weights[i];
            }
        }
        for t in 0..problem.p() {
            lower[t] = lower[t].min(load[t]);
            upper[t] = upper[t].max(load[t]);
        }
    }
    (lower, upper)
}

/// Centers of `assignment`: fixed ones, or medoids (keeping `old` for an empty territory).
fn update_centers(problem: &Problem, assignment: &[u32], old: &[GeoPoint]) -> Vec<GeoPoint> {
    design::update_centers(problem, assignment, old).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(assignment: Vec<u32>, travel: f64) -> Developed {
        Developed {
            assignment,
            center_units: vec![None; 3],
            centers: vec![GeoPoint::from_degrees(0.0, 0.0); 3],
            travel,
            max_dev: 0.0,
            violation: 0.0,
            n_noncontiguous: 0,
            limit_excess: 0.0,
            moved_fraction: 0.0,
            cv: 0.0,
            finished: true,
        }
    }

    #[test]
    fn a_plan_under_other_labels_is_the_same_plan_and_nothing_else_is() {
        let a = plan(vec![0, 0, 1, 1, 2, 2], 10.0);
        let relabelled = plan(vec![2, 2, 0, 0, 1, 1], 10.0);
        assert!(a.same_plan(&relabelled) && relabelled.same_plan(&a));
        assert!(a.same_plan(&a.clone()));
        // One unit elsewhere.
        assert!(!a.same_plan(&plan(vec![2, 2, 0, 0, 1, 0], 10.0)));
        // Two territories under one label: the labels must match one to one, both ways.
        let merged = plan(vec![0, 0, 0, 0, 2, 2], 10.0);
        assert!(!a.same_plan(&merged) && !merged.same_plan(&a));
        // The same grouping ranked otherwise (with reps' fixed centers a label is a rep): not the same plan.
        assert!(!a.same_plan(&plan(vec![2, 2, 0, 0, 1, 1], 11.0)));
    }
}
