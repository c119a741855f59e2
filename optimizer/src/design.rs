//! The territory designer: location–allocation with exact balanced allocation, contiguity repair and local
//! search, restarted from several seeds; the entry point behind `tessera plan` and the app's Optimize.
//!
//! One restart (DESIGN.md §3):
//! 1. centers: the reps' home bases, the current plan's medoids (first restart) or weighted k-means++;
//! 2. allocation by min-cost flow within a tightened band (so rounding and repair have room), splits resolved
//!    whole; location step to weighted medoids; repeated until the assignment stops changing;
//! 3. contiguity repair, then local search against the centers, new medoids, again until stable.
//!
//! The best restart wins (fewest non-contiguous territories, then least balance violation, then least travel).
//! Restarts run on every core; each has its own seed derived from the run's seed. Then the best restart's plan
//! is redrawn region by region (the `reshape` module) with the work the restarts left (none on the largest
//! instances), also on every core.
//!
//! # Deadline and cancel
//!
//! The time limit is a deadline for the whole run: every phase polls one [`Stop`] (the flow solver every
//! thousand pivots, local search every few hundred units, chain searches every few hundred nodes, nested
//! re-designs share it), so a run ends within milliseconds of the deadline or of Cancel with the best plan found
//! so far. A restart cut short still yields a whole plan (every unit assigned once, contiguity repaired); if
//! even its first allocation was cut short, units go to their nearest center and [`Design::max_dev`] says how
//! far from balanced that is.
//!
//! # What a seed promises
//!
//! A restart is a pure function of the problem, the seed and its index, so a run in which every restart
//! finishes (no deadline reached, no cancel) gives the same plan for the same seed and number of restarts, on
//! any machine and with any number of threads; the regional re-design that follows does not depend on the
//! number of threads either. The CLI's default number of restarts ([`default_restarts`])
//! depends on the instance's size only, so it keeps that promise too. A run that reaches its deadline keeps the restarts that finished
//! by then (plus the ones cut short), which depends on the machine's speed and load: the plan is as good as
//! that time allowed, and [`Design::stopped_by`] says so.
//!
//! Set `TESSERA_DEBUG=1` to have each restart's stages traced on stderr (a developer's aid, off by default).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::alignment::Alignment;
use crate::assign::allocate::{center_tree, sphere_xyz};
use crate::assign::{kmeans_pp, medoid_centers, AllocateParams, Allocator};
use crate::contiguity::{noncontiguous_count, repair};
use crate::geodesy::GeoPoint;
use crate::local_search::{enforce_budget, improve, repair_balance, repair_limits, LocalSearchParams};
use crate::problem::{PlanError, Problem};
use crate::progress::{Progress, ProgressReport};
use crate::stop::Stop;

/// Parameters of [`design_territories`], with documented defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignParams {
    /// Seed of every random choice (default 0).
    pub seed: u64,
    /// Number of restarts (default 8); fewer when the time limit runs out first.
    pub restarts: usize,
    /// Deadline for the whole run, counted from the call; the best plan found by then is returned (default
    /// none).
    pub time_limit: Option<Duration>,
    /// An absolute deadline, for callers whose run started before the design did (loading, checks); the earlier
    /// of it and `time_limit` holds (default none).
    pub deadline: Option<Instant>,
    /// Candidate centers per unit in the allocation (default 12; every center when p is at most 16).
    pub candidates: usize,
    /// Fraction of the tolerance used by the allocation, leaving the rest to repair and search (default 0.5).
    pub allocation_band: f64,
    /// Largest number of allocation/location rounds per restart (default 6: local search and the medoid
    /// updates after it finish the convergence more cheaply than further flow solves).
    pub max_location_rounds: usize,
    /// Worker threads (default: the machine's cores).
    pub threads: usize,
    /// Re-design the neighbourhood of territories still out of balance at the end of a restart (default true).
    pub polish: bool,
    /// Passes of regional re-design over the best restart's plan (the `reshape` module; default 2, 0 for none).
    pub reshape_passes: usize,
}

impl Default for DesignParams {
    fn default() -> Self {
        DesignParams {
            seed: 0,
            restarts: 8,
            time_limit: None,
            deadline: None,
            candidates: 12,
            allocation_band: 0.5,
            max_location_rounds: 6,
            threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            polish: true,
            reshape_passes: 2,
        }
    }
}

impl DesignParams {
    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the number of restarts.
    pub fn restarts(mut self, restarts: usize) -> Self {
        self.restarts = restarts.max(1);
        self
    }

    /// Sets the time limit.
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = Some(limit);
        self
    }

    /// Sets an absolute deadline (see [`DesignParams::deadline`]).
    pub fn deadline(mut self, at: Instant) -> Self {
        self.deadline = Some(at);
        self
    }

    /// Sets the number of worker threads.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }
}

