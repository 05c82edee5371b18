//! The spec language as written: plain serde structs that mirror the YAML.
//!
//! Nothing here is checked beyond its shape (`deny_unknown_fields` everywhere); every semantic
//! check lives in `resolve`. Maps are `IndexMap`s so that the author's order (which is the XML
//! element order for fields) survives loading.

use indexmap::IndexMap;
use serde::Deserialize;

/// `crate.yaml` at the root of the spec folder: the generated crate itself.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateFile {
    #[serde(rename = "crate")]
    pub krate: Crate,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crate {
    /// Package name (`veeam-api`).
    pub name: String,
    pub version: String,
    pub description: String,
    /// Crate-level documentation.
    #[serde(default)]
    pub docs: Option<String>,
    /// The runtime support crate: package name and folder, relative to the spec folder.
    pub runtime: Runtime,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Runtime {
    pub package: String,
    pub path: String,
}

/// One YAML file of an API folder. Any file may hold schemas and operations; exactly one file per
/// API holds the `api` section.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub api: Option<serde_yaml::Value>,
    #[serde(default)]
    pub schemas: IndexMap<String, serde_yaml::Value>,
    #[serde(default)]
    pub operations: IndexMap<String, serde_yaml::Value>,
}

impl File {
    /// The top-level keys of a spec file.
    pub const KEYS: &'static [&'static str] = &["api", "schemas", "operations"];
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// Rust module name of the API inside the generated crate.
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Reference page addresses the API section was written from.
    #[serde(default)]
    pub sources: Vec<String>,
    pub base_path: String,
    #[serde(default)]
    pub default_port: Option<u16>,
    pub formats: Formats,
    #[serde(default)]
    pub xml_namespace: Option<String>,
    /// Headers sent with a fixed value on every call, e.g. `x-api-version: 1.0-rev0`.
    #[serde(default)]
    pub headers: IndexMap<String, String>,
    #[serde(default)]
    pub auth: Option<Auth>,
    /// Fields of the error body type holding its human-readable message, in order of preference
    /// (shown by the error's `Display`).
    #[serde(default)]
    pub error_message: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Formats {
    pub supported: Vec<String>,
    pub default: String,
}

/// Authentication schemes; exactly one key is given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// OAuth2-style token endpoint; calls carry `Authorization: Bearer <access token>`.
    #[serde(default)]
    pub bearer: Option<BearerAuth>,
    /// A logon call (HTTP Basic) returns a session id in a header sent back on every call.
    #[serde(default)]
    pub session: Option<SessionAuth>,
    /// HTTP Basic credentials on every call.
    #[serde(default)]
    pub basic: Option<BasicAuth>,
    /// A key in a header on every call.
    #[serde(default)]
    pub api_key: Option<ApiKeyAuth>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicAuth {}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyAuth {
    /// Header carrying the key.
    pub header: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BearerAuth {
    /// Operation that exchanges credentials (or a refresh token) for tokens (RFC 6749 password and
    /// refresh-token grants). Without one, callers hand in tokens they got elsewhere.
    #[serde(default)]
    pub token_operation: Option<String>,
    /// Operation that revokes the token, if the API has one.
    #[serde(default)]
    pub logout_operation: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionAuth {
    /// Header carrying the session id, in the logon response and on every later request.
    pub header: String,
    pub logon_operation: String,
    #[serde(default)]
    pub logout_operation: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum SchemaKind {
    Object,
    Enum,
    String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    pub kind: SchemaKind,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    /// Objects: fields in wire (XSD) order.
    #[serde(default)]
    pub fields: Option<IndexMap<String, Field>>,
    /// Enums: the documented values.
    #[serde(default)]
    pub values: Option<Vec<EnumValue>>,
    /// Root element name when the schema is an XML document (defaults to the schema name).
    #[serde(default)]
    pub xml_name: Option<String>,
    #[serde(default)]
    pub example: Option<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    pub value: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub nullable: bool,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub example: Option<String>,
    /// Set by the server only (documentation).
    #[serde(default)]
    pub read_only: bool,
    /// Sent by clients only, never returned (documentation).
    #[serde(default)]
    pub write_only: bool,
    #[serde(default)]
    pub json: Option<JsonField>,
    #[serde(default)]
    pub xml: Option<XmlField>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonField {
    /// Member name when it differs from the field key.
    #[serde(default)]
    pub name: Option<String>,
    /// Other member names the field is read from (documented spellings servers use).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Lists only: the list is wrapped in an object with this one member,
    /// e.g. `"Roles": {"EnterpriseRoles": [...]}`.
    #[serde(default)]
    pub wrapper: Option<String>,
    /// Other member names the wrapper's list is read from (documented spellings servers use).
    #[serde(default)]
    pub wrapper_aliases: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XmlField {
    /// Element or attribute name when it differs from the field key.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub attribute: bool,
    /// The field is the element's text content.
    #[serde(default)]
    pub text: bool,
    /// Lists only: the items sit in a wrapper element named after the field, each item an element
    /// with this name (`<Links><Link/></Links>`). Without it, items repeat flat.
    #[serde(default)]
    pub item: Option<String>,
}

/// A documented body. On an operation, `of` says whose: `request` or a status code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub name: String,
    #[serde(default, deserialize_with = "string_or_number")]
    pub of: Option<String>,
    pub format: String,
    /// Path of the body, relative to the spec file.
    pub file: String,
    /// Page the example was documented on.
    #[serde(default)]
    pub source: Option<String>,
    /// What was changed to make the documented body valid, if anything.
    #[serde(default)]
    pub fixed: Option<String>,
    /// The body is a fragment: a JSON member or an XML element of this name, not a document.
    #[serde(default)]
    pub fragment: Option<String>,
    /// Why the written form may differ from the documented one (a quirk the reader accepts and the
    /// writer normalises); the round trip then compares values, and XML elements without order.
    #[serde(default)]
    pub lenient: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    pub method: String,
    pub path: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    /// `false` for calls made before authenticating (token grant, logon).
    #[serde(default = "yes")]
    pub authenticated: bool,
    #[serde(default)]
    pub parameters: IndexMap<String, Parameter>,
    #[serde(default)]
    pub request: Option<Request>,
    pub responses: IndexMap<String, Response>,
    /// Error responses by status code, or `default` for any other non-success status.
    #[serde(default)]
    pub errors: IndexMap<String, Response>,
    #[serde(default)]
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    #[serde(rename = "in")]
    pub location: ParameterLocation,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub description: Option<String>,
    /// Fixed value: the parameter is always sent with it and is not a method argument
    /// (`action=create`).
    #[serde(default)]
    pub value: Option<String>,
    /// Query lists: `repeat` (`Sort=a&Sort=b`, the default) or `csv` (`Sort=a,b`).
    #[serde(default)]
    pub list_format: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub schema: String,
    /// Formats the body may be sent in; defaults to the API's formats. `form` is a URL-encoded form.
    #[serde(default)]
    pub formats: Option<Vec<String>>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    #[serde(default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Response headers the caller gets back, by name.
    #[serde(default)]
    pub headers: IndexMap<String, ResponseHeader>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseHeader {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub description: Option<String>,
}
