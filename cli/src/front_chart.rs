//! The trade-off front as a chart (plotters): travel against the balance figure, each plan a dot coloured by
//! the share of workload it moves from the current plan, the current plan a red cross. Written as SVG and PNG;
//! text is drawn with ab_glyph from a TrueType file (`--font`, else a usual system path), so no fontconfig.

use std::path::{Path, PathBuf};

use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

use crate::error::CliError;

/// Where a sans-serif TrueType font usually is (Debian/Ubuntu, Arch, Fedora, macOS, Windows).
const FONT_PATHS: [&str; 6] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "C:\\Windows\\Fonts\\arial.ttf",
];

/// One point of the chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Balance figure (a fraction: 0.05 = 5%).
    pub balance: f64,
    /// Travel.
    pub travel: f64,
    /// Share of the workload moved from the current plan.
    pub moved: f64,
}

/// Reads the font (given, else the first usual path found) and registers it for plotters.
///
/// # Errors
/// No font found, an unreadable file, or a file that is not a TrueType/OpenType font.
pub fn load_font(explicit: Option<&Path>) -> Result<(), CliError> {
    let path: PathBuf = match explicit {
        Some(p) => p.to_path_buf(),
        None => FONT_PATHS
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
            .ok_or_else(|| {
                CliError::input(
                    "no TrueType font found in the usual places for the chart's text: give one with --font FONT.ttf",
                )
            })?,
    };
    let bytes = std::fs::read(&path).map_err(|e| CliError::input(format!("--font {}: {e}", path.display())))?;
    // plotters keeps registered fonts for the whole process; the charts are drawn once, so leaking is the point.
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    register_font("sans-serif", FontStyle::Normal, bytes)
        .map_err(|_| CliError::input(format!("--font {}: not a TrueType/OpenType font", path.display())))
}

/// Draws the chart into `svg` and `png` (plotters draws each backend itself; the two are the same chart); the
/// current plan, if any, is marked with its legend label.
///
/// # Errors
/// A drawing or writing failure, as a message.
pub fn draw(
    front: &[Point],
    current: Option<(Point, &str)>,
    balance_label: &str,
    travel_unit: &str,
    svg: &Path,
    png: &Path,
) -> Result<(), String> {
    {
        let root = SVGBackend::new(svg, (1000, 700)).into_drawing_area();
        chart(&root, front, current, balance_label, travel_unit).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    let root = BitMapBackend::new(png, (1000, 700)).into_drawing_area();
    chart(&root, front, current, balance_label, travel_unit).map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// Colour of a moved share in [0, 1] (viridis: dark purple = nothing moved, yellow = everything).
fn colour(moved: f64) -> RGBColor {
    ViridisRGB::get_color(moved.clamp(0.0, 1.0))
}

fn chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    front: &[Point],
    current: Option<(Point, &str)>,
    balance_label: &str,
    travel_unit: &str,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let all = front.iter().chain(current.iter().map(|c| &c.0));
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in all {
        (x0, x1, y0, y1) = (
            x0.min(p.balance * 100.0),
            x1.max(p.balance * 100.0),
            y0.min(p.travel),
            y1.max(p.travel),
        );
    }
    if x0 > x1 {
        (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
    }
    let (dx, dy) = (
        ((x1 - x0) * 0.08).max(0.1),
        ((y1 - y0) * 0.08).max(y1.abs() * 0.005).max(1e-9),
    );
    let max_moved = front.iter().map(|p| p.moved).fold(0.0, f64::max).max(1e-9);
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!(
                "Trade-off front: {} plans (colour: workload moved, 0 – {:.0}%)",
                front.len(),
                max_moved * 100.0
            ),
            ("sans-serif", 22),
        )
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d((x0 - dx).max(0.0)..x1 + dx, (y0 - dy)..(y1 + dy))?;
    chart
        .configure_mesh()
        .x_desc(format!("{balance_label} (%)"))
        .y_desc(format!("travel ({travel_unit})"))
        .y_label_formatter(&|y| format!("{y:.3e}"))
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()?;
    chart
        .draw_series(
            front
                .iter()
                .map(|p| Circle::new((p.balance * 100.0, p.travel), 6, colour(p.moved / max_moved).filled())),
        )?
        .label("plan on the front")
        .legend(|(x, y)| Circle::new((x + 10, y), 5, colour(0.5).filled()));
    if let Some((c, label)) = current {
        chart
            .draw_series(std::iter::once(Cross::new(
                (c.balance * 100.0, c.travel),
                9,
                RED.stroke_width(3),
            )))?
            .label(label)
            .legend(|(x, y)| Cross::new((x + 10, y), 5, RED.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 15))
        .draw()?;
    Ok(())
}