/// Restarts a run makes when the planner does not say: 6, fewer on large instances.
///
/// One restart's work grows about as `units × √territories` (29,546 ZIPs into 491 territories: about 9 s of
/// CPU; 20,000 accounts into 100: about 2.7 s; 5,370 ZIPs into 40: 0.3 s), so the count is
/// `⌊600,000 / (units × √territories)⌋` rounded down to an even number (two cores share it evenly), at least 2
/// and at most 6. Work the restarts leave goes to the regional re-design of the best plan (the `reshape` module),
/// which gained more than further restarts: on 5,370 ZIPs into 40, seeds 0–9, 6 and 8 restarts followed by it
/// gave the same plans, while 8, 16 and 32 restarts alone stayed 0.2–0.7% above them (BENCHMARKS.md). It
/// depends on the instance's size only, never on the machine, so the same seed and instance still give the
/// same plan everywhere.
///
/// ```
/// use tessera_optimizer::default_restarts;
/// assert_eq!(default_restarts(3_107, 49), 6); // US counties
/// assert_eq!(default_restarts(10_000, 50), 6);
/// assert_eq!(default_restarts(20_000, 100), 2);
/// assert_eq!(default_restarts(29_546, 491), 2); // every ZIP code of the contiguous US
/// ```
pub fn default_restarts(units: usize, territories: usize) -> usize {
    let work = units as f64 * (territories.max(1) as f64).sqrt();
    let share = (RESTART_WORK / work.max(1.0)).floor().min(MAX_DEFAULT_RESTARTS as f64) as usize;
    (share & !1).max(2)
}

/// The most restarts [`default_restarts`] gives.
const MAX_DEFAULT_RESTARTS: usize = 6;

/// The work (`units × √territories`) that [`default_restarts`] shares out.
const RESTART_WORK: f64 = 600_000.0;

/// Work of the regional re-design ([`crate::reshape`]) after `restarts` restarts: half of what the restarts
/// leave of [`RESTART_WORK`], in the re-design's own unit (a region of `m` units and `k` territories costs
/// `m × √k`; a region costs about half as much CPU per unit of work as a restart). Zero when the restarts use
/// it all (29,546 ZIPs into 491 territories; 20,000 accounts into 100 at 8 restarts); the 20,000 accounts at
/// the CLI's 2 restarts get about one pass, 5,370 ZIPs into 40 at 8 restarts two.
fn reshape_budget(problem: &Problem, restarts: usize) -> f64 {
    let restart = problem.n() as f64 * (problem.p().max(1) as f64).sqrt();
    ((RESTART_WORK - restarts as f64 * restart) / 2.0).max(0.0)
}

/// A designed plan with the figures the optimizer measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// Territory per unit (indices into the problem's names).
    pub assignment: Vec<u32>,
    /// Center of each territory (rep home base or medoid unit position).
    pub centers: Vec<GeoPoint>,
    /// Medoid unit of each territory when centers are not fixed.
    pub center_units: Vec<Option<usize>>,
    /// Weighted travel to the centers, in km.
    pub travel: f64,
    /// Largest relative deviation from target.
    pub max_dev: f64,
    /// Territories that are not connected.
    pub n_noncontiguous: usize,
    /// Total relative excess over the caps and floors ([`crate::limits`]); 0 when every one holds.
    pub limit_excess: f64,
    /// Restarts completed (not cut short).
    pub restarts_done: usize,
    /// Index of the restart that won.
    pub best_restart: usize,
    /// True when the run was cancelled or ran out of time before all restarts and the regional re-design of the
    /// best one finished.
    pub stopped_early: bool,
    /// What stopped the run before all restarts finished, if anything did.
    pub stopped_by: Option<StoppedBy>,
}

/// What ended a run before all its restarts finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StoppedBy {
    /// The time limit ran out.
    Deadline,
    /// The planner cancelled.
    Cancel,
}

impl Design {
    fn key(&self, violation: f64) -> (usize, f64, f64, f64) {
        (
            self.n_noncontiguous,
            self.limit_excess,
            if violation > 1e-12 { violation } else { 0.0 },
            self.travel,
        )
    }
}

