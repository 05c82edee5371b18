//! Why a call failed. The shape follows smithy-rs's `SdkError`: each variant wraps a context
//! struct with accessors (fields can grow without breaking callers), `Display` is one short line,
//! and the cause is only in `source()`, so error reporters print each thing once.
//!
//! Response bodies are data the server sent, which may hold secrets: they are never part of
//! `Display` or `Debug`, and they are kept at all (for [`ApiError::raw`] and friends) only for
//! operations whose responses hold no sensitive field.

use std::fmt;

use super::Format;

/// The error body type of an API: decoded from an error response when possible.
pub trait ErrorBody: Sized + fmt::Debug + Send + Sync + 'static {
    /// Decodes the body; `None` when it is not this type (an HTML error page, say).
    fn decode(body: &[u8], format: Format, max_depth: usize) -> Option<Self>;

    /// The human-readable message the body carries, for `Display`.
    fn message(&self) -> Option<&str> {
        None
    }

    /// Decodes the body of an error response whose operation documents the type numbered
    /// `documented` for its status: APIs with several error body types try that one first.
    fn decode_documented(body: &[u8], format: Format, max_depth: usize, documented: Option<usize>) -> Option<Self> {
        let _ = documented;
        Self::decode(body, format, max_depth)
    }
}

/// Decodes an error body as one of several types (a generated `ErrorBody` enum).
pub type Decoder<T> = fn(&[u8], Format, usize) -> Option<T>;

/// The first of `decoders` that reads `body`, trying the `documented` one first.
pub fn decode_documented_first<T>(
    decoders: &[Decoder<T>],
    documented: Option<usize>,
    body: &[u8],
    format: Format,
    max_depth: usize,
) -> Option<T> {
    let first = documented.and_then(|index| decoders.get(index));
    first.into_iter().chain(decoders.iter()).find_map(|decode| decode(body, format, max_depth))
}

/// For APIs that declare no error body.
impl ErrorBody for () {
    fn decode(_body: &[u8], _format: Format, _max_depth: usize) -> Option<Self> {
        None
    }
}

/// Error bodies of JSON types the generated crate does not define (a string, a list, a map).
macro_rules! json_error_body_for {
    ($($ty:ty),*) => {$(
        impl ErrorBody for $ty {
            fn decode(body: &[u8], _format: Format, _max_depth: usize) -> Option<Self> {
                crate::json::from_slice(body).ok()
            }
        }
    )*};
}

json_error_body_for!(i32, i64, f64, bool, crate::json::Value, uuid::Uuid, crate::DateTime, crate::Date);

/// A text error body: a JSON string, or the body itself when it is not JSON (`text/plain`).
impl ErrorBody for String {
    fn decode(body: &[u8], _format: Format, _max_depth: usize) -> Option<Self> {
        crate::json::from_slice(body).ok().or_else(|| {
            let text = std::str::from_utf8(body).ok()?.trim();
            let json_like = text.starts_with(['{', '[', '"']);
            (!json_like && !text.is_empty()).then(|| text.to_owned())
        })
    }

