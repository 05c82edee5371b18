//! Random valid specs (`synth::random`) resolve and render, whatever the seed: the generator is
//! the other half of the promise "a spec that resolves generates code that compiles" (CI compiles
//! the crate of a fixed set of seeds, `codegen/tests/fixtures/random_generated`).

use codegen::load::{ApiSource, SourceFile};

#[test]
fn every_random_spec_resolves_and_renders() {
    let mut failures = Vec::new();
    let (mut schemas, mut operations) = (0, 0);
    for seed in 0..400 {
        for (name, files) in codegen::synth::random::from_seed(seed).apis {
            let source = ApiSource {
                dir: std::path::PathBuf::from("/nonexistent").join(&name),
                files: files
                    .iter()
                    .map(|(file, text)| SourceFile { name: std::path::Path::new(&name).join(file), text: text.clone() })
                    .collect(),
            };
            match codegen::resolve_sources(vec![source]) {
                Ok(spec) => {
                    let api = &spec.apis[0];
                    schemas += api.schemas.len();
                    operations += api.operations.len();
                }
                Err(diagnostics) => failures.push(format!("seed {seed}:\n{diagnostics}")),
            }
        }
    }
    // The generator is not stuck on its fallback: specs have substance.
    assert!(schemas > 400 * 3 && operations > 400 * 3, "{schemas} schemas, {operations} operations");
    assert!(
        failures.is_empty(),
        "{} of 400 seeds fail:\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n")
    );
}

/// The committed fixture (`cargo xtask random-specs`) is what the generator makes today, so the
/// crate CI compiles follows every change of the generator.
#[test]
fn random_fixture_is_current() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/random");
    let temp = tempfile::tempdir().unwrap();
    let fresh = temp.path().join("random");
    codegen::synth::random::write_folder(0..8, &fresh, "random_generated", "../../../../runtime").unwrap();
    let read = |root: &std::path::Path| -> Vec<(String, String)> {
        let mut files = Vec::new();
        for entry in walk(root) {
            let relative = entry.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            files.push((relative, std::fs::read_to_string(&entry).unwrap()));
        }
        files.sort();
        files
    };
    assert!(
        read(&fixture) == read(&fresh),
        "codegen/tests/fixtures/random is stale: run `cargo xtask random-specs` then `cargo xtask codegen`"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
