//! HTTP transport for generated clients: configuration, authentication, requests, responses and
//! errors. A generated client is a thin typed layer over [`Transport`]; everything that is the same
//! for every operation lives here once.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::StatusCode;

/// HTTP methods, re-exported so that generated code needs no direct reqwest dependency.
pub use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument;

use crate::xml::{FromXml, ToXml};

// ---------------------------------------------------------------------------------------------
// What the generated code says about its API

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

// ---------------------------------------------------------------------------------------------
// Configuration

/// Builds a client: `Client::builder("https://host:9398").timeout(...).build()`.
#[must_use]
pub struct ClientBuilder<C> {
    info: &'static ApiInfo,
    base_url: String,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    accept_invalid_certs: bool,
    http: Option<reqwest::Client>,
    user_agent: Option<String>,
    format: Option<Format>,
    headers: Vec<(String, String)>,
    client: std::marker::PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api", &self.info.name)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// A client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The API does not speak the requested format.
    #[error("this API does not speak {0:?}")]
    UnsupportedFormat(Format),
    /// A header name or value is not valid HTTP.
    #[error("invalid header `{0}`")]
    InvalidHeader(String),
    /// reqwest could not build its client (TLS backend).
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

impl<C: From<Transport>> ClientBuilder<C> {
    /// A builder for `info`'s API at `base_url` (scheme, host, optional port; the API's base path
    /// is added when the URL does not already end with it).
    pub fn new(info: &'static ApiInfo, base_url: impl Into<String>) -> Self {
        ClientBuilder {
            info,
            base_url: base_url.into(),
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Some(Duration::from_secs(10)),
            accept_invalid_certs: false,
            http: None,
            user_agent: None,
            format: None,
            headers: Vec::new(),
            client: std::marker::PhantomData,
        }
    }

    /// Total time allowed for one request, response body included (default 60 s; `None` for none).
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// Time allowed to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// Accepts any TLS certificate, including self-signed and expired ones. Real Veeam servers
    /// ship with self-signed certificates; prefer adding their certificate to a custom client
    /// ([`Self::http_client`]) where you can. Off by default.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.accept_invalid_certs = accept;
        self
    }

    /// Uses this `reqwest::Client` (for proxies, custom root certificates, ...). Timeouts, the
    /// certificate setting and the user agent of this builder are then not applied.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// User agent header (default `<crate>/<version> (<api>)`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Wire format of bodies, for APIs that speak several (default: the spec's default).
    pub fn format(mut self, format: Format) -> Self {
        self.format = Some(format);
        self
    }

    /// Sends `name: value` on every call, replacing a fixed header of the spec with the same name
    /// (for example a newer `x-api-version`).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<C, BuildError> {
        let info = self.info;
        let base = base_url(&self.base_url, info)?;
        let format = self.format.unwrap_or(info.formats.first().copied().unwrap_or(Format::Json));
        if !info.formats.contains(&format) {
            return Err(BuildError::UnsupportedFormat(format));
        }
        let mut headers = HeaderMap::new();
        let fixed = info.headers.iter().map(|(n, v)| (n.to_string(), v.to_string()));
        for (name, value) in fixed.chain(self.headers) {
            let header_name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| BuildError::InvalidHeader(name.clone()))?;
            let header_value = HeaderValue::from_str(&value).map_err(|_| BuildError::InvalidHeader(name.clone()))?;
            headers.insert(header_name, header_value);
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let user_agent = self
                    .user_agent
                    .unwrap_or_else(|| format!("veeam-runtime/{} ({})", env!("CARGO_PKG_VERSION"), info.name));
                let mut builder = reqwest::Client::builder()
                    .user_agent(user_agent)
                    .tls_danger_accept_invalid_certs(self.accept_invalid_certs);
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build().map_err(BuildError::Http)?
            }
        };
        let auth = match info.auth {
            AuthInfo::None => AuthState::None,
            AuthInfo::Bearer { .. } => AuthState::Bearer(tokio::sync::Mutex::new(None)),
            AuthInfo::Session { .. } | AuthInfo::ApiKey { .. } => AuthState::Secret(RwLock::new(None)),
            AuthInfo::Basic => AuthState::Basic(RwLock::new(None)),
        };
        Ok(C::from(Transport { inner: Arc::new(Inner { http, base, info, format, headers, auth }) }))
    }
}

