//! Importers for the planner's files (formats in `../shared/DESIGN.md` §4), and [`import_dataset`], which
//! reads a whole job into a validated [`crate::Dataset`] or refuses it whole.
//!
//! Which member to pick:
//! - a whole job (units plus optional adjacency, polygons, reps): [`import_dataset`] with an [`ImportRequest`];
//! - one file: [`read_units`], [`read_reps`], [`read_plan`], [`read_adjacency`], [`read_polygons`] (or their
//!   `parse_*` twins over bytes already in memory);
//! - the accounts inside the units and the named accounts: [`read_accounts`], [`read_named`] (attached to units
//!   by [`crate::accounts`]);
//! - checking a territory count: [`validate_territories`];
//! - which columns are measures, which are codes, and the measure balanced by default: [`measures`];
//! - a quick look at a units file before importing it (first rows, column roles): [`preview_units`];
//! - a new scenario from the planner's plan CSV or territory polygons: [`scenario_from_file`].
//!
//! Every CSV reader accepts what spreadsheets write: `,` `;` or tab delimiters (sniffed from the header line),
//! a decimal comma in `;` files, UTF-8 with or without BOM, UTF-16 with BOM, CRLF, quoted fields, blank trailing
//! rows and unnamed trailing columns, case-insensitive headers. A file that is not UTF-8 is decoded as
//! Windows-1252 (Latin-1) with a [`Warning`]. Every refusal is an [`crate::ImportError`] naming the file, line
//! and column.

pub mod accounts;
mod adjacency;
mod locks;
pub mod measures;
mod named;
mod plan;
mod polygons;
pub mod preview;
mod reps;
mod request;
mod scenario_source;
mod table;
mod territory_polygons;
mod text;
mod units;

use std::fmt;
use std::path::{Path, PathBuf};

use tessera_optimizer::Units;

pub use accounts::{parse_accounts, read_accounts, AccountColumn, AccountValues, AccountsFile, AttachBy};
pub use adjacency::{parse_adjacency, read_adjacency, EdgesRead};
pub use locks::{parse_locks, read_locks, LocksRead};
pub use measures::{balanced_measure, default_measure, default_measure_of, is_code_name, CodeReason};
pub use named::{parse_named, read_named, NamedRead};
pub use plan::{parse_plan, read_plan, PlanFile};
pub use polygons::{parse_polygons, read_polygons};
pub use preview::{preview_units, ColumnPreview, ColumnRole, UnitsPreview};
pub use reps::{parse_reps, read_reps};
pub use request::{
    import_dataset, import_dataset_with, import_dataset_with_text, validate_territories, ImportRequest,
    DEFAULT_MAX_EDGE_KM,
};
pub use scenario_source::{scenario_from_file, ScenarioFromFile, ScenarioSource, ScenarioSourceError};
pub use territory_polygons::{plan_from_territory_polygons, Outside};
pub use tessera_optimizer::spatial::Contiguity;
pub use units::{parse_units, parse_units_with, read_units, read_units_with, TextColumn, UnitsFile};

/// Something the planner should know about an import that still succeeded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Warning {
    /// The file it concerns, if one.
    pub path: Option<PathBuf>,
    /// The 1-based line, if one.
    pub line: Option<u64>,
    /// What happened.
    pub message: String,
}

impl Warning {
    fn file(path: &Path, message: impl Into<String>) -> Self {
        Warning {
            path: Some(path.to_path_buf()),
            line: None,
            message: message.into(),
        }
    }

    fn line(path: &Path, line: u64, message: impl Into<String>) -> Self {
        Warning {
            path: Some(path.to_path_buf()),
            line: Some(line),
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.line) {
            (Some(p), Some(l)) => write!(f, "{} line {l}: {}", p.display(), self.message),
            (Some(p), None) => write!(f, "{}: {}", p.display(), self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// A hint for an id the units lack: the unit id it becomes once leading zeros are restored, since a
/// spreadsheet that read ids as numbers turns ZIP 01234 into 1234. Empty when there is none. Costs one pass
/// over the ids, paid only when an error is about to be reported.
pub(crate) fn unknown_id_hint(units: &Units, id: &str) -> String {
    let bare = id.trim_start_matches('0');
    if bare.is_empty() {
        return String::new();
    }
    match units.ids().iter().find(|u| u.trim_start_matches('0') == bare) {
        Some(u) => format!(
            "; the units have {u:?}: were leading zeros lost (a spreadsheet reading ids as numbers)? Keep ids as text"
        ),
        None => String::new(),
    }
}
