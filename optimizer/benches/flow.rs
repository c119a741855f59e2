//! Network simplex benchmarks: seeded random sparse transportation instances at a size sweep (units → their k
//! nearest centres, capacity 1.05 × average load, an expensive escape sink), plus the real transport-zips-491
//! instance when ../shared/instances is present.
//!
//! `cargo bench -p tessera-optimizer --bench flow`

#[path = "../../bench/flow/transport_instance.rs"]
mod transport_instance;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use tessera_optimizer::flow::transportation;

/// A random instance: `units` points with supplies 1..=100 in the unit square, `centres` points taking
/// ceil(1.05 × total / centres) each, arcs to the `k` nearest centres at round(1000 × distance), and an escape
/// sink (last) reachable from every unit at a cost above any real arc.
/// Supplies, capacities (escape last) and (unit, centre, cost) arcs.
type Instance = (Vec<i64>, Vec<i64>, Vec<(usize, usize, i64)>);

fn instance(units: usize, centres: usize, k: usize, seed: u64) -> Instance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pts: Vec<(f64, f64)> = (0..units).map(|_| (rng.gen(), rng.gen())).collect();
    let ctr: Vec<(f64, f64)> = (0..centres).map(|_| (rng.gen(), rng.gen())).collect();
    let supplies: Vec<i64> = (0..units).map(|_| rng.gen_range(1..=100)).collect();
    let total: i64 = supplies.iter().sum();
    let cap = (total as f64 * 1.05 / centres as f64).ceil() as i64;
    let mut capacities = vec![cap; centres];
    capacities.push(total);
    let mut arcs = Vec::with_capacity(units * (k + 1));
    let mut d: Vec<(f64, usize)> = Vec::with_capacity(centres);
    for (i, &(x, y)) in pts.iter().enumerate() {
        d.clear();
        d.extend(
            ctr.iter()
                .enumerate()
                .map(|(c, &(cx, cy))| (((x - cx).powi(2) + (y - cy).powi(2)).sqrt(), c)),
        );
        d.select_nth_unstable_by(k.min(centres) - 1, |a, b| a.0.total_cmp(&b.0));
        arcs.extend(
            d[..k.min(centres)]
                .iter()
                .map(|&(dist, c)| (i, c, (dist * 1000.0).round() as i64)),
        );
        arcs.push((i, centres, 10_000));
    }
    (supplies, capacities, arcs)
}

fn bench_sweep(c: &mut Criterion) {
    let mut g = c.benchmark_group("flow/transportation");
    g.sample_size(10);
    for &(units, centres) in &[(1_000, 10), (3_000, 49), (10_000, 160), (30_000, 491)] {
        let (s, cap, arcs) = instance(units, centres, 8, 42);
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{units}x{centres}")),
            &(),
            |b, _| b.iter(|| transportation(black_box(&s), black_box(&cap), black_box(&arcs)).map(|sol| sol.cost)),
        );
    }
    g.finish();
}

fn bench_real(c: &mut Criterion) {
    let dir = transport_instance::default_dir();
    let inst = match transport_instance::TransportInstance::load(&dir) {
        Ok(Some(inst)) => inst,
        Ok(None) => {
            println!("flow/transport-zips-491 skipped: {} not found", dir.display());
            return;
        }
        Err(e) => panic!("{e}"),
    };
    let net = inst.network();
    let mut g = c.benchmark_group("flow");
    g.sample_size(10);
    g.bench_function("transport-zips-491", |b| b.iter(|| net.solve().map(|sol| sol.cost)));
    g.finish();
}

criterion_group!(benches, bench_sweep, bench_real);
criterion_main!(benches);
