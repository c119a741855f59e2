//! The units as vector tiles, cut in Rust for the map: MapLibre's worker reads each tile's few kilobytes of
//! protobuf instead of taking megabytes of GeoJSON from the main thread and tiling them itself
//! (BENCHMARKS.md, "The map: opening and panning"). Web Mercator tiles, 4,096 units across, one layer
//! `units`, each feature's id its unit index, no properties (colours and flags are MapLibre feature state).

mod clip;
mod mvt;
mod shared;

use geo::MultiPolygon;
use tessera_workbook::outline::writable_outline;
use tessera_workbook::Dataset;

pub use shared::SharedTiles;

use clip::{clip_ring, doubled_area, simplify_and_round, Xy};
use mvt::LayerWriter;

/// The tiles' layer name, which the map's layers name as `source-layer`.
pub const LAYER: &str = "units";
/// Units across a tile (MVT's usual extent).
pub const EXTENT: u32 = 4096;
/// Tile units kept beyond each edge: 16 px of a 512 px tile, as the GeoJSON source had. Outlines are at most
/// 2 px wide; clipped edges fall in here, where MapLibre's per-tile clipping never draws them.
const BUFFER: f64 = 128.0;
/// How far outlines may move when simplified, in tile units: 1 px of a 512 px tile at every zoom (the
/// GeoJSON source's `tolerance: 1`, `SIMPLIFY_PX` in ui/src/map/unitLayers.ts).
const TOLERANCE: f64 = 8.0;
/// Deepest zoom cut; the map overzooms this level's tiles beyond it (ui/src/map/unitLayers.ts `maxzoom`).
pub const MAX_ZOOM: u8 = 14;

/// One unit's shape in Web Mercator, x and y in 0..1 (y down).
#[derive(Debug)]
enum Shape {
    Point(Xy),
    /// Polygons, each its exterior ring then its holes; rings without a repeated last point.
    Polygons(Vec<Vec<Vec<Xy>>>),
}

/// The units of one workbook, projected once, ready to be cut into tiles.
#[derive(Debug)]
pub struct UnitTiles {
    shapes: Vec<Shape>,
    /// Each shape's bounding box in Mercator: min x, min y, max x, max y.
    boxes: Vec<[f64; 4]>,
}

impl UnitTiles {
    /// Projects `dataset`'s units: its polygons where it has a valid one (as the GeoJSON export writes them,
    /// `writable_outline`), its point otherwise.
    pub fn new(dataset: &Dataset) -> Self {
        let units = &dataset.units;
        Self::project(units.lon(), units.lat(), dataset.polygons.as_deref())
    }

    /// As [`UnitTiles::new`], from the units' positions and their polygons (one per unit) if there are any.
    fn project(lon: &[f64], lat: &[f64], polygons: Option<&[MultiPolygon<f64>]>) -> Self {
        let mut shapes = Vec::with_capacity(lon.len());
        for i in 0..lon.len() {
            let outline = polygons.map(|polys| writable_outline(&polys[i]));
            let shape = match outline.as_deref() {
                Some(mp) if !mp.0.is_empty() => Shape::Polygons(
                    mp.0.iter()
                        .map(|poly| {
                            std::iter::once(poly.exterior())
                                .chain(poly.interiors())
                                .map(|ring| {
                                    let mut pts: Vec<Xy> = ring.0.iter().map(|c| mercator(c.x, c.y)).collect();
                                    if pts.len() > 1 && pts.first() == pts.last() {
                                        pts.pop();
                                    }
                                    pts
                                })
                                .collect()
                        })
                        .collect(),
                ),
                _ => Shape::Point(mercator(lon[i], lat[i])),
            };
            shapes.push(shape);
        }
        let boxes = shapes.iter().map(bbox).collect();
        Self { shapes, boxes }
    }

    /// How many units there are.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// Tile `z`/`x`/`y` as MVT bytes: every unit reaching into it (or its buffer), clipped to the buffer,
    /// polygons simplified to within a pixel and rings under a square pixel left out (as MapLibre's GeoJSON
    /// tiler does), points as they are. `None` for a tile that does not exist (`z` beyond [`MAX_ZOOM`], or
    /// `x`/`y` outside 0..2^z).
    pub fn tile(&self, z: u8, x: u32, y: u32) -> Option<Vec<u8>> {
        if z > MAX_ZOOM || x >= 1 << z || y >= 1 << z {
            return None;
        }
        let scale = f64::from(1u32 << z);
        let extent = f64::from(EXTENT);
        // The tile's square with its buffer, in Mercator.
        let margin = BUFFER / extent;
        let (x0, y0) = ((f64::from(x) - margin) / scale, (f64::from(y) - margin) / scale);
        let (x1, y1) = (
            (f64::from(x) + 1.0 + margin) / scale,
            (f64::from(y) + 1.0 + margin) / scale,
        );
        let to_tile = |p: Xy| {
            [
                (p[0] * scale - f64::from(x)) * extent,
                (p[1] * scale - f64::from(y)) * extent,
            ]
        };
        let mut layer = LayerWriter::new(LAYER, EXTENT);
        let mut rings: Vec<Vec<[i32; 2]>> = Vec::new();
        for (id, (shape, b)) in self.shapes.iter().zip(&self.boxes).enumerate() {
            if b[2] < x0 || b[0] > x1 || b[3] < y0 || b[1] > y1 {
                continue;
            }
            match shape {
                Shape::Point(p) => {
                    let q = to_tile(*p);
                    layer.point(id as u64, [q[0].round() as i32, q[1].round() as i32]);
                }
                Shape::Polygons(polys) => {
                    rings.clear();
                    for poly in polys {
                        for (k, ring) in poly.iter().enumerate() {
                            let exterior = k == 0;
                            let projected: Vec<Xy> = ring.iter().map(|&p| to_tile(p)).collect();
                            let clipped = clip_ring(&projected, -BUFFER, extent + BUFFER);
                            let mut r = simplify_and_round(&clipped, TOLERANCE);
                            let area = doubled_area(&r);
                            // Under a square pixel (as geojson-vt): dropped, and a dropped exterior takes its
                            // holes with it.
                            if r.len() < 3 || (area.unsigned_abs() as f64) < 2.0 * TOLERANCE * TOLERANCE {
                                if exterior {
                                    break;
                                }
                                continue;
                            }
                            // MVT: exteriors positive (clockwise on screen), holes negative.
                            if (area > 0) != exterior {
                                r.reverse();
                            }
                            rings.push(r);
                        }
                    }
                    layer.polygon(id as u64, &rings);
                }
            }
        }
        Some(layer.finish())
    }
}

/// Web Mercator of `lon`, `lat` (degrees) in 0..1, y down; latitudes clamped to the projection's ±85.05°.
fn mercator(lon: f64, lat: f64) -> Xy {
    let lat = lat.clamp(-85.051_128_78, 85.051_128_78).to_radians();
    let y = 0.5 - (lat.tan() + 1.0 / lat.cos()).ln() / (2.0 * std::f64::consts::PI);
    [(lon + 180.0) / 360.0, y]
}

fn bbox(shape: &Shape) -> [f64; 4] {
    let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    let mut add = |p: &Xy| {
        b = [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])];
    };
    match shape {
        Shape::Point(p) => add(p),
        Shape::Polygons(polys) => polys.iter().flatten().flatten().for_each(&mut add),
    }
    b
}

#[cfg(test)]
mod tests;
