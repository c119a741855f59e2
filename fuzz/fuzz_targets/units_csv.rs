#![no_main]
//! cargo fuzz run units_csv  (body: tessera_fuzz::units_csv)

libfuzzer_sys::fuzz_target!(|data: &[u8]| tessera_fuzz::units_csv(data));
