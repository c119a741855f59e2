//! Small datasets for the store's unit tests.

use tessera_optimizer::{Adjacency, Plan, Units};

use crate::{AdjacencySource, Dataset};

/// Units `ids` one degree apart on the equator, each linked to the next, with no measures; `current` gives
/// each unit's territory as an index into `names` (no current plan when `None`).
pub(crate) fn line(ids: &[&str], current: Option<(&[u32], &[&str])>) -> Dataset {
    let n = ids.len();
    let edges: Vec<(u32, u32)> = (1..n as u32).map(|i| (i - 1, i)).collect();
    Dataset {
        units: Units::new(
            ids.iter().map(|s| s.to_string()).collect(),
            (0..n).map(|i| i as f64).collect(),
            vec![0.0; n],
            vec![],
        )
        .expect("units"),
        adjacency: Adjacency::from_edges(n, &edges),
        adjacency_source: AdjacencySource::Delaunay,
        bridged: vec![],
        polygons: None,
        reps: vec![],
        current: current.map(|(of, names)| Plan::new(of.to_vec(), names.iter().map(|s| s.to_string()).collect())),
    }
}
