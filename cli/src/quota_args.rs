//! The quota flags `tessera export` and `tessera compare` share: a total shared out by each territory's share of
//! a potential measure, optionally blended with history, with a ramp-up share for reps whose territory changed.

use tessera_workbook::export::QuotaParams;

use crate::error::CliError;

/// Quota flags.
#[derive(clap::Args, Debug, Clone)]
pub struct QuotaArgs {
    /// Quotas: the total to share out among territories.
    #[arg(long)]
    pub quota_total: Option<f64>,
    /// Quotas: the potential measure whose share sets each territory's share (e.g. potential_usd).
    #[arg(long, requires = "quota_total")]
    pub quota_measure: Option<String>,
    /// Quotas: blend with a history measure, MEASURE:WEIGHT (weight 0..1 of the history share).
    #[arg(long, requires = "quota_total", value_name = "MEASURE:WEIGHT")]
    pub quota_history: Option<String>,
    /// Quotas: the share of its quota a rep whose territory changed carries while ramping up (0..1; default 1).
    #[arg(long, requires = "quota_total")]
    pub ramp: Option<f64>,
}

impl QuotaArgs {
    /// The quota parameters, `None` without `--quota-total`.
    ///
    /// # Errors
    /// Exit code 2 when `--quota-measure` is missing or `--quota-history` is not `MEASURE:WEIGHT`.
    pub fn params(&self) -> Result<Option<QuotaParams>, CliError> {
        let Some(total) = self.quota_total else { return Ok(None) };
        let potential = self.quota_measure.clone().ok_or_else(|| {
            CliError::input(
                "--quota-total needs --quota-measure: the potential measure that sets each territory's share",
            )
        })?;
        let history = match &self.quota_history {
            None => None,
            Some(h) => {
                let (m, w) = h.rsplit_once(':').ok_or_else(|| {
                    CliError::input(format!(
                        "--quota-history {h:?}: write MEASURE:WEIGHT, e.g. sales_ly:0.3"
                    ))
                })?;
                let w: f64 = w
                    .parse()
                    .map_err(|_| CliError::input(format!("--quota-history {h:?}: the weight {w:?} is not a number")))?;
                Some((m.to_string(), w))
            }
        };
        Ok(Some(QuotaParams {
            total,
            potential,
            history,
            ramp: self.ramp.unwrap_or(1.0),
        }))
    }
}
