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
struct Mapped {
    wire: String,
    parameter: ast::Parameter,
    /// The schema's `default` (headers: a candidate fixed header of the API).
    default: Option<String>,
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
                if !seen.insert((path.clone(), method)) {
                    self.note(
                        &op_pointer,
                        format!("{} {path} is defined twice; the first is kept", method.to_uppercase()),
                    );
                    continue;
                }
                self.operation(&path, method, &item_pointer, &op_pointer);
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

    fn operation(&mut self, path: &str, method: &str, item_pointer: &str, op_pointer: &str) {
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
                        location: ast::ParameterLocation::Path,
                        ty: "string".into(),
                        required: false,
                        sensitive: false,
                        description: None,
                        value: None,
                        list_format: None,
                    },
                    default: None,
                });
            }
        }
        mapped
            .retain(|p| !matches!(p.parameter.location, ast::ParameterLocation::Path) || in_template.contains(&p.wire));
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
            parameters.insert(key, parameter.parameter);
        }

        let request = self.request_body(&format!("{op_pointer}/requestBody"), &hint);
        let request = match request {
            Ok(request) => request,
            Err(()) => {
                self.note(op_pointer, format!("operation `{id}` is not mapped: its request body cannot be"));
                return;
            }
        };
        let (responses, errors) = self.responses(op_pointer, &hint);
        let security = self.get(&format!("{op_pointer}/security")).or_else(|| self.get("/security"));
        let authenticated = match security {
            Some(Json::Array(requirements)) => {
                !requirements.is_empty() && !requirements.iter().any(|r| r.as_object().is_some_and(|r| r.is_empty()))
            }
            _ => self.get("/components/securitySchemes").and_then(Json::as_object).is_some_and(|s| !s.is_empty()),
        };
        if self.get(&format!("{op_pointer}/callbacks")).is_some() {
            self.note(&format!("{op_pointer}/callbacks"), "callbacks are not mapped");
        }
        let operation = ast::Operation {
            method: method.to_uppercase(),
            path: path.to_owned(),
            summary: text(self.get(&format!("{op_pointer}/summary"))),
            description: text(self.get(&format!("{op_pointer}/description"))),
            sources: Vec::new(),
            authenticated,
            parameters,
            request,
            responses,
            errors,
            examples: Vec::new(),
        };
        self.header_defaults.push((id.clone(), defaults));
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
        let ty_expr = if simple {
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
        let csv = is_query && ty_expr.starts_with("list<") && (explode == Some(false) || style != "form");
        let default = self.get(&format!("{schema_pointer}/default")).map(super::compact);
        if default.is_some() && !is_header {
            self.note(&format!("{schema_pointer}/default"), "parameter defaults are the server's; not sent");
        }
        Some(Mapped {
            wire: name,
            parameter: ast::Parameter {
                required: required && !matches!(location, ast::ParameterLocation::Path),
                location,
                ty: ty_expr,
                sensitive: ty.sensitive,
                description: text(value.get("description")),
                value: None,
                list_format: csv.then(|| "csv".to_owned()),
            },
            default,
        })
    }

    /// The request body: `Ok(None)` without one, `Err` when it is required and cannot be sent.
    fn request_body(&mut self, pointer: &str, hint: &str) -> Result<Option<ast::Request>, ()> {
        if self.get(pointer).is_none() {
            return Ok(None);
        }
        let Some((body, pointer)) = self.deref(pointer) else { return Err(()) };
        let required = body.get("required") == Some(&Json::Bool(true));
        let mut formats: Vec<String> = Vec::new();
        let mut schema: Option<String> = None;
        let content: Vec<String> =
            body.get("content").and_then(Json::as_object).map(|c| c.keys().cloned().collect()).unwrap_or_default();
        for media_type in content {
            let media_pointer = format!("{pointer}/content/{}", escape(&media_type));
            let Some(format) = format_of(&media_type) else {
                self.note(&media_pointer, format!("media type `{media_type}` is not mapped"));
                continue;
            };
            if self.get(&format!("{media_pointer}/schema")).is_none() {
                self.note(&media_pointer, "a body without a schema is not mapped");
                continue;
            }
            let ty = self.ty(&format!("{media_pointer}/schema"), &format!("{hint}Request"));
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
        match schema {
            Some(schema) => {
                formats.sort();
                Ok(Some(ast::Request { schema, formats: Some(formats), description: text(body.get("description")) }))
            }
            None if required => Err(()),
            None => Ok(None),
        }
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
            let Some(response) = self.response(&pointer, &response_hint, is_success) else { continue };
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
            responses.insert("200".into(), ast::Response { schema: None, description: None, headers: IndexMap::new() });
        }
        (responses, errors)
    }

    fn response(&mut self, pointer: &str, hint: &str, is_success: bool) -> Option<ast::Response> {
        let (response, pointer) = self.deref(pointer)?;
        let mut schema = None;
        let content: Vec<String> =
            response.get("content").and_then(Json::as_object).map(|c| c.keys().cloned().collect()).unwrap_or_default();
        for media_type in content {
            let media_pointer = format!("{pointer}/content/{}", escape(&media_type));
            let Some(format) = format_of(&media_type).filter(|f| *f != "form") else {
                self.note(&media_pointer, format!("media type `{media_type}` is not mapped"));
                continue;
            };
            self.media.insert(format);
            if schema.is_none() && self.get(&format!("{media_pointer}/schema")).is_some() {
                schema = Some(self.ty(&format!("{media_pointer}/schema"), hint).expr);
            }
        }
        let mut headers = IndexMap::new();
        let names: Vec<String> =
            response.get("headers").and_then(Json::as_object).map(|h| h.keys().cloned().collect()).unwrap_or_default();
        for name in names {
            let header_pointer = format!("{pointer}/headers/{}", escape(&name));
            if !is_success {
                self.note(&header_pointer, "headers of error responses are not mapped");
                continue;
            }
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
        Some(ast::Response { schema, description, headers })
    }

    /// One error body type per API: the most used one; others are reported and dropped.
    pub(super) fn unify_errors(&mut self) {
        let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for operation in self.operations.values() {
            for error in operation.errors.values() {
                if let Some(ty) = &error.schema {
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
            for (status, error) in &mut operation.errors {
                if error.schema.as_ref().is_some_and(|ty| *ty != chosen) {
                    dropped.push(format!(
                        "operation `{id}`, status {status}: `{}`",
                        error.schema.take().unwrap_or_default()
                    ));
                }
            }
        }
        for message in dropped {
            self.note("/paths", format!("{message} is not the API's error body type `{chosen}`; kept as raw text"));
        }
    }
}

fn same_location(a: &ast::Parameter, b: &ast::Parameter) -> bool {
    std::mem::discriminant(&a.location) == std::mem::discriminant(&b.location)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(derived_id("get", "/pets/{petId}/photos"), "getPetsByPetIdPhotos");
        assert_eq!(format_of("application/problem+json"), Some("json"));
        assert_eq!(format_of("text/xml; charset=utf-8"), Some("xml"));
        assert_eq!(format_of("text/plain"), None);
    }
}
