//! The certificate's lower bound against brute force on small instances.
//!
//! `certify` claims: with the final centers fixed, no plan whose every load is within the tolerance
//! (`Problem::lower(t) ..= Problem::upper(t)`) travels less than `lower_bound`, contiguity relaxed; the bound is
//! the optimum of the transportation LP (units may be split between centers), solved by min-cost flow.
//!
//! What is checked, on random instances of 2–8 units, 2–3 territories, random centers and tolerances:
//! - **valid**: `lower_bound` ≤ the least travel over every whole-unit assignment (all pᴺ of them, at most
//!   3⁸ = 6,561) that keeps every load within the bounds, whenever one exists;
//! - **not trivial**: `lower_bound` ≥ the travel of sending each unit to its nearest center (the LP without the
//!   balance rows), and equal to it, and to the brute-force minimum, when that assignment is itself balanced;
//! - **exact** for two territories: `lower_bound` equals the LP optimum computed independently (with one
//!   coupling row the LP is a fractional knapsack, solved by sorting units on their cost difference), and when
//!   that LP optimum splits no unit, it also equals the brute-force minimum (the bound is tight).
//!
//! Equalities hold to 1e-6 relative: the flow rounds weights to 1e-8 of the total, widens the bounds by that
//! much, and prices distances in whole metres. `certify` is handed each unit's farthest center as "the plan",
//! so its cap of the bound at the plan's own travel cannot hide a bound that is too high.

use proptest::prelude::*;
use tessera_optimizer::geodesy::GeoPoint;
use tessera_optimizer::{certify, Adjacency, Measure, Problem, ProblemSpec, Units};

const REL: f64 = 1e-6;

/// `a` and `b` equal to [`REL`] relative.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= REL * a.abs().max(b.abs()).max(1.0)
}

/// A random small instance: units with their weights and positions, candidate centers, tolerance.
#[derive(Debug, Clone)]
struct Case {
    weights: Vec<f64>,
    lon: Vec<f64>,
    lat: Vec<f64>,
    centers: Vec<(f64, f64)>,
    tolerance: f64,
}

fn case(max_p: usize) -> impl Strategy<Value = Case> {
    (2usize..=8, 2usize..=max_p).prop_flat_map(|(n, p)| {
        (
            proptest::collection::vec(1.0f64..4.0, n),
            proptest::collection::vec(-90.0f64..-85.0, n),
            proptest::collection::vec(30.0f64..35.0, n),
            proptest::collection::vec((-90.0f64..-85.0, 30.0f64..35.0), p),
            0.02f64..0.6,
        )
            .prop_map(|(weights, lon, lat, centers, tolerance)| Case {
                weights,
                lon,
                lat,
                centers,
                tolerance,
            })
    })
}

/// The problem of `c` (a path adjacency: contiguity plays no part in the bound) and its centers, or `None`
/// when one unit alone exceeds a territory's upper bound (then `build` refuses, rightly).
fn build(c: &Case) -> Option<(Problem, Vec<GeoPoint>)> {
    let n = c.weights.len();
    let p = c.centers.len();
    let total: f64 = c.weights.iter().sum();
    let heaviest = c.weights.iter().cloned().fold(0.0, f64::max);
    if p > n || heaviest > (1.0 + c.tolerance) * total / p as f64 {
        return None;
    }
    let units = Units::new(
        (0..n).map(|i| format!("u{i}")).collect(),
        c.lon.clone(),
        c.lat.clone(),
        vec![Measure {
            name: "workload".into(),
            values: c.weights.clone(),
        }],
    )
    .expect("unique ids");
    let edges: Vec<(u32, u32)> = (1..n as u32).map(|i| (i - 1, i)).collect();
    let adjacency = Adjacency::from_edges(n, &edges);
    let mut spec = ProblemSpec::new(&units, &adjacency, p);
    spec.tolerance = c.tolerance;
    let problem = spec.build().expect("no unit is too heavy, so the problem builds");
    let centers = c
        .centers
        .iter()
        .map(|&(lon, lat)| GeoPoint::from_degrees(lon, lat))
        .collect();
    Some((problem, centers))
}