/// `https://host` + default port + base path, checked.
fn base_url(raw: &str, info: &ApiInfo) -> Result<reqwest::Url, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidUrl { url: raw.to_owned(), reason: reason.to_owned() };
    let mut url = reqwest::Url::parse(raw).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.host().is_none() {
        return Err(invalid("no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL has no query or fragment"));
    }
    // `Url` forgets a port equal to the scheme's default, so look at what was written.
    let authority = raw.split_once("://").map_or("", |(_, rest)| rest).split(['/', '?', '#']).next().unwrap_or("");
    let host_and_port = authority.rsplit('@').next().unwrap_or("");
    let has_port = match host_and_port.rfind(']') {
        Some(end) => host_and_port[end..].contains(':'),
        None => host_and_port.contains(':'),
    };
    if !has_port {
        if let Some(port) = info.default_port {
            url.set_port(Some(port)).map_err(|()| invalid("cannot set the port"))?;
        }
    }
    let path = url.path().trim_end_matches('/').to_owned();
    let base_path = info.base_path.trim_end_matches('/');
    if !path.ends_with(base_path) {
        url.set_path(&format!("{path}{base_path}"));
    } else {
        url.set_path(&path);
    }
    Ok(url)
}

// ---------------------------------------------------------------------------------------------
// Secrets and authentication state

/// A secret string: shown as `***` by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// Tokens of a bearer-authenticated client.
#[derive(Debug, Clone)]
pub struct Tokens {
    /// Sent as `Authorization: Bearer <access>`.
    pub access: Secret,
    /// Used to get a new access token when it expires or is refused.
    pub refresh: Option<Secret>,
    /// When the access token expires, if known.
    pub expires_at: Option<Instant>,
}

/// Refresh this long before the server says the token expires, so it does not expire in flight.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

enum AuthState {
    None,
    /// The lock also serialises refreshes: concurrent calls wait for one refresh.
    Bearer(tokio::sync::Mutex<Option<Tokens>>),
    /// A session id or an API key, sent in the scheme's header.
    Secret(RwLock<Option<Secret>>),
    Basic(RwLock<Option<(String, Secret)>>),
}

/// The standard members of an OAuth2 token response.
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

// ---------------------------------------------------------------------------------------------
// Transport

