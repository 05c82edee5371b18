//! Objects only where a model is expected.
//!
//! serde's derive reads a struct from a JSON array too, member by member in declaration order
//! (`[]` is a struct whose optional members are all absent). No Veeam API sends models that way:
//! an array where an object is documented is a server bug, and reading it positionally would
//! hide it. [`Strict`] wraps serde_json's deserializer and asks for a map wherever serde's
//! derive asks for a struct, so the array is refused with serde_json's own message
//! (`invalid type: sequence, expected struct X`). Everything else is passed through unchanged;
//! nested values are wrapped as they are reached.

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

/// A deserializer that reads structs only from maps (objects): what [`from_slice`](super::from_slice)
/// reads with, and what a document's own reader gets in
/// [`expecting_member`](super::expecting_member).
pub struct Strict<D>(pub(crate) D);

/// `Strict` as a seed: passes the wrapping on to the value it reads.
struct Seed<S>(S);

/// A visitor whose nested accessors are wrapped.
struct Wrap<V>(V);

/// A visitor that refuses sequences (structs and struct variants).
struct MapOnly<V>(V);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(Strict(deserializer))
    }
}

/// Deserializer methods passed through with the visitor wrapped.
macro_rules! forward {
    ($($method:ident($($argument:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($argument: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method($($argument,)* Wrap(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Strict<D> {
    type Error = D::Error;

    forward! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_identifier();
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_ignored_any();
    }

    /// The one change: a struct is read from a map, never from a sequence.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_struct(name, fields, MapOnly(Wrap(visitor)))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// Visitor methods for values with nothing nested, passed through.
macro_rules! scalars {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
            self.0.$method(value)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.expecting(f)
    }

    scalars! {
        visit_bool(bool);
        visit_i8(i8);
        visit_i16(i16);
        visit_i32(i32);
        visit_i64(i64);
        visit_i128(i128);
        visit_u8(u8);
        visit_u16(u16);
        visit_u32(u32);
        visit_u64(u64);
        visit_u128(u128);
        visit_f32(f32);
        visit_f64(f64);
        visit_char(char);
        visit_str(&str);
        visit_borrowed_str(&'de str);
        visit_string(String);
        visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]);
        visit_byte_buf(Vec<u8>);
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Strict(deserializer))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Strict(deserializer))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Wrap(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Wrap(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Wrap(data))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Wrap<A> {
    type Error = A::Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Wrap<A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Seed(seed))
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Seed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Wrap<A> {
    type Error = A::Error;
    type Variant = Wrap<A::Variant>;
    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self::Variant), A::Error> {
        let (value, variant) = self.0.variant_seed(Seed(seed))?;
        Ok((value, Wrap(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Wrap<A> {
    type Error = A::Error;
    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed))
    }
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap(visitor))
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, MapOnly(Wrap(visitor)))
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for MapOnly<V> {
    type Value = V::Value;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.expecting(f)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(map)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use crate::json::from_str;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Inner {
        #[serde(rename = "Name")]
        name: Option<String>,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Outer {
        #[serde(rename = "Inner")]
        inner: Option<Inner>,
        #[serde(rename = "Items", default)]
        items: Vec<Inner>,
        #[serde(rename = "Kind", default)]
        kind: Option<Kind>,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    enum Kind {
        Named { name: String },
        Plain,
    }

    #[test]
    fn models_are_read_from_objects_only() {
        let read = from_str::<Outer>(r#"{"Inner": {"Name": "a"}, "Items": [{}], "Kind": {"Named": {"name": "b"}}}"#);
        assert_eq!(
            read.unwrap(),
            Outer {
                inner: Some(Inner { name: Some("a".into()) }),
                items: vec![Inner { name: None }],
                kind: Some(Kind::Named { name: "b".into() })
            }
        );
        assert_eq!(from_str::<Outer>(r#"{"Kind": "Plain"}"#).unwrap().kind, Some(Kind::Plain));
        for (text, path, message) in [
            ("[]", "", "invalid type: sequence, expected struct Outer"),
            (r#"{"Inner": ["a"]}"#, "Inner", "invalid type: sequence, expected struct Inner at line 1 column 11"),
            (r#"{"Items": [{}, []]}"#, "Items[1]", "invalid type: sequence, expected struct Inner at line 1 column 17"),
            (
                r#"{"Kind": {"Named": ["b"]}}"#,
                "Kind.Named",
                "invalid type: sequence, expected struct variant Kind::Named",
            ),
        ] {
            let error = from_str::<Outer>(text).unwrap_err();
            // An array is refused once open (as serde_json refuses a map for a sequence): the path ends
            // inside it (`Inner[0]`).
            assert!(error.path.starts_with(path), "{text}: {}", error.path);
            assert!(error.message.starts_with(message), "{text}: {}", error.message);
        }
    }

    #[test]
    fn serde_json_alone_reads_an_array_positionally() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct Defaults {
            #[serde(default)]
            first: Option<u8>,
            #[serde(default)]
            second: Option<u8>,
        }
        assert_eq!(serde_json::from_str::<Defaults>("[]").unwrap(), Defaults { first: None, second: None });
        assert_eq!(serde_json::from_str::<Defaults>("[7]").unwrap(), Defaults { first: Some(7), second: None });
        for text in ["[]", "[7]"] {
            let error = from_str::<Defaults>(text).unwrap_err();
            assert!(error.message.starts_with("invalid type: sequence, expected struct Defaults"), "{error}");
        }
    }

    #[test]
    fn union_alternatives_are_read_from_objects_only() {
        let array = serde_json::json!(["a"]);
        assert!(crate::json::try_variant::<Inner>(&array).is_none());
        let error = crate::json::variant::<Inner, serde_json::Error>(&array).unwrap_err();
        assert!(error.to_string().starts_with("invalid type: sequence, expected struct Inner"), "{error}");
        let object = serde_json::json!({"Name": "a"});
        assert_eq!(crate::json::try_variant::<Inner>(&object), Some(Inner { name: Some("a".into()) }));
    }

    #[test]
    fn trailing_text_is_refused() {
        let error = from_str::<Inner>(r#"{"Name": "a"} x"#).unwrap_err();
        assert_eq!(error.message, "trailing characters at line 1 column 15");
    }
}
