//! Credentials: secrets that print as `***`, bearer tokens and their expiry, and the state a
//! transport keeps for its scheme.

use std::collections::HashMap;
use std::fmt;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;

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

impl Tokens {
    /// Tokens valid for `expires_in` from now, if given. A lifetime too long to represent is
    /// taken as no expiry (whatever a server sends, it never panics).
    pub fn new(access: Secret, refresh: Option<Secret>, expires_in: Option<Duration>) -> Self {
        let expires_at = expires_in.and_then(|duration| Instant::now().checked_add(duration));
        Tokens { access, refresh, expires_at }
    }

    /// Whether the access token expires within `margin`.
    pub(super) fn expires_within(&self, margin: Duration) -> bool {
        self.expires_at.is_some_and(|at| Instant::now().checked_add(margin).is_none_or(|soon| soon >= at))
    }
}

/// The standard members of an OAuth2 token response.
#[derive(serde::Deserialize)]
pub(super) struct TokenResponse {
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub expires_in: Option<u64>,
}

impl TokenResponse {
    pub(super) fn into_tokens(self) -> Tokens {
        Tokens::new(Secret(self.access_token), self.refresh_token.map(Secret), self.expires_in.map(Duration::from_secs))
    }
}

/// Bearer tokens and the `Authorization` value made from them once, not on every call.
pub(super) struct Bearer {
    pub tokens: Tokens,
    /// `Bearer <access token>`, marked sensitive; `None` when the token cannot be a header value
    /// (the calls that would send it fail).
    pub header: Option<HeaderValue>,
}

impl Bearer {
    pub(super) fn new(tokens: Tokens) -> Self {
        let header = HeaderValue::try_from(format!("Bearer {}", tokens.access.expose())).ok().map(|mut value| {
            value.set_sensitive(true);
            value
        });
        Bearer { tokens, header }
    }
}

/// The credentials a transport holds, for each scheme its API offers.
#[derive(Default)]
pub(super) struct AuthState {
    /// The lock also serialises refreshes: concurrent calls wait for one refresh.
    pub bearer: tokio::sync::Mutex<Option<Bearer>>,
    /// Client id and secret of the OAuth2 client-credentials grant.
    pub client: RwLock<Option<(String, Secret)>>,
    /// A session id (session schemes).
    pub session: RwLock<Option<Secret>>,
    /// What names the session in the logout call, when not the session id itself.
    pub logout_id: RwLock<Option<Secret>>,
    /// The API keys set, by name.
    pub api_keys: RwLock<HashMap<&'static str, Secret>>,
    pub basic: RwLock<Option<(String, Secret)>>,
    /// The credentials of the last logon and the generated call that logs on again with them
    /// (session schemes), for a session the server has expired.
    pub logon: RwLock<Option<(String, Secret, Relogon)>>,
    /// Serialises logging on again: concurrent calls refused together log on once.
    pub relogon: tokio::sync::Mutex<()>,
}

/// Logs on again with the kept credentials (generated per API): whether it worked.
pub type Relogon =
    fn(super::Transport, String, Secret) -> std::pin::Pin<Box<dyn std::future::Future<Output = bool> + Send>>;

/// Reads a slot (a poisoned lock reads as empty: a panic elsewhere never leaks into calls).
pub(super) fn read<T: Clone>(slot: &RwLock<Option<T>>) -> Option<T> {
    slot.read().ok().and_then(|value| value.clone())
}

/// Whether a slot holds a value (without cloning it).
pub(super) fn holds<T>(slot: &RwLock<Option<T>>) -> bool {
    slot.read().is_ok_and(|value| value.is_some())
}

/// Writes a slot.
pub(super) fn write<T>(slot: &RwLock<Option<T>>, value: Option<T>) {
    if let Ok(mut current) = slot.write() {
        *current = value;
    }
}

/// `Basic <base64(user:password)>`.
pub(super) fn basic_header(username: &str, password: &Secret) -> String {
    use base64::Engine as _;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{username}:{}", password.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "***");
        let tokens = Tokens::new(Secret::new("access-9"), Some(Secret::new("refresh-9")), None);
        let debug = format!("{tokens:?}");
        assert!(!debug.contains("access-9") && !debug.contains("refresh-9"), "{debug}");
    }

    #[test]
    fn a_huge_lifetime_is_no_expiry_and_never_panics() {
        let tokens = Tokens::new(Secret::new("a"), None, Some(Duration::from_secs(u64::MAX)));
        assert!(tokens.expires_at.is_none());
        assert!(!tokens.expires_within(Duration::from_secs(30)));
        let soon = Tokens::new(Secret::new("a"), None, Some(Duration::from_secs(10)));
        assert!(soon.expires_within(Duration::from_secs(30)));
        assert!(!soon.expires_within(Duration::ZERO));
    }

    #[test]
    fn credential_storage() {
        let state = AuthState::default();
        assert!(read(&state.session).is_none());
        write(&state.session, Some(Secret::new("session")));
        assert_eq!(read(&state.session).map(|s| s.0), Some("session".to_owned()));
        write(&state.session, None);
        assert!(read(&state.session).is_none());
        write(&state.basic, Some(("admin".into(), Secret::new("pw"))));
        let (user, password) = read(&state.basic).unwrap();
        assert_eq!(basic_header(&user, &password), "Basic YWRtaW46cHc=");
    }
}
