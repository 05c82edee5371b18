//! Requests as generated code assembles them: path segments, query and header parameters, a
//! body in one of the operation's formats.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use super::auth::Secret;
use super::error::EncodeError;
use super::files::{Part, PartValue, Upload};
use super::{Error, Method};
use crate::xml::ToXml;

pub(super) const FORM: &str = "application/x-www-form-urlencoded";

/// Characters kept as they are in a path segment (RFC 3986 unreserved).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// How deep a `deepObject` query parameter may nest (the types that fill one are finite; this
/// bounds a value built by hand).
const DEEP_OBJECT_DEPTH: usize = 32;

/// A value sent as text in a path, query or header.
pub trait ParamValue {
    /// The text sent.
    fn to_param(&self) -> Cow<'_, str>;
}

impl ParamValue for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for str {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for bool {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! display_param {
    ($($ty:ty),*) => {$(
        impl ParamValue for $ty {
            fn to_param(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}

display_param!(i32, i64, f64, uuid::Uuid, crate::DateTime, crate::Date);

/// An HTTP request being assembled by generated code.
pub struct Request {
    pub(super) method: Method,
    pub(super) operation: &'static str,
    pub(super) template: &'static str,
    pub(super) path: String,
    /// The query string, encoded (`a=1&b=x+y&c=1,2`).
    pub(super) query: String,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) body: Option<Body>,
    /// `Accept`, when not the client's format (files, text).
    pub(super) accept: Option<&'static str>,
    /// Which error body type each error status documents, for APIs with several.
    pub(super) error_bodies: &'static [(u16, usize)],
    /// The operation may be sent twice whatever its method (the spec says so).
    pub(super) idempotent: bool,
    /// The ways the operation accepts to be authenticated, each one scheme or several sent
    /// together; empty: each of the API's schemes alone.
    pub(super) schemes: &'static [&'static [super::Scheme]],
    pub(super) basic: Option<(String, Secret)>,
    pub(super) authenticated: bool,
    /// The response may hold secrets: its body is never kept in errors.
    pub(super) sensitive_response: bool,
    /// The secrets the call sends (a password, a refresh token, a client secret): masked in the
    /// server's explanation of a refusal.
    pub(super) secrets: Vec<Secret>,
    /// Every secret the call sends is in `secrets`, so an explanation can be shown masked. False
    /// once the response is marked sensitive for another reason (a body with secret fields).
    pub(super) secrets_known: bool,
    /// What the call does to the client's credentials.
    pub(super) effect: Effect,
}

/// How a list query parameter is written (OpenAPI's `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    /// `a=1&a=2` (`form`, exploded).
    Repeat,
    /// `a=1,2` (`form`, not exploded).
    Comma,
    /// `a=1%202` (`spaceDelimited`).
    Space,
    /// `a=1|2` (`pipeDelimited`).
    Pipe,
    /// `a=1%092` (Swagger 2.0's `tsv`).
    Tab,
}

/// What a call does to the client's credentials, whichever method sends it: the API's logout or
/// sign-out operation ends them, its token operation issues new ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Effect {
    /// An ordinary call.
    #[default]
    None,
    /// Ends the session or revokes the tokens: the client forgets every credential once the
    /// call is made (whatever the answer: a user who logged out never wants to be logged on
    /// again), and a 401 to it is not answered by logging on again.
    EndsSession,
    /// Answers with OAuth2 tokens: a success response's tokens become the client's.
    IssuesTokens,
}

pub(super) enum Body {
    /// Encoded in memory (JSON, XML, a form, text).
    Bytes { bytes: bytes::Bytes, content_type: &'static str },
    /// A file, read when sent.
    Upload { upload: Upload, content_type: &'static str },
    /// `multipart/form-data`, its files read when sent.
    Multipart(Vec<(&'static str, Part)>),
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The template, not the filled path: path parameters can be secrets.
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.template)
            .finish_non_exhaustive()
    }
}

impl Request {
    /// A request for `operation` (`template` is the path template, used in traces and errors).
    pub fn new(method: Method, operation: &'static str, template: &'static str, authenticated: bool) -> Self {
        Request {
            method,
            operation,
            template,
            path: String::new(),
            query: String::new(),
            headers: Vec::new(),
            body: None,
            accept: None,
            error_bodies: &[],
            schemes: &[],
            idempotent: false,
            basic: None,
            authenticated,
            sensitive_response: false,
            secrets: Vec::new(),
            secrets_known: true,
            effect: Effect::None,
        }
    }

    /// Says what the call does to the client's credentials ([`Effect`]).
    pub fn effect(&mut self, effect: Effect) {
        self.effect = effect;
    }

    /// Marks the response as one that may hold secrets (a token, a password): its body is then
    /// never kept in an error, and decoding errors leave out the values they saw.
    pub fn sensitive_response(&mut self) {
        self.sensitive_response = true;
    }

    /// Marks the request as one that sends secrets the runtime does not know (a body with a
    /// password): an error response may echo them, so it is treated as sensitive, and the
    /// server's explanation of a refusal is never shown (it could not be masked).
    pub fn sends_secrets(&mut self) {
        self.sensitive_response = true;
        self.secrets_known = false;
    }

    /// Appends a literal part of the path.
    pub fn literal(&mut self, text: &str) {
        self.path.push_str(text);
    }

    /// Appends a path parameter, percent-encoded.
    pub fn segment<T: ParamValue + ?Sized>(&mut self, value: &T) {
        self.path.extend(utf8_percent_encode(&value.to_param(), SEGMENT));
    }

    /// Adds a query parameter; `None` adds nothing.
    pub fn query<T: ParamValue + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.query_name(name);
            self.query.extend(form_urlencoded::byte_serialize(value.to_param().as_bytes()));
        }
    }

