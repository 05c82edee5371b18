//! `#[requests(..)]`: a client's request builders from their declarations.
//!
//! The generator describes each operation as data, a struct with attributes; this macro writes
//! what is the same for every operation: the client method, the builder's fields, setters and
//! `Operation` impl. The module must import the runtime's `client` module as `rt`.
//!
//! ```ignore
//! #[veeam_runtime::client::requests(error = models::Problem, base = "/api")]
//! pub mod requests {
//!     use ::veeam_runtime::client as rt;
//!
//!     /// Lists accounts.                                  // the client method's documentation
//!     #[operation(list_accounts, GET, "/api/accounts/{kind}", "ListAccounts")]
//!     #[request(schemes(Bearer), accept = "text/csv")]   // optional, see below
//!     #[response(200, json, models::AccountsPage)]
//!     pub struct ListAccounts<'a> {
//!         #[path("kind", into)]                           // required: an argument (impl Into<T>)
//!         kind: String,
//!         /// Sets `limit`.                               // optional: a setter with this doc
//!         #[query("limit")]
//!         limit: Option<i32>,
//!     }
//! }
//! ```
//!
//! - `#[operation(method, HTTP_METHOD, "template", "operation id")]`; the template begins with
//!   the module's `base`.
//! - `#[request(..)]`: `public` (sent without credentials), `sensitive_response`, `stream` (a
//!   `stream()` method for a file), `ends_session` / `issues_tokens` (`rt::Effect`), `schemes(..)` (`rt::Scheme` variants), `errors((status,
//!   index), ..)` (the error body table), `accept = ".."`, `choose_accept("media/type", ..)` (an
//!   `accept` setter).
//! - `#[response(status)]` (no body), `#[response(status, decoder, Type)]` with a decoder of
//!   `json`, `body` (the negotiated format), `text` or `download`, or `#[response(read = f,
//!   Type)]`: the builder's own `fn f(&mut rt::Response) -> rt::Outcome<'a, Self>`.
//! - Fields: `#[path("name")]`, `#[query("name")]` (for a list its style: `list` repeated,
//!   `csv`, `space`, `pipe` or `tab` delimited), `#[header(..)]`,
//!   `#[part(..)]`, `#[body(json)]` (several formats: chosen by the client's), `#[body(text =
//!   "media/type")]`, `#[body(upload = "media/type")]`; flags `into` (the argument or setter
//!   takes `impl Into<T>`), `redacted` (`Debug` shows `***`) and `fixed = "value"` (a value the
//!   operation always sends, in its place among the others: the field, of type `()`, is not
//!   kept). An `Option` field is set by a setter, any other is an argument of the client
//!   method, in declaration order.
//!
//! Path segments come first, then the other parameters in declaration order.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Fields, Ident, Item, ItemMod, ItemStruct, LitInt, LitStr, Token, Type};

use crate::setters::{option_inner, option_setter, taken, CLIPPY_MAX_ARGUMENTS};

/// `#[requests(error = Type, base = "/path")]`.
struct ModuleArgs {
    error: Type,
    base: String,
}

impl Parse for ModuleArgs {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let (mut error, mut base) = (None, None);
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "error" => error = Some(input.parse::<Type>()?),
                "base" => base = Some(input.parse::<LitStr>()?.value()),
                _ => return Err(syn::Error::new(key.span(), "expected `error` or `base`")),
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        let error = error.ok_or_else(|| input.error("missing `error = Type`"))?;
        Ok(ModuleArgs { error, base: base.unwrap_or_default() })
    }
}

