//! resolve: every check of a spec lives here. The output IR is complete and correct by
//! construction, and all errors of a run are collected, not only the first.
//!
//! Resolution runs in phases, gated as serde_derive gates its passes on its error context: a
//! phase runs only on data the phases before it accepted, so whole-API rules never see a
//! half-resolved item (and never index past the items that resolved).
//!
//! 1. `tables`: the names of schemas and operations, their Rust names and stable ids;
//! 2. items, each on its own: the api section (`settings`), `schemas`, `operations` and
//!    the references of `auth` — every error of every item is reported;
//! 3. only when every item resolved: the reference `graph` (boxing, `Eq`, nesting depth) and
//!    the `rules` of the client as a whole, with the registry of every generated identifier.

mod auth;
mod graph;
mod krate;
mod names;
mod operations;
mod paging;
mod rules;
mod schemas;
mod settings;
mod tables;
mod tasks;
mod types;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{did_you_mean, Diagnostics};
use crate::ir::{self, Format};
use crate::load::ApiAst;

pub use auth::{is_scope, is_token_url, key_name_problem};
pub use krate::krate;
pub use names::{api_name, type_name, union_variant_name, value_name, variant_name};
pub use operations::is_media_type;
pub use rules::{BUILDER_MEMBERS, CLIENT_METHODS};
pub use types::MAX_TYPE_DEPTH;

/// Names every API module shares the crate root with, and (as cargo features, `_` written `-`)
/// the crate's own features.
const CRATE_ROOT_ITEMS: &[&str] = &[
    "json",
    "xml",
    "ids",
    "filter",
    "error",
    "time",
    "reqwest",
    "shared",
    "fuzzing",
    "default",
    "tls_ring",
    "tls_aws_lc",
];

/// Resolves every API; fails with all diagnostics when anything is wrong.
pub fn resolve(apis: Vec<ApiAst>, diagnostics: &mut Diagnostics) -> Option<ir::Spec> {
    let mut resolved = Vec::new();
    let mut modules: HashMap<ir::Ident, PathBuf> = HashMap::new();
    for api in &apis {
        let errors_before = diagnostics.len();
        let mut resolver = Resolver { ast: api, diagnostics };
        let Some(api_ir) = resolver.api() else { continue };
        let file = api.files.iter().position(|f| f.name == api_ir.api_file).unwrap_or(0);
        if CRATE_ROOT_ITEMS.contains(&api_ir.module.as_str()) {
            let message = format!(
                "API name `{}` is taken by the crate root's `{}` module or feature; choose another",
                api_ir.module, api_ir.module
            );
            diagnostics.push(api.diagnostic(file, "api.name", message));
        } else if let Some(first) = modules.get(&api_ir.module) {
            let message = format!(
                "API name `{}` is already used by {}; each API needs its own module",
                api_ir.module,
                first.display()
            );
            diagnostics.push(api.diagnostic(file, "api.name", message));
        } else {
            modules.insert(api_ir.module.clone(), api_ir.api_file.clone());
        }
        if diagnostics.len() == errors_before {
            resolved.push(api_ir);
        }
    }
    resolved.sort_by(|a, b| a.module.cmp(&b.module));
    diagnostics.is_empty().then_some(ir::Spec { apis: resolved })
}

/// Resolves one API, reporting into the run's diagnostics.
struct Resolver<'a> {
    ast: &'a ApiAst,
    diagnostics: &'a mut Diagnostics,
}

impl<'a> Resolver<'a> {
    fn error(&mut self, file: usize, path: &str, message: impl Into<String>) {
        let diagnostic = self.ast.diagnostic(file, path, message);
        self.diagnostics.push(diagnostic);
    }

    fn file_name(&self, file: usize) -> &Path {
        &self.ast.files[file].name
    }

    fn errors(&self) -> usize {
        self.diagnostics.len()
    }

