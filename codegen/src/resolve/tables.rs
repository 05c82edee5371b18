//! Phase 1: the name tables. Schemas and operations are sorted by name (output never depends on
//! file order), checked unique also after conversion to Rust, and numbered: an id is an index
//! into these tables, and every later phase keeps one entry per id.

use std::collections::{HashMap, HashSet};

use super::names::{camel_of, type_name, value_name};
use super::types::{innermost_schema, nesting, parse, substitute, TypeError, MAX_TYPE_DEPTH};
use super::Resolver;
use crate::ir::{self, Ident, OperationId, SchemaId};
use crate::load::{ast, Located};

pub(super) type LocatedSchema = Located<(String, ast::Schema)>;
pub(super) type LocatedOperation = Located<(String, ast::Operation)>;

pub(super) struct SchemaEntry<'a> {
    pub located: &'a LocatedSchema,
    pub rust_name: Ident,
}

pub(super) struct OperationEntry<'a> {
    pub located: &'a LocatedOperation,
    pub rust_name: Ident,
    pub builder: Ident,
}

/// What a schema is, known before its body is resolved.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Object,
    Enum,
    String,
    Union,
    Alias,
}

pub(super) struct Tables<'a> {
    /// Indexed by `SchemaId`.
    pub schemas: Vec<SchemaEntry<'a>>,
    pub schema_ids: HashMap<String, SchemaId>,
    pub kinds: Vec<Kind>,
    /// Indexed by `OperationId`.
    pub operations: Vec<OperationEntry<'a>>,
    pub operation_ids: HashMap<String, OperationId>,
    /// Each alias's type, with aliases inside it replaced (absent when it failed).
    pub aliases: HashMap<SchemaId, ir::Type>,
    /// Names whose definition was already reported as wrong: references to them stay silent.
    silenced: HashSet<String>,
}

impl Tables<'_> {
    pub fn is_silenced(&self, name: &str) -> bool {
        self.silenced.contains(name)
    }

    pub fn kind(&self, id: SchemaId) -> Kind {
        self.kinds[id.0]
    }

    /// `ty` with every alias replaced by the type it names.
    pub fn expand(&self, ty: ir::Type) -> ir::Type {
        match innermost_schema(&ty) {
            Some(id) if self.kind(id) == Kind::Alias => match self.aliases.get(&id) {
                Some(target) => substitute(&ty, target.clone()),
                None => ty,
            },
            _ => ty,
        }
    }

    /// An object schema (a value with fields).
    pub fn is_object(&self, ty: &ir::Type) -> bool {
        matches!(ty, ir::Type::Schema(id) if self.kind(*id) == Kind::Object)
    }

    /// A value with its own XML element: an object, or a union of objects.
    pub fn is_element(&self, ty: &ir::Type) -> bool {
        matches!(ty, ir::Type::Schema(id) if matches!(self.kind(*id), Kind::Object | Kind::Union))
    }

    /// A single value: a primitive (not `any`), an enum or a named string.
    pub fn is_simple(&self, ty: &ir::Type) -> bool {
        match ty {
            ir::Type::Primitive(primitive) => !matches!(primitive, ir::Primitive::Any | ir::Primitive::Binary),
            ir::Type::Schema(id) => matches!(self.kind(*id), Kind::Enum | Kind::String),
            _ => false,
        }
    }

    /// Text: a string, a URI or a named string.
    pub fn is_text(&self, ty: &ir::Type) -> bool {
        match ty {
            ir::Type::Primitive(primitive) => matches!(primitive, ir::Primitive::String | ir::Primitive::Uri),
            ir::Type::Schema(id) => matches!(self.kind(*id), Kind::String),
            _ => false,
        }
    }
}

