//! Schemas: JSON Schema (as OpenAPI 3.0 writes it) into the spec language's kinds and type
//! expressions.
//!
//! - objects become `object` schemas; `allOf` is merged into one object, or stands for its one
//!   typed part when the others only annotate it;
//! - `oneOf`/`anyOf` become `union`s (tagged when a `discriminator` names a member every
//!   alternative has), or one `enum` when every alternative is a documented string value;
//! - named arrays, maps and primitives become `alias`es; plain named strings `string` schemas;
//! - what has no equivalent (`not`, several types at once) becomes `any`, with a note.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use indexmap::IndexMap;
use serde_json::Value as Json;

use super::{compact, escape, text, unescape, Importer};
use crate::load::ast;

/// A mapped type: the type expression and what the schema says about the value.
#[derive(Clone, Debug, Default)]
pub(super) struct Ty {
    pub expr: String,
    pub nullable: bool,
    pub sensitive: bool,
}

impl Ty {
    fn of(expr: impl Into<String>) -> Self {
        Ty { expr: expr.into(), ..Ty::default() }
    }
}

/// How deep inline schemas and `allOf` parts are followed (documents nest at most 128 levels,
/// so this is never reached by a document that parsed, but keeps the walk bounded regardless).
const MAX_SCHEMA_DEPTH: usize = 64;

