//! Phase 2: schemas, each on its own: fields and their wire names, enum values, examples.

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;

use super::names::{value_name, variant_name};
use super::tables::{SchemaEntry, Tables};
use super::{docs, Resolver};
use crate::ir::{self, BodyFormat, Format, Ident};
use crate::load::ast;

/// The JSON members that wrap lists, numbered in the order fields name them (schemas are
/// resolved in name order, so the numbering is stable).
#[derive(Default)]
pub(super) struct JsonMembers {
    /// By member name and whether the member may hold a single item.
    members: IndexMap<(String, bool), BTreeSet<String>>,
}

impl JsonMembers {
    fn add(&mut self, name: &str, aliases: &[String], single_item: bool) -> usize {
        let entry = self.members.entry((name.to_owned(), single_item));
        let index = entry.index();
        entry.or_default().extend(aliases.iter().cloned());
        index
    }

    /// Each member gets a marker type name, unique even when two names clean up alike.
    pub fn resolve(self) -> Vec<ir::JsonMember> {
        let mut taken = std::collections::HashSet::new();
        self.members
            .into_iter()
            .map(|((name, single_item), aliases)| {
                let cleaned: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
                let cleaned = heck::ToUpperCamelCase::to_upper_camel_case(cleaned.as_str());
                let or_item = if single_item { "OrItem" } else { "" };
                let mut candidate = format!("Member{cleaned}{or_item}");
                let mut counter = 1;
                while !taken.insert(candidate.clone()) {
                    counter += 1;
                    candidate = format!("Member{cleaned}{or_item}{counter}");
                }
                // `Member` then ASCII letters and digits: always an identifier, never a keyword.
                let aliases = aliases.into_iter().collect();
                ir::JsonMember { name, aliases, single_item, ident: Ident::assume(candidate) }
            })
            .collect()
    }
}

/// Names for the catch-all variant of an enum, in order of preference.
const CATCH_ALL: &[&str] = &["Unknown", "UnknownValue", "Undocumented"];

/// The first catch-all name no variant has taken (`Unknown`, then `UnknownValue`, ...).
fn catch_all(taken: impl Fn(&Ident) -> bool) -> Ident {
    let mut candidates = CATCH_ALL.iter().map(|name| name.to_string()).chain((2..).map(|n| format!("Unknown{n}")));
    loop {
        // The candidates are identifiers, and fewer variants than candidates can take them.
        let candidate = Ident::assume(candidates.next().unwrap_or_default());
        if !taken(&candidate) {
            break candidate;
        }
    }
}

