//! What the runtime's `#[derive(Serialize, Deserialize)]` expands to calls: written once here,
//! generic over the deserializer and the slots' types, so a model's own reader is its key lookup,
//! its slots' types and its constructor.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// A member name read as the position of its field in the struct, [`UNKNOWN`] for members the
/// struct does not have. The struct's derive gives the lookup as a `match` on every name a member
/// may have (wire name and aliases), which compiles to length and byte comparisons.
pub struct Key(pub fn(&[u8]) -> usize);

/// The position a member the struct does not know reads as.
pub const UNKNOWN: usize = usize::MAX;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = usize;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<usize, E> {
        Ok((self.0)(name.as_bytes()))
    }

    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<usize, E> {
        Ok((self.0)(name))
    }
}

/// Reads a member's value into its slot; a member given twice is an error, as with serde's derive.
pub fn value<'de, A, T>(map: &mut A, slot: &mut Option<T>, name: &'static str) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: de::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a member the struct does not have.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// Reads a struct from a map: each member's value into its field's slot, through `key` (the
/// member's field position) and `Slots` (the fields' types, a tuple written by the derive), then
/// `finish` builds the struct from the slots, or names the required field that is missing. The
/// loop, the dispatch to a slot and the errors are here once; a model's own code is its key
/// lookup and its constructor.
pub fn read_struct<'de, D, S, T, F>(
    deserializer: D,
    name: &'static str,
    fields: &'static [&'static str],
    key: fn(&[u8]) -> usize,
    finish: F,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    S: Slots<'de>,
    F: FnOnce(S) -> Result<T, &'static str>,
{
    deserializer.deserialize_struct(name, fields, StructVisitor { name, fields, key, finish, slots: PhantomData })
}

struct StructVisitor<S, F> {
    name: &'static str,
    fields: &'static [&'static str],
    key: fn(&[u8]) -> usize,
    finish: F,
    slots: PhantomData<S>,
}

impl<'de, S: Slots<'de>, T, F: FnOnce(S) -> Result<T, &'static str>> Visitor<'de> for StructVisitor<S, F> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut slots = S::empty();
        while let Some(index) = map.next_key_seed(Key(self.key))? {
            slots.read(index, &mut map, self.fields)?;
        }
        // Inside the reader, so that the error carries its position (and the JSON path).
        (self.finish)(slots).map_err(de::Error::missing_field)
    }
}

/// The slots a struct's members are read into: a tuple of `Option`s (up to 12 fields), or a
/// [`Group`] of slots for more. Fields are numbered in order across them.
pub trait Slots<'de>: Sized {
    /// How many fields.
    const LEN: usize;
    /// All empty.
    fn empty() -> Self;
    /// Reads the value of field `index` (from `0`, within these slots) into its slot; `names`
    /// are these slots' member names, for errors. An index past the slots skips the value.
    fn read<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        names: &'static [&'static str],
    ) -> Result<(), A::Error>;
}

/// Slots or members of more than 12 fields: a tuple of them, each a tuple of 12 at most or a
/// group again.
pub struct Group<S>(pub S);

fn name_at(names: &'static [&'static str], index: usize) -> &'static str {
    names.get(index).copied().unwrap_or_default()
}

/// A member as a struct writes it: its value, and whether it is left out (its
/// `skip_serializing_if` said so).
pub struct Member<'a, T: ?Sized>(pub &'a T, pub bool);

/// A struct's members, written in order: a tuple of [`Member`]s (up to 12), or a [`Group`] of
/// them for more.
pub trait Members {
    /// How many members.
    const LEN: usize;
    /// How many are written (not left out).
    fn written(&self) -> usize;
    /// Writes them; `names` are their member names.
    fn write<S: SerializeStruct>(&self, state: &mut S, names: &'static [&'static str]) -> Result<(), S::Error>;
}

/// Writes a struct: its members, named by `names`, the left-out ones skipped. The struct's
/// derive only lists its members.
pub fn write_struct<S: Serializer, M: Members>(
    serializer: S,
    name: &'static str,
    names: &'static [&'static str],
    members: M,
) -> Result<S::Ok, S::Error> {
    let mut state = serializer.serialize_struct(name, members.written())?;
    members.write(&mut state, names)?;
    state.end()
}

