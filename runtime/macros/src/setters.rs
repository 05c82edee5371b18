//! `#[derive(Setters)]`.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, ToTokens};
use syn::punctuated::Punctuated;
use syn::{Data, DeriveInput, Fields, GenericArgument, PathArguments, Token, Type};

/// Arguments a function takes before clippy's `too_many_arguments` lint fires.
pub(crate) const CLIPPY_MAX_ARGUMENTS: usize = 7;

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
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    generic_inner(ty, "Option")
}

pub(crate) fn generic_inner<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
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

/// How an argument `name` meant for a value of type `ty` is declared, and the value it gives:
/// itself, or with `into` any `impl Into<ty>`, converted.
pub(crate) fn taken(name: &Ident, ty: &impl ToTokens, into: bool) -> (TokenStream, TokenStream) {
    if into {
        (quote!(impl ::std::convert::Into<#ty>), quote!(::std::convert::Into::into(#name)))
    } else {
        (quote!(#ty), quote!(#name))
    }
}

/// `pub fn setter(mut self, name: argument) -> Self`, setting the `Option` field `name` to
/// `Some(value)`, with the attributes `attributes` (its documentation).
pub(crate) fn option_setter(
    attributes: TokenStream,
    setter: &Ident,
    name: &Ident,
    (argument, value): (TokenStream, TokenStream),
) -> TokenStream {
    quote! {
        #attributes
        pub fn #setter(mut self, #name: #argument) -> Self {
            self.#name = ::std::option::Option::Some(#value);
            self
        }
    }
}

pub(crate) fn setters(input: &DeriveInput) -> syn::Result<TokenStream> {
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
    let (mut arguments, mut initializers) = (Vec::new(), Vec::new());
    for field in &fields.named {
        let Some(name) = &field.ident else { continue };
        let into = lists.into.contains(name);
        let optional = option_inner(&field.ty);
        if optional.is_none() || lists.skip.contains(name) {
            // Required: an argument of `new`. A required nullable field (skipped) takes its
            // `Option` as it is stored, the caller's choice of `null`.
            let ty = &field.ty;
            let (argument, value) = match generic_inner(ty, "Box") {
                Some(boxed) if !into && optional.is_none() => (quote!(#boxed), quote!(::std::boxed::Box::new(#name))),
                _ => taken(name, ty, into),
            };
            arguments.push(quote!(#name: #argument));
            initializers.push(quote!(#name: #value));
            continue;
        }
        initializers.push(quote!(#name: ::std::option::Option::None));
        let Some(inner) = optional else { continue };
        let plain = name.to_string().trim_start_matches("r#").to_owned();
        let setter = format_ident!("with_{}", plain);
        let (stored, boxed) = match generic_inner(inner, "Box") {
            Some(boxed) => (boxed, true),
            None => (inner, false),
        };
        let (argument, value) = taken(name, stored, into);
        let value = if boxed { quote!(::std::boxed::Box::new(#value)) } else { value };
        let doc = format!("Sets [`{plain}`](Self::{name}).");
        methods.push(option_setter(quote!(#[doc = #doc] #[must_use]), &setter, name, (argument, value)));
    }
    let ty = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let new_doc = if arguments.is_empty() {
        "Creates an empty value; set fields with the `with_*` methods."
    } else {
        "Creates a value from its required fields; optional fields start as `None`."
    };
    let allow = (arguments.len() > CLIPPY_MAX_ARGUMENTS).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let default = arguments.is_empty().then(|| {
        quote! {
            impl #impl_generics ::std::default::Default for #ty #ty_generics #where_clause {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    Ok(quote! {
        impl #impl_generics #ty #ty_generics #where_clause {
            #[doc = #new_doc]
            #allow
            pub fn new(#(#arguments),*) -> Self {
                Self { #(#initializers),* }
            }
            #(#methods)*
        }
        #default
    })
}
