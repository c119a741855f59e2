//! Tests of the network simplex: hand-made networks, and property tests against an independent reference
//! solver (successive shortest paths with Bellman–Ford) on random small networks.

use super::simplex::Simplex;
use super::*;
use proptest::collection::vec;
use proptest::prelude::*;

type Arc = (usize, usize, i64, i64);

fn network(n: usize, arcs: &[Arc], supply: &[i64]) -> (FlowNetwork, Vec<ArcId>) {
    let mut net = FlowNetwork::new(n);
    let ids = arcs.iter().map(|&(f, t, c, w)| net.add_arc(f, t, c, w)).collect();
    for (v, &b) in supply.iter().enumerate() {
        net.set_supply(v, b);
    }
    (net, ids)
}

/// Asserts bounds, conservation, the reported cost and complementary slackness: together a proof of optimality.
fn assert_optimal(n: usize, arcs: &[Arc], supply: &[i64], sol: &FlowSolution) {
    let mut net_out = vec![0i64; n];
    let mut cost = 0i128;
    for (k, &(f, t, c, w)) in arcs.iter().enumerate() {
        let x = sol.flows()[k];
        assert!((0..=c).contains(&x), "arc {k} flow {x} outside [0, {c}]");
        net_out[f] += x;
        net_out[t] -= x;
        cost += x as i128 * w as i128;
        let rc = w - sol.potential(f) + sol.potential(t);
        if x < c {
            assert!(rc >= 0, "arc {k} below capacity with reduced cost {rc} < 0");
        }
        if x > 0 {
            assert!(rc <= 0, "arc {k} with flow and reduced cost {rc} > 0");
        }
    }
    assert_eq!(net_out, supply, "flow conservation");
    assert_eq!(cost, sol.cost, "reported cost");
}

fn solve_checked(n: usize, arcs: &[Arc], supply: &[i64]) -> Result<FlowSolution, FlowError> {
    let (net, _) = network(n, arcs, supply);
    let res = net.solve();
    // The same run again with every tree invariant checked after every pivot.
    let checked = Simplex::new(supply, arcs.len(), arcs.iter().copied()).and_then(|s| s.run_checked());
    match (&res, checked) {
        (Ok(a), Ok(b)) => assert_eq!(a.cost, b.cost),
        (Err(a), Err(b)) => assert_eq!(a, &b),
        (a, b) => panic!("solve and checked run disagree: {a:?} vs {:?}", b.map(|s| s.cost)),
    }
    if let Ok(sol) = &res {
        assert_optimal(n, arcs, supply, sol);
    }
    res
}

