//! The drawing of each chart on any plotters backend.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{FrontPoint, LoadBar, ScenarioPoint};

type Res = Result<(), String>;

const BAR: RGBColor = RGBColor(0x80, 0xb1, 0xd3);
const OUT: RGBColor = RGBColor(0xe4, 0x57, 0x4f);
const BAND: RGBColor = RGBColor(0x4d, 0xaf, 0x4a);
const FRONT: RGBColor = RGBColor(0x98, 0x4e, 0xa3);

fn e(x: impl std::fmt::Display) -> String {
    x.to_string()
}

/// Bars of load / target (so territories of different capacity compare), sorted, with the band 1 ± tolerance.
pub fn load<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    bars: &[LoadBar],
    tol: f64,
    measure: &str,
) -> Res {
    let mut ratios: Vec<f64> = bars
        .iter()
        .map(|b| if b.target > 0.0 { b.load / b.target } else { 0.0 })
        .collect();
    ratios.sort_by(|a, b| a.total_cmp(b));
    let top = ratios.iter().copied().fold(1.0 + tol, f64::max) * 1.08;
    let n = ratios.len().max(1);
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(64)
        .build_cartesian_2d(0f64..n as f64, 0f64..top)
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(format!("territories, sorted by load ({n})"))
        // Whole-number ticks: n + 1 of them when few territories, about ten when many.
        .x_labels(n.min(10) + 1)
        .y_desc(format!("{measure} / target"))
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(0.0, 1.0 - tol), (n as f64, 1.0 + tol)],
            BAND.mix(0.18).filled(),
        )))
        .map_err(e)?
        .label(format!("target ±{:.0}%", tol * 100.0))
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], BAND.mix(0.3).filled()));
    chart
        .draw_series(ratios.iter().enumerate().map(|(k, &r)| {
            let color = if (r - 1.0).abs() > tol + 1e-12 { OUT } else { BAR };
            Rectangle::new([(k as f64 + 0.1, 0.0), (k as f64 + 0.9, r)], color.filled())
        }))
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new([(0.0, 1.0), (n as f64, 1.0)], BAND.stroke_width(2)))
        .map_err(e)?;
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 13))
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(e)
}

/// A histogram of deviations in percent, bins of one percentage point (wider when the spread is large).
pub fn deviations<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, title: &str, devs: &[f64], tol: f64) -> Res {
    let pct: Vec<f64> = devs.iter().map(|d| d * 100.0).filter(|d| d.is_finite()).collect();
    let lo = pct.iter().copied().fold(-tol * 100.0, f64::min);
    let hi = pct.iter().copied().fold(tol * 100.0, f64::max);
    let width = ((hi - lo) / 40.0).max(1.0).ceil();
    let (lo, hi) = (
        (lo / width).floor() * width - width,
        (hi / width).ceil() * width + width,
    );
    let bins = ((hi - lo) / width).round() as usize;
    let mut counts = vec![0usize; bins.max(1)];
    for d in &pct {
        let k = (((d - lo) / width).floor() as usize).min(counts.len() - 1);
        counts[k] += 1;
    }
    let top = counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.15;
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(50)
        .build_cartesian_2d(lo..hi, 0f64..top)
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc("deviation from target (%)")
        .y_desc("territories")
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(counts.iter().enumerate().filter(|(_, &c)| c > 0).map(|(k, &c)| {
            let x0 = lo + k as f64 * width;
            let inside = x0 >= -tol * 100.0 - 1e-9 && x0 + width <= tol * 100.0 + 1e-9;
            Rectangle::new(
                [(x0, 0.0), (x0 + width, c as f64)],
                if inside { BAR } else { OUT }.filled(),
            )
        }))
        .map_err(e)?;
    for x in [-tol * 100.0, tol * 100.0] {
        chart
            .draw_series(LineSeries::new([(x, 0.0), (x, top)], BAND.stroke_width(2)))
            .map_err(e)?;
    }
    Ok(())
}

/// Travel against max deviation, one labelled point per scenario; the front's plans, when given, as small
/// dots joined in order of deviation, with a legend entry.
pub fn travel_balance<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    pts: &[ScenarioPoint],
    front: &[FrontPoint],
    unit: &str,
) -> Res {
    let xs = pts.iter().map(|p| p.max_dev).chain(front.iter().map(|f| f.max_dev));
    let ys = pts.iter().map(|p| p.travel).chain(front.iter().map(|f| f.travel));
    let max_x = xs.map(|x| x * 100.0).filter(|x| x.is_finite()).fold(1.0, f64::max) * 1.15;
    let max_y = ys.filter(|y| y.is_finite()).fold(1.0, f64::max) * 1.15;
    let (scale, suffix) = [(1e12, " tn"), (1e9, " bn"), (1e6, " M"), (1e3, " k")]
        .into_iter()
        .find(|(s, _)| max_y >= *s * 1.5)
        .unwrap_or((1.0, ""));
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(64)
        .build_cartesian_2d(0f64..max_x, 0f64..max_y / scale)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("max deviation (%)")
        .y_desc(format!("travel ({} {unit})", suffix.trim_start()).replace("( ", "("))
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(e)?;
    if !front.is_empty() {
        let mut line: Vec<(f64, f64)> = front.iter().map(|f| (f.max_dev * 100.0, f.travel / scale)).collect();
        line.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        chart
            .draw_series(LineSeries::new(line.clone(), FRONT.mix(0.5).stroke_width(1)))
            .map_err(e)?;
        chart
            .draw_series(line.iter().map(|&xy| Circle::new(xy, 3, FRONT.filled())))
            .map_err(e)?
            .label(format!("trade-off front ({} plans)", front.len()))
            .legend(|(x, y)| Circle::new((x + 7, y), 3, FRONT.filled()));
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 13))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(e)?;
    }
    chart
        .draw_series(pts.iter().map(|p| {
            EmptyElement::at((p.max_dev * 100.0, p.travel / scale))
                + Circle::new((0, 0), 6, BAR.filled())
                + Circle::new((0, 0), 6, BLACK.stroke_width(1))
                + Text::new(p.scenario.clone(), (9, -16), ("sans-serif", 14))
        }))
        .map_err(e)?;
    Ok(())
}
