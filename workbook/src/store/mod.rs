//! The `.tessera` workbook file: one SQLite database that is also an OGC GeoPackage 1.2.
//!
//! GIS tools open a workbook as it is: the feature layer `units` holds every unit's polygon (or point), id,
//! position, current territory and measures. Tessera's own tables sit beside it with a `tessera_` prefix:
//!
//! | table | holds |
//! | --- | --- |
//! | `tessera_meta` | key/value: `schema_version`, `app_version`, `created`, `modified`; the planner's settings under `setting.` keys (`setting.balance_measure`, see [`Workbook::balance_measure`]) |
//! | `tessera_dataset` | one row: geometry kind, adjacency source, adjacency edges and bridges (JSON unit-index pairs, index = fid − 1), measure list (original name → column) |
//! | `tessera_teams` | overlay teams (schema 6): name, account filter, measure, tolerance; team 1 is the default (see [`Workbook::select_team`]) |
//! | `tessera_reps` | reps in order: team, id, name, lon, lat, capacity |
//! | `tessera_scenarios` | team, name (unique per team), created, modified, territory names (JSON), params (JSON), metrics (JSON) |
//! | `tessera_assignments` | scenario, unit (= `units.fid`), territory name |
//! | `tessera_history` | scenario, seq, created, change (JSON [`Edit`]), undone flag |
//! | `tessera_locks` | team, unit (= `units.fid`), territory name: units the optimizer must not move (schema 2; per team from 6) |
//! | `tessera_accounts`, `tessera_account_columns` | the accounts inside the units, in file order: id, unit (= `units.fid`, NULL when it matched none), key, position, values (JSON); the columns and the units' measure each is summed into (schema 5; see [`crate::accounts`]) |
//! | `tessera_named_accounts` | team, account id, territory: accounts that belong to a territory or rep of that team whatever their unit (schema 5; per team from 7) |
//! | `tessera_unit_text` | the units file's text columns (names, states): header and a JSON list of values in unit order (schema 4); `tessera_scenarios.note` holds a note per scenario (schema 4) |
//!
//! The layer carries the GeoPackage R-tree spatial index (`rtree_units_geom`, extension `gpkg_rtree_index`),
//! so GIS tools pan large layers quickly. Its triggers call `ST_IsEmpty`/`ST_MinX`/...; Tessera registers
//! those functions on its connections (as GDAL does), so it can keep writing the `territory` column. A plain
//! SQLite client without them can read everything but cannot update `units` (true of any GDAL GeoPackage).
//! GDAL's own validator (`validate_gpkg.py`) accepts the file once named `.gpkg`.
//!
//! Measure columns: measure names come from user files, so each measure gets a sanitised, unique column name
//! in `units` (see `column_names`); the original names are kept in `tessera_dataset.measures` and come back
//! exactly from [`Workbook::dataset`]. All values go through bound parameters; the only identifiers built
//! into SQL are those sanitised names, quoted as well.
//!
//! Of Tessera's tables only `tessera_scenarios` is registered in `gpkg_contents` (as `attributes`). Checked
//! with GDAL's `ogrinfo`: with no attributes table registered, GDAL lists every unregistered table as a layer;
//! with one registered, it lists only registered ones. So GIS users see two layers, `units` and the scenario
//! list, and no warning. (The one note GDAL prints is that `.tessera` is not the `.gpkg` extension the
//! GeoPackage spec asks for; a copy renamed to `.gpkg` opens without any message.)
//!
//! ```
//! use tessera_optimizer::{Adjacency, Measure, Plan, Units};
//! use tessera_workbook::store::{Edit, Scenario, Workbook};
//! use tessera_workbook::{AdjacencySource, Dataset};
//!
//! let units = Units::new(
//!     vec!["13121".into(), "13089".into()],
//!     vec![-84.47, -84.23],
//!     vec![33.79, 33.77],
//!     vec![Measure { name: "population".into(), values: vec![648_951.0, 545_837.0] }],
//! )?;
//! let dataset = Dataset {
//!     units,
//!     adjacency: Adjacency::from_edges(2, &[(0, 1)]),
//!     adjacency_source: AdjacencySource::File,
//!     bridged: vec![],
//!     polygons: None,
//!     reps: vec![],
//!     current: Some(Plan::new(vec![0, 1], vec!["West".into(), "East".into()])),
//! };
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("atlanta.tessera");
//! let mut wb = Workbook::create(&path, &dataset)?;
//! wb.save_scenario(&Scenario::new("one territory", Plan::new(vec![0, 0], vec!["All".into()])))?;
//! wb.record_edit("current", &Edit::single("13089", "East", "West"))?;
//! wb.undo("current")?;
//! drop(wb);
//!
//! let wb = Workbook::open(&path)?;
//! assert_eq!(wb.dataset()?, dataset);
//! assert_eq!(wb.scenarios()?.len(), 2); // "current" and "one territory"
//! assert!(wb.units_geojson()?.contains("FeatureCollection"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Pick: [`Workbook::create`] to import ([`Workbook::create_staged`] when more must happen before the file
//! appears, or may cancel it), [`Workbook::open`] to work on a file, [`Workbook::open_read_only`] to
//! look at one another process has open.

