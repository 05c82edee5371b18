//! The mapping from an OpenAPI document to spec-language YAML.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::{ToLowerCamelCase, ToUpperCamelCase};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, Schema,
    SchemaKind, SecurityScheme, StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value as Json;
use serde_yaml::{Mapping, Value as Yaml};

use super::{ImportError, Imported, Note};

/// Imports `text` (YAML or JSON; OpenAPI 3.0 or 3.1) as the API `name`. `source` names the
/// document in the generated files' header.
pub fn import(text: &str, source: &str, name: &str) -> Result<Imported, ImportError> {
    // YAML scanners are quadratic in nesting depth: refuse absurd nesting before parsing.
    if let Err((line, column)) = crate::load::check_yaml_depth(text, MAX_DOCUMENT_DEPTH) {
        return Err(ImportError::Parse(format!(
            "line {line}, column {column}: the document nests more than {MAX_DOCUMENT_DEPTH} levels deep"
        )));
    }
    let mut raw: Json = match serde_json::from_str(text) {
        Ok(json) => json,
        Err(_) => serde_yaml::from_str(text).map_err(|e| ImportError::Parse(e.to_string()))?,
    };
    let version = raw.get("openapi").and_then(Json::as_str).unwrap_or_default().to_owned();
    if version.starts_with("3.1") {
        super::downgrade::to_3_0(&mut raw);
    } else if !version.starts_with("3.0") {
        let found = if version.is_empty() {
            "no `openapi` version (Swagger 2.0?)".to_owned()
        } else {
            format!("version {version}")
        };
        return Err(ImportError::Parse(format!("expected an OpenAPI 3.0 or 3.1 document, found {found}")));
    }
    let document: OpenAPI = serde_json::from_value(raw.clone()).map_err(|e| ImportError::Parse(e.to_string()))?;
    let mut importer = Importer::new(&document, &raw);
    importer.run(name, &version);
    if !importer.errors.is_empty() {
        importer.errors.sort();
        return Err(ImportError::Unmappable(importer.errors));
    }
    importer.notes.sort();
    importer.notes.dedup();
    let files = importer.render(source, name);
    Ok(Imported { files, notes: importer.notes })
}

/// A JSON pointer segment (`~` and `/` escaped).
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn yaml_str(text: impl Into<String>) -> Yaml {
    Yaml::String(text.into())
}

