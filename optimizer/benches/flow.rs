//! Network simplex benchmarks: seeded random sparse transportation instances at a size sweep (units → their k
//! nearest centres, capacity 1.05 × average load, an expensive escape sink), plus the real transport-zips-491
//! instance when ../shared/instances is present.
//!
//! `cargo bench -p tessera-optimizer --bench flow`

#[path = "../../bench/flow/transport_instance.rs"]
mod transport_instance;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use tessera_optimizer::flow::transportation;

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
