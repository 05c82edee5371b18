//! Clients: one `Client` per API, its authentication methods and error bodies; the method and
//! request builder of each operation are written by [`super::operations`]. Transport,
//! authentication and errors are the runtime's.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::rust_type;
use super::{docs, operations, Context};
use crate::ir::{self, Format, Type};

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
    let api_keys = auth.api_keys.iter().map(|key| {
        let doc = match &key.place {
            ir::ApiKeyPlace::Header(name) => format!("Sends this key in the `{name}` header"),
            ir::ApiKeyPlace::Query(name) => format!("Sends this key as the `{name}` query parameter"),
            ir::ApiKeyPlace::Cookie(name) => format!("Sends this key as the `{name}` cookie"),
        };
        let doc = docs::outer(Some(&format!("{doc} with every later call that accepts it.")));
        let setter = quote::format_ident!("set_{}", key.name);
        let name = &key.name;
        quote! {
            #doc
            pub fn #setter(&self, key: impl Into<String>) {
                self.transport.set_api_key(#name, #runtime::client::Secret::new(key));
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
        let authorization_code = bearer.token_operation.filter(|_| bearer.authorization_code).map(|id| {
            let token = api.operation(id);
            let doc = format!(
                "Logs in with the authorization-code grant of `{} {}{}` (a code the server issued, e.g. to a \
                     user who signed in elsewhere) and keeps the tokens, as `log_in` does.",
                token.method.as_str(),
                api.base_path,
                token.path
            );
            let doc = docs::outer(Some(&doc));
            quote! {
                #doc
                pub async fn log_in_authorization_code(&self, code: &str) -> Result<(), Error> {
                    self.transport.bearer_log_in_authorization_code(code).await
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
            #authorization_code
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
        let output = operations::output(context, logon);
        let request = operations::request_statements(context, logon, false, "log_in");
        let decode = operations::read(context, logon);
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
            let request = operations::request_statements(context, logout, logout.authenticated, "log_out");
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
        #(#api_keys)*
        #basic
    }
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
        let api_keys = api.auth.api_keys.iter().map(|key| {
            let (name, place) = (&key.name, key.place.name());
            let variant = match key.place {
                ir::ApiKeyPlace::Header(_) => quote!(Header),
                ir::ApiKeyPlace::Query(_) => quote!(Query),
                ir::ApiKeyPlace::Cookie(_) => quote!(Cookie),
            };
            quote!(#runtime::client::ApiKeyInfo::new(#name, #runtime::client::ApiKeyIn::#variant(#place)))
        });
        let basic = api.auth.basic;
        quote!(#runtime::client::AuthInfo::new(#bearer, #session, &[#(#api_keys),*], #basic))
    };
    let error_impl = error_bodies(context);

    let items = super::items_marker();
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


        /// The operations: for each, the client's method, its request builder (setters for what is
        /// optional), the request it sends and how its response reads.
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
