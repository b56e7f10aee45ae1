//! Fuzz target `bargain_diff`: see `dealzone_fuzz::bargain_diff` and fuzz/README.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dealzone_fuzz::bargain_diff(data));
