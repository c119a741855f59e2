//! The promises a plan makes — tolerance, contiguity, disruption budget, caps and floors, secondary measures —
//! and, for each one not kept, why, in the planner's words.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tessera_optimizer::limits::{breaches, limit_loads, number};
use tessera_optimizer::{Evaluation, LimitKind, Problem};

use crate::figures::percent;

/// Slack for comparing a figure with its limit (sums taken in another order differ in the last bits).
const SLACK: f64 = 1e-9;

/// Whether one promise of the request holds for the plan, and if not, why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Promise {
    /// `tolerance`, `contiguity`, `disruption_budget`, `cap:<measure>`, `floor:<measure>`,
    /// `mix:<column>=<segment>` or `also_balance:<measure>`.
    pub name: String,
    /// True when the plan keeps it.
    pub kept: bool,
    /// Why it is not kept (empty when kept).
    pub why: String,
}

impl Promise {
    fn kept(name: impl Into<String>) -> Self {
        Promise {
            name: name.into(),
            kept: true,
            why: String::new(),
        }
    }

    fn broken(name: impl Into<String>, why: String) -> Self {
        Promise {
            name: name.into(),
            kept: false,
            why,
        }
    }
}

/// Proof that the disruption budget cannot buy the tolerance: the workload that must leave its territory (above
/// the upper bounds, or in territories the plan no longer has) or must arrive (below the lower bounds) exceeds
/// the budget. Every unit moved changes one territory's load, so no plan within the budget can hold the
/// tolerance. `None` when the budget may suffice.
pub fn budget_shortfall(problem: &Problem) -> Option<String> {
    let (current, budget) = (problem.current.as_ref()?, problem.move_budget?);
    let p = problem.p();
    let mut loads = vec![0.0; p];
    let mut orphaned = 0.0;
    for (i, &t) in current.iter().enumerate() {
        match loads.get_mut(t as usize) {
            Some(l) => *l += problem.weights[i],
            None => orphaned += problem.weights[i],
        }
    }
    let tol = problem.tolerance;
    let above: f64 = (0..p)
        .map(|t| (loads[t] - problem.targets[t] * (1.0 + tol)).max(0.0))
        .sum();
    let below: f64 = (0..p)
        .map(|t| (problem.targets[t] * (1.0 - tol) - loads[t]).max(0.0))
        .sum();
    let must_move = (above + orphaned).max(below);
    if must_move <= budget * (1.0 + SLACK) {
        return None;
    }
    let total = problem.total();
    let current_dev = (0..p)
        .map(|t| ((loads[t] - problem.targets[t]) / problem.targets[t]).abs())
        .fold(0.0, f64::max);
    Some(format!(
        "the {}% disruption budget lets at most {budget:.0} {m} change territory, but holding ±{}% needs at \
         least {must_move:.0} {m} ({}% of the total) to move: the current plan has {above:.0} above the \
         territories' upper bounds{} and {below:.0} below their lower bounds (its max deviation is {:.2}%)",
        percent(budget / total),
        percent(tol),
        percent(must_move / total),
        if orphaned > 0.0 {
            format!(", {orphaned:.0} in territories the plan no longer has,")
        } else {
            String::new()
        },
        current_dev * 100.0,
        m = problem.measure,
    ))
}

/// How a run ended, for the reasons of promises not kept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunEnd {
    /// The planner cancelled.
    pub cancelled: bool,
    /// The run stopped before all restarts (cancel or time limit).
    pub stopped_early: bool,
    /// Restarts completed.
    pub restarts_done: usize,
    /// Restarts asked for.
    pub restarts: usize,
    /// The time limit in seconds.
    pub time_limit: f64,
    /// What `restarts_done` and `restarts` count: "restarts", or "generations" for the genetic search.
    pub counting: &'static str,
}

impl RunEnd {
    /// "the run was cancelled after 2 of 8 restarts", or `None` when it ran to the end. A run stopped after
    /// every restart finished was stopped in the regional redraw of the best plan that follows them.
    pub fn stopped(&self) -> Option<String> {
        let in_redraw = self.stopped_early && self.counting == "restarts" && self.restarts_done >= self.restarts;
        if in_redraw {
            let by = if self.cancelled {
                "the run was cancelled".to_string()
            } else {
                format!("the {} s time limit stopped the run", self.time_limit)
            };
            return Some(format!(
                "{by} in the regional redraw of the best plan, after all {} restarts",
                self.restarts
            ));
        }
        if self.cancelled {
            Some(format!(
                "the run was cancelled after {} of {} {}",
                self.restarts_done, self.restarts, self.counting
            ))
        } else if self.stopped_early {
            Some(format!(
                "the {} s time limit stopped the run after {} of {} {}",
                self.time_limit, self.restarts_done, self.restarts, self.counting
            ))
        } else {
            None
        }
    }
}

