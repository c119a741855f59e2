//! The units CSV: `id,lon,lat`, numeric measures, an optional `territory` (the current alignment) and any
//! text columns.
//!
//! # Which columns are measures
//! Every column other than the id, the coordinates (any of their accepted names) and `territory` is a
//! measure when **every** row holds a number in it. A column with text or an empty cell on some row is a text
//! column: kept aside in [`UnitsFile::text_columns`], not an error (a `name` column, a notes column). If such
//! a column starts with a number, a warning names the first row that is not one, since it probably was meant
//! as a measure. Two cases are errors all the same: a cell spelled `NaN`/`inf` (or overflowing) in a column
//! whose other cells are all numbers (at least one), and any bad cell in the measure chosen for balancing,
//! which must moreover be `>= 0`. (A `name` column of towns called Nan or Inf is text.)
//!
//! A column of numbers that are codes (an id-like header such as `county` or `zip`, or a cell with a leading
//! zero such as `01001`) is text too, with a warning: the rule lives in [`super::measures`]. Without a
//! measure named by the caller, the balanced one is [`super::default_measure`]'s pick.

use std::collections::HashMap;
use std::path::Path;

use tessera_optimizer::progress::ProgressReport;
use tessera_optimizer::{Measure, Plan, Progress, Units};

use crate::error::ImportError;
use crate::import::measures::{code_reason, default_measure, CodeReason};
use crate::import::table::{decode_file, parse_number, read_bytes, CsvReader, Num, Row, ID, LAT, LON};
use crate::import::Warning;

/// Header names accepted for the current territory.
pub(crate) const TERRITORY: &[&str] = &["territory", "territory_id", "current_territory"];

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
    read_units_with(path, balance, &Progress::new())
}

/// [`read_units`] reporting progress (stage `"reading units"`, fraction of the file read) to `progress` and
/// stopping with [`ImportError::Cancelled`] once it is cancelled.
///
/// # Errors
/// As [`read_units`], and [`ImportError::Cancelled`].
pub fn read_units_with(
    path: &Path,
    balance: Option<&str>,
    progress: &Progress,
) -> Result<(UnitsFile, Vec<Warning>), ImportError> {
    let bytes = read_bytes(path)?;
    parse_units_with(path, &bytes, balance, progress)
}

/// Parses the bytes of a units CSV named `path` (the name is only used in messages).
///
/// `balance` names the measure to balance (header, case-insensitive); when `None`, a column called `workload`
/// is checked as the balanced one if there is one. Its cells must all be numbers `>= 0`.
/// Ids are kept as written, trimmed (ZIP `01234` stays `01234`). Longitude must lie in -180..=180, latitude in
/// -90..=90.
///
/// Rows are streamed into columns (a number or a few bytes of text per cell), so memory grows with the data,
/// not with a row object per line: a million-row file is read without holding a million records.
///
/// # Errors
/// [`ImportError::Empty`], [`ImportError::MissingColumn`] (id, lon or lat), [`ImportError::DuplicateId`],
/// [`ImportError::EmptyValue`], [`ImportError::NotANumber`], [`ImportError::NotFinite`],
/// [`ImportError::OutOfRange`] (coordinates, a negative balanced value), [`ImportError::UnknownMeasure`],
/// [`ImportError::CodeMeasure`] (the measure asked for holds codes), and
/// the CSV errors of the reader.
pub fn parse_units(path: &Path, bytes: &[u8], balance: Option<&str>) -> Result<(UnitsFile, Vec<Warning>), ImportError> {
    parse_units_with(path, bytes, balance, &Progress::new())
}

/// The text of one column, every cell in one buffer.
#[derive(Default)]
struct Cells {
    buf: String,
    ends: Vec<usize>,
}

impl Cells {
    fn push(&mut self, s: &str) {
        self.buf.push_str(s);
        self.ends.push(self.buf.len());
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }

    fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.ends.len()).map(|i| self.get(i))
    }
}

/// Rows between two progress reports.
const REPORT_EVERY: usize = 1 << 16;

/// [`parse_units`] reporting progress to `progress` and stopping once it is cancelled.
///
/// # Errors
/// As [`parse_units`], and [`ImportError::Cancelled`].
pub fn parse_units_with(
    path: &Path,
    bytes: &[u8],
    balance: Option<&str>,
    progress: &Progress,
) -> Result<(UnitsFile, Vec<Warning>), ImportError> {
    parse_units_scaled(path, bytes, balance, progress, 1.0)
}

