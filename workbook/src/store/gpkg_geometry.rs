//! GeoPackage binary geometry: the `GP` header (OGC 12-128r18 §2.1.3) followed by little-endian WKB.
//!
//! Only what Tessera stores is written: `Point` and `MultiPolygon` in 2D. The decoder also accepts a plain
//! `Polygon`, either byte order and any standard envelope, because GIS tools may rewrite features, and it
//! never trusts a count in the blob further than the bytes that follow it.

use geo::{Coord, LineString, MultiPolygon, Point, Polygon};

use crate::outline::writable_outline;

/// WKB geometry type codes (ISO 13249-3, 2D).
const WKB_POINT: u32 = 1;
const WKB_POLYGON: u32 = 3;
const WKB_MULTIPOLYGON: u32 = 6;

/// A geometry as stored in a GeoPackage feature row.
#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    /// A single position.
    Point(Point<f64>),
    /// One or more polygons.
    MultiPolygon(MultiPolygon<f64>),
}

/// Why a geometry blob could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeometryError {
    /// The blob does not start with the `GP` magic.
    #[error("geometry blob does not start with the GeoPackage magic 'GP'")]
    BadMagic,
    /// Header flags Tessera does not read (extended geometry, reserved envelope codes).
    #[error("unsupported GeoPackage geometry header flags {0:#04x}")]
    UnsupportedFlags(u8),
    /// A WKB type other than Point, Polygon, MultiPolygon (2D).
    #[error("unsupported WKB geometry type {0}")]
    UnsupportedType(u32),
    /// The blob ends before the geometry does.
    #[error("geometry blob truncated at byte {0}")]
    Truncated(usize),
    /// A byte-order marker other than 0 or 1.
    #[error("invalid WKB byte order {0}")]
    BadByteOrder(u8),
    /// Bytes left over after the geometry.
    #[error("{0} unexpected bytes after the geometry")]
    TrailingBytes(usize),
}

/// Encodes a point: header without envelope (a point is its own envelope), then WKB Point.
pub fn encode_point(p: Point<f64>, srs_id: i32) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + 21);
    write_header(&mut out, srs_id, None, false);
    write_wkb_point(&mut out, p);
    out
}

/// Encodes a multipolygon: header with the XY envelope (indicator 1), then WKB MultiPolygon.
/// Only what [`writable_outline`] keeps is written, so the GeoPackage never holds an invalid geometry (a unit
/// collapsed to a line in an old workbook is written empty). An empty multipolygon is flagged empty and
/// carries no envelope, as the specification requires.
pub fn encode_multipolygon(mp: &MultiPolygon<f64>, srs_id: i32) -> Vec<u8> {
    let mp = &*writable_outline(mp);
    let points: usize =
        mp.0.iter()
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum();
    let mut out = Vec::with_capacity(8 + 32 + 9 + mp.0.len() * 13 + points * 16);
    let envelope = envelope_of(mp);
    write_header(&mut out, srs_id, envelope, envelope.is_none());
    out.push(1);
    out.extend_from_slice(&WKB_MULTIPOLYGON.to_le_bytes());
    out.extend_from_slice(&(mp.0.len() as u32).to_le_bytes());
    for poly in &mp.0 {
        out.push(1);
        out.extend_from_slice(&WKB_POLYGON.to_le_bytes());
        let rings = 1 + poly.interiors().len();
        out.extend_from_slice(&(rings as u32).to_le_bytes());
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            out.extend_from_slice(&(ring.0.len() as u32).to_le_bytes());
            for c in &ring.0 {
                out.extend_from_slice(&c.x.to_le_bytes());
                out.extend_from_slice(&c.y.to_le_bytes());
            }
        }
    }
    out
}

