//! Territory shapes: each territory's units dissolved into one valid (multi)polygon with geo's boolean
//! operations, holes and separate parts kept; for units that are points only (ZIP centroids, accounts), the
//! units' Voronoi cells (from spade's Delaunay triangulation), clipped to the concave outline of all the points.
//!
//! Why the orientation step: [`geo::unary_union`] picks its fill rule from the winding of the first ring it
//! sees, so rings are first brought to one orientation (exteriors counter-clockwise, holes clockwise).
//! Why only [`writable_outline`]s: the union is defined on valid polygons only; an invalid unit outline would be
//! unpredictable in the result.

use geo::orient::{Direction, Orient};
use geo::{unary_union, BooleanOps, Buffer, ConcaveHull, Coord, LineString, MultiPoint, MultiPolygon, Point, Polygon};
use spade::{DelaunayTriangulation, HasPosition, Point2, Triangulation};
use tessera_optimizer::Plan;

use crate::outline::writable_outline;
use crate::Dataset;

/// How the territory shapes were made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeSource {
    /// Union of the units' polygons.
    UnitPolygons,
    /// Union of the units' Voronoi cells, clipped to the points' concave outline.
    VoronoiCells,
}

/// One territory's dissolved shape, in the plan's territory order (empty for a territory without units).
#[derive(Debug, Clone, PartialEq)]
pub struct TerritoryShapes {
    /// How the shapes were made.
    pub source: ShapeSource,
    /// One multipolygon per territory of the plan.
    pub shapes: Vec<MultiPolygon<f64>>,
}

/// The territories of `plan` as shapes: unions of the unit polygons when the dataset has polygons, else of
/// the units' Voronoi cells clipped to the points' outline.
///
/// Units whose outline is not valid (a line kept as a polygon by an old workbook) are left out of the union;
/// without polygons, coincident points share one cell, which goes to the first of them.
///
/// # Panics
/// If `plan` does not have one entry per unit (a caller bug).
pub fn territory_shapes(dataset: &Dataset, plan: &Plan) -> TerritoryShapes {
    assert_eq!(plan.territory_of().len(), dataset.units.len(), "plan covers every unit");
    match &dataset.polygons {
        Some(polys) => {
            let cells: Vec<MultiPolygon<f64>> = polys
                .iter()
                .map(|p| writable_outline(p).into_owned().orient(Direction::Default))
                .collect();
            TerritoryShapes {
                source: ShapeSource::UnitPolygons,
                shapes: dissolve(&cells, plan),
            }
        }
        None => {
            let (cells, outline) = voronoi_cells(dataset.units.lon(), dataset.units.lat());
            let shapes = dissolve(&cells, plan)
                .into_iter()
                .map(|s| if s.0.is_empty() { s } else { s.intersection(&outline) })
                .collect();
            TerritoryShapes {
                source: ShapeSource::VoronoiCells,
                shapes,
            }
        }
    }
}

/// The union of `cells` per territory of `plan`.
fn dissolve(cells: &[MultiPolygon<f64>], plan: &Plan) -> Vec<MultiPolygon<f64>> {
    plan.members()
        .iter()
        .map(|members| {
            let parts: Vec<&MultiPolygon<f64>> =
                members.iter().map(|&i| &cells[i]).filter(|c| !c.0.is_empty()).collect();
            if parts.is_empty() {
                MultiPolygon::new(vec![])
            } else {
                unary_union(parts).orient(Direction::Default)
            }
        })
        .collect()
}

/// A point of the triangulation: a unit's position in scaled coordinates.
#[derive(Clone, Copy)]
struct Site(Point2<f64>);

impl HasPosition for Site {
    type Scalar = f64;
    fn position(&self) -> Point2<f64> {
        self.0
    }
}

