//! Writing a [`Dataset`] into a fresh workbook and reading it back exactly.
//!
//! Units go to the GeoPackage layer `units` (fid = unit index + 1, so unit order is fid order); measures are
//! REAL columns there under sanitised names, listed with their original names in `tessera_dataset.measures`.
//! Adjacency edges and bridges are JSON lists of `[a, b]` unit-index pairs in `tessera_dataset`; reps are rows
//! of `tessera_reps` in order; the current alignment is the scenario "current".

use geo::Point;
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, Connection, Transaction};
use tessera_optimizer::{Adjacency, Measure, Rep, Units};

use super::column_names::{measure_columns, quote_ident};
use super::error::{Result, WorkbookError};
use super::geopackage::{self, SRS_WGS84, UNITS_TABLE};
use super::gpkg_geometry::{self, Geometry};
use super::scenario_rows::{self as scenarios, Scenario, CURRENT};
use crate::{AdjacencySource, Dataset};

/// A measure's original name and its column in `units`.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct MeasureColumn {
    name: String,
    column: String,
}

/// Writes `ds` into a workbook whose core tables exist.
///
/// # Panics
/// If the dataset's polygons or current plan do not have one entry per unit (a caller bug: the importer
/// builds them that way).
pub(super) fn write_dataset(tx: &Transaction<'_>, ds: &Dataset) -> rusqlite::Result<()> {
    let units = &ds.units;
    let n = units.len();
    if let Some(p) = &ds.polygons {
        assert_eq!(p.len(), n, "one polygon per unit");
    }
    if let Some(c) = &ds.current {
        assert_eq!(c.territory_of().len(), n, "current plan covers every unit");
    }
    let names: Vec<String> = units.measures().iter().map(|m| m.name.clone()).collect();
    let columns = measure_columns(&names);
    let (geometry_type, extent) = match &ds.polygons {
        Some(polys) => (
            "MULTIPOLYGON",
            polys.iter().filter_map(gpkg_geometry::envelope_of).reduce(merge),
        ),
        None => (
            "POINT",
            units
                .lon()
                .iter()
                .zip(units.lat())
                .map(|(&x, &y)| [x, x, y, y])
                .reduce(merge),
        ),
    };
    geopackage::create_units_table(tx, geometry_type, &columns, extent)?;

    let mut sql = format!("INSERT INTO {UNITS_TABLE} (fid, geom, id, lon, lat, territory");
    for c in &columns {
        sql.push_str(", ");
        sql.push_str(&quote_ident(c));
    }
    sql.push_str(") VALUES (?1, ?2, ?3, ?4, ?5, ?6");
    for k in 0..columns.len() {
        sql.push_str(&format!(", ?{}", k + 7));
    }
    sql.push(')');
    let mut insert = tx.prepare(&sql)?;
    for i in 0..n {
        let geom = match &ds.polygons {
            Some(polys) => gpkg_geometry::encode_multipolygon(&polys[i], SRS_WGS84),
            None => gpkg_geometry::encode_point(Point::new(units.lon()[i], units.lat()[i]), SRS_WGS84),
        };
        let territory = ds
            .current
            .as_ref()
            .map(|p| SqlValue::Text(p.names()[p.territory_of()[i] as usize].clone()))
            .unwrap_or(SqlValue::Null);
        let mut row = vec![
            SqlValue::Integer(i as i64 + 1),
            SqlValue::Blob(geom),
            SqlValue::Text(units.ids()[i].clone()),
            SqlValue::Real(units.lon()[i]),
            SqlValue::Real(units.lat()[i]),
            territory,
        ];
        // SQLite stores NaN as NULL; it reads back as NaN.
        row.extend(units.measures().iter().map(|m| SqlValue::Real(m.values[i])));
        insert.execute(params_from_iter(row))?;
    }

    drop(insert);
    geopackage::create_spatial_index(tx)?;

    let measures: Vec<MeasureColumn> = names
        .into_iter()
        .zip(columns)
        .map(|(name, column)| MeasureColumn { name, column })
        .collect();
    let edges: Vec<(u32, u32)> = ds.adjacency.edges().collect();
    tx.execute(
        "INSERT INTO tessera_dataset (singleton, geometry, adjacency_source, adjacency_edges, bridged, measures)
         VALUES (1, ?1, ?2, ?3, ?4, ?5)",
        params![
            if ds.polygons.is_some() { "multipolygon" } else { "point" },
            to_json(&ds.adjacency_source),
            to_json(&edges),
            to_json(&ds.bridged),
            to_json(&measures),
        ],
    )?;
    write_reps(tx, super::migrations::DEFAULT_TEAM, &ds.reps)?;
    if let Some(plan) = &ds.current {
        let mut s = Scenario::new(CURRENT, plan.clone());
        s.params = serde_json::json!({ "source": "import" });
        // The imported alignment has figures from the start, like every scenario an optimizer run stores.
        s.metrics = crate::figures::default_measure(ds)
            .and_then(|m| crate::figures::plan_metrics(ds, plan, &m))
            .unwrap_or(serde_json::Value::Null);
        scenarios::insert_scenario(tx, super::migrations::DEFAULT_TEAM, None, &s)?;
    }
    Ok(())
}

