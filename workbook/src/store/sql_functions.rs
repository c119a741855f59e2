//! The GeoPackage SQL functions (`ST_IsEmpty`, `ST_MinX`, `ST_MaxX`, `ST_MinY`, `ST_MaxY`) on every
//! connection Tessera opens.
//!
//! Why: when a GIS tool adds a spatial index to the units layer (QGIS's "create spatial index", or
//! `CreateSpatialIndex` in GDAL), it installs the R-tree triggers of the GeoPackage `gpkg_rtree_index`
//! extension, which call these functions. SQLite refuses to prepare any `UPDATE units ...` whose triggers
//! name an unknown function, so without them Tessera could no longer save the current alignment into such a
//! workbook ("no such function: ST_IsEmpty"). The spec says an implementation providing the extension
//! supplies these functions; so does Tessera.

use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::gpkg_geometry::header_envelope;

/// Registers the functions on `conn`. Each takes a GeoPackage geometry blob and returns NULL for NULL, for
/// values that are not valid geometry blobs (as GDAL does), and for the envelope of an empty geometry.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("ST_IsEmpty", 1, flags, |ctx| {
        Ok(match ctx.get_raw(0) {
            ValueRef::Blob(b) => header_envelope(b).ok().map(|(empty, _)| i64::from(empty)),
            _ => None,
        })
    })?;
    for (name, k) in [("ST_MinX", 0usize), ("ST_MaxX", 1), ("ST_MinY", 2), ("ST_MaxY", 3)] {
        conn.create_scalar_function(name, 1, flags, move |ctx| {
            Ok(match ctx.get_raw(0) {
                ValueRef::Blob(b) => header_envelope(b).ok().and_then(|(_, env)| env).map(|e| e[k]),
                _ => None,
            })
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::gpkg_geometry::encode_point;
    use geo::Point;

    #[test]
    fn functions_read_geometry_blobs() {
        let conn = Connection::open_in_memory().expect("db");
        register(&conn).expect("register");
        let blob = encode_point(Point::new(-84.5, 33.75), 4326);
        let row: (i64, f64, f64, f64, f64) = conn
            .query_row(
                "SELECT ST_IsEmpty(?1), ST_MinX(?1), ST_MaxX(?1), ST_MinY(?1), ST_MaxY(?1)",
                [&blob],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .expect("query");
        assert_eq!(row, (0, -84.5, -84.5, 33.75, 33.75));
        let junk: (Option<i64>, Option<f64>) = conn
            .query_row("SELECT ST_IsEmpty(x'0102'), ST_MinX(NULL)", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .expect("query");
        assert_eq!(junk, (None, None));
    }
}