/// Designs territories for `problem`.
///
/// # Errors
/// [`PlanError::Flow`] if the flow solver fails.
///
/// # Example
/// ```
/// use tessera_optimizer::{Adjacency, Measure, ProblemSpec, Units, DesignParams, design_territories, Progress};
/// // A 6 × 6 grid of equal units, 4 territories.
/// let n = 36;
/// let ids = (0..n).map(|i| format!("u{i}")).collect();
/// let lon = (0..n).map(|i| (i % 6) as f64 * 0.1).collect();
/// let lat = (0..n).map(|i| (i / 6) as f64 * 0.1).collect();
/// let units = Units::new(ids, lon, lat, vec![Measure { name: "workload".into(), values: vec![1.0; n] }]).unwrap();
/// let mut edges = vec![];
/// for i in 0..n as u32 { if i % 6 < 5 { edges.push((i, i + 1)); } if i / 6 < 5 { edges.push((i, i + 6)); } }
/// let adj = Adjacency::from_edges(n, &edges);
/// let problem = ProblemSpec::new(&units, &adj, 4).build().unwrap();
/// let d = design_territories(&problem, &DesignParams::default().restarts(2), &Progress::new()).unwrap();
/// assert!(d.max_dev <= 0.05 + 1e-9);
/// assert_eq!(d.n_noncontiguous, 0);
/// ```
pub fn design_territories(problem: &Problem, params: &DesignParams, progress: &Progress) -> Result<Design, PlanError> {
    let mut stop = Stop::new(progress, params.time_limit);
    if let Some(at) = params.deadline {
        stop = stop.until(at);
    }
    // Restarts cut short get a grace to finish their plan (see `one_restart`); it comes out of the deadline.
    design_until(problem, params, &stop.leaving_grace(), Some(progress))
}

