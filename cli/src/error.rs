//! The CLI's error: a message for the planner and the exit code that goes with it.

use std::fmt;

/// Exit code for bad user data or a bad request (the planner can fix it).
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code for failures that are not the planner's (I/O on our own outputs, internal errors).
pub const EXIT_FAILURE: i32 = 1;
/// Exit code when the plan was written but a promise (tolerance, contiguity, budget, a secondary measure) was not
/// kept; the reasons are on stderr and in the metrics JSON.
pub const EXIT_PROMISE_NOT_KEPT: i32 = 3;

/// An error the CLI prints on stderr before it exits with `code`.
#[derive(Debug)]
pub struct CliError {
    /// Process exit code.
    pub code: i32,
    /// What went wrong, in the planner's words: file, line, column and the rule broken where they apply.
    pub message: String,
}

impl CliError {
    /// A bad-input error (exit code 2).
    pub fn input(message: impl Into<String>) -> Self {
        CliError {
            code: EXIT_BAD_INPUT,
            message: message.into(),
        }
    }

    /// Any other failure (exit code 1).
    pub fn failure(message: impl Into<String>) -> Self {
        CliError {
            code: EXIT_FAILURE,
            message: message.into(),
        }
    }
}

impl CliError {
    /// The plan was written but promises were not kept (exit code 3); `message` says which and why.
    pub fn promise_not_kept(message: impl Into<String>) -> Self {
        CliError {
            code: EXIT_PROMISE_NOT_KEPT,
            message: message.into(),
        }
    }
}

impl From<tessera_workbook::planning::PlanningError> for CliError {
    fn from(e: tessera_workbook::planning::PlanningError) -> Self {
        if e.is_bad_request() {
            CliError::input(e.to_string())
        } else {
            CliError::failure(e.to_string())
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<tessera_optimizer::ModelError> for CliError {
    fn from(e: tessera_optimizer::ModelError) -> Self {
        CliError::input(e.to_string())
    }
}
