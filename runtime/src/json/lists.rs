//! List readers: each accepts exactly the shapes its field documents and refuses any other with
//! an error at the field's path.
//!
//! - [`list`]: an array (`null` is no list).
//! - [`one_or_many`]: an array, or one item where the API is documented to send a single item.
//! - [`wrapped_list`]: an object whose one member holds the array (`"Roles": {"EnterpriseRoles":
//!   [...]}`); `{}` is an empty list; any other member is refused (the list may be under a name
//!   this client does not know, and an empty list would hide it).
//!
//! Every item that is a model must have at least one of the model's members when it has any
//! member at all: an object of unknown members only (`[{"Refs": [...]}]` read as references) is
//! another shape, not an empty item. The check watches the keys the model's own reader is given
//! (the member names come from its `deserialize_struct` call), so it costs a comparison until the
//! first known key and works with any derive.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A list: a JSON array (an item that is an object with members but none of its model's is
/// refused).
pub fn list<'de, D: Deserializer<'de>, T: DeserializeOwned>(deserializer: D) -> Result<Vec<T>, D::Error> {
    deserializer.deserialize_seq(Items::<T>::new(false))
}

/// An optional list; `null` is `None`.
pub fn option_list<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    deserializer: D,
) -> Result<Option<Vec<T>>, D::Error> {
    Ok(Option::<Listed<T, false>>::deserialize(deserializer)?.map(|listed| listed.0))
}

/// A list, also from a single item where the API is documented to send one item without the
/// array.
pub fn one_or_many<'de, D: Deserializer<'de>, T: DeserializeOwned>(deserializer: D) -> Result<Vec<T>, D::Error> {
    deserializer.deserialize_any(Items::<T>::new(true))
}

/// An optional [`one_or_many`] list; `null` is `None`.
pub fn option_one_or_many<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    deserializer: D,
) -> Result<Option<Vec<T>>, D::Error> {
    Ok(Option::<Listed<T, true>>::deserialize(deserializer)?.map(|listed| listed.0))
}

/// A list read by [`list`] (or [`one_or_many`] when `SINGLE`), as a type.
struct Listed<T, const SINGLE: bool>(Vec<T>);

impl<'de, T: DeserializeOwned, const SINGLE: bool> Deserialize<'de> for Listed<T, SINGLE> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match SINGLE {
            true => one_or_many(deserializer).map(Listed),
            false => list(deserializer).map(Listed),
        }
    }
}

/// Reads an array item by item as it streams (no buffering, so an error inside an item keeps
/// its place: `Items[1].Name`), or one item when `single`.
struct Items<T> {
    single: bool,
    item: PhantomData<T>,
}

impl<T> Items<T> {
    fn new(single: bool) -> Self {
        Items { single, item: PhantomData }
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Items<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(if self.single { "a list, or a single item" } else { "a list" })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // Not `size_hint`: a hostile length must not reserve memory.
        let mut items = Vec::new();
        while let Some(Item(item)) = seq.next_element::<Item<T>>()? {
            items.push(item);
        }
        Ok(items)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        if !self.single {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        }
        Item::<T>::deserialize(de::value::MapAccessDeserializer::new(map)).map(|Item(item)| vec![item])
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        match self.single {
            true => T::deserialize(de::value::StrDeserializer::<E>::new(v)).map(|item| vec![item]),
            false => Err(E::invalid_type(de::Unexpected::Str(v), &self)),
        }
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<T>, E> {
        match self.single {
            true => T::deserialize(de::value::BoolDeserializer::<E>::new(v)).map(|item| vec![item]),
            false => Err(E::invalid_type(de::Unexpected::Bool(v), &self)),
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<T>, E> {
        match self.single {
            true => T::deserialize(de::value::I64Deserializer::<E>::new(v)).map(|item| vec![item]),
            false => Err(E::invalid_type(de::Unexpected::Signed(v), &self)),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<T>, E> {
        match self.single {
            true => T::deserialize(de::value::U64Deserializer::<E>::new(v)).map(|item| vec![item]),
            false => Err(E::invalid_type(de::Unexpected::Unsigned(v), &self)),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Vec<T>, E> {
        match self.single {
            true => T::deserialize(de::value::F64Deserializer::<E>::new(v)).map(|item| vec![item]),
            false => Err(E::invalid_type(de::Unexpected::Float(v), &self)),
        }
    }
}

/// The member name of an object wrapping a list, as a type (generated per name).
pub trait Member {
    /// The JSON member name.
    const NAME: &'static str;
    /// Other names the list is read from.
    const ALIASES: &'static [&'static str] = &[];
    /// Whether the member may hold one item instead of an array (a documented quirk).
    const SINGLE: bool = false;
}

/// A list wrapped in an object `{ "<M::NAME>": [...] }`. `{}` is an empty list; an array without
/// the wrapper, or an object with any other member, is refused.
pub fn wrapped_list<'de, M: Member, T: DeserializeOwned, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    struct WrapperVisitor<M, T>(PhantomData<(M, T)>);
    impl<'de, M: Member, T: DeserializeOwned> Visitor<'de> for WrapperVisitor<M, T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "an object with a `{}` list", M::NAME)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
            let mut items = None;
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                if key != M::NAME && !M::ALIASES.contains(&key.as_ref()) {
                    return Err(de::Error::custom(format_args!(
                        "the `{}` list's wrapper has a member `{key}`: the list is missing or under a name this client does not know",
                        M::NAME
                    )));
                }
                if items.is_some() {
                    return Err(de::Error::custom(format_args!("the `{}` list is given twice", M::NAME)));
                }
                items = Some(match M::SINGLE {
                    true => map.next_value::<Listed<T, true>>()?.0,
                    false => map.next_value::<Listed<T, false>>()?.0,
                });
            }
            Ok(items.unwrap_or_default())
        }
    }
    deserializer.deserialize_map(WrapperVisitor::<M, T>(PhantomData))
}

/// An optional wrapped list; `null` is `None`.
pub fn option_wrapped_list<'de, M: Member, T: DeserializeOwned, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<T>>, D::Error> {
    struct Wrapped<M, T>(Vec<T>, PhantomData<M>);
    impl<'de, M: Member, T: DeserializeOwned> Deserialize<'de> for Wrapped<M, T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            wrapped_list::<M, T, D>(deserializer).map(|items| Wrapped(items, PhantomData))
        }
    }
    Option::<Wrapped<M, T>>::deserialize(deserializer).map(|wrapped| wrapped.map(|w| w.0))
}

