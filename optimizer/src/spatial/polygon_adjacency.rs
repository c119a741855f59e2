//! Adjacency of polygons from their shared borders (rook or queen contiguity).

use geo::{Coord, MultiPolygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

/// Which contacts between two polygons make them neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Contiguity {
    /// Neighbours share a stretch of border of positive length.
    Rook,
    /// Neighbours share a border or only touch at a point (a corner, as at the Four Corners). The default,
    /// as in the peer instances.
    #[default]
    Queen,
}

/// Parameters of [`polygon_adjacency`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PolygonAdjacencyParams {
    /// Rook or queen contiguity. Default: [`Contiguity::Queen`].
    pub contiguity: Contiguity,
    /// How far apart (in coordinate units, degrees for lon/lat) two borders may be and still touch.
    /// Default: 1e-9 (about 0.1 mm), which absorbs rounding noise but no digitising error.
    pub tolerance: f64,
}

impl Default for PolygonAdjacencyParams {
    fn default() -> Self {
        PolygonAdjacencyParams {
            contiguity: Contiguity::Queen,
            tolerance: 1e-9,
        }
    }
}

impl PolygonAdjacencyParams {
    /// Default parameters with the given contiguity rule.
    pub fn new(contiguity: Contiguity) -> Self {
        PolygonAdjacencyParams {
            contiguity,
            ..Default::default()
        }
    }

    /// Sets the tolerance (coordinate units, clamped to be non-negative).
    pub fn tolerance(mut self, tolerance: f64) -> Self {
        self.tolerance = if tolerance.is_finite() { tolerance.max(0.0) } else { 0.0 };
        self
    }
}

/// A border segment and the index of the polygon it belongs to.
#[derive(Debug, Clone, Copy)]
struct Segment {
    p: [f64; 2],
    q: [f64; 2],
    owner: u32,
}

fn sub(a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    [a[0] - b[0], a[1] - b[1]]
}

fn dot(a: [f64; 2], b: [f64; 2]) -> f64 {
    a[0] * b[0] + a[1] * b[1]
}

fn cross(a: [f64; 2], b: [f64; 2]) -> f64 {
    a[0] * b[1] - a[1] * b[0]
}

