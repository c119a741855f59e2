//! The travel certificate: the min-cost-flow lower bound on travel at a plan's final centers.
//!
//! With the centers fixed, the least travel of any assignment that keeps every load within the tolerance —
//! contiguity and wholeness of units relaxed — is a transportation problem, solved exactly by our network
//! simplex. No plan with these centers can travel less, so `travel / bound − 1` says how far from the best
//! possible the plan is. Peer tools show their users no such figure.

use serde::Serialize;

use crate::assign::{AllocateParams, Allocator};
use crate::geodesy::GeoPoint;
use crate::problem::{PlanError, Problem};
use crate::stop::Stop;

/// Largest unit × center product solved with every center as a candidate; beyond it each unit gets the
/// [`SPARSE_CANDIDATES`] nearest centers, and the bound is marked as restricted.
const DENSE_LIMIT: usize = 4_000_000;
/// Candidate centers per unit beyond [`DENSE_LIMIT`].
const SPARSE_CANDIDATES: usize = 40;
/// Candidates per unit priced first beyond [`DENSE_LIMIT`] ([`Allocator::new_near_first`]): the optimum is over
/// all [`SPARSE_CANDIDATES`], but with hundreds of territories units seldom go beyond their nearest few, and
/// pricing all 40 at every pivot was most of the solve. On zips-conus-large (29,546 units, 491 territories)
/// this takes 6.2 G instructions instead of 14.2 G for the same bound. Not in the dense case: with every center
/// a candidate and large territories, the far arcs are in the optimum, and solving without them first cost more
/// (20,000 accounts into 100: 11.3 G against 6.9 G; zips-east: 1.13 G against 0.77 G).
const PRICED_FIRST: usize = 12;

/// The certificate of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Certificate {
    /// Lower bound on the weighted travel of any balanced plan with these centers (km × weight).
    pub lower_bound: f64,
    /// The plan's travel to the same centers.
    pub travel: f64,
    /// `travel / lower_bound − 1`.
    pub gap: f64,
    /// False when the bound had to be computed over each unit's nearest centers only (very large problems):
    /// then it is the bound of that restricted problem, a very close but not proven bound.
    pub exact: bool,
}

/// Computes the certificate of `assignment` at `centers`.
///
/// The bound is a bound for plans within the tolerance; for a plan outside it, the plan's own travel may be
/// lower, and the gap is then reported as 0: callers say the tolerance was not met instead of quoting it.
///
/// # Errors
/// [`PlanError::Flow`] if the flow solver fails.
pub fn certify(problem: &Problem, assignment: &[u32], centers: &[GeoPoint]) -> Result<Certificate, PlanError> {
    certify_until(problem, assignment, centers, &Stop::never())?.ok_or(PlanError::Stopped)
}

/// [`certify`] until `stop`: `None` when the deadline or Cancel came first (the flow solve of a very large
/// problem takes seconds, and a run's deadline covers it).
///
/// # Errors
/// [`PlanError::Flow`] if the flow solver fails.
pub fn certify_until(
    problem: &Problem,
    assignment: &[u32],
    centers: &[GeoPoint],
    stop: &Stop,
) -> Result<Option<Certificate>, PlanError> {
    if stop.reached() {
        return Ok(None);
    }
    let p = problem.p();
    let exact = problem.n() * p <= DENSE_LIMIT;
    let lower: Vec<f64> = (0..p).map(|t| problem.lower(t)).collect();
    let upper: Vec<f64> = (0..p).map(|t| problem.upper(t)).collect();
    let params = AllocateParams {
        lower: &lower,
        upper: &upper,
        candidates: if exact { p } else { SPARSE_CANDIDATES },
        locks: &problem.locks,
        current: None,
        stay_bonus_km: 0.0,
    };
    let priced_first = if exact { usize::MAX } else { PRICED_FIRST };
    let a = match Allocator::new_near_first(&problem.points, &problem.weights, centers, &params, priced_first)?
        .allocate(centers, 0.0, stop)
    {
        Ok(a) => a,
        Err(PlanError::Stopped) => return Ok(None),
        Err(e) => return Err(e),
    };
    let travel: f64 = assignment
        .iter()
        .enumerate()
        .map(|(i, &t)| problem.weights[i] * problem.points[i].km(&centers[t as usize]))
        .sum();
    // The flow works on integer weights (1e-8 of the total) and metres; on degenerate data (every unit on one
    // point, or at the poles) that rounding can put the computed bound a hair above a plan that meets it
    // exactly, so the bound is capped at the plan's own travel.
    let bound = a.fractional_travel.min(travel);
    Ok(Some(Certificate {
        lower_bound: bound,
        travel,
        gap: if bound > 0.0 {
            (travel / bound - 1.0).max(0.0)
        } else {
            0.0
        },
        exact,
    }))
}
