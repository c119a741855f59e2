//! The memetic genetic search and the trade-off front (balance against travel against disruption).
//!
//! - [`develop`]: an individual's genes (centers; territories pinned from a parent; or a whole start plan)
//!   made into a whole, balanced, contiguous plan by the designer's steps (min-cost-flow allocation with split
//!   units resolved whole, location rounds, contiguity repair, local search, chain balance repair).
//! - [`chains`]: ejection chains, local search for plans stuck at their bounds, run on the children near the
//!   best plan.
//! - [`recom`]: the ReCom step, two neighbouring territories merged and re-cut along a random spanning tree.
//! - [`operators`]: the individual, fitness, crossover by whole territories, mutation, parallel development, and
//!   what a stalled population gets: deeper chain searches on its best plans, then a fresh population.
//! - [`engine`]: the population loop behind the [`engine::PopulationLoop`] trait, run by genevo.
//! - [`front`]: non-dominated plans over (balance figure, travel, moved share).
//!
//! [`design_genetic`] is `tessera plan --search genetic`; [`explore`] is `tessera explore`.
//!
//! # What a seed promises
//!
//! Development is a pure function of an individual's genes, and the operators draw from genevo's generator
//! seeded from [`GeneticParams::seed`], so a run of a fixed number of generations that nothing stops early
//! gives the same plan on any machine and any number of threads. A run ended by its deadline keeps the best
//! plan developed by then, which depends on the machine's speed.

pub mod chains;
pub mod develop;
pub mod engine;
pub mod front;
pub mod operators;
pub mod recom;

use std::time::{Duration, Instant};

use crate::design::{design_territories, Design, DesignParams, StoppedBy};
use crate::problem::{PlanError, Problem};
use crate::progress::{Progress, ProgressReport};
use crate::stop::Stop;

pub use develop::Developed;
pub use engine::{Genevo, PopulationLoop};
pub use front::{BalanceFigure, Front};
pub use operators::{Individual, Search};

/// Generations run when neither a number nor a deadline ends the search first.
const MAX_GENERATIONS: usize = 1_000_000;

/// Parameters of [`design_genetic`], with documented defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneticParams {
    /// Seed of every random choice (default 0).
    pub seed: u64,
    /// Individuals in the population (default 10; fewer, down to 4, when the deadline would leave too little
    /// time for generations after developing them).
    pub population: usize,
    /// Generations to run (default none: until the deadline, or a million).
    pub generations: Option<usize>,
    /// Deadline for the whole search, counted from the call (default none).
    pub time_limit: Option<Duration>,
    /// An absolute deadline; the earlier of it and `time_limit` holds (default none).
    pub deadline: Option<Instant>,
    /// Threads developing individuals (default: the machine's cores).
    pub threads: usize,
    /// Members of the first population designed by the restart designer ([`design_territories`], one call
    /// with this many restarts, giving one individual); 0 for none (default 2).
    pub designed: usize,
    /// Probability that a child is mutated (default 0.5).
    pub mutation_rate: f64,
    /// Generations without a better plan in the population before it is replaced by a fresh one (default
    /// [`operators::RESTART_AFTER_STALLED`]); 0 for never.
    pub restart_after: usize,
}

impl Default for GeneticParams {
    fn default() -> Self {
        GeneticParams {
            seed: 0,
            population: 10,
            generations: None,
            time_limit: None,
            deadline: None,
            threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            designed: 2,
            mutation_rate: 0.5,
            restart_after: operators::RESTART_AFTER_STALLED,
        }
    }
}

/// A plan from [`design_genetic`] and how the search went.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneticDesign {
    /// The best plan, in the designer's terms (`restarts_done` holds the generations done).
    pub design: Design,
    /// Generations done.
    pub generations: usize,
    /// Plans developed (the first population's included).
    pub developed: usize,
    /// Children dropped undeveloped because their allocation found no feasible flow (their inherited territories
    /// left some units no territory with room); the search went on without them.
    pub dropped: usize,
    /// Times the population, stalled, was replaced by a fresh one ([`Search::next_epoch`]).
    pub restarts: usize,
}

