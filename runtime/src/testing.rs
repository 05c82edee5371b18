//! Round trips of documented bodies, called by the tests `codegen` generates from the spec's
//! examples (feature `testing`); the helpers of the generated tests on the wire are in [`wire`].
//! Each helper decodes the body, encodes the value, decodes that again, and checks that nothing
//! was lost:
//!
//! - the two decoded values are equal;
//! - the encoded document is the documented one as a tree: JSON values compared as values, XML
//!   as elements in order with attributes as sets ([`crate::xml::same_tree`]), forms as
//!   name/value pairs.
//!
//! A `lenient` example (a documented quirk the reader accepts and the writer normalises) skips the
//! JSON tree comparison and compares XML children without their order.
//!
//! They panic with a message that says which step failed: they are test assertions.

pub mod wire;

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::xml::{self, Document, FromXml, ToXml};

/// How a documented body is to be read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Example<'a> {
    /// The body is a JSON member or XML element with this name, not a document.
    pub fragment: Option<&'a str>,
    /// The written form may differ from the documented one; the reason.
    pub lenient: Option<&'a str>,
    /// The (JSON) example contradicts its schema; how. It must still: be refused, or not be
    /// written back as documented.
    pub contradicts: Option<&'a str>,
}

/// Booleans and numbers written as strings compare equal to the value they spell.
fn same_json(documented: &Value, written: &Value) -> bool {
    match (documented, written) {
        (Value::String(text), Value::Bool(b)) => crate::json::parse_bool(text) == Some(*b),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(key, value)| b.get(key).is_some_and(|other| same_json(value, other)))
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_json(x, y)),
        (a, b) => a == b,
    }
}

/// Documented JSON members left out when written are fine only when they were `null`.
fn drop_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), drop_nulls(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(drop_nulls).collect()),
        other => other.clone(),
    }
}

/// Round trip of a JSON body.
pub fn json<T: Serialize + DeserializeOwned + PartialEq + Debug>(body: &str, example: Example) {
    let documented: Value = match example.fragment {
        // `"Member": {...}` is an object member: read it inside braces.
        Some(member) => {
            let object: Value = serde_json::from_str(&format!("{{{body}}}"))
                .unwrap_or_else(|e| panic!("the documented fragment is not a JSON member: {e}"));
            object.get(member).cloned().unwrap_or_else(|| panic!("the fragment has no member `{member}`"))
        }
        None => serde_json::from_str(body).unwrap_or_else(|e| panic!("the documented body is not JSON: {e}")),
    };
    if let Some(how) = example.contradicts {
        let written = serde_json::from_value::<T>(documented.clone()).ok().and_then(|v| serde_json::to_value(&v).ok());
        if let Some(written) = written {
            assert!(
                !same_json(&drop_nulls(&documented), &drop_nulls(&written)),
                "the example no longer contradicts its schema ({how}): it round-trips; drop `contradicts`"
            );
        }
        return;
    }
    let first: T =
        serde_json::from_value(documented.clone()).unwrap_or_else(|e| panic!("decoding the documented body: {e}"));
    let written = serde_json::to_value(&first).unwrap_or_else(|e| panic!("encoding: {e}"));
    let text = serde_json::to_string(&first).unwrap_or_else(|e| panic!("encoding: {e}"));
    let second: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("decoding the written body {text}: {e}"));
    assert_eq!(first, second, "the value changed in a round trip through {text}");
    if example.lenient.is_none() {
        let documented = drop_nulls(&documented);
        assert!(
            same_json(&documented, &drop_nulls(&written)),
            "the written body differs from the documented one\n documented: {documented}\n    written: {written}"
        );
    }
}

/// Round trip of an XML body.
pub fn xml<T: FromXml + ToXml + PartialEq + Debug>(body: &str, example: Example) {
    let documented = Document::parse(body).unwrap_or_else(|e| panic!("the documented body is not XML: {e}"));
    let first = T::from_xml(documented.root()).unwrap_or_else(|e| panic!("decoding the documented body: {e}"));
    let text = match example.fragment {
        Some(name) => xml::fragment_to_string(&first, name),
        None => xml::to_string(&first),
    }
    .unwrap_or_else(|e| panic!("encoding: {e}"));
    let written = Document::parse(&text).unwrap_or_else(|e| panic!("the written body is not XML ({e}): {text}"));
    let second = T::from_xml(written.root()).unwrap_or_else(|e| panic!("decoding the written body {text}: {e}"));
    assert_eq!(first, second, "the value changed in a round trip through {text}");
    if let Err(difference) = xml::same_tree(documented.root(), written.root(), example.lenient.is_none()) {
        panic!("the written body differs from the documented one: {difference}\n{text}");
    }
}

/// Round trip of an `application/x-www-form-urlencoded` body.
pub fn form<T: Serialize + DeserializeOwned + PartialEq + Debug>(body: &str, _example: Example) {
    let body = body.trim_end();
    let first: T = serde_urlencoded::from_str(body).unwrap_or_else(|e| panic!("decoding the documented form: {e}"));
    let text = serde_urlencoded::to_string(&first).unwrap_or_else(|e| panic!("encoding: {e}"));
    let second: T = serde_urlencoded::from_str(&text).unwrap_or_else(|e| panic!("decoding the written form: {e}"));
    assert_eq!(first, second, "the value changed in a round trip through {text}");
    let pairs = |text: &str| {
        let mut pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(text).unwrap_or_else(|e| panic!("not a form: {e}"));
        pairs.sort();
        pairs
    };
    assert_eq!(pairs(body), pairs(&text), "the written form differs from the documented one");
}
