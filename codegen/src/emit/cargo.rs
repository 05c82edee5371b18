//! The generated crate's Cargo.toml, written by the `toml` serializer: no value from the spec
//! can end a string or add a key.

use serde::Serialize;

use crate::ir;
use crate::write;
use crate::Error;

/// The oldest Rust a generated crate builds with: the runtime's (`rust-version` of this
/// workspace, which the runtime inherits; `xtask/tests/cli.rs` checks they agree), since every
/// generated crate depends on it.
pub const RUST_VERSION: &str = "1.89";

#[derive(Serialize)]
struct Manifest<'a> {
    package: Package<'a>,
    lib: Lib<'a>,
    dependencies: Dependencies<'a>,
    #[serde(rename = "dev-dependencies")]
    dev_dependencies: DevDependencies<'a>,
    features: std::collections::BTreeMap<&'a str, Vec<&'a str>>,
}

#[derive(Serialize)]
struct Package<'a> {
    name: &'a str,
    version: &'a str,
    description: &'a str,
    edition: &'a str,
    #[serde(rename = "rust-version")]
    rust_version: &'a str,
    license: &'a str,
    publish: bool,
}

#[derive(Serialize)]
struct Lib<'a> {
    name: &'a str,
    /// Documentation is the API's text: its code blocks are not Rust to test.
    doctest: bool,
}

#[derive(Serialize)]
struct Dependencies<'a> {
    #[serde(flatten)]
    runtime: std::collections::BTreeMap<&'a str, PathDependency<'a>>,
    serde: VersionDependency<'a>,
}

#[derive(Serialize)]
struct DevDependencies<'a> {
    #[serde(flatten)]
    runtime: std::collections::BTreeMap<&'a str, PathDependency<'a>>,
    // The tests on the wire run on tokio (their helpers and server are the runtime's `testing`).
    tokio: VersionDependency<'a>,
}

#[derive(Serialize)]
struct PathDependency<'a> {
    path: &'a str,
    /// Written only when `false`.
    #[serde(rename = "default-features", skip_serializing_if = "is_true")]
    default_features: bool,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    features: &'a [&'a str],
}

fn is_true(value: &bool) -> bool {
    *value
}

#[derive(Serialize)]
struct VersionDependency<'a> {
    version: &'a str,
    features: &'a [&'a str],
}

/// Cargo.toml of the generated crate, with the `@generated` header.
pub fn manifest(krate: &ir::Crate, spec: &ir::Spec, runtime_path: &str) -> Result<String, Error> {
    // One feature per API, all on by default: a crate that needs one API compiles only it.
    let apis: Vec<String> = spec.apis.iter().map(ir::Api::feature).collect();
    let mut features: std::collections::BTreeMap<&str, Vec<&str>> =
        apis.iter().map(|feature| (feature.as_str(), Vec::new())).collect();
    features.insert("default", apis.iter().map(String::as_str).collect());
    // `fuzzing`: an entry point decoding any type, for the decode fuzz target.
    features.insert("fuzzing", Vec::new());
    // The runtime's TLS backends, ring by default (see the runtime's manifest).
    let tls_ring = format!("{}/tls-ring", krate.runtime_package);
    let tls_aws_lc = format!("{}/tls-aws-lc", krate.runtime_package);
    features.insert("tls-ring", vec![tls_ring.as_str()]);
    features.insert("tls-aws-lc", vec![tls_aws_lc.as_str()]);
    features.entry("default").or_default().push("tls-ring");
    let manifest = Manifest {
        package: Package {
            name: &krate.package,
            version: &krate.version,
            description: &krate.description,
            edition: "2021",
            rust_version: RUST_VERSION,
            license: "MIT OR Apache-2.0",
            publish: false,
        },
        lib: Lib { name: krate.lib.as_str(), doctest: false },
        dependencies: Dependencies {
            runtime: [(
                krate.runtime_package.as_str(),
                PathDependency { path: runtime_path, default_features: false, features: &[] },
            )]
            .into(),
            serde: VersionDependency { version: "1", features: &["derive"] },
        },
        dev_dependencies: DevDependencies {
            runtime: [(
                krate.runtime_package.as_str(),
                PathDependency { path: runtime_path, default_features: true, features: &["testing"] },
            )]
            .into(),
            tokio: VersionDependency { version: "1", features: &["macros", "rt"] },
        },
        features,
    };
    let text = toml::to_string(&manifest).map_err(|e| Error::Internal(format!("Cargo.toml: {e}")))?;
    let header = write::header("#", &krate.spec_name, &[std::path::PathBuf::from(crate::load::CRATE_FILE)]);
    Ok(format!("{header}{text}"))
}
