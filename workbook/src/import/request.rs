//! Importing a whole job: read every file, validate it all, derive what is missing, then build the dataset.

use std::path::{Path, PathBuf};

use tessera_optimizer::progress::ProgressReport;
use tessera_optimizer::spatial::{
    bridge_islands, bridge_islands_between, delaunay_edges, drop_long_edges, equirectangular_km, polygon_adjacency,
    Contiguity, PolygonAdjacencyParams,
};
use tessera_optimizer::{haversine_km, Adjacency, Progress};

use crate::dataset::{AdjacencySource, Dataset};
use crate::error::ImportError;
use crate::import::polygons::read_polygons_and_contacts;
use crate::import::table::read_bytes;
use crate::import::units::{parse_units_scaled, TextColumn};
use crate::import::{read_adjacency, read_reps, Warning};

/// Default longest link of a Delaunay-derived adjacency, in km.
pub const DEFAULT_MAX_EDGE_KM: f64 = 150.0;

/// The files of one import and how to read them.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRequest {
    /// Units CSV (required).
    pub units: PathBuf,
    /// Adjacency CSV; when absent, adjacency is derived from the polygons, else from the points.
    pub adjacency: Option<PathBuf>,
    /// Polygons GeoJSON.
    pub polygons: Option<PathBuf>,
    /// Reps CSV.
    pub reps: Option<PathBuf>,
    /// The measure to balance, checked to be numeric and `>= 0` everywhere. Default `None`: a `workload`
    /// column, if the units have one.
    pub balance: Option<String>,
    /// Rook or queen contiguity when adjacency comes from polygons. Default: queen.
    pub contiguity: Contiguity,
    /// How far apart (degrees) two polygon borders may be and still touch. Default 1e-9, for polygons that
    /// share their borders exactly (as us-atlas and most GIS exports do); raise it (say 1e-5, about a metre)
    /// for borders digitised separately.
    pub polygon_tolerance: f64,
    /// The number of territories, checked against the units when given. Default `None`.
    pub territories: Option<usize>,
    /// When adjacency comes from a Delaunay triangulation, links longer than this (great-circle km) are
    /// dropped unless the graph needs them to stay connected (see [`drop_long_edges`]). Default: 150 km, as in
    /// the peer instances; `None` keeps every link.
    pub max_edge_km: Option<f64>,
}

impl ImportRequest {
    /// A request for a units file alone, with the defaults above.
    pub fn new(units: impl Into<PathBuf>) -> Self {
        ImportRequest {
            units: units.into(),
            adjacency: None,
            polygons: None,
            reps: None,
            balance: None,
            contiguity: Contiguity::Queen,
            polygon_tolerance: PolygonAdjacencyParams::default().tolerance,
            territories: None,
            max_edge_km: Some(DEFAULT_MAX_EDGE_KM),
        }
    }

    /// Sets the adjacency CSV.
    pub fn adjacency(mut self, path: impl Into<PathBuf>) -> Self {
        self.adjacency = Some(path.into());
        self
    }

    /// Sets the polygons GeoJSON.
    pub fn polygons(mut self, path: impl Into<PathBuf>) -> Self {
        self.polygons = Some(path.into());
        self
    }

    /// Sets the reps CSV.
    pub fn reps(mut self, path: impl Into<PathBuf>) -> Self {
        self.reps = Some(path.into());
        self
    }

    /// Sets the measure to balance.
    pub fn balance(mut self, measure: impl Into<String>) -> Self {
        self.balance = Some(measure.into());
        self
    }

    /// Sets rook or queen contiguity for polygon adjacency.
    pub fn contiguity(mut self, contiguity: Contiguity) -> Self {
        self.contiguity = contiguity;
        self
    }

    /// Sets the longest Delaunay link kept (km), or `None` to keep them all.
    pub fn max_edge_km(mut self, km: Option<f64>) -> Self {
        self.max_edge_km = km;
        self
    }

    /// Sets the polygon border tolerance (degrees).
    pub fn polygon_tolerance(mut self, degrees: f64) -> Self {
        self.polygon_tolerance = degrees;
        self
    }

    /// Sets the number of territories to check.
    pub fn territories(mut self, p: usize) -> Self {
        self.territories = Some(p);
        self
    }
}

/// Checks that `p` territories can be drawn from `n` units: at least one, and no more than the units.
///
/// # Errors
/// [`ImportError::ZeroTerritories`], [`ImportError::TooManyTerritories`].
pub fn validate_territories(p: usize, n: usize) -> Result<(), ImportError> {
    if p == 0 {
        return Err(ImportError::ZeroTerritories);
    }
    if p > n {
        return Err(ImportError::TooManyTerritories {
            territories: p,
            units: n,
        });
    }
    Ok(())
}

