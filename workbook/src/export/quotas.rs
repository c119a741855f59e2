//! Quotas set top down: each territory's share of a total the manager types, by its share of a potential
//! measure, optionally blended with its share of a history measure, and a ramp-up share for reps whose
//! territory changed (they need time to learn new accounts).

use tessera_optimizer::Plan;

use crate::Dataset;

/// How quotas are set.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotaParams {
    /// The total to share out (e.g. next year's sales target).
    pub total: f64,
    /// The measure whose share sets a territory's share (e.g. `potential_usd`).
    pub potential: String,
    /// A history measure (e.g. last year's sales) and its weight in 0..=1: share = (1 − w)·potential share +
    /// w·history share.
    pub history: Option<(String, f64)>,
    /// The fraction of its quota a territory whose units changed carries while its rep ramps up (1 = none).
    pub ramp: f64,
}

impl QuotaParams {
    /// Quotas of `total` by shares of `potential`, no history, no ramp-up.
    pub fn new(total: f64, potential: impl Into<String>) -> Self {
        QuotaParams {
            total,
            potential: potential.into(),
            history: None,
            ramp: 1.0,
        }
    }
}

/// One territory's quota.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Quota {
    /// Territory name.
    pub territory: String,
    /// Its share of the total (0..=1).
    pub share: f64,
    /// `share × total`.
    pub quota: f64,
    /// Whether its units differ from the baseline's (ramp-up applies).
    pub changed: bool,
    /// The quota in the ramp-up period: `quota × ramp` when changed, else `quota`.
    pub ramp_quota: f64,
}

/// Why quotas cannot be set.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QuotaError {
    /// A measure the units do not have.
    #[error("quota: the units have no measure {0:?}")]
    NoMeasure(String),
    /// A measure whose total is not positive, so it gives no shares.
    #[error("quota: measure {0:?} sums to {1}; shares need a positive total")]
    NoTotal(String, f64),
    /// A negative value.
    #[error("quota: measure {measure:?} is negative ({value}) for unit {unit}; shares need values ≥ 0")]
    Negative {
        /// Measure.
        measure: String,
        /// Unit id.
        unit: String,
        /// Its value.
        value: f64,
    },
    /// A parameter out of range.
    #[error("quota: {0}")]
    Range(String),
}

/// The quotas of `plan`'s territories (in territory order). `baseline` (another plan of the same units, e.g.
/// "current") decides which territories changed; without it none did.
///
/// # Errors
/// [`QuotaError`] for an unknown measure, a negative value, a measure summing to 0, a total that is not a
/// finite number ≥ 0, a history weight outside 0..=1 or a ramp outside 0..=1.
pub fn quotas(
    dataset: &Dataset,
    plan: &Plan,
    baseline: Option<&Plan>,
    q: &QuotaParams,
) -> Result<Vec<Quota>, QuotaError> {
    if !(q.total.is_finite() && q.total >= 0.0) {
        return Err(QuotaError::Range(format!(
            "the total must be a number ≥ 0, not {}",
            q.total
        )));
    }
    if !(0.0..=1.0).contains(&q.ramp) {
        return Err(QuotaError::Range(format!(
            "the ramp-up share must be within 0..1, not {}",
            q.ramp
        )));
    }
    let shares_of = |measure: &str| -> Result<Vec<f64>, QuotaError> {
        let values = dataset
            .units
            .measure(measure)
            .ok_or_else(|| QuotaError::NoMeasure(measure.to_string()))?;
        let mut per = vec![0.0; plan.names().len()];
        for (i, (&v, &t)) in values.iter().zip(plan.territory_of()).enumerate() {
            if v < 0.0 {
                return Err(QuotaError::Negative {
                    measure: measure.to_string(),
                    unit: dataset.units.ids()[i].clone(),
                    value: v,
                });
            }
            per[t as usize] += v;
        }
        let total: f64 = per.iter().sum();
        if total.is_nan() || total <= 0.0 {
            return Err(QuotaError::NoTotal(measure.to_string(), total));
        }
        Ok(per.into_iter().map(|x| x / total).collect())
    };
    let mut share = shares_of(&q.potential)?;
    if let Some((history, w)) = &q.history {
        if !(0.0..=1.0).contains(w) {
            return Err(QuotaError::Range(format!(
                "the history weight must be within 0..1, not {w}"
            )));
        }
        let h = shares_of(history)?;
        for (s, h) in share.iter_mut().zip(h) {
            *s = (1.0 - w) * *s + w * h;
        }
    }
    let changed = changed_territories(plan, baseline);
    Ok(plan
        .names()
        .iter()
        .enumerate()
        .map(|(t, name)| {
            let quota = share[t] * q.total;
            Quota {
                territory: name.clone(),
                share: share[t],
                quota,
                changed: changed[t],
                ramp_quota: if changed[t] { quota * q.ramp } else { quota },
            }
        })
        .collect())
}

