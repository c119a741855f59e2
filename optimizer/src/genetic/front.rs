//! The trade-off front: the plans no other plan beats on balance, travel and disruption at once, among the plans
//! that keep every cap, floor and mix band when any does.

use std::sync::Arc;

use super::develop::Developed;

/// The balance figure a front is drawn over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BalanceFigure {
    /// Largest relative deviation of a territory's load from its target.
    MaxDev,
    /// Coefficient of variation of the territory loads (standard deviation over mean).
    Cv,
}

impl BalanceFigure {
    /// The figure of `d`.
    pub fn of(self, d: &Developed) -> f64 {
        match self {
            BalanceFigure::MaxDev => d.max_dev,
            BalanceFigure::Cv => d.cv,
        }
    }
}

/// A set of contiguous plans none of which dominates another over (balance figure, travel, moved share), all
/// three to be minimised, and all keeping the problem's limits when any plan offered did (see [`Front::offer`]).
/// Plans that tie on all three keep the first offered.
#[derive(Debug, Clone)]
pub struct Front {
    figure: BalanceFigure,
    plans: Vec<Arc<Developed>>,
}

/// Relative slack under which two figures count as equal (sums taken in another order).
const SAME: f64 = 1e-12;

impl Front {
    /// An empty front over `figure`.
    pub fn new(figure: BalanceFigure) -> Self {
        Front {
            figure,
            plans: Vec::new(),
        }
    }

    /// The balance figure.
    pub fn figure(&self) -> BalanceFigure {
        self.figure
    }

    /// The three objectives of `d`.
    pub fn objectives(&self, d: &Developed) -> [f64; 3] {
        [self.figure.of(d), d.travel, d.moved_fraction]
    }

    /// True when `a` is no worse than `b` in every objective and better in one.
    pub fn dominates(a: [f64; 3], b: [f64; 3]) -> bool {
        let no_worse = a.iter().zip(&b).all(|(x, y)| *x <= *y + SAME * y.abs().max(1.0));
        let better = a.iter().zip(&b).any(|(x, y)| *x < *y - SAME * y.abs().max(1.0));
        no_worse && better
    }

    fn same(a: [f64; 3], b: [f64; 3]) -> bool {
        a.iter().zip(&b).all(|(x, y)| (x - y).abs() <= SAME * y.abs().max(1.0))
    }

    /// Offers a plan: kept when contiguous and not beaten by (or equal to) a plan already on the front; the
    /// plans it beats leave. Returns whether it was kept.
    ///
    /// Caps, floors and mix bands are hard limits, not a fourth trade-off: once any plan keeping every limit is
    /// offered, the front holds only such plans (a plan breaking a limit is refused, and the first plan keeping
    /// them all replaces the ones that break one). Until then it holds the best of the plans that break one,
    /// a plan beating another when it is no worse on the three objectives and on the excess over the limits, so
    /// a problem whose limits no plan found keeps still has a front, each plan saying what it breaks.
    pub fn offer(&mut self, d: &Arc<Developed>) -> bool {
        if d.n_noncontiguous > 0 {
            return false;
        }
        if self.keeps_limits() {
            if !d.meets_limits() {
                return false;
            }
        } else if d.meets_limits() {
            self.plans.clear();
        }
        let o = self.objectives(d);
        let beaten = |q: &Developed, by: &Developed, oq: [f64; 3], oby: [f64; 3]| {
            let dominated = Self::dominates(oby, oq) && by.limit_excess <= q.limit_excess;
            let tied = Self::same(oby, oq) && by.limit_excess <= q.limit_excess;
            dominated || tied
        };
        if self.plans.iter().any(|q| beaten(d, q, o, self.objectives(q))) {
            return false;
        }
        let figure = self.figure;
        self.plans.retain(|q| {
            let oq = [figure.of(q), q.travel, q.moved_fraction];
            // (A tie keeps the plan already there unless the newcomer breaks the limits by less.)
            !(Self::dominates(o, oq) && d.limit_excess <= q.limit_excess
                || Self::same(o, oq) && d.limit_excess < q.limit_excess)
        });
        self.plans.push(d.clone());
        true
    }

