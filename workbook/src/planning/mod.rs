//! The planning service below both front ends: `tessera plan` and the app's Optimize call it and nothing else.
//!
//! A [`PlanRequest`] (territories or one per rep, measure, tolerance, secondary measures, disruption budget,
//! caps and floors, segment mix bands, `only`, seed, restarts, time limit) on [`PlanInputs`] (units, adjacency,
//! reps, current plan, locks) is checked and turned into the optimizer's problem by [`prepare`] (named accounts and
//! the bands' segment counts join it through [`Prepared::with_named_loads`] and [`Prepared::with_segments`]) —
//! refusing what provably cannot work, noting what probably will not — then [`Prepared::run`] designs (or redesigns `only`), measures the whole plan, and says
//! for every promise whether it is kept and why not ([`Promise`]). The [`PlanOutcome`] carries one parameters
//! document and one metrics document (snake_case keys), the same whichever front end asked, so the same request
//! stores the same scenario row.
//!
//! ```
//! use tessera_optimizer::{Adjacency, Measure, Units};
//! use tessera_workbook::planning::{plan, PlanInputs, PlanProgress, PlanRequest};
//! let n = 16;
//! let units = Units::new(
//!     (0..n).map(|i| format!("u{i}")).collect(),
//!     (0..n).map(|i| (i % 4) as f64 * 0.1).collect(),
//!     (0..n).map(|i| (i / 4) as f64 * 0.1).collect(),
//!     vec![Measure { name: "workload".into(), values: vec![1.0; n] }],
//! )?;
//! let mut edges = vec![];
//! for i in 0..n as u32 { if i % 4 < 3 { edges.push((i, i + 1)); } if i / 4 < 3 { edges.push((i, i + 4)); } }
//! let adjacency = Adjacency::from_edges(n, &edges);
//! let inputs = PlanInputs { units: &units, adjacency: &adjacency, reps: &[], current: None, locks: &[] };
//! let mut request = PlanRequest::new("workload");
//! request.territories = Some(4);
//! request.restarts = 2;
//! let outcome = plan(inputs, &request, &PlanProgress::new())?;
//! assert!(outcome.promises.iter().all(|p| p.kept));
//! assert_eq!(outcome.metrics["promises"][0]["name"], "tolerance");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod explore;
mod progress;
mod promises;
mod request;
mod run;
pub mod segments;
pub mod whole_units;

pub use explore::{
    front_figures, growing_front, plan_id, ExploreOutcome, FrontFigures, FrontPlan, GrowingPlan, Run, EXPLORE_BUDGETS,
};
pub use progress::PlanProgress;
pub use promises::{budget_shortfall, Promise, SecondaryResult};
pub use request::{
    AlsoBalance, MixBandRequest, PlanInputs, PlanRequest, PlanningError, TerritoryLimit, DEFAULT_RESTARTS,
    DEFAULT_TIME_LIMIT, DEFAULT_TOLERANCE,
};
pub use run::{plan, prepare, PlanOutcome, Prepared, SearchMethod};
pub use segments::{parse_mix, SegmentTable};