/// What a schema is, before it is mapped.
enum Shape {
    Any,
    Reference(String),
    Primitive(&'static str, bool),
    List(Option<String>),
    /// `additionalProperties` schema, or `None` for any value.
    Map(Option<String>),
    Object,
    Enum(Vec<(String, Option<String>)>),
    /// The pointers of the alternatives (null alternatives left out) and the keyword.
    Union(Vec<String>, &'static str),
    AllOf,
}

/// Keywords that give a schema a type (the rest only annotate it).
const TYPED: &[&str] =
    &["$ref", "type", "properties", "items", "enum", "oneOf", "anyOf", "allOf", "additionalProperties", "not"];

impl Importer<'_> {
    /// Gives every component schema its spec name (unique once converted to a Rust name) and
    /// queues it.
    pub(super) fn name_components(&mut self) {
        let Some(Json::Object(schemas)) = self.get("/components/schemas") else { return };
        let mut keys: Vec<&String> = schemas.keys().collect();
        keys.sort();
        // A component that only names a file of a split document (`Error: {$ref: error.yaml}`)
        // gives the file's schema its name: one type, not an alias of a type named after the file.
        for key in &keys {
            let pointer = format!("/components/schemas/{}", escape(key));
            let Some(object) = schemas[*key].as_object() else { continue };
            let Some(target) = object.get("$ref").and_then(Json::as_str).and_then(|r| r.strip_prefix('#')) else {
                continue;
            };
            let whole_file = matches!(super::bundle::source_of(target), Some((_, "")));
            if object.len() == 1 && whole_file && !self.component_names.contains_key(target) {
                let name = self.fresh_name(key);
                self.component_names.insert(target.to_owned(), name.clone());
                self.component_names.insert(pointer, name);
                self.queue.push_back(target.to_owned());
            }
        }
        for key in keys {
            self.component_name(&format!("/components/schemas/{}", escape(key)));
        }
    }

    /// The spec name of the schema at `pointer`, a `$ref` target: named (and queued) once.
    pub(super) fn component_name(&mut self, pointer: &str) -> String {
        if let Some(name) = self.component_names.get(pointer) {
            return name.clone();
        }
        let last = pointer.rsplit('/').next().map(unescape).unwrap_or_default();
        // A whole file of a split document (`schemas/pet.yaml`) is named after the file (`Pet`).
        let last = match super::bundle::source_of(pointer) {
            Some((file, "")) => {
                let stem = file.rsplit('/').next().unwrap_or(&file);
                stem.split('.').next().unwrap_or(stem).to_owned()
            }
            _ => last,
        };
        let name = self.fresh_name(&last);
        self.component_names.insert(pointer.to_owned(), name.clone());
        self.queue.push_back(pointer.to_owned());
        name
    }

    pub(super) fn drain_queue(&mut self) {
        while let Some(pointer) = self.queue.pop_front() {
            let name = self.component_names[&pointer].clone();
            self.named(&name, &pointer);
        }
    }

    /// A type name no other schema has (its Rust form, too): the wanted name cleaned to an
    /// identifier, numbered when taken.
    pub(super) fn fresh_name(&mut self, wanted: &str) -> String {
        let cleaned: String = wanted.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
        // The document's own name when it already is one word starting upper case (`RESTLogin`
        // stays, its Rust type is `RestLogin`); otherwise its UpperCamelCase form.
        let as_written = !cleaned.contains(' ') && cleaned.starts_with(|c: char| c.is_ascii_uppercase());
        let mut base = if as_written { cleaned.clone() } else { cleaned.to_upper_camel_case() };
        if base.is_empty() {
            base = "Schema".into();
        }
        if base.starts_with(|c: char| c.is_ascii_digit()) {
            base.insert(0, 'T');
        }
        if base == "Self" {
            base.push_str("Type");
        }
        let mut name = base.clone();
        let mut counter = 1;
        while !self.type_names.insert(name.to_upper_camel_case()) {
            counter += 1;
            name = format!("{base}{counter}");
        }
        name
    }

    fn shape(&mut self, pointer: &str) -> (Shape, bool) {
        let Some(value) = self.get(pointer) else { return (Shape::Any, false) };
        let object = match value {
            Json::Object(object) => object,
            Json::Bool(true) => return (Shape::Any, false),
            _ => {
                self.note(pointer, "expected a schema (an object); read as any value");
                return (Shape::Any, false);
            }
        };
        let nullable = object.get("nullable") == Some(&Json::Bool(true));
        if let Some(reference) = object.get("$ref").and_then(Json::as_str) {
            return match reference.strip_prefix('#') {
                Some(target) if self.get(target).is_some() => (Shape::Reference(target.to_owned()), nullable),
                _ => {
                    self.note_unresolved(
                        &format!("{pointer}/$ref"),
                        format!("reference `{reference}` does not resolve; read as any value"),
                    );
                    (Shape::Any, nullable)
                }
            };
        }
        if object.get("allOf").and_then(Json::as_array).is_some_and(|parts| !parts.is_empty()) {
            return (Shape::AllOf, nullable);
        }
        let keyword = ["oneOf", "anyOf"].into_iter().find(|k| object.get(*k).and_then(Json::as_array).is_some());
        if let Some(keyword) = keyword {
            if object.contains_key("oneOf") && object.contains_key("anyOf") {
                self.note(&format!("{pointer}/anyOf"), "`anyOf` beside `oneOf` is left out");
            }
            let count = object[keyword].as_array().map_or(0, Vec::len);
            let mut alternatives = Vec::new();
            let mut nullable = nullable;
            for index in 0..count {
                let alternative = format!("{pointer}/{keyword}/{index}");
                let is_null = self.get(&alternative).is_some_and(|a| {
                    a.get("type") == Some(&Json::String("null".into()))
                        || a.get("enum").and_then(Json::as_array).is_some_and(|v| v.len() == 1 && v[0].is_null())
                });
                if is_null {
                    nullable = true;
                } else {
                    alternatives.push(alternative);
                }
            }
            if !alternatives.is_empty() {
                return (Shape::Union(alternatives, keyword), nullable);
            }
        }
        if object.contains_key("not") {
            self.note(&format!("{pointer}/not"), "`not` has no equivalent; read as any value");
            return (Shape::Any, nullable);
        }
        let ty = object.get("type");
        if let Some(Json::Array(values)) = object.get("enum") {
            let mut nullable = nullable;
            let strings: Vec<String> = values
                .iter()
                .filter_map(|v| match v {
                    Json::String(s) => Some(s.clone()),
                    Json::Null => {
                        nullable = true;
                        None
                    }
                    _ => None,
                })
                .collect();
            let is_string = matches!(ty, None | Some(Json::String(_))) && ty.is_none_or(|t| t == "string");
            if is_string && !strings.is_empty() && strings.len() + usize::from(nullable) >= values.len() {
                let mut seen = HashSet::new();
                let values = strings.into_iter().filter(|v| seen.insert(v.clone())).map(|v| (v, None)).collect();
                return (Shape::Enum(values), nullable);
            }
            if ty != Some(&Json::String("boolean".into())) {
                self.note(&format!("{pointer}/enum"), "enum values that are not strings are read as plain values");
            }
        }
        let shape = match ty {
            Some(Json::String(ty)) => match ty.as_str() {
                "string" => self.string_format(pointer, object.get("format")),
                "integer" => {
                    let format = object.get("format").and_then(Json::as_str);
                    Shape::Primitive(if format == Some("int32") { "int32" } else { "int64" }, false)
                }
                "number" => Shape::Primitive("number", false),
                "boolean" => Shape::Primitive("boolean", false),
                "array" => self.list(pointer, object),
                "object" => self.object_or_map(pointer, object),
                "null" => Shape::Any,
                other => {
                    self.note(&format!("{pointer}/type"), format!("unknown type `{other}`; read as any value"));
                    Shape::Any
                }
            },
            Some(Json::Array(_)) => {
                self.note(&format!("{pointer}/type"), "several types at once; read as any value");
                Shape::Any
            }
            Some(_) => {
                self.note(&format!("{pointer}/type"), "expected a type name; read as any value");
                Shape::Any
            }
            None if object.contains_key("properties") || object.contains_key("additionalProperties") => {
                self.object_or_map(pointer, object)
            }
            None if object.contains_key("items") => self.list(pointer, object),
            None => Shape::Any,
        };
        (shape, nullable)
    }

    fn string_format(&mut self, pointer: &str, format: Option<&Json>) -> Shape {
        let Some(format) = format.and_then(Json::as_str) else { return Shape::Primitive("string", false) };
        match format {
            "date-time" => Shape::Primitive("date-time", false),
            "date" => Shape::Primitive("date", false),
            "uuid" => Shape::Primitive("uuid", false),
            "uri" | "url" | "uri-reference" => Shape::Primitive("uri", false),
            "password" => Shape::Primitive("string", true),
            "byte" | "binary" => {
                self.note(&format!("{pointer}/format"), format!("`{format}` strings are read as text"));
                Shape::Primitive("string", false)
            }
            // Text all the same; the format is documentation.
            "email" | "hostname" | "ipv4" | "ipv6" | "" => Shape::Primitive("string", false),
            other => {
                self.note(&format!("{pointer}/format"), format!("string format `{other}` is read as text"));
                Shape::Primitive("string", false)
            }
        }
    }

    fn list(&mut self, pointer: &str, object: &serde_json::Map<String, Json>) -> Shape {
        if object.contains_key("prefixItems") {
            self.note(&format!("{pointer}/prefixItems"), "tuples (`prefixItems`) are read as lists of any value");
            return Shape::List(None);
        }
        match object.get("items") {
            Some(Json::Object(_)) => Shape::List(Some(format!("{pointer}/items"))),
            _ => Shape::List(None),
        }
    }

    fn object_or_map(&mut self, pointer: &str, object: &serde_json::Map<String, Json>) -> Shape {
        let has_properties = object.get("properties").and_then(Json::as_object).is_some_and(|p| !p.is_empty());
        match object.get("additionalProperties") {
            _ if has_properties => {
                if matches!(object.get("additionalProperties"), Some(Json::Object(_))) {
                    self.note(&format!("{pointer}/additionalProperties"), "members beyond the properties are not kept");
                }
                Shape::Object
            }
            Some(Json::Object(values)) if values.is_empty() => Shape::Map(None),
            Some(Json::Object(_)) => Shape::Map(Some(format!("{pointer}/additionalProperties"))),
            Some(Json::Bool(false)) => Shape::Object,
            Some(Json::Bool(true)) => Shape::Map(None),
            _ if object.contains_key("properties") => Shape::Object,
            _ => Shape::Any,
        }
    }

    /// The type expression of the schema at `pointer`; inline objects, enums and unions become
    /// schemas of their own, named after `hint`.
    pub(super) fn ty(&mut self, pointer: &str, hint: &str) -> Ty {
        self.ty_at(pointer, hint, 0)
    }

    fn ty_at(&mut self, pointer: &str, hint: &str, depth: usize) -> Ty {
        if depth > MAX_SCHEMA_DEPTH {
            self.note(pointer, format!("schemas nest more than {MAX_SCHEMA_DEPTH} levels; read as any value"));
            return Ty::of("any");
        }
        let (shape, nullable) = self.shape(pointer);
        let mut ty = match shape {
            Shape::Any => Ty::of("any"),
            Shape::Reference(target) => Ty::of(self.component_name(&target)),
            Shape::Primitive(expr, sensitive) => Ty { expr: expr.into(), nullable: false, sensitive },
            Shape::List(items) => {
                let item = match items {
                    Some(items) => self.ty_at(&items, &format!("{hint}Item"), depth + 1).expr,
                    None => "any".into(),
                };
                Ty::of(format!("list<{item}>"))
            }
            Shape::Map(values) => {
                let value = match values {
                    Some(values) => self.ty_at(&values, &format!("{hint}Value"), depth + 1).expr,
                    None => "any".into(),
                };
                Ty::of(format!("map<{value}>"))
            }
            Shape::AllOf => match self.all_of_single(pointer) {
                Some(part) => self.ty_at(&part, hint, depth + 1),
                None => Ty::of(self.inline(pointer, hint, depth)),
            },
            Shape::Union(alternatives, _) if alternatives.len() == 1 && !self.has_discriminator(pointer) => {
                self.ty_at(&alternatives[0], hint, depth + 1)
            }
            Shape::Object | Shape::Enum(_) | Shape::Union(..) => Ty::of(self.inline(pointer, hint, depth)),
        };
        ty.nullable |= nullable;
        ty
    }

    /// An inline schema given a name of its own.
    fn inline(&mut self, pointer: &str, hint: &str, depth: usize) -> String {
        let title = self.string_at(&format!("{pointer}/title")).filter(|t| t.len() <= 64);
        let name = self.fresh_name(title.as_deref().unwrap_or(hint));
        self.define(&name, pointer, depth + 1);
        name
    }

    /// The one part of an `allOf` that gives it a type, when the other parts only annotate it
    /// and the schema has no members of its own. A part that is a union with members of its own
    /// (a discriminated parent) is merged instead: what inherits from it is an object with its
    /// members, not the union again.
    fn all_of_single(&mut self, pointer: &str) -> Option<String> {
        let schema = self.get(pointer)?;
        let has_members = |object: &Json| {
            object.get("properties").and_then(Json::as_object).is_some_and(|p| !p.is_empty())
                || object.get("required").and_then(Json::as_array).is_some_and(|r| !r.is_empty())
        };
        if has_members(schema) {
            return None;
        }
        let parts = schema.get("allOf").and_then(Json::as_array)?;
        let typed: Vec<usize> = (0..parts.len())
            .filter(|i| parts[*i].as_object().is_some_and(|p| TYPED.iter().any(|k| p.contains_key(*k))))
            .collect();
        let [only] = typed.as_slice() else { return None };
        let part = format!("{pointer}/allOf/{only}");
        let (target, _) = self.peek(&part)?;
        let is_parent_union = has_members(target) && ["oneOf", "anyOf"].iter().any(|k| target.get(*k).is_some());
        (!is_parent_union).then_some(part)
    }

    /// Maps the component `name` at `pointer`: objects, enums and unions become schemas of
    /// those kinds, plain strings `string` schemas, anything else an alias.
    fn named(&mut self, name: &str, pointer: &str) {
        if self.schemas.contains_key(name) {
            return;
        }
        self.define(name, pointer, 0);
    }

    fn define(&mut self, name: &str, pointer: &str, depth: usize) {
        let (shape, _) = self.shape(pointer);
        let mut schema = empty(ast::SchemaKind::Object);
        schema.fields = None;
        let value = self.get(pointer);
        schema.description =
            text(value.and_then(|v| v.get("description"))).or_else(|| text(value.and_then(|v| v.get("title"))));
        schema.example = value.and_then(|v| v.get("example")).map(compact);
        if let Some(namespace) = self.string_at(&format!("{pointer}/xml/namespace")) {
            self.namespaces.insert(namespace);
        }
        schema.xml_name = self.string_at(&format!("{pointer}/xml/name"));
        // Reserve the name first: fields may refer back to it.
        self.schemas.insert(name.to_owned(), empty(ast::SchemaKind::Object));
        match shape {
            Shape::Object => {
                schema.fields = Some(self.fields(name, pointer, depth));
            }
            Shape::AllOf if self.all_of_single(pointer).is_none() => {
                let mut members = Members::default();
                self.merge_all_of(name, pointer, &mut members, &mut vec![pointer.to_owned()], depth);
                // The schema's own members beside `allOf`.
                self.add_fields(name, pointer, &mut members, depth);
                for keyword in ["oneOf", "anyOf"] {
                    if self.get(&format!("{pointer}/{keyword}")).is_some() {
                        self.note(
                            &format!("{pointer}/{keyword}"),
                            format!("`{keyword}` beside `allOf` is left out: the schema is the merged object"),
                        );
                    }
                }
                schema.fields = Some(members.fields);
            }
            Shape::Enum(values) => {
                schema.kind = ast::SchemaKind::Enum;
                schema.values = Some(
                    values
                        .into_iter()
                        .map(|(value, description)| ast::EnumValue { value, rust_name: None, description })
                        .collect(),
                );
            }
            // One alternative is that alternative, unless a discriminator names it: then it is a
            // union, which also keeps the values of kinds this client does not know yet.
            Shape::Union(alternatives, keyword) if alternatives.len() > 1 || self.has_discriminator(pointer) => {
                match self.documented_values(&alternatives) {
                    Some(values) => {
                        schema.kind = ast::SchemaKind::Enum;
                        schema.values = Some(values);
                    }
                    None => {
                        schema.kind = ast::SchemaKind::Union;
                        let (variants, discriminator) = self.variants(name, pointer, &alternatives, keyword, depth);
                        schema.variants = Some(variants);
                        schema.discriminator = discriminator;
                        if self
                            .get(&format!("{pointer}/properties"))
                            .and_then(Json::as_object)
                            .is_some_and(|p| !p.is_empty())
                        {
                            self.unions_with_members.push((name.to_owned(), pointer.to_owned(), keyword));
                        }
                    }
                }
            }
            Shape::Primitive("string", false) if depth == 0 && self.get(&format!("{pointer}/format")).is_none() => {
                schema.kind = ast::SchemaKind::String;
            }
            _ => {
                schema.kind = ast::SchemaKind::Alias;
                // The alias's own type, mapped as if inline (a reference stays a name).
                let ty = self.ty_alias(pointer, name, depth);
                schema.ty = Some(ty);
            }
        }
        self.schemas.insert(name.to_owned(), schema);
    }

    fn has_discriminator(&self, pointer: &str) -> bool {
        self.get(&format!("{pointer}/discriminator/propertyName")).is_some()
    }

    /// The type an alias stands for.
    fn ty_alias(&mut self, pointer: &str, name: &str, depth: usize) -> String {
        let (shape, _) = self.shape(pointer);
        match shape {
            // An enum or union of one value: its one alternative's type.
            Shape::Union(alternatives, _) => self.ty_at(&alternatives[0], name, depth + 1).expr,
            Shape::AllOf => match self.all_of_single(pointer) {
                Some(part) => self.ty_at(&part, name, depth + 1).expr,
                None => "any".into(),
            },
            _ => self.ty_at(pointer, name, depth + 1).expr,
        }
    }

    /// `oneOf: [{const: a, description}, {const: b}]`: one enum, each value documented.
    fn documented_values(&mut self, alternatives: &[String]) -> Option<Vec<ast::EnumValue>> {
        let mut values = Vec::new();
        let mut seen = HashSet::new();
        for alternative in alternatives {
            let (value, _) = self.deref(alternative)?;
            let object = value.as_object()?;
            if object.contains_key("properties") || object.get("type").is_some_and(|t| t != "string") {
                return None;
            }
            let listed = object.get("enum")?.as_array()?;
            let description = text(object.get("description")).or_else(|| text(object.get("title")));
            for item in listed {
                let item = item.as_str()?;
                if seen.insert(item.to_owned()) {
                    values.push(ast::EnumValue {
                        value: item.to_owned(),
                        rust_name: None,
                        description: description.clone(),
                    });
                }
            }
        }
        Some(values)
    }

    fn variants(
        &mut self,
        owner: &str,
        pointer: &str,
        alternatives: &[String],
        keyword: &str,
        depth: usize,
    ) -> (Vec<ast::Variant>, Option<String>) {
        let mut variants: Vec<ast::Variant> = Vec::new();
        let mut targets: Vec<Option<String>> = Vec::new();
        let mut derived_names = HashSet::new();
        for (index, alternative) in alternatives.iter().enumerate() {
            let title = self.string_at(&format!("{alternative}/title"));
            let hint = title.unwrap_or_else(|| format!("{owner}{}", index + 1));
            let ty = self.ty_at(alternative, &hint, depth + 1);
            if variants.iter().any(|v| v.ty == ty.expr) {
                self.note(alternative, format!("`{keyword}` lists `{}` twice; kept once", ty.expr));
                continue;
            }
            let derived = crate::resolve::union_variant_name(&ty.expr);
            let name = (!derived_names.insert(derived.clone())).then(|| format!("{derived}{}", index + 1));
            let target = self
                .get(&format!("{alternative}/$ref"))
                .and_then(Json::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .map(str::to_owned);
            targets.push(target);
            let description = text(self.get(&format!("{alternative}/description")));
            variants.push(ast::Variant { ty: ty.expr, name, tag: None, description });
        }
        let discriminator = self.string_at(&format!("{pointer}/discriminator/propertyName"));
        let Some(member) = discriminator else { return (variants, None) };
        // Tagged only when every alternative is a named object carrying the member.
        let mut tags = Vec::new();
        // A member of the union's own is put on every variant (`members_on_variants`).
        let parent_carries = self.get(&format!("{pointer}/properties/{}", escape(&member))).is_some();
        for (variant, target) in variants.iter().zip(&targets) {
            let carries = target.as_ref().is_some_and(|target| parent_carries || self.has_property(target, &member, 0));
            if !carries {
                self.note(
                    &format!("{pointer}/discriminator"),
                    format!(
                        "alternative `{}` has no member `{member}`; the alternatives are told apart by trying each",
                        variant.ty
                    ),
                );
                return (variants, None);
            }
            let target = target.as_deref().unwrap_or_default();
            let mapped =
                self.get(&format!("{pointer}/discriminator/mapping")).and_then(Json::as_object).and_then(|mapping| {
                    mapping
                        .iter()
                        .find(|(_, r)| r.as_str().and_then(|r| r.strip_prefix('#')) == Some(target))
                        .map(|(tag, _)| tag.clone())
                });
            let tag = mapped.unwrap_or_else(|| target.rsplit('/').next().map(unescape).unwrap_or_default());
            if tags.contains(&tag) {
                self.note(
                    &format!("{pointer}/discriminator"),
                    format!("tag `{tag}` names two alternatives; they are told apart by trying each"),
                );
                return (variants, None);
            }
            tags.push(tag);
        }
        for (variant, tag) in variants.iter_mut().zip(tags) {
            // The default tag is the schema name, which the spec assumes too.
            if tag != variant.ty {
                variant.tag = Some(tag);
            }
        }
        (variants, Some(member))
    }

    /// Whether the object at `pointer` (through `allOf` parts) has the property `member`.
    fn has_property(&mut self, pointer: &str, member: &str, depth: usize) -> bool {
        if depth > 8 {
            return false;
        }
        let Some((value, pointer)) = self.deref(pointer) else { return false };
        if value.get("properties").and_then(|p| p.get(member)).is_some() {
            return true;
        }
        let parts = value.get("allOf").and_then(Json::as_array).map_or(0, Vec::len);
        (0..parts).any(|index| self.has_property(&format!("{pointer}/allOf/{index}"), member, depth + 1))
    }

    /// The fields of the object at `pointer`.
    fn fields(&mut self, owner: &str, pointer: &str, depth: usize) -> IndexMap<String, ast::Field> {
        let mut members = Members::default();
        self.add_fields(owner, pointer, &mut members, depth);
        members.fields
    }

    /// Adds the members of the object at `pointer`. A member another part of an `allOf` declared
    /// too is one member: required if required anywhere, its type the same in both (or only
    /// annotated in one of them); two different types are an error.
    fn add_fields(&mut self, owner: &str, pointer: &str, members: &mut Members, depth: usize) {
        let Some(object) = self.get(pointer).and_then(Json::as_object) else { return };
        let required: Vec<&str> =
            object.get("required").and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str).collect();
        // `required` may name members another part declares.
        for (key, field) in members.fields.iter_mut() {
            field.required |= required.contains(&wire_name(key, field));
        }
        let Some(properties) = object.get("properties").and_then(Json::as_object) else { return };
        let mut taken = rust_names(&members.fields);
        for (wire, property) in properties {
            let field_pointer = format!("{pointer}/properties/{}", escape(wire));
            let is_required = required.contains(&wire.as_str());
            let hint = format!("{owner}{}", wire.to_upper_camel_case());
            if let Some(index) = members.fields.iter().position(|(key, f)| wire_name(key, f) == wire) {
                self.merge_member(owner, wire, (&field_pointer, &hint), members, index, depth);
                members.fields[index].required |= is_required;
                let field = members.fields.get_index(index).map(|(key, _)| key.clone()).unwrap_or_default();
                self.members.insert(super::Member {
                    pointer: field_pointer,
                    holder: super::Holder::Schema(owner.to_owned()),
                    field,
                });
                continue;
            }
            let ty = self.ty_at(&field_pointer, &hint, depth + 1);
            let (key, renamed) = field_key(wire, &mut taken);
            let flag = |name: &str| property.get(name) == Some(&Json::Bool(true));
            let xml = self.field_xml(&field_pointer, wire, renamed);
            let member = super::Member {
                pointer: field_pointer.clone(),
                holder: super::Holder::Schema(owner.to_owned()),
                field: key.clone(),
            };
            self.members.insert(member);
            members.pointers.push(field_pointer);
            let secret_text = ty.expr == "string" && secret_name(wire);
            members.fields.insert(
                key,
                ast::Field {
                    rust_name: None,
                    ty: ty.expr,
                    required: is_required,
                    nullable: ty.nullable,
                    sensitive: ty.sensitive || flag("x-sensitive") || secret_text,
                    description: text(property.get("description")),
                    example: property.get("example").map(compact),
                    read_only: flag("readOnly"),
                    write_only: flag("writeOnly"),
                    id: None,
                    json: renamed.then(|| ast::JsonField { name: Some(wire.clone()), ..ast::JsonField::default() }),
                    xml,
                },
            );
        }
    }

    /// A member declared again at `again` (pointer, type-name hint): the same schema, a schema of
    /// the same type, or one that only annotates is one member (a description fills a gap); a
    /// different type is an error naming both places.
    fn merge_member(
        &mut self,
        owner: &str,
        wire: &str,
        (again, hint): (&str, &str),
        members: &mut Members,
        index: usize,
        depth: usize,
    ) {
        let first = members.pointers[index].clone();
        let same_schema = matches!((self.peek(&first), self.peek(again)), (Some((a, _)), Some((b, _))) if a == b);
        let description = text(self.get(again).and_then(|p| p.get("description")));
        let field = &mut members.fields[index];
        if field.description.is_none() {
            field.description = description;
        }
        if same_schema {
            return;
        }
        let ty = self.ty_at(again, hint, depth + 1);
        let field = &mut members.fields[index];
        if ty.expr == field.ty || ty.expr == "any" {
            field.nullable &= ty.nullable || ty.expr == "any";
            return;
        }
        if field.ty == "any" {
            field.ty = ty.expr;
            field.nullable = ty.nullable;
            members.pointers[index] = again.to_owned();
            return;
        }
        // Two values of one primitive type (a `string` and an enum of strings): allOf means both
        // hold, so the narrower is kept: the enumerated one, else the later (a refinement).
        let (first_base, again_base) = (self.base_type(&first, 0), self.base_type(again, 0));
        let primitive = matches!(first_base, Some("string" | "integer" | "number" | "boolean"));
        if primitive && first_base == again_base {
            let first_listed = self.peek(&first).is_some_and(|(v, _)| v.get("enum").is_some());
            let again_listed = self.peek(again).is_some_and(|(v, _)| v.get("enum").is_some());
            let field = &mut members.fields[index];
            let (kept, dropped) = if first_listed && !again_listed {
                (field.ty.clone(), ty.expr)
            } else {
                let dropped = std::mem::replace(&mut field.ty, ty.expr);
                field.nullable = ty.nullable;
                members.pointers[index] = again.to_owned();
                (field.ty.clone(), dropped)
            };
            let message = format!(
                "`{owner}` gets member `{wire}` twice (`allOf`), as `{dropped}` and as `{kept}`: both are {} \
                 values, the narrower `{kept}` is kept (first at #{first})",
                first_base.unwrap_or_default()
            );
            self.note(again, message);
            return;
        }
        let message = format!(
            "`{owner}` gets member `{wire}` twice with different types: `{}` at #{first} and `{}` here",
            members.fields[index].ty, ty.expr
        );
        self.error(again, message);
    }

    /// The JSON type of the values the schema at `pointer` allows (`string` for an enum of
    /// strings), through references and one-part `allOf`s; `None` when it is not one type.
    fn base_type(&self, pointer: &str, depth: usize) -> Option<&'static str> {
        let (value, pointer) = self.peek(pointer)?;
        if depth > 8 {
            return None;
        }
        let named =
            |ty: &str| ["string", "integer", "number", "boolean", "array", "object"].into_iter().find(|t| *t == ty);
        if let Some(ty) = value.get("type").and_then(Json::as_str) {
            return named(ty);
        }
        if let Some(values) = value.get("enum").and_then(Json::as_array) {
            return values.iter().all(|v| v.is_string() || v.is_null()).then_some("string");
        }
        if value.get("properties").is_some() {
            return Some("object");
        }
        match value.get("allOf").and_then(Json::as_array).map(Vec::len) {
            Some(1) => self.base_type(&format!("{pointer}/allOf/0"), depth + 1),
            _ => None,
        }
    }