    /// True when the front holds plans keeping every cap, floor and mix band (then it holds only such plans);
    /// false when it is empty or every plan on it breaks a limit.
    pub fn keeps_limits(&self) -> bool {
        self.plans.iter().any(|q| q.meets_limits())
    }

    /// Merges another front into this one.
    pub fn merge(&mut self, other: Front) {
        for d in other.plans {
            self.offer(&d);
        }
    }

    /// The plans, by balance figure then travel.
    pub fn plans(&self) -> Vec<Arc<Developed>> {
        let mut v = self.plans.clone();
        let f = self.figure;
        v.sort_by(|a, b| f.of(a).total_cmp(&f.of(b)).then(a.travel.total_cmp(&b.travel)));
        v
    }

    /// Number of plans.
    pub fn len(&self) -> usize {
        self.plans.len()
    }

    /// True without plans.
    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(max_dev: f64, travel: f64, moved: f64) -> Arc<Developed> {
        Arc::new(Developed {
            assignment: vec![],
            center_units: vec![],
            centers: vec![],
            travel,
            max_dev,
            violation: 0.0,
            n_noncontiguous: 0,
            limit_excess: 0.0,
            moved_fraction: moved,
            cv: max_dev / 2.0,
            finished: true,
        })
    }

    #[test]
    fn keeps_only_non_dominated_plans() {
        let mut f = Front::new(BalanceFigure::MaxDev);
        assert!(f.offer(&plan(0.05, 100.0, 0.3)));
        assert!(f.offer(&plan(0.10, 90.0, 0.3)));
        assert!(!f.offer(&plan(0.10, 95.0, 0.3)), "dominated by the first two");
        assert!(!f.offer(&plan(0.05, 100.0, 0.3)), "a tie adds nothing");
        assert!(f.offer(&plan(0.04, 99.0, 0.2)), "dominates the first");
        assert_eq!(f.len(), 2);
        let mut broken = (*plan(0.0, 1.0, 0.0)).clone();
        broken.n_noncontiguous = 1;
        assert!(!f.offer(&Arc::new(broken)));
        let plans = f.plans();
        for a in &plans {
            for b in &plans {
                assert!(!Front::dominates(f.objectives(a), f.objectives(b)));
            }
        }
    }

    #[test]
    fn a_plan_keeping_the_limits_clears_the_plans_that_break_one_and_bars_them_after() {
        let breaking = |max_dev: f64, travel: f64, excess: f64| {
            let mut d = (*plan(max_dev, travel, 0.0)).clone();
            d.limit_excess = excess;
            Arc::new(d)
        };
        let mut f = Front::new(BalanceFigure::MaxDev);
        assert!(f.offer(&breaking(0.05, 100.0, 0.2)));
        assert!(
            f.offer(&breaking(0.05, 100.0, 0.1)),
            "same figures, less excess: replaces it"
        );
        assert_eq!(f.len(), 1);
        assert!(!f.offer(&breaking(0.06, 101.0, 0.3)), "worse everywhere");
        assert!(
            f.offer(&breaking(0.06, 101.0, 0.05)),
            "worse figures but less excess: a trade-off kept"
        );
        assert_eq!(f.len(), 2);
        assert!(!f.keeps_limits());
        // A plan keeping every limit, however far it travels, replaces them all ...
        assert!(f.offer(&plan(0.09, 500.0, 0.0)));
        assert!(f.keeps_limits());
        assert_eq!(f.len(), 1);
        // ... and from then on no plan breaking one gets in, however good its figures.
        assert!(!f.offer(&breaking(0.01, 1.0, 1e-6)));
        assert!(f.offer(&plan(0.08, 400.0, 0.0)));
        assert!(f.plans().iter().all(|d| d.meets_limits()));
    }
}