/// Reference: saturate negative arcs, then successive shortest paths (Bellman–Ford) from a super source to a
/// super sink. Returns the optimal cost, or None when infeasible. Written independently of the simplex.
fn reference_cost(n: usize, arcs: &[Arc], supply: &[i64]) -> Option<i128> {
    let mut excess = supply.to_vec();
    let mut base = 0i128;
    // Residual arcs: (from, to, residual, cost); arc 2k forward, 2k+1 backward.
    let mut res: Vec<(usize, usize, i64, i64)> = Vec::new();
    for &(f, t, c, w) in arcs {
        if w < 0 {
            base += c as i128 * w as i128;
            excess[f] -= c;
            excess[t] += c;
            res.push((f, t, 0, w));
            res.push((t, f, c, -w));
        } else {
            res.push((f, t, c, w));
            res.push((t, f, 0, -w));
        }
    }
    let (s, t) = (n, n + 1);
    let mut need = 0i64;
    for (v, &e) in excess.iter().enumerate() {
        if e > 0 {
            res.push((s, v, e, 0));
            res.push((v, s, 0, 0));
            need += e;
        } else if e < 0 {
            res.push((v, t, -e, 0));
            res.push((t, v, 0, 0));
        }
    }
    let mut cost = base;
    let mut sent = 0i64;
    loop {
        let mut dist = vec![i128::MAX; n + 2];
        let mut via = vec![usize::MAX; n + 2];
        dist[s] = 0;
        for _ in 0..n + 2 {
            let mut changed = false;
            for (k, &(a, b, r, w)) in res.iter().enumerate() {
                if r > 0 && dist[a] != i128::MAX && dist[a] + (w as i128) < dist[b] {
                    dist[b] = dist[a] + w as i128;
                    via[b] = k;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        if dist[t] == i128::MAX {
            break;
        }
        let mut push = i64::MAX;
        let mut v = t;
        while v != s {
            let k = via[v];
            push = push.min(res[k].2);
            v = res[k].0;
        }
        let mut v = t;
        while v != s {
            let k = via[v];
            res[k].2 -= push;
            res[k ^ 1].2 += push;
            v = res[k].0;
        }
        cost += push as i128 * dist[t];
        sent += push;
    }
    (sent == need).then_some(cost)
}

#[test]
fn path_carries_everything() {
    let arcs = [(0, 1, 10, 2), (1, 2, 10, 3), (2, 3, 10, 1)];
    let sol = solve_checked(4, &arcs, &[4, 0, 0, -4]).expect("solvable");
    assert_eq!(sol.flows(), &[4, 4, 4]);
    assert_eq!(sol.cost, 24);
}

#[test]
fn parallel_arcs_fill_cheapest_first() {
    let arcs = [(0, 1, 2, 5), (0, 1, 3, 1), (0, 1, 10, 3), (0, 1, INF, 9)];
    let sol = solve_checked(2, &arcs, &[7, -7]).expect("solvable");
    assert_eq!(sol.flows(), &[0, 3, 4, 0]);
    assert_eq!(sol.cost, 3 + 12);
}

#[test]
fn zero_cost_cycle_is_harmless() {
    let arcs = [(0, 1, 5, 0), (1, 2, 5, 0), (2, 0, 5, 0), (1, 3, 5, 2), (2, 3, 5, 1)];
    let sol = solve_checked(4, &arcs, &[3, 0, 0, -3]).expect("solvable");
    assert_eq!(sol.cost, 3);
}

#[test]
fn negative_cycle_with_finite_capacity_is_saturated() {
    let arcs = [(0, 1, 3, -1), (1, 0, 2, -1), (0, 2, 1, 4)];
    let sol = solve_checked(3, &arcs, &[0, 0, 0]).expect("solvable");
    assert_eq!(sol.flows(), &[2, 2, 0]);
    assert_eq!(sol.cost, -4);
}

#[test]
fn negative_loop_is_saturated() {
    let sol = solve_checked(1, &[(0, 0, 4, -3), (0, 0, 4, 3)], &[0]).expect("solvable");
    assert_eq!(sol.flows(), &[4, 0]);
    assert_eq!(sol.cost, -12);
}

#[test]
fn uncapacitated_negative_cycle_is_unbounded() {
    let arcs = [(0, 1, INF, -2), (1, 0, INF, 1)];
    assert_eq!(solve_checked(2, &arcs, &[0, 0]), Err(FlowError::Unbounded));
}

#[test]
fn unbounded_cycle_through_an_arc_with_flow_is_detected() {
    // Regression: an uncapacitated arc already carrying flow looked like it had finite room (INF − flow), so the
    // negative cycle was "augmented" by nearly i64::MAX instead of being reported.
    let arcs = [(0, 1, INF, 0), (1, 0, INF, -1)];
    assert_eq!(solve_checked(2, &arcs, &[-1, 1]), Err(FlowError::Unbounded));
}

#[test]
fn capacities_too_large_to_add_report_overflow() {
    let (net, _) = network(2, &[(0, 1, INF / 2, 1), (0, 1, INF / 2, 2)], &[1, -1]);
    assert!(matches!(net.solve(), Err(FlowError::Overflow { .. })));
}

#[test]
fn degenerate_transportation_with_ties() {
    // Every supply exactly fills a sink and all costs tie: many zero-flow basic arcs, degenerate pivots.
    let mut arcs = Vec::new();
    for i in 0..4 {
        for j in 0..4 {
            arcs.push((i, 4 + j, INF, 1));
        }
    }
    let sol = solve_checked(8, &arcs, &[2, 2, 2, 2, -2, -2, -2, -2]).expect("solvable");
    assert_eq!(sol.cost, 8);
}

#[test]
fn insufficient_capacity_is_infeasible() {
    let arcs = [(0, 1, 2, 1), (1, 2, 10, 1)];
    match solve_checked(3, &arcs, &[5, 0, -5]) {
        Err(FlowError::Infeasible { unrouted, .. }) => assert_eq!(unrouted, 3),
        other => panic!("expected infeasible, got {other:?}"),
    }
}

#[test]
fn unbalanced_supplies_are_rejected() {
    let (net, _) = network(2, &[(0, 1, 5, 1)], &[3, -2]);
    assert_eq!(net.solve(), Err(FlowError::Unbalanced { supply_sum: 1 }));
}

#[test]
fn isolated_node_without_supply_is_fine() {
    let sol = solve_checked(3, &[(0, 2, 5, 7)], &[2, 0, -2]).expect("solvable");
    assert_eq!(sol.cost, 14);
}

#[test]
fn isolated_node_with_supply_is_infeasible() {
    match solve_checked(3, &[(0, 2, 5, 7)], &[2, 1, -3]) {
        Err(FlowError::Infeasible { node, unrouted }) => {
            assert_eq!(unrouted, 1);
            assert!(node == 1 || node == 2);
        }
        other => panic!("expected infeasible, got {other:?}"),
    }
}

#[test]
fn empty_network_costs_nothing() {
    let sol = solve_checked(0, &[], &[]).expect("solvable");
    assert_eq!(sol.cost, 0);
}

#[test]
fn huge_costs_report_overflow() {
    let (net, _) = network(2, &[(0, 1, 1, i64::MAX / 4)], &[1, -1]);
    assert!(matches!(net.solve(), Err(FlowError::Overflow { .. })));
}

#[test]
fn potentials_price_the_bottleneck() {
    // 0 → 2 cheap but capacity 1; 0 → 1 → 2 dearer. The saturated arc's reduced cost is the saving it offers.
    let arcs = [(0, 2, 1, 1), (0, 1, INF, 2), (1, 2, INF, 2)];
    let (net, ids) = network(3, &arcs, &[3, 0, -3]);
    let sol = net.solve().expect("solvable");
    assert_eq!(sol.cost, 1 + 2 * 4);
    assert_eq!(net.reduced_cost(&sol, ids[0]), -3);
    assert_eq!(sol.potential(0) - sol.potential(2), 4);
}

#[test]
fn transportation_example_and_prices() {
    let arcs = [(0, 0, 1), (0, 1, 5), (1, 0, 1), (1, 1, 2), (2, 1, 3)];
    let sol = transportation(&[3, 2, 0], &[3, 3], &arcs).expect("solvable");
    assert_eq!(sol.flows(), &[3, 0, 0, 2, 0]);
    assert_eq!(sol.cost, 7);
    // Each shipping arc minimises cost + sink price over its source's arcs.
    for (k, &(i, j, c)) in arcs.iter().enumerate() {
        let reduced = c + sol.sink_price(j) - sol.source_potential(i);
        assert!(reduced >= 0);
        if sol.flow(k) > 0 {
            assert_eq!(reduced, 0);
        }
    }
}

#[test]
fn transportation_short_of_capacity_is_infeasible() {
    let r = transportation(&[3, 2], &[2, 2], &[(0, 0, 1), (1, 1, 1)]);
    assert_eq!(r, Err(FlowError::Infeasible { node: 0, unrouted: 1 }));
}

#[test]
fn transportation_source_reaching_only_full_sinks_is_infeasible() {
    // Both sources can only reach sink 0 (capacity 3); sink 1 is unreachable. A source is named, not a sink.
    let r = transportation(&[3, 2], &[3, 9], &[(0, 0, 1), (1, 0, 1)]);
    assert!(
        matches!(
            r,
            Err(FlowError::Infeasible {
                unrouted: 2,
                node: 0 | 1
            })
        ),
        "{r:?}"
    );
}

#[test]
fn infeasible_flow_names_the_node_where_it_gets_stuck() {
    // Node 1 receives 5 but can pass on only 2: the supply gets stuck at transit node 1.
    let arcs = [(0, 1, 10, 1), (1, 2, 2, 1)];
    assert_eq!(
        solve_checked(3, &arcs, &[5, 0, -5]),
        Err(FlowError::Infeasible { node: 1, unrouted: 3 })
    );
}

#[test]
fn transportation_with_escape_is_feasible() {
    // Sink 2 is the escape: ample capacity, expensive.
    let sol = transportation(&[3, 2], &[3, 9, 5], &[(0, 0, 1), (1, 0, 1), (0, 2, 100), (1, 2, 100)]).expect("solvable");
    assert_eq!(sol.cost, 3 + 200);
}

#[test]
fn warm_start_after_a_large_cost_rise_resizes_big_m() {
    // Raising a cost far above the old maximum must not let flow escape through the artificial root.
    let arcs = [(0, 1, INF, 1), (0, 2, INF, 2), (2, 1, INF, 1)];
    let (net, ids) = network(3, &arcs, &[5, -5, 0]);
    let mut solver = net.solver().expect("balanced");
    assert_eq!(solver.solve().expect("feasible").cost, 5);
    solver.set_cost(ids[0], 1_000_000).expect("in range");
    let sol = solver.solve().expect("still feasible");
    assert_eq!(sol.cost, 15);
    assert_optimal(
        3,
        &[(0, 1, INF, 1_000_000), (0, 2, INF, 2), (2, 1, INF, 1)],
        &[5, -5, 0],
        &sol,
    );
}

#[test]
fn warm_start_rejects_overflowing_cost() {
    let (net, ids) = network(2, &[(0, 1, 3, 1)], &[1, -1]);
    let mut solver = net.solver().expect("balanced");
    assert!(matches!(
        solver.set_cost(ids[0], i64::MAX / 2),
        Err(FlowError::Overflow { .. })
    ));
    assert_eq!(solver.solve().expect("feasible").cost, 1);
}

fn arb_network() -> impl Strategy<Value = (usize, Vec<Arc>, Vec<i64>)> {
    (1usize..=7)
        .prop_flat_map(|n| {
            let arc = (0..n, 0..n, 0i64..=6, -5i64..=10, 0u8..4)
                .prop_map(|(f, t, c, w, k)| (f, t, if k == 0 && w >= 0 { INF } else { c }, w));
            (Just(n), vec(arc, 0..=14), vec(-6i64..=6, n))
        })
        .prop_map(|(n, arcs, mut supply)| {
            let rest: i64 = supply[..n - 1].iter().sum();
            supply[n - 1] = -rest;
            (n, arcs, supply)
        })
}

/// True when the uncapacitated arcs alone hold a negative-cost cycle (Bellman–Ford from a virtual source).
fn has_uncapacitated_negative_cycle(n: usize, arcs: &[Arc]) -> bool {
    let mut dist = vec![0i64; n];
    for _ in 0..=n {
        let mut changed = false;
        for &(f, t, c, w) in arcs {
            if c == INF && dist[f] + w < dist[t] {
                dist[t] = dist[f] + w;
                changed = true;
            }
        }
        if !changed {
            return false;
        }
    }
    true
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn unbounded_networks_are_detected(
        (n, mut arcs, supply) in arb_network(),
        negative_inf in vec((0usize..7, 0usize..7, -4i64..=3), 1..=4),
    ) {
        // Uncapacitated arcs of any sign: some networks now have a negative cycle of unlimited capacity.
        arcs.extend(negative_inf.into_iter().map(|(f, t, w)| (f % n, t % n, INF, w)));
        let unbounded = has_uncapacitated_negative_cycle(n, &arcs);
        let ours = solve_checked(n, &arcs, &supply);
        if unbounded {
            // Infeasibility may be found first, or the unbounded cycle; never a finite optimum.
            prop_assert!(matches!(ours, Err(FlowError::Unbounded | FlowError::Infeasible { .. })), "{:?}", ours);
        } else {
            // Without a negative uncapacitated cycle some optimum carries at most the total supply plus the
            // finite capacities on any arc; the reference needs that bound to saturate negative arcs.
            let bound = supply.iter().map(|b| b.abs()).sum::<i64>()
                + arcs.iter().filter(|a| a.2 != INF).map(|a| a.2).sum::<i64>()
                + 1;
            let bounded: Vec<Arc> = arcs.iter().map(|&(f, t, c, w)| (f, t, c.min(bound), w)).collect();
            let reference = reference_cost(n, &bounded, &supply);
            match (ours, reference) {
                (Ok(sol), Some(c)) => prop_assert_eq!(sol.cost, c),
                (Err(FlowError::Infeasible { .. }), None) => {}
                (o, r) => prop_assert!(false, "simplex {:?} vs reference {:?}", o, r),
            }
        }
    }

    #[test]
    fn simplex_matches_reference((n, arcs, supply) in arb_network()) {
        let ours = solve_checked(n, &arcs, &supply);
        let reference = reference_cost(n, &arcs, &supply);
        match (ours, reference) {
            (Ok(sol), Some(c)) => prop_assert_eq!(sol.cost, c),
            (Err(FlowError::Infeasible { .. }), None) => {}
            (o, r) => prop_assert!(false, "simplex {:?} vs reference {:?}", o, r),
        }
    }

    #[test]
    fn warm_start_after_cost_changes_is_optimal(
        (n, arcs, supply) in arb_network(),
        changes in vec(vec((0usize..14, -5i64..=10), 1..=5), 1..=4),
    ) {
        let (net, ids) = network(n, &arcs, &supply);
        let mut solver = net.solver().expect("balanced by construction");
        solver.simplex.check = true;
        let first = solver.solve();
        let mut arcs = arcs.clone();
        for round in changes {
            if arcs.is_empty() {
                break;
            }
            for (k, w) in round {
                let k = k % arcs.len();
                // Uncapacitated arcs keep non-negative costs: no unbounded instances.
                let w = if arcs[k].2 == INF { w.abs() } else { w };
                arcs[k].3 = w;
                solver.set_cost(ids[k], w).expect("small costs");
            }
            let warm = solver.solve();
            let reference = reference_cost(n, &arcs, &supply);
            match (warm, reference) {
                (Ok(sol), Some(c)) => {
                    prop_assert_eq!(sol.cost, c);
                    assert_optimal(n, &arcs, &supply, &sol);
                }
                (Err(FlowError::Infeasible { .. }), None) => prop_assert!(first.is_err()),
                (o, r) => prop_assert!(false, "warm {:?} vs reference {:?}", o, r),
            }
        }
    }

    #[test]
    fn pricing_some_arcs_first_reaches_the_same_optimum(
        (n, arcs, supply) in arb_network(),
        first in 0usize..16,
        changes in vec((0usize..14, 0i64..=10), 0..=4),
    ) {
        let (net, ids) = network(n, &arcs, &supply);
        let mut solver = net.solver().expect("balanced by construction");
        solver.simplex.check = true;
        solver.price_first(first);
        let mut arcs = arcs.clone();
        // Two solves: cold, then warm after cost changes (each solve prices the first arcs first again).
        for round in [vec![], changes] {
            for (k, w) in round {
                if arcs.is_empty() {
                    break;
                }
                let k = k % arcs.len();
                arcs[k].3 = w;
                solver.set_cost(ids[k], w).expect("small costs");
            }
            match (solver.solve(), reference_cost(n, &arcs, &supply)) {
                (Ok(sol), Some(c)) => {
                    prop_assert_eq!(sol.cost, c);
                    assert_optimal(n, &arcs, &supply, &sol);
                }
                (Err(FlowError::Infeasible { .. }), None) => {}
                (o, r) => prop_assert!(false, "priced first {:?} vs reference {:?}", o, r),
            }
        }
    }

    #[test]
    fn warm_start_after_retargeting_idle_arcs_is_optimal(
        (n, arcs, supply) in arb_network(),
        moves in vec((0usize..14, 0usize..8, 0i64..=10), 1..=6),
    ) {
        let (net, ids) = network(n, &arcs, &supply);
        let mut solver = net.solver().expect("balanced by construction");
        solver.simplex.check = true;
        let _ = solver.solve();
        let mut arcs = arcs.clone();
        for (k, to, w) in moves {
            if arcs.is_empty() {
                break;
            }
            let k = k % arcs.len();
            let to = to % n;
            let w = if arcs[k].2 == INF { w.abs() } else { w };
            let idle = solver.simplex.flow_on(ids[k].0) == 0;
            if solver.retarget(ids[k], to) {
                prop_assert!(idle, "an arc with flow was retargeted");
                arcs[k].1 = to;
                prop_assert_eq!(solver.head(ids[k]), to);
            } else {
                prop_assert_eq!(solver.head(ids[k]), arcs[k].1, "a refused retarget changed the arc");
            }
            arcs[k].3 = w;
            solver.set_cost(ids[k], w).expect("small costs");
            let warm = solver.solve();
            let reference = reference_cost(n, &arcs, &supply);
            match (warm, reference) {
                (Ok(sol), Some(c)) => {
                    prop_assert_eq!(sol.cost, c);
                    assert_optimal(n, &arcs, &supply, &sol);
                }
                (Err(FlowError::Infeasible { .. }), None) => {}
                (o, r) => prop_assert!(false, "warm {:?} vs reference {:?}", o, r),
            }
        }
    }

    #[test]
    fn warm_transportation_matches_cold(
        supplies in vec(0i64..=9, 1..=5),
        capacities in vec(0i64..=15, 1..=3),
        raw in vec((0usize..5, 0usize..3, 0i64..=20), 1..=12),
        changes in vec((0usize..12, 0i64..=30), 1..=8),
    ) {
        let (s, t) = (supplies.len(), capacities.len());
        let mut arcs: Vec<(usize, usize, i64)> = raw.into_iter().map(|(i, j, c)| (i % s, j % t, c)).collect();
        let Ok(mut solver) = TransportSolver::new(&supplies, &capacities, &arcs) else { return Ok(()); };
        solver.simplex.check = true;
        let _ = solver.solve();
        for (k, w) in changes {
            let k = k % arcs.len();
            arcs[k].2 = w;
            solver.set_cost(k, w).expect("small costs");
            let cold = transportation(&supplies, &capacities, &arcs);
            match (solver.solve(), cold) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a.cost, b.cost),
                // The named node is one witness among possibly several; the amount is determined.
                (Err(FlowError::Infeasible { unrouted: a, .. }), Err(FlowError::Infeasible { unrouted: b, .. })) => {
                    prop_assert_eq!(a, b)
                }
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                (a, b) => prop_assert!(false, "warm {:?} vs cold {:?}", a, b),
            }
        }
    }

    #[test]
    fn transportation_matches_reference(
        supplies in vec(0i64..=9, 1..=4),
        capacities in vec(0i64..=12, 1..=3),
        raw in vec((0usize..4, 0usize..3, -3i64..=20), 0..=10),
    ) {
        let (s, t) = (supplies.len(), capacities.len());
        let arcs: Vec<(usize, usize, i64)> = raw.into_iter().map(|(i, j, c)| (i % s, j % t, c)).collect();
        let total: i64 = supplies.iter().sum();
        // Same problem as a general network: sources, sinks, super sink.
        let mut general: Vec<Arc> = arcs.iter().map(|&(i, j, c)| (i, s + j, INF, c)).collect();
        general.extend(capacities.iter().enumerate().map(|(j, &c)| (s + j, s + t, c, 0)));
        // Negative costs on uncapacitated arcs are fine here: no cycles, flows bounded by the supplies.
        let mut supply = supplies.clone();
        supply.extend(std::iter::repeat_n(0, t));
        supply.push(-total);
        let bounded: Vec<Arc> = general.iter().map(|&(f, to, c, w)| (f, to, c.min(total), w)).collect();
        let reference = reference_cost(s + t + 1, &bounded, &supply);
        match (transportation(&supplies, &capacities, &arcs), reference) {
            (Ok(sol), Some(c)) => {
                prop_assert_eq!(sol.cost, c);
                let mut got = vec![0i64; t];
                for (k, &(i, j, c)) in arcs.iter().enumerate() {
                    got[j] += sol.flow(k);
                    let reduced = c + sol.sink_price(j) - sol.source_potential(i);
                    prop_assert!(reduced >= 0);
                    if sol.flow(k) > 0 { prop_assert_eq!(reduced, 0); }
                }
                for j in 0..t {
                    prop_assert!(got[j] <= capacities[j]);
                    prop_assert!(sol.sink_price(j) >= 0);
                    if sol.sink_price(j) > 0 { prop_assert_eq!(got[j], capacities[j]); }
                }
            }
            (Err(FlowError::Infeasible { .. }), None) => {}
            (o, r) => prop_assert!(false, "transportation {:?} vs reference {:?}", o, r),
        }
    }
}

#[test]
fn an_interrupted_solve_resumes_to_the_same_optimum() {
    // A transportation problem big enough to need many pivots: 300 sources, 12 sinks, every arc.
    let (sources, sinks) = (300usize, 12usize);
    let mut net = FlowNetwork::new(sources + sinks);
    for i in 0..sources {
        net.set_supply(i, 10);
        for j in 0..sinks {
            let cost = ((i * 7919 + j * 104_729) % 1000) as i64;
            net.add_arc(i, sources + j, INF, cost);
        }
    }
    for j in 0..sinks {
        net.set_supply(sources + j, -250);
    }
    let cold = net.solve().expect("feasible");
    let mut solver = net.solver().expect("balanced");
    let stop = crate::stop::Stop::never();
    stop.cancel();
    assert_eq!(solver.solve_until(&stop).map(|s| s.cost), Err(FlowError::Interrupted));
    let resumed = solver.solve().expect("feasible");
    assert_eq!(resumed.cost, cold.cost);
}
