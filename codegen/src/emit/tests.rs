//! Tests from documented examples: one `#[test]` per example body attached to the spec, each a
//! round trip through the runtime's `testing` helpers. The bodies are included from the spec
//! folder, so the spec stays their only copy.

use std::collections::HashSet;

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::types::rust_type;
use super::{Context, ModelsPath, Scope};
use crate::ir::{self, BodyFormat, ErrorStatus, ExampleOf, Ident, Type};

/// A unique test name made of identifier characters (`<module>__<owner>__<example>`).
pub(super) fn test_name(parts: &[&str], names: &mut HashSet<String>) -> Ident {
    let mut name = parts.iter().map(|part| part.to_snake_case()).collect::<Vec<_>>().join("__");
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    while !names.insert(name.clone()) {
        name.push_str("_again");
    }
    // Starts with the module name (a letter), contains `__`: an identifier, never a keyword.
    Ident::assume(name)
}

/// The test file, or `None` when the spec has no examples.
pub fn documented_examples(
    spec: &ir::Spec,
    runtime_name: &Ident,
    lib: &Ident,
    include_path: impl Fn(&ir::Example) -> String,
) -> Option<TokenStream> {
    let runtime = &quote!(::#runtime_name);
    let mut names = HashSet::new();
    let mut tests = Vec::new();
    for api in &spec.apis {
        let context = Context { api, runtime: runtime_name, models: ModelsPath::External(lib), scope: Scope::Other };
        let schema_examples = api.schemas.iter().enumerate().flat_map(|(index, schema)| {
            let ty = Type::Schema(ir::SchemaId(index));
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
            let test = test_name(&[api.module.as_str(), owner, &example.name], &mut names);
            let ty = rust_type(&context, &ty);
            let helper = match example.format {
                BodyFormat::Json => quote!(json),
                BodyFormat::Xml => quote!(xml),
                BodyFormat::Form => quote!(form),
                // Raw bodies have no documented examples (resolve refuses them).
                BodyFormat::Text | BodyFormat::Binary => continue,
            };
            let path = include_path(example);
            let fragment = super::some_or_none(example.fragment.as_deref());
            let lenient = super::some_or_none(example.lenient.as_deref());
            let contradicts = super::some_or_none(example.contradicts.as_deref());
            let doc = super::docs::outer(Some(&format!(
                "{} ({})",
                example.name,
                example.source.as_deref().unwrap_or("spec example")
            )));
            let feature = api.feature();
            tests.push(quote! {
                #doc
                #[test]
                #[cfg(feature = #feature)]
                fn #test() {
                    #runtime::testing::#helper::<#ty>(
                        include_str!(#path),
                        #runtime::testing::Example { fragment: #fragment, lenient: #lenient, contradicts: #contradicts },
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

/// A test per object schema with sensitive fields: a value holding marker secrets is built from
/// JSON, and its `Debug` output must show `***` and none of the markers.
pub fn sensitive_debug(spec: &ir::Spec, runtime_name: &Ident, lib: &Ident) -> Option<TokenStream> {
    let runtime = &quote!(::#runtime_name);
    let mut names = HashSet::new();
    let mut tests = Vec::new();
    for api in spec.apis.iter().filter(|api| api.speaks(ir::Format::Json)) {
        let context = Context { api, runtime: runtime_name, models: ModelsPath::External(lib), scope: Scope::Other };
        for (index, schema) in api.schemas.iter().enumerate() {
            let ir::SchemaKind::Object(object) = &schema.kind else { continue };
            if !object.fields.iter().any(|f| f.sensitive) {
                continue;
            }
            let mut markers = 0;
            let Some(sample) = sample_object(api, object, &mut markers, 0) else { continue };
            if markers == 0 {
                continue;
            }
            let test = test_name(&[api.module.as_str(), schema.rust_name.as_str()], &mut names);
            let ty = rust_type(&context, &Type::Schema(ir::SchemaId(index)));
            let feature = api.feature();
            tests.push(quote! {
                #[test]
                #[cfg(feature = #feature)]
                fn #test() {
                    let value: #ty = #runtime::json::from_str(#sample).expect("the sample decodes");
                    let debug = format!("{value:?}");
                    assert!(!debug.contains(SECRET), "a secret is shown: {debug}");
                    assert!(debug.contains("***"), "no redaction marker: {debug}");
                }
            });
        }
    }
    (!tests.is_empty()).then(|| {
        quote! {
            //! No `Debug` output of a generated type shows a sensitive field's value.

            // prettyplease, not rustfmt, formats generated code.
            #[rustfmt::skip]
            #[allow(non_snake_case)]
            mod sensitive {
                /// Marks every sensitive value of a sample (unused when no API is compiled in).
                #[allow(dead_code)]
                const SECRET: &str = "SECRET-";
                #(#tests)*
            }
        }
    })
}

/// How deep required objects are built before giving up (a required cycle has no finite value).
const SAMPLE_DEPTH: usize = 8;

/// A JSON string.
pub(super) fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// What a sample is for.
#[derive(Clone, Copy, PartialEq)]
enum SampleFor {
    /// Every sensitive string field set to a marker (`Debug` must hide it).
    Debug,
    /// A request or response body: the required fields.
    Body,
}

/// JSON for an object with every required field (and, for `Debug`, every sensitive string field
/// set to a marker).
fn sample_object(api: &ir::Api, object: &ir::Object, markers: &mut usize, depth: usize) -> Option<String> {
    sample_object_for(api, object, markers, depth, SampleFor::Debug)
}

fn sample_object_for(
    api: &ir::Api,
    object: &ir::Object,
    markers: &mut usize,
    depth: usize,
    purpose: SampleFor,
) -> Option<String> {
    let mut members = Vec::new();
    for field in &object.fields {
        let value = if purpose == SampleFor::Debug && field.sensitive && is_text(api, &field.ty) {
            *markers += 1;
            quoted(&format!("SECRET-{markers}"))
        } else if field.required {
            let value = sample_value_for(api, &field.ty, depth, purpose)?;
            match field.json_wrapper {
                Some(member) => format!("{{{}:{value}}}", quoted(&api.json_members[member].name)),
                None => value,
            }
        } else {
            continue;
        };
        members.push(format!("{}:{value}", quoted(&field.json_name)));
    }
    Some(format!("{{{}}}", members.join(",")))
}

/// A JSON body of type `ty`: the required fields of each object.
pub(super) fn body_sample(api: &ir::Api, ty: &Type) -> Option<String> {
    sample_value_for(api, ty, 0, SampleFor::Body)
}

fn is_text(api: &ir::Api, ty: &Type) -> bool {
    match ty {
        Type::Primitive(p) => matches!(p, ir::Primitive::String | ir::Primitive::Uri),
        Type::Schema(id) => matches!(api.schema(*id).kind, ir::SchemaKind::String),
        _ => false,
    }
}

fn sample_value_for(api: &ir::Api, ty: &Type, depth: usize, purpose: SampleFor) -> Option<String> {
    use ir::Primitive as P;
    Some(match ty {
        Type::Primitive(P::String | P::Uri) => quoted("x"),
        Type::Primitive(P::Int32 | P::Int64) => "1".into(),
        Type::Primitive(P::Number) => "1.5".into(),
        Type::Primitive(P::Boolean) => "true".into(),
        Type::Primitive(P::Uuid) => quoted("00000000-0000-0000-0000-000000000000"),
        Type::Primitive(P::DateTime) => quoted("2020-01-01T00:00:00Z"),
        Type::Primitive(P::Date) => quoted("2020-01-01"),
        Type::Primitive(P::Any) => "null".into(),
        Type::Primitive(P::Binary) => return None,
        Type::List(_) => "[]".into(),
        Type::Map(_) => "{}".into(),
        Type::Schema(id) => match &api.schema(*id).kind {
            ir::SchemaKind::String => quoted("x"),
            ir::SchemaKind::Enum(enumeration) => quoted(&enumeration.values.first()?.value),
            ir::SchemaKind::Object(object) if depth < SAMPLE_DEPTH => {
                sample_object_for(api, object, &mut 0, depth + 1, purpose)?
            }
            ir::SchemaKind::Object(_) => return None,
            ir::SchemaKind::Union(union) if depth < SAMPLE_DEPTH => {
                let variant = union.variants.first()?;
                let sample = sample_value_for(api, &variant.ty, depth + 1, purpose)?;
                match (&union.discriminator, &variant.tag) {
                    // The discriminator member says which variant it is (a sample enum value
                    // of that member may name another).
                    (Some(member), Some(tag)) => {
                        let mut value: serde_json::Value = serde_json::from_str(&sample).ok()?;
                        value.as_object_mut()?.insert(member.clone(), serde_json::Value::String(tag.clone()));
                        value.to_string()
                    }
                    // A wrapped union's value is the member its tag names, holding the variant.
                    (None, Some(tag)) if union.wrapped => {
                        let value: serde_json::Value = serde_json::from_str(&sample).ok()?;
                        serde_json::json!({ tag: value }).to_string()
                    }
                    _ => sample,
                }
            }
            ir::SchemaKind::Union(_) => return None,
            ir::SchemaKind::Alias(ty) => sample_value_for(api, ty, depth, purpose)?,
        },
    })
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