    /// `allOf` of objects: their fields merged, in order. `visiting` holds the parts being
    /// merged: a part that is one of them would merge forever.
    fn merge_all_of(
        &mut self,
        owner: &str,
        pointer: &str,
        members: &mut Members,
        visiting: &mut Vec<String>,
        depth: usize,
    ) {
        let count = self.get(&format!("{pointer}/allOf")).and_then(Json::as_array).map_or(0, Vec::len);
        for index in 0..count {
            let part = format!("{pointer}/allOf/{index}");
            let Some((value, target)) = self.deref(&part) else { continue };
            if visiting.contains(&target) || visiting.len() > MAX_SCHEMA_DEPTH {
                self.note(&part, format!("`allOf` of `{owner}` includes itself; the part is left out"));
                continue;
            }
            let Some(object) = value.as_object() else { continue };
            if object.get("allOf").is_some() {
                visiting.push(target.clone());
                self.merge_all_of(owner, &target, members, visiting, depth + 1);
                visiting.pop();
            }
            if object.contains_key("properties") || object.contains_key("required") {
                self.add_fields(owner, &target, members, depth + 1);
            } else if object.get("allOf").is_none()
                && TYPED.iter().any(|k| object.contains_key(*k))
                && object.get("type") != Some(&Json::String("object".into()))
            {
                self.note(&part, format!("`allOf` of `{owner}` merges objects; this part is not one and is left out"));
            }
        }
    }