/// [`design_territories`] until `stop`, reporting to `report` (nested designs report to nobody, so the planner's
/// progress bar shows the whole run only).
pub(crate) fn design_until(
    problem: &Problem,
    params: &DesignParams,
    stop: &Stop,
    report: Option<&Progress>,
) -> Result<Design, PlanError> {
    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    // The regional re-design after the restarts costs about as much CPU per unit of its budget as the restarts
    // per unit of theirs (zips-east: 1.2 s for the restarts' 204,000, 1.1 s for the redraw's 198,000), so the
    // progress bar gives each phase its share of the work.
    let budget = reshape_budget(problem, params.restarts);
    let redraws = params.reshape_passes > 0 && budget > 0.0 && problem.fixed_centers.is_none();
    let restart_work = params.restarts as f64 * problem.n() as f64 * (problem.p().max(1) as f64).sqrt();
    let restart_share = if redraws {
        restart_work / (restart_work + budget)
    } else {
        1.0
    };
    let best: Mutex<Option<(usize, Design, f64)>> = Mutex::new(None);
    let error: Mutex<Option<PlanError>> = Mutex::new(None);
    let threads = params.threads.clamp(1, params.restarts.max(1));

    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                // The first restart always starts, so there is a plan even with a tiny time limit; it is cut
                // short at the deadline like every other.
                let r = next.fetch_add(1, Ordering::SeqCst);
                if r >= params.restarts || (r > 0 && stop.reached()) {
                    break;
                }
                match one_restart(problem, params, r, stop) {
                    Ok((d, violation, finished)) => {
                        if finished {
                            done.fetch_add(1, Ordering::SeqCst);
                        }
                        if let Ok(mut b) = best.lock() {
                            let better = match b.as_ref() {
                                None => true,
                                Some((br, bd, bv)) => {
                                    let (k1, k2) = (d.key(violation), bd.key(*bv));
                                    k1 < k2 || (k1 == k2 && r < *br)
                                }
                            };
                            if better {
                                *b = Some((r, d, violation));
                            }
                            if let (Some((_, bd, _)), Some(progress)) = (b.as_ref(), report) {
                                let by_restarts =
                                    restart_share * done.load(Ordering::SeqCst) as f64 / params.restarts as f64;
                                let by_time = stop.remaining().map_or(0.0, |left| {
                                    let spent = start.elapsed().as_secs_f64();
                                    spent / (spent + left.as_secs_f64()).max(1e-9)
                                });
                                progress.report(ProgressReport {
                                    stage: "restarts".into(),
                                    fraction: by_restarts.max(by_time).min(1.0),
                                    best_max_dev: Some(bd.max_dev),
                                    best_travel: Some(bd.travel),
                                    best_noncontiguous: Some(bd.n_noncontiguous),
                                });
                            }
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
    let restarts_done = done.load(Ordering::SeqCst);
    let mut best = best.into_inner().ok().flatten();
    // Regional re-design of the best plan with the work the restarts left (none on large instances), only when
    // every restart finished: its input is then the same on every machine.
    let mut reshape_cut = false;
    if redraws {
        if stop.reached() {
            reshape_cut = true;
        } else if let Some((r, d, _)) = best.take() {
            let progress = report.map(|progress| (progress, restart_share, start));
            let (d, v) = reshape_best(problem, params, d, budget, stop, progress)?;
            // Cut short, the re-design's plan depends on the clock: the run says it was stopped.
            reshape_cut = stop.reached();
            best = Some((r, d, v));
        }
    }
    match best {
        Some((r, mut d, _)) => {
            d.restarts_done = restarts_done;
            d.best_restart = r;
            d.stopped_early = restarts_done < params.restarts || reshape_cut;
            d.stopped_by = match (d.stopped_early, stop.cancelled()) {
                (false, _) => None,
                (true, true) => Some(StoppedBy::Cancel),
                (true, false) => Some(StoppedBy::Deadline),
            };
            Ok(d)
        }
        None => Err(PlanError::Flow("no restart finished".into())),
    }
}

/// Re-designs only the territories named in `only` from the problem's current plan and leaves every other unit
/// where it is: the planner's "rebalance these after my hand edit". The named territories are designed as a
/// sub-problem ([`Problem::restrict`]) and merged back. Returns the whole plan's design.
///
/// # Errors
/// [`PlanError::NeedsCurrentPlan`] without a current plan, [`PlanError::CurrentOutsideTerritories`] when it uses
/// territories the problem lacks, [`PlanError::UnknownTerritory`] for a name not in the problem, and the
/// errors of [`design_territories`].
pub fn redesign_territories(
    problem: &Problem,
    only: &[String],
    params: &DesignParams,
    progress: &Progress,
) -> Result<Design, PlanError> {
    let current = problem
        .current
        .as_ref()
        .ok_or(PlanError::NeedsCurrentPlan("re-optimising some territories"))?;
    if let Some(i) = current.iter().position(|&t| t as usize >= problem.p()) {
        return Err(PlanError::CurrentOutsideTerritories {
            id: problem.ids[i].clone(),
        });
    }
    let only: Vec<u32> = only
        .iter()
        .map(|name| {
            problem
                .names
                .iter()
                .position(|n| n == name)
                .map(|k| k as u32)
                .ok_or_else(|| PlanError::UnknownTerritory(name.clone()))
        })
        .collect::<Result<_, _>>()?;
    let (sub, map) = problem.restrict(&only, current);
    let d = design_territories(&sub, params, progress)?;
    let mut assignment = current.clone();
    for (k, &i) in map.iter().enumerate() {
        assignment[i] = only[d.assignment[k] as usize];
    }
    let (centers, center_units) = centers_of(problem, &assignment);
    let al = Alignment::new(problem, assignment);
    let n_noncontiguous = noncontiguous_count(&problem.adjacency, &al.assignment, problem.p());
    Ok(Design {
        travel: travel(problem, &al.assignment, &centers),
        max_dev: al.max_dev(problem),
        n_noncontiguous,
        limit_excess: al.limit_excess(problem),
        assignment: al.assignment,
        centers,
        center_units,
        ..d
    })
}

/// Centers of a finished plan: the reps' home bases when fixed, else each territory's weighted medoid (the
/// first unit's position for an empty territory), with the medoid units.
pub fn centers_of(problem: &Problem, assignment: &[u32]) -> (Vec<GeoPoint>, Vec<Option<usize>>) {
    let fallback = vec![
        problem
            .points
            .first()
            .copied()
            .unwrap_or(GeoPoint::from_degrees(0.0, 0.0));
        problem.p()
    ];
    update_centers(problem, assignment, &fallback)
}

/// Centers of `assignment`: fixed ones, or medoid units (keeping the old center for an empty territory).
pub(crate) fn update_centers(
    problem: &Problem,
    assignment: &[u32],
    old: &[GeoPoint],
) -> (Vec<GeoPoint>, Vec<Option<usize>>) {
    if let Some(f) = &problem.fixed_centers {
        return (f.clone(), vec![None; problem.p()]);
    }
    let med = medoid_centers(assignment, problem.p(), &problem.points, &problem.weights);
    let centers = med
        .iter()
        .zip(old)
        .map(|(m, o)| m.map(|c| problem.points[c]).unwrap_or(*o))
        .collect();
    (centers, med)
}

/// Weighted travel of `assignment` to `centers`.
pub(crate) fn travel(problem: &Problem, assignment: &[u32], centers: &[GeoPoint]) -> f64 {
    assignment
        .iter()
        .enumerate()
        .map(|(i, &t)| problem.weights[i] * problem.points[i].km(&centers[t as usize]))
        .sum()
}

/// The best restart's plan redrawn region by region ([`crate::reshape`]), then local search against the new
/// centers and the final figures. Returns the design and its squared balance violation.
///
/// With `progress` = (handle, share of the run the restarts took, the run's start), each batch of regions
/// reports the plan as it stands, the bar moving from that share to the end as the budget is used (or as the
/// deadline nears, whichever is further: the restarts' reports take the larger of the two as well).
fn reshape_best(
    problem: &Problem,
    params: &DesignParams,
    d: Design,
    budget: f64,
    stop: &Stop,
    progress: Option<(&Progress, f64, Instant)>,
) -> Result<(Design, f64), PlanError> {
    let t0 = Instant::now();
    let before = d.travel;
    let mut on_batch = |used: f64, state: &crate::reshape::Reshaped| {
        if let Some((progress, restart_share, start)) = progress {
            let by_work = restart_share + (1.0 - restart_share) * used;
            let by_time = stop.remaining().map_or(0.0, |left| {
                let spent = start.elapsed().as_secs_f64();
                spent / (spent + left.as_secs_f64()).max(1e-9)
            });
            progress.report(ProgressReport {
                stage: "regional redraw".into(),
                fraction: by_work.max(by_time).min(1.0),
                best_max_dev: Some(state.al.max_dev(problem)),
                best_travel: Some(travel(problem, &state.al.assignment, &state.centers)),
                best_noncontiguous: Some(noncontiguous_count(
                    &problem.adjacency,
                    &state.al.assignment,
                    problem.p(),
                )),
            });
        }
    };
    let mut state = crate::reshape::reshape(problem, &d, params, params.reshape_passes, budget, stop, &mut on_batch)?;
    if state.accepted == 0 {
        let violation = state.al.total_violation(problem);
        return Ok((d, violation));
    }
    let mut al = state.al;
    improve(problem, &mut al, &state.centers, &LocalSearchParams::default(), stop);
    let n_noncontiguous = repair(problem, &mut al, &state.centers);
    let (centers, center_units) = update_centers(problem, &al.assignment, &state.centers);
    state.centers = Vec::new();
    let violation = al.total_violation(problem);
    let d = Design {
        travel: travel(problem, &al.assignment, &centers),
        max_dev: al.max_dev(problem),
        n_noncontiguous,
        limit_excess: al.limit_excess(problem),
        assignment: al.assignment,
        centers,
        center_units,
        ..d
    };
    if tracing() {
        eprintln!(
            "reshape: {} regions kept, travel {before:.6e} -> {:.6e} in {:.2}s",
            state.accepted,
            d.travel,
            t0.elapsed().as_secs_f64()
        );
    }
    Ok((d, violation))
}

/// A fresh allocation network is built when more than one unit in this many has no arc to its nearest center
/// after the arcs followed the moved centers.
const REBUILD_WHEN_UNCOVERED: usize = 100;

/// One restart: seed centers, location–allocation, repair, local search, each phase polling `stop`. Returns
/// the design, its squared balance violation and whether it ran to the end (false: cut short by `stop`; the
/// design is still a whole plan).
fn one_restart(
    problem: &Problem,
    params: &DesignParams,
    r: usize,
    stop: &Stop,
) -> Result<(Design, f64, bool), PlanError> {
    let p = problem.p();
    let trace = tracing() && params.polish;
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(r as u64));
    let schedule = band_schedule(p);
    let band = (problem.tolerance * params.allocation_band * schedule[r % schedule.len()]).min(problem.tolerance);
    let lower: Vec<f64> = problem.targets.iter().map(|t| t * (1.0 - band)).collect();
    let upper: Vec<f64> = problem.targets.iter().map(|t| t * (1.0 + band)).collect();
    let (lower, upper) = budget_bounds(problem, lower, upper);
    let candidates = if p <= 16 { p } else { params.candidates };

    let mut centers: Vec<GeoPoint> = match (&problem.fixed_centers, &problem.current) {
        (Some(f), _) => f.clone(),
        (None, Some(cur)) if r == 0 => {
            let seeds = kmeans_pp(&problem.points, &problem.weights, p, &mut rng);
            let fallback: Vec<GeoPoint> = seeds.iter().map(|&c| problem.points[c]).collect();
            let clean: Vec<u32> = cur.iter().map(|&t| if (t as usize) < p { t } else { 0 }).collect();
            update_centers(problem, &clean, &fallback).0
        }
        _ => kmeans_pp(&problem.points, &problem.weights, p, &mut rng)
            .into_iter()
            .map(|c| problem.points[c])
            .collect(),
    };

    // Location–allocation. The network is built once and re-solved warm while the centers move; its candidate
    // arcs follow the centers (`Allocator::follow`).
    let t0 = Instant::now();
    let mut rounds = 0;
    let mut assignment: Vec<u32> = Vec::new();
    let mut allocator: Option<Allocator> = None;
    let alloc_params = AllocateParams {
        lower: &lower,
        upper: &upper,
        candidates,
        locks: &problem.locks,
        current: problem.current.as_deref(),
        stay_bonus_km: 0.0,
    };
    let mut cut_short = false;
    let mut last_round = Duration::ZERO;
    for _round in 0..params.max_location_rounds.max(1) {
        if stop.reached() {
            cut_short = true;
            break;
        }
        // Anytime: a further round only when it leaves time for repair and local search after it (rounds take
        // about as long as the last one); otherwise the allocation so far is refined within the deadline.
        if rounds > 0 && stop.remaining().is_some_and(|left| left < last_round * 3) {
            // The deadline shortened this restart: its plan depends on the clock, and the run says so.
            cut_short = true;
            break;
        }
        rounds += 1;
        let ta = Instant::now();
        // Warm when the arcs could follow the centers; a fresh network when too many units were left with arcs
        // only to old centers (their arcs all in use by the previous solve).
        let fresh = match allocator.as_mut() {
            Some(a) => a.follow(&centers) > problem.n() / REBUILD_WHEN_UNCOVERED,
            None => true,
        };
        if fresh {
            allocator = Some(
                Allocator::new(&problem.points, &problem.weights, &centers, &alloc_params)?
                    .with_limits(&problem.limits),
            );
        }
        let Some(alloc) = allocator.as_mut() else { break };
        let pivots_before = alloc.pivots();
        let a = match allocate_with_budget(problem, alloc, &centers, stop) {
            Ok(a) => a,
            Err(PlanError::Stopped) => {
                cut_short = true;
                break;
            }
            Err(e) => return Err(e),
        };
        last_round = ta.elapsed();
        if trace {
            eprintln!(
                "restart {r}: allocation round {rounds} {:.3}s ({}, {} pivots) travel {:.6e}",
                ta.elapsed().as_secs_f64(),
                if fresh { "new network" } else { "warm" },
                alloc.pivots() - pivots_before,
                travel(problem, &a, &centers)
            );
        }
        let changed = a != assignment;
        assignment = a;
        if problem.fixed_centers.is_some() || !changed {
            break;
        }
        centers = update_centers(problem, &assignment, &centers).0;
    }
    drop(allocator);
    if assignment.is_empty() {
        // Cut short before the first allocation finished: every unit to its lock or nearest center, a whole
        // plan that the steps below make contiguous and as balanced as the time left allows.
        assignment = nearest_assignment(problem, &centers);
    }

    let t_alloc = t0.elapsed().as_secs_f64();
    // Contiguity and local search until the centers settle.
    let mut al = Alignment::new(problem, assignment);
    let ls = LocalSearchParams::default();
    let mut center_units = vec![None; p];
    let mut last_travel = f64::INFINITY;
    for _round in 0..30 {
        if stop.reached() {
            cut_short = true;
            break;
        }
        repair(problem, &mut al, &centers);
        improve(problem, &mut al, &centers, &ls, stop);
        mend_limits(problem, &mut al, &centers, &ls, stop);
        if al.total_violation(problem) > 0.0 {
            let before = al.max_dev(problem);
            let chains = repair_balance(problem, &mut al, &centers, 4 * p, stop);
            if trace {
                eprintln!(
                    "restart {r}: balance repair {chains} chains, max_dev {before:.4} -> {:.4}",
                    al.max_dev(problem)
                );
            }
            if chains > 0 {
                improve(problem, &mut al, &centers, &ls, stop);
            }
        }
        let (c, cu) = update_centers(problem, &al.assignment, &centers);
        centers = c;
        center_units = cu;
        let t = travel(problem, &al.assignment, &centers);
        if t >= last_travel * (1.0 - 1e-9) {
            break;
        }
        last_travel = t;
    }
    if params.polish && al.total_violation(problem) > 0.0 && !stop.reached() {
        polish_balance(problem, &mut al, params, r, stop)?;
        centers = update_centers(problem, &al.assignment, &centers).0;
        improve(problem, &mut al, &centers, &ls, stop);
    }
    cut_short |= stop.reached();
    if cut_short && al.total_violation(problem) > 0.0 {
        // Cut short before local search could balance the plan: a few passes in the deadline's grace make the
        // plan returned a balanced one where they can (a cancel stops them at once).
        let grace = stop.grace();
        repair(problem, &mut al, &centers);
        improve(problem, &mut al, &centers, &ls, &grace);
        mend_limits(problem, &mut al, &centers, &ls, &grace);
        if al.total_violation(problem) > 0.0 {
            repair_balance(problem, &mut al, &centers, 4 * p, &grace);
        }
    }
    // Promises are kept even when the run was cut short: contiguity repair and the disruption budget are
    // bounded by the plan's size and do not poll the deadline.
    let mut n_noncontiguous = repair(problem, &mut al, &centers);
    if enforce_budget(problem, &mut al) > 0 {
        if trace {
            eprintln!("restart {r}: budget enforced at the end");
        }
        n_noncontiguous = noncontiguous_count(&problem.adjacency, &al.assignment, p);
    }
    let (centers, center_units2) = update_centers(problem, &al.assignment, &centers);
    if problem.fixed_centers.is_none() {
        center_units = center_units2;
    }
    let violation = al.total_violation(problem);
    let d = Design {
        travel: travel(problem, &al.assignment, &centers),
        max_dev: al.max_dev(problem),
        n_noncontiguous,
        limit_excess: al.limit_excess(problem),
        assignment: al.assignment,
        centers,
        center_units,
        restarts_done: 0,
        best_restart: r,
        stopped_early: false,
        stopped_by: None,
    };
    if trace {
        eprintln!(
            "restart {r}: travel {:.6e} max_dev {:.4} noncontig {} (allocation {rounds} rounds {t_alloc:.2}s, total {:.2}s{})",
            d.travel,
            d.max_dev,
            d.n_noncontiguous,
            t0.elapsed().as_secs_f64(),
            if cut_short { ", cut short" } else { "" }
        );
    }
    Ok((d, violation, !cut_short))
}

/// Mends caps and floors the allocation and repair left broken ([`repair_limits`]), then lets local search
/// recover what the chains cost (it never breaks a limit again). Nothing to do without broken limits.
pub(crate) fn mend_limits(
    problem: &Problem,
    al: &mut Alignment,
    centers: &[GeoPoint],
    ls: &LocalSearchParams,
    stop: &Stop,
) {
    if al.limit_excess(problem) > 0.0 && repair_limits(problem, al, centers, 4 * problem.p(), stop) > 0 {
        improve(problem, al, centers, ls, stop);
    }
}

/// Territories from which the allocation keeps to tight bands (see [`band_schedule`]).
const MANY_TERRITORIES: usize = 100;

/// The allocation band of each restart, as a multiple of `tolerance × allocation_band`, cycled over the restarts.
///
/// Restarts vary the band around the configured one: diversity even when the centers are fixed (reps), and a
/// tighter band for the cases where heavy units make the loose one hard to repair. With many territories
/// (a hundred or more) the loose bands are the ones local search cannot repair: their restarts end out of
/// balance, need the nested re-designs of [`polish_balance`] (the slowest phase) and still travel more. On
/// zips-conus-large (491 territories), seeds 0–2, the restarts with the bands 1.0 / 0.5 / 1.4 / 0.25 travelled
/// 7.29e6 / 7.11e6 / 7.31e6 / 7.06e6 on average, and ten restarts at 0.1 (seeds 0–4) averaged 7.06e6 with
/// almost no polishing; on the 20,000 sample accounts (100 territories) two restarts at 0.1 gave a median of
/// 1.6386e7 over seeds 0–4 against 1.6433e7 with the loose bands. On conus and zips-east (40–49 territories)
/// the loose bands win: 0.1 alone was 0.4–0.8% worse over seeds 0–9 (BENCHMARKS.md, "Speed (issue 9)").
fn band_schedule(p: usize) -> &'static [f64] {
    if p >= MANY_TERRITORIES {
        &[0.1, 0.1, 0.1, 0.25]
    } else {
        &[1.0, 0.5, 1.4, 0.25]
    }
}

/// Every unit to its lock, else its nearest center: the plan of last resort when the deadline leaves no time
/// for a balanced allocation.
pub(crate) fn nearest_assignment(problem: &Problem, centers: &[GeoPoint]) -> Vec<u32> {
    let tree = center_tree(centers);
    (0..problem.n())
        .map(|i| {
            problem.locks[i].unwrap_or_else(|| {
                tree.nearest_neighbor(&sphere_xyz(&problem.points[i]))
                    .map_or(0, |g| g.data as u32)
            })
        })
        .collect()
}

/// True when `TESSERA_DEBUG` asks for the restarts to be traced on stderr (read once).
fn tracing() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("TESSERA_DEBUG").is_some())
}