    fn message(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: serde::de::DeserializeOwned + fmt::Debug + Send + Sync + 'static> ErrorBody for Vec<T> {
    fn decode(body: &[u8], _format: Format, _max_depth: usize) -> Option<Self> {
        crate::json::from_slice(body).ok()
    }
}

impl<T: serde::de::DeserializeOwned + fmt::Debug + Send + Sync + 'static> ErrorBody
    for std::collections::BTreeMap<String, T>
{
    fn decode(body: &[u8], _format: Format, _max_depth: usize) -> Option<Self> {
        crate::json::from_slice(body).ok()
    }
}

/// `ErrorBody` for a generated type whose errors are JSON only; the optional closure picks its
/// message.
#[macro_export]
#[doc(hidden)]
macro_rules! json_error_body {
    ($ty:ty $(, $message:expr)?) => {
        impl $crate::client::ErrorBody for $ty {
            fn decode(body: &[u8], _format: $crate::client::Format, _max_depth: usize) -> ::std::option::Option<Self> {
                $crate::json::from_slice(body).ok()
            }
            $(
                fn message(&self) -> ::std::option::Option<&str> {
                    let message: fn(&Self) -> ::std::option::Option<&str> = $message;
                    message(self)
                }
            )?
        }
    };
}

/// `ErrorBody` for a generated type whose errors come as JSON or XML.
#[macro_export]
#[doc(hidden)]
macro_rules! json_xml_error_body {
    ($ty:ty $(, $message:expr)?) => {
        impl $crate::client::ErrorBody for $ty {
            fn decode(body: &[u8], format: $crate::client::Format, max_depth: usize) -> ::std::option::Option<Self> {
                match format {
                    $crate::client::Format::Json => $crate::json::from_slice(body).ok(),
                    _ => ::std::str::from_utf8(body)
                        .ok()
                        .and_then(|text| $crate::xml::from_str_checked(text, max_depth).ok()),
                }
            }
            $(
                fn message(&self) -> ::std::option::Option<&str> {
                    let message: fn(&Self) -> ::std::option::Option<&str> = $message;
                    message(self)
                }
            )?
        }
    };
}

/// Why a call failed. `E` is the API's error body type.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status (4xx, 5xx).
    Api(ApiError<E>),
    /// A success status the operation does not declare.
    UnexpectedStatus(UnexpectedStatusError),
    /// The request or the response took longer than the timeout.
    Timeout(TimeoutError),
    /// No connection could be made.
    Connect(ConnectError),
    /// The connection failed during the exchange (reset, closed before the whole body arrived).
    Transport(TransportError),
    /// A success response whose body is not the documented type.
    Decode(DecodeError),
    /// The response body is larger than the client allows.
    TooLarge(TooLargeError),
    /// The request body could not be encoded.
    Encode(EncodeError),
    /// Not logged in, a refresh failed, or a logon response lacked its session.
    Auth(AuthError),
    /// A file to upload could not be read, or a download could not be written.
    Io(IoError),
    /// A task waited for failed, or did not finish in time.
    Task(TaskError),
}

impl<E> Error<E> {
    /// The operation called.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::Api(e) => e.operation,
            Error::UnexpectedStatus(e) => e.operation,
            Error::Timeout(e) => e.operation,
            Error::Connect(e) => e.operation,
            Error::Transport(e) => e.operation,
            Error::Decode(e) => e.operation,
            Error::TooLarge(e) => e.operation,
            Error::Encode(e) => e.operation,
            Error::Auth(e) => e.operation,
            Error::Io(e) => e.operation,
            Error::Task(e) => e.operation,
        }
    }

    /// The HTTP status, for errors that have one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedStatus(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// The decoded error body, for [`Error::Api`].
    pub fn body(&self) -> Option<&E> {
        match self {
            Error::Api(e) => e.body.as_ref(),
            _ => None,
        }
    }

    /// A "not logged in" error.
    pub fn not_logged_in(operation: &'static str) -> Self {
        Error::Auth(AuthError::new(operation, "not logged in"))
    }
}

impl<E: ErrorBody> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::UnexpectedStatus(e) => e.fmt(f),
            Error::Timeout(e) => e.fmt(f),
            Error::Connect(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::TooLarge(e) => e.fmt(f),
            Error::Encode(e) => e.fmt(f),
            Error::Auth(e) => e.fmt(f),
            Error::Io(e) => e.fmt(f),
            Error::Task(e) => e.fmt(f),
        }
    }
}

impl<E: ErrorBody> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connect(e) => Some(&e.source),
            Error::Transport(e) => Some(&e.source),
            Error::Decode(e) => Some(&e.cause),
            Error::Auth(e) => e.source.as_deref().map(|s| s as &(dyn std::error::Error + 'static)),
            Error::Io(e) => Some(&e.source),
            _ => None,
        }
    }
}

/// A response body kept for inspection: never printed.
#[derive(Clone, PartialEq, Eq)]
struct Raw(String);

impl fmt::Debug for Raw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

