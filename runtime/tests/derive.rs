//! The runtime's `#[derive(Serialize, Deserialize)]` against serde's own derive: the same struct
//! under both, the same documents (written by hand, then thousands of mutations of them), the
//! same outcome. The one difference allowed: serde's derive also reads a struct from a JSON
//! array of its fields in order, which no API sends; the runtime's refuses it.

use serde::{Deserializer, Serializer};

fn lenient_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    // A single string or a list of them.
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let value: Option<OneOrMany> = serde::Deserialize::deserialize(deserializer)?;
    Ok(value.map(|value| match value {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    }))
}

fn upper<S: Serializer>(value: &Option<Vec<String>>, serializer: S) -> Result<S::Ok, S::Error> {
    let upper = value.as_ref().map(|list| list.iter().map(|item| item.to_uppercase()).collect::<Vec<_>>());
    serde::Serialize::serialize(&upper, serializer)
}

/// Declares the same struct twice: `$ours` with the runtime's derives, `$theirs` with serde's.
macro_rules! twins {
    ($ours:ident, $theirs:ident, $nested:ty, $nested_theirs:ty) => {
        twins!(@one $ours, veeam_runtime, $nested);
        twins!(@one $theirs, serde, $nested_theirs);
    };
    (@one $name:ident, $derive:ident, $nested:ty) => {
        #[derive(Debug, PartialEq, $derive::Serialize, $derive::Deserialize)]
        struct $name {
            id: String,
            #[serde(rename = "Count", alias = "count", alias = "COUNT")]
            count: u32,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            total: Option<i64>,
            #[serde(rename = "Tags", default, skip_serializing_if = "Option::is_none")]
            #[serde(deserialize_with = "lenient_list", serialize_with = "upper")]
            tags: Option<Vec<String>>,
            #[serde(default)]
            enabled: bool,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            note: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            child: Option<Box<$nested>>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            r#type: Option<String>,
        }
    };
}

#[derive(Debug, PartialEq, veeam_runtime::Serialize, veeam_runtime::Deserialize)]
struct Leaf {
    #[serde(rename = "Name")]
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    size: Option<f64>,
}

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct LeafTheirs {
    #[serde(rename = "Name")]
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    size: Option<f64>,
}

twins!(Ours, Theirs, Leaf, LeafTheirs);

const DOCUMENTS: &[&str] = &[
    r#"{"id": "a", "Count": 1}"#,
    r#"{"id": "a", "count": 2, "total": -5, "Tags": "one", "enabled": true, "note": null}"#,
    r#"{"id": "a", "COUNT": 3, "Tags": ["x", "y"], "child": {"Name": "leaf", "size": 1.5}, "type": "t"}"#,
    r#"{"id": "a", "Count": 1, "unknown": {"deep": [1, 2, {"x": null}]}, "other": 7}"#,
    r#"{"id": "a", "Count": 1, "id": "b"}"#,
    r#"{"id": "a", "Count": 1, "count": 2}"#,
    r#"{"Count": 1}"#,
    r#"{"id": "a"}"#,
    r#"{"id": 5, "Count": 1}"#,
    r#"{"id": "a", "Count": -1}"#,
    r#"{"id": "a", "Count": 1, "child": {"size": 2}}"#,
    r#"{"id": "a", "Count": 1, "child": null, "total": null, "Tags": null}"#,
    r#"{"id": "a", "Count": 1, "enabled": "yes"}"#,
    r#"{}"#,
    r#"null"#,
    r#""text""#,
    r#"{"id": "a", "Count": 1,}"#,
    r#"{"id": "a", "Count": 1"#,
];

fn outcome<T: serde::de::DeserializeOwned + serde::Serialize>(document: &str) -> Result<String, String> {
    match serde_json::from_str::<T>(document) {
        Ok(value) => serde_json::to_string(&value).map_err(|error| format!("serializing: {error}")),
        Err(error) => Err(error.to_string().replace("LeafTheirs", "Leaf").replace("Theirs", "Ours")),
    }
}

/// What a document did under both derives.
#[derive(Debug, PartialEq, Eq, Hash)]
enum Seen {
    Decoded,
    Refused,
    /// serde's derive read an array as a struct (or failed inside it); the runtime's refused it.
    Array,
}

fn check(document: &str) -> Seen {
    let ours = outcome::<Ours>(document);
    let theirs = outcome::<Theirs>(document);
    match (&ours, &theirs) {
        (Err(message), _) if message.starts_with("invalid type: sequence, expected struct") => Seen::Array,
        _ => {
            assert_eq!(ours, theirs, "document: {document}");
            if ours.is_ok() {
                Seen::Decoded
            } else {
                Seen::Refused
            }
        }
    }
}

#[test]
fn documents_decode_and_encode_as_with_serdes_derive() {
    for document in DOCUMENTS {
        check(document);
    }
    let ours: Ours = serde_json::from_str(DOCUMENTS[2]).unwrap();
    assert_eq!(ours.count, 3);
    assert_eq!(ours.tags.as_deref(), Some(&["x".to_owned(), "y".to_owned()][..]));
    assert_eq!(ours.child.as_ref().map(|leaf| leaf.name.as_str()), Some("leaf"));
    assert_eq!(
        serde_json::to_string(&ours).unwrap(),
        r#"{"id":"a","Count":3,"Tags":["X","Y"],"enabled":false,"child":{"Name":"leaf","size":1.5},"type":"t"}"#
    );
}

