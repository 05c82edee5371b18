//! resolve: every check of a spec lives here. The output IR is complete and correct by
//! construction; all errors of a run are collected, not only the first.

mod names;
mod types;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{did_you_mean, Diagnostics};
use crate::ir::{self, BodyFormat, Format, SchemaId};
use crate::load::{ast, ApiAst, Located};

pub use names::{type_name, value_name, variant_name};

/// Resolves every API; fails with all diagnostics when anything is wrong.
pub fn resolve(apis: Vec<ApiAst>, diagnostics: &mut Diagnostics) -> Option<ir::Spec> {
    let mut resolved = Vec::new();
    let mut modules: HashMap<String, PathBuf> = HashMap::new();
    for api in &apis {
        let errors_before = diagnostics.len();
        let mut resolver = Resolver { ast: api, diagnostics };
        if let Some(api_ir) = resolver.api() {
            if let Some(first) = modules.get(&api_ir.module) {
                let message = format!(
                    "API name `{}` is already used by {}; each API needs its own module",
                    api_ir.module,
                    first.display()
                );
                let file = api.files.iter().position(|f| f.name == api_ir.api_file).unwrap_or(0);
                diagnostics.push(api.diagnostic(file, "api.name", message));
            } else {
                modules.insert(api_ir.module.clone(), api_ir.api_file.clone());
            }
            if diagnostics.len() == errors_before {
                resolved.push(api_ir);
            }
        }
    }
    resolved.sort_by(|a, b| a.module.cmp(&b.module));
    diagnostics.is_empty().then_some(ir::Spec { apis: resolved })
}

/// Methods every generated client has; operations cannot take these names.
const RESERVED_METHODS: &[&str] =
    &["builder", "transport", "log_in", "log_out", "set_tokens", "set_session_id", "session_id"];

type LocatedSchema = Located<(String, ast::Schema)>;
type LocatedOperation = Located<(String, ast::Operation)>;

struct Resolver<'a> {
    ast: &'a ApiAst,
    diagnostics: &'a mut Diagnostics,
}

/// Name tables used while resolving one API.
struct Scope {
    schemas: HashMap<String, SchemaId>,
    /// Kind of each schema, by id.
    kinds: Vec<Kind>,
    operations: HashMap<String, ir::OperationId>,
}

impl<'a> Resolver<'a> {
    fn error(&mut self, file: usize, path: &str, message: impl Into<String>) {
        let diagnostic = self.ast.diagnostic(file, path, message);
        self.diagnostics.push(diagnostic);
    }

    fn file_name(&self, file: usize) -> &Path {
        &self.ast.files[file].name
    }

