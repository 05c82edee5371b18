//! Phase 3: rules of the client as a whole, on fully resolved operations: the names it already
//! has, one error body type, XML bodies that are documents, the shape of the authentication
//! operations.
//!
//! Every identifier the emitters write is decided in the IR; this is where the ones that share a
//! namespace with generated names are checked or made unique:
//! - client methods: an operation may not take a name the client has ([`CLIENT_METHODS`]);
//! - request builders: a parameter named like a member the builder has ([`BUILDER_MEMBERS`])
//!   gets the suffix `_param`, since the wire name is the API's, not the spec author's;
//! - models: an object's `<Type>Required` struct may not be another schema's type;
//! - std and prelude names: generated code writes them as full paths (`::std::vec::Vec`), so a
//!   schema named `Vec` or `Option` shadows nothing.

use super::auth::AuthPlan;
use super::settings::Settings;
use super::tables::Tables;
use super::Resolver;
use crate::diagnostics::did_you_mean;
use crate::ir::{self, BodyFormat, Format, Ident, OperationId};

/// Methods every generated client has, whatever its authentication, those of the traits it
/// implements (`Clone`, `Debug`), those every type has that take `self` by value (`into`,
/// `try_into`: they would win over a `&self` method of that name at the call site), and `new`
/// (which Rust readers take for a constructor): an operation cannot take these names (they stay
/// reserved when the scheme changes, so code never silently changes meaning).
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "clone",
    "clone_from",
    "fmt",
    "into",
    "try_into",
    "transport",
    "log_in",
    "log_in_client_credentials",
    "log_in_authorization_code",
    "log_out",
    "set_tokens",
    "set_session_id",
    "session_id",
    "set_credentials",
    "set_api_key",
    "wait_for_task",
    "wait_for_task_with",
    "wait_for_task_id",
    "wait_for_task_id_with",
];

/// Fields and methods of every request builder besides the parameters' own.
pub const BUILDER_MEMBERS: &[&str] =
    &["client", "body", "send", "into_future", "build", "stream", "accept", "send_with_response", "read_response"];