/// Territories within `rings` steps of `start` in the territory adjacency graph.
fn territory_rings(problem: &Problem, assignment: &[u32], start: &[usize], rings: usize) -> Vec<u32> {
    let p = problem.p();
    let mut nbrs: Vec<Vec<u32>> = vec![Vec::new(); p];
    for (a, b) in problem.adjacency.edges() {
        let (ta, tb) = (assignment[a as usize], assignment[b as usize]);
        if ta != tb {
            nbrs[ta as usize].push(tb);
            nbrs[tb as usize].push(ta);
        }
    }
    let mut seen = vec![false; p];
    let mut frontier: Vec<usize> = start.to_vec();
    for &t in start {
        seen[t] = true;
    }
    for _ in 0..rings {
        let mut next = Vec::new();
        for &t in &frontier {
            for &u in &nbrs[t] {
                if !seen[u as usize] {
                    seen[u as usize] = true;
                    next.push(u as usize);
                }
            }
        }
        frontier = next;
    }
    (0..p as u32).filter(|&t| seen[t as usize]).collect()
}

/// Last resort for territories still out of balance after local search (heavy units packed in a dense area):
/// re-design their neighbourhood — the territories within a few steps — as a sub-problem with its own
/// restarts, and keep the result when it lowers the balance violation. Wider neighbourhoods are tried when
/// a narrow one cannot balance. The nested designs share the run's deadline and report to nobody.
fn polish_balance(
    problem: &Problem,
    al: &mut Alignment,
    params: &DesignParams,
    r: usize,
    stop: &Stop,
) -> Result<(), PlanError> {
    for rings in [2, 3, 5] {
        let bad: Vec<usize> = (0..problem.p())
            .filter(|&t| Alignment::violation(problem, t, al.loads[t]) > 0.0)
            .collect();
        if bad.is_empty() || stop.reached() {
            break;
        }
        let region = territory_rings(problem, &al.assignment, &bad, rings);
        if region.len() == problem.p() && rings > 2 {
            break; // the neighbourhood is the whole problem: nothing new to try
        }
        let (sub, map) = problem.restrict(&region, &al.assignment);
        let sub_params = DesignParams {
            seed: params.seed ^ (r as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407) ^ rings as u64,
            restarts: 4,
            time_limit: None,
            deadline: None,
            threads: 1,
            polish: false,
            reshape_passes: 0,
            ..params.clone()
        };
        let d = design_until(&sub, &sub_params, stop, None)?;
        if d.n_noncontiguous > 0 {
            continue;
        }
        let mut trial = al.clone();
        for (k, &i) in map.iter().enumerate() {
            trial.move_unit(problem, i, region[d.assignment[k] as usize]);
        }
        let debug = tracing();
        if trial.total_violation(problem) < al.total_violation(problem)
            && trial.moved <= problem.move_budget.unwrap_or(f64::INFINITY) + 1e-9
            && trial.limits_no_worse_than(problem, &al.limit_loads)
        {
            if debug {
                eprintln!(
                    "restart {r}: polish over {} territories: max_dev {:.4} -> {:.4}",
                    region.len(),
                    al.max_dev(problem),
                    trial.max_dev(problem)
                );
            }
            *al = trial;
        } else if debug {
            eprintln!("restart {r}: polish over {} territories did not help", region.len());
        }
    }
    Ok(())
}

