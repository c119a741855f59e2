//! The network simplex on the real transport-zips-491 instance: the optimal cost OR-Tools finds.

#[path = "../../bench/flow/transport_instance.rs"]
mod transport_instance;

#[path = "../../tests/support/needs.rs"]
mod needs;

use transport_instance::TransportInstance;

/// OR-Tools 9.15 SimpleMinCostFlow's optimum on this instance (summary.json).
const OPTIMAL_COST: i128 = 845_506_767_828;

#[test]
fn transport_zips_491_reaches_the_ortools_optimum() {
    let Some(dir) = needs::shared_instance("transport-zips-491") else {
        return;
    };
    let Some(inst) = TransportInstance::load(&dir).expect("instance files readable") else {
        panic!("{} has no arcs.csv", dir.display());
    };
    assert_eq!(
        (inst.supplies.len(), inst.capacities.len(), inst.arcs.len()),
        (29_546, 491, 236_368)
    );
    let net = inst.network();
    let sol = net.solve().expect("the escape hub keeps the instance feasible");
    assert_eq!(sol.cost, OPTIMAL_COST);

    // Feasible: every unit ships its supply, no centre over capacity.
    let (n, p, m) = (inst.supplies.len(), inst.capacities.len(), inst.arcs.len());
    let mut shipped = vec![0i64; n];
    let mut received = vec![0i64; p];
    for (k, &(u, c, _)) in inst.arcs.iter().enumerate() {
        let f = sol.flows()[k];
        assert!(f >= 0);
        shipped[u] += f;
        received[c] += f;
    }
    let escape = &sol.flows()[m + p..m + p + n];
    let from_hub = &sol.flows()[m + p + n..];
    for u in 0..n {
        assert_eq!(shipped[u] + escape[u], inst.supplies[u], "unit {u}");
    }
    for c in 0..p {
        assert!(
            received[c] + from_hub[c] <= inst.capacities[c],
            "centre {c} over capacity"
        );
    }
    // The README's figure for flow through the escape hub.
    assert_eq!(from_hub.iter().sum::<i64>(), 16_004);
    // Complementary slackness on every arc: the potentials certify the optimum.
    for k in 0..net.arc_count() {
        let a = tessera_optimizer::flow::ArcId(k);
        let (f, rc) = (sol.flow(a), net.reduced_cost(&sol, a));
        assert!(!(f == 0 && rc < 0), "empty arc {k} with negative reduced cost");
    }
}
