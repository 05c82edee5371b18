#![no_main]

// The first byte chooses one of the generated crate's types; the rest is decoded as JSON and,
// for APIs that speak it, XML.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((selector, body)) = data.split_first() {
        veeam_api::fuzzing::decode(usize::from(*selector), &String::from_utf8_lossy(body));
    }
});
