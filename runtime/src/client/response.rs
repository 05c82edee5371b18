//! Responses: the status, headers and body (read within the client's limits), decoded in the
//! format the server says it sent.

use std::fmt;

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{ApiError, DecodeError, DecodeFailure, ErrorBody, UnexpectedStatusError};
use super::{Error, Format};
use crate::xml::FromXml;

/// A response, body read.
pub struct Response {
    pub(super) operation: &'static str,
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: bytes::Bytes,
    pub(super) format: Format,
    pub(super) max_depth: usize,
    /// The body may hold secrets: never kept in errors, values left out of decode errors.
    pub(super) sensitive: bool,
    /// For a sensitive response, the secrets the call sent, when they are all known: the
    /// server's explanation of a refusal is then shown with them masked.
    pub(super) secrets: Option<Vec<super::Secret>>,
    /// Which error body type each error status documents (status 0: any other).
    pub(super) error_bodies: &'static [(u16, usize)],
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// The body format of a response: from its `Content-Type`, else the format asked for.
pub(super) fn body_format(headers: &HeaderMap, asked: Format) -> Format {
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence.ends_with("json") {
        Format::Json
    } else if essence.ends_with("xml") {
        Format::Xml
    } else {
        asked
    }
}

impl Response {
    /// The status code.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// A response header, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as text, unless the response may hold secrets.
    fn raw(&self) -> Option<String> {
        (!self.sensitive).then(|| String::from_utf8_lossy(&self.body).into_owned())
    }

    fn decode_error<E>(&self, failure: DecodeFailure) -> Error<E> {
        Error::Decode(DecodeError::new(self.operation, self.status.as_u16(), failure, self.raw()))
    }

    /// Decodes a JSON body.
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        crate::json::from_slice(&self.body).map_err(|e| {
            let message = if self.sensitive { e.without_values() } else { e.to_string() };
            self.decode_error(DecodeFailure::new(message))
        })
    }

    /// Decodes an XML body.
    pub fn xml<T: FromXml, E>(&self) -> Result<T, Error<E>> {
        let text = std::str::from_utf8(&self.body)
            .map_err(|e| self.decode_error(DecodeFailure::new(format!("not UTF-8: {e}"))))?;
        crate::xml::from_str_with_depth(text, self.max_depth).map_err(|e| {
            let message = if self.sensitive { e.without_values() } else { e.to_string() };
            self.decode_error(DecodeFailure::new(message))
        })
    }

    /// Decodes a body in the format its `Content-Type` names (else the format asked for).
    pub fn body<T: DeserializeOwned + FromXml, E>(&self) -> Result<T, Error<E>> {
        match body_format(&self.headers, self.format) {
            Format::Json => self.json(),
            Format::Xml => self.xml(),
        }
    }

    /// A text body, as it is (it must be UTF-8).
    pub fn text<E>(&self) -> Result<String, Error<E>> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => Ok(text.to_owned()),
            Err(e) => Err(self.decode_error(DecodeFailure::new(format!("not UTF-8: {e}")))),
        }
    }

    /// A file body, whole, with its media type and file name (the body moves out).
    pub fn download<E>(&mut self) -> Result<super::Download, Error<E>> {
        Ok(super::Download::new(&self.headers, Vec::from(std::mem::take(&mut self.body))))
    }

    /// The decoded body with this response's status and headers.
    pub fn into_value<T>(self, body: T) -> ResponseValue<T> {
        ResponseValue { status: self.status, headers: self.headers, body }
    }

    /// A success status the operation does not declare.
    pub fn unexpected<E>(&self) -> Error<E> {
        Error::UnexpectedStatus(UnexpectedStatusError::new(self.operation, self.status.as_u16(), self.raw()))
    }

    pub(super) fn api_error<E: ErrorBody>(&self) -> Error<E> {
        let status = self.status.as_u16();
        let documented = [status, status / 100, 0]
            .iter()
            .find_map(|wanted| self.error_bodies.iter().find(|(s, _)| s == wanted))
            .map(|(_, index)| *index);
        let body = if self.body.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            E::decode_documented(&self.body, body_format(&self.headers, self.format), self.max_depth, documented)
        };
        let explanation = match (&self.secrets, &body) {
            (Some(secrets), Some(body)) if self.sensitive => body.message().map(|message| masked(message, secrets)),
            _ => None,
        };
        let error = ApiError::new(self.operation, status, body, self.raw()).with_headers(self.headers.clone());
        Error::Api(error.with_explanation(explanation))
    }
}

/// `message` with every secret the call sent replaced by `***`, as sent and as a form or a URL
/// would encode it (a server may echo the request it refused).
fn masked(message: &str, secrets: &[super::Secret]) -> String {
    let mut message = message.to_owned();
    for secret in secrets.iter().map(super::Secret::expose).filter(|secret| !secret.is_empty()) {
        let form: String = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let url = percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC).to_string();
        for shown in [secret, form.as_str(), url.as_str()] {
            message = message.replace(shown, "***");
        }
    }
    message
}

