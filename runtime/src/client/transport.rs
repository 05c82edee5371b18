//! The HTTP side of a generated client: sends requests with credentials, fixed headers and
//! content negotiation, refreshes bearer tokens, reads bodies within the limits, and traces each
//! call (operation, method, path template, status, duration: never a URL, header or body).

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::StatusCode;
use tracing::Instrument;

use super::auth::{basic_header, holds, read, write, AuthState, Bearer, Secret, TokenResponse, Tokens};
use super::error::{AuthError, ConnectError, ErrorBody, TimeoutError, TooLargeError, TransportError};
use super::files::{ByteStream, Part};
use super::request::{Body, Effect, Request};
use super::response::Response;
use super::{ApiInfo, ApiKeyIn, BodyFormat, Error, Format, Limits, Method, Scheme};

/// Refresh this long before the server says the token expires, so it does not expire in flight.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

/// One credential a call carries to authenticate.
#[derive(Clone)]
enum Credential {
    /// A header: `Authorization`, a session id's or an API key's header.
    Header(HeaderName, HeaderValue),
    /// An API key as a query parameter of this name.
    Query(&'static str, Secret),
    /// An API key as a cookie of this name (the cookies of a call share one `Cookie` header).
    Cookie(&'static str, Secret),
}

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
    /// The API's session header, parsed.
    pub session_header: Option<HeaderName>,
    /// The API keys' headers, parsed, by key name.
    pub api_key_headers: Vec<(&'static str, HeaderName)>,
    /// Each of the API's schemes alone, in the order a call tries them when its operation names
    /// none: bearer, session, the API keys in order, Basic.
    pub offered: Vec<Scheme>,
    pub auth: AuthState,
    pub limits: Limits,
    pub retry: super::RetryConfig,
    pub retry_budget: super::retry::RetryBudget,
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
        *self.inner.auth.bearer.lock().await = Some(Bearer::new(tokens));
    }

    /// The current bearer tokens.
    pub async fn tokens(&self) -> Option<Tokens> {
        self.inner.auth.bearer.lock().await.as_ref().map(|bearer| bearer.tokens.clone())
    }

    /// Forgets every credential: tokens, client credentials, session id, API key, Basic
    /// credentials.
    pub async fn clear_credentials(&self) {
        let auth = &self.inner.auth;
        *auth.bearer.lock().await = None;
        write(&auth.client, None);
        write(&auth.session, None);
        write(&auth.logout_id, None);
        if let Ok(mut keys) = auth.api_keys.write() {
            keys.clear();
        }
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

    /// Sends this value as the API key `name` (from [`super::AuthInfo::api_keys`]) with every
    /// later call that accepts that key.
    pub fn set_api_key(&self, name: &'static str, key: Secret) {
        if let Ok(mut keys) = self.inner.auth.api_keys.write() {
            keys.insert(name, key);
        }
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

    /// Authorization-code grant (RFC 6749 section 4.1.3) against the token endpoint; stores the
    /// tokens. The code is a secret: it is masked in traces and errors like a password.
    pub async fn bearer_log_in_authorization_code<E: ErrorBody>(&self, code: &str) -> Result<(), Error<E>> {
        let fields = [("grant_type", "authorization_code"), ("code", code)];
        let tokens = self.token_request::<E>("log_in_authorization_code", &fields).await?;
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
        request.form_fields(&fields)?;
        request.secret(secret.clone());
        let url = match reqwest::Url::parse(endpoint.token_url) {
            Ok(url) => url,
            Err(_) => self.url(endpoint.token_url),
        };
        let mut authorization = HeaderValue::from_str(&basic_header(&client_id, &secret)).map_err(|_| {
            Error::Auth(AuthError::new(operation, "the client credentials are not a valid header value"))
        })?;
        authorization.set_sensitive(true);
        self.grant(&request, url, &[Credential::Header(reqwest::header::AUTHORIZATION, authorization)]).await
    }

    /// Sends a token request and reads the tokens. Straight to `execute`: a token request is
    /// never authenticated by the client's own credentials or retried (and going through `send`
    /// would make refreshing recursive).
    async fn grant<E: ErrorBody>(
        &self,
        request: &Request,
        url: reqwest::Url,
        credentials: &[Credential],
    ) -> Result<Tokens, Error<E>> {
        let span = self.span(request);
        let response = async {
            let outgoing = self.outgoing::<E>(request, url, credentials)?;
            let raw = self.inner.http.execute(outgoing).await.map_err(|e| transport_error(request.operation, e))?;
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
        request.form_fields(fields)?;
        self.grant(&request, self.url(token_path), &[]).await
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

    /// The ways a call may be authenticated, in the order it tries them: those its operation
    /// names, else each of the API's schemes alone.
    fn requirements<'s>(&'s self, accepted: &'s [&'static [Scheme]]) -> impl Iterator<Item = &'s [Scheme]> + Clone {
        let (named, own): (&[&[Scheme]], &[Scheme]) = match accepted {
            [] => (&[], &self.inner.offered),
            named => (named, &[]),
        };
        named.iter().copied().chain(own.iter().map(std::slice::from_ref))
    }

    /// The credentials of an authenticated call when they are at hand: those of the first way
    /// of authenticating for which the client holds every credential. `None` when the bearer
    /// tokens must be fetched or refreshed first, or another call holds them:
    /// [`Transport::credentials`] then waits.
    fn credential_now<E>(
        &self,
        operation: &'static str,
        accepted: &[&'static [Scheme]],
    ) -> Result<Option<Vec<Credential>>, Error<E>> {
        'requirements: for requirement in self.requirements(accepted) {
            let mut credentials = Vec::with_capacity(requirement.len());
            for scheme in requirement {
                let held = match scheme {
                    Scheme::Bearer => {
                        let Ok(bearer) = self.inner.auth.bearer.try_lock() else { return Ok(None) };
                        if self.must_renew(bearer.as_ref()) {
                            return Ok(None);
                        }
                        bearer.as_ref().map(|bearer| bearer_credential(operation, bearer)).transpose()?
                    }
                    other => self.held(operation, *other)?,
                };
                let Some(held) = held else { continue 'requirements };
                credentials.push(held);
            }
            return Ok(Some(credentials));
        }
        self.none_held(operation, accepted).map(Some)
    }

    /// The credentials of an authenticated call, as [`Transport::credential_now`] finds them,
    /// after waiting for the bearer tokens and refreshing (or fetching) an expired access token.
    async fn credentials<E: ErrorBody>(
        &self,
        operation: &'static str,
        accepted: &[&'static [Scheme]],
    ) -> Result<Vec<Credential>, Error<E>> {
        'requirements: for requirement in self.requirements(accepted) {
            let mut credentials = Vec::with_capacity(requirement.len());
            for scheme in requirement {
                let held = match scheme {
                    Scheme::Bearer => {
                        let mut bearer = self.inner.auth.bearer.lock().await;
                        if self.must_renew(bearer.as_ref()) {
                            self.renew::<E>(operation, &mut bearer).await?;
                        }
                        bearer.as_ref().map(|bearer| bearer_credential(operation, bearer)).transpose()?
                    }
                    other => self.held(operation, *other)?,
                };
                let Some(held) = held else { continue 'requirements };
                credentials.push(held);
            }
            return Ok(credentials);
        }
        self.none_held(operation, accepted)
    }

    /// Whether the bearer tokens must be refreshed (expired, with a refresh token) or fetched
    /// (none or expired, with client credentials) before a call.
    fn must_renew(&self, bearer: Option<&Bearer>) -> bool {
        let expired = bearer.is_some_and(|bearer| bearer.tokens.expires_within(EXPIRY_MARGIN));
        let refreshable = bearer.is_some_and(|bearer| bearer.tokens.refresh.is_some());
        (expired && refreshable) || ((expired || bearer.is_none()) && holds(&self.inner.auth.client))
    }

    /// The credential of a session, key or Basic scheme, if the client holds one.
    fn held<E>(&self, operation: &'static str, scheme: Scheme) -> Result<Option<Credential>, Error<E>> {
        let (auth, info) = (&self.inner.auth, &self.inner.info.auth);
        let header = |name: &Option<HeaderName>, value: &Secret| match name {
            Some(name) => sensitive(operation, name.clone(), value.expose().as_bytes()),
            None => Err(Error::Auth(AuthError::new(operation, "invalid credential header name"))),
        };
        match scheme {
            Scheme::Bearer => Ok(None),
            Scheme::Session => match (auth.session.read().ok().as_deref(), info.session_header) {
                (Some(Some(id)), Some(_)) => header(&self.inner.session_header, id).map(Some),
                _ => Ok(None),
            },
            Scheme::ApiKey(wanted) => {
                let Some(info) = info.api_keys.iter().find(|key| key.name == wanted) else { return Ok(None) };
                let keys = auth.api_keys.read().ok();
                let Some(key) = keys.as_ref().and_then(|keys| keys.get(wanted)) else { return Ok(None) };
                match info.place {
                    ApiKeyIn::Header(_) => {
                        let name = self.inner.api_key_headers.iter().find(|(key, _)| *key == wanted);
                        header(&name.map(|(_, name)| name.clone()), key).map(Some)
                    }
                    ApiKeyIn::Cookie(name) => Ok(Some(Credential::Cookie(name, key.clone()))),
                    ApiKeyIn::Query(name) => Ok(Some(Credential::Query(name, key.clone()))),
                }
            }
            Scheme::Basic => match read(&auth.basic) {
                Some((username, password)) => {
                    let value = basic_header(&username, &password);
                    sensitive(operation, reqwest::header::AUTHORIZATION, value.as_bytes()).map(Some)
                }
                None => Ok(None),
            },
        }
    }

    /// No credential: none needed when the API offers no scheme, else the error saying how to
    /// log in.
    fn none_held<E>(
        &self,
        operation: &'static str,
        accepted: &[&'static [Scheme]],
    ) -> Result<Vec<Credential>, Error<E>> {
        let mut requirements = self.requirements(accepted);
        let reason = match (requirements.next(), requirements.next()) {
            (None, _) => return Ok(Vec::new()),
            (Some([Scheme::Bearer]), None) => "not logged in: call `log_in` or set a token".to_owned(),
            (Some([Scheme::Basic]), None) => "no credentials: call `set_credentials` first".to_owned(),
            (Some([Scheme::ApiKey(name)]), None) => format!("no API key: call `set_{name}` first"),
            (Some(together), None) if together.len() > 1 => {
                let names: Vec<String> = together.iter().map(|scheme| describe(*scheme)).collect();
                format!("this call needs {} together: set them first", names.join(" and "))
            }
            _ => "not logged in: log in or set a credential first".to_owned(),
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
        let mut bearer = self.inner.auth.bearer.lock().await;
        if bearer.as_ref().and_then(|bearer| bearer.header.as_ref()) != Some(used) {
            // Not a bearer credential, or already replaced by another call.
            return Ok(bearer.is_some() && used.as_bytes().starts_with(b"Bearer "));
        }
        let refreshable = bearer.as_ref().is_some_and(|bearer| bearer.tokens.refresh.is_some());
        if !refreshable && !holds(&self.inner.auth.client) {
            return Ok(false);
        }
        self.renew::<E>(operation, &mut bearer).await?;
        Ok(true)
    }

    /// Replaces the bearer tokens: refreshed with the refresh token if they have one, else
    /// fetched with the client credentials.
    async fn renew<E: ErrorBody>(&self, operation: &'static str, bearer: &mut Option<Bearer>) -> Result<(), Error<E>> {
        let tokens = bearer.as_ref().map(|bearer| &bearer.tokens);
        let renewed = if tokens.is_some_and(|tokens| tokens.refresh.is_some()) {
            self.refreshed::<E>(operation, tokens).await?
        } else {
            self.client_credentials_token::<E>(operation).await?
        };
        *bearer = Some(Bearer::new(renewed));
        Ok(())
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
        self.call(&request).await
    }

    /// [`Transport::send`] of a request the caller keeps: a generated call's future holds its
    /// request once (each `async fn` it passed through by value would keep a copy).
    pub(super) fn call<'a, E: ErrorBody>(
        &'a self,
        request: &'a Request,
    ) -> impl Future<Output = Result<Response, Error<E>>> + Send + 'a {
        // Not an `async fn` itself: one layer less, each of which would hold its own copy of the
        // future it awaits.
        let call = async move {
            let response = match self.exchange::<E>(request).await {
                Ok(raw) => self.read::<E>(request, raw).await,
                Err(error) => Err(error),
            };
            if request.effect != Effect::None {
                // Rare (logging out, a token request): boxed, out of the future every call moves.
                Box::pin(self.take_effect(request.effect, response.as_ref().ok())).await;
            }
            let response = response?;
            if response.status.is_client_error() || response.status.is_server_error() {
                return Err(response.api_error());
            }
            Ok(response)
        };
        call.instrument(self.span(request))
    }

    /// What a call does to the credentials ([`Effect`]), once it has been made: a logout forgets
    /// them whatever the answer; a token operation's success response gives the client its tokens
    /// (a response without an access token, such as a second factor asked for, leaves them).
    async fn take_effect(&self, effect: Effect, response: Option<&Response>) {
        match effect {
            Effect::None => {}
            Effect::EndsSession => {
                tracing::debug!("the session was ended: credentials forgotten");
                self.clear_credentials().await;
            }
            Effect::IssuesTokens => {
                let Some(response) = response.filter(|response| response.status.is_success()) else { return };
                if let Ok(tokens) = serde_json::from_slice::<TokenResponse>(&response.body) {
                    tracing::debug!("tokens issued: the client uses them from now on");
                    self.set_tokens(tokens.into_tokens()).await;
                }
            }
        }
    }

    /// Sends a request as [`Transport::send`] does, and hands a success body over as it arrives
    /// instead of reading it (an error body is still read, within the limits, and decoded).
    pub async fn send_streaming<E: ErrorBody>(&self, request: Request) -> Result<ByteStream<E>, Error<E>> {
        let span = self.span(&request);
        async move {
            let raw = self.exchange::<E>(&request).await;
            if request.effect == Effect::EndsSession {
                self.take_effect(request.effect, None).await;
            }
            let raw = raw?;
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
        let mut attempt = 1;
        loop {
            let at_hand = match request.authenticated {
                true => self.credential_now::<E>(request.operation, request.schemes)?,
                false => Some(Vec::new()),
            };
            // Waiting (for a refresh, or for another call that holds the tokens) is rare: boxed,
            // out of the future every call moves.
            let credentials = match at_hand {
                Some(credentials) => credentials,
                None => Box::pin(self.credentials::<E>(request.operation, request.schemes)).await?,
            };
            let outgoing = self.outgoing::<E>(request, self.url(&request.path), &credentials)?;
            let response = match &request.body {
                // Files are opened in a boxed future: a rare path kept out of the future every
                // call moves.
                Some(Body::Upload { .. } | Body::Multipart(_)) => {
                    Box::pin(self.send_streamed::<E>(request, outgoing)).await
                }
                None | Some(Body::Bytes { .. }) => {
                    self.inner.http.execute(outgoing).await.map_err(|e| transport_error(request.operation, e))
                }
            };
            let span = tracing::Span::current();
            span.record("duration_ms", u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
            if let Some(wait) = self.retry_wait(request, &response, attempt, started) {
                tracing::debug!(
                    attempt,
                    wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    "trying the call again"
                );
                attempt += 1;
                tokio::time::sleep(wait).await;
                continue;
            }
            let response = response?;
            span.record("status", response.status().as_u16());
            // A call that ends the session is not answered by logging on again.
            if response.status() == StatusCode::UNAUTHORIZED && !retried && request.effect != Effect::EndsSession {
                // A session id, else a bearer token, is what the server may have expired.
                let session = credentials.iter().find_map(|credential| match credential {
                    Credential::Header(name, used) if self.inner.session_header.as_ref() == Some(name) => Some(used),
                    _ => None,
                });
                let authorization = credentials.iter().find_map(|credential| match credential {
                    Credential::Header(name, used) if *name == AUTHORIZATION => Some(used),
                    _ => None,
                });
                if let Some(used) = session {
                    if Box::pin(self.relogon_after_401(used)).await {
                        tracing::debug!("session refused; logged on again, retrying once");
                        retried = true;
                        continue;
                    }
                } else if let Some(used) = authorization {
                    if Box::pin(self.refresh_after_401::<E>(request.operation, used)).await? {
                        tracing::debug!("access token refused; refreshed it, retrying once");
                        retried = true;
                        continue;
                    }
                }
            }
            return Ok(response);
        }
    }

    /// How long to wait before trying the call again, if it is tried again: an idempotent call
    /// whose connection failed or timed out, or that the server answered 429, 502, 503 or 504
    /// (`retry.rs`).
    fn retry_wait<E>(
        &self,
        request: &Request,
        outcome: &Result<reqwest::Response, Error<E>>,
        attempt: u32,
        started: Instant,
    ) -> Option<Duration> {
        if !request.idempotent && !super::retry::idempotent(&request.method) {
            return None;
        }
        let (asked, cost) = match outcome {
            Err(Error::Timeout(_)) => (None, super::retry::TIMEOUT_RETRY_COST),
            Err(Error::Connect(_) | Error::Transport(_)) => (None, super::retry::RETRY_COST),
            Ok(response) if super::retry::retryable_status(response.status()) => {
                let asked = super::retry::retry_after(response.headers(), std::time::SystemTime::now());
                (asked, super::retry::RETRY_COST)
            }
            Ok(response) => {
                if attempt == 1 && response.status().is_success() {
                    self.inner.retry_budget.give_back();
                }
                return None;
            }
            Err(_) => return None,
        };
        let wait = self.inner.retry.wait(attempt, started.elapsed(), asked)?;
        if !self.inner.retry_budget.draw(cost) {
            tracing::debug!(attempt, "the client's retry budget is spent: not trying again");
            return None;
        }
        Some(wait)
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
        let base = url.path().trim_end_matches('/');
        let mut joined = String::with_capacity(base.len() + path.len());
        joined.push_str(base);
        joined.push_str(path);
        url.set_path(&joined);
        url
    }

    /// The request to `url` with its headers, and its body when it is in memory. Assembled in
    /// place: each of `RequestBuilder`'s methods moves the whole request.
    fn outgoing<E>(
        &self,
        request: &Request,
        mut url: reqwest::Url,
        credentials: &[Credential],
    ) -> Result<reqwest::Request, Error<E>> {
        let operation = request.operation;
        // API keys in the query go last.
        let keys: Vec<(&str, &str)> = credentials
            .iter()
            .filter_map(|credential| match credential {
                Credential::Query(name, key) => Some((*name, key.expose())),
                _ => None,
            })
            .collect();
        let key = serde_urlencoded::to_string(&keys).map_err(|_| unusable_credential(operation))?;
        if !request.query.is_empty() || !key.is_empty() {
            // Written as the request encoded it (a list's delimiter as its style says), after any
            // query the base URL has.
            let query = [url.query().unwrap_or_default(), request.query.as_str(), key.as_str()]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join("&");
            url.set_query(Some(&query));
        }
        let mut outgoing = reqwest::Request::new(request.method.clone(), url);
        let headers = outgoing.headers_mut();
        headers.reserve(self.inner.headers.len() + request.headers.len() + 3);
        for (name, value) in &self.inner.headers {
            headers.append(name, value.clone());
        }
        let accept = match request.accept {
            None => HeaderValue::from_static(self.inner.format.media_type()),
            Some(accept) => HeaderValue::from_str(accept).map_err(|_| invalid_header(operation, ACCEPT.as_str()))?,
        };
        headers.append(ACCEPT, accept);
        let mut cookies: Vec<String> = Vec::new();
        for credential in credentials {
            match credential {
                Credential::Header(name, value) => {
                    headers.append(name.clone(), value.clone());
                }
                Credential::Cookie(name, key) => cookies.push(format!("{name}={}", key.expose())),
                Credential::Query(..) => {}
            }
        }
        if !cookies.is_empty() {
            headers.append(reqwest::header::COOKIE, sensitive_value(operation, cookies.join("; ").as_bytes())?);
        }
        if let Some((username, password)) = &request.basic {
            headers.append(AUTHORIZATION, sensitive_value(operation, basic_header(username, password).as_bytes())?);
        }
        // An operation's own header replaces the client's header of that name (an API-wide
        // `x-api-version` that one operation sends differently); repeated ones are all sent.
        if !request.headers.is_empty() {
            let mut own = Vec::with_capacity(request.headers.len());
            for (name, value) in &request.headers {
                let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid_header(operation, name))?;
                let value = HeaderValue::from_str(value).map_err(|_| invalid_header(operation, name.as_str()))?;
                headers.remove(&name);
                own.push((name, value));
            }
            for (name, value) in own {
                headers.append(name, value);
            }
        }
        if let Some(Body::Bytes { bytes, content_type }) = &request.body {
            let content_type =
                HeaderValue::from_str(content_type).map_err(|_| invalid_header(operation, CONTENT_TYPE.as_str()))?;
            headers.append(CONTENT_TYPE, content_type);
            *outgoing.body_mut() = Some(bytes.clone().into());
        }
        Ok(outgoing)
    }

    /// Sends `outgoing` with the request's file or multipart body, opened now (every attempt
    /// reads the files afresh).
    async fn send_streamed<E>(
        &self,
        request: &Request,
        outgoing: reqwest::Request,
    ) -> Result<reqwest::Response, Error<E>> {
        let operation = request.operation;
        let builder = reqwest::RequestBuilder::from_parts(self.inner.http.clone(), outgoing);
        let builder = match &request.body {
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

    /// Reads the body of `raw` within the limits, chunk by chunk, refusing it as soon as it is
    /// known to exceed the limit. (Not an `async fn`, which would hold `raw` twice.)
    #[expect(clippy::manual_async_fn, reason = "an `async fn` would hold its arguments twice")]
    fn read<'a, E: 'a>(
        &'a self,
        request: &'a Request,
        mut raw: reqwest::Response,
    ) -> impl Future<Output = Result<Response, Error<E>>> + Send + 'a {
        async move {
            let limit = self.inner.limits.max_body_bytes;
            let too_large = || Error::TooLarge(TooLargeError::new(request.operation, limit));
            let announced = raw.content_length();
            if announced.is_some_and(|length| length > limit) {
                return Err(too_large());
            }
            // A body that arrives in one chunk (most do) is kept as it is, without a copy. One
            // `await` in the loop: the future every call moves holds one chunk future, not three.
            let (mut first, mut joined): (Option<Bytes>, Option<BytesMut>) = (None, None);
            let mut length = 0u64;
            while let Some(chunk) = raw.chunk().await.map_err(|e| transport_error(request.operation, e))? {
                length += chunk.len() as u64;
                if length > limit {
                    return Err(too_large());
                }
                match (joined.as_mut(), first.take()) {
                    (Some(joined), _) => joined.extend_from_slice(&chunk),
                    (None, None) => first = Some(chunk),
                    (None, Some(previous)) => {
                        let capacity = announced.and_then(|length| usize::try_from(length).ok()).unwrap_or(0);
                        let mut all = BytesMut::with_capacity(capacity.max(previous.len() + chunk.len()));
                        all.extend_from_slice(&previous);
                        all.extend_from_slice(&chunk);
                        joined = Some(all);
                    }
                }
            }
            Ok(Response {
                operation: request.operation,
                status: raw.status(),
                headers: std::mem::take(raw.headers_mut()),
                body: joined.map_or_else(|| first.unwrap_or_default(), BytesMut::freeze),
                format: self.inner.format,
                max_depth: self.inner.limits.max_depth,
                sensitive: request.sensitive_response,
                secrets: match request.sensitive_response && request.secrets_known {
                    true => Some(request.secrets.clone()),
                    false => None,
                },
                error_bodies: request.error_bodies,
            })
        }
    }
}

/// A credential header, its value marked sensitive (never shown by `Debug`).
fn sensitive<E>(operation: &'static str, name: HeaderName, value: &[u8]) -> Result<Credential, Error<E>> {
    Ok(Credential::Header(name, sensitive_value(operation, value)?))
}

/// A credential header value, marked sensitive.
fn sensitive_value<E>(operation: &'static str, value: &[u8]) -> Result<HeaderValue, Error<E>> {
    let mut value = HeaderValue::from_bytes(value).map_err(|_| unusable_credential(operation))?;
    value.set_sensitive(true);
    Ok(value)
}

/// The `Authorization` header of bearer tokens.
fn bearer_credential<E>(operation: &'static str, bearer: &Bearer) -> Result<Credential, Error<E>> {
    match &bearer.header {
        Some(value) => Ok(Credential::Header(AUTHORIZATION, value.clone())),
        None => Err(unusable_credential(operation)),
    }
}

fn unusable_credential<E>(operation: &'static str) -> Error<E> {
    Error::Auth(AuthError::new(operation, "the credential is not a valid header value"))
}

/// A request header that cannot be sent: the name, never the value (it may be a secret).
fn invalid_header<E>(operation: &'static str, name: &str) -> Error<E> {
    Error::Encode(super::error::EncodeError::new(operation, format!("the `{name}` header is not a valid header")))
}

/// How an error names a scheme the caller must set.
fn describe(scheme: Scheme) -> String {
    match scheme {
        Scheme::Bearer => "a bearer token (`log_in`)".to_owned(),
        Scheme::Session => "a session (`log_in`)".to_owned(),
        Scheme::ApiKey(name) => format!("`{name}` (`set_{name}`)"),
        Scheme::Basic => "HTTP Basic credentials (`set_credentials`)".to_owned(),
    }
}
