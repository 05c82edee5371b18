//! The helpers of the generated tests on the wire (`veeam_runtime::testing::wire`) pass a request
//! that is what they expect and fail one that differs in anything they check: a wire test that
//! cannot fail would prove nothing.

use std::panic::{catch_unwind, AssertUnwindSafe};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use veeam_runtime::testing::wire::{
    check, form_body, headers, json, json_body, multipart_body, raw_body, sample, serve, MockServer, Request,
};

/// A server (answering with a JSON template) that has received one request, sent as raw HTTP/1.1;
/// and the response it sent back.
async fn record(path_and_query: &str, request_headers: &[(&str, &str)], body: &[u8]) -> (MockServer, String) {
    let server = serve(json(201, "{\"a\":1}")).await;
    let mut stream = tokio::net::TcpStream::connect(server.address()).await.expect("connects");
    let mut head = format!("POST {path_and_query} HTTP/1.1\r\nhost: x\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in request_headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("connection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.expect("writes");
    stream.write_all(body).await.expect("writes");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("reads");
    (server, String::from_utf8_lossy(&response).into_owned())
}

/// Whether `check` with these expectations fails on a recorded `POST /api/things?b=2&a=1&c=x,y`.
async fn check_fails(method: &'static str, path: &'static str, query: &'static [&str]) -> bool {
    let (server, _) = record("/api/things?b=2&a=1&c=x,y", &[], b"").await;
    tokio::spawn(async move { check(&server, method, path, query).await }).await.is_err()
}

fn fails(assertion: impl FnOnce()) -> bool {
    catch_unwind(AssertUnwindSafe(assertion)).is_err()
}

async fn request_with(content_type: &str, body: &[u8]) -> Request {
    let (server, _) = record("/api/things", &[("content-type", content_type), ("x-api-version", "1.2")], body).await;
    check(&server, "POST", "/api/things", &[]).await
}

#[tokio::test]
async fn the_response_is_the_template() {
    let (_, response) = record("/", &[], b"").await;
    assert!(response.starts_with("HTTP/1.1 201"), "{response}");
    assert!(response.to_ascii_lowercase().contains("content-type: application/json"), "{response}");
    assert!(response.ends_with("{\"a\":1}"), "{response}");
}

#[tokio::test]
async fn method_path_and_query_pairs_in_any_order_are_checked_as_sent() {
    let (server, _) = record("/api/things?b=2&a=1&c=x,y", &[], b"").await;
    let request = check(&server, "POST", "/api/things", &["a=1", "c=x,y", "b=2"]).await;
    assert_eq!(request.url.path(), "/api/things");

    let all = &["a=1", "b=2", "c=x,y"];
    assert!(!check_fails("POST", "/api/things", all).await, "as sent");
    assert!(check_fails("GET", "/api/things", all).await, "the method");
    assert!(check_fails("POST", "/api/other", all).await, "the path");
    assert!(check_fails("POST", "/api/things", &["a=1", "c=x,y"]).await, "a missing pair");
    assert!(check_fails("POST", "/api/things", &["a=1", "b=3", "c=x,y"]).await, "a value");
    assert!(check_fails("POST", "/api/things", &["a=1", "b=2", "c=x%2Cy"]).await, "an encoded delimiter");
    assert!(check_fails("POST", "/api/things", &["a=1", "b=2", "c=x,y", "d="]).await, "an extra pair");
}

#[tokio::test]
async fn headers_and_bodies_are_checked() {
    let request = request_with("application/json", b"{\"b\":[1,2],\"a\":\"x\"}").await;
    headers(&request, &[("x-api-version", "1.2")]);
    assert!(fails(|| headers(&request, &[("x-api-version", "1.3")])));
    assert!(fails(|| headers(&request, &[("x-other", "1.2")])));
    // JSON compared as values: member order does not count, values and the media type do.
    json_body(&request, "{\"a\":\"x\",\"b\":[1,2]}");
    assert!(fails(|| json_body(&request, "{\"a\":\"x\",\"b\":[2,1]}")));
    assert!(fails(|| json_body(&request, "{\"a\":\"x\"}")));
    assert!(fails(|| form_body(&request, &[])));

    let request = request_with("application/x-www-form-urlencoded", b"b=2&a=x+y").await;
    form_body(&request, &[("a", "x y"), ("b", "2")]);
    assert!(fails(|| form_body(&request, &[("a", "x y")])));
    assert!(fails(|| form_body(&request, &[("a", "x"), ("b", "2")])));

    let request = request_with("application/octet-stream", b"\x00sample\xff").await;
    raw_body(&request, "application/octet-stream", b"\x00sample\xff");
    assert!(fails(|| raw_body(&request, "application/octet-stream", b"\x00sample")));
    assert!(fails(|| raw_body(&request, "text/plain", b"\x00sample\xff")));

    let multipart = b"--B\r\ncontent-disposition: form-data; name=\"file\"\r\n\r\ndata\r\n--B--\r\n";
    let request = request_with("multipart/form-data; boundary=B", multipart).await;
    multipart_body(&request, &["file"]);
    assert!(fails(|| multipart_body(&request, &["file", "other"])));
    let request = request_with("application/json", multipart).await;
    assert!(fails(|| multipart_body(&request, &["file"])));
}

#[test]
fn samples_are_read_as_json() {
    let value: Vec<u32> = sample("[1, 2]");
    assert_eq!(value, [1, 2]);
    assert!(fails(|| drop(sample::<Vec<u32>>("[\"x\"]"))));
}
