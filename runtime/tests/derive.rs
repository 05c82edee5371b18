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

/// Declares the same wide struct twice (`f0` .. `f29`, optional, renamed `F0` ..), for the
/// runtime's slots beyond one tuple (nested in groups).
macro_rules! wide_twins {
    ($($field:ident $wire:literal),* $(,)?) => {
        // `Option<u32>` written here, not passed as a `ty` fragment: the derive sees the
        // `Option` (a fragment would reach it as an opaque group).
        #[derive(Debug, PartialEq, veeam_runtime::Serialize, veeam_runtime::Deserialize)]
        struct WideOurs {
            $(#[serde(rename = $wire)] $field: Option<u32>,)*
        }
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct WideTheirs {
            $(#[serde(rename = $wire, default, skip_serializing_if = "Option::is_none")] $field: Option<u32>,)*
        }
    };
}

wide_twins!(
    f0 "F0", f1 "F1", f2 "F2", f3 "F3", f4 "F4",
    f5 "F5", f6 "F6", f7 "F7", f8 "F8", f9 "F9",
    f10 "F10", f11 "F11", f12 "F12", f13 "F13",
    f14 "F14", f15 "F15", f16 "F16", f17 "F17",
    f18 "F18", f19 "F19", f20 "F20", f21 "F21",
    f22 "F22", f23 "F23", f24 "F24", f25 "F25",
    f26 "F26", f27 "F27", f28 "F28", f29 "F29",
);

#[derive(Debug, PartialEq, veeam_runtime::Serialize, veeam_runtime::Deserialize)]
struct WideRequired {
    a0: u8,
    a1: u8,
    a2: u8,
    a3: u8,
    a4: u8,
    a5: u8,
    a6: u8,
    a7: u8,
    a8: u8,
    a9: u8,
    a10: u8,
    a11: u8,
    a12: u8,
    a13: u8,
    a14: String,
}

/// Past twelve fields the slots nest: every field still lands in its own slot, duplicates and
/// missing fields are named, as with serde's derive.
#[test]
fn wide_structs_read_every_field_into_its_own_slot() {
    let all: Vec<String> = (0..30).map(|i| format!("\"F{i}\": {i}")).collect();
    let every = format!("{{{}}}", all.join(", "));
    let reversed = format!("{{{}}}", all.iter().rev().cloned().collect::<Vec<_>>().join(", "));
    let some = r#"{"F29": 29, "F0": 0, "F12": 12, "F13": 13, "x": [1], "F24": 24}"#;
    let duplicate = r#"{"F17": 1, "F3": 3, "F17": 2}"#;
    let wrong = r#"{"F28": "no"}"#;
    for document in [every.as_str(), reversed.as_str(), some, duplicate, wrong, "{}"] {
        let ours = serde_json::from_str::<WideOurs>(document).map(|v| serde_json::to_string(&v).unwrap());
        let theirs = serde_json::from_str::<WideTheirs>(document).map(|v| serde_json::to_string(&v).unwrap());
        let (ours, theirs) = (ours.map_err(|e| e.to_string()), theirs.map_err(|e| e.to_string()));
        assert_eq!(ours, theirs.map_err(|e| e.replace("WideTheirs", "WideOurs")), "document: {document}");
    }
    let read: WideOurs = serde_json::from_str(&every).unwrap();
    assert_eq!((read.f0, read.f11, read.f12, read.f23, read.f29), (Some(0), Some(11), Some(12), Some(23), Some(29)));

    let fields: Vec<String> = (0..14).map(|i| format!("\"a{i}\": {i}")).collect();
    let missing = serde_json::from_str::<WideRequired>(&format!("{{{}}}", fields.join(", "))).unwrap_err();
    assert!(missing.to_string().starts_with("missing field `a14` at line 1"), "{missing}");
    let complete = format!("{{{}, \"a14\": \"z\"}}", fields.join(", "));
    let read: WideRequired = serde_json::from_str(&complete).unwrap();
    assert_eq!((read.a0, read.a13, read.a14.as_str()), (0, 13, "z"));
    let twice = format!("{{\"a13\": 1, {}, \"a14\": \"z\"}}", fields.join(", "));
    let error = serde_json::from_str::<WideRequired>(&twice).unwrap_err();
    assert!(error.to_string().starts_with("duplicate field `a13`"), "{error}");
}

/// 150 fields: groups of groups (12 x 12, then 6).
#[rustfmt::skip]
#[derive(Debug, PartialEq, veeam_runtime::Serialize, veeam_runtime::Deserialize)]
struct Widest {
    f0: Option<u16>, f1: Option<u16>, f2: Option<u16>, f3: Option<u16>, f4: Option<u16>, f5: Option<u16>, f6: Option<u16>, f7: Option<u16>, f8: Option<u16>, f9: Option<u16>,
    f10: Option<u16>, f11: Option<u16>, f12: Option<u16>, f13: Option<u16>, f14: Option<u16>, f15: Option<u16>, f16: Option<u16>, f17: Option<u16>, f18: Option<u16>, f19: Option<u16>,
    f20: Option<u16>, f21: Option<u16>, f22: Option<u16>, f23: Option<u16>, f24: Option<u16>, f25: Option<u16>, f26: Option<u16>, f27: Option<u16>, f28: Option<u16>, f29: Option<u16>,
    f30: Option<u16>, f31: Option<u16>, f32: Option<u16>, f33: Option<u16>, f34: Option<u16>, f35: Option<u16>, f36: Option<u16>, f37: Option<u16>, f38: Option<u16>, f39: Option<u16>,
    f40: Option<u16>, f41: Option<u16>, f42: Option<u16>, f43: Option<u16>, f44: Option<u16>, f45: Option<u16>, f46: Option<u16>, f47: Option<u16>, f48: Option<u16>, f49: Option<u16>,
    f50: Option<u16>, f51: Option<u16>, f52: Option<u16>, f53: Option<u16>, f54: Option<u16>, f55: Option<u16>, f56: Option<u16>, f57: Option<u16>, f58: Option<u16>, f59: Option<u16>,
    f60: Option<u16>, f61: Option<u16>, f62: Option<u16>, f63: Option<u16>, f64: Option<u16>, f65: Option<u16>, f66: Option<u16>, f67: Option<u16>, f68: Option<u16>, f69: Option<u16>,
    f70: Option<u16>, f71: Option<u16>, f72: Option<u16>, f73: Option<u16>, f74: Option<u16>, f75: Option<u16>, f76: Option<u16>, f77: Option<u16>, f78: Option<u16>, f79: Option<u16>,
    f80: Option<u16>, f81: Option<u16>, f82: Option<u16>, f83: Option<u16>, f84: Option<u16>, f85: Option<u16>, f86: Option<u16>, f87: Option<u16>, f88: Option<u16>, f89: Option<u16>,
    f90: Option<u16>, f91: Option<u16>, f92: Option<u16>, f93: Option<u16>, f94: Option<u16>, f95: Option<u16>, f96: Option<u16>, f97: Option<u16>, f98: Option<u16>, f99: Option<u16>,
    f100: Option<u16>, f101: Option<u16>, f102: Option<u16>, f103: Option<u16>, f104: Option<u16>, f105: Option<u16>, f106: Option<u16>, f107: Option<u16>, f108: Option<u16>, f109: Option<u16>,
    f110: Option<u16>, f111: Option<u16>, f112: Option<u16>, f113: Option<u16>, f114: Option<u16>, f115: Option<u16>, f116: Option<u16>, f117: Option<u16>, f118: Option<u16>, f119: Option<u16>,
    f120: Option<u16>, f121: Option<u16>, f122: Option<u16>, f123: Option<u16>, f124: Option<u16>, f125: Option<u16>, f126: Option<u16>, f127: Option<u16>, f128: Option<u16>, f129: Option<u16>,
    f130: Option<u16>, f131: Option<u16>, f132: Option<u16>, f133: Option<u16>, f134: Option<u16>, f135: Option<u16>, f136: Option<u16>, f137: Option<u16>, f138: Option<u16>, f139: Option<u16>,
    f140: Option<u16>, f141: Option<u16>, f142: Option<u16>, f143: Option<u16>, f144: Option<u16>, f145: Option<u16>, f146: Option<u16>, f147: Option<u16>, f148: Option<u16>, f149: Option<u16>,
}

/// Past 144 fields the groups nest again; every field still lands in its own slot.
#[test]
fn the_widest_structs_nest_groups_of_groups() {
    for present in [0..150, 140..150, 0..1, 70..80] {
        let members: Vec<String> = present.clone().map(|i| format!("\"f{i}\": {i}")).collect();
        let document = format!("{{{}}}", members.join(", "));
        let read: Widest = serde_json::from_str(&document).unwrap();
        let written: serde_json::Value = serde_json::to_value(&read).unwrap();
        let expected: serde_json::Value = serde_json::from_str(&document).unwrap();
        assert_eq!(written, expected, "fields {present:?}");
    }
    let error = serde_json::from_str::<Widest>(r#"{"f149": 1, "f3": 2, "f149": 3}"#).unwrap_err();
    assert!(error.to_string().starts_with("duplicate field `f149`"), "{error}");
}