impl Resolver<'_> {
    /// The `<Type>Required` structs of objects with several required fields share the models
    /// module with the schemas' types.
    pub(super) fn required_structs(&mut self, schemas: &[ir::Schema], tables: &Tables) {
        let types: std::collections::HashMap<&str, &str> =
            schemas.iter().map(|s| (s.rust_name.as_str(), s.name.as_str())).collect();
        for (index, schema) in schemas.iter().enumerate() {
            let ir::SchemaKind::Object(ir::Object { required: Some(required), .. }) = &schema.kind else { continue };
            if let Some(other) = types.get(required.as_str()) {
                let located = tables.schemas[index].located;
                let message = format!(
                    "schema `{}` takes its required fields in the struct `{required}`, which is also the type of schema `{other}`; rename one of them",
                    schema.name
                );
                self.error(located.file, &located.path, message);
            }
        }
    }

    pub(super) fn rules(
        &mut self,
        settings: &Settings,
        plan: AuthPlan,
        schemas: &[ir::Schema],
        operations: &mut [ir::Operation],
        tables: &Tables,
    ) -> (ir::Auth, Vec<ir::ErrorBody>, Vec<usize>) {
        let place = |id: OperationId| {
            let located = tables.operations[id.0].located;
            (located.file, located.path.clone())
        };
        for (index, operation) in operations.iter_mut().enumerate() {
            let (file, path) = place(OperationId(index));
            self.builder_names(file, &path, operation);
            let secret =
                |ty: &ir::Type| super::types::innermost_schema(ty).is_some_and(|id| schemas[id.0].holds_secret);
            operation.sensitive_response = operation
                .responses
                .iter()
                .any(|r| r.ty.as_ref().is_some_and(secret) || r.headers.iter().any(|h| h.sensitive))
                || operation.errors.iter().any(|e| e.ty.as_ref().is_some_and(secret));
            operation.sends_secrets = operation.request.as_ref().is_some_and(|body| secret(&body.ty))
                || operation.parameters.iter().any(|p| p.sensitive || secret(&p.ty));
        }
        // Response enums share the `requests` module with the builders.
        let builders: std::collections::HashMap<&str, &str> =
            operations.iter().map(|o| (o.builder.as_str(), o.id.as_str())).collect();
        for (index, operation) in operations.iter().enumerate() {
            if let ir::Output::ByStatus(status_enum) = &operation.output {
                if let Some(other) = builders.get(status_enum.name.as_str()) {
                    let (file, path) = place(OperationId(index));
                    let message = format!(
                        "operation `{}` returns `requests::{}` (its success bodies differ), which is also the request builder of `{other}`",
                        operation.id, status_enum.name
                    );
                    self.error(file, &format!("{path}.responses"), message);
                }
            }
        }
        // So do the media type enums of operations that may ask for one of several (`<builder>MediaType`).
        let status_enums: std::collections::HashMap<&str, &str> = operations
            .iter()
            .filter_map(|o| match &o.output {
                ir::Output::ByStatus(status_enum) => Some((status_enum.name.as_str(), o.id.as_str())),
                _ => None,
            })
            .collect();
        for (index, operation) in operations.iter().enumerate() {
            let choice = operation
                .responses
                .iter()
                .any(|r| r.format != ir::ResponseFormat::Negotiated && r.media_types.len() > 1);
            let media_enum = format!("{}MediaType", operation.builder.as_str());
            if let (true, Some(other)) =
                (choice, builders.get(media_enum.as_str()).or_else(|| status_enums.get(media_enum.as_str())))
            {
                let (file, path) = place(OperationId(index));
                let message = format!(
                    "operation `{}` names its media types `requests::{media_enum}`, which `{other}` already names a type",
                    operation.id
                );
                self.error(file, &format!("{path}.responses"), message);
            }
        }
        let error_bodies = self.error_bodies(operations, schemas);
        let error_message = self.error_message(settings, error_bodies.first().map(|b| &b.ty), schemas);
        if settings.formats.contains(&Format::Xml) {
            for (index, operation) in operations.iter().enumerate() {
                let (file, path) = place(OperationId(index));
                let bodies = operation
                    .request
                    .iter()
                    .filter(|r| r.formats.contains(&BodyFormat::Xml))
                    .map(|r| (&r.ty, format!("{path}.request.schema")));
                let responses = operation
                    .responses
                    .iter()
                    .filter_map(|r| r.ty.as_ref().map(|ty| (ty, format!("{path}.responses.{}.schema", r.status))));
                let errors = operation.errors.iter().filter_map(|e| {
                    let status = e.status.label();
                    e.ty.as_ref().map(|ty| (ty, format!("{path}.errors.{status}.schema")))
                });
                let wrong: Vec<String> = bodies
                    .chain(responses)
                    .chain(errors)
                    .filter(|(ty, _)| !tables.is_element(ty))
                    .map(|(_, p)| p)
                    .collect();
                for body_path in wrong {
                    let message =
                        "in an API that speaks XML, a body is an object schema (an XML document has one root element)";
                    self.error(file, &body_path, message);
                }
            }
        }
        let auth = self.auth_rules(plan, operations, schemas, settings.file, &place);
        (auth, error_bodies, error_message)
    }

    /// The fields of the error body named by `api.error_message`: text fields of an object.
    fn error_message(&mut self, settings: &Settings, body: Option<&ir::Type>, schemas: &[ir::Schema]) -> Vec<usize> {
        if settings.error_message.is_empty() {
            return Vec::new();
        }
        let object = match body {
            Some(ir::Type::Schema(id)) => match &schemas[id.0].kind {
                ir::SchemaKind::Object(object) => Some(object),
                _ => None,
            },
            _ => None,
        };
        let Some(object) = object else {
            let message =
                "`error_message` names fields of the (most used) error body, and that is not an object schema";
            self.error(settings.file, "api.error_message", message);
            return Vec::new();
        };
        let mut fields = Vec::new();
        for (index, name) in settings.error_message.iter().enumerate() {
            let path = format!("api.error_message[{index}]");
            match object.fields.iter().position(|f| f.name == *name) {
                Some(found) if is_text(&object.fields[found].ty, schemas) => fields.push(found),
                Some(_) => self.error(settings.file, &path, format!("field `{name}` of the error body is not text")),
                None => {
                    let hint = crate::diagnostics::did_you_mean(name, object.fields.iter().map(|f| f.name.as_str()));
                    self.error(settings.file, &path, format!("the error body has no field `{name}`{hint}"));
                }
            }
        }
        fields
    }

    /// A parameter named like one of the builder's own members is renamed `<name>_param`.
    fn builder_names(&mut self, file: usize, path: &str, operation: &mut ir::Operation) {
        let taken: Vec<Ident> = operation.parameters.iter().map(|p| p.rust_name.clone()).collect();
        for parameter in &mut operation.parameters {
            if !BUILDER_MEMBERS.contains(&parameter.rust_name.plain()) {
                continue;
            }
            let renamed = Ident::assume(format!("{}_param", parameter.rust_name.plain()));
            if taken.contains(&renamed) {
                let message = format!(
                    "parameter `{}` is renamed `{renamed}` (the request builder has a `{}`), but another parameter has that name",
                    parameter.name,
                    parameter.rust_name.plain()
                );
                self.error(file, &format!("{path}.parameters.{}", parameter.name), message);
            }
            parameter.rust_name = renamed;
        }
    }

    /// The types of error bodies, the most used first (ties: first seen, in operation order),
    /// each with its variant name in the API's `ErrorBody` enum; every error response learns
    /// the index of its type.
    fn error_bodies(&mut self, operations: &mut [ir::Operation], schemas: &[ir::Schema]) -> Vec<ir::ErrorBody> {
        let mut types: Vec<(ir::Type, usize)> = Vec::new();
        for error in operations.iter().flat_map(|o| &o.errors) {
            let Some(ty) = &error.ty else { continue };
            match types.iter_mut().find(|(t, _)| t == ty) {
                Some((_, count)) => *count += 1,
                None => types.push((ty.clone(), 1)),
            }
        }
        // Stable: equal counts keep their first-seen order.
        types.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
        for error in operations.iter_mut().flat_map(|o| &mut o.errors) {
            error.body = error.ty.as_ref().and_then(|ty| types.iter().position(|(t, _)| t == ty));
        }
        let mut taken = std::collections::HashSet::new();
        types
            .into_iter()
            .map(|(ty, _)| {
                let base = type_label(&ty, schemas);
                let mut name = base.clone();
                let mut counter = 1;
                while !taken.insert(name.clone()) {
                    counter += 1;
                    name = format!("{base}{counter}");
                }
                ir::ErrorBody { rust_name: Ident::assume(name), ty }
            })
            .collect()
    }

    /// The authentication operations have the shape the client calls them with, and every
    /// operation accepts schemes the API offers.
    fn auth_rules(
        &mut self,
        plan: AuthPlan,
        operations: &[ir::Operation],
        schemas: &[ir::Schema],
        api_file: usize,
        place: &dyn Fn(OperationId) -> (usize, String),
    ) -> ir::Auth {
        let bearer = plan.bearer.map(|bearer| {
            if let Some(id) = bearer.logout {
                let operation = &operations[id.0];
                if arguments(operation) != 0 || operation.request.is_some() {
                    let message = format!(
                        "the logout operation `{}` must need no arguments: the client calls it with the tokens it holds",
                        operation.id
                    );
                    let (file, path) = place(id);
                    self.error(file, &path, message);
                }
            }
            ir::Bearer {
                token_operation: bearer.token,
                logout_operation: bearer.logout,
                client_credentials: bearer.client_credentials,
                authorization_code: bearer.authorization_code,
            }
        });
        let session = plan.session.map(|session| {
            let logon_operation = &operations[session.logon.0];
            if arguments(logon_operation) != 0 || logon_operation.request.is_some() {
                let message = format!(
                    "the logon operation `{}` must need no arguments: the client calls it with the credentials given to `log_in`",
                    logon_operation.id
                );
                let (file, path) = place(session.logon);
                self.error(file, &path, message);
            }
            let logout = session.logout.and_then(|id| {
                let operation = &operations[id.0];
                let path_parameters: Vec<usize> = operation
                    .parameters
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.location == ir::ParameterLocation::Path)
                    .map(|(index, _)| index)
                    .collect();
                if arguments(operation) != 1 || path_parameters.len() != 1 || operation.request.is_some() {
                    let message = format!(
                        "the logout operation `{}` must have exactly one argument, the path parameter that receives the session id",
                        operation.id
                    );
                    let (file, path) = place(id);
                    self.error(file, &path, message);
                    return None;
                }
                let id_field = session.logout_id.as_deref().and_then(|name| {
                    self.logout_id(name, &operations[session.logon.0], schemas, api_file)
                });
                Some(ir::SessionLogout { operation: id, parameter: path_parameters[0], id_field })
            });
            ir::Session { header: session.header, logon_operation: session.logon, logout }
        });
        let auth = ir::Auth { bearer, session, api_keys: plan.api_keys, basic: plan.basic };
        let offered = auth.offered();
        for (index, operation) in operations.iter().enumerate() {
            for (at, requirement) in operation.schemes.iter().enumerate() {
                for scheme in requirement.iter().filter(|scheme| !auth.offers(scheme)) {
                    let (file, path) = place(OperationId(index));
                    let hint = did_you_mean(scheme.name(), offered.iter().map(ir::Scheme::name));
                    let message =
                        format!("the API offers no `{}` scheme (see `api.auth`){hint}", scheme.name().escape_debug());
                    self.error(file, &format!("{path}.schemes[{at}]"), message);
                }
            }
            // A key's setter is the client's: no operation may take its name.
            for key in &auth.api_keys {
                if operation.rust_name.as_str() == format!("set_{}", key.name) {
                    let (file, path) = place(OperationId(index));
                    let message = format!(
                        "the operation's method `{}` is the setter of the API key `{}`: rename one",
                        operation.rust_name, key.name
                    );
                    self.error(file, &path, message);
                }
            }
        }
        auth
    }
}

