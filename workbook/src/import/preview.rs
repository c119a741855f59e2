//! A quick look at a units CSV before importing it: the header, the first rows, and the role each column
//! would play (id, name, coordinates, current territory, numeric measure, text).
//!
//! Only the start of the file is read ([`SAMPLE_BYTES`], at most [`SAMPLE_ROWS`] rows), so a million-row file
//! previews as fast as a ten-row one. Roles are therefore guesses from the sample: a column numeric in the
//! sample may still hold text further down, which the import itself reports with file, line and column.
//! A header the importer would refuse (duplicate names, malformed CSV, an empty file) is an error here too,
//! naming the file, the line and the column.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::ImportError;
use crate::import::measures::code_reason;
use crate::import::table::{decode_file, parse_number, CsvReader, Num, Row, ID, LAT, LON};
use crate::import::units::TERRITORY;
use crate::import::Warning;

/// Bytes read from the start of the file at most.
pub const SAMPLE_BYTES: usize = 1 << 20;
/// Data rows sampled at most to guess the column roles.
pub const SAMPLE_ROWS: usize = 1000;
/// Data rows returned for display.
pub const SHOWN_ROWS: usize = 8;

/// What a column of a units file is, as the importer will read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnRole {
    /// The unit id (`id`, `unit_id`, `unit`).
    Id,
    /// A text column called `name`: shown beside the id.
    Name,
    /// Longitude (`lon`, `lng`, `long`, `longitude`, `x`).
    Lon,
    /// Latitude (`lat`, `latitude`, `y`).
    Lat,
    /// The current alignment (`territory`, `territory_id`, `current_territory`).
    Territory,
    /// Every sampled cell is a number: a measure that can be balanced.
    Measure,
    /// Numbers that are codes (an id-like header such as `county`, or a leading zero such as `01001`; see
    /// [`crate::import::measures`]): kept aside as text, never balanced.
    Code,
    /// Text (or a number column with a gap): kept aside, never balanced.
    Text,
    /// No header: ignored by the importer.
    Ignored,
}

/// One column of the preview.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnPreview {
    /// The header as written.
    pub name: String,
    /// Its role.
    pub role: ColumnRole,
    /// For a column that is text only because of some cells: the 1-based line of the first cell that is
    /// not a number (so the planner sees why a would-be measure is not one).
    pub first_text_line: Option<u64>,
    /// For a [`ColumnRole::Code`] column: why its numbers are codes, in words.
    pub code_reason: Option<String>,
}

/// The start of a units CSV and what the importer will make of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitsPreview {
    /// The file.
    pub path: PathBuf,
    /// Every column, in file order.
    pub columns: Vec<ColumnPreview>,
    /// The first rows ([`SHOWN_ROWS`] at most), one cell per column.
    pub rows: Vec<Vec<String>>,
    /// 1-based line of each shown row.
    pub lines: Vec<u64>,
    /// Rows read to guess the roles.
    pub sampled_rows: usize,
    /// True when the whole file was read (it is under [`SAMPLE_BYTES`]), so `row_estimate` is exact.
    pub complete: bool,
    /// Number of data rows: exact when `complete`, else estimated from the file size.
    pub row_estimate: u64,
    /// The numeric columns, in file order: the measures the planner may balance.
    pub measures: Vec<String>,
    /// The measure balanced unless the planner picks another, by [`crate::import::default_measure`]'s rule
    /// over the sampled rows: `workload` when it is a measure, else the first measure with no negative value.
    pub default_measure: Option<String>,
    /// What keeps the file from importing as it is (a missing id or coordinate column), in words.
    pub problems: Vec<String>,
    /// What the planner should know (encoding, ignored columns).
    pub warnings: Vec<Warning>,
}

/// Previews the units CSV at `path`, reading only its start.
///
/// # Errors
/// [`ImportError::NotFound`], [`ImportError::Io`], and for a header the importer refuses:
/// [`ImportError::Empty`], [`ImportError::Csv`] (malformed CSV, or a column named twice: the message names the
/// line and both column numbers), [`ImportError::TooManyFields`] for a sampled row wider than the header.
pub fn preview_units(path: &Path) -> Result<UnitsPreview, ImportError> {
    let io = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::NotFound => ImportError::NotFound {
            path: path.to_path_buf(),
        },
        _ => ImportError::Io {
            path: path.to_path_buf(),
            source,
        },
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut bytes = Vec::with_capacity(SAMPLE_BYTES.min(len as usize));
    file.take(SAMPLE_BYTES as u64).read_to_end(&mut bytes).map_err(io)?;
    preview_units_bytes(path, &bytes, len)
}

