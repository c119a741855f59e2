//! What a planner asks of a run, and the data it runs on.

use serde::{Deserialize, Serialize};
use tessera_optimizer::{Adjacency, Plan, PlanError, Rep, Units};
use thiserror::Error;

/// Restarts of a run when the request does not say.
pub const DEFAULT_RESTARTS: usize = 8;
/// Seconds a run may take when the request does not say.
pub const DEFAULT_TIME_LIMIT: f64 = 30.0;
/// Tolerance when the request does not say (±5%).
pub const DEFAULT_TOLERANCE: f64 = 0.05;

/// A secondary measure balanced as far as possible within its own tolerance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlsoBalance {
    /// The measure.
    pub measure: String,
    /// Its tolerance, a fraction of its own target.
    pub tolerance: f64,
}

/// A hard limit on every territory's load of one measure: a cap (at most `value`) or a floor (at least `value`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TerritoryLimit {
    /// A measure of the units, or `units` for their number.
    pub measure: String,
    /// The limit.
    pub value: f64,
}

/// A band on every territory's share of one segment: `segment=A:0.2..0.4` keeps the A accounts between 20%
/// and 40% of each territory's accounts that have a segment (see [`super::segments`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MixBandRequest {
    /// The column the segment is read from (an accounts column, else a units text column).
    pub column: String,
    /// The segment: a value of the column, as written in it.
    pub segment: String,
    /// Smallest share per territory (a fraction), if any.
    pub lo: Option<f64>,
    /// Largest share per territory (a fraction), if any.
    pub hi: Option<f64>,
}

impl MixBandRequest {
    /// `segment=A:0.2..0.4`, as the planner writes it (an open end left empty).
    pub fn words(&self) -> String {
        let end = |x: Option<f64>| x.map(tessera_optimizer::limits::number).unwrap_or_default();
        format!("{}={}:{}..{}", self.column, self.segment, end(self.lo), end(self.hi))
    }
}

/// One planning request, the same whichever front end asks. Serialised (snake_case) it is the `params` document
/// stored with the scenario, apart from the figures [`super::PlanOutcome::params`] adds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRequest {
    /// Number of territories; `None`: one per rep.
    pub territories: Option<usize>,
    /// The measure to balance.
    pub measure: String,
    /// Allowed deviation from each territory's target, e.g. 0.05 for ±5%.
    pub tolerance: f64,
    /// Secondary measures, each within its own tolerance as far as possible.
    pub also_balance: Vec<AlsoBalance>,
    /// Disruption budget: largest fraction of the total workload allowed to leave its current territory.
    pub max_moved: Option<f64>,
    /// Re-optimise only these territories of the current plan, leaving the rest.
    pub only: Vec<String>,
    /// Hard caps: every territory's measure (or number of `units`) at most the value. Constraints, not
    /// penalties: a plan that breaks one says so (promise `cap:<measure>`). Left out of the stored parameters when
    /// empty, so runs without caps store what they stored before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caps: Vec<TerritoryLimit>,
    /// Hard floors: every territory's measure (or number of `units`) at least the value (promise
    /// `floor:<measure>`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub floors: Vec<TerritoryLimit>,
    /// Hard segment mix bands: every territory's share of a segment within its band (promise `mix:COLUMN=VALUE`).
    /// The counts come from the data ([`super::Prepared::with_segments`]). Left out of the stored parameters
    /// when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mixes: Vec<MixBandRequest>,
    /// Seed of every random choice: the same request and seed give the same plan.
    pub seed: u64,
    /// Restarts from different seeds; the best plan wins.
    pub restarts: usize,
    /// Seconds the run may take: a deadline for the whole run, at which the best plan found so far is returned.
    pub time_limit: f64,
    /// Worker threads (`None`: all cores). Not part of the stored parameters: it changes speed, not the plan.
    #[serde(skip)]
    pub threads: Option<usize>,
}