impl<'a> Resolver<'a> {
    pub(super) fn tables(&mut self) -> Tables<'a> {
        let mut silenced: HashSet<String> = self.ast.unparsed.clone();
        let schemas = self.schema_table(&mut silenced);
        let operations = self.operation_table(&mut silenced);
        let schema_ids =
            schemas.iter().enumerate().map(|(index, entry)| (entry.located.value.0.clone(), SchemaId(index))).collect();
        let operation_ids = operations
            .iter()
            .enumerate()
            .map(|(index, entry)| (entry.located.value.0.clone(), OperationId(index)))
            .collect();
        let kinds = schemas
            .iter()
            .map(|entry| match entry.located.value.1.kind {
                ast::SchemaKind::Object => Kind::Object,
                ast::SchemaKind::Enum => Kind::Enum,
                ast::SchemaKind::String => Kind::String,
                ast::SchemaKind::Union => Kind::Union,
                ast::SchemaKind::Alias => Kind::Alias,
            })
            .collect();
        let mut tables =
            Tables { schemas, schema_ids, kinds, operations, operation_ids, aliases: HashMap::new(), silenced };
        self.aliases(&mut tables);
        tables
    }

    /// Resolves every alias to the type it finally names, following aliases of aliases; a
    /// chain that comes back to itself, or nests too deep once expanded, is an error.
    fn aliases(&mut self, tables: &mut Tables) {
        let mut direct: HashMap<SchemaId, ir::Type> = HashMap::new();
        for (index, entry) in tables.schemas.iter().enumerate() {
            let (_, schema) = &entry.located.value;
            if schema.kind != ast::SchemaKind::Alias {
                continue;
            }
            let (file, path) = (entry.located.file, entry.located.path.as_str());
            let Some(expr) = &schema.ty else {
                self.error(file, path, "an alias needs `type`: the type expression it stands for");
                continue;
            };
            if schema.fields.is_some() || schema.values.is_some() || schema.variants.is_some() {
                self.error(file, path, "an alias has only `type`, not `fields`, `values` or `variants`");
            }
            match parse(expr, &tables.schema_ids) {
                Ok(ty) if super::types::holds_binary(&ty) => {
                    self.error(file, &format!("{path}.type"), super::types::BINARY_PLACE);
                }
                Ok(ty) => {
                    direct.insert(SchemaId(index), ty);
                }
                Err(TypeError::Unknown(name)) if tables.silenced.contains(&name) || self.ast.incomplete => {}
                Err(TypeError::Unknown(name)) => {
                    let known =
                        ir::Primitive::ALL.iter().map(|(n, _)| *n).chain(tables.schema_ids.keys().map(String::as_str));
                    let hint = crate::diagnostics::did_you_mean(&name, known);
                    self.error(file, &format!("{path}.type"), format!("unknown type `{name}`{hint}"));
                }
                Err(TypeError::Malformed(message)) => {
                    self.error(file, &format!("{path}.type"), format!("malformed type `{expr}`: {message}"));
                }
            }
        }
        let mut ids: Vec<SchemaId> = direct.keys().copied().collect();
        ids.sort();
        for start in ids {
            // Follow the chain of aliases (each names at most one other); it ends at a
            // non-alias, at a failed alias, or comes back to one already on it.
            let mut chain = vec![start];
            let mut failed = false;
            while let Some(next) = direct.get(chain.last().expect("never empty")).and_then(innermost_schema) {
                if tables.kind(next) != Kind::Alias {
                    break;
                }
                if chain.contains(&next) {
                    let names: Vec<&str> =
                        chain.iter().chain([&next]).map(|id| tables.schemas[id.0].located.value.0.as_str()).collect();
                    let located = tables.schemas[start.0].located;
                    let message = format!("alias refers to itself ({})", names.join(" → "));
                    self.error(located.file, &format!("{}.type", located.path), message);
                    failed = true;
                    break;
                }
                if !direct.contains_key(&next) {
                    failed = true;
                    break;
                }
                chain.push(next);
            }
            if failed {
                continue;
            }
            let mut expanded = direct[chain.last().expect("never empty")].clone();
            for id in chain.iter().rev().skip(1) {
                expanded = substitute(&direct[id], expanded);
            }
            if nesting(&expanded) > MAX_TYPE_DEPTH {
                let located = tables.schemas[start.0].located;
                let message = format!(
                    "once its aliases are expanded, lists and maps nest more than {MAX_TYPE_DEPTH} levels deep"
                );
                self.error(located.file, &format!("{}.type", located.path), message);
                continue;
            }
            tables.aliases.insert(start, expanded);
        }
    }

    fn schema_table(&mut self, silenced: &mut HashSet<String>) -> Vec<SchemaEntry<'a>> {
        let mut sorted: Vec<&'a LocatedSchema> = self.ast.schemas.iter().collect();
        sorted.sort_by(|a, b| a.value.0.cmp(&b.value.0).then(a.file.cmp(&b.file)));
        let mut by_rust_name: HashMap<Ident, &LocatedSchema> = HashMap::new();
        let mut table = Vec::new();
        for located in sorted {
            let name = &located.value.0;
            let rust_name = match type_name(name) {
                Ok(rust_name) => rust_name,
                Err(message) => {
                    self.error(located.file, &located.path, message);
                    silenced.insert(name.clone());
                    continue;
                }
            };
            if let Some(first) = by_rust_name.get(&rust_name) {
                let message = if first.value.0 == *name {
                    format!(
                        "schema `{name}` is defined twice; the first is in {}",
                        self.file_name(first.file).display()
                    )
                } else {
                    format!(
                        "schema `{name}` and schema `{}` ({}) both become the Rust type `{rust_name}`",
                        first.value.0,
                        self.file_name(first.file).display()
                    )
                };
                self.error(located.file, &located.path, message);
                continue;
            }
            by_rust_name.insert(rust_name.clone(), located);
            table.push(SchemaEntry { located, rust_name });
        }
        table
    }

    fn operation_table(&mut self, silenced: &mut HashSet<String>) -> Vec<OperationEntry<'a>> {
        let mut sorted: Vec<&'a LocatedOperation> = self.ast.operations.iter().collect();
        sorted.sort_by(|a, b| a.value.0.cmp(&b.value.0).then(a.file.cmp(&b.file)));
        let mut by_rust_name: HashMap<Ident, &LocatedOperation> = HashMap::new();
        let mut by_builder: HashMap<Ident, &LocatedOperation> = HashMap::new();
        let mut table = Vec::new();
        for located in sorted {
            let id = &located.value.0;
            let named = value_name(id).and_then(|rust_name| match camel_of(&rust_name) {
                Some(builder) => Ok((rust_name, builder)),
                None => Err(format!("operation `{id}` cannot be turned into a request builder type name")),
            });
            let (rust_name, builder) = match named {
                Ok(names) => names,
                Err(message) => {
                    self.error(located.file, &located.path, message);
                    silenced.insert(id.clone());
                    continue;
                }
            };
            if super::rules::CLIENT_METHODS.contains(&rust_name.as_str()) {
                let message = format!(
                    "operation `{id}` becomes the method `{rust_name}`, which every client already has (it is one of {})",
                    super::rules::CLIENT_METHODS.join(", ")
                );
                self.error(located.file, &located.path, message);
            }
            if let Some(first) = by_rust_name.get(&rust_name) {
                let message = if first.value.0 == *id {
                    format!(
                        "operation `{id}` is defined twice; the first is in {}",
                        self.file_name(first.file).display()
                    )
                } else {
                    format!(
                        "operation `{id}` and operation `{}` ({}) both become the method `{rust_name}`",
                        first.value.0,
                        self.file_name(first.file).display()
                    )
                };
                self.error(located.file, &located.path, message);
                continue;
            }
            if let Some(first) = by_builder.get(&builder) {
                let message = format!(
                    "operation `{id}` and operation `{}` ({}) both get the request builder `requests::{builder}`",
                    first.value.0,
                    self.file_name(first.file).display()
                );
                self.error(located.file, &located.path, message);
                continue;
            }
            by_rust_name.insert(rust_name.clone(), located);
            by_builder.insert(builder.clone(), located);
            table.push(OperationEntry { located, rust_name, builder });
        }
        table
    }
}
