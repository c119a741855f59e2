//! Weighted k-means++ seeding of territory centers.

use rand::Rng;

use crate::assign::allocate::sphere_xyz;
use crate::geodesy::GeoPoint;

/// Picks `p` distinct units as first centers by weighted k-means++ (Arthur & Vassilvitskii, 2007): the first
/// with probability proportional to its weight, each next one proportional to weight × squared distance to
/// the nearest center chosen so far. Units of zero weight are chosen only when nothing else is left.
///
/// Complexity: O(n·p).
///
/// # Panics
/// If `p > points.len()` or the slices differ in length.
pub fn kmeans_pp(points: &[GeoPoint], weights: &[f64], p: usize, rng: &mut impl Rng) -> Vec<usize> {
    let n = points.len();
    assert!(p <= n, "more centers than units");
    assert_eq!(weights.len(), n);
    let mut chosen = Vec::with_capacity(p);
    let mut is_chosen = vec![false; n];
    let mut d2 = vec![f64::INFINITY; n];
    let pick = |score: &dyn Fn(usize) -> f64, is_chosen: &[bool], rng: &mut dyn rand::RngCore| -> usize {
        let total: f64 = (0..n).filter(|&i| !is_chosen[i]).map(score).sum();
        if total > 0.0 && total.is_finite() {
            let mut r = rng.gen::<f64>() * total;
            for (i, &taken) in is_chosen.iter().enumerate() {
                if taken {
                    continue;
                }
                r -= score(i);
                if r <= 0.0 {
                    return i;
                }
            }
        }
        // Degenerate case (all scores zero): the first unchosen unit.
        (0..n).find(|&i| !is_chosen[i]).unwrap_or(0)
    };
    let first = pick(&|i| weights[i], &is_chosen, rng);
    chosen.push(first);
    is_chosen[first] = true;
    // Great-circle distance grows with the straight-line (chord) distance through the sphere, which costs no
    // trigonometry: a unit's distance is computed only when the new center is nearer by chord than its
    // nearest one so far.
    let xyz: Vec<[f64; 3]> = points.iter().map(sphere_xyz).collect();
    let mut chord2 = vec![f64::INFINITY; n];
    while chosen.len() < p {
        let c = chosen[chosen.len() - 1];
        let (last, lx) = (points[c], xyz[c]);
        for i in 0..n {
            let x = &xyz[i];
            let c2 = (x[0] - lx[0]).powi(2) + (x[1] - lx[1]).powi(2) + (x[2] - lx[2]).powi(2);
            if c2 <= chord2[i] {
                chord2[i] = c2;
                let d = last.km(&points[i]);
                d2[i] = d2[i].min(d * d);
            }
        }
        let next = pick(&|i| weights[i] * d2[i], &is_chosen, rng);
        chosen.push(next);
        is_chosen[next] = true;
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn picks_distinct_centers_and_is_deterministic() {
        let pts: Vec<GeoPoint> = (0..50)
            .map(|i| GeoPoint::from_degrees((i % 10) as f64, (i / 10) as f64))
            .collect();
        let w = vec![1.0; 50];
        let a = kmeans_pp(&pts, &w, 7, &mut rand_chacha::ChaCha8Rng::seed_from_u64(1));
        let b = kmeans_pp(&pts, &w, 7, &mut rand_chacha::ChaCha8Rng::seed_from_u64(1));
        assert_eq!(a, b);
        let mut s = a.clone();
        s.sort();
        s.dedup();
        assert_eq!(s.len(), 7);
    }

    #[test]
    fn zero_weights_still_give_p_centers() {
        let pts: Vec<GeoPoint> = (0..5).map(|i| GeoPoint::from_degrees(i as f64, 0.0)).collect();
        let c = kmeans_pp(&pts, &[0.0; 5], 5, &mut rand_chacha::ChaCha8Rng::seed_from_u64(3));
        assert_eq!(c.len(), 5);
    }

    /// The seeding as first written, every distance computed: the chord filter must pick the same centers.
    fn reference(points: &[GeoPoint], weights: &[f64], p: usize, rng: &mut impl Rng) -> Vec<usize> {
        let n = points.len();
        let mut chosen = Vec::with_capacity(p);
        let mut is_chosen = vec![false; n];
        let mut d2 = vec![f64::INFINITY; n];
        let pick = |score: &dyn Fn(usize) -> f64, is_chosen: &[bool], rng: &mut dyn rand::RngCore| -> usize {
            let total: f64 = (0..n).filter(|&i| !is_chosen[i]).map(score).sum();
            if total > 0.0 && total.is_finite() {
                let mut r = rng.gen::<f64>() * total;
                for (i, &taken) in is_chosen.iter().enumerate() {
                    if taken {
                        continue;
                    }
                    r -= score(i);
                    if r <= 0.0 {
                        return i;
                    }
                }
            }
            (0..n).find(|&i| !is_chosen[i]).unwrap_or(0)
        };
        let first = pick(&|i| weights[i], &is_chosen, rng);
        chosen.push(first);
        is_chosen[first] = true;
        while chosen.len() < p {
            let last = points[chosen[chosen.len() - 1]];
            for i in 0..n {
                let d = last.km(&points[i]);
                d2[i] = d2[i].min(d * d);
            }
            let next = pick(&|i| weights[i] * d2[i], &is_chosen, rng);
            chosen.push(next);
            is_chosen[next] = true;
        }
        chosen
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(100))]
        #[test]
        fn chord_filtered_seeding_matches_the_reference(
            pts in proptest::collection::vec((-125.0f64..-65.0, 25.0f64..49.0, 0.0f64..10.0), 2..120),
            p_frac in 0.05f64..1.0,
            seed in 0u64..1000,
        ) {
            let points: Vec<GeoPoint> = pts.iter().map(|&(lon, lat, _)| GeoPoint::from_degrees(lon, lat)).collect();
            let w: Vec<f64> = pts.iter().map(|&(_, _, w)| if w < 1.0 { 0.0 } else { w }).collect();
            let p = ((points.len() as f64 * p_frac).ceil() as usize).clamp(1, points.len());
            let got = kmeans_pp(&points, &w, p, &mut rand_chacha::ChaCha8Rng::seed_from_u64(seed));
            let want = reference(&points, &w, p, &mut rand_chacha::ChaCha8Rng::seed_from_u64(seed));
            proptest::prop_assert_eq!(got, want);
        }
    }
}