    /// Puts the own members of unions that have some (`properties` beside `oneOf`) on each
    /// variant: a variant object that lacks any is replaced by an object with its members and
    /// the missing ones (`{Union}{Variant}`); a variant that is not an object cannot carry them,
    /// which is noted.
    pub(super) fn members_on_variants(&mut self) {
        for (union, pointer, keyword) in std::mem::take(&mut self.unions_with_members) {
            let wire_names: Vec<String> = self
                .get(&format!("{pointer}/properties"))
                .and_then(Json::as_object)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default();
            // Mapped once, when a variant lacks one (mapping defines inline member types).
            let mut parent: Option<IndexMap<String, ast::Field>> = None;
            let Some(mut variants) = self.schemas.get_mut(&union).and_then(|s| s.variants.take()) else { continue };
            let tagged = self.schemas.get(&union).is_some_and(|s| s.discriminator.is_some());
            for variant in &mut variants {
                let target = self.expand(&variant.ty);
                let Some(schema) = self.schemas.get(&target).filter(|s| s.kind == ast::SchemaKind::Object) else {
                    let message = format!(
                        "the members beside `{keyword}` cannot be put on variant `{}` (not an object); left out of it",
                        variant.ty
                    );
                    self.note(&format!("{pointer}/properties"), message);
                    continue;
                };
                let own = schema.fields.clone().unwrap_or_default();
                if wire_names.iter().all(|wire| own.iter().any(|(k, f)| wire_name(k, f) == wire)) {
                    continue;
                }
                let mut derived = schema.clone();
                let parent = parent.get_or_insert_with(|| {
                    let fields = self.fields(&union, &pointer, 0);
                    // They are recorded below, on the types that hold them (the union has none).
                    self.members.retain(|member| member.holder != super::Holder::Schema(union.clone()));
                    fields
                });
                let missing: Vec<(String, ast::Field)> = parent
                    .iter()
                    .filter(|(key, field)| !own.iter().any(|(k, f)| wire_name(k, f) == wire_name(key, field)))
                    .map(|(key, field)| (key.clone(), field.clone()))
                    .collect();
                derived.xml_name = derived.xml_name.or_else(|| Some(target.clone()));
                let mut taken = rust_names(&own);
                let mut fields = own;
                let name = self.fresh_name(&format!("{union}{target}"));
                for (key, mut field) in missing {
                    let wire = wire_name(&key, &field).to_owned();
                    let (new_key, renamed) = field_key(&wire, &mut taken);
                    let member_pointer = format!("{pointer}/properties/{}", escape(&wire));
                    self.members.insert(super::Member {
                        pointer: member_pointer,
                        holder: super::Holder::Schema(name.clone()),
                        field: new_key.clone(),
                    });
                    if renamed && field.json.is_none() {
                        field.json = Some(ast::JsonField { name: Some(wire), ..ast::JsonField::default() });
                    }
                    fields.insert(new_key, field);
                }
                // The variant's own members are in the new type too.
                let inherited: Vec<super::Member> = self
                    .members
                    .iter()
                    .filter(|member| member.holder == super::Holder::Schema(target.clone()))
                    .map(|member| super::Member { holder: super::Holder::Schema(name.clone()), ..member.clone() })
                    .collect();
                self.members.extend(inherited);
                derived.fields = Some(fields);
                self.schemas.insert(name.clone(), derived);
                if tagged && variant.tag.is_none() {
                    variant.tag = Some(target.clone());
                }
                if variant.name.is_none() {
                    variant.name = Some(crate::resolve::union_variant_name(&target));
                }
                variant.ty = name;
            }
            if let Some(schema) = self.schemas.get_mut(&union) {
                schema.variants = Some(variants);
            }
        }
    }

