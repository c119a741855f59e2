//! Named accounts CSV: `account,territory` rows assigning accounts to a territory or rep by name, whatever unit
//! they lie in (`id`/`account_id`/`account` for the account; `territory`, `territory_id` or `rep` for where it
//! goes). A rep may be named by id or by name; [`crate::accounts::resolve_territory`] turns names into ids.

use std::collections::HashMap;
use std::path::Path;

use crate::error::ImportError;
use crate::import::accounts::ACCOUNT_ID;
use crate::import::table::{read_bytes, Table};
use crate::import::Warning;

/// Header names accepted for the territory of a named account.
pub const NAMED_TERRITORY: &[&str] = &["territory", "territory_id", "rep", "rep_id"];

/// (account id, territory or rep as written) pairs in file order, and the warnings of reading them.
pub type NamedRead = (Vec<(String, String)>, Vec<Warning>);

/// Reads a named accounts CSV. See [`parse_named`].
///
/// # Errors
/// [`ImportError::NotFound`] or [`ImportError::Io`], then as [`parse_named`].
pub fn read_named(path: &Path, accounts: &[String]) -> Result<NamedRead, ImportError> {
    let bytes = read_bytes(path)?;
    parse_named(path, &bytes, accounts)
}

/// Parses a named accounts CSV named `path` against the workbook's account ids. An account listed twice keeps
/// its first row, with a warning.
///
/// # Errors
/// [`ImportError::Empty`], [`ImportError::MissingColumn`], [`ImportError::EmptyValue`],
/// [`ImportError::UnknownAccount`] (an id the workbook's accounts do not have).
pub fn parse_named(path: &Path, bytes: &[u8], accounts: &[String]) -> Result<NamedRead, ImportError> {
    let mut warnings = Vec::new();
    let t = Table::parse(path, bytes, &mut warnings)?;
    let id_col = t.require("account id", ACCOUNT_ID)?;
    let territory_col = t.require("territory", NAMED_TERRITORY)?;
    let known: HashMap<&str, ()> = accounts.iter().map(|a| (a.as_str(), ())).collect();
    let mut first: HashMap<String, u64> = HashMap::new();
    let mut out = Vec::new();
    for row in &t.rows {
        let id = t.text(row, id_col, "an account id")?;
        if !known.contains_key(id) {
            return Err(ImportError::UnknownAccount {
                at: t.cell(row, id_col),
                id: id.to_string(),
            });
        }
        let territory = t.text(row, territory_col, "a territory or rep")?;
        if let Some(line) = first.get(id) {
            warnings.push(Warning::line(
                path,
                row.line,
                format!("account {id:?} is named again (first on line {line}); the first row is kept"),
            ));
            continue;
        }
        first.insert(id.to_string(), row.line);
        out.push((id.to_string(), territory.to_string()));
    }
    Ok((out, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_account_is_refused_with_its_line() {
        let ids = vec!["A1".to_string(), "A2".to_string()];
        let (named, w) = parse_named(Path::new("n.csv"), b"account,rep\nA2,R01\nA2,R02\n", &ids).expect("parses");
        assert_eq!(named, vec![("A2".to_string(), "R01".to_string())]);
        assert_eq!(w.len(), 1);
        let err = parse_named(Path::new("n.csv"), b"id,territory\nA1,R01\nA9,R02\n", &ids).expect_err("A9");
        assert_eq!(
            err.to_string(),
            "n.csv line 3, column \"id\" (#1): account \"A9\" is not among the workbook's accounts"
        );
    }
}
