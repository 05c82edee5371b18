//! Rust types for IR types, and the properties (Eq, Hash) that decide what a model may derive.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Context;
use crate::ir::{Api, Primitive, SchemaKind, Type};

/// The Rust type of a value of `ty` (without `Option`).
pub fn rust_type(context: &Context, ty: &Type) -> TokenStream {
    let runtime = &context.runtime();
    match ty {
        Type::Primitive(primitive) => match primitive {
            Primitive::String | Primitive::Uri => quote!(String),
            Primitive::Int32 => quote!(i32),
            Primitive::Int64 => quote!(i64),
            Primitive::Number => quote!(f64),
            Primitive::Boolean => quote!(bool),
            Primitive::Uuid => quote!(#runtime::Uuid),
            Primitive::DateTime => quote!(#runtime::DateTime),
            Primitive::Date => quote!(#runtime::Date),
            Primitive::Any => quote!(#runtime::json::Value),
        },
        Type::List(item) => {
            let item = rust_type(context, item);
            quote!(Vec<#item>)
        }
        Type::Map(value) => {
            let value = rust_type(context, value);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
        Type::Schema(id) => {
            let name = format_ident!("{}", context.api.schema(*id).rust_name);
            match context.models_path() {
                Some(path) => quote!(#path::#name),
                None => quote!(#name),
            }
        }
    }
}

/// For each schema, whether its values can be `Eq` and `Hash`: not when they hold a float or
/// arbitrary JSON, directly or through other schemas. Linear: the "not Eq" mark spreads backwards
/// along references from the schemas that hold such a value themselves.
pub fn eq_schemas(api: &Api) -> Vec<bool> {
    let mut eq = vec![true; api.schemas.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); api.schemas.len()];
    let mut queue = Vec::new();
    for (index, schema) in api.schemas.iter().enumerate() {
        let SchemaKind::Object(object) = &schema.kind else { continue };
        for field in &object.fields {
            let (direct_ok, referenced) = leaf(&field.ty);
            if !direct_ok && eq[index] {
                eq[index] = false;
                queue.push(index);
            }
            if let Some(target) = referenced {
                dependents[target].push(index);
            }
        }
    }
    while let Some(schema) = queue.pop() {
        for &dependent in &dependents[schema] {
            if eq[dependent] {
                eq[dependent] = false;
                queue.push(dependent);
            }
        }
    }
    eq
}

/// Through lists and maps: whether the innermost value is Eq by itself, and the schema it names.
fn leaf(ty: &Type) -> (bool, Option<usize>) {
    match ty {
        Type::Primitive(Primitive::Number | Primitive::Any) => (false, None),
        Type::Primitive(_) => (true, None),
        Type::List(item) | Type::Map(item) => leaf(item),
        Type::Schema(id) => (true, Some(id.0)),
    }
}