/// A mapping from `(key, value)` pairs, leaving out `None`s.
fn mapping(entries: impl IntoIterator<Item = (&'static str, Option<Yaml>)>) -> Yaml {
    let mut map = Mapping::new();
    for (key, value) in entries {
        if let Some(value) = value {
            map.insert(yaml_str(key), value);
        }
    }
    Yaml::Mapping(map)
}

fn flag(value: bool) -> Option<Yaml> {
    value.then_some(Yaml::Bool(true))
}

fn text(value: &Option<String>) -> Option<Yaml> {
    value.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(yaml_str)
}

/// A mapped type: the type expression and what the schema says about the value.
#[derive(Clone, Default)]
struct Ty {
    expr: String,
    nullable: bool,
    sensitive: bool,
}

struct FieldOut {
    key: String,
    ty: Ty,
    required: bool,
    read_only: bool,
    write_only: bool,
    description: Option<String>,
    example: Option<String>,
    xml: Mapping,
}

enum KindOut {
    Object(Vec<FieldOut>),
    Enum(Vec<String>),
    String,
}

struct SchemaOut {
    kind: KindOut,
    description: Option<String>,
    example: Option<String>,
    xml_name: Option<String>,
}

struct ParameterOut {
    name: String,
    location: &'static str,
    ty: Ty,
    required: bool,
    description: Option<String>,
    csv: bool,
    /// The schema's `default` (headers: a candidate fixed header of the API).
    default: Option<String>,
}

struct ResponseOut {
    status: String,
    ty: Option<String>,
    description: Option<String>,
    headers: Vec<(String, Ty, Option<String>)>,
}

struct OperationOut {
    method: String,
    path: String,
    summary: Option<String>,
    description: Option<String>,
    authenticated: bool,
    parameters: Vec<ParameterOut>,
    request: Option<(String, Vec<&'static str>, Option<String>)>,
    responses: Vec<ResponseOut>,
    errors: Vec<ResponseOut>,
}

/// How deep a document's mappings and lists may nest (serde_json stops at 128 too).
const MAX_DOCUMENT_DEPTH: usize = 128;

/// How deep component schemas may refer to one another while they are mapped (each level is a
/// few stack frames).
const MAX_REFERENCE_DEPTH: usize = 256;

struct Importer<'a> {
    document: &'a OpenAPI,
    raw: &'a Json,
    notes: Vec<Note>,
    errors: Vec<Note>,
    schemas: BTreeMap<String, SchemaOut>,
    /// Component schemas that are not objects, enums or strings: inlined where used.
    aliases: HashMap<String, Ty>,
    /// Component schemas being mapped (cycle guard for aliases).
    in_progress: BTreeSet<String>,
    operations: BTreeMap<String, OperationOut>,
    namespaces: BTreeSet<String>,
    media: BTreeSet<&'static str>,
    api: Mapping,
}

fn note(list: &mut Vec<Note>, pointer: &str, message: impl Into<String>) {
    list.push(Note { pointer: pointer.to_owned(), message: message.into() });
}

impl<'a> Importer<'a> {
    fn new(document: &'a OpenAPI, raw: &'a Json) -> Self {
        Importer {
            document,
            raw,
            notes: Vec::new(),
            errors: Vec::new(),
            schemas: BTreeMap::new(),
            aliases: HashMap::new(),
            in_progress: BTreeSet::new(),
            operations: BTreeMap::new(),
            namespaces: BTreeSet::new(),
            media: BTreeSet::new(),
            api: Mapping::new(),
        }
    }

    fn note(&mut self, pointer: &str, message: impl Into<String>) {
        note(&mut self.notes, pointer, message);
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        note(&mut self.errors, pointer, message);
    }

    fn run(&mut self, name: &str, version: &str) {
        let document = self.document;
        if let Some(components) = &document.components {
            for (schema_name, schema) in &components.schemas {
                self.component(schema_name);
                let _ = schema;
            }
        }
        let mut paths: Vec<(&String, &ReferenceOr<openapiv3::PathItem>)> = document.paths.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        for (path, item) in paths {
            let pointer = format!("/paths/{}", escape(path));
            match item {
                ReferenceOr::Item(item) => self.path_item(path, item, &pointer),
                ReferenceOr::Reference { .. } => self.note(&pointer, "a `$ref` path item is not mapped"),
            }
        }
        self.unify_errors();
        self.api_section(name, version);
    }

    // -----------------------------------------------------------------------------------------
    // Schemas

    /// Maps the component schema `name` (once), returning how to refer to it.
    fn component(&mut self, name: &str) -> Option<Ty> {
        if self.schemas.contains_key(name) {
            return Some(Ty { expr: name.to_owned(), ..Ty::default() });
        }
        if let Some(alias) = self.aliases.get(name) {
            return Some(alias.clone());
        }
        let pointer = format!("/components/schemas/{}", escape(name));
        let document = self.document;
        let Some(schema) = document.components.as_ref().and_then(|c| c.schemas.get(name)) else {
            self.error(&pointer, format!("reference to a schema `{name}` that does not exist"));
            return None;
        };
        if self.in_progress.len() >= MAX_REFERENCE_DEPTH {
            self.error(&pointer, format!("schemas refer to schemas more than {MAX_REFERENCE_DEPTH} levels deep"));
            return None;
        }
        if !self.in_progress.insert(name.to_owned()) {
            // A recursive reference to an object being mapped: it will exist.
            return Some(Ty { expr: name.to_owned(), ..Ty::default() });
        }
        let result = match schema {
            ReferenceOr::Reference { reference } => {
                let target = self.reference(reference, &pointer)?;
                self.component(&target)
            }
            ReferenceOr::Item(schema) => self.named_schema(name, schema, &pointer),
        };
        self.in_progress.remove(name);
        result
    }

    fn reference(&mut self, reference: &str, pointer: &str) -> Option<String> {
        match reference.strip_prefix("#/components/schemas/") {
            Some(name) => Some(name.replace("~1", "/").replace("~0", "~")),
            None => {
                self.error(pointer, format!("reference `{reference}` is not to a component schema"));
                None
            }
        }
    }

    /// A schema that gets a name in the spec: objects, enums and strings become schemas; anything
    /// else is an alias inlined where used.
    fn named_schema(&mut self, name: &str, schema: &Schema, pointer: &str) -> Option<Ty> {
        let data = &schema.schema_data;
        let xml_name = self.raw_str(&format!("{pointer}/xml/name"));
        if let Some(namespace) = self.raw_str(&format!("{pointer}/xml/namespace")) {
            self.namespaces.insert(namespace);
        }
        if self.raw.pointer(&format!("{pointer}/xml/prefix")).is_some() {
            self.note(&format!("{pointer}/xml/prefix"), "XML prefixes are not mapped (the default namespace is used)");
        }
        self.unmapped_keywords(schema, pointer);
        let example = data.example.as_ref().map(compact);
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object))
                if !object.properties.is_empty()
                    || matches!(object.additional_properties, None | Some(AdditionalProperties::Any(false))) =>
            {
                // Reserve the name first: fields may refer back to it.
                self.schemas.insert(
                    name.to_owned(),
                    SchemaOut { kind: KindOut::Object(Vec::new()), description: None, example: None, xml_name: None },
                );
                let fields = self.object_fields(name, object, pointer);
                KindOut::Object(fields)
            }
            SchemaKind::AllOf { all_of } => {
                self.schemas.insert(
                    name.to_owned(),
                    SchemaOut { kind: KindOut::Object(Vec::new()), description: None, example: None, xml_name: None },
                );
                KindOut::Object(self.all_of(name, all_of, pointer, &mut vec![name.to_owned()])?)
            }
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                KindOut::Enum(string.enumeration.iter().flatten().cloned().collect())
            }
            SchemaKind::Type(Type::String(string)) if string.format.is_empty() => KindOut::String,
            _ => {
                let ty = self.schema_ty(schema, pointer, name)?;
                self.note(
                    pointer,
                    format!("`{name}` is not an object, enum or string: `{}` is used in its place", ty.expr),
                );
                self.aliases.insert(name.to_owned(), ty.clone());
                return Some(ty);
            }
        };
        self.schemas.insert(
            name.to_owned(),
            SchemaOut { kind, description: data.description.clone().or_else(|| data.title.clone()), example, xml_name },
        );
        Some(Ty { expr: name.to_owned(), nullable: data.nullable, sensitive: false })
    }

    /// Keywords with no place in the spec language, reported once per schema.
    fn unmapped_keywords(&mut self, schema: &Schema, pointer: &str) {
        if schema.schema_data.discriminator.is_some() {
            self.note(&format!("{pointer}/discriminator"), "discriminators are not mapped");
        }
        if schema.schema_data.default.is_some() {
            self.note(&format!("{pointer}/default"), "default values are not mapped (documentation only)");
        }
        self.validation_keywords(pointer);
    }

    fn validation_keywords(&mut self, pointer: &str) {
        let constraints = [
            "pattern",
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
            "minItems",
            "maxItems",
            "multipleOf",
            "uniqueItems",
        ];
        let present: Vec<&str> =
            constraints.iter().copied().filter(|k| self.raw.pointer(&format!("{pointer}/{k}")).is_some()).collect();
        if !present.is_empty() {
            self.note(
                pointer,
                format!("validation keywords are not mapped (the server validates): {}", present.join(", ")),
            );
        }
    }

    fn object_fields(&mut self, owner: &str, object: &openapiv3::ObjectType, pointer: &str) -> Vec<FieldOut> {
        if object.additional_properties.is_some() && !object.properties.is_empty() {
            self.note(
                &format!("{pointer}/additionalProperties"),
                "additionalProperties beside properties is not mapped; extra members are ignored on read",
            );
        }
        let mut fields = Vec::new();
        for (key, property) in &object.properties {
            let field_pointer = format!("{pointer}/properties/{}", escape(key));
            let hint = format!("{owner}{}", key.to_upper_camel_case());
            let unboxed = match property {
                ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
                ReferenceOr::Item(schema) => ReferenceOr::Item((**schema).clone()),
            };
            let Some(ty) = self.ty(&unboxed, &field_pointer, &hint) else { continue };
            let (description, example, read_only, write_only) = match property {
                ReferenceOr::Item(schema) => {
                    let data = &schema.schema_data;
                    (data.description.clone(), data.example.as_ref().map(compact), data.read_only, data.write_only)
                }
                ReferenceOr::Reference { .. } => (None, None, false, false),
            };
            self.validation_keywords(&field_pointer);
            let xml = self.field_xml(property, &field_pointer, key);
            fields.push(FieldOut {
                key: key.clone(),
                required: object.required.contains(key),
                ty,
                read_only,
                write_only,
                description,
                example,
                xml,
            });
        }
        fields
    }

    /// The `xml` object of a property (and of its items, for arrays).
    fn field_xml(&mut self, property: &ReferenceOr<Box<Schema>>, pointer: &str, key: &str) -> Mapping {
        let mut xml = Mapping::new();
        let name = self.raw_str(&format!("{pointer}/xml/name"));
        if self.raw.pointer(&format!("{pointer}/xml/attribute")) == Some(&Json::Bool(true)) {
            xml.insert(yaml_str("attribute"), Yaml::Bool(true));
        }
        let is_array = matches!(property, ReferenceOr::Item(schema) if matches!(schema.schema_kind, SchemaKind::Type(Type::Array(_))));
        if is_array {
            // The items' element name: their own `xml.name`, else the referenced schema's.
            let items_pointer = format!("{pointer}/items");
            let item_name = self.raw_str(&format!("{items_pointer}/xml/name")).or_else(|| {
                let reference = self.raw_str(&format!("{items_pointer}/$ref"))?;
                let target = reference.strip_prefix("#/components/schemas/")?.to_owned();
                self.raw_str(&format!("/components/schemas/{}/xml/name", escape(&target))).or(Some(target))
            });
            let wrapped = self.raw.pointer(&format!("{pointer}/xml/wrapped")) == Some(&Json::Bool(true));
            if wrapped {
                if let Some(name) = &name {
                    xml.insert(yaml_str("name"), yaml_str(name.clone()));
                }
                xml.insert(yaml_str("item"), yaml_str(item_name.unwrap_or_else(|| key.to_owned())));
            } else if let Some(item) = item_name.filter(|n| n != key) {
                // Unwrapped: the items repeat, each named as an item.
                xml.insert(yaml_str("name"), yaml_str(item));
            }
        } else if let Some(name) = name.filter(|n| n != key) {
            xml.insert(yaml_str("name"), yaml_str(name));
        }
        if self.raw.pointer(&format!("{pointer}/xml/namespace")).is_some()
            || self.raw.pointer(&format!("{pointer}/xml/prefix")).is_some()
        {
            self.note(&format!("{pointer}/xml"), "per-field XML namespaces and prefixes are not mapped");
        }
        xml
    }

    /// `allOf` of objects: their fields merged, in order; required if required anywhere.
    /// `visiting` holds the schemas whose parts are being merged: a part that is one of them
    /// would merge forever.
    fn all_of(
        &mut self,
        owner: &str,
        parts: &[ReferenceOr<Schema>],
        pointer: &str,
        visiting: &mut Vec<String>,
    ) -> Option<Vec<FieldOut>> {
        if visiting.len() > MAX_REFERENCE_DEPTH {
            self.error(pointer, format!("`allOf` nests more than {MAX_REFERENCE_DEPTH} levels deep"));
            return None;
        }
        let mut fields: Vec<FieldOut> = Vec::new();
        for (index, part) in parts.iter().enumerate() {
            let part_pointer = format!("{pointer}/allOf/{index}");
            let (schema, schema_pointer) = match part {
                ReferenceOr::Item(schema) => (schema.clone(), part_pointer.clone()),
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &part_pointer)?;
                    if visiting.contains(&target) {
                        let chain = visiting.join(" → ");
                        self.error(&part_pointer, format!("`allOf` of `{owner}` includes itself ({chain} → {target})"));
                        return None;
                    }
                    let found = self
                        .document
                        .components
                        .as_ref()
                        .and_then(|c| c.schemas.get(&target))
                        .and_then(|s| s.as_item())
                        .cloned();
                    match found {
                        Some(schema) => (schema, format!("/components/schemas/{}", escape(&target))),
                        None => {
                            self.error(
                                &part_pointer,
                                format!("`allOf` part `{target}` is not a schema of this document"),
                            );
                            return None;
                        }
                    }
                }
            };
            let target = match part {
                ReferenceOr::Reference { reference } => self.reference(reference, &part_pointer),
                ReferenceOr::Item(_) => None,
            };
            let part_fields = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => self.object_fields(owner, object, &schema_pointer),
                SchemaKind::AllOf { all_of } => {
                    visiting.extend(target.clone());
                    let merged = self.all_of(owner, all_of, &schema_pointer, visiting);
                    if target.is_some() {
                        visiting.pop();
                    }
                    merged?
                }
                _ => {
                    self.error(
                        &part_pointer,
                        format!("`allOf` of `{owner}` merges only objects; this part is not one"),
                    );
                    return None;
                }
            };
            for field in part_fields {
                match fields.iter_mut().find(|f| f.key == field.key) {
                    Some(existing) => existing.required |= field.required,
                    None => fields.push(field),
                }
            }
        }
        Some(fields)
    }

    fn raw_str(&self, pointer: &str) -> Option<String> {
        self.raw.pointer(pointer).and_then(Json::as_str).map(str::to_owned)
    }

    /// The type expression of a schema or reference. `hint` names inline objects and enums.
    fn ty(&mut self, schema: &ReferenceOr<Schema>, pointer: &str, hint: &str) -> Option<Ty> {
        match schema {
            ReferenceOr::Reference { reference } => {
                let name = self.reference(reference, pointer)?;
                self.component(&name)
            }
            ReferenceOr::Item(schema) => self.schema_ty(schema, pointer, hint),
        }
    }

    fn schema_ty(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Option<Ty> {
        let nullable = schema.schema_data.nullable;
        let plain = |expr: &str| Some(Ty { expr: expr.to_owned(), nullable, sensitive: false });
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if !string.enumeration.is_empty() {
                    return self.inline_schema(hint, schema, pointer, nullable);
                }
                match &string.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => plain("date-time"),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => plain("date"),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Password) => {
                        Some(Ty { expr: "string".into(), nullable, sensitive: true })
                    }
                    VariantOrUnknownOrEmpty::Item(StringFormat::Byte | StringFormat::Binary) => {
                        self.note(&format!("{pointer}/format"), "binary strings are read as text (base64 for `byte`)");
                        plain("string")
                    }
                    VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => plain("uuid"),
                    VariantOrUnknownOrEmpty::Unknown(format)
                        if matches!(format.as_str(), "uri" | "url" | "uri-reference") =>
                    {
                        plain("uri")
                    }
                    VariantOrUnknownOrEmpty::Unknown(format) => {
                        self.note(
                            &format!("{pointer}/format"),
                            format!("string format `{format}` is not mapped; read as text"),
                        );
                        plain("string")
                    }
                    VariantOrUnknownOrEmpty::Empty => plain("string"),
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                if !integer.enumeration.is_empty() {
                    self.note(&format!("{pointer}/enum"), "integer enums are mapped as plain integers");
                }
                match integer.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => plain("int32"),
                    _ => plain("int64"),
                }
            }
            SchemaKind::Type(Type::Number(_)) => plain("number"),
            SchemaKind::Type(Type::Boolean(_)) => plain("boolean"),
            SchemaKind::Type(Type::Array(array)) => {
                let Some(items) = &array.items else {
                    self.error(pointer, "an array without `items` cannot be mapped");
                    return None;
                };
                let items = match items {
                    ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
                    ReferenceOr::Item(schema) => ReferenceOr::Item((**schema).clone()),
                };
                let item = self.ty(&items, &format!("{pointer}/items"), &format!("{hint}Item"))?;
                Some(Ty { expr: format!("list<{}>", item.expr), nullable, sensitive: false })
            }
            SchemaKind::Type(Type::Object(object)) if object.properties.is_empty() => match &object
                .additional_properties
            {
                Some(AdditionalProperties::Schema(value)) => {
                    let value = self.ty(value, &format!("{pointer}/additionalProperties"), &format!("{hint}Value"))?;
                    Some(Ty { expr: format!("map<{}>", value.expr), nullable, sensitive: false })
                }
                Some(AdditionalProperties::Any(true)) | None => {
                    plain("map<any>").filter(|_| object.additional_properties.is_some()).or_else(|| plain("any"))
                }
                Some(AdditionalProperties::Any(false)) => self.inline_schema(hint, schema, pointer, nullable),
            },
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => {
                self.inline_schema(hint, schema, pointer, nullable)
            }
            SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                if variants.len() == 1 {
                    let mut ty = self.ty(&variants[0], &format!("{pointer}/{keyword}/0"), hint)?;
                    ty.nullable |= nullable;
                    return Some(ty);
                }
                self.error(
                    &format!("{pointer}/{keyword}"),
                    format!(
                        "`{keyword}` with {} alternatives cannot be expressed in the spec language (in `{hint}`)",
                        variants.len()
                    ),
                );
                None
            }
            SchemaKind::Not { .. } => {
                self.error(
                    &format!("{pointer}/not"),
                    format!("`not` cannot be expressed in the spec language (in `{hint}`)"),
                );
                None
            }
            SchemaKind::Any(_) => plain("any"),
        }
    }

    /// An inline object or enum, given a schema of its own named `hint`.
    fn inline_schema(&mut self, hint: &str, schema: &Schema, pointer: &str, nullable: bool) -> Option<Ty> {
        let mut name = hint.to_upper_camel_case();
        let mut counter = 2;
        while self.schemas.contains_key(&name)
            || self.document.components.as_ref().is_some_and(|c| c.schemas.contains_key(&name))
        {
            name = format!("{}{counter}", hint.to_upper_camel_case());
            counter += 1;
        }
        let mut ty = self.named_schema(&name, schema, pointer)?;
        ty.nullable |= nullable;
        Some(ty)
    }

    // -----------------------------------------------------------------------------------------
    // Operations

    fn path_item(&mut self, path: &str, item: &openapiv3::PathItem, pointer: &str) {
        for (method, operation) in item.iter() {
            let op_pointer = format!("{pointer}/{method}");
            if matches!(method, "options" | "trace") {
                self.note(&op_pointer, format!("{} operations are not mapped", method.to_uppercase()));
                continue;
            }
            let id = match &operation.operation_id {
                Some(id) => id.to_lower_camel_case(),
                None => derived_id(method, path),
            };
            if self.operations.contains_key(&id) {
                self.error(&format!("{op_pointer}/operationId"), format!("operation id `{id}` is used twice"));
                continue;
            }
            let mut parameters = Vec::new();
            let all: Vec<(usize, &ReferenceOr<Parameter>, String)> = item
                .parameters
                .iter()
                .enumerate()
                .map(|(i, p)| (i, p, format!("{pointer}/parameters/{i}")))
                .chain(
                    operation
                        .parameters
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (i, p, format!("{op_pointer}/parameters/{i}"))),
                )
                .collect();
            for (_, parameter, parameter_pointer) in all {
                if let Some(parameter) = self.parameter(parameter, &parameter_pointer, &id) {
                    // Operation-level parameters override path-level ones of the same name.
                    parameters
                        .retain(|p: &ParameterOut| !(p.name == parameter.name && p.location == parameter.location));
                    parameters.push(parameter);
                }
            }
            let request = match &operation.request_body {
                None => None,
                Some(body) => {
                    let body_pointer = format!("{op_pointer}/requestBody");
                    match self.request_body(body, &body_pointer, &id) {
                        Some(body) => Some(body),
                        None => {
                            self.note(
                                &op_pointer,
                                format!("operation `{id}` is not mapped: its request body cannot be"),
                            );
                            continue;
                        }
                    }
                }
            };
            let mut responses = Vec::new();
            let mut errors = Vec::new();
            for (status, response) in &operation.responses.responses {
                let response_pointer = format!("{op_pointer}/responses/{status}");
                let code = match status {
                    StatusCode::Code(code) => *code,
                    StatusCode::Range(_) => {
                        self.note(&response_pointer, "status ranges are not mapped");
                        continue;
                    }
                };
                let Some(out) =
                    self.response(response, &response_pointer, &format!("{id}{code}Response"), code.to_string())
                else {
                    continue;
                };
                if (200..300).contains(&code) {
                    responses.push(out);
                } else if code >= 400 {
                    errors.push(out);
                } else {
                    self.note(&response_pointer, format!("status {code} is not mapped"));
                }
            }
            if let Some(default) = &operation.responses.default {
                let response_pointer = format!("{op_pointer}/responses/default");
                if let Some(out) =
                    self.response(default, &response_pointer, &format!("{id}ErrorResponse"), "default".into())
                {
                    errors.push(out);
                }
            }
            if responses.is_empty() {
                self.note(
                    &format!("{op_pointer}/responses"),
                    "no 2xx response is documented; `200` without a body is assumed",
                );
                responses.push(ResponseOut { status: "200".into(), ty: None, description: None, headers: Vec::new() });
            }
            let authenticated = match &operation.security {
                Some(requirements) => !requirements.is_empty() && !requirements.iter().all(|r| r.is_empty()),
                None => self.document.security.as_ref().is_some_and(|r| !r.is_empty()) || self.has_security(),
            };
            if !operation.callbacks.is_empty() {
                self.note(&format!("{op_pointer}/callbacks"), "callbacks are not mapped");
            }
            self.operations.insert(
                id,
                OperationOut {
                    method: method.to_uppercase(),
                    path: path.to_owned(),
                    summary: operation.summary.clone(),
                    description: operation.description.clone(),
                    authenticated,
                    parameters,
                    request,
                    responses,
                    errors,
                },
            );
        }
    }

    /// An item, or the component a `$ref` names (`#/components/<section>/<name>`).
    fn resolve<T: Clone>(
        &mut self,
        item: &ReferenceOr<T>,
        section: &str,
        components: impl Fn(&openapiv3::Components) -> &IndexMap<String, ReferenceOr<T>>,
        pointer: &str,
    ) -> Option<T> {
        let reference = match item {
            ReferenceOr::Item(item) => return Some(item.clone()),
            ReferenceOr::Reference { reference } => reference,
        };
        let found = reference
            .strip_prefix(&format!("#/components/{section}/"))
            .and_then(|name| components(self.document.components.as_ref()?).get(name))
            .and_then(ReferenceOr::as_item)
            .cloned();
        if found.is_none() {
            self.error(pointer, format!("reference `{reference}` does not resolve"));
        }
        found
    }

    fn has_security(&self) -> bool {
        self.document.components.as_ref().is_some_and(|c| !c.security_schemes.is_empty())
            && self.document.security.is_none()
    }

    fn parameter(
        &mut self,
        parameter: &ReferenceOr<Parameter>,
        pointer: &str,
        operation: &str,
    ) -> Option<ParameterOut> {
        let parameter = self.resolve(parameter, "parameters", |c| &c.parameters, pointer)?;
        let (data, location, csv) = match &parameter {
            Parameter::Path { parameter_data, .. } => (parameter_data, "path", false),
            Parameter::Query { parameter_data, style, .. } => {
                let csv = parameter_data.explode == Some(false) || !matches!(style, QueryStyle::Form);
                (parameter_data, "query", csv)
            }
            Parameter::Header { parameter_data, .. } => (parameter_data, "header", false),
            Parameter::Cookie { parameter_data, .. } => {
                self.note(pointer, format!("cookie parameter `{}` is not mapped", parameter_data.name));
                return None;
            }
        };
        if location == "header"
            && ["accept", "content-type", "authorization"].contains(&data.name.to_ascii_lowercase().as_str())
        {
            self.note(pointer, format!("header `{}` is set by the client itself", data.name));
            return None;
        }
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => schema,
            ParameterSchemaOrContent::Content(_) => {
                self.note(pointer, format!("parameter `{}` with `content` is not mapped", data.name));
                return None;
            }
        };
        let hint = format!("{}{}", operation.to_upper_camel_case(), data.name.to_upper_camel_case());
        let ty = self.ty(schema, &format!("{pointer}/schema"), &hint)?;
        let default = match schema {
            ReferenceOr::Item(schema) => schema.schema_data.default.as_ref().map(compact),
            ReferenceOr::Reference { .. } => None,
        };
        if default.is_some() && location != "header" {
            self.note(
                &format!("{pointer}/schema/default"),
                "parameter defaults are not mapped (the server applies them)",
            );
        }
        Some(ParameterOut {
            name: data.name.clone(),
            location,
            ty,
            required: data.required || location == "path",
            description: data.description.clone(),
            csv: csv && location == "query",
            default,
        })
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        operation: &str,
    ) -> Option<(String, Vec<&'static str>, Option<String>)> {
        let body = self.resolve(body, "requestBodies", |c| &c.request_bodies, pointer)?;
        let mut formats = Vec::new();
        let mut ty: Option<String> = None;
        for (media_type, content) in &body.content {
            let media_pointer = format!("{pointer}/content/{}", escape(media_type));
            let Some(format) = format_of(media_type) else {
                self.note(&media_pointer, format!("media type `{media_type}` is not mapped"));
                continue;
            };
            let Some(schema) = &content.schema else {
                self.note(&media_pointer, "a body without a schema is not mapped");
                continue;
            };
            let Some(mapped) = self.ty(schema, &format!("{media_pointer}/schema"), &format!("{operation}Request"))
            else {
                continue;
            };
            match &ty {
                Some(first) if *first != mapped.expr => {
                    self.note(
                        &media_pointer,
                        format!("this media type's schema differs from the first one (`{first}`); the first is used"),
                    );
                }
                Some(_) => {}
                None => ty = Some(mapped.expr),
            }
            self.media.insert(format);
            if !formats.contains(&format) {
                formats.push(format);
            }
        }
        let ty = ty?;
        formats.sort();
        Some((ty, formats, body.description.clone()))
    }

    fn response(
        &mut self,
        response: &ReferenceOr<openapiv3::Response>,
        pointer: &str,
        hint: &str,
        status: String,
    ) -> Option<ResponseOut> {
        let response = self.resolve(response, "responses", |c| &c.responses, pointer)?;
        let mut ty = None;
        for (media_type, content) in &response.content {
            let media_pointer = format!("{pointer}/content/{}", escape(media_type));
            let Some(format) = format_of(media_type).filter(|f| *f != "form") else {
                self.note(&media_pointer, format!("media type `{media_type}` is not mapped"));
                continue;
            };
            self.media.insert(format);
            let Some(schema) = &content.schema else { continue };
            if ty.is_none() {
                ty = self.ty(schema, &format!("{media_pointer}/schema"), hint).map(|t| t.expr);
            }
        }
        let mut headers = Vec::new();
        for (name, header) in &response.headers {
            let header_pointer = format!("{pointer}/headers/{}", escape(name));
            let Some(header) = header.as_item() else {
                self.note(&header_pointer, "header references are not mapped");
                continue;
            };
            let ParameterSchemaOrContent::Schema(schema) = &header.format else { continue };
            if let Some(header_ty) =
                self.ty(schema, &format!("{header_pointer}/schema"), &format!("{hint}{}", name.to_upper_camel_case()))
            {
                headers.push((name.clone(), header_ty, header.description.clone()));
            }
        }
        let description = Some(response.description.clone()).filter(|d| !d.trim().is_empty());
        Some(ResponseOut { status, ty, description, headers })
    }

    /// One error body type per API: the most used one; others are reported and dropped.
    fn unify_errors(&mut self) {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for operation in self.operations.values() {
            for error in &operation.errors {
                if let Some(ty) = &error.ty {
                    *counts.entry(ty.clone()).or_default() += 1;
                }
            }
        }
        let Some(chosen) = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(ty, _)| ty.clone())
        else {
            return;
        };
        let mut dropped = Vec::new();
        for (id, operation) in &mut self.operations {
            for error in &mut operation.errors {
                if error.ty.as_ref().is_some_and(|ty| *ty != chosen) {
                    dropped.push(format!(
                        "operation `{id}`, status {}: `{}`",
                        error.status,
                        error.ty.take().unwrap_or_default()
                    ));
                }
            }
        }
        for message in dropped {
            self.note("/paths", format!("{message} is not the API's error body type `{chosen}`; decoded as raw text"));
        }
    }

    // -----------------------------------------------------------------------------------------
    // The api section

    fn api_section(&mut self, name: &str, version: &str) {
        let document = self.document;
        let mut api = Mapping::new();
        api.insert(yaml_str("name"), yaml_str(name));
        api.insert(yaml_str("title"), yaml_str(document.info.title.clone()));
        let mut description = document.info.description.clone().unwrap_or_default().trim().to_owned();
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&format!("Document version {} (OpenAPI {version}).", document.info.version));
        api.insert(yaml_str("description"), yaml_str(description));
        let (base_path, port) = match document.servers.first() {
            Some(server) => {
                if document.servers.len() > 1 {
                    self.note("/servers", "only the first server is mapped");
                }
                let mut url = server.url.clone();
                for (variable, value) in server.variables.iter().flatten() {
                    url = url.replace(&format!("{{{variable}}}"), &value.default);
                }
                split_url(&url)
            }
            None => ("/".to_owned(), None),
        };
        api.insert(yaml_str("base_path"), yaml_str(if base_path.is_empty() { "/".to_owned() } else { base_path }));
        if let Some(port) = port {
            api.insert(yaml_str("default_port"), Yaml::Number(port.into()));
        }
        let xml_namespace = self.namespaces.iter().next().cloned();
        if self.namespaces.len() > 1 {
            self.note("/components/schemas", "several XML namespaces; the first is the API's");
        }
        let mut supported: Vec<&str> = Vec::new();
        if self.media.contains("json") || !self.media.contains("xml") {
            supported.push("json");
        }
        if self.media.contains("xml") {
            if xml_namespace.is_some() {
                supported.push("xml");
            } else {
                self.note("/paths", "XML media types are not mapped: no schema declares an `xml.namespace`");
            }
        }
        let default = supported[0];
        let mut formats = Mapping::new();
        formats.insert(yaml_str("supported"), Yaml::Sequence(supported.iter().map(|f| yaml_str(*f)).collect()));
        formats.insert(yaml_str("default"), yaml_str(default));
        api.insert(yaml_str("formats"), Yaml::Mapping(formats));
        if supported.contains(&"xml") {
            if let Some(namespace) = xml_namespace {
                api.insert(yaml_str("xml_namespace"), yaml_str(namespace));
            }
            self.drop_fields_without_xml_form();
        } else {
            // XML bodies were dropped: so are formats lists naming them.
            for operation in self.operations.values_mut() {
                if let Some((_, formats, _)) = &mut operation.request {
                    formats.retain(|f| *f != "xml");
                }
            }
        }
        let headers = self.fixed_headers();
        if !headers.is_empty() {
            api.insert(yaml_str("headers"), Yaml::Mapping(headers));
        }
        if let Some(auth) = self.auth() {
            api.insert(yaml_str("auth"), auth);
        }
        self.api = api;
    }

    /// An API that speaks XML cannot have maps, arbitrary JSON or lists of lists: such fields are
    /// left out, and reported.
    fn drop_fields_without_xml_form(&mut self) {
        let mut dropped = Vec::new();
        for (schema_name, schema) in &mut self.schemas {
            if let KindOut::Object(fields) = &mut schema.kind {
                fields.retain(|field| {
                    let expr = field.ty.expr.as_str();
                    let xml_form = !(expr.contains("map<")
                        || expr == "any"
                        || expr.contains("<any>")
                        || expr.contains("list<list<"));
                    if !xml_form {
                        dropped.push(format!("{schema_name}.{} (`{expr}`)", field.key));
                    }
                    xml_form
                });
            }
        }
        for field in dropped {
            self.note(
                "/components/schemas",
                format!("field {field} is not mapped: the API speaks XML, which has no form for it"),
            );
        }
    }

    /// Required headers with a default that every operation sends: fixed headers of the API.
    fn fixed_headers(&mut self) -> Mapping {
        let mut fixed = Mapping::new();
        let Some(first) = self.operations.values().next() else { return fixed };
        let candidates: Vec<String> = first
            .parameters
            .iter()
            .filter(|p| p.location == "header" && p.required && p.default.is_some())
            .map(|p| p.name.clone())
            .collect();
        for name in candidates {
            let values: BTreeSet<Option<String>> = self
                .operations
                .values()
                .map(|op| {
                    op.parameters
                        .iter()
                        .find(|p| p.location == "header" && p.name == name)
                        .and_then(|p| p.default.clone())
                })
                .collect();
            if values.len() == 1 {
                if let Some(Some(value)) = values.into_iter().next() {
                    fixed.insert(yaml_str(name.clone()), yaml_str(value));
                    for operation in self.operations.values_mut() {
                        operation.parameters.retain(|p| !(p.location == "header" && p.name == name));
                    }
                }
            }
        }
        fixed
    }

    fn auth(&mut self) -> Option<Yaml> {
        let schemes = &self.document.components.as_ref()?.security_schemes;
        let wanted = self.document.security.as_ref().and_then(|r| r.first()).and_then(|r| r.keys().next().cloned());
        let (name, scheme) = match wanted {
            Some(wanted) => (wanted.clone(), schemes.get(&wanted)?.as_item()?.clone()),
            None => {
                let (name, scheme) = schemes.iter().next()?;
                (name.clone(), scheme.as_item()?.clone())
            }
        };
        let pointer = format!("/components/securitySchemes/{}", escape(&name));
        if schemes.len() > 1 {
            self.note("/components/securitySchemes", format!("only one scheme is mapped: `{name}`"));
        }
        match scheme {
            SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                // The token operation: a form body with a `grant_type` member.
                let token = self.operations.iter().find(|(_, op)| {
                    op.request.as_ref().is_some_and(|(ty, formats, _)| {
                        formats.contains(&"form")
                            && matches!(self.schemas.get(ty), Some(SchemaOut { kind: KindOut::Object(fields), .. }) if fields.iter().any(|f| f.key == "grant_type"))
                    })
                });
                let mut bearer = Mapping::new();
                if let Some((id, _)) = token {
                    bearer.insert(yaml_str("token_operation"), yaml_str(id.clone()));
                } else {
                    self.note(
                        &pointer,
                        "no token operation (a form body with `grant_type`): callers set tokens themselves",
                    );
                }
                Some(mapping([("bearer", Some(Yaml::Mapping(bearer)))]))
            }
            SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
                Some(mapping([("basic", Some(Yaml::Mapping(Mapping::new())))]))
            }
            SecurityScheme::APIKey { location: openapiv3::APIKeyLocation::Header, name, .. } => {
                Some(mapping([("api_key", Some(mapping([("header", Some(yaml_str(name)))])))]))
            }
            _ => {
                self.note(&pointer, "only http bearer, http basic and header API keys are mapped");
                None
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Output

    fn render(&self, source: &str, name: &str) -> BTreeMap<String, String> {
        let header = |what: &str| {
            format!(
                "# {what} of the `{name}` API, imported from {source} by `cargo xtask import-openapi`.\n\
                 # A starting point: edit freely (descriptions, names, sensitive fields), then `cargo xtask codegen`.\n"
            )
        };
        let mut files = BTreeMap::new();

        let mut api_text = header("The api section");
        if !self.notes.is_empty() {
            api_text.push_str("#\n# Not mapped (JSON pointers into the document):\n");
            for note in &self.notes {
                for (index, line) in note.to_string().lines().enumerate() {
                    api_text.push_str(if index == 0 { "# - " } else { "#   " });
                    api_text.push_str(line);
                    api_text.push('\n');
                }
            }
        }
        api_text.push_str(&to_yaml(&mapping([("api", Some(Yaml::Mapping(self.api.clone())))])));
        files.insert("api.yaml".to_owned(), api_text);

        if !self.schemas.is_empty() {
            let mut schemas = Mapping::new();
            for (schema_name, schema) in &self.schemas {
                schemas.insert(yaml_str(schema_name.clone()), schema_yaml(schema));
            }
            let text =
                format!("{}{}", header("Schemas"), to_yaml(&mapping([("schemas", Some(Yaml::Mapping(schemas)))])));
            files.insert("schemas.yaml".to_owned(), text);
        }
        if !self.operations.is_empty() {
            let mut operations = Mapping::new();
            for (id, operation) in &self.operations {
                operations.insert(yaml_str(id.clone()), operation_yaml(operation));
            }
            let text = format!(
                "{}{}",
                header("Operations"),
                to_yaml(&mapping([("operations", Some(Yaml::Mapping(operations)))]))
            );
            files.insert("operations.yaml".to_owned(), text);
        }
        files
    }
}

