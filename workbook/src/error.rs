//! Errors raised while importing the planner's files: each names the file, the line, the column and the rule.

use std::fmt;
use std::path::PathBuf;

use thiserror::Error;

/// Where in a CSV file a bad value sits: file, 1-based line, column name and 1-based column number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRef {
    /// The file, as the planner named it.
    pub path: PathBuf,
    /// 1-based line of the record (where it starts, if a quoted field spans lines).
    pub line: u64,
    /// The column's header, as written in the file.
    pub column: String,
    /// 1-based column number.
    pub column_number: usize,
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} line {}, column {:?} (#{})",
            self.path.display(),
            self.line,
            self.column,
            self.column_number
        )
    }
}

/// A file the importer refused, and why. Nothing of a refused import is kept.
#[derive(Debug, Error)]
pub enum ImportError {
    /// The file does not exist.
    #[error("{}: file not found", path.display())]
    NotFound {
        /// The missing file.
        path: PathBuf,
    },
    /// The file exists but cannot be read.
    #[error("{}: cannot read the file: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file has no content, or a header and no rows.
    #[error("{}: the file is empty{}", path.display(), if *header_only { " (a header but no rows)" } else { "" })]
    Empty {
        /// The file.
        path: PathBuf,
        /// True when a header was found but no data row.
        header_only: bool,
    },
    /// A required column is absent from the header.
    #[error("{}: no {column} column; expected one of {expected}, found the header {header:?}", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// What the column holds (`id`, `lon`, `lat`, ...).
        column: String,
        /// The accepted header names, comma separated.
        expected: String,
        /// The header as found.
        header: Vec<String>,
    },
    /// Two header cells name the same column.
    #[error("{}: the header names column {column:?} twice (#{first} and #{second})", path.display())]
    DuplicateColumn {
        /// The file.
        path: PathBuf,
        /// The repeated name (lower case).
        column: String,
        /// 1-based number of its first occurrence.
        first: usize,
        /// 1-based number of its second occurrence.
        second: usize,
    },
    /// The same id appears on two rows.
    #[error("{} line {line}: duplicate id {id:?}, already on line {first_line}", path.display())]
    DuplicateId {
        /// The file.
        path: PathBuf,
        /// The id.
        id: String,
        /// 1-based line of the first occurrence.
        first_line: u64,
        /// 1-based line of the repeat.
        line: u64,
    },
    /// A required cell is empty.
    #[error("{at}: the value is empty; {what} is required")]
    EmptyValue {
        /// Where.
        at: CellRef,
        /// What should be there.
        what: String,
    },
    /// A cell that must be a number is not one.
    #[error("{at}: {value:?} is not a number")]
    NotANumber {
        /// Where.
        at: CellRef,
        /// The text found.
        value: String,
    },
    /// A numeric cell is NaN or infinite.
    #[error("{at}: {value:?} is not a finite number")]
    NotFinite {
        /// Where.
        at: CellRef,
        /// The text found.
        value: String,
    },
    /// A value outside its allowed range (longitude, latitude, a negative balanced measure, a zero capacity).
    #[error("{at}: {value} is out of range; {rule}")]
    OutOfRange {
        /// Where.
        at: CellRef,
        /// The value.
        value: f64,
        /// The rule broken, e.g. "longitude must be within -180..=180".
        rule: String,
    },
    /// A row has more non-empty fields than the header has columns.
    #[error("{} line {line}: the row has {found} fields but the header has {expected}", path.display())]
    TooManyFields {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Fields in the row (up to its last non-empty one).
        found: usize,
        /// Columns in the header.
        expected: usize,
    },
    /// A CSV syntax error the reader could not get past.
    #[error("{} line {line}: malformed CSV: {message}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// The reader's message.
        message: String,
    },
    /// An adjacency, plan or polygon file names a unit the units file does not have.
    #[error("{at}: unit {id:?} is not among the units{hint}")]
    UnknownUnit {
        /// Where.
        at: CellRef,
        /// The unknown id.
        id: String,
        /// Empty, or a suggestion such as a unit id that differs only by leading zeros.
        hint: String,
    },
    /// A named accounts file names an account the workbook's accounts do not have.
    #[error("{at}: account {id:?} is not among the workbook's accounts")]
    UnknownAccount {
        /// Where.
        at: CellRef,
        /// The unknown account id.
        id: String,
    },
    /// A plan leaves a unit without a territory.
    #[error("{}: unit {id:?} has no territory", path.display())]
    Unassigned {
        /// The plan file (or the units file for its `territory` column).
        path: PathBuf,
        /// The unit.
        id: String,
    },
    /// The file is not valid JSON.
    #[error("{} line {line}, column {column}: invalid JSON: {message}", path.display())]
    InvalidJson {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column (character).
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// Valid JSON that breaks a GeoJSON rule.
    #[error("{}: {where_}: {rule}", path.display())]
    InvalidGeoJson {
        /// The file.
        path: PathBuf,
        /// Which feature ("feature 12 (id \"13001\")") or "the top level".
        where_: String,
        /// The rule broken.
        rule: String,
    },
    /// A Shapefile (.shp with its .dbf) that cannot be read, or breaks a rule of its own.
    #[error("{}: {where_}: {rule}", path.display())]
    InvalidShapefile {
        /// The .shp file.
        path: PathBuf,
        /// Which record ("record 12") or "the file".
        where_: String,
        /// The rule broken, or what the reader found.
        rule: String,
    },
    /// A polygon's id is not among the units.
    #[error("{}: feature {feature} has id {id:?}, which is not among the units{hint}", path.display())]
    UnknownPolygonId {
        /// The file.
        path: PathBuf,
        /// 1-based feature number.
        feature: usize,
        /// The id.
        id: String,
        /// Empty, or a suggestion such as a unit id that differs only by leading zeros.
        hint: String,
    },
    /// Two features carry the same id.
    #[error("{}: features {first} and {second} both have id {id:?}", path.display())]
    DuplicatePolygonId {
        /// The file.
        path: PathBuf,
        /// The id.
        id: String,
        /// 1-based number of the first feature.
        first: usize,
        /// 1-based number of the second.
        second: usize,
    },
    /// A unit has no polygon although polygons were given.
    #[error("{}: unit {id:?} has no polygon ({missing} units in all have none)", path.display())]
    MissingPolygon {
        /// The polygons file.
        path: PathBuf,
        /// The first unit (in unit order) without one.
        id: String,
        /// How many units have none.
        missing: usize,
    },
    /// The measure chosen for balancing is not a numeric column of the units.
    #[error("{}: no numeric column {name:?} to balance; the numeric columns are {available:?}", path.display())]
    UnknownMeasure {
        /// The units file.
        path: PathBuf,
        /// The requested measure.
        name: String,
        /// The measures found.
        available: Vec<String>,
    },
    /// The measure chosen for balancing holds codes (ids, ZIP or FIPS codes), not amounts.
    #[error("{}: column {name:?} holds codes, not amounts ({reason}), so it cannot be balanced; choose a measure such as workload", path.display())]
    CodeMeasure {
        /// The units file.
        path: PathBuf,
        /// The column asked for, as the header spells it.
        name: String,
        /// Why it is a code, in words (see [`crate::import::measures`]).
        reason: String,
    },
    /// Zero territories requested.
    #[error("the number of territories must be at least 1, got 0")]
    ZeroTerritories,
    /// More territories requested than there are units.
    #[error("{territories} territories requested but there are only {units} units; each territory needs one")]
    TooManyTerritories {
        /// Territories requested.
        territories: usize,
        /// Units available.
        units: usize,
    },
    /// The import was cancelled (Ctrl+C, Cancel in the app) before it finished; nothing was kept.
    #[error("{}: the import was cancelled", path.display())]
    Cancelled {
        /// The file being read.
        path: PathBuf,
    },
    /// The unit points could not be triangulated to derive adjacency.
    #[error("{}: cannot derive adjacency from the unit points: {message}", path.display())]
    Triangulation {
        /// The units file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}
