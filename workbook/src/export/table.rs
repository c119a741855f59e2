//! A table of text and numbers, built once and written as CSV or as an XLSX sheet, so the same columns reach
//! every format (numbers stay numbers in Excel; CSV writes them in their shortest round-trip form).

use std::io::Write;

use super::ExportError;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text (ids keep their leading zeros).
    Text(String),
    /// A number; NaN and infinities are written as empty cells.
    Number(f64),
    /// No value (a territory absent on one side of a comparison).
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Number(v)
    }
}

impl From<usize> for Cell {
    fn from(v: usize) -> Self {
        Cell::Number(v as f64)
    }
}

impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Cell::Empty, Cell::Number)
    }
}

impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Self {
        v.map_or(Cell::Empty, Cell::Text)
    }
}

impl Cell {
    /// The cell as CSV text: numbers in shortest round-trip form, empty for none or non-finite.
    pub fn csv_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(v) if v.is_finite() => {
                // Whole numbers without ".0", so counts read as counts.
                if v.fract() == 0.0 && v.abs() < 1e15 {
                    format!("{}", *v as i64)
                } else {
                    format!("{v}")
                }
            }
            Cell::Number(_) | Cell::Empty => String::new(),
        }
    }
}

/// A named table: headers and rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Sheet name (XLSX) or file stem (CSV).
    pub name: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows, each as long as `headers`.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table called `name` with `headers`.
    pub fn new(name: impl Into<String>, headers: Vec<String>) -> Self {
        Table {
            name: name.into(),
            headers,
            rows: Vec::new(),
        }
    }

    /// Appends a row.
    ///
    /// # Panics
    /// If the row is not as long as the headers (a caller bug).
    pub fn push(&mut self, row: Vec<Cell>) {
        assert_eq!(
            row.len(),
            self.headers.len(),
            "row of table {} fits its headers",
            self.name
        );
        self.rows.push(row);
    }

    /// Writes the table as CSV with a header row.
    ///
    /// # Errors
    /// Write errors.
    pub fn write_csv<W: Write>(&self, out: W) -> Result<(), ExportError> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.headers)?;
        for row in &self.rows {
            w.write_record(row.iter().map(Cell::csv_text))?;
        }
        w.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_keeps_text_and_writes_numbers_plainly() {
        let mut t = Table::new("t", vec!["id".into(), "n".into(), "x".into()]);
        t.push(vec!["01234".into(), 3usize.into(), 0.25.into()]);
        t.push(vec!["a,b".into(), Cell::Empty, f64::NAN.into()]);
        let mut out = Vec::new();
        t.write_csv(&mut out).expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "id,n,x\n01234,3,0.25\n\"a,b\",,\n"
        );
    }
}