    /// The `xml` object of a property (and of its items, for arrays).
    fn field_xml(&mut self, pointer: &str, key: &str, renamed: bool) -> Option<ast::XmlField> {
        let mut xml = ast::XmlField::default();
        let name = self.string_at(&format!("{pointer}/xml/name"));
        xml.attribute = self.get(&format!("{pointer}/xml/attribute")) == Some(&Json::Bool(true));
        let is_array = self.get(&format!("{pointer}/type")).is_some_and(|t| t == "array");
        if is_array {
            let items = format!("{pointer}/items");
            let item_name = self.string_at(&format!("{items}/xml/name")).or_else(|| {
                let reference = self.string_at(&format!("{items}/$ref"))?;
                let target = reference.strip_prefix('#')?.to_owned();
                self.string_at(&format!("{target}/xml/name")).or_else(|| target.rsplit('/').next().map(unescape))
            });
            let wrapped = self.get(&format!("{pointer}/xml/wrapped")) == Some(&Json::Bool(true));
            if wrapped {
                xml.name = name.or_else(|| renamed.then(|| key.to_owned()));
                xml.item = Some(item_name.unwrap_or_else(|| key.to_owned()));
            } else {
                // Unwrapped: the items repeat, each named as an item.
                xml.name = item_name.filter(|n| n != key || renamed);
            }
        } else {
            xml.name = name.filter(|n| n != key || renamed).or_else(|| renamed.then(|| key.to_owned()));
        }
        if self.get(&format!("{pointer}/xml/namespace")).is_some()
            || self.get(&format!("{pointer}/xml/prefix")).is_some()
        {
            self.note(&format!("{pointer}/xml"), "per-field XML namespaces and prefixes are not mapped");
        }
        (xml.name.is_some() || xml.attribute || xml.item.is_some()).then_some(xml)
    }

