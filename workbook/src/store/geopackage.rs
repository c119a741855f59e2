//! The OGC GeoPackage 1.2 core: the header values and tables that let GIS tools (QGIS, ogrinfo, ArcGIS) open
//! a workbook as it is, and the `units` feature table.
//!
//! A workbook is a GeoPackage whose single feature layer, `units`, holds every unit's polygon (or point when
//! no polygons were imported), its id, position, current territory and one REAL column per measure.

use rusqlite::{params, Transaction};

use super::column_names::quote_ident;

/// `PRAGMA application_id` of a GeoPackage: the ASCII bytes "GPKG".
pub const APPLICATION_ID: i32 = 0x4750_4B47;

/// `PRAGMA user_version` for GeoPackage 1.2.1 (the spec encodes 1.2.1 as 10201).
pub const USER_VERSION: i32 = 10201;

/// SRS of all Tessera geometries: WGS 84 longitude/latitude.
pub const SRS_WGS84: i32 = 4326;

/// Name of the feature table (and layer) of the units.
pub const UNITS_TABLE: &str = "units";

/// Name of the geometry column of `units`.
pub const GEOMETRY_COLUMN: &str = "geom";

/// EPSG:4326 as OGC WKT 1, the definition GeoPackage readers expect in `gpkg_spatial_ref_sys`.
const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,\
AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],\
UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],\
AUTHORITY[\"EPSG\",\"4326\"]]";

/// Creates `gpkg_spatial_ref_sys` (with the three rows the spec requires), `gpkg_contents` and
/// `gpkg_geometry_columns`, using the table definitions of the GeoPackage specification, annex C.
pub fn create_core_tables(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        CREATE TABLE gpkg_spatial_ref_sys (
            srs_name TEXT NOT NULL,
            srs_id INTEGER NOT NULL PRIMARY KEY,
            organization TEXT NOT NULL,
            organization_coordsys_id INTEGER NOT NULL,
            definition TEXT NOT NULL,
            description TEXT
        );
        CREATE TABLE gpkg_contents (
            table_name TEXT NOT NULL PRIMARY KEY,
            data_type TEXT NOT NULL,
            identifier TEXT UNIQUE,
            description TEXT DEFAULT '',
            last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            min_x DOUBLE,
            min_y DOUBLE,
            max_x DOUBLE,
            max_y DOUBLE,
            srs_id INTEGER,
            CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
        );
        CREATE TABLE gpkg_geometry_columns (
            table_name TEXT NOT NULL,
            column_name TEXT NOT NULL,
            geometry_type_name TEXT NOT NULL,
            srs_id INTEGER NOT NULL,
            z TINYINT NOT NULL,
            m TINYINT NOT NULL,
            CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
            CONSTRAINT uk_gc_table_name UNIQUE (table_name),
            CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
            CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
        );
        ",
    )?;
    let mut insert = tx.prepare(
        "INSERT INTO gpkg_spatial_ref_sys
             (srs_name, srs_id, organization, organization_coordsys_id, definition, description)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    insert.execute(params![
        "WGS 84 geodetic",
        SRS_WGS84,
        "EPSG",
        4326,
        WGS84_WKT,
        "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"
    ])?;
    insert.execute(params![
        "Undefined cartesian SRS",
        -1,
        "NONE",
        -1,
        "undefined",
        "undefined cartesian coordinate reference system"
    ])?;
    insert.execute(params![
        "Undefined geographic SRS",
        0,
        "NONE",
        0,
        "undefined",
        "undefined geographic coordinate reference system"
    ])?;
    Ok(())
}

/// Sets the two header fields that identify the file as a GeoPackage.
pub fn write_header(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", USER_VERSION)
}

/// Creates the `units` feature table and registers it in `gpkg_contents` and `gpkg_geometry_columns`.
///
/// `measure_columns` are already sanitised, unique column names (see [`super::column_names`]); they are
/// still quoted, because identifiers cannot be bound as parameters.
pub fn create_units_table(
    tx: &Transaction<'_>,
    geometry_type: &str,
    measure_columns: &[String],
    extent: Option<[f64; 4]>,
) -> rusqlite::Result<()> {
    // geometry_type is one of two constants chosen by the caller, never user data.
    debug_assert!(geometry_type == "POINT" || geometry_type == "MULTIPOLYGON");
    let mut ddl = format!(
        "CREATE TABLE {UNITS_TABLE} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {GEOMETRY_COLUMN} {geometry_type}, \
         id TEXT NOT NULL UNIQUE, lon REAL NOT NULL, lat REAL NOT NULL, territory TEXT"
    );
    for c in measure_columns {
        ddl.push_str(&format!(", {} REAL", quote_ident(c)));
    }
    ddl.push(')');
    tx.execute_batch(&ddl)?;
    let [min_x, max_x, min_y, max_y] = match extent {
        Some(e) => e.map(Some),
        None => [None; 4],
    };
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
         VALUES (?1, 'features', ?1, 'Tessera units: the building blocks of territories', ?2, ?3, ?4, ?5, ?6)",
        params![UNITS_TABLE, min_x, min_y, max_x, max_y, SRS_WGS84],
    )?;
    tx.execute(
        "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m)
         VALUES (?1, ?2, ?3, ?4, 0, 0)",
        params![UNITS_TABLE, GEOMETRY_COLUMN, geometry_type, SRS_WGS84],
    )?;
    Ok(())
}

