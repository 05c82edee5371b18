//! The resolved model of a spec: every name is a valid Rust identifier, every reference points at
//! something that exists, every wire name is decided. Emitters read it and never fail.
//!
//! Collections are sorted (APIs by module, schemas by name, operations by id) so that generated
//! code never depends on the order in which files were read.
//!
//! The IR is the whole contract between resolve and emit: every identifier the emitters write is
//! an [`Ident`] decided here, and every fact an emitter needs (which schemas derive `Eq`, what an
//! operation returns, the API's error body) is computed once by resolve.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// A Rust identifier, valid by construction: plain (`account_id`) or raw (`r#type`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Ident(String);

/// Keywords of every edition (strict and reserved), as of Rust 2024.
pub(crate) const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers (`r#self` is not allowed).
pub(crate) const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

impl Ident {
    /// `text` as an identifier: ASCII letters, digits and `_`, not starting with a digit; a
    /// keyword becomes a raw identifier. `None` when it cannot be one at all.
    pub fn new(text: &str) -> Option<Ident> {
        let mut chars = text.chars();
        let shape = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !shape || NOT_RAW.contains(&text) {
            return None;
        }
        if KEYWORDS.contains(&text) {
            return Some(Ident(format!("r#{text}")));
        }
        Some(Ident(text.to_owned()))
    }

    /// A name built from identifier parts by the generator itself (`M` + a cleaned name): valid
    /// by construction, checked in debug builds.
    pub(crate) fn assume(text: String) -> Ident {
        debug_assert!(Ident::new(&text).is_some_and(|ident| ident.0 == text), "not an identifier: {text}");
        Ident(text)
    }

    /// As written in code (`r#type`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Without the raw prefix (`type`), for labels and derived names.
    pub fn plain(&self) -> &str {
        self.0.trim_start_matches("r#")
    }

    /// The token.
    pub fn token(&self) -> proc_macro2::Ident {
        let span = proc_macro2::Span::call_site();
        match self.0.strip_prefix("r#") {
            Some(plain) => proc_macro2::Ident::new_raw(plain, span),
            None => proc_macro2::Ident::new(&self.0, span),
        }
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl quote::ToTokens for Ident {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        tokens.extend(std::iter::once(proc_macro2::TokenTree::Ident(self.token())));
    }
}

/// The generated crate, from `crate.yaml`: every value checked (names, semver version).
#[derive(Debug, Clone, Serialize)]
pub struct Crate {
    /// Cargo package name (`veeam-api`).
    pub package: String,
    /// Library name (`veeam_api`).
    pub lib: Ident,
    /// A semantic version.
    pub version: String,
    pub description: String,
    /// Crate-level documentation; the description when absent.
    pub docs: Option<String>,
    /// The runtime support crate: package and library name.
    pub runtime_package: String,
    pub runtime_lib: Ident,
    /// The runtime crate's folder on disk.
    #[serde(skip)]
    pub runtime_dir: PathBuf,
    /// Name of the spec folder (`spec`), for generated headers.
    pub spec_name: String,
    /// The spec folder on disk (example bodies are found relative to it).
    #[serde(skip)]
    pub spec_dir: PathBuf,
}

#[derive(Debug, Serialize)]
pub struct Spec {
    pub apis: Vec<Api>,
}

#[derive(Debug, Serialize)]
pub struct Api {
    /// Rust module name inside the generated crate (`backup_for_aws`).
    pub module: Ident,
    pub title: String,
    pub description: Option<String>,
    pub sources: Vec<String>,
    /// The spec files this API was read from, sorted.
    pub files: Vec<PathBuf>,
    /// The file holding the `api` section.
    pub api_file: PathBuf,
    pub base_path: String,
    pub default_port: Option<u16>,
    /// Wire formats the API speaks, in `Format` order; never empty.
    pub formats: Vec<Format>,
    pub default_format: Format,
    pub xml_namespace: Option<String>,
    /// Headers sent with a fixed value on every call.
    pub headers: Vec<FixedHeader>,
    pub auth: Auth,
    pub schemas: Vec<Schema>,
    pub operations: Vec<Operation>,
    /// The types of error bodies, the most used first: with one, it is the client's error body
    /// type; with several, the API gets an `ErrorBody` enum with a variant per type.
    pub error_bodies: Vec<ErrorBody>,
    /// Fields of the first error body (an object schema) holding its message, in order of
    /// preference.
    pub error_message: Vec<usize>,
    /// Objects that wrap JSON lists (`"Roles": {"EnterpriseRoles": [...]}`), by member name.
    pub json_members: Vec<JsonMember>,
    /// Prelude names ([`PRELUDE`]) that schema types take in the models module: generated code
    /// there writes those by their full paths.
    pub shadowed_in_models: Vec<String>,
    /// Prelude names that request builder types take in the `requests` module.
    pub shadowed_in_requests: Vec<String>,
    /// The task resource long operations answer with, if the API has one.
    pub tasks: Option<Tasks>,
}

/// How to read the API's task resource (see `ast::Tasks`).
#[derive(Debug, Serialize)]
pub struct Tasks {
    pub schema: SchemaId,
    /// Index of the operation fetching a task by id.
    pub poll: usize,
    pub id: FieldPath,
    pub state: FieldPath,
    /// Done states: enum variants (`Some`) or, for a text state, the values.
    pub done: Vec<(String, Option<Ident>)>,
    pub success: Option<FieldPath>,
    /// Done states in which the task failed (enum variants or text values, as `done`), or with
    /// `outcome` the values of that field that say so.
    pub failed: Vec<(String, Option<Ident>)>,
    /// The field that says how a finished task ended, when the state does not.
    pub outcome: Option<FieldPath>,
    pub message: Option<FieldPath>,
    pub related: Option<RelatedLink>,
}

/// The link picked among `links` by `rel == value`; `rel` and `href` are the link object's fields.
#[derive(Debug, Serialize)]
pub struct RelatedLink {
    pub links: FieldPath,
    pub rel: FieldPath,
    pub href: FieldPath,
    pub value: String,
}

/// Fields from an object down through nested objects: `(object schema, field index)` per step.
#[derive(Debug, Clone, Serialize)]
pub struct FieldPath(pub Vec<(SchemaId, usize)>);

impl FieldPath {
    /// The type the path ends in.
    pub fn ty<'s>(&self, schemas: &'s [Schema]) -> Option<&'s Type> {
        let (owner, index) = *self.0.last()?;
        match &schemas[owner.0].kind {
            SchemaKind::Object(object) => Some(&object.fields[index].ty),
            _ => None,
        }
    }
}