#[test]
fn generated_and_mutated_documents_have_the_same_outcome() {
    // A small deterministic generator (xorshift). Objects of random members, mostly with valid
    // values, sometimes wrong types, repeated or unknown members; a quarter of them then cut,
    // spliced or truncated character-wise.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound.max(1) as u64) as usize
    };
    let members: &[(&[&str], &[&str])] = &[
        (&["id"], &["\"a\"", "5", "null"]),
        (&["Count", "count", "COUNT"], &["1", "-1", "\"x\"", "4294967296"]),
        (&["total"], &["7", "null", "1.5"]),
        (&["Tags"], &["\"one\"", "[\"a\", \"b\"]", "null", "[1]"]),
        (&["enabled"], &["true", "null", "\"yes\""]),
        (&["note"], &["\"n\"", "null", "3"]),
        (&["child"], &["{\"Name\": \"c\", \"size\": 2}", "null", "{\"size\": 1}", "[\"c\", 1]"]),
        (&["type"], &["\"t\"", "{}"]),
        (&["unknown", "Name"], &["{\"a\": [1, {}]}", "\"\\u00e9\""]),
    ];
    let pieces = ["\"Count\": 9", "[1]", "{}", "null", "\"x\"", ",", ":", "}"];
    let mut seen = std::collections::HashMap::new();
    for _ in 0..5000 {
        let mut parts = Vec::new();
        for (names, values) in members {
            for _ in 0..[1, 1, 1, 1, 1, 1, 0, 0, 2][next(9)] {
                let value = if next(10) == 0 { values[next(values.len())] } else { values[0] };
                parts.push(format!("\"{}\": {value}", names[next(names.len())]));
            }
        }
        let mut document: Vec<char> = format!("{{{}}}", parts.join(", ")).chars().collect();
        if next(4) == 0 {
            let at = next(document.len() + 1);
            if next(2) == 0 {
                document.drain(at..(at + 1 + next(6)).min(document.len()));
            } else {
                document.splice(at..at, pieces[next(pieces.len())].chars()).for_each(drop);
            }
        }
        let document: String = document.into_iter().collect();
        *seen.entry(check(&document)).or_insert(0) += 1;
    }
    // The documents reach both outcomes, and arrays stay a small part of them.
    let count = |what| seen.get(&what).copied().unwrap_or(0);
    assert!(count(Seen::Decoded) > 500 && count(Seen::Refused) > 500, "{seen:?}");
    assert!(count(Seen::Array) < 250, "{seen:?}");
}

/// `remote = "Self"`: inherent functions with the same behaviour, the traits written by hand.
#[derive(Debug, PartialEq, veeam_runtime::Serialize, veeam_runtime::Deserialize)]
#[serde(remote = "Self")]
struct Wrapped {
    #[serde(rename = "Items", alias = "Item", default)]
    items: Vec<String>,
}

impl<'de> serde::Deserialize<'de> for Wrapped {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Wrapped::deserialize(deserializer)
    }
}

impl serde::Serialize for Wrapped {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Wrapped::serialize(self, serializer)
    }
}

#[test]
fn remote_self_gives_inherent_functions() {
    let wrapped: Wrapped = serde_json::from_str(r#"{"Item": ["a"]}"#).unwrap();
    assert_eq!(wrapped.items, ["a"]);
    assert_eq!(serde_json::to_string(&wrapped).unwrap(), r#"{"Items":["a"]}"#);
    let empty: Wrapped = serde_json::from_str("{}").unwrap();
    assert!(empty.items.is_empty());
    let error = serde_json::from_str::<Wrapped>(r#"{"Items": [], "Item": []}"#).unwrap_err();
    assert_eq!(error.to_string(), "duplicate field `Items` at line 1 column 20");
}

/// The runtime's defaults: an `Option` field needs no attribute to be optional and left out when
/// `None`; `serialize_none` sends `null` instead (a required nullable member).
#[derive(Debug, PartialEq, veeam_runtime::Serialize, veeam_runtime::Deserialize)]
struct Defaults {
    name: Option<String>,
    #[serde(serialize_none)]
    parent: Option<String>,
}

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct DefaultsTheirs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default)]
    parent: Option<String>,
}

#[test]
fn option_fields_are_optional_and_left_out_when_none() {
    for document in
        [r#"{}"#, r#"{"name": "n"}"#, r#"{"parent": null}"#, r#"{"name": null, "parent": "p"}"#, r#"{"name": 1}"#]
    {
        let ours = serde_json::from_str::<Defaults>(document).map(|v| serde_json::to_string(&v).unwrap());
        let theirs = serde_json::from_str::<DefaultsTheirs>(document).map(|v| serde_json::to_string(&v).unwrap());
        assert_eq!(ours.map_err(|e| e.to_string()), theirs.map_err(|e| e.to_string()), "{document}");
    }
    let value = Defaults { name: None, parent: None };
    assert_eq!(serde_json::to_string(&value).unwrap(), r#"{"parent":null}"#);
}

/// A generated crate that knows the runtime by another name says so with `crate = ".."`.
extern crate veeam_runtime as renamed_runtime;

#[derive(Debug, PartialEq, renamed_runtime::Serialize, renamed_runtime::Deserialize)]
#[serde(crate = "::renamed_runtime")]
struct Renamed {
    #[serde(rename = "Name")]
    name: String,
}

#[test]
fn the_runtime_path_can_be_named() {
    let value: Renamed = serde_json::from_str(r#"{"Name": "x"}"#).unwrap();
    assert_eq!(serde_json::to_string(&value).unwrap(), r#"{"Name":"x"}"#);
}
