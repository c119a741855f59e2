//! Errors the commands return, worded for the planner and sent to the window as `{ kind, message }`.

use serde::ser::SerializeStruct;
use tessera_workbook::{ImportError, WorkbookError};

/// Why a command failed. The `Display` text is what the planner reads, so it names the file and the rule.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A command needs a workbook but none is open.
    #[error("No workbook is open. Start Tessera with a workbook path, or open one.")]
    NoWorkbook,
    /// The workbook chosen at start-up could not be opened; the message says which and why.
    #[error("{0}")]
    Startup(String),
    /// Opening or reading the workbook failed (not a workbook, newer schema, locked, I/O...).
    #[error(transparent)]
    Workbook(#[from] WorkbookError),
    /// The window asked for something that does not exist (a unit, territory, scenario or measure); the
    /// message says what.
    #[error("{0}")]
    Request(String),
    /// An edit needs a scenario being edited, and none is.
    #[error("No scenario is being edited; choose one in the side panel.")]
    NoScenario,
    /// An optimizer run is already in progress.
    #[error("The optimizer is already running; wait for it or cancel it first.")]
    Busy,
    /// The window named a file the planner did not choose in one of Tessera's dialogs (see `scope`).
    #[error("{0}")]
    NotChosen(String),
    /// An import refused the planner's files; the message names the file, line and column.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// An earlier command panicked while holding the app state.
    #[error("Tessera's state was left inconsistent by an earlier failure; restart Tessera")]
    Poisoned,
}

impl AppError {
    /// A stable, machine-readable kind the UI can branch on without parsing messages.
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::NoWorkbook => "no_workbook",
            AppError::Startup(_) => "startup",
            AppError::Workbook(_) => "workbook",
            AppError::Request(_) => "request",
            AppError::NoScenario => "no_scenario",
            AppError::Busy => "busy",
            AppError::NotChosen(_) => "not_chosen",
            // The planner stopped it: the window says so quietly rather than as an error.
            AppError::Import(ImportError::Cancelled { .. }) => "cancelled",
            AppError::Import(_) => "import",
            AppError::Poisoned => "internal",
        }
    }
}

/// Serialized as `{ "kind": ..., "message": ... }`: what `ui/src/api/backend.ts` expects from a failed call.
impl serde::Serialize for AppError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("AppError", 2)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_kind_and_readable_message() {
        let json = serde_json::to_value(AppError::NoWorkbook).expect("serializes");
        assert_eq!(json["kind"], "no_workbook");
        assert!(json["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("No workbook is open")));
    }
}
