//! The genetic search and the trade-off front on small grids: plans whole, balanced and contiguous; a fixed
//! number of generations reproducible from the seed whatever the number of threads; cancel and deadline
//! honoured; the front non-dominated, every plan on it contiguous and its figures what they claim.

use std::time::{Duration, Instant};

use tessera_optimizer::contiguity::noncontiguous_count;
use tessera_optimizer::genetic::{
    design_genetic, explore, explore_observed, BalanceFigure, ExploreParams, Front, GeneticDesign, GeneticParams,
};
use tessera_optimizer::{Adjacency, Measure, Plan, Problem, ProblemSpec, Progress, Units};

/// A `w` × `h` grid of units with uneven weights (heavier towards one corner), rook adjacency.
fn grid(w: usize, h: usize) -> (Units, Adjacency) {
    let n = w * h;
    let units = Units::new(
        (0..n).map(|i| format!("u{i}")).collect(),
        (0..n).map(|i| (i % w) as f64 * 0.1).collect(),
        (0..n).map(|i| (i / w) as f64 * 0.1).collect(),
        vec![Measure {
            name: "workload".into(),
            values: (0..n).map(|i| 1.0 + ((i % w) + (i / w)) as f64 * 0.1).collect(),
        }],
    )
    .expect("units");
    let mut edges = vec![];
    for i in 0..n as u32 {
        if (i as usize) % w < w - 1 {
            edges.push((i, i + 1));
        }
        if (i as usize) / w < h - 1 {
            edges.push((i, i + w as u32));
        }
    }
    (units, Adjacency::from_edges(n, &edges))
}

fn problem(units: &Units, adj: &Adjacency, p: usize, current: Option<&Plan>) -> Problem {
    let mut spec = ProblemSpec::new(units, adj, p);
    spec.current = current;
    spec.build().expect("problem")
}

fn max_dev(problem: &Problem, assignment: &[u32]) -> f64 {
    let mut loads = vec![0.0; problem.p()];
    for (i, &t) in assignment.iter().enumerate() {
        loads[t as usize] += problem.weights[i];
    }
    (0..problem.p())
        .map(|t| ((loads[t] - problem.targets[t]) / problem.targets[t]).abs())
        .fold(0.0, f64::max)
}

/// The genetic search of `params` on one thread, then on two (a seeded run must not depend on the number).
fn on_one_and_two_threads(pr: &Problem, params: GeneticParams) -> (GeneticDesign, GeneticDesign) {
    let on = |threads| {
        design_genetic(
            pr,
            &GeneticParams {
                threads,
                ..params.clone()
            },
            &Progress::new(),
        )
        .expect("runs")
    };
    (on(1), on(2))
}

#[test]
fn a_fixed_number_of_generations_gives_the_same_balanced_contiguous_plan_on_any_number_of_threads() {
    let (units, adj) = grid(14, 12);
    let pr = problem(&units, &adj, 6, None);
    let params = GeneticParams {
        seed: 7,
        generations: Some(6),
        population: 6,
        ..GeneticParams::default()
    };
    let (one, two) = on_one_and_two_threads(&pr, params);
    assert_eq!(one.design.assignment, two.design.assignment, "threads changed the plan");
    assert_eq!(one.generations, 6);
    assert!(one.design.stopped_by.is_none());
    let d = &one.design;
    assert_eq!(d.assignment.len(), pr.n());
    assert!(d.assignment.iter().all(|&t| (t as usize) < pr.p()));
    assert_eq!(noncontiguous_count(&pr.adjacency, &d.assignment, pr.p()), 0);
    assert!(max_dev(&pr, &d.assignment) <= 0.05 + 1e-9, "max dev {}", d.max_dev);
    assert!((max_dev(&pr, &d.assignment) - d.max_dev).abs() < 1e-12);
    // More generations never return a worse plan (elitism, and the best plan ever developed is kept).
    let longer = design_genetic(
        &pr,
        &GeneticParams {
            seed: 7,
            generations: Some(12),
            population: 6,
            threads: 2,
            ..GeneticParams::default()
        },
        &Progress::new(),
    )
    .expect("runs");
    assert!(longer.design.travel <= d.travel * (1.0 + 1e-12));
}

#[test]
fn a_seeded_run_with_fresh_populations_is_reproducible_on_any_number_of_threads() {
    // A population replaced after two generations without a better plan: several epochs in 24 generations, each
    // population drawn from the seed, so the plan is still the seed's alone.
    let (units, adj) = grid(12, 10);
    let pr = problem(&units, &adj, 5, None);
    let params = GeneticParams {
        seed: 3,
        generations: Some(24),
        population: 5,
        restart_after: 2,
        ..GeneticParams::default()
    };
    let (one, two) = on_one_and_two_threads(&pr, params);
    assert!(one.restarts >= 2, "{} fresh populations", one.restarts);
    assert_eq!(one.restarts, two.restarts);
    assert_eq!(one.design.assignment, two.design.assignment, "threads changed the plan");
    assert_eq!(one.dropped, 0);
    assert_eq!(noncontiguous_count(&pr.adjacency, &one.design.assignment, pr.p()), 0);
    assert!(max_dev(&pr, &one.design.assignment) <= 0.05 + 1e-9);
}

