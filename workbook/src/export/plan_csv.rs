//! Plan CSV: `id,territory`, one row per unit in unit order.

use std::io::Write;

use tessera_optimizer::Plan;

use super::ExportError;

/// Writes `plan` as CSV with header `id,territory`. Ids and names are quoted when they need it (commas,
/// quotes, line breaks), and leading zeros are kept (ZIP 01234 stays 01234).
///
/// # Errors
/// [`ExportError::PlanSize`] when `ids` and the plan differ in length; write errors.
pub fn write_plan_csv<W: Write>(out: W, ids: &[String], plan: &Plan) -> Result<(), ExportError> {
    if ids.len() != plan.territory_of().len() {
        return Err(ExportError::PlanSize {
            plan: plan.territory_of().len(),
            ids: ids.len(),
        });
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["id", "territory"])?;
    for (id, &t) in ids.iter().zip(plan.territory_of()) {
        w.write_record([id.as_str(), plan.names()[t as usize].as_str()])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_header_and_quotes_awkward_values() {
        let plan = Plan::new(vec![0, 1, 0], vec!["North".into(), "South, East".into()]);
        let ids = vec!["01234".to_string(), "a\"b".to_string(), "c".to_string()];
        let mut out = Vec::new();
        write_plan_csv(&mut out, &ids, &plan).expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "id,territory\n01234,North\n\"a\"\"b\",\"South, East\"\nc,North\n"
        );
    }

    #[test]
    fn refuses_mismatched_lengths() {
        let plan = Plan::new(vec![0], vec!["A".into()]);
        assert!(matches!(
            write_plan_csv(Vec::new(), &[], &plan),
            Err(ExportError::PlanSize { plan: 1, ids: 0 })
        ));
    }
}