    fn api(&mut self) -> Option<ir::Api> {
        let ast = self.ast;
        let Some(section) = ast.api.first() else {
            // A folder whose api section failed to parse already has its error.
            if !self.diagnostics.iter().any(|d| ast.files.iter().any(|f| f.name == d.file)) {
                let message = "no `api` section in this API folder; one file must have it";
                self.error(0, "", message);
            }
            return None;
        };
        for extra in &ast.api[1..] {
            let message = format!("second `api` section; the first is in {}", self.file_name(section.file).display());
            self.error(extra.file, "api", message);
        }

        let (schemas, scope_schemas) = self.schema_table();
        let operations_order = self.operation_table();
        let kinds = schemas.iter().map(|(located, _)| Kind::of(&located.value.1.kind)).collect();
        let operations = operations_order
            .iter()
            .enumerate()
            .map(|(index, (op, _))| (op.value.0.clone(), ir::OperationId(index)))
            .collect();
        let scope = Scope { schemas: scope_schemas, kinds, operations };

        let file = section.file;
        let api = &section.value;
        let module = match value_name(&api.name) {
            Ok(name) if name == api.name => name,
            Ok(name) => {
                let message =
                    format!("API name `{}` must be a snake_case Rust module name, such as `{name}`", api.name);
                self.error(file, "api.name", message);
                name
            }
            Err(message) => {
                self.error(file, "api.name", message);
                String::new()
            }
        };
        if !api.base_path.starts_with('/') {
            self.error(file, "api.base_path", format!("`{}` must start with `/`", api.base_path));
        }
        let (formats, default_format) = self.formats(file, &api.formats);
        if formats.contains(&Format::Xml) && api.xml_namespace.is_none() {
            self.error(file, "api.xml_namespace", "an API that speaks XML needs `xml_namespace`");
        }
        let mut headers = Vec::new();
        for (name, value) in &api.headers {
            let path = format!("api.headers.{name}");
            self.header_name(file, &path, name);
            if !value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)) || value.is_empty() {
                self.error(file, &path, format!("`{value}` is not a valid header value (visible ASCII)"));
            }
            headers.push(ir::FixedHeader { name: name.clone(), value: value.clone() });
        }

        let mut resolved_schemas = Vec::new();
        for (located, rust_name) in schemas {
            if let Some(schema) = self.schema(located, rust_name, &scope, &formats) {
                resolved_schemas.push(schema);
            }
        }
        mark_boxed(&mut resolved_schemas);

        let mut operations = Vec::new();
        for (located, rust_name) in operations_order {
            if let Some(operation) = self.operation(located, rust_name, &scope, &formats) {
                operations.push(operation);
            }
        }
        let auth = self.auth(file, api.auth.as_ref(), &scope);
        self.client_rules(&operations, &auth, &formats, &scope);

        Some(ir::Api {
            module,
            title: api.title.trim().to_owned(),
            description: docs(&api.description),
            sources: api.sources.clone(),
            files: ast.files.iter().map(|f| f.name.clone()).collect(),
            api_file: self.file_name(file).to_owned(),
            base_path: api.base_path.trim_end_matches('/').to_owned(),
            default_port: api.default_port,
            formats,
            default_format,
            xml_namespace: api.xml_namespace.clone(),
            headers,
            auth,
            schemas: resolved_schemas,
            operations,
        })
    }

    /// What the generated client needs of operations as a whole: method names free of its own,
    /// one error body type per API, XML bodies that are documents, usable logout operations.
    fn client_rules(&mut self, operations: &[ir::Operation], auth: &ir::Auth, formats: &[Format], scope: &Scope) {
        let located: HashMap<&str, &LocatedOperation> =
            self.ast.operations.iter().map(|l| (l.value.0.as_str(), l)).collect();
        let place = |id: &str| located.get(id).map(|l| (l.file, l.path.clone())).unwrap_or((0, String::new()));
        let mut error_type: Option<(&ir::Type, &str)> = None;
        for operation in operations {
            let (file, path) = place(&operation.id);
            if RESERVED_METHODS.contains(&operation.rust_name.as_str()) {
                let message = format!(
                    "operation `{}` becomes the method `{}`, which every client already has",
                    operation.id, operation.rust_name
                );
                self.error(file, &path, message);
            }
            for error in &operation.errors {
                let Some(ty) = &error.ty else { continue };
                match error_type {
                    None => error_type = Some((ty, &operation.id)),
                    Some((first, first_operation)) if first != ty => {
                        let message = format!(
                            "every error body of an API has one type (the client's error type); operation `{first_operation}` uses another"
                        );
                        let status = match error.status {
                            ir::ErrorStatus::Code(code) => code.to_string(),
                            ir::ErrorStatus::Default => "default".into(),
                        };
                        self.error(file, &format!("{path}.errors.{status}.schema"), message);
                    }
                    Some(_) => {}
                }
            }
            if formats.contains(&Format::Xml) {
                let bodies = operation
                    .request
                    .iter()
                    .filter(|r| r.formats.contains(&BodyFormat::Xml))
                    .map(|r| (&r.ty, format!("{path}.request.schema")));
                let responses = operation
                    .responses
                    .iter()
                    .filter_map(|r| r.ty.as_ref().map(|ty| (ty, format!("{path}.responses.{}.schema", r.status))));
                let wrong: Vec<String> =
                    bodies.chain(responses).filter(|(ty, _)| !is_object(ty, scope)).map(|(_, p)| p).collect();
                for body_path in wrong {
                    self.error(
                        file,
                        &body_path,
                        "in an API that speaks XML, a body is an object schema (an XML document has one root element)",
                    );
                }
            }
        }
        let logout = match auth {
            ir::Auth::Bearer { logout_operation: Some(id), .. } => Some((*id, 0)),
            ir::Auth::Session { logout_operation: Some(id), .. } => Some((*id, 1)),
            _ => None,
        };
        if let Some((id, expected)) = logout {
            let operation = &operations[id.0];
            let arguments = operation.parameters.iter().filter(|p| p.required && p.value.is_none()).count();
            let path_parameters =
                operation.parameters.iter().filter(|p| p.location == ir::ParameterLocation::Path).count();
            if arguments != expected || path_parameters != expected || operation.request.is_some() {
                let message = if expected == 0 {
                    format!("the logout operation `{}` must need no arguments: the client calls it with the tokens it holds", operation.id)
                } else {
                    format!("the logout operation `{}` must have exactly one argument, the path parameter that receives the session id", operation.id)
                };
                let (file, path) = place(&operation.id);
                self.error(file, &path, message);
            }
        }
    }

    fn formats(&mut self, file: usize, formats: &ast::Formats) -> (Vec<Format>, Format) {
        let mut supported = Vec::new();
        for (index, name) in formats.supported.iter().enumerate() {
            match format(name) {
                Some(format) if supported.contains(&format) => {
                    let message = format!("format `{name}` is listed twice");
                    self.error(file, &format!("api.formats.supported[{index}]"), message);
                }
                Some(format) => supported.push(format),
                None => {
                    let message = format!("unknown format `{name}`; expected `json` or `xml`");
                    self.error(file, &format!("api.formats.supported[{index}]"), message);
                }
            }
        }
        if formats.supported.is_empty() {
            self.error(file, "api.formats.supported", "an API must speak at least one format");
        }
        supported.sort();
        let default = match format(&formats.default) {
            Some(format) if supported.contains(&format) => format,
            _ => {
                let message = format!(
                    "default format `{}` is not one of the supported formats ({})",
                    formats.default,
                    formats.supported.join(", ")
                );
                self.error(file, "api.formats.default", message);
                supported.first().copied().unwrap_or(Format::Json)
            }
        };
        if supported.is_empty() {
            supported.push(default);
        }
        (supported, default)
    }

    fn header_name(&mut self, file: usize, path: &str, name: &str) {
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if name.is_empty() || !name.bytes().all(token) {
            self.error(file, path, format!("`{name}` is not a valid HTTP header name"));
        }
    }

    /// Sorts schemas by name and checks names are unique, also after conversion to Rust.
    fn schema_table(&mut self) -> (Vec<(&'a LocatedSchema, String)>, HashMap<String, SchemaId>) {
        let mut sorted: Vec<&Located<(String, ast::Schema)>> = self.ast.schemas.iter().collect();
        sorted.sort_by(|a, b| a.value.0.cmp(&b.value.0).then(a.file.cmp(&b.file)));
        let mut by_rust_name: HashMap<String, &Located<(String, ast::Schema)>> = HashMap::new();
        let mut table = Vec::new();
        let mut ids = HashMap::new();
        for located in sorted {
            let name = &located.value.0;
            let rust_name = match type_name(name) {
                Ok(rust_name) => rust_name,
                Err(message) => {
                    self.error(located.file, &located.path, message);
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
            ids.insert(name.clone(), SchemaId(table.len()));
            table.push((located, rust_name));
        }
        (table, ids)
    }

    /// Sorts operations by id and checks ids are unique, also as method names.
    fn operation_table(&mut self) -> Vec<(&'a LocatedOperation, String)> {
        let mut sorted: Vec<&Located<(String, ast::Operation)>> = self.ast.operations.iter().collect();
        sorted.sort_by(|a, b| a.value.0.cmp(&b.value.0).then(a.file.cmp(&b.file)));
        let mut by_rust_name: HashMap<String, &Located<(String, ast::Operation)>> = HashMap::new();
        let mut table = Vec::new();
        for located in sorted {
            let id = &located.value.0;
            let rust_name = match value_name(id) {
                Ok(rust_name) => rust_name,
                Err(message) => {
                    self.error(located.file, &located.path, message);
                    continue;
                }
            };
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
            by_rust_name.insert(rust_name.clone(), located);
            table.push((located, rust_name));
        }
        table
    }

    fn ty(&mut self, file: usize, path: &str, expr: &str, scope: &Scope) -> Option<ir::Type> {
        match types::parse(expr, &scope.schemas) {
            Ok(ty) => Some(ty),
            Err(types::TypeError::Unknown(name)) if self.ast.unparsed.contains(&name) => None,
            Err(types::TypeError::Unknown(name)) => {
                let known = ir::Primitive::ALL.iter().map(|(n, _)| *n).chain(scope.schemas.keys().map(String::as_str));
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

    fn schema(
        &mut self,
        located: &Located<(String, ast::Schema)>,
        rust_name: String,
        scope: &Scope,
        formats: &[Format],
    ) -> Option<ir::Schema> {
        let (name, schema) = &located.value;
        let (file, base) = (located.file, located.path.as_str());
        let errors_before = self.diagnostics.len();
        let kind = match schema.kind {
            ast::SchemaKind::Object => {
                if schema.values.is_some() {
                    self.error(file, &format!("{base}.values"), "`values` is for enums; an object has `fields`");
                }
                let fields = match &schema.fields {
                    Some(fields) => self.fields(file, base, fields, scope, formats.contains(&Format::Xml)),
                    None => {
                        self.error(file, base, "an object schema needs `fields` (use `fields: {}` for none)");
                        Vec::new()
                    }
                };
                ir::SchemaKind::Object(ir::Object { fields })
            }
            ast::SchemaKind::Enum => {
                if schema.fields.is_some() {
                    self.error(file, &format!("{base}.fields"), "`fields` is for objects; an enum has `values`");
                }
                ir::SchemaKind::Enum(self.enum_values(file, base, schema.values.as_deref().unwrap_or_default()))
            }
            ast::SchemaKind::String => {
                if schema.fields.is_some() || schema.values.is_some() {
                    let message = "a named string type has neither `fields` nor `values`";
                    self.error(file, base, message);
                }
                ir::SchemaKind::String
            }
        };
        let examples = schema
            .examples
            .iter()
            .enumerate()
            .filter_map(|(index, example)| {
                let path = format!("{base}.examples[{index}]");
                let format = self.example_format(file, &path, &example.format, formats)?;
                if example.of.is_some() {
                    self.error(
                        file,
                        &format!("{path}.of"),
                        "`of` is for operation examples; a schema example is the schema",
                    );
                }
                self.example(file, &path, ir::ExampleOf::Schema, format, example)
            })
            .collect();
        (self.diagnostics.len() == errors_before).then(|| ir::Schema {
            name: name.clone(),
            rust_name,
            description: docs(&schema.description),
            sources: schema.sources.clone(),
            file: self.file_name(file).to_owned(),
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
        fields: &indexmap::IndexMap<String, ast::Field>,
        scope: &Scope,
        speaks_xml: bool,
    ) -> Vec<ir::Field> {
        let mut resolved = Vec::new();
        let mut rust_names: HashMap<String, &str> = HashMap::new();
        let mut json_names: HashMap<String, &str> = HashMap::new();
        let mut xml_names: HashMap<(String, bool), &str> = HashMap::new();
        let mut text_field: Option<&str> = None;
        for (name, field) in fields {
            let path = format!("{base}.fields.{name}");
            let rust_name = match value_name(name) {
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
            let ty = self.ty(file, &format!("{path}.type"), &field.ty, scope);
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
            let is_simple = ty.as_ref().is_some_and(|ty| is_simple(ty, scope));
            let xml_kind = match (attribute, text) {
                (true, true) => {
                    self.error(
                        file,
                        &format!("{path}.xml"),
                        "a field is either an XML attribute or the text, not both",
                    );
                    ir::XmlKind::Attribute
                }
                (true, false) => ir::XmlKind::Attribute,
                (false, true) => {
                    if let Some(first) = text_field.replace(name) {
                        self.error(
                            file,
                            &format!("{path}.xml.text"),
                            format!("fields `{first}` and `{name}` are both the element's text"),
                        );
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
                self.error(
                    file,
                    &format!("{path}.xml.item"),
                    format!("`item` is for lists; `{}` is not a list", field.ty),
                );
            }
            let json_wrapper = json.and_then(|j| j.wrapper.clone());
            let json_wrapper_aliases = json.map(|j| j.wrapper_aliases.clone()).unwrap_or_default();
            if !json_wrapper_aliases.is_empty() && json_wrapper.is_none() {
                self.error(file, &format!("{path}.json.wrapper_aliases"), "`wrapper_aliases` needs a `wrapper`");
            }
            if json_wrapper.is_some() && ty.is_some() && !is_list {
                let message = format!("`wrapper` is for lists; `{}` is not a list", field.ty);
                self.error(file, &format!("{path}.json.wrapper"), message);
            }
            let Some(ty) = ty else { continue };
            resolved.push(ir::Field {
                name: name.clone(),
                rust_name,
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
                json_wrapper,
                json_wrapper_aliases,
                xml_name,
                xml_kind,
                xml_item,
            });
        }
        resolved
    }

    fn enum_values(&mut self, file: usize, base: &str, values: &[ast::EnumValue]) -> Vec<ir::EnumValue> {
        if values.is_empty() {
            self.error(file, &format!("{base}.values"), "an enum needs at least one value");
        }
        let mut seen: HashMap<String, &str> = HashMap::new();
        let mut resolved = Vec::new();
        for (index, value) in values.iter().enumerate() {
            let path = format!("{base}.values[{index}]");
            let rust_name = variant_name(&value.value);
            if rust_name == "Unknown" {
                let message =
                    format!("value `{}` becomes the variant `Unknown`, which holds undocumented values", value.value);
                self.error(file, &path, message);
            }
            if let Some(first) = seen.insert(rust_name.clone(), &value.value) {
                let message = if first == value.value {
                    format!("value `{first}` is listed twice")
                } else {
                    format!("values `{first}` and `{}` both become the variant `{rust_name}`", value.value)
                };
                self.error(file, &path, message);
            }
            resolved.push(ir::EnumValue {
                value: value.value.clone(),
                rust_name,
                description: docs(&value.description),
            });
        }
        resolved
    }

    fn example_format(&mut self, file: usize, path: &str, name: &str, formats: &[Format]) -> Option<BodyFormat> {
        let format = match name {
            "json" => BodyFormat::Json,
            "xml" => BodyFormat::Xml,
            "form" => BodyFormat::Form,
            other => {
                self.error(
                    file,
                    &format!("{path}.format"),
                    format!("unknown format `{other}`; expected `json`, `xml` or `form`"),
                );
                return None;
            }
        };
        let spoken = match format {
            BodyFormat::Json => formats.contains(&Format::Json),
            BodyFormat::Xml => formats.contains(&Format::Xml),
            BodyFormat::Form => true,
        };
        if !spoken {
            self.error(file, &format!("{path}.format"), format!("the API does not speak `{name}`"));
            return None;
        }
        Some(format)
    }

    fn example(
        &mut self,
        file: usize,
        path: &str,
        of: ir::ExampleOf,
        format: BodyFormat,
        spec: &ast::Example,
    ) -> Option<ir::Example> {
        let relative = spec.file.as_str();
        let spec_file = self.file_name(file);
        let folder = spec_file.parent().unwrap_or(Path::new(""));
        let on_disk = self.ast.dir.join(relative);
        match std::fs::read_to_string(&on_disk) {
            Ok(body) => Some(ir::Example {
                name: spec.name.to_owned(),
                of,
                format,
                file: normalize(&folder.join(relative)),
                source: spec.source.clone(),
                fixed: spec.fixed.clone(),
                fragment: spec.fragment.clone(),
                lenient: spec.lenient.clone(),
                body,
            }),
            Err(error) => {
                self.error(file, &format!("{path}.file"), format!("cannot read example `{relative}`: {error}"));
                None
            }
        }
    }

    fn operation(
        &mut self,
        located: &Located<(String, ast::Operation)>,
        rust_name: String,
        scope: &Scope,
        formats: &[Format],
    ) -> Option<ir::Operation> {
        let (id, op) = &located.value;
        let (file, base) = (located.file, located.path.as_str());
        let errors_before = self.diagnostics.len();

        let method = match ir::Method::ALL.iter().find(|(name, _)| name.eq_ignore_ascii_case(&op.method)) {
            Some((_, method)) => *method,
            None => {
                let known = ir::Method::ALL.iter().map(|(name, _)| *name);
                let hint = did_you_mean(&op.method, known);
                self.error(file, &format!("{base}.method"), format!("unknown HTTP method `{}`{hint}", op.method));
                ir::Method::Get
            }
        };

        let mut parameters = Vec::new();
        let mut rust_names: HashMap<String, &str> = HashMap::new();
        for (name, parameter) in &op.parameters {
            let path = format!("{base}.parameters.{name}");
            let rust_name = match value_name(name) {
                Ok(rust_name) => rust_name,
                Err(message) => {
                    self.error(file, &path, message);
                    continue;
                }
            };
            if rust_name == "body" && op.request.is_some() {
                self.error(file, &path, "parameter `body` clashes with the request body argument");
            }
            if let Some(first) = rust_names.insert(rust_name.clone(), name) {
                self.error(
                    file,
                    &path,
                    format!("parameters `{first}` and `{name}` both become the argument `{rust_name}`"),
                );
            }
            let location = match parameter.location {
                ast::ParameterLocation::Path => ir::ParameterLocation::Path,
                ast::ParameterLocation::Query => ir::ParameterLocation::Query,
                ast::ParameterLocation::Header => ir::ParameterLocation::Header,
            };
            if location == ir::ParameterLocation::Header {
                self.header_name(file, &path, name);
            }
            let Some(ty) = self.ty(file, &format!("{path}.type"), &parameter.ty, scope) else { continue };
            let allowed = match (&ty, location) {
                (ir::Type::List(item), ir::ParameterLocation::Query) => is_simple(item, scope),
                (ty, _) => is_simple(ty, scope),
            };
            if !allowed {
                let message = format!(
                    "a {location:?} parameter holds a single value (or, in a query, a list of them); `{}` is not one",
                    parameter.ty
                )
                .to_lowercase();
                self.error(file, &format!("{path}.type"), message);
            }
            if parameter.value.is_some() && location == ir::ParameterLocation::Path {
                self.error(
                    file,
                    &format!("{path}.value"),
                    "a path parameter cannot have a fixed value; write it into the path",
                );
            }
            let list_format = match parameter.list_format.as_deref() {
                None | Some("repeat") => ir::ListFormat::Repeat,
                Some("csv") => ir::ListFormat::Csv,
                Some(other) => {
                    let message = format!("unknown list format `{other}`; expected `repeat` or `csv`");
                    self.error(file, &format!("{path}.list_format"), message);
                    ir::ListFormat::Repeat
                }
            };
            if parameter.list_format.is_some() && !matches!(ty, ir::Type::List(_)) {
                self.error(file, &format!("{path}.list_format"), "`list_format` is for list parameters");
            }
            parameters.push(ir::Parameter {
                name: name.clone(),
                rust_name,
                location,
                ty,
                required: parameter.required || location == ir::ParameterLocation::Path || parameter.value.is_some(),
                sensitive: parameter.sensitive,
                description: docs(&parameter.description),
                value: parameter.value.clone(),
                list_format,
            });
        }

        let segments = self.path_template(file, base, &op.path, &parameters);

        let request = op.request.as_ref().and_then(|request| {
            let path = format!("{base}.request");
            let ty = self.ty(file, &format!("{path}.schema"), &request.schema, scope)?;
            let mut body_formats = Vec::new();
            match &request.formats {
                None => body_formats.extend(formats.iter().map(|f| match f {
                    Format::Json => BodyFormat::Json,
                    Format::Xml => BodyFormat::Xml,
                })),
                Some(names) => {
                    for (index, name) in names.iter().enumerate() {
                        let item = format!("{path}.formats[{index}]");
                        if let Some(format) = self.example_format(file, &item, name, formats) {
                            body_formats.push(format);
                        }
                    }
                    if names.is_empty() {
                        self.error(
                            file,
                            &format!("{path}.formats"),
                            "list at least one format, or leave `formats` out",
                        );
                    }
                }
            }
            body_formats.sort();
            body_formats.dedup();
            if body_formats.contains(&BodyFormat::Form) && !is_object(&ty, scope) {
                self.error(file, &format!("{path}.schema"), "a form body must be an object schema");
            }
            Some(ir::RequestBody { ty, formats: body_formats, description: docs(&request.description) })
        });

        let mut responses = Vec::new();
        for (status, response) in &op.responses {
            let path = format!("{base}.responses.{status}");
            let code = match status.parse::<u16>() {
                Ok(code) if (200..300).contains(&code) => code,
                _ => {
                    let message = format!(
                        "`{status}` is not a success status; responses are 2xx codes, errors go under `errors`"
                    );
                    self.error(file, &path, message);
                    continue;
                }
            };
            let ty = match &response.schema {
                Some(schema) => match self.ty(file, &format!("{path}.schema"), schema, scope) {
                    Some(ty) => Some(ty),
                    None => continue,
                },
                None => None,
            };
            let mut headers = Vec::new();
            for (name, header) in &response.headers {
                let header_path = format!("{path}.headers.{name}");
                self.header_name(file, &header_path, name);
                let Some(ty) = self.ty(file, &format!("{header_path}.type"), &header.ty, scope) else { continue };
                let Ok(rust_name) = value_name(name) else { continue };
                headers.push(ir::ResponseHeader {
                    name: name.clone(),
                    rust_name,
                    ty,
                    sensitive: header.sensitive,
                    description: docs(&header.description),
                });
            }
            responses.push(ir::Response { status: code, ty, description: docs(&response.description), headers });
        }
        if op.responses.is_empty() {
            self.error(file, &format!("{base}.responses"), "an operation needs at least one success response");
        }
        responses.sort_by_key(|r| r.status);

        let mut errors = Vec::new();
        for (status, response) in &op.errors {
            let path = format!("{base}.errors.{status}");
            let status_ir = match status.parse::<u16>() {
                Ok(code) if (400..600).contains(&code) => ir::ErrorStatus::Code(code),
                _ if status == "default" => ir::ErrorStatus::Default,
                _ => {
                    self.error(
                        file,
                        &path,
                        format!("`{status}` is not an error status; expected a 4xx or 5xx code or `default`"),
                    );
                    continue;
                }
            };
            if !response.headers.is_empty() {
                self.error(file, &format!("{path}.headers"), "error responses do not declare headers");
            }
            let ty = match &response.schema {
                Some(schema) => match self.ty(file, &format!("{path}.schema"), schema, scope) {
                    Some(ty) => Some(ty),
                    None => continue,
                },
                None => None,
            };
            errors.push(ir::ErrorResponse { status: status_ir, ty, description: docs(&response.description) });
        }
        errors.sort_by_key(|e| e.status);

        let mut examples = Vec::new();
        for (index, example) in op.examples.iter().enumerate() {
            let path = format!("{base}.examples[{index}]");
            let Some(of_text) = example.of.as_deref() else {
                self.error(file, &path, "an operation example needs `of`: `request` or a status code");
                continue;
            };
            let of = if of_text == "request" {
                if op.request.is_none() {
                    self.error(
                        file,
                        &format!("{path}.of"),
                        "a request example needs a `request` body on the operation",
                    );
                    continue;
                }
                ir::ExampleOf::Request
            } else {
                match of_text.parse::<u16>() {
                    Ok(code) if op.responses.contains_key(of_text) || op.errors.contains_key(of_text) => {
                        ir::ExampleOf::Response(code)
                    }
                    _ => {
                        let message =
                            format!("`of` is `request` or a status the operation declares; `{}` is neither", of_text);
                        self.error(file, &format!("{path}.of"), message);
                        continue;
                    }
                }
            };
            let Some(format) = self.example_format(file, &path, &example.format, formats) else { continue };
            if let Some(example) = self.example(file, &path, of, format, example) {
                examples.push(example);
            }
        }

        (self.diagnostics.len() == errors_before).then(|| ir::Operation {
            id: id.clone(),
            rust_name,
            summary: docs(&op.summary),
            description: docs(&op.description),
            sources: op.sources.clone(),
            file: self.file_name(file).to_owned(),
            method,
            path: op.path.clone(),
            segments,
            authenticated: op.authenticated,
            parameters,
            request,
            responses,
            errors,
            examples,
        })
    }

    /// Splits the path template and checks it against the path parameters, both ways.
    fn path_template(
        &mut self,
        file: usize,
        base: &str,
        template: &str,
        parameters: &[ir::Parameter],
    ) -> Vec<ir::PathSegment> {
        let path = format!("{base}.path");
        if !template.starts_with('/') {
            self.error(file, &path, format!("`{template}` must start with `/`"));
        }
        let mut segments = Vec::new();
        let mut used = vec![false; parameters.len()];
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.error(file, &path, format!("unclosed `{{` in `{template}`"));
                return segments;
            };
            if open > 0 {
                segments.push(ir::PathSegment::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            let found = parameters.iter().position(|p| p.name == name && p.location == ir::ParameterLocation::Path);
            match found {
                Some(index) => {
                    used[index] = true;
                    segments.push(ir::PathSegment::Parameter(index));
                }
                None => {
                    let known = parameters
                        .iter()
                        .filter(|p| p.location == ir::ParameterLocation::Path)
                        .map(|p| p.name.as_str());
                    let hint = did_you_mean(name, known);
                    let message =
                        format!("path template uses `{{{name}}}` but no path parameter `{name}` is declared{hint}");
                    self.error(file, &path, message);
                }
            }
            rest = &rest[close + 1..];
        }
        if rest.contains('}') {
            self.error(file, &path, format!("unmatched `}}` in `{template}`"));
        }
        if !rest.is_empty() {
            segments.push(ir::PathSegment::Literal(rest.to_owned()));
        }
        for (index, parameter) in parameters.iter().enumerate() {
            if parameter.location == ir::ParameterLocation::Path && !used[index] {
                let message =
                    format!("path parameter `{}` does not appear in the path template `{template}`", parameter.name);
                self.error(file, &format!("{base}.parameters.{}", parameter.name), message);
            }
        }
        segments
    }

    fn auth(&mut self, file: usize, auth: Option<&ast::Auth>, scope: &Scope) -> ir::Auth {
        let operation = |resolver: &mut Self, key: &str, id: &str| -> Option<ir::OperationId> {
            let path = format!("api.auth.{key}");
            match scope.operations.get(id) {
                Some(found) => Some(*found),
                None if resolver.ast.unparsed.contains(id) => None,
                None => {
                    let hint = did_you_mean(id, scope.operations.keys().map(String::as_str));
                    resolver.error(file, &path, format!("unknown operation `{id}`{hint}"));
                    None
                }
            }
        };
        let Some(auth) = auth else { return ir::Auth::None };
        let given = [auth.bearer.is_some(), auth.session.is_some(), auth.basic.is_some(), auth.api_key.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            self.error(
                file,
                "api.auth",
                "give exactly one authentication scheme: `bearer`, `session`, `basic` or `api_key`",
            );
            return ir::Auth::None;
        }
        if auth.basic.is_some() {
            return ir::Auth::Basic;
        }
        if let Some(api_key) = &auth.api_key {
            self.header_name(file, "api.auth.api_key.header", &api_key.header);
            return ir::Auth::ApiKey { header: api_key.header.clone() };
        }
        match (&auth.bearer, &auth.session) {
            (Some(bearer), _) => {
                let token =
                    bearer.token_operation.as_deref().and_then(|id| operation(self, "bearer.token_operation", id));
                let logout =
                    bearer.logout_operation.as_deref().and_then(|id| operation(self, "bearer.logout_operation", id));
                ir::Auth::Bearer { token_operation: token, logout_operation: logout }
            }
            (None, None) => ir::Auth::None,
            (None, Some(session)) => {
                self.header_name(file, "api.auth.session.header", &session.header);
                let logon = operation(self, "session.logon_operation", &session.logon_operation);
                let logout =
                    session.logout_operation.as_deref().and_then(|id| operation(self, "session.logout_operation", id));
                match logon {
                    Some(logon_operation) => {
                        ir::Auth::Session { header: session.header.clone(), logon_operation, logout_operation: logout }
                    }
                    None => ir::Auth::None,
                }
            }
        }
    }
}

fn format(name: &str) -> Option<Format> {
    match name {
        "json" => Some(Format::Json),
        "xml" => Some(Format::Xml),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    Enum,
    String,
}

impl Kind {
    fn of(kind: &ast::SchemaKind) -> Self {
        match kind {
            ast::SchemaKind::Object => Kind::Object,
            ast::SchemaKind::Enum => Kind::Enum,
            ast::SchemaKind::String => Kind::String,
        }
    }
}

/// A single value: a primitive (not `any`), an enum or a named string.
fn is_simple(ty: &ir::Type, scope: &Scope) -> bool {
    match ty {
        ir::Type::Primitive(primitive) => *primitive != ir::Primitive::Any,
        ir::Type::Schema(id) => scope.kinds[id.0] != Kind::Object,
        _ => false,
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

fn is_object(ty: &ir::Type, scope: &Scope) -> bool {
    matches!(ty, ir::Type::Schema(id) if scope.kinds[id.0] == Kind::Object)
}

fn docs(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

/// `a/./b/../c` -> `a/c`, with `/` separators on every platform (paths end up in generated code).
fn normalize(path: &Path) -> PathBuf {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.iter().filter_map(|p| p.to_str()) {
        match part {
            "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    PathBuf::from(parts.join("/"))
}

/// Boxes every field whose type reaches back to its own schema without a list or map in
/// between (Tarjan's strongly connected components: linear in schemas plus fields).
fn mark_boxed(schemas: &mut [ir::Schema]) {
    let edges: Vec<Vec<usize>> = schemas
        .iter()
        .map(|schema| match &schema.kind {
            ir::SchemaKind::Object(object) => object
                .fields
                .iter()
                .filter_map(|field| match field.ty {
                    ir::Type::Schema(id) => Some(id.0),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let component = strongly_connected(&edges);
    for (index, schema) in schemas.iter_mut().enumerate() {
        if let ir::SchemaKind::Object(object) = &mut schema.kind {
            for field in &mut object.fields {
                if let ir::Type::Schema(id) = field.ty {
                    field.boxed = component[id.0] == component[index];
                }
            }
        }
    }
}

fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    struct State<'e> {
        edges: &'e [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        component: Vec<usize>,
        components: usize,
    }
    fn visit(s: &mut State, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for i in 0..s.edges[v].len() {
            let w = s.edges[v][i];
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(index) if s.on_stack[w] => s.low[v] = s.low[v].min(index),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                s.component[w] = s.components;
                if w == v {
                    break;
                }
            }
            s.components += 1;
        }
    }
    let n = edges.len();
    let mut state = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        component: vec![0; n],
        components: 0,
    };
    for v in 0..n {
        if state.index[v].is_none() {
            visit(&mut state, v);
        }
    }
    // A schema alone in its component shares it with a field target only through a field of its
    // own type, which is exactly the recursion that needs a box.
    state.component
}
