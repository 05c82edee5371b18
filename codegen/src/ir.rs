//! The resolved model of a spec: every name is a valid Rust identifier, every reference points at
//! something that exists, every wire name is decided. Emitters read it and never fail.
//!
//! Collections are sorted (APIs by module, schemas by name, operations by id) so that generated
//! code never depends on the order in which files were read.

use std::path::PathBuf;

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Spec {
    pub apis: Vec<Api>,
}

#[derive(Debug, Serialize)]
pub struct Api {
    /// Rust module name inside the generated crate (`backup_for_aws`).
    pub module: String,
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
}

#[derive(Debug, Serialize)]
pub struct FixedHeader {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub enum Auth {
    None,
    Bearer { token_operation: Option<OperationId>, logout_operation: Option<OperationId> },
    Session { header: String, logon_operation: OperationId, logout_operation: Option<OperationId> },
    Basic,
    ApiKey { header: String },
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
    pub rust_name: String,
    pub description: Option<String>,
    pub sources: Vec<String>,
    pub file: PathBuf,
    /// Root element name when the schema is sent or received as an XML document.
    pub xml_name: String,
    pub example: Option<String>,
    pub kind: SchemaKind,
    pub examples: Vec<Example>,
}

#[derive(Debug, Serialize)]
pub enum SchemaKind {
    Object(Object),
    Enum(Vec<EnumValue>),
    /// A named string type (`Urn`), emitted as a newtype.
    String,
}

#[derive(Debug, Serialize)]
pub struct Object {
    /// In wire order (the XSD's `xs:sequence` order for XML elements).
    pub fields: Vec<Field>,
}

#[derive(Debug, Serialize)]
pub struct EnumValue {
    pub value: String,
    pub rust_name: String,
    pub description: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Field {
    /// The key in the spec.
    pub name: String,
    pub rust_name: String,
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
    pub json_name: String,
    /// Other member names accepted on read.
    pub json_aliases: Vec<String>,
    /// Lists only: the JSON list sits inside an object with this single member.
    pub json_wrapper: Option<String>,
    /// Other wrapper member names accepted on read.
    pub json_wrapper_aliases: Vec<String>,
    pub xml_name: String,
    pub xml_kind: XmlKind,
    /// Lists only: items are wrapped in `<xml_name>` and each named this; `None` means the items
    /// repeat flat, each named `xml_name`.
    pub xml_item: Option<String>,
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
}

impl Primitive {
    pub const ALL: [(&'static str, Primitive); 10] = [
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
    ];
}

#[derive(Debug, Serialize)]
pub struct Operation {
    /// The spec's operation id.
    pub id: String,
    /// Method name on the client.
    pub rust_name: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub sources: Vec<String>,
    pub file: PathBuf,
    pub method: Method,
    /// Path template relative to the API's base path, as written.
    pub path: String,
    pub segments: Vec<PathSegment>,
    pub authenticated: bool,
    pub parameters: Vec<Parameter>,
    pub request: Option<RequestBody>,
    /// Success responses, sorted by status.
    pub responses: Vec<Response>,
    /// Error responses, sorted by status with `default` last.
    pub errors: Vec<ErrorResponse>,
    pub examples: Vec<Example>,
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
        Method::ALL.iter().find(|(_, m)| *m == self).map_or("GET", |(s, _)| s)
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
}

#[derive(Debug, Serialize)]
pub struct Parameter {
    /// Wire name.
    pub name: String,
    pub rust_name: String,
    pub location: ParameterLocation,
    pub ty: Type,
    pub required: bool,
    pub sensitive: bool,
    pub description: Option<String>,
    /// Always sent with this value; not a method argument.
    pub value: Option<String>,
    pub list_format: ListFormat,
}

/// How a list query parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ListFormat {
    /// `Sort=a&Sort=b`.
    Repeat,
    /// `Sort=a,b`.
    Csv,
}

#[derive(Debug, Serialize)]
pub struct RequestBody {
    pub ty: Type,
    /// Never empty; in `BodyFormat` order.
    pub formats: Vec<BodyFormat>,
    pub description: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Response {
    pub status: u16,
    pub ty: Option<Type>,
    pub description: Option<String>,
    pub headers: Vec<ResponseHeader>,
}

#[derive(Debug, Serialize)]
pub struct ResponseHeader {
    pub name: String,
    pub rust_name: String,
    pub ty: Type,
    pub sensitive: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ErrorStatus {
    Code(u16),
    Default,
}

#[derive(Debug, Serialize)]
pub struct ErrorResponse {
    pub status: ErrorStatus,
    pub ty: Option<Type>,
    pub description: Option<String>,
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
    #[serde(skip)]
    pub body: String,
}
