//! A plan's figures as every front end shows and stores them: the metrics document and the travel figure.
//!
//! Travel is one figure everywhere (DESIGN.md §6): Σ workload × km from each unit to its territory's center,
//! always shown with its unit by [`format_travel`]. The CLI's tables and progress bar, the exports and the app
//! (ui/src/panels/format.ts mirrors this function) all print it the same way.
//!
//! The metrics document is [`tessera_optimizer::Evaluation`]'s fields in snake_case plus what a run adds
//! (see [`crate::planning`]); [`plan_metrics`] gives the document of any plan, e.g. the imported alignment.

use serde_json::{json, Value};
use tessera_optimizer::{evaluate, Evaluation, Plan};

use crate::accounts::NamedLoads;
use crate::Dataset;

/// The unit of the travel figure.
pub const TRAVEL_UNIT: &str = "workload·km";

/// The measure balanced when the planner chose none: `workload` when the units have it, else the first measure.
pub fn default_measure(dataset: &Dataset) -> Option<String> {
    let measures = dataset.units.measures();
    measures
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case("workload"))
        .or_else(|| measures.first())
        .map(|m| m.name.clone())
}

/// Formats a travel figure with its unit: three significant figures and a thousands suffix, e.g.
/// `"85.4 bn workload·km"`, `"7.01 M workload·km"`, `"512 workload·km"`.
///
/// ```
/// use tessera_workbook::figures::format_travel;
/// assert_eq!(format_travel(85_356_180_000.0), "85.4 bn workload·km");
/// assert_eq!(format_travel(7_012_345.0), "7.01 M workload·km");
/// assert_eq!(format_travel(3_237_499.4), "3.24 M workload·km");
/// assert_eq!(format_travel(512.2), "512 workload·km");
/// assert_eq!(format_travel(0.0), "0 workload·km");
/// ```
pub fn format_travel(travel: f64) -> String {
    let travel = travel + 0.0; // no "-0" for an empty sum (see `percent`)
    if !travel.is_finite() {
        return format!("- {TRAVEL_UNIT}");
    }
    const STEPS: [(f64, &str); 4] = [(1e12, " tn"), (1e9, " bn"), (1e6, " M"), (1e3, " k")];
    let (scaled, suffix) = STEPS
        .iter()
        .find(|(s, _)| travel.abs() >= *s)
        .map_or((travel, ""), |(s, name)| (travel / s, *name));
    // Three significant figures: 85.4, 7.01, 512.
    let decimals = if scaled.abs() >= 100.0 {
        0
    } else if scaled.abs() >= 10.0 {
        1
    } else if suffix.is_empty() && scaled.fract() == 0.0 {
        0
    } else {
        2
    };
    format!("{scaled:.decimals$}{suffix} {TRAVEL_UNIT}")
}

/// A fraction as a percentage for a planner: at most two decimals, no trailing zeros (`0.05` → `"5"`,
/// `0.0125` → `"1.25"`), and two significant figures for tiny values (`5.1e-8` → `"0.0000051"`).
///
/// ```
/// use tessera_workbook::figures::percent;
/// assert_eq!(percent(0.05), "5");
/// assert_eq!(percent(0.0125), "1.25");
/// assert_eq!(percent(2.0108), "201.08");
/// assert_eq!(percent(5.1e-8), "0.0000051");
/// ```
pub fn percent(fraction: f64) -> String {
    // `+ 0.0` turns -0.0 (an empty f64 sum starts there) into 0.0, which prints without a minus sign.
    let x = fraction * 100.0 + 0.0;
    let decimals = if x == 0.0 || x.abs() >= 0.01 {
        2
    } else {
        // Two significant figures: 0.0000051 needs 7 decimals.
        (1 - x.abs().log10().floor() as i32).clamp(2, 15) as usize
    };
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    s.to_string()
}

/// The metrics document of an evaluation: its fields, plus the balanced measure and the travel unit.
pub fn evaluation_document(evaluation: &Evaluation, measure: &str) -> Value {
    let mut doc = serde_json::to_value(evaluation).unwrap_or_else(|_| json!({}));
    if let Value::Object(m) = &mut doc {
        m.insert("measure".into(), json!(measure));
        m.insert("travel_unit".into(), json!(TRAVEL_UNIT));
    }
    doc
}

/// The figures of `plan` on `dataset`, balancing `measure`: the metrics document stored with a scenario that no
/// optimizer run made (the imported alignment, a plan read from a file). `None` when the units lack `measure`
/// or the plan does not cover every unit.
pub fn plan_metrics(dataset: &Dataset, plan: &Plan, measure: &str) -> Option<Value> {
    plan_metrics_with_named(dataset, plan, measure, &NamedLoads::default())
}

/// [`plan_metrics`] with the named accounts' loads counted for their territories ([`NamedLoads::add_to`]);
/// the document then has a `named` entry ([`NamedLoads::document`]) when any account is named.
pub fn plan_metrics_with_named(dataset: &Dataset, plan: &Plan, measure: &str, named: &NamedLoads) -> Option<Value> {
    let weights = dataset.units.measure(measure)?;
    if plan.territory_of().len() != dataset.units.len()
        || dataset.adjacency.len() != dataset.units.len()
        || plan.territory_of().iter().any(|&t| t as usize >= plan.names().len())
    {
        return None;
    }
    let p = plan.names().len().max(1);
    let mut evaluation = evaluate(&dataset.units, &dataset.adjacency, plan, weights, p, &dataset.reps);
    let outside = named.add_to(&mut evaluation, measure);
    let mut doc = evaluation_document(&evaluation, measure);
    if let (false, Value::Object(m)) = (named.is_empty(), &mut doc) {
        m.insert("named".into(), named.document(measure, &outside));
    }
    Some(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn travel_keeps_three_significant_figures_and_its_unit() {
        assert_eq!(format_travel(90_280_000_000.0), "90.3 bn workload·km");
        assert_eq!(format_travel(13_179_000_000.0), "13.2 bn workload·km");
        assert_eq!(format_travel(1_500.0), "1.50 k workload·km");
        assert_eq!(format_travel(999.0), "999 workload·km");
        assert_eq!(format_travel(12.5), "12.5 workload·km");
        assert_eq!(format_travel(f64::NAN), "- workload·km");
    }

    #[test]
    fn an_empty_sum_prints_as_zero_without_a_minus_sign() {
        let empty: f64 = std::iter::empty::<f64>().sum();
        assert!(
            empty.is_sign_negative(),
            "Rust's f64 sum starts at -0.0: the case guarded against"
        );
        assert_eq!(percent(empty), "0");
        assert_eq!(format_travel(empty), "0 workload·km");
        assert_eq!(tessera_optimizer::limits::number(empty), "0");
    }
}
