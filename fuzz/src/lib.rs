//! The bodies of Tessera's fuzz targets, shared by the libFuzzer binaries in `fuzz_targets/` and by the
//! corpus replay test in `tests/replay.rs` (which runs every seed under `seeds/` and every regression input
//! under `../workbook/tests/data/fuzz-regressions/` on the stable toolchain, without libFuzzer).
//!
//! Each function must return normally for any input: an importer may refuse the bytes with an error, never
//! panic, hang or allocate without bound.

use std::path::Path;
use std::sync::OnceLock;

use tessera_optimizer::Units;
use tessera_workbook::import::{parse_adjacency, parse_locks, parse_plan, parse_polygons, parse_reps, parse_units};
use tessera_workbook::Workbook;

/// The units the plan, adjacency, locks and polygon targets are matched against: twelve Alabama counties
/// from sample-data/us-counties.csv, so seeds cut from the sample files name real units.
pub const UNITS_CSV: &str = "\
id,name,state,lon,lat,workload,accounts,territory
01001,Autauga,AL,-86.64172,32.53594,34222,4,R18
01003,Baldwin,AL,-87.72314,30.72661,98280,9,R22
01005,Barbour,AL,-85.3925,31.86949,25417,0,R21
01007,Bibb,AL,-87.12842,32.99766,16576,0,R18
01009,Blount,AL,-86.56704,33.98085,37150,2,R18
01011,Bullock,AL,-85.71566,32.10173,11070,0,R21
01013,Butler,AL,-86.68036,31.75193,14955,1,R22
01015,Calhoun,AL,-85.82604,33.77139,76380,5,R18
01017,Chambers,AL,-85.39232,32.91436,27730,1,R21
01019,Cherokee,AL,-85.6036,34.17597,19240,0,R18
01021,Chilton,AL,-86.71882,32.85404,29070,1,R18
01023,Choctaw,AL,-88.26317,32.01964,12500,0,R22
";

/// The fixed units (parsed once).
///
/// # Panics
/// If [`UNITS_CSV`] stops parsing: a bug in this crate, not a finding.
#[allow(clippy::unwrap_used)]
pub fn units() -> &'static Units {
    static UNITS: OnceLock<Units> = OnceLock::new();
    UNITS.get_or_init(|| {
        parse_units(Path::new("units.csv"), UNITS_CSV.as_bytes(), None)
            .unwrap()
            .0
            .units
    })
}

/// Units CSV importer, with no balanced measure and with `workload` named.
pub fn units_csv(data: &[u8]) {
    let _ = parse_units(Path::new("fuzz.csv"), data, None);
    let _ = parse_units(Path::new("fuzz.csv"), data, Some("workload"));
}

/// Reps CSV importer.
pub fn reps_csv(data: &[u8]) {
    let _ = parse_reps(Path::new("reps.csv"), data);
}

/// Plan (alignment) CSV importer, and the locks importer (same shape of file).
pub fn plan_csv(data: &[u8]) {
    let _ = parse_plan(Path::new("plan.csv"), data, units());
    let _ = parse_locks(Path::new("locks.csv"), data, units());
}

/// Adjacency CSV importer.
pub fn adjacency_csv(data: &[u8]) {
    let _ = parse_adjacency(Path::new("adjacency.csv"), data, units());
}

/// GeoJSON polygons importer.
pub fn polygons_geojson(data: &[u8]) {
    let _ = parse_polygons(Path::new("polygons.geojson"), data, units());
}

/// Opening a workbook from bytes: write them to a temporary file, open it read-write and read-only, read the
/// dataset, the scenario list, each scenario and its GeoJSON.
pub fn open_workbook(data: &[u8]) {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("fuzz.tessera");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(wb) = Workbook::open(&path) {
        read_all(&wb);
    }
    if let Ok(wb) = Workbook::open_read_only(&path) {
        read_all(&wb);
    }
}

fn read_all(wb: &Workbook) {
    let _ = wb.dataset();
    let _ = wb.units_geojson();
    if let Ok(list) = wb.scenarios() {
        for s in list.iter().take(8) {
            let _ = wb.scenario(&s.name);
            let _ = wb.scenario_geojson(&s.name);
        }
    }
}
