//! Phase 2: the authentication scheme and the operations it names. Whether those operations
//! have the shape the client needs is a whole-API rule (phase 3).

use super::tables::Tables;
use super::Resolver;
use crate::diagnostics::did_you_mean;
use crate::ir::{self, OperationId};
use crate::load::ast;

/// The schemes, with their operations found by name.
#[derive(Default)]
pub(super) struct AuthPlan {
    pub bearer: Option<BearerPlan>,
    pub session: Option<SessionPlan>,
    pub api_keys: Vec<ir::ApiKey>,
    pub basic: bool,
}

pub(super) struct BearerPlan {
    pub token: Option<OperationId>,
    pub logout: Option<OperationId>,
    pub client_credentials: Option<ir::ClientCredentials>,
    pub authorization_code: bool,
}

pub(super) struct SessionPlan {
    pub header: String,
    pub logon: OperationId,
    pub logout: Option<OperationId>,
    /// The logon response's field naming the session in the logout path.
    pub logout_id: Option<String>,
}

impl Resolver<'_> {
    pub(super) fn auth(&mut self, file: usize, auth: Option<&ast::Auth>, tables: &Tables) -> AuthPlan {
        let Some(auth) = auth else { return AuthPlan::default() };
        let given = [
            auth.bearer.is_some(),
            auth.session.is_some(),
            auth.basic.is_some(),
            auth.api_key.is_some() || !auth.api_keys.is_empty(),
        ];
        let count = given.iter().filter(|g| **g).count();
        if count == 0 {
            let message = "give an authentication scheme: `bearer`, `session`, `basic`, `api_key` or `api_keys` (or leave `auth` out)";
            self.error(file, "api.auth", message);
            return AuthPlan::default();
        }
        if auth.session.is_some() && count > 1 {
            let message = "a `session` scheme stands alone: the session id is the credential of every call";
            self.error(file, "api.auth.session", message);
        }
        let mut plan = AuthPlan { basic: auth.basic.is_some(), ..AuthPlan::default() };
        if let Some(api_key) = &auth.api_key {
            if !auth.api_keys.is_empty() {
                let message = "`api_key` is one key named `api_key`: give it in `api_keys` beside the others";
                self.error(file, "api.auth.api_key", message);
            }
            plan.api_keys.extend(self.api_key(file, "api.auth.api_key", "api_key", api_key));
        }
        for (name, api_key) in &auth.api_keys {
            let path = format!("api.auth.api_keys.{name}");
            if let Some(problem) = key_name_problem(name) {
                self.error(file, &path, format!("`{}` {problem}", name.escape_debug()));
                continue;
            }
            plan.api_keys.extend(self.api_key(file, &path, name, api_key));
        }
        if let Some(bearer) = &auth.bearer {
            let token =
                bearer.token_operation.as_deref().and_then(|id| self.named(file, "bearer.token_operation", id, tables));
            let logout = bearer
                .logout_operation
                .as_deref()
                .and_then(|id| self.named(file, "bearer.logout_operation", id, tables));
            let client_credentials = bearer.client_credentials.as_ref().map(|cc| self.client_credentials(file, cc));
            if bearer.authorization_code && bearer.token_operation.is_none() {
                let message = "the authorization-code grant is sent to the `token_operation`: name it";
                self.error(file, "api.auth.bearer.authorization_code", message);
            }
            let authorization_code = bearer.authorization_code;
            plan.bearer = Some(BearerPlan { token, logout, client_credentials, authorization_code });
        }
        if let Some(session) = &auth.session {
            self.header_name(file, "api.auth.session.header", &session.header);
            let logon = self.named(file, "session.logon_operation", &session.logon_operation, tables);
            let logout = session
                .logout_operation
                .as_deref()
                .and_then(|id| self.named(file, "session.logout_operation", id, tables));
            if let Some(logon) = logon {
                plan.session = Some(SessionPlan {
                    header: session.header.clone(),
                    logon,
                    logout,
                    logout_id: session.logout_id.clone(),
                });
            }
        }
        plan
    }

    /// An API key: exactly one of `header`, `query` and `cookie`, with a name that can be sent.
    fn api_key(&mut self, file: usize, at: &str, key: &str, api_key: &ast::ApiKeyAuth) -> Option<ir::ApiKey> {
        let places = [("header", &api_key.header), ("query", &api_key.query), ("cookie", &api_key.cookie)];
        let given: Vec<(&str, &String)> =
            places.into_iter().filter_map(|(place, name)| name.as_ref().map(|name| (place, name))).collect();
        let [(place, name)] = given.as_slice() else {
            let message = "give exactly one of `header`, `query` and `cookie`: where the key is sent";
            self.error(file, at, message);
            return None;
        };
        let path = format!("{at}.{place}");
        let name = (*name).clone();
        let place = match *place {
            "header" => {
                self.header_name(file, &path, &name);
                ir::ApiKeyPlace::Header(name)
            }
            place => {
                // A cookie name is an HTTP token; a query name is encoded, so any visible text.
                let valid = match place {
                    "cookie" => super::is_token(&name),
                    _ => !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic()),
                };
                if !valid {
                    self.error(file, &path, format!("`{}` is not a valid {place} name", name.escape_debug()));
                }
                if place == "cookie" {
                    ir::ApiKeyPlace::Cookie(name)
                } else {
                    ir::ApiKeyPlace::Query(name)
                }
            }
        };
        Some(ir::ApiKey { name: key.to_owned(), place })
    }

    fn client_credentials(&mut self, file: usize, spec: &ast::ClientCredentials) -> ir::ClientCredentials {
        let path = "api.auth.bearer.client_credentials";
        let url = spec.token_url.as_str();
        if !is_token_url(url) {
            let message = format!(
                "`{}` is not a token endpoint: an absolute `https://` URL or a path below the base URL (`/oauth/token`)",
                url.escape_debug()
            );
            self.error(file, &format!("{path}.token_url"), message);
        }
        for (index, scope) in spec.scopes.iter().enumerate() {
            if !is_scope(scope) {
                let message = format!("`{}` is not a scope (visible ASCII, no spaces)", scope.escape_debug());
                self.error(file, &format!("{path}.scopes[{index}]"), message);
            }
        }
        ir::ClientCredentials { token_url: spec.token_url.clone(), scopes: spec.scopes.clone() }
    }

    /// The operation `id` named at `api.auth.<key>`.
    fn named(&mut self, file: usize, key: &str, id: &str, tables: &Tables) -> Option<OperationId> {
        match tables.operation_ids.get(id) {
            Some(found) => Some(*found),
            None if tables.is_silenced(id) || self.ast.incomplete => None,
            None => {
                let hint = did_you_mean(id, tables.operation_ids.keys().map(String::as_str));
                self.error(
                    file,
                    &format!("api.auth.{key}"),
                    format!("unknown operation `{}`{hint}", id.escape_debug()),
                );
                None
            }
        }
    }
}