/// A secondary measure's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecondaryResult {
    /// The measure.
    pub measure: String,
    /// Its tolerance.
    pub tolerance: f64,
    /// Its largest deviation from its own target.
    pub max_dev: f64,
    /// Whether the deviation is within the tolerance.
    pub kept: bool,
}

/// Every promise of the run: tolerance, contiguity, disruption budget (when set), each secondary measure.
pub fn promises(
    problem: &Problem,
    evaluation: &Evaluation,
    moved_fraction: Option<f64>,
    max_moved: Option<f64>,
    secondary: &[SecondaryResult],
    end: RunEnd,
) -> Vec<Promise> {
    let stopped = end.stopped().map(|s| format!("; {s}")).unwrap_or_default();
    let mut out = Vec::new();
    let tol = problem.tolerance;
    out.push(if evaluation.max_dev <= tol + SLACK {
        Promise::kept("tolerance")
    } else {
        let found = format!(
            "the best plan found has max deviation {:.2}% (allowed ±{}%)",
            evaluation.max_dev * 100.0,
            percent(tol)
        );
        let why = match budget_shortfall(problem) {
            Some(proof) => format!("{proof}; {found} within the budget"),
            None if evaluation.n_noncontiguous > 0 => {
                format!("{found}; the optimizer keeps territories contiguous before it balances them{stopped}")
            }
            None => format!("{found}{stopped}"),
        };
        Promise::broken("tolerance", why)
    });
    out.push(if evaluation.n_noncontiguous == 0 {
        Promise::kept("contiguity")
    } else {
        let names: Vec<&str> = evaluation
            .territories
            .iter()
            .filter(|t| !t.connected)
            .map(|t| t.name.as_str())
            .collect();
        let shown = names.iter().take(5).copied().collect::<Vec<_>>().join(", ");
        let more = if names.len() > 5 {
            format!(" and {} more", names.len() - 5)
        } else {
            String::new()
        };
        Promise::broken(
            "contiguity",
            format!(
                "{} territories are in several pieces ({shown}{more}); locked units, the disruption budget or \
                 islands in the adjacency can hold pieces apart{stopped}",
                names.len()
            ),
        )
    });
    if let Some(limit) = max_moved {
        let moved = moved_fraction.unwrap_or(0.0);
        out.push(if moved <= limit + SLACK {
            Promise::kept("disruption_budget")
        } else {
            Promise::broken(
                "disruption_budget",
                format!(
                    "{:.2}% of the workload changed territory, more than the {}% budget",
                    moved * 100.0,
                    percent(limit)
                ),
            )
        });
    }
    for s in secondary {
        let name = format!("also_balance:{}", s.measure);
        out.push(if s.kept {
            Promise::kept(name)
        } else {
            Promise::broken(
                name,
                format!(
                    "{} is balanced as far as possible after {}: its max deviation is {:.2}% (asked ±{}%){stopped}",
                    s.measure,
                    problem.measure,
                    s.max_dev * 100.0,
                    percent(s.tolerance)
                ),
            )
        });
    }
    out
}

/// One promise per cap and per floor of the request (`cap:units`, `floor:potential_usd`): kept when every territory
/// of `assignment` is within it, else which territories are not and by how much, worst first.
pub fn limit_promises(problem: &Problem, assignment: &[u32], end: RunEnd) -> Vec<Promise> {
    let stopped = end.stopped().map(|s| format!("; {s}")).unwrap_or_default();
    let mut out = Vec::new();
    for limit in problem.limits.iter().filter(|l| l.band.is_none()) {
        let all = breaches(limit, assignment, problem.p());
        for (kind, value) in [(LimitKind::Cap, limit.cap), (LimitKind::Floor, limit.floor)] {
            let Some(value) = value else { continue };
            let name = format!("{}:{}", kind.word(), limit.measure);
            let broken: Vec<_> = all.iter().filter(|b| b.kind == kind).collect();
            if broken.is_empty() {
                out.push(Promise::kept(name));
                continue;
            }
            let (more_less, over_under) = match kind {
                LimitKind::Cap => ("more", "over"),
                LimitKind::Floor => ("less", "under"),
            };
            let shown: Vec<String> = broken
                .iter()
                .take(5)
                .map(|b| {
                    format!(
                        "{} has {} ({} {over_under})",
                        problem.names[b.territory],
                        number(b.load),
                        number((b.load - value).abs())
                    )
                })
                .collect();
            let more = if broken.len() > 5 {
                format!(" and {} more", broken.len() - 5)
            } else {
                String::new()
            };
            let total: f64 = broken.iter().map(|b| (b.load - value).abs()).sum();
            out.push(Promise::broken(
                name,
                format!(
                    "{} of {} territories {} {more_less} than {} {}: {}{more} ({} {over_under} in all); the best \
                     plan found could not keep every {} together with contiguity{}{stopped}",
                    broken.len(),
                    problem.p(),
                    if broken.len() == 1 { "has" } else { "have" },
                    number(value),
                    limit.measure,
                    shown.join(", "),
                    number(total),
                    kind.word(),
                    if problem.tolerance > 0.0 {
                        format!(" and ±{}%", percent(problem.tolerance))
                    } else {
                        String::new()
                    },
                ),
            ));
        }
    }
    out
}

