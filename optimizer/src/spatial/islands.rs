//! Connecting the islands of an adjacency graph, so that every unit can reach every other.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rstar::primitives::GeomWithData;
use rstar::RTree;

use crate::model::Adjacency;
use crate::spatial::unit_sphere;

/// Edges that join the connected components of `adjacency` into one, each from an island to the unit nearest
/// to it (great-circle distance) in another component.
///
/// Islands (Nantucket, the San Juan Islands) and sparse adjacency files leave some units unreachable, and then
/// no contiguous plan exists. Repeatedly, the smallest remaining component (ties: the one holding the lowest unit
/// index) is joined by its shortest link to a unit outside it, `(u, v)` with `u < v` given in the order added,
/// until one component is left. This is the same "nearest bridge" rule as the peer instances' adjacency.
/// `lon` and `lat` are unit positions in degrees.
///
/// # Panics
/// If `lon`, `lat` and `adjacency` differ in length (a caller bug).
///
/// # Complexity
/// O(n log n) to index the points; each merge costs the smaller component's size times a nearest-neighbour
/// query, so O(n log² n) in all for typical inputs.
///
/// # Example
/// ```
/// use tessera_optimizer::{spatial::bridge_islands, Adjacency};
/// // Two pairs 10 degrees apart on the equator; 1 and 2 are the closest across the gap.
/// let lon = [0.0, 1.0, 11.0, 12.0];
/// let lat = [0.0; 4];
/// let g = Adjacency::from_edges(4, &[(0, 1), (2, 3)]);
/// assert_eq!(bridge_islands(&lon, &lat, &g), vec![(1, 2)]);
/// ```
pub fn bridge_islands(lon: &[f64], lat: &[f64], adjacency: &Adjacency) -> Vec<(u32, u32)> {
    assert_eq!(lon.len(), adjacency.len(), "positions and adjacency differ in length");
    let units: Vec<u32> = (0..lon.len() as u32).collect();
    bridge_islands_between(lon, lat, &units, adjacency)
}

/// Like [`bridge_islands`], but each unit is represented by several sites (for polygons: their vertices), and
/// the distance between two units is that between their closest sites.
///
/// With polygons this links an island to the nearest coast rather than to the nearest centroid: the San Juan
/// Islands (WA) are 2.7 km from Skagit County's shore but nearer Island County's centroid than Skagit's.
/// Site `s` is at (`lon[s]`, `lat[s]`) and belongs to unit `unit[s]`.
///
/// # Panics
/// If `lon`, `lat` and `unit` differ in length, a unit index is `>= adjacency.len()`, or a unit has no site
/// (caller bugs: add the unit's own point as a site when its polygon may be empty).
///
/// # Example
/// ```
/// use tessera_optimizer::{spatial::bridge_islands_between, Adjacency};
/// // Unit 0 spans 0..=2° of longitude; unit 1's only site is at 2.5°, unit 2's at -1.5°.
/// let (lon, lat, unit) = ([0.0, 2.0, 2.5, -1.5], [0.0; 4], [0, 0, 1, 2]);
/// let g = Adjacency::from_edges(3, &[]);
/// assert_eq!(bridge_islands_between(&lon, &lat, &unit, &g), vec![(0, 1), (0, 2)]);
/// ```
pub fn bridge_islands_between(lon: &[f64], lat: &[f64], unit: &[u32], adjacency: &Adjacency) -> Vec<(u32, u32)> {
    assert_eq!(lon.len(), lat.len(), "lon and lat differ in length");
    assert_eq!(lon.len(), unit.len(), "sites and their units differ in length");
    let mut has_site = vec![false; adjacency.len()];
    for &u in unit {
        assert!(
            (u as usize) < adjacency.len(),
            "site of unit {u}, outside the adjacency"
        );
        has_site[u as usize] = true;
    }
    assert!(has_site.iter().all(|&h| h), "a unit has no site");
    let (label, count) = adjacency.components();
    if count <= 1 {
        return Vec::new();
    }
    let points = unit_sphere(lon, lat);
    let tree = RTree::bulk_load(
        points
            .iter()
            .enumerate()
            .map(|(s, &p)| GeomWithData::new(p, s as u32))
            .collect::<Vec<_>>(),
    );
    // Union-find over component labels; each root holds the sites of its units.
    let mut parent: Vec<usize> = (0..count).collect();
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); count];
    let mut units_in: Vec<usize> = vec![0; count];
    for (s, &u) in unit.iter().enumerate() {
        members[label[u as usize] as usize].push(s as u32);
    }
    for &c in &label {
        units_in[c as usize] += 1;
    }
    fn find(parent: &mut [usize], mut c: usize) -> usize {
        while parent[c] != c {
            parent[c] = parent[parent[c]];
            c = parent[c];
        }
        c
    }
    // Smallest component first (by units); components are labelled in order of their lowest unit, so the label
    // breaks ties by lowest unit.
    let mut heap: BinaryHeap<Reverse<(usize, usize)>> = (0..count).map(|c| Reverse((units_in[c], c))).collect();
    let mut live = count;
    let mut bridges = Vec::with_capacity(count - 1);
    while live > 1 {
        let Some(Reverse((size, c))) = heap.pop() else { break };
        if find(&mut parent, c) != c || units_in[c] != size {
            continue; // stale entry of a component merged since
        }
        let mut best: Option<(f64, u32, u32)> = None;
        for &s in &members[c] {
            let u = unit[s as usize];
            for (hit, d2) in tree.nearest_neighbor_iter_with_distance_2(&points[s as usize]) {
                if best.is_some_and(|(bd, _, _)| d2 > bd) {
                    break;
                }
                let v = unit[hit.data as usize];
                if find(&mut parent, label[v as usize] as usize) == c {
                    continue;
                }
                let better = match best {
                    None => true,
                    Some((bd, bu, bv)) => (d2, u.min(v), u.max(v)) < (bd, bu.min(bv), bu.max(bv)),
                };
                if better {
                    best = Some((d2, u, v));
                }
                break;
            }
        }
        // Every unit has a site (asserted above), so with two or more live components some site lies outside c.
        let Some((_, u, v)) = best else { break };
        bridges.push((u.min(v), u.max(v)));
        let other = find(&mut parent, label[v as usize] as usize);
        let (big, small) = if members[other].len() >= members[c].len() {
            (other, c)
        } else {
            (c, other)
        };
        parent[small] = big;
        let moved = std::mem::take(&mut members[small]);
        members[big].extend(moved);
        units_in[big] += units_in[small];
        heap.push(Reverse((units_in[big], big)));
        live -= 1;
    }
    bridges
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests unwrap what they just built
mod tests {
    use super::*;

