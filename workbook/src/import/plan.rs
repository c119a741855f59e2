//! The plan CSV: `id,territory[,center]`, one row per unit.

use std::collections::HashMap;
use std::path::Path;

use tessera_optimizer::{Plan, Units};

use crate::error::ImportError;
use crate::import::table::{read_bytes, Table, ID};
use crate::import::{unknown_id_hint, Warning};

/// A plan read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFile {
    /// The plan, territories numbered in order of first appearance.
    pub plan: Plan,
    /// When the file has a `center` column: each territory's center unit (index), by territory index; `None`
    /// for a territory whose rows leave it empty.
    pub centers: Option<Vec<Option<usize>>>,
}

/// Reads a plan CSV file. See [`parse_plan`].
///
/// # Errors
/// [`ImportError::NotFound`] or [`ImportError::Io`], then as [`parse_plan`].
pub fn read_plan(path: &Path, units: &Units) -> Result<(PlanFile, Vec<Warning>), ImportError> {
    let bytes = read_bytes(path)?;
    parse_plan(path, &bytes, units)
}

/// Parses the bytes of a plan CSV named `path` against `units`.
///
/// Columns `id` and `territory` are required; a `center` column (the unit id at the center of the row's
/// territory, as the peer plans carry) is read when present; other columns are ignored. A unit listed twice
/// keeps its first territory, as the peer referee does, with a warning.
///
/// # Errors
/// [`ImportError::Empty`], [`ImportError::MissingColumn`], [`ImportError::EmptyValue`],
/// [`ImportError::UnknownUnit`] (an id or a center not among the units), [`ImportError::Unassigned`] (a unit
/// with no row).
pub fn parse_plan(path: &Path, bytes: &[u8], units: &Units) -> Result<(PlanFile, Vec<Warning>), ImportError> {
    let mut warnings = Vec::new();
    let t = Table::parse(path, bytes, &mut warnings)?;
    let id_col = t.require("id", ID)?;
    let territory_col = t.require("territory", &["territory", "territory_id", "district"])?;
    let center_col = t.find(&["center", "centre"]);
    let mut territory_of = vec![u32::MAX; units.len()];
    let mut line_of = vec![0u64; units.len()];
    let mut names: Vec<String> = Vec::new();
    let mut by_name: HashMap<String, u32> = HashMap::new();
    let mut centers: Vec<Option<usize>> = Vec::new();
    for row in &t.rows {
        let id = t.text(row, id_col, "a unit id")?;
        let i = units.index_of(id).ok_or_else(|| ImportError::UnknownUnit {
            at: t.cell(row, id_col),
            id: id.to_string(),
            hint: unknown_id_hint(units, id),
        })?;
        let name = t.text(row, territory_col, "a territory")?;
        if territory_of[i] != u32::MAX {
            warnings.push(Warning::line(
                path,
                row.line,
                format!(
                    "unit {id:?} is listed again (first on line {}); the first territory is kept",
                    line_of[i]
                ),
            ));
            continue;
        }
        let k = match by_name.get(name) {
            Some(&k) => k,
            None => {
                names.push(name.to_string());
                centers.push(None);
                by_name.insert(name.to_string(), (names.len() - 1) as u32);
                (names.len() - 1) as u32
            }
        };
        territory_of[i] = k;
        line_of[i] = row.line;
        if let Some(c) = center_col {
            let center = row.get(c);
            if !center.is_empty() {
                let ci = units.index_of(center).ok_or_else(|| ImportError::UnknownUnit {
                    at: t.cell(row, c),
                    id: center.to_string(),
                    hint: unknown_id_hint(units, center),
                })?;
                centers[k as usize].get_or_insert(ci);
            }
        }
    }
    if let Some(i) = territory_of.iter().position(|&k| k == u32::MAX) {
        return Err(ImportError::Unassigned {
            path: path.to_path_buf(),
            id: units.ids()[i].clone(),
        });
    }
    Ok((
        PlanFile {
            plan: Plan::new(territory_of, names),
            centers: center_col.map(|_| centers),
        },
        warnings,
    ))
}
