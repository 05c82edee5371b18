//! Tests on the wire: every operation called once against a loopback server (wiremock), with a
//! sample value for every parameter and body, checking the method, path, query, headers and body
//! the server received, and decoding a response built from the schema.
//!
//! The expectations are computed here from the IR, independently of the client emitter: a wrong
//! path, parameter or field name in the generated client or the runtime fails the test.
//! (XML-only APIs are left to their documented examples: a sample here is JSON.)

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::tests::{body_sample, quoted, test_name};
use super::types::rust_type;
use super::{Context, ModelsPath, Scope};
use crate::ir::{self, BodyFormat, Format, Ident, Output, ParameterLocation, Primitive, ResponseFormat, Type};

/// A parameter's sample: the Rust expression passed, and its text on the wire.
struct Sample {
    argument: TokenStream,
    /// Wire text of the value (for a list: of each of its two items, which are alike).
    wire: Option<String>,
}

pub fn operations(spec: &ir::Spec, runtime_name: &Ident, lib: &Ident) -> Option<TokenStream> {
    let runtime = quote!(::#runtime_name);
    let mut names = HashSet::new();
    let mut samples = Samples::default();
    let mut tests = Vec::new();
    let mut servers = Vec::new();
    for api in spec.apis.iter().filter(|api| api.speaks(Format::Json)) {
        let context = Context { api, runtime: runtime_name, models: ModelsPath::ApiModule, scope: Scope::Other };
        servers.push(serve_function(api, lib));
        let logon = api.auth.session.as_ref().map(|s| s.logon_operation);
        for (index, operation) in api.operations.iter().enumerate() {
            if logon == Some(ir::OperationId(index)) {
                continue;
            }
            let name = test_name(&[api.module.as_str(), &operation.id], &mut names);
            if let Some(test) = operation_test(&context, &runtime, operation, &name, &mut samples) {
                tests.push(test);
            }
        }
    }
    let samples = samples.constants.iter().map(|(name, text)| quote!(const #name: &str = #text;));
    (!tests.is_empty()).then(|| {
        quote! {
            //! Every operation on the wire: called once against a loopback server with a sample for
            //! every parameter and body; the method, path, query, headers and body received are the
            //! spec's, and a response built from the schema decodes.

            // prettyplease, not rustfmt, formats generated code.
            #[rustfmt::skip]
            #[allow(non_snake_case, unused_imports, dead_code)]
            mod wire {
                // The runtime's helpers by name: an API module imported below has a snake_case name
                // of its own, which may be any of them (modules and functions do not clash).
                use #runtime::testing::wire::{
                    bytes, check, empty, form_body, headers, json, json_body, multipart_body, raw_body, sample, serve,
                    text, MockServer, ResponseTemplate,
                };

                #(#samples)*

                #(#servers)*

                #(#tests)*
            }
        }
    })
}

/// The JSON samples of bodies, each written once as a constant (`S0`, `S1`, ...) in the order
/// the tests first use them: requests and responses of one schema share their sample.
#[derive(Default)]
struct Samples {
    /// The constants, in order of first use: name and text.
    constants: Vec<(proc_macro2::Ident, String)>,
    index: HashMap<String, usize>,
    taken: std::collections::HashSet<String>,
}

impl Samples {
    /// The constant holding `text`, a sample of `ty`: named after the type
    /// (`STANDARD_ACCOUNT_CREATE_SPEC`, `LIST_OF_LINK`), numbered if two samples of one name differ.
    fn constant(&mut self, api: &ir::Api, ty: &Type, text: String) -> proc_macro2::Ident {
        if let Some(&index) = self.index.get(&text) {
            return self.constants[index].0.clone();
        }
        let base = sample_name(api, ty);
        let mut name = base.clone();
        let mut counter = 1;
        while !self.taken.insert(name.clone()) {
            counter += 1;
            name = format!("{base}_{counter}");
        }
        let ident = quote::format_ident!("{name}");
        self.index.insert(text.clone(), self.constants.len());
        self.constants.push((ident.clone(), text));
        ident
    }
}

/// `SCREAMING_SNAKE_CASE` name of a sample of `ty`: an identifier (ASCII letters, digits and
/// `_`, never starting with a digit), whatever the schema is called.
fn sample_name(api: &ir::Api, ty: &Type) -> String {
    let name = match ty {
        Type::Schema(id) => heck::ToShoutySnakeCase::to_shouty_snake_case(api.schema(*id).rust_name.plain()),
        Type::Primitive(primitive) => format!("{primitive:?}").to_uppercase(),
        Type::List(item) => format!("LIST_OF_{}", sample_name(api, item)),
        Type::Map(item) => format!("MAP_OF_{}", sample_name(api, item)),
    };
    let name: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name,
        _ => format!("SAMPLE_{name}"),
    }
}

fn operation_test(
    context: &Context,
    runtime: &TokenStream,
    operation: &ir::Operation,
    name: &Ident,
    samples: &mut Samples,
) -> Option<TokenStream> {
    let api = context.api;
    let module = &api.module;
    let feature = api.feature();
    let serve_function = serve_function_name(api);

    // Arguments and setters, each with its expectation on the wire.
    let mut arguments = Vec::new();
    let mut setters = Vec::new();
    let mut path_values: Vec<(usize, String)> = Vec::new();
    // The query as it is on the wire, pair by pair (`name=value`, encoded as a form is, a list's
    // delimiter written as its style says).
    let mut query: Vec<String> = Vec::new();
    let mut headers: Vec<(String, String)> = api.headers.iter().map(|h| (h.name.clone(), h.value.clone())).collect();
    let mut parts: Vec<String> = Vec::new();
    for (index, parameter) in operation.parameters.iter().enumerate() {
        let wire = match &parameter.value {
            Some(fixed) => Some(fixed.clone()),
            None => {
                let sample = parameter_sample(context, runtime, &parameter.ty, index + 1)?;
                let field = &parameter.rust_name;
                let argument = sample.argument;
                if parameter.required {
                    arguments.push(argument);
                } else {
                    setters.push(quote!(.#field(#argument)));
                }
                sample.wire
            }
        };
        match (parameter.location, wire) {
            (ParameterLocation::Path, Some(wire)) => path_values.push((index, wire)),
            (ParameterLocation::Query, Some(wire)) => {
                let (name, item) = (form_encoded(&parameter.name), form_encoded(&wire));
                let delimiter = match parameter.list_format {
                    _ if !matches!(parameter.ty, Type::List(_)) || parameter.value.is_some() => {
                        query.push(format!("{name}={item}"));
                        continue;
                    }
                    ir::ListFormat::Repeat => {
                        query.extend([format!("{name}={item}"), format!("{name}={item}")]);
                        continue;
                    }
                    ir::ListFormat::Csv => ",",
                    ir::ListFormat::Space => "%20",
                    ir::ListFormat::Pipe => "|",
                    ir::ListFormat::Tab => "%09",
                };
                query.push(format!("{name}={item}{delimiter}{item}"));
            }
            (ParameterLocation::Header, Some(wire)) => {
                // The operation's value replaces the API's fixed header of that name.
                headers.retain(|(name, _)| !name.eq_ignore_ascii_case(&parameter.name));
                headers.push((parameter.name.clone(), wire));
            }
            (ParameterLocation::Part, _) => parts.push(parameter.name.clone()),
            _ => {}
        }
    }
    // The client holds every credential, so a call sends the first way its operation accepts:
    // its API keys in the query go on the wire too.
    if operation.authenticated {
        let offered = api.auth.offered();
        let first = operation.schemes.first().map_or(offered.get(..1).unwrap_or_default(), Vec::as_slice);
        for scheme in first {
            let key =
                api.auth.api_keys.iter().find(|key| matches!(scheme, ir::Scheme::ApiKey(name) if *name == key.name));
            if let Some(ir::ApiKeyPlace::Query(name)) = key.map(|key| &key.place) {
                query.push(format!("{}=sample-key", form_encoded(name)));
            }
        }
    }
    let mut path = api.base_path.trim_end_matches('/').to_owned();
    for segment in &operation.segments {
        match segment {
            ir::PathSegment::Literal(text) => path.push_str(text),
            ir::PathSegment::Parameter(index) => {
                let value = path_values.iter().find(|(i, _)| i == index).map(|(_, v)| v.as_str())?;
                path.push_str(&percent_encode(value));
            }
        }
    }

    // The body.
    let mut body_check = quote!();
    if let Some(body) = &operation.request {
        let format = body.formats.first().copied()?;
        let format = if body.formats.contains(&BodyFormat::Json) { BodyFormat::Json } else { format };
        match format {
            BodyFormat::Json | BodyFormat::Form => {
                let sample = body_sample(api, &body.ty)?;
                let ty = rust_type(context, &body.ty);
                body_check = if format == BodyFormat::Json {
                    let constant = samples.constant(api, &body.ty, sample);
                    arguments.push(quote!(sample::<#ty>(#constant)));
                    quote!(json_body(&request, #constant);)
                } else {
                    let pairs = form_pairs(&sample)?;
                    let pairs = pairs.iter().map(|(k, v)| quote!((#k, #v)));
                    let constant = samples.constant(api, &body.ty, sample);
                    arguments.push(quote!(sample::<#ty>(#constant)));
                    quote!(form_body(&request, &[#(#pairs),*]);)
                };
            }
            BodyFormat::Text => {
                let media_type = body.media_type.as_deref().unwrap_or("text/plain");
                arguments.push(quote!("sample text"));
                body_check = quote!(raw_body(&request, #media_type, b"sample text");)
            }
            BodyFormat::Binary => {
                let media_type = body.media_type.as_deref().unwrap_or("application/octet-stream");
                arguments.push(quote!(#runtime::client::Upload::from_bytes(&b"\x00sample file\xff"[..])));
                body_check = quote!(raw_body(&request, #media_type, b"\x00sample file\xff");)
            }
            BodyFormat::Xml => return None,
        }
    } else if !parts.is_empty() {
        body_check = quote!(multipart_body(&request, &[#(#parts),*]);)
    }

    // The response: the first success status, with a body of its type.
    let response = operation.responses.first()?;
    let status = response.status;
    let template = match (&response.ty, response.format) {
        (None, _) => quote!(empty(#status)),
        (Some(_), ResponseFormat::Binary) => quote!(bytes(#status)),
        (Some(_), ResponseFormat::Text) => quote!(text(#status)),
        (Some(ty), ResponseFormat::Negotiated) => {
            let constant = samples.constant(api, ty, body_sample(api, ty)?);
            quote!(json(#status, #constant))
        }
    };
    // Only what is checked is bound (clippy's let_unit_value, unused variables).
    let (bind, decoded) = match &operation.output {
        Output::ByStatus(status_enum) => {
            let (name, variant) = (&status_enum.name, &status_enum.variants[0]);
            let pattern = if response.ty.is_some() { quote!((_)) } else { quote!() };
            let check = quote! {
                assert!(matches!(result, #module::client::requests::#name::#variant #pattern), "the {} variant", #status);
            };
            (quote!(let result =), check)
        }
        Output::OptionalBody(_) if response.ty.is_some() => (quote!(let result =), quote!(assert!(result.is_some());)),
        Output::OptionalBody(_) => (quote!(let result =), quote!(assert!(result.is_none());)),
        Output::Unit | Output::Body(_) => (quote!(), quote!()),
    };

    let method_name = &operation.rust_name;
    let method = operation.method.as_str();

    let headers = (!headers.is_empty()).then(|| {
        let pairs = headers.iter().map(|(name, value)| {
            let name = name.to_ascii_lowercase();
            quote!((#name, #value))
        });
        quote!(headers(&request, &[#(#pairs),*]);)
    });
    // The request is bound only when something more is checked on it (unused variables warn).
    let bind_request = (headers.is_some() || !body_check.is_empty()).then(|| quote!(let request =));
    Some(quote! {
        #[::tokio::test]
        #[cfg(feature = #feature)]
        async fn #name() {
            let (server, client) = #serve_function(#template).await;
            #bind client.#method_name(#(#arguments),*) #(#setters)* .await.expect("the call succeeds");
            #decoded
            #bind_request check(&server, #method, #path, &[#(#query),*]).await;
            #headers
            #body_check
        }
    })
}

/// `text` as an `application/x-www-form-urlencoded` serializer writes it (what the wire carries,
/// computed here independently of the runtime's encoder).
fn form_encoded(text: &str) -> String {
    let mut encoded = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => encoded.push(char::from(byte)),
            b' ' => encoded.push('+'),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// `serve_<module>`: the function giving a test a server and a client of the API for it.
fn serve_function_name(api: &ir::Api) -> proc_macro2::Ident {
    quote::format_ident!("serve_{}", api.module.plain())
}

/// The API module imported by its name (its models are `<module>::models::Name` in the tests),
/// and a server answering with `response` with a client of the API for it, speaking JSON, with
/// sample credentials.
fn serve_function(api: &ir::Api, lib: &Ident) -> TokenStream {
    let name = serve_function_name(api);
    let module = &api.module;
    let feature = api.feature();
    let credentials = credentials(&api.auth);
    quote! {
        #[cfg(feature = #feature)]
        use ::#lib::#module;

        #[cfg(feature = #feature)]
        async fn #name(response: ResponseTemplate) -> (MockServer, #module::Client) {
            let server = serve(response).await;
            let client = #module::Client::builder(server.uri())
                .format(::#lib::Format::Json)
                .build()
                .expect("a client");
            #credentials
            (server, client)
        }
    }
}

/// Credentials for every scheme the API offers (each operation picks the one it accepts).
fn credentials(auth: &ir::Auth) -> TokenStream {
    let bearer = auth.bearer.as_ref().map(|_| quote!(client.set_tokens("sample-token", None, None).await;));
    let session = auth.session.as_ref().map(|_| quote!(client.set_session_id("sample-session");));
    let api_keys = auth.api_keys.iter().map(|key| {
        let setter = quote::format_ident!("set_{}", key.name);
        quote!(client.#setter("sample-key");)
    });
    let basic = auth.basic.then(|| quote!(client.set_credentials("sample-user", "sample-password");));
    quote!(#bearer #session #(#api_keys)* #basic)
}

/// A sample argument for a parameter of type `ty`; `n` makes values differ between parameters.
fn parameter_sample(context: &Context, runtime: &TokenStream, ty: &Type, n: usize) -> Option<Sample> {
    let api = context.api;
    let scalar = |ty: &Type| -> Option<(String, String)> {
        // (JSON text, wire text)
        Some(match ty {
            Type::Primitive(Primitive::String | Primitive::Uri) => (quoted(&format!("s{n}")), format!("s{n}")),
            Type::Primitive(Primitive::Int32 | Primitive::Int64) => (n.to_string(), n.to_string()),
            Type::Primitive(Primitive::Number) => ("1.5".into(), "1.5".into()),
            Type::Primitive(Primitive::Boolean) => ("true".into(), "true".into()),
            Type::Primitive(Primitive::Uuid) => {
                let uuid = format!("00000000-0000-0000-0000-{n:012}");
                (quoted(&uuid), uuid)
            }
            Type::Primitive(Primitive::DateTime) => (quoted("2020-01-02T03:04:05Z"), "2020-01-02T03:04:05Z".into()),
            Type::Primitive(Primitive::Date) => (quoted("2020-01-02"), "2020-01-02".into()),
            Type::Schema(id) => match &api.schema(*id).kind {
                ir::SchemaKind::String => (quoted(&format!("s{n}")), format!("s{n}")),
                ir::SchemaKind::Enum(enumeration) => {
                    // A value a header can carry as it is (HTTP trims surrounding whitespace).
                    let plain =
                        |v: &&ir::EnumValue| !v.value.is_empty() && v.value.bytes().all(|b| b.is_ascii_graphic());
                    let value = &enumeration.values.iter().find(plain)?.value;
                    (quoted(value), value.clone())
                }
                _ => return None,
            },
            _ => return None,
        })
    };
    let rust = rust_type(context, ty);
    match ty {
        Type::Primitive(Primitive::Binary) => {
            Some(Sample { argument: quote!(#runtime::client::Upload::from_bytes(&b"part file"[..])), wire: None })
        }
        Type::List(item) if **item == Type::Primitive(Primitive::Binary) => {
            Some(Sample { argument: quote!(vec![#runtime::client::Upload::from_bytes(&b"part file"[..])]), wire: None })
        }
        Type::Primitive(Primitive::String | Primitive::Uri) => {
            let text = format!("s{n}");
            Some(Sample { argument: quote!(#text), wire: Some(text) })
        }
        Type::List(item) => {
            let (json, wire) = scalar(item)?;
            // Two items, so that the list's delimiter is on the wire.
            let json = format!("[{json},{json}]");
            Some(Sample { argument: quote!(sample::<#rust>(#json)), wire: Some(wire) })
        }
        ty => {
            let (json, wire) = scalar(ty)?;
            Some(Sample { argument: quote!(sample::<#rust>(#json)), wire: Some(wire) })
        }
    }
}

/// The fields of a sample form (a flat JSON object): name and text of each.
fn form_pairs(sample: &str) -> Option<Vec<(String, String)>> {
    let value: serde_json::Value = serde_json::from_str(sample).ok()?;
    let mut pairs = Vec::new();
    for (key, value) in value.as_object()? {
        let text = match value {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Number(_) | serde_json::Value::Bool(_) => value.to_string(),
            _ => return None,
        };
        pairs.push((key.clone(), text));
    }
    Some(pairs)
}

/// A path segment as sent: RFC 3986 unreserved characters as they are, every other byte
/// percent-encoded.
fn percent_encode(text: &str) -> String {
    let mut encoded = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}