#[test]
fn cancel_and_deadline_end_the_search_with_a_whole_plan() {
    let (units, adj) = grid(20, 20);
    let pr = problem(&units, &adj, 8, None);
    let progress = Progress::new();
    progress.cancel();
    let t = Instant::now();
    let g = design_genetic(&pr, &GeneticParams::default(), &progress).expect("runs");
    assert!(t.elapsed() < Duration::from_secs(5), "cancel took {:?}", t.elapsed());
    assert_eq!(g.design.assignment.len(), pr.n());
    assert_eq!(g.design.stopped_by, Some(tessera_optimizer::StoppedBy::Cancel));

    let t = Instant::now();
    let g = design_genetic(
        &pr,
        &GeneticParams {
            time_limit: Some(Duration::from_millis(700)),
            ..GeneticParams::default()
        },
        &Progress::new(),
    )
    .expect("runs");
    assert!(
        t.elapsed() < Duration::from_secs(4),
        "deadline overrun: {:?}",
        t.elapsed()
    );
    assert_eq!(noncontiguous_count(&pr.adjacency, &g.design.assignment, pr.p()), 0);
}

#[test]
fn the_front_is_non_dominated_and_every_plan_is_what_it_claims() {
    let (units, adj) = grid(12, 10);
    // The current plan: six vertical stripes of two columns, unbalanced since weights grow to one corner.
    let current = Plan::new(
        (0..units.len()).map(|i| ((i % 12) / 2) as u32).collect(),
        (1..=6).map(|k| format!("S{k}")).collect(),
    );
    let pr = problem(&units, &adj, 6, Some(&current));
    let params = ExploreParams {
        search: GeneticParams {
            seed: 1,
            generations: Some(3),
            population: 4,
            ..GeneticParams::default()
        },
        figure: BalanceFigure::MaxDev,
        tolerances: vec![0.2, 0.05],
        budgets: vec![Some(0.1), None],
    };
    let found = explore(&pr, &params, &Progress::new()).expect("explores");
    assert_eq!(found.runs.len(), 4);
    let plans = found.front.plans();
    assert!(plans.len() >= 2, "a front of {} plans", plans.len());
    for a in &plans {
        for b in &plans {
            assert!(!Front::dominates(found.front.objectives(a), found.front.objectives(b)));
        }
    }
    let cur = pr.current.as_ref().expect("current");
    for d in &plans {
        assert_eq!(d.assignment.len(), pr.n());
        assert_eq!(noncontiguous_count(&pr.adjacency, &d.assignment, pr.p()), 0);
        assert!((max_dev(&pr, &d.assignment) - d.max_dev).abs() < 1e-12);
        let moved: f64 = (0..pr.n())
            .filter(|&i| d.assignment[i] != cur[i])
            .map(|i| pr.weights[i])
            .sum::<f64>()
            / pr.total();
        assert!(
            (moved - d.moved_fraction).abs() < 1e-12,
            "moved {moved} claimed {}",
            d.moved_fraction
        );
    }
    // The stripes are contiguous, so the current plan (nothing moved) is on the front unless a plan moving
    // nothing beats it, which cannot be: it is the only plan that moves nothing.
    assert!(plans.iter().any(|d| d.moved_fraction == 0.0));
    // Some plan on the front balances better than the current plan.
    let current_dev = found.current.as_ref().expect("current figures").max_dev;
    assert!(
        plans.iter().any(|d| d.max_dev < current_dev * 0.5),
        "current {current_dev}"
    );
}

/// The deadline of an exploration holds for the whole run (limit × 1.05 + 0.5 s), on a grid of 12,000 units
/// where a development takes more than a search's share of the limit (15 searches share it). Before the
/// searches stopped starting developments, seeds and mutations once the deadline passed (and abandoned the
/// developments it cut short before local search), this took 2.3 s for 1.5 s and 7.2 s for 3 s (and
/// `tessera explore` 63.5 s for 60 s on conus at load 14). The front grows while the run goes, and what it
/// showed last is the front returned.
#[test]
fn an_exploration_ends_by_its_deadline_and_shows_its_front_growing() {
    let (units, adj) = grid(120, 100);
    // The current plan: 60 vertical stripes of two columns, contiguous and unbalanced.
    let current = Plan::new(
        (0..units.len()).map(|i| ((i % 120) / 2) as u32).collect(),
        (1..=60).map(|k| format!("S{k}")).collect(),
    );
    let pr = problem(&units, &adj, 60, Some(&current));
    for limit in [1.5, 3.0] {
        let started = Instant::now();
        let params = ExploreParams {
            search: GeneticParams {
                seed: 3,
                deadline: Some(started + Duration::from_secs_f64(limit)),
                // The restart designer's first plan always finishes, however long it takes (design.rs): the
                // searches here start from k-means++ seeds and the current plan, the part a deadline governs.
                designed: 0,
                ..GeneticParams::default()
            },
            figure: BalanceFigure::MaxDev,
            tolerances: Vec::new(),
            budgets: vec![Some(0.1), Some(0.3), None],
        };
        let mut shown: Vec<usize> = Vec::new();
        let found =
            explore_observed(&pr, &params, &Progress::new(), &mut |front| shown.push(front.len())).expect("explores");
        let wall = started.elapsed().as_secs_f64();
        assert!(
            wall <= limit * 1.05 + 0.5,
            "limit {limit} s: the exploration took {wall:.2} s ({} searches, {} plans developed)",
            found.runs.len(),
            found.developed
        );
        assert!(!found.front.is_empty());
        assert!(!shown.is_empty(), "the front was shown while it grew");
        // The current plan is on the front from the start, and the front shown last is the one returned.
        assert!(shown.iter().all(|&n| n >= 1), "{shown:?}");
        assert_eq!(shown.last(), Some(&found.front.len()), "{shown:?}");
    }
}
