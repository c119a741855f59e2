//! The location step: move each territory's center to its weighted medoid unit.

use crate::geodesy::GeoPoint;
use crate::metrics::weighted_medoid;

/// The weighted medoid unit of every territory of `assignment` (territories `0..p`); `None` for empty ones.
///
/// Complexity: O(Σ n_t²) distance evaluations, pruned (see [`weighted_medoid`]).
pub fn medoid_centers(assignment: &[u32], p: usize, points: &[GeoPoint], weights: &[f64]) -> Vec<Option<usize>> {
    let mut members = vec![Vec::new(); p];
    for (i, &t) in assignment.iter().enumerate() {
        members[t as usize].push(i);
    }
    members
        .iter()
        .map(|m| weighted_medoid(m, points, weights).map(|(c, _)| c))
        .collect()
}
