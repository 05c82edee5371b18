//! Phase 2: operations, each on its own: method, parameters and the path template, request
//! body, responses, errors and examples, and what a call returns.

use std::collections::HashMap;

use super::names::value_name;
use super::tables::{OperationEntry, Tables};
use super::{docs, Resolver};
use crate::diagnostics::did_you_mean;
use crate::ir::{self, BodyFormat, Format, Ident};
use crate::load::ast;

impl Resolver<'_> {
    pub(super) fn operation(
        &mut self,
        entry: &OperationEntry,
        tables: &Tables,
        formats: &[Format],
        keys: &[&str],
    ) -> Option<ir::Operation> {
        let (id, op) = &entry.located.value;
        let (file, base) = (entry.located.file, entry.located.path.as_str());
        let errors_before = self.errors();

        let method = match ir::Method::ALL.iter().find(|(name, _)| name.eq_ignore_ascii_case(&op.method)) {
            Some((_, method)) => *method,
            None => {
                let hint = did_you_mean(&op.method, ir::Method::ALL.iter().map(|(name, _)| *name));
                let message = format!("unknown HTTP method `{}`{hint}", op.method.escape_debug());
                self.error(file, &format!("{base}.method"), message);
                ir::Method::Get
            }
        };
        let parameters = self.parameters(file, base, op, tables);
        // Parameters that failed have their error; the template may still name them.
        let failed: Vec<&str> = op
            .parameters
            .keys()
            .filter(|name| !parameters.iter().any(|p| p.name == **name))
            .map(String::as_str)
            .collect();
        let segments = self.path_template(file, base, &op.path, &parameters, &failed);
        let request = op.request.as_ref().and_then(|request| self.request(file, base, request, tables, formats));
        if op.request.is_some() && parameters.iter().any(|p| p.location == ir::ParameterLocation::Part) {
            let message = "parts (`in: part`) make the body `multipart/form-data`: an operation has them or a `request`, not both";
            self.error(file, &format!("{base}.request"), message);
        }
        let responses = self.responses(file, base, op, method, tables);
        let errors = self.error_responses(file, base, op, tables);
        let examples = self.operation_examples(file, base, op, formats);

        let schemes = self.schemes(file, base, op, keys);

        if self.errors() != errors_before {
            return None;
        }
        let output = output(&responses, &entry.builder);
        Some(ir::Operation {
            id: id.clone(),
            rust_name: entry.rust_name.clone(),
            builder: entry.builder.clone(),
            summary: docs(&op.summary),
            description: docs(&op.description),
            sources: op.sources.clone(),
            file: self.file_name(file).to_owned(),
            method,
            path: op.path.clone(),
            segments,
            authenticated: op.authenticated,
            schemes,
            parameters,
            request,
            responses,
            errors,
            output,
            // Decided by the rules phase, which sees the schemas.
            sensitive_response: false,
            sends_secrets: false,
            examples,
            // Resolved in phase 3, which sees the response schemas.
            paging: None,
            idempotent: op.idempotent,
        })
    }

    /// The ways an operation accepts to be authenticated, when it names them: `bearer`,
    /// `session`, `basic` or one of the API's `keys` (whether the API offers each scheme is
    /// checked with the API's `auth`).
    fn schemes(&mut self, file: usize, base: &str, op: &ast::Operation, keys: &[&str]) -> Vec<Vec<ir::Scheme>> {
        let mut requirements: Vec<Vec<ir::Scheme>> = Vec::new();
        for (index, requirement) in op.schemes.iter().enumerate() {
            let path = format!("{base}.schemes[{index}]");
            let names = requirement.names();
            if names.is_empty() {
                self.error(file, &path, "an empty list: name the schemes needed together");
                continue;
            }
            let mut schemes: Vec<ir::Scheme> = Vec::new();
            for name in names {
                let scheme = match name.as_str() {
                    "bearer" => ir::Scheme::Bearer,
                    "session" => ir::Scheme::Session,
                    "basic" => ir::Scheme::Basic,
                    key if keys.contains(&key) => ir::Scheme::ApiKey(key.to_owned()),
                    unknown => {
                        let known = ["bearer", "session", "basic"].into_iter().chain(keys.iter().copied());
                        let hint = did_you_mean(unknown, known);
                        let message = format!(
                            "unknown scheme `{}`: expected `bearer`, `session`, `basic` or a key of `api.auth`{hint}",
                            unknown.escape_debug()
                        );
                        self.error(file, &path, message);
                        continue;
                    }
                };
                if schemes.contains(&scheme) {
                    self.error(file, &path, format!("`{}` is listed twice", name.escape_debug()));
                } else {
                    schemes.push(scheme);
                }
            }
            // Schemes needed together are a set: their order does not make another requirement.
            let same = |other: &Vec<ir::Scheme>| {
                other.len() == schemes.len() && other.iter().all(|scheme| schemes.contains(scheme))
            };
            if requirements.iter().any(same) {
                let message = match names {
                    [one] => format!("`{}` is listed twice", one.escape_debug()),
                    _ => "these schemes are listed together twice".to_owned(),
                };
                self.error(file, &path, message);
            } else if !schemes.is_empty() {
                requirements.push(schemes);
            }
        }
        if op.idempotent && !matches!(op.method.as_str(), "POST" | "PATCH") {
            let message = format!("`{}` is idempotent already: `idempotent` is for POST and PATCH", op.method);
            self.error(file, &format!("{base}.idempotent"), message);
        }
        if !op.authenticated && !op.schemes.is_empty() {
            let message = "an operation with `authenticated: false` accepts no scheme";
            self.error(file, &format!("{base}.schemes"), message);
        }
        requirements
    }

    fn parameters(&mut self, file: usize, base: &str, op: &ast::Operation, tables: &Tables) -> Vec<ir::Parameter> {
        let mut parameters = Vec::new();
        let mut rust_names: HashMap<Ident, &str> = HashMap::new();
        for (name, parameter) in &op.parameters {
            let path = format!("{base}.parameters.{name}");
            let rust_name = match value_name(parameter.rust_name.as_deref().unwrap_or(name)) {
                Ok(rust_name) => rust_name,
                Err(message) => {
                    self.error(file, &path, message);
                    continue;
                }
            };
            if let Some(first) = rust_names.insert(rust_name.clone(), name) {
                let message = format!("parameters `{first}` and `{name}` both become the argument `{rust_name}`");
                self.error(file, &path, message);
            }
            let location = match parameter.location {
                ast::ParameterLocation::Path => ir::ParameterLocation::Path,
                ast::ParameterLocation::Query => ir::ParameterLocation::Query,
                ast::ParameterLocation::Header => ir::ParameterLocation::Header,
                ast::ParameterLocation::Part => ir::ParameterLocation::Part,
            };
            if location == ir::ParameterLocation::Header {
                self.header_name(file, &path, name);
            }
            let type_path = format!("{path}.type");
            let ty = if location == ir::ParameterLocation::Part {
                self.body_ty(file, &type_path, &parameter.ty, tables)
            } else {
                self.ty(file, &type_path, &parameter.ty, tables)
            };
            let Some(ty) = ty else { continue };
            let binary = |ty: &ir::Type| *ty == ir::Type::Primitive(ir::Primitive::Binary);
            let deep_object = match parameter.style.as_deref() {
                None => false,
                Some("deep_object") => {
                    // An object schema, or a map of single values.
                    let object = match &ty {
                        ir::Type::Schema(id) => tables.kind(*id) == super::tables::Kind::Object,
                        ir::Type::Map(value) => tables.is_simple(value),
                        _ => false,
                    };
                    if location != ir::ParameterLocation::Query || !object {
                        let message = "`deep_object` is for query parameters that hold an object or a map";
                        self.error(file, &format!("{path}.style"), message);
                    }
                    true
                }
                Some(other) => {
                    let message = format!("unknown style `{}`; expected `deep_object`", other.escape_debug());
                    self.error(file, &format!("{path}.style"), message);
                    false
                }
            };
            let allowed = match (&ty, location) {
                _ if deep_object => true,
                (ir::Type::List(item), ir::ParameterLocation::Query) => tables.is_simple(item),
                (ir::Type::List(item), ir::ParameterLocation::Part) => tables.is_simple(item) || binary(item),
                (ty, ir::ParameterLocation::Part) => tables.is_simple(ty) || binary(ty),
                (ty, _) => tables.is_simple(ty),
            };
            if !allowed && location == ir::ParameterLocation::Part {
                let message = format!(
                    "a part holds a file (`binary`), a single value, or a list of either; `{}` is not one",
                    parameter.ty
                );
                self.error(file, &type_path, message);
            } else if !allowed {
                let message = format!(
                    "a {location:?} parameter holds a single value (or, in a query, a list of them); `{}` is not one",
                    parameter.ty
                )
                .to_lowercase();
                self.error(file, &type_path, message);
            }
            if let Some(value) = &parameter.value {
                if location == ir::ParameterLocation::Path {
                    let message = "a path parameter cannot have a fixed value; write it into the path";
                    self.error(file, &format!("{path}.value"), message);
                } else if binary(&ty) {
                    self.error(file, &format!("{path}.value"), "a file part cannot have a fixed value");
                } else if location == ir::ParameterLocation::Header
                    && !value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
                {
                    let message = format!("`{}` is not a valid header value (visible ASCII)", value.escape_debug());
                    self.error(file, &format!("{path}.value"), message);
                }
            }
            let list_format = match parameter.list_format.as_deref() {
                None | Some("repeat") => ir::ListFormat::Repeat,
                Some("csv") => ir::ListFormat::Csv,
                Some("space") => ir::ListFormat::Space,
                Some("pipe") => ir::ListFormat::Pipe,
                Some("tab") => ir::ListFormat::Tab,
                Some(other) => {
                    let message = format!(
                        "unknown list format `{}`; expected `repeat`, `csv`, `space`, `pipe` or `tab`",
                        other.escape_debug()
                    );
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
                deep_object,
                default: parameter.default.clone(),
            });
        }
        parameters
    }

    fn request(
        &mut self,
        file: usize,
        base: &str,
        request: &ast::Request,
        tables: &Tables,
        formats: &[Format],
    ) -> Option<ir::RequestBody> {
        let path = format!("{base}.request");
        let ty = self.body_ty(file, &format!("{path}.schema"), &request.schema, tables)?;
        let binary = ty == ir::Type::Primitive(ir::Primitive::Binary);
        if !binary && super::types::holds_binary(&ty) {
            self.error(file, &format!("{path}.schema"), super::types::BINARY_PLACE);
            return None;
        }
        let mut body_formats = Vec::new();
        match &request.formats {
            None if binary => body_formats.push(BodyFormat::Binary),
            None => body_formats.extend(formats.iter().map(|f| match f {
                Format::Json => BodyFormat::Json,
                Format::Xml => BodyFormat::Xml,
            })),
            Some(names) => {
                for (index, name) in names.iter().enumerate() {
                    let item = format!("{path}.formats[{index}]");
                    if let Some(format) = self.request_format(file, &item, name, formats) {
                        body_formats.push(format);
                    }
                }
                if names.is_empty() {
                    self.error(file, &format!("{path}.formats"), "list at least one format, or leave `formats` out");
                }
            }
        }
        body_formats.sort();
        body_formats.dedup();
        let raw = body_formats.iter().any(|f| matches!(f, BodyFormat::Text | BodyFormat::Binary));
        if raw && body_formats.len() > 1 {
            let message = "`text` and `binary` bodies are sent as they are: they stand alone in `formats`";
            self.error(file, &format!("{path}.formats"), message);
        }
        if binary != body_formats.contains(&BodyFormat::Binary) && !body_formats.is_empty() {
            let message = "a `binary` schema is sent in the `binary` format, and only it";
            self.error(file, &format!("{path}.formats"), message);
        }
        if body_formats.contains(&BodyFormat::Text) && ty != ir::Type::Primitive(ir::Primitive::String) {
            self.error(file, &format!("{path}.schema"), "a `text` body is a `string`");
        }
        if body_formats.contains(&BodyFormat::Form) && !tables.is_object(&ty) {
            self.error(file, &format!("{path}.schema"), "a form body must be an object schema");
        }
        if let Some(media_type) = &request.media_type {
            self.media_type(file, &format!("{path}.media_type"), media_type);
            if !raw {
                let message = "`media_type` is for `text` and `binary` bodies; JSON, XML and forms have their own";
                self.error(file, &format!("{path}.media_type"), message);
            }
        }
        Some(ir::RequestBody {
            ty,
            formats: body_formats,
            media_type: request.media_type.clone(),
            description: docs(&request.description),
        })
    }

    /// One of a request body's formats: `json` or `xml` (when the API speaks it), `form`, `text`
    /// or `binary`.
    fn request_format(&mut self, file: usize, path: &str, name: &str, formats: &[Format]) -> Option<BodyFormat> {
        let format = match name {
            "json" => BodyFormat::Json,
            "xml" => BodyFormat::Xml,
            "form" => BodyFormat::Form,
            "text" => BodyFormat::Text,
            "binary" => BodyFormat::Binary,
            other => {
                let message = format!(
                    "unknown format `{}`; expected `json`, `xml`, `form`, `text` or `binary`",
                    other.escape_debug()
                );
                self.error(file, path, message);
                return None;
            }
        };
        let spoken = match format {
            BodyFormat::Json => formats.contains(&Format::Json),
            BodyFormat::Xml => formats.contains(&Format::Xml),
            _ => true,
        };
        if !spoken {
            self.error(file, path, format!("the API does not speak `{name}`"));
            return None;
        }
        Some(format)
    }

    fn media_type(&mut self, file: usize, path: &str, text: &str) {
        if !is_media_type(text) {
            let message = format!("`{}` is not a media type (`type/subtype`, e.g. `text/csv`)", text.escape_debug());
            self.error(file, path, message);
        }
    }

    fn responses(
        &mut self,
        file: usize,
        base: &str,
        op: &ast::Operation,
        method: ir::Method,
        tables: &Tables,
    ) -> Vec<ir::Response> {
        let mut responses = Vec::new();
        for (status, response) in &op.responses {
            let path = format!("{base}.responses.{status}");
            let code = match status.parse::<u16>() {
                Ok(code) if (200..300).contains(&code) => code,
                _ => {
                    let message = format!(
                        "`{}` is not a success status; responses are 2xx codes, errors go under `errors`",
                        status.escape_debug()
                    );
                    self.error(file, &path, message);
                    continue;
                }
            };
            let ty = match &response.schema {
                Some(schema) => match self.body_ty(file, &format!("{path}.schema"), schema, tables) {
                    Some(ty) => Some(ty),
                    None => continue,
                },
                None => None,
            };
            if ty.is_some() && method == ir::Method::Head {
                // RFC 9110 section 9.3.2: a HEAD response has the headers of a GET, never its body.
                self.error(file, &format!("{path}.schema"), "a HEAD response has no body; leave `schema` out");
                continue;
            }
            if ty.is_some() && matches!(code, 204 | 205) {
                // RFC 9110 section 15.3.5 and 15.3.6: these statuses end with the headers.
                self.error(
                    file,
                    &format!("{path}.schema"),
                    format!("a {code} response has no body; leave `schema` out"),
                );
                continue;
            }
            let Some(format) = self.response_format(file, &path, response, ty.as_ref()) else { continue };
            let headers = self.response_headers(file, &path, response, tables);
            responses.push(ir::Response {
                status: code,
                ty,
                format,
                media_types: response.media_types.clone(),
                description: docs(&response.description),
                headers,
            });
        }
        if op.responses.is_empty() {
            self.error(file, &format!("{base}.responses"), "an operation needs at least one success response");
        }
        responses.sort_by_key(|r| r.status);
        responses
    }

    /// How a success body is read: negotiated JSON or XML, `text` (a `string` as it is) or
    /// `binary` (its schema).
    fn response_format(
        &mut self,
        file: usize,
        path: &str,
        response: &ast::Response,
        ty: Option<&ir::Type>,
    ) -> Option<ir::ResponseFormat> {
        let binary = ty == Some(&ir::Type::Primitive(ir::Primitive::Binary));
        if !binary && ty.is_some_and(super::types::holds_binary) {
            self.error(file, &format!("{path}.schema"), super::types::BINARY_PLACE);
            return None;
        }
        let format = match (response.format.as_deref(), binary) {
            (None, false) => ir::ResponseFormat::Negotiated,
            (None | Some("binary"), true) => ir::ResponseFormat::Binary,
            (Some("text"), false) if ty == Some(&ir::Type::Primitive(ir::Primitive::String)) => {
                ir::ResponseFormat::Text
            }
            (Some("text"), _) => {
                self.error(file, &format!("{path}.schema"), "a `text` body is a `string`");
                return None;
            }
            (Some("binary"), false) => {
                self.error(file, &format!("{path}.schema"), "a `binary` body has the schema `binary`");
                return None;
            }
            (Some(other), _) => {
                let message =
                    format!("unknown response format `{}`; expected `text` or `binary`", other.escape_debug());
                self.error(file, &format!("{path}.format"), message);
                return None;
            }
        };
        for (index, media_type) in response.media_types.iter().enumerate() {
            self.media_type(file, &format!("{path}.media_types[{index}]"), media_type);
        }
        if !response.media_types.is_empty() && format == ir::ResponseFormat::Negotiated {
            let message = "`media_types` is for `text` and `binary` bodies; JSON and XML are negotiated";
            self.error(file, &format!("{path}.media_types"), message);
        }
        Some(format)
    }

    /// The headers a response declares.
    fn response_headers(
        &mut self,
        file: usize,
        path: &str,
        response: &ast::Response,
        tables: &Tables,
    ) -> Vec<ir::ResponseHeader> {
        let mut headers = Vec::new();
        let mut header_names: HashMap<Ident, &str> = HashMap::new();
        for (name, header) in &response.headers {
            let header_path = format!("{path}.headers.{name}");
            self.header_name(file, &header_path, name);
            let Some(ty) = self.ty(file, &format!("{header_path}.type"), &header.ty, tables) else { continue };
            if !tables.is_simple(&ty) {
                let message = format!("a header holds a single value; `{}` is not one", header.ty);
                self.error(file, &format!("{header_path}.type"), message);
            }
            let rust_name = match value_name(name) {
                Ok(rust_name) => rust_name,
                Err(message) => {
                    self.error(file, &header_path, message);
                    continue;
                }
            };
            if let Some(first) = header_names.insert(rust_name.clone(), name) {
                let message = format!("headers `{first}` and `{name}` both become `{rust_name}`");
                self.error(file, &header_path, message);
            }
            headers.push(ir::ResponseHeader {
                name: name.clone(),
                rust_name,
                ty,
                sensitive: header.sensitive,
                description: docs(&header.description),
            });
        }
        headers
    }

    fn error_responses(
        &mut self,
        file: usize,
        base: &str,
        op: &ast::Operation,
        tables: &Tables,
    ) -> Vec<ir::ErrorResponse> {
        let mut errors = Vec::new();
        for (status, response) in &op.errors {
            let path = format!("{base}.errors.{status}");
            let status_ir = match status.parse::<u16>() {
                Ok(code) if (400..600).contains(&code) => ir::ErrorStatus::Code(code),
                _ if status == "default" => ir::ErrorStatus::Default,
                _ if status.eq_ignore_ascii_case("4XX") => ir::ErrorStatus::Range(4),
                _ if status.eq_ignore_ascii_case("5XX") => ir::ErrorStatus::Range(5),
                _ => {
                    let message = format!(
                        "`{}` is not an error status; expected a 4xx or 5xx code, `4XX`, `5XX` or `default`",
                        status.escape_debug()
                    );
                    self.error(file, &path, message);
                    continue;
                }
            };
            if response.format.is_some() || !response.media_types.is_empty() {
                let message =
                    "an error body is read in the API's formats: `format` and `media_types` are for success bodies";
                self.error(file, &path, message);
            }
            let ty = match &response.schema {
                Some(schema) => match self.ty(file, &format!("{path}.schema"), schema, tables) {
                    Some(ty) => Some(ty),
                    None => continue,
                },
                None => None,
            };
            let headers = self.response_headers(file, &path, response, tables);
            errors.push(ir::ErrorResponse {
                status: status_ir,
                ty,
                // Decided by the rules phase, which sees every operation's errors.
                body: None,
                description: docs(&response.description),
                headers,
            });
        }
        errors.sort_by_key(|e| e.status);
        errors
    }

    fn operation_examples(
        &mut self,
        file: usize,
        base: &str,
        op: &ast::Operation,
        formats: &[Format],
    ) -> Vec<ir::Example> {
        let mut examples = Vec::new();
        for (index, example) in op.examples.iter().enumerate() {
            let path = format!("{base}.examples[{index}]");
            let Some(of_text) = example.of.as_deref() else {
                self.error(file, &path, "an operation example needs `of`: `request` or a status code");
                continue;
            };
            let of = if of_text == "request" {
                if op.request.is_none() {
                    let message = "a request example needs a `request` body on the operation";
                    self.error(file, &format!("{path}.of"), message);
                    continue;
                }
                ir::ExampleOf::Request
            } else {
                match of_text.parse::<u16>() {
                    Ok(code) if op.responses.contains_key(of_text) || op.errors.contains_key(of_text) => {
                        ir::ExampleOf::Response(code)
                    }
                    _ => {
                        let message = format!(
                            "`of` is `request` or a status the operation declares; `{}` is neither",
                            of_text.escape_debug()
                        );
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
        examples
    }

    /// Splits the path template and checks it against the path parameters, both ways.
    fn path_template(
        &mut self,
        file: usize,
        base: &str,
        template: &str,
        parameters: &[ir::Parameter],
        failed: &[&str],
    ) -> Vec<ir::PathSegment> {
        let path = format!("{base}.path");
        if !template.starts_with('/') {
            self.error(file, &path, format!("`{}` must start with `/`", template.escape_debug()));
        }
        if !template.bytes().all(|b| b.is_ascii_graphic() && !b"?#%".contains(&b)) {
            let message = "a path template is made of visible ASCII characters, without `?`, `#` or `%`";
            self.error(file, &path, message);
        }
        let mut segments = Vec::new();
        let mut used = vec![false; parameters.len()];
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.error(file, &path, format!("unclosed `{{` in `{}`", template.escape_debug()));
                return segments;
            };
            if open > 0 {
                segments.push(ir::PathSegment::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            let found = parameters.iter().position(|p| p.name == name && p.location == ir::ParameterLocation::Path);
            match found {
                Some(index) if used[index] => {
                    let message = format!("path parameter `{name}` appears twice in the path template");
                    self.error(file, &path, message);
                }
                Some(index) => {
                    used[index] = true;
                    segments.push(ir::PathSegment::Parameter(index));
                }
                None if failed.contains(&name) => {}
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
            self.error(file, &path, format!("unmatched `}}` in `{}`", template.escape_debug()));
        }
        if !rest.is_empty() {
            segments.push(ir::PathSegment::Literal(rest.to_owned()));
        }
        for (index, parameter) in parameters.iter().enumerate() {
            if parameter.location == ir::ParameterLocation::Path && !used[index] {
                let message = format!(
                    "path parameter `{}` does not appear in the path template `{}`",
                    parameter.name,
                    template.escape_debug()
                );
                self.error(file, &format!("{base}.parameters.{}", parameter.name), message);
            }
        }
        segments
    }
}

/// A media type as `Content-Type` and `Accept` carry it: `type/subtype` of tokens, parameters
/// allowed, visible ASCII.
pub fn is_media_type(text: &str) -> bool {
    let token =
        |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+*".contains(&b));
    let essence = text.split(';').next().unwrap_or("").trim();
    essence.split_once('/').is_some_and(|(kind, sub)| token(kind) && token(sub))
        && text.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}

/// What a call returns: the body type when every success response has it, `Option` of it when
/// some have no body, `()` when none has one.
fn output(responses: &[ir::Response], builder: &Ident) -> ir::Output {
    let typed: Vec<&ir::Type> = responses.iter().filter_map(|r| r.ty.as_ref()).collect();
    if typed.iter().any(|ty| *ty != typed[0]) {
        // Different bodies: an enum `<Builder>Response` with a variant per status.
        let name = Ident::assume(format!("{}Response", builder.as_str().trim_end_matches('_')));
        let variants = responses.iter().map(|response| Ident::assume(status_variant(response.status))).collect();
        return ir::Output::ByStatus(ir::StatusEnum { name, variants });
    }
    match typed.first() {
        None => ir::Output::Unit,
        Some(ty) if typed.len() == responses.len() => ir::Output::Body((*ty).clone()),
        Some(ty) => ir::Output::OptionalBody((*ty).clone()),
    }
}

/// The variant of a status in an operation's response enum: its reason phrase (RFC 9110).
fn status_variant(status: u16) -> String {
    match status {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritativeInformation".into(),
        204 => "NoContent".into(),
        205 => "ResetContent".into(),
        206 => "PartialContent".into(),
        207 => "MultiStatus".into(),
        208 => "AlreadyReported".into(),
        226 => "ImUsed".into(),
        other => format!("Status{other}"),
    }
}