fn to_yaml(value: &Yaml) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

fn compact(value: &Json) -> String {
    match value {
        Json::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn format_of(media_type: &str) -> Option<&'static str> {
    let media_type = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media_type == "application/x-www-form-urlencoded" {
        Some("form")
    } else if media_type.ends_with("json") {
        Some("json")
    } else if media_type.ends_with("xml") {
        Some("xml")
    } else {
        None
    }
}

/// `https://host:8443/api/v1` -> (`/api/v1`, 8443).
fn split_url(url: &str) -> (String, Option<u16>) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (authority, path) = match rest.find('/') {
        Some(slash) if url.contains("://") => (&rest[..slash], &rest[slash..]),
        _ if url.contains("://") => (rest, ""),
        _ => ("", rest),
    };
    let port = authority.rsplit_once(':').and_then(|(_, port)| port.parse().ok());
    (path.trim_end_matches('/').to_owned(), port)
}

/// `get` `/pets/{petId}/photos` -> `getPetsByPetIdPhotos`.
fn derived_id(method: &str, path: &str) -> String {
    let mut id = method.to_owned();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(parameter) => id.push_str(&format!("By{}", parameter.to_upper_camel_case())),
            None => id.push_str(&segment.to_upper_camel_case()),
        }
    }
    id
}

