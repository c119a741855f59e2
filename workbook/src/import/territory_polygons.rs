//! A scenario from the planner's existing territory polygons (GeoJSON, or a Shapefile: the .shp with its .dbf):
//! each unit goes to the territory whose polygon holds its point. Units outside every polygon (a coastal ZIP
//! point in the sea of a generalised outline, a unit in an area no territory claims) are listed, and given to the
//! nearest polygon's territory, so the plan covers every unit and the planner sees exactly which units that rule
//! placed.

use std::path::Path;

use geo::{BoundingRect, Contains, Coord, Distance, Euclidean, LineString, MultiPolygon, Point, Polygon, Rect};
use serde_json::Value;
use tessera_optimizer::{Plan, Units};

use crate::error::ImportError;
use crate::import::table::read_bytes;

/// A unit outside every territory polygon, and where it went.
#[derive(Debug, Clone, PartialEq)]
pub struct Outside {
    /// Unit index.
    pub unit: usize,
    /// The nearest territory, which it was given to.
    pub nearest: String,
    /// Distance to that polygon, in degrees (planar; for ranking and a rough figure).
    pub distance_deg: f64,
}

/// The plan of `units` by the territory polygons of the file at `path`: a Shapefile when its name ends in
/// `.shp` (the territory named by the .dbf field `property`), else GeoJSON (the territory named by each feature's
/// property `property` or, where it lacks one, its `id`). Features naming the same territory join.
///
/// # Errors
/// [`ImportError::InvalidJson`] (line, column), [`ImportError::InvalidGeoJson`] naming the feature and the
/// rule (not a FeatureCollection, a feature without a Polygon/MultiPolygon or without a territory name, no
/// polygon at all), [`ImportError::InvalidShapefile`] likewise naming the record, file errors.
pub fn plan_from_territory_polygons(
    path: &Path,
    units: &Units,
    property: &str,
) -> Result<(Plan, Vec<Outside>), ImportError> {
    let is_shapefile = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("shp"));
    let named = if is_shapefile {
        shapefile_territories(path, property)?
    } else {
        geojson_territories(path, property)?
    };
    Ok(assign(units, named))
}

/// Territory names, and each polygon with its territory (an index into the names) and bounding box.
type Territories = (Vec<String>, Vec<(u32, MultiPolygon<f64>, Rect<f64>)>);

/// Adds one polygon of territory `name` (a new name, or one seen before).
fn add(named: &mut Territories, name: String, mp: MultiPolygon<f64>) {
    let Some(rect) = mp.bounding_rect() else { return };
    let (names, shapes) = named;
    let t = match names.iter().position(|n| *n == name) {
        Some(t) => t,
        None => {
            names.push(name);
            names.len() - 1
        }
    } as u32;
    shapes.push((t, mp, rect));
}

