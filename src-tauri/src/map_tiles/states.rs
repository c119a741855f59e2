//! The base map's state outlines as vector tiles, cut like the units' (one layer `states`, feature id = the
//! state's place in `sample-data/us-states.geojson`, no properties).
//!
//! Why not a GeoJSON source, as before (BENCHMARKS.md, "Opening on a quiet machine"): MapLibre's one worker
//! took the outlines' 14,839 points in first, indexing them (geojson-vt) before it asked for the units' first
//! tile, and every opening waited for that. Cut here they cost the worker a few small tiles, like the units.

use std::sync::OnceLock;

use geo::{LineString, MultiPolygon, Polygon};
use serde_json::Value;

use super::UnitTiles;

/// The tiles' layer name, which the base map's layers name as `source-layer` (ui/src/map/style.ts).
pub const LAYER: &str = "states";

/// The outlines, shipped inside the app as they are inside the window before (US Census Bureau cartographic
/// boundaries via us-atlas; sample-data/README.md).
const STATES_GEOJSON: &str = include_str!("../../../sample-data/us-states.geojson");

/// The state outlines' tiler, projected at the first call (a few milliseconds), shared by every call after.
pub fn tiles() -> &'static UnitTiles {
    static TILES: OnceLock<UnitTiles> = OnceLock::new();
    TILES.get_or_init(|| {
        let polygons = parse(STATES_GEOJSON);
        // Every state is drawn as a polygon; the positions are only the fallback for a unit without one.
        let zeros = vec![0.0; polygons.len()];
        UnitTiles::project_as(LAYER, &zeros, &zeros, Some(&polygons))
    })
}

/// The polygons of a GeoJSON FeatureCollection's Polygon and MultiPolygon features, in order; a feature of
/// another kind, or malformed, becomes an empty polygon (the file is ours and has none: a test checks).
fn parse(text: &str) -> Vec<MultiPolygon<f64>> {
    let doc: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let features = doc
        .get("features")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    features
        .iter()
        .map(|f| {
            let geometry = f.get("geometry");
            let coordinates = geometry.and_then(|g| g.get("coordinates"));
            match (
                geometry.and_then(|g| g.get("type")).and_then(Value::as_str),
                coordinates,
            ) {
                (Some("Polygon"), Some(c)) => MultiPolygon(polygon(c).into_iter().collect()),
                (Some("MultiPolygon"), Some(Value::Array(ps))) => MultiPolygon(ps.iter().filter_map(polygon).collect()),
                _ => MultiPolygon(Vec::new()),
            }
        })
        .collect()
}

/// A GeoJSON polygon's rings (exterior first) as a polygon; `None` without an exterior of three points.
fn polygon(rings: &Value) -> Option<Polygon<f64>> {
    let mut rings = rings.as_array()?.iter().map(|ring| {
        LineString::from(
            ring.as_array()
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
                .collect::<Vec<_>>(),
        )
    });
    let exterior = rings.next().filter(|r| r.0.len() >= 3)?;
    Some(Polygon::new(exterior, rings.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_of_the_shipped_outlines_is_a_polygon() {
        let polygons = parse(STATES_GEOJSON);
        assert_eq!(polygons.len(), 56, "features of us-states.geojson");
        assert!(polygons.iter().all(|p| !p.0.is_empty()), "a state without a polygon");
        let points: usize = polygons
            .iter()
            .flat_map(|p| &p.0)
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum();
        assert!(points > 10_000, "{points} points");
    }

    #[test]
    fn the_us_wide_tiles_hold_the_states_and_the_tiles_elsewhere_none() {
        let tiles = tiles();
        assert_eq!(tiles.len(), 56);
        // Zoom 2: the contiguous US is in tiles 0/1 and 1/1 (x 0..2, y 1); the Indian Ocean's 3/2 holds nothing.
        let us = tiles.tile(2, 0, 1).expect("a tile");
        let empty = tiles.tile(2, 3, 2).expect("a tile");
        assert!(us.len() > 1_000, "{} bytes", us.len());
        assert!(
            us.windows(LAYER.len()).any(|w| w == LAYER.as_bytes()),
            "the layer is named {LAYER}"
        );
        assert!(empty.len() < 100, "{} bytes for an empty tile", empty.len());
        assert!(tiles.tile(2, 4, 0).is_none(), "x outside the zoom");
    }

    #[test]
    fn a_malformed_feature_becomes_an_empty_polygon_not_a_panic() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]}},
            {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0]]]}},
            {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#;
        let polygons = parse(text);
        assert_eq!(polygons.iter().map(|p| p.0.len()).collect::<Vec<_>>(), vec![0, 0, 1]);
        assert!(parse("not json").is_empty());
    }
}
