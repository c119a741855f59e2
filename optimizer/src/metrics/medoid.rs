//! Weighted medoid: the member minimising the weighted distance sum to all members.

use crate::geodesy::{GeoPoint, EARTH_RADIUS_KM};

/// The member of `members` that minimises `Σ_j w_j · km(candidate, j)` over the members, with that sum.
/// Ties go to the earliest member. `None` when `members` is empty.
///
/// Exact, with two prunings that never change the answer:
/// - a lower bound per candidate c: every great-circle distance is at least the chord between the points on
///   the sphere of radius R, and by the triangle inequality `Σ_j w_j |x_c − x_j| ≥ W |x_c − x̄|` (x̄ the
///   weighted centroid of the members' 3-D positions, W their total weight). Candidates are tried in order of
///   that bound, and the search ends once the bound of the next one exceeds the best sum found: on real
///   territories the medoid lies near the centroid, so most far members are never summed;
/// - each sum stops as soon as it passes the best so far.
pub fn weighted_medoid(members: &[usize], pts: &[GeoPoint], w: &[f64]) -> Option<(usize, f64)> {
    if members.is_empty() {
        return None;
    }
    let xyz: Vec<[f64; 3]> = members.iter().map(|&j| pts[j].xyz).collect();
    let total: f64 = members.iter().map(|&j| w[j]).sum();
    let mut centroid = [0.0; 3];
    for (&j, x) in members.iter().zip(&xyz) {
        for d in 0..3 {
            centroid[d] += w[j] * x[d];
        }
    }
    // The bound is only used to skip candidates; a sliver below it absorbs the rounding of the distances.
    let mut order: Vec<(f64, usize)> = xyz
        .iter()
        .enumerate()
        .map(|(k, x)| {
            let norm = (0..3).map(|d| (total * x[d] - centroid[d]).powi(2)).sum::<f64>().sqrt();
            (EARTH_RADIUS_KM * norm * (1.0 - 1e-9), k)
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut best = (usize::MAX, f64::INFINITY);
    for &(bound, k) in &order {
        if bound > best.1 {
            break; // every later candidate's sum is at least its bound, which is larger still
        }
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
    use proptest::prelude::*;

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

    /// Every candidate summed in full: the definition the pruned search must match exactly.
    fn brute_force(members: &[usize], pts: &[GeoPoint], w: &[f64]) -> (usize, f64) {
        let mut best = (usize::MAX, f64::INFINITY);
        for (k, &i) in members.iter().enumerate() {
            let s: f64 = members.iter().map(|&j| w[j] * pts[i].km(&pts[j])).sum();
            if s < best.1 || (s == best.1 && k < best.0) {
                best = (k, s);
            }
        }
        (members[best.0], best.1)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// The bound and the early stops never change the medoid or its sum: clustered and spread points,
        /// zero and very uneven weights, repeated positions (ties), members in any order.
        #[test]
        fn pruned_medoid_equals_the_brute_force_one(
            pts in prop::collection::vec((-125.0f64..-65.0, 25.0f64..49.0, 0u8..4), 1..60),
            spread in prop_oneof![Just(0.01f64), Just(1.0), Just(40.0)],
            dup in 0usize..5,
        ) {
            let mut points: Vec<GeoPoint> = pts
                .iter()
                .map(|&(lon, lat, _)| GeoPoint::from_degrees(-95.0 + (lon + 95.0) * spread / 40.0, 37.0 + (lat - 37.0) * spread / 40.0))
                .collect();
            for k in 0..dup.min(points.len() - 1) {
                points[k + 1] = points[0];
            }
            let w: Vec<f64> = pts.iter().map(|&(_, _, c)| match c { 0 => 0.0, 1 => 1.0, 2 => 7.5, _ => 1000.0 }).collect();
            let members: Vec<usize> = (0..points.len()).rev().collect();
            let got = weighted_medoid(&members, &points, &w).unwrap();
            let want = brute_force(&members, &points, &w);
            prop_assert_eq!(got.0, want.0);
            prop_assert_eq!(got.1, want.1);
        }
    }
}
