//! Adjacency of points from their Delaunay triangulation, for units that come without polygons.

use std::collections::HashMap;

use spade::{DelaunayTriangulation, HasPosition, Point2, Triangulation};
use thiserror::Error;

/// A point set that cannot be triangulated.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum DelaunayError {
    /// A coordinate is NaN or infinite.
    #[error("point {index} has a non-finite coordinate ({x}, {y})")]
    NonFinite {
        /// 0-based index of the point.
        index: usize,
        /// Its first coordinate.
        x: f64,
        /// Its second coordinate.
        y: f64,
    },
    /// The triangulation library refused the points (coordinates beyond its supported range).
    #[error("the points cannot be triangulated: {0}")]
    Triangulation(String),
}

/// One triangulation vertex: a position and the index of the first point found there.
struct Site {
    pos: Point2<f64>,
    point: u32,
}

impl HasPosition for Site {
    type Scalar = f64;
    fn position(&self) -> Point2<f64> {
        self.pos
    }
}

/// Spade rejects non-zero magnitudes below about 1e-292 (their squares underflow); such values are zero for
/// any map, so they are flushed rather than refused.
fn flush(v: f64) -> f64 {
    if v.abs() < 1e-200 {
        0.0
    } else {
        v
    }
}

/// Undirected edges `(a, b)`, `a < b`, of the Delaunay triangulation of planar points, sorted.
///
/// Two units are neighbours when their points share a triangle edge: each point is linked to the points around
/// it in every direction, which is the usual contiguity stand-in for point data (ZIP centroids, accounts).
/// Points at the same position are triangulated once, at the first of them; every later duplicate is linked
/// to that first point, so it inherits that point's connection to the rest of the graph. Fewer than two
/// distinct positions give no triangle edges; collinear points are chained along their line.
///
/// Project (lon, lat) first with [`super::equirectangular_km`], or the triangulation is stretched east–west.
///
/// Reference: Delaunay (1934); triangulated by the `spade` crate's incremental bulk loader.
///
/// # Errors
/// [`DelaunayError::NonFinite`] for a NaN or infinite coordinate.
///
/// # Complexity
/// O(n log n) expected time, O(n) memory.
///
/// # Example
/// ```
/// use tessera_optimizer::spatial::delaunay_edges;
/// // A unit square with its centre: the centre touches every corner, the corners touch their sides.
/// let pts = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.5, 0.5]];
/// let edges = delaunay_edges(&pts).unwrap();
/// assert_eq!(edges.len(), 8);
/// assert!(edges.contains(&(0, 4)) && edges.contains(&(0, 1)));
/// ```
pub fn delaunay_edges(points: &[[f64; 2]]) -> Result<Vec<(u32, u32)>, DelaunayError> {
    let mut first_at: HashMap<(u64, u64), u32> = HashMap::with_capacity(points.len());
    let mut sites = Vec::with_capacity(points.len());
    let mut edges = Vec::new();
    for (i, &[x, y]) in points.iter().enumerate() {
        if !x.is_finite() || !y.is_finite() {
            return Err(DelaunayError::NonFinite { index: i, x, y });
        }
        // `+ 0.0` turns -0.0 into 0.0 so both spellings of zero are one position.
        let (x, y) = (flush(x) + 0.0, flush(y) + 0.0);
        match first_at.get(&(x.to_bits(), y.to_bits())) {
            Some(&first) => edges.push((first, i as u32)),
            None => {
                first_at.insert((x.to_bits(), y.to_bits()), i as u32);
                sites.push(Site {
                    pos: Point2::new(x, y),
                    point: i as u32,
                });
            }
        }
    }
    let tri: DelaunayTriangulation<Site> =
        DelaunayTriangulation::bulk_load(sites).map_err(|e| DelaunayError::Triangulation(format!("{e:?}")))?;
    for e in tri.undirected_edges() {
        let [a, b] = e.vertices();
        let (a, b) = (a.data().point, b.data().point);
        edges.push((a.min(b), a.max(b)));
    }
    edges.sort_unstable();
    edges.dedup();
    Ok(edges)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests unwrap what they just built
mod tests {
    use super::*;
    use crate::model::Adjacency;

    #[test]
    fn square_with_centre_has_eight_edges() {
        let pts = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.5, 0.5]];
        let e = delaunay_edges(&pts).unwrap();
        assert_eq!(e, vec![(0, 1), (0, 3), (0, 4), (1, 2), (1, 4), (2, 3), (2, 4), (3, 4)]);
    }

    #[test]
    fn duplicate_points_are_linked_to_the_first() {
        let pts = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [-0.0, 0.0]];
        let e = delaunay_edges(&pts).unwrap();
        assert!(e.contains(&(1, 3)));
        assert!(e.contains(&(0, 4)));
        let g = Adjacency::from_edges(pts.len(), &e);
        assert_eq!(g.components().1, 1);
    }

    #[test]
    fn collinear_points_are_chained() {
        let pts = [[0.0, 0.0], [2.0, 0.0], [1.0, 0.0], [3.0, 0.0]];
        let e = delaunay_edges(&pts).unwrap();
        assert_eq!(e, vec![(0, 2), (1, 2), (1, 3)]);
    }

    #[test]
    fn one_or_no_point_has_no_edges() {
        assert!(delaunay_edges(&[]).unwrap().is_empty());
        assert!(delaunay_edges(&[[1.0, 2.0]]).unwrap().is_empty());
    }

    proptest::proptest! {
        #[test]
        fn triangulation_is_connected_and_planar_sized(
            pts in proptest::collection::vec((-5i32..5, -5i32..5), 1..80),
        ) {
            // Integer grid coordinates make duplicates and collinear runs common.
            let pts: Vec<[f64; 2]> = pts.into_iter().map(|(x, y)| [x as f64, y as f64]).collect();
            let n = pts.len();
            let e = delaunay_edges(&pts).unwrap();
            proptest::prop_assert!(e.iter().all(|&(a, b)| a < b && (b as usize) < n));
            proptest::prop_assert!(e.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
            proptest::prop_assert_eq!(Adjacency::from_edges(n, &e).components().1, 1);
            // Distinct points: at most 3m - 3 edges in a triangulation; each duplicate adds one link.
            let distinct = {
                let mut d = pts.iter().map(|p| (p[0] as i64, p[1] as i64)).collect::<Vec<_>>();
                d.sort_unstable();
                d.dedup();
                d.len()
            };
            proptest::prop_assert!(e.len() <= 3 * distinct + (n - distinct));
        }
    }

    #[test]
    fn non_finite_coordinates_are_refused() {
        let err = delaunay_edges(&[[0.0, 0.0], [f64::NAN, 1.0]]).unwrap_err();
        assert!(matches!(err, DelaunayError::NonFinite { index: 1, .. }));
    }

    #[test]
    fn tiny_coordinates_are_flushed_not_refused() {
        let e = delaunay_edges(&[[0.0, 0.0], [1e-300, 1.0], [1.0, 0.0]]).unwrap();
        assert_eq!(e.len(), 3);
    }
}