/// The server answered with an error status.
pub struct ApiError<E> {
    pub(super) operation: &'static str,
    pub(super) status: u16,
    pub(super) body: Option<E>,
    raw: Option<Raw>,
    /// The response's headers (none for sensitive calls); boxed, to keep `Error` small.
    headers: Option<Box<reqwest::header::HeaderMap>>,
    /// The call carried or returns secrets (a token grant, a logon): the server may echo them, so
    /// the body is available from [`ApiError::body`] but never printed.
    sensitive: bool,
    /// For a sensitive call whose secrets are all known, the server's message with them masked.
    explanation: Option<String>,
}

impl<E> ApiError<E> {
    /// `raw` is `None` for sensitive calls.
    pub(super) fn new(operation: &'static str, status: u16, body: Option<E>, raw: Option<String>) -> Self {
        let sensitive = raw.is_none();
        ApiError { operation, status, body, raw: raw.map(Raw), headers: None, sensitive, explanation: None }
    }

    pub(super) fn with_headers(mut self, headers: reqwest::header::HeaderMap) -> Self {
        if !self.sensitive && !headers.is_empty() {
            self.headers = Some(Box::new(headers));
        }
        self
    }

    /// The server's explanation of a refused sensitive call, the call's secrets masked.
    pub(super) fn with_explanation(mut self, explanation: Option<String>) -> Self {
        self.explanation = explanation;
        self
    }

    /// A header of the error response (`Retry-After`, a correlation id), if present and text.
    /// Kept, like [`ApiError::raw`], only for operations whose responses hold no secret.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.as_ref()?.get(name).and_then(|v| v.to_str().ok())
    }

    /// The operation called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The error body, when the server sent one of the documented type.
    pub fn body(&self) -> Option<&E> {
        self.body.as_ref()
    }

    /// The error body, taken.
    pub fn into_body(self) -> Option<E> {
        self.body
    }

    /// The body as the server sent it (an HTML error page, a truncated document, ...).
    ///
    /// Kept only for operations whose responses hold no sensitive field (never for token, logon
    /// and refresh calls), but it is still the server's text: it may hold data you would not
    /// log. Never part of `Display` or `Debug`.
    pub fn raw(&self) -> Option<&str> {
        self.raw.as_ref().map(|r| r.0.as_str())
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("ApiError");
        debug.field("operation", &self.operation).field("status", &self.status);
        if self.sensitive {
            debug.field("body", &self.body.as_ref().map(|_| crate::Redacted));
        } else {
            debug.field("body", &self.body);
        }
        debug.field("raw", &self.raw).finish()
    }
}

impl<E: ErrorBody> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the server answered {}", self.operation, status_text(self.status))?;
        let message = match self.sensitive {
            true => self.explanation.as_deref(),
            false => self.body.as_ref().and_then(ErrorBody::message),
        };
        match message.map(str::trim).filter(|m| !m.is_empty()) {
            Some(message) => write!(f, ": {}", one_line(message)),
            None => Ok(()),
        }
    }
}

/// `404 Not Found`.
fn status_text(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()) {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// A message on one line, shortened.
fn one_line(message: &str) -> String {
    let line: String = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 200 {
        format!("{}…", line.chars().take(200).collect::<String>())
    } else {
        line
    }
}

/// A success status the operation does not declare.
#[derive(Debug, thiserror::Error)]
#[error("{operation}: unexpected status {status}")]
pub struct UnexpectedStatusError {
    operation: &'static str,
    status: u16,
    raw: Option<Raw>,
}

impl UnexpectedStatusError {
    pub(super) fn new(operation: &'static str, status: u16, raw: Option<String>) -> Self {
        UnexpectedStatusError { operation, status, raw: raw.map(Raw) }
    }

    /// The operation called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body, for operations whose responses hold no secret (see [`ApiError::raw`]).
    pub fn raw(&self) -> Option<&str> {
        self.raw.as_ref().map(|r| r.0.as_str())
    }
}

/// Why waiting for a task failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TaskErrorKind {
    /// The task is over and says it did not succeed.
    Failed,
    /// The task was not over when the wait's timeout ran out.
    TimedOut,
    /// The task has no id to poll it by.
    NoId,
}

