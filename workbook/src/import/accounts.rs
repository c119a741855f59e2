//! Accounts CSV: the customers that live inside the units (a ZIP code, a county), one row per account.
//!
//! Columns: an account id (`id`, `account_id` or `account`); what attaches the account to a unit — a key
//! column the planner names (ZIP, FIPS: matched to the unit ids, see [`crate::accounts::attach_by_key`]) or a
//! position (`lon`/`lat`, matched to the unit polygon it falls in); optionally a column naming the territory
//! or rep the account is assigned to whatever its unit (a *named* account); and any other columns. A column
//! whose every cell is a finite number, and which is not a code by the units' rules
//! ([`super::measures`]), is a measure: the units' measure of the same name becomes the sum of their
//! accounts'. Other columns are kept as text for the account-level exports.

use std::collections::HashMap;
use std::path::Path;

use crate::error::ImportError;
use crate::import::measures::code_reason;
use crate::import::table::{decode_file, parse_number, read_bytes, CsvReader, Num, Row, LAT, LON};
use crate::import::Warning;

/// Header names accepted for an account id.
pub const ACCOUNT_ID: &[&str] = &["id", "account_id", "account"];

/// How accounts are attached to units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachBy {
    /// By the value of this column, matched to the unit ids (header, case-insensitive).
    Column(String),
    /// By the unit polygon the account's `lon`/`lat` falls in.
    Point,
}

/// One column of the accounts file kept beside the accounts.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountColumn {
    /// Header as written.
    pub name: String,
    /// Its values, one per account.
    pub values: AccountValues,
}

/// The values of an [`AccountColumn`].
#[derive(Debug, Clone, PartialEq)]
pub enum AccountValues {
    /// A measure: every cell a finite number.
    Measure(Vec<f64>),
    /// Anything else, as written.
    Text(Vec<String>),
}

/// What an accounts file holds, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountsFile {
    /// Account ids, unique.
    pub ids: Vec<String>,
    /// The 1-based line of each account.
    pub lines: Vec<u64>,
    /// The key column's header and each account's key, when attaching by column.
    pub keys: Option<(String, Vec<String>)>,
    /// Each account's position, when the file has `lon`/`lat` columns.
    pub points: Option<Vec<(f64, f64)>>,
    /// The named-territory column's header and each account's territory (`None`: not named), when asked for.
    pub named: Option<(String, Vec<Option<String>>)>,
    /// The other columns, in file order.
    pub columns: Vec<AccountColumn>,
}

