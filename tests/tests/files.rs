//! Bodies that are not JSON or XML, on a loopback server: multipart uploads (files from bytes
//! and from a path, text parts, lists), whole-body files and text, files downloaded whole or
//! streamed, in the kitchen-sink fixture (every construct) and in documents of the corpus.

use std::time::Duration;

use kitchen_sink_api::ledger::models::GrantType;
use kitchen_sink_api::ledger::Client;
use veeam_runtime::client::{Error, Upload};
use veeam_runtime::Uuid;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ID: Uuid = Uuid::from_u128(0x1234);

async fn ledger() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder(server.uri()).build().unwrap();
    client.set_tokens("access", Some("refresh".into()), None).await;
    (server, client)
}

/// One part of a multipart body: its headers (one string) and content.
#[derive(Debug)]
struct Part {
    headers: String,
    content: Vec<u8>,
}

/// Splits a `multipart/form-data` body along the boundary its `Content-Type` names.
fn parts(request: &Request) -> Vec<Part> {
    let content_type = request.headers.get("content-type").unwrap().to_str().unwrap();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(content_type);
    let delimiter = format!("--{boundary}");
    let body = &request.body;
    let mut found = Vec::new();
    let mut starts: Vec<usize> =
        body.windows(delimiter.len()).enumerate().filter(|(_, w)| *w == delimiter.as_bytes()).map(|(i, _)| i).collect();
    let end = starts.pop().expect("a closing delimiter");
    assert_eq!(&body[end + delimiter.len()..end + delimiter.len() + 2], b"--", "the last delimiter closes the body");
    starts.push(end);
    for pair in starts.windows(2) {
        let part = &body[pair[0] + delimiter.len() + 2..pair[1] - 2];
        let split = part.windows(4).position(|w| w == b"\r\n\r\n").expect("headers end");
        found.push(Part {
            headers: String::from_utf8(part[..split].to_vec()).unwrap(),
            content: part[split + 4..].to_vec(),
        });
    }
    found
}

#[tokio::test]
async fn multipart_parts_carry_files_from_bytes_and_paths_and_text_values() {
    let (server, client) = ledger().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/v1/entries/{ID}/receipt")))
        .and(header("authorization", "Bearer access"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"entry": ID})))
        .mount(&server)
        .await;
    let file = std::env::temp_dir().join(format!("receipt-page-{}.pdf", std::process::id()));
    std::fs::write(&file, b"%PDF page two").unwrap();

    let receipt = client
        .attach_receipt(
            ID,
            Upload::from_bytes(&b"\x00scan\xff"[..]).file_name("scan.png").content_type("image/png"),
            GrantType::Password,
        )
        .pages(vec![Upload::from_bytes(&b"page one"[..]), Upload::from_path(&file)])
        .comment("lunch, 2 people")
        .tags(vec!["food".into(), "team".into()])
        .pin("1234")
        .await
        .unwrap();
    assert_eq!(receipt.entry, ID);

    let requests = server.received_requests().await.unwrap();
    let parts = parts(&requests[0]);
    let summary: Vec<(&str, &[u8])> = parts.iter().map(|p| (p.headers.as_str(), p.content.as_slice())).collect();
    let expected: [(&str, &[u8]); 9] = [
        ("content-disposition: form-data; name=\"scan\"; filename=\"scan.png\"\r\ncontent-type: image/png", b"\x00scan\xff"),
        (
            "content-disposition: form-data; name=\"pages\"; filename=\"pages\"\r\ncontent-type: application/octet-stream",
            b"page one",
        ),
        (
            &format!(
                "content-disposition: form-data; name=\"pages\"; filename=\"{}\"\r\ncontent-type: application/octet-stream",
                file.file_name().unwrap().to_str().unwrap()
            ),
            b"%PDF page two",
        ),
        ("content-disposition: form-data; name=\"comment\"", b"lunch, 2 people"),
        ("content-disposition: form-data; name=\"kind\"", b"password"),
        ("content-disposition: form-data; name=\"tags\"", b"food"),
        ("content-disposition: form-data; name=\"tags\"", b"team"),
        ("content-disposition: form-data; name=\"pin\"", b"1234"),
        ("content-disposition: form-data; name=\"source\"", b"scanner"),
    ];
    assert_eq!(summary.len(), expected.len(), "{summary:#?}");
    for (got, want) in summary.iter().zip(expected.iter()) {
        assert_eq!(got.0.to_ascii_lowercase(), want.0, "{summary:#?}");
        assert_eq!(got.1, want.1, "{}", want.0);
    }

    // The builder's Debug shows files by size and name, and never the sensitive part.
    let builder = client.attach_receipt(ID, Upload::from_bytes(&b"content"[..]), GrantType::Password).pin("pin-5678");
    let debug = format!("{builder:?}");
    assert!(!debug.contains("5678") && !debug.contains("content\"") && debug.contains("bytes: 7"), "{debug}");
    std::fs::remove_file(file).unwrap();
}

