//! Fuzz target `read_scenario`: see `dealzone_fuzz::read_scenario` and fuzz/README.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dealzone_fuzz::read_scenario(data));
