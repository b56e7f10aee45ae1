//! Fuzz target `read_timeline`: see `dealzone_fuzz::read_timeline` and fuzz/README.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dealzone_fuzz::read_timeline(data));
