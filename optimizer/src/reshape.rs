//! Regional re-design: a large-neighbourhood search over a finished plan, run on the best restart's plan.
//!
//! Restarts end in a local optimum of location–allocation: no center moves to a better medoid and no single
//! unit moves usefully, yet a group of neighbouring territories is often laid out badly (two centers squeezed
//! into one valley, a territory stretched around its neighbour). Redrawing such a group from scratch escapes
//! what single moves cannot: each region — a territory and its nearest adjacent territories — is re-designed as
//! a sub-problem ([`Problem::restrict`]: the same units, the same targets, its own k-means++ centers and
//! balanced allocation, contiguity and local search) and the result kept when it travels less without
//! breaking balance, caps, floors or contiguity. This is the "merge neighbours and split again" move of the
//! districting literature, with the exact allocation doing the split.
//!
//! Work is deterministic and independent of the number of threads: regions are taken in territory order and
//! grouped into batches of disjoint regions; a batch's sub-designs run in parallel, all from the same plan, and
//! are accepted in batch order. A pass visits every territory whose neighbourhood changed since it was last
//! redrawn (all of them in the first pass). So a run that is not stopped gives the same plan on any machine.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::alignment::Alignment;
use crate::design::{design_until, Design, DesignParams};
use crate::geodesy::GeoPoint;
use crate::problem::{PlanError, Problem};
use crate::stop::Stop;

/// Territories in one region: the territory and its nearest adjacent ones (by center distance). On zips-east
/// and the 20,000 sample accounts six found more than four or five for the same passes (BENCHMARKS.md).
const REGION_TERRITORIES: usize = 6;

/// Relative travel saving under which a redrawn region is not taken (rounding noise).
const MIN_GAIN: f64 = 1e-6;

/// A plan being reshaped: assignment with running loads, and one center per territory.
pub(crate) struct Reshaped {
    /// The plan.
    pub(crate) al: Alignment,
    /// Center per territory (medoids of the regions redrawn, the plan's own elsewhere).
    pub(crate) centers: Vec<GeoPoint>,
    /// Regions redrawn and kept.
    pub(crate) accepted: usize,
}

/// Redraws the regions of `design`'s plan for up to `passes` passes (fewer when a pass keeps nothing), on
/// `params.threads` threads, until `stop` or until the regions drawn have used `budget` (a region of `m`
/// units and `k` territories costs `m × √k`). See the module documentation.
///
/// After each batch `on_batch` is told the share of `budget` used so far (0 for an unbounded budget) and the
/// plan as it stands, for a progress report.
///
/// # Errors
/// [`PlanError::Flow`] if a sub-design's flow solver fails.
pub(crate) fn reshape(
    problem: &Problem,
    design: &Design,
    params: &DesignParams,
    passes: usize,
    budget: f64,
    stop: &Stop,
    on_batch: &mut dyn FnMut(f64, &Reshaped),
) -> Result<Reshaped, PlanError> {
    let total_budget = budget;
    let mut budget = budget;
    let p = problem.p();
    let mut state = Reshaped {
        al: Alignment::new(problem, design.assignment.clone()),
        centers: design.centers.clone(),
        accepted: 0,
    };
    let mut dirty = vec![true; p];
    for pass in 0..passes {
        let mut pending: Vec<usize> = (0..p).filter(|&t| dirty[t]).collect();
        dirty.iter_mut().for_each(|d| *d = false);
        let mut kept_this_pass = 0;
        while !pending.is_empty() {
            if stop.reached() {
                return Ok(state);
            }
            // The batch: regions in territory order, each disjoint from those already taken.
            let nbrs = territory_neighbours(problem, &state.al.assignment);
            let mut taken = vec![false; p];
            let mut batch: Vec<(usize, Vec<u32>)> = Vec::new();
            let mut rest = Vec::new();
            for &t in &pending {
                let region = region_of(t, &nbrs, &state.centers);
                if region.iter().any(|&u| taken[u as usize]) {
                    rest.push(t);
                    continue;
                }
                let units: usize = region.iter().map(|&u| state.al.counts[u as usize]).sum();
                let work = units as f64 * (region.len() as f64).sqrt();
                if work > budget {
                    break;
                }
                budget -= work;
                region.iter().for_each(|&u| taken[u as usize] = true);
                batch.push((t, region));
            }
            if batch.is_empty() {
                return Ok(state);
            }
            pending = rest;
            let results = redraw_batch(problem, &state, &batch, params, pass, stop)?;
            for ((_, region), result) in batch.iter().zip(results) {
                let Some(sub) = result else { continue };
                if keep(problem, &mut state, region, &sub) {
                    kept_this_pass += 1;
                    state.accepted += 1;
                    // Its neighbourhood changed: the region's territories and their neighbours are worth another
                    // look in the next pass.
                    for &u in region {
                        dirty[u as usize] = true;
                        nbrs[u as usize].iter().for_each(|&v| dirty[v as usize] = true);
                    }
                }
            }
            let used = if total_budget.is_finite() && total_budget > 0.0 {
                1.0 - budget / total_budget
            } else {
                0.0
            };
            on_batch(used, &state);
        }
        if kept_this_pass == 0 {
            break;
        }
    }
    Ok(state)
}

