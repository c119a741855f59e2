//! The hard limits `tessera plan` and `tessera explore` share, with one parser and one help text: `--cap` and
//! `--floor MEASURE:VALUE` and `--mix COLUMN=VALUE:LO..HI` (repeatable). Only their form is checked here; the
//! measures, the values' ranges and whether they can hold at all are the planning service's rules (and messages),
//! checked before the run (exit 2).

use std::path::Path;

use tessera_workbook::planning::{MixBandRequest, SegmentTable, TerritoryLimit};
use tessera_workbook::Dataset;

use crate::error::CliError;

/// `--cap`, `--floor` and `--mix`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct LimitArgs {
    /// Hard cap on every territory, as MEASURE:VALUE (repeatable): `accounts:250`, `units:230` (the number of
    /// units), `potential_usd:2.5e6`. A constraint, not a penalty. Caps that provably cannot hold (all territories'
    /// caps below the total, one unit above a cap, locked units above it, a cap on the balanced measure below its
    /// tolerance band) are refused before the run with the numbers (exit 2); a plan written with a cap broken names
    /// the territories and by how much (promise `cap:MEASURE`, exit 3; for `explore`, in the plan's row of
    /// front.json, and the front holds only plans keeping every limit when the search found any).
    #[arg(long = "cap", value_name = "MEASURE:VALUE", allow_hyphen_values = true)]
    pub caps: Vec<String>,
    /// Hard floor on every territory, as MEASURE:VALUE (repeatable), e.g. `potential_usd:2e6`; refused before the
    /// run when the floors add up to more than the total (exit 2), reported as promise `floor:MEASURE` (exit 3).
    #[arg(long = "floor", value_name = "MEASURE:VALUE", allow_hyphen_values = true)]
    pub floors: Vec<String>,
    /// Hard band on every territory's mix of a segment, as COLUMN=VALUE:LO..HI (repeatable): `segment=A:0.2..0.4`
    /// keeps segment A between 20% and 40% of each territory's accounts that have a segment; `segment=A:..0.4`
    /// (at most), `segment=A:20%..` (at least). Counted over the workbook's accounts (named ones for their
    /// territory), else over the units' text column (each unit one item); units and territories with nothing
    /// counted have no share and keep the band. A band the overall share misses is refused before the run with
    /// the numbers (exit 2); a plan written with a territory outside it names the territories and their shares
    /// (promise `mix:COLUMN=VALUE`, exit 3).
    #[arg(long = "mix", value_name = "COLUMN=VALUE:LO..HI", allow_hyphen_values = true)]
    pub mixes: Vec<String>,
}

/// The limits of [`LimitArgs`], parsed.
#[derive(Debug, Clone, Default)]
pub struct Limits {
    /// `--cap` values.
    pub caps: Vec<TerritoryLimit>,
    /// `--floor` values.
    pub floors: Vec<TerritoryLimit>,
    /// `--mix` values.
    pub mixes: Vec<MixBandRequest>,
}

impl LimitArgs {
    /// Reads every value's form (exit 2 naming the flag and the value when one is malformed).
    pub fn parse(&self) -> Result<Limits, CliError> {
        Ok(Limits {
            caps: self
                .caps
                .iter()
                .map(|c| parse_limit("--cap", c))
                .collect::<Result<_, _>>()?,
            floors: self
                .floors
                .iter()
                .map(|f| parse_limit("--floor", f))
                .collect::<Result<_, _>>()?,
            mixes: crate::mix_args::parse_mixes(&self.mixes)?,
        })
    }
}

/// The segment tables the `mixes` are counted in (none without bands, so nothing is read for nothing).
pub fn segments_for(
    mixes: &[MixBandRequest],
    workbook: Option<&Path>,
    units: Option<&Path>,
    dataset: &Dataset,
) -> Result<Vec<SegmentTable>, CliError> {
    if mixes.is_empty() {
        Ok(Vec::new())
    } else {
        crate::mix_args::segment_tables(workbook, units, dataset)
    }
}

/// `--cap`/`--floor` MEASURE:VALUE. Only the form is checked here; the measure and the value's range are the
/// service's rules (and messages).
fn parse_limit(flag: &str, s: &str) -> Result<TerritoryLimit, CliError> {
    let bad = |why: &str| {
        CliError::input(format!(
            "{flag} {s:?}: {why}; write MEASURE:VALUE, e.g. {flag} accounts:250, {flag} units:230 (the number of \
             units) or {flag} potential_usd:2e6"
        ))
    };
    let (measure, value) = s
        .rsplit_once(':')
        .ok_or_else(|| bad("no `:` between the measure and the value"))?;
    let measure = measure.trim();
    if measure.is_empty() {
        return Err(bad("the measure is missing"));
    }
    let value: f64 = value
        .trim()
        .parse()
        .map_err(|_| bad(&format!("{:?} is not a number", value.trim())))?;
    if !value.is_finite() {
        return Err(bad("the value must be a finite number"));
    }
    Ok(TerritoryLimit {
        measure: measure.to_string(),
        value,
    })
}
