//! Random valid specs: every construct of the spec language, with names drawn from the ones that
//! trip generators (std and prelude names, keywords, the client's own names, names that collide
//! after case conversion) and hostile text in docs and wire values.
//!
//! Driven by [`arbitrary::Unstructured`]: a seed gives the same spec on every platform
//! ([`from_seed`]), and a fuzzer can drive the same generator with its own bytes. Every spec it
//! makes must resolve, and the crate generated from it must compile without warnings.

use std::collections::{BTreeMap, HashSet};

use arbitrary::{Result, Unstructured};
use serde_json::{json, Map, Value};

use crate::resolve::{type_name, value_name, CLIENT_METHODS};

/// Names schemas, fields, operations and parameters are drawn from.
const NAMES: &[&str] = &[
    "Box",
    "Option",
    "String",
    "Vec",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "From",
    "Into",
    "AsRef",
    "ToOwned",
    "Send",
    "Self",
    "self",
    "super",
    "crate",
    "type",
    "match",
    "async",
    "fn",
    "r#",
    "client",
    "body",
    "send",
    "into_future",
    "error",
    "Error",
    "new",
    "with_new",
    "as_str",
    "VALUES",
    "Unknown",
    "unknown",
    "json_members",
    "requests",
    "Client",
    "ClientBuilder",
    "transport",
    "id",
    "Id",
    "ID",
    "_links",
    "$ref",
    "x-api-version",
    "a-b",
    "a_b",
    "aB",
    "Name",
    "name",
    "data",
    "value",
    "Value",
    "items",
    "list",
    "map",
    "BTreeMap",
    "Pin",
    "Future",
    "std",
    "core",
    "serde",
    "Serialize",
    "Deserialize",
    "Debug",
    "Clone",
    "Hash",
];

/// Text for descriptions and wire values: quotes, comment ends, control and bidi characters,
/// code fences, HTML.
const TEXTS: &[&str] = &[
    "plain",
    "with \"quotes\" and 'apostrophes'",
    "*/ ends a comment",
    "line\nbreak",
    "carriage\rreturn",
    "bidi \u{202E} override",
    "```\nfn not_rust(\n```",
    "    indented block",
    "<b>unclosed",
    "tab\there",
    "back\\slash",
    "{braces}",
    "emoji 🦀",
    "",
    " ",
    "日本語",
    "\u{0}nul",
];

/// A spec folder's APIs: `(api name, files)` each.
pub struct RandomSpec {
    pub apis: Vec<(String, BTreeMap<String, String>)>,
}

/// The spec for `seed`: bytes from a splitmix64 stream drive the generator.
pub fn from_seed(seed: u64) -> RandomSpec {
    let mut state = seed;
    let bytes: Vec<u8> = (0..8192)
        .flat_map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)).to_le_bytes()
        })
        .collect();
    let mut u = Unstructured::new(&bytes);
    let name = format!("random_{seed}");
    let api = api(&mut u, &name).unwrap_or_else(|_| fallback(&name));
    RandomSpec { apis: vec![api] }
}

/// One API folder from arbitrary bytes (for fuzzers).
pub fn api_from(u: &mut Unstructured, name: &str) -> Result<(String, BTreeMap<String, String>)> {
    api(u, name)
}

/// The smallest valid API, for when the bytes run out before anything was chosen.
fn fallback(name: &str) -> (String, BTreeMap<String, String>) {
    let api = json!({"api": {"name": name, "title": "Fallback", "base_path": "/", "formats": {"supported": ["json"], "default": "json"}}});
    (name.to_owned(), BTreeMap::from([("api.yaml".to_owned(), to_yaml(&api))]))
}

