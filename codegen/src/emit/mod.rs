//! emit: IR to token streams, one emitter per concern, then the crate's files.
//!
//! Emitters never fail on a resolved spec; the only error here is a generator bug (tokens that
//! do not parse), reported as `Error::Internal` instead of a panic.

mod client;
mod docs;
mod models;
mod tests;
mod types;
mod xml;

use std::path::{Component, Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir;
use crate::load::CrateSpec;
use crate::write::{self, Rendered};
use crate::Error;

/// What every emitter needs: the API, and how to name the runtime crate and the models.
///
/// Names are kept as text and turned into tokens where used: token streams are not `Send`, and
/// files are rendered on several threads.
pub(crate) struct Context<'a> {
    pub api: &'a ir::Api,
    /// Crate name of the runtime (`veeam_runtime`), from `crate.yaml`.
    pub runtime: &'a str,
    /// Path of the models module when emitting outside it (`crate::backup_for_aws::models`).
    pub models_path: Option<String>,
}

impl Context<'_> {
    /// `::veeam_runtime`.
    pub fn runtime(&self) -> TokenStream {
        let ident = format_ident!("{}", self.runtime);
        quote!(::#ident)
    }

    /// The models module path, when emitting outside it.
    pub fn models_path(&self) -> Option<TokenStream> {
        self.models_path.as_deref().and_then(|path| syn::parse_str::<syn::Path>(path).ok()).map(|path| quote!(#path))
    }
}

/// One file to render: its path and the job that renders it.
type Job<'a> = (PathBuf, Box<dyn FnOnce() -> Result<String, Error> + Send + 'a>);

/// Renders the whole generated crate as it should be written to `out_dir`. Files are rendered on
/// all cores (formatting dominates the run time); the result does not depend on which finishes first.
pub fn render(crate_spec: &CrateSpec, spec: &ir::Spec, out_dir: &Path) -> Result<Rendered, Error> {
    let spec_name = crate_spec.spec_name.as_str();
    let runtime_name = crate_spec.krate.runtime.package.replace('-', "_");
    let runtime_name = runtime_name.as_str();
    let lib = crate_spec.krate.name.replace('-', "_");
    let lib = lib.as_str();
    let all_files = sources(spec.apis.iter().flat_map(|api| api.files.iter()));

    let mut jobs: Vec<Job> = Vec::new();
    let cargo = cargo_toml(crate_spec, out_dir);
    jobs.push((PathBuf::from("Cargo.toml"), Box::new(move || Ok(cargo))));
    let files = all_files.clone();
    jobs.push((
        PathBuf::from("src/lib.rs"),
        Box::new(move || write::rust_file(spec_name, &files, lib_rs(crate_spec, spec, runtime_name))),
    ));
    for api in &spec.apis {
        let dir = PathBuf::from("src").join(&api.module);
        // Outside the models module, schema types are named by their full path.
        let models_path = Some(format!("crate::{}::models", api.module));
        let schema_files = sources(api.schemas.iter().map(|s| &s.file));
        jobs.push((
            dir.join("models.rs"),
            Box::new(move || {
                let context = Context { api, runtime: runtime_name, models_path: None };
                write::rust_file(spec_name, &schema_files, models::emit(&context))
            }),
        ));
        let path = models_path.clone();
        jobs.push((
            dir.join("client.rs"),
            Box::new(move || {
                let context = Context { api, runtime: runtime_name, models_path: path };
                write::rust_file(spec_name, &api.files, client::emit(&context))
            }),
        ));
        jobs.push((
            dir.join("mod.rs"),
            Box::new(move || {
                let context = Context { api, runtime: runtime_name, models_path };
                write::rust_file(spec_name, &api.files, api_mod_rs(&context))
            }),
        ));
    }
    let test_dir = out_dir.join("tests");
    let files = all_files.clone();
    jobs.push((
        PathBuf::from("tests/documented_examples.rs"),
        Box::new(move || {
            let lib = format_ident!("{}", lib);
            let tokens = tests::documented_examples(spec, runtime_name, &lib, |example| {
                write::slash(&relative_path(&test_dir, &crate_spec.spec_dir.join(&example.file)))
            });
            tokens.map(|tokens| write::rust_file(spec_name, &files, tokens)).unwrap_or(Ok(String::new()))
        }),
    ));
    jobs.push((
        PathBuf::from("tests/sensitive_debug.rs"),
        Box::new(move || {
            let lib = format_ident!("{}", lib);
            let tokens = tests::sensitive_debug(spec, runtime_name, &lib);
            tokens.map(|tokens| write::rust_file(spec_name, &all_files, tokens)).unwrap_or(Ok(String::new()))
        }),
    ));

    // Models and clients are the big files: at the end of the queue, so they are taken first.
    jobs.sort_by_key(|(path, _)| path.ends_with("models.rs") || path.ends_with("client.rs"));
    let mut rendered = Rendered::default();
    for (path, contents) in run_parallel(jobs) {
        let contents = contents?;
        // An empty file means the job had nothing to write (no examples, say).
        if !contents.is_empty() {
            rendered.files.insert(path, contents);
        }
    }
    Ok(rendered)
}

/// Runs the jobs on as many threads as there are cores, taking them from the end of the list.
fn run_parallel(jobs: Vec<Job>) -> Vec<(PathBuf, Result<String, Error>)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len()).max(1);
    let queue = std::sync::Mutex::new(jobs);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let job = match queue.lock() {
                    Ok(mut queue) => queue.pop(),
                    Err(_) => None,
                };
                let Some((path, job)) = job else { break };
                let result = job();
                if let Ok(mut results) = results.lock() {
                    results.push((path, result));
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

/// `Some(value)` or `None`, as tokens.
pub(crate) fn some_or_none<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

/// The distinct spec files, sorted.
fn sources<'a>(files: impl Iterator<Item = &'a PathBuf>) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = files.cloned().collect();
    files.sort();
    files.dedup();
    files
}

