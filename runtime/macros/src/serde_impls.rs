//! serde's `Serialize` and `Deserialize` for the generated models, expanded small.
//!
//! serde's own derive writes about 450 lines per struct of eight fields (a field enum and its
//! visitors, sequence and map visitors); the compiler checks all of it in every generated crate.
//! Here the per-struct code is one visitor with a `match` on the field's position, and the rest
//! (key lookup, duplicates, unknown members, missing fields) is generic code in
//! `veeam_runtime::__derive`, written once. The wire behaviour is serde's for the attributes
//! the generator writes:
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
    let ident = container.ident;
    let type_name = ident.to_string();
    let mut wrappers = Vec::new();
    // `let __skipN = ..;` for each field that may be left out, and those names (the length).
    let (mut skips, mut skipped) = (Vec::new(), Vec::new());
    let mut statements = Vec::new();
    for (index, field) in container.fields.iter().enumerate() {
        let member = field.ident;
        let name = &field.name;
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
        match &field.skip_serializing_if {
            Some(skip_if) => {
                let skip = format_ident!("__skip{}", index);
                skips.push(quote!(let #skip = #skip_if(&self.#member);));
                skipped.push(skip.clone());
                statements.push(quote! {
                    let __written = if #skip { __state.skip_field(#name) } else { __state.serialize_field(#name, #value) };
                    if let ::std::result::Result::Err(__e) = __written { return ::std::result::Result::Err(__e); }
                });
            }
            None => statements.push(quote! {
                if let ::std::result::Result::Err(__e) = __state.serialize_field(#name, #value) {
                    return ::std::result::Result::Err(__e);
                }
            }),
        }
    }
    let count = container.fields.len();
    // Errors are returned by `match`/`if let`, not `?`: each `?` makes the compiler solve `Try` and
    // `From` for the serializer's error type, and on a model's dozen of them that was a third of
    // its type and borrow checking (BENCHMARKS.md, "Where it goes by part").
    let body = quote! {
        use #serde::ser::SerializeStruct as _;
        #(#wrappers)*
        #(#skips)*
        let mut __state = match __serializer.serialize_struct(#type_name, #count #(- usize::from(#skipped))*) {
            ::std::result::Result::Ok(__state) => __state,
            ::std::result::Result::Err(__e) => return ::std::result::Result::Err(__e),
        };
        #(#statements)*
        __state.end()
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
    let expecting = format!("struct {ident}");
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
    let mut arms = Vec::new();
    let mut initializers = Vec::new();
    for (index, field) in container.fields.iter().enumerate() {
        let slot = format_ident!("__f{}", index);
        let member = field.ident;
        let name = &field.name;
        let ty = field.ty;
        let taken = match &field.deserialize_with {
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
                slots.push(quote!(let mut #slot: ::std::option::Option<#wrapper> = ::std::option::Option::None;));
                quote!(#slot.map(|__w| __w.0))
            }
            None => {
                slots.push(quote!(let mut #slot = ::std::option::Option::None;));
                quote!(#slot)
            }
        };
        arms.push(quote!(#index => #derive::value(&mut __map, &mut #slot, #name),));
        initializers.push(if field.default {
            quote!(#member: #taken.unwrap_or_default(),)
        } else {
            quote!(#member: match #derive::required::<_, __A::Error>(#taken, #name) { ::std::result::Result::Ok(__v) => __v, ::std::result::Result::Err(__e) => return ::std::result::Result::Err(__e) },)
        });
    }
    // No `?` here either (see `serialize`): one `match` on each member's read.
    let body = quote! {
        struct __Visitor;
        impl<'de> #serde::de::Visitor<'de> for __Visitor {
            type Value = #ident;
            fn expecting(&self, __f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                __f.write_str(#expecting)
            }
            fn visit_map<__A: #serde::de::MapAccess<'de>>(self, mut __map: __A) -> ::std::result::Result<#ident, __A::Error> {
                #(#wrappers)*
                #(#slots)*
                loop {
                    let __key = match __map.next_key_seed(#derive::Key(|__name| match __name { #(#keys)* _ => #derive::UNKNOWN })) {
                        ::std::result::Result::Ok(::std::option::Option::Some(__key)) => __key,
                        ::std::result::Result::Ok(::std::option::Option::None) => break,
                        ::std::result::Result::Err(__e) => return ::std::result::Result::Err(__e),
                    };
                    let __read = match __key {
                        #(#arms)*
                        _ => #derive::skip(&mut __map),
                    };
                    if let ::std::result::Result::Err(__e) = __read {
                        return ::std::result::Result::Err(__e);
                    }
                }
                ::std::result::Result::Ok(#ident { #(#initializers)* })
            }
        }
        __deserializer.deserialize_struct(#type_name, &[#(#names),*], __Visitor)
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
