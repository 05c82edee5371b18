//! Operations: path items into the spec language's operations, with their parameters, request
//! body, success responses and errors.

use std::collections::HashSet;

use heck::{ToLowerCamelCase, ToUpperCamelCase};
use indexmap::IndexMap;
use serde_json::Value as Json;

use super::schemas::field_key;
use super::{escape, text, Importer};
use crate::load::ast;

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head"];

/// A parameter as mapped, before its key is settled.
/// A request body as the spec language has it: a body, or the parts of a multipart one.
enum Body {
    Request(ast::Request),
    Parts(Vec<Mapped>),
}

struct Mapped {
    wire: String,
    parameter: ast::Parameter,
    /// The schema's `default` (headers: a candidate fixed header of the API).
    default: Option<String>,
    /// The property it comes from (a multipart body's part).
    property: Option<String>,
}

impl Importer<'_> {
    pub(super) fn paths(&mut self) {
        let Some(Json::Object(paths)) = self.get("/paths") else {
            if self.get("/webhooks").is_some() {
                self.note("/webhooks", "webhooks are calls the server makes; they are not mapped");
            }
            return;
        };
        let mut keys: Vec<&String> = paths.keys().collect();
        keys.sort();
        let mut seen: HashSet<(String, &str)> = HashSet::new();
        for key in keys {
            let pointer = format!("/paths/{}", escape(key));
            // Some documents tell apart operations on one path with a `#fragment`.
            let path = match key.split_once('#') {
                Some((path, _)) => {
                    self.note(&pointer, "the `#…` suffix of the path is not part of the URL; left out");
                    path.to_owned()
                }
                None => key.clone(),
            };
            // `/responses?beta=true`: the query is sent with every call of the path's operations.
            let (path, query) = match path.split_once('?') {
                Some((path, query)) => (path.to_owned(), fixed_query(query)),
                None => (path, Vec::new()),
            };
            let route = match query.is_empty() {
                true => path.clone(),
                false => {
                    format!("{path}?{}", query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"))
                }
            };
            let Some((item, item_pointer)) = self.deref(&pointer) else { continue };
            if !item.is_object() {
                self.note(&pointer, "expected a path item (an object)");
                continue;
            }
            for method in METHODS {
                if item.get(*method).is_none() {
                    continue;
                }
                let op_pointer = format!("{item_pointer}/{method}");
                if !seen.insert((route.clone(), method)) {
                    self.note(
                        &op_pointer,
                        format!("{} {route} is defined twice; the first is kept", method.to_uppercase()),
                    );
                    continue;
                }
                self.operation(&path, &query, method, &item_pointer, &op_pointer);
            }
            for method in ["options", "trace"] {
                if item.get(method).is_some() {
                    self.note(
                        &format!("{item_pointer}/{method}"),
                        format!("{} operations are not mapped", method.to_uppercase()),
                    );
                }
            }
        }
    }

    fn operation_id(&mut self, method: &str, path: &str, op_pointer: &str) -> String {
        let wanted = self.string_at(&format!("{op_pointer}/operationId")).unwrap_or_else(|| derived_id(method, path));
        let cleaned: String = wanted.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
        let mut base = cleaned.to_lower_camel_case();
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("call{}", base.to_upper_camel_case());
        }
        let reserved = |id: &str| {
            crate::resolve::value_name(id)
                .map(|rust| crate::resolve::CLIENT_METHODS.contains(&rust.as_str()))
                .unwrap_or(true)
        };
        if reserved(&base) {
            base.push_str("Operation");
        }
        let mut id = base.clone();
        let mut counter = 1;
        loop {
            let rust = crate::resolve::value_name(&id).map(|r| r.as_str().to_owned()).unwrap_or_default();
            let builder = id.to_upper_camel_case();
            // Builders and response enums share a module.
            if !rust.is_empty()
                && !self.method_names.contains(&rust)
                && !self.method_names.contains(&builder)
                && !self.method_names.contains(&format!("{builder}Response"))
            {
                self.method_names.insert(rust);
                self.method_names.insert(builder.clone());
                self.method_names.insert(format!("{builder}Response"));
                break;
            }
            counter += 1;
            id = format!("{base}{counter}");
        }
        if id != wanted {
            self.note(&format!("{op_pointer}/operationId"), format!("operation `{wanted}` is named `{id}`"));
        }
        id
    }

    fn operation(
        &mut self,
        path: &str,
        query: &[(String, String)],
        method: &str,
        item_pointer: &str,
        op_pointer: &str,
    ) {
        let id = self.operation_id(method, path, op_pointer);
        let hint = id.to_upper_camel_case();

        // Parameters: the path item's, then the operation's (which override by name and place).
        let mut mapped: Vec<Mapped> = Vec::new();
        for list in [format!("{item_pointer}/parameters"), format!("{op_pointer}/parameters")] {
            let count = self.get(&list).and_then(Json::as_array).map_or(0, Vec::len);
            for index in 0..count {
                let Some(parameter) = self.parameter(&format!("{list}/{index}"), &hint) else { continue };
                mapped.retain(|p| !(p.wire == parameter.wire && same_location(&p.parameter, &parameter.parameter)));
                mapped.push(parameter);
            }
        }
        // Path parameters the template uses but nobody declared are text.
        let declared: HashSet<String> = mapped
            .iter()
            .filter(|p| matches!(p.parameter.location, ast::ParameterLocation::Path))
            .map(|p| p.wire.clone())
            .collect();
        let mut in_template = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else { break };
            in_template.push(rest[open + 1..open + close].to_owned());
            rest = &rest[open + close + 1..];
        }
        for name in &in_template {
            if !declared.contains(name) {
                self.note(op_pointer, format!("path parameter `{name}` is not declared; read as text"));
                mapped.push(Mapped {
                    wire: name.clone(),
                    parameter: ast::Parameter {
                        rust_name: None,
                        location: ast::ParameterLocation::Path,
                        ty: "string".into(),
                        required: false,
                        sensitive: false,
                        description: None,
                        value: None,
                        list_format: None,
                        style: None,
                        default: None,
                    },
                    default: None,
                    property: None,
                });
            }
        }
        mapped
            .retain(|p| !matches!(p.parameter.location, ast::ParameterLocation::Path) || in_template.contains(&p.wire));
        // The path key's own query: fixed values, in place of any parameter of the same name.
        for (name, value) in query {
            mapped.retain(|p| !(p.wire == *name && matches!(p.parameter.location, ast::ParameterLocation::Query)));
            mapped.push(Mapped {
                wire: name.clone(),
                parameter: ast::Parameter {
                    rust_name: None,
                    location: ast::ParameterLocation::Query,
                    ty: "string".into(),
                    required: true,
                    sensitive: false,
                    description: Some("Part of the path in the document (`?…`): always sent with this value.".into()),
                    value: Some(value.clone()),
                    list_format: None,
                    style: None,
                    default: None,
                },
                default: None,
                property: None,
            });
        }
        let request = match self.request_body(&format!("{op_pointer}/requestBody"), &hint) {
            Ok(Some(Body::Request(request))) => Some(request),
            Ok(Some(Body::Parts(parts))) => {
                mapped.extend(parts);
                None
            }
            Ok(None) => None,
            Err(()) => {
                self.note(op_pointer, format!("operation `{id}` is not mapped: its request body cannot be"));
                return;
            }
        };
        let mut taken = HashSet::new();
        let mut parameters = IndexMap::new();
        let mut defaults = Vec::new();
        for parameter in mapped {
            let (key, renamed) = field_key(&parameter.wire, &mut taken);
            if renamed {
                // Parameter keys are wire names: one that makes no Rust name of its own is left out.
                self.note(op_pointer, format!("parameter `{}` has no Rust name of its own; left out", parameter.wire));
                continue;
            }
            defaults.push((key.clone(), parameter.default));
            if let Some(pointer) = parameter.property {
                self.members.insert(super::Member {
                    pointer,
                    holder: super::Holder::Operation(id.clone()),
                    field: key.clone(),
                });
            }
            parameters.insert(key, parameter.parameter);
        }

        let (responses, errors) = self.responses(op_pointer, &hint);
        let security_pointer = match self.get(&format!("{op_pointer}/security")) {
            Some(_) => format!("{op_pointer}/security"),
            None => "/security".to_owned(),
        };
        let authenticated = match self.get(&security_pointer) {
            Some(Json::Array(requirements)) => {
                let names: Vec<Vec<String>> = requirements
                    .iter()
                    .filter_map(Json::as_object)
                    .map(|requirement| requirement.keys().cloned().collect())
                    .collect();
                // An empty requirement makes authentication optional: the call is made without.
                let optional = names.iter().any(Vec::is_empty);
                let required = !names.is_empty() && !optional;
                if required {
                    self.security.push((id.clone(), security_pointer.clone(), names));
                }
                required
            }
            _ => self.get("/components/securitySchemes").and_then(Json::as_object).is_some_and(|s| !s.is_empty()),
        };
        if self.get(&format!("{op_pointer}/callbacks")).is_some() {
            self.note(&format!("{op_pointer}/callbacks"), "callbacks are not mapped");
        }
        let operation = ast::Operation {
            paging: None,
            idempotent: false,
            method: method.to_uppercase(),
            path: path.to_owned(),
            summary: text(self.get(&format!("{op_pointer}/summary"))),
            description: text(self.get(&format!("{op_pointer}/description"))),
            sources: Vec::new(),
            authenticated,
            // Set once the API's schemes are mapped.
            schemes: Vec::new(),
            parameters,
            request,
            responses,
            errors,
            examples: Vec::new(),
        };
        self.header_defaults.push((id.clone(), defaults));
        self.operation_pointers.insert(id.clone(), op_pointer.to_owned());
        self.operations.insert(id, operation);
    }

    fn parameter(&mut self, pointer: &str, hint: &str) -> Option<Mapped> {
        let (value, pointer) = self.deref(pointer)?;
        let name = value.get("name").and_then(Json::as_str).unwrap_or_default().to_owned();
        let location = match value.get("in").and_then(Json::as_str) {
            Some("path") => ast::ParameterLocation::Path,
            Some("query") => ast::ParameterLocation::Query,
            Some("header") => ast::ParameterLocation::Header,
            Some("cookie") => {
                self.note(&pointer, format!("cookie parameter `{name}` is not mapped"));
                return None;
            }
            other => {
                self.note(&pointer, format!("parameter location `{}` is not mapped", other.unwrap_or("(none)")));
                return None;
            }
        };
        let is_header = matches!(location, ast::ParameterLocation::Header);
        if name.is_empty() {
            self.note(&pointer, "a parameter without a name is not mapped");
            return None;
        }
        if is_header && ["accept", "content-type", "authorization"].contains(&name.to_ascii_lowercase().as_str()) {
            self.note(&pointer, format!("header `{name}` is set by the client itself"));
            return None;
        }
        if is_header && !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)) {
            self.note(&pointer, format!("`{name}` is not a valid header name"));
            return None;
        }
        let schema_pointer = if value.get("schema").is_some() {
            format!("{pointer}/schema")
        } else if let Some(Json::Object(content)) = value.get("content") {
            let media = content.keys().next().cloned().unwrap_or_default();
            format!("{pointer}/content/{}/schema", escape(&media))
        } else {
            String::new()
        };
        let hint = format!("{hint}{}", name.to_upper_camel_case());
        let ty = if schema_pointer.is_empty() {
            super::schemas::Ty { expr: "string".into(), ..Default::default() }
        } else {
            self.ty(&schema_pointer, &hint)
        };
        let is_query = matches!(location, ast::ParameterLocation::Query);
        let simple = match ty.expr.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
            Some(item) if is_query => self.is_simple(item),
            _ => self.is_simple(&ty.expr),
        };
        let required = value.get("required") == Some(&Json::Bool(true));
        let style = value.get("style").and_then(Json::as_str);
        // `deepObject`: an object (or a map of values) sent member by member.
        let deep_object = is_query
            && style == Some("deepObject")
            && (self.kind_of(&ty.expr) == Some(ast::SchemaKind::Object)
                || self
                    .expand(&ty.expr)
                    .strip_prefix("map<")
                    .and_then(|v| v.strip_suffix('>'))
                    .is_some_and(|value| self.is_simple(value)));
        let ty_expr = if simple || deep_object {
            ty.expr.clone()
        } else if required || !is_query {
            self.note(&pointer, format!("parameter `{name}` holds `{}`, not a single value; sent as text", ty.expr));
            "string".into()
        } else {
            self.note(&pointer, format!("parameter `{name}` holds `{}`, not a single value; left out", ty.expr));
            return None;
        };
        let explode = value.get("explode").and_then(Json::as_bool);
        let style = value.get("style").and_then(Json::as_str).unwrap_or("form");
        // OpenAPI's styles of a query list: `form` is exploded unless it says not; the delimited
        // styles are not unless they say so (then they too repeat the parameter).
        let list_format = match (is_query && ty_expr.starts_with("list<"), style, explode) {
            (false, ..) | (true, "form", None | Some(true)) => None,
            (true, "form", Some(false)) => Some("csv"),
            (true, "spaceDelimited" | "pipeDelimited" | "tabDelimited", Some(true)) => None,
            (true, "spaceDelimited", _) => Some("space"),
            (true, "pipeDelimited", _) => Some("pipe"),
            (true, "tabDelimited", _) => Some("tab"),
            (true, other, _) => {
                self.note(
                    &pointer,
                    format!("style `{other}` of list parameter `{name}` is not mapped; sent comma-separated"),
                );
                Some("csv")
            }
        };
        let default = self.get(&format!("{schema_pointer}/default")).map(super::compact);
        Some(Mapped {
            wire: name,
            parameter: ast::Parameter {
                rust_name: None,
                required: required && !matches!(location, ast::ParameterLocation::Path),
                location,
                ty: ty_expr,
                sensitive: ty.sensitive,
                description: text(value.get("description")),
                value: None,
                list_format: list_format.map(str::to_owned),
                style: deep_object.then(|| "deep_object".to_owned()),
                default: default.clone().filter(|_| !is_header),
            },
            default,
            property: None,
        })
    }

    /// The request body: `Ok(None)` without one, `Err` when it is required and cannot be sent.
    /// JSON, XML and forms first; else multipart parts, a text body or a file.
    fn request_body(&mut self, pointer: &str, hint: &str) -> Result<Option<Body>, ()> {
        if self.get(pointer).is_none() {
            return Ok(None);
        }
        let Some((body, pointer)) = self.deref(pointer) else { return Err(()) };
        let required = body.get("required") == Some(&Json::Bool(true));
        let description = text(body.get("description"));
        let mut formats: Vec<String> = Vec::new();
        let mut schema: Option<String> = None;
        let mut raw: Vec<(String, String)> = Vec::new();
        // Some documents keep whole content maps as components (`content: {$ref: …}`).
        let (content, content_pointer) = self.content(&pointer);
        for media_type in content {
            let media_pointer = format!("{content_pointer}/{}", escape(&media_type));
            if !crate::resolve::is_media_type(&media_type) {
                self.note(&media_pointer, format!("`{media_type}` is not a media type; left out"));
                continue;
            }
            let schema_pointer = format!("{media_pointer}/schema");
            let format = format_of(&media_type).filter(|_| !self.is_binary(&schema_pointer));
            let Some(format) = format else {
                raw.push((media_type, media_pointer));
                continue;
            };
            if self.get(&schema_pointer).is_none() {
                self.note(&media_pointer, "a body without a schema is not mapped");
                continue;
            }
            let ty = self.ty(&schema_pointer, &format!("{hint}Request"));
            if format == "form" && self.kind_of(&ty.expr) != Some(ast::SchemaKind::Object) {
                self.note(&media_pointer, "a form body is an object; this one is not, so it is not mapped");
                continue;
            }
            match &schema {
                Some(first) if *first != ty.expr => {
                    self.note(
                        &media_pointer,
                        format!("this media type's schema differs from the first one (`{first}`); the first is used"),
                    );
                    continue;
                }
                Some(_) => {}
                None => schema = Some(ty.expr),
            }
            self.media.insert(format);
            if !formats.iter().any(|f| f == format) {
                formats.push(format.to_owned());
            }
        }
        if let Some(schema) = schema {
            for (media_type, media_pointer) in raw {
                self.note(
                    &media_pointer,
                    format!("media type `{media_type}` is not mapped: the body is sent as JSON or XML"),
                );
            }
            formats.sort();
            return Ok(Some(Body::Request(ast::Request {
                schema,
                formats: Some(formats),
                media_type: None,
                description,
            })));
        }
        if let Some(index) = raw.iter().position(|(m, _)| essence(m) == "multipart/form-data") {
            let (_, media_pointer) = raw.remove(index);
            for (media_type, other) in raw {
                self.note(
                    &other,
                    format!("media type `{media_type}` is not mapped: the body is sent as `multipart/form-data`"),
                );
            }
            return self.parts(&format!("{media_pointer}/schema"), hint).map(|parts| Some(Body::Parts(parts)));
        }
        let Some((media_type, media_pointer)) = raw.first().cloned() else {
            return if required { Err(()) } else { Ok(None) };
        };
        for (other, other_pointer) in raw.iter().skip(1) {
            self.note(other_pointer, format!("media type `{other}` is not mapped: the body is sent as `{media_type}`"));
        }
        let schema_pointer = format!("{media_pointer}/schema");
        let text_body = essence(&media_type).starts_with("text/")
            && !self.is_binary(&schema_pointer)
            && self.get(&schema_pointer).is_some()
            && self.ty(&schema_pointer, &format!("{hint}Request")).expr == "string";
        let (schema, format) = if text_body { ("string", "text") } else { ("binary", "binary") };
        let default = if text_body { "text/plain" } else { "application/octet-stream" };
        Ok(Some(Body::Request(ast::Request {
            schema: schema.to_owned(),
            formats: text_body.then(|| vec![format.to_owned()]),
            media_type: (essence(&media_type) != default && !media_type.contains('*')).then_some(media_type),
            description,
        })))
    }

    /// The parts of a `multipart/form-data` body: its object schema's properties, files where
    /// they are binary strings.
    fn parts(&mut self, schema_pointer: &str, hint: &str) -> Result<Vec<Mapped>, ()> {
        let Some((schema, pointer)) = self.deref(schema_pointer) else {
            self.note(schema_pointer, "a multipart body needs an object schema; this one has none");
            return Err(());
        };
        let Some(properties) = schema.get("properties").and_then(Json::as_object) else {
            self.note(&pointer, "a multipart body's schema has no properties: it is not mapped");
            return Err(());
        };
        let required: HashSet<&str> =
            schema.get("required").and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str).collect();
        let mut parts = Vec::new();
        for name in properties.keys() {
            let property = format!("{pointer}/properties/{}", escape(name));
            let item = format!("{property}/items");
            let list = self.peek(&property).is_some_and(|(p, _)| p.get("type") == Some(&Json::String("array".into())));
            let (expr, sensitive) = if self.is_binary(&property) {
                ("binary".to_owned(), false)
            } else if list && self.is_binary(&item) {
                ("list<binary>".to_owned(), false)
            } else {
                let ty = self.ty(&property, &format!("{hint}{}", name.to_upper_camel_case()));
                let simple = match ty.expr.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
                    Some(item) => self.is_simple(item),
                    None => self.is_simple(&ty.expr),
                };
                if simple {
                    (ty.expr, ty.sensitive)
                } else {
                    self.note(
                        &property,
                        format!("part `{name}` holds `{}`, not a value or a file; sent as text", ty.expr),
                    );
                    ("string".to_owned(), ty.sensitive)
                }
            };
            let description = self.get(&property).and_then(|p| text(p.get("description")));
            parts.push(Mapped {
                wire: name.clone(),
                parameter: ast::Parameter {
                    rust_name: None,
                    location: ast::ParameterLocation::Part,
                    ty: expr,
                    required: required.contains(name.as_str()),
                    sensitive,
                    description,
                    value: None,
                    list_format: None,
                    style: None,
                    default: None,
                },
                default: None,
                property: Some(property.clone()),
            });
        }
        Ok(parts)
    }

    /// A schema of raw bytes: a `binary` string (Swagger 2.0's `file` is lowered to one).
    fn is_binary(&self, pointer: &str) -> bool {
        let Some((schema, _)) = self.peek(pointer) else { return false };
        schema.get("type") == Some(&Json::String("string".into()))
            && schema.get("format") == Some(&Json::String("binary".into()))
    }

    fn responses(
        &mut self,
        op_pointer: &str,
        hint: &str,
    ) -> (IndexMap<String, ast::Response>, IndexMap<String, ast::Response>) {
        let mut responses = IndexMap::new();
        let mut errors = IndexMap::new();
        let statuses: Vec<String> = self
            .get(&format!("{op_pointer}/responses"))
            .and_then(Json::as_object)
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default();
        for status in statuses {
            let pointer = format!("{op_pointer}/responses/{}", escape(&status));
            let code: Option<u16> = status.parse().ok();
            let (is_success, key) = match code {
                Some(code @ 200..=299) => (true, code.to_string()),
                Some(code @ 400..=599) => (false, code.to_string()),
                None if status == "default" => (false, "default".to_owned()),
                None if ["4XX", "5XX"].iter().any(|r| status.eq_ignore_ascii_case(r)) => (false, status.to_uppercase()),
                Some(code) => {
                    self.note(&pointer, format!("status {code} is not mapped"));
                    continue;
                }
                None => {
                    self.note(&pointer, format!("status `{status}` is not mapped (ranges are not)"));
                    continue;
                }
            };
            let response_hint = if is_success { format!("{hint}{key}Response") } else { format!("{hint}Error") };
            let Some(mut response) = self.response(&pointer, &response_hint, is_success) else { continue };
            let head = op_pointer.ends_with("/head");
            if (head || matches!(code, Some(204 | 205))) && response.schema.is_some() && is_success {
                let what = if head { "a HEAD response".to_owned() } else { format!("a {status} response") };
                self.note(&pointer, format!("{what} has no body (RFC 9110); its schema is left out"));
                response.schema = None;
                response.format = None;
                response.media_types.clear();
            }
            if is_success {
                responses.insert(key, response);
            } else {
                errors.insert(key, response);
            }
        }
        if responses.is_empty() {
            self.note(
                &format!("{op_pointer}/responses"),
                "no 2xx response is documented; `200` without a body is assumed",
            );
            let response = ast::Response {
                schema: None,
                format: None,
                media_types: Vec::new(),
                description: None,
                headers: IndexMap::new(),
            };
            responses.insert("200".into(), response);
        }
        (responses, errors)
    }

    /// The media types of the `content` of the body or response at `pointer`, and the pointer of
    /// that content map (through a `$ref`, which some documents use for whole content maps).
    fn content(&mut self, pointer: &str) -> (Vec<String>, String) {
        match self.deref(&format!("{pointer}/content")) {
            Some((content, content_pointer)) => {
                let types = content.as_object().map(|c| c.keys().cloned().collect()).unwrap_or_default();
                (types, content_pointer)
            }
            None => (Vec::new(), format!("{pointer}/content")),
        }
    }

    fn response(&mut self, pointer: &str, hint: &str, is_success: bool) -> Option<ast::Response> {
        let (response, pointer) = self.deref(pointer)?;
        let mut schema = None;
        let mut raw: Vec<(String, String)> = Vec::new();
        let (content, content_pointer) = self.content(&pointer);
        for media_type in content {
            let media_pointer = format!("{content_pointer}/{}", escape(&media_type));
            if !crate::resolve::is_media_type(&media_type) {
                self.note(&media_pointer, format!("`{media_type}` is not a media type; left out"));
                continue;
            }
            let schema_pointer = format!("{media_pointer}/schema");
            let format = format_of(&media_type).filter(|f| *f != "form" && !self.is_binary(&schema_pointer));
            let Some(format) = format else {
                raw.push((media_type, media_pointer));
                continue;
            };
            self.media.insert(format);
            if schema.is_none() && self.get(&schema_pointer).is_some() {
                schema = Some(self.ty(&schema_pointer, hint).expr);
            }
        }
        let (mut format, mut media_types) = (None, Vec::new());
        if schema.is_none() && !raw.is_empty() && is_success {
            // No JSON or XML body: text when every media type is text of a `string`, else bytes.
            let text_body = raw.iter().all(|(media_type, media_pointer)| {
                let schema_pointer = format!("{media_pointer}/schema");
                essence(media_type).starts_with("text/")
                    && self.get(&schema_pointer).is_some()
                    && !self.is_binary(&schema_pointer)
                    && self.ty(&schema_pointer, hint).expr == "string"
            });
            schema = Some(if text_body { "string" } else { "binary" }.to_owned());
            format = text_body.then(|| "text".to_owned());
            media_types = raw.iter().map(|(m, _)| m.clone()).filter(|m| !m.contains('*')).collect();
        } else if schema.is_none() && !is_success && raw.iter().any(|(m, _)| essence(m).starts_with("text/")) {
            // A text error body: its message, as it is.
            schema = Some("string".to_owned());
        } else {
            for (media_type, media_pointer) in raw {
                let message = if is_success {
                    format!("media type `{media_type}` is not mapped: the body is read as JSON or XML")
                } else {
                    format!("media type `{media_type}` of an error body is not mapped")
                };
                self.note(&media_pointer, message);
            }
        }
        let mut headers = IndexMap::new();
        let names: Vec<String> =
            response.get("headers").and_then(Json::as_object).map(|h| h.keys().cloned().collect()).unwrap_or_default();
        for name in names {
            let header_pointer = format!("{pointer}/headers/{}", escape(&name));
            let Some((header, header_pointer)) = self.deref(&header_pointer) else { continue };
            let ty = if header.get("schema").is_some() {
                self.ty(&format!("{header_pointer}/schema"), &format!("{hint}{}", name.to_upper_camel_case()))
            } else {
                super::schemas::Ty { expr: "string".into(), ..Default::default() }
            };
            let expr = if self.is_simple(&ty.expr) { ty.expr } else { "string".into() };
            headers.insert(
                name,
                ast::ResponseHeader { ty: expr, sensitive: ty.sensitive, description: text(header.get("description")) },
            );
        }
        let description = text(response.get("description"));
        Some(ast::Response { schema, format, media_types, description, headers })
    }
}

