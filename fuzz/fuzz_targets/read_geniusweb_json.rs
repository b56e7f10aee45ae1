//! Fuzz target `read_geniusweb_json`: see `dealzone_fuzz::read_genius` and fuzz/README.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dealzone_fuzz::read_genius(data));
