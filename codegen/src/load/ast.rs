//! The spec language as written: plain serde structs that mirror the YAML.
//!
//! Nothing here is checked beyond its shape (`deny_unknown_fields` everywhere); every semantic
//! check lives in `resolve`. Maps are `IndexMap`s so that the author's order (which is the XML
//! element order for fields) survives loading.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_true(value: &bool) -> bool {
    *value
}

/// `crate.yaml` at the root of the spec folder: the generated crate itself.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CrateFile {
    #[serde(rename = "crate")]
    pub krate: Crate,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Crate {
    /// Package name (`veeam-api`).
    pub name: String,
    pub version: String,
    pub description: String,
    /// Crate-level documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// The runtime support crate: package name and folder, relative to the spec folder.
    pub runtime: Runtime,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Runtime {
    pub package: String,
    pub path: String,
}

/// One YAML file of an API folder. Any file may hold schemas and operations; exactly one file per
/// API holds the `api` section.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub api: Option<serde_yaml::Value>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub schemas: IndexMap<String, serde_yaml::Value>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub operations: IndexMap<String, serde_yaml::Value>,
}

impl File {
    /// The top-level keys of a spec file.
    pub const KEYS: &'static [&'static str] = &["api", "schemas", "operations"];
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// Rust module name of the API inside the generated crate.
    pub name: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Reference page addresses the API section was written from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    pub base_path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_port: Option<u16>,
    pub formats: Formats,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_namespace: Option<String>,
    /// Headers sent with a fixed value on every call, e.g. `x-api-version: 1.0-rev0`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub headers: IndexMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<Auth>,
    /// Fields of the error body type holding its human-readable message, in order of preference
    /// (shown by the error's `Display`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_message: Vec<String>,
    /// Long operations answer with a task resource to poll: how to read it, for the client's
    /// `wait_for_task`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Tasks>,
}

/// The task resource of an API whose long operations are polled. Field paths are spec field
/// keys joined by `.` (`Result.Success`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Tasks {
    /// The task schema (an object).
    pub schema: String,
    /// The operation that fetches a task by its id (its one argument) and returns `schema`.
    pub poll: String,
    /// The task's id, passed to `poll`.
    pub id: String,
    /// The task's state (an enum or text).
    pub state: String,
    /// The states in which the task is over.
    pub done: Vec<String>,
    /// Whether the finished task succeeded (a boolean).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<String>,
    /// The done states in which the task failed (instead of `success`: Backup for AWS's
    /// `Failed`, `Canceled`), or with `outcome` the values of that field that say it failed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<String>,
    /// The field that says how a finished task ended (an enum or text), when the state only says
    /// that it is over (Backup & Replication's `result.result` beside the state `Stopped`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// What the task reports (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The link to the resource the task created or changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related: Option<RelatedLink>,
}

/// A link among the task's links, picked by its relation: `{ links: Links, rel: Rel, href: Href,
/// value: Related }`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RelatedLink {
    /// Path of the list of links (objects).
    pub links: String,
    /// The link object's relation field.
    pub rel: String,
    /// The link object's URL field.
    pub href: String,
    /// The relation of the wanted link.
    pub value: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Formats {
    pub supported: Vec<String>,
    pub default: String,
}

/// Authentication schemes the API offers: one or several of `bearer`, `api_key` and `basic`,
/// or `session` alone.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// OAuth2-style token endpoint; calls carry `Authorization: Bearer <access token>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bearer: Option<BearerAuth>,
    /// A logon call (HTTP Basic) returns a session id in a header sent back on every call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionAuth>,
    /// HTTP Basic credentials on every call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic: Option<BasicAuth>,
    /// A key on every call: in a header, a query parameter or a cookie. The same as one key
    /// named `api_key` in `api_keys`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<ApiKeyAuth>,
    /// Several keys, by name (`snake_case`): each is set on its own and an operation names
    /// those it accepts.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub api_keys: IndexMap<String, ApiKeyAuth>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BasicAuth {}

/// How an operation pages: the query parameter giving the position (`offset`, the number of
/// items skipped; or `page`, the page number from `first_page`), the one giving the page size,
/// and the response fields holding the page's items and the total (items for `offset`, pages
/// for `page`). Field paths go through objects with dots (`PagingInfo.PagesCount`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_page: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    pub items: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
}

