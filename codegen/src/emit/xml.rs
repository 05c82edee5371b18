//! XML codecs: `FromXml` and `ToXml` impls for objects, `XmlScalar` for enums and named strings.
//! The generated code only says which field goes where; reading, writing, namespaces and errors
//! live in the runtime's `xml` module.

use proc_macro2::TokenStream;
use quote::quote;

use super::Context;
use crate::ir::{self, Schema, SchemaKind, Type, XmlKind};

/// How a value of a type is carried in XML.
enum Shape<'a> {
    /// Text: a primitive, an enum or a named string.
    Scalar,
    /// An element with its own fields.
    Model,
    /// A list of scalars or models.
    List(&'a Type),
}

fn shape<'a>(context: &Context, ty: &'a Type) -> Shape<'a> {
    match ty {
        Type::List(item) => Shape::List(item),
        Type::Schema(id) if matches!(context.api.schema(*id).kind, SchemaKind::Object(_) | SchemaKind::Union(_)) => {
            Shape::Model
        }
        _ => Shape::Scalar,
    }
}

fn is_model(context: &Context, ty: &Type) -> bool {
    matches!(shape(context, ty), Shape::Model)
}

/// `FromXml` and `ToXml` for an object schema.
pub fn object_codecs(context: &Context, schema: &Schema, object: &ir::Object) -> TokenStream {
    let super::Std { some, boxed, result, ok, option, .. } = context.std();
    let runtime = &context.runtime();
    let name = &schema.rust_name;
    let xml_name = &schema.xml_name;
    let namespace = context.some_or_none(context.api.xml_namespace.as_deref());

    let reads = object.fields.iter().map(|field| {
        let ident = &field.rust_name;
        let wire = &field.xml_name;
        let read = match (field.xml_kind, shape(context, &field.ty)) {
            (XmlKind::Attribute, _) => quote!(element.attr(#wire)?),
            (XmlKind::Text, _) => quote!(element.content()?),
            (XmlKind::Element, Shape::Scalar) => quote!(element.scalar(#wire)?),
            (XmlKind::Element, Shape::Model) if field.boxed => {
                quote!(element.model(#wire)?.map(#boxed::new))
            }
            (XmlKind::Element, Shape::Model) => quote!(element.model(#wire)?),
            (XmlKind::Element, Shape::List(item)) => {
                let model = is_model(context, item);
                match (&field.xml_item, model) {
                    (Some(item), true) => quote!(element.wrapped_models(#wire, #item)?),
                    (Some(item), false) => quote!(element.wrapped_scalars(#wire, #item)?),
                    (None, true) => quote!(element.models(#wire)?),
                    (None, false) => quote!(element.scalars(#wire)?),
                }
            }
        };
        let is_list = matches!(field.ty, Type::List(_));
        let value = if field.required && !field.nullable {
            if is_list {
                // An empty list is often left out entirely: read it as empty.
                quote!(#read.unwrap_or_default())
            } else {
                let what = match field.xml_kind {
                    XmlKind::Attribute => format!("attribute `{wire}`"),
                    XmlKind::Text => "text".to_owned(),
                    XmlKind::Element => format!("element `{wire}`"),
                };
                quote!(element.required(#read, #what)?)
            }
        } else {
            read
        };
        quote!(#ident: #value,)
    });

    // Attributes go on the start tag, so they are written first whatever their place in the spec.
    let mut ordered: Vec<&ir::Field> = object.fields.iter().filter(|f| f.xml_kind == XmlKind::Attribute).collect();
    ordered.extend(object.fields.iter().filter(|f| f.xml_kind != XmlKind::Attribute));
    let writes = ordered.into_iter().map(|field| {
        let ident = &field.rust_name;
        let wire = &field.xml_name;
        let optional = !field.required || field.nullable;
        let value = match (optional, field.boxed, matches!(field.ty, Type::List(_))) {
            (true, true, _) => quote!(self.#ident.as_deref()),
            (true, false, true) => quote!(self.#ident.as_deref()),
            (true, false, false) => quote!(self.#ident.as_ref()),
            (false, true, _) => quote!(#some(&*self.#ident)),
            (false, false, true) => quote!(#some(self.#ident.as_slice())),
            (false, false, false) => quote!(#some(&self.#ident)),
        };
        let write = match (field.xml_kind, shape(context, &field.ty)) {
            (XmlKind::Attribute, _) => quote!(writer.attr(#wire, #value)?;),
            (XmlKind::Text, _) => quote!(writer.text(#value)?;),
            (XmlKind::Element, Shape::Scalar) => quote!(writer.scalar(#wire, #value)?;),
            (XmlKind::Element, Shape::Model) => quote!(writer.model(#wire, #value)?;),
            (XmlKind::Element, Shape::List(item)) => {
                let model = is_model(context, item);
                match (&field.xml_item, model) {
                    (Some(item), true) => quote!(writer.wrapped_models(#wire, #item, #value)?;),
                    (Some(item), false) => quote!(writer.wrapped_scalars(#wire, #item, #value)?;),
                    (None, true) => quote!(writer.models(#wire, #value)?;),
                    (None, false) => quote!(writer.scalars(#wire, #value)?;),
                }
            }
        };
        if field.nullable && field.xml_kind == XmlKind::Element {
            // The XML form of `null`: an empty element.
            quote! {
                if self.#ident.is_some() {
                    #write
                } else {
                    writer.empty(#wire)?;
                }
            }
        } else {
            write
        }
    });

    let element = if object.fields.is_empty() { quote!(_element) } else { quote!(element) };
    quote! {
        impl #runtime::xml::FromXml for #name {
            const XML_NAME: &'static str = #xml_name;
            fn from_xml(#element: #runtime::xml::Element<'_>) -> #result<Self, #runtime::xml::Error> {
                #ok(Self { #(#reads)* })
            }
        }

        impl #runtime::xml::ToXml for #name {
            const XML_NAME: &'static str = #xml_name;
            const XML_NAMESPACE: #option<&'static str> = #namespace;
            fn to_xml(&self, writer: &mut #runtime::xml::Writer, name: &str) -> #result<(), #runtime::xml::Error> {
                writer.start(name)?;
                #(#writes)*
                writer.end(name)
            }
        }
    }
}

/// `XmlScalar` for an enum: unknown values are kept, as in JSON.
pub fn enum_scalar(context: &Context, schema: &Schema) -> TokenStream {
    let super::Std { string, result, ok, from, .. } = context.std();
    let runtime = &context.runtime();
    let name = &schema.rust_name;
    quote! {
        impl #runtime::xml::XmlScalar for #name {
            fn from_xml_text(text: &str) -> #result<Self, #string> {
                #ok(<Self as #from<&str>>::from(text.trim()))
            }
            fn to_xml_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    }
}

/// `XmlScalar` for a named string type.
pub fn string_scalar(context: &Context, schema: &Schema) -> TokenStream {
    let super::Std { string, result, ok, to_owned, .. } = context.std();
    let runtime = &context.runtime();
    let name = &schema.rust_name;
    quote! {
        impl #runtime::xml::XmlScalar for #name {
            const EMPTY_IS_ABSENT: bool = false;
            fn from_xml_text(text: &str) -> #result<Self, #string> {
                #ok(Self(#to_owned::to_owned(text)))
            }
            fn to_xml_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(&self.0)
            }
        }
    }
}
