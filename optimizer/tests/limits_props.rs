//! Property tests of caps and floors ([`tessera_optimizer::limits`]) on random small instances: a limit the
//! designer says it meets is met (measured here, from the plan alone), and the searches never make a move that
//! leaves a territory further beyond a cap or floor than it was; a segment mix band ([`tessera_optimizer::mix`])
//! the designer says it keeps is kept, share by share; the genetic search and the exploration's front hold the
//! same promises.

use proptest::prelude::*;
use tessera_optimizer::alignment::Alignment;
use tessera_optimizer::contiguity::{noncontiguous_count, repair};
use tessera_optimizer::design::centers_of;
use tessera_optimizer::genetic::{design_genetic, explore, BalanceFigure, ExploreParams, GeneticParams};
use tessera_optimizer::local_search::{improve, repair_balance, repair_limits, LocalSearchParams};
use tessera_optimizer::{
    design_territories, Adjacency, DesignParams, LimitKind, LimitSpec, Measure, MixSpec, PlanError, ProblemSpec,
    Progress, Stop, Units,
};

/// A w × h grid, rook adjacency, with `workload` and `accounts` per unit.
fn grid(w: usize, h: usize, workload: &[f64], accounts: &[f64]) -> (Units, Adjacency) {
    let n = w * h;
    let units = Units::new(
        (0..n).map(|i| format!("u{i:03}")).collect(),
        (0..n).map(|i| (i % w) as f64 * 0.1).collect(),
        (0..n).map(|i| (i / w) as f64 * 0.1).collect(),
        vec![
            Measure {
                name: "workload".into(),
                values: workload[..n].to_vec(),
            },
            Measure {
                name: "accounts".into(),
                values: accounts[..n].to_vec(),
            },
        ],
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

fn limit(measure: &str, kind: LimitKind, value: f64) -> LimitSpec {
    LimitSpec {
        measure: measure.into(),
        kind,
        value,
    }
}

/// Per territory, the sum of `values` (measured from the plan, not from the optimizer's running figures).
fn loads(values: &[f64], assignment: &[u32], p: usize) -> Vec<f64> {
    let mut l = vec![0.0; p];
    for (i, &t) in assignment.iter().enumerate() {
        l[t as usize] += values[i];
    }
    l
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn a_cap_or_floor_the_designer_claims_to_meet_is_met(
        w in 3usize..8, h in 3usize..8, p in 2usize..5,
        workload in proptest::collection::vec(1.0f64..10.0, 64),
        accounts in proptest::collection::vec(0u32..12, 64),
        unit_slack in 0usize..3, account_slack in 0.0f64..0.15, floor_share in 0.8f64..1.0, seed in 0u64..1000,
    ) {
        let accounts: Vec<f64> = accounts.iter().map(|&a| f64::from(a)).collect();
        let (units, adj) = grid(w, h, &workload, &accounts);
        let n = units.len();
        let total_accounts: f64 = accounts[..n].iter().sum();
        let unit_cap = (n as f64 / p as f64).ceil() + unit_slack as f64;
        let account_cap = (total_accounts / p as f64 * (1.0 + account_slack)).ceil();
        let account_floor = (total_accounts / p as f64 * floor_share).floor();
        let mut spec = ProblemSpec::new(&units, &adj, p);
        spec.tolerance = 0.3;
        spec.limits = vec![
            limit("units", LimitKind::Cap, unit_cap),
            limit("accounts", LimitKind::Cap, account_cap),
            limit("accounts", LimitKind::Floor, account_floor),
        ];
        let problem = match spec.build() {
            Ok(problem) => problem,
            // Random weights can make the request provably impossible (a unit heavier than a territory, one unit's
            // accounts above the cap): such cases are refused before the run, which other tests check.
            Err(PlanError::UnitTooHeavy { .. } | PlanError::Limit(_)) => {
                return Err(TestCaseError::reject("provably impossible"));
            }
            Err(e) => return Err(TestCaseError::fail(format!("build: {e}"))),
        };
        let params = DesignParams::default().seed(seed).restarts(2).threads(1);
        let d = design_territories(&problem, &params, &Progress::new()).expect("design");
        let units_per = loads(&vec![1.0; n], &d.assignment, p);
        let accounts_per = loads(&accounts[..n], &d.assignment, p);
        let held = units_per.iter().all(|&u| u <= unit_cap)
            && accounts_per.iter().all(|&a| a <= account_cap + 1e-9 && a >= account_floor - 1e-9);
        // The designer's own figure agrees with the plan: 0 exactly when every limit holds.
        prop_assert_eq!(d.limit_excess == 0.0, held, "excess {} but units {:?}, accounts {:?} (cap {}, {}..{})",
            d.limit_excess, units_per, accounts_per, unit_cap, account_floor, account_cap);
    }

    #[test]
    fn a_mix_band_the_designer_claims_to_keep_is_kept(
        w in 3usize..8, h in 3usize..8, p in 2usize..5,
        workload in proptest::collection::vec(1.0f64..10.0, 64),
        counted in proptest::collection::vec(0u32..8, 64),
        a_share in proptest::collection::vec(0.0f64..1.0, 64),
        width in 0.02f64..0.3, seed in 0u64..1000,
    ) {
        let (units, adj) = grid(w, h, &workload, &vec![1.0; 64]);
        let n = units.len();
        let counted: Vec<f64> = counted[..n].iter().map(|&c| f64::from(c)).collect();
        // Each unit's A accounts: a random share of its counted ones, whole.
        let members: Vec<f64> = counted.iter().zip(&a_share).map(|(c, s)| (c * s).floor()).collect();
        let total_c: f64 = counted.iter().sum();
        prop_assume!(total_c > 0.0);
        let overall = members.iter().sum::<f64>() / total_c;
        // A band around the overall share (always possible by the sum argument), `width` wide on each side.
        let (lo, hi) = ((overall - width).max(0.0), (overall + width).min(1.0));
        let mut spec = ProblemSpec::new(&units, &adj, p);
        spec.tolerance = 0.3;
        spec.mixes = vec![MixSpec {
            label: "segment=A".into(),
            what: "accounts".into(),
            lo: Some(lo),
            hi: Some(hi),
            members: members.clone(),
            counted: counted.clone(),
            base_members: Vec::new(),
            base_counted: Vec::new(),
        }];
        let problem = match spec.build() {
            Ok(problem) => problem,
            Err(PlanError::UnitTooHeavy { .. }) => return Err(TestCaseError::reject("a unit too heavy")),
            Err(e) => return Err(TestCaseError::fail(format!("build: {e}"))),
        };
        prop_assert_eq!(problem.limits.len(), 2, "a band is a cap and a floor");
        let params = DesignParams::default().seed(seed).restarts(2).threads(1);
        let d = design_territories(&problem, &params, &Progress::new()).expect("design");
        let m = loads(&members, &d.assignment, p);
        let c = loads(&counted, &d.assignment, p);
        // Measured from the plan: a territory with no counted accounts has no share and keeps the band.
        let kept = (0..p).all(|t| c[t] == 0.0 || (m[t] / c[t] >= lo - 1e-9 && m[t] / c[t] <= hi + 1e-9));
        prop_assert_eq!(d.limit_excess == 0.0, kept, "excess {} but A {:?} of {:?}, band {}..{}",
            d.limit_excess, m, c, lo, hi);
        // And the band's own report agrees.
        prop_assert_eq!(problem.mixes[0].outside(&d.assignment, p).is_empty(), kept);
    }

    #[test]
    fn local_search_and_repairs_never_break_a_limit_that_held(
        w in 4usize..9, h in 3usize..8, p in 2usize..5,
        workload in proptest::collection::vec(1.0f64..10.0, 72),
        accounts in proptest::collection::vec(0u32..12, 72),
        slack in 0usize..2,
    ) {
        let accounts: Vec<f64> = accounts.iter().map(|&a| f64::from(a)).collect();
        let (units, adj) = grid(w, h, &workload, &accounts);
        let n = units.len();
        prop_assume!(p <= w);
        // Start from vertical stripes (contiguous), and set the limits right at the stripes' figures, so that they
        // hold, some of them exactly, and any careless move breaks one.
        let start: Vec<u32> = (0..n).map(|i| ((i % w) * p / w) as u32).collect();
        let units_per = loads(&vec![1.0; n], &start, p);
        let accounts_per = loads(&accounts[..n], &start, p);
        let unit_cap = units_per.iter().copied().fold(0.0, f64::max) + slack as f64;
        let account_cap = accounts_per.iter().copied().fold(0.0, f64::max);
        let account_floor = accounts_per.iter().copied().fold(f64::INFINITY, f64::min);
        let mut spec = ProblemSpec::new(&units, &adj, p);
        spec.tolerance = 0.05;
        spec.limits = vec![
            limit("units", LimitKind::Cap, unit_cap),
            limit("accounts", LimitKind::Cap, account_cap),
            limit("accounts", LimitKind::Floor, account_floor),
        ];
        let problem = match spec.build() {
            Ok(problem) => problem,
            Err(PlanError::UnitTooHeavy { .. }) => return Err(TestCaseError::reject("a unit too heavy")),
            Err(e) => return Err(TestCaseError::fail(format!("build: {e}"))),
        };
        let mut al = Alignment::new(&problem, start);
        prop_assert_eq!(al.limit_excess(&problem), 0.0);
        let (centers, _) = centers_of(&problem, &al.assignment);
        let stop = Stop::never();
        improve(&problem, &mut al, &centers, &LocalSearchParams::default(), &stop);
        repair_balance(&problem, &mut al, &centers, 4 * p, &stop);
        repair_limits(&problem, &mut al, &centers, 4 * p, &stop);
        improve(&problem, &mut al, &centers, &LocalSearchParams::default(), &stop);
        prop_assert_eq!(repair(&problem, &mut al, &centers), 0);
        prop_assert_eq!(noncontiguous_count(&adj, &al.assignment, p), 0);
        let units_after = loads(&vec![1.0; n], &al.assignment, p);
        let accounts_after = loads(&accounts[..n], &al.assignment, p);
        for t in 0..p {
            prop_assert!(units_after[t] <= unit_cap, "territory {} has {} units, cap {}", t, units_after[t], unit_cap);
            prop_assert!(accounts_after[t] <= account_cap + 1e-9 && accounts_after[t] >= account_floor - 1e-9,
                "territory {} has {} accounts, limits {}..{}", t, accounts_after[t], account_floor, account_cap);
        }
    }
}

/// A binding cap: without it the designer's plan puts more units in some territory than the cap allows (the dense
/// half of the grid has light units), with it every territory keeps to it, still contiguous and balanced.
#[test]
fn a_binding_unit_cap_is_met_where_the_plan_without_it_breaks_it() {
    // 12 × 8 grid: the left third's units weigh 1, the rest 3, so a workload-balanced plan packs many light units
    // into the western territories.
    let (w, h, p) = (12, 8, 4);
    let n = w * h;
    let workload: Vec<f64> = (0..n).map(|i| if i % w < 4 { 1.0 } else { 3.0 }).collect();
    let (units, adj) = grid(w, h, &workload, &vec![1.0; n]);
    let free = ProblemSpec::new(&units, &adj, p).build().expect("problem");
    let params = DesignParams::default().seed(3).restarts(4).threads(1);
    let d = design_territories(&free, &params, &Progress::new()).expect("design");
    let most = loads(&vec![1.0; n], &d.assignment, p).into_iter().fold(0.0, f64::max);
    let cap = (n as f64 / p as f64).ceil() + 2.0; // 26
    assert!(
        most > cap,
        "without the cap some territory has {most} > {cap} units: the cap binds"
    );
    let mut spec = ProblemSpec::new(&units, &adj, p);
    spec.tolerance = 0.25;
    spec.limits = vec![limit("units", LimitKind::Cap, cap)];
    let capped = spec.build().expect("problem");
    let d = design_territories(&capped, &params, &Progress::new()).expect("design");
    let per = loads(&vec![1.0; n], &d.assignment, p);
    assert!(per.iter().all(|&u| u <= cap), "units per territory {per:?}, cap {cap}");
    assert_eq!(d.limit_excess, 0.0);
    assert_eq!(d.n_noncontiguous, 0);
    assert!(d.max_dev <= 0.25 + 1e-9, "max_dev {}", d.max_dev);
}

/// A binding band: a grid whose A accounts all lie in its western third. Without the band the designer's
/// plan gives some territory far more than 40% A; with `..0.4` every territory keeps to it, contiguous and
/// balanced.
#[test]
fn a_binding_mix_band_is_kept_where_the_plan_without_it_breaks_it() {
    let (w, h, p) = (12, 8, 4);
    let n = w * h;
    let (units, adj) = grid(w, h, &vec![1.0; n], &vec![1.0; n]);
    let counted = vec![2.0; n];
    // The western 3 columns: both accounts A (24 units × 2 = 48 of 192 = 25% in all).
    let members: Vec<f64> = (0..n).map(|i| if i % w < 3 { 2.0 } else { 0.0 }).collect();
    let share = |a: &[u32]| -> Vec<f64> {
        let (m, c) = (loads(&members, a, p), loads(&counted, a, p));
        (0..p).map(|t| m[t] / c[t]).collect()
    };
    let params = DesignParams::default().seed(5).restarts(4).threads(1);
    let free = ProblemSpec::new(&units, &adj, p).build().expect("problem");
    let d = design_territories(&free, &params, &Progress::new()).expect("design");
    let most = share(&d.assignment).into_iter().fold(0.0, f64::max);
    assert!(
        most > 0.4,
        "without the band some territory has {most} A: the band binds"
    );
    let mut spec = ProblemSpec::new(&units, &adj, p);
    spec.tolerance = 0.1;
    spec.mixes = vec![MixSpec {
        label: "segment=A".into(),
        what: "accounts".into(),
        lo: None,
        hi: Some(0.4),
        members: members.clone(),
        counted: counted.clone(),
        base_members: Vec::new(),
        base_counted: Vec::new(),
    }];
    let banded = spec.build().expect("problem");
    let d = design_territories(&banded, &params, &Progress::new()).expect("design");
    let shares = share(&d.assignment);
    assert!(shares.iter().all(|&s| s <= 0.4 + 1e-9), "shares {shares:?}");
    assert_eq!(d.limit_excess, 0.0);
    assert_eq!(d.n_noncontiguous, 0);
    assert!(d.max_dev <= 0.1 + 1e-9, "max_dev {}", d.max_dev);
}

/// A small genetic search: a fixed number of generations on one thread, so the case is reproducible. Its first
/// population has no plan of the restart designer (which keeps the limits on its own): every plan is the
/// genetic development's.
fn small_genetic(seed: u64) -> GeneticParams {
    GeneticParams {
        seed,
        generations: Some(2),
        population: 4,
        threads: 1,
        designed: 0,
        ..GeneticParams::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn a_cap_or_floor_the_genetic_search_claims_to_meet_is_met(
        w in 3usize..8, h in 3usize..8, p in 2usize..5,
        workload in proptest::collection::vec(1.0f64..10.0, 64),
        accounts in proptest::collection::vec(0u32..12, 64),
        unit_slack in 0usize..3, account_slack in 0.0f64..0.15, floor_share in 0.8f64..1.0, seed in 0u64..1000,
    ) {
        let accounts: Vec<f64> = accounts.iter().map(|&a| f64::from(a)).collect();
        let (units, adj) = grid(w, h, &workload, &accounts);
        let n = units.len();
        let total_accounts: f64 = accounts[..n].iter().sum();
        let unit_cap = (n as f64 / p as f64).ceil() + unit_slack as f64;
        let account_cap = (total_accounts / p as f64 * (1.0 + account_slack)).ceil();
        let account_floor = (total_accounts / p as f64 * floor_share).floor();
        let mut spec = ProblemSpec::new(&units, &adj, p);
        spec.tolerance = 0.3;
        spec.limits = vec![
            limit("units", LimitKind::Cap, unit_cap),
            limit("accounts", LimitKind::Cap, account_cap),
            limit("accounts", LimitKind::Floor, account_floor),
        ];
        let problem = match spec.build() {
            Ok(problem) => problem,
            Err(PlanError::UnitTooHeavy { .. } | PlanError::Limit(_)) => {
                return Err(TestCaseError::reject("provably impossible"));
            }
            Err(e) => return Err(TestCaseError::fail(format!("build: {e}"))),
        };
        let g = design_genetic(&problem, &small_genetic(seed), &Progress::new()).expect("search");
        let d = &g.design;
        let units_per = loads(&vec![1.0; n], &d.assignment, p);
        let accounts_per = loads(&accounts[..n], &d.assignment, p);
        let held = units_per.iter().all(|&u| u <= unit_cap)
            && accounts_per.iter().all(|&a| a <= account_cap + 1e-9 && a >= account_floor - 1e-9);
        // The search's own figure agrees with the plan: 0 exactly when every limit holds.
        prop_assert_eq!(d.limit_excess == 0.0, held, "excess {} but units {:?}, accounts {:?} (cap {}, {}..{})",
            d.limit_excess, units_per, accounts_per, unit_cap, account_floor, account_cap);
    }
}

/// The grid of [`a_binding_unit_cap_is_met_where_the_plan_without_it_breaks_it`] with the tightest cap, 24 units
/// (96 units into 4 territories: every territory exactly 24): the western territories of a workload-balanced plan
/// hold more.
fn binding_unit_cap() -> (Units, Adjacency, f64) {
    let (w, h) = (12, 8);
    let n = w * h;
    let workload: Vec<f64> = (0..n).map(|i| if i % w < 4 { 1.0 } else { 3.0 }).collect();
    let (units, adj) = grid(w, h, &workload, &vec![1.0; n]);
    (units, adj, (n as f64 / 4.0).ceil())
}

/// The genetic search steers by a binding cap: without it its plan breaks the cap, with it every territory keeps
/// it (measured from the plan) and stays contiguous, over several seeds. (Before the search kept limits, seed 0
/// gave 27 units to one territory. The tolerance is not asserted: with every territory at exactly 24 units the
/// search's short run does not always balance them as well, and the cap comes first.)
#[test]
fn the_genetic_search_meets_a_binding_unit_cap() {
    let (units, adj, cap) = binding_unit_cap();
    let (n, p) = (units.len(), 4);
    let free = ProblemSpec::new(&units, &adj, p).build().expect("problem");
    let g = design_genetic(&free, &small_genetic(3), &Progress::new()).expect("search");
    let most = loads(&vec![1.0; n], &g.design.assignment, p)
        .into_iter()
        .fold(0.0, f64::max);
    assert!(
        most > cap,
        "without the cap some territory has {most} > {cap} units: the cap binds"
    );
    let mut spec = ProblemSpec::new(&units, &adj, p);
    spec.tolerance = 0.05;
    spec.limits = vec![limit("units", LimitKind::Cap, cap)];
    let capped = spec.build().expect("problem");
    for seed in 0..3 {
        let d = design_genetic(&capped, &small_genetic(seed), &Progress::new())
            .expect("search")
            .design;
        let per = loads(&vec![1.0; n], &d.assignment, p);
        assert!(
            per.iter().all(|&u| u <= cap),
            "seed {seed}: units per territory {per:?}, cap {cap}"
        );
        assert_eq!(d.limit_excess, 0.0, "seed {seed}");
        assert_eq!(d.n_noncontiguous, 0, "seed {seed}");
    }
}

/// Every plan on an exploration's front keeps a binding cap (measured from the plan): a plan breaking it never
/// joins a front that has one keeping it, and the search finds such plans.
#[test]
fn every_plan_on_the_front_keeps_a_binding_unit_cap() {
    let (units, adj, cap) = binding_unit_cap();
    let (n, p) = (units.len(), 4);
    let mut spec = ProblemSpec::new(&units, &adj, p);
    spec.tolerance = 0.1;
    spec.limits = vec![limit("units", LimitKind::Cap, cap)];
    let capped = spec.build().expect("problem");
    let params = ExploreParams {
        search: small_genetic(1),
        figure: BalanceFigure::MaxDev,
        tolerances: vec![0.1, 0.3],
        budgets: Vec::new(),
    };
    let found = explore(&capped, &params, &Progress::new()).expect("explores");
    assert!(!found.front.is_empty());
    assert!(found.front.keeps_limits());
    for d in found.front.plans() {
        let per = loads(&vec![1.0; n], &d.assignment, p);
        assert!(per.iter().all(|&u| u <= cap), "units per territory {per:?}, cap {cap}");
        assert_eq!(d.limit_excess, 0.0);
    }
}
