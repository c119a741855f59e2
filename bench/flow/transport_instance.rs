//! Loader for the transport-zips-491 benchmark instance (../shared/instances/transport-zips-491), shared by
//! optimizer/tests/flow_transport.rs, optimizer/benches/flow.rs and optimizer/examples/solve_transport.rs
//! through `#[path]`. Builds the network exactly as the instance README says.

#![allow(dead_code)]

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};
use tessera_optimizer::flow::{FlowNetwork, INF};

/// Cost per unit of flow on a unit → escape hub arc (10,000 km), as in make_transport.py.
pub const ESCAPE_COST: i64 = 10_000_000;

/// The instance folder as seen from the optimizer crate.
pub fn default_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/instances/transport-zips-491"
    ))
}

/// The instance as read from its CSVs.
pub struct TransportInstance {
    /// Supply of each unit (workload × 100).
    pub supplies: Vec<i64>,
    /// Capacity of each centre.
    pub capacities: Vec<i64>,
    /// (unit, centre, cost per unit of flow), each unit's 8 nearest centres.
    pub arcs: Vec<(usize, usize, i64)>,
}

fn rows(path: &Path) -> Result<Vec<Vec<String>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(|f| f.trim().to_string()).collect())
        .collect())
}

fn num<T: std::str::FromStr>(path: &Path, line: usize, field: Option<&String>) -> Result<T, String> {
    field
        .and_then(|f| f.parse().ok())
        .ok_or_else(|| format!("{}: line {}: bad or missing number", path.display(), line + 2))
}

impl TransportInstance {
    /// Reads supplies.csv, centers.csv and arcs.csv from `dir`. `Ok(None)` when the folder is absent.
    pub fn load(dir: &Path) -> Result<Option<Self>, String> {
        if !dir.join("arcs.csv").exists() {
            return Ok(None);
        }
        let p = dir.join("supplies.csv");
        let mut supplies = Vec::new();
        for (k, r) in rows(&p)?.iter().enumerate() {
            let unit: usize = num(&p, k, r.first())?;
            if unit != supplies.len() {
                return Err(format!("{}: units not numbered 0, 1, … at line {}", p.display(), k + 2));
            }
            supplies.push(num(&p, k, r.get(2))?);
        }
        let p = dir.join("centers.csv");
        let mut capacities = Vec::new();
        for (k, r) in rows(&p)?.iter().enumerate() {
            capacities.push(num(&p, k, r.get(2))?);
        }
        let p = dir.join("arcs.csv");
        let mut arcs = Vec::new();
        for (k, r) in rows(&p)?.iter().enumerate() {
            let (u, c, w): (usize, usize, i64) = (num(&p, k, r.first())?, num(&p, k, r.get(1))?, num(&p, k, r.get(2))?);
            if u >= supplies.len() || c >= capacities.len() {
                return Err(format!("{}: line {}: unit or centre out of range", p.display(), k + 2));
            }
            arcs.push((u, c, w));
        }
        Ok(Some(Self {
            supplies,
            capacities,
            arcs,
        }))
    }

    /// The README's network: units 0..n, centres n..n+p, sink n+p, escape hub n+p+1. Unit → centre arcs are
    /// uncapacitated; unit → hub costs [`ESCAPE_COST`] with the unit's supply as capacity; hub → centre and
    /// centre → sink are free with the centre's capacity; the sink demands the total supply.
    pub fn network(&self) -> FlowNetwork {
        let (n, p) = (self.supplies.len(), self.capacities.len());
        let (sink, hub) = (n + p, n + p + 1);
        let mut net = FlowNetwork::new(n + p + 2);
        for &(u, c, w) in &self.arcs {
            net.add_arc(u, n + c, INF, w);
        }
        for (c, &cap) in self.capacities.iter().enumerate() {
            net.add_arc(n + c, sink, cap, 0);
        }
        for (u, &s) in self.supplies.iter().enumerate() {
            net.add_arc(u, hub, s, ESCAPE_COST);
        }
        for (c, &cap) in self.capacities.iter().enumerate() {
            net.add_arc(hub, n + c, cap, 0);
        }
        for (u, &s) in self.supplies.iter().enumerate() {
            net.set_supply(u, s);
        }
        net.set_supply(sink, -self.supplies.iter().sum::<i64>());
        net
    }
}

/// Supplies, capacities (escape last) and (unit, centre, cost) arcs: the arguments of `transportation`.
pub type Instance = (Vec<i64>, Vec<i64>, Vec<(usize, usize, i64)>);

/// A seeded random instance: `units` points with supplies 1..=100 in the unit square, `centres` points taking
/// ceil(1.05 × total / centres) each, arcs to the `k` nearest centres at round(1000 × distance), and an escape
/// sink (last) reachable from every unit at a cost above any real arc.
pub fn random(units: usize, centres: usize, k: usize, seed: u64) -> Instance {
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