#[tokio::test]
async fn a_file_read_from_a_path_is_read_again_when_the_call_is_retried() {
    let (server, client) = ledger().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/v1/entries/{ID}/receipt")))
        .and(header("authorization", "Bearer access"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": "fresh"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/api/v1/entries/{ID}/receipt")))
        .and(header("authorization", "Bearer fresh"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"entry": ID})))
        .mount(&server)
        .await;
    let file = std::env::temp_dir().join(format!("receipt-retry-{}.bin", std::process::id()));
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&file, &content).unwrap();

    client.attach_receipt(ID, Upload::from_path(&file), GrantType::Password).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let uploads: Vec<&Request> = requests.iter().filter(|r| r.url.path().ends_with("/receipt")).collect();
    assert_eq!(uploads.len(), 2, "refused once, retried once");
    for upload in uploads {
        assert_eq!(parts(upload)[0].content, content, "each attempt sends the whole file");
    }
    std::fs::remove_file(file).unwrap();

    // A file that cannot be read fails the call with the path, before anything is sent.
    let missing = std::env::temp_dir().join("no-such-receipt.png");
    let error = client.attach_receipt(ID, Upload::from_path(&missing), GrantType::Password).await.unwrap_err();
    let Error::Io(io) = &error else { panic!("{error:?}") };
    assert_eq!(io.io_error().kind(), std::io::ErrorKind::NotFound);
    assert!(error.to_string().contains("no-such-receipt.png"), "{error}");
}

/// `Accept` exactly (wiremock's `header` matcher splits values at commas).
fn accept(value: &'static str) -> impl Fn(&Request) -> bool {
    move |request: &Request| request.headers.get("accept").is_some_and(|v| v == value)
}

