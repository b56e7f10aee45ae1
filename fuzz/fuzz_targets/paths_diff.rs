//! Fuzz target `paths_diff`: see `dealzone_fuzz::paths_diff` and fuzz/README.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dealzone_fuzz::paths_diff(data));
