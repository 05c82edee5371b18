//! `crate.yaml`: the generated crate's package and library names, version and description,
//! checked so that the Cargo.toml and lib.rs written from them are valid.

use crate::diagnostics::Diagnostics;
use crate::ir::{self, Ident, KEYWORDS};
use crate::load::CrateSpec;

/// Library names that would shadow the standard crates or those generated code uses.
const TAKEN_LIBRARIES: &[&str] = &["std", "core", "alloc", "proc_macro", "test", "serde"];

/// The longest package name crates.io takes.
const MAX_NAME: usize = 64;

/// A package name Cargo accepts, and its library name.
fn package(name: &str) -> Result<Ident, String> {
    let shown = name.escape_debug();
    if name.is_empty() || name.len() > MAX_NAME {
        return Err(format!("`{shown}` must have 1 to {MAX_NAME} characters"));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(format!("`{shown}` must start with an ASCII letter"));
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(format!("`{shown}` may hold only ASCII letters, digits, `-` and `_`"));
    }
    let lib = name.replace('-', "_");
    if KEYWORDS.contains(&lib.as_str()) {
        return Err(format!("`{name}` is a Rust keyword"));
    }
    if TAKEN_LIBRARIES.contains(&lib.as_str()) {
        return Err(format!("`{name}` would shadow the `{lib}` crate"));
    }
    Ident::new(&lib).ok_or_else(|| format!("`{name}` cannot be a library name"))
}

/// Resolves `crate.yaml`; errors name the key.
pub fn krate(spec: &CrateSpec, diagnostics: &mut Diagnostics) -> Option<ir::Crate> {
    let errors_before = diagnostics.len();
    let mut error = |path: &str, message: String| diagnostics.push(spec.diagnostic(path, message));
    let krate = &spec.krate;
    let lib = package(&krate.name).map_err(|message| error("crate.name", message)).ok();
    let runtime_lib = package(&krate.runtime.package).map_err(|message| error("crate.runtime.package", message)).ok();
    if let (Some(lib), Some(runtime)) = (&lib, &runtime_lib) {
        if lib == runtime {
            error("crate.name", format!("the generated crate and the runtime are both named `{lib}`"));
        }
    }
    if let Err(problem) = semver::Version::parse(&krate.version) {
        let message =
            format!("`{}` is not a semantic version (such as 0.1.0): {problem}", krate.version.escape_debug());
        error("crate.version", message);
    }
    let (Some(lib), Some(runtime_lib)) = (lib, runtime_lib) else { return None };
    (diagnostics.len() == errors_before).then(|| ir::Crate {
        package: krate.name.clone(),
        lib,
        version: krate.version.clone(),
        description: krate.description.clone(),
        docs: krate.docs.clone(),
        runtime_package: krate.runtime.package.clone(),
        runtime_lib,
        runtime_dir: spec.runtime_dir.clone(),
        spec_name: spec.spec_name.clone(),
        spec_dir: spec.spec_dir.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names() {
        assert_eq!(package("veeam-api").unwrap().as_str(), "veeam_api");
        for bad in ["self", "1demo-api", "veeam api", "", "std", "a\"b", "fn", "serde", "é"] {
            assert!(package(bad).is_err(), "{bad}");
        }
    }
}
