//! What the Enterprise Manager loopback tests share: the documented examples, a client logged on
//! to a wiremock server on 127.0.0.1, response bodies in either format, and the checks every
//! authenticated request must pass.

// Each test file uses its own subset.
#![allow(dead_code, unused_macros)]

use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

use veeam_api::enterprise_manager::{Client, Error};
use veeam_api::xml::FromXml;
use veeam_api::Format;
use veeam_api::{json, xml};
use veeam_runtime::xml::{same_tree, Document};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[macro_export]
macro_rules! example {
    ($file:literal) => {
        include_str!(concat!("../../spec/enterprise_manager/examples/", $file))
    };
}

pub const SESSION: &str = "O9Msj3rq7EGUhtSMBQx+mw==";
pub const SERVER: &str = "ce15a8c7-aa49-495e-b05b-ee3398c91018";
pub const PASSWORD: &str = "cacd84ea-5cc9-46b5-9e79-2162c4170662";
pub const ACCOUNT: &str = "de19303b-bcf3-428b-b113-ac0b2cf46bd7";
pub const ROLE: &str = "f83e4c81-0815-452f-9377-9d573dd9d481";

pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// A documented XML body as it is sent in `format`: as is, or as the JSON of the same value.
pub fn body_in<T: FromXml + serde::Serialize>(xml_text: &str, format: Format) -> (String, &'static str) {
    match format {
        Format::Xml => (xml_text.to_owned(), "application/xml"),
        _ => {
            let value: T = xml::from_str(xml_text).unwrap();
            (json::to_string(&value).unwrap(), "application/json")
        }
    }
}

pub fn respond(status: u16, body: Option<(String, &'static str)>) -> ResponseTemplate {
    match body {
        Some((text, media_type)) => ResponseTemplate::new(status).set_body_raw(text.into_bytes(), media_type),
        None => ResponseTemplate::new(status),
    }
}

pub async fn logged_on(format: Format) -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder(server.uri()).format(format).build().unwrap();
    client.set_session_id(SESSION);
    (server, client)
}

/// Checks the headers every authenticated call carries and returns the request.
pub async fn only_request(server: &MockServer, format: Format) -> Request {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let request = requests.into_iter().next().unwrap();
    assert_eq!(header(&request, "x-restsvcsessionid"), Some(SESSION));
    let accept = if format == Format::Xml { "application/xml" } else { "application/json" };
    assert_eq!(header(&request, "accept"), Some(accept), "exactly one media type");
    assert_eq!(header(&request, "authorization"), None);
    request
}

pub fn assert_body(request: &Request, format: Format, expected_xml: &str, expected_json: Option<Value>) {
    let text = std::str::from_utf8(&request.body).unwrap();
    match format {
        Format::Xml => {
            assert_eq!(header(request, "content-type"), Some("application/xml"));
            let sent = Document::parse(text).unwrap();
            assert_eq!(sent.root().namespace(), Some("http://www.veeam.com/ent/v1.0"));
            let expected = Document::parse(expected_xml).unwrap();
            if let Err(difference) = same_tree(expected.root(), sent.root(), true) {
                panic!("{difference}\n{text}");
            }
        }
        _ => {
            assert_eq!(header(request, "content-type"), Some("application/json"));
            assert_eq!(serde_json::from_str::<Value>(text).unwrap(), expected_json.unwrap());
        }
    }
}

/// A response body in the requested format: (text, media type).
pub type Body = (String, &'static str);

/// A call of the client's without a request body.
pub type Call = fn(Client) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send>>;

/// A call without a request body: what it sends and what it must make of the response.
pub struct Case {
    pub name: &'static str,
    pub call: Call,
    pub method: &'static str,
    pub path: String,
    pub query: Option<&'static str>,
    pub status: u16,
    /// The response body in the requested format, if any.
    pub response: Option<fn(Format) -> Body>,
    /// What the call returned, summarised.
    pub expected: String,
}

/// Each case in XML and in JSON against its own server: the call returns what is expected, and
/// the one request carries the session, `Accept`, the query, and no body.
pub async fn run_cases(cases: Vec<Case>) {
    for format in [Format::Xml, Format::Json] {
        for case in &cases {
            let (server, client) = logged_on(format).await;
            Mock::given(method(case.method))
                .and(path(case.path.as_str()))
                .respond_with(respond(case.status, case.response.map(|r| r(format))))
                .mount(&server)
                .await;
            let output = (case.call)(client).await.unwrap_or_else(|e| panic!("{} ({format:?}): {e:?}", case.name));
            assert_eq!(output, case.expected, "{} ({format:?})", case.name);
            let request = only_request(&server, format).await;
            assert_eq!(request.url.query(), case.query, "{} ({format:?})", case.name);
            assert!(request.body.is_empty(), "{}", case.name);
            assert_eq!(header(&request, "content-type"), None, "{}: no body, no content type", case.name);
        }
    }
}
