//! GeoJSON of the units: polygons (or points) with id, territory and measures as properties.

use geo::{LineString, MultiPolygon};
use tessera_optimizer::Plan;

use crate::outline::writable_outline;
use crate::Dataset;

/// A GeoJSON FeatureCollection of `dataset`'s units: each feature has the unit id as `id`, a MultiPolygon
/// (or a Point when the dataset has no polygons, or the unit no valid outline: only what
/// [`writable_outline`] keeps is written, so every geometry is valid), and properties `id`, `territory` (from `plan`, or `null`)
/// and one numeric property per measure under its original name. A measure named `id` or `territory` is
/// left out of the properties, since those two keys belong to Tessera. Non-finite values become `null`.
///
/// Written straight into a string rather than through `serde_json::Value`: the map loads this for every
/// unit, and building a value tree first made 30,000 units take most of a second.
///
/// # Panics
/// If `plan` does not have one entry per unit (a caller bug).
pub fn plan_geojson(dataset: &Dataset, plan: Option<&Plan>) -> String {
    let units = &dataset.units;
    if let Some(p) = plan {
        assert_eq!(p.territory_of().len(), units.len(), "plan covers every unit");
    }
    let mut out = String::with_capacity(units.len() * 160);
    out.push_str(r#"{"type":"FeatureCollection","features":["#);
    for i in 0..units.len() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(r#"{"type":"Feature","id":"#);
        string(&mut out, &units.ids()[i]);
        out.push_str(r#","geometry":"#);
        // Only valid outlines are written; a unit without one (collapsed to a line) is its point.
        let outline = dataset.polygons.as_ref().map(|polys| writable_outline(&polys[i]));
        match outline.as_deref() {
            Some(mp) if !mp.0.is_empty() => multipolygon(&mut out, mp),
            _ => {
                out.push_str(r#"{"type":"Point","coordinates":["#);
                number(&mut out, units.lon()[i]);
                out.push(',');
                number(&mut out, units.lat()[i]);
                out.push_str("]}");
            }
        }
        out.push_str(r#","properties":{"id":"#);
        string(&mut out, &units.ids()[i]);
        out.push_str(r#","territory":"#);
        match plan {
            Some(p) => string(&mut out, &p.names()[p.territory_of()[i] as usize]),
            None => out.push_str("null"),
        }
        for m in units.measures() {
            if m.name != "id" && m.name != "territory" {
                out.push(',');
                string(&mut out, &m.name);
                out.push(':');
                number(&mut out, m.values[i]);
            }
        }
        out.push_str("}}");
    }
    out.push_str("]}");
    out
}

/// A JSON string literal, escaped by serde_json.
fn string(out: &mut String, s: &str) {
    out.push_str(&serde_json::Value::from(s).to_string());
}

/// A JSON number in its shortest round-trip form, or `null` for NaN and infinities (JSON has none).
fn number(out: &mut String, v: f64) {
    match serde_json::Number::from_f64(v) {
        Some(n) => out.push_str(&n.to_string()),
        None => out.push_str("null"),
    }
}

fn ring(out: &mut String, r: &LineString<f64>) {
    out.push('[');
    for (k, c) in r.0.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push('[');
        number(out, c.x);
        out.push(',');
        number(out, c.y);
        out.push(']');
    }
    out.push(']');
}

/// The territories of `plan` as a GeoJSON FeatureCollection of their dissolved outlines (see
/// [`super::territory_shapes`]): one MultiPolygon feature per territory with units, with properties `territory`
/// (its name) and `units` (how many). For the map's overlay of another team's territories.
///
/// # Panics
/// If `plan` does not have one entry per unit (a caller bug).
pub fn territory_outlines_geojson(dataset: &Dataset, plan: &Plan) -> String {
    let shapes = super::territory_shapes(dataset, plan);
    let mut count = vec![0usize; plan.names().len()];
    for &t in plan.territory_of() {
        count[t as usize] += 1;
    }
    let mut out = String::from(r#"{"type":"FeatureCollection","features":["#);
    let mut first = true;
    for (t, shape) in shapes.shapes.iter().enumerate() {
        if shape.0.is_empty() {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(r#"{"type":"Feature","geometry":"#);
        multipolygon(&mut out, shape);
        out.push_str(r#","properties":"#);
        out.push_str(&serde_json::json!({"territory": plan.names()[t], "units": count[t]}).to_string());
        out.push('}');
    }
    out.push_str("]}");
    out
}

pub(super) fn multipolygon(out: &mut String, mp: &MultiPolygon<f64>) {
    out.push_str(r#"{"type":"MultiPolygon","coordinates":["#);
    for (k, p) in mp.0.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push('[');
        for (j, r) in std::iter::once(p.exterior()).chain(p.interiors()).enumerate() {
            if j > 0 {
                out.push(',');
            }
            ring(out, r);
        }
        out.push(']');
    }
    out.push_str("]}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AdjacencySource;
    use geo::polygon;
    use tessera_optimizer::{Adjacency, Measure, Units};

    #[test]
    fn writes_valid_geojson_with_escaped_strings_and_null_for_nan() {
        let units = Units::new(
            vec!["a\"b".into(), "c".into()],
            vec![1.5, -2.0],
            vec![3.0, 1e-300],
            vec![
                Measure {
                    name: "w\n".into(),
                    values: vec![1.0, f64::NAN],
                },
                Measure {
                    name: "id".into(),
                    values: vec![7.0, 8.0],
                },
            ],
        )
        .expect("units");
        let mut ds = Dataset {
            units,
            adjacency: Adjacency::from_edges(2, &[]),
            adjacency_source: AdjacencySource::File,
            bridged: vec![],
            polygons: None,
            reps: vec![],
            current: None,
        };
        let v: serde_json::Value = serde_json::from_str(&plan_geojson(&ds, None)).expect("valid JSON");
        assert_eq!(v["features"][0]["id"], "a\"b");
        assert_eq!(
            v["features"][0]["geometry"]["coordinates"],
            serde_json::json!([1.5, 3.0])
        );
        assert_eq!(v["features"][1]["geometry"]["coordinates"][1], 1e-300);
        assert_eq!(v["features"][0]["properties"]["w\n"], 1.0);
        assert!(v["features"][1]["properties"]["w\n"].is_null());
        assert_eq!(v["features"][1]["properties"]["id"], "c");
        assert!(v["features"][1]["properties"]["territory"].is_null());

        let square = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 2.0)],
            interiors: [[(x: 0.5, y: 0.5), (x: 1.0, y: 0.5), (x: 1.0, y: 1.0)]],
        );
        let beside = polygon![(x: 3.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 1.0), (x: 3.0, y: 0.0)];
        ds.polygons = Some(vec![
            MultiPolygon(vec![square.clone()]),
            MultiPolygon(vec![square, beside]),
        ]);
        let plan = Plan::new(vec![1, 0], vec!["N".into(), "S".into()]);
        let v: serde_json::Value = serde_json::from_str(&plan_geojson(&ds, Some(&plan))).expect("valid JSON");
        let g = &v["features"][1]["geometry"];
        assert_eq!(g["type"], "MultiPolygon");
        assert_eq!(g["coordinates"].as_array().expect("parts").len(), 2);
        assert_eq!(
            g["coordinates"][0][1],
            serde_json::json!([[0.5, 0.5], [1.0, 0.5], [1.0, 1.0], [0.5, 0.5]])
        );
        assert_eq!(v["features"][0]["properties"]["territory"], "S");
    }

    #[test]
    fn an_invalid_outline_is_never_written() {
        // An old workbook may hold county 51610 as the 3-point ring the importer once made of its line.
        let units = Units::new(vec!["51610".into()], vec![-77.16], vec![38.88], vec![]).expect("units");
        let ring = polygon![(x: -77.17191, y: 38.89299), (x: -77.15037, y: 38.87581), (x: -77.17191, y: 38.89299)];
        let ds = Dataset {
            units,
            adjacency: Adjacency::from_edges(1, &[]),
            adjacency_source: AdjacencySource::File,
            bridged: vec![],
            polygons: Some(vec![MultiPolygon(vec![ring])]),
            reps: vec![],
            current: None,
        };
        let v: serde_json::Value = serde_json::from_str(&plan_geojson(&ds, None)).expect("valid JSON");
        let g = &v["features"][0]["geometry"];
        assert_eq!(g["type"], "Point", "the unit is written as its point: {g}");
        assert_eq!(g["coordinates"], serde_json::json!([-77.16, 38.88]));
    }
}
