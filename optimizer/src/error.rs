//! Errors raised when plain values handed to the optimizer break one of its rules.

use thiserror::Error;

/// A rule of the data model broken by values built from user data.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ModelError {
    /// Two units share one id.
    #[error("duplicate unit id {id:?} (rows {first} and {second})")]
    DuplicateId {
        /// The repeated id.
        id: String,
        /// 0-based index of the first unit with the id.
        first: usize,
        /// 0-based index of the second.
        second: usize,
    },
    /// A plan names a unit id the units do not have.
    #[error("plan names unit {id:?}, which is not among the units")]
    UnknownUnit {
        /// The unknown id.
        id: String,
    },
    /// A plan leaves a unit without a territory.
    #[error("unit {id:?} has no territory in the plan")]
    Unassigned {
        /// The id of the unassigned unit.
        id: String,
    },
    /// Zero territories requested.
    #[error("the number of territories must be at least 1")]
    ZeroTerritories,
    /// More territories requested than there are units.
    #[error("{territories} territories requested but there are only {units} units")]
    TooManyTerritories {
        /// Territories requested.
        territories: usize,
        /// Units available.
        units: usize,
    },
}