/// The HTTP side of a generated client: `Clone + Send + Sync`, cheap to clone (one shared
/// connection pool and authentication state).
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: reqwest::Url,
    info: &'static ApiInfo,
    format: Format,
    headers: HeaderMap,
    auth: AuthState,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("api", &self.inner.info.name)
            .field("base_url", &self.inner.base.as_str())
            .field("format", &self.inner.format)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// The base URL, base path included.
    pub fn base_url(&self) -> &reqwest::Url {
        &self.inner.base
    }

    /// The format bodies are sent and requested in.
    pub fn format(&self) -> Format {
        self.inner.format
    }

    /// The body format to use among those an operation accepts: the client's format when allowed,
    /// otherwise the operation's first.
    pub fn body_format(&self, allowed: &[BodyFormat]) -> BodyFormat {
        let preferred = match self.inner.format {
            Format::Json => BodyFormat::Json,
            Format::Xml => BodyFormat::Xml,
        };
        if allowed.contains(&preferred) {
            preferred
        } else {
            allowed.first().copied().unwrap_or(preferred)
        }
    }

    /// Uses `tokens` for bearer authentication from now on.
    pub async fn set_tokens(&self, tokens: Tokens) {
        if let AuthState::Bearer(state) = &self.inner.auth {
            *state.lock().await = Some(tokens);
        }
    }

    /// The current bearer tokens.
    pub async fn tokens(&self) -> Option<Tokens> {
        match &self.inner.auth {
            AuthState::Bearer(state) => state.lock().await.clone(),
            _ => None,
        }
    }

    /// Forgets the bearer tokens or session id.
    pub async fn clear_credentials(&self) {
        match &self.inner.auth {
            AuthState::Bearer(state) => *state.lock().await = None,
            AuthState::Secret(state) => {
                if let Ok(mut session) = state.write() {
                    *session = None;
                }
            }
            AuthState::Basic(state) => {
                if let Ok(mut credentials) = state.write() {
                    *credentials = None;
                }
            }
            AuthState::None => {}
        }
    }

    /// Uses `session_id` (session schemes) or this API key (key schemes) from now on.
    pub fn set_session_id(&self, session_id: Secret) {
        if let AuthState::Secret(state) = &self.inner.auth {
            if let Ok(mut session) = state.write() {
                *session = Some(session_id);
            }
        }
    }

    /// The current session id (or API key).
    pub fn session_id(&self) -> Option<Secret> {
        match &self.inner.auth {
            AuthState::Secret(state) => state.read().ok().and_then(|s| s.clone()),
            _ => None,
        }
    }

    /// Uses these HTTP Basic credentials on every call from now on.
    pub fn set_basic_credentials(&self, username: &str, password: Secret) {
        if let AuthState::Basic(state) = &self.inner.auth {
            if let Ok(mut credentials) = state.write() {
                *credentials = Some((username.to_owned(), password));
            }
        }
    }

    /// Password grant against the token endpoint; stores the tokens.
    pub async fn bearer_log_in<E: ErrorBody>(&self, username: &str, password: &str) -> Result<(), Error<E>> {
        let fields = [("grant_type", "password"), ("username", username), ("password", password)];
        let tokens = self.token_request::<E>("log_in", &fields).await?;
        self.set_tokens(tokens).await;
        Ok(())
    }

    async fn token_request<E: ErrorBody>(
        &self,
        operation: &'static str,
        fields: &[(&str, &str)],
    ) -> Result<Tokens, Error<E>> {
        let AuthInfo::Bearer { token_path: Some(token_path) } = self.inner.info.auth else {
            return Err(Error::Auth { operation, message: "this API has no token operation".into() });
        };
        let mut request = Request::new(Method::POST, operation, token_path, false);
        request.literal(token_path);
        let body =
            serde_urlencoded::to_string(fields).map_err(|e| Error::Encode { operation, message: e.to_string() })?;
        request.body = Some(Body { bytes: body.into_bytes(), content_type: FORM });
        // Straight to `execute`: a token request is never authenticated or retried (and going
        // through `send` would make refreshing recursive).
        let response = self.execute::<E>(&request, None).await?;
        if response.status.is_client_error() || response.status.is_server_error() {
            return Err(response.api_error());
        }
        if !response.status.is_success() {
            return Err(response.unexpected());
        }
        let tokens: TokenResponse = response.json()?;
        Ok(Tokens {
            access: Secret(tokens.access_token),
            refresh: tokens.refresh_token.map(Secret),
            expires_at: tokens.expires_in.map(|seconds| Instant::now() + Duration::from_secs(seconds)),
        })
    }

    /// Stores the session id of a logon response (from the scheme's header).
    ///
    /// Does nothing for schemes without a session.
    pub fn store_session<E>(&self, response: &Response) -> Result<(), Error<E>> {
        let AuthInfo::Session { header } = self.inner.info.auth else { return Ok(()) };
        let id =
            response.headers.get(header).and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty()).ok_or_else(|| {
                Error::Auth {
                    operation: response.operation,
                    message: format!("the logon response has no `{header}` header"),
                }
            })?;
        self.set_session_id(Secret(id.to_owned()));
        Ok(())
    }

    /// The `Authorization` or session header for an authenticated call, refreshing an expired
    /// access token first.
    async fn credentials<E: ErrorBody>(
        &self,
        operation: &'static str,
    ) -> Result<Option<(HeaderName, HeaderValue)>, Error<E>> {
        let sensitive = |name: HeaderName, value: &str| {
            let mut value = HeaderValue::from_str(value)
                .map_err(|_| Error::Auth { operation, message: "the credential is not a valid header value".into() })?;
            value.set_sensitive(true);
            Ok(Some((name, value)))
        };
        match &self.inner.auth {
            AuthState::None => Ok(None),
            AuthState::Bearer(state) => {
                let mut tokens = state.lock().await;
                let expired =
                    tokens.as_ref().and_then(|t| t.expires_at).is_some_and(|at| Instant::now() + EXPIRY_MARGIN >= at);
                if expired && tokens.as_ref().is_some_and(|t| t.refresh.is_some()) {
                    *tokens = Some(self.refreshed::<E>(operation, tokens.as_ref()).await?);
                }
                match tokens.as_ref() {
                    Some(tokens) => sensitive(reqwest::header::AUTHORIZATION, &format!("Bearer {}", tokens.access.0)),
                    None => {
                        Err(Error::Auth { operation, message: "not logged in: call `log_in` or set a token".into() })
                    }
                }
            }
            AuthState::Secret(_) => match (self.session_id(), &self.inner.info.auth) {
                (Some(id), AuthInfo::Session { header } | AuthInfo::ApiKey { header }) => {
                    let name = HeaderName::from_bytes(header.as_bytes())
                        .map_err(|_| Error::Auth { operation, message: "invalid credential header name".into() })?;
                    sensitive(name, &id.0)
                }
                _ => {
                    Err(Error::Auth { operation, message: "not logged in: log in or set the credential first".into() })
                }
            },
            AuthState::Basic(state) => {
                let credentials = state.read().ok().and_then(|c| c.clone());
                let Some((username, password)) = credentials else {
                    return Err(Error::Auth {
                        operation,
                        message: "no credentials: call `set_credentials` first".into(),
                    });
                };
                use base64::Engine as _;
                let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{}", password.0));
                sensitive(reqwest::header::AUTHORIZATION, &format!("Basic {encoded}"))
            }
        }
    }

    async fn refreshed<E: ErrorBody>(
        &self,
        operation: &'static str,
        tokens: Option<&Tokens>,
    ) -> Result<Tokens, Error<E>> {
        let Some(refresh) = tokens.and_then(|t| t.refresh.clone()) else {
            return Err(Error::Auth {
                operation,
                message: "the access token expired and there is no refresh token".into(),
            });
        };
        let fields = [("grant_type", "refresh_token"), ("refresh_token", refresh.expose())];
        let mut fresh = self.token_request::<E>(operation, &fields).await.map_err(|error| Error::Auth {
            operation,
            message: format!("refreshing the access token failed: {error}"),
        })?;
        if fresh.refresh.is_none() {
            fresh.refresh = Some(refresh);
        }
        Ok(fresh)
    }

    /// After a 401 with bearer tokens: refresh once, if the tokens in use are still the current
    /// ones (another call may have refreshed already). Returns whether to retry.
    async fn refresh_after_401<E: ErrorBody>(
        &self,
        operation: &'static str,
        used: &HeaderValue,
    ) -> Result<bool, Error<E>> {
        let AuthState::Bearer(state) = &self.inner.auth else { return Ok(false) };
        let mut tokens = state.lock().await;
        let current = tokens.as_ref().map(|t| format!("Bearer {}", t.access.0));
        if current.as_deref().map(str::as_bytes) != Some(used.as_bytes()) {
            return Ok(tokens.is_some());
        }
        if tokens.as_ref().is_none_or(|t| t.refresh.is_none()) {
            return Ok(false);
        }
        *tokens = Some(self.refreshed::<E>(operation, tokens.as_ref()).await?);
        Ok(true)
    }

    /// Sends a request: credentials, fixed headers, `Accept` and `Content-Type`; on a 401 with
    /// bearer tokens, refreshes the token and retries once. Error statuses become
    /// [`Error::Api`] with the decoded error body.
    pub async fn send<E: ErrorBody>(&self, request: Request) -> Result<Response, Error<E>> {
        let span = tracing::info_span!(
            "request",
            api = self.inner.info.name,
            operation = request.operation,
            method = %request.method,
            path = request.template,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        async move {
            let started = Instant::now();
            let mut retried = false;
            loop {
                let credential =
                    if request.authenticated { self.credentials::<E>(request.operation).await? } else { None };
                let response = self.execute::<E>(&request, credential.clone()).await;
                let span = tracing::Span::current();
                span.record("duration_ms", started.elapsed().as_millis() as u64);
                let response = response?;
                span.record("status", response.status.as_u16());
                if response.status == StatusCode::UNAUTHORIZED && !retried {
                    if let Some((_, used)) = &credential {
                        if self.refresh_after_401::<E>(request.operation, used).await? {
                            tracing::debug!("access token refused; refreshed it, retrying once");
                            retried = true;
                            continue;
                        }
                    }
                }
                if response.status.is_client_error() || response.status.is_server_error() {
                    return Err(response.api_error());
                }
                return Ok(response);
            }
        }
        .instrument(span)
        .await
    }

    async fn execute<E>(
        &self,
        request: &Request,
        credential: Option<(HeaderName, HeaderValue)>,
    ) -> Result<Response, Error<E>> {
        let operation = request.operation;
        let mut url = self.inner.base.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), request.path);
        url.set_path(&path);
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        let mut builder = self.inner.http.request(request.method.clone(), url).headers(self.inner.headers.clone());
        builder = builder.header(ACCEPT, self.inner.format.media_type());
        if let Some((name, value)) = credential {
            builder = builder.header(name, value);
        }
        if let Some((username, password)) = &request.basic {
            builder = builder.basic_auth(username, Some(password.expose()));
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some(body) = &request.body {
            builder = builder.header(CONTENT_TYPE, body.content_type).body(body.bytes.clone());
        }
        let response = builder.send().await.map_err(|e| transport_error(operation, e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|e| transport_error(operation, e))?.to_vec();
        Ok(Response { operation, status, headers, body, format: self.inner.format })
    }
}