/// For each territory of `plan`, whether its set of units differs from the baseline territory of the same
/// name (a territory the baseline lacks has changed).
pub fn changed_territories(plan: &Plan, baseline: Option<&Plan>) -> Vec<bool> {
    let mut changed = vec![false; plan.names().len()];
    let Some(base) = baseline else { return changed };
    for (i, &t) in plan.territory_of().iter().enumerate() {
        let name = &plan.names()[t as usize];
        let before = base.territory_of().get(i).map(|&b| &base.names()[b as usize]);
        if before != Some(name) {
            changed[t as usize] = true;
            if let Some(b) = before {
                if let Some(k) = plan.names().iter().position(|n| n == b) {
                    changed[k] = true; // it lost the unit
                }
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AdjacencySource;
    use tessera_optimizer::{Adjacency, Measure, Units};

    fn ds() -> Dataset {
        let units = Units::new(
            ["a", "b", "c", "d"].map(String::from).to_vec(),
            vec![0.0; 4],
            vec![0.0; 4],
            vec![
                Measure {
                    name: "potential".into(),
                    values: vec![10.0, 30.0, 40.0, 20.0],
                },
                Measure {
                    name: "sales".into(),
                    values: vec![5.0, 5.0, 0.0, 10.0],
                },
            ],
        )
        .expect("units");
        Dataset {
            units,
            adjacency: Adjacency::from_edges(4, &[]),
            adjacency_source: AdjacencySource::File,
            bridged: vec![],
            polygons: None,
            reps: vec![],
            current: None,
        }
    }

    #[test]
    fn shares_of_potential_blended_with_history_and_ramped_where_changed() {
        let ds = ds();
        let plan = Plan::new(vec![0, 0, 1, 1], vec!["A".into(), "B".into()]);
        let base = Plan::new(vec![0, 0, 1, 1], vec!["A".into(), "B".into()]);
        let q = quotas(&ds, &plan, Some(&base), &QuotaParams::new(1000.0, "potential")).expect("quotas");
        assert_eq!((q[0].quota, q[1].quota), (400.0, 600.0));
        assert!(!q[0].changed && !q[1].changed);

        let moved = Plan::new(vec![0, 1, 1, 1], vec!["A".into(), "B".into()]);
        let params = QuotaParams {
            history: Some(("sales".into(), 0.5)),
            ramp: 0.8,
            ..QuotaParams::new(1000.0, "potential")
        };
        let q = quotas(&ds, &moved, Some(&base), &params).expect("quotas");
        // A: potential share 0.1, sales share 0.25 → 0.175; B: 0.825.
        assert!((q[0].share - 0.175).abs() < 1e-12);
        assert!((q[1].quota - 825.0).abs() < 1e-9);
        assert!(q[0].changed && q[1].changed);
        assert!((q[1].ramp_quota - 660.0).abs() < 1e-9);
        assert!((q.iter().map(|x| x.quota).sum::<f64>() - 1000.0).abs() < 1e-9);
    }

    #[test]
    fn bad_parameters_are_refused_with_the_reason() {
        let ds = ds();
        let plan = Plan::new(vec![0, 0, 1, 1], vec!["A".into(), "B".into()]);
        assert_eq!(
            quotas(&ds, &plan, None, &QuotaParams::new(1.0, "x")),
            Err(QuotaError::NoMeasure("x".into()))
        );
        let e = quotas(
            &ds,
            &plan,
            None,
            &QuotaParams {
                ramp: 1.5,
                ..QuotaParams::new(1.0, "potential")
            },
        );
        assert!(matches!(e, Err(QuotaError::Range(_))));
        assert!(matches!(
            quotas(&ds, &plan, None, &QuotaParams::new(f64::NAN, "potential")),
            Err(QuotaError::Range(_))
        ));
    }
}
