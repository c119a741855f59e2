//! A CSV file read into a header and rows, whatever spreadsheet wrote it, with the helpers every importer
//! shares: finding columns by name, numbers with a decimal comma, and cell references for errors.

use std::borrow::Cow;
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
#[derive(Default)]
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

/// A parsed CSV: header (trimmed, as written), rows without blank ones (none when streamed by
/// [`CsvReader`]), and how numbers are written.
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
    let s = if decimal_comma && s.contains([',', ' ', '\u{a0}', '\u{202f}']) {
        // European spreadsheets group thousands with '.', a space or a (narrow) no-break space.
        owned = s
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}' | '\u{202f}'))
            .map(|c| if c == ',' { '.' } else { c })
            .collect::<String>();
        owned.as_str()
    } else {
        s
    };
    let bare = s.trim_start_matches(['+', '-']);
    if ["nan", "inf", "infinity"].iter().any(|w| bare.eq_ignore_ascii_case(w)) {
        return Num::NonFinite;
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Num::Value(v),
        Ok(_) => Num::NonFinite,
        Err(_) => Num::Text,
    }
}

/// Decodes a file's bytes (see [`decode`]) and warns when it was not UTF-8.
pub fn decode_file<'b>(path: &Path, bytes: &'b [u8], warnings: &mut Vec<Warning>) -> Cow<'b, str> {
    let (text, encoding) = decode(bytes);
    match encoding {
        Encoding::Windows1252 => warnings.push(Warning::file(
            path,
            "the file is not valid UTF-8; it was read as Windows-1252 (Latin-1). Save it as UTF-8 if accented \
             names look wrong",
        )),
        Encoding::Utf16 | Encoding::Utf8 => {}
    }
    text
}

/// Reads a CSV row by row, so that a million-row file is never held as rows: `,`, `;` or tab delimited
/// (sniffed from the header); CRLF, LF or CR line ends; quoted fields. Blank rows (Excel's trailing `;;;`
/// rows too) are skipped; columns with an empty header are ignored (Excel's trailing empty columns).
pub struct CsvReader<'t> {
    /// The header, with no rows.
    pub table: Table,
    reader: csv::Reader<&'t [u8]>,
    text: &'t [u8],
    /// Line counting: every byte before `scanned` has been counted into `line`.
    scanned: usize,
    line: u64,
    rows: usize,
    unnamed: Option<(usize, u64)>,
}

