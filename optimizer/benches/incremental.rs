//! Criterion bench of the incremental figures behind the app's live editing: one hand edit (a unit, or a box of
//! ~50 units, given to a neighbouring territory) on the 29,546-unit ZIP instance with 491 territories, against a
//! full re-evaluation of the plan.
//!
//! Reads `../shared/instances/zips-conus-large` (units, adjacency) and the min-cost-flow peer plan in
//! `../shared/peers/plans/zips-conus-large/mcf.csv` beside the workspace; without them it falls back to a seeded
//! 172 × 172 grid of the same size cut into 491 strips, so CI can still compile and run it.

use std::collections::HashMap;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use tessera_optimizer::metrics::IncrementalFigures;
use tessera_optimizer::{evaluate, Adjacency, Measure, Plan, Units};

/// Units, adjacency and plan of the ZIP scale instance, or of a synthetic stand-in of the same size.
fn instance() -> (Units, Adjacency, Plan, &'static str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    zips(&root).unwrap_or_else(|| synthetic(172))
}

fn zips(root: &Path) -> Option<(Units, Adjacency, Plan, &'static str)> {
    let dir = root.join("instances/zips-conus-large");
    let mut rd = csv::Reader::from_path(dir.join("units.csv")).ok()?;
    let (mut ids, mut lon, mut lat, mut w) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for r in rd.records() {
        let r = r.ok()?;
        ids.push(r[0].to_string());
        lon.push(r[2].parse().ok()?);
        lat.push(r[3].parse().ok()?);
        w.push(r[4].parse().ok()?);
    }
    let index: HashMap<String, u32> = ids.iter().enumerate().map(|(i, id)| (id.clone(), i as u32)).collect();
    let mut edges = Vec::new();
    for r in csv::Reader::from_path(dir.join("adjacency.csv")).ok()?.records() {
        let r = r.ok()?;
        edges.push((*index.get(&r[0])?, *index.get(&r[1])?));
    }
    let mut names: Vec<String> = Vec::new();
    let mut name_index: HashMap<String, u32> = HashMap::new();
    let mut of = vec![0u32; ids.len()];
    let plan_csv = root.join("peers/plans/zips-conus-large/mcf.csv");
    for r in csv::Reader::from_path(plan_csv).ok()?.records() {
        let r = r.ok()?;
        let next = names.len() as u32;
        let t = *name_index.entry(r[1].to_string()).or_insert_with(|| {
            names.push(r[1].to_string());
            next
        });
        of[*index.get(&r[0])? as usize] = t;
    }
    let n = ids.len();
    let units = Units::new(
        ids,
        lon,
        lat,
        vec![Measure {
            name: "workload".into(),
            values: w,
        }],
    )
    .ok()?;
    Some((
        units,
        Adjacency::from_edges(n, &edges),
        Plan::new(of, names),
        "zips-conus-large",
    ))
}

fn synthetic(side: usize) -> (Units, Adjacency, Plan, &'static str) {
    let n = side * side;
    let units = Units::new(
        (0..n).map(|i| format!("u{i}")).collect(),
        (0..n).map(|i| (i % side) as f64 * 0.05).collect(),
        (0..n).map(|i| 30.0 + (i / side) as f64 * 0.05).collect(),
        vec![Measure {
            name: "workload".into(),
            values: (0..n).map(|i| 1.0 + (i % 11) as f64).collect(),
        }],
    )
    .expect("units");
    let mut edges = Vec::new();
    for i in 0..n as u32 {
        if (i as usize) % side + 1 < side {
            edges.push((i, i + 1));
        }
        if (i as usize) + side < n {
            edges.push((i, i + side as u32));
        }
    }
    let per = n.div_ceil(491);
    let of = (0..n).map(|i| (i / per) as u32).collect();
    let names = (0..491).map(|t| format!("t{t}")).collect();
    (
        units,
        Adjacency::from_edges(n, &edges),
        Plan::new(of, names),
        "synthetic-172x172",
    )
}

/// A unit on a territory boundary and the neighbouring territory it can be given to.
fn boundary_move(adj: &Adjacency, of: &[u32], from: usize) -> (usize, u32) {
    (from..of.len())
        .find_map(|i| {
            adj.neighbors(i)
                .iter()
                .map(|&j| of[j as usize])
                .find(|&t| t != of[i])
                .map(|t| (i, t))
        })
        .expect("a boundary unit")
}

/// Up to 50 units of one territory near a boundary (a box select's worth), all given to one neighbour.
fn box_move(adj: &Adjacency, of: &[u32], from: usize) -> Vec<(usize, u32)> {
    let (seed, to) = boundary_move(adj, of, from);
    let t = of[seed];
    let mut picked = vec![seed];
    let mut k = 0;
    while k < picked.len() && picked.len() < 50 {
        for &j in adj.neighbors(picked[k]) {
            let j = j as usize;
            if of[j] == t && !picked.contains(&j) && picked.len() < 50 {
                picked.push(j);
            }
        }
        k += 1;
    }
    picked.into_iter().map(|i| (i, to)).collect()
}

fn bench_edit(c: &mut Criterion) {
    let (units, adj, plan, name) = instance();
    let weights = units.measures()[0].values.clone();
    let p = plan.territory_count();
    let mut figures = IncrementalFigures::new(&units, &adj, &plan, &weights, p, &[]);
    let of = plan.territory_of().to_vec();
    let mut group = c.benchmark_group(format!("incremental/{name}"));

    // One click: give a boundary unit to its neighbour and read all figures, then move it back (two edits
    // per iteration, so the plan stays the same).
    let (unit, to) = boundary_move(&adj, &of, units.len() / 3);
    let back = of[unit];
    group.bench_function("click edit + evaluation (x2)", |b| {
        b.iter(|| {
            figures.apply(&[(unit, to)]);
            let e1 = figures.evaluation();
            figures.apply(&[(unit, back)]);
            let e2 = figures.evaluation();
            (e1.max_dev, e2.max_dev)
        })
    });

    let forward = box_move(&adj, &of, units.len() / 2);
    let undo: Vec<(usize, u32)> = forward.iter().map(|&(i, _)| (i, of[i])).collect();
    group.bench_function(format!("box edit of {} units + evaluation (x2)", forward.len()), |b| {
        b.iter(|| {
            figures.apply(&forward);
            let e1 = figures.evaluation();
            figures.apply(&undo);
            let e2 = figures.evaluation();
            (e1.max_dev, e2.max_dev)
        })
    });

    group.sample_size(10);
    group.bench_function("full evaluate (reference)", |b| {
        b.iter(|| evaluate(&units, &adj, &plan, &weights, p, &[]).max_dev)
    });
    group.finish();
}

criterion_group!(benches, bench_edit);
criterion_main!(benches);
