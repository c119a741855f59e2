//! Property tests of the designer on random small instances: every unit assigned exactly once, locks held,
//! the disruption budget held, the same seed giving the same plan, and evaluation invariant to row order.

use proptest::prelude::*;
use tessera_optimizer::{
    design_territories, evaluate, Adjacency, DesignParams, Measure, Plan, PlanError, Problem, ProblemSpec, Progress,
    Units,
};

/// A w × h grid of units with random weights, rook adjacency.
fn grid(w: usize, h: usize, weights: &[f64]) -> (Units, Adjacency) {
    let n = w * h;
    let ids = (0..n).map(|i| format!("u{i:03}")).collect();
    let lon = (0..n).map(|i| (i % w) as f64 * 0.1).collect();
    let lat = (0..n).map(|i| (i / w) as f64 * 0.1).collect();
    let units = Units::new(
        ids,
        lon,
        lat,
        vec![Measure {
            name: "workload".into(),
            values: weights[..n].to_vec(),
        }],
    )
    .expect("unique ids");
    let mut edges = Vec::new();
    for i in 0..n as u32 {
        if (i as usize) % w + 1 < w {
            edges.push((i, i + 1));
        }
        if (i as usize) / w + 1 < h {
            edges.push((i, i + w as u32));
        }
    }
    (units, Adjacency::from_edges(n, &edges))
}

/// The built problem, when the one rule random weights can break holds: no unit heavier than a territory's
/// upper bound `(1 + tolerance) × total / p`. When it is broken, `build` must refuse with exactly that error,
/// naming the heaviest unit, and the case is rejected (proptest draws another, so every counted case runs
/// the designer). Any other build failure fails the test.
fn buildable(spec: &ProblemSpec, weights: &[f64], p: usize) -> Result<Problem, TestCaseError> {
    let total: f64 = weights.iter().sum();
    let (heaviest, &max) = weights
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .expect("units");
    let too_heavy = max > (1.0 + spec.tolerance) * total / p as f64;
    match spec.build() {
        Ok(problem) if !too_heavy => Ok(problem),
        Err(PlanError::UnitTooHeavy { id, .. }) if too_heavy => {
            prop_assert_eq!(&id, &spec.units.ids()[heaviest]);
            Err(TestCaseError::reject("a unit heavier than a territory's upper bound"))
        }
        other => Err(TestCaseError::fail(format!(
            "build gave {:?}, but a unit too heavy is {too_heavy}",
            other.map(|_| "a problem")
        ))),
    }
}

