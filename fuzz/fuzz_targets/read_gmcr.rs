//! Fuzz target `read_gmcr`: see `dealzone_fuzz::read_gmcr` and fuzz/README.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dealzone_fuzz::read_gmcr(data));
