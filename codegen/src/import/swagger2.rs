//! Swagger 2.0 to OpenAPI 3.0, on the JSON tree: `definitions` become component schemas,
//! `body` and `formData` parameters a request body in each media type the operation
//! `consumes`, response schemas content in each type it `produces`, `securityDefinitions`
//! security schemes, and parameter `type`s schemas. Notes point into the 2.0 document
//! ([`original_pointer`]).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value as Json};

use super::{escape, Note};

/// Rewrites a Swagger 2.0 document in place into the OpenAPI 3.0 shapes the importer maps.
pub fn to_3_0(document: &mut Json, notes: &mut Vec<Note>) {
    let Some(root) = document.as_object_mut() else { return };
    extensions(root, notes);
    let consumes = media_list(root.get("consumes"));
    let produces = media_list(root.get("produces"));
    let global_parameters = root.remove("parameters").and_then(into_object).unwrap_or_default();

    let mut components = Map::new();
    if let Some(definitions) = root.remove("definitions") {
        components.insert("schemas".into(), definitions);
    }
    let parameters: Map<String, Json> = global_parameters
        .iter()
        .filter(|(_, p)| !matches!(p.get("in").and_then(Json::as_str), Some("body" | "formData")))
        .map(|(name, p)| (name.clone(), lower_parameter(p.clone())))
        .collect();
    if !parameters.is_empty() {
        components.insert("parameters".into(), Json::Object(parameters));
    }
    if let Some(Json::Object(responses)) = root.remove("responses") {
        let converted = responses.into_iter().map(|(name, r)| (name, response(r, &produces))).collect();
        components.insert("responses".into(), Json::Object(converted));
    }
    if let Some(Json::Object(definitions)) = root.remove("securityDefinitions") {
        let schemes = definitions.into_iter().map(|(name, s)| (name, security_scheme(s))).collect();
        components.insert("securitySchemes".into(), Json::Object(schemes));
    }

    // Servers from host, basePath and schemes.
    let host = root.remove("host").and_then(|h| h.as_str().map(str::to_owned));
    let base_path = root.remove("basePath").and_then(|b| b.as_str().map(str::to_owned)).unwrap_or_default();
    let scheme = root
        .remove("schemes")
        .and_then(|s| s.as_array().and_then(|s| s.first()).and_then(Json::as_str).map(str::to_owned))
        .unwrap_or_else(|| "https".into());
    let url = match host {
        Some(host) => format!("{scheme}://{host}{base_path}"),
        None => base_path,
    };
    if !url.is_empty() {
        root.insert("servers".into(), json!([{ "url": url }]));
    }

    if let Some(Json::Object(paths)) = root.get_mut("paths") {
        for (key, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            let shared = item.remove("parameters").and_then(into_array).unwrap_or_default();
            let item_pointer = format!("/paths/{}", super::escape(key));
            for (method, operation) in item.iter_mut() {
                if !["get", "put", "post", "delete", "patch", "head", "options"].contains(&method.as_str()) {
                    continue;
                }
                let Some(operation) = operation.as_object_mut() else { continue };
                let places = Places { item: &item_pointer, operation: &format!("{item_pointer}/{method}") };
                lower_operation(operation, &shared, &global_parameters, &consumes, &produces, places);
            }
        }
    }
    root.remove("swagger");
    root.remove("consumes");
    root.remove("produces");
    root.insert("openapi".into(), Json::String("3.0.3".into()));
    root.insert("components".into(), Json::Object(components));
    let paths_missing = !root.contains_key("paths");
    if paths_missing {
        root.insert("paths".into(), json!({}));
    }
    schemas(document);
    references(document);
}

fn into_object(value: Json) -> Option<Map<String, Json>> {
    match value {
        Json::Object(object) => Some(object),
        _ => None,
    }
}

fn into_array(value: Json) -> Option<Vec<Json>> {
    match value {
        Json::Array(items) => Some(items),
        _ => None,
    }
}

