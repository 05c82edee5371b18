//! `#[derive(Setters)]`: the `with_*` setters of a generated model, one per optional field, so
//! the generated source holds a line per struct instead of six per field.
//!
//! ```ignore
//! #[derive(Setters)]
//! #[setters(into(name), skip(parent))]
//! pub struct Folder {
//!     pub id: Uuid,                  // not an `Option`: no setter (it is `new`'s argument)
//!     pub name: Option<String>,      // with_name(impl Into<String>)
//!     pub size: Option<i64>,         // with_size(i64)
//!     pub child: Option<Box<Folder>>,// with_child(Folder), boxed
//!     pub parent: Option<Uuid>,      // skipped: required but nullable, also `new`'s argument
//! }
//! ```
//!
//! Each setter is `with_<field>` (a raw identifier's plain name), returns the value with the field
//! set to `Some(..)`, and is `#[must_use]`. What a field takes is said by the struct attribute,
//! not guessed from type names (a spec may define its own `String`): `into(..)` fields take
//! `impl Into<T>`, `skip(..)` fields get no setter; an `Option<Box<T>>` takes a `T`.

use proc_macro::TokenStream;
use proc_macro2::Ident;
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::{parse_macro_input, Data, DeriveInput, Fields, GenericArgument, PathArguments, Token, Type};

#[proc_macro_derive(Setters, attributes(setters))]
pub fn derive_setters(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match setters(&input) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

/// Field names listed in `#[setters(into(..), skip(..))]`.
#[derive(Default)]
struct Lists {
    into: Vec<Ident>,
    skip: Vec<Ident>,
}

fn lists(input: &DeriveInput) -> syn::Result<Lists> {
    let mut lists = Lists::default();
    for attribute in input.attrs.iter().filter(|a| a.path().is_ident("setters")) {
        attribute.parse_nested_meta(|meta| {
            let list = if meta.path.is_ident("into") {
                &mut lists.into
            } else if meta.path.is_ident("skip") {
                &mut lists.skip
            } else {
                return Err(meta.error("expected `into(..)` or `skip(..)`"));
            };
            let content;
            syn::parenthesized!(content in meta.input);
            let names = Punctuated::<Ident, Token![,]>::parse_terminated_with(&content, syn::ext::IdentExt::parse_any)?;
            list.extend(names);
            Ok(())
        })?;
    }
    Ok(lists)
}

/// `T` of `Option<T>`, if the type is one.
fn option_inner(ty: &Type) -> Option<&Type> {
    generic_inner(ty, "Option")
}

fn generic_inner<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &last.arguments else { return None };
    match arguments.args.first()? {
        GenericArgument::Type(inner) if arguments.args.len() == 1 => Some(inner),
        _ => None,
    }
}

fn setters(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(&input.ident, "Setters derives on structs only"));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new_spanned(&input.ident, "Setters needs named fields"));
    };
    let lists = lists(input)?;
    let known = |name: &Ident| fields.named.iter().any(|f| f.ident.as_ref() == Some(name));
    if let Some(unknown) = lists.into.iter().chain(&lists.skip).find(|name| !known(name)) {
        return Err(syn::Error::new_spanned(unknown, "no such field"));
    }
    let mut methods = Vec::new();
    for field in &fields.named {
        let Some(name) = &field.ident else { continue };
        if lists.skip.contains(name) {
            continue;
        }
        let Some(inner) = option_inner(&field.ty) else { continue };
        let plain = name.to_string().trim_start_matches("r#").to_owned();
        let setter = format_ident!("with_{}", plain);
        let (stored, boxed) = match generic_inner(inner, "Box") {
            Some(boxed) => (boxed, true),
            None => (inner, false),
        };
        let (argument, value) = if lists.into.contains(name) {
            (quote!(impl ::std::convert::Into<#stored>), quote!(::std::convert::Into::into(#name)))
        } else {
            (quote!(#stored), quote!(#name))
        };
        let value = if boxed { quote!(::std::boxed::Box::new(#value)) } else { value };
        let doc = format!("Sets [`{plain}`](Self::{name}).");
        methods.push(quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #setter(mut self, #name: #argument) -> Self {
                self.#name = ::std::option::Option::Some(#value);
                self
            }
        });
    }
    let ty = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics #ty #ty_generics #where_clause {
            #(#methods)*
        }
    })
}