impl AccountsFile {
    /// Number of accounts.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no accounts (never, for a file that parsed).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// Reads an accounts CSV. See [`parse_accounts`].
///
/// # Errors
/// [`ImportError::NotFound`] or [`ImportError::Io`], then as [`parse_accounts`].
pub fn read_accounts(
    path: &Path,
    by: &AttachBy,
    named_column: Option<&str>,
) -> Result<(AccountsFile, Vec<Warning>), ImportError> {
    let bytes = read_bytes(path)?;
    parse_accounts(path, &bytes, by, named_column)
}

/// Parses the bytes of an accounts CSV named `path` (the name is only used in messages).
///
/// Rules: every account has a non-empty, unique id; attaching by column, every account has a non-empty key
/// (kept as written, trimmed: `01001` stays `01001`); attaching by point, every account has a longitude in
/// -180..=180 and a latitude in -90..=90 (when the file has `lon`/`lat` but attaches by column, the positions
/// are read under the same rules). `named_column`, when given, must exist; an empty cell there means the account
/// is not named.
///
/// # Errors
/// [`ImportError::Empty`], [`ImportError::MissingColumn`] (id, the key column, lon/lat, the named column),
/// [`ImportError::DuplicateId`], [`ImportError::EmptyValue`], [`ImportError::NotANumber`],
/// [`ImportError::NotFinite`], [`ImportError::OutOfRange`], and the CSV errors of the reader. Nothing is
/// returned of a file with one bad row.
pub fn parse_accounts(
    path: &Path,
    bytes: &[u8],
    by: &AttachBy,
    named_column: Option<&str>,
) -> Result<(AccountsFile, Vec<Warning>), ImportError> {
    let mut warnings = Vec::new();
    let text = decode_file(path, bytes, &mut warnings);
    let mut reader = CsvReader::open(path, &text)?;
    let t = &reader.table;
    let id_col = t.require("account id", ACCOUNT_ID)?;
    let key_col = match by {
        AttachBy::Column(name) => Some(t.require("key", &[name.trim().to_lowercase().as_str()])?),
        AttachBy::Point => None,
    };
    let (lon_col, lat_col) = match by {
        AttachBy::Point => (Some(t.require("lon", LON)?), Some(t.require("lat", LAT)?)),
        AttachBy::Column(_) => match (t.find(LON), t.find(LAT)) {
            (Some(a), Some(b)) => (Some(a), Some(b)),
            _ => (None, None),
        },
    };
    let named_col = named_column
        .map(|n| t.require("named territory", &[n.trim().to_lowercase().as_str()]))
        .transpose()?;
    let special = [Some(id_col), key_col, lon_col, lat_col, named_col];
    let others: Vec<usize> = (0..t.header.len())
        .filter(|&c| !t.header[c].is_empty() && !special.contains(&Some(c)))
        .collect();

    let (mut ids, mut lines, mut keys, mut points, mut named) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut cells: Vec<Vec<String>> = vec![Vec::new(); others.len()];
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut row = Row::default();
    while reader.next_row(&mut row)? {
        let t = &reader.table;
        let id = t.text(&row, id_col, "an account id")?;
        if let Some(&first) = first_line.get(id) {
            return Err(ImportError::DuplicateId {
                path: path.to_path_buf(),
                id: id.to_string(),
                first_line: first,
                line: row.line,
            });
        }
        first_line.insert(id.to_string(), row.line);
        ids.push(id.to_string());
        lines.push(row.line);
        if let Some(c) = key_col {
            keys.push(t.text(&row, c, "a key to attach the account to a unit")?.to_string());
        }
        if let (Some(a), Some(b)) = (lon_col, lat_col) {
            points.push((
                t.number_in(&row, a, "longitude", -180.0, 180.0)?,
                t.number_in(&row, b, "latitude", -90.0, 90.0)?,
            ));
        }
        if let Some(c) = named_col {
            let v = row.get(c);
            named.push((!v.is_empty()).then(|| v.to_string()));
        }
        for (k, &c) in others.iter().enumerate() {
            cells[k].push(row.get(c).to_string());
        }
    }
    let t = reader.finish(&mut warnings)?;
    let columns = others
        .iter()
        .zip(cells)
        .map(|(&c, values)| column(path, &t.header[c], values, t.decimal_comma, &lines, &mut warnings))
        .collect();
    Ok((
        AccountsFile {
            ids,
            lines,
            keys: key_col.map(|c| (t.header[c].clone(), keys)),
            points: lon_col.map(|_| points),
            named: named_col.map(|c| (t.header[c].clone(), named)),
            columns,
        },
        warnings,
    ))
}

/// A column as a measure when every cell is a finite number and it is not a code, else as text (with a
/// warning when it looked numeric at first, as the units importer warns).
fn column(
    path: &Path,
    name: &str,
    cells: Vec<String>,
    decimal_comma: bool,
    lines: &[u64],
    warnings: &mut Vec<Warning>,
) -> AccountColumn {
    let parsed: Vec<Num> = cells.iter().map(|c| parse_number(c, decimal_comma)).collect();
    let first_bad = parsed.iter().position(|n| !matches!(n, Num::Value(_)));
    let values = match first_bad {
        None if code_reason(name, cells.iter().map(String::as_str)).is_none() => AccountValues::Measure(
            parsed
                .iter()
                .map(|n| match n {
                    Num::Value(v) => *v,
                    _ => f64::NAN,
                })
                .collect(),
        ),
        bad => {
            if let (Some(i), Some(Num::Value(_))) = (bad, parsed.first()) {
                warnings.push(Warning::line(
                    path,
                    lines[i],
                    format!(
                        "accounts column {name:?} is not a measure: {:?} is not a number; it was kept as text",
                        cells[i]
                    ),
                ));
            }
            AccountValues::Text(cells)
        }
    };
    AccountColumn {
        name: name.to_string(),
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, by: &AttachBy) -> Result<AccountsFile, ImportError> {
        parse_accounts(Path::new("accounts.csv"), text.as_bytes(), by, None).map(|(f, _)| f)
    }

    #[test]
    fn keys_keep_their_leading_zeros_and_codes_are_not_measures() {
        let f = parse(
            "id,county,workload,zip_code,segment\nA1,01001,2.5,02134,A\nA2,1003,1,10001,B\n",
            &AttachBy::Column("County".into()),
        )
        .expect("parses");
        assert_eq!(f.keys, Some(("county".into(), vec!["01001".into(), "1003".into()])));
        assert_eq!(f.columns[0].values, AccountValues::Measure(vec![2.5, 1.0]));
        assert!(
            matches!(f.columns[1].values, AccountValues::Text(_)),
            "zip_code is a code"
        );
        assert!(matches!(f.columns[2].values, AccountValues::Text(_)));
    }

    #[test]
    fn a_bad_row_names_file_line_column_and_rule() {
        let by = AttachBy::Column("county".into());
        let err = parse("id,county\nA1,01001\nA2,\n", &by).expect_err("empty key");
        assert_eq!(
            err.to_string(),
            "accounts.csv line 3, column \"county\" (#2): the value is empty; a key to attach the account to a unit is required"
        );
        let err = parse("id,county\nA1,01001\nA1,01003\n", &by).expect_err("duplicate");
        assert!(
            err.to_string()
                .contains("line 3: duplicate id \"A1\", already on line 2"),
            "{err}"
        );
        let err = parse("id,lon,lat\nA1,-86,32\nA2,-86,95\n", &AttachBy::Point).expect_err("latitude");
        assert!(
            err.to_string()
                .contains("line 3, column \"lat\" (#3): 95 is out of range; latitude must be within -90..=90"),
            "{err}"
        );
        let err = parse("id,zip\nA1,01001\n", &by).expect_err("no county column");
        assert!(
            err.to_string().contains("no key column; expected one of county"),
            "{err}"
        );
        let err = parse("id,county\nA1,01001\n", &AttachBy::Point).expect_err("no position");
        assert!(err.to_string().contains("no lon column"), "{err}");
    }
}