fn same_location(a: &ast::Parameter, b: &ast::Parameter) -> bool {
    std::mem::discriminant(&a.location) == std::mem::discriminant(&b.location)
}

/// `text/csv` of `text/csv; charset=utf-8`, lower case.
fn essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

pub(super) fn format_of(media_type: &str) -> Option<&'static str> {
    let media_type = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media_type == "application/x-www-form-urlencoded" {
        Some("form")
    } else if media_type.ends_with("json") || media_type == "*/*" {
        Some("json")
    } else if media_type.ends_with("xml") {
        Some("xml")
    } else {
        None
    }
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

/// The pairs of a query string written in a path key (`beta=true&x`), decoded.
fn fixed_query(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes()).map(|(name, value)| (name.into_owned(), value.into_owned())).collect()
}

impl Importer<'_> {
    /// Adds each operation's reference page to its `sources`, from the overlay's template:
    /// `{tag}` (the first tag, spaces as `-`) and `{operationId}` (the document's).
    pub(super) fn reference_pages(&mut self, template: &str) {
        let pointers: Vec<(String, String)> =
            self.operation_pointers.iter().map(|(id, pointer)| (id.clone(), pointer.clone())).collect();
        for (id, pointer) in pointers {
            let tag = self
                .get(&format!("{pointer}/tags/0"))
                .and_then(Json::as_str)
                .map(|tag| tag.replace(' ', "-"))
                .unwrap_or_default();
            let Some(operation_id) = self.get(&format!("{pointer}/operationId")).and_then(Json::as_str) else {
                continue;
            };
            let address = template.replace("{tag}", &tag).replace("{operationId}", operation_id);
            if let Some(operation) = self.operations.get_mut(&id) {
                if !operation.sources.contains(&address) {
                    operation.sources.push(address);
                }
            }
        }
        // The document's links to its own operations (`(#tag/Sessions/operation/GetSession)`,
        // a Redoc anchor) lead nowhere in rustdoc: they go to the reference page instead.
        let link = |text: &mut Option<String>| {
            if let Some(text) = text {
                *text = absolute_anchors(text, template);
            }
        };
        for operation in self.operations.values_mut() {
            link(&mut operation.description);
            for parameter in operation.parameters.values_mut() {
                link(&mut parameter.description);
            }
        }
        for schema in self.schemas.values_mut() {
            link(&mut schema.description);
            for field in schema.fields.iter_mut().flat_map(|fields| fields.values_mut()) {
                link(&mut field.description);
            }
        }
    }
}