fn to_yaml(value: &Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Naming {
    Type,
    Value,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    Enum,
    String,
}

/// A name from the pool, or a made-up one, that becomes a Rust name not used yet.
fn pick_name(u: &mut Unstructured, taken: &mut HashSet<String>, kind: Naming) -> Result<String> {
    for attempt in 0..8 {
        let base =
            if u.ratio(3, 4)? { (*u.choose(NAMES)?).to_owned() } else { format!("n{}", u.int_in_range(0..=999u32)?) };
        let name = if attempt == 0 { base } else { format!("{base}{attempt}") };
        let rust = match kind {
            Naming::Type => type_name(&name).map(|i| i.to_string()),
            Naming::Value => value_name(&name).map(|i| i.to_string()),
        };
        let Ok(rust) = rust else { continue };
        if kind == Naming::Value && CLIENT_METHODS.contains(&rust.as_str()) {
            continue;
        }
        if taken.insert(rust) {
            return Ok(name);
        }
    }
    let name = format!("z{}", taken.len());
    taken.insert(name.clone());
    Ok(name)
}

fn text(u: &mut Unstructured) -> Result<String> {
    Ok((*u.choose(TEXTS)?).to_owned())
}

/// A type expression: a primitive, a schema, or lists and maps of them.
fn ty(u: &mut Unstructured, schemas: &[(String, Kind)], xml: bool, depth: usize) -> Result<String> {
    let choice = u.int_in_range(0..=9u8)?;
    if depth < 3 && choice == 0 {
        // XML lists hold single items, not lists.
        let inner = if xml { leaf(u, schemas, xml)? } else { ty(u, schemas, xml, depth + 1)? };
        return Ok(format!("list<{inner}>"));
    }
    if depth < 3 && choice == 1 && !xml {
        return Ok(format!("map<{}>", ty(u, schemas, xml, depth + 1)?));
    }
    leaf(u, schemas, xml)
}

fn leaf(u: &mut Unstructured, schemas: &[(String, Kind)], xml: bool) -> Result<String> {
    if !schemas.is_empty() && u.ratio(1, 3)? {
        return Ok(u.choose(schemas)?.0.clone());
    }
    let primitives: &[&str] = if xml {
        &["string", "int32", "int64", "number", "boolean", "uuid", "date-time", "date", "uri"]
    } else {
        &["string", "int32", "int64", "number", "boolean", "uuid", "date-time", "date", "uri", "any"]
    };
    Ok((*u.choose(primitives)?).to_owned())
}

/// A type for an attribute, text or parameter: one simple value.
fn simple(u: &mut Unstructured, schemas: &[(String, Kind)]) -> Result<String> {
    let simple: Vec<&(String, Kind)> = schemas.iter().filter(|(_, kind)| *kind != Kind::Object).collect();
    if !simple.is_empty() && u.ratio(1, 3)? {
        return Ok(u.choose(&simple)?.0.clone());
    }
    let primitives = ["string", "int32", "int64", "boolean", "uuid", "date-time", "date"];
    Ok((*u.choose(&primitives)?).to_owned())
}

fn api(u: &mut Unstructured, name: &str) -> Result<(String, BTreeMap<String, String>)> {
    let xml = u.ratio(1, 3)?;
    let formats = if xml {
        let default = if u.arbitrary()? { "xml" } else { "json" };
        json!({"supported": ["json", "xml"], "default": default})
    } else {
        json!({"supported": ["json"], "default": "json"})
    };

    // Schema names and kinds first: fields may refer to any schema, itself included.
    let mut type_names = HashSet::new();
    let mut schemas: Vec<(String, Kind)> = Vec::new();
    for _ in 0..u.int_in_range(1..=10usize)? {
        let schema = pick_name(u, &mut type_names, Naming::Type)?;
        let kind = *u.choose(&[Kind::Object, Kind::Object, Kind::Enum, Kind::String])?;
        schemas.push((schema, kind));
    }
    let mut schema_values = Map::new();
    for (schema, kind) in &schemas {
        let mut body = Map::new();
        body.insert("description".into(), text(u)?.into());
        match kind {
            Kind::Object => {
                body.insert("kind".into(), "object".into());
                body.insert("fields".into(), fields(u, &schemas, xml)?.into());
            }
            Kind::Enum => {
                body.insert("kind".into(), "enum".into());
                let mut seen = HashSet::new();
                let mut values = Vec::new();
                for _ in 0..u.int_in_range(1..=6usize)? {
                    let value = if u.arbitrary()? { text(u)? } else { (*u.choose(NAMES)?).to_owned() };
                    if seen.insert(value.clone()) {
                        values.push(json!({"value": value, "description": text(u)?}));
                    }
                }
                body.insert("values".into(), values.into());
            }
            Kind::String => {
                body.insert("kind".into(), "string".into());
            }
        }
        schema_values.insert(schema.clone(), body.into());
    }

    let objects: Vec<String> =
        schemas.iter().filter(|(_, kind)| *kind == Kind::Object).map(|(name, _)| name.clone()).collect();
    let error_type = if !objects.is_empty() && u.arbitrary()? { Some(u.choose(&objects)?.clone()) } else { None };
    let mut method_names = HashSet::new();
    let mut operations = Map::new();
    for index in 0..u.int_in_range(0..=8usize)? {
        let id = pick_name(u, &mut method_names, Naming::Value)?;
        operations.insert(id, operation(u, index, &schemas, &objects, error_type.as_deref(), xml)?);
    }
    let auth = auth(u, &mut operations, &mut method_names)?;
    let mut api = json!({
        "name": name,
        "title": text(u)?,
        "description": text(u)?,
        "base_path": *u.choose(&["/", "/api", "/api/v1/"])?,
        "formats": formats,
    });
    if xml {
        api["xml_namespace"] = "http://example.com/\"ns\"".into();
    }
    if let Some(auth) = auth {
        api["auth"] = auth;
    }
    if u.arbitrary()? {
        api["headers"] = json!({"x-api-version": "1.0-rev0"});
    }
    let files = BTreeMap::from([
        ("api.yaml".to_owned(), to_yaml(&json!({"api": api}))),
        ("schemas.yaml".to_owned(), to_yaml(&json!({"schemas": schema_values}))),
        ("operations.yaml".to_owned(), to_yaml(&json!({"operations": operations}))),
    ]);
    Ok((name.to_owned(), files))
}

fn fields(u: &mut Unstructured, schemas: &[(String, Kind)], xml: bool) -> Result<Map<String, Value>> {
    let mut taken = HashSet::new();
    let mut fields = Map::new();
    let mut text_taken = false;
    for _ in 0..u.int_in_range(0..=7usize)? {
        let field = pick_name(u, &mut taken, Naming::Value)?;
        let mut body = Map::new();
        let role = if xml { u.int_in_range(0..=4u8)? } else { 0 };
        match role {
            1 => {
                body.insert("type".into(), simple(u, schemas)?.into());
                body.insert("xml".into(), json!({"attribute": true}));
            }
            2 if !text_taken => {
                text_taken = true;
                body.insert("type".into(), simple(u, schemas)?.into());
                body.insert("xml".into(), json!({"text": true}));
            }
            3 => {
                let item = leaf(u, schemas, xml)?;
                body.insert("type".into(), format!("list<{item}>").into());
                body.insert("xml".into(), json!({"item": format!("{field}Item")}));
                if u.arbitrary()? {
                    body.insert(
                        "json".into(),
                        json!({"wrapper": format!("{field}Items"), "wrapper_aliases": ["items"]}),
                    );
                }
            }
            _ => {
                body.insert("type".into(), ty(u, schemas, xml, 0)?.into());
            }
        }
        body.insert("required".into(), u.arbitrary::<bool>()?.into());
        body.insert("nullable".into(), u.ratio(1, 5)?.into());
        body.insert("sensitive".into(), u.ratio(1, 5)?.into());
        body.insert("description".into(), text(u)?.into());
        fields.insert(field, body.into());
    }
    Ok(fields)
}

fn operation(
    u: &mut Unstructured,
    index: usize,
    schemas: &[(String, Kind)],
    objects: &[String],
    error_type: Option<&str>,
    xml: bool,
) -> Result<Value> {
    let method = *u.choose(&["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"])?;
    let mut parameters = Map::new();
    let mut taken = HashSet::new();
    let mut path = format!("/things{index}");
    for _ in 0..u.int_in_range(0..=2usize)? {
        let name = pick_name(u, &mut taken, Naming::Value)?;
        if !name.bytes().all(|b| b.is_ascii_graphic() && !b"{}?#%/".contains(&b)) {
            continue;
        }
        path.push_str(&format!("/{{{name}}}"));
        parameters.insert(name, json!({"in": "path", "type": simple(u, schemas)?, "sensitive": u.ratio(1, 4)?}));
    }
    for _ in 0..u.int_in_range(0..=4usize)? {
        let name = pick_name(u, &mut taken, Naming::Value)?;
        let location = if u.ratio(1, 4)? { "header" } else { "query" };
        if location == "header" && !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b)) {
            continue;
        }
        let mut parameter = Map::new();
        parameter.insert("in".into(), location.into());
        let mut list = false;
        if location == "query" && u.ratio(1, 3)? {
            list = true;
            parameter.insert("type".into(), format!("list<{}>", simple(u, schemas)?).into());
            parameter.insert("list_format".into(), (*u.choose(&["repeat", "csv"])?).into());
        } else {
            parameter.insert("type".into(), simple(u, schemas)?.into());
        }
        parameter.insert("required".into(), u.arbitrary::<bool>()?.into());
        if !list && u.ratio(1, 6)? {
            parameter.insert("value".into(), "fixed \"value\" & more".into());
        }
        parameters.insert(name, parameter.into());
    }
    let mut operation = json!({
        "method": method,
        "path": path,
        "summary": text(u)?,
        "description": text(u)?,
        "parameters": parameters,
    });
    let body_types: Vec<String> = if xml {
        objects.to_vec()
    } else {
        let mut all: Vec<String> = schemas.iter().map(|(name, _)| name.clone()).collect();
        all.push("list<string>".into());
        all
    };
    if !body_types.is_empty() && u.arbitrary()? {
        operation["request"] = json!({"schema": u.choose(&body_types)?, "description": text(u)?});
    }
    let body = if !body_types.is_empty() && u.arbitrary()? { Some(u.choose(&body_types)?.clone()) } else { None };
    let mut responses = Map::new();
    for status in ["200", "201", "204"] {
        if responses.is_empty() || u.ratio(1, 3)? {
            let mut response = Map::new();
            if status != "204" && method != "HEAD" {
                if let Some(body) = &body {
                    response.insert("schema".into(), body.clone().into());
                }
            }
            if u.ratio(1, 4)? {
                response
                    .insert("headers".into(), json!({"Location": {"type": "string"}, "x-count": {"type": "int32"}}));
            }
            responses.insert(status.into(), response.into());
        }
    }
    operation["responses"] = responses.into();
    if let Some(error_type) = error_type {
        operation["errors"] = json!({"404": {"schema": error_type}, "default": {"schema": error_type}});
    }
    Ok(operation)
}