/// A successful call's decoded body with the response's status and headers (`Location` of a
/// created resource, rate-limit headers, ...): what `send_with_response()` returns. It derefs to
/// the body; `Debug` shows header names, never their values.
pub struct ResponseValue<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> ResponseValue<T> {
    /// The status code.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// A response header, if present and text (the first one, if repeated).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every response header.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Location` header: where a created resource (or the task creating it) lives.
    pub fn location(&self) -> Option<&str> {
        self.header(reqwest::header::LOCATION.as_str())
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, status and headers dropped.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and body.
    pub fn into_parts(self) -> (u16, HeaderMap, T) {
        (self.status.as_u16(), self.headers, self.body)
    }
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.body
    }
}

impl<T: fmt::Debug> fmt::Debug for ResponseValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be secrets (a session id, a cookie): names only.
        let names: Vec<&str> = self.headers.keys().map(|name| name.as_str()).collect();
        f.debug_struct("ResponseValue")
            .field("status", &self.status.as_u16())
            .field("headers", &names)
            .field("body", &self.body)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn response(content_type: Option<&str>, body: &str, sensitive: bool) -> Response {
        let mut headers = HeaderMap::new();
        if let Some(content_type) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        }
        Response {
            operation: "op",
            status: StatusCode::OK,
            headers,
            body: bytes::Bytes::copy_from_slice(body.as_bytes()),
            format: Format::Xml,
            max_depth: 128,
            sensitive,
            secrets: None,
            error_bodies: &[],
        }
    }

    #[test]
    fn secrets_are_masked_as_sent_and_as_encoded() {
        let secrets = [super::super::Secret::new("p@ss word&1"), super::super::Secret::new("")];
        let message = "invalid password p@ss word&1 (password=p%40ss+word%261, raw p%40ss%20word%261)";
        assert_eq!(masked(message, &secrets), "invalid password *** (password=***, raw ***)");
    }

    #[test]
    fn format_negotiation() {
        let format = |ct: Option<&str>| body_format(&response(ct, "", false).headers, Format::Xml);
        assert_eq!(format(Some("application/json; charset=utf-8")), Format::Json);
        assert_eq!(format(Some("application/problem+json")), Format::Json);
        assert_eq!(format(Some("application/xml")), Format::Xml);
        assert_eq!(format(Some("text/xml")), Format::Xml);
        assert_eq!(format(Some("text/html")), Format::Xml, "unknown types fall back to the format asked for");
        assert_eq!(format(Some("application/jsonp-not")), Format::Xml);
        assert_eq!(format(None), Format::Xml);
    }

    #[test]
    fn decode_errors_of_sensitive_responses_leave_out_values_and_the_body() {
        #[derive(serde::Deserialize, Debug)]
        struct Token {
            #[allow(dead_code)]
            access_token: String,
        }
        let body = r#"{"access_token": 123456789}"#;
        let open = response(Some("application/json"), body, false).json::<Token, ()>().unwrap_err();
        let Error::Decode(decode) = &open else { panic!("{open:?}") };
        assert!(decode.message().contains("123456789") && decode.raw() == Some(body), "{}", decode.message());
        let closed = response(Some("application/json"), body, true).json::<Token, ()>().unwrap_err();
        let Error::Decode(decode) = &closed else { panic!("{closed:?}") };
        assert!(!decode.message().contains("123456789"), "{}", decode.message());
        assert!(decode.message().starts_with("access_token:"), "{}", decode.message());
        assert_eq!(decode.raw(), None);
        assert!(!format!("{closed:?}").contains("123456789"));
    }

    #[test]
    fn error_bodies_are_decoded_as_their_status_its_class_or_the_default_documents() {
        /// Records which documented type it was asked to try first.
        #[derive(Debug, PartialEq)]
        struct Documented(Option<usize>);
        impl ErrorBody for Documented {
            fn decode(_: &[u8], _: Format, _: usize) -> Option<Self> {
                Some(Documented(None))
            }
            fn decode_documented(_: &[u8], _: Format, _: usize, documented: Option<usize>) -> Option<Self> {
                Some(Documented(documented))
            }
        }
        let documented = |status: u16, table: &'static [(u16, usize)]| {
            let mut response = response(Some("application/json"), "{}", false);
            response.status = StatusCode::from_u16(status).unwrap();
            response.error_bodies = table;
            let Error::Api(api) = response.api_error::<Documented>() else { panic!() };
            api.into_body().unwrap().0
        };
        let table: &[(u16, usize)] = &[(404, 1), (4, 2), (0, 3)];
        assert_eq!(documented(404, table), Some(1), "the status itself");
        assert_eq!(documented(409, table), Some(2), "its class");
        assert_eq!(documented(503, table), Some(3), "the default");
        assert_eq!(documented(503, &[(404, 1)]), None, "nothing documented");
    }
}