/// The stop condition of a search: the deadline of `time_limit` and `deadline`, and `progress`'s cancel.
fn stop_of(progress: &Progress, time_limit: Option<Duration>, deadline: Option<Instant>) -> Stop {
    let mut stop = Stop::new(progress, time_limit);
    if let Some(at) = deadline {
        stop = stop.until(at);
    }
    stop
}

/// Designs territories for `problem` by the memetic genetic search: a first population (one plan of the
/// restart designer, the current plan when there is one, the rest from weighted k-means++ centers), developed
/// on every core, then generations of crossover, mutation and elitist reinsertion of distinct plans (a stalled
/// population is polished, then replaced: [`Search::between_generations`]) until the generations are done, the
/// deadline passes or the planner cancels. Returns the best plan developed.
///
/// # Errors
/// [`PlanError::Flow`] if the flow solver fails.
pub fn design_genetic(
    problem: &Problem,
    params: &GeneticParams,
    progress: &Progress,
) -> Result<GeneticDesign, PlanError> {
    let stop = stop_of(progress, params.time_limit, params.deadline);
    let search = Search::new(problem, stop.leaving_grace(), params.threads, None).with_params(params);
    let Searched {
        generations, cancelled, ..
    } = run_search(&search, params, Some(progress), None, &mut |_| {})?;
    let best = search.best().ok_or_else(|| {
        search
            .dropped()
            .1
            .unwrap_or_else(|| PlanError::Flow("no plan was developed".into()))
    })?;
    let asked = params.generations.unwrap_or(MAX_GENERATIONS);
    let stopped_by = if cancelled {
        Some(StoppedBy::Cancel)
    } else if params.generations.is_some() && generations < asked {
        Some(StoppedBy::Deadline)
    } else {
        None
    };
    let (centers, center_units) = crate::design::centers_of(problem, &best.assignment);
    Ok(GeneticDesign {
        design: Design {
            assignment: best.assignment.clone(),
            centers,
            center_units,
            travel: best.travel,
            max_dev: best.max_dev,
            n_noncontiguous: best.n_noncontiguous,
            limit_excess: best.limit_excess,
            restarts_done: generations,
            best_restart: 0,
            stopped_early: stopped_by.is_some(),
            stopped_by,
        },
        generations,
        developed: search.developed(),
        dropped: search.dropped().0,
        restarts: search.restarts(),
    })
}

/// How one search went.
struct Searched {
    /// Generations done.
    generations: usize,
    /// The planner cancelled.
    cancelled: bool,
    /// Time until its first population was ready to develop (the restart designer's plan, whose first restart
    /// always finishes, and the seeds): the part of a search no deadline cuts short.
    first_population: Duration,
}