fn params(seed: u64) -> DesignParams {
    DesignParams::default().seed(seed).restarts(2).threads(1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_unit_is_assigned_once_and_locks_hold(
        w in 3usize..8, h in 3usize..8, p in 2usize..5,
        weights in proptest::collection::vec(1.0f64..10.0, 64),
        lock_unit in 0usize..9, lock_t in 0usize..4, seed in 0u64..1000,
    ) {
        let (units, adj) = grid(w, h, &weights);
        let mut spec = ProblemSpec::new(&units, &adj, p);
        spec.tolerance = 0.5; // loose, though one heavy unit can still exceed it: see `buildable`
        let lock = (lock_unit % units.len(), format!("T{}", lock_t % p + 1));
        spec.locks = vec![lock.clone()];
        let problem = buildable(&spec, &weights[..units.len()], p)?;
        let d = design_territories(&problem, &params(seed), &Progress::new()).expect("design");
        prop_assert_eq!(d.assignment.len(), units.len());
        prop_assert!(d.assignment.iter().all(|&t| (t as usize) < p));
        prop_assert_eq!(&problem.names[d.assignment[lock.0] as usize], &lock.1);
    }

    #[test]
    fn the_disruption_budget_holds(
        w in 3usize..8, h in 3usize..8,
        weights in proptest::collection::vec(1.0f64..10.0, 64),
        budget in 0.0f64..0.3, seed in 0u64..1000,
    ) {
        let (units, adj) = grid(w, h, &weights);
        // Current plan: left half / right half, which the optimizer would like to change for 3 territories.
        let cur = Plan::new((0..units.len()).map(|i| u32::from(i % w >= w / 2)).collect(), vec!["T1".into(), "T2".into()]);
        let mut spec = ProblemSpec::new(&units, &adj, 2);
        spec.tolerance = 0.5;
        spec.current = Some(&cur);
        spec.max_moved = Some(budget);
        let problem = spec.build().expect("problem");
        let d = design_territories(&problem, &params(seed), &Progress::new()).expect("design");
        let total: f64 = weights[..units.len()].iter().sum();
        let moved: f64 = (0..units.len()).filter(|&i| d.assignment[i] != cur.territory_of()[i]).map(|i| weights[i]).sum();
        prop_assert!(moved <= budget * total + 1e-9, "moved {} of {} with budget {}", moved, total, budget);
    }

    #[test]
    fn the_same_seed_gives_the_same_plan(
        w in 3usize..8, h in 3usize..8, p in 2usize..5,
        weights in proptest::collection::vec(1.0f64..10.0, 64), seed in 0u64..1000,
    ) {
        let (units, adj) = grid(w, h, &weights);
        let mut spec = ProblemSpec::new(&units, &adj, p);
        spec.tolerance = 0.3;
        let problem = spec.build().expect("problem");
        let a = design_territories(&problem, &params(seed).threads(2), &Progress::new()).expect("a");
        let b = design_territories(&problem, &params(seed).threads(1), &Progress::new()).expect("b");
        prop_assert_eq!(a.assignment, b.assignment);
    }

    #[test]
    fn evaluation_does_not_depend_on_row_order(
        w in 3usize..7, h in 3usize..7,
        weights in proptest::collection::vec(1.0f64..10.0, 49),
        labels in proptest::collection::vec(0u32..3, 49),
        rot in 1usize..40,
    ) {
        let (units, adj) = grid(w, h, &weights);
        let n = units.len();
        let plan = Plan::new(labels[..n].to_vec(), vec!["A".into(), "B".into(), "C".into()]);
        let e1 = evaluate(&units, &adj, &plan, &weights[..n], 3, &[]);
        // The same data with rows rotated.
        let perm: Vec<usize> = (0..n).map(|k| (k + rot) % n).collect();
        let units2 = Units::new(
            perm.iter().map(|&i| units.ids()[i].clone()).collect(),
            perm.iter().map(|&i| units.lon()[i]).collect(),
            perm.iter().map(|&i| units.lat()[i]).collect(),
            vec![Measure { name: "workload".into(), values: perm.iter().map(|&i| weights[i]).collect() }],
        ).expect("units");
        let mut inv = vec![0u32; n];
        for (k, &i) in perm.iter().enumerate() { inv[i] = k as u32; }
        let edges: Vec<(u32, u32)> = adj.edges().map(|(a, b)| (inv[a as usize], inv[b as usize])).collect();
        let adj2 = Adjacency::from_edges(n, &edges);
        let plan2 = Plan::new(perm.iter().map(|&i| labels[i]).collect(), plan.names().to_vec());
        let w2: Vec<f64> = perm.iter().map(|&i| weights[i]).collect();
        let e2 = evaluate(&units2, &adj2, &plan2, &w2, 3, &[]);
        prop_assert!((e1.travel - e2.travel).abs() <= 1e-9 * e1.travel.max(1.0));
        prop_assert!((e1.max_dev - e2.max_dev).abs() <= 1e-12);
        prop_assert_eq!(e1.n_noncontiguous, e2.n_noncontiguous);
    }
}

#[test]
fn a_small_grid_is_balanced_and_contiguous() {
    let weights = vec![1.0; 64];
    let (units, adj) = grid(8, 8, &weights);
    let problem = ProblemSpec::new(&units, &adj, 4).build().expect("problem");
    let d = design_territories(&problem, &params(1), &Progress::new()).expect("design");
    assert!(d.max_dev <= 0.05 + 1e-9, "max_dev {}", d.max_dev);
    assert_eq!(d.n_noncontiguous, 0);
}

#[test]
fn cancelling_still_returns_a_plan() {
    let weights = vec![1.0; 64];
    let (units, adj) = grid(8, 8, &weights);
    let problem = ProblemSpec::new(&units, &adj, 4).build().expect("problem");
    let progress = Progress::new();
    progress.cancel();
    let d = design_territories(&problem, &DesignParams::default().restarts(8), &progress).expect("design");
    assert_eq!(d.assignment.len(), 64);
    assert!(d.stopped_early);
}
