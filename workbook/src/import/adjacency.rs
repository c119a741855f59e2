//! The adjacency CSV: `a,b`, one pair of touching units per row.

use std::path::Path;

use tessera_optimizer::Units;

use crate::error::ImportError;
use crate::import::table::{read_bytes, Table};
use crate::import::{unknown_id_hint, Warning};

/// Column pairs accepted for the two ends of an edge, in order of preference.
const ENDS: &[(&str, &str)] = &[
    ("a", "b"),
    ("source", "target"),
    ("from", "to"),
    ("id1", "id2"),
    ("id_a", "id_b"),
];

/// Unit-index pairs `(a, b)`, `a < b`, sorted, and the warnings of reading them.
pub type EdgesRead = (Vec<(u32, u32)>, Vec<Warning>);

/// Reads an adjacency CSV file. See [`parse_adjacency`].
///
/// # Errors
/// [`ImportError::NotFound`] or [`ImportError::Io`], then as [`parse_adjacency`].
pub fn read_adjacency(path: &Path, units: &Units) -> Result<EdgesRead, ImportError> {
    let bytes = read_bytes(path)?;
    parse_adjacency(path, &bytes, units)
}

/// Parses the bytes of an adjacency CSV named `path` into unit-index pairs.
///
/// The ends are columns `a` and `b` (or `source`/`target`, `from`/`to`, `id1`/`id2`, or any `X_a`/`X_b` pair
/// such as `fips_a`/`fips_b`); other columns (a border length, a contact type) are ignored. A unit paired with
/// itself is skipped with a warning; a pair listed twice, in either order, counts once.
///
/// # Errors
/// [`ImportError::Empty`], [`ImportError::MissingColumn`], [`ImportError::EmptyValue`],
/// [`ImportError::UnknownUnit`].
pub fn parse_adjacency(path: &Path, bytes: &[u8], units: &Units) -> Result<EdgesRead, ImportError> {
    let mut warnings = Vec::new();
    let t = Table::parse(path, bytes, &mut warnings)?;
    let named = ENDS.iter().find_map(|(a, b)| Some((t.find(&[a])?, t.find(&[b])?)));
    let suffixed = || {
        t.header.iter().enumerate().find_map(|(ca, h)| {
            let stem = h.to_lowercase().strip_suffix("_a")?.to_string();
            Some((ca, t.find(&[format!("{stem}_b").as_str()])?))
        })
    };
    let Some((ca, cb)) = named.or_else(suffixed) else {
        return Err(ImportError::MissingColumn {
            path: path.to_path_buf(),
            column: "a and b".to_string(),
            expected: "a/b, source/target, from/to, id1/id2, X_a/X_b".to_string(),
            header: t.header.clone(),
        });
    };
    let mut edges = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let end = |col: usize| -> Result<u32, ImportError> {
            let id = t.text(row, col, "a unit id")?;
            units
                .index_of(id)
                .map(|i| i as u32)
                .ok_or_else(|| ImportError::UnknownUnit {
                    at: t.cell(row, col),
                    id: id.to_string(),
                    hint: unknown_id_hint(units, id),
                })
        };
        let (a, b) = (end(ca)?, end(cb)?);
        if a == b {
            warnings.push(Warning::line(
                path,
                row.line,
                format!("unit {:?} is paired with itself; the row was skipped", row.get(ca)),
            ));
            continue;
        }
        edges.push((a.min(b), a.max(b)));
    }
    edges.sort_unstable();
    edges.dedup();
    Ok((edges, warnings))
}
