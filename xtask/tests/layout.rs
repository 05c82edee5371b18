//! Folder = package: every package of the repository's three workspaces lives in a folder of its
//! own name, except the two published crates (ARCHITECTURE.md, "The crates and folders").

use std::path::{Path, PathBuf};
use std::process::Command;

/// Folders whose package keeps its published name.
const PUBLISHED: [(&str, &str); 2] = [("generated", "veeam-api"), ("runtime", "veeam-runtime")];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the repository").to_path_buf()
}

/// `(folder name, package name)` of every package in the workspace of `manifest`.
fn packages(manifest: &Path) -> Vec<(String, String)> {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--no-deps", "--format-version", "1", "--offline", "--manifest-path"])
        .arg(manifest)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo metadata {}: {}",
        manifest.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    metadata["packages"]
        .as_array()
        .expect("a package list")
        .iter()
        .map(|package| {
            let manifest = Path::new(package["manifest_path"].as_str().expect("a manifest path"));
            let folder = manifest.parent().and_then(Path::file_name).expect("a folder");
            (folder.to_string_lossy().into_owned(), package["name"].as_str().expect("a name").to_owned())
        })
        .collect()
}

#[test]
fn every_package_is_named_after_its_folder() {
    let root = root();
    let mut seen = Vec::new();
    for manifest in ["Cargo.toml", "fuzz/Cargo.toml", "codegen/tests/fixtures/Cargo.toml"] {
        seen.extend(packages(&root.join(manifest)));
    }
    assert!(seen.len() >= 12, "the three workspaces hold at least 12 packages, found {seen:?}");
    let misnamed: Vec<_> = seen
        .iter()
        .filter(|(folder, package)| folder != package && !PUBLISHED.contains(&(folder.as_str(), package.as_str())))
        .collect();
    assert!(misnamed.is_empty(), "packages not named after their folder (folder, package): {misnamed:?}");
    for (folder, package) in PUBLISHED {
        assert!(seen.contains(&(folder.to_owned(), package.to_owned())), "{folder}/ holds {package}");
    }
}
