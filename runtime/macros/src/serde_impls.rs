//! serde's `Serialize` and `Deserialize` for the generated models, expanded small.
//!
//! serde's own derive writes about 450 lines per struct of eight fields (a field enum and its
//! visitors, sequence and map visitors); the compiler checks all of it in every generated crate.
//! Here a struct's reader is its key lookup (a `match` from member name to field position), the
//! types of its fields' slots (a tuple) and its constructor, and its writer the list of its
//! members with whether each is left out; the loop over members, the dispatch to a slot,
//! duplicates, unknown members, missing fields and counting the members written are generic code
//! in `veeam_runtime::__derive`, written once (BENCHMARKS.md: what the compiler checks per model
//! halved). The wire behaviour is serde's for the attributes the generator writes:
//!
//! - container: `remote = "Self"` (inherent `serialize`/`deserialize` instead of the traits),
//!   and `crate = "::path"`: the runtime crate's path when it is not `::veeam_runtime`;
//! - field: `rename = ".."`, `alias = ".."`, `default`, `skip_serializing_if = "path"`,
//!   `deserialize_with = "path"`, `serialize_with = "path"`, and `serialize_none` (below).
//!
//! Two defaults differ from serde's, so that the generated source needs no attribute for them:
//! an `Option` field that is `None` is left out when writing (serde's
//! `skip_serializing_if = "Option::is_none"`) unless marked `serialize_none`, which sends `null`;
//! a missing `Option` field reads as `None` (as with serde). A missing field with `default` is its
//! default, any other missing field is an error; unknown members are skipped; a member given
//! twice is an error.
//! Anything else is refused at compile time, so a new attribute cannot be silently ignored.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, ToTokens};
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Type};

/// One field as the wire sees it.
struct Field<'a> {
    ident: &'a Ident,
    ty: &'a Type,
    /// The member name on the wire.
    name: String,
    aliases: Vec<String>,
    /// Missing on the wire: its default (`Option` fields and `default`), else an error.
    default: bool,
    skip_serializing_if: Option<syn::ExprPath>,
    /// An `Option` field sends `null` for `None` instead of being left out.
    serialize_none: bool,
    deserialize_with: Option<syn::ExprPath>,
    serialize_with: Option<syn::ExprPath>,
}

struct Container<'a> {
    ident: &'a Ident,
    /// The runtime crate's path: `::veeam_runtime` unless `crate = ".."` names another.
    runtime: TokenStream,
    /// `remote = "Self"`: inherent functions, the trait impls are written by hand.
    remote: bool,
    fields: Vec<Field<'a>>,
}

fn path(value: &LitStr) -> syn::Result<syn::ExprPath> {
    value.parse()
}

fn container(input: &DeriveInput) -> syn::Result<Container<'_>> {
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(&input.generics, "generic structs are not supported"));
    }
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(&input.ident, "derives on structs only"));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(&input.ident, "needs named fields (use serde's derive for others)"));
    };
    let mut remote = false;
    let mut runtime = quote!(::veeam_runtime);
    for attribute in input.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attribute.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                runtime = meta.value()?.parse::<LitStr>()?.parse::<syn::Path>()?.into_token_stream();
                Ok(())
            } else if meta.path.is_ident("remote") {
                let value: LitStr = meta.value()?.parse()?;
                if value.value() != "Self" {
                    return Err(meta.error("only `remote = \"Self\"` is supported"));
                }
                remote = true;
                Ok(())
            } else {
                Err(meta.error("unsupported container attribute"))
            }
        })?;
    }
    let mut fields = Vec::new();
    for field in &named.named {
        let Some(ident) = &field.ident else { continue };
        let mut parsed = Field {
            ident,
            ty: &field.ty,
            name: ident.to_string().trim_start_matches("r#").to_owned(),
            aliases: Vec::new(),
            default: crate::setters::option_inner(&field.ty).is_some(),
            skip_serializing_if: None,
            serialize_none: false,
            deserialize_with: None,
            serialize_with: None,
        };
        for attribute in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            attribute.parse_nested_meta(|meta| {
                let key = meta.path.get_ident().map(Ident::to_string).unwrap_or_default();
                match key.as_str() {
                    "default" => parsed.default = true,
                    "serialize_none" => parsed.serialize_none = true,
                    "rename" => parsed.name = meta.value()?.parse::<LitStr>()?.value(),
                    "alias" => parsed.aliases.push(meta.value()?.parse::<LitStr>()?.value()),
                    "skip_serializing_if" => parsed.skip_serializing_if = Some(path(&meta.value()?.parse()?)?),
                    "deserialize_with" => parsed.deserialize_with = Some(path(&meta.value()?.parse()?)?),
                    "serialize_with" => parsed.serialize_with = Some(path(&meta.value()?.parse()?)?),
                    _ => return Err(meta.error("unsupported field attribute")),
                }
                Ok(())
            })?;
        }
        let is_option = crate::setters::option_inner(&field.ty).is_some();
        if is_option && parsed.skip_serializing_if.is_none() && !parsed.serialize_none {
            parsed.skip_serializing_if = Some(syn::parse_quote!(::std::option::Option::is_none));
        }
        fields.push(parsed);
    }
    Ok(Container { ident: &input.ident, runtime, fields, remote })
}

