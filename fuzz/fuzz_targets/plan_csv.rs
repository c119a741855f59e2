#![no_main]
//! cargo fuzz run plan_csv  (body: tessera_fuzz::plan_csv)

libfuzzer_sys::fuzz_target!(|data: &[u8]| tessera_fuzz::plan_csv(data));