/// The territories of a Shapefile: every record a Polygon, named by its .dbf field `field` (text or number).
fn shapefile_territories(path: &Path, field: &str) -> Result<Territories, ImportError> {
    if !path.exists() {
        return Err(ImportError::NotFound {
            path: path.to_path_buf(),
        });
    }
    let bad = |where_: String, rule: String| ImportError::InvalidShapefile {
        path: path.to_path_buf(),
        where_,
        rule,
    };
    let records = shapefile::read_as::<_, shapefile::Polygon, shapefile::dbase::Record>(path).map_err(|e| {
        bad(
            "the file".into(),
            format!("cannot read it as a polygon Shapefile with its .dbf ({e})"),
        )
    })?;
    let mut named: Territories = (Vec::new(), Vec::new());
    for (k, (polygon, record)) in records.into_iter().enumerate() {
        let at = || format!("record {}", k + 1);
        use shapefile::dbase::FieldValue as F;
        let name = match record.get(field) {
            Some(F::Character(Some(s)) | F::Memo(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(F::Numeric(Some(x)) | F::Double(x) | F::Currency(x)) => number_name(*x),
            Some(F::Float(Some(x))) => number_name(f64::from(*x)),
            Some(F::Integer(i)) => i.to_string(),
            None => {
                return Err(bad(
                    at(),
                    format!("no territory name: the .dbf has no field {field:?} (choose one with --property)"),
                ))
            }
            Some(_) => {
                return Err(bad(
                    at(),
                    format!("no territory name: field {field:?} is empty or not text"),
                ))
            }
        };
        let mp =
            MultiPolygon::<f64>::try_from(polygon).map_err(|e| bad(at(), format!("the polygon is not valid: {e}")))?;
        add(&mut named, name, mp);
    }
    if named.1.is_empty() {
        return Err(bad("the file".into(), "no territory polygon in the file".into()));
    }
    Ok(named)
}

/// A numeric name as a planner typed it: 12 for 12.0.
fn number_name(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

/// The territories of a GeoJSON FeatureCollection.
fn geojson_territories(path: &Path, property: &str) -> Result<Territories, ImportError> {
    let bytes = read_bytes(path)?;
    let doc: Value = serde_json::from_slice(&bytes).map_err(|e| ImportError::InvalidJson {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let bad = |where_: String, rule: &str| ImportError::InvalidGeoJson {
        path: path.to_path_buf(),
        where_,
        rule: rule.to_string(),
    };
    let features = doc
        .get("features")
        .and_then(Value::as_array)
        .filter(|_| doc.get("type").and_then(Value::as_str) == Some("FeatureCollection"))
        .ok_or_else(|| {
            bad(
                "the top level".into(),
                "expected a FeatureCollection with a features list",
            )
        })?;
    let mut named: Territories = (Vec::new(), Vec::new());
    for (k, f) in features.iter().enumerate() {
        let at = || format!("feature {k}");
        let name = f
            .get("properties")
            .and_then(|p| p.get(property))
            .or_else(|| f.get("id"))
            .and_then(|v| match v {
                Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .ok_or_else(|| {
                bad(
                    at(),
                    &format!("no territory name: give each feature a {property:?} property"),
                )
            })?;
        let mp =
            geometry(f.get("geometry")).ok_or_else(|| bad(at(), "the geometry must be a Polygon or MultiPolygon"))?;
        add(&mut named, name, mp);
    }
    if named.1.is_empty() {
        return Err(bad("the top level".into(), "no territory polygon in the file"));
    }
    Ok(named)
}

/// Each unit to the territory whose polygon holds its point; the others to the nearest polygon, listed.
fn assign(units: &Units, (names, shapes): Territories) -> (Plan, Vec<Outside>) {
    let mut territory_of = Vec::with_capacity(units.len());
    let mut outside = Vec::new();
    for i in 0..units.len() {
        let p = Point::new(units.lon()[i], units.lat()[i]);
        let c = p.0;
        let inside = shapes.iter().find(|(_, mp, r)| within(r, c) && mp.contains(&p));
        match inside {
            Some((t, _, _)) => territory_of.push(*t),
            None => {
                let (t, d) = shapes
                    .iter()
                    .map(|(t, mp, _)| (*t, Euclidean.distance(&p, mp)))
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .unwrap_or((0, f64::INFINITY));
                territory_of.push(t);
                outside.push(Outside {
                    unit: i,
                    nearest: names[t as usize].clone(),
                    distance_deg: d,
                });
            }
        }
    }
    (Plan::new(territory_of, names), outside)
}

fn within(r: &Rect<f64>, c: Coord<f64>) -> bool {
    c.x >= r.min().x && c.x <= r.max().x && c.y >= r.min().y && c.y <= r.max().y
}

fn ring(v: &Value) -> Option<LineString<f64>> {
    v.as_array()?
        .iter()
        .map(|c| {
            Some(Coord {
                x: c.get(0)?.as_f64()?,
                y: c.get(1)?.as_f64()?,
            })
        })
        .collect::<Option<Vec<_>>>()
        .map(LineString::new)
}

fn polygon(v: &Value) -> Option<Polygon<f64>> {
    let rings = v.as_array()?;
    let exterior = ring(rings.first()?)?;
    let interiors = rings[1..].iter().map(ring).collect::<Option<Vec<_>>>()?;
    Some(Polygon::new(exterior, interiors))
}

fn geometry(g: Option<&Value>) -> Option<MultiPolygon<f64>> {
    let g = g?;
    let coords = g.get("coordinates")?;
    match g.get("type")?.as_str()? {
        "Polygon" => Some(MultiPolygon::new(vec![polygon(coords)?])),
        "MultiPolygon" => coords
            .as_array()?
            .iter()
            .map(polygon)
            .collect::<Option<Vec<_>>>()
            .map(MultiPolygon::new),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_go_where_their_point_falls_and_the_rest_are_listed() {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("t.geojson");
        std::fs::write(
            &path,
            r#"{"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"territory":"West"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
              {"type":"Feature","properties":{"territory":"East"},"geometry":{"type":"MultiPolygon","coordinates":[[[[1,0],[2,0],[2,1],[1,1],[1,0]]]]}}]}"#,
        )
        .expect("write");
        let units = Units::new(
            ["a", "b", "sea"].map(String::from).to_vec(),
            vec![0.5, 1.5, 2.4],
            vec![0.5, 0.5, 0.5],
            vec![],
        )
        .expect("units");
        let (plan, outside) = plan_from_territory_polygons(&path, &units, "territory").expect("plan");
        assert_eq!(plan.names(), ["West", "East"]);
        assert_eq!(plan.territory_of(), [0, 1, 1]);
        assert_eq!(outside.len(), 1);
        assert_eq!((outside[0].unit, outside[0].nearest.as_str()), (2, "East"));
        assert!((outside[0].distance_deg - 0.4).abs() < 1e-12);

        std::fs::write(
            &path,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}"#,
        )
        .expect("write");
        let err = plan_from_territory_polygons(&path, &units, "territory").expect_err("no name");
        assert!(
            err.to_string().contains("feature 0") && err.to_string().contains("territory"),
            "{err}"
        );
        std::fs::write(&path, "{\"type\":").expect("write");
        let err = plan_from_territory_polygons(&path, &units, "territory").expect_err("bad json");
        assert!(err.to_string().contains("line 1"), "{err}");
    }
}
