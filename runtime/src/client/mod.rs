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
mod request;
mod response;
mod transport;

pub use auth::{Secret, Tokens};
pub use builder::{BuildError, ClientBuilder};
pub use error::{
    decode_documented_first, ApiError, AuthError, ConnectError, DecodeError, Decoder, EncodeError, Error, ErrorBody,
    IoError, TimeoutError, TooLargeError, TransportError, UnexpectedStatusError,
};
pub use files::{ByteStream, Download, Part, PartValue, Upload};
pub use request::{ParamValue, Request};
/// HTTP methods, re-exported so that generated code needs no direct reqwest dependency.
pub use reqwest::Method;
pub use response::Response;
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

/// Authentication scheme of an API.
#[derive(Debug)]
#[non_exhaustive]
pub enum AuthInfo {
    /// No authentication.
    None,
    /// OAuth2-style token endpoint (RFC 6749 password and refresh-token grants, form body, JSON
    /// response with `access_token`, `refresh_token`, `expires_in`); calls send
    /// `Authorization: Bearer <access token>`.
    Bearer {
        /// Path of the token operation, below the base path, if the API has one; without it,
        /// callers hand in tokens obtained elsewhere.
        token_path: Option<&'static str>,
    },
    /// A logon call with HTTP Basic credentials returns a session id in `header`; every later call
    /// sends it back in the same header.
    Session {
        /// Header carrying the session id.
        header: &'static str,
    },
    /// HTTP Basic credentials on every call.
    Basic,
    /// A key in a header on every call.
    ApiKey {
        /// Header carrying the key.
        header: &'static str,
    },
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