    /// Aliases that name themselves through other aliases (`Tree: list<Tree>`) cannot be Rust
    /// type aliases: the one where the ring is found becomes `any`.
    pub(super) fn break_alias_cycles(&mut self) {
        let names: Vec<String> = self.schemas.keys().cloned().collect();
        for start in names {
            let mut seen = vec![start.clone()];
            let mut current = start.clone();
            while let Some(schema) = self.schemas.get(&current) {
                if schema.kind != ast::SchemaKind::Alias {
                    break;
                }
                let inner = innermost(schema.ty.as_deref().unwrap_or("any")).to_owned();
                if inner == start {
                    let pointer = self
                        .component_names
                        .iter()
                        .find(|(_, n)| **n == start)
                        .map(|(p, _)| p.clone())
                        .unwrap_or_else(|| "/components/schemas".into());
                    self.note(
                        &pointer,
                        format!("`{start}` contains itself with no object in between; read as any value"),
                    );
                    if let Some(schema) = self.schemas.get_mut(&start) {
                        schema.ty = Some("any".into());
                    }
                    break;
                }
                if seen.contains(&inner) {
                    break;
                }
                seen.push(inner.clone());
                current = inner;
            }
        }
    }

    /// `expr` with aliases at its heart replaced by the types they name (`list<Tags>` with
    /// `Tags: list<string>` is `list<list<string>>`); chains are followed a bounded number of
    /// steps.
    pub(super) fn expand(&self, expr: &str) -> String {
        let mut expr = expr.to_owned();
        for _ in 0..32 {
            let (start, end) = innermost_span(&expr);
            match self.schemas.get(&expr[start..end]) {
                Some(schema) if schema.kind == ast::SchemaKind::Alias => {
                    let target = schema.ty.clone().unwrap_or_default();
                    expr.replace_range(start..end, &target);
                }
                _ => break,
            }
        }
        expr
    }

