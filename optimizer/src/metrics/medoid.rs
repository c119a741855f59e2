//! Weighted medoid: the member minimising the weighted distance sum to all members.

use crate::geodesy::GeoPoint;

/// The member of `members` that minimises `Σ_j w_j · km(candidate, j)` over the members, with that sum.
/// Ties go to the earliest member. `None` when `members` is empty.
///
/// Candidates are tried heaviest first and each sum stops as soon as it passes the best so far, which
/// prunes most of the O(n²) work on real territories without changing the answer.
pub fn weighted_medoid(members: &[usize], pts: &[GeoPoint], w: &[f64]) -> Option<(usize, f64)> {
    if members.is_empty() {
        return None;
    }
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|&a, &b| w[members[b]].total_cmp(&w[members[a]]).then(a.cmp(&b)));
    let mut best = (usize::MAX, f64::INFINITY);
    for &k in &order {
        let c = &pts[members[k]];
        let mut s = 0.0;
        let mut pruned = false;
        for &j in members {
            s += w[j] * c.km(&pts[j]);
            if s > best.1 {
                pruned = true;
                break;
            }
        }
        if !pruned && (s < best.1 || (s == best.1 && k < best.0)) {
            best = (k, s);
        }
    }
    Some((members[best.0], best.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medoid_of_a_line_is_its_middle() {
        let pts: Vec<GeoPoint> = (0..5).map(|i| GeoPoint::from_degrees(i as f64, 0.0)).collect();
        let (c, _) = weighted_medoid(&[0, 1, 2, 3, 4], &pts, &[1.0; 5]).unwrap();
        assert_eq!(c, 2);
    }

    #[test]
    fn heavy_unit_pulls_the_medoid() {
        let pts: Vec<GeoPoint> = (0..5).map(|i| GeoPoint::from_degrees(i as f64, 0.0)).collect();
        let (c, _) = weighted_medoid(&[0, 1, 2, 3, 4], &pts, &[1.0, 1.0, 1.0, 1.0, 100.0]).unwrap();
        assert_eq!(c, 4);
    }
}