/// Every unit's Voronoi cell (in lon/lat) and the points' concave outline, widened by half the median distance
/// between neighbouring points so the outermost points lie inside it.
///
/// The triangulation runs on `x = lon · cos(mean latitude)`, `y = lat`, so cells are not stretched east–west
/// (a degree of longitude is shorter than one of latitude away from the equator); the cells are mapped back
/// to lon/lat afterwards. Four far sites around the points make every unit's cell bounded.
pub fn voronoi_cells(lon: &[f64], lat: &[f64]) -> (Vec<MultiPolygon<f64>>, MultiPolygon<f64>) {
    let n = lon.len();
    let empty = MultiPolygon::new(vec![]);
    if n == 0 {
        return (vec![], empty);
    }
    let mean_lat = lat.iter().sum::<f64>() / n as f64;
    let k = mean_lat.to_radians().cos().max(0.1);
    let (xs, ys): (Vec<f64>, Vec<f64>) = (lon.iter().map(|x| x * k).collect(), lat.to_vec());
    let (min_x, max_x) = xs.iter().fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    let (min_y, max_y) = ys.iter().fold((f64::MAX, f64::MIN), |(a, b), &y| (a.min(y), b.max(y)));
    let span = (max_x - min_x).max(max_y - min_y).max(1e-6);
    let (cx, cy) = ((min_x + max_x) / 2.0, (min_y + max_y) / 2.0);

    let mut tri: DelaunayTriangulation<Site> = DelaunayTriangulation::new();
    let mut handle_of = Vec::with_capacity(n);
    for i in 0..n {
        handle_of.push(tri.insert(Site(Point2::new(xs[i], ys[i]))).ok());
    }
    for (dx, dy) in [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)] {
        // Far enough that no unit's cell reaches past them within the outline.
        let _ = tri.insert(Site(Point2::new(cx + dx * span * 10.0, cy + dy * span * 10.0)));
    }
    // Half the median distance between neighbouring points: how far the outline reaches past the outermost
    // points, so they lie inside it (on a bare hull they would sit on its edge, their cells cut in half).
    let mut lengths: Vec<f64> = tri
        .undirected_edges()
        .filter_map(|e| {
            let [a, b] = e.vertices();
            let (pa, pb) = (a.position(), b.position());
            let far = |p: Point2<f64>| (p.x - cx).abs() > span * 2.0 || (p.y - cy).abs() > span * 2.0;
            (!far(pa) && !far(pb)).then(|| ((pa.x - pb.x).powi(2) + (pa.y - pb.y).powi(2)).sqrt())
        })
        .collect();
    lengths.sort_by(|a, b| a.total_cmp(b));
    let margin = lengths.get(lengths.len() / 2).copied().unwrap_or(span * 0.01).max(1e-9) * 0.5;
    let (min_x, max_x, min_y, max_y) = (min_x - margin, max_x + margin, min_y - margin, max_y + margin);
    let to_lonlat = |p: Point2<f64>| Coord { x: p.x / k, y: p.y };
    let mut owner_taken = std::collections::HashSet::new();
    let cells = (0..n)
        .map(|i| {
            let Some(h) = handle_of[i] else { return empty.clone() };
            if !owner_taken.insert(h) {
                return empty.clone(); // a coincident point: its cell went to the first unit there
            }
            let v = tri.vertex(h);
            let mut ring: Vec<Coord<f64>> = Vec::new();
            for e in v.out_edges() {
                match e.face().as_inner() {
                    Some(f) => ring.push(to_lonlat(f.circumcenter())),
                    None => return empty.clone(),
                }
            }
            // Cells at the edge reach towards the far sites; cut them to the points' box (which holds the
            // outline), so the unions that follow work on shapes of the territories' own size (the boolean
            // operations snap to a grid over their inputs' extent: a 10× larger extent is 10× coarser).
            let ring = clip_to_box(&ring, [min_x / k, max_x / k, min_y, max_y]);
            if ring.len() < 3 {
                return empty.clone();
            }
            MultiPolygon::new(vec![Polygon::new(LineString::new(ring), vec![])]).orient(Direction::Default)
        })
        .collect();
    let outline = if n >= 3 {
        let points: MultiPoint<f64> = lon.iter().zip(lat).map(|(&x, &y)| Point::new(x, y)).collect();
        let hull = points.concave_hull();
        hull.buffer(margin).orient(Direction::Default)
    } else {
        empty
    };
    (cells, outline)
}