#[tokio::test]
async fn files_come_back_whole_or_streamed_in_the_media_type_asked_for() {
    let (server, client) = ledger().await;
    let csv = "Id,Amount\n1,2.5\n".repeat(1000);
    Mock::given(method("POST"))
        .and(path("/api/v1/entries/export"))
        .and(accept("text/csv"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-disposition", "attachment; filename=\"entries.csv\"")
                .set_body_raw(csv.clone(), "text/csv"),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/entries/export"))
        .and(accept("text/csv, application/xml"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<Entries/>", "application/xml"))
        .mount(&server)
        .await;

    let whole = client.export_entries().accept("text/csv").await.unwrap();
    assert_eq!((whole.content_type(), whole.file_name()), (Some("text/csv"), Some("entries.csv")));
    assert_eq!(whole.text().unwrap(), csv);
    assert!(!format!("{whole:?}").contains("Amount"), "Debug shows the size, not the content");

    // With the response: status and headers beside the same file.
    let answered = client.export_entries().accept("text/csv").send_with_response().await.unwrap();
    assert_eq!((answered.status(), answered.header("content-type")), (200, Some("text/csv")));
    assert_eq!(answered.body().file_name(), Some("entries.csv"));
    assert_eq!(answered.into_body().text().unwrap(), csv);

    let either = client.export_entries().await.unwrap();
    assert_eq!((either.content_type(), either.bytes()), (Some("application/xml"), &b"<Entries/>"[..]));

    // Streamed: chunk by chunk into a writer, past the client's response size limit.
    let small = Client::builder(server.uri()).max_response_size(1024).build().unwrap();
    small.set_tokens("access", None, None).await;
    let error = small.export_entries().accept("text/csv").await.unwrap_err();
    assert!(matches!(error, Error::TooLarge(_)), "{error:?}");
    let stream = small.export_entries().accept("text/csv").stream().await.unwrap();
    assert_eq!((stream.status(), stream.content_type()), (200, Some("text/csv")));
    assert_eq!(stream.content_length(), Some(csv.len() as u64));
    assert_eq!(stream.file_name().as_deref(), Some("entries.csv"));
    let mut written = Vec::new();
    assert_eq!(stream.copy_to(&mut written).await.unwrap(), csv.len() as u64);
    assert_eq!(written, csv.as_bytes());
}

#[tokio::test]
async fn a_streamed_call_that_fails_is_an_error_with_its_body() {
    let (server, client) = ledger().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/entries/export"))
        .respond_with(ResponseTemplate::new(503).set_body_raw("busy", "text/plain"))
        .mount(&server)
        .await;
    let error = client.export_entries().stream().await.unwrap_err();
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!((api.status(), api.raw()), (503, Some("busy")));
}

#[tokio::test]
async fn text_and_whole_file_bodies_are_sent_as_they_are() {
    let (server, client) = ledger().await;
    Mock::given(method("PUT"))
        .and(path(format!("/api/v1/entries/{ID}/memo")))
        .and(header("content-type", "text/markdown"))
        .and(wiremock::matchers::body_string("# Lunch\n\n*team*"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("saved: 2 lines", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("/api/v1/entries/{ID}/scan")))
        .and(header("content-type", "application/pdf"))
        .and(header("content-length", "8"))
        .and(wiremock::matchers::body_bytes(b"%PDF-1.7".to_vec()))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("/api/v1/entries/{ID}/scan")))
        .and(header("content-type", "image/tiff"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0u8, 159, 146, 150], "image/png"))
        .mount(&server)
        .await;

    assert_eq!(client.put_memo(ID, "# Lunch\n\n*team*").await.unwrap(), "saved: 2 lines");
    assert_eq!(client.put_scan(ID, Upload::from_bytes(&b"%PDF-1.7"[..])).await.unwrap(), None);
    let converted =
        client.put_scan(ID, Upload::from_bytes(&b"II*\x00"[..]).content_type("image/tiff")).await.unwrap().unwrap();
    assert_eq!((converted.content_type(), converted.bytes()), (Some("image/png"), &[0u8, 159, 146, 150][..]));
    assert!(converted.text().is_err(), "not UTF-8");
}

#[tokio::test]
async fn text_that_is_not_utf8_is_a_decode_error() {
    let (server, client) = ledger().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![b'o', b'k', 0xff], "text/plain"))
        .mount(&server)
        .await;
    let error = client.put_memo(ID, "x").await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

/// Documents of the corpus: Gotify's application image upload (Swagger 2.0 `formData` file) and
/// Xero's file download (OpenAPI 3 `application/octet-stream`).
#[tokio::test]
async fn corpus_uploads_and_downloads_on_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/application/7/image"))
        .and(header("authorization", "app-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": 7, "token": "t", "name": "backup alerts", "description": "", "internal": false,
            "image": "image/image.png", "defaultPriority": 0, "createdAt": "2026-01-01T00:00:00Z", "sortKey": "a0"
        })))
        .mount(&server)
        .await;
    let file_id = Uuid::from_u128(9);
    Mock::given(method("GET"))
        .and(path(format!("/files.xro/1.0/Files/{file_id}/Content")))
        .and(header("xero-tenant-id", "tenant"))
        .and(header("accept", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![1u8, 2, 3], "application/octet-stream"))
        .mount(&server)
        .await;

    let gotify = imported_api::gotify::Client::builder(server.uri()).build().unwrap();
    gotify.set_api_key("app-key");
    let application =
        gotify.upload_app_image(7, Upload::from_bytes(&b"\x89PNG"[..]).file_name("icon.png")).await.unwrap();
    assert_eq!(application.image, "image/image.png");
    let requests = server.received_requests().await.unwrap();
    let parts = parts(&requests[0]);
    assert_eq!(parts.len(), 1);
    assert!(parts[0].headers.to_ascii_lowercase().contains("name=\"file\"; filename=\"icon.png\""), "{parts:?}");
    assert_eq!(parts[0].content, b"\x89PNG");

    let xero = imported_api::xero::Client::builder(server.uri()).timeout(Duration::from_secs(10)).build().unwrap();
    xero.set_tokens("token", None, None).await;
    let mut stream = xero.get_file_content("tenant", file_id).stream().await.unwrap();
    let mut received = Vec::new();
    while let Some(chunk) = stream.chunk().await.unwrap() {
        received.extend_from_slice(&chunk);
    }
    assert_eq!(received, [1, 2, 3]);
    let whole = xero.get_file_content("tenant", file_id).await.unwrap();
    assert_eq!(whole.bytes(), [1, 2, 3]);
}
