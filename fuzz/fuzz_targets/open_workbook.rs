#![no_main]
//! cargo fuzz run open_workbook  (body: tessera_fuzz::open_workbook)

libfuzzer_sys::fuzz_target!(|data: &[u8]| tessera_fuzz::open_workbook(data));