fn media_list(value: Option<&Json>) -> Vec<String> {
    value.and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str).map(str::to_owned).collect()
}

/// Where an operation and its path item are in the 2.0 document.
struct Places<'p> {
    item: &'p str,
    operation: &'p str,
}

/// Member of a lowered request body naming the 2.0 body parameter it was made from, so that
/// what is reported about the body points into the 2.0 document.
const BODY_PARAMETER: &str = "x-swagger2-body-parameter";

fn lower_operation(
    operation: &mut Map<String, Json>,
    shared: &[Json],
    global: &Map<String, Json>,
    consumes: &[String],
    produces: &[String],
    places: Places<'_>,
) {
    let consumes = match operation.remove("consumes") {
        Some(list) => media_list(Some(&list)),
        None => consumes.to_vec(),
    };
    let produces = match operation.remove("produces") {
        Some(list) => media_list(Some(&list)),
        None => produces.to_vec(),
    };
    let own = operation.remove("parameters").and_then(into_array).unwrap_or_default();
    let mut parameters = Vec::new();
    let mut body: Option<(Json, String)> = None;
    let mut form: Vec<Json> = Vec::new();
    let at = |index: usize| match index.checked_sub(shared.len()) {
        None => format!("{}/parameters/{index}", places.item),
        Some(own) => format!("{}/parameters/{own}", places.operation),
    };
    for (index, parameter) in shared.iter().chain(&own).enumerate() {
        // `#/parameters/X` names a global parameter, which may be a body.
        let resolved = parameter
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| r.strip_prefix("#/parameters/"))
            .and_then(|name| global.get(&super::unescape(name)))
            .unwrap_or(parameter);
        match resolved.get("in").and_then(Json::as_str) {
            Some("body") => {
                let pointer = match parameter.get("$ref").and_then(Json::as_str) {
                    Some(reference) => reference.trim_start_matches('#').to_owned(),
                    None => at(index),
                };
                body = Some((resolved.clone(), pointer));
            }
            Some("formData") => form.push(resolved.clone()),
            _ if parameter.get("$ref").is_some() => parameters.push(parameter.clone()),
            _ => parameters.push(lower_parameter(parameter.clone())),
        }
    }
    if !parameters.is_empty() {
        operation.insert("parameters".into(), Json::Array(parameters));
    }
    let media = |list: &[String], fallback: &str| {
        if list.is_empty() {
            vec![fallback.to_owned()]
        } else {
            list.to_vec()
        }
    };
    if let Some((body, body_pointer)) = body {
        let schema = body.get("schema").cloned().unwrap_or_else(|| json!({}));
        let content: Map<String, Json> = media(&consumes, "application/json")
            .into_iter()
            .filter(|m| !m.starts_with("multipart/") && m != "application/x-www-form-urlencoded")
            .map(|m| (m, json!({ "schema": schema })))
            .collect();
        let mut request = Map::new();
        if let Some(description) = body.get("description") {
            request.insert("description".into(), description.clone());
        }
        request.insert("required".into(), body.get("required").cloned().unwrap_or(Json::Bool(false)));
        request.insert("content".into(), Json::Object(content));
        request.insert(BODY_PARAMETER.into(), Json::String(body_pointer));
        operation.insert("requestBody".into(), Json::Object(request));
    } else if !form.is_empty() {
        let multipart = form.iter().any(|p| p.get("type") == Some(&Json::String("file".into())))
            || consumes.iter().any(|m| m.starts_with("multipart/form-data"));
        let mut properties = Map::new();
        let mut required = Vec::new();
        for field in &form {
            let name = field.get("name").and_then(Json::as_str).unwrap_or_default().to_owned();
            if field.get("required") == Some(&Json::Bool(true)) {
                required.push(Json::String(name.clone()));
            }
            let mut schema = schema_of(field);
            if let Some(description) = field.get("description") {
                schema.insert("description".into(), description.clone());
            }
            properties.insert(name, Json::Object(schema));
        }
        let media_type = if multipart { "multipart/form-data" } else { "application/x-www-form-urlencoded" };
        let schema = json!({ "type": "object", "properties": properties, "required": required });
        operation.insert(
            "requestBody".into(),
            json!({ "required": !required.is_empty(), "content": { media_type: { "schema": schema } } }),
        );
    }
    if let Some(Json::Object(responses)) = operation.remove("responses") {
        let produces = media(&produces, "application/json");
        let converted = responses.into_iter().map(|(status, r)| (status, response(r, &produces))).collect();
        operation.insert("responses".into(), Json::Object(converted));
    }
}

