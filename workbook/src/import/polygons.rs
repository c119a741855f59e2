//! The polygons GeoJSON: a FeatureCollection of Polygon/MultiPolygon features, one per unit, matched by `id`.

use std::path::Path;

use geo::{Coord, LineString, MultiPolygon, Polygon, Validation};
use serde::Deserialize;
use serde_json::Value;
use tessera_optimizer::Units;

use crate::error::ImportError;
use crate::import::table::read_bytes;
use crate::import::{unknown_id_hint, Warning};
use crate::outline::writable_outline;

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

/// [`read_polygons`], keeping the contacts of line geometries for adjacency.
pub(crate) fn read_polygons_and_contacts(
    path: &Path,
    units: &Units,
) -> Result<(PolygonsRead, Vec<Warning>), ImportError> {
    let bytes = read_bytes(path)?;
    parse_polygons_and_contacts(path, &bytes, units)
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

/// A line as a zero-area polygon (out along the line and back). Never a unit's outline (it is no valid
/// geometry), only its contacts: a unit that generalisation collapsed to a line still touches its neighbours.
fn collapsed(line: &LineString<f64>) -> Polygon<f64> {
    let back = line.0.iter().rev().skip(1).copied();
    let ring: Vec<Coord<f64>> = line.0.iter().copied().chain(back).collect();
    Polygon::new(LineString::new(ring), vec![])
}

/// A line read from a LineString or MultiLineString: its positions (at least 2).
fn line(v: &Value) -> Result<LineString<f64>, String> {
    let line = positions(v)?;
    if line.0.len() < 2 {
        return Err("a LineString needs at least 2 positions".to_string());
    }
    Ok(line)
}

/// The polygon a closed line encloses, when it is a valid one (by geo's [`Validation`]): a boundary exported
/// as a line rather than as a ring. An open line, or a closed one that crosses itself or encloses nothing, has
/// no outline that can be trusted.
fn rebuilt(line: &LineString<f64>) -> Option<Polygon<f64>> {
    let closed = line.0.len() >= 4 && line.0.first() == line.0.last();
    let polygon = Polygon::new(line.clone(), vec![]);
    (closed && polygon.is_valid()).then_some(polygon)
}

/// A feature's geometry as read: its outline, and for line geometries what became of the lines.
struct Shape {
    /// The outline: every part a valid polygon (an empty multipolygon when nothing of it is).
    outline: MultiPolygon<f64>,
    /// For a LineString or MultiLineString: every line, as zero-area polygons for adjacency only.
    contacts: Option<MultiPolygon<f64>>,
    /// Lines rebuilt into polygons, and lines dropped.
    rebuilt: usize,
    dropped: usize,
}

/// The geometry as a [`Shape`].
fn geometry(g: &Geometry) -> Result<Shape, String> {
    let coords = g.coordinates.as_ref().ok_or("the geometry has no coordinates")?;
    let parts = |what: &str| coords.as_array().ok_or(format!("{what} coordinates must be an array"));
    let area = |outline| Shape {
        outline,
        contacts: None,
        rebuilt: 0,
        dropped: 0,
    };
    let lines = match g.kind.as_str() {
        "Polygon" => return Ok(area(MultiPolygon::new(vec![polygon(coords)?]))),
        "MultiPolygon" => {
            return Ok(area(MultiPolygon::new(
                parts("MultiPolygon")?.iter().map(polygon).collect::<Result<_, _>>()?,
            )))
        }
        // Generalised boundaries (us-atlas 1:10m) collapse a tiny unit such as Falls Church, VA to a line.
        "LineString" => vec![line(coords)?],
        "MultiLineString" => parts("MultiLineString")?.iter().map(line).collect::<Result<_, _>>()?,
        other => return Err(format!("geometry type {other:?} is not Polygon or MultiPolygon")),
    };
    let outline: Vec<Polygon<f64>> = lines.iter().filter_map(rebuilt).collect();
    Ok(Shape {
        rebuilt: outline.len(),
        dropped: lines.len() - outline.len(),
        outline: MultiPolygon::new(outline),
        contacts: Some(MultiPolygon::new(lines.iter().map(collapsed).collect())),
    })
}

/// Parses the bytes of a GeoJSON file named `path` into one multipolygon per unit, in unit order.
///
/// The file must be a FeatureCollection; each feature carries an `id` property (string or number; the
/// feature's own `id` is used when the property is absent) naming a unit, and a Polygon or MultiPolygon
/// geometry in the units' (lon, lat) coordinates. Every unit must have exactly one feature. A LineString or
/// MultiLineString (a unit that boundary generalisation collapsed to a line) never becomes an invalid outline:
/// a closed line that encloses a valid polygon is rebuilt into it, any other line is dropped (the unit then
/// has an empty outline and shows as its point), each with a warning naming the feature and its id. Any other
/// geometry is refused. A polygon that breaks geo's validity rules (a ring crossing itself, a hole outside its
/// shell, overlapping parts) keeps only its valid part as the outline (see
/// [`writable_outline`](crate::outline::writable_outline)), with a warning naming it and the rule broken.
///
/// [`import_dataset`](super::import_dataset) still derives adjacency from a dropped line's contacts, so the
/// collapsed unit stays its neighbours' neighbour.
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
    parse_polygons_and_contacts(path, bytes, units).map(|(p, w)| (p.outlines, w))
}

