//! The API's task resource: `TaskStatus` for the task type (read through the spec's field
//! paths) and the client's `wait_for_task`, which polls with the spec's poll operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::Context;
use crate::ir::{self, FieldPath, Type};

/// The value at the end of `path`, starting from `start` (an expression of type `&Object`):
/// `(expression, true)` for an `Option<&T>` when a step is optional, `(expression, false)` for
/// the field itself (a place: borrow it or copy it) when every step is required.
pub(super) fn reach(context: &Context, start: TokenStream, path: &FieldPath) -> (TokenStream, bool) {
    let mut expression = quote!(#start);
    let mut maybe = false;
    for (owner, index) in &path.0 {
        let ir::SchemaKind::Object(object) = &context.api.schema(*owner).kind else { continue };
        let field = &object.fields[*index];
        let ident = &field.rust_name;
        let optional = !field.required || field.nullable;
        let borrow = if field.boxed { quote!(as_deref) } else { quote!(as_ref) };
        expression = match (maybe, optional) {
            (false, true) => quote!(#expression.#ident.#borrow()),
            (false, false) => quote!(#expression.#ident),
            (true, true) => quote!(#expression.and_then(|value| value.#ident.#borrow())),
            (true, false) => quote!(#expression.map(|value| &value.#ident)),
        };
        maybe |= optional;
    }
    (expression, maybe)
}

/// `Option<&T>` of a path.
fn optional(context: &Context, start: TokenStream, path: &FieldPath) -> TokenStream {
    let super::Std { some, .. } = context.std();
    match reach(context, start, path) {
        (expression, true) => expression,
        (expression, false) => quote!(#some(&#expression)),
    }
}

/// `Option<&str>` of a text path.
fn text(context: &Context, start: TokenStream, path: &FieldPath) -> TokenStream {
    let super::Std { some, .. } = context.std();
    match reach(context, start, path) {
        (expression, true) => quote!(#expression.map(::std::convert::AsRef::<str>::as_ref)),
        (expression, false) => quote!(#some(::std::convert::AsRef::<str>::as_ref(&#expression))),
    }
}

/// `impl TaskStatus for <task>`.
pub fn task_status(context: &Context) -> TokenStream {
    let Some(tasks) = &context.api.tasks else { return TokenStream::new() };
    let runtime = &context.runtime();
    let super::Std { option, some, none, .. } = context.std();
    let api = context.api;
    let name = &api.schema(tasks.schema).rust_name;
    let (id_type, id) = match tasks.id.ty(&api.schemas) {
        Some(Type::Primitive(ir::Primitive::Uuid)) => {
            let uuid = quote!(#runtime::Uuid);
            let id = match reach(context, quote!(self), &tasks.id) {
                (expression, true) => quote!(#expression.copied()),
                (expression, false) => quote!(#some(#expression)),
            };
            (uuid, id)
        }
        _ => {
            let id = text(context, quote!(self), &tasks.id);
            (quote!(::std::string::String), quote!(#id.map(::std::borrow::ToOwned::to_owned)))
        }
    };
    let state = optional(context, quote!(self), &tasks.state);
    // Whether `value` (a path's `&T`, an enum or text) is one of `values`.
    let is_one_of = |path: &FieldPath, values: &[(String, Option<ir::Ident>)]| match path.ty(&api.schemas) {
        Some(Type::Schema(enum_id)) if matches!(api.schema(*enum_id).kind, ir::SchemaKind::Enum(_)) => {
            let enum_name = &api.schema(*enum_id).rust_name;
            let variants = values.iter().filter_map(|(_, variant)| variant.as_ref()).map(|v| quote!(#enum_name::#v));
            quote!(matches!(value, #(#variants)|*))
        }
        _ => {
            let values = values.iter().map(|(value, _)| value.as_str());
            quote!([#(#values),*].contains(&::std::convert::AsRef::<str>::as_ref(value)))
        }
    };
    let is_done = is_one_of(&tasks.state, &tasks.done);
    let done = quote!(#state.is_some_and(|value| #is_done));
    let success = match (&tasks.success, &tasks.outcome) {
        (Some(path), _) => match reach(context, quote!(self), path) {
            (expression, true) => quote!(#expression.copied()),
            (expression, false) => quote!(#some(#expression)),
        },
        (None, Some(outcome)) => {
            let failed = is_one_of(outcome, &tasks.failed);
            let outcome = optional(context, quote!(self), outcome);
            quote!(#outcome.map(|value| !#failed))
        }
        (None, None) if !tasks.failed.is_empty() => {
            let failed = is_one_of(&tasks.state, &tasks.failed);
            quote!(#state.map(|value| !#failed))
        }
        (None, None) => quote!(#none),
    };
    let message = match &tasks.message {
        Some(path) => text(context, quote!(self), path),
        None => quote!(#none),
    };
    let related = match &tasks.related {
        Some(related) => {
            let links = optional(context, quote!(self), &related.links);
            let value = related.value.as_str();
            let is_related = match reach(context, quote!(link), &related.rel) {
                (rel, true) => {
                    quote!(#rel.map(::std::convert::AsRef::<str>::as_ref) == ::std::option::Option::Some(#value))
                }
                (rel, false) => quote!(::std::convert::AsRef::<str>::as_ref(&#rel) == #value),
            };
            let href = match reach(context, quote!(link), &related.href) {
                (href, true) => quote!(.and_then(|link| #href.map(::std::convert::AsRef::<str>::as_ref))),
                (href, false) => quote!(.map(|link| ::std::convert::AsRef::<str>::as_ref(&#href))),
            };
            quote! {
                #links?.iter().find(|link| #is_related) #href
            }
        }
        None => quote!(#none),
    };
    quote! {
        impl #runtime::client::TaskStatus for #name {
            type Id = #id_type;
            fn task_id(&self) -> #option<#id_type> {
                #id
            }
            fn is_done(&self) -> bool {
                #done
            }
            fn succeeded(&self) -> #option<bool> {
                #success
            }
            fn message(&self) -> #option<&str> {
                #message
            }
            fn related_href(&self) -> #option<&str> {
                #related
            }
        }
    }
}

/// `wait_for_task` and `wait_for_task_with` on the client.
pub fn client_methods(context: &Context) -> TokenStream {
    let Some(tasks) = &context.api.tasks else { return TokenStream::new() };
    let runtime = &context.runtime();
    let api = context.api;
    let task = super::types::rust_type(context, &Type::Schema(tasks.schema));
    let module = &api.module;
    let error = quote!(crate::#module::Error);
    let result = context.std().result;
    let poll = &api.operations[tasks.poll];
    let poll_method = &poll.rust_name;
    let (id_type, id_value) = match tasks.id.ty(&api.schemas) {
        Some(Type::Primitive(ir::Primitive::Uuid)) => (quote!(#runtime::Uuid), quote!(id)),
        _ => (quote!(impl ::std::convert::Into<::std::string::String>), quote!(id.into())),
    };
    let wait_id_doc = format!(
        "Waits for the task of this id to be over (the id an operation that starts work answers with): fetches          it with [`{poll_method}`](Self::{poll_method}) at once, then as [`wait_for_task`](Self::wait_for_task) does."
    );
    let wait_doc = format!(
        "Waits for a task to be over, polling it with [`{poll_method}`](Self::{poll_method}) (250 ms, doubling up to \
         5 s, for at most 10 minutes): the finished task, whose `related_id()` names what it created or changed; \
         `Error::Task` when it failed or ran out of time. Read it through the \
         `TaskStatus` trait."
    );
    quote! {
        #[doc = #wait_doc]
        pub async fn wait_for_task(&self, task: #task) -> #result<#task, #error> {
            self.wait_for_task_with(task, &#runtime::client::TaskWait::default()).await
        }

        /// [`wait_for_task`](Self::wait_for_task) with other delays and timeout.
        pub async fn wait_for_task_with(
            &self,
            task: #task,
            options: &#runtime::client::TaskWait,
        ) -> #result<#task, #error> {
            #runtime::client::wait_for_task("wait_for_task", task, options, |id| self.#poll_method(id).send()).await
        }

        #[doc = #wait_id_doc]
        pub async fn wait_for_task_id(&self, id: #id_type) -> #result<#task, #error> {
            self.wait_for_task_id_with(id, &#runtime::client::TaskWait::default()).await
        }

        /// [`wait_for_task_id`](Self::wait_for_task_id) with other delays and timeout.
        pub async fn wait_for_task_id_with(
            &self,
            id: #id_type,
            options: &#runtime::client::TaskWait,
        ) -> #result<#task, #error> {
            let poll = |id| self.#poll_method(id).send();
            #runtime::client::wait_for_task_id("wait_for_task_id", #id_value, options, poll).await
        }
    }
}
