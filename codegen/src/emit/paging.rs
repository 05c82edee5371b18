//! Paginators: for an operation that pages, its builder's `pages()` and `items()` and the
//! `Paged` impl the runtime walks the pages with (where the position and size are, how a page
//! reads). Walking and stopping are the runtime's (`client::paging`).

use proc_macro2::TokenStream;
use quote::quote;

use super::tasks::reach;
use super::types::rust_type;
use super::Context;
use crate::ir::{self, FieldPath, Operation, Primitive, Type};

/// `pages()` and `items()`, for the builder's inherent impl.
pub(super) fn methods(context: &Context, operation: &Operation) -> Option<TokenStream> {
    let paging = operation.paging.as_ref()?;
    let runtime = context.runtime();
    let super::Std { result, .. } = context.std();
    let output = super::operations::output(context, operation);
    let item = rust_type(context, &paging.item);
    let error = super::client::error_body(context);
    let position = &operation.parameters[paging.position].name;
    let (how, stop) = match paging.style {
        ir::PageStyle::Offset => (
            format!("advancing `{position}` by the items each page holds"),
            "an empty page, the total reached, or a page shorter than the size asked for",
        ),
        ir::PageStyle::Page { .. } => (
            format!("advancing `{position}` by one"),
            "an empty page, the last page of the count, or a page shorter than the size asked for",
        ),
    };
    let pages_doc = format!(
        "Every page from the position set (or the first), {how}; each is fetched when the stream \
         reaches it, and the last is the one before {stop}. The first error ends the stream."
    );
    let items_doc = "Every item of every page (see `pages()`), fetched a page at a time as the stream is read: \
                     `while let Some(item) = stream.try_next().await? { .. }` with `veeam_api::stream::TryStreamExt`.";
    Some(quote! {
        #[doc = #pages_doc]
        pub fn pages(self) -> impl #runtime::stream::Stream<Item = #result<#output, rt::Error<#error>>> + Send + 'a {
            rt::pages(self)
        }

        #[doc = #items_doc]
        pub fn items(self) -> impl #runtime::stream::Stream<Item = #result<#item, rt::Error<#error>>> + Send + 'a {
            rt::items(self)
        }
    })
}

/// `#[derive(Clone)]` for a builder that pages (each page is the builder at another position).
pub(super) fn derive(operation: &Operation) -> Option<TokenStream> {
    operation.paging.as_ref().map(|_| quote!(#[derive(Clone)]))
}

/// `impl Paged for <builder>`.
pub(super) fn paged_impl(context: &Context, operation: &Operation) -> Option<TokenStream> {
    let paging = operation.paging.as_ref()?;
    let super::Std { option, some, vec, .. } = context.std();
    let builder = &operation.builder;
    let output = super::operations::output(context, operation);
    let item = rust_type(context, &paging.item);
    let style = match paging.style {
        ir::PageStyle::Offset => quote!(rt::PageStyle::Offset),
        ir::PageStyle::Page { first } => quote!(rt::PageStyle::Page { first: #first }),
    };
    // `int32` parameters and totals widen to `i64`; `int64` ones are already.
    let wide = |ty: &Type| *ty == Type::Primitive(Primitive::Int64);
    let position_parameter = &operation.parameters[paging.position];
    let position = &position_parameter.rust_name;
    let read_position = match wide(&position_parameter.ty) {
        true => quote!(self.#position),
        false => quote!(self.#position.map(i64::from)),
    };
    let set_position = match wide(&position_parameter.ty) {
        true => quote!(position),
        false => quote!(::std::convert::TryFrom::try_from(position).ok()?),
    };
    let page_size = match paging.size.map(|size| &operation.parameters[size]) {
        Some(size) if wide(&size.ty) => {
            let size = &size.rust_name;
            quote!(self.#size)
        }
        Some(size) => {
            let size = &size.rust_name;
            quote!(self.#size.map(i64::from))
        }
        None => quote!(None),
    };
    let count = match reach(context, quote!(page), &paging.items) {
        (items, true) => quote!(#items.map_or(0, |items| items.len())),
        (items, false) => quote!(#items.len()),
    };
    let total = match &paging.total {
        Some(path) => {
            let widen = match path.ty(&context.api.schemas).is_some_and(wide) {
                true => quote!(),
                false => quote!(i64::from),
            };
            match reach(context, quote!(page), path) {
                (total, true) => quote!(#total.map(|total| #widen(*total))),
                (total, false) => quote!(#some(#widen(#total))),
            }
        }
        None => quote!(None),
    };
    let into_items = owned(context, quote!(page), &paging.items);
    Some(quote! {
        impl<'a> rt::Paged<'a> for #builder<'a> {
            type Item = #item;
            const STYLE: rt::PageStyle = #style;

            fn position(&self) -> #option<i64> {
                #read_position
            }

            fn page_size(&self) -> #option<i64> {
                #page_size
            }

            fn at(&self, position: i64) -> #option<Self> {
                let mut next = self.clone();
                next.#position = #some(#set_position);
                #some(next)
            }

            fn progress(page: &#output) -> rt::Progress {
                rt::Progress { items: #count, total: #total }
            }

            fn into_items(page: #output) -> #vec<#item> {
                #into_items
            }
        }
    })
}

/// The list at the end of `path`, moved out of `start` (an owned object): empty when an
/// optional step is absent.
fn owned(context: &Context, start: TokenStream, path: &FieldPath) -> TokenStream {
    let mut expression = start;
    let mut maybe = false;
    for (owner, index) in &path.0 {
        let ir::SchemaKind::Object(object) = &context.api.schema(*owner).kind else { continue };
        let field = &object.fields[*index];
        let ident = &field.rust_name;
        let optional = !field.required || field.nullable;
        let unbox = field.boxed.then(|| quote!(.map(|value| *value)));
        expression = match (maybe, optional, field.boxed) {
            (false, true, _) => quote!(#expression.#ident #unbox),
            (false, false, false) => quote!(#expression.#ident),
            (false, false, true) => quote!((*#expression.#ident)),
            (true, true, _) => quote!(#expression.and_then(|value| value.#ident #unbox)),
            (true, false, false) => quote!(#expression.map(|value| value.#ident)),
            (true, false, true) => quote!(#expression.map(|value| *value.#ident)),
        };
        maybe |= optional;
    }
    if maybe {
        quote!(#expression.unwrap_or_default())
    } else {
        expression
    }
}
