//! Credentials: secrets that print as `***`, bearer tokens and their expiry, and the state a
//! transport keeps for its scheme.

use std::fmt;
use std::sync::RwLock;
use std::time::{Duration, Instant};

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

/// What a transport holds for its scheme.
pub(super) enum AuthState {
    None,
    /// The lock also serialises refreshes: concurrent calls wait for one refresh.
    Bearer(tokio::sync::Mutex<Option<Tokens>>),
    /// A session id or an API key, sent in the scheme's header.
    Secret(RwLock<Option<Secret>>),
    Basic(RwLock<Option<(String, Secret)>>),
}

impl AuthState {
    pub(super) fn secret(&self) -> Option<Secret> {
        match self {
            AuthState::Secret(state) => state.read().ok().and_then(|s| s.clone()),
            _ => None,
        }
    }

    pub(super) fn set_secret(&self, secret: Option<Secret>) {
        if let AuthState::Secret(state) = self {
            if let Ok(mut slot) = state.write() {
                *slot = secret;
            }
        }
    }

    pub(super) fn basic(&self) -> Option<(String, Secret)> {
        match self {
            AuthState::Basic(state) => state.read().ok().and_then(|c| c.clone()),
            _ => None,
        }
    }

    pub(super) fn set_basic(&self, credentials: Option<(String, Secret)>) {
        if let AuthState::Basic(state) = self {
            if let Ok(mut slot) = state.write() {
                *slot = credentials;
            }
        }
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
        let state = AuthState::Secret(RwLock::new(None));
        assert!(state.secret().is_none());
        state.set_secret(Some(Secret::new("session")));
        assert_eq!(state.secret().map(|s| s.0), Some("session".to_owned()));
        state.set_secret(None);
        assert!(state.secret().is_none());
        let basic = AuthState::Basic(RwLock::new(None));
        basic.set_basic(Some(("admin".into(), Secret::new("pw"))));
        let (user, password) = basic.basic().unwrap();
        assert_eq!(basic_header(&user, &password), "Basic YWRtaW46cHc=");
        // Other schemes hold nothing.
        assert!(AuthState::None.secret().is_none() && AuthState::None.basic().is_none());
    }
}
