//! Fuzz target `explain_diff`: see `dealzone_fuzz::explain_diff` and fuzz/README.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dealzone_fuzz::explain_diff(data));
