//! Metrics JSON: a scenario's metrics, pretty-printed for people and scripts.

use std::io::Write;

use super::ExportError;

/// Writes `metrics` as indented JSON followed by a newline.
///
/// # Errors
/// Write errors.
pub fn write_metrics_json<W: Write>(mut out: W, metrics: &serde_json::Value) -> Result<(), ExportError> {
    serde_json::to_writer_pretty(&mut out, metrics)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_serde() {
        let m = serde_json::json!({ "max_dev": 0.031, "cv": 0.012, "territories": [{ "name": "A", "load": 10.5 }] });
        let mut out = Vec::new();
        write_metrics_json(&mut out, &m).expect("write");
        let back: serde_json::Value = serde_json::from_slice(&out).expect("parse");
        assert_eq!(back, m);
        assert!(out.ends_with(b"}\n"));
    }
}