/// One way an operation accepts to be authenticated: a scheme, or schemes sent together.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum SchemeRequirement {
    One(String),
    Together(Vec<String>),
}

impl SchemeRequirement {
    /// The schemes this requirement names.
    pub fn names(&self) -> &[String] {
        match self {
            SchemeRequirement::One(name) => std::slice::from_ref(name),
            SchemeRequirement::Together(names) => names,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyAuth {
    /// Header carrying the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// Query parameter carrying the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Cookie carrying the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookie: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BearerAuth {
    /// Operation that exchanges credentials (or a refresh token) for tokens (RFC 6749 password and
    /// refresh-token grants). Without one, callers hand in tokens they got elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_operation: Option<String>,
    /// Operation that revokes the token, if the API has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logout_operation: Option<String>,
    /// The OAuth2 client-credentials grant (RFC 6749 section 4.4), for machine clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_credentials: Option<ClientCredentials>,
    /// The token operation also takes the authorization-code grant (RFC 6749 section 4.1.3:
    /// `grant_type=authorization_code&code=...`): the client gets `log_in_authorization_code`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub authorization_code: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClientCredentials {
    /// The token endpoint: an absolute `https://` (or `http://`) URL, or a path below the base URL.
    pub token_url: String,
    /// Scopes asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SessionAuth {
    /// Header carrying the session id, in the logon response and on every later request.
    pub header: String,
    pub logon_operation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logout_operation: Option<String>,
    /// The field of the logon response naming the session in the logout path (Enterprise
    /// Manager's `SessionId`); without it, the session header's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logout_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum SchemaKind {
    Object,
    Enum,
    String,
    /// One of several alternatives (`variants`), told apart by a `discriminator` member or,
    /// without one, by trying each in order.
    Union,
    /// Another name for a type expression (`type`), e.g. `list<Pet>`.
    Alias,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    pub kind: SchemaKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Objects: fields in wire (XSD) order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<IndexMap<String, Field>>,
    /// Enums: the documented values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<EnumValue>>,
    /// Unions: the alternatives, in the order they are tried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variants: Option<Vec<Variant>>,
    /// Unions: the member (JSON) or attribute or child element (XML) whose value names the
    /// alternative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<String>,
    /// Unions: each alternative is wrapped in an object whose one member (JSON) or child element
    /// (XML) is named by its `tag` (XSD's `xs:choice` of elements; "exactly one of").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub wrapped: bool,
    /// Aliases: the type expression the name stands for.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// Root element name when the schema is an XML document (defaults to the schema name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
}

/// One alternative of a union.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// A type expression: a schema name, a primitive, `list<T>` or `map<T>`.
    #[serde(rename = "type")]
    pub ty: String,
    /// Rust variant name when it should differ from the one derived from the type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Discriminator value naming this alternative (defaults to the schema name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    pub value: String,
    /// The Rust name, when the wire name is misspelt (`nameDesk` -> `NameDesc`):
    /// the wire keeps the document's spelling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    #[serde(rename = "type")]
    pub ty: String,
    /// The Rust name, when the wire name is misspelt (`parentReiognId` -> `parent_region_id`):
    /// the wire keeps the document's spelling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,

    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Set by the server only (documentation).
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// Sent by clients only, never returned (documentation).
    #[serde(default, skip_serializing_if = "is_false")]
    pub write_only: bool,
    /// The field names the resource (`urn`: a URN ending in its ID; `href`: a URL whose path
    /// ends in it): the object gets an `id()` method reading it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<JsonField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml: Option<XmlField>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct JsonField {
    /// Member name when it differs from the field key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Other member names the field is read from (documented spellings servers use).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Lists only: the list is wrapped in an object with this one member,
    /// e.g. `"Roles": {"EnterpriseRoles": [...]}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapper: Option<String>,
    /// Other member names the wrapper's list is read from (documented spellings servers use).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wrapper_aliases: Vec<String>,
    /// The document is expected to carry this member (a list document's list): an object without
    /// it, under its name or an alias, but with a member the schema does not know is an error
    /// instead of an empty value.
    #[serde(default, skip_serializing_if = "is_false")]
    pub expected: bool,
    /// Lists only: one item without the array is read as a one-item list (a server quirk the
    /// reference documents; every other list refuses it).
    #[serde(default, skip_serializing_if = "is_false")]
    pub single_item: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct XmlField {
    /// Element or attribute name when it differs from the field key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub attribute: bool,
    /// The field is the element's text content.
    #[serde(default, skip_serializing_if = "is_false")]
    pub text: bool,
    /// Lists only: the items sit in a wrapper element named after the field, each item an element
    /// with this name (`<Links><Link/></Links>`). Without it, items repeat flat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

/// A documented body. On an operation, `of` says whose: `request` or a status code.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub name: String,
    #[serde(default, deserialize_with = "string_or_number", skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
    pub format: String,
    /// Path of the body, relative to the spec file.
    pub file: String,
    /// Page the example was documented on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// What was changed to make the documented body valid, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// The body is a fragment: a JSON member or an XML element of this name, not a document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fragment: Option<String>,
    /// Why the written form may differ from the documented one (a quirk the reader accepts and the
    /// writer normalises); the round trip then compares values, and XML elements without order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lenient: Option<String>,
    /// How the (JSON) example contradicts its schema, and the choice made: the test then checks
    /// that it still does (it is refused, or not written back as documented), so a corrected
    /// document or schema is noticed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contradicts: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    pub method: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// `false` for calls made before authenticating (token grant, logon).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub authenticated: bool,
    /// The authentication schemes the operation accepts (`bearer`, `api_key`, a key's name,
    /// or a list of those needed together); all the API's when absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemes: Vec<SchemeRequirement>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub parameters: IndexMap<String, Parameter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Request>,
    pub responses: IndexMap<String, Response>,
    /// Error responses by status code, or `default` for any other non-success status.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub errors: IndexMap<String, Response>,
    /// A POST or PATCH that may be sent twice with the same result (a search): retried like a
    /// GET after a failed connection or a busy answer.
    #[serde(default, skip_serializing_if = "is_false")]
    pub idempotent: bool,
    /// How the operation pages: its builder gets `pages()` and `items()`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
}

fn yes() -> bool {
    true
}

/// `of: 200` and `of: request` alike.
fn string_or_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Value {
        Text(String),
        Number(u64),
    }
    Ok(Option::<Value>::deserialize(deserializer)?.map(|value| match value {
        Value::Text(text) => text,
        Value::Number(number) => number.to_string(),
    }))
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    /// A part of a `multipart/form-data` body: a file (`binary`) or a text value.
    Part,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// The Rust name, when the wire name is misspelt (`BuckupDestination` -> `backup_destination`):
    /// the wire keeps the document's spelling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    #[serde(rename = "in")]
    pub location: ParameterLocation,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fixed value: the parameter is always sent with it and is not a method argument
    /// (`action=create`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Query lists: `repeat` (`Sort=a&Sort=b`, the default), `csv` (`Sort=a,b`), `space`
    /// (`Sort=a%20b`), `pipe` (`Sort=a|b`) or `tab` (`Sort=a%09b`); the delimiter is written as it
    /// is, an item's own delimiter characters encoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_format: Option<String>,
    /// `deep_object`: an object query parameter sent member by member, `filter[name]=a`
    /// (OpenAPI's `deepObject` style).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
    /// What the server assumes when the parameter is not sent (documentation: never sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The body's type; `binary` for raw bytes (a file).
    pub schema: String,
    /// Formats the body may be sent in; defaults to the API's formats. `form` is a URL-encoded
    /// form, `text` a `string` sent as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formats: Option<Vec<String>>,
    /// `Content-Type` of a `binary` or `text` body (`application/octet-stream`, `text/plain`
    /// when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The body's type; `binary` for raw bytes (a file, an export).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// `text` for a `string` body sent as it is (not JSON or XML); `binary` bodies need none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Media types a `binary` or `text` body comes in, asked for in `Accept` (the first is the
    /// default).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Response headers the caller gets back, by name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub headers: IndexMap<String, ResponseHeader>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseHeader {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}