fn transport_error<E>(operation: &'static str, error: reqwest::Error) -> Error<E> {
    // URLs can hold secrets (a session id in a logout path): never keep them in errors.
    let error = error.without_url();
    if error.is_timeout() {
        Error::Timeout { operation }
    } else if error.is_connect() {
        Error::Connect { operation, source: error }
    } else {
        Error::Transport { operation, source: error }
    }
}

// ---------------------------------------------------------------------------------------------
// Requests

const FORM: &str = "application/x-www-form-urlencoded";

/// Characters kept as they are in a path segment (RFC 3986 unreserved).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A value sent as text in a path, query or header.
pub trait ParamValue {
    /// The text sent.
    fn to_param(&self) -> Cow<'_, str>;
}

impl ParamValue for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for str {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for bool {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! display_param {
    ($($ty:ty),*) => {$(
        impl ParamValue for $ty {
            fn to_param(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}

display_param!(i32, i64, f64, uuid::Uuid, crate::DateTime, crate::Date);

/// An HTTP request being assembled by generated code.
pub struct Request {
    method: Method,
    operation: &'static str,
    template: &'static str,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<Body>,
    basic: Option<(String, Secret)>,
    authenticated: bool,
}

struct Body {
    bytes: Vec<u8>,
    content_type: &'static str,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The template, not the filled path: path parameters can be secrets.
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.template)
            .finish_non_exhaustive()
    }
}

impl Request {
    /// A request for `operation` (`template` is the path template, used in traces and errors).
    pub fn new(method: Method, operation: &'static str, template: &'static str, authenticated: bool) -> Self {
        Request {
            method,
            operation,
            template,
            path: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            basic: None,
            authenticated,
        }
    }

    /// Appends a literal part of the path.
    pub fn literal(&mut self, text: &str) {
        self.path.push_str(text);
    }

    /// Appends a path parameter, percent-encoded.
    pub fn segment<T: ParamValue + ?Sized>(&mut self, value: &T) {
        self.path.extend(utf8_percent_encode(&value.to_param(), SEGMENT));
    }

    /// Adds a query parameter; `None` adds nothing.
    pub fn query<T: ParamValue + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.query.push((name.to_owned(), value.to_param().into_owned()));
        }
    }

