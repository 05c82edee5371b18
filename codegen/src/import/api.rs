//! The api section: title, base path and port from the first server, wire formats, headers every
//! operation sends with one value, and the authentication schemes.

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use serde_json::Value as Json;

use super::schemas::innermost;
use super::{escape, text, Importer};
use crate::load::ast;

impl Importer<'_> {
    pub(super) fn api_section(&mut self, name: &str, version: &str) -> ast::Api {
        let title = self.string_at("/info/title").unwrap_or_else(|| name.to_owned());
        let mut description = text(self.get("/info/description")).unwrap_or_default();
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        let document_version = self.get("/info/version").map(super::compact).unwrap_or_default();
        description.push_str(&format!("Document version {document_version} ({version})."));
        let servers = self.get("/servers").and_then(Json::as_array).map_or(0, Vec::len);
        if servers > 1 {
            self.note("/servers", "only the first server is mapped");
        }
        let (base_path, default_port) = match self.get("/servers/0/url").and_then(Json::as_str) {
            Some(url) => {
                let mut url = url.to_owned();
                if let Some(Json::Object(variables)) = self.get("/servers/0/variables") {
                    for (variable, value) in variables {
                        let default = value.get("default").map(super::compact).unwrap_or_default();
                        url = url.replace(&format!("{{{variable}}}"), &default);
                    }
                }
                split_url(&url)
            }
            None => (String::new(), None),
        };
        let base_path = if base_path.is_empty() { self.common_path_prefix() } else { base_path };

        let xml_namespace = self.namespaces.iter().next().cloned();
        if self.namespaces.len() > 1 {
            self.note("/components/schemas", "several XML namespaces; the first is the API's");
        }
        let mut supported: Vec<String> = Vec::new();
        if self.media.contains("json") || !self.media.contains("xml") {
            supported.push("json".into());
        }
        let mut speaks_xml = false;
        if self.media.contains("xml") {
            if xml_namespace.is_none() {
                self.note("/paths", "XML media types are not mapped: no schema declares an `xml.namespace`");
            } else if let Some(reason) = self.xml_blocker() {
                self.note("/paths", format!("XML media types are not mapped: {reason}"));
            } else {
                supported.push("xml".into());
                speaks_xml = true;
            }
        }
        if supported.is_empty() {
            supported.push("json".into());
        }
        if speaks_xml {
            self.drop_fields_without_xml_form();
        } else {
            // XML names mean nothing to a JSON-only API (and would only be checked).
            for schema in self.schemas.values_mut() {
                for field in schema.fields.iter_mut().flat_map(|f| f.values_mut()) {
                    field.xml = None;
                }
                schema.xml_name = None;
            }
            // XML bodies were dropped: so are formats lists naming them.
            for operation in self.operations.values_mut() {
                if let Some(request) = &mut operation.request {
                    if let Some(formats) = &mut request.formats {
                        formats.retain(|f| f != "xml");
                    }
                }
            }
            let emptied: Vec<String> = self
                .operations
                .iter()
                .filter(|(_, op)| op.request.as_ref().is_some_and(|r| r.formats.as_ref().is_some_and(Vec::is_empty)))
                .map(|(id, _)| id.clone())
                .collect();
            for id in emptied {
                self.note("/paths", format!("operation `{id}` is not mapped: its body is XML only"));
                self.operations.remove(&id);
            }
        }
        let headers = self.fixed_headers();
        let auth = self.auth();
        ast::Api {
            name: name.to_owned(),
            title,
            description: Some(description),
            sources: Vec::new(),
            base_path,
            default_port,
            formats: ast::Formats { default: supported[0].clone(), supported },
            xml_namespace: xml_namespace.filter(|_| speaks_xml),
            headers,
            auth,
            error_message: Vec::new(),
            tasks: None,
        }
    }

    /// Why XML cannot be spoken, if something needs a form XML has not: a union of other
    /// things than objects, or a body that is not an object.
    fn xml_blocker(&self) -> Option<String> {
        for (name, schema) in &self.schemas {
            if schema.kind == ast::SchemaKind::Union {
                let all_objects =
                    schema.variants.iter().flatten().all(|v| self.kind_of(&v.ty) == Some(ast::SchemaKind::Object));
                if !all_objects {
                    return Some(format!("union `{name}` has alternatives that are not objects"));
                }
            }
        }
        for (id, operation) in &self.operations {
            let bodies = operation
                .request
                .iter()
                .map(|r| Some(&r.schema))
                .chain(operation.responses.values().map(|r| r.schema.as_ref()))
                .chain(operation.errors.values().map(|r| r.schema.as_ref()));
            for body in bodies.flatten() {
                if !matches!(
                    self.schemas.get(body).map(|s| s.kind),
                    Some(ast::SchemaKind::Object | ast::SchemaKind::Union)
                ) {
                    return Some(format!("operation `{id}` has a body of type `{body}`, which is not an object"));
                }
            }
        }
        None
    }

    /// An API that speaks XML cannot have maps, arbitrary JSON or lists of lists, written out or
    /// through aliases: such fields are left out, and reported.
    fn drop_fields_without_xml_form(&mut self) {
        let mut dropped = Vec::new();
        for (schema_name, schema) in &self.schemas {
            for (key, field) in schema.fields.iter().flatten() {
                let expr = self.expand(&field.ty);
                if expr.contains("map<") || innermost(&expr) == "any" || expr.contains("list<list<") {
                    dropped.push((schema_name.clone(), key.clone(), field.ty.clone()));
                }
            }
        }
        for (schema_name, key, expr) in dropped {
            if let Some(fields) = self.schemas.get_mut(&schema_name).and_then(|s| s.fields.as_mut()) {
                fields.shift_remove(&key);
            }
            // Said where each property it held is in the document.
            let held: Vec<super::Member> = self
                .members
                .iter()
                .filter(|m| m.holder == super::Holder::Schema(schema_name.clone()) && m.field == key)
                .cloned()
                .collect();
            let message = format!(
                "field {schema_name}.{key} (`{expr}`) is not mapped: the API speaks XML, which has no form for it"
            );
            if held.is_empty() {
                self.note("/components/schemas", message.clone());
            }
            for member in held {
                self.members.remove(&member);
                self.note(&member.pointer, message.clone());
            }
        }
    }

    /// Required headers with a default that every operation sends: fixed headers of the API.
    fn fixed_headers(&mut self) -> IndexMap<String, String> {
        let mut fixed = IndexMap::new();
        let mut candidates: Vec<String> = self
            .header_defaults
            .iter()
            .flat_map(|(_, defaults)| defaults.iter())
            .filter(|(_, default)| default.is_some())
            .map(|(key, _)| key.clone())
            .collect();
        candidates.sort();
        candidates.dedup();
        candidates.retain(|key| self.header_of_every_operation(key));
        for name in candidates {
            let values: std::collections::BTreeSet<Option<String>> = self
                .header_defaults
                .iter()
                .filter_map(|(_, defaults)| defaults.iter().find(|(key, _)| *key == name).map(|(_, d)| d.clone()))
                .collect();
            if values.len() == 1 {
                if let Some(Some(value)) = values.into_iter().next() {
                    fixed.insert(name.clone(), value);
                    for operation in self.operations.values_mut() {
                        operation.parameters.shift_remove(&name);
                    }
                }
            }
        }
        fixed
    }

    /// A required header of most operations (the others, like documentation pages, merely
    /// do not declare it: sending it to them too is harmless).
    fn header_of_every_operation(&self, key: &str) -> bool {
        let declaring = self
            .operations
            .values()
            .filter(|op| {
                op.parameters
                    .get(key)
                    .is_some_and(|p| matches!(p.location, ast::ParameterLocation::Header) && p.required)
            })
            .count();
        declaring * 2 > self.operations.len()
    }

    /// Without a base path from the document: the literal leading segments every operation's
    /// path shares (`/api/v1`), taken out of the paths, so that they read as the API documents
    /// them; `/` when they share none.
    fn common_path_prefix(&mut self) -> String {
        let prefix = literal_prefix(self.operations.values().map(|operation| operation.path.as_str()));
        if prefix.is_empty() {
            return "/".to_owned();
        }
        for operation in self.operations.values_mut() {
            if let Some(rest) = operation.path.strip_prefix(&prefix) {
                operation.path = rest.to_owned();
            }
        }
        prefix
    }

    /// The API's schemes (bearer tokens, API keys, HTTP Basic), and for each operation the ones it
    /// accepts. One API key is `api_key`; several are `api_keys`, named after their schemes.
    fn auth(&mut self) -> Option<ast::Auth> {
        let schemes = self.get("/components/securitySchemes").and_then(Json::as_object)?;
        let names: Vec<String> = schemes.keys().cloned().collect();
        let mut auth = ast::Auth { bearer: None, session: None, basic: None, api_key: None, api_keys: IndexMap::new() };
        // Scheme name -> the spec language's scheme it maps to (`bearer`, `basic`, a key's name).
        let mut kinds: HashMap<String, String> = HashMap::new();
        let mut keys: Vec<(String, ast::ApiKeyAuth)> = Vec::new();
        for name in names {
            let pointer = format!("/components/securitySchemes/{}", escape(&name));
            let Some((scheme, pointer)) = self.deref(&pointer) else { continue };
            let kind = scheme.get("type").and_then(Json::as_str).unwrap_or_default();
            let http = scheme.get("scheme").and_then(Json::as_str).unwrap_or_default().to_ascii_lowercase();
            let mapped = match (kind, http.as_str()) {
                ("http", "bearer") | ("oauth2", _) | ("openIdConnect", _) => {
                    let client_credentials = self.client_credentials(&pointer, scheme);
                    match &mut auth.bearer {
                        Some(bearer) => {
                            if bearer.client_credentials.is_none() {
                                bearer.client_credentials = client_credentials;
                            }
                        }
                        None => {
                            let token_operation = self.token_operation();
                            if token_operation.is_none() && client_credentials.is_none() {
                                self.note(
                                    &pointer,
                                    "no token operation (a form body with `grant_type`) or client-credentials flow: callers set tokens themselves",
                                );
                            }
                            auth.bearer = Some(ast::BearerAuth {
                                token_operation,
                                logout_operation: None,
                                client_credentials,
                                authorization_code: false,
                            });
                        }
                    }
                    Some("bearer".to_owned())
                }
                ("http", "basic") => {
                    auth.basic = Some(ast::BasicAuth {});
                    Some("basic".to_owned())
                }
                ("apiKey", _) => {
                    let sent_as = scheme.get("name").and_then(Json::as_str).unwrap_or_default().to_owned();
                    let place = scheme.get("in").and_then(Json::as_str).unwrap_or_default();
                    if !matches!(place, "header" | "query" | "cookie") {
                        let message = format!("an API key `in: {place}` is not mapped (header, query or cookie)");
                        self.note(&pointer, message);
                        None
                    } else {
                        let at = |wanted: &str| (place == wanted).then(|| sent_as.clone());
                        let key = ast::ApiKeyAuth { header: at("header"), query: at("query"), cookie: at("cookie") };
                        let key_name = key_name(&keys, &name_of_scheme(&name));
                        keys.push((key_name.clone(), key));
                        Some(key_name)
                    }
                }
                _ => {
                    self.note(&pointer, "only http bearer and basic, OAuth2 tokens and API keys are mapped");
                    None
                }
            };
            if let Some(mapped) = mapped {
                kinds.insert(name, mapped);
            }
        }
        // One key keeps the short form (`set_api_key`); several are told apart by name.
        if let [(key_name, key)] = keys.as_slice() {
            auth.api_key = Some(key.clone());
            kinds.values_mut().filter(|kind| *kind == key_name).for_each(|kind| *kind = "api_key".to_owned());
        } else {
            auth.api_keys = keys.into_iter().collect();
        }
        if auth.bearer.is_none() && auth.basic.is_none() && auth.api_key.is_none() && auth.api_keys.is_empty() {
            return None;
        }
        let mut offered: Vec<String> = kinds.values().cloned().collect();
        offered.sort();
        offered.dedup();
        for (id, pointer, requirements) in std::mem::take(&mut self.security) {
            let mut accepted: Vec<ast::SchemeRequirement> = Vec::new();
            for (index, requirement) in requirements.iter().enumerate() {
                let unmapped: Vec<&str> =
                    requirement.iter().filter(|name| !kinds.contains_key(*name)).map(String::as_str).collect();
                if !unmapped.is_empty() {
                    if requirement.len() > 1 {
                        let message = format!(
                            "needs `{}`, which is not mapped: this way of authenticating is left out",
                            unmapped.join("`, `")
                        );
                        self.note(&format!("{pointer}/{index}"), message);
                    }
                    continue;
                }
                let mut names: Vec<String> = requirement.iter().map(|name| kinds[name].clone()).collect();
                names.dedup();
                let requirement = match <[String; 1]>::try_from(names) {
                    Ok([one]) => ast::SchemeRequirement::One(one),
                    Err(names) => ast::SchemeRequirement::Together(names),
                };
                if !accepted.contains(&requirement) {
                    accepted.push(requirement);
                }
            }
            let Some(operation) = self.operations.get_mut(&id) else { continue };
            if accepted.is_empty() {
                // Only schemes that are not mapped: the call is sent with whatever the client holds.
                continue;
            }
            let alone: BTreeSet<&str> = accepted
                .iter()
                .filter_map(|requirement| match requirement {
                    ast::SchemeRequirement::One(name) => Some(name.as_str()),
                    ast::SchemeRequirement::Together(_) => None,
                })
                .collect();
            let everything =
                accepted.len() == alone.len() && alone.iter().copied().eq(offered.iter().map(String::as_str));
            if !everything {
                operation.schemes = accepted;
            }
        }
        Some(auth)
    }

    /// An operation that grants tokens: a form body with a `grant_type` member.
    fn token_operation(&self) -> Option<String> {
        self.operations
            .iter()
            .find(|(_, op)| {
                op.request.as_ref().is_some_and(|request| {
                    request.formats.as_ref().is_some_and(|f| f.iter().any(|f| f == "form"))
                        && self
                            .schemas
                            .get(&request.schema)
                            .and_then(|s| s.fields.as_ref())
                            .is_some_and(|f| f.contains_key("grant_type"))
                })
            })
            .map(|(id, _)| id.clone())
    }

    /// The client-credentials flow of an OAuth2 scheme: its token URL and scopes. Other flows
    /// (authorization code, implicit, password) give tokens the caller obtains and sets.
    fn client_credentials(&mut self, pointer: &str, scheme: &Json) -> Option<ast::ClientCredentials> {
        let flows = scheme.get("flows").and_then(Json::as_object)?;
        let flow = flows.get("clientCredentials")?;
        let token_url = flow.get("tokenUrl").and_then(Json::as_str)?.to_owned();
        let valid = crate::resolve::is_token_url(&token_url);
        if !valid {
            self.note(
                &format!("{pointer}/flows/clientCredentials/tokenUrl"),
                "not a token URL; the flow is not mapped",
            );
            return None;
        }
        let mut scopes: Vec<String> = flow
            .get("scopes")
            .and_then(Json::as_object)
            .map(|scopes| scopes.keys().filter(|s| crate::resolve::is_scope(s)).cloned().collect())
            .unwrap_or_default();
        scopes.sort();
        Some(ast::ClientCredentials { token_url, scopes })
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

/// The literal leading segments every path shares (`/api/v1`), never the whole of a path (its
/// last segment names what it is); empty when they share none or a path does not start with `/`.
pub(super) fn literal_prefix<'p>(paths: impl Iterator<Item = &'p str>) -> String {
    let mut common: Option<Vec<&str>> = None;
    for path in paths {
        if !path.starts_with('/') {
            return String::new();
        }
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        let literal: Vec<&str> = segments[..segments.len().saturating_sub(1)]
            .iter()
            .copied()
            .take_while(|s| !s.contains('{') && !s.is_empty())
            .collect();
        common = Some(match common {
            None => literal,
            Some(mut common) => {
                let shared = common.iter().zip(&literal).take_while(|(a, b)| a == b).count();
                common.truncate(shared);
                common
            }
        });
    }
    common.unwrap_or_default().iter().map(|segment| format!("/{segment}")).collect()
}

