//! Configuration: `Client::builder("https://host").timeout(...).build()`.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::auth::AuthState;
use super::transport::{Inner, Transport};
use super::{ApiInfo, Format, Limits};

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
    limits: Limits,
    retry: super::RetryConfig,
    client: std::marker::PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api", &self.info.name)
            .field("base_url", &redact_url(&self.base_url))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .field("format", &self.format)
            .field("limits", &self.limits)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// A client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL. The URL is shown with anything
    /// between `://` and `@` (credentials) replaced by `***`.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL as given, credentials redacted.
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
    #[error("cannot build the HTTP client")]
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
            limits: Limits::default(),
            retry: super::RetryConfig::standard(),
            client: std::marker::PhantomData,
        }
    }

    /// Total time allowed for one request, response body included (default 60 s; `None` for none).
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// When calls are tried again: connection failures, timeouts and 429, 502, 503, 504 answers
    /// of idempotent calls, with jittered backoff ([`RetryConfig::standard`] by default;
    /// [`RetryConfig::disabled`] tries every call once).
    ///
    /// [`RetryConfig::standard`]: super::RetryConfig::standard
    /// [`RetryConfig::disabled`]: super::RetryConfig::disabled
    pub fn retry(mut self, retry: super::RetryConfig) -> Self {
        self.retry = retry;
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
    /// certificate setting and the user agent of this builder are then not applied. Call
    /// [`install_tls_provider`] before building it.
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

    /// The largest response body read, in bytes (default 64 MiB). A larger body is refused
    /// ([`super::TooLargeError`]) as soon as it is known to be larger, without reading the rest.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.limits.max_body_bytes = bytes;
        self
    }

    /// The deepest nesting of elements decoded from an XML response (default 128). JSON
    /// responses stop at serde_json's own limit of 128.
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.limits.max_depth = depth;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<C, BuildError> {
        let info = self.info;
        let base = base_url(&self.base_url, info.base_path, info.default_port)?;
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
                install_tls_provider();
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
        let auth = AuthState::default();
        let limits = self.limits;
        // Parsed once here, not on every call (a name that does not parse fails the calls that
        // would send it).
        let credential_header = |name: Option<&str>| name.and_then(|name| HeaderName::from_bytes(name.as_bytes()).ok());
        let session_header = credential_header(info.auth.session_header);
        let api_key_headers = info
            .auth
            .api_keys
            .iter()
            .filter_map(|key| match key.place {
                super::ApiKeyIn::Header(name) => Some((key.name, credential_header(Some(name))?)),
                _ => None,
            })
            .collect();
        let offered = offered(&info.auth);
        let retry = self.retry;
        let retry_budget = super::retry::RetryBudget::new(retry.budget());
        let inner = Inner {
            http,
            base,
            info,
            format,
            headers,
            session_header,
            api_key_headers,
            offered,
            auth,
            limits,
            retry,
            retry_budget,
        };
        Ok(C::from(Transport::new(inner)))
    }
}

/// With `tls-ring` alone, reqwest takes the process's default rustls provider: ring, unless the
/// program installed another one first (which is then kept). Building a client does this; a
/// program that builds its own `reqwest::Client` for [`ClientBuilder::http_client`] calls it
/// first (reqwest panics without a provider).
pub fn install_tls_provider() {
    #[cfg(all(feature = "tls-ring", not(feature = "tls-aws-lc")))]
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(not(any(feature = "tls-ring", feature = "tls-aws-lc")))]
compile_error!("veeam-runtime needs a TLS backend: the feature `tls-ring` (default) or `tls-aws-lc`");

/// `raw` with anything between `://` and the last `@` of the authority replaced by `***`.
fn redact_url(raw: &str) -> String {
    let Some((scheme, rest)) = raw.split_once("://") else {
        // No authority to find: keep only what cannot be a credential.
        return if raw.contains('@') { "***".to_owned() } else { raw.to_owned() };
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{scheme}://***{}", &rest[at..]),
        None => raw.to_owned(),
    }
}

