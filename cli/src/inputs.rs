//! Reading the planner's files for a command: one place that maps import errors to exit code 2.

use std::path::{Path, PathBuf};

use tessera_optimizer::Plan;
use tessera_optimizer::Progress;
use tessera_workbook::import::{import_dataset_with_text, read_plan, ImportRequest, TextColumn, Warning};
use tessera_workbook::{Dataset, ImportError, Workbook, WorkbookError};

use crate::error::CliError;

impl From<ImportError> for CliError {
    fn from(e: ImportError) -> Self {
        CliError::input(e.to_string())
    }
}

impl From<WorkbookError> for CliError {
    fn from(e: WorkbookError) -> Self {
        CliError::input(e.to_string())
    }
}

/// The dataset files shared by several commands.
#[derive(clap::Args, Debug, Clone)]
pub struct DatasetArgs {
    /// Units CSV: id, lon, lat and numeric measures (optional `territory` column = current alignment).
    #[arg(long)]
    pub units: Option<PathBuf>,
    /// Adjacency CSV (a,b). Without it: from the polygons' shared borders, else a Delaunay triangulation.
    #[arg(long)]
    pub adjacency: Option<PathBuf>,
    /// Polygons GeoJSON with an `id` property per feature.
    #[arg(long)]
    pub polygons: Option<PathBuf>,
    /// Reps CSV: columns id,name,lon,lat and an optional capacity.
    #[arg(long)]
    pub reps: Option<PathBuf>,
}

/// Parses `--territories`: a negative number is read as a number and refused by the rule it breaks, not taken
/// for a flag or reported as "invalid digit".
pub fn parse_territories(text: &str) -> Result<usize, String> {
    let n: i64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a whole number of territories"))?;
    usize::try_from(n)
        .ok()
        .filter(|&p| p >= 1)
        .ok_or_else(|| format!("the number of territories must be at least 1 (got {n})"))
}

/// Reads and validates a dataset, printing import warnings on stderr.
pub fn load_dataset(
    args: &DatasetArgs,
    balance: Option<&str>,
    territories: Option<usize>,
) -> Result<Dataset, CliError> {
    load_dataset_with_text(args, balance, territories).map(|(dataset, _)| dataset)
}

/// [`load_dataset`], with the units file's text columns (names, states, codes) that `tessera import` keeps in
/// the workbook for the app to name units by.
pub fn load_dataset_with_text(
    args: &DatasetArgs,
    balance: Option<&str>,
    territories: Option<usize>,
) -> Result<(Dataset, Vec<TextColumn>), CliError> {
    let units = args
        .units
        .as_ref()
        .ok_or_else(|| CliError::input("give the units file: --units U.csv"))?;
    let mut req = ImportRequest::new(units);
    if let Some(a) = &args.adjacency {
        req = req.adjacency(a);
    }
    if let Some(p) = &args.polygons {
        req = req.polygons(p);
    }
    if let Some(r) = &args.reps {
        req = req.reps(r);
    }
    if let Some(b) = balance {
        req = req.balance(b);
    }
    if let Some(p) = territories {
        req = req.territories(p);
    }
    let (dataset, text, warnings) = import_dataset_with_text(&req, &Progress::new())?;
    print_warnings(&warnings);
    Ok((dataset, text))
}

/// Reads a plan CSV against the dataset's units.
pub fn load_plan(path: &Path, dataset: &Dataset) -> Result<Plan, CliError> {
    let (file, warnings) = read_plan(path, &dataset.units)?;
    print_warnings(&warnings);
    Ok(file.plan)
}

/// Opens a workbook for reading. One of an older schema is upgraded first (as the app upgrades it on open: one
/// transaction, so it is either upgraded whole or left as it was), since a read-only open cannot migrate it.
pub fn open_workbook(path: &Path) -> Result<Workbook, CliError> {
    match Workbook::open_read_only(path) {
        Err(e @ WorkbookError::ReadOnly { .. }) => match Workbook::open(path) {
            Ok(wb) => {
                eprintln!("note: {}: upgraded to the current workbook format", path.display());
                Ok(wb)
            }
            Err(_) => Err(e.into()),
        },
        other => Ok(other?),
    }
}

/// [`open_workbook`], acting on team `team` (the default team for `None`).
///
/// # Errors
/// As [`open_workbook`]; an unknown team is bad input (exit 2) naming the teams there are.
pub fn open_workbook_team(path: &Path, team: Option<&str>) -> Result<Workbook, CliError> {
    let mut wb = open_workbook(path)?;
    select_team(&mut wb, team)?;
    Ok(wb)
}

/// Opens a workbook for writing, acting on team `team` (the default team for `None`).
///
/// # Errors
/// As [`Workbook::open`]; an unknown team is bad input (exit 2) naming the teams there are.
pub fn open_workbook_rw(path: &Path, team: Option<&str>) -> Result<Workbook, CliError> {
    let mut wb = Workbook::open(path)?;
    select_team(&mut wb, team)?;
    Ok(wb)
}

/// Makes `wb` act on team `team` (nothing for `None`: the default team).
pub fn select_team(wb: &mut Workbook, team: Option<&str>) -> Result<(), CliError> {
    if let Some(name) = team {
        wb.select_team(name)?;
    }
    Ok(())
}

fn print_warnings(warnings: &[Warning]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}