impl Resolver<'_> {
    /// The text field `name` of the logon operation's response object.
    fn logout_id(
        &mut self,
        name: &str,
        logon: &ir::Operation,
        schemas: &[ir::Schema],
        api_file: usize,
    ) -> Option<ir::LogoutId> {
        let object = match &logon.output {
            ir::Output::Body(ir::Type::Schema(id)) => match &schemas[id.0].kind {
                ir::SchemaKind::Object(object) => Some((*id, object)),
                _ => None,
            },
            _ => None,
        };
        let Some((schema, object)) = object else {
            let message =
                format!("`logout_id` names a field of the logon response, and `{}` returns no object", logon.id);
            self.error(api_file, "api.auth.session.logout_id", message);
            return None;
        };
        match object.fields.iter().position(|f| f.name == name) {
            Some(field) if is_text(&object.fields[field].ty, schemas) => Some(ir::LogoutId { schema, field }),
            Some(_) => {
                let message = format!("field `{name}` of the logon response is not text");
                self.error(api_file, "api.auth.session.logout_id", message);
                None
            }
            None => {
                let hint = crate::diagnostics::did_you_mean(name, object.fields.iter().map(|f| f.name.as_str()));
                let message = format!("the logon response `{}` has no field `{name}`{hint}", schemas[schema.0].name);
                self.error(api_file, "api.auth.session.logout_id", message);
                None
            }
        }
    }
}

