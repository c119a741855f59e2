#![no_main]
//! cargo fuzz run reps_csv  (body: tessera_fuzz::reps_csv)

libfuzzer_sys::fuzz_target!(|data: &[u8]| tessera_fuzz::reps_csv(data));
