//! Every input a fuzzer found a problem with (`fuzz/`, see README), replayed through the same
//! entry points: `codegen/tests/fuzz_regressions/<target>/*`.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions").join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            continue;
        }
        run(&std::fs::read(&path).unwrap());
        count += 1;
    }
    count
}

#[test]
fn spec_inputs_never_panic() {
    replay("spec", codegen::fuzzing::spec_bytes);
}

#[test]
fn structured_spec_inputs_resolve_and_render() {
    replay("spec_structured", codegen::fuzzing::spec_structured);
}

#[test]
fn import_inputs_never_panic() {
    replay("import", codegen::fuzzing::import);
}
