//! A GeoPackage for GIS users: a copy of the workbook (its `units` layer and scenario list, which QGIS and GDAL
//! open as they are) with one more feature layer per scenario, `territories_<scenario>`, holding that
//! scenario's territories dissolved from their units.
//!
//! The copy is made with SQLite's `VACUUM INTO` (a consistent snapshot, even of a workbook the app has open),
//! the layers are added in one transaction, and the file appears under its name only when complete.

use std::path::Path;

use geo::MultiPolygon;
use rusqlite::{params, Connection};

use super::column_names::quote_ident;
use super::error::{Result, WorkbookError};
use super::file::Workbook;
use super::geopackage::{GEOMETRY_COLUMN, SRS_WGS84};
use super::gpkg_geometry::{encode_multipolygon, envelope_of};

/// One territory of a layer: its name, rep, units, load and deviation, and its shape.
#[derive(Debug, Clone)]
pub struct TerritoryFeature {
    /// Territory name.
    pub territory: String,
    /// The rep's name, when the territory is a rep's.
    pub rep: Option<String>,
    /// Number of units.
    pub units: usize,
    /// Load of the balanced measure.
    pub load: f64,
    /// Signed relative deviation from the target.
    pub deviation: f64,
    /// Dissolved shape (valid; may have holes and several parts).
    pub shape: MultiPolygon<f64>,
}

/// A layer to add: the scenario it shows and its territories.
#[derive(Debug, Clone)]
pub struct TerritoryLayer {
    /// Scenario name (the layer is `territories_<sanitised name>`, its description names the scenario).
    pub scenario: String,
    /// Its territories.
    pub features: Vec<TerritoryFeature>,
}

impl Workbook {
    /// Writes a GeoPackage at `path`: this workbook's layers plus one territory layer per entry of `layers`.
    /// Returns the layer names, in order. `path` must not exist (the caller decides about replacing).
    ///
    /// # Errors
    /// [`WorkbookError::Sqlite`]-family errors naming `path` when the copy or a layer cannot be written.
    pub fn write_geopackage(&self, path: &Path, layers: &[TerritoryLayer]) -> Result<Vec<String>> {
        let tmp = path.with_file_name(format!(
            ".{}.tmp-{}",
            path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
            std::process::id()
        ));
        let _ = std::fs::remove_file(&tmp);
        let result = (|| {
            self.conn
                .execute("VACUUM INTO ?1", params![tmp.to_string_lossy()])
                .map_err(|e| WorkbookError::from_sqlite(path, e))?;
            let mut conn = Connection::open(&tmp).map_err(|e| WorkbookError::from_sqlite(path, e))?;
            let names = add_layers(&mut conn, layers).map_err(|e| WorkbookError::from_sqlite(path, e))?;
            drop(conn);
            std::fs::rename(&tmp, path).map_err(|e| WorkbookError::corrupt(path, format!("cannot write: {e}")))?;
            Ok(names)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}

/// A table name made of `[a-z0-9_]` from a scenario name, unique among `taken`.
fn layer_name(scenario: &str, taken: &[String]) -> String {
    let mut base: String = scenario
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    base = base.trim_matches('_').to_string();
    if base.is_empty() {
        base = "scenario".into();
    }
    let mut name = format!("territories_{base}");
    let mut k = 2;
    while taken.contains(&name) {
        name = format!("territories_{base}_{k}");
        k += 1;
    }
    name
}

fn add_layers(conn: &mut Connection, layers: &[TerritoryLayer]) -> rusqlite::Result<Vec<String>> {
    let tx = conn.transaction()?;
    let mut names: Vec<String> = Vec::new();
    for layer in layers {
        let name = layer_name(&layer.scenario, &names);
        let q = quote_ident(&name);
        tx.execute_batch(&format!(
            "CREATE TABLE {q} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {GEOMETRY_COLUMN} MULTIPOLYGON, \
             territory TEXT NOT NULL, rep TEXT, units INTEGER NOT NULL, load REAL, deviation REAL)"
        ))?;
        let extent = layer
            .features
            .iter()
            .filter_map(|f| envelope_of(&f.shape))
            .reduce(|a, b| [a[0].min(b[0]), a[1].max(b[1]), a[2].min(b[2]), a[3].max(b[3])]);
        let [min_x, max_x, min_y, max_y] = match extent {
            Some(e) => e.map(Some),
            None => [None; 4],
        };
        tx.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
             VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                name,
                format!("Territories of scenario {:?}, dissolved from their units", layer.scenario),
                min_x,
                min_y,
                max_x,
                max_y,
                SRS_WGS84
            ],
        )?;
        tx.execute(
            "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m)
             VALUES (?1, ?2, 'MULTIPOLYGON', ?3, 0, 0)",
            params![name, GEOMETRY_COLUMN, SRS_WGS84],
        )?;
        let mut insert = tx.prepare(&format!(
            "INSERT INTO {q} ({GEOMETRY_COLUMN}, territory, rep, units, load, deviation) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        ))?;
        for f in &layer.features {
            let finite = |v: f64| v.is_finite().then_some(v);
            insert.execute(params![
                encode_multipolygon(&f.shape, SRS_WGS84),
                f.territory,
                f.rep,
                f.units as i64,
                finite(f.load),
                finite(f.deviation)
            ])?;
        }
        names.push(name);
    }
    tx.commit()?;
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_names_are_plain_and_unique() {
        assert_eq!(layer_name("Balanced (±5%)", &[]), "territories_balanced___5");
        let taken = vec!["territories_a".to_string()];
        assert_eq!(layer_name("a", &taken), "territories_a_2");
        assert_eq!(layer_name("±", &[]), "territories_scenario");
    }
}
