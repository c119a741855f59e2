//! The open workbook's tiler as tile requests share it: projected on a thread of its own as soon as the
//! workbook's dataset is read, and reached without the app state's lock.
//!
//! Why (BENCHMARKS.md, "The map: opening and panning"): the map's first tiles are on the critical path of an
//! opening. Projected at the first tile, inside the state's lock, they waited for the projection (30–40 ms on
//! the sample counties) and for whichever command held the lock (`units_geojson`, `open_scenario`'s figures),
//! so the window could not usefully ask for them before the rest of its load was done.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use geo::MultiPolygon;
use tessera_workbook::Dataset;

use super::UnitTiles;

/// What the tiler projects: the units' positions and their polygons, copied from the dataset (the workbook
/// keeps its own).
#[derive(Debug)]
struct Geometry {
    lon: Vec<f64>,
    lat: Vec<f64>,
    polygons: Option<Vec<MultiPolygon<f64>>>,
}

/// One workbook's units, projected once (by a background thread or by the first tile asked for, whichever comes
/// first; the other waits for it), then cut into tiles by any number of requests at once.
#[derive(Debug)]
pub struct SharedTiles {
    tiles: OnceLock<UnitTiles>,
    /// The geometry to project, until it is.
    geometry: Mutex<Option<Geometry>>,
}

impl SharedTiles {
    /// A tiler of `dataset`'s units, not projected yet: [`SharedTiles::get`] projects them.
    pub fn new(dataset: &Dataset) -> Arc<Self> {
        Arc::new(Self {
            tiles: OnceLock::new(),
            geometry: Mutex::new(Some(Geometry {
                lon: dataset.units.lon().to_vec(),
                lat: dataset.units.lat().to_vec(),
                polygons: dataset.polygons.clone(),
            })),
        })
    }

    /// A tiler of `dataset`'s units, projected on a thread started now, so the map's first tiles find them ready.
    /// (Should the thread not start, the first tile projects them.)
    pub fn project_in_background(dataset: &Dataset) -> Arc<Self> {
        let tiles = Self::new(dataset);
        let worker = Arc::clone(&tiles);
        let started = std::thread::Builder::new()
            .name("tessera-map-tiles".into())
            .spawn(move || {
                worker.get();
            });
        if let Err(e) = started {
            eprintln!("tessera-app: the map's tiles will be projected at the first tile: no thread ({e})");
        }
        tiles
    }

    /// The projected units; projects them on the first call, and a call made meanwhile waits for that.
    pub fn get(&self) -> &UnitTiles {
        let tiles = self.tiles.get_or_init(|| {
            let geometry = self.geometry.lock().unwrap_or_else(PoisonError::into_inner);
            // The geometry is dropped only once projected (below), so it is here whenever this runs.
            let (lon, lat, polygons) = geometry.as_ref().map_or((&[][..], &[][..], None), |g| {
                (&g.lon[..], &g.lat[..], g.polygons.as_deref())
            });
            UnitTiles::project(lon, lat, polygons)
        });
        // Nothing needs the copy once projected.
        if let Ok(mut geometry) = self.geometry.try_lock() {
            geometry.take();
        }
        tiles
    }

    /// Whether the units have been projected yet.
    pub fn is_projected(&self) -> bool {
        self.tiles.get().is_some()
    }
}
