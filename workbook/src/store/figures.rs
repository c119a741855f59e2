//! A scenario's figures as a reader wants them: the stored metrics document, or — for a scenario edited since
//! (edits drop the stored figures, which no longer describe the plan) — the figures computed now.

use serde_json::Value;

use super::error::Result;
use super::file::Workbook;
use super::scenario_rows::Scenario;
use crate::figures::{default_measure, plan_metrics_with_named};

impl Workbook {
    /// `scenario`'s metrics: the stored document, else the figures of its plan on the workbook's balance measure
    /// (the planner's choice, else the default), named accounts counted for their territories. `Value::Null`
    /// only when the units have no measure at all.
    ///
    /// # Errors
    /// As [`Workbook::dataset`] when the figures must be computed.
    pub fn figures(&self, scenario: &Scenario) -> Result<Value> {
        if !scenario.metrics.is_null() {
            return Ok(scenario.metrics.clone());
        }
        let dataset = self.dataset()?;
        let named = self.named_loads()?;
        let measure = self.balance_measure()?.or_else(|| default_measure(&dataset));
        Ok(measure
            .and_then(|m| plan_metrics_with_named(&dataset, &scenario.plan, &m, &named))
            .unwrap_or(Value::Null))
    }
}