/// A convex polygon (open ring) cut to the box `[min_x, max_x, min_y, max_y]` (Sutherland–Hodgman, one box
/// side at a time); convex in, convex out, so no boolean operation is needed.
fn clip_to_box(ring: &[Coord<f64>], [min_x, max_x, min_y, max_y]: [f64; 4]) -> Vec<Coord<f64>> {
    type Side = (
        fn(Coord<f64>, f64) -> bool,
        fn(Coord<f64>, Coord<f64>, f64) -> Coord<f64>,
        f64,
    );
    fn at_x(a: Coord<f64>, b: Coord<f64>, x: f64) -> Coord<f64> {
        let t = (x - a.x) / (b.x - a.x);
        Coord {
            x,
            y: a.y + t * (b.y - a.y),
        }
    }
    fn at_y(a: Coord<f64>, b: Coord<f64>, y: f64) -> Coord<f64> {
        let t = (y - a.y) / (b.y - a.y);
        Coord {
            x: a.x + t * (b.x - a.x),
            y,
        }
    }
    let sides: [Side; 4] = [
        (|c, v| c.x >= v, at_x, min_x),
        (|c, v| c.x <= v, at_x, max_x),
        (|c, v| c.y >= v, at_y, min_y),
        (|c, v| c.y <= v, at_y, max_y),
    ];
    let mut poly = ring.to_vec();
    for (inside, cut, v) in sides {
        if poly.is_empty() {
            break;
        }
        let mut out = Vec::with_capacity(poly.len() + 1);
        for (j, &cur) in poly.iter().enumerate() {
            let prev = poly[(j + poly.len() - 1) % poly.len()];
            match (inside(prev, v), inside(cur, v)) {
                (true, true) => out.push(cur),
                (true, false) => out.push(cut(prev, cur, v)),
                (false, true) => {
                    out.push(cut(prev, cur, v));
                    out.push(cur);
                }
                (false, false) => {}
            }
        }
        poly = out;
    }
    poly
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AdjacencySource;
    use geo::{polygon, Area, Contains, Validation};
    use tessera_optimizer::{Adjacency, Units};

    fn square(x: f64, y: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![
            polygon![(x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)],
        ])
    }

    /// A 3×3 grid of unit squares: territory "ring" is the 8 outer squares (a shape with a hole), territory
    /// "middle" the centre one; a tenth square far away joins "middle" (two parts).
    fn grid() -> (Dataset, Plan) {
        let mut polys = Vec::new();
        let mut of = Vec::new();
        let mut ids = Vec::new();
        for r in 0..3 {
            for c in 0..3 {
                polys.push(square(c as f64, r as f64));
                of.push(u32::from(r == 1 && c == 1));
                ids.push(format!("{r}{c}"));
            }
        }
        polys.push(square(10.0, 10.0));
        of.push(1);
        ids.push("far".into());
        let n = ids.len();
        let units = Units::new(ids, vec![0.5; n], vec![0.5; n], vec![]).expect("units");
        let ds = Dataset {
            units,
            adjacency: Adjacency::from_edges(n, &[]),
            adjacency_source: AdjacencySource::File,
            bridged: vec![],
            polygons: Some(polys),
            reps: vec![],
            current: None,
        };
        (ds, Plan::new(of, vec!["ring".into(), "middle".into()]))
    }

    #[test]
    fn dissolving_keeps_holes_and_separate_parts_and_the_area() {
        let (ds, plan) = grid();
        let t = territory_shapes(&ds, &plan);
        assert_eq!(t.source, ShapeSource::UnitPolygons);
        let ring = &t.shapes[0];
        assert_eq!(ring.0.len(), 1);
        assert_eq!(ring.0[0].interiors().len(), 1, "the middle square is a hole: {ring:?}");
        assert!((ring.unsigned_area() - 8.0).abs() < 1e-12);
        let middle = &t.shapes[1];
        assert_eq!(middle.0.len(), 2, "two separate parts");
        assert!((middle.unsigned_area() - 2.0).abs() < 1e-12);
        assert!(ring.is_valid() && middle.is_valid());
    }

    #[test]
    fn voronoi_cells_tile_the_outline_and_territories_cover_it() {
        // A jittered 12×12 grid of points and two territories split by x.
        let (mut lon, mut lat) = (Vec::new(), Vec::new());
        for r in 0..12 {
            for c in 0..12 {
                lon.push(-90.0 + c as f64 * 0.1 + ((r * 7 + c * 3) % 5) as f64 * 0.004);
                lat.push(40.0 + r as f64 * 0.1 + ((r * 3 + c * 5) % 7) as f64 * 0.003);
            }
        }
        let n = lon.len();
        let of: Vec<u32> = lon.iter().map(|&x| u32::from(x > -89.45)).collect();
        let ids = (0..n).map(|i| i.to_string()).collect();
        let units = Units::new(ids, lon.clone(), lat.clone(), vec![]).expect("units");
        let ds = Dataset {
            units,
            adjacency: Adjacency::from_edges(n, &[]),
            adjacency_source: AdjacencySource::Delaunay,
            bridged: vec![],
            polygons: None,
            reps: vec![],
            current: None,
        };
        let plan = Plan::new(of.clone(), vec!["W".into(), "E".into()]);
        let t = territory_shapes(&ds, &plan);
        assert_eq!(t.source, ShapeSource::VoronoiCells);
        let (_, outline) = voronoi_cells(&lon, &lat);
        let total: f64 = t.shapes.iter().map(|s| s.unsigned_area()).sum();
        assert!(
            (total - outline.unsigned_area()).abs() <= 1e-9 * outline.unsigned_area(),
            "{total} vs {}",
            outline.unsigned_area()
        );
        for (i, (&x, &y)) in lon.iter().zip(&lat).enumerate() {
            let p = Point::new(x, y);
            let own = &t.shapes[of[i] as usize];
            let other = &t.shapes[1 - of[i] as usize];
            // The outline reaches past the outermost points: every point is inside, in its own territory.
            assert!(outline.contains(&p), "unit {i} outside the outline");
            assert!(own.contains(&p) && !other.contains(&p), "unit {i}");
        }
        assert!(t.shapes.iter().all(|s| s.is_valid()));
    }
}
