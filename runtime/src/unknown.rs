/// The raw value of an enum variant the spec did not document.
///
/// Opaque on purpose, as in smithy-rs: it can be read (`as_str`) and sent back unchanged, but not
/// built by hand, so code cannot match on a specific unknown string. When a later spec documents
/// the value it parses as a proper variant, and such a match would silently stop matching.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Used by generated parsers only.
    #[doc(hidden)]
    pub fn from_wire(value: &str) -> Self {
        UnknownValue(value.to_owned())
    }

    /// The value as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