/// Per-weight km from each unit to each center.
fn costs(problem: &Problem, centers: &[GeoPoint]) -> Vec<Vec<f64>> {
    problem
        .points
        .iter()
        .map(|u| centers.iter().map(|c| u.km(c)).collect())
        .collect()
}

fn travel(problem: &Problem, cost: &[Vec<f64>], assignment: &[u32]) -> f64 {
    assignment
        .iter()
        .enumerate()
        .map(|(i, &t)| problem.weights[i] * cost[i][t as usize])
        .sum()
}

fn balanced(problem: &Problem, assignment: &[u32]) -> bool {
    let mut load = vec![0.0; problem.p()];
    for (i, &t) in assignment.iter().enumerate() {
        load[t as usize] += problem.weights[i];
    }
    (0..problem.p()).all(|t| problem.lower(t) <= load[t] && load[t] <= problem.upper(t))
}

/// The least travel over every balanced whole-unit assignment, by enumeration; `None` when none is balanced.
fn brute_force_minimum(problem: &Problem, cost: &[Vec<f64>]) -> Option<f64> {
    let (n, p) = (problem.n(), problem.p());
    let mut assignment = vec![0u32; n];
    let mut best: Option<f64> = None;
    for code in 0..p.pow(n as u32) {
        let mut rest = code;
        for t in assignment.iter_mut() {
            *t = (rest % p) as u32;
            rest /= p;
        }
        if balanced(problem, &assignment) {
            let v = travel(problem, cost, &assignment);
            best = Some(best.map_or(v, |b: f64| b.min(v)));
        }
    }
    best
}

/// Each unit to its `pick` center by cost (nearest with `min`, farthest with `max`).
fn each_to(cost: &[Vec<f64>], farthest: bool) -> Vec<u32> {
    cost.iter()
        .map(|row| {
            let mut best = 0;
            for t in 1..row.len() {
                if (farthest && row[t] > row[best]) || (!farthest && row[t] < row[best]) {
                    best = t;
                }
            }
            best as u32
        })
        .collect()
}

/// The two-territory LP, solved independently of the flow: the load `x` sent to territory 0 must lie in
/// `[a, b]` (its own bounds and territory 1's), and each weight moved from 1 to 0 changes the cost by
/// `cost[i][0] − cost[i][1]`; so take units in increasing order of that difference, whole while it saves
/// (negative) or while the load is below `a`, up to `b`. Returns the optimum and whether a unit was split.
fn two_territory_lp(problem: &Problem, cost: &[Vec<f64>]) -> (f64, bool) {
    let total = problem.total();
    let a = problem.lower(0).max(total - problem.upper(1));
    let b = problem.upper(0).min(total - problem.lower(1));
    assert!(a <= b, "the LP is feasible: {a} > {b}");
    let mut order: Vec<usize> = (0..problem.n()).collect();
    let diff = |i: usize| cost[i][0] - cost[i][1];
    order.sort_by(|&i, &j| diff(i).total_cmp(&diff(j)));
    let mut value: f64 = (0..problem.n()).map(|i| problem.weights[i] * cost[i][1]).sum();
    let (mut load, mut split) = (0.0, false);
    for i in order {
        let w = problem.weights[i];
        let want = if diff(i) < 0.0 { b } else { a };
        if load >= want {
            break;
        }
        let x = w.min(want - load);
        split |= x < w;
        load += x;
        value += x * diff(i);
    }
    (value, split)
}

