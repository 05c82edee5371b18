//! Curation that survives re-import: an overlay of edits applied to what the importer makes of
//! a document, so that importing a newer document keeps them.
//!
//! An overlay is YAML with up to seven keys:
//!
//! - `rename: { operations: { <imported id>: <id> }, schemas: { <imported name>: <name> } }`,
//!   applied first (references to a renamed schema in types and to a renamed operation in
//!   `api.auth` follow);
//! - `api`, `schemas`, `operations`: a JSON merge patch (RFC 7386) of that section of the
//!   imported spec. Maps merge key by key, any other value replaces, `null` removes; an entry the
//!   import does not have is added whole.
//! - `examples: { <file>: <patch> }`: a merge patch of the document's example written to that
//!   file (`examples/create_job.request.json`), applied once the examples are listed, e.g.
//!   `{ contradicts: <how, and the choice made> }`.
//! - `parameters: { <name>: <description> }`: the description of every operation's parameter of
//!   that (wire) name that has none, for the paging and sorting parameters a document repeats on
//!   every list without a word;
//! - `operation_sources: <template>`: the address of each operation's reference page, added to
//!   its `sources`: `{tag}` is the operation's first tag (spaces as `-`), `{operationId}` the
//!   document's id (`https://example.com/rest/tag/{tag}#operation/{operationId}`).
//!
//! Every key an overlay names must exist in the import (or be added whole): an edit whose
//! target disappeared from a newer document is an error, not a silent no-op.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use crate::load::ast;

/// A parsed overlay.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    #[serde(default)]
    rename: Renames,
    #[serde(default)]
    api: Option<Json>,
    #[serde(default)]
    schemas: IndexMap<String, Json>,
    #[serde(default)]
    operations: IndexMap<String, Json>,
    #[serde(default)]
    examples: IndexMap<String, Json>,
    #[serde(default)]
    operation_sources: Option<String>,
    #[serde(default)]
    parameters: IndexMap<String, String>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Renames {
    #[serde(default)]
    operations: IndexMap<String, String>,
    #[serde(default)]
    schemas: IndexMap<String, String>,
}

impl Overlay {
    /// Parses overlay text (`path` names it in errors).
    pub fn parse(text: &str, path: &str) -> Result<Overlay, String> {
        if let Err((line, column)) = crate::load::check_yaml_depth(text, super::MAX_DOCUMENT_DEPTH) {
            return Err(format!("{path}:{line}:{column}: the overlay nests too deep"));
        }
        serde_yaml::from_str(text).map_err(|e| format!("{path}: {e}"))
    }

    /// The template of each operation's reference page address, if any.
    pub(super) fn operation_sources(&self) -> Option<&str> {
        self.operation_sources.as_deref()
    }

