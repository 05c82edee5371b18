//! Reading a document (JSON or YAML) into a JSON tree.
//!
//! `serde_json::Value` refuses integers beyond 64 bits, and YAML hands them over as 128-bit
//! integers: a `minimum: -9223372036854776000` (an i64 bound rounded through a float, common in
//! generated documents) would make the whole document unreadable. Here such numbers become the
//! nearest float, as JSON readers do, and are listed so the import can say so.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value as Json};

/// A document read: its tree, and the numbers that have no exact JSON value, each with its
/// JSON pointer and what was made of it.
pub(super) struct Read {
    pub tree: Json,
    pub approximated: Vec<(String, String)>,
}

/// Reads `text` as JSON, else YAML.
pub(super) fn read(text: &str) -> Result<Read, String> {
    let mut state = State::default();
    let tree = match (Tree { state: &mut state }).deserialize(&mut serde_json::Deserializer::from_str(text)) {
        Ok(tree) => tree,
        Err(_) => {
            state = State::default();
            Tree { state: &mut state }
                .deserialize(serde_yaml::Deserializer::from_str(text))
                .map_err(|error| error.to_string())?
        }
    };
    Ok(Read { tree, approximated: state.approximated })
}

#[derive(Default)]
struct State {
    /// Segments of the pointer to the value being read.
    path: Vec<String>,
    approximated: Vec<(String, String)>,
}

/// Builds a `serde_json::Value`, reading any integer as a float when it does not fit 64 bits.
struct Tree<'s> {
    state: &'s mut State,
}

impl<'de> DeserializeSeed<'de> for Tree<'_> {
    type Value = Json;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Tree<'_> {
    fn float(self, written: String, value: f64) -> Json {
        self.approximated(format!("`{written}` does not fit 64 bits; read as the float {value:e}"));
        Number::from_f64(value).map_or(Json::Null, Json::Number)
    }

    /// Notes that the value being read has no exact JSON form, at its pointer.
    fn approximated(self, message: String) {
        let pointer: String = self.state.path.iter().map(|segment| format!("/{}", super::escape(segment))).collect();
        self.state.approximated.push((pointer, message));
    }
}

impl<'de> Visitor<'de> for Tree<'_> {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON or YAML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Json, E> {
        Ok(Json::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Json, E> {
        Ok(Json::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Json, E> {
        Ok(Json::Number(value.into()))
    }

    fn visit_i128<E>(self, value: i128) -> Result<Json, E> {
        Ok(match i64::try_from(value) {
            Ok(small) => Json::Number(small.into()),
            Err(_) => self.float(value.to_string(), value as f64),
        })
    }

    fn visit_u128<E>(self, value: u128) -> Result<Json, E> {
        Ok(match u64::try_from(value) {
            Ok(small) => Json::Number(small.into()),
            Err(_) => self.float(value.to_string(), value as f64),
        })
    }

    fn visit_f64<E>(self, value: f64) -> Result<Json, E> {
        Ok(match Number::from_f64(value) {
            Some(number) => Json::Number(number),
            // YAML's `.inf` and `.nan` have no JSON form.
            None => {
                self.approximated(format!("`{value}` has no JSON form; read as null"));
                Json::Null
            }
        })
    }

    fn visit_str<E>(self, value: &str) -> Result<Json, E> {
        Ok(Json::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Json, E> {
        Ok(Json::String(value))
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        loop {
            self.state.path.push(items.len().to_string());
            let item = seq.next_element_seed(Tree { state: &mut *self.state });
            self.state.path.pop();
            match item? {
                Some(item) => items.push(item),
                None => return Ok(Json::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut object = Map::new();
        while let Some(Key(key)) = map.next_key::<Key>()? {
            self.state.path.push(key);
            let value = map.next_value_seed(Tree { state: &mut *self.state });
            let key = self.state.path.pop().unwrap_or_default();
            object.insert(key, value?);
        }
        Ok(Json::Object(object))
    }
}

/// A mapping key: text, or a YAML number or boolean written as a key (`200:`), as text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping key (text, a number or a boolean)")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Key, E> {
                Ok(Key(value.to_owned()))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<Key, E> {
                Ok(Key(value))
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
            fn visit_i128<E: de::Error>(self, value: i128) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
            fn visit_u128<E: de::Error>(self, value: u128) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
        }
        deserializer.deserialize_string(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_beyond_64_bits_are_floats_and_listed() {
        for text in [
            "minimum: -9223372036854776000\nmaximum: 18446744073709551616\nsmall: -3\n",
            r#"{"minimum": -9223372036854776000, "maximum": 18446744073709551616, "small": -3}"#,
        ] {
            let read = read(text).unwrap();
            assert_eq!(read.tree["small"], -3, "{text}");
            assert_eq!(read.tree["minimum"].as_f64(), Some(-9.223372036854776e18), "{text}");
            assert_eq!(read.tree["maximum"].as_f64(), Some(1.8446744073709552e19), "{text}");
        }
        // serde_json reads JSON's big integers as floats itself; YAML's come through i128, noted.
        let read = read("a:\n  - {b: -9223372036854776000}\n  - .inf\n").unwrap();
        assert_eq!(
            read.approximated,
            [
                (
                    "/a/0/b".to_owned(),
                    "`-9223372036854776000` does not fit 64 bits; read as the float -9.223372036854776e18".to_owned()
                ),
                ("/a/1".to_owned(), "`inf` has no JSON form; read as null".to_owned()),
            ]
        );
    }

    #[test]
    fn keys_written_as_numbers_are_text() {
        let read = read("responses:\n  200: {description: ok}\n  true: x\n").unwrap();
        assert_eq!(read.tree["responses"]["200"]["description"], "ok");
        assert_eq!(read.tree["responses"]["true"], "x");
    }
}
