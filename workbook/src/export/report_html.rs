//! The one-file HTML report for a meeting: headline figures, charts (inline SVG), the map of the scenario and
//! the diff map against the baseline, the territory and quota tables and the realignment list. Everything is
//! inside the file (no script, no stylesheet or font fetched), so it opens offline in any browser and can be
//! mailed as it is.

use std::fmt::Write as _;

use super::dissolve::TerritoryShapes;
use super::scenario::ScenarioExport;
use super::svg_map::{diff_map, escape, territory_colors, territory_map, units_off_map};
use super::{Cell, Table};
use crate::charts::{Chart, ChartError, LoadBar, ScenarioPoint};
use crate::figures::{format_travel, percent};

/// The charts of a scenario: load per territory with the tolerance band and the deviations; with `points`
/// (every scenario of the workbook), travel against balance.
pub fn scenario_charts(ex: &ScenarioExport<'_>, tolerance: f64, points: &[ScenarioPoint]) -> Vec<Chart> {
    let e = &ex.evaluation;
    let mut charts = vec![
        Chart::Load {
            title: format!("{}: {} per territory against target", ex.name, ex.measure),
            bars: e
                .territories
                .iter()
                .map(|t| LoadBar {
                    territory: t.name.clone(),
                    load: t.load,
                    target: t.target,
                })
                .collect(),
            tolerance,
            measure: ex.measure.clone(),
        },
        Chart::Deviations {
            title: format!("{}: deviation from target", ex.name),
            deviations: e.territories.iter().map(|t| t.deviation).collect(),
            tolerance,
        },
    ];
    if !points.is_empty() {
        charts.push(Chart::TravelBalance {
            title: "Travel against balance, every scenario".into(),
            points: points.to_vec(),
            front: Vec::new(),
            travel_unit: crate::figures::TRAVEL_UNIT.into(),
        });
    }
    charts
}

/// The report as one HTML document.
///
/// # Errors
/// [`ChartError`] when a chart cannot be drawn (no font registered: see [`crate::charts::load_font`]).
pub fn html_report(
    ex: &ScenarioExport<'_>,
    shapes: &TerritoryShapes,
    tolerance: f64,
    points: &[ScenarioPoint],
) -> Result<String, ChartError> {
    let e = &ex.evaluation;
    let mut h = String::with_capacity(1 << 20);
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title><style>{CSS}</style></head><body><h1>{t}</h1>",
        t = escape(&format!("Scenario “{}”", ex.name))
    );
    let in_band = e
        .territories
        .iter()
        .filter(|t| t.deviation.abs() <= tolerance + 1e-12)
        .count();
    let _ = write!(
        h,
        "<p class=\"lead\">{n} units in {p} territories, balanced on <b>{m}</b>. Max deviation <b>{md}%</b> \
         ({ib} of {p} within ±{tol}%), CV {cv}%, travel <b>{tr}</b>, {nc} not contiguous.",
        n = e.n_units,
        p = e.territories.len(),
        m = escape(&ex.measure),
        md = percent(e.max_dev),
        ib = in_band,
        tol = percent(tolerance),
        cv = percent(e.cv),
        tr = escape(&format_travel(e.travel)),
        nc = e.n_noncontiguous
    );
    if let Some(c) = &ex.comparison {
        let s = &c.scenarios[1];
        let _ = write!(
            h,
            " Against <b>{b}</b>: {u} units moved, {k} territories changed.",
            b = escape(&c.scenarios[0].scenario),
            u = s.units_moved,
            k = s.changed_territories.len()
        );
    }
    h.push_str("</p>");

    h.push_str("<h2>Maps</h2><div class=\"maps\"><figure>");
    let colors = territory_colors(ex.dataset, ex.plan);
    h.push_str(&territory_map(ex.dataset, ex.plan, &shapes.shapes, &colors, &ex.name));
    let _ = write!(
        h,
        "<figcaption>{} territories{}</figcaption></figure>",
        escape(&ex.name),
        match shapes.source {
            super::ShapeSource::UnitPolygons => "",
            super::ShapeSource::VoronoiCells => " (shapes drawn from the units' Voronoi cells)",
        }
    );
    if let (Some(c), Some(base)) = (&ex.comparison, ex.baseline_plan) {
        h.push_str("<figure>");
        h.push_str(&diff_map(ex.dataset, base, ex.plan, &shapes.shapes, "moved units"));
        let _ = write!(
            h,
            "<figcaption>In red: the {} units that change territory against {} (hover for from → to)</figcaption></figure>",
            c.scenarios[1].units_moved,
            escape(&c.scenarios[0].scenario)
        );
    }
    h.push_str("</div>");
    let off = units_off_map(ex.dataset);
    if !off.is_empty() {
        let ids: Vec<String> = off
            .iter()
            .take(10)
            .map(|&i| {
                let u = &ex.dataset.units;
                format!("{} ({}, {})", u.ids()[i], u.lon()[i], u.lat()[i])
            })
            .collect();
        let _ = write!(
            h,
            "<p class=\"note\">{} unit{} far from the others lie{} outside the maps: {}{}.</p>",
            off.len(),
            if off.len() == 1 { "" } else { "s" },
            if off.len() == 1 { "s" } else { "" },
            escape(&ids.join(", ")),
            if off.len() > 10 { ", …" } else { "" }
        );
    }
    h.push_str("<h2>Charts</h2>");
    for chart in scenario_charts(ex, tolerance, points) {
        h.push_str("<figure class=\"chart\">");
        h.push_str(&chart.svg()?);
        h.push_str("</figure>");
    }
    h.push_str("<h2>Figures</h2>");
    table(&mut h, &ex.summary_table());
    h.push_str("<h2>Territories</h2>");
    table(&mut h, &ex.territory_table());
    if ex.quotas.is_some() {
        h.push_str("<h2>Quotas</h2>");
        table(&mut h, &ex.quota_table());
    }
    if let Some(c) = &ex.comparison {
        h.push_str("<h2>What changes per territory</h2>");
        table(&mut h, &c.territory_table());
        let _ = write!(h, "<h2>Realignment list ({} units)</h2>", c.moves.len());
        table(&mut h, &c.move_table());
    }
    h.push_str("<p class=\"foot\">Made by Tessera. Travel is Σ workload × km from each unit to its territory's center.</p></body></html>");
    Ok(h)
}

