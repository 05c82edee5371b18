//! Inputs the decode fuzz target (`fuzz/fuzz_targets/decode.rs`) found a problem with, replayed:
//! `tests/fuzz_regressions/decode/*` (first byte: the type; the rest: the body). Also every
//! documented body against every type, which is what the fuzzer's corpus starts from.

use std::path::Path;

#[test]
fn decode_inputs_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz_regressions/decode");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        if let Some((selector, body)) = data.split_first() {
            veeam_api::fuzzing::decode(usize::from(*selector), &String::from_utf8_lossy(body));
        }
    }
}

#[test]
fn every_documented_body_as_every_type_never_panics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    for api in ["backup_for_aws", "enterprise_manager"] {
        for entry in std::fs::read_dir(root.join(api).join("examples")).unwrap() {
            let body = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for selector in 0..veeam_api::fuzzing::TYPES {
                veeam_api::fuzzing::decode(selector, &body);
            }
        }
    }
}