/// The std prelude names generated code writes bare, with their full paths: a module that
/// defines one of these names (a schema called `Option`) gets the full path instead. (The emitters
/// spell the same paths as tokens.)
pub const PRELUDE: &[(&str, &str)] = &[
    ("String", "::std::string::String"),
    ("Vec", "::std::vec::Vec"),
    ("Option", "::std::option::Option"),
    ("Some", "::std::option::Option::Some"),
    ("None", "::std::option::Option::None"),
    ("Box", "::std::boxed::Box"),
    ("Result", "::std::result::Result"),
    ("Ok", "::std::result::Result::Ok"),
    ("Err", "::std::result::Result::Err"),
    ("Default", "::std::default::Default"),
    ("From", "::std::convert::From"),
    ("Into", "::std::convert::Into"),
    ("AsRef", "::std::convert::AsRef"),
    ("ToOwned", "::std::borrow::ToOwned"),
    ("Send", "::std::marker::Send"),
];

/// One type of error body, and its variant in the `ErrorBody` enum (when there are several).
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    pub rust_name: Ident,
    pub ty: Type,
}

/// The member of a JSON object that wraps a list, and the marker type naming it.
#[derive(Debug, Serialize)]
pub struct JsonMember {
    pub name: String,
    /// Other member names the list is read from.
    pub aliases: Vec<String>,
    /// The member may hold one item instead of an array (`ast::JsonField::single_item`).
    pub single_item: bool,
    pub ident: Ident,
}

impl Api {
    pub fn schema(&self, id: SchemaId) -> &Schema {
        &self.schemas[id.0]
    }

    pub fn operation(&self, id: OperationId) -> &Operation {
        &self.operations[id.0]
    }

    pub fn speaks(&self, format: Format) -> bool {
        self.formats.contains(&format)
    }