/// The region around territory `t`: `t` and up to five adjacent territories with the nearest centers, sorted.
fn region_of(t: usize, nbrs: &[Vec<u32>], centers: &[GeoPoint]) -> Vec<u32> {
    let mut near = nbrs[t].clone();
    near.sort_by(|&a, &b| {
        centers[t]
            .km(&centers[a as usize])
            .total_cmp(&centers[t].km(&centers[b as usize]))
            .then(a.cmp(&b))
    });
    near.truncate(REGION_TERRITORIES - 1);
    near.push(t as u32);
    near.sort_unstable();
    near
}

/// A region's redrawn plan: its units (indices into the problem) with their new territories, and the new
/// centers of the region's territories.
struct Redrawn {
    units: Vec<usize>,
    assignment: Vec<u32>,
    centers: Vec<GeoPoint>,
    travel: f64,
}

/// Re-designs every region of `batch` from the same plan, in parallel; `None` where the redrawn region is not
/// contiguous or travels no less.
fn redraw_batch(
    problem: &Problem,
    state: &Reshaped,
    batch: &[(usize, Vec<u32>)],
    params: &DesignParams,
    pass: usize,
    stop: &Stop,
) -> Result<Vec<Option<Redrawn>>, PlanError> {
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<Redrawn>>> = Mutex::new((0..batch.len()).map(|_| None).collect());
    let error: Mutex<Option<PlanError>> = Mutex::new(None);
    let threads = params.threads.clamp(1, batch.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::SeqCst);
                if k >= batch.len() {
                    break;
                }
                let (t, region) = &batch[k];
                match redraw(problem, state, region, params, pass * problem.p() + t, stop) {
                    Ok(r) => {
                        if let Ok(mut o) = out.lock() {
                            o[k] = r;
                        }
                    }
                    Err(e) => {
                        if let Ok(mut er) = error.lock() {
                            *er = Some(e);
                        }
                        break;
                    }
                }
            });
        }
    });
    if let Some(e) = error.into_inner().ok().flatten() {
        return Err(e);
    }
    Ok(out.into_inner().unwrap_or_default())
}

/// Re-designs one region from fresh centers (one restart of the designer on the sub-problem, seeded by
/// `salt`).
fn redraw(
    problem: &Problem,
    state: &Reshaped,
    region: &[u32],
    params: &DesignParams,
    salt: usize,
    stop: &Stop,
) -> Result<Option<Redrawn>, PlanError> {
    let (mut sub, units) = problem.restrict(region, &state.al.assignment);
    // Fresh centers: the plan's own territories are already a local optimum of the designer.
    sub.current = None;
    let before: f64 = units
        .iter()
        .map(|&i| problem.weights[i] * problem.points[i].km(&state.centers[state.al.assignment[i] as usize]))
        .sum();
    let sub_params = DesignParams {
        seed: params.seed ^ (salt as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03),
        restarts: 1,
        time_limit: None,
        deadline: None,
        threads: 1,
        polish: false,
        reshape_passes: 0,
        ..params.clone()
    };
    let d = design_until(&sub, &sub_params, stop, None)?;
    if d.n_noncontiguous > 0 || d.travel >= before * (1.0 - MIN_GAIN) {
        return Ok(None);
    }
    Ok(Some(Redrawn {
        units,
        assignment: d.assignment.iter().map(|&k| region[k as usize]).collect(),
        centers: d.centers,
        travel: d.travel,
    }))
}

/// Takes a redrawn region into the plan when it breaks nothing the plan keeps: balance and secondary balance
/// of the region's territories no worse, no cap or floor further exceeded, the disruption budget kept.
fn keep(problem: &Problem, state: &mut Reshaped, region: &[u32], sub: &Redrawn) -> bool {
    let mut trial = state.al.clone();
    for (&i, &t) in sub.units.iter().zip(&sub.assignment) {
        trial.move_unit(problem, i, t);
    }
    let violation = |al: &Alignment| -> f64 {
        region
            .iter()
            .map(|&t| {
                let t = t as usize;
                Alignment::violation(problem, t, al.loads[t])
            })
            .sum()
    };
    let secondary = |al: &Alignment| -> f64 {
        region
            .iter()
            .map(|&t| {
                (0..problem.secondary.len())
                    .map(|s| Alignment::secondary_violation(problem, s, t as usize, al.secondary[s][t as usize]))
                    .sum::<f64>()
            })
            .sum()
    };
    let before_travel: f64 = sub
        .units
        .iter()
        .map(|&i| problem.weights[i] * problem.points[i].km(&state.centers[state.al.assignment[i] as usize]))
        .sum();
    let ok = sub.travel < before_travel * (1.0 - MIN_GAIN)
        && violation(&trial) <= violation(&state.al) + 1e-15
        && secondary(&trial) <= secondary(&state.al) + 1e-15
        && trial.moved <= problem.move_budget.unwrap_or(f64::INFINITY) + 1e-9
        && trial.limits_no_worse_than(problem, &state.al.limit_loads);
    if ok {
        state.al = trial;
        for (k, &t) in region.iter().enumerate() {
            state.centers[t as usize] = sub.centers[k];
        }
    }
    ok
}