    fn api(&mut self) -> Option<ir::Api> {
        let start = self.errors();
        // Phase 1: the api section and the name tables.
        let settings = self.settings();
        let tables = self.tables();

        // Phase 2: every item on its own.
        let formats = settings.as_ref().map_or(&[Format::Json][..], |s| &s.formats[..]).to_vec();
        let mut members = schemas::JsonMembers::default();
        let schemas: Vec<Option<ir::Schema>> =
            tables.schemas.iter().map(|entry| self.schema(entry, &tables, &formats, &mut members)).collect();
        // The API keys' names, which operations' `schemes` may name.
        let keys: Vec<&str> = settings.as_ref().and_then(|s| s.auth).map_or_else(Vec::new, |auth| {
            let short = auth.api_key.as_ref().map(|_| "api_key");
            short.into_iter().chain(auth.api_keys.keys().map(String::as_str)).collect()
        });
        let operations: Vec<Option<ir::Operation>> =
            tables.operations.iter().map(|entry| self.operation(entry, &tables, &formats, &keys)).collect();
        let auth = settings.as_ref().map(|s| self.auth(s.file, s.auth, &tables));

        // Gate: the whole-API rules need every item, and every file read.
        let (Some(mut settings), Some(auth)) = (settings, auth) else { return None };
        let module = settings.module.take()?;
        if self.errors() != start || self.ast.incomplete || !self.ast.unparsed.is_empty() {
            return None;
        }
        let mut schemas: Vec<ir::Schema> = schemas.into_iter().collect::<Option<_>>()?;
        let mut operations: Vec<ir::Operation> = operations.into_iter().collect::<Option<_>>()?;

        // Phase 3: the reference graph, then the client's rules and names.
        self.graph(&mut schemas, &tables);
        self.required_structs(&schemas, &tables);
        let json_members = members.resolve();
        let (auth, error_bodies, error_message) = self.rules(&settings, auth, &schemas, &mut operations, &tables);
        self.paging(&schemas, &mut operations, &tables);
        let tasks = self.tasks(&settings, &schemas, &operations, &tables);
        if self.errors() != start {
            return None;
        }
        let shadowed = |names: &mut dyn Iterator<Item = &ir::Ident>| -> Vec<String> {
            let mut found: Vec<String> = names
                .filter(|name| ir::PRELUDE.iter().any(|(p, _)| *p == name.as_str()))
                .map(|n| n.to_string())
                .collect();
            found.sort();
            found
        };
        let shadowed_in_models = shadowed(&mut schemas.iter().map(|s| &s.rust_name));
        let shadowed_in_requests = shadowed(&mut operations.iter().flat_map(|o| {
            let status_enum = match &o.output {
                ir::Output::ByStatus(status_enum) => Some(&status_enum.name),
                _ => None,
            };
            std::iter::once(&o.builder).chain(status_enum)
        }));
        Some(ir::Api {
            title: if settings.title.is_empty() { module.plain().to_owned() } else { settings.title },
            module,
            description: settings.description,
            sources: settings.sources,
            files: self.ast.files.iter().map(|f| f.name.clone()).collect(),
            api_file: self.file_name(settings.file).to_owned(),
            base_path: settings.base_path,
            default_port: settings.default_port,
            formats: settings.formats,
            default_format: settings.default_format,
            xml_namespace: settings.xml_namespace,
            headers: settings.headers,
            auth,
            schemas,
            operations,
            error_bodies,
            error_message,
            json_members,
            shadowed_in_models,
            shadowed_in_requests,
            tasks,
        })
    }

    /// Resolves a type expression; unknown names that were already reported are silent.
    /// A type expression that is a value: anything but raw bytes.
    fn ty(&mut self, file: usize, path: &str, expr: &str, tables: &tables::Tables) -> Option<ir::Type> {
        let ty = self.body_ty(file, path, expr, tables)?;
        if types::holds_binary(&ty) {
            self.error(file, path, types::BINARY_PLACE);
            return None;
        }
        Some(ty)
    }

    /// A type expression that may be raw bytes (`binary`, `list<binary>`): the caller checks
    /// where.
    fn body_ty(&mut self, file: usize, path: &str, expr: &str, tables: &tables::Tables) -> Option<ir::Type> {
        match types::parse(expr, &tables.schema_ids) {
            Ok(ty) => {
                let ty = tables.expand(ty);
                if types::nesting(&ty) > types::MAX_TYPE_DEPTH {
                    let message = format!(
                        "once aliases are expanded, lists and maps nest more than {} levels deep",
                        types::MAX_TYPE_DEPTH
                    );
                    self.error(file, path, message);
                    return None;
                }
                Some(ty)
            }
            Err(types::TypeError::Unknown(name)) if tables.is_silenced(&name) || self.ast.incomplete => None,
            Err(types::TypeError::Unknown(name)) => {
                let known =
                    ir::Primitive::ALL.iter().map(|(n, _)| *n).chain(tables.schema_ids.keys().map(String::as_str));
                let hint = did_you_mean(&name, known);
                self.error(file, path, format!("unknown type `{name}`{hint}"));
                None
            }
            Err(types::TypeError::Malformed(message)) => {
                self.error(file, path, format!("malformed type `{expr}`: {message}"));
                None
            }
        }
    }

    fn header_name(&mut self, file: usize, path: &str, name: &str) {
        if !is_token(name) {
            self.error(file, path, format!("`{}` is not a valid HTTP header name", name.escape_debug()));
        }
    }
}

/// An HTTP token (RFC 9110 section 5.6.2): what a header or cookie name is made of.
fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Description text: trimmed, `None` when empty.
fn docs(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

fn format(name: &str) -> Option<Format> {
    match name {
        "json" => Some(Format::Json),
        "xml" => Some(Format::Xml),
        _ => None,
    }
}
