//! The repository stands alone: a clone with nothing beside it builds, tests and re-imports.
//!
//! - No file of the repository refers to a path outside it (a relative path that climbs above
//!   the root, or an absolute path into the folder that holds the root).
//! - Every vendored document is listed in the `MANIFEST.tsv` beside it, with its source, licence
//!   and checksum, and its bytes are the ones listed.
//!
//! CI also runs the whole test suite in a copy of the repository with no folder beside it
//! (`.ci/run`), which proves the first rule for whatever this scan cannot read.

use std::path::{Component, Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

/// Folders holding documents copied from elsewhere, each with a `MANIFEST.tsv`.
const VENDORED: [&str; 3] =
    ["codegen/tests/corpus", "spec/backup_for_aws/import", "spec/backup_and_replication/import"];

/// The repository's files: those git tracks (or would track), else every file outside `target`.
fn files() -> Vec<PathBuf> {
    let root = root();
    let listed = Command::new("git")
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .current_dir(&root)
        .output()
        .ok()
        .filter(|output| output.status.success());
    match listed {
        Some(output) => output
            .stdout
            .split(|&b| b == 0)
            .filter(|name| !name.is_empty())
            .map(|name| PathBuf::from(String::from_utf8_lossy(name).into_owned()))
            .filter(|name| root.join(name).is_file())
            .collect(),
        None => {
            let mut found = Vec::new();
            let mut pending = vec![PathBuf::new()];
            while let Some(dir) = pending.pop() {
                for entry in std::fs::read_dir(root.join(&dir)).unwrap() {
                    let entry = entry.unwrap();
                    let name = dir.join(entry.file_name());
                    if entry.file_type().unwrap().is_dir() {
                        if !matches!(entry.file_name().to_str(), Some("target" | ".git")) {
                            pending.push(name);
                        }
                    } else {
                        found.push(name);
                    }
                }
            }
            found
        }
    }
}

/// Files whose climbing paths are written into a fixture spec's `crate.yaml`, so they start at
/// that spec's folder.
const RELATIVE_TO: [(&str, &str); 3] = [
    ("codegen/tests/generate.rs", "codegen/tests/fixtures/kitchen_sink"),
    ("codegen/tests/random_specs.rs", "codegen/tests/fixtures/random"),
    ("xtask/src/main.rs", "codegen/tests/fixtures/random"),
];

/// Data that is not the project's own text: vendored documents, fuzz inputs, snapshots of them.
fn is_data(file: &Path) -> bool {
    let text = file.to_string_lossy();
    VENDORED.iter().any(|folder| file.starts_with(folder) && !text.ends_with("MANIFEST.tsv"))
        || text.contains("fuzz_regressions/")
        || text.starts_with("fuzz/corpus/")
}

/// The folder of the nearest `Cargo.toml` at or above `file`'s folder (what `CARGO_MANIFEST_DIR`
/// names in that file).
fn package_of(root: &Path, file: &Path) -> PathBuf {
    let mut dir = file.parent().unwrap_or(Path::new("")).to_owned();
    loop {
        if root.join(&dir).join("Cargo.toml").is_file() || dir.as_os_str().is_empty() {
            return dir;
        }
        dir.pop();
    }
}

/// Whether `relative`, taken from folder `from` (relative to the root), climbs above the root.
fn escapes(from: &Path, relative: &str) -> bool {
    let mut depth = from.components().filter(|c| matches!(c, Component::Normal(_))).count() as i64;
    for part in relative.split('/') {
        match part {
            ".." => depth -= 1,
            "." | "" => {}
            _ => depth += 1,
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

/// The relative paths in `line` that start by climbing (`../x`, `../../x/y`).
fn climbing_paths(line: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let bytes = line.as_bytes();
    let mut at = 0;
    while let Some(offset) = line[at..].find("../") {
        let start = at + offset;
        // Only where a path starts: not inside `a/../b` or `x../`.
        let starts_path = start == 0
            || !matches!(bytes[start - 1], b'/' | b'.' | b'_' | b'-') && !bytes[start - 1].is_ascii_alphanumeric();
        let mut end = start;
        while end < bytes.len()
            && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'/' | b'.' | b'_' | b'-'))
        {
            end += 1;
        }
        if starts_path {
            found.push(&line[start..end]);
        }
        at = end.max(start + 3);
    }
    found
}

#[test]
fn no_file_refers_to_a_path_outside_the_repository() {
    let root = root();
    let parent = root.parent().unwrap().to_string_lossy().into_owned();
    let mut outside = Vec::new();
    for file in files() {
        if is_data(&file) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(&file)) else { continue };
        let folder = file.parent().unwrap_or(Path::new("")).to_owned();
        let package = package_of(&root, &file);
        for (number, line) in text.lines().enumerate() {
            // Paths joined onto `CARGO_MANIFEST_DIR` start at the package, others at the file.
            let spec = RELATIVE_TO.iter().find(|(name, _)| file == Path::new(name)).map(|(_, spec)| Path::new(spec));
            let from = match spec {
                Some(spec) if !line.contains("CARGO_MANIFEST_DIR") => spec,
                _ if line.contains("CARGO_MANIFEST_DIR") => &package,
                _ => &folder,
            };
            for path in climbing_paths(line) {
                if escapes(from, path) {
                    outside.push(format!("{}:{}: `{path}` climbs out of the repository", file.display(), number + 1));
                }
            }
            if parent != "/" && line.contains(&format!("{parent}/")) {
                outside.push(format!("{}:{}: an absolute path beside the repository", file.display(), number + 1));
            }
        }
    }
    assert!(outside.is_empty(), "files refer to paths outside the repository:\n{}", outside.join("\n"));
}

/// The project speaks of itself by commits, dates and versions: a label naming a work session by
/// its number means nothing to a reader of the repository.
#[test]
fn no_file_labels_figures_by_work_session() {
    let root = root();
    let mut labelled = Vec::new();
    for file in files() {
        // This file names the labels it looks for.
        let own = file == Path::new("xtask/tests/standalone.rs");
        if own
            || is_data(&file)
            || !matches!(file.extension().and_then(|e| e.to_str()), Some("md" | "rs" | "yaml" | "toml"))
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(&file)) else { continue };
        for (number, line) in text.lines().enumerate() {
            if session_label(line) {
                labelled.push(format!("{}:{}: {}", file.display(), number + 1, line.trim()));
            }
        }
    }
    assert!(labelled.is_empty(), "figures labelled by work session, not commit or date:\n{}", labelled.join("\n"));
}