impl PlanRequest {
    /// A request with the documented defaults: one territory per rep, ±5%, 8 restarts, 30 s, seed 0.
    pub fn new(measure: impl Into<String>) -> Self {
        PlanRequest {
            territories: None,
            measure: measure.into(),
            tolerance: DEFAULT_TOLERANCE,
            also_balance: Vec::new(),
            max_moved: None,
            only: Vec::new(),
            caps: Vec::new(),
            floors: Vec::new(),
            mixes: Vec::new(),
            seed: 0,
            restarts: DEFAULT_RESTARTS,
            time_limit: DEFAULT_TIME_LIMIT,
            threads: None,
        }
    }
}

/// The data a run plans: borrowed from the front end's dataset, so nothing is copied.
#[derive(Debug, Clone, Copy)]
pub struct PlanInputs<'a> {
    /// The units.
    pub units: &'a Units,
    /// Their adjacency.
    pub adjacency: &'a Adjacency,
    /// Reps: one territory per rep, measured from the rep's home base. Empty for territories without home bases.
    pub reps: &'a [Rep],
    /// The plan moves are measured from (and the one `only` re-optimises); `None` to design from scratch.
    pub current: Option<&'a Plan>,
    /// Locked units: (unit index, territory name); they never move.
    pub locks: &'a [(usize, String)],
}

/// Why a request cannot run; each variant names the rule broken and the value that broke it.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum PlanningError {
    /// The tolerance is not a fraction in [0, 1).
    #[error(
        "tolerance {0}: the tolerance is the allowed deviation from each territory's target, a fraction from 0 \
         up to (not including) 1, e.g. 0.05 for ±5%"
    )]
    Tolerance(f64),
    /// A secondary measure's tolerance is not a fraction in [0, 1).
    #[error("also-balance {measure}:{tolerance}: its tolerance must be a fraction from 0 up to (not including) 1")]
    AlsoTolerance {
        /// The measure.
        measure: String,
        /// The tolerance given.
        tolerance: f64,
    },
    /// The disruption budget is not a fraction in [0, 1].
    #[error("max-moved {0}: the disruption budget is a fraction of the total workload from 0 to 1, e.g. 0.05 for 5%")]
    MaxMoved(f64),
    /// The time limit is not a positive number of seconds.
    #[error("time limit {0}: it must be a positive number of seconds")]
    TimeLimit(f64),
    /// Zero restarts.
    #[error("restarts 0: at least one restart must run")]
    Restarts,
    /// The genetic search asked to re-design only some territories.
    #[error("the genetic search designs the whole plan: it cannot re-optimise only some territories (drop `only`, or search by restarts)")]
    GeneticWithOnly,
    /// Zero generations.
    #[error("generations 0: the genetic search needs at least one generation")]
    Generations,
    /// Neither a number of territories nor reps.
    #[error("no number of territories and no reps: give the number of territories, or reps for one territory per rep")]
    NoTerritories,
    /// A number of territories that differs from the number of reps.
    #[error(
        "{territories} territories asked for, but there are {reps} reps and each rep gets one territory: \
         ask for {reps} territories (or leave the number out), or plan without reps to draw {territories} \
         territories without home bases"
    )]
    RepsConflict {
        /// Reps in the dataset.
        reps: usize,
        /// Territories asked for.
        territories: usize,
    },
    /// Whole units cannot reach some territory's band (proved before the run).
    #[error("{0}")]
    WholeUnits(#[from] super::whole_units::Unreachable),
    /// Named accounts that no plan of this request can honour (see
    /// [`crate::accounts::NamedLoads::shift_targets`]).
    #[error("named accounts: {0}")]
    Named(String),
    /// A segment mix band the data cannot count (unknown column or segment, no segment data given).
    #[error("mix {0}")]
    Mix(String),
    /// The optimizer refused the problem or failed.
    #[error("{0}")]
    Plan(#[from] PlanError),
}

impl PlanningError {
    /// True when the request (not Tessera) is at fault: every variant but a failure of the flow solver.
    pub fn is_bad_request(&self) -> bool {
        !matches!(self, PlanningError::Plan(PlanError::Flow(_)))
    }
}
