//! Which columns of a units file are measures, which numeric-looking ones are codes, and which measure is
//! balanced when the planner has not chosen one. The one place for these rules: the importer, the preview,
//! the CLI and the app all ask here, so a column never is a measure in one and text in another.
//!
//! # The rules
//! - **Measure**: every cell of the column is a finite number, and the column is not a code.
//! - **Code**: numbers that name something rather than count it, kept as text (never summed, never
//!   balanced). A column is a code when its header is id-like ([`is_code_name`]: `county`, `fips`, `geoid`,
//!   `zip`, `zipcode`, `postcode`, `postal_code`, `code`, or ending in `_id`, `_code`, `_fips`, `_zip`), or when
//!   any cell is written with a leading zero ([`has_leading_zero`]: `01001`, but not `0`, `0.5` or `0,5`),
//!   since a quantity is never written that way while ZIP and FIPS codes are.
//! - **Default measure** ([`default_measure`]): `workload` (any case) when it is a measure, else the first
//!   measure, in file order, with no negative value (a change in sales is a measure one may show but not a
//!   load to share out), else none (every unit then weighs 1).

/// Exact header names (lower case) that name codes, not quantities.
const CODE_NAMES: &[&str] = &[
    "county",
    "fips",
    "geoid",
    "zip",
    "zipcode",
    "postcode",
    "postal_code",
    "code",
];

/// Header suffixes (lower case) that name codes.
const CODE_SUFFIXES: &[&str] = &["_id", "_code", "_fips", "_zip"];

/// Why a numeric-looking column is a code and not a measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeReason {
    /// The header names an identifier (see [`is_code_name`]).
    IdLikeName,
    /// A cell is written with a leading zero; `row` is its 0-based index among the cells given.
    LeadingZero {
        /// The cell as written.
        value: String,
        /// Its 0-based index among the cells.
        row: usize,
    },
}

impl std::fmt::Display for CodeReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodeReason::IdLikeName => f.write_str("its name says it holds codes (ids, ZIP or FIPS codes)"),
            CodeReason::LeadingZero { value, .. } => {
                write!(f, "{value:?} has a leading zero, as codes have and amounts do not")
            }
        }
    }
}

/// True when `header` names codes rather than quantities (case-insensitive): `county`, `fips`, `geoid`,
/// `zip`, `zipcode`, `postcode`, `postal_code`, `code`, or a name ending in `_id`, `_code`, `_fips` or `_zip`.
pub fn is_code_name(header: &str) -> bool {
    let name = header.trim().to_lowercase();
    CODE_NAMES.contains(&name.as_str()) || CODE_SUFFIXES.iter().any(|s| name.len() > s.len() && name.ends_with(s))
}

/// True when `cell` is digits written with a leading zero (`01001`, `-007`), the mark of a code. A lone `0`
/// and a fraction (`0.5`, or `0,5` with a decimal comma) are amounts.
pub fn has_leading_zero(cell: &str) -> bool {
    let digits = cell.trim().trim_start_matches(['+', '-']).as_bytes();
    digits.len() > 1 && digits[0] == b'0' && digits[1].is_ascii_digit()
}

/// Why the numeric column `header` with these `cells` is a code, or `None` when it may be a measure.
/// The name is checked first, so the cells are only read for a column with an ordinary name.
pub fn code_reason<'a>(header: &str, cells: impl IntoIterator<Item = &'a str>) -> Option<CodeReason> {
    if is_code_name(header) {
        return Some(CodeReason::IdLikeName);
    }
    cells
        .into_iter()
        .enumerate()
        .find(|(_, c)| has_leading_zero(c))
        .map(|(row, value)| CodeReason::LeadingZero {
            value: value.trim().to_string(),
            row,
        })
}

/// The measure balanced when the planner has not chosen one, from the measures in file order, each with
/// whether all its values are `>= 0`: `workload` (any case) when it is one, else the first non-negative
/// measure, else `None`.
///
/// ```
/// use tessera_workbook::import::default_measure;
/// assert_eq!(default_measure([("change", false), ("accounts", true)]), Some("accounts"));
/// assert_eq!(default_measure([("accounts", true), ("Workload", true)]), Some("Workload"));
/// assert_eq!(default_measure([("change", false)]), None);
/// ```
pub fn default_measure<'a>(measures: impl IntoIterator<Item = (&'a str, bool)>) -> Option<&'a str> {
    let mut first = None;
    for (name, non_negative) in measures {
        if name.eq_ignore_ascii_case("workload") {
            return Some(name);
        }
        if non_negative && first.is_none() {
            first = Some(name);
        }
    }
    first
}

/// [`default_measure`] over the measures of imported units.
pub fn default_measure_of(units: &tessera_optimizer::Units) -> Option<&str> {
    default_measure(
        units
            .measures()
            .iter()
            .map(|m| (m.name.as_str(), m.values.iter().all(|&v| v >= 0.0))),
    )
}

/// The measure of imported `units` to balance: the one `asked` for (matched case-insensitively, returned as the
/// file spells it), else [`default_measure_of`]'s pick. `None` when `asked` names no measure, or nothing was asked
/// and no measure qualifies. What the app and the CLI store in a new workbook, so both balance the same.
pub fn balanced_measure<'a>(units: &'a tessera_optimizer::Units, asked: Option<&str>) -> Option<&'a str> {
    match asked.map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => units
            .measures()
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case(a))
            .map(|m| m.name.as_str()),
        None => default_measure_of(units),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_like_names_are_codes_whatever_the_case() {
        for name in [
            "county",
            "FIPS",
            "GeoID",
            "zip",
            "postal_code",
            "code",
            "store_id",
            "Region_Code",
            "home_zip",
        ] {
            assert!(is_code_name(name), "{name}");
        }
        for name in [
            "workload",
            "accounts",
            "potential_usd",
            "visits_per_year",
            "_id",
            "codes_sold",
        ] {
            assert!(!is_code_name(name), "{name}");
        }
    }

    #[test]
    fn a_leading_zero_marks_a_code_but_zero_and_fractions_are_amounts() {
        for cell in ["01001", " 007 ", "-01", "00"] {
            assert!(has_leading_zero(cell), "{cell}");
        }
        for cell in ["0", "0.5", "0,5", "10", "-0.25", "", "1001"] {
            assert!(!has_leading_zero(cell), "{cell}");
        }
    }

    #[test]
    fn the_reason_names_the_first_cell_with_a_leading_zero() {
        assert_eq!(
            code_reason("region", ["12", "04", "05"]),
            Some(CodeReason::LeadingZero {
                value: "04".into(),
                row: 1
            })
        );
        assert_eq!(code_reason("county", ["21211"]), Some(CodeReason::IdLikeName));
        assert_eq!(code_reason("accounts", ["12", "0", "0.5"]), None);
    }

    #[test]
    fn workload_wins_even_when_it_comes_last() {
        assert_eq!(default_measure([("a", true), ("WORKLOAD", true)]), Some("WORKLOAD"));
        assert_eq!(default_measure([]), None);
    }
}