fn schema_yaml(schema: &SchemaOut) -> Yaml {
    let (kind, fields, values) = match &schema.kind {
        KindOut::Object(fields) => {
            let mut map = Mapping::new();
            for field in fields {
                let xml = (!field.xml.is_empty()).then(|| Yaml::Mapping(field.xml.clone()));
                let entry = mapping([
                    ("type", Some(yaml_str(field.ty.expr.clone()))),
                    ("required", flag(field.required)),
                    ("nullable", flag(field.ty.nullable)),
                    ("sensitive", flag(field.ty.sensitive)),
                    ("read_only", flag(field.read_only)),
                    ("write_only", flag(field.write_only)),
                    ("description", text(&field.description)),
                    ("example", field.example.clone().map(yaml_str)),
                    ("xml", xml),
                ]);
                map.insert(yaml_str(field.key.clone()), entry);
            }
            ("object", Some(Yaml::Mapping(map)), None)
        }
        KindOut::Enum(values) => {
            let values = values.iter().map(|v| mapping([("value", Some(yaml_str(v.clone())))])).collect();
            ("enum", None, Some(Yaml::Sequence(values)))
        }
        KindOut::String => ("string", None, None),
    };
    mapping([
        ("kind", Some(yaml_str(kind))),
        ("description", text(&schema.description)),
        ("xml_name", schema.xml_name.clone().map(yaml_str)),
        ("example", schema.example.clone().map(yaml_str)),
        ("fields", fields),
        ("values", values),
    ])
}

