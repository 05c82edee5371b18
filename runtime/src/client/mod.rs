//! HTTP transport for generated clients. A generated client is a thin typed layer over
//! [`Transport`]; everything that is the same for every operation lives here once:
//!
//! - `builder`: configuration (base URL, timeouts, TLS, limits) and [`BuildError`];
//! - `auth`: credentials and their storage ([`Secret`], [`Tokens`]);
//! - `transport`: sending requests, authenticating, refreshing, tracing;
//! - `request` and `response`: assembling a request, reading and decoding a response within
//!   the client's limits;
//! - `error`: why a call failed ([`Error`]).

mod auth;
mod builder;
mod error;
mod files;
mod operation;
mod paging;
mod request;
mod response;
mod retry;
mod tasks;
mod transport;

/// The plumbing of generated request builders (see [`Operation`]).
pub use crate::request_builder;
pub use auth::{Relogon, Secret, Tokens};
pub use builder::{install_tls_provider, BuildError, ClientBuilder};
pub use error::{
    decode_documented_first, ApiError, AuthError, ConnectError, DecodeError, Decoder, EncodeError, Error, ErrorBody,
    IoError, TaskError, TaskErrorKind, TimeoutError, TooLargeError, TransportError, UnexpectedStatusError,
};
pub use files::{ByteStream, Download, Part, PartValue, Upload};
pub use operation::{send, send_with_response, Built, Operation, Outcome, Sending};
pub use request::{Effect, ListStyle, ParamValue, Request};
/// HTTP methods, re-exported so that generated code needs no direct reqwest dependency.
pub use reqwest::Method;

/// The methods by name, for generated code's short paths (`rt::GET`).
pub const GET: Method = Method::GET;
/// `POST`.
pub const POST: Method = Method::POST;
/// `PUT`.
pub const PUT: Method = Method::PUT;
/// `PATCH`.
pub const PATCH: Method = Method::PATCH;
/// `DELETE`.
pub const DELETE: Method = Method::DELETE;
/// `HEAD`.
pub const HEAD: Method = Method::HEAD;
pub use paging::{items, pages, PageStyle, Paged, Progress};
pub use response::{Response, ResponseValue};
pub use retry::RetryConfig;
pub use tasks::{wait_for_task, wait_for_task_id, TaskStatus, TaskWait};
pub use transport::Transport;

/// Wire format of bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// `application/json`.
    Json,
    /// `application/xml`.
    Xml,
}

impl Format {
    fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Xml => "application/xml",
        }
    }
}

/// How a request body may be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyFormat {
    /// JSON.
    Json,
    /// XML.
    Xml,
    /// `application/x-www-form-urlencoded`.
    Form,
}

/// The API a transport talks to, as declared by the spec (generated as a `static`).
#[derive(Debug)]
pub struct ApiInfo {
    /// Name used in the default user agent and in tracing.
    pub name: &'static str,
    /// Path prefix of every operation (`/api/v1`).
    pub base_path: &'static str,
    /// Port used when the base URL gives none.
    pub default_port: Option<u16>,
    /// Headers sent with a fixed value on every call.
    pub headers: &'static [(&'static str, &'static str)],
    /// Formats the API speaks; the first one is its default.
    pub formats: &'static [Format],
    /// How callers authenticate.
    pub auth: AuthInfo,
}

/// How callers of an API authenticate: the schemes it offers. An operation accepts each of them
/// alone unless it names the ways it accepts ([`Request::schemes`]); a call uses the first way
/// for which the client holds every credential (for the API's own list: bearer, session, the
/// API keys in order, Basic).
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct AuthInfo {
    /// OAuth2-style bearer tokens (`Authorization: Bearer <access token>`).
    pub bearer: Option<BearerInfo>,
    /// A logon call with HTTP Basic credentials returns a session id in this header; every
    /// later call sends it back in the same header. Stands alone: no other scheme beside it.
    pub session_header: Option<&'static str>,
    /// The API keys, each by name, and where it goes.
    pub api_keys: &'static [ApiKeyInfo],
    /// HTTP Basic credentials on every call.
    pub basic: bool,
}

impl AuthInfo {
    /// No authentication.
    pub const NONE: AuthInfo = AuthInfo { bearer: None, session_header: None, api_keys: &[], basic: false };
}

/// Where bearer tokens come from.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct BearerInfo {
    /// Path of the API's token operation, below the base path (RFC 6749 password and
    /// refresh-token grants, form body, JSON response with `access_token`, `refresh_token`,
    /// `expires_in`); without one, callers hand in tokens obtained elsewhere.
    pub token_path: Option<&'static str>,
    /// The OAuth2 client-credentials grant (RFC 6749 section 4.4), if the API documents one.
    pub client_credentials: Option<ClientCredentialsInfo>,
}

/// An OAuth2 token endpoint for the client-credentials grant.
#[derive(Debug)]
#[non_exhaustive]
pub struct ClientCredentialsInfo {
    /// The token endpoint: an absolute URL (usually an identity provider's), or a path below the
    /// API's base URL.
    pub token_url: &'static str,
    /// Scopes asked for, space-separated in the request; none asks for the default ones.
    pub scopes: &'static [&'static str],
}

impl BearerInfo {
    /// A bearer scheme with these sources of tokens.
    pub const fn new(token_path: Option<&'static str>, client_credentials: Option<ClientCredentialsInfo>) -> Self {
        BearerInfo { token_path, client_credentials }
    }
}

impl ClientCredentialsInfo {
    /// A client-credentials token endpoint.
    pub const fn new(token_url: &'static str, scopes: &'static [&'static str]) -> Self {
        ClientCredentialsInfo { token_url, scopes }
    }
}

impl AuthInfo {
    /// The schemes of an API.
    pub const fn new(
        bearer: Option<BearerInfo>,
        session_header: Option<&'static str>,
        api_keys: &'static [ApiKeyInfo],
        basic: bool,
    ) -> Self {
        AuthInfo { bearer, session_header, api_keys, basic }
    }
}

/// An API key: its name in the spec (what [`Scheme::ApiKey`] and the client's setter call it),
/// and where it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiKeyInfo {
    /// The key's name (`api_key`, `app_token`).
    pub name: &'static str,
    /// Where it is sent.
    pub place: ApiKeyIn,
}

impl ApiKeyInfo {
    /// A key of this name, sent there.
    pub const fn new(name: &'static str, place: ApiKeyIn) -> Self {
        ApiKeyInfo { name, place }
    }
}

/// Where an API key is sent (OpenAPI's `apiKey` scheme, `in: header | query | cookie`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyIn {
    /// In this header.
    Header(&'static str),
    /// As this query parameter (URLs are never logged or shown in errors).
    Query(&'static str),
    /// As this cookie (`Cookie: name=key`).
    Cookie(&'static str),
}

/// An authentication scheme: one credential a call may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// Bearer tokens.
    Bearer,
    /// A session id.
    Session,
    /// The API key of this name.
    ApiKey(&'static str),
    /// HTTP Basic credentials.
    Basic,
}

/// What a response may cost: the most bytes read from a body, the deepest nesting decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bodies larger than this are refused without reading the rest ([`TooLargeError`]).
    pub max_body_bytes: u64,
    /// XML documents nested deeper than this are refused; JSON stops at serde_json's own limit
    /// of 128 levels.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_body_bytes: 64 * 1024 * 1024, max_depth: crate::xml::DEFAULT_MAX_DEPTH }
    }
}
