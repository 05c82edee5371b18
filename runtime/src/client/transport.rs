//! The HTTP side of a generated client: sends requests with credentials, fixed headers and
//! content negotiation, refreshes bearer tokens, reads bodies within the limits, and traces each
//! call (operation, method, path template, status, duration: never a URL, header or body).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::StatusCode;
use tracing::Instrument;

use super::auth::{basic_header, AuthState, Secret, TokenResponse, Tokens};
use super::error::{AuthError, ConnectError, ErrorBody, TimeoutError, TooLargeError, TransportError};
use super::files::{ByteStream, Part};
use super::request::{Body, Request};
use super::response::Response;
use super::{ApiInfo, AuthInfo, BodyFormat, Error, Format, Limits, Method};

/// Refresh this long before the server says the token expires, so it does not expire in flight.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

/// The HTTP side of a generated client: `Clone + Send + Sync`, cheap to clone (one shared
/// connection pool and authentication state).
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub http: reqwest::Client,
    pub base: reqwest::Url,
    pub info: &'static ApiInfo,
    pub format: Format,
    pub headers: HeaderMap,
    pub auth: AuthState,
    pub limits: Limits,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("api", &self.inner.info.name)
            .field("base_url", &self.inner.base.as_str())
            .field("format", &self.inner.format)
            .field("limits", &self.inner.limits)
            .finish_non_exhaustive()
    }
}

pub(super) fn transport_error<E>(operation: &'static str, error: reqwest::Error) -> Error<E> {
    // URLs can hold secrets (a session id in a logout path): never keep them in errors.
    let error = error.without_url();
    if error.is_timeout() {
        Error::Timeout(TimeoutError::new(operation))
    } else if error.is_connect() {
        Error::Connect(ConnectError::new(operation, error))
    } else {
        Error::Transport(TransportError::new(operation, error))
    }
}

impl Transport {
    pub(super) fn new(inner: Inner) -> Self {
        Transport { inner: Arc::new(inner) }
    }

    /// The base URL, base path included.
    pub fn base_url(&self) -> &reqwest::Url {
        &self.inner.base
    }

    /// The format bodies are sent and requested in.
    pub fn format(&self) -> Format {
        self.inner.format
    }

    /// The limits responses are read and decoded within.
    pub fn limits(&self) -> Limits {
        self.inner.limits
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

    /// Forgets the bearer tokens, session id or credentials.
    pub async fn clear_credentials(&self) {
        match &self.inner.auth {
            AuthState::Bearer(state) => *state.lock().await = None,
            AuthState::Secret(_) => self.inner.auth.set_secret(None),
            AuthState::Basic(_) => self.inner.auth.set_basic(None),
            AuthState::None => {}
        }
    }

    /// Uses `session_id` (session schemes) or this API key (key schemes) from now on.
    pub fn set_session_id(&self, session_id: Secret) {
        self.inner.auth.set_secret(Some(session_id));
    }

    /// The current session id (or API key).
    pub fn session_id(&self) -> Option<Secret> {
        self.inner.auth.secret()
    }

    /// Uses these HTTP Basic credentials on every call from now on.
    pub fn set_basic_credentials(&self, username: &str, password: Secret) {
        self.inner.auth.set_basic(Some((username.to_owned(), password)));
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
            return Err(Error::Auth(AuthError::new(operation, "this API has no token operation")));
        };
        let mut request = Request::new(Method::POST, operation, token_path, false);
        request.literal(token_path);
        request.sensitive_response();
        request.form_fields(fields)?;
        // Straight to `execute`: a token request is never authenticated or retried (and going
        // through `send` would make refreshing recursive).
        let span = self.span(&request);
        let response = async {
            let raw = self.execute::<E>(&request, None).await?;
            self.read::<E>(&request, raw).await
        }
        .instrument(span.clone())
        .await?;
        span.record("status", response.status.as_u16());
        if response.status.is_client_error() || response.status.is_server_error() {
            return Err(response.api_error());
        }
        if !response.status.is_success() {
            return Err(response.unexpected());
        }
        let tokens: TokenResponse = response.json()?;
        Ok(tokens.into_tokens())
    }