    /// Adds a list query parameter, repeated (`a=1&a=2`) or comma-separated (`a=1,2`).
    pub fn query_list<T: ParamValue>(&mut self, name: &str, values: Option<&[T]>, comma_separated: bool) {
        let Some(values) = values else { return };
        if comma_separated {
            let joined: Vec<Cow<'_, str>> = values.iter().map(ParamValue::to_param).collect();
            self.query.push((name.to_owned(), joined.join(",")));
        } else {
            for value in values {
                self.query.push((name.to_owned(), value.to_param().into_owned()));
            }
        }
    }

    /// Adds a header; `None` adds nothing.
    pub fn header<T: ParamValue + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(value) = value {
            self.headers.push((name, value.to_param().into_owned()));
        }
    }

    /// Sends HTTP Basic credentials (logon calls).
    pub fn basic_auth(&mut self, username: &str, password: &str) {
        self.basic = Some((username.to_owned(), Secret::new(password)));
    }

    /// A JSON body.
    pub fn json_body<T: Serialize, E>(&mut self, value: &T) -> Result<(), Error<E>> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| Error::Encode { operation: self.operation, message: e.to_string() })?;
        self.body = Some(Body { bytes, content_type: "application/json" });
        Ok(())
    }

    /// An XML body.
    pub fn xml_body<T: ToXml, E>(&mut self, value: &T) -> Result<(), Error<E>> {
        let text = crate::xml::to_string(value)
            .map_err(|e| Error::Encode { operation: self.operation, message: e.to_string() })?;
        self.body = Some(Body { bytes: text.into_bytes(), content_type: "application/xml" });
        Ok(())
    }

    /// A form body.
    pub fn form_body<T: Serialize, E>(&mut self, value: &T) -> Result<(), Error<E>> {
        let text = serde_urlencoded::to_string(value)
            .map_err(|e| Error::Encode { operation: self.operation, message: e.to_string() })?;
        self.body = Some(Body { bytes: text.into_bytes(), content_type: FORM });
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Responses

/// A response, body read.
pub struct Response {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    format: Format,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// The body format of a response: from its `Content-Type`, else the format asked for.
fn body_format(headers: &HeaderMap, asked: Format) -> Format {
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    if content_type.contains("json") {
        Format::Json
    } else if content_type.contains("xml") {
        Format::Xml
    } else {
        asked
    }
}

impl Response {
    /// The status code.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// A response header, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn decode_error<E>(&self, message: String) -> Error<E> {
        Error::Decode { operation: self.operation, status: self.status.as_u16(), message, raw: self.text() }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Decodes a JSON body.
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        crate::json::from_slice(&self.body).map_err(|e| self.decode_error(e.to_string()))
    }

    /// Decodes an XML body.
    pub fn xml<T: FromXml, E>(&self) -> Result<T, Error<E>> {
        let text = std::str::from_utf8(&self.body).map_err(|e| self.decode_error(format!("not UTF-8: {e}")))?;
        crate::xml::from_str(text).map_err(|e| self.decode_error(e.to_string()))
    }

    /// Decodes a body in the format its `Content-Type` names (else the format asked for).
    pub fn body<T: DeserializeOwned + FromXml, E>(&self) -> Result<T, Error<E>> {
        match body_format(&self.headers, self.format) {
            Format::Json => self.json(),
            Format::Xml => self.xml(),
        }
    }

    /// A success status the operation does not declare.
    pub fn unexpected<E>(&self) -> Error<E> {
        Error::UnexpectedStatus { operation: self.operation, status: self.status.as_u16(), raw: self.text() }
    }

    fn api_error<E: ErrorBody>(&self) -> Error<E> {
        let body = if self.body.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            E::decode(&self.body, body_format(&self.headers, self.format))
        };
        Error::Api { operation: self.operation, status: self.status.as_u16(), body, raw: self.text() }
    }
}