/// `(#tag/<tag>/operation/<id>)` links written as the template's address of that operation.
fn absolute_anchors(text: &str, template: &str) -> String {
    const START: &str = "(#tag/";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(START) {
        out.push_str(&rest[..at]);
        let anchor = &rest[at + START.len()..];
        let end = anchor.find(')').unwrap_or(anchor.len());
        match anchor[..end].split_once("/operation/") {
            Some((tag, id)) if !tag.is_empty() && !id.is_empty() && !id.contains('/') => {
                out.push('(');
                out.push_str(&template.replace("{tag}", tag).replace("{operationId}", id));
                rest = &anchor[end..];
            }
            _ => {
                out.push_str(START);
                rest = anchor;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_to_operations_become_reference_addresses() {
        let template = "https://ref.example/tag/{tag}#operation/{operationId}";
        assert_eq!(
            absolute_anchors("see [Get Session](#tag/Sessions/operation/GetSession).", template),
            "see [Get Session](https://ref.example/tag/Sessions#operation/GetSession)."
        );
        for kept in ["(#tag/Sessions)", "(#tag/", "plain (text)"] {
            assert_eq!(absolute_anchors(kept, template), kept);
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(derived_id("get", "/pets/{petId}/photos"), "getPetsByPetIdPhotos");
        assert_eq!(format_of("application/problem+json"), Some("json"));
        assert_eq!(format_of("text/xml; charset=utf-8"), Some("xml"));
        assert_eq!(format_of("text/plain"), None);
    }
}