    /// Whether a type expression is one value the spec allows as a parameter (a primitive, an
    /// enum or a named string), through aliases.
    pub(super) fn is_simple(&self, expr: &str) -> bool {
        let expr = self.expand(expr);
        if expr.starts_with("list<") || expr.starts_with("map<") || expr == "any" {
            return false;
        }
        self.schemas.get(&expr).is_none_or(|s| matches!(s.kind, ast::SchemaKind::Enum | ast::SchemaKind::String))
    }

    /// The kind of the schema a type expression names, through aliases.
    pub(super) fn kind_of(&self, expr: &str) -> Option<ast::SchemaKind> {
        self.schemas.get(&self.expand(expr)).map(|schema| schema.kind)
    }
}

/// The members of an object being assembled, and where each was declared first.
#[derive(Default)]
struct Members {
    fields: IndexMap<String, ast::Field>,
    /// JSON pointer of each field's schema, in the order of `fields`.
    pointers: Vec<String>,
}

/// The name a member has on the wire.
fn wire_name<'f>(key: &'f str, field: &'f ast::Field) -> &'f str {
    field.json.as_ref().and_then(|j| j.name.as_deref()).unwrap_or(key)
}

/// Whether a text member's name says it holds a secret (`password`, `rootPassword`,
/// `refresh_token`, `secretKey`, `passphrase`, `privateKey`): such a member is `sensitive`, never
/// shown by `Debug`, whether or not the document says `format: password`. Names of kinds and
/// ids (`token_type`, `accessKey`, `passwordHint`) are not.
fn secret_name(wire: &str) -> bool {
    let words = wire.to_snake_case();
    let last = words.rsplit('_').next().unwrap_or_default();
    matches!(last, "password" | "passphrase" | "secret" | "token")
        || ["secret_key", "shared_key", "private_key"].iter().any(|end| words.ends_with(end))
}

