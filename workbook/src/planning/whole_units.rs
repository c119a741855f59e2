//! Can whole units reach every territory's band? A check from the unit weights alone, made before a run.
//!
//! A territory's load is a sum of whole units. When every weight is a multiple of some granularity g (whole
//! people, cents), every load is a multiple of g too; a band [T(1−τ), T(1+τ)] holding no multiple of g can
//! never be met, whatever the optimizer does. That is a proof, so the run is refused with the smallest
//! tolerance that clears this hurdle ([`check`]). A band narrower than the smallest unit is only suspicious
//! (some combination may still land in it), so it is reported as a note and the run goes ahead.

use thiserror::Error;

use crate::figures::percent;

/// Proof that no plan of whole units can meet the tolerance.
#[derive(Debug, Error, Clone, PartialEq)]
#[error(
    "±{}% cannot be met with whole units: territory {territory} must carry between {lower:.3} and \
     {upper:.3} {measure}, but every unit's {measure} is a multiple of {granularity}, so every territory's load is \
     too, and no multiple of {granularity} lies in that band. Ask for a tolerance of more than {}% (and expect \
     a band narrower than the units themselves to be hard to meet)",
    percent(*tol_pct / 100.0),
    percent(*min_tol_pct / 100.0)
)]
pub struct Unreachable {
    /// The first territory whose band holds no reachable load.
    pub territory: String,
    /// The measure.
    pub measure: String,
    /// Lower end of its band.
    pub lower: f64,
    /// Upper end of its band.
    pub upper: f64,
    /// The weights' common granularity.
    pub granularity: f64,
    /// The tolerance asked for, in percent.
    pub tol_pct: f64,
    /// The smallest tolerance (in percent) at which every band holds a multiple of the granularity.
    pub min_tol_pct: f64,
}

/// Largest float below which integers are exact.
const EXACT_INTEGERS: f64 = 9.0e15;

/// The largest g = k / 10^d (d ≤ 3) that divides every weight exactly, when there is one: whole numbers give
/// their greatest common divisor, amounts in cents a multiple of 0.01.
pub fn granularity(weights: &[f64]) -> Option<f64> {
    for scale in [1.0, 10.0, 100.0, 1000.0] {
        let mut g: u64 = 0;
        let mut whole = true;
        for &w in weights {
            let x = w * scale;
            if !((0.0..EXACT_INTEGERS).contains(&x) && (x - x.round()).abs() <= 1e-6) {
                whole = false;
                break;
            }
            g = gcd(g, x.round() as u64);
        }
        if whole && g > 0 {
            return Some(g as f64 / scale);
        }
    }
    None
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Checks that whole units can reach every territory's band `targets[t] × (1 ± tolerance)`.
///
/// # Errors
/// [`Unreachable`] for the first territory whose band holds no multiple of the weights' granularity.
pub fn check(
    weights: &[f64],
    targets: &[f64],
    names: &[String],
    measure: &str,
    tolerance: f64,
) -> Result<(), Unreachable> {
    let Some(g) = granularity(weights) else {
        return Ok(());
    };
    // A load is k·g; the band holds one when some k lies in [lower/g, upper/g]. The small slack absorbs
    // rounding in the targets (total × capacity share), which must not turn a reachable band into a refusal.
    let reachable = |lower: f64, upper: f64| (upper / g + 1e-9).floor() >= (lower / g - 1e-9).ceil();
    let first = targets
        .iter()
        .zip(names)
        .find(|(&t, _)| !reachable(t * (1.0 - tolerance), t * (1.0 + tolerance)));
    let Some((&target, name)) = first else {
        return Ok(());
    };
    // The nearest multiple of g is at most g/2 away from each target: that distance over the target is the
    // tolerance the territory needs.
    let min_tol = targets
        .iter()
        .filter(|&&t| t > 0.0)
        .map(|&t| ((t / g).round() * g - t).abs() / t)
        .fold(0.0, f64::max);
    Err(Unreachable {
        territory: name.clone(),
        measure: measure.to_string(),
        lower: target * (1.0 - tolerance),
        upper: target * (1.0 + tolerance),
        granularity: g,
        tol_pct: tolerance * 100.0,
        min_tol_pct: min_tol * 100.0,
    })
}

/// A note when some territory's band is narrower than the smallest unit with weight: whole units may not fit,
/// but a combination of them still might, so the run goes ahead.
pub fn narrow_band_note(weights: &[f64], targets: &[f64], measure: &str, tolerance: f64) -> Option<String> {
    let smallest = weights
        .iter()
        .copied()
        .filter(|&w| w > 0.0)
        .fold(f64::INFINITY, f64::min);
    let narrowest = targets
        .iter()
        .map(|t| 2.0 * tolerance * t)
        .fold(f64::INFINITY, f64::min);
    (narrowest < smallest).then(|| {
        format!(
            "±{}% leaves a territory a band only {narrowest:.3} {measure} wide, narrower than the smallest unit \
             ({smallest} {measure}): whole units may not fit in it, and the run may end outside the tolerance",
            percent(tolerance)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: usize) -> Vec<String> {
        (1..=p).map(|k| format!("T{k}")).collect()
    }

    #[test]
    fn whole_numbers_give_their_gcd_and_cents_a_hundredth() {
        assert_eq!(granularity(&[4.0, 6.0, 10.0]), Some(2.0));
        assert_eq!(granularity(&[43.57, 1.0]), Some(0.01));
        assert_eq!(granularity(&[43.56, 1.0]), Some(0.04));
        assert_eq!(granularity(&[0.1234567]), None);
    }

    #[test]
    fn a_zero_tolerance_on_an_odd_total_is_proved_impossible() {
        // Total 7 over 2 territories: each must carry exactly 3.5, and loads are whole numbers.
        let err = check(&[1.0, 2.0, 4.0], &[3.5, 3.5], &names(2), "workload", 0.0).expect_err("no 3.5");
        assert_eq!(err.territory, "T1");
        assert!(
            (err.min_tol_pct - 100.0 * 0.5 / 3.5).abs() < 1e-9,
            "{}",
            err.min_tol_pct
        );
        // At the tolerance it names, every band holds a whole number.
        check(
            &[1.0, 2.0, 4.0],
            &[3.5, 3.5],
            &names(2),
            "workload",
            err.min_tol_pct / 100.0,
        )
        .expect("reachable at the named tolerance");
    }

    #[test]
    fn a_band_holding_a_multiple_is_not_refused() {
        // Target 3 is itself whole: ±0% is not proved impossible (whether a subset sums to 3 is the run's job).
        check(&[1.0, 2.0, 3.0], &[3.0, 3.0], &names(2), "workload", 0.0).expect("not refused");
        // Weights with no granularity are never refused.
        check(&[0.1234567, 1.0], &[0.5617], &names(1), "w", 0.0).expect("not refused");
    }

    #[test]
    fn a_band_narrower_than_every_unit_is_noted_not_refused() {
        let note = narrow_band_note(&[10.0, 20.0, 30.0], &[30.0, 30.0], "workload", 0.1).expect("6 < 10");
        assert!(note.contains("narrower than the smallest unit"), "{note}");
        assert_eq!(narrow_band_note(&[1.0, 2.0], &[30.0], "workload", 0.1), None);
    }
}