/// The certificate's bound for `problem` at `centers`, with each unit at its farthest center as "the plan".
fn bound(problem: &Problem, centers: &[GeoPoint], cost: &[Vec<f64>]) -> f64 {
    let worst = each_to(cost, true);
    let c = certify(problem, &worst, centers).expect("certify");
    assert!(c.exact, "a tiny problem is solved over every center");
    assert!(
        c.lower_bound < c.travel || close(c.lower_bound, c.travel),
        "the farthest-center plan travels less than the bound"
    );
    c.lower_bound
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_bound_is_at_most_the_brute_force_minimum_and_at_least_the_nearest_center_travel(c in case(3)) {
        let Some((problem, centers)) = build(&c) else {
            return Err(TestCaseError::reject("a unit heavier than a territory's upper bound"));
        };
        let cost = costs(&problem, &centers);
        let lb = bound(&problem, &centers, &cost);
        let nearest = each_to(&cost, false);
        let free = travel(&problem, &cost, &nearest);
        prop_assert!(lb >= free || close(lb, free), "bound {} below the unconstrained optimum {}", lb, free);
        let brute = brute_force_minimum(&problem, &cost);
        if let Some(best) = brute {
            prop_assert!(lb <= best || close(lb, best), "bound {} above the brute-force minimum {}", lb, best);
        }
        if balanced(&problem, &nearest) {
            prop_assert!(close(lb, free), "balance binds nothing, yet bound {} ≠ nearest-center travel {}", lb, free);
            prop_assert!(close(brute.expect("the nearest assignment is balanced"), free));
        }
    }

    #[test]
    fn with_two_territories_the_bound_is_the_lp_optimum_and_tight_when_no_unit_is_split(c in case(2)) {
        let Some((problem, centers)) = build(&c) else {
            return Err(TestCaseError::reject("a unit heavier than a territory's upper bound"));
        };
        let cost = costs(&problem, &centers);
        let lb = bound(&problem, &centers, &cost);
        let (lp, split) = two_territory_lp(&problem, &cost);
        prop_assert!(close(lb, lp), "bound {} ≠ LP optimum {}", lb, lp);
        let brute = brute_force_minimum(&problem, &cost);
        if let Some(best) = brute {
            prop_assert!(lb <= best || close(lb, best), "bound {} above the brute-force minimum {}", lb, best);
        }
        if !split {
            let best = brute.expect("the LP optimum splits no unit, so it is a balanced whole assignment");
            prop_assert!(close(lb, best), "the LP optimum is whole, yet bound {} ≠ brute-force minimum {}", lb, best);
        }
    }
}

/// The LP helper itself on a case worked by hand: a unit of weight 1 on center 0, two of 1.5 on center 1.
#[test]
fn the_two_territory_lp_splits_a_unit_when_balance_demands_it() {
    let c = Case {
        weights: vec![1.0, 1.5, 1.5],
        lon: vec![-90.0, -85.0, -85.0],
        lat: vec![30.0, 30.0, 30.0],
        centers: vec![(-90.0, 30.0), (-85.0, 30.0)],
        tolerance: 0.6,
    };
    // Target 2 each, ±60%: the nearest loads (1, 3) are balanced, so nothing moves: no split, no travel.
    let (problem, centers) = build(&c).expect("builds");
    let cost = costs(&problem, &centers);
    let (lp, split) = two_territory_lp(&problem, &cost);
    assert!(!split && lp.abs() < 1e-9, "{lp} {split}");
    assert!(bound(&problem, &centers, &cost).abs() < 1e-6);
    // ±20%: loads within [1.6, 2.4], so 0.6 of a unit on center 1 must go to center 0, a split.
    let (problem, centers) = build(&Case { tolerance: 0.2, ..c }).expect("builds");
    let (lp, split) = two_territory_lp(&problem, &cost);
    let d = cost[1][0];
    assert!(split);
    assert!((lp - 0.6 * d).abs() <= 1e-6 * d, "{lp} vs {}", 0.6 * d);
    assert!(close(bound(&problem, &centers, &cost), lp));
}