    /// The cargo feature that compiles this API in: the module name, `-` for `_`
    /// (`backup-for-aws`).
    pub fn feature(&self) -> String {
        self.module.plain().replace('_', "-")
    }

    /// The one error body type, when there is exactly one.
    pub fn single_error_body(&self) -> Option<&Type> {
        match self.error_bodies.as_slice() {
            [only] => Some(&only.ty),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Format {
    Json,
    Xml,
}

/// How a request body may be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum BodyFormat {
    Json,
    Xml,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// A `string` sent as it is (`text/plain` unless the spec names another media type).
    Text,
    /// Raw bytes (`application/octet-stream` unless the spec names another media type).
    Binary,
}

#[derive(Debug, Serialize)]
pub struct FixedHeader {
    pub name: String,
    pub value: String,
}

/// How callers authenticate: the schemes the API offers. A session stands alone; the others
/// may be offered together (a call uses the first requirement its operation lists, or the API
/// offers, that the client holds credentials for).
#[derive(Debug, Default, Serialize)]
pub struct Auth {
    pub bearer: Option<Bearer>,
    pub session: Option<Session>,
    /// The API keys, in the spec's order.
    pub api_keys: Vec<ApiKey>,
    pub basic: bool,
}

/// An API key: its name in the spec (`snake_case`; the client's setter is `set_<name>`), and
/// where it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiKey {
    pub name: String,
    pub place: ApiKeyPlace,
}

/// Where an API key is sent, and under which name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ApiKeyPlace {
    Header(String),
    Query(String),
    Cookie(String),
}

impl ApiKeyPlace {
    /// The name of the header, query parameter or cookie.
    pub fn name(&self) -> &str {
        match self {
            ApiKeyPlace::Header(name) | ApiKeyPlace::Query(name) | ApiKeyPlace::Cookie(name) => name,
        }
    }
}

impl Auth {
    pub fn offers(&self, scheme: &Scheme) -> bool {
        match scheme {
            Scheme::Bearer => self.bearer.is_some(),
            Scheme::Session => self.session.is_some(),
            Scheme::ApiKey(name) => self.api_keys.iter().any(|key| key.name == *name),
            Scheme::Basic => self.basic,
        }
    }

    /// Every scheme the API offers, each on its own, in the order a call tries them: bearer,
    /// session, the API keys in the spec's order, Basic.
    pub fn offered(&self) -> Vec<Scheme> {
        let mut offered = Vec::new();
        offered.extend(self.bearer.as_ref().map(|_| Scheme::Bearer));
        offered.extend(self.session.as_ref().map(|_| Scheme::Session));
        offered.extend(self.api_keys.iter().map(|key| Scheme::ApiKey(key.name.clone())));
        offered.extend(self.basic.then_some(Scheme::Basic));
        offered
    }
}

#[derive(Debug, Serialize)]
pub struct Bearer {
    pub token_operation: Option<OperationId>,
    pub logout_operation: Option<OperationId>,
    pub client_credentials: Option<ClientCredentials>,
    /// The token operation takes the authorization-code grant too.
    pub authorization_code: bool,
}

/// The OAuth2 client-credentials grant's token endpoint (an absolute URL or a path below the
/// base URL) and the scopes asked for.
#[derive(Debug, Serialize)]
pub struct ClientCredentials {
    pub token_url: String,
    pub scopes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Session {
    pub header: String,
    pub logon_operation: OperationId,
    pub logout: Option<SessionLogout>,
}

/// An authentication scheme: the API keys by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Scheme {
    Bearer,
    Session,
    ApiKey(String),
    Basic,
}

impl Scheme {
    /// The spec language's name of the scheme (a key's own name).
    pub fn name(&self) -> &str {
        match self {
            Scheme::Bearer => "bearer",
            Scheme::Session => "session",
            Scheme::ApiKey(name) => name,
            Scheme::Basic => "basic",
        }
    }
}

/// The operation that ends a session, and its one path parameter, which receives the session id.
#[derive(Debug, Serialize)]
pub struct SessionLogout {
    pub operation: OperationId,
    /// Index into the operation's parameters.
    pub parameter: usize,
    /// The field of the logon response (an object) whose value the parameter receives, if not
    /// the session header's value.
    pub id_field: Option<LogoutId>,
}

