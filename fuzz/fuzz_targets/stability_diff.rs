//! Fuzz target `stability_diff`: see `dealzone_fuzz::stability_diff` and fuzz/README.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dealzone_fuzz::stability_diff(data));
