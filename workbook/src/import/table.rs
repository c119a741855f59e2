//! A CSV file read into a header and rows, whatever spreadsheet wrote it, with the helpers every importer
//! shares: finding columns by name, numbers with a decimal comma, and cell references for errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use csv::StringRecord;

use crate::error::{CellRef, ImportError};
use crate::import::text::{decode, sniff_delimiter, Encoding};
use crate::import::Warning;

/// Reads a whole file, telling a missing file from an unreadable one.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ImportError> {
    std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => ImportError::NotFound {
            path: path.to_path_buf(),
        },
        _ => ImportError::Io {
            path: path.to_path_buf(),
            source,
        },
    })
}

/// One data row and the 1-based line it starts on.
pub struct Row {
    pub line: u64,
    pub record: StringRecord,
}

impl Row {
    /// The trimmed field in column `col` (0-based); a short row reads as empty.
    pub fn get(&self, col: usize) -> &str {
        self.record.get(col).unwrap_or("")
    }
}

/// A parsed CSV: header (trimmed, as written), rows without blank ones, and how numbers are written.
pub struct Table {
    pub path: PathBuf,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
    /// True for `;`-delimited files, whose numbers may use a decimal comma.
    pub decimal_comma: bool,
    /// Lower-case header name → 0-based column.
    by_name: HashMap<String, usize>,
}

/// What a cell holds when read as a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// A finite number.
    Value(f64),
    /// A number spelled NaN or infinite, or too large for f64.
    NonFinite,
    /// Nothing.
    Empty,
    /// Anything else.
    Text,
}

/// Reads `text` as a number. With `decimal_comma`, `1,5` is 1.5 and `1.234,5` is 1234.5; otherwise a comma
/// makes it text (a thousands separator is not guessed at).
pub fn parse_number(text: &str, decimal_comma: bool) -> Num {
    let s = text.trim();
    if s.is_empty() {
        return Num::Empty;
    }
    let owned;
    let s = if decimal_comma && s.contains(',') {
        owned = s.replace('.', "").replace(',', ".");
        owned.as_str()
    } else {
        s
    };
    let bare = s.trim_start_matches(['+', '-']).to_ascii_lowercase();
    if bare == "nan" || bare == "inf" || bare == "infinity" {
        return Num::NonFinite;
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Num::Value(v),
        Ok(_) => Num::NonFinite,
        Err(_) => Num::Text,
    }
}