/// Where the logout path's session id comes from: a text field of the logon response.
#[derive(Debug, Serialize)]
pub struct LogoutId {
    pub schema: SchemaId,
    /// Index into the schema's fields.
    pub field: usize,
}

/// Index into `Api::schemas`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SchemaId(pub usize);

/// Index into `Api::operations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct OperationId(pub usize);

#[derive(Debug, Serialize)]
pub struct Schema {
    /// The documented name (`PasswordKeyInfo`); also the Rust type name.
    pub name: String,
    pub rust_name: Ident,
    pub description: Option<String>,
    pub sources: Vec<String>,
    pub file: PathBuf,
    /// Values can derive `Eq` and `Hash` (no float or arbitrary JSON inside, at any depth).
    pub eq: bool,
    /// Values hold a sensitive field, at any depth.
    pub holds_secret: bool,
    /// Root element name when the schema is sent or received as an XML document.
    pub xml_name: String,
    pub example: Option<String>,
    pub kind: SchemaKind,
    pub examples: Vec<Example>,
}

#[derive(Debug, Serialize)]
pub enum SchemaKind {
    Object(Object),
    Enum(Enum),
    /// A named string type (`Urn`), emitted as a newtype.
    String,
    /// One of several alternatives, emitted as an enum with a variant per alternative.
    Union(Union),
    /// Another name for a type, emitted as a type alias. Every reference to it is already
    /// replaced by the type itself, so nothing else needs to know aliases exist.
    Alias(Type),
}

#[derive(Debug, Serialize)]
pub struct Union {
    pub variants: Vec<Variant>,
    /// The JSON member (or XML attribute or child element) naming the alternative; without one
    /// the alternatives are tried in order and the first that decodes wins.
    pub discriminator: Option<String>,
    /// Each alternative is the one member (JSON) or child element (XML), named by its tag, of the
    /// union's value: `{"BackupJobCloneInfo": {...}}`.
    pub wrapped: bool,
    /// The variant holding a JSON value no alternative matches (JSON-only APIs; an XML value
    /// has no such form).
    pub catch_all: Option<Ident>,
}

