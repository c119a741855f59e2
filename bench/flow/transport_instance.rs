//! Loader for the transport-zips-491 benchmark instance (../shared/instances/transport-zips-491), shared by
//! optimizer/tests/flow_transport.rs, optimizer/benches/flow.rs and optimizer/examples/solve_transport.rs
//! through `#[path]`. Builds the network exactly as the instance README says.

#![allow(dead_code)]

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