pub(crate) fn requests(args: TokenStream, input: TokenStream) -> syn::Result<TokenStream> {
    let args: ModuleArgs = syn::parse2(args)?;
    let mut module: ItemMod = syn::parse2(input)?;
    let Some((_, items)) = &mut module.content else {
        return Err(syn::Error::new_spanned(&module.ident, "`requests` needs an inline module"));
    };
    let mut methods = Vec::new();
    let mut expanded = Vec::new();
    // Every builder's mistakes together, not only the first one's.
    let mut errors: Option<syn::Error> = None;
    for item in items.drain(..) {
        match item {
            Item::Struct(item) if item.attrs.iter().any(|a| a.path().is_ident("operation")) => {
                match operation(&args, item) {
                    Ok((method, code)) => {
                        methods.push(method);
                        expanded.push(code);
                    }
                    Err(error) => match &mut errors {
                        Some(errors) => errors.combine(error),
                        None => errors = Some(error),
                    },
                }
            }
            other => expanded.push(quote!(#other)),
        }
    }
    if let Some(errors) = errors {
        return Err(errors);
    }
    let ItemMod { attrs, vis, ident, .. } = &module;
    Ok(quote! {
        #(#attrs)*
        #vis mod #ident {
            #(#expanded)*

            impl super::Client {
                #(#methods)*
            }
        }
    })
}

/// Where a field goes.
enum Place {
    Path(String),
    Query(String, Option<Ident>),
    Header(String),
    Part(String),
    Body(Body),
}

enum Body {
    Formats(Vec<Ident>),
    Text(String),
    Upload(String),
}

struct Field {
    /// A value the operation always sends: not a field of the builder.
    fixed: Option<String>,
    ident: Ident,
    ty: Type,
    docs: Vec<Attribute>,
    place: Place,
    into: bool,
    redacted: bool,
}

fn string_arg(input: ParseStream) -> syn::Result<String> {
    Ok(input.parse::<LitStr>()?.value())
}

fn field(field: syn::Field) -> syn::Result<Field> {
    let ident = field.ident.clone().ok_or_else(|| syn::Error::new_spanned(&field, "a named field"))?;
    let (mut place, mut into, mut redacted, mut fixed) = (None, false, false, None);
    let mut docs = Vec::new();
    for attribute in field.attrs {
        let path = attribute.path();
        if path.is_ident("doc") {
            docs.push(attribute);
            continue;
        }
        let kind = path.get_ident().map(Ident::to_string).unwrap_or_default();
        attribute.parse_args_with(|input: ParseStream| {
            place = Some(match kind.as_str() {
                "body" => {
                    let mut formats = Vec::new();
                    let mut body = None;
                    loop {
                        let key: Ident = input.parse()?;
                        if input.peek(Token![=]) {
                            input.parse::<Token![=]>()?;
                            let media_type = string_arg(input)?;
                            body = Some(match key.to_string().as_str() {
                                "text" => Body::Text(media_type),
                                "upload" => Body::Upload(media_type),
                                _ => return Err(syn::Error::new(key.span(), "expected `text` or `upload`")),
                            });
                        } else if key == "into" {
                            into = true;
                        } else if ["json", "xml", "form"].iter().any(|known| key == known) {
                            formats.push(key);
                        } else {
                            return Err(syn::Error::new(
                                key.span(),
                                "expected `json`, `xml`, `form`, `text = ..` or `upload = ..`",
                            ));
                        }
                        if input.is_empty() {
                            break;
                        }
                        input.parse::<Token![,]>()?;
                    }
                    match body {
                        Some(body) => Place::Body(body),
                        None if formats.is_empty() => return Err(input.error("a body needs a format")),
                        None => Place::Body(Body::Formats(formats)),
                    }
                }
                "path" | "query" | "header" | "part" => {
                    let name = string_arg(input)?;
                    let mut list = None;
                    while input.parse::<Option<Token![,]>>()?.is_some() {
                        let flag: Ident = input.parse()?;
                        if flag == "fixed" {
                            input.parse::<Token![=]>()?;
                            fixed = Some(string_arg(input)?);
                            continue;
                        }
                        match flag.to_string().as_str() {
                            "into" => into = true,
                            "redacted" => redacted = true,
                            "list" => list = Some(Ident::new("Repeat", flag.span())),
                            "csv" => list = Some(Ident::new("Comma", flag.span())),
                            "space" => list = Some(Ident::new("Space", flag.span())),
                            "pipe" => list = Some(Ident::new("Pipe", flag.span())),
                            "tab" => list = Some(Ident::new("Tab", flag.span())),
                            _ => return Err(syn::Error::new(flag.span(), "unknown flag")),
                        }
                    }
                    match kind.as_str() {
                        "path" => Place::Path(name),
                        "query" => Place::Query(name, list),
                        "header" => Place::Header(name),
                        _ => Place::Part(name),
                    }
                }
                _ => return Err(input.error("expected `path`, `query`, `header`, `part` or `body`")),
            });
            Ok(())
        })?;
    }
    let place = place.ok_or_else(|| syn::Error::new(ident.span(), "a field needs `#[path]`, `#[query]`, .."))?;
    Ok(Field { fixed, ident, ty: field.ty, docs, place, into, redacted })
}

/// `#[operation(..)]`, `#[request(..)]` and `#[response(..)]` of one builder.
#[derive(Default)]
struct Operation {
    method: Option<Ident>,
    http: Option<Ident>,
    template: String,
    id: String,
    public: bool,
    sensitive_response: bool,
    stream: bool,
    /// `ends_session` or `issues_tokens`: what the call does to the client's credentials.
    effect: Option<Ident>,
    schemes: Vec<Ident>,
    errors: Vec<(LitInt, LitInt)>,
    accept: Option<String>,
    choose_accept: Vec<String>,
    response: Option<Response>,
}

enum Response {
    Empty(LitInt),
    Decoded(LitInt, Ident, Type),
    Custom(Ident, Type),
}

fn parse_operation(operation: &mut Operation, input: ParseStream) -> syn::Result<()> {
    operation.method = Some(input.parse()?);
    input.parse::<Token![,]>()?;
    operation.http = Some(input.parse()?);
    input.parse::<Token![,]>()?;
    operation.template = string_arg(input)?;
    input.parse::<Token![,]>()?;
    operation.id = string_arg(input)?;
    Ok(())
}

fn parse_request(operation: &mut Operation, input: ParseStream) -> syn::Result<()> {
    while !input.is_empty() {
        let key: Ident = input.parse()?;
        match key.to_string().as_str() {
            "public" => operation.public = true,
            "sensitive_response" => operation.sensitive_response = true,
            "stream" => operation.stream = true,
            "ends_session" => operation.effect = Some(Ident::new("EndsSession", key.span())),
            "issues_tokens" => operation.effect = Some(Ident::new("IssuesTokens", key.span())),
            "accept" => {
                input.parse::<Token![=]>()?;
                operation.accept = Some(string_arg(input)?);
            }
            "schemes" | "errors" | "choose_accept" => {
                let content;
                syn::parenthesized!(content in input);
                match key.to_string().as_str() {
                    "schemes" => {
                        operation.schemes =
                            Punctuated::<Ident, Token![,]>::parse_terminated(&content)?.into_iter().collect()
                    }
                    "errors" => {
                        while !content.is_empty() {
                            let pair;
                            syn::parenthesized!(pair in content);
                            let status = pair.parse()?;
                            pair.parse::<Token![,]>()?;
                            operation.errors.push((status, pair.parse()?));
                            content.parse::<Option<Token![,]>>()?;
                        }
                    }
                    _ => {
                        operation.choose_accept = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?
                            .iter()
                            .map(LitStr::value)
                            .collect()
                    }
                }
            }
            _ => return Err(syn::Error::new(key.span(), "unknown request setting")),
        }
        input.parse::<Option<Token![,]>>()?;
    }
    Ok(())
}

fn parse_response(operation: &mut Operation, input: ParseStream) -> syn::Result<()> {
    if operation.response.is_some() {
        return Err(input.error("one `#[response(..)]` per builder (several statuses: `read = function`)"));
    }
    if input.peek(Ident) {
        let key: Ident = input.parse()?;
        if key != "read" {
            return Err(syn::Error::new(key.span(), "expected a status or `read = function`"));
        }
        input.parse::<Token![=]>()?;
        let function = input.parse()?;
        input.parse::<Token![,]>()?;
        operation.response = Some(Response::Custom(function, input.parse()?));
        return Ok(());
    }
    let status = input.parse()?;
    if input.is_empty() {
        operation.response = Some(Response::Empty(status));
        return Ok(());
    }
    input.parse::<Token![,]>()?;
    let decoder: Ident = input.parse()?;
    if !["json", "body", "text", "download"].iter().any(|known| decoder == known) {
        return Err(syn::Error::new(decoder.span(), "expected `json`, `body`, `text` or `download`"));
    }
    input.parse::<Token![,]>()?;
    operation.response = Some(Response::Decoded(status, decoder, input.parse()?));
    Ok(())
}

fn operation(args: &ModuleArgs, mut item: ItemStruct) -> syn::Result<(TokenStream, TokenStream)> {
    let mut operation = Operation::default();
    let mut docs = Vec::new();
    for attribute in std::mem::take(&mut item.attrs) {
        let path = attribute.path();
        if path.is_ident("operation") {
            attribute.parse_args_with(|input: ParseStream| parse_operation(&mut operation, input))?;
        } else if path.is_ident("request") {
            attribute.parse_args_with(|input: ParseStream| parse_request(&mut operation, input))?;
        } else if path.is_ident("response") {
            attribute.parse_args_with(|input: ParseStream| parse_response(&mut operation, input))?;
        } else if path.is_ident("doc") {
            docs.push(attribute);
        } else {
            item.attrs.push(attribute);
        }
    }
    let Fields::Named(named) = std::mem::replace(&mut item.fields, Fields::Unit) else {
        return Err(syn::Error::new_spanned(&item.ident, "a builder has named fields"));
    };
    let fields = named.named.into_iter().map(field).collect::<syn::Result<Vec<_>>>()?;
    let (Some(method), Some(http)) = (operation.method.clone(), operation.http.clone()) else {
        return Err(syn::Error::new_spanned(&item.ident, "missing `#[operation(..)]`"));
    };
    let Some(relative) = operation.template.strip_prefix(&args.base) else {
        return Err(syn::Error::new_spanned(&item.ident, "the template does not begin with the base path"));
    };
    let builder = &item.ident;
    let error = &args.error;

    // Client method, fields, setters.
    let (mut arguments, mut initializers, mut setters) = (Vec::new(), Vec::new(), Vec::new());
    let mut declared = vec![quote!(client: &'a super::Client,)];
    let mut debug = Vec::new();
    for field in fields.iter().filter(|f| f.fixed.is_none()) {
        let Field { ident, ty, docs, into, .. } = field;
        declared.push(quote!(#ident: #ty,));
        debug.push(if field.redacted { quote!(#ident = redacted) } else { quote!(#ident) });
        match option_inner(ty) {
            None => {
                let (argument, value) = taken(ident, ty, *into);
                arguments.push(quote!(#ident: #argument));
                initializers.push(quote!(#ident: #value));
            }
            Some(inner) => {
                initializers.push(quote!(#ident: ::std::option::Option::None));
                setters.push(option_setter(quote!(#(#docs)*), ident, ident, taken(ident, inner, *into)));
            }
        }
    }
    if !operation.choose_accept.is_empty() {
        let listed: Vec<String> = operation.choose_accept.iter().map(|m| format!("`{m}`")).collect();
        let doc = format!("Asks for one of the documented media types ({}) instead of any of them.", listed.join(", "));
        declared.push(quote!(accept: ::std::option::Option<&'static str>,));
        initializers.push(quote!(accept: ::std::option::Option::None));
        setters.push(quote! {
            #[doc = #doc]
            pub fn accept(mut self, media_type: &'static str) -> Self {
                self.accept = ::std::option::Option::Some(media_type);
                self
            }
        });
    }
    if operation.stream {
        setters.push(quote! {
            /// Sends the request and hands the file over as it arrives: nothing is held in memory
            /// beyond the current chunk, and the client's response size limit does not apply.
            pub async fn stream(self) -> ::std::result::Result<rt::ByteStream<#error>, rt::Error<#error>> {
                let (transport, request) = rt::Operation::into_request(self)?;
                transport.send_streaming(request).await
            }
        });
    }
    let allow = (arguments.len() + 1 > CLIPPY_MAX_ARGUMENTS).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let method_code = quote! {
        #(#docs)*
        #allow
        pub fn #method(&self, #(#arguments),*) -> #builder<'_> {
            #builder { client: self, #(#initializers),* }
        }
    };

    // The request.
    let mut statements = Vec::new();
    if operation.sensitive_response {
        statements.push(quote!(request.sensitive_response();));
    }
    if let Some(effect) = &operation.effect {
        statements.push(quote!(request.effect(rt::Effect::#effect);));
    }
    if !operation.schemes.is_empty() {
        let schemes = &operation.schemes;
        statements.push(quote!(request.schemes(&[#(rt::Scheme::#schemes),*]);));
    }
    if !operation.errors.is_empty() {
        let pairs = operation.errors.iter().map(|(status, index)| quote!((#status, #index)));
        statements.push(quote!(request.error_bodies(&[#(#pairs),*]);));
    }
    if let Some(accept) = &operation.accept {
        statements.push(if operation.choose_accept.is_empty() {
            quote!(request.accept(#accept);)
        } else {
            quote!(request.accept(self.accept.unwrap_or(#accept));)
        });
    }
    statements.extend(path_statements(relative, &fields, builder)?);
    for field in &fields {
        let Field { ident, ty, .. } = field;
        if let Some(fixed) = &field.fixed {
            statements.push(match &field.place {
                Place::Part(name) => quote!(request.part(#name, #fixed);),
                Place::Query(name, _) => quote!(request.query(#name, ::std::option::Option::Some(#fixed));),
                Place::Header(name) => quote!(request.header(#name, ::std::option::Option::Some(#fixed));),
                _ => return Err(syn::Error::new(ident.span(), "only a query, header or part value is fixed")),
            });
            continue;
        }
        let optional = option_inner(ty).is_some();
        let value =
            if optional { quote!(self.#ident.as_ref()) } else { quote!(::std::option::Option::Some(&self.#ident)) };
        statements.push(match &field.place {
            Place::Path(_) => continue,
            Place::Query(name, Some(style)) => {
                let values = if optional {
                    quote!(self.#ident.as_deref())
                } else {
                    quote!(::std::option::Option::Some(self.#ident.as_slice()))
                };
                quote!(request.query_list(#name, #values, rt::ListStyle::#style);)
            }
            Place::Query(name, None) => quote!(request.query(#name, #value);),
            Place::Header(name) => quote!(request.header(#name, #value);),
            Place::Part(name) => quote!(request.part(#name, &self.#ident);),
            Place::Body(Body::Text(media_type)) => quote!(request.text_body(&self.#ident, #media_type);),
            Place::Body(Body::Upload(media_type)) => quote!(request.upload_body(&self.#ident, #media_type);),
            Place::Body(Body::Formats(formats)) => match formats.as_slice() {
                [only] => {
                    let encode = format_ident!("{}_body", only);
                    quote!(request.#encode(&self.#ident)?;)
                }
                _ => {
                    let variants: Vec<Ident> = formats.iter().map(format_variant).collect();
                    let encoders = formats.iter().map(|f| format_ident!("{}_body", f));
                    quote! {
                        match self.client.transport.body_format(&[#(rt::BodyFormat::#variants),*]) {
                            #(rt::BodyFormat::#variants => request.#encoders(&self.#ident)?,)*
                            _ => request.json_body(&self.#ident)?,
                        }
                    }
                }
            },
        });
    }

    // The response.
    let (output, read) = match &operation.response {
        Some(Response::Empty(status)) => (quote!(()), quote!(response.empty_if(#status))),
        Some(Response::Decoded(status, decoder, ty)) => {
            let read = format_ident!("{}_if", decoder);
            (quote!(#ty), quote!(response.#read(#status)))
        }
        Some(Response::Custom(function, ty)) => (quote!(#ty), quote!(Self::#function(response))),
        None => return Err(syn::Error::new_spanned(&item.ident, "missing `#[response(..)]`")),
    };

    let authenticated = !operation.public;
    let template = &operation.template;
    let id = &operation.id;
    let doc = format!(
        "Request builder of [`Client::{}`](super::Client::{method}).",
        method.to_string().trim_start_matches("r#")
    );
    let ItemStruct { attrs, vis, generics, .. } = &item;
    let code = quote! {
        #[doc = #doc]
        #(#attrs)*
        #[must_use = "a request does nothing until sent: call `.send().await` or `.await` it"]
        #vis struct #builder #generics {
            #(#declared)*
        }

        impl<'a> #builder<'a> {
            #(#setters)*
        }

        impl<'a> rt::Operation<'a> for #builder<'a> {
            type Output = #output;
            type ErrorBody = #error;
            #[inline]
            fn into_request(self) -> rt::Built<'a, Self> {
                let mut request = rt::Request::new(rt::#http, #id, #template, #authenticated);
                #(#statements)*
                ::std::result::Result::Ok((&self.client.transport, request))
            }
            #[inline]
            fn read(response: &mut rt::Response) -> rt::Outcome<'a, Self> {
                #read
            }
        }

        rt::request_builder!(#builder { #(#debug),* });
    };
    Ok((method_code, code))
}

/// `literal` and `segment` statements for the template after the base path: `{name}` is the
/// field marked `#[path("name")]`.
fn path_statements(relative: &str, fields: &[Field], builder: &Ident) -> syn::Result<Vec<TokenStream>> {
    let mut statements = Vec::new();
    let mut rest = relative;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|close| open + close) else { break };
        if open > 0 {
            let literal = &rest[..open];
            statements.push(quote!(request.literal(#literal);));
        }
        let name = &rest[open + 1..close];
        let field = fields.iter().find(|f| matches!(&f.place, Place::Path(p) if p == name));
        let Some(field) = field else {
            let message = format!("no `#[path({name:?})]` field for the template's `{{{name}}}`");
            return Err(syn::Error::new(builder.span(), message));
        };
        let ident = &field.ident;
        statements.push(quote!(request.segment(&self.#ident);));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        statements.push(quote!(request.literal(#rest);));
    }
    Ok(statements)
}

/// The `rt::BodyFormat` variant of a format the parser accepted (`json`, `xml`, `form`).
fn format_variant(format: &Ident) -> Ident {
    let variant = match format.to_string().as_str() {
        "xml" => "Xml",
        "form" => "Form",
        _ => "Json",
    };
    Ident::new(variant, format.span())
}

#[cfg(test)]
mod tests {
    use quote::quote;

    fn expand(input: proc_macro2::TokenStream) -> Result<String, Vec<String>> {
        let args = quote!(error = models::Problem, base = "/api");
        super::requests(args, input)
            .map(|code| code.to_string())
            .map_err(|error| error.into_iter().map(|e| e.to_string()).collect())
    }

    #[test]
    fn a_declaration_becomes_a_client_method_setters_and_an_operation() {
        let code = expand(quote! {
            pub mod requests {
                /// Lists accounts.
                #[operation(list_accounts, GET, "/api/accounts/{kind}", "ListAccounts")]
                #[request(schemes(Bearer), accept = "text/csv")]
                #[response(200u16, json, models::Page)]
                pub struct ListAccounts<'a> {
                    #[path("kind", into)]
                    kind: String,
                    #[query("format", fixed = "Entity")]
                    format: (),
                    /// Sets `limit`.
                    #[query("limit")]
                    limit: Option<i32>,
                }
            }
        })
        .unwrap();
        let code = code.replace(' ', "");
        for expected in [
            "implsuper::Client{#[doc=r\"Listsaccounts.\"]pubfnlist_accounts(&self,kind:impl::std::convert::Into<String>)->ListAccounts<'_>",
            "client:&'asuper::Client,kind:String,limit:Option<i32>,}",
            "pubfnlimit(mutself,limit:i32)->Self",
            "rt::Request::new(rt::GET,\"ListAccounts\",\"/api/accounts/{kind}\",true)",
            "request.literal(\"/accounts/\");request.segment(&self.kind);request.query(\"format\",::std::option::Option::Some(\"Entity\"));request.query(\"limit\",self.limit.as_ref());",
            "response.json_if(200u16)",
            "rt::request_builder!(ListAccounts{kind,limit})",
        ] {
            assert!(code.contains(expected), "{expected}\nnot in\n{code}");
        }
    }

    #[test]
    fn every_mistake_of_every_builder_is_reported() {
        let errors = expand(quote! {
            mod requests {
                #[operation(a, GET, "/elsewhere", "A")]
                #[response(200u16)]
                pub struct A<'a> {}
                #[operation(b, GET, "/api/b/{id}", "B")]
                #[response(200u16, yaml, models::B)]
                pub struct B<'a> {}
                #[operation(c, GET, "/api/c/{id}", "C")]
                #[response(204u16)]
                pub struct C<'a> {
                    #[path("other")]
                    id: String,
                }
                #[operation(d, POST, "/api/d", "D")]
                #[response(204u16)]
                pub struct D<'a> {
                    #[body(yaml)]
                    body: String,
                }
            }
        })
        .unwrap_err();
        assert_eq!(
            errors,
            [
                "the template does not begin with the base path",
                "expected `json`, `body`, `text` or `download`",
                "no `#[path(\"id\")]` field for the template's `{id}`",
                "expected `json`, `xml`, `form`, `text = ..` or `upload = ..`",
            ]
        );
    }
}