/// One search: the first population, developed, then the generations. `current` is the current plan's genes
/// when the caller made them already (their centers are its medoids, which take a while on large instances);
/// `each` is called once the first population is developed and after every generation.
fn run_search(
    search: &Search<'_>,
    params: &GeneticParams,
    report: Option<&Progress>,
    current: Option<&develop::Genes>,
    each_generation: &mut dyn FnMut(&Search<'_>),
) -> Result<Searched, PlanError> {
    let problem = search.problem;
    let started = Instant::now();
    let mut initial: Vec<Individual> = Vec::new();
    let mut population = params.population.max(2);
    if params.designed > 0 {
        let t_design = Instant::now();
        let dp = DesignParams {
            seed: params.seed,
            restarts: params.designed,
            threads: params.threads,
            deadline: search.stop.deadline(),
            ..DesignParams::default()
        };
        // The designer reports to nobody here: the search reports its own progress.
        let quiet = Progress::new();
        let watch = search.stop.clone();
        let done = std::sync::atomic::AtomicBool::new(false);
        let d = std::thread::scope(|s| {
            let q = &quiet;
            let done = &done;
            s.spawn(move || {
                // Pass the planner's cancel on to the nested design.
                while !done.load(std::sync::atomic::Ordering::SeqCst) {
                    if watch.cancelled() {
                        q.cancel();
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            });
            let d = design_territories(problem, &dp, q);
            done.store(true, std::sync::atomic::Ordering::SeqCst);
            d
        })?;
        initial.push(Individual::new(develop::plan_genes(
            problem,
            &d.assignment,
            params.seed,
        )));
        // Under a deadline, the first population is sized to take at most a quarter of the time left, judging a
        // development by the designer's restarts just run (they ran side by side on the threads): a short
        // limit on a large instance then still leaves time for generations.
        if let Some(left) = search.stop.remaining() {
            let per_thread = t_design.elapsed().as_secs_f64().max(1e-3);
            let fits = 1.0 + 0.25 * left.as_secs_f64() * search.threads as f64 / per_thread;
            population = population.min((fits.floor() as usize).max(4));
        }
    }
    if let Some(cur) = &problem.current {
        if cur.iter().all(|&t| (t as usize) < problem.p()) {
            let genes = match current {
                Some(g) => develop::Genes {
                    seed: params.seed ^ 1,
                    ..g.clone()
                },
                None => develop::plan_genes(problem, cur, params.seed ^ 1),
            };
            initial.push(Individual::new(genes));
        }
    }
    let mut k = 0u64;
    // Past the deadline the rest would not be developed (k-means++ over a large instance takes a while).
    while initial.len() < population && !search.stop.reached() {
        let seed = params.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(k);
        initial.push(Individual::new(develop::random_genes(problem, seed)));
        k += 1;
    }
    let first_population = started.elapsed();
    search.develop_all(&initial);
    if let Some(e) = search.take_error() {
        return Err(e);
    }
    each_generation(search);
    let asked = params.generations.unwrap_or(MAX_GENERATIONS);
    let mut each = |g: usize| {
        each_generation(search);
        if let (Some(progress), Some(best)) = (report, search.best()) {
            let by_generations = params.generations.map_or(0.0, |n| g as f64 / n.max(1) as f64);
            let by_time = search.stop.remaining().map_or(0.0, |left| {
                let spent = started.elapsed().as_secs_f64();
                spent / (spent + left.as_secs_f64()).max(1e-9)
            });
            progress.report(ProgressReport {
                stage: format!("genetic: generation {g}"),
                fraction: by_generations.max(by_time).min(1.0),
                best_max_dev: Some(best.max_dev),
                best_travel: Some(best.travel),
                best_noncontiguous: Some(best.n_noncontiguous),
            });
        }
    };
    let generations = Genevo::default().run(search, initial, params.seed, asked, &mut each);
    if let Some(e) = search.take_error() {
        return Err(e);
    }
    Ok(Searched {
        generations,
        cancelled: search.stop.cancelled(),
        first_population,
    })
}

/// Parameters of [`explore`].
#[derive(Debug, Clone, PartialEq)]
pub struct ExploreParams {
    /// The search's parameters (seed, threads, deadline); each run of the grid gets an equal share of the time.
    pub search: GeneticParams,
    /// The balance figure of the front.
    pub figure: BalanceFigure,
    /// Tolerances searched (in the order of `search_order`); empty: [`explore_tolerances`].
    pub tolerances: Vec<f64>,
    /// Disruption budgets searched (fractions of the total; `None` for no budget), with a current plan only.
    pub budgets: Vec<Option<f64>>,
}

/// A trade-off front and how it was found.
#[derive(Debug, Clone)]
pub struct Exploration {
    /// The non-dominated plans.
    pub front: Front,
    /// The current plan's figures, when there is one.
    pub current: Option<Developed>,
    /// (tolerance, budget) of every search run.
    pub runs: Vec<(f64, Option<f64>)>,
    /// Plans developed over all runs.
    pub developed: usize,
    /// Children dropped undeveloped over all runs (see [`GeneticDesign::dropped`]).
    pub dropped: usize,
    /// The planner cancelled.
    pub cancelled: bool,
}

/// Tolerances an exploration searches: from the current plan's max deviation (at most 0.9; 0.25 without a
/// current plan) down to `tolerance`, `levels` steps in geometric progression.
pub fn explore_tolerances(current_max_dev: Option<f64>, tolerance: f64, levels: usize) -> Vec<f64> {
    let hi = current_max_dev.unwrap_or(0.25).clamp(tolerance, 0.9);
    let levels = levels.max(1);
    if levels == 1 || hi <= tolerance * 1.000_001 {
        return vec![tolerance];
    }
    (0..levels)
        .map(|k| hi * (tolerance / hi).powf(k as f64 / (levels - 1) as f64))
        .collect()
}

/// The grid of (tolerance, budget) in the order the searches run, so that a time limit too short for all of
/// them still spans the front: the tightest tolerance first, then the loosest, then the ones between by halving
/// the gaps; within a tolerance, no budget first, then the largest budget down.
fn search_order(tolerances: &[f64], budgets: &[Option<f64>]) -> Vec<(f64, Option<f64>)> {
    let mut tols: Vec<f64> = tolerances.to_vec();
    tols.sort_by(f64::total_cmp);
    let mut order: Vec<usize> = Vec::new();
    if !tols.is_empty() {
        order.push(0);
        if tols.len() > 1 {
            order.push(tols.len() - 1);
        }
        let mut gaps = std::collections::VecDeque::from([(0, tols.len() - 1)]);
        while let Some((lo, hi)) = gaps.pop_front() {
            if hi - lo < 2 {
                continue;
            }
            let mid = (lo + hi) / 2;
            order.push(mid);
            gaps.push_back((lo, mid));
            gaps.push_back((mid, hi));
        }
    }
    let mut bs: Vec<Option<f64>> = budgets.to_vec();
    // No limit first, then larger budgets before smaller.
    bs.sort_by(|a, b| match (a, b) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Less,
        (_, None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => y.total_cmp(x),
    });
    order
        .into_iter()
        .flat_map(|k| bs.iter().map(move |&b| (k, b)))
        .map(|(k, b)| (tols[k], b))
        .collect()
}

/// Explores the trade-off between balance, travel and disruption: one genetic search per (tolerance, budget)
/// of the grid, each over `problem` with that tolerance and disruption budget, every plan developed offered to
/// one front of contiguous, non-dominated plans. The current plan (when contiguous) is offered too, so the
/// front always holds a plan that moves nothing. Runs share the time left equally.
///
/// # Errors
/// [`PlanError::Flow`] if the flow solver fails.
pub fn explore(problem: &Problem, params: &ExploreParams, progress: &Progress) -> Result<Exploration, PlanError> {
    explore_observed(problem, params, progress, &mut |_| {})
}

/// [`explore`], showing the front as it grows: `on_front` gets the front found so far after each search's
/// first population and each of its generations (the searches before merged with the one running), so a
/// window can draw it while the run goes. It is called from the thread that called this function.
///
/// # Errors
/// As [`explore`].
pub fn explore_observed(
    problem: &Problem,
    params: &ExploreParams,
    progress: &Progress,
    on_front: &mut dyn FnMut(&Front),
) -> Result<Exploration, PlanError> {
    let stop = stop_of(progress, params.search.time_limit, params.search.deadline);
    let current = problem
        .current
        .as_ref()
        .filter(|c| c.iter().all(|&t| (t as usize) < problem.p()));
    let current_plan =
        current.map(|c| develop::figures(problem, crate::alignment::Alignment::new(problem, c.clone()), true));
    let mut front = Front::new(params.figure);
    if let Some(c) = &current_plan {
        front.offer(&std::sync::Arc::new(c.clone()));
    }
    let tolerances = if params.tolerances.is_empty() {
        explore_tolerances(current_plan.as_ref().map(|c| c.max_dev), problem.tolerance, 5)
    } else {
        params.tolerances.clone()
    };
    let budgets: Vec<Option<f64>> = if problem.current.is_some() && !params.budgets.is_empty() {
        params.budgets.clone()
    } else {
        vec![problem.move_budget.map(|b| b / problem.total())]
    };
    let grid = search_order(&tolerances, &budgets);
    let mut runs = Vec::new();
    let mut developed = 0;
    let mut dropped = 0;
    let started = Instant::now();
    // The quickest first population of the searches so far: a search needs about that long before anything can
    // cut it short, so one that cannot have it before the deadline is not started (it would only overrun the
    // deadline: on a loaded machine, or with a limit short for the instance, by a second or more).
    let mut quickest: Option<Duration> = None;
    // The current plan's genes, made once for every search.
    let current_genes = current.map(|c| develop::plan_genes(problem, c, params.search.seed ^ 1));
    for (k, &(tol, budget)) in grid.iter().enumerate() {
        if stop.reached() {
            break;
        }
        if let (Some(q), Some(left)) = (quickest, stop.remaining()) {
            if left < q {
                break;
            }
        }
        let mut sub = problem.clone();
        sub.tolerance = tol;
        sub.move_budget = budget.map(|b| b * problem.total());
        // Each run gets an equal share of the time left, as a deadline of its own: the grace a development cut
        // short gets (taken out of the deadline, see `Stop::leaving_grace`) is then a share of the run's time,
        // not of the whole limit's, which would leave a short run none to work in.
        let run_stop = match stop.remaining() {
            Some(left) => Stop::new(progress, Some(left / (grid.len() - k) as u32)),
            None => stop.clone(),
        };
        let search = Search::new(
            &sub,
            run_stop.leaving_grace(),
            params.search.threads,
            Some(Front::new(params.figure)),
        )
        .with_params(&params.search);
        let run_params = GeneticParams {
            seed: params.search.seed.wrapping_add(k as u64),
            population: params.search.population.min(8),
            ..params.search.clone()
        };
        let searched = run_search(&search, &run_params, None, current_genes.as_ref(), &mut |running| {
            if let Some(found) = running.front_snapshot() {
                let mut so_far = front.clone();
                so_far.merge(found);
                on_front(&so_far);
            }
        })?;
        quickest = Some(quickest.map_or(searched.first_population, |q| q.min(searched.first_population)));
        developed += search.developed();
        dropped += search.dropped().0;
        if let Some(f) = search.into_front() {
            front.merge(f);
        }
        runs.push((tol, budget));
        progress.report(ProgressReport {
            stage: format!(
                "explore: {} of {} searches, {} plans on the front",
                k + 1,
                grid.len(),
                front.len()
            ),
            fraction: ((k + 1) as f64 / grid.len() as f64).max(stop.remaining().map_or(0.0, |left| {
                let spent = started.elapsed().as_secs_f64();
                spent / (spent + left.as_secs_f64()).max(1e-9)
            })),
            best_max_dev: None,
            best_travel: None,
            best_noncontiguous: None,
        });
    }
    Ok(Exploration {
        front,
        current: current_plan,
        runs,
        developed,
        dropped,
        cancelled: stop.cancelled(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_span_the_tolerances_first_and_cover_the_grid() {
        let order = search_order(&[0.9, 0.4, 0.2, 0.1, 0.05], &[Some(0.1), None, Some(0.3)]);
        assert_eq!(order.len(), 15);
        assert_eq!(order[0], (0.05, None));
        assert_eq!(order[1], (0.05, Some(0.3)));
        assert_eq!(order[2], (0.05, Some(0.1)));
        assert_eq!(order[3], (0.9, None));
        assert_eq!(order[6].0, 0.2);
        let mut seen: Vec<(f64, Option<f64>)> = order.clone();
        seen.sort_by(|a, b| {
            a.0.total_cmp(&b.0)
                .then(a.1.unwrap_or(2.0).total_cmp(&b.1.unwrap_or(2.0)))
        });
        seen.dedup();
        assert_eq!(seen.len(), 15, "every pair once");
    }

    #[test]
    fn tolerances_run_from_the_current_plans_deviation_to_the_tolerance() {
        let t = explore_tolerances(Some(2.1), 0.05, 4);
        assert_eq!(t.len(), 4);
        assert!((t[0] - 0.9).abs() < 1e-12 && (t[3] - 0.05).abs() < 1e-12);
        assert!(t.windows(2).all(|w| w[0] > w[1]));
        assert_eq!(explore_tolerances(Some(0.03), 0.05, 4), vec![0.05]);
    }
}
