//! JSON helpers called from generated serde attributes: lenient readers for documented server
//! quirks (strict writers stay serde's own).
//!
//! - booleans sent as strings: `"true"`, `"True"`, `"false"`;
//! - lists wrapped in an object with one member: `"Roles": {"EnterpriseRoles": [...]}`;
//! - one item where a list is expected, on the fields documented to send one.
//!
//! List readers accept exactly the shapes their field documents ([`list`], [`one_or_many`],
//! [`wrapped_list`]).

mod lists;
mod strict;

pub use strict::Strict;

pub use lists::{list, one_or_many, option_list, option_one_or_many, option_wrapped_list, wrapped_list, Member};

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

pub use serde_json::Value;

/// A JSON body that could not be read into the expected type, and where: `Roles.EnterpriseRoles[0]`.
///
/// JSON nesting is limited by serde_json: documents nested more than 128 levels deep are refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", if path.is_empty() { "." } else { path.as_str() })]
pub struct Error {
    /// Path of the member that failed, `.` for the document itself.
    pub path: String,
    /// What was wrong, with the line and column where the parser knows them.
    pub message: String,
    /// The kind of problem and where, without the values serde quotes in its messages.
    summary: String,
}

impl Error {
    fn from_serde(path: String, error: &serde_json::Error) -> Self {
        let kind = match error.classify() {
            serde_json::error::Category::Io => "cannot read",
            serde_json::error::Category::Syntax => "not JSON",
            serde_json::error::Category::Data => "a value of the wrong type or shape",
            serde_json::error::Category::Eof => "the body ends too early",
        };
        let summary = format!("{kind} at line {} column {}", error.line(), error.column());
        Error { path, message: error.to_string(), summary }
    }

    /// The error without the values the reader found (for documents that may hold secrets).
    pub fn without_values(&self) -> String {
        format!("{}: {}", if self.path.is_empty() { "." } else { self.path.as_str() }, self.summary)
    }
}

/// Reads `T` from JSON text; errors name the member path.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    from_slice(text.as_bytes())
}

/// Reads `T` from JSON bytes; errors name the member path.
///
/// The document is read once, by serde_json alone; only a failure costs more: the path is found
/// by scanning the text up to where serde_json stopped (no second, path-tracking instantiation of
/// every model's `Deserialize`).
///
/// Models are read from JSON objects only ([`Strict`]): serde's derive would also read one from an
/// array, member by member.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    T::deserialize(strict::Strict(&mut deserializer))
        .and_then(|value| deserializer.end().map(|()| value))
        .map_err(|error| Error::from_serde(path_at(bytes, &error), &error))
}