/// Whether `line` names a work session by number (the word `stop` or `session`, then a number).
fn session_label(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    ["stop ", "session "].iter().any(|word| {
        lower.match_indices(word).any(|(at, _)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + word.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric()) && after.is_some_and(|c| c.is_ascii_digit())
        })
    })
}

#[test]
fn the_scan_finds_paths_that_climb_out() {
    let (stop, session) = ("stop", "session");
    assert!(
        session_label(&format!("| {stop} 24 (ed06520) |")) && session_label(&format!("S{} 21, against", &stop[1..]))
    );
    assert!(session_label(&format!("after {session} 4")));
    assert!(!session_label("nonstop 3") && !session_label("the stop button"));
    assert_eq!(climbing_paths(r#"join("../../x/y.json") and ../z, a/../b"#), ["../../x/y.json", "../z"]);
    assert!(escapes(Path::new("codegen"), "../../x"));
    assert!(!escapes(Path::new("codegen/tests"), "../../runtime"));
    assert!(escapes(Path::new(""), "../x"));
    assert!(!escapes(Path::new("a/b"), "../c/../d"));
    assert!(escapes(Path::new("a"), "../b/../../c"));
}

#[test]
fn every_vendored_document_is_listed_with_its_source_licence_and_checksum() {
    let root = root();
    for folder in VENDORED {
        let manifest = std::fs::read_to_string(root.join(folder).join("MANIFEST.tsv"))
            .unwrap_or_else(|e| panic!("{folder}/MANIFEST.tsv: {e}"));
        let mut lines = manifest.lines();
        let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
        let column = |name: &str| {
            header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("{folder}: no `{name}` column"))
        };
        let (file, source, commit, license, sha) =
            (column("file"), column("source_repo"), column("commit"), column("license"), column("sha256"));
        let mut listed = Vec::new();
        for line in lines {
            let cells: Vec<&str> = line.split('\t').collect();
            let name = cells[file];
            for index in [source, commit, license] {
                assert!(!cells[index].trim().is_empty(), "{folder}/{name}: `{}` is empty", header[index]);
            }
            let bytes = std::fs::read(root.join(folder).join(name)).unwrap_or_else(|e| panic!("{folder}/{name}: {e}"));
            let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(digest, cells[sha], "{folder}/{name} is not the listed copy");
            listed.push(name.to_owned());
        }
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let own = matches!(name.as_str(), "MANIFEST.tsv" | "README.md") || name.starts_with("overlay");
            assert!(own || listed.contains(&name), "{folder}/{name} is not in MANIFEST.tsv");
        }
    }
}
