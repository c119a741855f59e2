//! `plot-scaling`: draws the "how cost grows" chart of BENCHMARKS.md from the sweep's results.
//!
//! usage: plot-scaling RESULTS.csv OUT.png [--font FONT.ttf]
//!
//! RESULTS.csv is what `bench/scaling/sweep.py` writes (`n,p,wall_s,user_s,sys_s,rss_mb,exit,killed,…`). Two
//! log–log panels: time (wall and user CPU) and peak memory against the number of units, each with its
//! least-squares power law `y = a·N^b` (time over the runs that ended on their own, memory over those not killed;
//! the others are open circles),
//! and issue 9's 100,000-point target (60 s, 1 GB) as a red cross. Text is drawn with ab_glyph from a TrueType file (plotters' `ttf`
//! feature would need fontconfig and freetype): `--font`, else the first of a few usual system paths.

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

/// Where a sans-serif TrueType font usually is (Debian/Ubuntu, Arch, Fedora, macOS, Windows).
const FONT_PATHS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "C:\\Windows\\Fonts\\arial.ttf",
];

/// One run of the sweep.
struct Run {
    n: f64,
    wall: f64,
    user: f64,
    rss_mb: f64,
    /// Killed by the harness: no figure is whole.
    killed: bool,
    /// Killed or stopped by its deadline: its time is the bound's, a lower bound on what the run needed.
    cut: bool,
}

fn read_runs(path: &Path) -> Result<Vec<Run>, Box<dyn Error>> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().ok_or("empty results file")?.split(',').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| format!("{}: no column {name:?}", path.display()))
    };
    let (n, wall, user, rss, killed) = (
        col("n")?,
        col("wall_s")?,
        col("user_s")?,
        col("rss_mb")?,
        col("killed")?,
    );
    let cut = col("cut").ok();
    let mut runs = Vec::new();
    for (k, line) in lines.enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        let num = |i: usize| -> Result<f64, String> {
            f.get(i).and_then(|s| s.parse::<f64>().ok()).ok_or_else(|| {
                format!(
                    "{} line {}: column {} is not a number",
                    path.display(),
                    k + 2,
                    header[i]
                )
            })
        };
        runs.push(Run {
            n: num(n)?,
            wall: num(wall)?,
            user: num(user).unwrap_or(f64::NAN),
            rss_mb: num(rss).unwrap_or(f64::NAN),
            killed: f.get(killed).is_none_or(|s| *s != "0"),
            cut: f.get(killed).is_none_or(|s| *s != "0") || cut.is_some_and(|c| f.get(c).is_none_or(|s| *s != "0")),
        });
    }
    if runs.is_empty() {
        return Err(format!("{}: no runs", path.display()).into());
    }
    Ok(runs)
}

/// Least squares of ln y on ln x: returns (a, b) with y ≈ a·x^b.
fn power_fit(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .filter(|(x, y)| *x > 0.0 && *y > 0.0 && y.is_finite())
        .map(|(x, y)| (x.ln(), y.ln()))
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let k = pts.len() as f64;
    let (mx, my) = (
        pts.iter().map(|p| p.0).sum::<f64>() / k,
        pts.iter().map(|p| p.1).sum::<f64>() / k,
    );
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    if sxx == 0.0 {
        return None;
    }
    let b = sxy / sxx;
    Some(((my - b * mx).exp(), b))
}

fn load_font(explicit: Option<PathBuf>) -> Result<(), Box<dyn Error>> {
    let path = match explicit {
        Some(p) => p,
        None => FONT_PATHS
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
            .ok_or("no TrueType font found in the usual places: give one with --font FONT.ttf")?,
    };
    let bytes = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    // plotters keeps registered fonts for the whole process; the chart is drawn once, so leaking is the point.
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    register_font("sans-serif", FontStyle::Normal, bytes)
        .map_err(|_| format!("{}: not a TrueType/OpenType font", path.display()))?;
    Ok(())
}

/// One curve: (units, value) of the runs that finished and of those killed by the harness.
struct Series {
    name: &'static str,
    color: RGBColor,
    finished: Vec<(f64, f64)>,
    killed: Vec<(f64, f64)>,
}