/// Records in `gpkg_contents` that the units layer changed (GIS tools use it to refresh caches).
pub fn touch_units(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?1",
        params![UNITS_TABLE],
    )?;
    Ok(())
}

/// Adds the GeoPackage R-tree spatial index (extension `gpkg_rtree_index`) on `units.geom`, filled from the
/// rows already inserted, with the triggers of the specification that keep it in step with later edits.
///
/// Why: GIS tools draw and query a large layer (30,000 ZIP codes, 3,000 county polygons) through this index;
/// without it every pan reads every geometry. The triggers call `ST_IsEmpty`, `ST_MinX`, ... which Tessera
/// registers on its own connections (see `sql_functions`), as GDAL does on its.
pub fn create_spatial_index(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let t = UNITS_TABLE;
    let c = GEOMETRY_COLUMN;
    let rtree = format!("rtree_{t}_{c}");
    tx.execute_batch(&format!(
        "
        CREATE TABLE IF NOT EXISTS gpkg_extensions (
            table_name TEXT,
            column_name TEXT,
            extension_name TEXT NOT NULL,
            definition TEXT NOT NULL,
            scope TEXT NOT NULL,
            CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
        );
        CREATE VIRTUAL TABLE {rtree} USING rtree(id, minx, maxx, miny, maxy);
        INSERT INTO {rtree}
            SELECT fid, ST_MinX({c}), ST_MaxX({c}), ST_MinY({c}), ST_MaxY({c}) FROM {t}
            WHERE {c} NOT NULL AND NOT ST_IsEmpty({c});
        CREATE TRIGGER {rtree}_insert AFTER INSERT ON {t}
            WHEN (new.{c} NOT NULL AND NOT ST_IsEmpty(NEW.{c}))
        BEGIN
            INSERT OR REPLACE INTO {rtree} VALUES
                (NEW.fid, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}));
        END;
        CREATE TRIGGER {rtree}_update1 AFTER UPDATE OF {c} ON {t}
            WHEN OLD.fid = NEW.fid AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
        BEGIN
            INSERT OR REPLACE INTO {rtree} VALUES
                (NEW.fid, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}));
        END;
        CREATE TRIGGER {rtree}_update2 AFTER UPDATE OF {c} ON {t}
            WHEN OLD.fid = NEW.fid AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
        BEGIN
            DELETE FROM {rtree} WHERE id = OLD.fid;
        END;
        CREATE TRIGGER {rtree}_update3 AFTER UPDATE ON {t}
            WHEN OLD.fid != NEW.fid AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
        BEGIN
            DELETE FROM {rtree} WHERE id = OLD.fid;
            INSERT OR REPLACE INTO {rtree} VALUES
                (NEW.fid, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}));
        END;
        CREATE TRIGGER {rtree}_update4 AFTER UPDATE ON {t}
            WHEN OLD.fid != NEW.fid AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
        BEGIN
            DELETE FROM {rtree} WHERE id IN (OLD.fid, NEW.fid);
        END;
        CREATE TRIGGER {rtree}_delete AFTER DELETE ON {t}
            WHEN old.{c} NOT NULL
        BEGIN
            DELETE FROM {rtree} WHERE id = OLD.fid;
        END;
        "
    ))?;
    tx.execute(
        "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
         VALUES (?1, ?2, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
        params![t, c],
    )?;
    Ok(())
}