// ---------------------------------------------------------------------------------------------
// Errors

/// The error body type of an API: decoded from an error response when possible.
pub trait ErrorBody: Sized + fmt::Debug {
    /// Decodes the body; `None` when it is not this type (an HTML error page, say).
    fn decode(body: &[u8], format: Format) -> Option<Self>;
}

/// For APIs that declare no error body.
impl ErrorBody for () {
    fn decode(_body: &[u8], _format: Format) -> Option<Self> {
        None
    }
}

/// For APIs whose error body is JSON only.
#[macro_export]
#[doc(hidden)]
macro_rules! json_error_body {
    ($ty:ty) => {
        impl $crate::client::ErrorBody for $ty {
            fn decode(body: &[u8], _format: $crate::client::Format) -> Option<Self> {
                $crate::json::from_slice(body).ok()
            }
        }
    };
}

/// For APIs whose error body comes as JSON or XML.
#[macro_export]
#[doc(hidden)]
macro_rules! json_xml_error_body {
    ($ty:ty) => {
        impl $crate::client::ErrorBody for $ty {
            fn decode(body: &[u8], format: $crate::client::Format) -> Option<Self> {
                match format {
                    $crate::client::Format::Json => $crate::json::from_slice(body).ok(),
                    _ => std::str::from_utf8(body).ok().and_then(|text| $crate::xml::from_str_checked(text).ok()),
                }
            }
        }
    };
}

