//! Rust types for IR types, named by full paths.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use super::Context;
use crate::ir::{Primitive, Type};

/// The Rust type of a value of `ty` (without `Option`).
pub fn rust_type(context: &Context, ty: &Type) -> TokenStream {
    let super::Std { string, vec, .. } = context.std();
    let runtime = &context.runtime();
    match ty {
        Type::Primitive(primitive) => match primitive {
            Primitive::String | Primitive::Uri => quote!(#string),
            Primitive::Int32 => quote!(i32),
            Primitive::Int64 => quote!(i64),
            Primitive::Number => quote!(f64),
            Primitive::Boolean => quote!(bool),
            Primitive::Uuid => quote!(#runtime::Uuid),
            Primitive::DateTime => quote!(#runtime::DateTime),
            Primitive::Date => quote!(#runtime::Date),
            Primitive::Any => quote!(#runtime::json::Value),
            // A file sent; files received are `Download`s (see the client emitter).
            Primitive::Binary => quote!(#runtime::client::Upload),
        },
        Type::List(item) => {
            let item = rust_type(context, item);
            quote!(#vec<#item>)
        }
        Type::Map(value) => {
            let value = rust_type(context, value);
            quote!(::std::collections::BTreeMap<#string, #value>)
        }
        Type::Schema(id) => {
            let name = &context.api.schema(*id).rust_name;
            let prefix = context.models_prefix();
            quote!(#prefix #name)
        }
    }
}

/// Whether values of `ty` are text: arguments and setters take them as `impl Into<String>`.
pub fn is_text(ty: &Type) -> bool {
    matches!(ty, Type::Primitive(Primitive::String | Primitive::Uri))
}

/// How an argument `name` for a value of type `ty` is declared, and the value it gives: itself,
/// or with `into` any `impl Into<ty>`, converted.
pub fn taken(name: &impl ToTokens, ty: &TokenStream, into: bool) -> (TokenStream, TokenStream) {
    match into {
        true => (quote!(impl ::std::convert::Into<#ty>), quote!(::std::convert::Into::into(#name))),
        false => (quote!(#ty), quote!(#name)),
    }
}

/// `#[allow(clippy::too_many_arguments)]` for a function of `count` arguments past clippy's
/// limit (7, the receiver included).
pub fn allow_many_arguments(count: usize) -> Option<TokenStream> {
    (count > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]))
}