    /// Describes the parameters of these names that have no description; a name no operation
    /// has is an error.
    pub(super) fn describe_parameters(
        &self,
        operations: &mut BTreeMap<String, ast::Operation>,
    ) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        for (name, description) in &self.parameters {
            let mut found = false;
            for parameter in operations.values_mut().filter_map(|o| o.parameters.get_mut(name)) {
                found = true;
                if parameter.description.is_none() {
                    parameter.description = Some(description.clone());
                }
            }
            if !found {
                errors.push(format!("parameters.{name}: no operation of the import has a parameter `{name}`"));
            }
        }
        outcome(errors)
    }

    /// The operations `rename` renames, `(from, to)`.
    pub(super) fn operation_renames(&self) -> impl Iterator<Item = (&str, &str)> {
        self.rename.operations.iter().map(|(from, to)| (from.as_str(), to.as_str()))
    }

    /// Patches the document's examples, each found by its file; every problem is reported.
    pub(super) fn apply_examples(&self, operations: &mut BTreeMap<String, ast::Operation>) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        for (file, patch) in &self.examples {
            let place = format!("examples.{file}");
            let found = operations.values_mut().flat_map(|o| o.examples.iter_mut()).find(|e| e.file == *file);
            let Some(example) = found else {
                errors.push(format!("{place}: the import has no example written to `{file}`"));
                continue;
            };
            match patched(&*example, patch) {
                Ok(value) => *example = value,
                Err(message) => errors.push(format!("{place}: {message}")),
            }
        }
        outcome(errors)
    }

    /// Applies the overlay; every problem is reported, each with the overlay key it is at.
    pub(super) fn apply(
        &self,
        api: &mut Option<ast::Api>,
        schemas: &mut BTreeMap<String, ast::Schema>,
        operations: &mut BTreeMap<String, ast::Operation>,
    ) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        for (from, to) in &self.rename.schemas {
            match rename(schemas, from, to) {
                Ok(()) => {
                    for schema in schemas.values_mut() {
                        rename_type_references(schema, from, to);
                    }
                    for operation in operations.values_mut() {
                        rename_operation_types(operation, from, to);
                    }
                }
                Err(message) => errors.push(format!("rename.schemas.{from}: {message}")),
            }
        }
        for (from, to) in &self.rename.operations {
            match rename(operations, from, to) {
                Ok(()) => {
                    if let Some(bearer) = api.as_mut().and_then(|api| api.auth.as_mut()).and_then(|a| a.bearer.as_mut())
                    {
                        for id in [&mut bearer.token_operation, &mut bearer.logout_operation].into_iter().flatten() {
                            if id == from {
                                *id = to.clone();
                            }
                        }
                    }
                }
                Err(message) => errors.push(format!("rename.operations.{from}: {message}")),
            }
        }
        if let Some(patch) = &self.api {
            match api.as_ref() {
                Some(current) => match patched(current, patch) {
                    Ok(value) => *api = Some(value),
                    Err(message) => errors.push(format!("api: {message}")),
                },
                None => errors.push("api: the import has no api section".into()),
            }
        }
        patch_entries(schemas, &self.schemas, "schemas", &mut errors);
        patch_entries(operations, &self.operations, "operations", &mut errors);
        outcome(errors)
    }
}

/// Every problem found, or none.
fn outcome(errors: Vec<String>) -> Result<(), Vec<String>> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn rename<T>(entries: &mut BTreeMap<String, T>, from: &str, to: &str) -> Result<(), String> {
    if entries.contains_key(to) {
        return Err(format!("the import already has `{to}`"));
    }
    let entry = entries.remove(from).ok_or_else(|| format!("the import has no `{from}`"))?;
    entries.insert(to.to_owned(), entry);
    Ok(())
}

/// Type expressions naming `from` (alone or inside `list<…>`, `map<…>`) name `to` instead.
fn renamed_type(expr: &str, from: &str, to: &str) -> Option<String> {
    let inner = expr.trim_end_matches('>');
    let start = inner.rfind('<').map_or(0, |open| open + 1);
    (&inner[start..] == from).then(|| format!("{}{to}{}", &expr[..start], &expr[inner.len()..]))
}

fn rename_in(expr: &mut String, from: &str, to: &str) {
    if let Some(renamed) = renamed_type(expr, from, to) {
        *expr = renamed;
    }
}

pub(super) fn rename_type_references(schema: &mut ast::Schema, from: &str, to: &str) {
    if let Some(ty) = &mut schema.ty {
        rename_in(ty, from, to);
    }
    for field in schema.fields.iter_mut().flat_map(|fields| fields.values_mut()) {
        rename_in(&mut field.ty, from, to);
    }
    for variant in schema.variants.iter_mut().flatten() {
        rename_in(&mut variant.ty, from, to);
    }
}

pub(super) fn rename_operation_types(operation: &mut ast::Operation, from: &str, to: &str) {
    for parameter in operation.parameters.values_mut() {
        rename_in(&mut parameter.ty, from, to);
    }
    if let Some(request) = &mut operation.request {
        rename_in(&mut request.schema, from, to);
    }
    for response in operation.responses.values_mut().chain(operation.errors.values_mut()) {
        if let Some(schema) = &mut response.schema {
            rename_in(schema, from, to);
        }
        for header in response.headers.values_mut() {
            rename_in(&mut header.ty, from, to);
        }
    }
}