macro_rules! tuple_slots {
    ($($value:ident $slot:ident $position:tt),*) => {
        impl<'de, $($value: de::Deserialize<'de>),*> Slots<'de> for ($(Option<$value>,)*) {
            const LEN: usize = <[&str]>::len(&[$(stringify!($value)),*]);

            #[allow(clippy::unused_unit)]
            fn empty() -> Self {
                ($(Option::<$value>::None,)*)
            }

            // A `match` on the position: a jump, as the derive's own `match` was.
            #[inline]
            #[allow(unused_variables)]
            fn read<A: MapAccess<'de>>(
                &mut self,
                index: usize,
                map: &mut A,
                names: &'static [&'static str],
            ) -> Result<(), A::Error> {
                match index {
                    $($position => value(map, &mut self.$position, name_at(names, $position)),)*
                    _ => skip(map),
                }
            }
        }

        impl<'de, $($slot: Slots<'de>),*> Slots<'de> for Group<($($slot,)*)> {
            const LEN: usize = 0 $(+ $slot::LEN)*;

            fn empty() -> Self {
                Group(($($slot::empty(),)*))
            }

            #[inline]
            #[allow(unused_assignments, unused_mut, unused_variables)]
            fn read<A: MapAccess<'de>>(
                &mut self,
                index: usize,
                map: &mut A,
                names: &'static [&'static str],
            ) -> Result<(), A::Error> {
                let (mut index, mut names) = (index, names);
                $(
                    if index < $slot::LEN {
                        return self.0.$position.read(index, map, names);
                    }
                    index -= $slot::LEN;
                    names = names.get($slot::LEN..).unwrap_or_default();
                )*
                skip(map)
            }
        }

        impl<$($value: Serialize + ?Sized),*> Members for ($(Member<'_, $value>,)*) {
            const LEN: usize = <[&str]>::len(&[$(stringify!($value)),*]);

            #[inline]
            fn written(&self) -> usize {
                0 $(+ usize::from(!self.$position.1))*
            }

            #[inline]
            #[allow(unused_variables)]
            fn write<S: SerializeStruct>(&self, state: &mut S, names: &'static [&'static str]) -> Result<(), S::Error> {
                $(
                    let name = name_at(names, $position);
                    if self.$position.1 {
                        state.skip_field(name)?;
                    } else {
                        state.serialize_field(name, self.$position.0)?;
                    }
                )*
                Ok(())
            }
        }

        impl<$($slot: Members),*> Members for Group<($($slot,)*)> {
            const LEN: usize = 0 $(+ $slot::LEN)*;

            #[inline]
            fn written(&self) -> usize {
                0 $(+ self.0.$position.written())*
            }

            #[inline]
            #[allow(unused_assignments, unused_mut, unused_variables)]
            fn write<S: SerializeStruct>(&self, state: &mut S, names: &'static [&'static str]) -> Result<(), S::Error> {
                let mut names = names;
                $(
                    self.0.$position.write(state, names)?;
                    names = names.get($slot::LEN..).unwrap_or_default();
                )*
                Ok(())
            }
        }
    };
}

tuple_slots!();
tuple_slots!(T0 S0 0);
tuple_slots!(T0 S0 0, T1 S1 1);
tuple_slots!(T0 S0 0, T1 S1 1, T2 S2 2);
tuple_slots!(T0 S0 0, T1 S1 1, T2 S2 2, T3 S3 3);
tuple_slots!(T0 S0 0, T1 S1 1, T2 S2 2, T3 S3 3, T4 S4 4);
tuple_slots!(T0 S0 0, T1 S1 1, T2 S2 2, T3 S3 3, T4 S4 4, T5 S5 5);
tuple_slots!(T0 S0 0, T1 S1 1, T2 S2 2, T3 S3 3, T4 S4 4, T5 S5 5, T6 S6 6);
tuple_slots!(T0 S0 0, T1 S1 1, T2 S2 2, T3 S3 3, T4 S4 4, T5 S5 5, T6 S6 6, T7 S7 7);
tuple_slots!(T0 S0 0, T1 S1 1, T2 S2 2, T3 S3 3, T4 S4 4, T5 S5 5, T6 S6 6, T7 S7 7, T8 S8 8);
tuple_slots!(T0 S0 0, T1 S1 1, T2 S2 2, T3 S3 3, T4 S4 4, T5 S5 5, T6 S6 6, T7 S7 7, T8 S8 8, T9 S9 9);
tuple_slots!(T0 S0 0, T1 S1 1, T2 S2 2, T3 S3 3, T4 S4 4, T5 S5 5, T6 S6 6, T7 S7 7, T8 S8 8, T9 S9 9, T10 S10 10);
tuple_slots!(
    T0 S0 0, T1 S1 1, T2 S2 2, T3 S3 3, T4 S4 4, T5 S5 5, T6 S6 6, T7 S7 7, T8 S8 8, T9 S9 9, T10 S10 10, T11 S11 11
);
