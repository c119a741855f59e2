//! GeoJSON of the units: polygons (or points) with id, territory and measures as properties.

use geo::{LineString, MultiPolygon};
use serde_json::{json, Map, Value};
use tessera_optimizer::Plan;

use crate::Dataset;

/// A GeoJSON FeatureCollection of `dataset`'s units: each feature has the unit id as `id`, a MultiPolygon
/// (or a Point when the dataset has no polygons), and properties `id`, `territory` (from `plan`, or `null`)
/// and one numeric property per measure under its original name. A measure named `id` or `territory` is
/// left out of the properties, since those two keys belong to Tessera.
///
/// # Panics
/// If `plan` does not have one entry per unit (a caller bug).
pub fn plan_geojson(dataset: &Dataset, plan: Option<&Plan>) -> String {
    let units = &dataset.units;
    if let Some(p) = plan {
        assert_eq!(p.territory_of().len(), units.len(), "plan covers every unit");
    }
    let features: Vec<Value> = (0..units.len())
        .map(|i| {
            let geometry = match &dataset.polygons {
                Some(polys) => multipolygon(&polys[i]),
                None => json!({ "type": "Point", "coordinates": [units.lon()[i], units.lat()[i]] }),
            };
            let mut props = Map::new();
            props.insert("id".into(), Value::String(units.ids()[i].clone()));
            props.insert(
                "territory".into(),
                plan.map_or(Value::Null, |p| {
                    Value::String(p.names()[p.territory_of()[i] as usize].clone())
                }),
            );
            for m in units.measures() {
                if m.name != "id" && m.name != "territory" {
                    // Non-finite numbers have no JSON form; null says "no value".
                    props.insert(
                        m.name.clone(),
                        serde_json::Number::from_f64(m.values[i]).map_or(Value::Null, Value::Number),
                    );
                }
            }
            json!({ "type": "Feature", "id": units.ids()[i], "geometry": geometry, "properties": props })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features }).to_string()
}

fn ring(r: &LineString<f64>) -> Value {
    Value::Array(r.0.iter().map(|c| json!([c.x, c.y])).collect())
}

fn multipolygon(mp: &MultiPolygon<f64>) -> Value {
    let polys: Vec<Value> =
        mp.0.iter()
            .map(|p| Value::Array(std::iter::once(p.exterior()).chain(p.interiors()).map(ring).collect()))
            .collect();
    json!({ "type": "MultiPolygon", "coordinates": polys })
}
