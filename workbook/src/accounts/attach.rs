//! Attaching accounts to units: by a key column matched to the unit ids, or by the unit polygon the account's
//! point falls in. An account that matches no unit is kept unattached and listed, never dropped.

use std::collections::HashMap;

use geo::{Contains, Intersects, MultiPolygon, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::RTree;
use tessera_optimizer::Units;

/// Where each account went.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    /// The unit index of each account, `None` when it matched no unit.
    pub unit_of: Vec<Option<usize>>,
    /// Accounts whose key matched a unit id only once leading zeros were restored or dropped (`1001` → unit
    /// `01001`), and the first such key with the unit id it matched.
    pub zero_padded: usize,
    /// The first key matched that way and the unit id it matched.
    pub zero_padded_example: Option<(String, String)>,
    /// Accounts on the border of two or more units' polygons (not inside any one), given to the first such unit
    /// in unit order.
    pub on_border: usize,
    /// Accounts outside every polygon given to the nearest one within the distance asked for
    /// ([`attach_by_point`]'s `nearest_within_km`).
    pub nearest: usize,
    /// The farthest of those, in km from its unit's polygon (0 when none).
    pub nearest_farthest_km: f64,
}

impl Attachment {
    /// Indices of the accounts that matched no unit, in file order.
    pub fn unmatched(&self) -> Vec<usize> {
        (0..self.unit_of.len()).filter(|&a| self.unit_of[a].is_none()).collect()
    }
}