/// A task waited for failed, or did not finish in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskError {
    operation: &'static str,
    kind: TaskErrorKind,
    task_id: Option<String>,
    message: Option<String>,
    timeout: Option<std::time::Duration>,
}

impl TaskError {
    pub(super) fn failed(operation: &'static str, task_id: Option<String>, message: Option<String>) -> Self {
        TaskError { operation, kind: TaskErrorKind::Failed, task_id, message, timeout: None }
    }

    pub(super) fn timed_out(operation: &'static str, task_id: String, timeout: std::time::Duration) -> Self {
        TaskError {
            operation,
            kind: TaskErrorKind::TimedOut,
            task_id: Some(task_id),
            message: None,
            timeout: Some(timeout),
        }
    }

    pub(super) fn no_id(operation: &'static str) -> Self {
        TaskError { operation, kind: TaskErrorKind::NoId, task_id: None, message: None, timeout: None }
    }

    /// The operation that waited.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Failed, timed out, or no id.
    pub fn kind(&self) -> TaskErrorKind {
        self.kind
    }

    /// The task's id.
    pub fn task_id(&self) -> Option<&str> {
        self.task_id.as_deref()
    }

    /// What the failed task reported.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let task = self.task_id.as_deref().unwrap_or("the task");
        let operation = self.operation;
        match (self.kind, &self.message) {
            (TaskErrorKind::Failed, Some(message)) => write!(f, "{operation}: {task} failed: {message}"),
            (TaskErrorKind::Failed, None) => write!(f, "{operation}: {task} failed"),
            (TaskErrorKind::TimedOut, _) => {
                write!(f, "{operation}: {task} still running after {:?}", self.timeout.unwrap_or_default())
            }
            (TaskErrorKind::NoId, _) => write!(f, "{operation}: the task has no id to poll it by"),
        }
    }
}

impl std::error::Error for TaskError {}

/// The request or the response took longer than the timeout.
#[derive(Debug, thiserror::Error)]
#[error("{operation}: timed out")]
pub struct TimeoutError {
    operation: &'static str,
}

impl TimeoutError {
    pub(super) fn new(operation: &'static str) -> Self {
        TimeoutError { operation }
    }

    /// The operation called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}

/// No connection could be made.
#[derive(Debug, thiserror::Error)]
#[error("{operation}: cannot connect")]
pub struct ConnectError {
    operation: &'static str,
    /// The cause, without the URL (which may hold secrets).
    source: reqwest::Error,
}

impl ConnectError {
    pub(super) fn new(operation: &'static str, source: reqwest::Error) -> Self {
        ConnectError { operation, source }
    }

    /// The operation called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}

/// The connection failed during the exchange.
#[derive(Debug, thiserror::Error)]
#[error("{operation}: the connection failed")]
pub struct TransportError {
    operation: &'static str,
    /// The cause, without the URL (which may hold secrets).
    source: reqwest::Error,
}

impl TransportError {
    pub(super) fn new(operation: &'static str, source: reqwest::Error) -> Self {
        TransportError { operation, source }
    }

    /// The operation called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}

/// Why a body could not be decoded: the place in the document and what was wrong. For responses
/// that may hold secrets, the values the decoder saw are left out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DecodeFailure {
    message: String,
}

impl DecodeFailure {
    pub(super) fn new(message: impl Into<String>) -> Self {
        DecodeFailure { message: message.into() }
    }
}

/// A success response whose body is not the documented type.
#[derive(Debug, thiserror::Error)]
#[error("{operation}: the {status} response is not the documented body")]
pub struct DecodeError {
    operation: &'static str,
    status: u16,
    cause: DecodeFailure,
    raw: Option<Raw>,
}

impl DecodeError {
    pub(super) fn new(operation: &'static str, status: u16, cause: DecodeFailure, raw: Option<String>) -> Self {
        DecodeError { operation, status, cause, raw: raw.map(Raw) }
    }

    /// The operation called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// What was wrong, with the path in the document (`Links[1].Rel: missing field`).
    pub fn message(&self) -> &str {
        &self.cause.message
    }

