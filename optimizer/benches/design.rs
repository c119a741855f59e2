//! Criterion benches of the designer's modules on seeded synthetic instances, in size sweeps: plan evaluation,
//! balanced allocation, local search and a whole design run.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tessera_optimizer::alignment::Alignment;
use tessera_optimizer::assign::{allocate, kmeans_pp, AllocateParams};
use tessera_optimizer::local_search::{improve, LocalSearchParams};
use tessera_optimizer::{
    design_territories, evaluate, Adjacency, DesignParams, Measure, Plan, Problem, ProblemSpec, Progress, Units,
};

/// A jittered `side × side` grid with lognormal-ish weights and rook adjacency, seeded.
fn instance(side: usize, seed: u64) -> (Units, Adjacency) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = side * side;
    let ids = (0..n).map(|i| format!("u{i}")).collect();
    let lon = (0..n)
        .map(|i| (i % side) as f64 * 0.05 + rng.gen::<f64>() * 0.02)
        .collect();
    let lat = (0..n)
        .map(|i| 30.0 + (i / side) as f64 * 0.05 + rng.gen::<f64>() * 0.02)
        .collect();
    let w = (0..n).map(|_| (rng.gen::<f64>() * 2.0).exp()).collect();
    let units = Units::new(
        ids,
        lon,
        lat,
        vec![Measure {
            name: "workload".into(),
            values: w,
        }],
    )
    .expect("units");
    let mut edges = Vec::new();
    for i in 0..n as u32 {
        if (i as usize) % side + 1 < side {
            edges.push((i, i + 1));
        }
        if (i as usize) / side + 1 < side {
            edges.push((i, i + side as u32));
        }
    }
    (units, Adjacency::from_edges(n, &edges))
}

fn problem(units: &Units, adj: &Adjacency, p: usize) -> Problem {
    ProblemSpec::new(units, adj, p).build().expect("problem")
}

fn bench_evaluate(c: &mut Criterion) {
    let mut g = c.benchmark_group("evaluate");
    for side in [40, 80, 160] {
        let (units, adj) = instance(side, 1);
        let p = side / 4;
        let plan = Plan::new(
            (0..units.len()).map(|i| ((i % side) * p / side) as u32).collect(),
            (0..p).map(|t| t.to_string()).collect(),
        );
        let w = units.measure("workload").expect("w").to_vec();
        g.bench_with_input(BenchmarkId::from_parameter(units.len()), &side, |b, _| {
            b.iter(|| evaluate(&units, &adj, &plan, &w, p, &[]))
        });
    }
    g.finish();
}

fn bench_allocate(c: &mut Criterion) {
    let mut g = c.benchmark_group("allocate");
    g.sample_size(10);
    for (side, p) in [(40, 10), (80, 40), (160, 160)] {
        let (units, adj) = instance(side, 2);
        let pr = problem(&units, &adj, p);
        let seeds = kmeans_pp(&pr.points, &pr.weights, p, &mut ChaCha8Rng::seed_from_u64(3));
        let centers: Vec<_> = seeds.iter().map(|&i| pr.points[i]).collect();
        let lower: Vec<f64> = (0..p).map(|t| pr.lower(t)).collect();
        let upper: Vec<f64> = (0..p).map(|t| pr.upper(t)).collect();
        g.bench_with_input(BenchmarkId::new("n_p", format!("{}x{p}", units.len())), &p, |b, _| {
            b.iter(|| {
                allocate(
                    &pr.points,
                    &pr.weights,
                    &centers,
                    &AllocateParams {
                        lower: &lower,
                        upper: &upper,
                        candidates: 12,
                        locks: &pr.locks,
                        current: None,
                        stay_bonus_km: 0.0,
                    },
                )
                .expect("allocate")
            })
        });
    }
    g.finish();
}

fn bench_local_search(c: &mut Criterion) {
    let mut g = c.benchmark_group("local_search");
    g.sample_size(10);
    for (side, p) in [(40, 10), (80, 40)] {
        let (units, adj) = instance(side, 4);
        let pr = problem(&units, &adj, p);
        // Start from vertical stripes: contiguous, unbalanced, with far-away centers to improve on.
        let start: Vec<u32> = (0..units.len()).map(|i| ((i % side) * p / side) as u32).collect();
        let centers = tessera_optimizer::design::centers_of(&pr, &start).0;
        g.bench_with_input(BenchmarkId::new("n_p", format!("{}x{p}", units.len())), &p, |b, _| {
            b.iter(|| {
                let mut al = Alignment::new(&pr, start.clone());
                improve(
                    &pr,
                    &mut al,
                    &centers,
                    &LocalSearchParams::default(),
                    &tessera_optimizer::Stop::never(),
                )
            })
        });
    }
    g.finish();
}

fn bench_design(c: &mut Criterion) {
    let mut g = c.benchmark_group("design");
    g.sample_size(10);
    for (side, p) in [(30, 8), (60, 30)] {
        let (units, adj) = instance(side, 5);
        let pr = problem(&units, &adj, p);
        g.bench_with_input(BenchmarkId::new("n_p", format!("{}x{p}", units.len())), &p, |b, _| {
            b.iter(|| {
                design_territories(&pr, &DesignParams::default().restarts(2).threads(1), &Progress::new())
                    .expect("design")
            })
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    bench_evaluate,
    bench_allocate,
    bench_local_search,
    bench_design
);
criterion_main!(benches);
