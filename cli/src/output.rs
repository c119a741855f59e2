//! Where a command writes its results: a file, written whole (to a temporary file beside the target, then renamed
//! into place, so an interrupted run never leaves a half-written plan), or standard output for `-`.
//!
//! An existing file is never replaced silently: [`Output::check`] refuses it unless the planner said `--force`,
//! before any work starts.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::CliError;

/// A result's destination, parsed from a path argument: `-` is standard output.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Standard output.
    Stdout,
    /// A file.
    File(PathBuf),
}

impl Output {
    /// `-` is standard output, anything else a file.
    pub fn parse(path: &Path) -> Output {
        if path.as_os_str() == "-" {
            Output::Stdout
        } else {
            Output::File(path.to_path_buf())
        }
    }

    /// True for standard output.
    pub fn is_stdout(&self) -> bool {
        matches!(self, Output::Stdout)
    }

    /// Refuses to replace an existing file unless `force`; `flag` names the option, for the message.
    pub fn check(&self, flag: &str, force: bool) -> Result<(), CliError> {
        match self {
            Output::File(p) if !force && p.exists() => Err(CliError::input(format!(
                "{flag} {}: the file already exists; add --force to replace it, or choose another name",
                p.display()
            ))),
            _ => Ok(()),
        }
    }

    /// Writes the result through `fill`: a file atomically, standard output directly.
    pub fn write(&self, fill: impl FnOnce(&mut dyn Write) -> Result<(), String>) -> Result<(), CliError> {
        match self {
            Output::File(p) => write_atomically(p, fill),
            Output::Stdout => {
                let stdout = std::io::stdout();
                let mut lock = stdout.lock();
                fill(&mut lock)
                    .and_then(|()| lock.flush().map_err(|e| e.to_string()))
                    .map_err(|e| CliError::failure(format!("standard output: cannot write: {e}")))
            }
        }
    }
}

/// Writes `path` through `fill`, atomically (the workbook's [`tessera_workbook::export::write_atomically`]).
pub fn write_atomically(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<(), String>) -> Result<(), CliError> {
    tessera_workbook::export::write_atomically(path, fill)
        .map_err(|e| CliError::failure(format!("{}: cannot write: {e}", path.display())))
}