/// The `[min_x, max_x, min_y, max_y]` envelope of every vertex, or `None` when there are none.
pub fn envelope_of(mp: &MultiPolygon<f64>) -> Option<[f64; 4]> {
    let mut env: Option<[f64; 4]> = None;
    for poly in &mp.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            for c in &ring.0 {
                env = Some(match env {
                    None => [c.x, c.x, c.y, c.y],
                    Some([x0, x1, y0, y1]) => [x0.min(c.x), x1.max(c.x), y0.min(c.y), y1.max(c.y)],
                });
            }
        }
    }
    env
}

fn write_header(out: &mut Vec<u8>, srs_id: i32, envelope: Option<[f64; 4]>, empty: bool) {
    out.extend_from_slice(b"GP");
    out.push(0); // version 1 of the binary format is encoded as 0
    let envelope_code: u8 = if envelope.is_some() { 1 } else { 0 };
    let flags = (u8::from(empty) << 4) | (envelope_code << 1) | 1; // bit 0 = little-endian header
    out.push(flags);
    out.extend_from_slice(&srs_id.to_le_bytes());
    if let Some(env) = envelope {
        for v in env {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
}

fn write_wkb_point(out: &mut Vec<u8>, p: Point<f64>) {
    out.push(1);
    out.extend_from_slice(&WKB_POINT.to_le_bytes());
    out.extend_from_slice(&p.x().to_le_bytes());
    out.extend_from_slice(&p.y().to_le_bytes());
}

/// Decodes a GeoPackage geometry blob. Returns the geometry and the SRS id in its header.
///
/// # Errors
/// A [`GeometryError`] naming the first thing that does not follow the format; never panics on any input.
pub fn decode(blob: &[u8]) -> Result<(Geometry, i32), GeometryError> {
    let mut r = Reader {
        buf: blob,
        pos: 0,
        little: true,
    };
    if r.take(2)? != b"GP" {
        return Err(GeometryError::BadMagic);
    }
    let _version = r.u8()?;
    let flags = r.u8()?;
    if flags & 0b1110_0000 != 0 {
        return Err(GeometryError::UnsupportedFlags(flags));
    }
    r.little = flags & 1 == 1;
    let srs_id = r.u32()? as i32;
    let envelope_doubles = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 4,
        2 | 3 => 6,
        4 => 8,
        _ => return Err(GeometryError::UnsupportedFlags(flags)),
    };
    r.take(envelope_doubles * 8)?;
    let geometry = match r.wkb_header()? {
        WKB_POINT => Geometry::Point(Point::new(r.f64()?, r.f64()?)),
        WKB_POLYGON => Geometry::MultiPolygon(MultiPolygon(vec![r.polygon_body()?])),
        WKB_MULTIPOLYGON => {
            let n = r.count(9)?;
            let mut polys = Vec::with_capacity(n);
            for _ in 0..n {
                match r.wkb_header()? {
                    WKB_POLYGON => polys.push(r.polygon_body()?),
                    other => return Err(GeometryError::UnsupportedType(other)),
                }
            }
            Geometry::MultiPolygon(MultiPolygon(polys))
        }
        other => return Err(GeometryError::UnsupportedType(other)),
    };
    if r.pos != blob.len() {
        return Err(GeometryError::TrailingBytes(blob.len() - r.pos));
    }
    Ok((geometry, srs_id))
}

/// What the GeoPackage SQL functions need from a blob: the empty flag and the XY envelope (`[min_x, max_x,
/// min_y, max_y]`), taken from the header when it has one, else computed from the geometry.
///
/// # Errors
/// As [`decode`], when the header has no envelope and the geometry cannot be read.
pub fn header_envelope(blob: &[u8]) -> Result<(bool, Option<[f64; 4]>), GeometryError> {
    let mut r = Reader {
        buf: blob,
        pos: 0,
        little: true,
    };
    if r.take(2)? != b"GP" {
        return Err(GeometryError::BadMagic);
    }
    let _version = r.u8()?;
    let flags = r.u8()?;
    r.little = flags & 1 == 1;
    let empty = flags & 0b0001_0000 != 0;
    let _srs = r.u32()?;
    if empty {
        return Ok((true, None));
    }
    if (1..=4).contains(&((flags >> 1) & 0b111)) {
        // Every envelope kind starts with min_x, max_x, min_y, max_y.
        let env = [r.f64()?, r.f64()?, r.f64()?, r.f64()?];
        return Ok((false, Some(env)));
    }
    Ok(match decode(blob)?.0 {
        Geometry::Point(p) if p.x().is_nan() || p.y().is_nan() => (true, None),
        Geometry::Point(p) => (false, Some([p.x(), p.x(), p.y(), p.y()])),
        Geometry::MultiPolygon(mp) => {
            let env = envelope_of(&mp);
            (env.is_none(), env)
        }
    })
}

/// A bounds-checked cursor over the blob.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    little: bool,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], GeometryError> {
        let end = self.pos.checked_add(n).ok_or(GeometryError::Truncated(self.pos))?;
        let s = self.buf.get(self.pos..end).ok_or(GeometryError::Truncated(self.pos))?;
        self.pos = end;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8, GeometryError> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, GeometryError> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.take(4)?);
        Ok(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn f64(&mut self) -> Result<f64, GeometryError> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(if self.little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        })
    }

    /// A count of items at least `min_bytes` each: refuse counts the remaining bytes cannot hold, so a
    /// hostile count never triggers a huge allocation.
    fn count(&mut self, min_bytes: usize) -> Result<usize, GeometryError> {
        let n = self.u32()? as usize;
        let left = self.buf.len() - self.pos;
        if n.saturating_mul(min_bytes) > left {
            return Err(GeometryError::Truncated(self.buf.len()));
        }
        Ok(n)
    }

    /// Each WKB geometry (also nested ones) starts with its own byte order and type.
    fn wkb_header(&mut self) -> Result<u32, GeometryError> {
        let order = self.u8()?;
        self.little = match order {
            0 => false,
            1 => true,
            other => return Err(GeometryError::BadByteOrder(other)),
        };
        self.u32()
    }

    fn polygon_body(&mut self) -> Result<Polygon<f64>, GeometryError> {
        let rings = self.count(4)?;
        let mut out: Vec<LineString<f64>> = Vec::with_capacity(rings);
        for _ in 0..rings {
            let n = self.count(16)?;
            let mut coords = Vec::with_capacity(n);
            for _ in 0..n {
                coords.push(Coord {
                    x: self.f64()?,
                    y: self.f64()?,
                });
            }
            out.push(LineString(coords));
        }
        let mut it = out.into_iter();
        let exterior = it.next().unwrap_or_else(|| LineString(Vec::new()));
        Ok(Polygon::new(exterior, it.collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square_with_hole() -> Polygon<f64> {
        polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0)],
            interiors: [[(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 2.0)]],
        )
    }

    #[test]
    fn point_round_trips_without_envelope() {
        let p = Point::new(-84.39, 33.75);
        let blob = encode_point(p, 4326);
        assert_eq!(&blob[..2], b"GP");
        assert_eq!(blob[3], 0b0000_0001, "no envelope, little-endian");
        assert_eq!(blob.len(), 8 + 21);
        assert_eq!(decode(&blob), Ok((Geometry::Point(p), 4326)));
    }

    #[test]
    fn an_invalid_ring_is_never_written() {
        // The 3-point ring older versions made of county 51610's line, beside a valid part.
        let sliver = polygon![(x: -77.17, y: 38.89), (x: -77.15, y: 38.87), (x: -77.17, y: 38.89)];
        let blob = encode_multipolygon(&MultiPolygon(vec![sliver.clone()]), 4326);
        assert_eq!(header_envelope(&blob), Ok((true, None)), "written empty");
        let mp = MultiPolygon(vec![sliver, square_with_hole()]);
        let blob = encode_multipolygon(&mp, 4326);
        assert_eq!(
            decode(&blob),
            Ok((Geometry::MultiPolygon(MultiPolygon(vec![square_with_hole()])), 4326))
        );
    }

    #[test]
    fn multipolygon_round_trips_with_envelope() {
        let far = polygon![(x: 10.0, y: -5.0), (x: 11.5, y: -5.0), (x: 11.0, y: -3.0)];
        let mp = MultiPolygon(vec![square_with_hole(), far]);
        let blob = encode_multipolygon(&mp, 4326);
        assert_eq!(blob[3], 0b0000_0011, "envelope code 1, little-endian");
        let env: Vec<f64> = (0..4)
            .map(|k| {
                let mut b = [0u8; 8];
                b.copy_from_slice(&blob[8 + 8 * k..16 + 8 * k]);
                f64::from_le_bytes(b)
            })
            .collect();
        assert_eq!(env, vec![0.0, 11.5, -5.0, 4.0]);
        assert_eq!(decode(&blob), Ok((Geometry::MultiPolygon(mp), 4326)));
    }

    #[test]
    fn header_envelope_reads_the_header_or_computes_it() {
        let mp = MultiPolygon(vec![square_with_hole()]);
        assert_eq!(
            header_envelope(&encode_multipolygon(&mp, 4326)),
            Ok((false, Some([0.0, 4.0, 0.0, 4.0])))
        );
        assert_eq!(
            header_envelope(&encode_point(Point::new(3.0, -1.0), 4326)),
            Ok((false, Some([3.0, 3.0, -1.0, -1.0])))
        );
        assert_eq!(
            header_envelope(&encode_multipolygon(&MultiPolygon(vec![]), 4326)),
            Ok((true, None))
        );
        assert!(header_envelope(b"GP\0").is_err());
    }

    #[test]
    fn empty_multipolygon_is_flagged_empty() {
        let blob = encode_multipolygon(&MultiPolygon(vec![]), 4326);
        assert_eq!(blob[3] & 0b0001_0000, 0b0001_0000);
        assert_eq!(decode(&blob), Ok((Geometry::MultiPolygon(MultiPolygon(vec![])), 4326)));
    }

    #[test]
    fn reads_big_endian_polygon_as_multipolygon() {
        // Header big-endian (flag bit 0 clear), no envelope, WKB Polygon in big-endian.
        let mut blob = b"GP\0\0".to_vec();
        blob.extend_from_slice(&4326i32.to_be_bytes());
        blob.push(0);
        blob.extend_from_slice(&3u32.to_be_bytes());
        blob.extend_from_slice(&1u32.to_be_bytes());
        blob.extend_from_slice(&4u32.to_be_bytes());
        for (x, y) in [(0.0f64, 0.0f64), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)] {
            blob.extend_from_slice(&x.to_be_bytes());
            blob.extend_from_slice(&y.to_be_bytes());
        }
        let expected = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)];
        assert_eq!(
            decode(&blob),
            Ok((Geometry::MultiPolygon(MultiPolygon(vec![expected])), 4326))
        );
    }

    #[test]
    fn rejects_truncated_and_hostile_blobs() {
        let blob = encode_multipolygon(&MultiPolygon(vec![square_with_hole()]), 4326);
        for cut in 0..blob.len() {
            assert!(decode(&blob[..cut]).is_err(), "prefix of {cut} bytes accepted");
        }
        assert_eq!(decode(b"XX\0\x01\0\0\0\0"), Err(GeometryError::BadMagic));
        // A count of 2^32-1 rings must be refused before allocating.
        let mut hostile = b"GP\0\x01".to_vec();
        hostile.extend_from_slice(&0i32.to_le_bytes());
        hostile.push(1);
        hostile.extend_from_slice(&3u32.to_le_bytes());
        hostile.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(decode(&hostile), Err(GeometryError::Truncated(_))));
        let mut trailing = encode_point(Point::new(1.0, 2.0), 0);
        trailing.push(0);
        assert_eq!(decode(&trailing), Err(GeometryError::TrailingBytes(1)));
    }
}
