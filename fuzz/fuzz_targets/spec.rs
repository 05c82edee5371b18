#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| codegen::fuzzing::spec_bytes(data));
