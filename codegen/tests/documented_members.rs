//! The Enterprise Manager spec models every member the reference documents
//! (`spec/enterprise_manager/reference/documented-members.yaml`), and an ID a model holds has the
//! type of the path parameters that take it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_yaml::Value;

fn api() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/enterprise_manager")
}

/// Every spec file of the API, parsed.
fn spec_files() -> Vec<(String, Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(api())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.file_name().unwrap().to_string_lossy().into_owned(), serde_yaml::from_str(&text).unwrap())
        })
        .collect()
}

/// Each schema's fields: wire names (key, `xml.name`, `json.name`) and the declared type.
fn schema_fields() -> BTreeMap<String, Vec<(BTreeSet<String>, String)>> {
    let mut schemas = BTreeMap::new();
    for (_, file) in spec_files() {
        let Some(map) = file.get("schemas").and_then(Value::as_mapping) else { continue };
        for (name, schema) in map {
            let Some(fields) = schema.get("fields").and_then(Value::as_mapping) else { continue };
            let fields = fields
                .iter()
                .map(|(key, field)| {
                    let mut names = BTreeSet::from([key.as_str().unwrap().to_owned()]);
                    for format in ["xml", "json"] {
                        if let Some(name) = field.get(format).and_then(|f| f.get("name")).and_then(Value::as_str) {
                            names.insert(name.to_owned());
                        }
                    }
                    let ty = field.get("type").and_then(Value::as_str).unwrap_or_default().to_owned();
                    (names, ty)
                })
                .collect();
            schemas.insert(name.as_str().unwrap().to_owned(), fields);
        }
    }
    schemas
}

#[test]
fn every_documented_member_is_modelled_or_said_not_to_be() {
    let text = std::fs::read_to_string(api().join("reference/documented-members.yaml")).unwrap();
    let documented: Value = serde_yaml::from_str(&text).unwrap();
    let not_modelled = documented["not_modelled"].as_mapping().unwrap();
    let schemas = schema_fields();
    let mut missing = Vec::new();
    let types = documented["types"].as_mapping().unwrap();
    assert!(types.len() >= 20, "the member lists are read");
    for (schema, entry) in types {
        let schema = schema.as_str().unwrap();
        let Some(fields) = schemas.get(schema) else {
            missing.push(format!("`{schema}` is documented but not in the spec"));
            continue;
        };
        for member in entry["members"].as_sequence().unwrap() {
            let member = member.as_str().unwrap();
            let modelled = fields.iter().any(|(names, _)| names.contains(member));
            let excused = not_modelled.contains_key(Value::from(format!("{schema}.{member}")));
            if !modelled && !excused {
                missing.push(format!("{schema}.{member} ({})", entry["source"].as_str().unwrap()));
            }
        }
    }
    assert!(missing.is_empty(), "documented members missing from the spec:\n{}", missing.join("\n"));
}

/// A path parameter whose description names the model field it takes (`` (`ObjectInJobId`) ``)
/// has that field's type: the value read from one response is passed to the next call as it is.
#[test]
fn ids_a_model_holds_have_the_type_of_the_parameters_that_take_them() {
    let schemas = schema_fields();
    let mut field_types: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for fields in schemas.values() {
        for (names, ty) in fields {
            for name in names {
                field_types.entry(name.as_str()).or_default().insert(ty.as_str());
            }
        }
    }
    let mut checked = 0;
    let mut disagreeing = Vec::new();
    for (file, spec) in spec_files() {
        let Some(operations) = spec.get("operations").and_then(Value::as_mapping) else { continue };
        for (operation, body) in operations {
            let Some(parameters) = body.get("parameters").and_then(Value::as_mapping) else { continue };
            for (name, parameter) in parameters {
                if parameter.get("in").and_then(Value::as_str) != Some("path") {
                    continue;
                }
                let description = parameter.get("description").and_then(Value::as_str).unwrap_or_default();
                let ty = parameter.get("type").and_then(Value::as_str).unwrap_or_default();
                for field in description.split('`').skip(1).step_by(2) {
                    let Some(types) = field_types.get(field) else { continue };
                    checked += 1;
                    if !types.contains(ty) {
                        disagreeing.push(format!(
                            "{file}: {}.{}: `{ty}`, but `{field}` is {types:?}",
                            operation.as_str().unwrap(),
                            name.as_str().unwrap()
                        ));
                    }
                }
            }
        }
    }
    assert!(checked >= 2, "parameters naming their field are found");
    assert!(disagreeing.is_empty(), "{}", disagreeing.join("\n"));
}