/// Path of the member being read where `error` stopped the reader: `Links[1].Rel`, empty for the
/// document itself. A member (or list item) is in the path from its key (or the bracket or comma
/// before it) until its value ends; an error at a closing bracket is the container's own.
fn path_at(bytes: &[u8], error: &serde_json::Error) -> String {
    enum Level {
        /// `reading`: the value of `key` is being read.
        Object { key: Option<String>, reading: bool },
        /// `reading`: item `index` is being read.
        Array { index: usize, reading: bool },
    }
    /// Whether `byte` may stand here: a bracket where a value starts, a comma after a value.
    fn expects(byte: u8, level: Option<&Level>) -> bool {
        let reading = match level {
            None => return byte != b',',
            Some(Level::Object { reading, .. } | Level::Array { reading, .. }) => *reading,
        };
        reading == (byte != b',')
    }
    fn value_ended(levels: &mut [Level]) {
        match levels.last_mut() {
            Some(Level::Object { reading, .. } | Level::Array { reading, .. }) => *reading = false,
            None => {}
        }
    }
    // serde_json counts lines from 1 and columns (bytes) from 1: `end` is just past the last byte
    // it read.
    let mut line_start = 0;
    for _ in 1..error.line() {
        match bytes[line_start..].iter().position(|&b| b == b'\n') {
            Some(at) => line_start += at + 1,
            None => break,
        }
    }
    let end = (line_start + error.column()).min(bytes.len());
    let mut levels: Vec<Level> = Vec::new();
    let mut at = 0;
    while at < end {
        match bytes[at] {
            b'"' => {
                let start = at + 1;
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                match levels.last_mut() {
                    Some(Level::Object { key, reading: false }) => {
                        let raw = String::from_utf8_lossy(&bytes[start.min(bytes.len())..at.min(bytes.len())]);
                        let decoded = serde_json::from_str::<String>(&format!("\"{raw}\"")).ok();
                        *key = Some(decoded.unwrap_or_else(|| raw.into_owned()));
                    }
                    // A string value ends here unless the error is about it.
                    _ if at + 1 < end => value_ended(&mut levels),
                    _ => {}
                }
            }
            // The reader stopped at a bracket or comma where none may stand: it is the wrong
            // value of the member or item being read. (Where one may stand, the reader took it
            // and stopped at what follows: a wrong first or next item.)
            b'{' | b'[' | b',' if at + 1 == end && !expects(bytes[at], levels.last()) => {}
            b'{' => levels.push(Level::Object { key: None, reading: false }),
            b'[' => levels.push(Level::Array { index: 0, reading: true }),
            // The closing bracket of the container: what is wrong is the whole container's (a
            // member missing, a wrong length). A bracket that does not close it is a wrong value.
            b'}' if at + 1 == end => {
                if let Some(Level::Object { key, reading: false }) = levels.last_mut() {
                    *key = None;
                }
            }
            b']' if at + 1 == end => {
                if let Some(Level::Array { reading, .. }) = levels.last_mut() {
                    *reading = false;
                }
            }
            b'}' | b']' => {
                levels.pop();
                value_ended(&mut levels);
            }
            b':' => {
                if let Some(Level::Object { reading, .. }) = levels.last_mut() {
                    *reading = true;
                }
            }
            b',' => match levels.last_mut() {
                Some(Level::Object { key, reading }) => (*key, *reading) = (None, false),
                Some(Level::Array { index, reading }) => (*index, *reading) = (*index + 1, true),
                None => {}
            },
            b if b.is_ascii_alphanumeric() || b == b'-' => {
                // A number or literal; it ends here unless the error is about it (the reader
                // stopped in or just after it, or it is malformed).
                let start = at;
                while at + 1 < bytes.len()
                    && matches!(bytes[at + 1], b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'+' | b'-' | b'.')
                {
                    at += 1;
                }
                let token = &bytes[start..=at];
                if at + 1 < end && serde_json::from_slice::<IgnoredAny>(token).is_ok() {
                    value_ended(&mut levels);
                }
            }
            _ => {}
        }
        at += 1;
    }
    let mut path = String::new();
    for level in &levels {
        match level {
            Level::Object { key: Some(key), reading: true } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Level::Array { index, reading: true } => path.push_str(&format!("[{index}]")),
            _ => {}
        }
    }
    path
}

/// Writes `value` as JSON.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| Error::from_serde(String::new(), &e))
}

/// Reads a string, borrowed when the input allows.
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Cow<'de, str>, D::Error> {
    struct StringVisitor;
    impl<'de> Visitor<'de> for StringVisitor {
        type Value = Cow<'de, str>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Cow::Borrowed(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v.to_owned()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v))
        }
    }
    deserializer.deserialize_str(StringVisitor)
}

/// Parses the string forms of a boolean servers are documented to send.
pub fn parse_bool(text: &str) -> Option<bool> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("true") || text == "1" {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") || text == "0" {
        Some(false)
    } else {
        None
    }
}

struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean or a string \"true\" / \"false\"")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        parse_bool(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// A boolean, also from `"true"`, `"True"`, `"false"` strings.
pub fn bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    deserializer.deserialize_any(BoolVisitor)
}

/// An optional lenient boolean; `null` is `None`.
pub fn option_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    struct Lenient(#[serde(deserialize_with = "bool")] bool);
    Ok(Option::<Lenient>::deserialize(deserializer)?.map(|v| v.0))
}

/// Writes a list as `{ "<M::NAME>": [...] }`.
pub fn serialize_wrapped_list<M: Member, T: Serialize, S: Serializer>(
    items: &[T],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(M::NAME, items)?;
    map.end()
}

/// Writes an optional wrapped list; `None` is `null` (fields left out when `None` never get here).
pub fn option_serialize_wrapped_list<M: Member, T: Serialize, S: Serializer>(
    items: &Option<Vec<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match items {
        Some(items) => serialize_wrapped_list::<M, T, S>(items, serializer),
        None => serializer.serialize_none(),
    }
}

