//! Network simplex benchmarks: seeded random sparse transportation instances at a size sweep (units → their k
//! nearest centres, capacity 1.05 × average load, an expensive escape sink), plus the real transport-zips-491
//! instance when ../shared/instances is present, and warm vs cold re-solves after small cost changes.
//!
//! `cargo bench -p tessera-optimizer --bench flow`

#[path = "../../bench/flow/transport_instance.rs"]
mod transport_instance;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use tessera_optimizer::flow::{transportation, TransportSolver};

fn bench_sweep(c: &mut Criterion) {
    let mut g = c.benchmark_group("flow/transportation");
    g.sample_size(10);
    for &(units, centres) in &[(1_000, 10), (3_000, 49), (10_000, 160), (30_000, 491)] {
        let (s, cap, arcs) = transport_instance::random(units, centres, 8, 42);
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{units}x{centres}")),
            &(),
            |b, _| b.iter(|| transportation(black_box(&s), black_box(&cap), black_box(&arcs)).map(|sol| sol.cost)),
        );
    }
    g.finish();
}

/// Location–allocation re-solve: centres moved a little, so every cost changes by up to ±10%. Cold = a new
/// `transportation` call; warm = a `TransportSolver` holding the previous optimum, given the new costs.
fn bench_warm(c: &mut Criterion) {
    let mut g = c.benchmark_group("flow/resolve");
    g.sample_size(10);
    for &(units, centres) in &[(3_000, 49), (30_000, 491)] {
        let (s, cap, arcs) = transport_instance::random(units, centres, 8, 42);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let moved: Vec<(usize, usize, i64)> = arcs
            .iter()
            .map(|&(i, j, w)| (i, j, (w as f64 * rng.gen_range(0.9..1.1)).round() as i64))
            .collect();
        let mut solved = TransportSolver::new(&s, &cap, &arcs).expect("feasible");
        solved.solve().expect("feasible");
        let id = format!("{units}x{centres}");
        g.bench_with_input(BenchmarkId::new("cold", &id), &(), |b, _| {
            b.iter(|| transportation(black_box(&s), black_box(&cap), black_box(&moved)).map(|sol| sol.cost))
        });
        g.bench_with_input(BenchmarkId::new("warm", &id), &(), |b, _| {
            b.iter_batched(
                || solved.clone(),
                |mut solver| {
                    for (k, &(_, _, w)) in moved.iter().enumerate() {
                        solver.set_cost(k, w).expect("small costs");
                    }
                    solver.solve().map(|sol| sol.cost)
                },
                BatchSize::LargeInput,
            )
        });
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

criterion_group!(benches, bench_sweep, bench_warm, bench_real);
criterion_main!(benches);
