//! Fuzz target `parse_rule`: see `dealzone_fuzz::parse_rule` and fuzz/README.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dealzone_fuzz::parse_rule(data));
