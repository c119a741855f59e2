//! Charts for managers, drawn with plotters as SVG (the app, the HTML report) or PNG (exports):
//!
//! - [`Chart::Load`]: every territory's load against its target, sorted, with the tolerance band;
//! - [`Chart::Deviations`]: how the territories' deviations from target are distributed;
//! - [`Chart::TravelBalance`]: travel against max deviation, one point per scenario, and the trade-off front of
//!   an exploration where there is one.
//!
//! Text is drawn with ab_glyph from a TrueType font (plotters' `ttf` feature would need fontconfig and
//! freetype): [`load_font`] registers one, from a path or the usual system places. Nothing is fetched.

mod draw;

use std::path::{Path, PathBuf};

use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

/// Where a sans-serif TrueType font usually is (Debian/Ubuntu, Arch, Fedora, macOS, Windows).
const FONT_PATHS: [&str; 6] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "C:\\Windows\\Fonts\\arial.ttf",
];

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChartError {
    /// No font to draw text with.
    #[error("no TrueType font found ({0}); give one with --font FONT.ttf")]
    NoFont(String),
    /// The font file is not a font.
    #[error("{0}: not a TrueType/OpenType font")]
    BadFont(PathBuf),
    /// Drawing or writing failed.
    #[error("chart {chart}: {message}")]
    Draw {
        /// The chart.
        chart: &'static str,
        /// What failed.
        message: String,
    },
}

/// Registers the font charts draw text with: `explicit`, else the first usual system font. Call once per
/// process before drawing (plotters keeps registered fonts for the whole process).
///
/// # Errors
/// [`ChartError::NoFont`], [`ChartError::BadFont`].
pub fn load_font(explicit: Option<&Path>) -> Result<(), ChartError> {
    static LOADED: std::sync::OnceLock<Result<(), ChartError>> = std::sync::OnceLock::new();
    LOADED
        .get_or_init(|| {
            let path = match explicit {
                Some(p) => p.to_path_buf(),
                None => FONT_PATHS
                    .iter()
                    .map(PathBuf::from)
                    .find(|p| p.is_file())
                    .ok_or_else(|| ChartError::NoFont(format!("looked in {}", FONT_PATHS.join(", "))))?,
            };
            let bytes = std::fs::read(&path).map_err(|e| ChartError::NoFont(format!("{}: {e}", path.display())))?;
            // Leaked on purpose: plotters wants the font for the whole process, and it is loaded once.
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            register_font("sans-serif", FontStyle::Normal, bytes).map_err(|_| ChartError::BadFont(path))
        })
        .clone()
}

/// One territory's bar in the load chart.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadBar {
    /// Territory name.
    pub territory: String,
    /// Its load.
    pub load: f64,
    /// Its target.
    pub target: f64,
}

/// One scenario's point in the travel–balance chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioPoint {
    /// Scenario name (the point's label).
    pub scenario: String,
    /// Max deviation (fraction).
    pub max_dev: f64,
    /// Travel.
    pub travel: f64,
}

/// One plan of a trade-off front in the travel–balance chart (see `tessera explore`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrontPoint {
    /// Max deviation (fraction).
    pub max_dev: f64,
    /// Travel.
    pub travel: f64,
}

/// A chart and its data.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// Load per territory (sorted) against target with the ± tolerance band.
    Load {
        /// Title.
        title: String,
        /// Bars.
        bars: Vec<LoadBar>,
        /// Tolerance (fraction).
        tolerance: f64,
        /// Measure name, for the axis.
        measure: String,
    },
    /// Histogram of the territories' deviations (percent).
    Deviations {
        /// Title.
        title: String,
        /// Deviations (fractions).
        deviations: Vec<f64>,
        /// Tolerance (fraction), drawn as two lines.
        tolerance: f64,
    },
    /// Travel against max deviation, one point per scenario, and the plans of a trade-off front (small dots
    /// joined in order of deviation) when `front` is not empty.
    TravelBalance {
        /// Title.
        title: String,
        /// Points.
        points: Vec<ScenarioPoint>,
        /// The plans of a trade-off front (none: no front drawn).
        front: Vec<FrontPoint>,
        /// Unit of travel, for the axis.
        travel_unit: String,
    },
}

/// Width and height of every chart, in pixels.
pub const SIZE: (u32, u32) = (900, 420);

impl Chart {
    /// A short file-name stem: `load`, `deviations`, `travel-balance`.
    pub fn stem(&self) -> &'static str {
        match self {
            Chart::Load { .. } => "load",
            Chart::Deviations { .. } => "deviations",
            Chart::TravelBalance { .. } => "travel-balance",
        }
    }

    /// The chart as an SVG document.
    ///
    /// # Errors
    /// [`ChartError`] when no font is registered or drawing fails.
    pub fn svg(&self) -> Result<String, ChartError> {
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(|e| self.err(e))?;
        }
        Ok(out)
    }

    /// Writes the chart as a PNG file at `path`.
    ///
    /// # Errors
    /// [`ChartError`] when no font is registered, drawing fails or the file cannot be written.
    pub fn png(&self, path: &Path) -> Result<(), ChartError> {
        let root = BitMapBackend::new(path, SIZE).into_drawing_area();
        self.draw(&root)?;
        root.present().map_err(|e| self.err(e))
    }

    fn err(&self, e: impl std::fmt::Display) -> ChartError {
        ChartError::Draw {
            chart: self.stem(),
            message: e.to_string(),
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, plotters::coord::Shift>) -> Result<(), ChartError> {
        root.fill(&WHITE).map_err(|e| self.err(e))?;
        let result = match self {
            Chart::Load {
                title,
                bars,
                tolerance,
                measure,
            } => draw::load(root, title, bars, *tolerance, measure),
            Chart::Deviations {
                title,
                deviations,
                tolerance,
            } => draw::deviations(root, title, deviations, *tolerance),
            Chart::TravelBalance {
                title,
                points,
                front,
                travel_unit,
            } => draw::travel_balance(root, title, points, front, travel_unit),
        };
        result.map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests;
