//! Tests from documented examples: one `#[test]` per example body attached to the spec, each a
//! round trip through the runtime's `testing` helpers. The bodies are included from the spec
//! folder, so the spec stays their only copy.

use std::collections::HashSet;

use heck::ToSnakeCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::types::rust_type;
use super::Context;
use crate::ir::{self, BodyFormat, ErrorStatus, ExampleOf, Type};

/// The test file, or `None` when the spec has no examples.
pub fn documented_examples(
    spec: &ir::Spec,
    runtime: &TokenStream,
    lib: &Ident,
    include_path: impl Fn(&ir::Example) -> String,
) -> Option<TokenStream> {
    let mut names = HashSet::new();
    let mut tests = Vec::new();
    for api in &spec.apis {
        let module = format_ident!("{}", api.module);
        let context = Context { api, runtime: runtime.clone(), models_path: Some(quote!(::#lib::#module::models)) };
        let schema_examples = api.schemas.iter().flat_map(|schema| {
            let ty = Type::Schema(ir::SchemaId(api.schemas.iter().position(|s| s.name == schema.name).unwrap_or(0)));
            schema.examples.iter().map(move |example| (schema.name.as_str(), Some(ty.clone()), example))
        });
        let operation_examples = api.operations.iter().flat_map(|operation| {
            operation
                .examples
                .iter()
                .map(move |example| (operation.id.as_str(), body_type(operation, example.of), example))
        });
        for (owner, ty, example) in schema_examples.chain(operation_examples) {
            let Some(ty) = ty else { continue };
            let mut name = format!("{}__{}__{}", api.module, owner.to_snake_case(), example.name.to_snake_case());
            name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
            while !names.insert(name.clone()) {
                name.push_str("_again");
            }
            let test = format_ident!("{}", name);
            let ty = rust_type(&context, &ty);
            let helper = match example.format {
                BodyFormat::Json => quote!(json),
                BodyFormat::Xml => quote!(xml),
                BodyFormat::Form => quote!(form),
            };
            let path = include_path(example);
            let fragment = option(example.fragment.as_deref());
            let lenient = option(example.lenient.as_deref());
            let doc = format!(" {} ({})", example.name, example.source.as_deref().unwrap_or("spec example"));
            tests.push(quote! {
                #[doc = #doc]
                #[test]
                fn #test() {
                    #runtime::testing::#helper::<#ty>(
                        include_str!(#path),
                        #runtime::testing::Example { fragment: #fragment, lenient: #lenient },
                    );
                }
            });
        }
    }
    (!tests.is_empty()).then(|| {
        quote! {
            //! Every documented request and response body attached to the spec, decoded, encoded and
            //! decoded again: nothing may be lost, and the written body must be the documented one.

            // prettyplease, not rustfmt, formats generated code.
            #[rustfmt::skip]
            #[allow(non_snake_case)]
            mod documented {
                #(#tests)*
            }
        }
    })
}

fn option(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

/// The type of the body an operation example shows.
fn body_type(operation: &ir::Operation, of: ExampleOf) -> Option<Type> {
    match of {
        ExampleOf::Schema => None,
        ExampleOf::Request => operation.request.as_ref().map(|r| r.ty.clone()),
        ExampleOf::Response(status) => {
            operation.responses.iter().find(|r| r.status == status).and_then(|r| r.ty.clone()).or_else(|| {
                operation.errors.iter().find(|e| e.status == ErrorStatus::Code(status)).and_then(|e| e.ty.clone())
            })
        }
    }
}