impl Table {
    /// Parses CSV bytes: UTF-8 (BOM or not), UTF-16 with BOM, or else Windows-1252 with a warning; `,`, `;` or
    /// tab delimited (sniffed from the header); CRLF or LF; quoted fields. Blank rows (Excel's trailing
    /// `;;;` rows too) are skipped; columns with an empty header are dropped (Excel's trailing empty columns).
    ///
    /// # Errors
    /// [`ImportError::Empty`] without a header or without data rows, [`ImportError::DuplicateColumn`],
    /// [`ImportError::TooManyFields`] for a row with values past the header, [`ImportError::Csv`].
    pub fn parse(path: &Path, bytes: &[u8], warnings: &mut Vec<Warning>) -> Result<Table, ImportError> {
        let (text, encoding) = decode(bytes);
        match encoding {
            Encoding::Windows1252 => warnings.push(Warning::file(
                path,
                "the file is not valid UTF-8; it was read as Windows-1252 (Latin-1). Save it as UTF-8 if accented \
                 names look wrong",
            )),
            Encoding::Utf16 | Encoding::Utf8 => {}
        }
        // The csv reader's line count lags a line after each CRLF, so line ends are made LF first (a lone CR,
        // as old Mac exports end lines, too); quoted fields spanning lines keep their break as LF.
        let text = if text.contains('\r') {
            text.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            text.into_owned()
        };
        let delimiter = sniff_delimiter(&text);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut header: Option<(u64, StringRecord)> = None;
        let mut rows = Vec::new();
        let mut record = StringRecord::new();
        loop {
            let line = reader.position().line();
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(line, |p| p.line());
                    return Err(ImportError::Csv {
                        path: path.to_path_buf(),
                        line,
                        message: e.to_string(),
                    });
                }
            }
            let line = record.position().map_or(line, |p| p.line());
            if record.iter().all(str::is_empty) {
                continue;
            }
            if header.is_none() {
                header = Some((line, record.clone()));
            } else {
                rows.push(Row {
                    line,
                    record: record.clone(),
                });
            }
        }
        let Some((_, header)) = header else {
            return Err(ImportError::Empty {
                path: path.to_path_buf(),
                header_only: false,
            });
        };
        if rows.is_empty() {
            return Err(ImportError::Empty {
                path: path.to_path_buf(),
                header_only: true,
            });
        }
        // A stray BOM inside the first name (a file concatenated after a BOM) would hide the id column.
        let header: Vec<String> = header
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        let mut by_name = HashMap::new();
        for (col, name) in header.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            if let Some(&first) = by_name.get(&name.to_lowercase()) {
                return Err(ImportError::DuplicateColumn {
                    path: path.to_path_buf(),
                    column: name.to_lowercase(),
                    first: first + 1,
                    second: col + 1,
                });
            }
            by_name.insert(name.to_lowercase(), col);
        }
        let width = header.len();
        let mut unnamed_data = None;
        for row in &rows {
            let last = (0..row.record.len())
                .rev()
                .find(|&k| !row.get(k).is_empty())
                .map_or(0, |k| k + 1);
            if last > width {
                return Err(ImportError::TooManyFields {
                    path: path.to_path_buf(),
                    line: row.line,
                    found: last,
                    expected: width,
                });
            }
            if unnamed_data.is_none() {
                unnamed_data = (0..width)
                    .find(|&c| header[c].is_empty() && !row.get(c).is_empty())
                    .map(|c| (c, row.line));
            }
        }
        if let Some((col, line)) = unnamed_data {
            warnings.push(Warning::line(
                path,
                line,
                format!("column #{} has values but no header; it was ignored", col + 1),
            ));
        }
        Ok(Table {
            path: path.to_path_buf(),
            header,
            rows,
            decimal_comma: delimiter == b';',
            by_name,
        })
    }

    /// The first of `names` (lower case) present in the header, as a 0-based column.
    pub fn find(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.by_name.get(*n).copied())
    }

    /// Like [`Table::find`], but a missing column is an error naming `what` and the accepted names.
    pub fn require(&self, what: &str, names: &[&str]) -> Result<usize, ImportError> {
        self.find(names).ok_or_else(|| ImportError::MissingColumn {
            path: self.path.clone(),
            column: what.to_string(),
            expected: names.join(", "),
            header: self.header.clone(),
        })
    }

    /// Reference to the cell of `row` in column `col`, for error messages.
    pub fn cell(&self, row: &Row, col: usize) -> CellRef {
        CellRef {
            path: self.path.clone(),
            line: row.line,
            column: self.header.get(col).cloned().unwrap_or_default(),
            column_number: col + 1,
        }
    }

    /// The non-empty text of a cell, or an error saying `what` is required there.
    pub fn text<'r>(&self, row: &'r Row, col: usize, what: &str) -> Result<&'r str, ImportError> {
        let v = row.get(col);
        if v.is_empty() {
            return Err(ImportError::EmptyValue {
                at: self.cell(row, col),
                what: what.to_string(),
            });
        }
        Ok(v)
    }

    /// A cell that must hold a finite number.
    pub fn number(&self, row: &Row, col: usize, what: &str) -> Result<f64, ImportError> {
        let raw = row.get(col);
        match parse_number(raw, self.decimal_comma) {
            Num::Value(v) => Ok(v),
            Num::Empty => Err(ImportError::EmptyValue {
                at: self.cell(row, col),
                what: what.to_string(),
            }),
            Num::NonFinite => Err(ImportError::NotFinite {
                at: self.cell(row, col),
                value: raw.to_string(),
            }),
            Num::Text => Err(ImportError::NotANumber {
                at: self.cell(row, col),
                value: raw.to_string(),
            }),
        }
    }

    /// A cell that must hold a number within `lo..=hi`; `rule` names the range in the error.
    pub fn number_in(&self, row: &Row, col: usize, what: &str, lo: f64, hi: f64) -> Result<f64, ImportError> {
        let v = self.number(row, col, what)?;
        if !(lo..=hi).contains(&v) {
            return Err(ImportError::OutOfRange {
                at: self.cell(row, col),
                value: v,
                rule: format!("{what} must be within {lo}..={hi}"),
            });
        }
        Ok(v)
    }
}

/// Header names accepted for a unit or rep id.
pub const ID: &[&str] = &["id", "unit_id", "unit"];
/// Header names accepted for longitude.
pub const LON: &[&str] = &["lon", "lng", "long", "longitude", "x"];
/// Header names accepted for latitude.
pub const LAT: &[&str] = &["lat", "latitude", "y"];

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests unwrap what they just built
mod tests {
    use super::*;

    #[test]
    fn numbers_with_decimal_comma_only_when_asked() {
        assert_eq!(parse_number("1,5", true), Num::Value(1.5));
        assert_eq!(parse_number("1.234,5", true), Num::Value(1234.5));
        assert_eq!(parse_number("1.5", true), Num::Value(1.5));
        assert_eq!(parse_number("1,5", false), Num::Text);
        assert_eq!(parse_number(" -3e2 ", false), Num::Value(-300.0));
    }

    #[test]
    fn non_finite_spellings_and_overflow() {
        for s in ["NaN", "nan", "-inf", "+Infinity", "1e999"] {
            assert_eq!(parse_number(s, false), Num::NonFinite, "{s}");
        }
        assert_eq!(parse_number("", false), Num::Empty);
        assert_eq!(parse_number("abc", false), Num::Text);
        assert_eq!(parse_number("0x10", false), Num::Text);
    }

    #[test]
    fn blank_rows_and_unnamed_empty_columns_are_tolerated() {
        let mut w = Vec::new();
        let t = Table::parse(Path::new("t.csv"), b"id;lon;;\r\n1;2,5;;\r\n;;;\r\n\r\n", &mut w).unwrap();
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].line, 2);
        assert!(t.decimal_comma);
        assert!(w.is_empty());
    }

    #[test]
    fn lines_count_from_one_and_follow_multiline_quotes() {
        let mut w = Vec::new();
        let t = Table::parse(Path::new("t.csv"), b"id,name\n1,\"two\nlines\"\n2,x\n", &mut w).unwrap();
        assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 4]);
    }
}
