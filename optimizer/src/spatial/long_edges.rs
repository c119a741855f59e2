//! Dropping the long edges of a derived adjacency (a triangulation's hull edges across a bay or a lake).

use crate::geodesy::haversine_km;

/// The result of [`drop_long_edges`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrunedEdges {
    /// The edges kept, `(a, b)` with `a < b`, sorted.
    pub kept: Vec<(u32, u32)>,
    /// How many long edges were dropped.
    pub dropped: usize,
    /// How many long edges were kept because without them the graph would fall apart.
    pub readded: usize,
}

/// Drops edges longer than `max_km` (great-circle, between the units' points), except those needed to keep
/// connected what the full graph connects.
///
/// A Delaunay triangulation links every point on the convex hull to its hull neighbours, so Cape Cod touches
/// Long Island across the sound; such links make territories that cannot be driven. Long edges are dropped,
/// then, shortest first, a dropped edge is put back when it joins two otherwise separate components (Kruskal's
/// rule), so the number of components never grows. `lon`/`lat` are in degrees.
///
/// # Panics
/// If an edge names a unit outside `lon`/`lat`, or `lon` and `lat` differ in length (caller bugs).
///
/// # Complexity
/// O(m log m) for m edges.
///
/// # Example
/// ```
/// use tessera_optimizer::spatial::drop_long_edges;
/// // A triangle with one long side: it goes, the graph stays connected through the short ones.
/// let (lon, lat) = ([0.0, 1.0, 2.0], [0.0, 0.0, 0.0]);
/// let p = drop_long_edges(&[(0, 1), (1, 2), (0, 2)], &lon, &lat, 150.0);
/// assert_eq!((p.kept, p.dropped, p.readded), (vec![(0, 1), (1, 2)], 1, 0));
/// ```
pub fn drop_long_edges(edges: &[(u32, u32)], lon: &[f64], lat: &[f64], max_km: f64) -> PrunedEdges {
    assert_eq!(lon.len(), lat.len(), "lon and lat differ in length");
    let n = lon.len();
    let km = |&(a, b): &(u32, u32)| haversine_km(lon[a as usize], lat[a as usize], lon[b as usize], lat[b as usize]);
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut kept = Vec::with_capacity(edges.len());
    let mut long = Vec::new();
    for &(a, b) in edges {
        assert!((a as usize) < n && (b as usize) < n, "edge ({a}, {b}) outside 0..{n}");
        let e = (a.min(b), a.max(b));
        let d = km(&e);
        // NaN lengths (impossible for validated positions) count as long, so they are only kept if needed.
        if d <= max_km {
            let (ra, rb) = (find(&mut parent, a as usize), find(&mut parent, b as usize));
            parent[ra] = rb;
            kept.push(e);
        } else {
            long.push((d, e));
        }
    }
    long.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    let mut readded = 0;
    for &(_, (a, b)) in &long {
        let (ra, rb) = (find(&mut parent, a as usize), find(&mut parent, b as usize));
        if ra != rb {
            parent[ra] = rb;
            kept.push((a, b));
            readded += 1;
        }
    }
    kept.sort_unstable();
    kept.dedup();
    PrunedEdges {
        kept,
        dropped: long.len() - readded,
        readded,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests unwrap what they just built
mod tests {
    use super::*;
    use crate::model::Adjacency;

    #[test]
    fn a_long_bridge_that_is_needed_stays() {
        // Two pairs 5 degrees (~556 km) apart, joined by one long edge and a second, longer one.
        let lon = [0.0, 0.5, 5.0, 5.5];
        let lat = [0.0; 4];
        let p = drop_long_edges(&[(0, 1), (2, 3), (1, 2), (0, 3)], &lon, &lat, 150.0);
        assert_eq!(p.kept, vec![(0, 1), (1, 2), (2, 3)]);
        assert_eq!((p.dropped, p.readded), (1, 1));
        assert_eq!(Adjacency::from_edges(4, &p.kept).components().1, 1);
    }

    #[test]
    fn short_edges_are_all_kept() {
        let lon = [0.0, 0.1, 0.2];
        let lat = [0.0; 3];
        let p = drop_long_edges(&[(1, 0), (1, 2)], &lon, &lat, 150.0);
        assert_eq!(p.kept, vec![(0, 1), (1, 2)]);
        assert_eq!((p.dropped, p.readded), (0, 0));
    }
}