/// Reads and validates every file of `request` and builds the [`Dataset`], or returns the first error and
/// nothing else.
///
/// Adjacency comes from the adjacency file when given; else from shared polygon borders (rook or queen, per
/// `request.contiguity`); else from a Delaunay triangulation of the unit points, less its links longer than
/// `request.max_edge_km` (with a warning giving their number). Whatever its source, a graph in
/// several pieces is then joined by [`bridge_islands`] (by polygon vertices when there are polygons, so an island
/// links to the nearest shore): each added edge is in [`Dataset::bridged`] and has a warning naming both units
/// and the distance between their points. The current alignment is the units file's `territory` column.
///
/// # Errors
/// Any error of the single-file readers ([`read_units`](super::read_units), [`read_reps`], [`read_polygons`](super::read_polygons), [`read_adjacency`]),
/// and [`validate_territories`]'s when `request.territories` is set.
pub fn import_dataset(request: &ImportRequest) -> Result<(Dataset, Vec<Warning>), ImportError> {
    import_dataset_with(request, &Progress::new())
}

/// [`import_dataset`] reporting progress to `progress` while the units file is read (the long part of a big
/// import) and stopping with [`ImportError::Cancelled`] once it is cancelled.
///
/// # Errors
/// As [`import_dataset`], and [`ImportError::Cancelled`].
pub fn import_dataset_with(
    request: &ImportRequest,
    progress: &Progress,
) -> Result<(Dataset, Vec<Warning>), ImportError> {
    import_dataset_with_text(request, progress).map(|(dataset, _, warnings)| (dataset, warnings))
}

/// [`import_dataset_with`], also returning the units file's text columns (names, states, codes), for
/// [`crate::Workbook::set_unit_text`].
///
/// # Errors
/// As [`import_dataset_with`].
pub fn import_dataset_with_text(
    request: &ImportRequest,
    progress: &Progress,
) -> Result<(Dataset, Vec<TextColumn>, Vec<Warning>), ImportError> {
    // The units file is most of a big import's time: it takes the first 70% of the progress bar.
    let bytes = read_bytes(&request.units)?;
    let (units_file, mut warnings) =
        parse_units_scaled(&request.units, &bytes, request.balance.as_deref(), progress, 0.7)?;
    drop(bytes);
    let text = units_file.text_columns;
    let units = units_file.units;
    if let Some(p) = request.territories {
        validate_territories(p, units.len())?;
    }
    step(progress, &request.units, "reading reps", 0.7)?;
    let reps = match &request.reps {
        Some(path) => {
            let (reps, w) = read_reps(path)?;
            warnings.extend(w);
            reps
        }
        None => Vec::new(),
    };
    step(progress, &request.units, "reading polygons", 0.75)?;
    let read = match &request.polygons {
        Some(path) => {
            let (read, w) = read_polygons_and_contacts(path, &units)?;
            warnings.extend(w);
            Some(read)
        }
        None => None,
    };
    // Adjacency sees the lines of units collapsed to a line (their outlines are empty), so they keep their
    // neighbours; the dataset keeps only the valid outlines.
    let contact_shapes = read.as_ref().map(|r| r.for_adjacency());
    let polygons = read.map(|r| r.outlines);
    step(progress, &request.units, "deriving adjacency", 0.85)?;
    let (edges, source) = match (&request.adjacency, &contact_shapes) {
        (Some(path), _) => {
            let (edges, w) = read_adjacency(path, &units)?;
            warnings.extend(w);
            (edges, AdjacencySource::File)
        }
        (None, Some(polygons)) => {
            let params = PolygonAdjacencyParams::new(request.contiguity).tolerance(request.polygon_tolerance);
            let source = match request.contiguity {
                Contiguity::Rook => AdjacencySource::PolygonsRook,
                Contiguity::Queen => AdjacencySource::PolygonsQueen,
            };
            (polygon_adjacency(polygons, &params), source)
        }
        (None, None) => {
            let points = equirectangular_km(units.lon(), units.lat());
            let mut edges = delaunay_edges(&points).map_err(|e| ImportError::Triangulation {
                path: request.units.clone(),
                message: e.to_string(),
            })?;
            if let Some(max_km) = request.max_edge_km {
                let pruned = drop_long_edges(&edges, units.lon(), units.lat(), max_km);
                if pruned.dropped + pruned.readded > 0 {
                    warnings.push(Warning {
                        path: Some(request.units.clone()),
                        line: None,
                        message: format!(
                            "{} longer than {max_km} km dropped from the Delaunay adjacency ({} kept because the \
                             graph would fall apart without them)",
                            count(pruned.dropped, "link", "links"),
                            pruned.readded
                        ),
                    });
                }
                edges = pruned.kept;
            }
            (edges, AdjacencySource::Delaunay)
        }
    };
    step(progress, &request.units, "joining islands", 0.95)?;
    let mut adjacency = Adjacency::from_edges(units.len(), &edges);
    let bridged = match &contact_shapes {
        None => bridge_islands(units.lon(), units.lat(), &adjacency),
        Some(polygons) => {
            // Islands link to the nearest shore: every polygon vertex is a site, and so is each unit's point
            // (so a unit whose polygon is empty still has one).
            let (mut lon, mut lat, mut unit) = (units.lon().to_vec(), units.lat().to_vec(), Vec::new());
            unit.extend(0..units.len() as u32);
            for (i, mp) in polygons.iter().enumerate() {
                for c in mp.0.iter().flat_map(|p| p.exterior().0.iter()) {
                    lon.push(c.x);
                    lat.push(c.y);
                    unit.push(i as u32);
                }
            }
            bridge_islands_between(&lon, &lat, &unit, &adjacency)
        }
    };
    if !bridged.is_empty() {
        let origin: &Path = request
            .adjacency
            .as_deref()
            .or(request.polygons.as_deref())
            .unwrap_or(&request.units);
        for &(a, b) in &bridged {
            let (a, b) = (a as usize, b as usize);
            let km = haversine_km(units.lon()[a], units.lat()[a], units.lon()[b], units.lat()[b]);
            let how = if polygons.is_some() { "nearest shores" } else { "points" };
            warnings.push(Warning {
                path: Some(origin.to_path_buf()),
                line: None,
                message: format!(
                    "units {:?} and {:?} were linked to join an island to the rest (nearest by {how}; their \
                     points are {km:.1} km apart); the adjacency had {} separate parts",
                    units.ids()[a],
                    units.ids()[b],
                    bridged.len() + 1
                ),
            });
        }
        let all: Vec<(u32, u32)> = edges.iter().chain(&bridged).copied().collect();
        adjacency = Adjacency::from_edges(units.len(), &all);
    }
    if let (Some(plan), Some(reps_path)) = (&units_file.current, &request.reps) {
        warnings.extend(territories_without_rep(plan, &reps, &request.units, reps_path));
    }
    progress.report(ProgressReport {
        stage: "imported".to_string(),
        fraction: 1.0,
        best_max_dev: None,
        best_travel: None,
        best_noncontiguous: None,
    });
    Ok((
        Dataset {
            units,
            adjacency,
            adjacency_source: source,
            bridged,
            polygons,
            reps,
            current: units_file.current,
        },
        text,
        warnings,
    ))
}

