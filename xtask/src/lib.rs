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
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_owned()
}