/// A list item: `T` as its own reader reads it, except that a model given an object with members
/// but none of its own is refused.
struct Item<T>(T);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(Watched(deserializer)).map(Item)
    }
}

/// A deserializer that hands everything to the one it wraps, and watches the keys of a struct.
struct Watched<D>(D);

macro_rules! forward {
    ($($method:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(visitor)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Watched<D> {
    type Error = D::Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_struct(name, fields, WatchedStruct { visitor, name, fields })
    }

    forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any,
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, visitor)
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, visitor)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }
    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// The struct's visitor, given a map whose keys are watched.
struct WatchedStruct<V> {
    visitor: V,
    name: &'static str,
    fields: &'static [&'static str],
}

impl<'de, V: Visitor<'de>> Visitor<'de> for WatchedStruct<V> {
    type Value = V::Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.visitor.expecting(f)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let keys = Keys { fields: self.fields, known: false, first_unknown: None };
        self.visitor.visit_map(WatchedMap { map, name: self.name, keys })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(seq)
    }
}

/// What the keys of one object were: whether one is a member of the struct, and the first that
/// is not.
struct Keys {
    fields: &'static [&'static str],
    known: bool,
    first_unknown: Option<String>,
}

impl Keys {
    fn saw(&mut self, key: &str) {
        if self.known {
            return;
        }
        if self.fields.contains(&key) {
            self.known = true;
        } else if self.first_unknown.is_none() {
            self.first_unknown = Some(key.to_owned());
        }
    }
}

struct WatchedMap<A> {
    map: A,
    name: &'static str,
    keys: Keys,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WatchedMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        if self.keys.known {
            return self.map.next_key_seed(seed);
        }
        let key = self.map.next_key_seed(KeySeed { seed, keys: &mut self.keys })?;
        if key.is_none() && !self.keys.known {
            if let Some(unknown) = &self.keys.first_unknown {
                return Err(de::Error::custom(format_args!(
                    "an object with none of the members of `{}` (it has `{unknown}`): not an item of this list",
                    self.name
                )));
            }
        }
        Ok(key)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// A key's reader that notes the key's text on its way to the struct's own key reader.
struct KeySeed<'k, K> {
    seed: K,
    keys: &'k mut Keys,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, K> {
    type Value = K::Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<K::Value, D::Error> {
        // A JSON key is a string: read it as one (borrowed where the input allows), note it, and
        // give it to the struct's reader.
        let key = super::string(deserializer)?;
        self.keys.saw(&key);
        match key {
            Cow::Borrowed(key) => self.seed.deserialize(de::value::BorrowedStrDeserializer::new(key)),
            Cow::Owned(key) => self.seed.deserialize(de::value::StringDeserializer::new(key)),
        }
    }
}
