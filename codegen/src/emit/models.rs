//! Models: one Rust type per schema (struct, enum with an `Unknown` variant, or string newtype),
//! with serde for JSON. Shared logic (lenient readers, redaction) lives in the runtime crate.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::types::{allow_many_arguments, is_text, rust_type, taken};
use super::Context;
use crate::ir::{self, BodyFormat, Format, Primitive, Schema, SchemaKind, Type};

/// The schema types of `schemas` (a range of the API's), in order: the items of the models file,
/// emitted and formatted apart from [`emit`]'s head.
pub fn schema_items(context: &Context, schemas: std::ops::Range<usize>) -> TokenStream {
    let api = context.api;
    let items = api.schemas[schemas].iter().map(|schema| {
        let xml = api.speaks(Format::Xml);
        match &schema.kind {
            SchemaKind::Object(object) => {
                let codecs = xml.then(|| super::xml::object_codecs(context, schema, object));
                let ty = object_type(context, schema, object);
                quote! { #ty #codecs }
            }
            SchemaKind::Enum(values) => {
                let codecs = xml.then(|| super::xml::enum_scalar(context, schema));
                let ty = enum_type(context, schema, values);
                quote! { #ty #codecs }
            }
            SchemaKind::String => {
                let codecs = xml.then(|| super::xml::string_scalar(context, schema));
                let ty = string_type(context, schema);
                quote! { #ty #codecs }
            }
            SchemaKind::Union(union) => super::unions::union_type(context, schema, union),
            SchemaKind::Alias(ty) => {
                let docs = schema_docs(schema);
                let name = &schema.rust_name;
                let ty = rust_type(context, ty);
                quote! { #docs pub type #name = #ty; }
            }
        }
    });
    quote!(#(#items)*)
}

/// The models file without its schema types: they go where it holds [`super::items_marker`]
/// (see [`schema_items`]).
pub fn emit(context: &Context) -> TokenStream {
    let api = context.api;
    let members_module = (!api.json_members.is_empty()).then(|| {
        let runtime = &context.runtime();
        let members = api.json_members.iter().map(|member| {
            let (ident, name) = (&member.ident, &member.name);
            let aliases = (!member.aliases.is_empty()).then(|| {
                let aliases = member.aliases.iter();
                quote!(const ALIASES: &'static [&'static str] = &[#(#aliases),*];)
            });
            let single = member.single_item.then(|| {
                quote!(
                    const SINGLE: bool = true;
                )
            });
            quote! {
                pub struct #ident;
                impl #runtime::json::Member for #ident {
                    const NAME: &'static str = #name;
                    #aliases
                    #single
                }
            }
        });
        quote! {
            /// Names of the JSON objects that wrap lists, as types for the runtime's helpers.
            mod json_members {
                #(#members)*
            }
        }
    });
    let module_docs = docs::inner(Some(&format!("Data types of the {}.", api.title)));
    let task_status = super::tasks::task_status(context);
    let items = super::items_marker();
    quote! {
        #module_docs

        #items

        #task_status

        #members_module
    }
}

pub(super) fn schema_docs(schema: &Schema) -> TokenStream {
    let mut sections: Vec<String> = Vec::new();
    if let Some(description) = &schema.description {
        sections.push(description.clone());
    }
    if schema.description.is_none() {
        sections.push(format!("The `{}` schema.", schema.name));
    }
    if let Some(example) = schema.examples.first() {
        let lang = match example.format {
            BodyFormat::Json => "json",
            BodyFormat::Xml => "xml",
            BodyFormat::Form | BodyFormat::Text | BodyFormat::Binary => "text",
        };
        sections.push(format!("# Example\n\n{}:\n\n```{lang}\n{}\n```", example.name, example.body.trim_end()));
    } else if let Some(example) = &schema.example {
        sections.push(format!("# Example\n\n```text\n{}\n```", example.trim_end()));
    }
    if !schema.sources.is_empty() {
        let list: Vec<String> = schema.sources.iter().map(|s| format!("- <{s}>")).collect();
        sections.push(format!("Reference:\n{}", list.join("\n")));
    }
    docs::outer(Some(&sections.join("\n\n")))
}

fn field_docs(field: &ir::Field) -> TokenStream {
    let mut text = field.description.clone().unwrap_or_else(|| format!("`{}`.", field.name));
    if field.read_only {
        text.push_str("\n\nRead-only: set by the server, ignored in requests.");
    }
    if field.write_only {
        text.push_str("\n\nWrite-only: sent in requests, never returned.");
    }
    if field.sensitive {
        text.push_str("\n\nSensitive: never shown by `Debug`.");
    }
    if let Some(example) = &field.example {
        text.push_str(&format!("\n\nExample: `{}`", example.replace('`', "'")));
    }
    docs::outer(Some(&text))
}

/// The field's type as stored: `Option<T>` unless required and not nullable, boxed if recursive.
fn field_type(context: &Context, field: &ir::Field) -> TokenStream {
    let super::Std { option, boxed, .. } = context.std();
    let mut ty = rust_type(context, &field.ty);
    if field.boxed {
        ty = quote!(#boxed<#ty>);
    }
    if is_optional(field) {
        quote!(#option<#ty>)
    } else {
        ty
    }
}

fn is_optional(field: &ir::Field) -> bool {
    !field.required || field.nullable
}

/// serde attributes of a field: wire name (when it is not the Rust name), optionality, and in a
/// second attribute the lenient readers for documented quirks (two short lines format smaller
/// than one long one).
fn serde_attributes(context: &Context, field: &ir::Field) -> TokenStream {
    // serde takes helper paths as strings.
    let json = format!("::{}", context.runtime);
    let name = &field.json_name;
    let optional = is_optional(field);
    let mut parts = Vec::new();
    if field.rust_name.plain() != name.as_str() {
        parts.push(quote!(rename = #name));
    }
    parts.extend(field.json_aliases.iter().map(|alias| quote!(alias = #alias)));
    // An optional field is left out when `None`; a required nullable one sends `null` (the
    // caller's choice), serde's default.
    if optional && !field.required {
        parts.push(quote!(skip_serializing_if = "::std::option::Option::is_none"));
    }
    let prefix = if optional { "option_" } else { "" };
    let helper = match (&field.ty, &field.json_wrapper, field.boxed) {
        (_, _, true) => None,
        (Type::Primitive(Primitive::Boolean), _, _) => Some((format!("{json}::json::{prefix}bool"), None)),
        (Type::List(_), Some(member), _) => {
            let marker = format!("json_members::{}", context.api.json_members[*member].ident);
            Some((format!("{json}::json::{prefix}wrapped_list::<{marker}, _, _>"), Some(marker)))
        }
        (Type::List(_), None, _) if field.json_single_item => {
            Some((format!("{json}::json::{prefix}one_or_many"), None))
        }
        (Type::List(_), None, _) => Some((format!("{json}::json::{prefix}list"), None)),
        _ => None,
    };
    let mut helpers = Vec::new();
    if let Some((deserialize, marker)) = helper {
        // A reader of its own: a missing member must still be `None` (serde's derive does that
        // by itself only for plain `Option` fields).
        if optional {
            helpers.push(quote!(default));
        }
        helpers.push(quote!(deserialize_with = #deserialize));
        if let Some(marker) = marker {
            let serialize = format!("{json}::json::{prefix}serialize_wrapped_list::<{marker}, _, _>");
            helpers.push(quote!(serialize_with = #serialize));
        }
    }
    let first = (!parts.is_empty()).then(|| quote!(#[serde(#(#parts),*)]));
    let second = (!helpers.is_empty()).then(|| quote!(#[serde(#(#helpers),*)]));
    quote!(#first #second)
}

fn object_type(context: &Context, schema: &Schema, object: &ir::Object) -> TokenStream {
    let runtime = &context.runtime();
    let name = &schema.rust_name;
    let docs = schema_docs(schema);
    let sensitive = object.fields.iter().any(|f| f.sensitive);
    let mut derives = vec![quote!(Clone), quote!(PartialEq)];
    if schema.eq {
        derives.extend([quote!(Eq), quote!(Hash)]);
    }
    if !sensitive {
        derives.push(quote!(Debug));
    }
    derives.extend([quote!(::serde::Serialize), quote!(::serde::Deserialize)]);
    // `new` from the required fields with a `with_*` setter per optional one: adding an optional
    // field to the spec never breaks code that builds these values.
    let setters = setters(context, schema, object);

    let fields = object.fields.iter().map(|field| {
        let docs = field_docs(field);
        let ident = &field.rust_name;
        let ty = field_type(context, field);
        let serde = serde_attributes(context, field);
        quote! { #docs #serde pub #ident: #ty, }
    });

    let debug = sensitive.then(|| {
        let entries = object.fields.iter().map(|field| {
            let ident = &field.rust_name;
            let label = field.rust_name.plain();
            match (field.sensitive, is_optional(field)) {
                (false, _) => quote!(.field(#label, &self.#ident)),
                (true, false) => quote!(.field(#label, &#runtime::Redacted)),
                (true, true) => quote!(.field(#label, &self.#ident.as_ref().map(|_| #runtime::Redacted))),
            }
        });
        let type_name = schema.rust_name.as_str();
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#type_name) #(#entries)* .finish()
                }
            }
        }
    });

    let (remote, expecting) = expecting_member(context, schema, object);
    let id = id_method(context, schema, object);
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #remote
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #setters
        #debug
        #expecting
        #id
    }
}

/// `id()` for objects with fields that name a resource (`id: urn | href` in the spec): the first
/// of them, in spec order, that holds a UUID.
fn id_method(context: &Context, schema: &Schema, object: &ir::Object) -> TokenStream {
    let runtime = &context.runtime();
    let super::Std { option, .. } = context.std();
    let sources: Vec<&ir::Field> = object.fields.iter().filter(|field| field.id_source.is_some()).collect();
    let Some((first, rest)) = sources.split_first() else { return TokenStream::new() };
    let read = |field: &ir::Field| {
        let ident = &field.rust_name;
        let reader = match field.id_source {
            Some(ir::IdSource::Urn) => quote!(#runtime::ids::urn_id),
            _ => quote!(#runtime::ids::href_id),
        };
        // Strings and named strings alike are `AsRef<str>`.
        if is_optional(field) {
            quote!(self.#ident.as_ref().and_then(|value| #reader(::std::convert::AsRef::<str>::as_ref(value))))
        } else {
            quote!(#reader(::std::convert::AsRef::<str>::as_ref(&self.#ident)))
        }
    };
    let first = read(first);
    let rest = rest.iter().map(|field| {
        let read = read(field);
        quote!(.or_else(|| #read))
    });
    let names: Vec<String> = sources
        .iter()
        .map(|field| {
            let what = if field.id_source == Some(ir::IdSource::Urn) { "a URN" } else { "a URL" };
            format!("`{}` ({what})", field.name)
        })
        .collect();
    let doc = docs::outer(Some(&format!(
        "The ID of the resource this names, read from {}: `None` when none holds a UUID.",
        names.join(", then ")
    )));
    let name = &schema.rust_name;
    quote! {
        impl #name {
            #doc
            pub fn id(&self) -> #option<#runtime::Uuid> {
                #first #(#rest)*
            }
        }
    }
}

/// For objects with an `expected` JSON member: the derives become inherent functions
/// (`remote = "Self"`) and the trait impls put the runtime's check in front of them.
fn expecting_member(context: &Context, schema: &Schema, object: &ir::Object) -> (TokenStream, TokenStream) {
    let expected: Vec<&String> = object
        .fields
        .iter()
        .filter(|field| field.json_expected)
        .flat_map(|field| std::iter::once(&field.json_name).chain(&field.json_aliases))
        .collect();
    if expected.is_empty() {
        return (TokenStream::new(), TokenStream::new());
    }
    let known = object.fields.iter().flat_map(|field| std::iter::once(&field.json_name).chain(&field.json_aliases));
    let runtime = &context.runtime();
    let name = &schema.rust_name;
    let schema_name = schema.name.as_str();
    let remote = quote!(#[serde(remote = "Self")]);
    let impls = quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                #runtime::json::expecting_member(deserializer, #schema_name, &[#(#expected),*], &[#(#known),*], Self::deserialize)
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                Self::serialize(self, serializer)
            }
        }
    };
    (remote, impls)
}

/// `new` from the required fields and a `with_<field>` setter per optional one; with no required
/// field the type is also `Default`. One required field is `new`'s argument; several are the
/// named fields of a `<Type>Required` struct (no two can be swapped, none left out, whatever
/// their types). Text setters take `impl Into<String>`, a boxed field its value; a required
/// nullable field takes its `Option` (the caller's choice of `null`).
fn setters(context: &Context, schema: &Schema, object: &ir::Object) -> TokenStream {
    let super::Std { some, none, option, from, .. } = context.std();
    let name = &schema.rust_name;
    let (mut arguments, mut initializers, mut methods) = (Vec::new(), Vec::new(), Vec::new());
    let mut named = Vec::new();
    for field in &object.fields {
        let ident = &field.rust_name;
        let plain = ident.plain();
        let mut ty = rust_type(context, &field.ty);
        let into = is_text(&field.ty) && !(field.required && field.nullable);
        let (argument, mut value) = taken(ident, &ty, into);
        if field.boxed {
            value = quote!(::std::boxed::Box::new(#value));
        }
        if field.required {
            if object.required.is_some() {
                let docs = field_docs(field);
                let stored = field_type(context, field);
                named.push(quote!(#docs pub #ident: #stored,));
                initializers.push(quote!(#ident: required.#ident));
            } else if field.nullable {
                ty = if field.boxed { quote!(#option<::std::boxed::Box<#ty>>) } else { quote!(#option<#ty>) };
                arguments.push(quote!(#ident: #ty));
                initializers.push(quote!(#ident));
            } else {
                arguments.push(quote!(#ident: #argument));
                initializers.push(if into || field.boxed { quote!(#ident: #value) } else { quote!(#ident) });
            }
            continue;
        }
        initializers.push(quote!(#ident: #none));
        let setter = quote::format_ident!("with_{}", plain);
        // rustdoc's links take no raw identifier (`Self::r#type`): those are named, not linked.
        let link = match ident.as_str().starts_with("r#") {
            true => format!("`{plain}`"),
            false => format!("[`{plain}`](Self::{ident})"),
        };
        let doc = docs::outer(Some(&setter_doc(&link, field)));
        methods.push(quote! {
            #doc
            #[must_use]
            pub fn #setter(mut self, #ident: #argument) -> Self {
                self.#ident = #some(#value);
                self
            }
        });
    }
    let type_name = schema.rust_name.as_str();
    let required_struct = object.required.as_ref().map(|required| {
        arguments.push(quote!(required: #required));
        let doc = docs::outer(Some(&format!(
            "The required fields of [`{type_name}`], each named, for [`{type_name}::new`]: none can be swapped \
             with another or left out. Optional fields are set afterwards with the `with_*` methods."
        )));
        quote! {
            #doc
            pub struct #required {
                #(#named)*
            }

            impl #from<#required> for #name {
                fn from(required: #required) -> Self {
                    Self::new(required)
                }
            }
        }
    });
    let new_doc = docs::outer(Some(&match (arguments.is_empty(), &object.required) {
        (true, _) => "Creates an empty value; set fields with the `with_*` methods.".to_owned(),
        (false, Some(required)) => {
            format!(
                "Creates a value from its required fields, named in [`{required}`]; optional fields start as `None`."
            )
        }
        (false, None) => "Creates a value from its required field; optional fields start as `None`.".to_owned(),
    }));
    let allow = allow_many_arguments(arguments.len());
    let default = arguments.is_empty().then(|| {
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        impl #name {
            #new_doc
            #allow
            pub fn new(#(#arguments),*) -> Self {
                Self { #(#initializers),* }
            }
            #(#methods)*
        }
        #default
        #required_struct
    }
}

/// "Sets [`name`](Self::name)", followed by the field's own description when it has one.
fn setter_doc(link: &str, field: &ir::Field) -> String {
    match &field.description {
        Some(description) => format!("Sets {link}: {}", lowercase_first(description.trim())),
        None => format!("Sets {link}."),
    }
}

/// "Name of the record." -> "name of the record." (an acronym such as "URL of" is kept).
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(text[first.len_utf8()..].chars()).collect()
        }
        _ => text.to_owned(),
    }
}

fn enum_type(context: &Context, schema: &Schema, enumeration: &ir::Enum) -> TokenStream {
    let super::Std { from, .. } = context.std();
    let runtime = &context.runtime();
    let name = &schema.rust_name;
    let values = &enumeration.values;
    let catch_all = &enumeration.catch_all;
    let docs = schema_docs(schema);
    let unknown_docs = docs::outer(Some(
        "A value this version does not document.\n\n\
        The value inside is opaque on purpose: read it with `as_str()`, but do not match on it. \
        If a later spec documents the value, it parses as its own variant instead, and code that \
        matched the string here would silently stop matching.",
    ));
    let variants = values.iter().map(|value| {
        let ident = &value.rust_name;
        let docs = docs::outer(Some(&match &value.description {
            Some(description) => format!("`{}`: {description}", value.value),
            None => format!("`{}`", value.value),
        }));
        quote! { #docs #ident, }
    });
    let as_str = values.iter().map(|value| {
        let ident = &value.rust_name;
        let wire = &value.value;
        quote! { Self::#ident => #wire, }
    });
    let from_arms = values.iter().map(|value| {
        let ident = &value.rust_name;
        let wire = &value.value;
        quote! { #wire => Self::#ident, }
    });
    let wires = values.iter().map(|value| &value.value);
    quote! {
        #docs
        #[derive(Clone, PartialEq, Eq, Hash, Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown_docs
            #catch_all(#runtime::UnknownValue),
        }

        impl #name {
            /// Every documented value, in the spec's order.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#catch_all(value) => value.as_str(),
                }
            }
        }

        impl #from<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_arms)*
                    other => Self::#catch_all(#runtime::UnknownValue::from_wire(other)),
                }
            }
        }

        // `ParamValue`, `FromStr`, `Display`, `Serialize`, `Deserialize`: from `as_str` and `From<&str>`.
        #runtime::enum_plumbing!(#name);
    }
}

fn string_type(context: &Context, schema: &Schema) -> TokenStream {
    let super::Std { string, from, as_ref, to_owned, .. } = context.std();
    let runtime = &context.runtime();
    let name = &schema.rust_name;
    let docs = schema_docs(schema);
    quote! {
        #docs
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub #string);

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl #from<#string> for #name {
            fn from(value: #string) -> Self {
                Self(value)
            }
        }

        impl #from<&str> for #name {
            fn from(value: &str) -> Self {
                Self(#to_owned::to_owned(value))
            }
        }

        impl #runtime::client::ParamValue for #name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(&self.0)
            }
        }

        impl #as_ref<str> for #name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    }
}