/// A warning when the units' territory column names territories that are not rep ids: territories are a rep's
/// when named after it, so the app and the optimizer would show these beside the reps' own (empty) territories —
/// usually a column of rep names where ids were meant, or reps from another alignment.
fn territories_without_rep(
    plan: &tessera_optimizer::Plan,
    reps: &[tessera_optimizer::Rep],
    units_path: &Path,
    reps_path: &Path,
) -> Option<Warning> {
    let ids: std::collections::HashSet<&str> = reps.iter().map(|r| r.id.as_str()).collect();
    let orphans: Vec<&String> = plan
        .names()
        .iter()
        .filter(|name| !ids.contains(name.as_str()))
        .collect();
    if orphans.is_empty() {
        return None;
    }
    let mut examples: Vec<String> = orphans.iter().take(3).map(|n| format!("{n:?}")).collect();
    if orphans.len() > 3 {
        examples.push("…".into());
    }
    Some(Warning::file(
        units_path,
        format!(
            "{} of the {} territories in the territory column ({}) match no rep id in {}; a territory belongs to \
             a rep when it is named after the rep's id, so these show beside the reps' own territories",
            orphans.len(),
            plan.territory_count(),
            examples.join(", "),
            reps_path.display(),
        ),
    ))
}

/// `n` and the noun, singular or plural.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Reports the stage of a whole import (the units file took the first 70%) and stops it if cancelled.
fn step(progress: &Progress, path: &Path, stage: &str, fraction: f64) -> Result<(), ImportError> {
    if progress.is_cancelled() {
        return Err(ImportError::Cancelled {
            path: path.to_path_buf(),
        });
    }
    progress.report(ProgressReport {
        stage: stage.to_string(),
        fraction,
        best_max_dev: None,
        best_travel: None,
        best_noncontiguous: None,
    });
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests unwrap what they just built
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn progress_of_a_whole_import_rises_to_the_end_and_cancel_stops_it() {
        let dir = tempfile::tempdir().unwrap();
        let units = dir.path().join("u.csv");
        std::fs::write(&units, "id,lon,lat\na,0,0\nb,0.5,0\nc,0,0.5\n").unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let progress = Progress::with_listener(move |r| sink.lock().unwrap().push((r.stage.clone(), r.fraction)));
        import_dataset_with(&ImportRequest::new(&units), &progress).unwrap();
        let seen = seen.lock().unwrap().clone();
        let stages: Vec<&str> = seen.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            stages,
            [
                "reading units",
                "reading reps",
                "reading polygons",
                "deriving adjacency",
                "joining islands",
                "imported"
            ]
        );
        assert!(seen.windows(2).all(|w| w[0].1 <= w[1].1), "{seen:?}");
        assert_eq!(seen.last().map(|s| s.1), Some(1.0));

        let progress = Progress::new();
        progress.cancel();
        let err = import_dataset_with(&ImportRequest::new(&units), &progress).unwrap_err();
        assert!(matches!(err, ImportError::Cancelled { .. }));
    }
}
