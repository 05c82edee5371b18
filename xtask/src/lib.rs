//! What `cargo xtask` and its tests share: the generated crates of the workspace.

use std::path::{Path, PathBuf};

/// Spec folders generated into workspace crates, relative to the workspace root: the shipped spec
/// first, then the fixtures whose generated code the workspace compiles, lints and tests.
pub const GENERATED: &[(&str, &str)] = &[
    ("spec", "generated"),
    ("codegen/tests/fixtures/kitchen_sink", "codegen/tests/fixtures/kitchen_sink_generated"),
    ("codegen/tests/fixtures/imported", "codegen/tests/fixtures/imported_generated"),
    ("codegen/tests/fixtures/hostile", "codegen/tests/fixtures/hostile_generated"),
    ("codegen/tests/fixtures/random", "codegen/tests/fixtures/random_generated"),
];

/// The workspace root (the folder above `xtask/`).
///
/// `cargo run` and `cargo test` name the manifest folder at run time; that wins over the one
/// compiled in, which is stale when two clones share a target folder (cargo reuses the binary).
pub fn workspace_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(Path::to_owned).unwrap_or(manifest)
}
