//! The document's examples of request and response bodies (`content.<media>.example`, and each
//! `examples.<name>.value`), written as files beside the spec and listed on their operations, so
//! that each round-trips as a generated test. Examples of schemas stay in the rustdoc.

use heck::ToSnakeCase;
use serde_json::Value as Json;

use super::{escape, Importer};
use crate::load::ast;

impl Importer<'_> {
    /// Lists each operation's examples (run once the operations have their final names, which
    /// name the files).
    pub(super) fn document_examples(&mut self) {
        let ids: Vec<(String, String)> =
            self.operation_pointers.iter().map(|(id, pointer)| (id.clone(), pointer.clone())).collect();
        for (id, op_pointer) in ids {
            let mut bodies = Vec::new();
            if let Some((_, pointer)) = self.deref(&format!("{op_pointer}/requestBody")) {
                bodies.push(("request".to_owned(), pointer));
            }
            let statuses: Vec<String> = self
                .get(&format!("{op_pointer}/responses"))
                .and_then(Json::as_object)
                .map(|responses| responses.keys().cloned().collect())
                .unwrap_or_default();
            for status in statuses {
                if let Some((response, pointer)) = self.deref(&format!("{op_pointer}/responses/{}", escape(&status))) {
                    // Swagger 2.0 examples of a response with no schema (kept aside when lowered).
                    if response.get("x-examples").is_some() {
                        let message = "examples of a response without a body type are not tested";
                        self.note(&format!("{pointer}/examples"), message);
                    }
                    bodies.push((status, pointer));
                }
            }
            for (of, pointer) in bodies {
                self.body_examples(&id, &of, &pointer);
            }
        }
    }

    fn body_examples(&mut self, id: &str, of: &str, body_pointer: &str) {
        // Only a body the spec has (a 204's is left out, and so is its example), of a status an
        // example can name (not `default` or `4XX`).
        if of != "request" && of.parse::<u16>().is_err() {
            if self.get(&format!("{body_pointer}/content")).is_some_and(has_examples) {
                self.note(
                    body_pointer,
                    format!("examples of the `{of}` response are not tested (a status code's are)"),
                );
            }
            return;
        }
        let Some(operation) = self.operations.get(id) else { return };
        let json_body = |response: &ast::Response| response.schema.as_deref().is_some_and(|s| s != "binary");
        let has_body = match of {
            "request" => operation
                .request
                .as_ref()
                .is_some_and(|r| r.formats.as_ref().is_none_or(|f| f.iter().any(|f| f == "json"))),
            status => operation.responses.get(status).or_else(|| operation.errors.get(status)).is_some_and(json_body),
        };
        if !has_body {
            return;
        }
        let Some((content, content_pointer)) = self.deref(&format!("{body_pointer}/content")) else { return };
        let media_types: Vec<String> = content.as_object().map(|c| c.keys().cloned().collect()).unwrap_or_default();
        for media_type in media_types {
            let media_pointer = format!("{content_pointer}/{}", escape(&media_type));
            let mut found: Vec<(String, Json, String)> = Vec::new();
            if let Some(value) = self.get(&format!("{media_pointer}/example")) {
                found.push(("The document's example".to_owned(), value.clone(), format!("{media_pointer}/example")));
            }
            let named: Vec<String> = self
                .get(&format!("{media_pointer}/examples"))
                .and_then(Json::as_object)
                .map(|examples| examples.keys().cloned().collect())
                .unwrap_or_default();
            for name in named {
                let pointer = format!("{media_pointer}/examples/{}", escape(&name));
                match self.deref(&pointer) {
                    Some((example, at)) => match example.get("value") {
                        Some(value) => found.push((format!("The document's example `{name}`"), value.clone(), at)),
                        None => self.note(&pointer, "an example without `value` (an `externalValue`) is not read"),
                    },
                    None => self.note(&pointer, "the example cannot be resolved"),
                }
            }
            if found.is_empty() {
                continue;
            }
            if super::operations::format_of(&media_type) != Some("json") {
                self.note(&media_pointer, format!("examples of `{media_type}` bodies are not tested (JSON ones are)"));
                continue;
            }
            for (name, value, pointer) in found {
                let stem = format!("{}.{}", id.to_snake_case(), of.to_snake_case());
                let taken = |file: &str| self.example_files.contains_key(file);
                let mut file = format!("examples/{stem}.json");
                let mut counter = 2;
                while taken(&file) {
                    file = format!("examples/{stem}.{counter}.json");
                    counter += 1;
                }
                let text = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
                self.example_files.insert(file.clone(), text);
                let example = ast::Example {
                    name,
                    of: Some(of.to_owned()),
                    format: "json".to_owned(),
                    file,
                    source: Some(format!("#{pointer}")),
                    fixed: None,
                    fragment: None,
                    lenient: None,
                    contradicts: None,
                };
                if let Some(operation) = self.operations.get_mut(id) {
                    operation.examples.push(example);
                }
            }
        }
    }
}

