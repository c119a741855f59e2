//! Column names for measures in the `units` feature table.
//!
//! Measure names come from the planner's CSV header and may hold anything: spaces, quotes, non-ASCII, SQL
//! keywords, names equal to Tessera's own columns. Rather than trusting quoting alone, each measure gets a
//! sanitised column name (ASCII letters, digits and `_`, not starting with a digit, unique without regard to
//! case, not one of the fixed columns). The original names, in order, and their columns are kept in
//! `tessera_dataset.measures`, so a round trip returns the names exactly as imported.

/// Columns of `units` that measures may not take.
const RESERVED: &[&str] = &["fid", "geom", "id", "lon", "lat", "territory"];

/// A GIS-friendly column name for each measure, unique and never a reserved column.
pub fn measure_columns(names: &[String]) -> Vec<String> {
    let mut taken: Vec<String> = RESERVED.iter().map(|s| s.to_string()).collect();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let base = sanitise(name);
        let mut candidate = base.clone();
        let mut k = 2;
        while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
            candidate = format!("{base}_{k}");
            k += 1;
        }
        taken.push(candidate.clone());
        out.push(candidate);
    }
    out
}

fn sanitise(name: &str) -> String {
    let mut s: String = name
        .trim()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    // Collapse runs of '_' so "Sales  (USD)" becomes "Sales_USD_" rather than a row of underscores.
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    if s.is_empty() || s == "_" {
        s = "measure".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, "m_");
    }
    if s.to_ascii_lowercase().starts_with("sqlite_") || s.to_ascii_lowercase().starts_with("gpkg_") {
        s.insert_str(0, "m_");
    }
    s
}

/// Quotes an SQL identifier. Only used on names produced by [`measure_columns`] or on constants, so this is
/// a second line of defence: doubling any `"` keeps even a hostile name a single identifier.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<String> {
        measure_columns(&names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn keeps_plain_names() {
        assert_eq!(
            cols(&["workload", "Potential_2024"]),
            vec!["workload", "Potential_2024"]
        );
    }

    #[test]
    fn sanitises_hostile_names_and_keeps_them_unique() {
        assert_eq!(
            cols(&[
                "id",
                "Sales (USD)",
                "sales_usd_",
                "\"; DROP TABLE units; --",
                "2024",
                "",
                "Ümsatz",
                "ID"
            ]),
            vec![
                "id_2",
                "Sales_USD_",
                "sales_usd__2",
                "_DROP_TABLE_units_",
                "m_2024",
                "measure",
                "_msatz",
                "ID_3"
            ]
        );
    }

    #[test]
    fn quotes_identifiers() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