mod account_rows;
mod accounts;
mod column_names;
mod dataset_io;
mod error;
mod figures;
mod file;
mod geopackage;
mod gpkg_export;
pub mod gpkg_geometry;
mod history;
mod lock;
mod locks;
pub mod migrations;
mod scenario_admin;
mod scenario_rows;
mod scenarios;
mod settings;
mod sql_functions;
mod staged;
mod team_rows;
mod teams;
#[cfg(test)]
pub(crate) mod test_fixtures;
mod unit_text;
mod workbook_dataset;

pub use accounts::{unit_measure_of, AccountsImport, AccountsReport};
pub use error::{Result, WorkbookError};
pub use file::{Workbook, BUSY_TIMEOUT};
pub use geopackage::{APPLICATION_ID, UNITS_TABLE, USER_VERSION};
pub use gpkg_export::{TerritoryFeature, TerritoryLayer};
pub use history::{Edit, Move};
pub use lock::lock_path;
pub use migrations::CURRENT_VERSION as SCHEMA_VERSION;
pub use scenario_rows::{Scenario, CURRENT};
pub use scenarios::ScenarioSummary;
pub use settings::BALANCE_MEASURE_KEY;
pub use staged::{StagedWorkbook, STAGING_PREFIX};
pub use teams::{FilterColumn, NewTeam, Team, TeamChoices, TeamFilter, DEFAULT_TEAM};
pub use unit_text::UnitText;

impl Workbook {
    /// The units as a GeoJSON FeatureCollection for the map: id, measures and the current territory (from the
    /// scenario "current"; `null` when there is none). See [`crate::export::plan_geojson`].
    ///
    /// # Errors
    /// As [`Workbook::dataset`].
    pub fn units_geojson(&self) -> Result<String> {
        let ds = self.dataset()?;
        Ok(crate::export::plan_geojson(&ds, ds.current.as_ref()))
    }

    /// The units with scenario `name`'s territories, as GeoJSON.
    ///
    /// # Errors
    /// [`WorkbookError::NoScenario`], and as [`Workbook::dataset`].
    pub fn scenario_geojson(&self, name: &str) -> Result<String> {
        let ds = self.dataset()?;
        let s = self.scenario(name)?;
        Ok(crate::export::plan_geojson(&ds, Some(&s.plan)))
    }
}

#[cfg(test)]
mod layering {
    /// The modules that read and write rows (and the migrations built on them) sit below the `Workbook` and its
    /// methods: none of them reaches back up, so the store's dependencies point one way.
    #[test]
    fn row_modules_do_not_reach_back_up_to_the_workbook() {
        let below = [
            ("dataset_io.rs", include_str!("dataset_io.rs")),
            ("scenario_rows.rs", include_str!("scenario_rows.rs")),
            ("migrations.rs", include_str!("migrations.rs")),
            ("account_rows.rs", include_str!("account_rows.rs")),
            ("team_rows.rs", include_str!("team_rows.rs")),
        ];
        let above = [
            "super::file",
            "super::scenarios::",
            "super::settings",
            "super::history",
            "super::locks",
            "super::figures",
            "super::workbook_dataset",
            "impl Workbook",
        ];
        for (name, text) in below {
            let code = text.split("#[cfg(test)]").next().unwrap_or(text);
            for up in above {
                assert!(!code.contains(up), "{name} depends on {up}");
            }
        }
    }
}