/// Whether a content map holds an example of any media type.
fn has_examples(content: &Json) -> bool {
    content
        .as_object()
        .is_some_and(|media| media.values().any(|m| m.get("example").is_some() || m.get("examples").is_some()))
}

/// How far an example is checked: deeper values are taken as they are.
const MAX_CHECK_DEPTH: usize = 64;

impl Importer<'_> {
    /// Marks each example that does not fit its body's schema `contradicts`, saying where and
    /// how (a round trip would fail or lose something), with a note: its test then checks that it
    /// still does not fit. An overlay may replace the text with the choice made.
    pub(super) fn check_examples(&mut self) {
        let mut found = Vec::new();
        for (id, operation) in &self.operations {
            for (index, example) in operation.examples.iter().enumerate() {
                let Some(text) = self.example_files.get(&example.file) else { continue };
                let Ok(value) = serde_json::from_str::<Json>(text) else { continue };
                let ty = match example.of.as_deref() {
                    Some("request") => operation.request.as_ref().map(|r| r.schema.clone()),
                    Some(status) => operation
                        .responses
                        .get(status)
                        .or_else(|| operation.errors.get(status))
                        .and_then(|r| r.schema.clone()),
                    None => None,
                };
                let Some(ty) = ty else { continue };
                let mut problems = Vec::new();
                self.misfits(&ty, &value, "", 0, &mut problems);
                if let Some(first) = problems.first() {
                    let more = match problems.len() {
                        1 => String::new(),
                        n => format!(" (and {} more)", n - 1),
                    };
                    found.push((id.clone(), index, format!("{first}{more}")));
                }
            }
        }
        for (id, index, problem) in found {
            let Some(example) = self.operations.get_mut(&id).and_then(|o| o.examples.get_mut(index)) else { continue };
            let pointer = example.source.clone().unwrap_or_default();
            example.contradicts = Some(format!("{problem}; the schema is kept"));
            let file = example.file.clone();
            self.note(
                pointer.trim_start_matches('#'),
                format!("the example ({file}) contradicts its schema: {problem}"),
            );
        }
    }

    /// What in `value` does not fit the type expression `ty` (empty when it fits).
    fn misfits(&self, ty: &str, value: &Json, at: &str, depth: usize, out: &mut Vec<String>) {
        if depth > MAX_CHECK_DEPTH || value.is_null() {
            return;
        }
        let place = if at.is_empty() { "the body".to_owned() } else { format!("`{at}`") };
        if let Some(item) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
            match value.as_array() {
                Some(items) => {
                    for (index, item_value) in items.iter().enumerate() {
                        self.misfits(item, item_value, &format!("{at}[{index}]"), depth + 1, out);
                    }
                }
                None => out.push(format!("{place} is not a list")),
            }
            return;
        }
        let expected = match ty {
            "string" | "uri" => value.is_string(),
            "int32" | "int64" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "uuid" => value.as_str().is_some_and(is_uuid),
            "date-time" => value.as_str().is_some_and(is_date_time),
            _ => true,
        };
        if !expected {
            out.push(format!("{place} is not a `{ty}`: {}", short(value)));
            return;
        }
        let Some(schema) = self.schemas.get(ty) else { return };
        match schema.kind {
            ast::SchemaKind::Object => {
                let Some(object) = value.as_object() else {
                    out.push(format!("{place} is not an object (`{ty}`)"));
                    return;
                };
                let fields = schema.fields.as_ref();
                let names = |key: &String, field: &ast::Field| {
                    let json = field.json.as_ref();
                    let name = json.and_then(|j| j.name.clone()).unwrap_or_else(|| key.clone());
                    let aliases = json.map(|j| j.aliases.clone()).unwrap_or_default();
                    (name, aliases)
                };
                for (key, field) in fields.into_iter().flatten() {
                    let (name, aliases) = names(key, field);
                    let present = std::iter::once(&name).chain(&aliases).find_map(|n| object.get(n.as_str()));
                    match present {
                        Some(member) => {
                            let path = if at.is_empty() { name.clone() } else { format!("{at}.{name}") };
                            self.misfits(&field.ty, member, &path, depth + 1, out);
                        }
                        None if field.required && !field.nullable => {
                            out.push(format!("{place} leaves out the required `{name}` of `{ty}`"))
                        }
                        None => {}
                    }
                }
                for member in object.keys() {
                    let known = fields.into_iter().flatten().any(|(key, field)| {
                        let (name, aliases) = names(key, field);
                        name == *member || aliases.contains(member)
                    });
                    if !known {
                        out.push(format!("{place} has `{member}`, which `{ty}` does not"));
                    }
                }
            }
            ast::SchemaKind::Union => {
                let variants = schema.variants.as_deref().unwrap_or_default();
                if let Some(member) = &schema.discriminator {
                    let tag = value.get(member.as_str()).and_then(Json::as_str);
                    let variant =
                        variants.iter().find(|v| v.tag.as_deref().unwrap_or(&v.ty) == tag.unwrap_or_default());
                    if let Some(variant) = variant {
                        self.misfits(&variant.ty, value, at, depth + 1, out);
                    }
                } else if !variants.is_empty()
                    && variants.iter().all(|variant| {
                        let mut attempt = Vec::new();
                        self.misfits(&variant.ty, value, at, depth + 1, &mut attempt);
                        !attempt.is_empty()
                    })
                {
                    out.push(format!("{place} fits none of the alternatives of `{ty}`"));
                }
            }
            ast::SchemaKind::Alias => {
                if let Some(aliased) = &schema.ty {
                    self.misfits(aliased, value, at, depth + 1, out);
                }
            }
            // A value an enum does not list is kept as it came (the catch-all variant).
            ast::SchemaKind::Enum | ast::SchemaKind::String => {}
        }
    }
}