/// Previews `prefix`, the first bytes of the units CSV `path` whose whole size is `file_len` bytes.
///
/// # Errors
/// As [`preview_units`].
pub fn preview_units_bytes(path: &Path, prefix: &[u8], file_len: u64) -> Result<UnitsPreview, ImportError> {
    let truncated = (prefix.len() as u64) < file_len;
    // A cut prefix ends mid-row: keep it to its last line end, so no cell (or UTF-8 character) is cut.
    let bytes = if truncated && !is_utf16(prefix) {
        let end = prefix
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |k| k + 1);
        &prefix[..end]
    } else {
        prefix
    };
    let mut warnings = Vec::new();
    let text = decode_file(path, bytes, &mut warnings);
    let mut reader = CsvReader::open(path, &text).map_err(|e| header_error(e, &text))?;
    let mut rows: Vec<Row> = Vec::new();
    let mut row = Row::default();
    while rows.len() < SAMPLE_ROWS && reader.next_row(&mut row)? {
        rows.push(std::mem::take(&mut row));
    }
    // A whole file under SAMPLE_BYTES is already in memory: count the rest of its rows, so the count is exact.
    let mut extra = 0u64;
    if !truncated && rows.len() == SAMPLE_ROWS {
        while reader.next_row(&mut row)? {
            extra += 1;
        }
    }
    let complete = !truncated;
    if truncated && rows.len() < SAMPLE_ROWS {
        // The last row read may be one cut short inside a quoted field.
        rows.pop();
    }
    let read_fraction = reader.fraction();
    let t = &reader.table;
    if rows.is_empty() && complete {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
            header_only: true,
        });
    }

    let lower: Vec<String> = t.header.iter().map(|h| h.to_lowercase()).collect();
    let territory_col = t.find(TERRITORY);
    let (id_col, lon_col, lat_col) = (t.find(ID), t.find(LON), t.find(LAT));
    let mut columns = Vec::with_capacity(t.header.len());
    // Each measure with whether its sampled values are all >= 0, for the default-measure rule.
    let mut measure_signs: Vec<(String, bool)> = Vec::new();
    for (c, name) in t.header.iter().enumerate() {
        let first_text = rows
            .iter()
            .find(|r| !matches!(parse_number(r.get(c), t.decimal_comma), Num::Value(_)))
            .map(|r| r.line);
        let mut code = None;
        let role = if name.is_empty() {
            ColumnRole::Ignored
        } else if Some(c) == id_col {
            ColumnRole::Id
        } else if Some(c) == lon_col {
            ColumnRole::Lon
        } else if Some(c) == lat_col {
            ColumnRole::Lat
        } else if Some(c) == territory_col {
            ColumnRole::Territory
        } else if ID.contains(&lower[c].as_str())
            || LON.contains(&lower[c].as_str())
            || LAT.contains(&lower[c].as_str())
        {
            // A second spelling of a coordinate or id (`x` beside `lon`): the importer sets it aside.
            ColumnRole::Ignored
        } else if first_text.is_none() && !rows.is_empty() {
            code = code_reason(name, rows.iter().map(|r| r.get(c)));
            if code.is_some() {
                ColumnRole::Code
            } else {
                ColumnRole::Measure
            }
        } else if lower[c] == "name" {
            ColumnRole::Name
        } else {
            ColumnRole::Text
        };
        // A text column that starts with numbers is worth explaining; one that starts with text is not.
        let starts_numeric = rows
            .first()
            .is_some_and(|r| matches!(parse_number(r.get(c), t.decimal_comma), Num::Value(_)));
        columns.push(ColumnPreview {
            name: name.clone(),
            role,
            first_text_line: first_text.filter(|_| role == ColumnRole::Text && starts_numeric),
            code_reason: code.map(|r| r.to_string()),
        });
        if role == ColumnRole::Measure {
            let non_negative = rows
                .iter()
                .all(|r| matches!(parse_number(r.get(c), t.decimal_comma), Num::Value(v) if v >= 0.0));
            measure_signs.push((name.clone(), non_negative));
        }
    }
    let measures: Vec<String> = measure_signs.iter().map(|(m, _)| m.clone()).collect();
    let default_measure =
        crate::import::default_measure(measure_signs.iter().map(|(m, ok)| (m.as_str(), *ok))).map(str::to_string);
    let mut problems = Vec::new();
    for (found, what, names) in [
        (id_col, "id", ID),
        (lon_col, "longitude", LON),
        (lat_col, "latitude", LAT),
    ] {
        if found.is_none() {
            problems.push(format!(
                "{}: no {what} column; name one {} (the header is {})",
                path.display(),
                names.join(", "),
                t.header.join(", ")
            ));
        }
    }
    let row_estimate = if complete || rows.is_empty() {
        rows.len() as u64 + extra
    } else {
        // Rows per byte in the sample, times the file's size.
        let sample_bytes = (read_fraction * bytes.len() as f64).max(1.0);
        (rows.len() as f64 * file_len as f64 / sample_bytes).round() as u64
    };
    let shown = rows.iter().take(SHOWN_ROWS);
    Ok(UnitsPreview {
        path: path.to_path_buf(),
        rows: shown
            .clone()
            .map(|r| (0..t.header.len()).map(|c| r.get(c).to_string()).collect())
            .collect(),
        lines: shown.map(|r| r.line).collect(),
        columns,
        sampled_rows: rows.len(),
        complete,
        row_estimate,
        measures,
        default_measure,
        problems,
        warnings,
    })
}

fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// A header error with its line: the importer's duplicate-column error names the columns but not the line.
fn header_error(e: ImportError, text: &str) -> ImportError {
    match e {
        ImportError::DuplicateColumn {
            path,
            column,
            first,
            second,
        } => ImportError::Csv {
            path,
            line: header_line(text),
            message: format!("the header names column {column:?} twice (columns #{first} and #{second})"),
        },
        other => other,
    }
}

/// The 1-based line of the header: the first non-blank line, after Excel's `sep=` line if there is one.
fn header_line(text: &str) -> u64 {
    let mut seen_sep = false;
    for (k, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if !seen_sep && k == 0 && line.starts_with("sep=") {
            seen_sep = true;
            continue;
        }
        return k as u64 + 1;
    }
    1
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests unwrap what they just built
mod tests {
    use super::*;

    fn preview(text: &str) -> Result<UnitsPreview, ImportError> {
        preview_units_bytes(Path::new("u.csv"), text.as_bytes(), text.len() as u64)
    }

    fn roles(p: &UnitsPreview) -> Vec<(&str, ColumnRole)> {
        p.columns.iter().map(|c| (c.name.as_str(), c.role)).collect()
    }

    #[test]
    fn every_column_gets_its_role_and_workload_is_the_default_measure() {
        let p = preview(
            "id,name,lon,lat,population,workload,territory,notes\n\
             01001,Autauga,-86.6,32.5,34222,1.5,T1,\n\
             01003,Baldwin,-87.7,30.7,98280,2,T2,coastal\n",
        )
        .unwrap();
        use ColumnRole::*;
        assert_eq!(
            roles(&p),
            [
                ("id", Id),
                ("name", Name),
                ("lon", Lon),
                ("lat", Lat),
                ("population", Measure),
                ("workload", Measure),
                ("territory", Territory),
                ("notes", Text)
            ]
        );
        assert_eq!(p.measures, ["population", "workload"]);
        assert_eq!(p.default_measure.as_deref(), Some("workload"));
        assert_eq!(p.rows[0][0], "01001", "ids keep their leading zeros");
        assert_eq!(p.lines, [2, 3]);
        assert!(p.complete && p.row_estimate == 2 && p.problems.is_empty());
    }

    #[test]
    fn without_workload_the_first_measure_is_the_default_and_a_gap_makes_text() {
        let p = preview("id;lon;lat;accounts;potential\na;1,5;2;3;4,5\nb;1;2;;7\n").unwrap();
        assert_eq!(p.measures, ["potential"]);
        assert_eq!(p.default_measure.as_deref(), Some("potential"));
        let accounts = &p.columns[3];
        assert_eq!((accounts.role, accounts.first_text_line), (ColumnRole::Text, Some(3)));
    }

    #[test]
    fn fips_zip_and_leading_zero_columns_are_codes_not_measures() {
        // The columns of sample-data/accounts.csv, plus a column whose only sign of a code is a leading zero.
        let p = preview(
            "id,lon,lat,workload,potential_usd,segment,county,zip,region\n\
             A1,-85.3,38.2,5.4,54200,C,21211,40067,12\n\
             A2,-86.6,32.5,3.5,32200,C,01001,36003,04\n",
        )
        .unwrap();
        use ColumnRole::*;
        let county = &p.columns[6];
        assert_eq!((county.name.as_str(), county.role), ("county", Code));
        assert!(county.code_reason.as_deref().unwrap().contains("name"), "{county:?}");
        assert_eq!(p.columns[7].role, Code);
        let region = &p.columns[8];
        assert_eq!(region.role, Code);
        assert!(region.code_reason.as_deref().unwrap().contains("\"04\""), "{region:?}");
        assert_eq!(p.measures, ["workload", "potential_usd"]);
    }

    #[test]
    fn the_default_measure_skips_a_measure_with_negative_values() {
        let p = preview("id,lon,lat,change,accounts\na,1,2,-3,4\nb,1,2,5,6\n").unwrap();
        assert_eq!(p.measures, ["change", "accounts"]);
        assert_eq!(p.default_measure.as_deref(), Some("accounts"));
    }

    #[test]
    fn missing_coordinates_are_problems_not_errors() {
        let p = preview("id,workload\na,1\n").unwrap();
        assert_eq!(p.problems.len(), 2, "{:?}", p.problems);
        assert!(p.problems[0].contains("no longitude column"), "{:?}", p.problems);
    }

    #[test]
    fn a_column_named_twice_is_an_error_naming_file_line_and_columns() {
        let err = preview("sep=,\nid,lon,lat,Lat\na,1,2,3\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "u.csv line 2: malformed CSV: the header names column \"lat\" twice (columns #3 and #4)"
        );
        let err = preview("").unwrap_err();
        assert!(matches!(err, ImportError::Empty { .. }), "{err}");
        let err = preview("id,lon,lat\n").unwrap_err();
        assert!(err.to_string().contains("a header but no rows"), "{err}");
    }

    #[test]
    fn a_row_wider_than_the_header_names_its_line() {
        let err = preview("id,lon,lat\na,1,2\nb,1,2,3\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "u.csv line 3: the row has 4 fields but the header has 3"
        );
    }

    #[test]
    fn a_cut_prefix_drops_the_partial_row_and_estimates_the_count() {
        let mut text = String::from("id,lon,lat,workload\n");
        for i in 0..100 {
            text.push_str(&format!("u{i:04},1.0,2.0,{i}\n"));
        }
        // Cut in the middle of row 50, as reading the first bytes of a bigger file does.
        let cut = text.find("u0050").unwrap() + 3;
        let p = preview_units_bytes(Path::new("u.csv"), &text.as_bytes()[..cut], text.len() as u64).unwrap();
        assert!(!p.complete);
        assert_eq!(
            p.sampled_rows, 49,
            "rows up to the last whole line, less the last one read"
        );
        assert!((90..=110).contains(&p.row_estimate), "{}", p.row_estimate);
        assert_eq!(p.rows.len(), SHOWN_ROWS);
    }

    #[test]
    fn a_small_file_with_more_rows_than_the_sample_is_counted_exactly() {
        let mut text = String::from("id,lon,lat\n");
        for i in 0..3108 {
            text.push_str(&format!("{i:05},1,2\n"));
        }
        let p = preview(&text).unwrap();
        assert_eq!((p.complete, p.row_estimate, p.sampled_rows), (true, 3108, SAMPLE_ROWS));
    }

    #[test]
    fn a_million_row_file_previews_from_its_first_megabyte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        let mut text = String::from("id,lon,lat,workload,name\n");
        for i in 0..1_000_000u32 {
            text.push_str(&format!(
                "{i:07},{:.3},{:.3},{},n{i}\n",
                -100.0 + f64::from(i % 1000) * 0.01,
                40.0,
                i % 7
            ));
        }
        std::fs::write(&path, &text).unwrap();
        let p = preview_units(&path).unwrap();
        assert_eq!(p.sampled_rows, SAMPLE_ROWS);
        assert!(!p.complete);
        // Early rows are shorter here (names n0..n999 against n999999), so the estimate runs a little high.
        assert!((800_000..=1_200_000).contains(&p.row_estimate), "{}", p.row_estimate);
        assert_eq!(p.default_measure.as_deref(), Some("workload"));
        assert_eq!(p.columns[4].role, ColumnRole::Name);
    }
}