/// Appends `reps` to team `team`'s reps, in order.
pub(super) fn write_reps(tx: &Transaction<'_>, team: i64, reps: &[Rep]) -> rusqlite::Result<()> {
    let mut rep = tx.prepare(
        "INSERT INTO tessera_reps (seq, team, id, name, lon, lat, capacity)
         VALUES ((SELECT COALESCE(MAX(seq) + 1, 0) FROM tessera_reps), ?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for r in reps {
        rep.execute(params![team, r.id, r.name, r.lon, r.lat, r.capacity])?;
    }
    Ok(())
}

fn merge(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [a[0].min(b[0]), a[1].max(b[1]), a[2].min(b[2]), a[3].max(b[3])]
}

/// Serialises plain data that cannot fail to serialise (strings, numbers, pairs).
fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// Reads the stored dataset with team `team`'s reps and "current" scenario (over the units `fids` lists; see
/// [`scenarios::TeamFids`]). `team` is `None` only for a file older than schema 6 (its migrations read it):
/// every rep and the one "current" then.
pub(super) fn read_dataset(
    conn: &Connection,
    path: &std::path::Path,
    team: Option<i64>,
    fids: scenarios::TeamFids<'_>,
) -> Result<Dataset> {
    let sql = |e| WorkbookError::from_sqlite(path, e);
    let corrupt = |detail: String| WorkbookError::corrupt(path, detail);
    let (geometry, source, edges, bridged, measures): (String, String, String, String, String) = conn
        .query_row(
            "SELECT geometry, adjacency_source, adjacency_edges, bridged, measures FROM tessera_dataset",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .map_err(sql)?;
    let json_err = |what: &str, e: serde_json::Error| corrupt(format!("tessera_dataset.{what} is not valid: {e}"));
    let source: AdjacencySource = serde_json::from_str(&source).map_err(|e| json_err("adjacency_source", e))?;
    let edges: Vec<(u32, u32)> = serde_json::from_str(&edges).map_err(|e| json_err("adjacency_edges", e))?;
    let bridged: Vec<(u32, u32)> = serde_json::from_str(&bridged).map_err(|e| json_err("bridged", e))?;
    let measures: Vec<MeasureColumn> = serde_json::from_str(&measures).map_err(|e| json_err("measures", e))?;
    let polygons_stored = geometry == "multipolygon";

    let mut select = String::from("SELECT fid, geom, id, lon, lat");
    for m in &measures {
        select.push_str(", ");
        select.push_str(&quote_ident(&m.column));
    }
    select.push_str(&format!(" FROM {UNITS_TABLE} ORDER BY fid"));
    let mut stmt = conn.prepare(&select).map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    let (mut ids, mut lon, mut lat) = (Vec::new(), Vec::new(), Vec::new());
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); measures.len()];
    let mut polygons = Vec::new();
    while let Some(row) = rows.next().map_err(sql)? {
        let fid: i64 = row.get(0).map_err(sql)?;
        if fid != ids.len() as i64 + 1 {
            return Err(corrupt(format!(
                "units: expected fid {} but found {fid}; features were added or deleted outside Tessera",
                ids.len() + 1
            )));
        }
        let cell = |e: rusqlite::Error| corrupt(format!("units fid {fid}: {e}"));
        if polygons_stored {
            let blob: Vec<u8> = row.get(1).map_err(cell)?;
            match gpkg_geometry::decode(&blob) {
                Ok((Geometry::MultiPolygon(mp), _)) => polygons.push(mp),
                Ok((Geometry::Point(_), _)) => return Err(corrupt(format!("units fid {fid}: point, not a polygon"))),
                Err(e) => return Err(corrupt(format!("units fid {fid}: {e}"))),
            }
        }
        ids.push(row.get::<_, String>(2).map_err(cell)?);
        lon.push(row.get::<_, f64>(3).map_err(cell)?);
        lat.push(row.get::<_, f64>(4).map_err(cell)?);
        for (k, v) in values.iter_mut().enumerate() {
            v.push(row.get::<_, Option<f64>>(5 + k).map_err(cell)?.unwrap_or(f64::NAN));
        }
    }
    let n = ids.len();
    let measures = measures
        .into_iter()
        .zip(values)
        .map(|(m, values)| Measure { name: m.name, values })
        .collect();
    let units = Units::new(ids, lon, lat, measures).map_err(|e| corrupt(format!("units: {e}")))?;
    for &(a, b) in edges.iter().chain(&bridged) {
        if a as usize >= n || b as usize >= n {
            return Err(corrupt(format!(
                "tessera_dataset: edge ({a}, {b}) names a unit outside 0..{n}"
            )));
        }
    }
    let adjacency = Adjacency::from_edges(n, &edges);

    let team_clause = if team.is_some() { "team = ?1" } else { "?1 IS NULL" };
    let mut stmt = conn
        .prepare(&format!(
            "SELECT id, name, lon, lat, capacity FROM tessera_reps WHERE {team_clause} ORDER BY seq"
        ))
        .map_err(sql)?;
    let reps = stmt
        .query_map(params![team], |r| {
            Ok(Rep {
                id: r.get(0)?,
                name: r.get(1)?,
                lon: r.get(2)?,
                lat: r.get(3)?,
                capacity: r.get(4)?,
            })
        })
        .map_err(sql)?
        .collect::<rusqlite::Result<Vec<Rep>>>()
        .map_err(|e| corrupt(format!("tessera_reps: {e}")))?;

    let current_id: Option<i64> = {
        use rusqlite::OptionalExtension;
        conn.query_row(
            &format!(
                "SELECT id FROM tessera_scenarios WHERE name = ?2 AND {}",
                if team.is_some() { "team = ?1" } else { "?1 IS NULL" }
            ),
            params![team, CURRENT],
            |r| r.get(0),
        )
        .optional()
        .map_err(sql)?
    };
    let current = match current_id {
        Some(id) => Some(scenarios::load_plan(conn, path, id, CURRENT, fids)?),
        None => None,
    };
    Ok(Dataset {
        units,
        adjacency,
        adjacency_source: source,
        bridged,
        polygons: polygons_stored.then_some(polygons),
        reps,
        current,
    })
}
