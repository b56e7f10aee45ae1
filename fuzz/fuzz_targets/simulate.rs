//! Fuzz target `simulate`: see `dealzone_fuzz::simulate` and fuzz/README.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dealzone_fuzz::simulate(data));
