//! Phase 1: the name tables. Schemas and operations are sorted by name (output never depends on
//! file order), checked unique also after conversion to Rust, and numbered: an id is an index
//! into these tables, and every later phase keeps one entry per id.

use std::collections::{HashMap, HashSet};

use super::names::{camel_of, type_name, value_name};
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
}

pub(super) struct Tables<'a> {
    /// Indexed by `SchemaId`.
    pub schemas: Vec<SchemaEntry<'a>>,
    pub schema_ids: HashMap<String, SchemaId>,
    pub kinds: Vec<Kind>,
    /// Indexed by `OperationId`.
    pub operations: Vec<OperationEntry<'a>>,
    pub operation_ids: HashMap<String, OperationId>,
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

    /// An object schema (a value with fields).
    pub fn is_object(&self, ty: &ir::Type) -> bool {
        matches!(ty, ir::Type::Schema(id) if self.kind(*id) == Kind::Object)
    }

    /// A single value: a primitive (not `any`), an enum or a named string.
    pub fn is_simple(&self, ty: &ir::Type) -> bool {
        match ty {
            ir::Type::Primitive(primitive) => *primitive != ir::Primitive::Any,
            ir::Type::Schema(id) => self.kind(*id) != Kind::Object,
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
            })
            .collect();
        Tables { schemas, schema_ids, kinds, operations, operation_ids, silenced }
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
