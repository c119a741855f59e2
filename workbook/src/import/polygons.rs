//! The polygons GeoJSON: a FeatureCollection of Polygon/MultiPolygon features, one per unit, matched by `id`.

use std::path::Path;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde::Deserialize;
use serde_json::Value;
use tessera_optimizer::Units;

use crate::error::ImportError;
use crate::import::table::read_bytes;
use crate::import::{unknown_id_hint, Warning};

#[derive(Deserialize)]
struct Collection {
    #[serde(rename = "type")]
    kind: Option<String>,
    features: Option<Vec<Feature>>,
}

#[derive(Deserialize)]
struct Feature {
    id: Option<Value>,
    properties: Option<serde_json::Map<String, Value>>,
    geometry: Option<Geometry>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: String,
    coordinates: Option<Value>,
}

/// Reads a polygons GeoJSON file. See [`parse_polygons`].
///
/// # Errors
/// [`ImportError::NotFound`] or [`ImportError::Io`], then as [`parse_polygons`].
pub fn read_polygons(path: &Path, units: &Units) -> Result<(Vec<MultiPolygon<f64>>, Vec<Warning>), ImportError> {
    let bytes = read_bytes(path)?;
    parse_polygons(path, &bytes, units)
}

/// A feature's id as text: the `id` property (any case), else the feature's own `id`. A whole number is
/// written without a fraction (`13001`, not `13001.0`), so it matches an id column read as text; leading zeros
/// a number cannot carry (ZIP 01234) must come as strings.
fn feature_id(f: &Feature) -> Option<String> {
    let prop = f
        .properties
        .as_ref()
        .and_then(|p| p.iter().find(|(k, _)| k.eq_ignore_ascii_case("id")).map(|(_, v)| v));
    match prop.or(f.id.as_ref())? {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Some(i.to_string()),
            (_, Some(u), _) => Some(u.to_string()),
            (_, _, Some(x)) if x.fract() == 0.0 && x.abs() < 1e15 => Some(format!("{x:.0}")),
            (_, _, Some(x)) => Some(x.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn ring(v: &Value) -> Result<LineString<f64>, String> {
    let line = positions(v)?;
    if line.0.len() < 3 {
        return Err(format!(
            "a ring needs at least 3 positions, this one has {}",
            line.0.len()
        ));
    }
    Ok(line)
}

fn positions(v: &Value) -> Result<LineString<f64>, String> {
    let positions = v.as_array().ok_or("a ring must be an array of positions")?;
    let mut coords = Vec::with_capacity(positions.len());
    for p in positions {
        let xy = p.as_array().ok_or("a position must be an array of numbers")?;
        let (Some(x), Some(y)) = (xy.first().and_then(Value::as_f64), xy.get(1).and_then(Value::as_f64)) else {
            return Err("a position must hold at least two numbers".to_string());
        };
        // Projected coordinates (metres, as in EPSG:3857 exports) would silently break distances and islands.
        if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
            return Err(format!(
                "position ({x}, {y}) is not a (longitude, latitude) in degrees; export the polygons in WGS 84 \
                 (EPSG:4326)"
            ));
        }
        coords.push(Coord { x, y });
    }
    Ok(LineString::new(coords))
}

fn polygon(v: &Value) -> Result<Polygon<f64>, String> {
    let rings = v.as_array().ok_or("Polygon coordinates must be an array of rings")?;
    let (exterior, holes) = rings.split_first().ok_or("a Polygon needs at least one ring")?;
    let holes = holes.iter().map(ring).collect::<Result<Vec<_>, _>>()?;
    Ok(Polygon::new(ring(exterior)?, holes))
}

/// A line as a zero-area polygon (out along the line and back), so its contacts still count for adjacency.
fn collapsed(v: &Value) -> Result<Polygon<f64>, String> {
    let line = positions(v)?;
    if line.0.len() < 2 {
        return Err("a LineString needs at least 2 positions".to_string());
    }
    let back = line.0.iter().rev().skip(1).copied();
    let ring: Vec<Coord<f64>> = line.0.iter().copied().chain(back).collect();
    Ok(Polygon::new(LineString::new(ring), vec![]))
}

/// The geometry as a multipolygon, and whether it was a line collapsed from a polygon.
fn geometry(g: &Geometry) -> Result<(MultiPolygon<f64>, bool), String> {
    let coords = g.coordinates.as_ref().ok_or("the geometry has no coordinates")?;
    let parts = |what: &str| coords.as_array().ok_or(format!("{what} coordinates must be an array"));
    match g.kind.as_str() {
        "Polygon" => Ok((MultiPolygon::new(vec![polygon(coords)?]), false)),
        "MultiPolygon" => Ok((
            MultiPolygon::new(parts("MultiPolygon")?.iter().map(polygon).collect::<Result<_, _>>()?),
            false,
        )),
        // Generalised boundaries (us-atlas 1:10m) collapse a tiny unit such as Falls Church, VA to a line.
        "LineString" => Ok((MultiPolygon::new(vec![collapsed(coords)?]), true)),
        "MultiLineString" => Ok((
            MultiPolygon::new(
                parts("MultiLineString")?
                    .iter()
                    .map(collapsed)
                    .collect::<Result<_, _>>()?,
            ),
            true,
        )),
        other => Err(format!("geometry type {other:?} is not Polygon or MultiPolygon")),
    }
}

/// Parses the bytes of a GeoJSON file named `path` into one multipolygon per unit, in unit order.
///
/// The file must be a FeatureCollection; each feature carries an `id` property (string or number; the
/// feature's own `id` is used when the property is absent) naming a unit, and a Polygon or MultiPolygon
/// geometry in the units' (lon, lat) coordinates. Every unit must have exactly one feature. A LineString or
/// MultiLineString (a unit that boundary generalisation collapsed to a line) is kept as a zero-area polygon,
/// with a warning, so its contacts still make it a neighbour; any other geometry is refused.
///
/// # Errors
/// [`ImportError::Empty`], [`ImportError::InvalidJson`] (with serde_json's line and column),
/// [`ImportError::InvalidGeoJson`] (not a FeatureCollection, a feature without id or with another geometry),
/// [`ImportError::UnknownPolygonId`], [`ImportError::DuplicatePolygonId`], [`ImportError::MissingPolygon`].
pub fn parse_polygons(
    path: &Path,
    bytes: &[u8],
    units: &Units,
) -> Result<(Vec<MultiPolygon<f64>>, Vec<Warning>), ImportError> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
            header_only: false,
        });
    }
    let fc: Collection = serde_json::from_slice(bytes).map_err(|e| ImportError::InvalidJson {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let invalid = |where_: String, rule: String| ImportError::InvalidGeoJson {
        path: path.to_path_buf(),
        where_,
        rule,
    };
    let features = match (fc.kind.as_deref(), fc.features) {
        (Some("FeatureCollection"), Some(f)) => f,
        (kind, _) => {
            return Err(invalid(
                "the top level".to_string(),
                format!("expected a FeatureCollection with a \"features\" array, found type {kind:?}"),
            ))
        }
    };
    let mut slot: Vec<Option<(usize, MultiPolygon<f64>)>> = vec![None; units.len()];
    let mut warnings = Vec::new();
    for (k, f) in features.iter().enumerate() {
        let number = k + 1;
        let id = feature_id(f)
            .ok_or_else(|| invalid(format!("feature {number}"), "it has no \"id\" property".to_string()))?;
        let i = units.index_of(&id).ok_or_else(|| ImportError::UnknownPolygonId {
            path: path.to_path_buf(),
            feature: number,
            hint: unknown_id_hint(units, &id),
            id: id.clone(),
        })?;
        if let Some((first, _)) = &slot[i] {
            return Err(ImportError::DuplicatePolygonId {
                path: path.to_path_buf(),
                id,
                first: *first,
                second: number,
            });
        }
        let g = f.geometry.as_ref().ok_or_else(|| {
            invalid(
                format!("feature {number} (id {id:?})"),
                "its geometry is null".to_string(),
            )
        })?;
        let (mp, was_line) = geometry(g).map_err(|rule| invalid(format!("feature {number} (id {id:?})"), rule))?;
        if was_line {
            warnings.push(Warning::file(
                path,
                format!(
                    "feature {number} (id {id:?}) is a {}, not a polygon; it was kept as a zero-area shape so that \
                     the units it touches are still its neighbours",
                    g.kind
                ),
            ));
        }
        slot[i] = Some((number, mp));
    }
    let missing = slot.iter().filter(|s| s.is_none()).count();
    if let Some(i) = slot.iter().position(Option::is_none) {
        return Err(ImportError::MissingPolygon {
            path: path.to_path_buf(),
            id: units.ids()[i].clone(),
            missing,
        });
    }
    Ok((slot.into_iter().flatten().map(|(_, mp)| mp).collect(), warnings))
}