impl Resolver<'_> {
    pub(super) fn schema(
        &mut self,
        entry: &SchemaEntry,
        tables: &Tables,
        formats: &[Format],
        members: &mut JsonMembers,
    ) -> Option<ir::Schema> {
        let (name, schema) = &entry.located.value;
        let (file, base) = (entry.located.file, entry.located.path.as_str());
        let errors_before = self.errors();
        let kind = match schema.kind {
            ast::SchemaKind::Object => {
                if schema.values.is_some() {
                    self.error(file, &format!("{base}.values"), "`values` is for enums; an object has `fields`");
                }
                let fields = match &schema.fields {
                    Some(fields) => self.fields(file, base, fields, tables, formats.contains(&Format::Xml), members),
                    None => {
                        self.error(file, base, "an object schema needs `fields` (use `fields: {}` for none)");
                        Vec::new()
                    }
                };
                let required = (fields.iter().filter(|f| f.required).count() >= 2)
                    .then(|| Ident::assume(format!("{}Required", entry.rust_name.as_str())));
                ir::SchemaKind::Object(ir::Object { fields, required })
            }
            ast::SchemaKind::Enum => {
                if schema.fields.is_some() {
                    self.error(file, &format!("{base}.fields"), "`fields` is for objects; an enum has `values`");
                }
                ir::SchemaKind::Enum(self.enum_values(file, base, schema.values.as_deref().unwrap_or_default()))
            }
            ast::SchemaKind::String => {
                if schema.fields.is_some() || schema.values.is_some() {
                    self.error(file, base, "a named string type has neither `fields` nor `values`");
                }
                ir::SchemaKind::String
            }
            ast::SchemaKind::Union => ir::SchemaKind::Union(self.union(file, base, schema, tables, formats)),
            // Resolved with the tables (every use needs it); reported there when wrong.
            ast::SchemaKind::Alias => {
                let id = tables.schema_ids[name.as_str()];
                ir::SchemaKind::Alias(tables.aliases.get(&id).cloned()?)
            }
        };
        if schema.kind != ast::SchemaKind::Union
            && (schema.variants.is_some() || schema.discriminator.is_some() || schema.wrapped)
        {
            self.error(file, base, "`variants`, `discriminator` and `wrapped` are for unions");
        }
        if schema.kind != ast::SchemaKind::Alias && schema.ty.is_some() {
            self.error(file, &format!("{base}.type"), "`type` is for aliases");
        }
        let mut examples = Vec::new();
        for (index, example) in schema.examples.iter().enumerate() {
            let path = format!("{base}.examples[{index}]");
            let Some(format) = self.example_format(file, &path, &example.format, formats) else { continue };
            if example.of.is_some() {
                let message = "`of` is for operation examples; a schema example is the schema";
                self.error(file, &format!("{path}.of"), message);
            }
            if let Some(example) = self.example(file, &path, ir::ExampleOf::Schema, format, example) {
                examples.push(example);
            }
        }
        (self.errors() == errors_before).then(|| ir::Schema {
            name: name.clone(),
            rust_name: entry.rust_name.clone(),
            description: docs(&schema.description),
            sources: schema.sources.clone(),
            file: self.file_name(file).to_owned(),
            // Decided by the graph phase.
            eq: false,
            holds_secret: false,
            xml_name: schema.xml_name.clone().unwrap_or_else(|| name.clone()),
            example: schema.example.clone(),
            kind,
            examples,
        })
    }

    fn fields(
        &mut self,
        file: usize,
        base: &str,
        fields: &IndexMap<String, ast::Field>,
        tables: &Tables,
        speaks_xml: bool,
        members: &mut JsonMembers,
    ) -> Vec<ir::Field> {
        let mut resolved = Vec::new();
        let mut rust_names: HashMap<Ident, &str> = HashMap::new();
        let mut json_names: HashMap<String, &str> = HashMap::new();
        let mut xml_names: HashMap<(String, bool), &str> = HashMap::new();
        let mut text_field: Option<&str> = None;
        for (name, field) in fields {
            let path = format!("{base}.fields.{name}");
            let rust_name = match value_name(field.rust_name.as_deref().unwrap_or(name)) {
                Ok(rust_name) => rust_name,
                Err(message) => {
                    self.error(file, &path, message);
                    continue;
                }
            };
            if let Some(first) = rust_names.insert(rust_name.clone(), name) {
                let message = format!("fields `{first}` and `{name}` both become the Rust field `{rust_name}`");
                self.error(file, &path, message);
            }
            let setter = Ident::new(&format!("with_{}", rust_name.plain()));
            let ty = self.ty(file, &format!("{path}.type"), &field.ty, tables);
            let json = field.json.as_ref();
            let xml = field.xml.as_ref();
            let json_name = json.and_then(|j| j.name.clone()).unwrap_or_else(|| name.clone());
            let xml_name = xml.and_then(|x| x.name.clone()).unwrap_or_else(|| name.clone());
            if let Some(first) = json_names.insert(json_name.clone(), name) {
                let message = format!("fields `{first}` and `{name}` have the same JSON name `{json_name}`");
                self.error(file, &path, message);
            }
            let attribute = xml.is_some_and(|x| x.attribute);
            let text = xml.is_some_and(|x| x.text);
            if let Some(first) = xml_names.insert((xml_name.clone(), attribute), name) {
                let what = if attribute { "XML attribute" } else { "XML element" };
                self.error(file, &path, format!("fields `{first}` and `{name}` have the same {what} `{xml_name}`"));
            }
            if speaks_xml && ty.as_ref().is_some_and(|ty| !has_xml_form(ty)) {
                let message = format!("`{}` has no XML form, and this API speaks XML; use objects and lists", field.ty);
                self.error(file, &format!("{path}.type"), message);
            }
            let is_list = matches!(ty, Some(ir::Type::List(_)));
            let is_simple = ty.as_ref().is_some_and(|ty| tables.is_simple(ty));
            let xml_kind = match (attribute, text) {
                (true, true) => {
                    let message = "a field is either an XML attribute or the text, not both";
                    self.error(file, &format!("{path}.xml"), message);
                    ir::XmlKind::Attribute
                }
                (true, false) => ir::XmlKind::Attribute,
                (false, true) => {
                    if let Some(first) = text_field.replace(name) {
                        let message = format!("fields `{first}` and `{name}` are both the element's text");
                        self.error(file, &format!("{path}.xml.text"), message);
                    }
                    ir::XmlKind::Text
                }
                (false, false) => ir::XmlKind::Element,
            };
            if xml_kind != ir::XmlKind::Element && ty.is_some() && !is_simple {
                let message = format!("an XML attribute or text holds a single value; `{}` is not one", field.ty);
                self.error(file, &format!("{path}.xml"), message);
            }
            let xml_item = xml.and_then(|x| x.item.clone());
            if xml_item.is_some() && ty.is_some() && !is_list {
                let message = format!("`item` is for lists; `{}` is not a list", field.ty);
                self.error(file, &format!("{path}.xml.item"), message);
            }
            let wrapper = json.and_then(|j| j.wrapper.as_deref());
            let wrapper_aliases = json.map(|j| j.wrapper_aliases.as_slice()).unwrap_or_default();
            if !wrapper_aliases.is_empty() && wrapper.is_none() {
                self.error(file, &format!("{path}.json.wrapper_aliases"), "`wrapper_aliases` needs a `wrapper`");
            }
            if wrapper.is_some() && ty.is_some() && !is_list {
                let message = format!("`wrapper` is for lists; `{}` is not a list", field.ty);
                self.error(file, &format!("{path}.json.wrapper"), message);
            }
            let single_item = json.is_some_and(|j| j.single_item);
            if single_item && ty.is_some() && !is_list {
                let message = format!("`single_item` is for lists; `{}` is not a list", field.ty);
                self.error(file, &format!("{path}.json.single_item"), message);
            }
            let id_source = match field.id.as_deref() {
                None => None,
                Some("urn") => Some(ir::IdSource::Urn),
                Some("href") => Some(ir::IdSource::Href),
                Some(other) => {
                    let message = format!("`id` is `urn` or `href`, not `{other}`");
                    self.error(file, &format!("{path}.id"), message);
                    None
                }
            };
            if id_source.is_some() && ty.as_ref().is_some_and(|ty| !tables.is_text(ty)) {
                let message = format!("`id` reads the ID from text; `{}` is not a string", field.ty);
                self.error(file, &format!("{path}.id"), message);
            }
            let (Some(ty), Some(setter)) = (ty, setter) else { continue };
            resolved.push(ir::Field {
                name: name.clone(),
                rust_name,
                setter,
                ty,
                required: field.required,
                nullable: field.nullable,
                sensitive: field.sensitive,
                read_only: field.read_only,
                write_only: field.write_only,
                boxed: false,
                description: docs(&field.description),
                example: field.example.clone(),
                json_name,
                json_aliases: json.map(|j| j.aliases.clone()).unwrap_or_default(),
                json_wrapper: wrapper.map(|member| members.add(member, wrapper_aliases, single_item)),
                json_single_item: single_item,
                json_expected: json.is_some_and(|j| j.expected),
                id_source,
                xml_name,
                xml_kind,
                xml_item,
            });
        }
        resolved
    }

    /// Values and their variants. Values are data: variants that would collide after conversion
    /// are numbered (`Empty`, `Empty2`); the catch-all takes the first name no value took.
    fn enum_values(&mut self, file: usize, base: &str, values: &[ast::EnumValue]) -> ir::Enum {
        if values.is_empty() {
            self.error(file, &format!("{base}.values"), "an enum needs at least one value");
        }
        let mut seen_values: HashMap<&str, usize> = HashMap::new();
        let mut taken: std::collections::HashSet<Ident> = std::collections::HashSet::new();
        let mut resolved = Vec::new();
        for (index, value) in values.iter().enumerate() {
            if let Some(first) = seen_values.insert(&value.value, index) {
                let message = format!("value `{}` is listed twice (first at [{first}])", value.value.escape_debug());
                self.error(file, &format!("{base}.values[{index}]"), message);
                continue;
            }
            let base_name = match &value.rust_name {
                Some(rust_name) => match super::names::type_name(rust_name) {
                    Ok(rust_name) => rust_name,
                    Err(message) => {
                        self.error(file, &format!("{base}.values[{index}].rust_name"), message);
                        continue;
                    }
                },
                None => variant_name(&value.value),
            };
            let mut rust_name = base_name.clone();
            let mut counter = 1;
            while !taken.insert(rust_name.clone()) {
                counter += 1;
                rust_name = Ident::assume(format!("{}{counter}", base_name.as_str().trim_end_matches('_')));
            }
            resolved.push(ir::EnumValue {
                value: value.value.clone(),
                rust_name,
                description: docs(&value.description),
            });
        }
        let catch_all = catch_all(|candidate| taken.contains(candidate));
        ir::Enum { values: resolved, catch_all }
    }

    fn union(
        &mut self,
        file: usize,
        base: &str,
        schema: &ast::Schema,
        tables: &Tables,
        formats: &[Format],
    ) -> ir::Union {
        if schema.fields.is_some() || schema.values.is_some() {
            self.error(file, base, "a union has `variants`, not `fields` or `values`");
        }
        let variants: &[ast::Variant] = schema.variants.as_deref().unwrap_or_default();
        if variants.is_empty() {
            self.error(file, &format!("{base}.variants"), "a union needs at least one variant");
        }
        let speaks_xml = formats.contains(&Format::Xml);
        let discriminator = schema.discriminator.as_deref();
        if schema.wrapped && discriminator.is_some() {
            let message =
                "a `wrapped` union names each alternative by the member wrapping it: it has no `discriminator`";
            self.error(file, &format!("{base}.discriminator"), message);
        }
        let mut tags: HashMap<String, usize> = HashMap::new();
        let mut unique_tag = |resolver: &mut Self, path: &str, index: usize, tag: String| {
            if let Some(first) = tags.insert(tag.clone(), index) {
                let message = format!("variants [{first}] and [{index}] have the same tag `{}`", tag.escape_debug());
                resolver.error(file, &format!("{path}.tag"), message);
            }
            tag
        };
        let mut taken: HashMap<Ident, usize> = HashMap::new();
        let mut resolved = Vec::new();
        for (index, variant) in variants.iter().enumerate() {
            let path = format!("{base}.variants[{index}]");
            let Some(ty) = self.ty(file, &format!("{path}.type"), &variant.ty, tables) else { continue };
            let rust_name = match &variant.name {
                Some(name) => match super::names::type_name(name) {
                    Ok(rust_name) => rust_name,
                    Err(message) => {
                        self.error(file, &format!("{path}.name"), message);
                        continue;
                    }
                },
                // A valid expression makes an identifier: a type name and ASCII suffixes.
                None => Ident::assume(super::names::union_variant_name(&variant.ty)),
            };
            if let Some(first) = taken.insert(rust_name.clone(), index) {
                let message =
                    format!("variants [{first}] and [{index}] are both named `{rust_name}`; give one a `name`");
                self.error(file, &path, message);
            }
            let object = match &ty {
                ir::Type::Schema(id) if tables.kind(*id) == super::tables::Kind::Object => Some(*id),
                _ => None,
            };
            if speaks_xml && object.is_none() {
                let message = "the API speaks XML: a union's variants are object schemas (elements)";
                self.error(file, &format!("{path}.type"), message);
            }
            let tag = match (discriminator, object) {
                _ if schema.wrapped => {
                    let tag =
                        variant.tag.clone().or_else(|| object.map(|id| tables.schemas[id.0].located.value.0.clone()));
                    match tag {
                        Some(tag) => Some(unique_tag(self, &path, index, tag)),
                        None => {
                            let message = "a `wrapped` union's variant that is not an object schema needs the `tag` naming its member";
                            self.error(file, &path, message);
                            None
                        }
                    }
                }
                (None, _) => {
                    if variant.tag.is_some() {
                        self.error(
                            file,
                            &format!("{path}.tag"),
                            "`tag` needs the union's `discriminator` or `wrapped`",
                        );
                    }
                    None
                }
                (Some(_), None) => {
                    let message = "a union with a `discriminator` has object schemas as variants";
                    self.error(file, &format!("{path}.type"), message);
                    None
                }
                (Some(member), Some(id)) => {
                    let (target, target_schema) = &tables.schemas[id.0].located.value;
                    let has_member = target_schema.fields.as_ref().is_some_and(|fields| {
                        fields.iter().any(|(key, field)| {
                            field.json.as_ref().and_then(|j| j.name.as_deref()).unwrap_or(key) == member
                                || field.xml.as_ref().and_then(|x| x.name.as_deref()).unwrap_or(key) == member
                        })
                    });
                    if !has_member {
                        let message = format!(
                            "variant `{target}` has no field `{member}`, the union's discriminator (each \
                             variant carries it, so that a value says what it is when it is sent)"
                        );
                        self.error(file, &format!("{path}.type"), message);
                    }
                    let tag = variant.tag.clone().unwrap_or_else(|| target.clone());
                    Some(unique_tag(self, &path, index, tag))
                }
            };
            resolved.push(ir::Variant { rust_name, ty, tag, boxed: false, description: docs(&variant.description) });
        }
        // JSON-only APIs keep a value no variant matches; XML has no form for it.
        let catch_all = (!speaks_xml).then(|| catch_all(|candidate| taken.contains_key(candidate)));
        ir::Union {
            variants: resolved,
            discriminator: discriminator.map(str::to_owned),
            wrapped: schema.wrapped,
            catch_all,
        }
    }

    pub(super) fn example_format(
        &mut self,
        file: usize,
        path: &str,
        name: &str,
        formats: &[Format],
    ) -> Option<BodyFormat> {
        let format = match name {
            "json" => BodyFormat::Json,
            "xml" => BodyFormat::Xml,
            "form" => BodyFormat::Form,
            other => {
                let message = format!("unknown format `{}`; expected `json`, `xml` or `form`", other.escape_debug());
                self.error(file, &format!("{path}.format"), message);
                return None;
            }
        };
        let spoken = match format {
            BodyFormat::Json => formats.contains(&Format::Json),
            BodyFormat::Xml => formats.contains(&Format::Xml),
            BodyFormat::Form | BodyFormat::Text | BodyFormat::Binary => true,
        };
        if !spoken {
            self.error(file, &format!("{path}.format"), format!("the API does not speak `{name}`"));
            return None;
        }
        Some(format)
    }

    pub(super) fn example(
        &mut self,
        file: usize,
        path: &str,
        of: ir::ExampleOf,
        format: BodyFormat,
        spec: &ast::Example,
    ) -> Option<ir::Example> {
        let relative = spec.file.as_str();
        let folder = self.file_name(file).parent().unwrap_or(std::path::Path::new("")).to_owned();
        let normalized = match normalize(&folder.join(relative)) {
            Some(normalized) => normalized,
            None => {
                let message = format!(
                    "example file `{}` must be a relative path inside the spec folder",
                    relative.escape_debug()
                );
                self.error(file, &format!("{path}.file"), message);
                return None;
            }
        };
        if spec.contradicts.is_some() && format != BodyFormat::Json {
            self.error(file, &format!("{path}.contradicts"), "only a JSON example is checked to contradict its schema");
        }
        let on_disk = self.ast.dir.join(relative);
        match std::fs::read_to_string(&on_disk) {
            Ok(body) => Some(ir::Example {
                name: spec.name.to_owned(),
                of,
                format,
                file: normalized,
                source: spec.source.clone(),
                fixed: spec.fixed.clone(),
                fragment: spec.fragment.clone(),
                lenient: spec.lenient.clone(),
                contradicts: spec.contradicts.clone(),
                body,
            }),
            Err(error) => {
                let message = format!("cannot read example `{}`: {error}", relative.escape_debug());
                self.error(file, &format!("{path}.file"), message);
                None
            }
        }
    }
}

/// Whether XML can carry the type: no maps, no arbitrary JSON, no lists of lists.
fn has_xml_form(ty: &ir::Type) -> bool {
    match ty {
        ir::Type::Primitive(primitive) => *primitive != ir::Primitive::Any,
        ir::Type::Schema(_) => true,
        ir::Type::Map(_) => false,
        ir::Type::List(item) => matches!(**item, ir::Type::Primitive(_) | ir::Type::Schema(_)) && has_xml_form(item),
    }
}

/// `api/./x/../y.json` -> `api/y.json`, with `/` separators on every platform (paths end up in
/// generated code). `None` for absolute paths and paths that leave the spec folder.
fn normalize(path: &std::path::Path) -> Option<std::path::PathBuf> {
    use std::path::Component;
    let mut parts: Vec<&str> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(std::path::PathBuf::from(parts.join("/")))
}
