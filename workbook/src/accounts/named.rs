//! Named accounts: accounts assigned to a territory (or rep) by name, whatever unit they lie in. Their measures
//! count for that territory; the rest of their unit stays with the geography.
//!
//! The units' measures hold their *geographic* accounts only (named ones are left out of the sums, see
//! [`crate::store`]'s accounts), so a named account's load never moves with its unit. Figures add the named
//! loads to their territories ([`NamedLoads::add_to`]); the optimizer plans the geography around them
//! ([`NamedLoads::shift_targets`]).

use serde_json::{json, Value};
use tessera_optimizer::{Evaluation, Problem, Rep};

/// The named accounts of one territory.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedTerritory {
    /// Territory name (a rep id for a rep).
    pub territory: String,
    /// Number of accounts named to it.
    pub accounts: usize,
    /// Their summed load of each measure, in [`NamedLoads::measures`] order.
    pub loads: Vec<f64>,
}

/// The named accounts' loads, per territory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NamedLoads {
    /// The units' measure names, in the order of each territory's `loads`.
    pub measures: Vec<String>,
    /// One entry per territory that has named accounts, in order of first appearance.
    pub territories: Vec<NamedTerritory>,
}

impl NamedLoads {
    /// True when no account is named.
    pub fn is_empty(&self) -> bool {
        self.territories.is_empty()
    }

    /// Number of named accounts.
    pub fn accounts(&self) -> usize {
        self.territories.iter().map(|t| t.accounts).sum()
    }

    /// The named load of `measure` in `territory` (0 when none, or for a measure not summed from accounts).
    pub fn load(&self, territory: &str, measure: &str) -> f64 {
        let Some(m) = self.measures.iter().position(|x| x == measure) else {
            return 0.0;
        };
        self.territories
            .iter()
            .filter(|t| t.territory == territory)
            .map(|t| t.loads[m])
            .sum()
    }

    /// Adds the named loads to the territories of `evaluation`, an evaluation balancing `measure`: each
    /// territory's load (and its load of every measure) grows by its named accounts'; the total grows by the
    /// named load of the plan's territories, and with it every target (each keeps its share); deviations,
    /// the maximum deviation and the coefficient of variation are recomputed. Named accounts of a territory
    /// the evaluation does not have are left out and returned by name, for the caller to report.
    pub fn add_to(&self, evaluation: &mut Evaluation, measure: &str) -> Vec<String> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut outside = Vec::new();
        let mut placed = 0.0;
        for named in &self.territories {
            let Some(t) = evaluation.territories.iter_mut().find(|t| t.name == named.territory) else {
                outside.push(named.territory.clone());
                continue;
            };
            let load = self.load(&named.territory, measure);
            t.load += load;
            placed += load;
            for (k, m) in evaluation.measures.iter().enumerate() {
                if let Some(j) = self.measures.iter().position(|x| x == m) {
                    t.loads[k] += named.loads[j];
                }
            }
        }
        let p = evaluation.territories.len().max(1) as f64;
        let total = evaluation.total + placed;
        // Targets keep their shares (rep capacities); from a zero total, every territory gets an equal share.
        let scale = |target: f64| {
            if evaluation.total > 0.0 {
                target * total / evaluation.total
            } else {
                total / p
            }
        };
        for t in &mut evaluation.territories {
            t.target = scale(t.target);
            t.deviation = if t.target > 0.0 {
                (t.load - t.target) / t.target
            } else {
                0.0
            };
        }
        evaluation.target = scale(evaluation.target);
        evaluation.total = total;
        evaluation.max_dev = evaluation
            .territories
            .iter()
            .map(|t| t.deviation.abs())
            .fold(0.0, f64::max);
        let loads: Vec<f64> = evaluation.territories.iter().map(|t| t.load).collect();
        let mean = loads.iter().sum::<f64>() / loads.len().max(1) as f64;
        let var = loads.iter().map(|l| (l - mean) * (l - mean)).sum::<f64>() / loads.len().max(1) as f64;
        evaluation.cv = if mean != 0.0 { var.sqrt() / mean } else { 0.0 };
        outside
    }

    /// The figures document's `named` entry: accounts and load per territory of the plan, and the territories
    /// named that the plan does not have.
    pub fn document(&self, measure: &str, outside: &[String]) -> Value {
        let per: serde_json::Map<String, Value> = self
            .territories
            .iter()
            .filter(|t| !outside.contains(&t.territory))
            .map(|t| {
                (
                    t.territory.clone(),
                    json!({"accounts": t.accounts, "load": self.load(&t.territory, measure)}),
                )
            })
            .collect();
        let placed: usize = self
            .territories
            .iter()
            .filter(|t| !outside.contains(&t.territory))
            .map(|t| t.accounts)
            .sum();
        json!({
            "accounts": placed,
            "territories": per,
            "outside_plan": outside,
        })
    }

    /// Makes `problem` plan the geography around the named loads of its balanced measure.
    ///
    /// A territory's full target is T = (geographic total + named total) × its share; its units must then bring
    /// T − named. The optimizer's targets become exactly that, with the tolerance unchanged: a plan whose units
    /// are within ±τ of T − named has a full load within ±τ·(T − named)/T of T, so never outside ±τ of T —
    /// stricter than asked where a territory has named load, never looser. (A bound shifted by the named load
    /// would be exact, but the optimizer's bands are all "target × (1 ± τ)"; this keeps its internals unchanged.)
    ///
    /// # Errors
    /// A message when an account is named to a territory the problem does not have, or when named accounts
    /// alone reach a territory's full target (no unit could join it).
    pub fn shift_targets(&self, problem: &mut Problem) -> Result<(), String> {
        if self.is_empty() {
            return Ok(());
        }
        if let Some(t) = self.territories.iter().find(|t| !problem.names.contains(&t.territory)) {
            return Err(format!(
                "{} account(s) are named to territory {:?}, which this plan does not have (its territories: {}); \
                 name them to one of those, or plan with that territory",
                t.accounts,
                t.territory,
                problem.names.join(", ")
            ));
        }
        let named: Vec<f64> = problem.names.iter().map(|n| self.load(n, &problem.measure)).collect();
        let geo = problem.weight_total;
        let all = geo + named.iter().sum::<f64>();
        let p = problem.p() as f64;
        for (t, &load) in named.iter().enumerate() {
            let full = if geo > 0.0 {
                problem.targets[t] * all / geo
            } else {
                all / p
            };
            if load >= full {
                return Err(format!(
                    "the accounts named to territory {:?} bring {} {load:.6}, at least its whole target {full:.6}: no \
                     unit could join it. Name fewer accounts to it, or plan with fewer territories",
                    problem.names[t], problem.measure
                ));
            }
            problem.targets[t] = full - load;
        }
        Ok(())
    }
}