/// A security scheme's name as a key name: `appTokenHeader` -> `app_token_header`.
fn name_of_scheme(scheme: &str) -> String {
    let snake: String = heck::ToSnakeCase::to_snake_case(scheme)
        .chars()
        .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() { c } else { '_' })
        .collect();
    let words: Vec<&str> = snake.split('_').filter(|word| !word.is_empty()).collect();
    match words.first() {
        Some(first) if first.starts_with(|c: char| c.is_ascii_lowercase()) => words.join("_"),
        Some(_) => format!("key_{}", words.join("_")),
        None => "key".to_owned(),
    }
}

/// A key name not taken yet and one the spec accepts (`resolve::key_name_problem`): `name`,
/// else `name_key`, `name_key_2`, ...
fn key_name(keys: &[(String, ast::ApiKeyAuth)], name: &str) -> String {
    let free = |candidate: &str| {
        !keys.iter().any(|(taken, _)| taken == candidate) && crate::resolve::key_name_problem(candidate).is_none()
    };
    if free(name) {
        return name.to_owned();
    }
    let name = format!("{name}_key");
    (1..).map(|n| if n == 1 { name.clone() } else { format!("{name}_{n}") }).find(|c| free(c)).unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(split_url("https://host:8443/api/v1/"), ("/api/v1".to_owned(), Some(8443)));
        assert_eq!(split_url("https://host"), (String::new(), None));
        assert_eq!(split_url("/api"), ("/api".to_owned(), None));
    }
}
