//! The units CSV: `id,lon,lat`, numeric measures, an optional `territory` (the current alignment) and any
//! text columns.
//!
//! # Which columns are measures
//! Every column other than the id, the coordinates (any of their accepted names) and `territory` is a
//! measure when **every** row holds a number in it. A column with text or an empty cell on some row is a text
//! column: kept aside in [`UnitsFile::text_columns`], not an error (a `name` column, a notes column). If such
//! a column starts with a number, a warning names the first row that is not one, since it probably was meant
//! as a measure. Two cases are errors all the same: a cell spelled `NaN`/`inf` (or overflowing) in an
//! otherwise numeric column, and any bad cell in the measure chosen for balancing, which must moreover be
//! `>= 0`.

use std::collections::HashMap;
use std::path::Path;

use tessera_optimizer::{Measure, Plan, Units};

use crate::error::ImportError;
use crate::import::table::{parse_number, read_bytes, Num, Table, ID, LAT, LON};
use crate::import::Warning;

/// Header names accepted for the current territory.
const TERRITORY: &[&str] = &["territory", "territory_id", "current_territory"];

/// A column of text kept beside the units (names, notes), one value per unit.
#[derive(Debug, Clone, PartialEq)]
pub struct TextColumn {
    /// Header as written.
    pub name: String,
    /// One value per unit, in unit order (empty where the cell is empty).
    pub values: Vec<String>,
}

/// What a units file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitsFile {
    /// The units, their positions and measures, in file order.
    pub units: Units,
    /// The current alignment from the `territory` column, if there is one.
    pub current: Option<Plan>,
    /// Columns that are not measures.
    pub text_columns: Vec<TextColumn>,
    /// The 1-based line of each unit, for later messages about it.
    pub lines: Vec<u64>,
    /// The name of the measure checked as the balanced one, if any (see [`read_units`]).
    pub balance: Option<String>,
}

/// Reads a units CSV file. See [`parse_units`].
///
/// # Errors
/// [`ImportError::NotFound`] or [`ImportError::Io`], then as [`parse_units`].
pub fn read_units(path: &Path, balance: Option<&str>) -> Result<(UnitsFile, Vec<Warning>), ImportError> {
    let bytes = read_bytes(path)?;
    parse_units(path, &bytes, balance)
}

