#![no_main]
//! cargo fuzz run polygons_geojson  (body: tessera_fuzz::polygons_geojson)

libfuzzer_sys::fuzz_target!(|data: &[u8]| tessera_fuzz::polygons_geojson(data));