/// `https://host` + default port + base path, checked. Credentials in the URL are refused: the
/// client has its own ways to log in, and a URL is printed in too many places.
pub(super) fn base_url(raw: &str, base_path: &str, default_port: Option<u16>) -> Result<reqwest::Url, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidUrl { url: redact_url(raw), reason: reason.to_owned() };
    let mut url = reqwest::Url::parse(raw).map_err(|e| invalid(&e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials do not belong in the URL: log in with the client instead"));
    }
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
    let has_port = match authority.rfind(']') {
        Some(end) => authority[end..].contains(':'),
        None => authority.contains(':'),
    };
    if !has_port {
        if let Some(port) = default_port {
            url.set_port(Some(port)).map_err(|()| invalid("cannot set the port"))?;
        }
    }
    // The base path is added unless the URL's path already ends with it, segment by segment.
    let path = url.path().trim_end_matches('/').to_owned();
    let base_path = base_path.trim_end_matches('/');
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let base_segments: Vec<&str> = base_path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.ends_with(&base_segments) {
        url.set_path(&path);
    } else {
        url.set_path(&format!("{path}{base_path}"));
    }
    Ok(url)
}

/// Each of the API's schemes alone, in the order a call tries them when its operation names
/// none: bearer, session, the API keys in order, Basic.
fn offered(auth: &super::AuthInfo) -> Vec<super::Scheme> {
    use super::Scheme;
    let mut offered = Vec::new();
    offered.extend(auth.bearer.as_ref().map(|_| Scheme::Bearer));
    offered.extend(auth.session_header.map(|_| Scheme::Session));
    offered.extend(auth.api_keys.iter().map(|key| Scheme::ApiKey(key.name)));
    offered.extend(auth.basic.then_some(Scheme::Basic));
    offered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(raw: &str, base_path: &str, port: Option<u16>) -> String {
        base_url(raw, base_path, port).map(|u| u.to_string()).unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn base_url_joining() {
        assert_eq!(joined("https://h", "/api/v1", Some(11005)), "https://h:11005/api/v1");
        assert_eq!(joined("https://h:443", "/api/v1", Some(11005)), "https://h/api/v1");
        assert_eq!(joined("https://h/api/v1/", "/api/v1", Some(11005)), "https://h:11005/api/v1");
        assert_eq!(joined("http://[::1]:8080", "/api", Some(9398)), "http://[::1]:8080/api");
        assert_eq!(joined("http://[::1]", "/api", Some(9398)), "http://[::1]:9398/api");
        // A path that merely ends in the same letters is not the base path.
        assert_eq!(joined("https://h:1/myapi", "/api", None), "https://h:1/myapi/api");
        assert_eq!(joined("https://h:1/proxy/api", "/api", None), "https://h:1/proxy/api");
        assert_eq!(joined("https://h:1/proxy/", "/", None), "https://h:1/proxy");
        assert_eq!(joined("https://h:1", "", None), "https://h:1/");
    }

    #[test]
    fn invalid_urls_never_show_credentials() {
        for raw in [
            "https://admin:pw@host",
            "https://admin:pw@host:notaport",
            "ftp://admin:pw@host",
            "https://admin:pw@",
            "admin:pw@host",
        ] {
            let error = base_url(raw, "/api", None).unwrap_err();
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("pw") && !shown.contains("admin"), "{raw}: {shown}");
        }
        assert!(base_url("https://host?x=1", "/api", None).is_err());
        assert!(base_url("https://host#f", "/api", None).is_err());
        assert!(base_url("mailto:a@b", "/api", None).is_err());
    }

    #[test]
    fn redaction() {
        assert_eq!(redact_url("https://u:p@h/x@y"), "https://***@h/x@y");
        assert_eq!(redact_url("https://h/x@y"), "https://h/x@y");
        assert_eq!(redact_url("u:p@h"), "***");
    }
}