/// One outline per unit, and what adjacency should see where it differs from the outline.
pub(crate) struct PolygonsRead {
    /// One valid multipolygon per unit, in unit order (empty for a unit whose line was dropped).
    pub outlines: Vec<MultiPolygon<f64>>,
    /// Units whose outline is not all their feature drew (a line geometry, an invalid polygon): the whole
    /// drawing (lines as zero-area shapes), for adjacency and island bridging.
    pub contacts: Vec<(usize, MultiPolygon<f64>)>,
}

impl PolygonsRead {
    /// The shapes adjacency is derived from: the outlines, with the whole drawing in place of an outline that
    /// is less than it.
    pub fn for_adjacency(&self) -> Vec<MultiPolygon<f64>> {
        let mut shapes = self.outlines.clone();
        for (i, contact) in &self.contacts {
            shapes[*i] = contact.clone();
        }
        shapes
    }
}

/// [`parse_polygons`], keeping the contacts of line geometries for adjacency.
pub(crate) fn parse_polygons_and_contacts(
    path: &Path,
    bytes: &[u8],
    units: &Units,
) -> Result<(PolygonsRead, Vec<Warning>), ImportError> {
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
    let mut contacts = Vec::new();
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
        let mut shape = geometry(g).map_err(|rule| invalid(format!("feature {number} (id {id:?})"), rule))?;
        if shape.contacts.is_none() {
            if let Err(problem) = shape.outline.check_validation() {
                // A self-crossing ring, a hole outside its shell, overlapping parts: a GIS would refuse or
                // silently repair the outline, so only its valid part is kept; adjacency still sees all of it.
                let kept = writable_outline(&shape.outline).into_owned();
                let what = if kept.0.is_empty() {
                    "it was dropped: the unit shows as its point, with no outline"
                } else {
                    "only its valid part was kept as the outline"
                };
                warnings.push(Warning::file(
                    path,
                    format!(
                        "feature {number} (id {id:?}) is not a valid polygon ({problem}); {what}, and its whole \
                         shape still counts for adjacency"
                    ),
                ));
                contacts.push((i, std::mem::replace(&mut shape.outline, kept)));
            }
        }
        if let Some(contact) = shape.contacts {
            let what = match (shape.rebuilt, shape.dropped) {
                (_, 0) => "its closed line was rebuilt into the polygon it encloses".to_string(),
                (0, _) => "it encloses no valid polygon and was dropped: the unit shows as its point, with no \
                           outline, and the units its line touches are still its neighbours"
                    .to_string(),
                (r, d) => format!(
                    "{r} closed line(s) were rebuilt into polygons and {d} line(s) enclosing no valid polygon \
                     were dropped (the units they touch are still its neighbours)"
                ),
            };
            warnings.push(Warning::file(
                path,
                format!("feature {number} (id {id:?}) is a {}, not a polygon; {what}", g.kind),
            ));
            contacts.push((i, contact));
        }
        slot[i] = Some((number, shape.outline));
    }
    let missing = slot.iter().filter(|s| s.is_none()).count();
    if let Some(i) = slot.iter().position(Option::is_none) {
        return Err(ImportError::MissingPolygon {
            path: path.to_path_buf(),
            id: units.ids()[i].clone(),
            missing,
        });
    }
    let outlines = slot.into_iter().flatten().map(|(_, mp)| mp).collect();
    Ok((PolygonsRead { outlines, contacts }, warnings))
}
