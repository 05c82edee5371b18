//! OpenAPI 3.1 to 3.0, on the JSON tree, for what the importer maps: 3.1 schemas are JSON Schema
//! 2020-12, where `nullable` became a `"null"` type and `example` became `examples`.

use serde_json::{Map, Value};

/// Rewrites a 3.1 document in place into the 3.0 shapes `openapiv3` reads.
pub fn to_3_0(document: &mut Value) {
    if let Some(version) = document.get_mut("openapi") {
        *version = Value::String("3.0.3".into());
    }
    rewrite(document);
}

fn rewrite(value: &mut Value) {
    match value {
        Value::Object(object) => {
            schema(object);
            object.values_mut().for_each(rewrite);
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite),
        _ => {}
    }
}

/// One object that may be a schema.
fn schema(object: &mut Map<String, Value>) {
    // `type: [string, "null"]` -> `type: string, nullable: true`.
    if let Some(Value::Array(types)) = object.get("type") {
        let mut types: Vec<Value> = types.clone();
        let nullable = types.iter().any(|t| t == "null");
        types.retain(|t| t != "null");
        if nullable {
            object.insert("nullable".into(), Value::Bool(true));
        }
        match types.len() {
            0 => {
                object.remove("type");
            }
            1 => {
                object.insert("type".into(), types.remove(0));
            }
            _ if !object.contains_key("oneOf") && !object.contains_key("anyOf") => {
                // Several types: one alternative each, with the keywords that apply to it.
                let alternatives = types
                    .iter()
                    .map(|ty| {
                        let mut alternative = Map::new();
                        alternative.insert("type".into(), ty.clone());
                        let keywords = ty.as_str().map_or(&[][..], keywords_of);
                        for keyword in keywords {
                            if let Some(value) = object.get(*keyword) {
                                alternative.insert((*keyword).to_owned(), value.clone());
                            }
                        }
                        Value::Object(alternative)
                    })
                    .collect();
                object.remove("type");
                for ty in &types {
                    for keyword in ty.as_str().map_or(&[][..], keywords_of) {
                        object.remove(*keyword);
                    }
                }
                object.insert("oneOf".into(), Value::Array(alternatives));
            }
            _ => {
                // Several types beside a `oneOf` of its own: left as it is, and noted by the importer.
            }
        }
    }
    // `anyOf: [X, {type: "null"}]` -> `X` made nullable (kept as a one-item `anyOf`).
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(variants)) = object.get_mut(key) {
            let before = variants.len();
            variants.retain(|v| v.get("type") != Some(&Value::String("null".into())));
            if variants.len() < before {
                object.insert("nullable".into(), Value::Bool(true));
            }
        }
    }
    // `examples: [a, ...]` in a schema -> `example: a`.
    if let Some(Value::Array(examples)) = object.get("examples") {
        if !object.contains_key("example") && object.contains_key("type") {
            if let Some(first) = examples.first().cloned() {
                object.insert("example".into(), first);
            }
            object.remove("examples");
        }
    }
    // `const: x` -> `enum: [x]`.
    if let Some(constant) = object.remove("const") {
        object.insert("enum".into(), Value::Array(vec![constant]));
    }
    // Numeric `exclusiveMinimum`/`exclusiveMaximum` (3.1) are not booleans (3.0): not mapped anyway.
    for key in ["exclusiveMinimum", "exclusiveMaximum"] {
        if object.get(key).is_some_and(Value::is_number) {
            object.remove(key);
        }
    }
}

/// The keywords of a schema that apply to values of one JSON type.
fn keywords_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &["format", "pattern", "minLength", "maxLength", "enum"],
        "integer" | "number" => &["format", "minimum", "maximum", "multipleOf"],
        "array" => &["items", "minItems", "maxItems", "uniqueItems", "prefixItems"],
        "object" => &["properties", "required", "additionalProperties", "minProperties", "maxProperties"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_types_and_examples() {
        let mut document = serde_json::json!({
            "openapi": "3.1.0",
            "components": {"schemas": {"A": {"type": ["string", "null"], "examples": ["x"]},
                                        "B": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]},
                                        "C": {"const": "fixed"}}}
        });
        to_3_0(&mut document);
        assert_eq!(document["openapi"], "3.0.3");
        assert_eq!(
            document["components"]["schemas"]["A"],
            serde_json::json!({"type": "string", "nullable": true, "example": "x"})
        );
        assert_eq!(document["components"]["schemas"]["B"]["nullable"], true);
        assert_eq!(document["components"]["schemas"]["B"]["anyOf"].as_array().unwrap().len(), 1);
        assert_eq!(document["components"]["schemas"]["C"]["enum"], serde_json::json!(["fixed"]));
    }

    #[test]
    fn a_list_of_types_is_a_union_of_them() {
        let mut document = serde_json::json!({
            "openapi": "3.1.0",
            "components": {"schemas": {"Id": {
                "type": ["string", "integer", "null"], "format": "int64", "maxLength": 9, "description": "An id."
            }}}
        });
        to_3_0(&mut document);
        assert_eq!(
            document["components"]["schemas"]["Id"],
            serde_json::json!({
                "description": "An id.",
                "nullable": true,
                "oneOf": [{"type": "string", "format": "int64", "maxLength": 9}, {"type": "integer", "format": "int64"}]
            })
        );
    }
}