    #[test]
    fn connected_graph_needs_no_bridge() {
        let g = Adjacency::from_edges(3, &[(0, 1), (1, 2)]);
        assert!(bridge_islands(&[0.0, 1.0, 2.0], &[0.0; 3], &g).is_empty());
    }

    #[test]
    fn every_isolated_unit_is_bridged_into_one_component() {
        let n = 50;
        let lon: Vec<f64> = (0..n).map(|i| (i * 7 % 13) as f64 + i as f64 * 0.01).collect();
        let lat: Vec<f64> = (0..n).map(|i| (i * 5 % 11) as f64).collect();
        let g = Adjacency::from_edges(n, &[]);
        let b = bridge_islands(&lon, &lat, &g);
        assert_eq!(b.len(), n - 1);
        let joined = Adjacency::from_edges(n, &b);
        assert_eq!(joined.components().1, 1);
    }

    #[test]
    fn island_links_to_its_nearest_mainland_unit() {
        // Mainland 0-1-2 along the equator, island 3 off unit 2's coast, island 4 near unit 0.
        let lon = [0.0, 1.0, 2.0, 2.1, -0.5];
        let lat = [0.0, 0.0, 0.0, 0.5, 0.3];
        let g = Adjacency::from_edges(5, &[(0, 1), (1, 2)]);
        let b = bridge_islands(&lon, &lat, &g);
        assert_eq!(b, vec![(2, 3), (0, 4)]);
    }

    #[test]
    fn polygon_sites_link_the_nearest_shore_not_the_nearest_centroid() {
        // Unit 0 is a long mainland whose east end (site at lon 3) is near island 2 (lon 3.2); unit 1's
        // single site (lon 2.9, lat 1) is nearer the island's than unit 0's first site (lon 0).
        let lon = [0.0, 3.0, 2.9, 3.2];
        let lat = [0.0, 0.0, 1.0, 0.0];
        let unit = [0, 0, 1, 2];
        let g = Adjacency::from_edges(3, &[(0, 1)]);
        assert_eq!(bridge_islands_between(&lon, &lat, &unit, &g), vec![(0, 2)]);
        // Seen from one site per unit (the first), unit 1 would be nearer.
        assert_eq!(bridge_islands(&[0.0, 2.9, 3.2], &[0.0, 1.0, 0.0], &g), vec![(1, 2)]);
    }

    proptest::proptest! {
        #[test]
        fn bridging_always_connects_with_components_minus_one_edges(
            pts in proptest::collection::vec((-20.0f64..20.0, -20.0f64..20.0), 1..60),
            raw_edges in proptest::collection::vec((0usize..60, 0usize..60), 0..80),
        ) {
            let n = pts.len();
            let edges: Vec<(u32, u32)> =
                raw_edges.iter().map(|&(a, b)| ((a % n) as u32, (b % n) as u32)).collect();
            let g = Adjacency::from_edges(n, &edges);
            let (lon, lat): (Vec<f64>, Vec<f64>) = pts.into_iter().unzip();
            let b = bridge_islands(&lon, &lat, &g);
            proptest::prop_assert_eq!(b.len(), g.components().1 - 1);
            let all: Vec<(u32, u32)> = edges.iter().chain(&b).copied().collect();
            proptest::prop_assert_eq!(Adjacency::from_edges(n, &all).components().1, 1);
            proptest::prop_assert!(b.iter().all(|&(u, v)| u < v && (v as usize) < n));
        }
    }

    #[test]
    fn nearest_is_measured_on_the_sphere_across_the_antimeridian() {
        // Unit 2 at 179.5°E is 1° from unit 0 at 179.5°W, but 359° away in raw longitude.
        let lon = [-179.5, -170.0, 179.5];
        let lat = [0.0; 3];
        let g = Adjacency::from_edges(3, &[(0, 1)]);
        assert_eq!(bridge_islands(&lon, &lat, &g), vec![(0, 2)]);
    }
}