    /// Adds a list query parameter in its documented style: repeated (`a=1&a=2`) or one value
    /// whose items are joined by the style's delimiter, written as it is (`a=1,2`, `a=1|2`,
    /// `a=1%202`) while each item is encoded (a comma inside an item is `%2C`).
    pub fn query_list<T: ParamValue>(&mut self, name: &str, values: Option<&[T]>, style: ListStyle) {
        // An empty list is no parameter, in every style (`a=` would be one empty item).
        let Some(values) = values.filter(|values| !values.is_empty()) else { return };
        let delimiter = match style {
            ListStyle::Repeat => {
                for value in values {
                    self.query(name, Some(value));
                }
                return;
            }
            ListStyle::Comma => ",",
            ListStyle::Space => "%20",
            ListStyle::Pipe => "|",
            ListStyle::Tab => "%09",
        };
        self.query_name(name);
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                self.query.push_str(delimiter);
            }
            self.query.extend(form_urlencoded::byte_serialize(value.to_param().as_bytes()));
        }
    }

    /// Adds an object query parameter in OpenAPI's `deepObject` style: each member as
    /// `name[member]=value` in the order of their names, nested objects as `name[a][b]=value`, a
    /// list's items repeated under one key; absent (`null`) members are left out. `None` adds
    /// nothing.
    pub fn query_deep_object<T: Serialize + ?Sized, E>(
        &mut self,
        name: &str,
        value: Option<&T>,
    ) -> Result<(), Error<E>> {
        let Some(value) = value else { return Ok(()) };
        let value = serde_json::to_value(value).map_err(|e| self.encode_error(e.to_string()))?;
        let mut pending = vec![(name.to_owned(), &value, 0)];
        let mut pairs = Vec::new();
        // Depth-first, in member order (the stack is filled backwards).
        while let Some((key, value, depth)) = pending.pop() {
            if depth > DEEP_OBJECT_DEPTH {
                return Err(self.encode_error(format!("`{name}` nests deeper than {DEEP_OBJECT_DEPTH} levels")));
            }
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::Bool(flag) => pairs.push((key, flag.to_string())),
                serde_json::Value::Number(number) => pairs.push((key, number.to_string())),
                serde_json::Value::String(text) => pairs.push((key, text.clone())),
                serde_json::Value::Array(items) => {
                    pending.extend(items.iter().rev().map(|item| (key.clone(), item, depth + 1)));
                }
                serde_json::Value::Object(members) => {
                    let nested =
                        members.iter().rev().map(|(member, item)| (format!("{key}[{member}]"), item, depth + 1));
                    pending.extend(nested);
                }
            }
        }
        // In key order whatever `serde_json::Map` keeps (its order depends on a cargo feature
        // another crate may turn on); a list's items stay in their order (a stable sort).
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, text) in pairs {
            self.query_name(&key);
            self.query.extend(form_urlencoded::byte_serialize(text.as_bytes()));
        }
        Ok(())
    }

    /// Starts a `name=` pair.
    fn query_name(&mut self, name: &str) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.extend(form_urlencoded::byte_serialize(name.as_bytes()));
        self.query.push('=');
    }

    /// Adds a header; `None` adds nothing.
    pub fn header<T: ParamValue + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(value) = value {
            self.headers.push((name, value.to_param().into_owned()));
        }
    }

    /// Sends HTTP Basic credentials (logon calls). The response then counts as sensitive.
    pub fn basic_auth(&mut self, username: &str, password: &str) {
        self.basic = Some((username.to_owned(), Secret::new(password)));
        self.secrets.push(Secret::new(password));
        self.sensitive_response = true;
    }

    /// Asks for these media types (`text/csv, application/xml`) instead of the client's format.
    pub fn accept(&mut self, media_types: &'static str) {
        self.accept = Some(media_types);
    }

    /// Marks the call as safe to send again although its method is not idempotent (a POST
    /// that only reads, such as a search): it is retried like a GET.
    pub fn idempotent(&mut self) {
        self.idempotent = true;
    }

    /// The ways the operation accepts to be authenticated, when not each of the API's schemes
    /// alone: in the order a call tries them, each a scheme or several sent together
    /// (`&[&[Scheme::Bearer], &[Scheme::ApiKey("key"), Scheme::ApiKey("secret")]]`).
    pub fn schemes(&mut self, schemes: &'static [&'static [super::Scheme]]) {
        self.schemes = schemes;
    }

    /// Which of the API's error body types each error status documents (`4`, `5`: any other
    /// status of that class; `0`: any other status), tried first when decoding an error.
    pub fn error_bodies(&mut self, table: &'static [(u16, usize)]) {
        self.error_bodies = table;
    }

    fn encode_error<E>(&self, message: impl Into<String>) -> Error<E> {
        Error::Encode(EncodeError::new(self.operation, message))
    }

    /// A JSON body.
    pub fn json_body<T: Serialize, E>(&mut self, value: &T) -> Result<(), Error<E>> {
        let bytes = serde_json::to_vec(value).map_err(|e| self.encode_error(e.to_string()))?;
        self.body = Some(Body::Bytes { bytes: bytes.into(), content_type: "application/json" });
        Ok(())
    }

    /// An XML body.
    pub fn xml_body<T: ToXml, E>(&mut self, value: &T) -> Result<(), Error<E>> {
        let text = crate::xml::to_string(value).map_err(|e| self.encode_error(e.to_string()))?;
        self.body = Some(Body::Bytes { bytes: text.into(), content_type: "application/xml" });
        Ok(())
    }

    /// A form body.
    pub fn form_body<T: Serialize, E>(&mut self, value: &T) -> Result<(), Error<E>> {
        let text = serde_urlencoded::to_string(value).map_err(|e| self.encode_error(e.to_string()))?;
        self.body = Some(Body::Bytes { bytes: text.into(), content_type: FORM });
        Ok(())
    }

    /// A text body, sent as it is.
    pub fn text_body(&mut self, text: &str, content_type: &'static str) {
        self.body = Some(Body::Bytes { bytes: bytes::Bytes::copy_from_slice(text.as_bytes()), content_type });
    }

    /// A file as the whole body; `content_type` unless the upload names its own.
    pub fn upload_body(&mut self, upload: &Upload, content_type: &'static str) {
        self.body = Some(Body::Upload { upload: upload.clone(), content_type });
    }

    /// Adds parts of a `multipart/form-data` body (the body becomes one).
    pub fn part<T: PartValue + ?Sized>(&mut self, name: &'static str, value: &T) {
        if !matches!(self.body, Some(Body::Multipart(_))) {
            self.body = Some(Body::Multipart(Vec::new()));
        }
        if let Some(Body::Multipart(parts)) = &mut self.body {
            value.add_parts(name, parts);
        }
    }

    /// A form body of fields (token grants): the response counts as sensitive, and every value
    /// but the grant type, user name, client id and scope is a secret.
    pub(super) fn form_fields<E>(&mut self, fields: &[(&str, &str)]) -> Result<(), Error<E>> {
        let public = ["grant_type", "username", "client_id", "scope"];
        let secrets = fields.iter().filter(|(name, _)| !public.contains(name)).map(|(_, value)| Secret::new(*value));
        self.secrets.extend(secrets);
        self.sensitive_response = true;
        self.form_body(&fields)
    }

    /// A secret the call sends another way (a client secret in a header).
    pub(super) fn secret(&mut self, secret: Secret) {
        self.secrets.push(secret);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded_and_queries_kept_in_order() {
        let mut request = Request::new(Method::GET, "op", "/a/{id}", true);
        request.literal("/a/");
        request.segment("x y/../%");
        request.query("q", Some("a&b c"));
        request.query::<str>("none", None);
        request.query_list("l", Some(&[1, 2][..]), ListStyle::Repeat);
        request.query_list("c", Some(&["a".to_owned(), "b,c".to_owned()][..]), ListStyle::Comma);
        let (x, y) = ("x".to_owned(), "y".to_owned());
        request.query_list("p", Some(&[x.clone(), y.clone()][..]), ListStyle::Pipe);
        request.query_list("s", Some(&[x, y][..]), ListStyle::Space);
        request.query_list("e", Some(&[] as &[String]), ListStyle::Comma);
        assert_eq!(request.path, "/a/x%20y%2F..%2F%25");
        // The delimiter as it is, an item's own comma encoded.
        assert_eq!(request.query, "q=a%26b+c&l=1&l=2&c=a,b%2Cc&p=x|y&s=x%20y");
        // Debug shows the template, never the filled path.
        assert!(format!("{request:?}").contains("\"/a/{id}\""));
    }

    #[test]
    fn deep_objects_name_each_member() {
        #[derive(Serialize)]
        struct Range {
            from: u32,
            to: Option<u32>,
        }
        #[derive(Serialize)]
        struct Filter {
            name: &'static str,
            tags: Vec<&'static str>,
            range: Range,
            none: Option<bool>,
        }
        let filter = Filter { name: "a b", tags: vec!["x", "y&z"], range: Range { from: 1, to: None }, none: None };
        let mut request = Request::new(Method::GET, "op", "/a", true);
        request.query("first", Some("1"));
        request.query_deep_object::<_, ()>("filter", Some(&filter)).unwrap();
        request.query_deep_object::<Filter, ()>("absent", None).unwrap();
        assert_eq!(
            request.query,
            "first=1&filter%5Bname%5D=a+b&filter%5Brange%5D%5Bfrom%5D=1&filter%5Btags%5D=x&filter%5Btags%5D=y%26z"
        );
        // A value nested past the bound is an encoding error, not a stack overflow.
        let mut deep = serde_json::json!(1);
        for _ in 0..40 {
            deep = serde_json::json!({ "a": deep });
        }
        let error = request.query_deep_object::<_, ()>("deep", Some(&deep)).unwrap_err();
        assert!(error.to_string().contains("nests deeper than 32 levels"), "{error}");
    }

    #[test]
    fn basic_credentials_make_the_response_sensitive_and_never_print() {
        let mut request = Request::new(Method::POST, "logon", "/sessions", false);
        assert!(!request.sensitive_response);
        request.basic_auth("admin", "hunter2");
        assert!(request.sensitive_response);
        assert!(!format!("{request:?}").contains("hunter2"));
    }

    #[test]
    fn bodies_in_each_format() {
        let mut request = Request::new(Method::POST, "op", "/x", true);
        request.json_body::<_, ()>(&serde_json::json!({"a": 1})).unwrap();
        assert!(matches!(request.body, Some(Body::Bytes { content_type: "application/json", .. })));
        request.form_fields::<()>(&[("grant_type", "password"), ("username", "a b")]).unwrap();
        let Some(Body::Bytes { bytes, content_type }) = &request.body else { panic!() };
        assert_eq!((*content_type, &bytes[..]), (FORM, &b"grant_type=password&username=a+b"[..]));
        request.part("file", &Upload::from_bytes(vec![1, 2]));
        request.part("note", &Some("x".to_owned()));
        let Some(Body::Multipart(parts)) = &request.body else { panic!() };
        assert_eq!(parts.len(), 2);
    }
}
