//! Fuzz target `zones_diff`: see `dealzone_fuzz::zones_diff` and fuzz/README.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dealzone_fuzz::zones_diff(data));
