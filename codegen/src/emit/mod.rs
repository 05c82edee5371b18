//! emit: IR to token streams, one emitter per concern, then the crate's files.
//!
//! Emitters never fail on a resolved spec: every name they write is an IR identifier. The only
//! error here is a generator bug (tokens that do not parse), reported as `Error::Internal`.
//! Generated code names std items by their full paths (`::std::option::Option`), so that no
//! schema, builder or module name from a spec can shadow them.

pub mod cargo;
mod client;
mod docs;
mod fuzzing;
mod models;
mod operations;
mod paging;
mod tasks;
mod tests;
mod types;
mod unions;
mod wire_tests;
mod xml;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir;
use crate::write::{self, Rendered};
use crate::Error;

/// Where schema types are named from.
#[derive(Clone, Copy)]
pub(crate) enum ModelsPath<'a> {
    /// Inside the models module: by their names.
    Local,
    /// Elsewhere in the generated crate: `crate::<module>::models::Name`.
    Crate,
    /// Where the module imports `models` (the client and its `requests`): `models::Name`.
    Imported,
    /// From the generated crate's tests: `::<lib>::<module>::models::Name`.
    External(&'a ir::Ident),
    /// From a test module that imports each API module by its name: `<module>::models::Name`.
    ApiModule,
}

/// The module generated code is emitted into, for the names it defines.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The models module: schema types.
    Models,
    /// The `requests` module of a client: request builders.
    Requests,
    /// Any other module: no name from the spec is defined there.
    Other,
}

/// What every emitter needs: the API, the runtime crate's name, how to name models, and the
/// module the code lands in.
///
/// Token streams are not `Send`, and files are rendered on several threads: the context holds
/// IR values and turns them into tokens where used.
#[derive(Clone, Copy)]
pub(crate) struct Context<'a> {
    pub api: &'a ir::Api,
    /// Library name of the runtime (`veeam_runtime`).
    pub runtime: &'a ir::Ident,
    pub models: ModelsPath<'a>,
    pub scope: Scope,
}

/// Prelude items as generated code writes them in one module: bare, or by full path where a
/// name from the spec shadows them.
pub(crate) struct Std {
    pub string: TokenStream,
    pub vec: TokenStream,
    pub option: TokenStream,
    pub some: TokenStream,
    pub none: TokenStream,
    pub boxed: TokenStream,
    pub result: TokenStream,
    pub ok: TokenStream,
    pub err: TokenStream,
    pub from: TokenStream,
    pub as_ref: TokenStream,
    pub to_owned: TokenStream,
}

