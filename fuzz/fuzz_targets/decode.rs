#![no_main]

// The first two bytes choose one of the generated crate's types (one byte would reach only the
// first 256 of them); the rest is decoded as JSON and, for APIs that speak it, XML.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((selector, body)) = data.split_first_chunk::<2>() {
        veeam_api::fuzzing::decode(usize::from(u16::from_le_bytes(*selector)), &String::from_utf8_lossy(body));
    }
});