/// Attaches each account to the unit whose id equals its key.
///
/// Keys and ids are compared as text, exactly (`01001` is not `1001`). Then, because a spreadsheet that read
/// codes as numbers drops their leading zeros, a key of digits only that matches no id exactly is matched
/// to the one unit id of digits only that equals it once leading zeros are removed from both (`1001` finds
/// unit `01001`, and `01001` finds unit `1001`); when two unit ids differ only by leading zeros (`01` and `1`)
/// no such match is made. Such matches are counted in [`Attachment::zero_padded`] so the caller can say so.
///
/// Complexity: O(n + a) hash look-ups for n units and a accounts.
pub fn attach_by_key(units: &Units, keys: &[String]) -> Attachment {
    // Digits-only ids by their form without leading zeros; `None` marks a form two ids share.
    let mut bare: HashMap<&str, Option<usize>> = HashMap::new();
    for (i, id) in units.ids().iter().enumerate() {
        if is_digits(id) {
            bare.entry(strip_zeros(id)).and_modify(|e| *e = None).or_insert(Some(i));
        }
    }
    let mut out = Attachment {
        unit_of: Vec::with_capacity(keys.len()),
        zero_padded: 0,
        zero_padded_example: None,
        on_border: 0,
        nearest: 0,
        nearest_farthest_km: 0.0,
    };
    for key in keys {
        let key = key.trim();
        let unit = units.index_of(key).or_else(|| {
            let i = is_digits(key)
                .then(|| bare.get(strip_zeros(key)).copied().flatten())
                .flatten()?;
            out.zero_padded += 1;
            out.zero_padded_example
                .get_or_insert_with(|| (key.to_string(), units.ids()[i].clone()));
            Some(i)
        });
        out.unit_of.push(unit);
    }
    out
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `s` without leading zeros, keeping one digit of an all-zero code (`000` → `0`).
fn strip_zeros(s: &str) -> &str {
    let t = s.trim_start_matches('0');
    if t.is_empty() {
        &s[s.len() - 1..]
    } else {
        t
    }
}

/// Attaches each account at `(lon, lat)` to the unit whose polygon holds it: an R-tree over the polygons'
/// bounding boxes finds the candidates, then an exact point-in-polygon test decides. A point inside no
/// polygon but on the border of some (`Intersects` without `Contains`) goes to the first of those in unit
/// order, counted in [`Attachment::on_border`]. A point outside every polygon (in the sea off a generalised
/// coast) matches no unit — unless `nearest_within_km` is given: then it goes to the unit whose polygon is
/// nearest, if that is within this many km (great-circle distance from the point to the polygon's closest point
/// in longitude/latitude), counted in [`Attachment::nearest`].
///
/// Complexity: O(n log n) to build the tree, then per account O(log n + k·v) for k candidate polygons of v
/// vertices.
pub fn attach_by_point(
    polygons: &[MultiPolygon<f64>],
    points: &[(f64, f64)],
    nearest_within_km: Option<f64>,
) -> Attachment {
    use geo::BoundingRect;
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = polygons
        .iter()
        .enumerate()
        .filter_map(|(i, mp)| {
            let r = mp.bounding_rect()?;
            Some(GeomWithData::new(
                Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                i,
            ))
        })
        .collect();
    let tree = RTree::bulk_load(boxes);
    let mut out = Attachment {
        unit_of: Vec::with_capacity(points.len()),
        zero_padded: 0,
        zero_padded_example: None,
        on_border: 0,
        nearest: 0,
        nearest_farthest_km: 0.0,
    };
    let mut candidates: Vec<usize> = Vec::new();
    for &(x, y) in points {
        let p = Point::new(x, y);
        candidates.clear();
        candidates.extend(tree.locate_all_at_point(&[x, y]).map(|g| g.data));
        // The tree's order is not unit order; the rule (first unit on a border) needs unit order.
        candidates.sort_unstable();
        let inside = candidates.iter().copied().find(|&i| polygons[i].contains(&p));
        let unit = inside
            .or_else(|| {
                let i = candidates.iter().copied().find(|&i| polygons[i].intersects(&p))?;
                out.on_border += 1;
                Some(i)
            })
            .or_else(|| {
                let (i, km) = nearest_polygon(&tree, polygons, p, nearest_within_km?)?;
                out.nearest += 1;
                out.nearest_farthest_km = out.nearest_farthest_km.max(km);
                Some(i)
            });
        out.unit_of.push(unit);
    }
    out
}

/// The polygon nearest to `p` within `km` (and its distance), the first in unit order on a tie: every polygon
/// whose box meets the box `km` around `p` is measured.
fn nearest_polygon(
    tree: &RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    polygons: &[MultiPolygon<f64>],
    p: Point<f64>,
    km: f64,
) -> Option<(usize, f64)> {
    use geo::{Closest, ClosestPoint, Distance, Haversine};
    // Degrees of latitude and (at this latitude, never less than at 89°) of longitude spanned by `km`.
    let dy = km / 111.0;
    let dx = km / (111.0 * p.y().to_radians().cos().max(89f64.to_radians().cos()));
    let envelope = rstar::AABB::from_corners([p.x() - dx, p.y() - dy], [p.x() + dx, p.y() + dy]);
    let mut found: Vec<usize> = tree
        .locate_in_envelope_intersecting(&envelope)
        .map(|g| g.data)
        .collect();
    found.sort_unstable();
    found
        .into_iter()
        .filter_map(|i| match polygons[i].closest_point(&p) {
            Closest::Intersection(q) | Closest::SinglePoint(q) => Some((i, Haversine.distance(p, q) / 1000.0)),
            Closest::Indeterminate => None,
        })
        .filter(|&(_, d)| d <= km)
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, MultiPolygon};

    fn units(ids: &[&str]) -> Units {
        let n = ids.len();
        Units::new(
            ids.iter().map(|s| s.to_string()).collect(),
            vec![0.0; n],
            vec![0.0; n],
            vec![],
        )
        .expect("units")
    }

    #[test]
    fn keys_match_exactly_then_with_leading_zeros_restored() {
        let u = units(&["01001", "01003", "48201", "7"]);
        let keys: Vec<String> = ["01001", "1003", "48201", "99999", "007", "1001 "]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let a = attach_by_key(&u, &keys);
        assert_eq!(a.unit_of, vec![Some(0), Some(1), Some(2), None, Some(3), Some(0)]);
        assert_eq!(a.zero_padded, 3);
        assert_eq!(a.zero_padded_example, Some(("1003".into(), "01003".into())));
        assert_eq!(a.unmatched(), vec![3]);
    }

    #[test]
    fn ids_that_differ_only_by_leading_zeros_get_no_padded_match() {
        let u = units(&["01", "1"]);
        let a = attach_by_key(&u, &["001".to_string(), "1".to_string()]);
        assert_eq!(a.unit_of, vec![None, Some(1)]);
    }

    #[test]
    fn points_go_to_the_polygon_holding_them_or_the_first_on_a_border() {
        let square = |x0: f64| {
            MultiPolygon::new(vec![
                polygon![(x: x0, y: 0.0), (x: x0 + 1.0, y: 0.0), (x: x0 + 1.0, y: 1.0), (x: x0, y: 1.0)],
            ])
        };
        let polys = vec![square(0.0), square(1.0)];
        let a = attach_by_point(&polys, &[(0.5, 0.5), (1.5, 0.5), (1.0, 0.5), (3.0, 0.5)], None);
        assert_eq!(a.unit_of, vec![Some(0), Some(1), Some(0), None]);
        assert_eq!(a.on_border, 1);
    }

    #[test]
    fn a_point_outside_every_polygon_goes_to_the_nearest_only_within_the_distance() {
        let square = |x0: f64| {
            MultiPolygon::new(vec![
                polygon![(x: x0, y: 0.0), (x: x0 + 1.0, y: 0.0), (x: x0 + 1.0, y: 1.0), (x: x0, y: 1.0)],
            ])
        };
        let polys = vec![square(0.0), square(1.0)];
        // 0.01° east of the second square (about 1.11 km at the equator), and 0.5° away (about 56 km).
        let points = [(2.01, 0.5), (2.5, 0.5)];
        let a = attach_by_point(&polys, &points, Some(2.0));
        assert_eq!(a.unit_of, vec![Some(1), None]);
        assert_eq!(a.nearest, 1);
        assert!(
            (a.nearest_farthest_km - 1.112).abs() < 0.01,
            "{}",
            a.nearest_farthest_km
        );
        assert_eq!(attach_by_point(&polys, &points, None).unit_of, vec![None, None]);
        assert_eq!(
            attach_by_point(&polys, &points, Some(100.0)).unit_of,
            vec![Some(1), Some(1)]
        );
    }
}
