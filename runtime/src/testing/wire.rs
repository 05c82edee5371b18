//! Every operation on the wire, called by the tests `codegen` generates (feature `testing`): a
//! loopback server ([`serve`]) answering with a response built from the schema ([`json`],
//! [`empty`], [`text`], [`bytes()`]), then checks of the one request it received: method, path and
//! query ([`check`]), headers ([`headers`]) and body ([`json_body`], [`form_body`], [`raw_body`],
//! [`multipart_body`]).
//!
//! They panic with a message that says what differed: they are test assertions.

use serde::de::DeserializeOwned;

pub use wiremock::{MockServer, Request, ResponseTemplate};

/// A response without a body.
pub fn empty(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status)
}

/// A JSON response.
pub fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body, "application/json")
}

/// A text response.
pub fn text(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw("text", "text/plain")
}

/// A binary response.
pub fn bytes(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(b"\x00bytes".to_vec(), "application/octet-stream")
}

/// A loopback server answering every request with `response`.
pub async fn serve(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any()).respond_with(response).mount(&server).await;
    server
}

/// The one request the server received, checked: its method, path and query, each `name=value`
/// pair byte for byte as sent (`Sort=a,b` is not `Sort=a%2Cb`), in any order.
pub async fn check(server: &MockServer, method: &str, path: &str, query: &[&str]) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "one request");
    let request = requests.remove(0);
    assert_eq!(request.method.as_str(), method);
    assert_eq!(request.url.path(), path);
    let mut sent: Vec<&str> = request.url.query().unwrap_or_default().split('&').filter(|p| !p.is_empty()).collect();
    let mut expected = query.to_vec();
    sent.sort_unstable();
    expected.sort_unstable();
    assert_eq!(sent, expected, "the query, as sent");
    request
}

/// The request's headers of these names have these values.
pub fn headers(request: &Request, expected: &[(&str, &str)]) {
    for (name, value) in expected {
        assert_eq!(header(request, name), Some(*value), "header {name}");
    }
}

/// A JSON body sent as the sample, member by member.
pub fn json_body(request: &Request, sample: &str) {
    assert_eq!(header(request, "content-type"), Some("application/json"));
    let sent: serde_json::Value = serde_json::from_slice(&request.body).expect("a JSON body");
    let sample: serde_json::Value = serde_json::from_str(sample).expect("a JSON sample");
    assert_eq!(sent, sample, "the body, member by member");
}

/// A form body with these fields (in any order).
pub fn form_body(request: &Request, fields: &[(&str, &str)]) {
    assert_eq!(header(request, "content-type"), Some("application/x-www-form-urlencoded"));
    let sent: Vec<(String, String)> = serde_urlencoded::from_bytes(&request.body).expect("a form body");
    assert_eq!(sorted(sent), owned(fields), "the form's fields");
}

/// A body sent as these bytes, of this media type.
pub fn raw_body(request: &Request, media_type: &str, body: &[u8]) {
    assert_eq!(header(request, "content-type"), Some(media_type));
    assert_eq!(request.body, body);
}

/// A multipart body with these parts.
pub fn multipart_body(request: &Request, parts: &[&str]) {
    let content_type = header(request, "content-type");
    assert!(content_type.is_some_and(|t| t.starts_with("multipart/form-data; boundary=")), "{content_type:?}");
    let body = String::from_utf8_lossy(&request.body);
    for part in parts {
        assert!(body.contains(&format!("name=\"{part}\"")), "part {part}");
    }
}

/// A value from its JSON sample.
pub fn sample<T: DeserializeOwned>(json: &str) -> T {
    crate::json::from_str(json).expect("a sample")
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    sorted(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
}