    /// Stores the session id of a logon response (from the scheme's header).
    ///
    /// Does nothing for schemes without a session.
    pub fn store_session<E>(&self, response: &Response) -> Result<(), Error<E>> {
        let AuthInfo::Session { header } = self.inner.info.auth else { return Ok(()) };
        let id = response.headers.get(header).and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty());
        let Some(id) = id else {
            let reason = format!("the logon response has no `{header}` header");
            return Err(Error::Auth(AuthError::new(response.operation, reason)));
        };
        self.set_session_id(Secret::new(id));
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
                .map_err(|_| Error::Auth(AuthError::new(operation, "the credential is not a valid header value")))?;
            value.set_sensitive(true);
            Ok(Some((name, value)))
        };
        match &self.inner.auth {
            AuthState::None => Ok(None),
            AuthState::Bearer(state) => {
                let mut tokens = state.lock().await;
                let expired = tokens.as_ref().is_some_and(|t| t.expires_within(EXPIRY_MARGIN));
                if expired && tokens.as_ref().is_some_and(|t| t.refresh.is_some()) {
                    *tokens = Some(self.refreshed::<E>(operation, tokens.as_ref()).await?);
                }
                match tokens.as_ref() {
                    Some(tokens) => {
                        sensitive(reqwest::header::AUTHORIZATION, &format!("Bearer {}", tokens.access.expose()))
                    }
                    None => Err(Error::Auth(AuthError::new(operation, "not logged in: call `log_in` or set a token"))),
                }
            }
            AuthState::Secret(_) => match (self.session_id(), &self.inner.info.auth) {
                (Some(id), AuthInfo::Session { header } | AuthInfo::ApiKey { header }) => {
                    let name = HeaderName::from_bytes(header.as_bytes())
                        .map_err(|_| Error::Auth(AuthError::new(operation, "invalid credential header name")))?;
                    sensitive(name, id.expose())
                }
                _ => Err(Error::Auth(AuthError::new(operation, "not logged in: log in or set the credential first"))),
            },
            AuthState::Basic(_) => {
                let Some((username, password)) = self.inner.auth.basic() else {
                    return Err(Error::Auth(AuthError::new(operation, "no credentials: call `set_credentials` first")));
                };
                sensitive(reqwest::header::AUTHORIZATION, &basic_header(&username, &password))
            }
        }
    }

    async fn refreshed<E: ErrorBody>(
        &self,
        operation: &'static str,
        tokens: Option<&Tokens>,
    ) -> Result<Tokens, Error<E>> {
        let Some(refresh) = tokens.and_then(|t| t.refresh.clone()) else {
            let reason = "the access token expired and there is no refresh token";
            return Err(Error::Auth(AuthError::new(operation, reason)));
        };
        let fields = [("grant_type", "refresh_token"), ("refresh_token", refresh.expose())];
        let mut fresh = self.token_request::<E>(operation, &fields).await.map_err(|error| {
            Error::Auth(AuthError::caused_by(operation, "refreshing the access token failed", error))
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
        let current = tokens.as_ref().map(|t| format!("Bearer {}", t.access.expose()));
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
        let span = self.span(&request);
        async move {
            let raw = self.exchange::<E>(&request).await?;
            let response = self.read::<E>(&request, raw).await?;
            if response.status.is_client_error() || response.status.is_server_error() {
                return Err(response.api_error());
            }
            Ok(response)
        }
        .instrument(span)
        .await
    }

    /// Sends a request as [`Transport::send`] does, and hands a success body over as it arrives
    /// instead of reading it (an error body is still read, within the limits, and decoded).
    pub async fn send_streaming<E: ErrorBody>(&self, request: Request) -> Result<ByteStream<E>, Error<E>> {
        let span = self.span(&request);
        async move {
            let raw = self.exchange::<E>(&request).await?;
            let status = raw.status();
            if status.is_client_error() || status.is_server_error() {
                return Err(self.read::<E>(&request, raw).await?.api_error());
            }
            if !status.is_success() {
                return Err(self.read::<E>(&request, raw).await?.unexpected());
            }
            Ok(ByteStream::new(request.operation, raw))
        }
        .instrument(span)
        .await
    }

    /// One call, its body not read yet: authenticated, and retried once after refreshing the
    /// bearer token if the server refused it.
    async fn exchange<E: ErrorBody>(&self, request: &Request) -> Result<reqwest::Response, Error<E>> {
        let started = Instant::now();
        let mut retried = false;
        loop {
            let credential = if request.authenticated { self.credentials::<E>(request.operation).await? } else { None };
            let response = self.execute::<E>(request, credential.clone()).await;
            let span = tracing::Span::current();
            span.record("duration_ms", u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
            let response = response?;
            span.record("status", response.status().as_u16());
            if response.status() == StatusCode::UNAUTHORIZED && !retried {
                if let Some((_, used)) = &credential {
                    if self.refresh_after_401::<E>(request.operation, used).await? {
                        tracing::debug!("access token refused; refreshed it, retrying once");
                        retried = true;
                        continue;
                    }
                }
            }
            return Ok(response);
        }
    }

    /// The span of one call: what was called, never a URL, header or body.
    fn span(&self, request: &Request) -> tracing::Span {
        tracing::info_span!(
            "request",
            api = self.inner.info.name,
            operation = request.operation,
            method = %request.method,
            path = request.template,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        )
    }

    async fn execute<E>(
        &self,
        request: &Request,
        credential: Option<(HeaderName, HeaderValue)>,
    ) -> Result<reqwest::Response, Error<E>> {
        let operation = request.operation;
        let mut url = self.inner.base.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), request.path);
        url.set_path(&path);
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        let mut builder = self.inner.http.request(request.method.clone(), url).headers(self.inner.headers.clone());
        builder = builder.header(ACCEPT, request.accept.unwrap_or(self.inner.format.media_type()));
        if let Some((name, value)) = credential {
            builder = builder.header(name, value);
        }
        if let Some((username, password)) = &request.basic {
            let mut value = HeaderValue::from_str(&basic_header(username, password))
                .map_err(|_| Error::Auth(AuthError::new(operation, "the credentials are not a valid header value")))?;
            value.set_sensitive(true);
            builder = builder.header(reqwest::header::AUTHORIZATION, value);
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        builder = match &request.body {
            None => builder,
            Some(Body::Bytes { bytes, content_type }) => {
                builder.header(CONTENT_TYPE, *content_type).body(bytes.clone())
            }
            Some(Body::Upload { upload, content_type }) => {
                let (body, length) = upload.body::<E>(operation).await?;
                let builder = builder.header(CONTENT_TYPE, upload.media_type().unwrap_or(content_type)).body(body);
                match length {
                    Some(length) => builder.header(CONTENT_LENGTH, length),
                    None => builder,
                }
            }
            Some(Body::Multipart(parts)) => builder.multipart(self.form::<E>(operation, parts).await?),
        };
        builder.send().await.map_err(|e| transport_error(operation, e))
    }

    /// A multipart form, its files opened now (every attempt reads them afresh).
    async fn form<E>(
        &self,
        operation: &'static str,
        parts: &[(&'static str, Part)],
    ) -> Result<reqwest::multipart::Form, Error<E>> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in parts {
            let part = match part {
                Part::Text(text) => reqwest::multipart::Part::text(text.clone()),
                Part::File(upload) => {
                    let (body, length) = upload.body::<E>(operation).await?;
                    let part = match length {
                        Some(length) => reqwest::multipart::Part::stream_with_length(body, length),
                        None => reqwest::multipart::Part::stream(body),
                    };
                    // A file part carries a file name: servers tell files from fields by it.
                    let part = part.file_name(upload.name().unwrap_or(name).to_owned());
                    let content_type = upload.media_type().unwrap_or("application/octet-stream");
                    part.mime_str(content_type).map_err(|_| {
                        Error::Encode(super::error::EncodeError::new(
                            operation,
                            format!("`{content_type}` is not a media type"),
                        ))
                    })?
                }
            };
            form = form.part(*name, part);
        }
        Ok(form)
    }

    /// Reads the body of `raw` within the limits.
    async fn read<E>(&self, request: &Request, mut raw: reqwest::Response) -> Result<Response, Error<E>> {
        let status = raw.status();
        let headers = std::mem::take(raw.headers_mut());
        let body = self.read_body::<E>(request.operation, &headers, raw).await?;
        Ok(Response {
            operation: request.operation,
            status,
            headers,
            body,
            format: self.inner.format,
            max_depth: self.inner.limits.max_depth,
            sensitive: request.sensitive_response,
            error_bodies: request.error_bodies,
        })
    }

    /// Reads a body chunk by chunk, refusing it as soon as it is known to exceed the limit.
    async fn read_body<E>(
        &self,
        operation: &'static str,
        headers: &HeaderMap,
        mut response: reqwest::Response,
    ) -> Result<Vec<u8>, Error<E>> {
        let limit = self.inner.limits.max_body_bytes;
        let too_large = || Error::TooLarge(TooLargeError::new(operation, limit));
        let announced = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
        if announced.is_some_and(|length| length > limit) {
            return Err(too_large());
        }
        let capacity = announced.map_or(0, |length| usize::try_from(length).unwrap_or(0));
        let mut body = Vec::with_capacity(capacity);
        while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(operation, e))? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}
