//! The reps CSV: `id,name,lon,lat[,capacity]`, the reps' home bases and relative capacities.

use std::collections::HashMap;
use std::path::Path;

use tessera_optimizer::Rep;

use crate::error::ImportError;
use crate::import::table::{read_bytes, Table, ID, LAT, LON};
use crate::import::Warning;

/// Reads a reps CSV file. See [`parse_reps`].
///
/// # Errors
/// [`ImportError::NotFound`] or [`ImportError::Io`], then as [`parse_reps`].
pub fn read_reps(path: &Path) -> Result<(Vec<Rep>, Vec<Warning>), ImportError> {
    let bytes = read_bytes(path)?;
    parse_reps(path, &bytes)
}

/// Parses the bytes of a reps CSV named `path`.
///
/// Columns: `id` (required, unique), `name` (optional; the id when absent or empty), `lon`/`lat` (the same
/// names as for units), `capacity` (optional, default 1; also accepted as `fte`), which must be a finite
/// number > 0: a 0.5 FTE rep gets half a target.
///
/// # Errors
/// [`ImportError::Empty`], [`ImportError::MissingColumn`], [`ImportError::DuplicateId`],
/// [`ImportError::EmptyValue`], [`ImportError::NotANumber`], [`ImportError::NotFinite`],
/// [`ImportError::OutOfRange`] (coordinates, capacity <= 0).
pub fn parse_reps(path: &Path, bytes: &[u8]) -> Result<(Vec<Rep>, Vec<Warning>), ImportError> {
    let mut warnings = Vec::new();
    let t = Table::parse(path, bytes, &mut warnings)?;
    let id_col = t.require("id", ID)?;
    let lon_col = t.require("lon", LON)?;
    let lat_col = t.require("lat", LAT)?;
    let name_col = t.find(&["name", "rep", "rep_name"]);
    let capacity_col = t.find(&["capacity", "fte"]);
    let mut first_line: HashMap<&str, u64> = HashMap::new();
    let mut reps = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let id = t.text(row, id_col, "a rep id")?;
        if let Some(&first) = first_line.get(id) {
            return Err(ImportError::DuplicateId {
                path: path.to_path_buf(),
                id: id.to_string(),
                first_line: first,
                line: row.line,
            });
        }
        first_line.insert(id, row.line);
        let name = name_col.map(|c| row.get(c)).filter(|s| !s.is_empty()).unwrap_or(id);
        let lon = t.number_in(row, lon_col, "longitude", -180.0, 180.0)?;
        let lat = t.number_in(row, lat_col, "latitude", -90.0, 90.0)?;
        let capacity = match capacity_col {
            Some(c) if !row.get(c).is_empty() => {
                let v = t.number(row, c, "a capacity")?;
                if v <= 0.0 {
                    return Err(ImportError::OutOfRange {
                        at: t.cell(row, c),
                        value: v,
                        rule: "a rep's capacity must be > 0".to_string(),
                    });
                }
                v
            }
            _ => 1.0,
        };
        reps.push(Rep {
            id: id.to_string(),
            name: name.to_string(),
            lon,
            lat,
            capacity,
        });
    }
    Ok((reps, warnings))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests unwrap what they just built
mod tests {
    use super::*;

    #[test]
    fn capacity_defaults_to_one_and_name_to_the_id() {
        let (reps, _) = parse_reps(Path::new("r.csv"), b"id,lon,lat,capacity\nr1,-84,33,\nr2,-83,32,0.5\n").unwrap();
        assert_eq!(reps[0].capacity, 1.0);
        assert_eq!(reps[0].name, "r1");
        assert_eq!(reps[1].capacity, 0.5);
    }

    #[test]
    fn zero_capacity_is_refused() {
        let err = parse_reps(Path::new("r.csv"), b"id,name,lon,lat,capacity\nr1,Ann,-84,33,0\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "r.csv line 2, column \"capacity\" (#5): 0 is out of range; a rep's capacity must be > 0"
        );
    }
}