fn table(h: &mut String, t: &Table) {
    h.push_str("<table><thead><tr>");
    for c in &t.headers {
        let _ = write!(h, "<th>{}</th>", escape(c));
    }
    h.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        h.push_str("<tr>");
        for (c, head) in row.iter().zip(&t.headers) {
            match c {
                Cell::Number(v) => {
                    let _ = write!(h, "<td class=\"n\">{}</td>", escape(&show(*v, head)));
                }
                other => {
                    let _ = write!(h, "<td>{}</td>", escape(&other.csv_text()));
                }
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
}

/// A number for people: fractions as percentages, large numbers with thousands separators.
fn show(v: f64, header: &str) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let fraction = header.contains("deviation") || header == "cv" || header == "max_dev" || header == "share";
    if fraction {
        return format!("{}%", percent(v));
    }
    let decimals = if v.fract() == 0.0 || v.abs() >= 1000.0 { 0 } else { 2 };
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let mut grouped = String::new();
    for (k, ch) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!(
        "{}{grouped}{}{frac}",
        if v < 0.0 { "-" } else { "" },
        if frac.is_empty() { "" } else { "." }
    )
}

const CSS: &str = "body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1840px;color:#1d2733;padding:0 16px}\
h1{font-size:24px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d8dee6;padding-bottom:4px}\
.lead{font-size:15px}.maps{display:flex;flex-wrap:wrap;gap:16px}.maps figure{flex:1 1 560px;min-width:0}figure{margin:0}figure svg{max-width:100%;height:auto;border:1px solid #d8dee6}\
figcaption{color:#566;font-size:13px}.chart{display:inline-block;margin:0 12px 12px 0}\
table{border-collapse:collapse;font-size:12.5px;margin-bottom:8px}th,td{border:1px solid #d8dee6;padding:3px 7px}th{background:#eef2f6;position:sticky;top:0}\
td.n{text-align:right;font-variant-numeric:tabular-nums}tbody tr:nth-child(even){background:#f8fafc}.foot{color:#788;font-size:12px;margin-top:24px}.note{color:#8a4b08;background:#fff6e5;padding:6px 10px;border-radius:4px}";

#[cfg(test)]
mod tests {
    use super::show;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(show(1234567.0, "workload"), "1,234,567");
        assert_eq!(show(-0.0312, "deviation"), "-3.12%");
        assert_eq!(show(12.345, "x"), "12.35");
        assert_eq!(show(-1500.4, "x"), "-1,500");
    }
}