/// Why a call failed. `E` is the API's error body type.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status (4xx, 5xx).
    #[error("{operation}: the server answered {status}{}", summary(raw))]
    Api {
        /// Operation called.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// The error body, when the server sent one of the documented type.
        body: Option<E>,
        /// The body as text (an HTML error page, a truncated document, ...).
        raw: String,
    },
    /// A success status the operation does not declare.
    #[error("{operation}: unexpected status {status}")]
    UnexpectedStatus {
        /// Operation called.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// The body as text.
        raw: String,
    },
    /// The request or the response took longer than the timeout.
    #[error("{operation}: timed out")]
    Timeout {
        /// Operation called.
        operation: &'static str,
    },
    /// No connection could be made.
    #[error("{operation}: cannot connect: {source}")]
    Connect {
        /// Operation called.
        operation: &'static str,
        /// The cause (without the URL, which may hold secrets).
        source: reqwest::Error,
    },
    /// The connection failed during the exchange (reset, closed before the whole body arrived).
    #[error("{operation}: transport error: {source}")]
    Transport {
        /// Operation called.
        operation: &'static str,
        /// The cause (without the URL, which may hold secrets).
        source: reqwest::Error,
    },
    /// A success response whose body is not the documented type.
    #[error("{operation}: undecodable {status} response: {message}")]
    Decode {
        /// Operation called.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// What was wrong, with the path in the document.
        message: String,
        /// The body as text.
        raw: String,
    },
    /// The request body could not be encoded.
    #[error("{operation}: cannot encode the request: {message}")]
    Encode {
        /// Operation called.
        operation: &'static str,
        /// What was wrong.
        message: String,
    },
    /// Not logged in, a refresh failed, or a logon response lacked its session header.
    #[error("{operation}: authentication: {message}")]
    Auth {
        /// Operation called.
        operation: &'static str,
        /// What was wrong.
        message: String,
    },
}

impl<E> Error<E> {
    /// The HTTP status, for errors that have one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }

    /// The decoded error body, for [`Error::Api`].
    pub fn body(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => body.as_ref(),
            _ => None,
        }
    }
}

/// The first line of an error body, shortened, for messages.
fn summary(raw: &str) -> String {
    let line = raw.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    if line.is_empty() {
        return String::new();
    }
    let short: String = line.chars().take(120).collect();
    format!(": {short}{}", if line.chars().count() > 120 { "..." } else { "" })
}
