//! Clients: one `Client` per API with a method per operation. Each method returns a request
//! builder (required arguments up front, a setter per optional parameter) that is sent with
//! `.send().await` or simply `.await`. Transport, authentication and errors are the runtime's.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::types::rust_type;
use super::Context;
use crate::ir::{
    self, BodyFormat, Format, Method, Operation, Output, ParameterLocation, PathSegment, Primitive, ResponseFormat,
    Type,
};

/// The error body type parameter of the API's `Error`: `()` when none is declared, the type when
/// there is one, the API's `ErrorBody` enum when there are several.
pub(crate) fn error_body(context: &Context) -> TokenStream {
    match context.api.error_bodies.as_slice() {
        [] => quote!(()),
        [only] => rust_type(context, &only.ty),
        _ => {
            let module = &context.api.module;
            quote!(crate::#module::ErrorBody)
        }
    }
}

/// `ErrorBody` impls of the API's error body schemas, and with several types, the enum of them.
fn error_bodies(context: &Context) -> TokenStream {
    let api = context.api;
    let runtime = &context.runtime();
    // Error bodies of other types (strings, lists, maps) have their impls in the runtime.
    let impls = api.error_bodies.iter().enumerate().filter_map(|(index, body)| {
        let Type::Schema(id) = &body.ty else { return None };
        let message = if index == 0 { error_message(context, *id) } else { quote!() };
        let ty = rust_type(context, &body.ty);
        Some(if api.speaks(Format::Xml) {
            quote!(#runtime::json_xml_error_body!(#ty #message);)
        } else {
            quote!(#runtime::json_error_body!(#ty #message);)
        })
    });
    let impls: TokenStream = impls.collect();
    if api.error_bodies.len() < 2 {
        return impls;
    }
    let super::Std { option, .. } = context.std();
    let variants = api.error_bodies.iter().map(|body| {
        let (name, ty) = (&body.rust_name, rust_type(context, &body.ty));
        let doc = docs::outer(Some(&format!("A body of type `{}`.", body.rust_name.plain())));
        quote!(#doc #name(#ty),)
    });
    let decoders = api.error_bodies.iter().map(|body| {
        let (name, ty) = (&body.rust_name, rust_type(context, &body.ty));
        quote!(|body, format, depth| <#ty as #runtime::client::ErrorBody>::decode(body, format, depth).map(ErrorBody::#name))
    });
    let messages = api.error_bodies.iter().map(|body| {
        let name = &body.rust_name;
        quote!(ErrorBody::#name(body) => #runtime::client::ErrorBody::message(body),)
    });
    quote! {
        #impls

        /// An error body of one of the types the API documents. An error is decoded as the type
        /// its operation documents for its status first, then as each other type in turn.
        #[derive(Clone, PartialEq, Debug)]
        #[non_exhaustive]
        pub enum ErrorBody {
            #(#variants)*
        }

        impl #runtime::client::ErrorBody for ErrorBody {
            fn decode(body: &[u8], format: #runtime::client::Format, max_depth: usize) -> #option<Self> {
                Self::decode_documented(body, format, max_depth, None)
            }

            fn decode_documented(
                body: &[u8],
                format: #runtime::client::Format,
                max_depth: usize,
                documented: #option<usize>,
            ) -> #option<Self> {
                const DECODERS: &[#runtime::client::Decoder<ErrorBody>] = &[#(#decoders),*];
                #runtime::client::decode_documented_first(DECODERS, documented, body, format, max_depth)
            }

            fn message(&self) -> #option<&str> {
                match self {
                    #(#messages)*
                }
            }
        }
    }
}

/// The Rust type of a success body: a received file is a `Download`.
fn body_type(context: &Context, ty: &Type) -> TokenStream {
    let client = &context.client_module();
    if *ty == Type::Primitive(Primitive::Binary) {
        return quote!(#client::Download);
    }
    rust_type(context, ty)
}

/// What a successful call returns.
fn output(context: &Context, operation: &Operation) -> TokenStream {
    let super::Std { option, .. } = context.std();
    match &operation.output {
        Output::Unit => quote!(()),
        Output::Body(ty) => body_type(context, ty),
        Output::OptionalBody(ty) => {
            let ty = body_type(context, ty);
            quote!(#option<#ty>)
        }
        Output::ByStatus(status_enum) => {
            let name = &status_enum.name;
            quote!(#name)
        }
    }
}

/// The enum of an operation whose success statuses have different bodies (emitted beside its
/// request builder).
fn status_enum(context: &Context, operation: &Operation) -> Option<TokenStream> {
    let Output::ByStatus(status_enum) = &operation.output else { return None };
    let name = &status_enum.name;
    let doc = format!(
        "What [`Client::{}`](super::Client::{}) returns: one variant per documented success status, \
         as their bodies differ.",
        operation.rust_name.plain(),
        operation.rust_name
    );
    let doc = docs::outer(Some(&doc));
    let variants = operation.responses.iter().zip(&status_enum.variants).map(|(response, ident)| {
        let text = match &response.description {
            Some(description) => format!("`{}`: {description}", response.status),
            None => format!("Status `{}`.", response.status),
        };
        let doc = docs::outer(Some(&text));
        match &response.ty {
            Some(ty) => {
                let ty = body_type(context, ty);
                quote!(#doc #ident(#ty),)
            }
            None => quote!(#doc #ident,),
        }
    });
    Some(quote! {
        #doc
        #[derive(Clone, PartialEq, Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    })
}

fn method(method: Method) -> TokenStream {
    match method {
        Method::Get => quote!(GET),
        Method::Post => quote!(POST),
        Method::Put => quote!(PUT),
        Method::Patch => quote!(PATCH),
        Method::Delete => quote!(DELETE),
        Method::Head => quote!(HEAD),
    }
}

fn is_string(ty: &Type) -> bool {
    matches!(ty, Type::Primitive(Primitive::String | Primitive::Uri))
}

/// Reads the response: the body of each declared success status. The usual single status with a
/// body, or without one, is a runtime call.
fn read(context: &Context, operation: &Operation) -> TokenStream {
    let super::Std { some, none, ok, err, .. } = context.std();
    let speaks_xml = context.api.speaks(Format::Xml);
    if let [only] = operation.responses.as_slice() {
        let status = only.status;
        match (&operation.output, &only.ty, only.format) {
            (Output::Unit, None, _) => return quote!(response.empty_if(#status)),
            (Output::Body(_), Some(_), ResponseFormat::Negotiated) if speaks_xml => {
                return quote!(response.body_if(#status))
            }
            (Output::Body(_), Some(_), ResponseFormat::Negotiated) => return quote!(response.json_if(#status)),
            _ => {}
        }
    }
    let optional = matches!(operation.output, Output::OptionalBody(_));
    let decoder = |response: &ir::Response| match response.format {
        ResponseFormat::Text => quote!(response.text()),
        ResponseFormat::Binary => quote!(response.download()),
        ResponseFormat::Negotiated if speaks_xml => quote!(response.body()),
        ResponseFormat::Negotiated => quote!(response.json()),
    };
    let arms = operation.responses.iter().enumerate().map(|(index, response)| {
        let status = response.status;
        if let Output::ByStatus(status_enum) = &operation.output {
            let (name, variant) = (&status_enum.name, &status_enum.variants[index]);
            let decoded = decoder(response);
            let value = match &response.ty {
                Some(_) => quote!(#decoded.map(#name::#variant)),
                None => quote!(#ok(#name::#variant)),
            };
            return quote!(#status => #value,);
        }
        let value = match &response.ty {
            None if optional => quote!(#ok(#none)),
            None => quote!(#ok(())),
            Some(_) => {
                let decoded = decoder(response);
                if optional {
                    quote!(#decoded.map(#some))
                } else {
                    decoded
                }
            }
        };
        quote!(#status => #value,)
    });
    quote! {
        match response.status() {
            #(#arms)*
            _ => #err(response.unexpected()),
        }
    }
}

/// `, |body| <the first message field present>` for the error body macros, or nothing.
fn error_message(context: &Context, error_body: ir::SchemaId) -> TokenStream {
    let ir::SchemaKind::Object(object) = &context.api.schema(error_body).kind else { return quote!() };
    let mut fields = context.api.error_message.iter().map(|index| {
        let field = &object.fields[*index];
        let name = &field.rust_name;
        let is_string = matches!(field.ty, Type::Primitive(_));
        match (field.required && !field.nullable, is_string) {
            (true, true) => quote!(Some(body.#name.as_str())),
            (true, false) => quote!(Some(body.#name.as_str())),
            (false, true) => quote!(body.#name.as_deref()),
            (false, false) => quote!(body.#name.as_ref().map(|value| value.as_str())),
        }
    });
    let Some(first) = fields.next() else { return quote!() };
    // Field reads are cheap: `or`, not `or_else` (clippy's unnecessary_lazy_evaluations).
    let rest = fields.map(|field| quote!(.or(#field)));
    quote!(, |body| #first #(#rest)*)
}

/// Statements that build `request` from the fields of `self` for the authentication operations
/// the client's own methods send (`log_in`, `log_out`); the other operations' requests are built
/// by the runtime's `#[requests]` attribute from their builder declarations.
fn build_request(context: &Context, operation: &Operation, authenticated: bool) -> TokenStream {
    let client = &context.client_module();
    let super::Std { some, .. } = context.std();
    let http_method = method(operation.method);
    let id = &operation.id;
    let template = format!("{}{}", context.api.base_path, operation.path);
    let path = operation.segments.iter().map(|segment| match segment {
        PathSegment::Literal(text) => quote!(request.literal(#text);),
        PathSegment::Parameter(index) => {
            let field = &operation.parameters[*index].rust_name;
            quote!(request.segment(&self.#field);)
        }
    });
    let parameters = operation.parameters.iter().filter(|p| p.location != ParameterLocation::Path).map(|parameter| {
        let name = &parameter.name;
        let field = &parameter.rust_name;
        let value = match (&parameter.value, parameter.required) {
            (Some(fixed), _) => quote!(#some(#fixed)),
            (None, true) => quote!(#some(&self.#field)),
            (None, false) if is_string(&parameter.ty) => quote!(self.#field.as_deref()),
            (None, false) => quote!(self.#field.as_ref()),
        };
        match (parameter.location, &parameter.ty) {
            (ParameterLocation::Query, Type::List(_)) => {
                let style = match parameter.list_format {
                    ir::ListFormat::Repeat => quote!(Repeat),
                    ir::ListFormat::Csv => quote!(Comma),
                    ir::ListFormat::Space => quote!(Space),
                    ir::ListFormat::Pipe => quote!(Pipe),
                    ir::ListFormat::Tab => quote!(Tab),
                };
                let values = if parameter.required {
                    quote!(#some(self.#field.as_slice()))
                } else {
                    quote!(self.#field.as_deref())
                };
                quote!(request.query_list(#name, #values, #client::ListStyle::#style);)
            }
            (ParameterLocation::Query, _) => quote!(request.query(#name, #value);),
            (ParameterLocation::Part, _) => match &parameter.value {
                Some(fixed) => quote!(request.part(#name, #fixed);),
                None => quote!(request.part(#name, &self.#field);),
            },
            _ => quote!(request.header(#name, #value);),
        }
    });
    let body = operation.request.as_ref().map(|body| {
        let media_type = body.media_type.as_deref();
        match body.formats.as_slice() {
            [BodyFormat::Text] => {
                let media_type = media_type.unwrap_or("text/plain");
                return quote!(request.text_body(&self.body, #media_type););
            }
            [BodyFormat::Binary] => {
                let media_type = media_type.unwrap_or("application/octet-stream");
                return quote!(request.upload_body(&self.body, #media_type););
            }
            _ => {}
        }
        // Text and binary bodies stand alone (resolve), handled above.
        match body.formats.as_slice() {
            [BodyFormat::Json] => return quote!(request.json_body(&self.body)?;),
            [BodyFormat::Xml] => return quote!(request.xml_body(&self.body)?;),
            [BodyFormat::Form] => return quote!(request.form_body(&self.body)?;),
            _ => {}
        }
        let formats = body.formats.iter().filter_map(|f| match f {
            BodyFormat::Json => Some(quote!(#client::BodyFormat::Json)),
            BodyFormat::Xml => Some(quote!(#client::BodyFormat::Xml)),
            BodyFormat::Form => Some(quote!(#client::BodyFormat::Form)),
            BodyFormat::Text | BodyFormat::Binary => None,
        });
        let arms = body.formats.iter().map(|f| match f {
            BodyFormat::Json => quote!(#client::BodyFormat::Json => request.json_body(&self.body)?,),
            BodyFormat::Xml => quote!(#client::BodyFormat::Xml => request.xml_body(&self.body)?,),
            BodyFormat::Form => quote!(#client::BodyFormat::Form => request.form_body(&self.body)?,),
            BodyFormat::Text | BodyFormat::Binary => quote!(),
        });
        quote! {
            match self.client.transport.body_format(&[#(#formats),*]) {
                #(#arms)*
                _ => request.json_body(&self.body)?,
            }
        }
    });
    let sensitive = operation.sensitive_response.then(|| quote!(request.sensitive_response();));
    let typed_errors: Vec<TokenStream> = operation
        .errors
        .iter()
        .filter(|_| context.api.error_bodies.len() > 1)
        .filter_map(|error| {
            let status = match error.status {
                // The runtime looks up the status, then its class (4, 5), then 0.
                ir::ErrorStatus::Code(code) | ir::ErrorStatus::Range(code) => code,
                ir::ErrorStatus::Default => 0,
            };
            error.body.map(|body| quote!((#status, #body)))
        })
        .collect();
    // Only needed when a status documents another type than the first, which is tried first anyway.
    let needed = operation.errors.iter().any(|e| e.body.is_some_and(|index| index > 0));
    let error_table = needed.then(|| quote!(request.error_bodies(&[#(#typed_errors),*]);));
    let schemes = (authenticated && !operation.schemes.is_empty()).then(|| {
        let schemes = operation.schemes.iter().map(|scheme| match scheme {
            ir::Scheme::Bearer => quote!(#client::Scheme::Bearer),
            ir::Scheme::Session => quote!(#client::Scheme::Session),
            ir::Scheme::ApiKey => quote!(#client::Scheme::ApiKey),
            ir::Scheme::Basic => quote!(#client::Scheme::Basic),
        });
        quote!(request.schemes(&[#(#schemes),*]);)
    });
    let accept = accept(context, operation).map(|media_types| quote!(request.accept(#media_types);));
    let effect = match effect(context, operation) {
        Effect::EndsSession => Some(quote!(request.effect(#client::Effect::EndsSession);)),
        Effect::IssuesTokens => Some(quote!(request.effect(#client::Effect::IssuesTokens);)),
        Effect::None => None,
    };
    quote! {
        let mut request = #client::Request::new(#client::#http_method, #id, #template, #authenticated);
        #sensitive
        #effect
        #schemes
        #error_table
        #accept
        #(#path)*
        #(#parameters)*
        #body
    }
}

/// What an operation does to the client's credentials (the runtime's `Effect`).
enum Effect {
    None,
    EndsSession,
    IssuesTokens,
}

/// The API's logout (session or bearer) ends the credentials whichever method sends it; its
/// token operation issues tokens the client adopts.
fn effect(context: &Context, operation: &Operation) -> Effect {
    let auth = &context.api.auth;
    let is = |id: Option<ir::OperationId>| id.is_some_and(|id| context.api.operation(id).id == operation.id);
    let bearer = auth.bearer.as_ref();
    let session_logout = auth.session.as_ref().and_then(|session| session.logout.as_ref()).map(|l| l.operation);
    if is(bearer.and_then(|b| b.logout_operation)) || is(session_logout) {
        Effect::EndsSession
    } else if is(bearer.and_then(|b| b.token_operation)) {
        Effect::IssuesTokens
    } else {
        Effect::None
    }
}

/// A success body documented in several media types (CSV or XML): the builder then lets the
/// caller pick one with `accept`.
fn media_choice(operation: &Operation) -> bool {
    operation.responses.iter().any(|r| r.format != ResponseFormat::Negotiated && r.media_types.len() > 1)
}

/// `Accept` of an operation whose success bodies include text or files: their media types (and
/// the API's own format for the JSON or XML ones), `*/*` when none is named.
fn accept(context: &Context, operation: &Operation) -> Option<String> {
    if operation.responses.iter().all(|r| r.ty.is_none() || r.format == ResponseFormat::Negotiated) {
        return None;
    }
    let mut media_types: Vec<&str> = Vec::new();
    for response in operation.responses.iter().filter(|r| r.ty.is_some()) {
        match response.format {
            ResponseFormat::Negotiated => media_types.push(match context.api.default_format {
                Format::Json => "application/json",
                Format::Xml => "application/xml",
            }),
            _ if response.media_types.is_empty() => media_types.push("*/*"),
            _ => media_types.extend(response.media_types.iter().map(String::as_str)),
        }
    }
    let mut seen = std::collections::HashSet::new();
    media_types.retain(|m| seen.insert(*m));
    Some(media_types.join(", "))
}

fn operation_docs(context: &Context, operation: &Operation) -> String {
    let mut text = operation.summary.clone().unwrap_or_else(|| format!("`{}`.", operation.id));
    if let Some(description) = &operation.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    // Fixed query values are part of what is called (`?format=Entity`, `?action=create`).
    let fixed: Vec<String> = operation
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query)
        .filter_map(|p| p.value.as_ref().map(|value| format!("{}={value}", p.name)))
        .collect();
    let query = if fixed.is_empty() { String::new() } else { format!("?{}", fixed.join("&")) };
    text.push_str(&format!("\n\n`{} {}{}{query}`", operation.method.as_str(), context.api.base_path, operation.path));
    let documented: Vec<String> = operation
        .errors
        .iter()
        // What the error type alone does not tell: which body a status has, which headers.
        .filter(|e| (e.body.is_some() && context.api.error_bodies.len() > 1) || !e.headers.is_empty())
        .map(|error| {
            let status = match error.status {
                ir::ErrorStatus::Default => "other".into(),
                status => status.label(),
            };
            let mut line = format!("- `{status}`");
            if let Some(description) = &error.description {
                line.push_str(&format!(": {}", description.split_whitespace().collect::<Vec<_>>().join(" ")));
            }
            let mut facts = Vec::new();
            if let (Some(index), true) = (error.body, context.api.error_bodies.len() > 1) {
                facts.push(format!("body `ErrorBody::{}`", context.api.error_bodies[index].rust_name.plain()));
            }
            if !error.headers.is_empty() {
                let names: Vec<String> = error.headers.iter().map(|h| format!("`{}`", h.name)).collect();
                facts.push(format!("headers {}", names.join(", ")));
            }
            if !facts.is_empty() {
                line.push_str(&format!(" ({})", facts.join("; ")));
            }
            line
        })
        .collect();
    if !documented.is_empty() {
        text.push_str(&format!(
            "\n\nErrors ([`Error::Api`](crate::{}::Error)):\n{}",
            context.api.module,
            documented.join("\n")
        ));
    }
    if !operation.sources.is_empty() {
        text.push_str("\n\nReference:");
        for source in &operation.sources {
            text.push_str(&format!("\n- <{source}>"));
        }
    }
    text
}

/// The declaration of an ordinary operation's request builder, from which the runtime's
/// `#[requests]` attribute writes the client method, the setters and the `Operation` impl: the
/// operation as data (see `veeam_runtime_macros::requests` for the attributes).
fn operation_item(context: &Context, operation: &Operation) -> TokenStream {
    // This lands in the `requests` module, where builder names may shadow the prelude.
    let context = &context.within(super::Scope::Requests);
    let super::Std { option, .. } = context.std();
    let method_name = &operation.rust_name;
    let builder = &operation.builder;
    let docs = docs::outer(Some(&operation_docs(context, operation)));
    let http_method = method(operation.method);
    let template = format!("{}{}", context.api.base_path, operation.path);
    let id = &operation.id;

    let mut settings = Vec::new();
    if !operation.authenticated {
        settings.push(quote!(public));
    }
    if operation.sensitive_response {
        settings.push(quote!(sensitive_response));
    }
    match effect(context, operation) {
        Effect::EndsSession => settings.push(quote!(ends_session)),
        Effect::IssuesTokens => settings.push(quote!(issues_tokens)),
        Effect::None => {}
    }
    if operation.authenticated && !operation.schemes.is_empty() {
        let schemes = operation.schemes.iter().map(|scheme| match scheme {
            ir::Scheme::Bearer => quote!(Bearer),
            ir::Scheme::Session => quote!(Session),
            ir::Scheme::ApiKey => quote!(ApiKey),
            ir::Scheme::Basic => quote!(Basic),
        });
        settings.push(quote!(schemes(#(#schemes),*)));
    }
    // Only needed when a status documents another type than the first, which is tried first anyway.
    let needed = operation.errors.iter().any(|e| e.body.is_some_and(|index| index > 0));
    if needed && context.api.error_bodies.len() > 1 {
        let pairs = operation.errors.iter().filter_map(|error| {
            let status = match error.status {
                // The runtime looks up the status, then its class (4, 5), then 0.
                ir::ErrorStatus::Code(code) | ir::ErrorStatus::Range(code) => code,
                ir::ErrorStatus::Default => 0,
            };
            error.body.map(|body| quote!((#status, #body)))
        });
        settings.push(quote!(errors(#(#pairs),*)));
    }
    if let Some(media_types) = accept(context, operation) {
        settings.push(quote!(accept = #media_types));
    }
    if media_choice(operation) {
        let media_types = operation.responses.iter().flat_map(|r| &r.media_types).map(String::as_str);
        settings.push(quote!(choose_accept(#(#media_types),*)));
    }
    let streams = matches!(&operation.output, Output::Body(ty) | Output::OptionalBody(ty) if *ty == Type::Primitive(Primitive::Binary));
    if streams {
        settings.push(quote!(stream));
    }
    let request = (!settings.is_empty()).then(|| quote!(#[request(#(#settings),*)]));

    let output = output(context, operation);
    let (response, read_response) = match response_attribute(context, operation, &output) {
        Some(response) => (response, None),
        None => {
            let read = read(context, operation);
            let function = quote! {
                impl<'a> #builder<'a> {
                    // The same `Result` as `Operation::read`, whose error type is the API's.
                    #[allow(clippy::result_large_err)]
                    fn read_response(response: &mut rt::Response) -> rt::Outcome<'a, Self> {
                        #read
                    }
                }
            };
            (quote!(#[response(read = read_response, #output)]), Some(function))
        }
    };

    let mut fields = Vec::new();
    for parameter in &operation.parameters {
        let name = &parameter.rust_name;
        let wire = &parameter.name;
        let ty = rust_type(context, &parameter.ty);
        let mut flags = Vec::new();
        if let Some(value) = &parameter.value {
            // Sent as it is, in its place among the parameters; not a field.
            let place = match parameter.location {
                ParameterLocation::Query => quote!(query),
                ParameterLocation::Part => quote!(part),
                _ => quote!(header),
            };
            fields.push(quote!(#[#place(#wire, fixed = #value)] #name: (),));
            continue;
        }
        if is_string(&parameter.ty) {
            flags.push(quote!(into));
        }
        if parameter.sensitive {
            flags.push(quote!(redacted));
        }
        let place = match (parameter.location, &parameter.ty) {
            (ParameterLocation::Path, _) => quote!(path),
            (ParameterLocation::Query, Type::List(_)) => {
                flags.push(match parameter.list_format {
                    ir::ListFormat::Repeat => quote!(list),
                    ir::ListFormat::Csv => quote!(csv),
                    ir::ListFormat::Space => quote!(space),
                    ir::ListFormat::Pipe => quote!(pipe),
                    ir::ListFormat::Tab => quote!(tab),
                });
                quote!(query)
            }
            (ParameterLocation::Query, _) => quote!(query),
            (ParameterLocation::Part, _) => quote!(part),
            (ParameterLocation::Header, _) => quote!(header),
        };
        let attribute = quote!(#[#place(#wire #(, #flags)*)]);
        if parameter.required {
            fields.push(quote!(#attribute #name: #ty,));
        } else {
            // The field's documentation is its setter's.
            let mut text = format!(
                "Sets `{}`{}",
                parameter.name,
                parameter.description.as_deref().map(|d| format!(": {d}")).unwrap_or_else(|| ".".into())
            );
            if let Some(default) = &parameter.default {
                text.push_str(&format!("\n\nThe server's default when not set: `{}`.", default.replace('`', "'")));
            }
            let doc = docs::outer(Some(&text));
            fields.push(quote!(#doc #attribute #name: #option<#ty>,));
        }
    }
    if let Some(body) = &operation.request {
        let ty = rust_type(context, &body.ty);
        let formats = match body.formats.as_slice() {
            [BodyFormat::Text] => {
                let media_type = body.media_type.as_deref().unwrap_or("text/plain");
                quote!(text = #media_type, into)
            }
            [BodyFormat::Binary] => {
                let media_type = body.media_type.as_deref().unwrap_or("application/octet-stream");
                quote!(upload = #media_type, into)
            }
            formats => {
                // Text and binary bodies stand alone (resolve).
                let formats = formats.iter().filter_map(|f| match f {
                    BodyFormat::Json => Some(quote!(json)),
                    BodyFormat::Xml => Some(quote!(xml)),
                    BodyFormat::Form => Some(quote!(form)),
                    BodyFormat::Text | BodyFormat::Binary => None,
                });
                let into = is_string(&body.ty).then(|| quote!(, into));
                quote!(#(#formats),* #into)
            }
        };
        fields.push(quote!(#[body(#formats)] body: #ty,));
    }
    let status_enum = status_enum(context, operation);
    quote! {
        #status_enum

        #docs
        #[operation(#method_name, #http_method, #template, #id)]
        #request
        #response
        pub struct #builder<'a> {
            #(#fields)*
        }

        #read_response
    }
}

/// `#[response(..)]` for the usual single success status (no body, or a body in one format);
/// `None` when the builder reads its response itself.
fn response_attribute(context: &Context, operation: &Operation, output: &TokenStream) -> Option<TokenStream> {
    let [only] = operation.responses.as_slice() else { return None };
    let status = only.status;
    match (&operation.output, &only.ty, only.format) {
        (Output::Unit, None, _) => Some(quote!(#[response(#status)])),
        (Output::Body(_), Some(_), format) => {
            let decoder = match format {
                ResponseFormat::Negotiated if context.api.speaks(Format::Xml) => quote!(body),
                ResponseFormat::Negotiated => quote!(json),
                ResponseFormat::Text => quote!(text),
                ResponseFormat::Binary => quote!(download),
            };
            Some(quote!(#[response(#status, #decoder, #output)]))
        }
        _ => None,
    }
}

/// `log_in` / `log_out` and credential setters for the API's authentication scheme.
fn auth_methods(context: &Context) -> TokenStream {
    let runtime = &context.runtime();
    let api = context.api;
    let auth = &api.auth;
    let basic = auth.basic.then(|| {
        quote! {
            /// Sends these HTTP Basic credentials with every later call.
            pub fn set_credentials(&self, username: &str, password: impl Into<String>) {
                self.transport.set_basic_credentials(username, #runtime::client::Secret::new(password));
            }
        }
    });
    let api_key = auth.api_key.as_ref().map(|header| {
        let doc = format!("Sends this key in the `{header}` header with every later call.");
        let doc = docs::outer(Some(&doc));
        quote! {
            #doc
            pub fn set_api_key(&self, key: impl Into<String>) {
                self.transport.set_api_key(#runtime::client::Secret::new(key));
            }
        }
    });
    let bearer = auth.bearer.as_ref().map(|bearer| {
        let log_in = bearer.token_operation.map(|id| {
            let token = api.operation(id);
            let doc = format!(
                "Logs in with the password grant of `{} {}{}` and keeps the tokens: later calls send the \
                     access token, refresh it when it expires (or is refused once) and retry.",
                token.method.as_str(),
                api.base_path,
                token.path
            );
            let doc = docs::outer(Some(&doc));
            quote! {
                #doc
                pub async fn log_in(&self, username: &str, password: &str) -> Result<(), Error> {
                    self.transport.bearer_log_in(username, password).await
                }
            }
        });
        let log_out = bearer.logout_operation.map(|id| {
            let logout = api.operation(id);
            let doc = format!(
                "Revokes the access token (`{} {}{}`) and forgets the tokens.",
                logout.method.as_str(),
                api.base_path,
                logout.path
            );
            let doc = docs::outer(Some(&doc));
            // Sent by the operation's own request builder; the tokens go whatever the answer.
            let method = &logout.rust_name;
            quote! {
                #doc
                pub async fn log_out(&self) -> Result<(), Error> {
                    let result = self.#method().send().await;
                    self.transport.clear_credentials().await;
                    result.map(|_| ())
                }
            }
        });
        let client_credentials = bearer.client_credentials.as_ref().map(|cc| {
            let doc = format!(
                "Logs in with the OAuth2 client-credentials grant at `{}`{} and keeps the client \
                     credentials: later calls send the access token, and a new one is fetched the same way \
                     when it expires (or is refused once).",
                cc.token_url,
                if cc.scopes.is_empty() { String::new() } else { format!(" (scopes `{}`)", cc.scopes.join(" ")) }
            );
            let doc = docs::outer(Some(&doc));
            quote! {
                #doc
                pub async fn log_in_client_credentials(
                    &self,
                    client_id: &str,
                    client_secret: impl Into<String>,
                ) -> Result<(), Error> {
                    self.transport
                        .client_credentials_log_in(client_id, #runtime::client::Secret::new(client_secret))
                        .await
                }
            }
        });
        quote! {
            #log_in
            #client_credentials

            /// Uses tokens obtained elsewhere: the access token, the refresh token if any, and
            /// how long the access token stays valid if known.
            pub async fn set_tokens(
                &self,
                access_token: impl Into<String>,
                refresh_token: Option<String>,
                expires_in: Option<::std::time::Duration>,
            ) {
                let tokens = #runtime::client::Tokens::new(
                    #runtime::client::Secret::new(access_token),
                    refresh_token.map(#runtime::client::Secret::new),
                    expires_in,
                );
                self.transport.set_tokens(tokens).await;
            }

            #log_out
        }
    });
    let session = auth.session.as_ref().map(|session| {
        let logon = api.operation(session.logon_operation);
        let output = output(context, logon);
        let request = build_request(context, logon, false);
        let decode = read(context, logon);
        let doc = format!(
            "Logs on with HTTP Basic credentials (`{} {}{}`) and keeps the session id for every later call.\n\n\
             The credentials are kept too (never printed) until `log_out`: when the server expires the \
             session and refuses a call with 401, the client logs on again once and retries the call.",
            logon.method.as_str(),
            api.base_path,
            logon.path
        );
        let doc = docs::outer(Some(&doc));
        // The logout path names the session by a field of the logon response, if the spec says so.
        let keep_logout_id = session.logout.as_ref().and_then(|l| l.id_field.as_ref()).and_then(|id| {
            let ir::SchemaKind::Object(object) = &api.schema(id.schema).kind else { return None };
            let field = &object.fields[id.field];
            let name = &field.rust_name;
            Some(if field.required && !field.nullable {
                quote!(self.client.transport.set_logout_id(#runtime::client::Secret::new(output.#name.as_str()));)
            } else {
                quote! {
                    if let Some(id) = &output.#name {
                        self.client.transport.set_logout_id(#runtime::client::Secret::new(id.as_str()));
                    }
                }
            })
        });
        let log_out = session.logout.as_ref().map(|session_logout| {
            let logout = api.operation(session_logout.operation);
            let request = build_request(context, logout, logout.authenticated);
            let doc = format!(
                "Ends the session (`{} {}{}`) and forgets its id.",
                logout.method.as_str(),
                api.base_path,
                logout.path
            );
            let doc = docs::outer(Some(&doc));
            let session_param = &logout.parameters[session_logout.parameter].rust_name;
            quote! {
                #doc
                pub async fn log_out(&self) -> Result<(), Error> {
                    let Some(session) = self.transport.logout_id() else {
                        return Err(#runtime::client::Error::not_logged_in("log_out"));
                    };
                    struct Fields<'a> { client: &'a Client, #session_param: String }
                    impl Fields<'_> {
                        async fn send(self) -> Result<(), Error> {
                            #request
                            let response = self.client.transport.send(request).await?;
                            match response.status() {
                                200..=299 => Ok(()),
                                _ => Err(response.unexpected()),
                            }
                        }
                    }
                    let result = Fields { client: self, #session_param: session.expose().to_owned() }.send().await;
                    self.transport.clear_credentials().await;
                    result
                }
            }
        });
        quote! {
            #doc
            pub async fn log_in(&self, username: &str, password: &str) -> Result<#output, Error> {
                struct Fields<'a> { client: &'a Client }
                impl Fields<'_> {
                    async fn send(self, username: &str, password: &str) -> Result<#output, Error> {
                        #request
                        request.basic_auth(username, password);
                        let response = self.client.transport.send(request).await?;
                        self.client.transport.store_session(&response)?;
                        let output: #output = #decode?;
                        #keep_logout_id
                        Ok(output)
                    }
                }
                // Logs on again when the server expires the session (see `Transport::keep_logon`).
                fn relogon(
                    transport: #runtime::client::Transport,
                    username: String,
                    password: #runtime::client::Secret,
                ) -> ::std::pin::Pin<Box<dyn ::std::future::Future<Output = bool> + Send>> {
                    Box::pin(async move { Client::from(transport).log_in(&username, password.expose()).await.is_ok() })
                }
                let result = Fields { client: self }.send(username, password).await;
                if result.is_ok() {
                    self.transport.keep_logon(username, #runtime::client::Secret::new(password), relogon);
                }
                result
            }

            /// Uses a session id obtained elsewhere.
            pub fn set_session_id(&self, session_id: impl Into<String>) {
                self.transport.set_session_id(#runtime::client::Secret::new(session_id));
            }

            /// The current session id, if logged on.
            pub fn session_id(&self) -> Option<#runtime::client::Secret> {
                self.transport.session_id()
            }

            #log_out
        }
    });
    quote! {
        #bearer
        #session
        #api_key
        #basic
    }
}

/// The request builder declarations of `operations` (a range of the API's), in order: the items
/// of the `requests` module, emitted and formatted apart from [`emit`]'s head.
pub fn request_items(context: &Context, operations: std::ops::Range<usize>) -> TokenStream {
    let api = context.api;
    // The logon operation needs credentials: it is `log_in`.
    let logon = api.auth.session.as_ref().map(|s| s.logon_operation.0);
    let items =
        operations.filter(|index| Some(*index) != logon).map(|index| operation_item(context, &api.operations[index]));
    quote!(#(#items)*)
}

/// The client file without its request builders: they go where its `requests` module holds
/// [`super::items_marker`] (see [`request_items`]).
pub fn emit(context: &Context) -> TokenStream {
    let super::Std { some, none, .. } = context.std();
    let api = context.api;
    let runtime = &context.runtime();
    let name = api.module.as_str();
    let base_path = &api.base_path;
    let port = super::some_or_none(api.default_port);
    let headers = api.headers.iter().map(|h| {
        let (n, v) = (&h.name, &h.value);
        quote!((#n, #v))
    });
    let mut formats: Vec<Format> = api.formats.clone();
    formats.sort_by_key(|f| *f != api.default_format);
    let formats = formats.iter().map(|f| match f {
        Format::Json => quote!(#runtime::client::Format::Json),
        Format::Xml => quote!(#runtime::client::Format::Xml),
    });
    let auth = {
        let bearer = match &api.auth.bearer {
            Some(bearer) => {
                let token_path = super::some_or_none(bearer.token_operation.map(|id| api.operation(id).path.as_str()));
                let client_credentials = match &bearer.client_credentials {
                    Some(cc) => {
                        let (url, scopes) = (&cc.token_url, &cc.scopes);
                        quote!(#some(#runtime::client::ClientCredentialsInfo::new(#url, &[#(#scopes),*])))
                    }
                    None => quote!(#none),
                };
                quote!(#some(#runtime::client::BearerInfo::new(#token_path, #client_credentials)))
            }
            None => quote!(#none),
        };
        let session = super::some_or_none(api.auth.session.as_ref().map(|s| s.header.as_str()));
        let api_key = super::some_or_none(api.auth.api_key.as_deref());
        let basic = api.auth.basic;
        quote!(#runtime::client::AuthInfo::new(#bearer, #session, #api_key, #basic))
    };
    let error_impl = error_bodies(context);

    let items = super::items_marker();
    let error_body_type = error_body(&context.within(super::Scope::Requests));
    let auth_methods = auth_methods(context);
    let wait_methods = super::tasks::client_methods(context);
    // The authentication methods name the error type; other APIs' clients have no use for it.
    let names_error = api.auth.session.is_some()
        || api.auth.bearer.as_ref().is_some_and(|b| {
            b.token_operation.is_some() || b.logout_operation.is_some() || b.client_credentials.is_some()
        });
    let use_error = names_error.then(|| {
        quote!(
            use super::Error;
        )
    });
    let title = docs::outer(Some(&format!(
        "Client of the {}.\n\nCheap to clone (`Clone + Send + Sync`): clones share connections and credentials.",
        api.title
    )));

    // Schema types are named `models::Name` here and in `requests` (short lines).
    let module = &api.module;
    let models_module = quote!(crate::#module::models);
    quote! {
        //! The client: one method per operation.

        #use_error
        #[allow(unused_imports)]
        use #models_module;

        static API: #runtime::client::ApiInfo = #runtime::client::ApiInfo {
            name: #name,
            base_path: #base_path,
            default_port: #port,
            headers: &[#(#headers),*],
            formats: &[#(#formats),*],
            auth: #auth,
        };

        #error_impl

        /// Builds a [`Client`]: base URL, timeouts, TLS, user agent, wire format.
        pub type ClientBuilder = #runtime::client::ClientBuilder<Client>;

        #title
        #[derive(Clone, Debug)]
        pub struct Client {
            transport: #runtime::client::Transport,
        }

        impl From<#runtime::client::Transport> for Client {
            fn from(transport: #runtime::client::Transport) -> Self {
                Client { transport }
            }
        }

        impl Client {
            /// A builder for a client of the server at `base_url` (`https://host[:port]`; the
            /// default port and the base path are added when missing).
            pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
                #runtime::client::ClientBuilder::new(&API, base_url)
            }

            /// The transport: base URL, format, credentials.
            pub fn transport(&self) -> &#runtime::client::Transport {
                &self.transport
            }

            #auth_methods

            #wait_methods
        }


        /// Request builders, one per operation; the client's method of each is written by the
        /// runtime's `requests` attribute from the builder's declaration.
        #[#runtime::client::requests(error = #error_body_type, base = #base_path)]
        pub mod requests {
            // Short paths: builders and status enums, the only other names here, are UpperCamelCase.
            #[allow(unused_imports)]
            use #runtime::client as rt;
            #[allow(unused_imports)]
            use #models_module;

            #items
        }
    }
}
