//! Operations: for each, the client's method, its request builder (required arguments up front,
//! a setter per optional parameter), how the builder's request is made and how its response is
//! read. Everything specific to the operation is written out here, as plain Rust; sending it is
//! the runtime's generic `Operation` machinery (one state machine per output type, not per
//! operation).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::types::{allow_many_arguments, is_text, rust_type, taken};
use super::Context;
use crate::ir::{
    self, BodyFormat, Format, Method, Operation, Output, ParameterLocation, PathSegment, Primitive, ResponseFormat,
    Type,
};

/// The Rust type of a success body: a received file is a `Download`.
fn body_type(context: &Context, ty: &Type) -> TokenStream {
    let client = &context.client_module();
    if *ty == Type::Primitive(Primitive::Binary) {
        return quote!(#client::Download);
    }
    rust_type(context, ty)
}

/// What a successful call returns.
pub(super) fn output(context: &Context, operation: &Operation) -> TokenStream {
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
pub(super) fn status_enum(context: &Context, operation: &Operation) -> Option<TokenStream> {
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

/// Reads the response: the body of each declared success status. The usual single status with a
/// body, or without one, is a runtime call.
pub(super) fn read(context: &Context, operation: &Operation) -> TokenStream {
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
            (Output::Body(_), Some(_), ResponseFormat::Text) => return quote!(response.text_if(#status)),
            (Output::Body(_), Some(_), ResponseFormat::Binary) => return quote!(response.download_if(#status)),
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

/// Statements that build `request` from the fields of `self`: a request builder's, or the
/// fields of the client's own `log_in` / `log_out`. `authenticated: false` sends the request
/// without the client's credentials (a logon carries its own). `called` names the call in errors
/// and traces: the Rust method the caller wrote.
pub(super) fn request_statements(
    context: &Context,
    operation: &Operation,
    authenticated: bool,
    called: &str,
) -> TokenStream {
    let client = &context.client_module();
    let super::Std { some, .. } = context.std();
    let http_method = method(operation.method);
    // Errors and traces name what the caller called: the Rust method.
    let id = called;
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
            (None, false) if is_text(&parameter.ty) => quote!(self.#field.as_deref()),
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
            (ParameterLocation::Query, _) if parameter.deep_object => {
                quote!(request.query_deep_object(#name, #value)?;)
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
    let sends_secrets = operation.sends_secrets.then(|| quote!(request.sends_secrets();));
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
        let requirements = operation.schemes.iter().map(|requirement| {
            let schemes = requirement.iter().map(|scheme| match scheme {
                ir::Scheme::Bearer => quote!(#client::Scheme::Bearer),
                ir::Scheme::Session => quote!(#client::Scheme::Session),
                ir::Scheme::ApiKey(name) => quote!(#client::Scheme::ApiKey(#name)),
                ir::Scheme::Basic => quote!(#client::Scheme::Basic),
            });
            quote!(&[#(#schemes),*])
        });
        quote!(request.schemes(&[#(#requirements),*]);)
    });
    let accept = accept(context, operation).map(|media_types| match media_choice(operation) {
        // The caller may ask for one of the media types instead of all of them.
        true => quote!(request.accept(self.accept.unwrap_or(#media_types));),
        false => quote!(request.accept(#media_types);),
    });
    let effect = match effect(context, operation) {
        Effect::EndsSession => Some(quote!(request.effect(#client::Effect::EndsSession);)),
        Effect::IssuesTokens => Some(quote!(request.effect(#client::Effect::IssuesTokens);)),
        Effect::None => None,
    };
    let idempotent = operation.idempotent.then(|| quote!(request.idempotent();));
    quote! {
        let mut request = #client::Request::new(#client::#http_method, #id, #template, #authenticated);
        #sensitive
        #sends_secrets
        #effect
        #idempotent
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

/// One operation in the `requests` module: the client's method, the builder, its setters, its
/// `Operation` impl (the request it sends, how the response reads) and its `Debug` and sending
/// plumbing (`request_builder!`).
fn operation_item(context: &Context, operation: &Operation) -> TokenStream {
    // This lands in the `requests` module, where builder names may shadow the prelude.
    let context = &context.within(super::Scope::Requests);
    let super::Std { option, some, none, ok, .. } = context.std();
    let method_name = &operation.rust_name;
    let builder = &operation.builder;
    let docs = docs::outer(Some(&operation_docs(context, operation)));

    // The builder's fields: the client, then a field per parameter that is not fixed, and the body.
    let mut fields = vec![quote!(client: &'a super::Client,)];
    let (mut arguments, mut initializers, mut setters, mut shown) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut take =
        |name: &ir::Ident, ty: TokenStream, into: bool, required: bool, doc: TokenStream, sensitive: bool| {
            // `impl Into<String>` for text: a `&str` or a `String`.
            let (argument, value) = taken(name, &ty, into);
            shown.push(if sensitive { quote!(#name = redacted) } else { quote!(#name) });
            if required {
                fields.push(quote!(#name: #ty,));
                arguments.push(quote!(#name: #argument));
                initializers.push(if into { quote!(#name: #value) } else { quote!(#name) });
            } else {
                fields.push(quote!(#name: #option<#ty>,));
                initializers.push(quote!(#name: #none));
                setters.push(quote! {
                    #doc
                    pub fn #name(mut self, #name: #argument) -> Self {
                        self.#name = #some(#value);
                        self
                    }
                });
            }
        };
    for parameter in operation.parameters.iter().filter(|p| p.value.is_none()) {
        let ty = rust_type(context, &parameter.ty);
        let mut text = format!(
            "Sets `{}`{}",
            parameter.name,
            parameter.description.as_deref().map(|d| format!(": {d}")).unwrap_or_else(|| ".".into())
        );
        if let Some(default) = &parameter.default {
            text.push_str(&format!("\n\nThe server's default when not set: `{}`.", default.replace('`', "'")));
        }
        let doc = docs::outer(Some(&text));
        let required = parameter.required;
        take(&parameter.rust_name, ty, is_text(&parameter.ty), required, doc, parameter.sensitive);
    }
    if let Some(body) = &operation.request {
        let ty = rust_type(context, &body.ty);
        let client = context.client_module();
        let (ty, into) = match body.formats.as_slice() {
            [BodyFormat::Binary] => (quote!(#client::Upload), true),
            _ => (ty, is_text(&body.ty)),
        };
        take(&ir::Ident::assume("body".to_owned()), ty, into, true, quote!(), false);
    }
    let mut media_enum = None;
    if media_choice(operation) {
        let enum_name = quote::format_ident!("{}MediaType", builder.as_str());
        let mut media_types: Vec<&str> = Vec::new();
        for media_type in operation.responses.iter().flat_map(|r| &r.media_types) {
            if !media_types.contains(&media_type.as_str()) {
                media_types.push(media_type);
            }
        }
        let mut variants: Vec<proc_macro2::Ident> = Vec::new();
        for media_type in &media_types {
            let camel = heck::ToUpperCamelCase::to_upper_camel_case(media_type.replace(['/', '+', '.'], "-").as_str());
            let mut name =
                if camel.starts_with(|c: char| c.is_ascii_alphabetic()) { camel } else { format!("Type{camel}") };
            while variants.iter().any(|v| v == name.as_str()) {
                name.push('_');
            }
            variants.push(quote::format_ident!("{name}"));
        }
        let docs: Vec<String> = media_types.iter().map(|m| format!("`{m}`")).collect();
        let variant_docs: Vec<String> = docs.iter().map(|d| format!(" {d}")).collect();
        let enum_doc = format!(
            "The media types [`Client::{}`](super::Client::{}) may ask for with `accept(..)`.",
            method_name.plain(),
            method_name.plain()
        );
        media_enum = Some(quote! {
            #[doc = #enum_doc]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum #enum_name {
                #( #[doc = #variant_docs] #variants, )*
            }

            impl #enum_name {
                /// The media type, as sent in `Accept`.
                pub const fn as_str(self) -> &'static str {
                    match self {
                        #( Self::#variants => #media_types, )*
                    }
                }
            }
        });
        let doc = format!("Asks for one of the documented media types ({}) instead of any of them.", docs.join(", "));
        fields.push(quote!(accept: #option<&'static str>,));
        initializers.push(quote!(accept: #none));
        setters.push(quote! {
            #[doc = #doc]
            pub fn accept(mut self, media_type: #enum_name) -> Self {
                self.accept = #some(media_type.as_str());
                self
            }
        });
    }
    let error = super::client::error_body(context);
    let streams = matches!(&operation.output, Output::Body(ty) | Output::OptionalBody(ty) if *ty == Type::Primitive(Primitive::Binary));
    if streams {
        setters.push(quote! {
            /// Sends the request and hands the file over as it arrives: nothing is held in memory
            /// beyond the current chunk, and the client's response size limit does not apply.
            pub async fn stream(self) -> ::std::result::Result<rt::ByteStream<#error>, rt::Error<#error>> {
                let (transport, request) = rt::Operation::into_request(self)?;
                transport.send_streaming(request).await
            }
        });
    }

    setters.extend(super::paging::methods(context, operation));

    // The receiver counts too.
    let allow = allow_many_arguments(arguments.len() + 1);
    let setters_impl = (!setters.is_empty()).then(|| {
        quote! {
            impl<'a> #builder<'a> {
                #(#setters)*
            }
        }
    });
    let output = output(context, operation);
    let statements = request_statements(context, operation, operation.authenticated, operation.rust_name.plain());
    let read = read(context, operation);
    let status_enum = status_enum(context, operation);
    let derive_clone = super::paging::derive(operation);
    let paged = super::paging::paged_impl(context, operation);
    let builder_doc = docs::outer(Some(&format!(
        "Request builder of [`Client::{}`](super::Client::{method_name}): set what is optional, then \
         `.await` it (or `.send()`, `.send_with_response()`).",
        method_name.plain()
    )));
    quote! {
        #status_enum
        #media_enum

        impl super::Client {
            #docs
            #allow
            pub fn #method_name(&self, #(#arguments),*) -> #builder<'_> {
                #builder { client: self, #(#initializers),* }
            }
        }

        #builder_doc
        #[must_use = "a request does nothing until sent: `.await` it"]
        #derive_clone
        pub struct #builder<'a> {
            #(#fields)*
        }

        #setters_impl

        impl<'a> rt::Operation<'a> for #builder<'a> {
            type Output = #output;
            type ErrorBody = #error;

            #[inline]
            fn into_request(self) -> rt::Built<'a, Self> {
                #statements
                #ok((&self.client.transport, request))
            }

            #[inline]
            fn read(response: &mut rt::Response) -> rt::Outcome<'a, Self> {
                #read
            }
        }

        rt::request_builder!(#builder { #(#shown),* });

        #paged
    }
}

/// The operations `operations` (a range of the API's), in order: the items of the `requests`
/// module, emitted and formatted apart from the client file's head.
pub fn request_items(context: &Context, operations: std::ops::Range<usize>) -> TokenStream {
    let api = context.api;
    // The logon operation needs credentials: it is `log_in`.
    let logon = api.auth.session.as_ref().map(|s| s.logon_operation.0);
    let items =
        operations.filter(|index| Some(*index) != logon).map(|index| operation_item(context, &api.operations[index]));
    quote!(#(#items)*)
}
