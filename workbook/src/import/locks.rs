//! Locks CSV: `id,territory` rows naming the units that must stay in a territory (any subset of the units).

use std::collections::HashSet;
use std::path::Path;

use tessera_optimizer::Units;

use crate::error::ImportError;
use crate::import::table::{read_bytes, Table, ID};
use crate::import::{unknown_id_hint, Warning};

/// (unit index, territory name) pairs in file order, and the warnings of reading them.
pub type LocksRead = (Vec<(usize, String)>, Vec<Warning>);

/// Reads a locks CSV. See [`parse_locks`].
///
/// # Errors
/// [`ImportError::NotFound`] or [`ImportError::Io`], then as [`parse_locks`].
pub fn read_locks(path: &Path, units: &Units) -> Result<LocksRead, ImportError> {
    let bytes = read_bytes(path)?;
    parse_locks(path, &bytes, units)
}

/// Parses a locks CSV named `path`: columns `id` and `territory`, one row per locked unit. Returns
/// (unit index, territory name) pairs in file order; a unit listed twice keeps its first row, with a warning.
///
/// # Errors
/// [`ImportError::Empty`], [`ImportError::MissingColumn`], [`ImportError::EmptyValue`],
/// [`ImportError::UnknownUnit`].
pub fn parse_locks(path: &Path, bytes: &[u8], units: &Units) -> Result<LocksRead, ImportError> {
    let mut warnings = Vec::new();
    let t = Table::parse(path, bytes, &mut warnings)?;
    let id_col = t.require("id", ID)?;
    let territory_col = t.require("territory", &["territory", "territory_id"])?;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for row in &t.rows {
        let id = t.text(row, id_col, "a unit id")?;
        let i = units.index_of(id).ok_or_else(|| ImportError::UnknownUnit {
            at: t.cell(row, id_col),
            id: id.to_string(),
            hint: unknown_id_hint(units, id),
        })?;
        let name = t.text(row, territory_col, "a territory")?;
        if !seen.insert(i) {
            warnings.push(Warning::line(
                path,
                row.line,
                format!("unit {id:?} is locked twice; the first row is kept"),
            ));
            continue;
        }
        out.push((i, name.to_string()));
    }
    Ok((out, warnings))
}