#[derive(Debug, Serialize)]
pub struct Variant {
    pub rust_name: Ident,
    pub ty: Type,
    /// Discriminator value, or the wrapping member's name (tagged and wrapped unions only).
    pub tag: Option<String>,
    /// The alternative refers back to the union without a list or map in between.
    pub boxed: bool,
    pub description: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Object {
    /// In wire order (the XSD's `xs:sequence` order for XML elements).
    pub fields: Vec<Field>,
    /// With two required fields or more, `new` takes them by name in this struct
    /// (`<Type>Required`), so no two can be swapped; with one or none, `new` takes it positionally.
    pub required: Option<Ident>,
}

#[derive(Debug, Serialize)]
pub struct Enum {
    pub values: Vec<EnumValue>,
    /// The variant holding undocumented values: `Unknown`, unless a documented value takes it.
    pub catch_all: Ident,
}

#[derive(Debug, Serialize)]
pub struct EnumValue {
    pub value: String,
    pub rust_name: Ident,
    pub description: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Field {
    /// The key in the spec.
    pub name: String,
    pub rust_name: Ident,
    /// The `with_*` method that sets an optional field.
    pub setter: Ident,
    pub ty: Type,
    pub required: bool,
    pub nullable: bool,
    pub sensitive: bool,
    pub read_only: bool,
    pub write_only: bool,
    /// The field's type contains its own schema without a list or map in between, so it is boxed.
    pub boxed: bool,
    pub description: Option<String>,
    pub example: Option<String>,
    /// Where the object's `id()` reads the resource's ID from, if this field names it.
    pub id_source: Option<IdSource>,
    pub json_name: String,
    /// Other member names accepted on read.
    pub json_aliases: Vec<String>,
    /// Lists only: the JSON list sits inside an object with this single member (index into
    /// `Api::json_members`).
    pub json_wrapper: Option<usize>,
    /// One item without the array is read as a one-item list (`ast::JsonField::single_item`).
    pub json_single_item: bool,
    /// JSON objects lacking this member but holding unknown ones are rejected (see
    /// `ast::JsonField::expected`).
    pub json_expected: bool,
    pub xml_name: String,
    pub xml_kind: XmlKind,
    /// Lists only: items are wrapped in `<xml_name>` and each named this; `None` means the items
    /// repeat flat, each named `xml_name`.
    pub xml_item: Option<String>,
}

/// How a field names a resource: the ID ends a URN or a URL's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum IdSource {
    Urn,
    Href,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum XmlKind {
    Element,
    Attribute,
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Type {
    Primitive(Primitive),
    List(Box<Type>),
    /// Map from string keys.
    Map(Box<Type>),
    Schema(SchemaId),
}

impl Type {
    /// The type a list holds, if this is a list.
    pub fn list_item(&self) -> Option<&Type> {
        match self {
            Type::List(item) => Some(item),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Primitive {
    String,
    Int32,
    Int64,
    Number,
    Boolean,
    Uuid,
    DateTime,
    Date,
    Uri,
    /// Any JSON value (JSON-only APIs).
    Any,
    /// Raw bytes: a whole request or response body, or a file part of a multipart body; never
    /// inside a schema.
    Binary,
}

impl Primitive {
    pub const ALL: [(&'static str, Primitive); 11] = [
        ("string", Primitive::String),
        ("int32", Primitive::Int32),
        ("int64", Primitive::Int64),
        ("number", Primitive::Number),
        ("boolean", Primitive::Boolean),
        ("uuid", Primitive::Uuid),
        ("date-time", Primitive::DateTime),
        ("date", Primitive::Date),
        ("uri", Primitive::Uri),
        ("any", Primitive::Any),
        ("binary", Primitive::Binary),
    ];

    /// The primitive's name in the spec language (`date-time`).
    pub fn spec_name(self) -> &'static str {
        Self::ALL.iter().find(|(_, p)| *p == self).map_or("value", |(name, _)| *name)
    }
}

#[derive(Debug, Serialize)]
pub struct Operation {
    /// The spec's operation id.
    pub id: String,
    /// Method name on the client.
    pub rust_name: Ident,
    /// The request builder type (`requests::<builder>`).
    pub builder: Ident,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub sources: Vec<String>,
    pub file: PathBuf,
    pub method: Method,
    /// Path template relative to the API's base path, as written.
    pub path: String,
    pub segments: Vec<PathSegment>,
    pub authenticated: bool,
    /// The ways the operation accepts to be authenticated, when not all the API's: each a
    /// scheme, or several sent together, in the order a call tries them.
    pub schemes: Vec<Vec<Scheme>>,
    pub parameters: Vec<Parameter>,
    pub request: Option<RequestBody>,
    /// Success responses, sorted by status.
    pub responses: Vec<Response>,
    /// Error responses, sorted by status with `default` last.
    pub errors: Vec<ErrorResponse>,
    /// What a successful call returns.
    pub output: Output,
    /// A response (success or error) may hold a secret: a sensitive field or header. Its body
    /// is then never kept in errors.
    pub sensitive_response: bool,
    /// The request sends a secret (a sensitive parameter, a body with a sensitive field) that
    /// the runtime cannot mask in the server's explanation of a refusal: the response is then
    /// treated as sensitive too.
    pub sends_secrets: bool,
    pub examples: Vec<Example>,
    /// How the operation pages, if it does.
    pub paging: Option<Paging>,
    /// Retried although its method is not idempotent (the spec says it may be).
    pub idempotent: bool,
}

/// How an operation pages (see `ast::Paging`).
#[derive(Debug, Serialize)]
pub struct Paging {
    pub style: PageStyle,
    /// The parameter (an index into `parameters`) giving the position.
    pub position: usize,
    /// The parameter giving the page size.
    pub size: Option<usize>,
    /// The response field holding the page's items, and their type.
    pub items: FieldPath,
    pub item: Type,
    /// The response field holding the total.
    pub total: Option<FieldPath>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PageStyle {
    Offset,
    Page { first: i64 },
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Output {
    /// No success response has a body.
    Unit,
    /// Every success response has this body.
    Body(Type),
    /// Some success responses have this body, others none.
    OptionalBody(Type),
    /// Success responses have different bodies: an enum (`requests::<name>`) with a variant per
    /// status, so that no body is ever decoded as another's type.
    ByStatus(StatusEnum),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusEnum {
    pub name: Ident,
    /// One per success response, in `Operation::responses` order.
    pub variants: Vec<Ident>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
}

impl Method {
    pub const ALL: [(&'static str, Method); 6] = [
        ("GET", Method::Get),
        ("POST", Method::Post),
        ("PUT", Method::Put),
        ("PATCH", Method::Patch),
        ("DELETE", Method::Delete),
        ("HEAD", Method::Head),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }
}

#[derive(Debug, Serialize)]
pub enum PathSegment {
    Literal(String),
    /// Index into `Operation::parameters`.
    Parameter(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    /// A part of a `multipart/form-data` body.
    Part,
}

#[derive(Debug, Serialize)]
pub struct Parameter {
    /// Wire name.
    pub name: String,
    pub rust_name: Ident,
    pub location: ParameterLocation,
    pub ty: Type,
    pub required: bool,
    pub sensitive: bool,
    pub description: Option<String>,
    /// Always sent with this value; not a method argument.
    pub value: Option<String>,
    pub list_format: ListFormat,
    /// An object sent member by member in the query (`filter[name]=a`).
    pub deep_object: bool,
    /// What the server assumes when the parameter is not sent (documentation).
    pub default: Option<String>,
}

/// How a list query parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ListFormat {
    /// `Sort=a&Sort=b`.
    Repeat,
    /// `Sort=a,b`.
    Csv,
    /// `Sort=a%20b` (OpenAPI's `spaceDelimited`).
    Space,
    /// `Sort=a|b` (OpenAPI's `pipeDelimited`).
    Pipe,
    /// `Sort=a%09b` (Swagger 2.0's `tsv`).
    Tab,
}

#[derive(Debug, Serialize)]
pub struct RequestBody {
    pub ty: Type,
    /// Never empty; in `BodyFormat` order. `Text` and `Binary` stand alone.
    pub formats: Vec<BodyFormat>,
    /// `Content-Type` of a `Text` or `Binary` body.
    pub media_type: Option<String>,
    pub description: Option<String>,
}

/// How a success body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ResponseFormat {
    /// In the format the response's `Content-Type` names: JSON or XML.
    Negotiated,
    /// A `string`, as it is.
    Text,
    /// Raw bytes (`Primitive::Binary`), returned whole or streamed.
    Binary,
}

#[derive(Debug, Serialize)]
pub struct Response {
    pub status: u16,
    pub ty: Option<Type>,
    pub format: ResponseFormat,
    /// Media types of a `Text` or `Binary` body, asked for in `Accept`.
    pub media_types: Vec<String>,
    pub description: Option<String>,
    pub headers: Vec<ResponseHeader>,
}

#[derive(Debug, Serialize)]
pub struct ResponseHeader {
    pub name: String,
    pub rust_name: Ident,
    pub ty: Type,
    pub sensitive: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ErrorStatus {
    Code(u16),
    /// `4XX` or `5XX`: any status of that class without its own entry (holds 4 or 5).
    Range(u16),
    Default,
}

impl ErrorStatus {
    /// As written in a spec (`404`, `4XX`, `default`).
    pub fn label(self) -> String {
        match self {
            ErrorStatus::Code(code) => code.to_string(),
            ErrorStatus::Range(class) => format!("{class}XX"),
            ErrorStatus::Default => "default".into(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ErrorResponse {
    pub status: ErrorStatus,
    pub ty: Option<Type>,
    /// Index of `ty` in `Api::error_bodies`.
    pub body: Option<usize>,
    pub description: Option<String>,
    /// Headers the error response carries (readable from the error).
    pub headers: Vec<ResponseHeader>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ExampleOf {
    Schema,
    Request,
    Response(u16),
}

/// A documented body, kept verbatim: it becomes a round-trip test.
#[derive(Debug, Serialize)]
pub struct Example {
    pub name: String,
    pub of: ExampleOf,
    pub format: BodyFormat,
    /// Path relative to the spec root.
    pub file: PathBuf,
    pub source: Option<String>,
    pub fixed: Option<String>,
    /// The body is a JSON member or XML element of this name, not a whole document.
    pub fragment: Option<String>,
    /// Why the written form may differ from the documented one.
    pub lenient: Option<String>,
    /// How the example contradicts its schema (the test checks that it still does).
    pub contradicts: Option<String>,
    #[serde(skip)]
    pub body: String,
}
