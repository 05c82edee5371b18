//! What the runtime's `#[derive(Serialize, Deserialize)]` expands to calls: written once here,
//! generic over the deserializer only, so a model's own code is a `match` on field positions.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

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

/// A required field's value, or serde's "missing field" error.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}
