//! Unions: an enum with a variant per alternative. JSON reads the value once, then picks the
//! alternative its discriminator names, or the one its only member names (wrapped unions), or
//! else the first that decodes; what none takes lands in the catch-all variant. Writing is the
//! alternative's own form (the discriminator is one of its fields), inside its member for a
//! wrapped union. The reading helpers live in the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{is_text, rust_type};
use super::{docs, Context};
use crate::ir::{self, Schema};

pub fn union_type(context: &Context, schema: &Schema, union: &ir::Union) -> TokenStream {
    let super::Std { boxed, result, ok, err, from, some, .. } = context.std();
    let runtime = &context.runtime();
    let name = &schema.rust_name;
    let type_name = schema.rust_name.as_str();
    let docs = super::models::schema_docs(schema);
    let payload = |variant: &ir::Variant| {
        let ty = rust_type(context, &variant.ty);
        if variant.boxed {
            quote!(#boxed<#ty>)
        } else {
            ty
        }
    };
    let wrap = |variant: &ir::Variant| wrap(context, variant);
    let variants = union.variants.iter().map(|variant| {
        let ident = &variant.rust_name;
        let ty = payload(variant);
        let text = match (&variant.description, &variant.tag) {
            (Some(description), _) => description.clone(),
            (None, Some(tag)) if union.wrapped => format!("Held by the member `{tag}`."),
            (None, Some(tag)) => format!("Discriminator `{tag}`."),
            (None, None) => format!("A `{}`.", variant.rust_name),
        };
        let doc = docs::outer(Some(&text));
        let rename = union.wrapped.then(|| {
            let tag = variant.tag.as_deref().unwrap_or_default();
            quote!(#[serde(rename = #tag)])
        });
        quote!(#doc #rename #ident(#ty),)
    });
    let catch_all = union.catch_all.as_ref().map(|ident| {
        let doc =
            docs::outer(Some("A value none of the alternatives matches (a newer server's addition), kept as it came."));
        // A wrapped union writes its alternatives inside their member, the catch-all as it came.
        let untagged = union.wrapped.then(|| quote!(#[serde(untagged)]));
        quote!(#doc #untagged #ident(#runtime::json::UnknownJson),)
    });
    let untagged = (!union.wrapped).then(|| quote!(#[serde(untagged)]));
    let mut derives = vec![quote!(Clone), quote!(PartialEq)];
    if schema.eq {
        derives.extend([quote!(Eq), quote!(Hash)]);
    }
    derives.extend([quote!(Debug), quote!(::serde::Serialize)]);

    let otherwise = match &union.catch_all {
        Some(ident) => quote!(#ok(Self::#ident(#runtime::json::UnknownJson::from(value)))),
        None => quote!(#err(#runtime::json::no_variant(#type_name))),
    };
    let read = match &union.discriminator {
        None if union.wrapped => {
            let arms = union.variants.iter().map(|variant| {
                let tag = variant.tag.as_deref().unwrap_or_default();
                let wrap = wrap(variant);
                quote!(#some((#tag, inner)) => #runtime::json::variant(inner).map(#wrap),)
            });
            quote! {
                match #runtime::json::wrapped(&value) {
                    #(#arms)*
                    _ => #otherwise,
                }
            }
        }
        Some(member) => {
            let arms = union.variants.iter().map(|variant| {
                let tag = variant.tag.as_deref().unwrap_or_default();
                let wrap = wrap(variant);
                quote!(#ok(#tag) => #runtime::json::variant(&value).map(#wrap),)
            });
            quote! {
                match #runtime::json::tag(&value, #member).ok_or(()) {
                    #(#arms)*
                    _ => #otherwise,
                }
            }
        }
        None => {
            let attempts = union.variants.iter().map(|variant| {
                let wrap = wrap(variant);
                quote! {
                    if let #some(found) = #runtime::json::try_variant(&value).map(#wrap) {
                        return #ok(found);
                    }
                }
            });
            quote! {
                #(#attempts)*
                #otherwise
            }
        }
    };
    // `From` for each alternative whose Rust type no other alternative shares (`uri` and
    // `string` are both `String`).
    let rust_types: Vec<String> = union.variants.iter().map(|v| rust_type(context, &v.ty).to_string()).collect();
    let unique = |index: usize| rust_types.iter().filter(|t| **t == rust_types[index]).count() == 1;
    let froms = union.variants.iter().enumerate().filter(|(index, _)| unique(*index)).map(|(_, variant)| {
        let ident = &variant.rust_name;
        let ty = rust_type(context, &variant.ty);
        let value = if variant.boxed { quote!(#boxed::new(value)) } else { quote!(value) };
        quote! {
            impl #from<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#ident(#value)
                }
            }
        }
    });
    let xml = context.api.speaks(ir::Format::Xml).then(|| xml_codecs(context, schema, union));
    let shared = shared_fields(context, schema, union);
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #untagged
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #catch_all
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                let value = <#runtime::json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #read
            }
        }

        #(#froms)*
        #shared
        #xml
    }
}

/// Methods of the traits unions implement (and `ToString`, `ToOwned`), which an accessor must not
/// shadow.
const TRAIT_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "fmt",
    "eq",
    "ne",
    "hash",
    "from",
    "into",
    "serialize",
    "deserialize",
    "to_xml",
    "from_xml",
    "to_owned",
    "to_string",
    "try_from",
    "try_into",
];

/// Accessors of the fields every alternative has (a polymorphic type's parent members, carried
/// by each variant: `job.name()` whatever the job's kind), the discriminator left out (the
/// variant says it). `None` for the catch-all, and for an optional field that is not set.
fn shared_fields(context: &Context, schema: &Schema, union: &ir::Union) -> Option<TokenStream> {
    let super::Std { option, some, none, .. } = context.std();
    let objects: Vec<&ir::Object> = union
        .variants
        .iter()
        .map(|variant| match &variant.ty {
            ir::Type::Schema(id) => match &context.api.schema(*id).kind {
                ir::SchemaKind::Object(object) => Some(object),
                _ => None,
            },
            _ => None,
        })
        .collect::<Option<_>>()?;
    let (first, rest) = objects.split_first()?;
    let same = |a: &ir::Field, b: &ir::Field| {
        a.ty == b.ty && a.required == b.required && a.nullable == b.nullable && a.boxed == b.boxed
    };
    let shared: Vec<&ir::Field> = first
        .fields
        .iter()
        .filter(|field| union.discriminator.as_deref() != Some(field.json_name.as_str()))
        // Not a name a derived or implemented trait's method has: the accessor would shadow it.
        .filter(|field| !TRAIT_METHODS.contains(&field.rust_name.plain()))
        .filter(|field| rest.iter().all(|o| o.fields.iter().any(|f| f.rust_name == field.rust_name && same(f, field))))
        .collect();
    if shared.is_empty() {
        return None;
    }
    let methods = shared.iter().map(|field| {
        let ident = &field.rust_name;
        let ty = rust_type(context, &field.ty);
        let text = is_text(&field.ty);
        let optional = !field.required || field.nullable;
        let (returns, mut read) = match (text, optional) {
            (true, true) => (quote!(&str), quote!(value.#ident.as_deref())),
            (true, false) => (quote!(&str), quote!(value.#ident.as_str())),
            (false, true) if field.boxed => (quote!(&#ty), quote!(value.#ident.as_deref())),
            (false, true) => (quote!(&#ty), quote!(value.#ident.as_ref())),
            (false, false) if field.boxed => (quote!(&#ty), quote!(&*value.#ident)),
            (false, false) => (quote!(&#ty), quote!(&value.#ident)),
        };
        // Every alternative has it and there is no catch-all: the value itself.
        let always = !optional && union.catch_all.is_none();
        if !optional && !always {
            read = quote!(#some(#read));
        }
        let returns = if always { returns } else { quote!(#option<#returns>) };
        let arms = union.variants.iter().map(|variant| {
            let variant_ident = &variant.rust_name;
            quote!(Self::#variant_ident(value) => #read,)
        });
        let catch_all = union.catch_all.as_ref().map(|ident| quote!(Self::#ident(_) => #none,));
        let plain = ident.plain();
        let doc = super::docs::outer(Some(&format!(
            "`{}` of whichever alternative this is{}.",
            plain,
            if union.catch_all.is_some() { " (`None` for a value none of them matches)" } else { "" }
        )));
        quote! {
            #doc
            pub fn #ident(&self) -> #returns {
                match self {
                    #(#arms)*
                    #catch_all
                }
            }
        }
    });
    let name = &schema.rust_name;
    Some(quote! {
        impl #name {
            #(#methods)*
        }
    })
}

/// XML: the discriminator is an attribute or child element; a wrapped union's alternative is the
/// child element its tag names (`<JobCloneSpec><BackupJobCloneInfo>..`), the first one there;
/// otherwise the first alternative that reads wins. Alternatives are objects (the resolver checks).
fn xml_codecs(context: &Context, schema: &Schema, union: &ir::Union) -> TokenStream {
    let super::Std { result, ok, err, option, some, .. } = context.std();
    let runtime = &context.runtime();
    let name = &schema.rust_name;
    let type_name = schema.rust_name.as_str();
    let xml_name = &schema.xml_name;
    let namespace = context.some_or_none(context.api.xml_namespace.as_deref());
    let alternative = |variant: &ir::Variant| {
        let ty = rust_type(context, &variant.ty);
        (quote!(<#ty as #runtime::xml::FromXml>::from_xml(element)), wrap(context, variant))
    };
    let read = match &union.discriminator {
        _ if union.wrapped => {
            let attempts = union.variants.iter().map(|variant| {
                let tag = variant.tag.as_deref().unwrap_or_default();
                let ty = rust_type(context, &variant.ty);
                let wrap = wrap(context, variant);
                quote! {
                    if let #some(found) = element.model::<#ty>(#tag)?.map(#wrap) {
                        return #ok(found);
                    }
                }
            });
            quote! {
                #(#attempts)*
                #err(element.no_variant(#type_name))
            }
        }
        Some(member) => {
            let arms = union.variants.iter().map(|variant| {
                let tag = variant.tag.as_deref().unwrap_or_default();
                let (read, wrap) = alternative(variant);
                quote!(#ok(#tag) => #read.map(#wrap),)
            });
            quote! {
                match element.tag(#member).ok_or(()) {
                    #(#arms)*
                    _ => #err(element.no_variant(#type_name)),
                }
            }
        }
        None => {
            let attempts = union.variants.iter().map(|variant| {
                let (read, wrap) = alternative(variant);
                quote! {
                    if let #ok(found) = #read.map(#wrap) {
                        return #ok(found);
                    }
                }
            });
            quote! {
                #(#attempts)*
                #err(element.no_variant(#type_name))
            }
        }
    };
    let writes = union.variants.iter().map(|variant| {
        let ident = &variant.rust_name;
        let value = if variant.boxed { quote!(&**value) } else { quote!(value) };
        match union.wrapped {
            true => {
                let tag = variant.tag.as_deref().unwrap_or_default();
                quote!(Self::#ident(value) => writer.model(#tag, #some(#value))?,)
            }
            false => quote!(Self::#ident(value) => #runtime::xml::ToXml::to_xml(#value, writer, name),),
        }
    });
    let write = match union.wrapped {
        true => quote! {
            writer.start(name)?;
            match self {
                #(#writes)*
            }
            writer.end(name)
        },
        false => quote! {
            match self {
                #(#writes)*
            }
        },
    };
    quote! {
        impl #runtime::xml::FromXml for #name {
            const XML_NAME: &'static str = #xml_name;
            fn from_xml(element: #runtime::xml::Element<'_>) -> #result<Self, #runtime::xml::Error> {
                #read
            }
        }

        impl #runtime::xml::ToXml for #name {
            const XML_NAME: &'static str = #xml_name;
            const XML_NAMESPACE: #option<&'static str> = #namespace;
            fn to_xml(&self, writer: &mut #runtime::xml::Writer, name: &str) -> #result<(), #runtime::xml::Error> {
                #write
            }
        }
    }
}

/// What turns a decoded alternative into its variant: `Self::Dog`, boxing it when recursive.
fn wrap(context: &Context, variant: &ir::Variant) -> TokenStream {
    let boxed = context.std().boxed;
    let ident = &variant.rust_name;
    if variant.boxed {
        quote!(|value| Self::#ident(#boxed::new(value)))
    } else {
        quote!(Self::#ident)
    }
}
