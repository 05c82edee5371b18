//! Derives for the models the generator emits, so that the generated source and what it expands
//! to stay small.
//!
//! `#[derive(Setters)]`: a generated model's `new` (the required fields) and its `with_*` setters
//! (one per optional field), so the generated source holds a line per struct instead of a
//! constructor and six lines per field.
//!
//! ```ignore
//! #[derive(Setters)]
//! #[setters(into(name, title), skip(parent))]
//! pub struct Folder {
//!     pub id: Uuid,                  // new(id, ..)
//!     pub title: String,             // new(.., title: impl Into<String>, ..)
//!     pub name: Option<String>,      // with_name(impl Into<String>)
//!     pub size: Option<i64>,         // with_size(i64)
//!     pub child: Option<Box<Folder>>,// with_child(Folder), boxed
//!     pub parent: Option<Uuid>,      // skipped: required but nullable, new(.., parent: Option<Uuid>)
//! }
//! ```
//!
//! `new` takes the fields that are not `Option`s and those listed in `skip(..)`, in order (a
//! `Box<T>` field takes a `T`); the other fields start as `None`, and with no argument the type is
//! also `Default`. Each setter is `with_<field>` (a raw identifier's plain name), returns the value
//! with the field set to `Some(..)`, and is `#[must_use]`. What a field takes is said by the struct
//! attribute, not guessed from type names (a spec may define its own `String`): `into(..)` fields
//! take `impl Into<T>`, `skip(..)` fields get no setter; an `Option<Box<T>>` takes a `T`.

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

mod serde_impls;
mod setters;

#[proc_macro_derive(Setters, attributes(setters))]
pub fn derive_setters(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    setters::setters(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// serde's `Serialize` for a struct with named fields, from the subset of `#[serde(..)]`
/// attributes the generator writes (see [`serde_impls`]).
#[proc_macro_derive(Serialize, attributes(serde))]
pub fn derive_serialize(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    serde_impls::serialize(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// serde's `Deserialize` for a struct with named fields, from the subset of `#[serde(..)]`
/// attributes the generator writes (see [`serde_impls`]).
#[proc_macro_derive(Deserialize, attributes(serde))]
pub fn derive_deserialize(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    serde_impls::deserialize(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}
