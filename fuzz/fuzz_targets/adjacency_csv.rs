#![no_main]
//! cargo fuzz run adjacency_csv  (body: tessera_fuzz::adjacency_csv)

libfuzzer_sys::fuzz_target!(|data: &[u8]| tessera_fuzz::adjacency_csv(data));
