//! Unit outlines that are safe to write: every writer of polygons (the GeoJSON export, the workbook's
//! GeoPackage table) passes its outlines through [`writable_outline`], so no file Tessera writes holds an
//! invalid geometry, whatever an older workbook or a caller kept in memory.
//!
//! Valid means valid by geo's [`Validation`] (the OGC simple-features rules: closed rings of at least four
//! positions, no self-intersection, holes inside their shell, parts that do not overlap). A GIS refuses or
//! silently repairs anything else, and a repair can change which units touch.

use std::borrow::Cow;

use geo::{Area, MultiPolygon, Validation};

/// `outline` when it is valid; else its valid parts, or, when those still overlap one another, its largest
/// valid part alone. The result is always valid, and empty when no part is (a unit collapsed to a line in an
/// old workbook).
///
/// ```
/// use geo::{polygon, MultiPolygon, Validation};
/// use tessera_workbook::outline::writable_outline;
/// let square = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
/// let sliver = polygon![(x: 5.0, y: 5.0), (x: 6.0, y: 6.0), (x: 5.0, y: 5.0)]; // a line out and back
/// let outline = MultiPolygon::new(vec![square.clone(), sliver]);
/// let out = writable_outline(&outline);
/// assert_eq!(out.0, vec![square]);
/// assert!(out.is_valid());
/// ```
pub fn writable_outline(outline: &MultiPolygon<f64>) -> Cow<'_, MultiPolygon<f64>> {
    if outline.is_valid() {
        return Cow::Borrowed(outline);
    }
    let parts: Vec<_> = outline.0.iter().filter(|p| p.is_valid()).cloned().collect();
    let valid_parts = MultiPolygon::new(parts);
    if valid_parts.is_valid() {
        return Cow::Owned(valid_parts);
    }
    let largest = valid_parts
        .0
        .into_iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()));
    Cow::Owned(MultiPolygon::new(largest.into_iter().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn a_valid_outline_is_written_as_it_is() {
        let mp = MultiPolygon::new(vec![
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)],
            polygon![(x: 2.0, y: 0.0), (x: 3.0, y: 0.0), (x: 3.0, y: 1.0)],
        ]);
        assert!(matches!(writable_outline(&mp), Cow::Borrowed(_)));
    }

    #[test]
    fn the_three_point_ring_of_a_collapsed_line_is_dropped() {
        // What versions before this one stored for county 51610 (Falls Church, VA): a line out and back.
        let ring = polygon![(x: -77.17191, y: 38.89299), (x: -77.15037, y: 38.87581), (x: -77.17191, y: 38.89299)];
        let mp = MultiPolygon::new(vec![ring]);
        assert!(!mp.is_valid());
        assert!(writable_outline(&mp).0.is_empty());
    }

    #[test]
    fn overlapping_parts_keep_the_largest() {
        let big = polygon![(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0)];
        let small = polygon![(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 2.0)];
        let both = MultiPolygon::new(vec![small, big.clone()]);
        assert_eq!(writable_outline(&both).0, vec![big]);
    }
}