/// One promise per segment mix band (`mix:segment=A`): kept when every territory's share is within the band, else
/// which territories are not, with their shares and counts, furthest first.
pub fn mix_promises(problem: &Problem, assignment: &[u32], end: RunEnd) -> Vec<Promise> {
    let stopped = end.stopped().map(|s| format!("; {s}")).unwrap_or_default();
    let p = problem.p();
    problem
        .mixes
        .iter()
        .map(|band| {
            let name = format!("mix:{}", band.label);
            let outside = band.outside(assignment, p);
            if outside.is_empty() {
                return Promise::kept(name);
            }
            let shown: Vec<String> = outside
                .iter()
                .take(5)
                .map(|m| {
                    format!(
                        "{} has {}% ({} of {} {})",
                        problem.names[m.territory],
                        mix_pct(m.share().unwrap_or(0.0)),
                        number(m.members),
                        number(m.counted),
                        band.what
                    )
                })
                .collect();
            let more = if outside.len() > 5 {
                format!(" and {} more", outside.len() - 5)
            } else {
                String::new()
            };
            Promise::broken(
                name,
                format!(
                    "{} of {p} territories {} outside {} {}: {}{more}; the best plan found could not keep the band \
                     together with contiguity{}{stopped}",
                    outside.len(),
                    if outside.len() == 1 { "is" } else { "are" },
                    band.range_in_percent(),
                    band.label,
                    shown.join(", "),
                    if problem.tolerance > 0.0 {
                        format!(" and ±{}%", percent(problem.tolerance))
                    } else {
                        String::new()
                    },
                ),
            )
        })
        .collect()
}

/// A share in percent as promises and notes write it, with two decimals (37.50, 40.12); the counts written
/// beside it say exactly where a share rounded onto a band's end lies.
pub(crate) fn mix_pct(share: f64) -> String {
    format!("{:.2}", share * 100.0)
}

/// The segment mix bands in the metrics document: per band its ends, the smallest and largest share, how many
/// territories are outside it or have nothing counted, and every territory's counts.
pub fn mixes_document(problem: &Problem, assignment: &[u32]) -> Value {
    let p = problem.p();
    Value::Array(
        problem
            .mixes
            .iter()
            .map(|band| {
                let all = band.territories(assignment, p);
                let shares: Vec<f64> = all.iter().filter_map(|m| m.share()).collect();
                let territories: serde_json::Map<String, Value> = all
                    .iter()
                    .map(|m| {
                        (
                            problem.names[m.territory].clone(),
                            json!({"members": m.members, "counted": m.counted, "share": m.share()}),
                        )
                    })
                    .collect();
                json!({
                    "segment": band.label,
                    "counts": band.what,
                    "lo": band.lo,
                    "hi": band.hi,
                    "min_share": shares.iter().copied().reduce(f64::min),
                    "max_share": shares.iter().copied().reduce(f64::max),
                    "territories_outside": all.iter().filter(|m| !band.keeps(m)).count(),
                    "territories_without": all.iter().filter(|m| m.share().is_none()).count(),
                    "territories": territories,
                })
            })
            .collect(),
    )
}

/// The caps and floors in the metrics document: per measure its limits, its smallest and largest territory load and
/// how many territories break a limit.
pub fn limits_document(problem: &Problem, assignment: &[u32]) -> Value {
    let loads = limit_loads(&problem.limits, assignment, problem.p());
    Value::Array(
        problem
            .limits
            .iter()
            .zip(&loads)
            .filter(|(limit, _)| limit.band.is_none())
            .map(|(limit, loads)| {
                let min = loads.iter().copied().fold(f64::INFINITY, f64::min);
                let max = loads.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                json!({
                    "measure": limit.measure,
                    "cap": limit.cap,
                    "floor": limit.floor,
                    "min": min,
                    "max": max,
                    "territories_outside": loads.iter().filter(|&&x| !limit.holds(x)).count(),
                })
            })
            .collect(),
    )
}