impl<'a> Context<'a> {
    /// The same API, emitting into another module.
    pub fn within(self, scope: Scope) -> Context<'a> {
        Context { scope, ..self }
    }

    /// Whether a name from the spec shadows the prelude name `name` here.
    fn shadowed(&self, name: &str) -> bool {
        let names = match self.scope {
            Scope::Models => &self.api.shadowed_in_models,
            Scope::Requests => &self.api.shadowed_in_requests,
            Scope::Other => return false,
        };
        names.iter().any(|n| n == name)
    }

    /// `Some(value)` or `None`, as code in this module writes them.
    pub fn some_or_none<T: quote::ToTokens>(&self, value: Option<T>) -> TokenStream {
        let Std { some, none, .. } = self.std();
        match value {
            Some(value) => quote!(#some(#value)),
            None => none,
        }
    }

    pub fn std(&self) -> Std {
        let get = |name: &str| -> TokenStream {
            if !self.shadowed(name) {
                let ident = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
                return quote!(#ident);
            }
            match name {
                "String" => quote!(::std::string::String),
                "Vec" => quote!(::std::vec::Vec),
                "Option" => quote!(::std::option::Option),
                "Some" => quote!(::std::option::Option::Some),
                "None" => quote!(::std::option::Option::None),
                "Box" => quote!(::std::boxed::Box),
                "Result" => quote!(::std::result::Result),
                "Ok" => quote!(::std::result::Result::Ok),
                "Err" => quote!(::std::result::Result::Err),
                "From" => quote!(::std::convert::From),
                "AsRef" => quote!(::std::convert::AsRef),
                "ToOwned" => quote!(::std::borrow::ToOwned),
                _ => quote!(::std::marker::Send),
            }
        };
        Std {
            string: get("String"),
            vec: get("Vec"),
            option: get("Option"),
            some: get("Some"),
            none: get("None"),
            boxed: get("Box"),
            result: get("Result"),
            ok: get("Ok"),
            err: get("Err"),
            from: get("From"),
            as_ref: get("AsRef"),
            to_owned: get("ToOwned"),
        }
    }

    /// The runtime's `client` module: `rt` in the `requests` module, which imports it under that
    /// name (nothing else there is lowercase: builders and status enums are UpperCamelCase).
    pub fn client_module(&self) -> TokenStream {
        if self.scope == Scope::Requests {
            return quote!(rt);
        }
        let runtime = self.runtime();
        quote!(#runtime::client)
    }

    /// `::veeam_runtime`.
    pub fn runtime(&self) -> TokenStream {
        let ident = self.runtime;
        quote!(::#ident)
    }

    /// The path in front of a schema type's name (with its `::`), if any.
    pub fn models_prefix(&self) -> TokenStream {
        let module = &self.api.module;
        match self.models {
            ModelsPath::Local => quote!(),
            ModelsPath::Crate => quote!(crate::#module::models::),
            ModelsPath::Imported => quote!(models::),
            ModelsPath::External(lib) => quote!(::#lib::#module::models::),
            ModelsPath::ApiModule => quote!(#module::models::),
        }
    }
}

/// What a job produces: a Rust file's tokens (formatted by the runner), some of its items, or
/// finished text.
enum Content {
    /// Tokens of a Rust file and the spec files it comes from; `None`: nothing to write.
    Rust(Vec<PathBuf>, Option<TokenStream>),
    /// Items of a Rust file whose other job emitted the rest with [`items_marker`] where these
    /// go: at the top level of the file, or (`nested`) in one of its modules.
    Items {
        tokens: TokenStream,
        nested: bool,
    },
    Text(String),
}

/// One job: the file it is part of, its piece of the file (0: the whole file, or its head when
/// pieces of items follow), the work it stands for (largest first), and the work itself.
struct Job<'a> {
    path: PathBuf,
    piece: usize,
    weight: usize,
    emit: Box<dyn FnOnce() -> Result<Content, Error> + Send + 'a>,
}

impl<'a> Job<'a> {
    fn new(path: impl Into<PathBuf>, emit: impl FnOnce() -> Result<Content, Error> + Send + 'a) -> Self {
        Job { path: path.into(), piece: 0, weight: 1, emit: Box::new(emit) }
    }
}

/// Items per piece of a big file: pieces are emitted and formatted on any core, so the models and
/// the client of a large API do not each keep one core busy while the other waits.
const ITEMS_PER_PIECE: usize = 100;

/// A constant standing where a file's items go, in the head emitted without them; the runner puts
/// the formatted items in its place.
pub(crate) fn items_marker() -> TokenStream {
    quote!(
        const __ITEMS__: () = ();
    )
}

/// The marker as prettyplease prints it (with the indentation of its module before it).
const ITEMS_MARKER_LINE: &str = "const __ITEMS__: () = ();\n";

/// Pieces of `count` items, each emitted by `emit` from its range of them.
fn item_pieces<'a>(
    path: &Path,
    count: usize,
    emit: impl Fn(std::ops::Range<usize>) -> Content + Send + Sync + Copy + 'a,
) -> Vec<Job<'a>> {
    (0..count)
        .step_by(ITEMS_PER_PIECE)
        .enumerate()
        .map(|(index, start)| {
            let range = start..count.min(start + ITEMS_PER_PIECE);
            Job {
                path: path.to_owned(),
                piece: index + 1,
                weight: range.len(),
                emit: Box::new(move || Ok(emit(range))),
            }
        })
        .collect()
}

/// CPU time of the two halves of rendering, summed over the threads (`cargo xtask bench`).
#[derive(Debug, Default, Clone, Copy)]
pub struct RenderTimes {
    /// Building token streams from the IR.
    pub emit: Duration,
    /// Parsing them with syn and printing them with prettyplease.
    pub format: Duration,
}

/// Renders the whole generated crate as it should be written to `out_dir`. Files, and the pieces
/// of big files, are rendered on all cores (formatting dominates the run time); the result does
/// not depend on which finishes first.
pub fn render(krate: &ir::Crate, spec: &ir::Spec, out_dir: &Path) -> Result<Rendered, Error> {
    render_timed(krate, spec, out_dir).map(|(rendered, _)| rendered)
}

/// [`render`], with the time spent emitting and formatting.
pub fn render_timed(krate: &ir::Crate, spec: &ir::Spec, out_dir: &Path) -> Result<(Rendered, RenderTimes), Error> {
    let spec_name = krate.spec_name.as_str();
    let runtime = &krate.runtime_lib;
    let all_files = sources(spec.apis.iter().flat_map(|api| api.files.iter()));

    let mut jobs: Vec<Job> = Vec::new();
    // Files whose head marks where their items go (even when there are none).
    let mut with_pieces = std::collections::HashSet::new();
    let runtime_path = write::slash(&relative_path(out_dir, &krate.runtime_dir));
    jobs.push(Job::new("Cargo.toml", move || cargo::manifest(krate, spec, &runtime_path).map(Content::Text)));
    let files = all_files.clone();
    jobs.push(Job::new("src/lib.rs", move || Ok(Content::Rust(files, Some(lib_rs(krate, spec))))));
    for api in &spec.apis {
        let dir = PathBuf::from("src").join(api.module.as_str());
        let schema_files = sources(api.schemas.iter().map(|s| &s.file));
        let models = Context { api, runtime, models: ModelsPath::Local, scope: Scope::Models };
        let path = dir.join("models.rs");
        with_pieces.insert(path.clone());
        jobs.push(Job::new(&path, move || Ok(Content::Rust(schema_files, Some(models::emit(&models))))));
        jobs.extend(item_pieces(&path, api.schemas.len(), move |range| Content::Items {
            tokens: models::schema_items(&models, range),
            nested: false,
        }));
        let client = Context { api, runtime, models: ModelsPath::Imported, scope: Scope::Other };
        let path = dir.join("client.rs");
        with_pieces.insert(path.clone());
        jobs.push(Job::new(&path, move || Ok(Content::Rust(api.files.clone(), Some(client::emit(&client))))));
        jobs.extend(item_pieces(&path, api.operations.len(), move |range| Content::Items {
            tokens: operations::request_items(&client, range),
            nested: true,
        }));
        let context = Context { api, runtime, models: ModelsPath::Crate, scope: Scope::Other };
        jobs.push(Job::new(dir.join("mod.rs"), move || {
            Ok(Content::Rust(api.files.clone(), Some(api_mod_rs(&context))))
        }));
    }
    let test_dir = out_dir.join("tests");
    let files = all_files.clone();
    jobs.push(Job::new("tests/documented_examples.rs", move || {
        let tokens = tests::documented_examples(spec, runtime, &krate.lib, |example| {
            write::slash(&relative_path(&test_dir, &krate.spec_dir.join(&example.file)))
        });
        Ok(Content::Rust(files, tokens))
    }));
    let files = all_files.clone();
    let operations = spec.apis.iter().map(|api| api.operations.len()).sum();
    jobs.push(Job {
        weight: operations,
        ..Job::new("tests/operations_on_the_wire.rs", move || {
            Ok(Content::Rust(files, wire_tests::operations(spec, runtime, &krate.lib)))
        })
    });
    jobs.push(Job::new("tests/sensitive_debug.rs", move || {
        Ok(Content::Rust(all_files, tests::sensitive_debug(spec, runtime, &krate.lib)))
    }));

    // The largest at the end of the queue, so they are taken first.
    jobs.sort_by_key(|job| job.weight);
    let times = Mutex::new(RenderTimes::default());
    let results = crate::parallel::map(jobs, |job| (job.path, job.piece, finish(spec_name, job.emit, &times)));
    let mut pieces: BTreeMap<PathBuf, BTreeMap<usize, String>> = BTreeMap::new();
    for (path, piece, text) in results {
        pieces.entry(path).or_default().insert(piece, text?);
    }
    let mut rendered = Rendered::default();
    for (path, mut pieces) in pieces {
        let head = pieces.remove(&0).unwrap_or_default();
        let contents = if with_pieces.contains(&path) { with_items(&path, head, pieces.into_values())? } else { head };
        // An empty file means the job had nothing to write (no examples, say).
        if !contents.is_empty() {
            rendered.files.insert(path, contents);
        }
    }
    let times = times.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok((rendered, times))
}

/// A file's head with its formatted items in the place of the marker line (a line holding the
/// marker and its indentation only: a comment quoting it is not it).
fn with_items(path: &Path, head: String, items: impl Iterator<Item = String>) -> Result<String, Error> {
    let mut markers = head.match_indices(ITEMS_MARKER_LINE).map(|(at, _)| at).filter(|&at| {
        let line_start = head[..at].rfind('\n').map_or(0, |newline| newline + 1);
        head[line_start..at].bytes().all(|b| b == b' ')
    });
    let (Some(at), None) = (markers.next(), markers.next()) else {
        return Err(Error::Internal(format!("{}: not one line marks where the items go", path.display())));
    };
    let line_start = head[..at].rfind('\n').map_or(0, |newline| newline + 1);
    let mut contents = String::with_capacity(head.len());
    contents.push_str(&head[..line_start]);
    items.for_each(|items| contents.push_str(&items));
    contents.push_str(&head[at + ITEMS_MARKER_LINE.len()..]);
    Ok(contents)
}

/// Runs a job and formats what it emitted, adding the time of each half to `times`.
fn finish<'a>(
    spec_name: &str,
    job: Box<dyn FnOnce() -> Result<Content, Error> + Send + 'a>,
    times: &Mutex<RenderTimes>,
) -> Result<String, Error> {
    let start = Instant::now();
    let content = job();
    let emitted = Instant::now();
    let text = match content? {
        Content::Text(text) => Ok(text),
        Content::Rust(_, None) => Ok(String::new()),
        Content::Rust(sources, Some(tokens)) => write::rust_file(spec_name, &sources, tokens),
        Content::Items { tokens, nested } => write::rust_items(tokens, nested),
    };
    if let Ok(mut times) = times.lock() {
        times.emit += emitted - start;
        times.format += emitted.elapsed();
    }
    text
}

/// One line of comment text: control and bidi characters escaped (see `docs::clean`), so no
/// spec text can end the line it is written on.
pub fn clean_line(text: &str) -> String {
    docs::clean(text).replace('\n', "\\n")
}

/// `Some(value)` or `None`, as tokens, in a module where no spec name shadows them.
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

fn lib_rs(krate: &ir::Crate, spec: &ir::Spec) -> TokenStream {
    let runtime_ident = &krate.runtime_lib;
    let runtime = quote!(::#runtime_ident);
    let docs = docs::inner(Some(krate.docs.as_deref().unwrap_or(&krate.description)));
    let fuzzing = fuzzing::module(spec, runtime_ident);
    let modules = spec.apis.iter().map(|api| {
        let module = &api.module;
        let feature = api.feature();
        let summary = docs::outer(Some(&format!("{}\n\nFeature `{feature}` (on by default).", api.title)));
        // prettyplease, not rustfmt, formats generated code: keep `cargo fmt` out of it.
        quote! { #summary #[cfg(feature = #feature)] #[rustfmt::skip] pub mod #module; }
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
        // The shapes of types and the names are the API's: deep nesting, or a schema called
        // `New` (whose constructor is `new`), are not generated code's choice.
        #![allow(clippy::type_complexity, clippy::self_named_constructors)]
        // Unions hold their alternatives by value, as the documents' `oneOf`s do; boxing every
        // large one would cost an allocation per value for a lint's size heuristic.
        #![allow(clippy::large_enum_variant)]
        // Descriptions are the documents' own Markdown, list indentation included.
        #![allow(clippy::doc_overindented_list_items, clippy::doc_lazy_continuation)]

        #(#modules)*

        pub use shared::*;

        #fuzzing

        // In a skipped module: rustfmt would reorder these re-exports.
        #[rustfmt::skip]
        mod shared {
            #xml

            /// Types shared by every API: identifiers, timestamps and the opaque value of unknown
            /// enum variants.
            pub use #runtime::{Date, DateTime, InvalidDateTime, UnknownValue, Uuid};

            /// Client settings and values shared by every API's client: files sent (`Upload`) and
            /// received (`Download`, or streamed: `ByteStream`), a body with its status and
            /// headers (`ResponseValue`, from `send_with_response()`), the credentials and limits a
            /// client's `Transport` holds, when calls are tried again (`RetryConfig`), and the TLS
            /// provider to install before building a `reqwest::Client` of one's own
            /// (`install_tls_provider`).
            pub use #runtime::client::{
                install_tls_provider, BuildError, ByteStream, Download, Format, Limits, ResponseValue, RetryConfig,
                Secret, Tokens, Transport, Upload,
            };

            /// What an error says, kind by kind (the variants of each API's `Error`): to name them
            /// in a function's signature.
            pub mod error {
                pub use #runtime::client::{
                    ApiError, AuthError, ConnectError, DecodeError, EncodeError, Error, IoError, TaskError,
                    TaskErrorKind, TimeoutError, TooLargeError, TransportError, UnexpectedStatusError,
                };
            }

            /// The crates whose types the client's settings take: `time` (timestamps, with
            /// `DateTime::now_utc()` and arithmetic on `std::time::Duration` built in) and
            /// `reqwest` (a preconfigured HTTP client for `ClientBuilder::http_client`).
            pub use #runtime::{reqwest, time};

            /// Waiting for the tasks long operations answer with: what a task reports
            /// (`TaskStatus`: `related_id()`, `message()`) and how long to poll (`TaskWait`).
            pub use #runtime::client::{TaskErrorKind, TaskStatus, TaskWait};

            /// IDs inside URNs (`urn:veeam:BackupServer:<uuid>`) and URLs: what the `id()` methods
            /// of reference and link types use, for values held as plain text.
            pub use #runtime::ids;

            /// Filter expressions of query services (`field("Name").eq("x").and(...)`), for the
            /// `filter(...)` setters of query operations.
            pub use #runtime::filter;

            /// Reading what paginators return (`.items()`, `.pages()`): `use veeam_api::stream::TryStreamExt`
            /// for `try_next().await` and `try_collect().await`.
            pub use #runtime::stream;

            /// Reading and writing JSON bodies; errors name the member path
            /// (`Roles.EnterpriseRoles[0]`).
            pub mod json {
                pub use #runtime::json::{from_slice, from_str, to_string, Error, UnknownJson, Value};
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
    let error_enum = (api.error_bodies.len() > 1).then(|| {
        quote!(
            pub use client::ErrorBody;
        )
    });
    quote! {
        #docs

        pub mod client;
        pub mod models;

        pub use client::{Client, ClientBuilder};
        #error_enum

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

#[cfg(test)]
mod pieces_tests {
    use std::path::Path;

    #[test]
    fn items_take_the_marker_line_and_only_it() {
        let head = "//! Quoting const __ITEMS__: () = ();\n//! const __ITEMS__: () = ();\npub mod requests {\n    use x;\n    const __ITEMS__: () = ();\n}\n";
        let items = ["    struct A;\n".to_owned(), "    struct B;\n".to_owned()];
        let joined = super::with_items(Path::new("f.rs"), head.to_owned(), items.into_iter()).unwrap();
        assert_eq!(
            joined,
            "//! Quoting const __ITEMS__: () = ();\n//! const __ITEMS__: () = ();\npub mod requests {\n    use x;\n    struct A;\n    struct B;\n}\n"
        );
        assert!(super::with_items(Path::new("f.rs"), "struct A;\n".into(), std::iter::empty()).is_err());
    }
}