impl<'t> CsvReader<'t> {
    /// Reads up to and including the header.
    ///
    /// # Errors
    /// [`ImportError::Empty`] without a header, [`ImportError::DuplicateColumn`], [`ImportError::Csv`].
    pub fn open(path: &Path, text: &'t str) -> Result<Self, ImportError> {
        // Excel writes a `sep=;` line before the header to name the delimiter; it wins over sniffing.
        let first_line = text.lines().next().unwrap_or("");
        let declared = first_line.trim().strip_prefix("sep=").and_then(|d| match d.as_bytes() {
            [b] if matches!(b, b',' | b';' | b'\t' | b'|') => Some(*b),
            _ => None,
        });
        let (text, first_line_number, delimiter) = match declared {
            Some(d) => {
                let rest = text.get(first_line.len()..).unwrap_or("");
                let rest = rest
                    .strip_prefix("\r\n")
                    .or_else(|| rest.strip_prefix(['\n', '\r']))
                    .unwrap_or(rest);
                (rest, 2, d)
            }
            None => (text, 1, sniff_delimiter(text)),
        };
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut me = CsvReader {
            table: Table {
                path: path.to_path_buf(),
                header: Vec::new(),
                rows: Vec::new(),
                decimal_comma: delimiter == b';',
                by_name: HashMap::new(),
            },
            reader,
            text: text.as_bytes(),
            scanned: 0,
            line: first_line_number,
            rows: 0,
            unnamed: None,
        };
        let mut first = Row::default();
        if !me.next_record(&mut first)? {
            return Err(ImportError::Empty {
                path: path.to_path_buf(),
                header_only: false,
            });
        }
        // A stray BOM inside the first name (a file concatenated after a BOM) would hide the id column.
        let header: Vec<String> = first
            .record
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        for (col, name) in header.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            if let Some(&first) = me.table.by_name.get(&name.to_lowercase()) {
                return Err(ImportError::DuplicateColumn {
                    path: path.to_path_buf(),
                    column: name.to_lowercase(),
                    first: first + 1,
                    second: col + 1,
                });
            }
            me.table.by_name.insert(name.to_lowercase(), col);
        }
        me.table.header = header;
        Ok(me)
    }

    /// The 1-based line of byte `at`, counting forward from the last call (CRLF, LF and a lone CR each end a
    /// line). The csv reader's own count lags after CRLF line ends, so it is not used.
    fn line_at(&mut self, at: usize) -> u64 {
        // After a CRLF the reader puts the next record's start on the LF it has not consumed yet; the record
        // itself begins after any line-end bytes.
        let mut end = at.min(self.text.len());
        while matches!(self.text.get(end), Some(b'\r' | b'\n')) {
            end += 1;
        }
        while self.scanned < end {
            match self.text[self.scanned] {
                b'\n' => self.line += 1,
                b'\r' if self.text.get(self.scanned + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
            self.scanned += 1;
        }
        self.line
    }

    /// The next non-blank record, whatever its width.
    fn next_record(&mut self, row: &mut Row) -> Result<bool, ImportError> {
        loop {
            match self.reader.read_record(&mut row.record) {
                Ok(false) => return Ok(false),
                Ok(true) => {}
                Err(e) => {
                    let at = e.position().map_or(self.text.len(), |p| p.byte() as usize);
                    return Err(ImportError::Csv {
                        path: self.table.path.clone(),
                        line: self.line_at(at),
                        message: e.to_string(),
                    });
                }
            }
            let at = row.record.position().map_or(self.scanned, |p| p.byte() as usize);
            row.line = self.line_at(at);
            if !row.record.iter().all(str::is_empty) {
                return Ok(true);
            }
        }
    }

    /// Reads the next data row into `row`; false at the end of the file.
    ///
    /// # Errors
    /// [`ImportError::TooManyFields`] for a row with values past the header, [`ImportError::Csv`].
    pub fn next_row(&mut self, row: &mut Row) -> Result<bool, ImportError> {
        if !self.next_record(row)? {
            return Ok(false);
        }
        let width = self.table.header.len();
        let last = (0..row.record.len())
            .rev()
            .find(|&k| !row.get(k).is_empty())
            .map_or(0, |k| k + 1);
        if last > width {
            return Err(ImportError::TooManyFields {
                path: self.table.path.clone(),
                line: row.line,
                found: last,
                expected: width,
            });
        }
        if self.unnamed.is_none() {
            self.unnamed = (0..width)
                .find(|&c| self.table.header[c].is_empty() && !row.get(c).is_empty())
                .map(|c| (c, row.line));
        }
        self.rows += 1;
        Ok(true)
    }

    /// Fraction of the file read so far, for progress reports.
    pub fn fraction(&self) -> f64 {
        self.scanned as f64 / self.text.len().max(1) as f64
    }

    /// Ends the reading: the header, and warnings about what was ignored.
    ///
    /// # Errors
    /// [`ImportError::Empty`] when the file had a header and no data rows.
    pub fn finish(self, warnings: &mut Vec<Warning>) -> Result<Table, ImportError> {
        if self.rows == 0 {
            return Err(ImportError::Empty {
                path: self.table.path,
                header_only: true,
            });
        }
        if let Some((col, line)) = self.unnamed {
            warnings.push(Warning::line(
                &self.table.path,
                line,
                format!("column #{} has values but no header; it was ignored", col + 1),
            ));
        }
        Ok(self.table)
    }
}

impl Table {
    /// Parses a whole CSV file into rows, for files small enough to hold (reps, plans, adjacency). See
    /// [`CsvReader`] for what is accepted, and [`decode_file`] for encodings.
    ///
    /// # Errors
    /// [`ImportError::Empty`] without a header or without data rows, [`ImportError::DuplicateColumn`],
    /// [`ImportError::TooManyFields`] for a row with values past the header, [`ImportError::Csv`].
    pub fn parse(path: &Path, bytes: &[u8], warnings: &mut Vec<Warning>) -> Result<Table, ImportError> {
        let text = decode_file(path, bytes, warnings);
        let mut reader = CsvReader::open(path, &text)?;
        let mut rows = Vec::new();
        let mut row = Row::default();
        while reader.next_row(&mut row)? {
            rows.push(std::mem::take(&mut row));
        }
        let mut table = reader.finish(warnings)?;
        table.rows = rows;
        Ok(table)
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
        self.cell_at(row.line, col)
    }

    /// Reference to the cell on 1-based `line` in column `col`, for error messages.
    pub fn cell_at(&self, line: u64, col: usize) -> CellRef {
        CellRef {
            path: self.path.clone(),
            line,
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
            _ => Err(self.number_error(row.line, col, raw, what)),
        }
    }

    /// The error for `raw`, found on `line` in column `col` where `what` (a number) is required.
    pub fn number_error(&self, line: u64, col: usize, raw: &str, what: &str) -> ImportError {
        let at = self.cell_at(line, col);
        match parse_number(raw, self.decimal_comma) {
            Num::Empty => ImportError::EmptyValue {
                at,
                what: what.to_string(),
            },
            Num::NonFinite => ImportError::NotFinite {
                at,
                value: raw.to_string(),
            },
            // A number here would be a caller bug; report it as text rather than panic.
            Num::Text | Num::Value(_) => ImportError::NotANumber {
                at,
                value: raw.to_string(),
            },
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
    fn european_thousands_separators() {
        assert_eq!(parse_number("1 234,5", true), Num::Value(1234.5));
        assert_eq!(parse_number("12\u{a0}345", true), Num::Value(12345.0));
        assert_eq!(parse_number("1 234", false), Num::Text);
    }

    #[test]
    fn excel_sep_line_names_the_delimiter() {
        let mut w = Vec::new();
        let t = Table::parse(Path::new("t.csv"), b"sep=;\r\nid;lon,x\r\n1;2,5\r\n", &mut w).unwrap();
        assert_eq!(t.header, ["id", "lon,x"]);
        assert_eq!(t.rows[0].line, 3);
        assert_eq!(t.rows[0].get(1), "2,5");
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