/// Patches, adds (a whole entry) or removes (`null`) entries.
fn patch_entries<T>(
    entries: &mut BTreeMap<String, T>,
    patches: &IndexMap<String, Json>,
    section: &str,
    errors: &mut Vec<String>,
) where
    T: serde::Serialize + DeserializeOwned,
{
    for (key, patch) in patches {
        let place = format!("{section}.{key}");
        let result = match (entries.get(key), patch) {
            (Some(_), Json::Null) => {
                entries.remove(key);
                continue;
            }
            (None, Json::Null) => Err(format!("the import has no `{key}` to remove")),
            (Some(current), patch) => patched(current, patch),
            (None, whole) => parse(whole.clone()),
        };
        match result {
            Ok(value) => {
                entries.insert(key.clone(), value);
            }
            Err(message) => errors.push(format!("{place}: {message}")),
        }
    }
}

/// `current` with `patch` merged in, read back as the spec language (unknown keys refused).
fn patched<T: serde::Serialize + DeserializeOwned>(current: &T, patch: &Json) -> Result<T, String> {
    let mut value = serde_json::to_value(current).map_err(|e| e.to_string())?;
    merge_patch(&mut value, patch);
    parse(value)
}

fn parse<T: DeserializeOwned>(value: Json) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            e.inner().to_string()
        } else {
            format!("{path}: {}", e.inner())
        }
    })
}

/// RFC 7386 JSON merge patch, without recursion depth beyond the patch's own (bounded by the
/// overlay's nesting limit).
pub fn merge_patch(target: &mut Json, patch: &Json) {
    let Json::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Json::Object(serde_json::Map::new());
    }
    let Json::Object(target) = target else { return };
    for (key, value) in patch {
        if value.is_null() {
            target.remove(key);
        } else {
            merge_patch(target.entry(key.clone()).or_insert(Json::Null), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7386() {
        // The examples of RFC 7386, appendix A.
        let cases = [
            (json!({"a": "b"}), json!({"a": "c"}), json!({"a": "c"})),
            (json!({"a": "b"}), json!({"b": "c"}), json!({"a": "b", "b": "c"})),
            (json!({"a": "b"}), json!({"a": null}), json!({})),
            (json!({"a": "b", "b": "c"}), json!({"a": null}), json!({"b": "c"})),
            (json!({"a": ["b"]}), json!({"a": "c"}), json!({"a": "c"})),
            (json!({"a": "c"}), json!({"a": ["b"]}), json!({"a": ["b"]})),
            (json!({"a": {"b": "c"}}), json!({"a": {"b": "d", "c": null}}), json!({"a": {"b": "d"}})),
            (json!({"a": [{"b": "c"}]}), json!({"a": [1]}), json!({"a": [1]})),
            (json!(["a", "b"]), json!(["c", "d"]), json!(["c", "d"])),
            (json!({"a": "b"}), json!(["c"]), json!(["c"])),
            (json!({"a": "foo"}), json!(null), json!(null)),
            (json!({"a": "foo"}), json!("bar"), json!("bar")),
            (json!({"e": null}), json!({"a": 1}), json!({"e": null, "a": 1})),
            (json!([1, 2]), json!({"a": "b", "c": null}), json!({"a": "b"})),
            (json!({}), json!({"a": {"bb": {"ccc": null}}}), json!({"a": {"bb": {}}})),
        ];
        for (mut target, patch, expected) in cases {
            merge_patch(&mut target, &patch);
            assert_eq!(target, expected, "patch {patch}");
        }
    }

    #[test]
    fn renamed_types_follow_through_lists_and_maps() {
        assert_eq!(renamed_type("Page", "Page", "AccountsPage").as_deref(), Some("AccountsPage"));
        assert_eq!(renamed_type("list<map<Page>>", "Page", "P").as_deref(), Some("list<map<P>>"));
        assert_eq!(renamed_type("list<Pages>", "Page", "P"), None);
        assert_eq!(renamed_type("string", "Page", "P"), None);
    }
}