/// Distance from point `x` to segment `s`.
fn point_segment_distance(x: [f64; 2], s: &Segment) -> f64 {
    let d = sub(s.q, s.p);
    let len2 = dot(d, d);
    let t = if len2 > 0.0 {
        (dot(sub(x, s.p), d) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let c = [s.p[0] + t * d[0], s.p[1] + t * d[1]];
    dot(sub(x, c), sub(x, c)).sqrt()
}

/// True when the two segments cross at a point interior to both.
fn properly_cross(s: &Segment, t: &Segment) -> bool {
    let d1 = cross(sub(s.q, s.p), sub(t.p, s.p));
    let d2 = cross(sub(s.q, s.p), sub(t.q, s.p));
    let d3 = cross(sub(t.q, t.p), sub(s.p, t.p));
    let d4 = cross(sub(t.q, t.p), sub(s.q, t.p));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// Smallest distance between two segments.
fn segment_distance(s: &Segment, t: &Segment) -> f64 {
    if properly_cross(s, t) {
        return 0.0;
    }
    point_segment_distance(s.p, t)
        .min(point_segment_distance(s.q, t))
        .min(point_segment_distance(t.p, s))
        .min(point_segment_distance(t.q, s))
}

/// True when the segments lie on one line (within `eps`) and overlap along it by more than `eps`: a shared
/// stretch of border. Works when the two sides of a border are split at different vertices (a T-junction).
fn share_stretch(s: &Segment, t: &Segment, eps: f64) -> bool {
    let d = sub(s.q, s.p);
    let len = dot(d, d).sqrt();
    if len <= eps || len == 0.0 {
        return false;
    }
    let u = [d[0] / len, d[1] / len];
    // Perpendicular offsets of t's ends from s's line.
    if cross(u, sub(t.p, s.p)).abs() > eps || cross(u, sub(t.q, s.p)).abs() > eps {
        return false;
    }
    let (a, b) = (dot(u, sub(t.p, s.p)), dot(u, sub(t.q, s.p)));
    let (lo, hi) = (a.min(b).max(0.0), a.max(b).min(len));
    hi - lo > eps
}

/// Undirected edges `(a, b)`, `a < b`, between polygons that share a border (rook) or touch (queen), sorted.
///
/// Polygon `i` is unit `i`. Every ring, holes included, is cut into segments held in an R-tree; each segment
/// is tested against the segments whose boxes come within the tolerance. Two polygons are queen neighbours
/// when some segments of theirs come within the tolerance of each other, and rook neighbours when some
/// segments of theirs are collinear and overlap by more than the tolerance. Because it compares segments and
/// not vertices, a border split at different vertices on its two sides (a T-junction) is still found.
///
/// Limitation: the two sides of a border must coincide within the tolerance. Polygons digitised or simplified
/// independently (gaps or slivers wider than the tolerance along a border) are not recognised as neighbours;
/// clean them or raise the tolerance. Overlapping polygons count as queen neighbours (their borders cross)
/// but as rook neighbours only where borders run together.
///
/// # Complexity
/// O(m log m) for m segments in all, plus the number of close segment pairs.
///
/// # Example
/// ```
/// use geo::{polygon, MultiPolygon};
/// use tessera_optimizer::spatial::{polygon_adjacency, Contiguity, PolygonAdjacencyParams};
/// let square = |x: f64, y: f64| MultiPolygon::new(vec![polygon![
///     (x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)]]);
/// // 0 and 1 share a side; 0 and 2 only a corner.
/// let polys = [square(0.0, 0.0), square(1.0, 0.0), square(1.0, 1.0)];
/// let rook = polygon_adjacency(&polys, &PolygonAdjacencyParams::new(Contiguity::Rook));
/// let queen = polygon_adjacency(&polys, &PolygonAdjacencyParams::new(Contiguity::Queen));
/// assert_eq!(rook, vec![(0, 1), (1, 2)]);
/// assert_eq!(queen, vec![(0, 1), (0, 2), (1, 2)]);
/// ```
pub fn polygon_adjacency(polygons: &[MultiPolygon<f64>], params: &PolygonAdjacencyParams) -> Vec<(u32, u32)> {
    let eps = params.tolerance;
    let mut segments = Vec::new();
    for (owner, mp) in polygons.iter().enumerate() {
        for poly in &mp.0 {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                for line in ring.lines() {
                    let (Coord { x: x0, y: y0 }, Coord { x: x1, y: y1 }) = (line.start, line.end);
                    // Non-finite coordinates would poison the R-tree's boxes; importers refuse them anyway.
                    if [x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
                        segments.push(Segment {
                            p: [x0, y0],
                            q: [x1, y1],
                            owner: owner as u32,
                        });
                    }
                }
            }
        }
    }
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, u32>> = segments
        .iter()
        .enumerate()
        .map(|(k, s)| GeomWithData::new(Rectangle::from_corners(s.p, s.q), k as u32))
        .collect();
    let tree = RTree::bulk_load(boxes);
    let mut edges = Vec::new();
    for s in &segments {
        let lo = [s.p[0].min(s.q[0]) - eps, s.p[1].min(s.q[1]) - eps];
        let hi = [s.p[0].max(s.q[0]) + eps, s.p[1].max(s.q[1]) + eps];
        for hit in tree.locate_in_envelope_intersecting(&AABB::from_corners(lo, hi)) {
            let t = &segments[hit.data as usize];
            // Each pair of polygons is looked at from its lower index only, and never with itself.
            if t.owner <= s.owner {
                continue;
            }
            let touches = match params.contiguity {
                Contiguity::Queen => segment_distance(s, t) <= eps,
                Contiguity::Rook => share_stretch(s, t, eps) || share_stretch(t, s, eps),
            };
            if touches {
                edges.push((s.owner, t.owner));
            }
        }
    }
    edges.sort_unstable();
    edges.dedup();
    edges
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests unwrap what they just built
mod tests {
    use super::*;
    use geo::{polygon, LineString, Polygon};

    fn square(x: f64, y: f64, size: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size)
        ]])
    }

    type Edges = Vec<(u32, u32)>;

    /// Rook and queen edges.
    fn both(polys: &[MultiPolygon<f64>]) -> (Edges, Edges) {
        (
            polygon_adjacency(polys, &PolygonAdjacencyParams::new(Contiguity::Rook)),
            polygon_adjacency(polys, &PolygonAdjacencyParams::new(Contiguity::Queen)),
        )
    }

    #[test]
    fn three_by_three_grid_has_twelve_rook_and_twenty_queen_pairs() {
        let polys: Vec<_> = (0..9).map(|k| square((k % 3) as f64, (k / 3) as f64, 1.0)).collect();
        let (rook, queen) = both(&polys);
        assert_eq!(rook.len(), 12);
        assert_eq!(queen.len(), 20);
        assert!(queen.contains(&(0, 4)) && !rook.contains(&(0, 4)));
    }

    proptest::proptest! {
        #[test]
        fn grid_of_squares_matches_the_lattice(w in 1usize..7, h in 1usize..7, shuffle in 0usize..1000) {
            // Cells of a w x h grid, listed in a rotated order so unit indices do not follow the grid.
            let n = w * h;
            let cell = |k: usize| (k + shuffle) % n;
            let polys: Vec<_> = (0..n).map(|k| { let c = cell(k); square((c % w) as f64, (c / w) as f64, 1.0) }).collect();
            let (rook, queen) = both(&polys);
            let mut want_rook = 0;
            let mut want_queen = 0;
            for a in 0..n {
                for b in a + 1..n {
                    let (ca, cb) = (cell(a), cell(b));
                    let dx = (ca % w).abs_diff(cb % w);
                    let dy = (ca / w).abs_diff(cb / w);
                    if dx + dy == 1 { want_rook += 1; }
                    if dx.max(dy) == 1 { want_queen += 1; }
                    let is_rook = rook.binary_search(&(a as u32, b as u32)).is_ok();
                    let is_queen = queen.binary_search(&(a as u32, b as u32)).is_ok();
                    proptest::prop_assert_eq!(is_rook, dx + dy == 1);
                    proptest::prop_assert_eq!(is_queen, dx.max(dy) == 1);
                }
            }
            proptest::prop_assert_eq!(rook.len(), want_rook);
            proptest::prop_assert_eq!(queen.len(), want_queen);
        }
    }

    #[test]
    fn t_junction_border_split_at_different_vertices_is_rook() {
        // Polygon 1's left side has an extra vertex at (1, 0.5) that polygon 0's right side lacks.
        let a = square(0.0, 0.0, 1.0);
        let b = MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![
                (1.0, 0.0),
                (2.0, 0.0),
                (2.0, 1.0),
                (1.0, 1.0),
                (1.0, 0.5),
                (1.0, 0.0),
            ]),
            vec![],
        )]);
        let (rook, queen) = both(&[a, b]);
        assert_eq!(rook, vec![(0, 1)]);
        assert_eq!(queen, vec![(0, 1)]);
    }

    #[test]
    fn small_square_against_a_long_side_is_rook() {
        // A unit square beside the middle of a 3-long side: no shared vertices at all.
        let big = square(0.0, 0.0, 3.0);
        let small = square(3.0, 1.0, 1.0);
        let (rook, queen) = both(&[big, small]);
        assert_eq!(rook, vec![(0, 1)]);
        assert_eq!(queen, vec![(0, 1)]);
    }

    #[test]
    fn gap_wider_than_tolerance_is_not_a_neighbour_but_tolerance_bridges_it() {
        let polys = [square(0.0, 0.0, 1.0), square(1.001, 0.0, 1.0)];
        let (rook, queen) = both(&polys);
        assert!(rook.is_empty() && queen.is_empty());
        let loose = PolygonAdjacencyParams::new(Contiguity::Rook).tolerance(0.01);
        assert_eq!(polygon_adjacency(&polys, &loose), vec![(0, 1)]);
    }

    #[test]
    fn enclave_touches_through_the_hole() {
        let outer = MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]),
            vec![LineString::from(vec![
                (1.0, 1.0),
                (2.0, 1.0),
                (2.0, 2.0),
                (1.0, 2.0),
                (1.0, 1.0),
            ])],
        )]);
        let (rook, _) = both(&[square(1.0, 1.0, 1.0), outer]);
        assert_eq!(rook, vec![(0, 1)]);
    }

    #[test]
    fn multipolygon_parts_count_for_their_unit_and_empty_units_have_none() {
        let mut two = square(0.0, 0.0, 1.0);
        two.0.extend(square(5.0, 0.0, 1.0).0);
        let polys = [two, square(6.0, 0.0, 1.0), MultiPolygon::new(vec![])];
        let (rook, _) = both(&polys);
        assert_eq!(rook, vec![(0, 1)]);
    }
}