    /// The body, for operations whose responses hold no secret (see [`ApiError::raw`]).
    pub fn raw(&self) -> Option<&str> {
        self.raw.as_ref().map(|r| r.0.as_str())
    }
}

/// The response body is larger than the client allows.
#[derive(Debug, thiserror::Error)]
#[error("{operation}: the response is larger than the limit of {limit} bytes")]
pub struct TooLargeError {
    operation: &'static str,
    limit: u64,
}

impl TooLargeError {
    pub(super) fn new(operation: &'static str, limit: u64) -> Self {
        TooLargeError { operation, limit }
    }

    /// The operation called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The limit, in bytes ([`super::ClientBuilder::max_response_size`]).
    pub fn limit(&self) -> u64 {
        self.limit
    }
}

/// A file to upload could not be read, or a download could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{operation}: {what}")]
pub struct IoError {
    operation: &'static str,
    /// What was being done (`cannot read the file to upload \`license.lic\``).
    what: String,
    source: std::io::Error,
}

impl IoError {
    pub(super) fn new(operation: &'static str, what: impl Into<String>, source: std::io::Error) -> Self {
        IoError { operation, what: what.into(), source }
    }

    /// The operation called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The I/O error.
    pub fn io_error(&self) -> &std::io::Error {
        &self.source
    }
}

/// The request body could not be encoded.
#[derive(Debug, thiserror::Error)]
#[error("{operation}: cannot encode the request: {message}")]
pub struct EncodeError {
    operation: &'static str,
    message: String,
}

impl EncodeError {
    pub(super) fn new(operation: &'static str, message: impl Into<String>) -> Self {
        EncodeError { operation, message: message.into() }
    }

    /// The operation called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}

/// Not logged in, a refresh failed, or a logon response lacked its session.
#[derive(Debug, thiserror::Error)]
#[error("{operation}: {reason}")]
pub struct AuthError {
    operation: &'static str,
    reason: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl AuthError {
    pub(super) fn new(operation: &'static str, reason: impl Into<String>) -> Self {
        AuthError { operation, reason: reason.into(), source: None }
    }

    pub(super) fn caused_by(
        operation: &'static str,
        reason: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        AuthError { operation, reason: reason.into(), source: Some(Box::new(source)) }
    }

    /// The operation called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// What went wrong.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Problem {
        detail: String,
    }

    impl ErrorBody for Problem {
        fn decode(_body: &[u8], _format: Format, _max_depth: usize) -> Option<Self> {
            None
        }
        fn message(&self) -> Option<&str> {
            Some(&self.detail)
        }
    }

    #[test]
    fn display_is_one_line_with_the_decoded_message_and_never_the_raw_body() {
        let error: Error<Problem> = Error::Api(ApiError::new(
            "getThing",
            404,
            Some(Problem { detail: "No thing\n with that  id".into() }),
            Some("<html>secret-token</html>".into()),
        ));
        assert_eq!(error.to_string(), "getThing: the server answered 404 Not Found: No thing with that id");
        let debug = format!("{error:?}");
        assert!(!debug.contains("secret-token") && debug.contains("25 bytes"), "{debug}");
        assert_eq!(error.status(), Some(404));
        let Error::Api(api) = &error else { unreachable!() };
        assert_eq!(api.raw(), Some("<html>secret-token</html>"));
    }

    #[test]
    fn the_cause_is_in_source_only() {
        let error: Error<()> =
            Error::Decode(DecodeError::new("listThings", 200, DecodeFailure::new("items[1].id: invalid type"), None));
        assert_eq!(error.to_string(), "listThings: the 200 response is not the documented body");
        let source = std::error::Error::source(&error).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("items[1].id: invalid type"));
        let auth: Error<()> = Error::Auth(AuthError::caused_by("log_in", "refreshing the access token failed", error));
        let chain = std::error::Error::source(&auth).map(ToString::to_string);
        assert_eq!(auth.to_string(), "log_in: refreshing the access token failed");
        assert_eq!(chain.as_deref(), Some("listThings: the 200 response is not the documented body"));
    }
}