fn operation_yaml(operation: &OperationOut) -> Yaml {
    let mut parameters = Mapping::new();
    for parameter in &operation.parameters {
        let entry = mapping([
            ("in", Some(yaml_str(parameter.location))),
            ("type", Some(yaml_str(parameter.ty.expr.clone()))),
            ("required", flag(parameter.required && parameter.location != "path")),
            ("sensitive", flag(parameter.ty.sensitive)),
            ("list_format", parameter.csv.then(|| yaml_str("csv")).filter(|_| parameter.ty.expr.starts_with("list<"))),
            ("description", text(&parameter.description)),
        ]);
        parameters.insert(yaml_str(parameter.name.clone()), entry);
    }
    let request = operation.request.as_ref().map(|(ty, formats, description)| {
        mapping([
            ("schema", Some(yaml_str(ty.clone()))),
            ("formats", Some(Yaml::Sequence(formats.iter().map(|f| yaml_str(*f)).collect()))),
            ("description", text(description)),
        ])
    });
    let responses = |list: &[ResponseOut]| {
        let mut map = Mapping::new();
        for response in list {
            let mut headers = Mapping::new();
            for (name, ty, description) in &response.headers {
                headers.insert(
                    yaml_str(name.clone()),
                    mapping([
                        ("type", Some(yaml_str(ty.expr.clone()))),
                        ("sensitive", flag(ty.sensitive)),
                        ("description", text(description)),
                    ]),
                );
            }
            let key = match response.status.parse::<u64>() {
                Ok(code) => Yaml::Number(code.into()),
                Err(_) => yaml_str(response.status.clone()),
            };
            map.insert(
                key,
                mapping([
                    ("schema", response.ty.clone().map(yaml_str)),
                    ("description", text(&response.description)),
                    ("headers", (!headers.is_empty()).then_some(Yaml::Mapping(headers))),
                ]),
            );
        }
        Yaml::Mapping(map)
    };
    let errors = (!operation.errors.is_empty()).then(|| responses(&operation.errors));
    mapping([
        ("summary", text(&operation.summary)),
        ("description", text(&operation.description)),
        ("method", Some(yaml_str(operation.method.clone()))),
        ("path", Some(yaml_str(operation.path.clone()))),
        ("authenticated", (!operation.authenticated).then_some(Yaml::Bool(false))),
        ("parameters", (!operation.parameters.is_empty()).then_some(Yaml::Mapping(parameters))),
        ("request", request),
        ("responses", Some(responses(&operation.responses))),
        ("errors", errors),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(derived_id("get", "/pets/{petId}/photos"), "getPetsByPetIdPhotos");
        assert_eq!(split_url("https://host:8443/api/v1/"), ("/api/v1".to_owned(), Some(8443)));
        assert_eq!(split_url("https://host"), (String::new(), None));
        assert_eq!(split_url("/api"), ("/api".to_owned(), None));
        assert_eq!(format_of("application/problem+json"), Some("json"));
        assert_eq!(format_of("text/xml; charset=utf-8"), Some("xml"));
        assert_eq!(escape("a/b~c"), "a~1b~0c");
    }
}