/// The schema keywords of a 2.0 non-body parameter, header or items object.
fn schema_of(parameter: &Json) -> Map<String, Json> {
    let mut schema = Map::new();
    for key in [
        "type",
        "format",
        "items",
        "enum",
        "default",
        "maximum",
        "minimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "multipleOf",
    ] {
        if let Some(value) = parameter.get(key) {
            schema.insert(key.into(), value.clone());
        }
    }
    if schema.get("type") == Some(&Json::String("file".into())) {
        schema.insert("type".into(), Json::String("string".into()));
        schema.insert("format".into(), Json::String("binary".into()));
    }
    if let Some(Json::Object(items)) = schema.get("items").cloned() {
        schema.insert("items".into(), Json::Object(schema_of(&Json::Object(items))));
    }
    schema
}

/// A non-body parameter: its type keywords move into `schema`; `collectionFormat` becomes
/// `style`/`explode` (2.0 lists are comma-separated unless `multi`).
fn lower_parameter(parameter: Json) -> Json {
    let Json::Object(mut object) = parameter else { return parameter };
    if object.contains_key("$ref") {
        return Json::Object(object);
    }
    let schema = schema_of(&Json::Object(object.clone()));
    let is_array = schema.get("type") == Some(&Json::String("array".into()));
    let format = object.get("collectionFormat").and_then(Json::as_str).unwrap_or("csv").to_owned();
    let mut lowered = Map::new();
    for key in ["name", "in", "description", "required"] {
        if let Some(value) = object.remove(key) {
            lowered.insert(key.into(), value);
        }
    }
    for (key, value) in object {
        if key.starts_with("x-") {
            lowered.insert(key, value);
        }
    }
    lowered.insert("schema".into(), Json::Object(schema));
    if is_array {
        lowered.insert("explode".into(), Json::Bool(format == "multi"));
        if !matches!(format.as_str(), "csv" | "multi") {
            let style = match format.as_str() {
                "ssv" => "spaceDelimited",
                "pipes" => "pipeDelimited",
                _ => "tabDelimited",
            };
            lowered.insert("style".into(), Json::String(style.into()));
        }
    }
    Json::Object(lowered)
}

fn response(response: Json, produces: &[String]) -> Json {
    let Json::Object(mut object) = response else { return response };
    if object.contains_key("$ref") {
        return Json::Object(object);
    }
    // `examples` is a body per media type: each goes with its media type's content (3.0's
    // `content.<media>.example`), one the operation does not produce too.
    let examples = match object.remove("examples") {
        Some(Json::Object(examples)) => examples,
        _ => Map::new(),
    };
    if let Some(schema) = object.remove("schema") {
        let mut content: Map<String, Json> =
            produces.iter().map(|m| (m.clone(), json!({ "schema": schema }))).collect();
        for (media_type, example) in examples {
            let entry = content.entry(media_type).or_insert_with(|| json!({ "schema": schema }));
            if let Json::Object(entry) = entry {
                entry.insert("example".into(), example);
            }
        }
        object.insert("content".into(), Json::Object(content));
    } else if !examples.is_empty() {
        // No body type to check them against: kept where the notes on extensions find them.
        object.insert("x-examples".into(), Json::Object(examples));
    }
    if let Some(Json::Object(headers)) = object.remove("headers") {
        let converted: Map<String, Json> = headers
            .into_iter()
            .map(|(name, header)| {
                let mut lowered = Map::new();
                if let Some(description) = header.get("description") {
                    lowered.insert("description".into(), description.clone());
                }
                lowered.insert("schema".into(), Json::Object(schema_of(&header)));
                (name, Json::Object(lowered))
            })
            .collect();
        object.insert("headers".into(), Json::Object(converted));
    }
    Json::Object(object)
}