/// One log–log panel: each series as points joined by a line, its fitted power law dashed, and the target.
fn panel(
    area: &DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>,
    title: &str,
    y_label: &str,
    series: &[Series],
    target: ((f64, f64), &str),
) -> Result<(), Box<dyn Error>> {
    let all = series.iter().flat_map(|s| s.finished.iter().chain(s.killed.iter()));
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in all.filter(|p| p.1 > 0.0 && p.1.is_finite()) {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    // The target is one point (100,000 units): keep it in view.
    (x0, x1, y0, y1) = (
        x0.min(target.0 .0),
        x1.max(target.0 .0),
        y0.min(target.0 .1),
        y1.max(target.0 .1),
    );
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 24))
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(70)
        .build_cartesian_2d((x0 / 1.3..x1 * 1.3).log_scale(), (y0 / 2.0..y1 * 2.0).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("units (accounts); territories = units / 200")
        .y_desc(y_label)
        .x_label_formatter(&|x| format!("{}k", (x / 1000.0).round()))
        .y_label_formatter(&|y| format!("{y}"))
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()?;
    chart
        .draw_series(std::iter::once(Cross::new(target.0, 8, RED.stroke_width(3))))?
        .label(target.1)
        .legend(|(x, y)| Cross::new((x + 10, y), 5, RED.stroke_width(2)));
    for Series {
        name,
        color,
        finished,
        killed,
    } in series
    {
        let c = *color;
        chart
            .draw_series(LineSeries::new(finished.iter().copied(), c.stroke_width(2)))?
            .label(*name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2)));
        chart.draw_series(finished.iter().map(|&p| Circle::new(p, 4, c.filled())))?;
        // A run cut by its deadline or killed: its figure is only a lower bound, drawn open and not fitted.
        chart.draw_series(killed.iter().map(|&p| Circle::new(p, 6, c.stroke_width(2))))?;
        if let Some((a, b)) = power_fit(finished) {
            // Over the sizes measured only: the chart shows no extrapolation.
            let (lo, hi) = finished
                .iter()
                .fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
            let line: Vec<(f64, f64)> = [lo, hi].iter().map(|&x| (x, a * x.powf(b))).collect();
            chart
                .draw_series(DashedLineSeries::new(line, 6, 4, c.mix(0.6).stroke_width(1)))?
                .label(format!("{name} fit ∝ N^{b:.2}"))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.mix(0.6)));
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 15))
        .draw()?;
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let (mut pos, mut font) = (Vec::new(), None);
    while let Some(a) = args.next() {
        if a == "--font" {
            font = Some(PathBuf::from(args.next().ok_or("--font needs a path")?));
        } else {
            pos.push(a);
        }
    }
    let [results, out] = pos.as_slice() else {
        return Err("usage: plot-scaling RESULTS.csv OUT.png [--font FONT.ttf]".into());
    };
    load_font(font)?;
    let runs = read_runs(Path::new(results))?;
    // Time is fitted over the runs that ended on their own; memory over every run not killed.
    let pick = |whole: fn(&Run) -> bool, keep: bool, f: fn(&Run) -> f64| -> Vec<(f64, f64)> {
        runs.iter().filter(|r| whole(r) == keep).map(|r| (r.n, f(r))).collect()
    };
    let timed: fn(&Run) -> bool = |r| !r.cut;
    let measured: fn(&Run) -> bool = |r| !r.killed;
    let root = BitMapBackend::new(out, (1400, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, right) = root.split_horizontally(700);
    let blue = RGBColor(31, 119, 180);
    let orange = RGBColor(255, 127, 14);
    let green = RGBColor(44, 160, 44);
    panel(
        &left,
        "tessera plan: time (open circle: cut by its deadline)",
        "seconds (log scale)",
        &[
            Series {
                name: "wall",
                color: blue,
                finished: pick(timed, true, |r| r.wall),
                killed: pick(timed, false, |r| r.wall),
            },
            Series {
                name: "user CPU",
                color: orange,
                finished: pick(timed, true, |r| r.user),
                killed: pick(timed, false, |r| r.user),
            },
        ],
        ((100_000.0, 60.0), "issue 9 target: 100k units within 60 s"),
    )?;
    panel(
        &right,
        "tessera plan: peak memory",
        "MB resident (log scale)",
        &[Series {
            name: "peak RSS",
            color: green,
            finished: pick(measured, true, |r| r.rss_mb),
            killed: pick(measured, false, |r| r.rss_mb),
        }],
        ((100_000.0, 1024.0), "issue 9 target: 100k units under 1 GB"),
    )?;
    root.present()?;
    for (name, whole, f) in [
        ("wall", timed, (|r: &Run| r.wall) as fn(&Run) -> f64),
        ("user", timed, |r| r.user),
        ("rss", measured, |r| r.rss_mb),
    ] {
        if let Some((a, b)) = power_fit(&pick(whole, true, f)) {
            println!("{name}: {a:.3e} * N^{b:.3}");
        }
    }
    println!("wrote {out}");
    Ok(())
}