fn cargo_toml(crate_spec: &CrateSpec, out_dir: &Path) -> String {
    let krate = &crate_spec.krate;
    let runtime_path = write::slash(&relative_path(out_dir, &crate_spec.runtime_dir));
    let lib = krate.name.replace('-', "_");
    format!(
        r#"{header}[package]
name = "{name}"
version = "{version}"
description = "{description}"
edition = "2021"
rust-version = "1.88"
license = "MIT OR Apache-2.0"
publish = false

[lib]
name = "{lib}"

[dependencies]
{runtime} = {{ path = "{runtime_path}" }}
serde = {{ version = "1", features = ["derive"] }}

[dev-dependencies]
{runtime} = {{ path = "{runtime_path}", features = ["testing"] }}
"#,
        header = write::header("#", &crate_spec.spec_name, &[PathBuf::from(crate::load::CRATE_FILE)]),
        name = krate.name,
        version = krate.version,
        description = krate.description.replace('"', "\\\""),
        runtime = krate.runtime.package,
    )
}

fn lib_rs(crate_spec: &CrateSpec, spec: &ir::Spec, runtime_name: &str) -> TokenStream {
    let runtime_ident = format_ident!("{}", runtime_name);
    let runtime = quote!(::#runtime_ident);
    let docs = docs::inner(crate_spec.krate.docs.as_deref().or(Some(&crate_spec.krate.description)));
    let modules = spec.apis.iter().map(|api| {
        let module = format_ident!("{}", api.module);
        let summary = docs::outer(Some(&api.title));
        // prettyplease, not rustfmt, formats generated code: keep `cargo fmt` out of it.
        quote! { #summary #[rustfmt::skip] pub mod #module; }
    });
    let xml = spec.apis.iter().any(|api| api.speaks(ir::Format::Xml)).then(|| {
        quote! {
            /// Reading and writing the XML documents of the APIs that speak XML:
            /// `xml::from_str::<PasswordKeyInfo>(text)`, `xml::to_string(&value)`.
            pub mod xml {
                pub use #runtime::xml::{from_str, to_string, Error, FromXml, ToXml};
            }
        }
    });
    quote! {
        #docs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #![deny(clippy::unwrap_used, clippy::expect_used)]

        #(#modules)*

        pub use shared::*;

        // In a skipped module: rustfmt would reorder these re-exports.
        #[rustfmt::skip]
        mod shared {
            #xml

            /// Types shared by every API: identifiers, timestamps and the opaque value of unknown
            /// enum variants.
            pub use #runtime::{Date, DateTime, UnknownValue, Uuid};

            /// Client settings and values shared by every API's client.
            pub use #runtime::client::{BuildError, Format, Secret};

            /// Reading and writing JSON bodies; errors name the member path
            /// (`Roles.EnterpriseRoles[0]`).
            pub mod json {
                pub use #runtime::json::{from_slice, from_str, to_string, Error};
            }
        }
    }
}

fn api_mod_rs(context: &Context) -> TokenStream {
    let api = context.api;
    let mut text = api.title.clone();
    if let Some(description) = &api.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    if !api.sources.is_empty() {
        text.push_str("\n\nReference:");
        for source in &api.sources {
            text.push_str(&format!("\n- <{source}>"));
        }
    }
    let docs = docs::inner(Some(&text));
    let base_path = &api.base_path;
    let port = some_or_none(api.default_port);
    let headers = api.headers.iter().map(|h| {
        let (name, value) = (&h.name, &h.value);
        quote!((#name, #value))
    });
    let namespace = some_or_none(api.xml_namespace.as_deref());
    let runtime = &context.runtime();
    let error_body = client::error_body(context);
    quote! {
        #docs

        pub mod client;
        pub mod models;

        pub use client::{Client, ClientBuilder};

        /// Why a call failed: the status and decoded error body, a timeout, a transport failure, an
        /// undecodable response, ...
        pub type Error = #runtime::client::Error<#error_body>;

        /// Path prefix of every operation.
        pub const BASE_PATH: &str = #base_path;
        /// Port the server listens on by default.
        pub const DEFAULT_PORT: Option<u16> = #port;
        /// Headers sent with a fixed value on every call.
        pub const FIXED_HEADERS: &[(&str, &str)] = &[#(#headers),*];
        /// Default XML namespace of the API's documents.
        pub const XML_NAMESPACE: Option<&str> = #namespace;
    }
}

/// `to` relative to `from` (both made absolute and normalised), for paths written into
/// generated files.
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    fn parts(path: &Path) -> Vec<std::ffi::OsString> {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        let mut parts = Vec::new();
        for component in path.components() {
            match component {
                Component::CurDir => {}
                Component::ParentDir => {
                    parts.pop();
                }
                other => parts.push(other.as_os_str().to_owned()),
            }
        }
        parts
    }
    let (from, to) = (parts(from), parts(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to[common..] {
        out.push(part);
    }
    out
}
