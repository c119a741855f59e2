//! XLSX: [`Table`]s as the sheets of an Excel workbook, numbers as numbers, header row bold and frozen, an
//! autofilter on every sheet, so a manager can sort and filter at once.

use std::io::Write;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{Cell, ExportError, Table};

impl From<XlsxError> for ExportError {
    fn from(e: XlsxError) -> Self {
        ExportError::Xlsx(e.to_string())
    }
}

/// Excel's limits: 1,048,576 rows and 31 characters per sheet name.
const MAX_ROWS: usize = 1_048_575;

/// Writes `sheets` as one XLSX workbook. A header whose name ends in `max_dev`, `cv`, `deviation*` or `share`
/// gets a percentage format (the value stays the fraction: 0.05 shows as 5.00%).
///
/// # Errors
/// [`ExportError::Xlsx`] when a sheet has more rows than Excel allows or the writer fails; write errors.
pub fn write_xlsx<W: Write>(mut out: W, sheets: &[Table]) -> Result<(), ExportError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.00%");
    for table in sheets {
        if table.rows.len() > MAX_ROWS {
            return Err(ExportError::Xlsx(format!(
                "sheet {:?} has {} rows; Excel holds at most {MAX_ROWS}",
                table.name,
                table.rows.len()
            )));
        }
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&table.name))?;
        let percent_col: Vec<bool> = table.headers.iter().map(|h| is_fraction(h)).collect();
        for (c, h) in table.headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold)?;
            let width = table
                .rows
                .iter()
                .take(200)
                .map(|r| r[c].csv_text().chars().count().min(40))
                .chain(std::iter::once(h.chars().count()))
                .max()
                .unwrap_or(8);
            sheet.set_column_width(c as u16, (width + 2) as f64)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = (r + 1) as u32;
            for (c, cell) in row.iter().enumerate() {
                let c16 = c as u16;
                match cell {
                    Cell::Text(s) => {
                        sheet.write_string(r, c16, s)?;
                    }
                    Cell::Number(v) if v.is_finite() => {
                        if percent_col[c] {
                            sheet.write_number_with_format(r, c16, *v, &percent)?;
                        } else {
                            sheet.write_number(r, c16, *v)?;
                        }
                    }
                    Cell::Number(_) | Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        if !table.headers.is_empty() {
            sheet.autofilter(0, 0, table.rows.len() as u32, (table.headers.len() - 1) as u16)?;
        }
    }
    let bytes = book.save_to_buffer()?;
    out.write_all(&bytes)?;
    out.flush()?;
    Ok(())
}

/// Columns holding fractions shown as percentages.
fn is_fraction(header: &str) -> bool {
    header.ends_with("max_dev")
        || header == "cv"
        || header.starts_with("deviation")
        || header.ends_with("share")
        || header.ends_with("_fraction")
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    if clean.is_empty() {
        "sheet".into()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn numbers_stay_numbers_and_text_stays_text() {
        let mut t = Table::new("moves", vec!["unit".into(), "workload".into(), "deviation".into()]);
        t.push(vec!["01234".into(), 12.5.into(), 0.031.into()]);
        t.push(vec!["x".into(), Cell::Empty, f64::NAN.into()]);
        let mut bytes = Vec::new();
        write_xlsx(&mut bytes, &[t]).expect("write");
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("open");
        let range = book.worksheet_range("moves").expect("sheet");
        assert_eq!(range.get_value((1, 0)), Some(&Data::String("01234".into())));
        assert_eq!(range.get_value((1, 1)), Some(&Data::Float(12.5)));
        assert_eq!(range.get_value((1, 2)), Some(&Data::Float(0.031)));
        assert!(matches!(range.get_value((2, 1)), None | Some(Data::Empty)));
    }

    #[test]
    fn sheet_names_fit_excel() {
        assert_eq!(sheet_name("a/b:c"), "a_b_c");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
    }
}