/// The adjacent territories of each territory, sorted.
fn territory_neighbours(problem: &Problem, assignment: &[u32]) -> Vec<Vec<u32>> {
    let mut nbrs: Vec<Vec<u32>> = vec![Vec::new(); problem.p()];
    for (a, b) in problem.adjacency.edges() {
        let (ta, tb) = (assignment[a as usize], assignment[b as usize]);
        if ta != tb {
            nbrs[ta as usize].push(tb);
            nbrs[tb as usize].push(ta);
        }
    }
    for n in nbrs.iter_mut() {
        n.sort_unstable();
        n.dedup();
    }
    nbrs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contiguity::noncontiguous_count;
    use crate::design::design_territories;
    use crate::model::{Adjacency, Measure, Units};
    use crate::problem::ProblemSpec;
    use crate::progress::Progress;

    /// A `side × side` grid of units with uneven weights (heavier towards one corner), rook adjacency.
    fn grid(side: usize) -> (Units, Adjacency) {
        let n = side * side;
        let ids = (0..n).map(|i| format!("u{i}")).collect();
        let lon = (0..n).map(|i| (i % side) as f64 * 0.05).collect();
        let lat = (0..n).map(|i| (i / side) as f64 * 0.05).collect();
        let w = (0..n)
            .map(|i| 1.0 + ((i % side) * (i / side)) as f64 / (side * side) as f64 * 8.0 + (i % 7) as f64 * 0.3)
            .collect();
        let units = Units::new(
            ids,
            lon,
            lat,
            vec![Measure {
                name: "workload".into(),
                values: w,
            }],
        )
        .expect("units");
        let mut edges = vec![];
        for i in 0..n as u32 {
            if (i as usize) % side < side - 1 {
                edges.push((i, i + 1));
            }
            if (i as usize) / side < side - 1 {
                edges.push((i, i + side as u32));
            }
        }
        let adj = Adjacency::from_edges(n, &edges);
        (units, adj)
    }

    fn start(problem: &Problem, seed: u64) -> Design {
        let params = DesignParams {
            reshape_passes: 0,
            ..DesignParams::default().seed(seed).restarts(1).threads(1)
        };
        design_territories(problem, &params, &Progress::new()).expect("design")
    }

    #[test]
    fn redrawn_plans_travel_no_more_and_keep_balance_and_contiguity() {
        let (units, adj) = grid(24);
        let problem = ProblemSpec::new(&units, &adj, 12).build().expect("problem");
        let mut kept = 0;
        for seed in 0..4 {
            let d = start(&problem, seed);
            let before = Alignment::new(&problem, d.assignment.clone());
            let params = DesignParams::default().seed(seed).threads(2);
            let out =
                reshape(&problem, &d, &params, 2, f64::INFINITY, &Stop::never(), &mut |_, _| {}).expect("reshape");
            let travel: f64 = (0..problem.n())
                .map(|i| problem.weights[i] * problem.points[i].km(&out.centers[out.al.assignment[i] as usize]))
                .sum();
            assert!(
                travel <= d.travel * (1.0 + 1e-9),
                "seed {seed}: {travel} > {}",
                d.travel
            );
            assert!(out.al.total_violation(&problem) <= before.total_violation(&problem) + 1e-12);
            assert_eq!(
                noncontiguous_count(&problem.adjacency, &out.al.assignment, problem.p()),
                0
            );
            assert_eq!(out.al.assignment.len(), problem.n());
            if out.accepted > 0 {
                assert!(travel < d.travel, "seed {seed}: a kept region must lower travel");
            }
            kept += out.accepted;
        }
        assert!(kept > 0, "no region was ever redrawn for less travel");
    }

    #[test]
    fn the_plan_does_not_depend_on_the_number_of_threads() {
        let (units, adj) = grid(20);
        let problem = ProblemSpec::new(&units, &adj, 10).build().expect("problem");
        let d = start(&problem, 3);
        let run = |threads: usize| {
            let params = DesignParams::default().seed(3).threads(threads);
            reshape(&problem, &d, &params, 2, f64::INFINITY, &Stop::never(), &mut |_, _| {})
                .expect("reshape")
                .al
                .assignment
        };
        assert_eq!(run(1), run(3));
    }

    #[test]
    fn no_budget_no_change() {
        let (units, adj) = grid(16);
        let problem = ProblemSpec::new(&units, &adj, 6).build().expect("problem");
        let d = start(&problem, 1);
        let out = reshape(
            &problem,
            &d,
            &DesignParams::default(),
            2,
            0.0,
            &Stop::never(),
            &mut |_, _| {},
        )
        .expect("reshape");
        assert_eq!(out.accepted, 0);
        assert_eq!(out.al.assignment, d.assignment);
    }
}