/// A token endpoint: an absolute `http(s)://` URL with a host, or a path below the base URL;
/// visible ASCII.
pub fn is_token_url(url: &str) -> bool {
    let absolute = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let shape = match absolute {
        Some(rest) => !rest.is_empty() && !rest.starts_with('/'),
        None => url.starts_with('/'),
    };
    shape && url.bytes().all(|b| b.is_ascii_graphic())
}

/// An OAuth2 scope token (RFC 6749 section 3.3): visible ASCII without `"` or `\\`.
pub fn is_scope(scope: &str) -> bool {
    !scope.is_empty() && scope.bytes().all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
}

/// Why a key's name cannot be one: it names the client's setter (`set_<name>`) and the key in an
/// operation's `schemes`, so it is `snake_case`, not another scheme's name, and not a setter the
/// client already has.
pub fn key_name_problem(name: &str) -> Option<&'static str> {
    let snake = name.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !name.ends_with('_')
        && !name.contains("__");
    if !snake {
        return Some("is not a key name: `snake_case`, such as `app_token`");
    }
    if matches!(name, "bearer" | "session" | "basic") {
        return Some("is a scheme's name: name the key after what it is, such as `app_token`");
    }
    if matches!(name, "tokens" | "session_id" | "credentials") {
        return Some("would give its setter the name of a method the client has (`set_tokens`, `set_session_id`, `set_credentials`)");
    }
    None
}
