//! The HTTP side of a generated client: sends requests with credentials, fixed headers and
//! content negotiation, refreshes bearer tokens, reads bodies within the limits, and traces each
//! call (operation, method, path template, status, duration: never a URL, header or body).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::StatusCode;
use tracing::Instrument;

use super::auth::{basic_header, read, write, AuthState, Secret, TokenResponse, Tokens};
use super::error::{AuthError, ConnectError, ErrorBody, TimeoutError, TooLargeError, TransportError};
use super::files::{ByteStream, Part};
use super::request::{Body, Request};
use super::response::Response;
use super::{ApiInfo, BodyFormat, Error, Format, Limits, Method, Scheme};

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
        *self.inner.auth.bearer.lock().await = Some(tokens);
    }

    /// The current bearer tokens.
    pub async fn tokens(&self) -> Option<Tokens> {
        self.inner.auth.bearer.lock().await.clone()
    }

    /// Forgets every credential: tokens, client credentials, session id, API key, Basic
    /// credentials.
    pub async fn clear_credentials(&self) {
        let auth = &self.inner.auth;
        *auth.bearer.lock().await = None;
        write(&auth.client, None);
        write(&auth.session, None);
        write(&auth.logout_id, None);
        write(&auth.api_key, None);
        write(&auth.basic, None);
        write(&auth.logon, None);
    }

    /// Keeps the credentials of a successful logon and the generated call that logs on with
    /// them, so that a call refused with 401 (the server expired the session: Enterprise
    /// Manager after 15 idle minutes) logs on again once and is retried. `log_out` forgets them.
    pub fn keep_logon(&self, username: &str, password: Secret, relogon: super::auth::Relogon) {
        write(&self.inner.auth.logon, Some((username.to_owned(), password, relogon)));
    }

    /// Uses this session id from now on (session schemes); an id kept for logging out belongs
    /// to the previous session and is forgotten.
    pub fn set_session_id(&self, session_id: Secret) {
        write(&self.inner.auth.session, Some(session_id));
        write(&self.inner.auth.logout_id, None);
    }

    /// The current session id.
    pub fn session_id(&self) -> Option<Secret> {
        read(&self.inner.auth.session)
    }

    /// Keeps what names the session in the logout call (Enterprise Manager's `SessionId`, from
    /// the logon response), when it is not the session id itself.
    pub fn set_logout_id(&self, id: Secret) {
        write(&self.inner.auth.logout_id, Some(id));
    }

    /// What names the session in the logout call: the id kept from the logon response, else the
    /// session id.
    pub fn logout_id(&self) -> Option<Secret> {
        read(&self.inner.auth.logout_id).or_else(|| self.session_id())
    }

    /// Sends this key in the API's key header from now on.
    pub fn set_api_key(&self, key: Secret) {
        write(&self.inner.auth.api_key, Some(key));
    }

    /// Uses these HTTP Basic credentials on every call from now on.
    pub fn set_basic_credentials(&self, username: &str, password: Secret) {
        write(&self.inner.auth.basic, Some((username.to_owned(), password)));
    }

    /// Password grant against the token endpoint; stores the tokens.
    pub async fn bearer_log_in<E: ErrorBody>(&self, username: &str, password: &str) -> Result<(), Error<E>> {
        let fields = [("grant_type", "password"), ("username", username), ("password", password)];
        let tokens = self.token_request::<E>("log_in", &fields).await?;
        self.set_tokens(tokens).await;
        Ok(())
    }

    /// Client-credentials grant (RFC 6749 section 4.4) against the API's token endpoint: keeps
    /// the client credentials and the token; a new token is fetched the same way whenever it
    /// expires or is refused.
    pub async fn client_credentials_log_in<E: ErrorBody>(
        &self,
        client_id: &str,
        client_secret: Secret,
    ) -> Result<(), Error<E>> {
        write(&self.inner.auth.client, Some((client_id.to_owned(), client_secret)));
        let tokens = self.client_credentials_token::<E>("log_in_client_credentials").await;
        if tokens.is_err() {
            write(&self.inner.auth.client, None);
        }
        self.set_tokens(tokens?).await;
        Ok(())
    }

    /// A token from the client-credentials grant: form body, client authenticated with HTTP
    /// Basic (RFC 6749 section 2.3.1).
    async fn client_credentials_token<E: ErrorBody>(&self, operation: &'static str) -> Result<Tokens, Error<E>> {
        let endpoint = self.inner.info.auth.bearer.as_ref().and_then(|b| b.client_credentials.as_ref());
        let (Some(endpoint), Some((client_id, secret))) = (endpoint, read(&self.inner.auth.client)) else {
            return Err(Error::Auth(AuthError::new(
                operation,
                "no client credentials: call `log_in_client_credentials`",
            )));
        };
        let scope = endpoint.scopes.join(" ");
        let mut fields = vec![("grant_type", "client_credentials")];
        if !scope.is_empty() {
            fields.push(("scope", scope.as_str()));
        }
        let mut request = Request::new(Method::POST, operation, endpoint.token_url, false);
        request.sensitive_response();
        request.form_fields(&fields)?;
        let url = match reqwest::Url::parse(endpoint.token_url) {
            Ok(url) => url,
            Err(_) => self.url(endpoint.token_url),
        };
        let mut authorization = HeaderValue::from_str(&basic_header(&client_id, &secret)).map_err(|_| {
            Error::Auth(AuthError::new(operation, "the client credentials are not a valid header value"))
        })?;
        authorization.set_sensitive(true);
        self.grant(&request, url, Some((reqwest::header::AUTHORIZATION, authorization))).await
    }

    /// Sends a token request and reads the tokens. Straight to `execute`: a token request is
    /// never authenticated by the client's own credentials or retried (and going through `send`
    /// would make refreshing recursive).
    async fn grant<E: ErrorBody>(
        &self,
        request: &Request,
        url: reqwest::Url,
        credential: Option<(HeaderName, HeaderValue)>,
    ) -> Result<Tokens, Error<E>> {
        let span = self.span(request);
        let response = async {
            let raw = self.execute_at::<E>(request, url, credential).await?;
            self.read::<E>(request, raw).await
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

    async fn token_request<E: ErrorBody>(
        &self,
        operation: &'static str,
        fields: &[(&str, &str)],
    ) -> Result<Tokens, Error<E>> {
        let token_path = self.inner.info.auth.bearer.as_ref().and_then(|b| b.token_path);
        let Some(token_path) = token_path else {
            return Err(Error::Auth(AuthError::new(operation, "this API has no token operation")));
        };
        let mut request = Request::new(Method::POST, operation, token_path, false);
        request.literal(token_path);
        request.sensitive_response();
        request.form_fields(fields)?;
        self.grant(&request, self.url(token_path), None).await
    }

    /// Stores the session id of a logon response (from the scheme's header).
    ///
    /// Does nothing for schemes without a session.
    pub fn store_session<E>(&self, response: &Response) -> Result<(), Error<E>> {
        let Some(header) = self.inner.info.auth.session_header else { return Ok(()) };
        let id = response.headers.get(header).and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty());
        let Some(id) = id else {
            let reason = format!("the logon response has no `{header}` header");
            return Err(Error::Auth(AuthError::new(response.operation, reason)));
        };
        self.set_session_id(Secret::new(id));
        Ok(())
    }

    /// The schemes a call may use: those its operation accepts (all the API's when it names
    /// none), in [`Scheme`] order.
    fn schemes<'s>(&self, accepted: &'s [Scheme]) -> impl Iterator<Item = Scheme> + Clone + 's {
        let info = &self.inner.info.auth;
        let offered = [
            (Scheme::Bearer, info.bearer.is_some()),
            (Scheme::Session, info.session_header.is_some()),
            (Scheme::ApiKey, info.api_key_header.is_some()),
            (Scheme::Basic, info.basic),
        ];
        offered
            .into_iter()
            .filter(move |(scheme, offered)| *offered && (accepted.is_empty() || accepted.contains(scheme)))
            .map(|(scheme, _)| scheme)
    }

    /// The `Authorization`, session or key header for an authenticated call: the first accepted
    /// scheme the client holds credentials for, refreshing (or fetching) an expired access token
    /// first.
    async fn credentials<E: ErrorBody>(
        &self,
        operation: &'static str,
        accepted: &[Scheme],
    ) -> Result<Option<(HeaderName, HeaderValue)>, Error<E>> {
        let sensitive = |name: HeaderName, value: &str| {
            let mut value = HeaderValue::from_str(value)
                .map_err(|_| Error::Auth(AuthError::new(operation, "the credential is not a valid header value")))?;
            value.set_sensitive(true);
            Ok(Some((name, value)))
        };
        let named = |header: &str| {
            HeaderName::from_bytes(header.as_bytes())
                .map_err(|_| Error::Auth(AuthError::new(operation, "invalid credential header name")))
        };
        let schemes = self.schemes(accepted);
        if schemes.clone().next().is_none() {
            return Ok(None);
        }
        let auth = &self.inner.auth;
        for scheme in schemes.clone() {
            match scheme {
                Scheme::Bearer => {
                    let mut tokens = auth.bearer.lock().await;
                    let expired = tokens.as_ref().is_some_and(|t| t.expires_within(EXPIRY_MARGIN));
                    let client = read(&auth.client).is_some();
                    if expired && tokens.as_ref().is_some_and(|t| t.refresh.is_some()) {
                        *tokens = Some(Box::pin(self.refreshed::<E>(operation, tokens.as_ref())).await?);
                    } else if (expired || tokens.is_none()) && client {
                        *tokens = Some(Box::pin(self.client_credentials_token::<E>(operation)).await?);
                    }
                    if let Some(tokens) = tokens.as_ref() {
                        let value = format!("Bearer {}", tokens.access.expose());
                        return sensitive(reqwest::header::AUTHORIZATION, &value);
                    }
                }
                Scheme::Session => {
                    if let (Some(id), Some(header)) = (read(&auth.session), self.inner.info.auth.session_header) {
                        return sensitive(named(header)?, id.expose());
                    }
                }
                Scheme::ApiKey => {
                    if let (Some(key), Some(header)) = (read(&auth.api_key), self.inner.info.auth.api_key_header) {
                        return sensitive(named(header)?, key.expose());
                    }
                }
                Scheme::Basic => {
                    if let Some((username, password)) = read(&auth.basic) {
                        return sensitive(reqwest::header::AUTHORIZATION, &basic_header(&username, &password));
                    }
                }
            }
        }
        let reason = match schemes.collect::<Vec<_>>().as_slice() {
            [Scheme::Bearer] => "not logged in: call `log_in` or set a token",
            [Scheme::Basic] => "no credentials: call `set_credentials` first",
            _ => "not logged in: log in or set a credential first",
        };
        Err(Error::Auth(AuthError::new(operation, reason)))
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

    /// After a 401 with bearer tokens: refresh once (or fetch a new token with the client
    /// credentials), if the tokens in use are still the current ones (another call may have
    /// refreshed already). Returns whether to retry.
    async fn refresh_after_401<E: ErrorBody>(
        &self,
        operation: &'static str,
        used: &HeaderValue,
    ) -> Result<bool, Error<E>> {
        let mut tokens = self.inner.auth.bearer.lock().await;
        let current = tokens.as_ref().map(|t| format!("Bearer {}", t.access.expose()));
        if current.as_deref().map(str::as_bytes) != Some(used.as_bytes()) {
            // Not a bearer credential, or already replaced by another call.
            return Ok(tokens.is_some() && used.as_bytes().starts_with(b"Bearer "));
        }
        if tokens.as_ref().is_some_and(|t| t.refresh.is_some()) {
            *tokens = Some(self.refreshed::<E>(operation, tokens.as_ref()).await?);
            return Ok(true);
        }
        if read(&self.inner.auth.client).is_some() {
            *tokens = Some(self.client_credentials_token::<E>(operation).await?);
            return Ok(true);
        }
        Ok(false)
    }

    /// After a 401 with a session id: log on again with the kept credentials, unless another
    /// call already did (the session id changed). Returns whether to retry; a failed logon
    /// leaves the 401 to the caller.
    async fn relogon_after_401(&self, used: &HeaderValue) -> bool {
        let auth = &self.inner.auth;
        let Some((username, password, relogon)) = read(&auth.logon) else { return false };
        let _one_at_a_time = auth.relogon.lock().await;
        let current = read(&auth.session);
        if current.as_ref().is_some_and(|id| id.expose().as_bytes() != used.as_bytes()) {
            return true;
        }
        relogon(self.clone(), username, password).await
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
            let credential = if request.authenticated {
                self.credentials::<E>(request.operation, request.schemes).await?
            } else {
                None
            };
            let response = self.execute_at::<E>(request, self.url(&request.path), credential.clone()).await;
            let span = tracing::Span::current();
            span.record("duration_ms", u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
            let response = response?;
            span.record("status", response.status().as_u16());
            if response.status() == StatusCode::UNAUTHORIZED && !retried {
                if let Some((name, used)) = &credential {
                    let session =
                        self.inner.info.auth.session_header.is_some_and(|h| name.as_str().eq_ignore_ascii_case(h));
                    if session {
                        if Box::pin(self.relogon_after_401(used)).await {
                            tracing::debug!("session refused; logged on again, retrying once");
                            retried = true;
                            continue;
                        }
                    } else if Box::pin(self.refresh_after_401::<E>(request.operation, used)).await? {
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

    /// The URL of `path` below the base URL.
    fn url(&self, path: &str) -> reqwest::Url {
        let mut url = self.inner.base.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), path);
        url.set_path(&path);
        url
    }

    /// Sends `request` to `url`. A file or multipart body is opened in a boxed future: a rare
    /// path kept out of the future every call moves.
    async fn execute_at<E>(
        &self,
        request: &Request,
        url: reqwest::Url,
        credential: Option<(HeaderName, HeaderValue)>,
    ) -> Result<reqwest::Response, Error<E>> {
        let builder = self.builder::<E>(request, url, credential)?;
        let builder = match &request.body {
            Some(Body::Upload { .. } | Body::Multipart(_)) => {
                Box::pin(self.streamed_body::<E>(request, builder)).await?
            }
            None | Some(Body::Bytes { .. }) => builder,
        };
        builder.send().await.map_err(|e| transport_error(request.operation, e))
    }

    /// The request to `url` with its headers, and its body when it is in memory.
    fn builder<E>(
        &self,
        request: &Request,
        mut url: reqwest::Url,
        credential: Option<(HeaderName, HeaderValue)>,
    ) -> Result<reqwest::RequestBuilder, Error<E>> {
        let operation = request.operation;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        let mut builder = self.inner.http.request(request.method.clone(), url);
        // One by one: cloning the map would allocate it anew on every call.
        for (name, value) in &self.inner.headers {
            builder = builder.header(name.clone(), value.clone());
        }
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
        // An operation's own header replaces the client's header of that name (an API-wide
        // `x-api-version` that one operation sends differently); repeated ones are all sent.
        let mut own = HeaderMap::new();
        for (name, value) in &request.headers {
            match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
                (Ok(name), Ok(value)) => {
                    own.append(name, value);
                }
                // Refused by reqwest when the request is sent, as any invalid header.
                _ => builder = builder.header(*name, value),
            }
        }
        builder = builder.headers(own);
        Ok(match &request.body {
            Some(Body::Bytes { bytes, content_type }) => {
                builder.header(CONTENT_TYPE, *content_type).body(bytes.clone())
            }
            _ => builder,
        })
    }

    /// `builder` with the request's file or multipart body, opened now (every attempt reads
    /// the files afresh).
    async fn streamed_body<E>(
        &self,
        request: &Request,
        builder: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, Error<E>> {
        let operation = request.operation;
        Ok(match &request.body {
            Some(Body::Upload { upload, content_type }) => {
                let (body, length) = upload.body::<E>(operation).await?;
                let builder = builder.header(CONTENT_TYPE, upload.media_type().unwrap_or(content_type)).body(body);
                match length {
                    Some(length) => builder.header(CONTENT_LENGTH, length),
                    None => builder,
                }
            }
            Some(Body::Multipart(parts)) => builder.multipart(self.form::<E>(operation, parts).await?),
            None | Some(Body::Bytes { .. }) => builder,
        })
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
        let body = self.read_body::<E>(request.operation, &headers, &mut raw).await?;
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
        response: &mut reqwest::Response,
    ) -> Result<Bytes, Error<E>> {
        let limit = self.inner.limits.max_body_bytes;
        let too_large = || Error::TooLarge(TooLargeError::new(operation, limit));
        let announced = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
        if announced.is_some_and(|length| length > limit) {
            return Err(too_large());
        }
        let capacity = announced.map_or(0, |length| usize::try_from(length).unwrap_or(0));
        // A body that arrives in one chunk (most do) is kept as it is, without a copy. One
        // `await` in the loop: the future every call moves holds one chunk future, not three.
        let (mut first, mut joined): (Option<Bytes>, Option<BytesMut>) = (None, None);
        let mut length = 0u64;
        while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(operation, e))? {
            length += chunk.len() as u64;
            if length > limit {
                return Err(too_large());
            }
            match (joined.as_mut(), first.take()) {
                (Some(joined), _) => joined.extend_from_slice(&chunk),
                (None, None) => first = Some(chunk),
                (None, Some(previous)) => {
                    let mut all = BytesMut::with_capacity(capacity.max(previous.len() + chunk.len()));
                    all.extend_from_slice(&previous);
                    all.extend_from_slice(&chunk);
                    joined = Some(all);
                }
            }
        }
        Ok(joined.map_or_else(|| first.unwrap_or_default(), BytesMut::freeze))
    }
}