/// [`parse_units_with`], its progress fractions running from 0 to `share` (the units file's share of a whole
/// import).
pub(crate) fn parse_units_scaled(
    path: &Path,
    bytes: &[u8],
    balance: Option<&str>,
    progress: &Progress,
    share: f64,
) -> Result<(UnitsFile, Vec<Warning>), ImportError> {
    let mut warnings = Vec::new();
    let text = decode_file(path, bytes, &mut warnings);
    let mut reader = CsvReader::open(path, &text)?;
    let t = &reader.table;
    let id_col = t.require("id", ID)?;
    let lon_col = t.require("lon", LON)?;
    let lat_col = t.require("lat", LAT)?;
    let territory_col = t.find(TERRITORY);
    // Columns with a special meaning are never measures; nor are those without a header.
    let special: Vec<bool> = t
        .header
        .iter()
        .enumerate()
        .map(|(c, h)| {
            let name = h.to_lowercase();
            h.is_empty()
                || ID.contains(&name.as_str())
                || LON.contains(&name.as_str())
                || LAT.contains(&name.as_str())
                || Some(c) == territory_col
        })
        .collect();
    let others: Vec<usize> = (0..t.header.len()).filter(|&c| !special[c]).collect();
    let mut columns: Vec<Cells> = others.iter().map(|_| Cells::default()).collect();
    let mut territories = Cells::default();

    let (mut ids, mut lon, mut lat, mut lines) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut row = Row::default();
    while reader.next_row(&mut row)? {
        let t = &reader.table;
        let id = t.text(&row, id_col, "a unit id")?;
        ids.push(id.to_string());
        lon.push(t.number_in(&row, lon_col, "longitude", -180.0, 180.0)?);
        lat.push(t.number_in(&row, lat_col, "latitude", -90.0, 90.0)?);
        if let Some(col) = territory_col {
            territories.push(t.text(&row, col, "a territory (the column gives the current alignment)")?);
        }
        for (cells, &col) in columns.iter_mut().zip(&others) {
            cells.push(row.get(col));
        }
        lines.push(row.line);
        if lines.len() % REPORT_EVERY == 0 {
            if progress.is_cancelled() {
                return Err(ImportError::Cancelled {
                    path: path.to_path_buf(),
                });
            }
            progress.report(ProgressReport {
                stage: "reading units".to_string(),
                fraction: reader.fraction() * share,
                best_max_dev: None,
                best_travel: None,
                best_noncontiguous: None,
            });
        }
    }
    // Duplicate ids: sorting indices by id finds them without a second copy of every id in a hash map (the
    // units build their own index next). The repeat reported is the earliest second occurrence.
    let mut order: Vec<u32> = (0..ids.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| ids[a as usize].cmp(&ids[b as usize]).then(a.cmp(&b)));
    let repeat = order
        .windows(2)
        .filter(|w| ids[w[0] as usize] == ids[w[1] as usize])
        .min_by_key(|w| w[1]);
    if let Some(w) = repeat {
        let (first, second) = (w[0] as usize, w[1] as usize);
        // w[0] may itself repeat an earlier one; the first line of that id is the smallest index with it.
        let first = order
            .iter()
            .map(|&k| k as usize)
            .find(|&k| ids[k] == ids[second])
            .unwrap_or(first);
        return Err(ImportError::DuplicateId {
            path: path.to_path_buf(),
            id: ids[second].clone(),
            first_line: lines[first],
            line: lines[second],
        });
    }
    drop(order);
    let t = reader.finish(&mut warnings)?;
    let n = ids.len();
    // Longitude 0, latitude 0 is open sea off West Africa: a unit there has almost always lost its location (a
    // geocoder's or spreadsheet's default). It is kept, as it may be real, but it would stretch its territory's
    // travel across the globe, so the planner hears of it.
    let at_origin: Vec<usize> = (0..n).filter(|&i| lon[i] == 0.0 && lat[i] == 0.0).collect();
    if let Some(&first) = at_origin.first() {
        let count = at_origin.len();
        let what = if count == 1 {
            format!("unit {:?} is", ids[first])
        } else {
            format!("{count} units (the first {:?}) are", ids[first])
        };
        warnings.push(Warning::line(
            path,
            lines[first],
            format!("{what} at longitude 0, latitude 0, in the sea off West Africa: usually a missing location"),
        ));
    }

    let balance_col = match balance {
        Some(name) => {
            let wanted = name.trim().to_lowercase();
            let found = others.iter().position(|&c| t.header[c].to_lowercase() == wanted);
            if found.is_none() {
                let available = others
                    .iter()
                    .zip(&columns)
                    .filter(|(&c, cells)| {
                        cells
                            .iter()
                            .all(|v| matches!(parse_number(v, t.decimal_comma), Num::Value(_)))
                            && code_reason(&t.header[c], cells.iter()).is_none()
                    })
                    .map(|(&c, _)| t.header[c].clone())
                    .collect();
                return Err(ImportError::UnknownMeasure {
                    path: path.to_path_buf(),
                    name: name.to_string(),
                    available,
                });
            }
            found
        }
        None => others
            .iter()
            .position(|&c| t.header[c].eq_ignore_ascii_case("workload")),
    };

    let mut measures = Vec::new();
    let mut text_columns = Vec::new();
    for (k, (cells, &col)) in columns.into_iter().zip(&others).enumerate() {
        let name = &t.header[col];
        let mut values = Vec::with_capacity(n);
        // The first cell (row index) of each kind that keeps the column from being a measure.
        let (mut non_finite, mut not_number) = (None, None);
        for (i, v) in cells.iter().enumerate() {
            match parse_number(v, t.decimal_comma) {
                Num::Value(x) => values.push(x),
                Num::NonFinite => {
                    non_finite.get_or_insert(i);
                }
                Num::Empty | Num::Text => {
                    not_number.get_or_insert(i);
                }
            }
        }
        let first_bad = match (non_finite, not_number) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if Some(k) == balance_col {
            if let Some(i) = first_bad {
                return Err(t.number_error(lines[i], col, cells.get(i), "a number"));
            }
            if let Some(i) = values.iter().position(|&x| x < 0.0) {
                return Err(ImportError::OutOfRange {
                    at: t.cell_at(lines[i], col),
                    value: values[i],
                    rule: format!("the balanced measure {name:?} must be >= 0"),
                });
            }
        }
        let code = match (non_finite, not_number) {
            (None, None) => code_reason(name, cells.iter()),
            _ => None,
        };
        if let Some(reason) = code {
            if Some(k) == balance_col {
                return Err(ImportError::CodeMeasure {
                    path: path.to_path_buf(),
                    name: name.clone(),
                    reason: reason.to_string(),
                });
            }
            warnings.push(match reason {
                CodeReason::LeadingZero { row, .. } => Warning::line(path, lines[row], code_warning(name, &reason)),
                CodeReason::IdLikeName => Warning::file(path, code_warning(name, &reason)),
            });
            text_columns.push(TextColumn {
                name: name.clone(),
                values: cells.iter().map(str::to_string).collect(),
            });
            continue;
        }
        match (non_finite, not_number) {
            (None, None) => measures.push(Measure {
                name: name.clone(),
                values,
            }),
            // Numbers and NaN/inf only: a measure with broken values, not a text column.
            (Some(i), None) if !values.is_empty() => {
                return Err(t.number_error(lines[i], col, cells.get(i), "a number"))
            }
            (nf, nn) => {
                let i = nn.or(nf).unwrap_or(0);
                if matches!(
                    cells.iter().next().map(|v| parse_number(v, t.decimal_comma)),
                    Some(Num::Value(_))
                ) {
                    warnings.push(Warning::line(
                        path,
                        lines[i],
                        format!(
                            "column {name:?} is not a measure: {:?} is not a number; it was kept as text",
                            cells.get(i)
                        ),
                    ));
                }
                text_columns.push(TextColumn {
                    name: name.clone(),
                    values: cells.iter().map(str::to_string).collect(),
                });
            }
        }
    }

    let current = territory_col.map(|_| plan_from_names(&territories.iter().collect::<Vec<_>>()));
    // The measure asked for (checked above), else the default one by the shared rule.
    let balance = match balance_col {
        Some(k) => Some(t.header[others[k]].clone()),
        None => default_measure(
            measures
                .iter()
                .map(|m| (m.name.as_str(), m.values.iter().all(|&v| v >= 0.0))),
        )
        .map(str::to_string),
    };
    // Ids were checked unique above, so this cannot fail; the error is mapped rather than unwrapped all the same.
    let units = Units::new(ids, lon, lat, measures).map_err(|e| ImportError::Csv {
        path: path.to_path_buf(),
        line: 0,
        message: e.to_string(),
    })?;
    progress.report(ProgressReport {
        stage: "reading units".to_string(),
        fraction: share,
        best_max_dev: None,
        best_travel: None,
        best_noncontiguous: None,
    });
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

/// The warning for a numeric-looking column kept as text because it holds codes.
fn code_warning(name: &str, reason: &CodeReason) -> String {
    format!("column {name:?} holds codes, not amounts ({reason}); it was kept as text, not a measure")
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
