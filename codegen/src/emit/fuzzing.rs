//! A `fuzzing` module (behind the generated crate's `fuzzing` feature): one entry point that
//! decodes text as any of the crate's types, in JSON and, for APIs that speak it, XML. The
//! decode fuzz target drives it; nothing else compiles it.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::rust_type;
use super::{Context, ModelsPath, Scope};
use crate::ir::{self, Format, SchemaId, SchemaKind, Type};

pub fn module(spec: &ir::Spec, runtime: &ir::Ident) -> TokenStream {
    let mut arms = Vec::new();
    for api in &spec.apis {
        let feature = api.feature();
        let context = Context { api, runtime, models: ModelsPath::Crate, scope: Scope::Other };
        for (index, schema) in api.schemas.iter().enumerate() {
            let ty = rust_type(&context, &Type::Schema(SchemaId(index)));
            let xml = api.speaks(Format::Xml) && matches!(schema.kind, SchemaKind::Object(_));
            let decoder = if xml { quote!(json_and_xml) } else { quote!(json) };
            let selector = arms.len();
            arms.push(quote! {
                #[cfg(feature = #feature)]
                #selector => #decoder::<#ty>(text),
            });
        }
    }
    let count = arms.len();
    quote! {
        /// Decoding of every type, for the decode fuzz target (feature `fuzzing`).
        #[cfg(feature = "fuzzing")]
        #[doc(hidden)]
        // prettyplease, not rustfmt, formats generated code.
        #[rustfmt::skip]
        pub mod fuzzing {
            /// How many types [`decode`] chooses from.
            pub const TYPES: usize = #count;

            // Unused when no API feature is on.
            #[allow(dead_code)]
            fn json<T: ::serde::de::DeserializeOwned>(text: &str) {
                let _ = ::#runtime::json::from_str::<T>(text);
            }

            #[allow(dead_code)]
            fn json_and_xml<T: ::serde::de::DeserializeOwned + ::#runtime::xml::FromXml>(text: &str) {
                json::<T>(text);
                let _ = ::#runtime::xml::from_str::<T>(text);
            }

            /// Decodes `text` as type number `selector % TYPES`, as JSON and as XML.
            // With no API feature on, no arm reads `text` and the helpers are unused.
            #[allow(unused_variables, dead_code)]
            pub fn decode(selector: usize, text: &str) {
                match selector % TYPES.max(1) {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    }
}