fn security_scheme(scheme: Json) -> Json {
    let Json::Object(object) = scheme else { return scheme };
    match object.get("type").and_then(Json::as_str) {
        Some("basic") => json!({ "type": "http", "scheme": "basic" }),
        Some("oauth2") => {
            let flow = match object.get("flow").and_then(Json::as_str) {
                Some("password") => "password",
                Some("application") => "clientCredentials",
                Some("accessCode") => "authorizationCode",
                _ => "implicit",
            };
            let mut details = Map::new();
            for key in ["tokenUrl", "authorizationUrl", "scopes"] {
                if let Some(value) = object.get(key) {
                    details.insert(key.into(), value.clone());
                }
            }
            json!({ "type": "oauth2", "flows": { flow: details } })
        }
        _ => Json::Object(object),
    }
}

/// Schema keywords 2.0 spells differently: `x-nullable`, a `discriminator` that is a property
/// name, `type: file`. Iterative: documents nest up to 128 levels.
fn schemas(document: &mut Json) {
    let mut stack = vec![document];
    while let Some(value) = stack.pop() {
        match value {
            Json::Object(object) => {
                if object.remove("x-nullable") == Some(Json::Bool(true)) {
                    object.insert("nullable".into(), Json::Bool(true));
                }
                if let Some(Json::String(property)) = object.get("discriminator") {
                    let property = property.clone();
                    object.insert("discriminator".into(), json!({ "propertyName": property }));
                }
                if object.get("type") == Some(&Json::String("file".into())) {
                    object.insert("type".into(), Json::String("string".into()));
                    object.insert("format".into(), Json::String("binary".into()));
                }
                stack.extend(object.values_mut());
            }
            Json::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// `$ref`s into 2.0 sections point to their 3.0 places.
fn references(document: &mut Json) {
    let mut stack = vec![document];
    while let Some(value) = stack.pop() {
        match value {
            Json::Object(object) => {
                if let Some(Json::String(reference)) = object.get_mut("$ref") {
                    for (old, new) in [
                        ("#/definitions/", "#/components/schemas/"),
                        ("#/parameters/", "#/components/parameters/"),
                        ("#/responses/", "#/components/responses/"),
                    ] {
                        if let Some(rest) = reference.strip_prefix(old) {
                            *reference = format!("{new}{rest}");
                            break;
                        }
                    }
                }
                stack.extend(object.values_mut());
            }
            Json::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// Vendor extensions (`x-…`) are not mapped: each name is reported once, where it first occurs.
fn extensions(root: &Map<String, Json>, notes: &mut Vec<Note>) {
    let mut found: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut stack: Vec<(&Json, String)> = root.iter().map(|(k, v)| (v, format!("/{}", escape(k)))).collect();
    for key in root.keys().filter(|k| k.starts_with("x-")) {
        found.entry(key.clone()).or_insert_with(|| (format!("/{}", escape(key)), 0)).1 += 1;
    }
    while let Some((value, pointer)) = stack.pop() {
        match value {
            Json::Object(object) => {
                for (key, child) in object {
                    let child_pointer = format!("{pointer}/{}", escape(key));
                    if key.starts_with("x-") && key != "x-nullable" {
                        let entry = found.entry(key.clone()).or_insert_with(|| (child_pointer.clone(), 0));
                        entry.1 += 1;
                        if child_pointer < entry.0 {
                            entry.0 = child_pointer.clone();
                        }
                    }
                    stack.push((child, child_pointer));
                }
            }
            Json::Array(items) => {
                stack.extend(items.iter().enumerate().map(|(i, item)| (item, format!("{pointer}/{i}"))));
            }
            _ => {}
        }
    }
    for (name, (pointer, count)) in found {
        let places = if count == 1 { String::new() } else { format!(" (and {} more places)", count - 1) };
        notes.push(Note { pointer, message: format!("extension `{name}` is not mapped{places}") });
    }
}

/// A pointer into the lowered `document`, in the terms of the 2.0 document it came from; a body
/// is its body parameter (`…/post/parameters/0/schema/…`).
pub fn original_pointer_in(document: &Json, pointer: &str) -> String {
    if let Some(index) = pointer.find("/requestBody") {
        let body = document.pointer(&format!("{}/requestBody/{BODY_PARAMETER}", &pointer[..index]));
        if let Some(body) = body.and_then(Json::as_str) {
            let rest = &pointer[index + "/requestBody".len()..];
            // `/content/<media type>/schema/…` was the parameter's `/schema/…`.
            let inner = rest.strip_prefix("/content/").map(|after| after.find('/').map_or("", |slash| &after[slash..]));
            return format!("{body}{}", inner.unwrap_or_default());
        }
    }
    original_pointer(pointer)
}

/// A pointer into the lowered document, in the terms of the 2.0 document it came from.
pub fn original_pointer(pointer: &str) -> String {
    let mut pointer = pointer.to_owned();
    for (new, old) in [
        ("/components/schemas", "/definitions"),
        ("/components/parameters", "/parameters"),
        ("/components/responses", "/responses"),
        ("/components/securitySchemes", "/securityDefinitions"),
    ] {
        if let Some(rest) = pointer.strip_prefix(new) {
            pointer = format!("{old}{rest}");
        }
    }
    // A body's schema was the body parameter's; a response's content its `schema`.
    if let Some(index) = pointer.find("/requestBody") {
        pointer.truncate(index);
        pointer.push_str("/parameters");
    }
    if let Some(index) = pointer.find("/content/") {
        let after = &pointer[index + "/content/".len()..];
        let rest = after.find('/').map(|slash| after[slash..].to_owned()).unwrap_or_default();
        pointer = format!("{}{rest}", &pointer[..index]);
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_parameter_becomes_a_request_body_in_each_consumed_type() {
        let mut document = json!({
            "swagger": "2.0",
            "host": "example.com:8443",
            "basePath": "/api/v1",
            "consumes": ["application/json"],
            "produces": ["application/json"],
            "definitions": {"Pet": {"type": "object", "x-nullable": true, "properties": {"id": {"type": "integer"}}}},
            "paths": {"/pets/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "integer"}],
                "put": {
                    "parameters": [
                        {"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}},
                        {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Pet"}}}
                }
            }}
        });
        let mut notes = Vec::new();
        to_3_0(&mut document, &mut notes);
        assert_eq!(document["openapi"], "3.0.3");
        assert_eq!(document["servers"][0]["url"], "https://example.com:8443/api/v1");
        let put = &document["paths"]["/pets/{id}"]["put"];
        assert_eq!(put["requestBody"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Pet");
        assert_eq!(put["parameters"][0]["schema"]["type"], "integer");
        assert_eq!(put["parameters"][1]["explode"], false, "2.0 lists are comma-separated by default");
        assert_eq!(
            put["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Pet"
        );
        assert_eq!(document["components"]["schemas"]["Pet"]["nullable"], true);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(original_pointer("/components/schemas/Pet/properties/id"), "/definitions/Pet/properties/id");
        assert_eq!(
            original_pointer("/paths/~1pets/put/requestBody/content/application~1json/schema"),
            "/paths/~1pets/put/parameters"
        );
        assert_eq!(
            original_pointer("/paths/~1pets/put/responses/200/content/application~1json/schema/items"),
            "/paths/~1pets/put/responses/200/schema/items"
        );
    }
}
