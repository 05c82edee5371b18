#![no_main]

// The runtime's XML reader on any input: no panic, and whatever it accepts roxmltree (an
// independent strict parser) accepts as the same tree (the runtime's is the stricter reader).
#[path = "../../runtime/tests/xml_reference/mod.rs"]
mod xml_reference;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(difference) = xml_reference::compare(&text, 64) {
        panic!("{difference}\n{text:?}");
    }
});
