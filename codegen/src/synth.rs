//! A deterministic synthetic API for benchmarks and scaling tests: `n` schemas (objects of eight
//! fields of mixed types with nested references and lists, and every tenth an enum) and about
//! `2n` operations (get and create, and for every tenth object list, update and delete). Errors
//! are `4XX` responses, not `default`: progenitor, which `cargo xtask bench` compares with, takes
//! a `default` response for a success type too and refuses two success types.

pub mod random;

use std::path::Path;

use serde_json::{json, Map, Value};

/// A small linear congruential generator: the same `n` gives the same document on every platform.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

fn is_enum(i: usize) -> bool {
    i % 10 == 9
}

fn name(i: usize) -> String {
    if is_enum(i) {
        format!("Status{i}")
    } else {
        format!("Resource{i}")
    }
}

/// The OpenAPI 3.0 document, as YAML.
pub fn openapi(n: usize) -> String {
    let mut random = Lcg(n as u64);
    let mut schemas = Map::new();
    let mut paths = Map::new();
    for i in 0..n {
        let schema_name = name(i);
        if is_enum(i) {
            let values: Vec<String> = (0..5).map(|v| format!("state{v}")).collect();
            schemas.insert(
                schema_name,
                json!({"type": "string", "description": format!("States of kind {i}."), "enum": values}),
            );
            continue;
        }
        let mut properties = Map::new();
        properties.insert("id".into(), json!({"type": "string", "format": "uuid", "description": "Identifier."}));
        properties.insert("name".into(), json!({"type": "string", "description": "Display name."}));
        properties.insert("count".into(), json!({"type": "integer", "format": "int32"}));
        properties.insert("total".into(), json!({"type": "integer", "format": "int64"}));
        properties.insert("enabled".into(), json!({"type": "boolean"}));
        properties.insert("created".into(), json!({"type": "string", "format": "date-time"}));
        if i > 0 {
            let target = random.below(i);
            let reference = json!({"$ref": format!("#/components/schemas/{}", name(target))});
            properties.insert("related".into(), reference);
            let other = random.below(i);
            if is_enum(other) {
                properties.insert(
                    "states".into(),
                    json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{}", name(other))}}),
                );
            } else {
                properties.insert(
                    "children".into(),
                    json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{}", name(other))}}),
                );
            }
        } else {
            properties.insert("ratio".into(), json!({"type": "number"}));
            properties.insert("tags".into(), json!({"type": "array", "items": {"type": "string"}}));
        }
        schemas.insert(
            schema_name.clone(),
            json!({"type": "object", "description": format!("Resource of kind {i}."), "required": ["id", "name"], "properties": properties}),
        );
        let reference = json!({"$ref": format!("#/components/schemas/{schema_name}")});
        let body = json!({"content": {"application/json": {"schema": reference}}});
        let ok = |status: &str| json!({status: {"description": "OK", "content": {"application/json": {"schema": reference}}}});
        let error = json!({"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}});
        let id =
            json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}]);
        let collection = format!("/resources{i}");
        let mut collection_item = json!({
            "post": {"operationId": format!("create{schema_name}"), "requestBody": body, "responses": merge(ok("201"), json!({"4XX": error}))}
        });
        let mut single_item = json!({
            "get": {"operationId": format!("get{schema_name}"), "parameters": id, "responses": merge(ok("200"), json!({"4XX": error}))}
        });
        if i % 10 == 0 {
            collection_item["get"] = json!({
                "operationId": format!("list{schema_name}"),
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}}],
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "array", "items": reference}}}}, "4XX": error}
            });
            single_item["put"] = json!({"operationId": format!("update{schema_name}"), "parameters": id, "requestBody": body, "responses": merge(ok("200"), json!({"4XX": error}))});
            single_item["delete"] = json!({"operationId": format!("delete{schema_name}"), "parameters": id, "responses": {"204": {"description": "Deleted"}, "4XX": error}});
        }
        paths.insert(collection.clone(), collection_item);
        paths.insert(format!("{collection}/{{id}}"), single_item);
    }
    schemas.insert(
        "Problem".into(),
        json!({"type": "object", "required": ["status"], "properties": {"status": {"type": "integer", "format": "int32"}, "detail": {"type": "string"}}}),
    );
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": format!("Synthetic API ({n} schemas)"), "version": "1.0"},
        "servers": [{"url": "https://synth.example:8443/api"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}
    });
    serde_yaml::to_string(&document).unwrap_or_default()
}

fn merge(mut a: Value, b: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

/// A spec folder for `document`: `crate.yaml` (using the runtime at `runtime_dir`) and the
/// imported API in `synth/`.
pub fn spec_folder(document: &str, out: &Path, runtime_dir: &Path) -> Result<(), String> {
    let imported = crate::import::import(document, "synth.yaml", "synth").map_err(|e| e.to_string())?;
    crate::import::write(&imported, &out.join("synth")).map_err(|e| e.to_string())?;
    let runtime = std::path::absolute(runtime_dir).unwrap_or_else(|_| runtime_dir.to_owned());
    let crate_yaml = format!(
        "crate:\n  name: synth-api\n  version: 0.0.0\n  description: Synthetic API\n  runtime:\n    package: veeam-runtime\n    path: {}\n",
        runtime.display()
    );
    std::fs::write(out.join("crate.yaml"), crate_yaml).map_err(|e| format!("{}: {e}", out.display()))
}