/// The territory a named account goes to, as the planner wrote it: a rep's id stays; a rep's name (the only rep
/// of that name) becomes the rep's id, since territories of reps are named by id; anything else is a territory
/// name, kept as written.
pub fn resolve_territory(written: &str, reps: &[Rep]) -> String {
    let w = written.trim();
    if reps.iter().any(|r| r.id == w) {
        return w.to_string();
    }
    let mut by_name = reps.iter().filter(|r| r.name == w);
    match (by_name.next(), by_name.next()) {
        (Some(r), None) => r.id.clone(),
        _ => w.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_optimizer::{evaluate, Adjacency, Measure, Plan, Units};

    #[test]
    fn named_load_counts_for_its_territory_and_targets_follow_the_total() {
        let units = Units::new(
            vec!["a".into(), "b".into()],
            vec![0.0, 1.0],
            vec![0.0, 0.0],
            vec![Measure {
                name: "w".into(),
                values: vec![4.0, 6.0],
            }],
        )
        .expect("units");
        let plan = Plan::new(vec![0, 1], vec!["A".into(), "B".into()]);
        let mut e = evaluate(&units, &Adjacency::from_edges(2, &[(0, 1)]), &plan, &[4.0, 6.0], 2, &[]);
        let named = NamedLoads {
            measures: vec!["w".into()],
            territories: vec![
                NamedTerritory {
                    territory: "A".into(),
                    accounts: 2,
                    loads: vec![2.0],
                },
                NamedTerritory {
                    territory: "Z".into(),
                    accounts: 1,
                    loads: vec![5.0],
                },
            ],
        };
        let outside = named.add_to(&mut e, "w");
        assert_eq!(outside, vec!["Z".to_string()]);
        // 4 + 2 = 6 and 6: total 12, target 6 each, balanced.
        assert_eq!(e.total, 12.0);
        assert_eq!(e.territories[0].load, 6.0);
        assert_eq!(e.territories[0].loads, vec![6.0]);
        assert_eq!(e.territories[0].target, 6.0);
        assert_eq!(e.max_dev, 0.0);
        let doc = named.document("w", &outside);
        assert_eq!(doc["accounts"], 2);
        assert_eq!(doc["territories"]["A"]["load"], 2.0);
        assert_eq!(doc["outside_plan"][0], "Z");
    }

    #[test]
    fn rep_names_become_rep_ids() {
        let reps = vec![Rep {
            id: "R01".into(),
            name: "Ann Lee".into(),
            lon: 0.0,
            lat: 0.0,
            capacity: 1.0,
        }];
        assert_eq!(resolve_territory("Ann Lee", &reps), "R01");
        assert_eq!(resolve_territory("R01", &reps), "R01");
        assert_eq!(resolve_territory("North", &reps), "North");
    }
}