/// An empty schema of `kind`; an object has no fields until they are added.
fn empty(kind: ast::SchemaKind) -> ast::Schema {
    ast::Schema {
        kind,
        description: None,
        sources: Vec::new(),
        fields: (kind == ast::SchemaKind::Object).then(IndexMap::new),
        values: None,
        variants: None,
        discriminator: None,
        wrapped: false,
        ty: None,
        xml_name: None,
        example: None,
        examples: Vec::new(),
    }
}

/// The name inside `list<…>` and `map<…>`.
pub(super) fn innermost(expr: &str) -> &str {
    let (start, end) = innermost_span(expr);
    &expr[start..end]
}

/// Where the name inside `list<…>` and `map<…>` starts and ends.
fn innermost_span(expr: &str) -> (usize, usize) {
    let (mut start, mut end) = (0, expr.len());
    loop {
        let rest = &expr[start..end];
        let Some(prefix) = ["list<", "map<"].into_iter().find(|p| rest.starts_with(p)) else { break };
        start += prefix.len();
        if expr[start..end].ends_with('>') {
            end -= 1;
        }
    }
    (start, end)
}

/// The Rust names the keys of `fields` make (what [`field_key`] must not give again).
fn rust_names(fields: &IndexMap<String, ast::Field>) -> HashSet<String> {
    fields.keys().filter_map(|key| crate::resolve::value_name(key).ok().map(|n| n.as_str().to_owned())).collect()
}

/// The spec key of a member: the wire name when it makes a Rust name no other member has,
/// else a cleaned, numbered one (and `true`: the wire name is then given as `json.name`).
pub(super) fn field_key(wire: &str, taken: &mut HashSet<String>) -> (String, bool) {
    if let Ok(rust) = crate::resolve::value_name(wire) {
        if taken.insert(rust.as_str().to_owned()) {
            return (wire.to_owned(), false);
        }
    }
    let cleaned: String = wire.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    let mut base = cleaned.to_snake_case();
    if base.is_empty() {
        base = "member".into();
    }
    if base.starts_with(|c: char| c.is_ascii_digit()) {
        base.insert_str(0, "n_");
    }
    let mut key = base.clone();
    let mut counter = 1;
    loop {
        if let Ok(rust) = crate::resolve::value_name(&key) {
            if taken.insert(rust.as_str().to_owned()) {
                return (key, true);
            }
        }
        counter += 1;
        key = format!("{base}_{counter}");
    }
}