pub(crate) fn serialize(input: &DeriveInput) -> syn::Result<TokenStream> {
    let container = container(input)?;
    let runtime = &container.runtime;
    let serde = quote!(#runtime::__serde);
    let derive = quote!(#runtime::__derive);
    let ident = container.ident;
    let type_name = ident.to_string();
    let names: Vec<&String> = container.fields.iter().map(|field| &field.name).collect();
    let mut wrappers = Vec::new();
    let mut members = Vec::new();
    for (index, field) in container.fields.iter().enumerate() {
        let member = field.ident;
        let ty = field.ty;
        let value = match &field.serialize_with {
            Some(with) => {
                let wrapper = format_ident!("__With{}", index);
                wrappers.push(quote! {
                    struct #wrapper<'a>(&'a #ty);
                    impl #serde::Serialize for #wrapper<'_> {
                        fn serialize<__S: #serde::Serializer>(&self, __s: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                            #with(self.0, __s)
                        }
                    }
                });
                quote!(&#wrapper(&self.#member))
            }
            None => quote!(&self.#member),
        };
        let skipped = match &field.skip_serializing_if {
            Some(skip_if) => quote!(#skip_if(&self.#member)),
            None => quote!(false),
        };
        members.push(quote!(#derive::Member(#value, #skipped)));
    }
    let members = tree(&members, &|items| quote!((#(#items,)*)), &|groups| quote!(#derive::Group((#(#groups,)*))));
    // The members listed; writing them (and counting those left out) is generic runtime code.
    let body = quote! {
        #(#wrappers)*
        #derive::write_struct(__serializer, #type_name, &[#(#names),*], #members)
    };
    let signature = quote! {
        fn serialize<__S: #serde::Serializer>(&self, __serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error>
    };
    Ok(if container.remote {
        quote! {
            impl #ident {
                #signature { #body }
            }
        }
    } else {
        quote! {
            impl #serde::Serialize for #ident {
                #signature { #body }
            }
        }
    })
}

pub(crate) fn deserialize(input: &DeriveInput) -> syn::Result<TokenStream> {
    let container = container(input)?;
    let runtime = &container.runtime;
    let serde = quote!(#runtime::__serde);
    let derive = quote!(#runtime::__derive);
    let ident = container.ident;
    let type_name = ident.to_string();
    let names: Vec<&String> = container.fields.iter().map(|field| &field.name).collect();
    // Every name a member may have, with its field's position.
    let keys = container.fields.iter().enumerate().flat_map(|(index, field)| {
        std::iter::once(&field.name).chain(&field.aliases).map(move |name| {
            let bytes = syn::LitByteStr::new(name.as_bytes(), Span::call_site());
            quote!(#bytes => #index,)
        })
    });
    let mut wrappers = Vec::new();
    let mut slots = Vec::new();
    for (index, field) in container.fields.iter().enumerate() {
        let ty = field.ty;
        slots.push(match &field.deserialize_with {
            Some(with) => {
                let wrapper = format_ident!("__With{}", index);
                wrappers.push(quote! {
                    struct #wrapper(#ty);
                    impl<'de> #serde::Deserialize<'de> for #wrapper {
                        fn deserialize<__D: #serde::Deserializer<'de>>(__d: __D) -> ::std::result::Result<Self, __D::Error> {
                            #with(__d).map(#wrapper)
                        }
                    }
                });
                quote!(::std::option::Option<#wrapper>)
            }
            None => quote!(::std::option::Option<#ty>),
        });
    }
    let places = places(slots.len());
    let slots = tree(&slots, &|items| quote!((#(#items,)*)), &|groups| quote!(#derive::Group<(#(#groups,)*)>));
    let initializers = container.fields.iter().zip(&places).map(|(field, place)| {
        let member = field.ident;
        let name = &field.name;
        let value = match &field.deserialize_with {
            Some(_) => quote!(__w.0),
            None => quote!(__w),
        };
        let missing = if field.default {
            quote!(::std::default::Default::default())
        } else {
            quote!(return ::std::result::Result::Err(#name))
        };
        quote!(#member: match __s #place { ::std::option::Option::Some(__w) => #value, ::std::option::Option::None => #missing },)
    });
    // The loop over members, the dispatch to slots and the errors are generic code in the
    // runtime; here: the slots' types, the key lookup and the constructor. No `?`: each makes the
    // compiler solve `Try` and `From` for the error type (BENCHMARKS.md, "Where it goes by part").
    let body = quote! {
        #(#wrappers)*
        #derive::read_struct::<__D, #slots, Self, _>(
            __deserializer,
            #type_name,
            &[#(#names),*],
            |__name: &[u8]| match __name { #(#keys)* _ => #derive::UNKNOWN },
            |__s| ::std::result::Result::Ok(#ident { #(#initializers)* }),
        )
    };
    let lifetime = syn::Lifetime::new("'de", Span::call_site());
    Ok(if container.remote {
        quote! {
            impl #ident {
                fn deserialize<#lifetime, __D: #serde::Deserializer<#lifetime>>(__deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                    #body
                }
            }
        }
    } else {
        quote! {
            impl<#lifetime> #serde::Deserialize<#lifetime> for #ident {
                fn deserialize<__D: #serde::Deserializer<#lifetime>>(__deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                    #body
                }
            }
        }
    })
}

/// Items as the runtime's slots and members take them: a tuple of at most 12, else a group of
/// such tuples (nested again past 144), made by `tuple` and `group`.
fn tree(
    items: &[TokenStream],
    tuple: &dyn Fn(&[TokenStream]) -> TokenStream,
    group: &dyn Fn(&[TokenStream]) -> TokenStream,
) -> TokenStream {
    match group_size(items.len()) {
        None => tuple(items),
        Some(size) => group(&items.chunks(size).map(|chunk| tree(chunk, tuple, group)).collect::<Vec<_>>()),
    }
}

/// Where each of `len` items is in its `tree` (`.1`, `.0 .1 .3`).
fn places(len: usize) -> Vec<TokenStream> {
    let Some(size) = group_size(len) else {
        return (0..len).map(syn::Index::from).map(|index| quote!(.#index)).collect();
    };
    let mut all = Vec::new();
    for (position, start) in (0..len).step_by(size).enumerate() {
        let position = syn::Index::from(position);
        let inner = places(size.min(len - start));
        all.extend(inner.into_iter().map(|place| quote!(.0 .#position #place)));
    }
    all
}

/// How many items each group of a `tree` of `len` items holds (12, 144, ..: as few levels, and
/// as few groups to pass by, as the items need); `None` when one tuple holds them.
fn group_size(len: usize) -> Option<usize> {
    const ARITY: usize = 12;
    if len <= ARITY {
        return None;
    }
    let mut size = ARITY;
    while len.div_ceil(size) > ARITY {
        size *= ARITY;
    }
    Some(size)
}