/// Parses the bytes of a units CSV named `path` (the name is only used in messages).
///
/// `balance` names the measure to balance (header, case-insensitive); when `None`, a column called `workload`
/// is checked as the balanced one if there is one. Its cells must all be numbers `>= 0`.
/// Ids are kept as written, trimmed (ZIP `01234` stays `01234`). Longitude must lie in -180..=180, latitude in
/// -90..=90.
///
/// # Errors
/// [`ImportError::Empty`], [`ImportError::MissingColumn`] (id, lon or lat), [`ImportError::DuplicateId`],
/// [`ImportError::EmptyValue`], [`ImportError::NotANumber`], [`ImportError::NotFinite`],
/// [`ImportError::OutOfRange`] (coordinates, a negative balanced value), [`ImportError::UnknownMeasure`], and
/// the CSV errors of the reader.
pub fn parse_units(path: &Path, bytes: &[u8], balance: Option<&str>) -> Result<(UnitsFile, Vec<Warning>), ImportError> {
    let mut warnings = Vec::new();
    let t = Table::parse(path, bytes, &mut warnings)?;
    let id_col = t.require("id", ID)?;
    let lon_col = t.require("lon", LON)?;
    let lat_col = t.require("lat", LAT)?;
    let territory_col = t.find(TERRITORY);

    let n = t.rows.len();
    let (mut ids, mut lon, mut lat, mut lines) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let mut first_line: HashMap<&str, u64> = HashMap::with_capacity(n);
    for row in &t.rows {
        let id = t.text(row, id_col, "a unit id")?;
        if let Some(&first) = first_line.get(id) {
            return Err(ImportError::DuplicateId {
                path: path.to_path_buf(),
                id: id.to_string(),
                first_line: first,
                line: row.line,
            });
        }
        first_line.insert(id, row.line);
        ids.push(id.to_string());
        lon.push(t.number_in(row, lon_col, "longitude", -180.0, 180.0)?);
        lat.push(t.number_in(row, lat_col, "latitude", -90.0, 90.0)?);
        lines.push(row.line);
    }

    // Columns with a special meaning: never measures.
    let special = |c: usize| {
        let name = t.header[c].to_lowercase();
        t.header[c].is_empty()
            || ID.contains(&name.as_str())
            || LON.contains(&name.as_str())
            || LAT.contains(&name.as_str())
            || Some(c) == territory_col
    };
    let balance_col = match balance {
        Some(name) => {
            let col = t.find(&[name.trim().to_lowercase().as_str()]).filter(|&c| !special(c));
            match col {
                Some(c) => Some(c),
                None => {
                    return Err(ImportError::UnknownMeasure {
                        path: path.to_path_buf(),
                        name: name.to_string(),
                        available: numeric_columns(&t, &special),
                    })
                }
            }
        }
        None => t.find(&["workload"]).filter(|&c| !special(c)),
    };

    let mut measures = Vec::new();
    let mut text_columns = Vec::new();
    for col in (0..t.header.len()).filter(|&c| !special(c)) {
        if Some(col) == balance_col {
            let mut values = Vec::with_capacity(n);
            for row in &t.rows {
                let v = t.number(row, col, "a number")?;
                if v < 0.0 {
                    return Err(ImportError::OutOfRange {
                        at: t.cell(row, col),
                        value: v,
                        rule: format!("the balanced measure {:?} must be >= 0", t.header[col]),
                    });
                }
                values.push(v);
            }
            measures.push(Measure {
                name: t.header[col].clone(),
                values,
            });
            continue;
        }
        let mut values = Vec::with_capacity(n);
        let mut not_numeric = None;
        for row in &t.rows {
            match parse_number(row.get(col), t.decimal_comma) {
                Num::Value(v) => values.push(v),
                Num::NonFinite => {
                    return Err(ImportError::NotFinite {
                        at: t.cell(row, col),
                        value: row.get(col).to_string(),
                    })
                }
                Num::Empty | Num::Text => {
                    not_numeric.get_or_insert(row);
                }
            }
        }
        match not_numeric {
            None => measures.push(Measure {
                name: t.header[col].clone(),
                values,
            }),
            Some(bad) => {
                let starts_numeric = t
                    .rows
                    .first()
                    .is_some_and(|r| matches!(parse_number(r.get(col), t.decimal_comma), Num::Value(_)));
                if starts_numeric {
                    warnings.push(Warning::line(
                        path,
                        bad.line,
                        format!(
                            "column {:?} is not a measure: {:?} is not a number; it was kept as text",
                            t.header[col],
                            bad.get(col)
                        ),
                    ));
                }
                text_columns.push(TextColumn {
                    name: t.header[col].clone(),
                    values: t.rows.iter().map(|r| r.get(col).to_string()).collect(),
                });
            }
        }
    }

    let current = match territory_col {
        None => None,
        Some(col) => {
            let mut names = Vec::with_capacity(n);
            for row in &t.rows {
                names.push(t.text(row, col, "a territory (the column gives the current alignment)")?);
            }
            Some(plan_from_names(&names))
        }
    };

    let balance = balance_col.map(|c| t.header[c].clone());
    let units = Units::new(ids, lon, lat, measures).map_err(|e| ImportError::Csv {
        path: path.to_path_buf(),
        line: 0,
        message: e.to_string(),
    })?;
    Ok((
        UnitsFile {
            units,
            current,
            text_columns,
            lines,
            balance,
        },
        warnings,
    ))
}

/// A plan from one territory name per unit, territories numbered in order of first appearance.
pub(crate) fn plan_from_names(names: &[&str]) -> Plan {
    let mut index: HashMap<&str, u32> = HashMap::new();
    let mut territory_names = Vec::new();
    let territory_of = names
        .iter()
        .map(|&name| {
            *index.entry(name).or_insert_with(|| {
                territory_names.push(name.to_string());
                (territory_names.len() - 1) as u32
            })
        })
        .collect();
    Plan::new(territory_of, territory_names)
}

fn numeric_columns(t: &Table, special: &dyn Fn(usize) -> bool) -> Vec<String> {
    (0..t.header.len())
        .filter(|&c| !special(c))
        .filter(|&c| {
            t.rows
                .iter()
                .all(|r| matches!(parse_number(r.get(c), t.decimal_comma), Num::Value(_)))
        })
        .map(|c| t.header[c].clone())
        .collect()
}