/// A string, a URI or a named string type.
pub(super) fn is_text(ty: &ir::Type, schemas: &[ir::Schema]) -> bool {
    match ty {
        ir::Type::Primitive(ir::Primitive::String | ir::Primitive::Uri) => true,
        ir::Type::Schema(id) => matches!(schemas[id.0].kind, ir::SchemaKind::String),
        _ => false,
    }
}

/// Arguments a caller passes: required parameters without a fixed value.
fn arguments(operation: &ir::Operation) -> usize {
    operation.parameters.iter().filter(|p| p.required && p.value.is_none()).count()
}

/// A type as a Rust type name part: the schema's name, `String` for `string`, then `List` or
/// `Map` per wrapper (`EntryList`), for the variants of the `ErrorBody` enum.
fn type_label(ty: &ir::Type, schemas: &[ir::Schema]) -> String {
    match ty {
        ir::Type::Schema(id) => schemas[id.0].rust_name.plain().to_owned(),
        ir::Type::Primitive(primitive) => super::names::type_name(primitive.spec_name())
            .map(|ident| ident.plain().to_owned())
            .unwrap_or_else(|_| "Value".into()),
        ir::Type::List(item) => format!("{}List", type_label(item, schemas)),
        ir::Type::Map(value) => format!("{}Map", type_label(value, schemas)),
    }
}
