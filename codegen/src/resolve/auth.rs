//! Phase 2: the authentication scheme and the operations it names. Whether those operations
//! have the shape the client needs is a whole-API rule (phase 3).

use super::tables::Tables;
use super::Resolver;
use crate::diagnostics::did_you_mean;
use crate::ir::OperationId;
use crate::load::ast;

/// The scheme, with its operations found by name.
pub(super) enum AuthPlan {
    None,
    Bearer { token: Option<OperationId>, logout: Option<OperationId> },
    Session { header: String, logon: OperationId, logout: Option<OperationId> },
    Basic,
    ApiKey { header: String },
}

impl Resolver<'_> {
    pub(super) fn auth(&mut self, file: usize, auth: Option<&ast::Auth>, tables: &Tables) -> AuthPlan {
        let Some(auth) = auth else { return AuthPlan::None };
        let given = [auth.bearer.is_some(), auth.session.is_some(), auth.basic.is_some(), auth.api_key.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            let message = "give exactly one authentication scheme: `bearer`, `session`, `basic` or `api_key`";
            self.error(file, "api.auth", message);
            return AuthPlan::None;
        }
        if auth.basic.is_some() {
            return AuthPlan::Basic;
        }
        if let Some(api_key) = &auth.api_key {
            self.header_name(file, "api.auth.api_key.header", &api_key.header);
            return AuthPlan::ApiKey { header: api_key.header.clone() };
        }
        if let Some(bearer) = &auth.bearer {
            let token =
                bearer.token_operation.as_deref().and_then(|id| self.named(file, "bearer.token_operation", id, tables));
            let logout = bearer
                .logout_operation
                .as_deref()
                .and_then(|id| self.named(file, "bearer.logout_operation", id, tables));
            return AuthPlan::Bearer { token, logout };
        }
        let Some(session) = &auth.session else { return AuthPlan::None };
        self.header_name(file, "api.auth.session.header", &session.header);
        let logon = self.named(file, "session.logon_operation", &session.logon_operation, tables);
        let logout =
            session.logout_operation.as_deref().and_then(|id| self.named(file, "session.logout_operation", id, tables));
        match logon {
            Some(logon) => AuthPlan::Session { header: session.header.clone(), logon, logout },
            None => AuthPlan::None,
        }
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