/// An authentication scheme, adding the operations it needs.
fn auth(
    u: &mut Unstructured,
    operations: &mut Map<String, Value>,
    taken: &mut HashSet<String>,
) -> Result<Option<Value>> {
    let mut add = |u: &mut Unstructured, operation: Value| -> Result<String> {
        let id = pick_name(u, taken, Naming::Value)?;
        operations.insert(id.clone(), operation);
        Ok(id)
    };
    Ok(match u.int_in_range(0..=4u8)? {
        0 => None,
        1 => Some(json!({"basic": {}})),
        2 => Some(json!({"api_key": {"header": "X-Key"}})),
        3 => {
            let token = add(
                u,
                json!({"method": "POST", "path": "/token", "authenticated": false,
                       "request": {"schema": "map<string>", "formats": ["json"]}, "responses": {"200": {}}}),
            )?;
            let logout = add(u, json!({"method": "DELETE", "path": "/token", "responses": {"204": {}}}))?;
            Some(json!({"bearer": {"token_operation": token, "logout_operation": logout}}))
        }
        _ => {
            let logon = add(
                u,
                json!({"method": "POST", "path": "/sessions", "authenticated": false, "responses": {"201": {}}}),
            )?;
            let logout = add(
                u,
                json!({"method": "DELETE", "path": "/sessions/{id}",
                       "parameters": {"id": {"in": "path", "type": "string", "sensitive": true}},
                       "responses": {"204": {}}}),
            )?;
            Some(json!({"session": {"header": "X-Session", "logon_operation": logon, "logout_operation": logout}}))
        }
    })
}

/// Writes a spec folder holding one API per seed (`random_<seed>`), with `crate.yaml` naming
/// `package` and the runtime at `runtime_path` (relative to the folder).
pub fn write_folder(
    seeds: std::ops::Range<u64>,
    dir: &std::path::Path,
    package: &str,
    runtime_path: &str,
) -> std::io::Result<()> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let krate = json!({"crate": {
        "name": package,
        "version": "0.0.0",
        "description": format!("APIs generated from random specs, seeds {}..{}", seeds.start, seeds.end),
        "runtime": {"package": "veeam-runtime", "path": runtime_path},
    }});
    let header = "# Written by `cargo xtask random-specs`; do not edit.\n";
    std::fs::write(dir.join("crate.yaml"), format!("{header}{}", to_yaml(&krate)))?;
    for seed in seeds {
        for (name, files) in from_seed(seed).apis {
            let folder = dir.join(&name);
            std::fs::create_dir_all(&folder)?;
            for (file, text) in files {
                std::fs::write(folder.join(file), format!("{header}{text}"))?;
            }
        }
    }
    Ok(())
}