/// A value in a message: short text, or the kind of value.
fn short(value: &Json) -> String {
    match value {
        Json::String(text) if text.chars().count() <= 40 => format!("`{text}`"),
        Json::String(_) => "a long string".to_owned(),
        Json::Object(_) => "an object".to_owned(),
        Json::Array(_) => "a list".to_owned(),
        other => format!("`{other}`"),
    }
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// RFC 3339's shape: `2022-01-01T22:00:00`, optional fraction, then `Z` or an offset.
fn is_date_time(text: &str) -> bool {
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let Some((date, time)) = text.split_once(['T', 't', ' ']) else { return false };
    let date_ok = date.split('-').map(str::len).eq([4, 2, 2]) && date.split('-').all(digits);
    let (clock, offset) = match time.find(['Z', 'z', '+', '-']) {
        Some(at) => time.split_at(at),
        None => return false,
    };
    let clock = clock.split('.').next().unwrap_or_default();
    let clock_ok = clock.split(':').map(str::len).eq([2, 2, 2]) && clock.split(':').all(digits);
    let offset_ok = matches!(offset, "Z" | "z")
        || (offset.len() == 6 && offset[1..].split(':').map(str::len).eq([2, 2]) && offset[1..].split(':').all(digits));
    date_ok && clock_ok && offset_ok
}

#[cfg(test)]
mod tests {
    use super::{is_date_time, is_uuid};

    #[test]
    fn formats() {
        assert!(is_uuid("b1380736-18a9-4fac-adfe-20abc570e8de") && !is_uuid("b1380736-18a9-4fac-adfe"));
        assert!(is_date_time("2022-02-04T20:46:49.067+03:00") && is_date_time("2022-02-04T20:46:49Z"));
        assert!(!is_date_time("2022-01-01T22:00:00") && !is_date_time("yesterday"));
    }
}