/// Reads a document that is expected to carry one of `expected` (a list document's list, say):
/// an object that lacks all of them but has a member outside `known` is an error, because the
/// list is most likely there under a name this client does not know, and an empty list would
/// hide it. Anything else goes to `read` (the type's derived reader). Member names are named in
/// the error; values never are.
pub fn expecting_member<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    schema: &str,
    expected: &[&str],
    known: &[&str],
    read: fn(Strict<Value>) -> Result<T, serde_json::Error>,
) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    if let Value::Object(members) = &value {
        let has_expected = members.keys().any(|key| expected.contains(&key.as_str()));
        let unknown = members.keys().find(|key| !known.contains(&key.as_str()));
        if let (false, Some(unknown)) = (has_expected, unknown) {
            return Err(de::Error::custom(format_args!(
                "`{schema}` has no `{}` member but has `{unknown}`: the list is missing or under a name this client does not know",
                expected.first().copied().unwrap_or_default()
            )));
        }
    }
    read(Strict(value)).map_err(de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Serialize, Debug, PartialEq)]
    struct Sample {
        #[serde(deserialize_with = "bool")]
        flag: bool,
        #[serde(default, deserialize_with = "option_bool")]
        maybe: Option<bool>,
        #[serde(deserialize_with = "list")]
        items: Vec<u32>,
        #[serde(
            deserialize_with = "wrapped_list::<Roles, _, _>",
            serialize_with = "serialize_wrapped_list::<Roles, _, _>"
        )]
        roles: Vec<String>,
    }

    struct Roles;
    impl Member for Roles {
        const NAME: &'static str = "EnterpriseRoles";
    }

    #[test]
    fn errors_name_the_member() {
        let error = from_str::<Sample>(r#"{"flag":true,"items":[1,"x"],"roles":{}}"#).unwrap_err();
        // Lists stream: the path goes into the item.
        assert_eq!(error.path, "items[1]");
        assert!(error.message.starts_with("invalid type: string"), "{error}");
        let error =
            from_str::<Sample>(r#"{"flag":true,"items":[],"roles":{"EnterpriseRoles":[{"a":1}]}}"#).unwrap_err();
        assert_eq!(error.path, "roles.EnterpriseRoles[0]", "{error}");
        let error = from_str::<Sample>(r#"{"flag":true,"items":[1],"roles":{}} trailing"#).unwrap_err();
        assert!(error.message.contains("trailing characters"), "{error}");
        let error = from_str::<Sample>(r#"{"flag":true,"items":[1],"rol"#).unwrap_err();
        assert!(error.message.contains("EOF"), "{error}");
    }

    #[test]
    fn lenient_booleans_strict_writing() {
        let sample: Sample =
            serde_json::from_str(r#"{"flag":"True","maybe":"false","items":[7],"roles":{"EnterpriseRoles":["a"]}}"#)
                .unwrap();
        assert_eq!(sample, Sample { flag: true, maybe: Some(false), items: vec![7], roles: vec!["a".into()] });
        assert_eq!(
            serde_json::to_string(&sample).unwrap(),
            r#"{"flag":true,"maybe":false,"items":[7],"roles":{"EnterpriseRoles":["a"]}}"#
        );
        let error = serde_json::from_str::<Sample>(r#"{"flag":"yes","items":[],"roles":{}}"#).unwrap_err();
        assert!(error.to_string().contains("invalid value: string \"yes\""), "{error}");
    }

    /// Only the documented shape of each list is read: a single item, a bare array where a
    /// wrapper is documented, or a wrapper with another member are errors at the field.
    #[test]
    fn lists_are_read_only_in_their_documented_shape() {
        for (json, path, message) in [
            (r#"{"flag":true,"items":7,"roles":{}}"#, "items", "expected a list"),
            (r#"{"flag":true,"items":{"a":1},"roles":{}}"#, "items", "expected a list"),
            (
                r#"{"flag":true,"items":[],"roles":["a","b"]}"#,
                "roles",
                "expected an object with a `EnterpriseRoles` list",
            ),
            (r#"{"flag":true,"items":[],"roles":{"Roles":["a"]}}"#, "roles", "has a member `Roles`"),
            (r#"{"flag":true,"items":[],"roles":{"EnterpriseRoles":"a"}}"#, "roles.EnterpriseRoles", "expected a list"),
        ] {
            let error = from_str::<Sample>(json).unwrap_err();
            assert_eq!(error.path, path, "{json}: {error}");
            assert!(error.message.contains(message), "{json}: {error}");
        }
        let empty: Sample = serde_json::from_str(r#"{"flag":true,"items":[],"roles":{}}"#).unwrap();
        assert!(empty.roles.is_empty());
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Reference {
        #[serde(rename = "Name", default)]
        name: Option<String>,
        #[serde(rename = "UID", default)]
        uid: Option<String>,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Found {
        #[serde(rename = "Refs", default, deserialize_with = "option_list")]
        refs: Option<Vec<Reference>>,
        #[serde(rename = "One", default, deserialize_with = "option_one_or_many")]
        one: Option<Vec<Reference>>,
    }

    /// An item with members but none of the model's is another shape, not an empty item; an
    /// empty object, or one with a known member beside unknown ones, is an item.
    #[test]
    fn an_item_of_unknown_members_only_is_refused() {
        let error = from_str::<Found>(r#"{"Refs":[{"Name":"a"},{"Refs":[{"Name":"b"}]}]}"#).unwrap_err();
        assert_eq!(error.path, "Refs[1]", "{error}");
        assert!(error.message.contains("none of the members of `Reference` (it has `Refs`)"), "{error}");
        let error = from_str::<Found>(r#"{"One":{"Other":1}}"#).unwrap_err();
        assert_eq!(error.path, "One", "{error}");
        let found: Found = from_str(r#"{"Refs":[{},{"Extra":1,"UID":"u"}],"One":{"Name":"x"}}"#).unwrap();
        assert_eq!(
            found,
            Found {
                refs: Some(vec![Reference { name: None, uid: None }, Reference { name: None, uid: Some("u".into()) }]),
                one: Some(vec![Reference { name: Some("x".into()), uid: None }]),
            }
        );
        let found: Found = from_str(r#"{"Refs":null,"One":[{"Name":"y"}]}"#).unwrap();
        assert_eq!(found.refs, None);
        assert_eq!(found.one.unwrap().len(), 1);
    }
}

/// A JSON value that none of a union's alternatives matched (a newer server's addition), kept
/// as it came and written back unchanged.
///
/// Its `Debug` shows only what kind of value it is: it may hold anything, secrets included.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnknownJson(Value);

impl UnknownJson {
    /// The value as received.
    pub fn as_value(&self) -> &Value {
        &self.0
    }

    /// The value, taken out.
    pub fn into_value(self) -> Value {
        self.0
    }
}

impl From<Value> for UnknownJson {
    fn from(value: Value) -> Self {
        UnknownJson(value)
    }
}

impl fmt::Debug for UnknownJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.0 {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        };
        write!(f, "UnknownJson({kind})")
    }
}

/// The text of member `name` of an object, if it is a string: a union's discriminator.
pub fn tag<'v>(value: &'v Value, name: &str) -> Option<&'v str> {
    value.as_object()?.get(name)?.as_str()
}

/// The one member of an object and its value: a wrapped union's alternative, named by the
/// member (`{"BackupJobCloneInfo": {...}}`). `None` for anything else, an object of two members
/// included ("exactly one of").
pub fn wrapped(value: &Value) -> Option<(&str, &Value)> {
    let object = value.as_object()?;
    let mut members = object.iter();
    match (members.next(), members.next()) {
        (Some((name, inner)), None) => Some((name.as_str(), inner)),
        _ => None,
    }
}

/// Reads one alternative of a union from the buffered value; `None` when it does not fit.
pub fn try_variant<T: DeserializeOwned>(value: &Value) -> Option<T> {
    T::deserialize(Strict(value)).ok()
}

/// Reads the alternative a union's discriminator names; an error says why it does not fit.
pub fn variant<T: DeserializeOwned, E: de::Error>(value: &Value) -> Result<T, E> {
    T::deserialize(Strict(value)).map_err(E::custom)
}

/// The error when no alternative of a union (and no catch-all) takes a value.
pub fn no_variant<E: de::Error>(union: &str) -> E {
    E::custom(format_args!("the value matches none of the alternatives of `{union}`"))
}