/// The allocation band under a disruption budget: widened to take in the current loads, so that keeping
/// everything where it is stays possible and the stay bonus can always meet the budget. Without a budget, the
/// band as given.
fn budget_bounds(problem: &Problem, lower: Vec<f64>, upper: Vec<f64>) -> (Vec<f64>, Vec<f64>) {
    match (&problem.current, problem.move_budget) {
        (Some(cur), Some(_)) => {
            let mut load = vec![0.0; problem.p()];
            for (i, &t) in cur.iter().enumerate() {
                if (t as usize) < problem.p() {
                    load[t as usize] += problem.weights[i];
                }
            }
            // The budget is a hard limit: when the current plan is out of balance and the budget too small to
            // fix it, the plan stays out of balance (and says so) rather than moving more than allowed.
            let lo = (0..problem.p()).map(|t| lower[t].min(load[t])).collect();
            let hi = (0..problem.p()).map(|t| upper[t].max(load[t])).collect();
            (lo, hi)
        }
        _ => (lower, upper),
    }
}

/// Allocation honouring the disruption budget: without a budget, plain allocation; with one, the bonus for
/// keeping a unit in its current territory is raised by bisection until the moved weight fits (with a
/// margin for the repair steps that follow). Every solve re-uses `allocator`'s tree (only costs change).
fn allocate_with_budget(
    problem: &Problem,
    allocator: &mut Allocator,
    centers: &[GeoPoint],
    stop: &Stop,
) -> Result<Vec<u32>, PlanError> {
    let mut run = |bonus: f64| allocator.allocate(centers, bonus, stop).map(|a| a.assignment);
    let moved = |a: &[u32]| -> f64 {
        match &problem.current {
            Some(cur) => a
                .iter()
                .zip(cur)
                .zip(&problem.weights)
                .filter(|((x, c), _)| x != c)
                .map(|(_, w)| w)
                .sum(),
            None => 0.0,
        }
    };
    let a0 = run(0.0)?;
    let Some(budget) = problem.move_budget else {
        return Ok(a0);
    };
    let budget = budget * 0.9;
    if moved(&a0) <= budget {
        return Ok(a0);
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    let mut best = run(hi)?;
    while moved(&best) > budget && hi < 40_000.0 {
        lo = hi;
        hi *= 4.0;
        best = run(hi)?;
    }
    for _ in 0..8 {
        let mid = 0.5 * (lo + hi);
        let a = run(mid)?;
        if moved(&a) <= budget {
            hi = mid;
            best = a;
        } else {
            lo = mid;
        }
    }
    Ok(best)
}
