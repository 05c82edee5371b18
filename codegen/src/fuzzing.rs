//! Entry points of the fuzz targets (`fuzz/`), kept here so that `cargo test` replays every
//! input a fuzzer ever found (`codegen/tests/fuzz_regressions/`) through the same code.
//!
//! Each must return, never panic, for any input; the structured one also checks that a spec the
//! random generator makes resolves and renders.

use std::path::Path;

use crate::load::{ApiSource, SourceFile};

const CRATE_YAML: &str = "crate:\n  name: fuzz-api\n  version: 0.1.0\n  description: Fuzzed\n  runtime:\n    package: veeam-runtime\n    path: ../runtime\n";

/// Arbitrary bytes as the files of one API: the first byte says how many files (1 to 3), the
/// rest is split at NUL bytes.
pub fn spec_bytes(data: &[u8]) {
    let count = usize::from(data.first().copied().unwrap_or(0) % 3) + 1;
    let rest = data.get(1..).unwrap_or_default();
    let mut files: Vec<SourceFile> = rest
        .split(|b| *b == 0)
        .take(count)
        .enumerate()
        .map(|(index, bytes)| SourceFile {
            name: Path::new("fuzz").join(format!("file{index}.yaml")),
            text: String::from_utf8_lossy(bytes).into_owned(),
        })
        .collect();
    if files.is_empty() {
        files.push(SourceFile { name: "fuzz/api.yaml".into(), text: String::new() });
    }
    let source = ApiSource { dir: Path::new("/nonexistent/fuzz").to_owned(), files };
    let _ = crate::render_in_memory(CRATE_YAML, vec![source], Path::new("/nonexistent"), Path::new("/nonexistent/out"));
}

/// Arbitrary bytes driving the random spec generator: whatever it makes must resolve and render.
pub fn spec_structured(data: &[u8]) {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok((name, files)) = crate::synth::random::api_from(&mut u, "fuzzed") else { return };
    let files = files.into_iter().map(|(file, text)| SourceFile { name: Path::new(&name).join(file), text }).collect();
    let source = ApiSource { dir: Path::new("/nonexistent").join(&name), files };
    if let Err(error) =
        crate::render_in_memory(CRATE_YAML, vec![source], Path::new("/nonexistent"), Path::new("/nonexistent/out"))
    {
        panic!("a generated spec must resolve and render:\n{error}");
    }
}

/// Arbitrary bytes as an OpenAPI document.
pub fn import(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(imported) = crate::import::import(&text, "fuzz.yaml", "fuzz") {
        // What the importer writes must resolve: an import it accepts is a spec.
        let files = imported
            .files
            .into_iter()
            .map(|(file, text)| SourceFile { name: Path::new("fuzz").join(file), text })
            .collect();
        let source = ApiSource { dir: Path::new("/nonexistent/fuzz").to_owned(), files };
        let _ = crate::resolve_sources(vec![source]);
    }
}
