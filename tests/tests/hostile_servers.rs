//! Hostile and broken servers on 127.0.0.1: bodies over the size limit (announced or streamed),
//! nesting past the depth limit, and a corpus of random, truncated, oversized, deeply nested,
//! wrongly typed and wrongly labelled bodies. Every call ends in a value or a typed error within
//! the client's timeout; nothing panics, hangs or grows without bound.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use veeam_api::{backup_for_aws, enterprise_manager};

/// A server answering every connection with the bytes `reply` makes for it; keeps writing
/// `trickle` bytes a millisecond apart after that, if asked (a body that never ends).
async fn server(reply: Vec<u8>, trickle: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let reply = reply.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0; 16384];
                let _ = socket.read(&mut buffer).await;
                if socket.write_all(&reply).await.is_err() {
                    return;
                }
                for _ in 0..trickle {
                    if socket.write_all(b"x").await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            });
        }
    });
    format!("http://{address}")
}

fn http(status: u16, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut reply =
        format!("HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n", body.len())
            .into_bytes();
    reply.extend_from_slice(body);
    reply
}

async fn aws(url: String) -> backup_for_aws::Client {
    let client = backup_for_aws::Client::builder(url)
        .timeout(Duration::from_secs(3))
        .max_response_size(1 << 20)
        .build()
        .unwrap();
    client.set_tokens("t", None, None).await;
    client
}

fn em(url: String, format: veeam_api::Format) -> enterprise_manager::Client {
    let client = enterprise_manager::Client::builder(url)
        .format(format)
        .timeout(Duration::from_secs(3))
        .max_response_size(1 << 20)
        .build()
        .unwrap();
    client.set_session_id("s");
    client
}

#[tokio::test]
async fn an_announced_oversized_body_is_refused_before_it_is_read() {
    // 1 GiB announced, a few bytes sent, then nothing: the client must not wait for the rest.
    let reply =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{\"results\":["
            .to_vec();
    let client = aws(server(reply, 0).await).await;
    let started = Instant::now();
    let error = client.list_standard_accounts().await.unwrap_err();
    assert!(matches!(&error, backup_for_aws::Error::TooLarge(e) if e.limit() == 1 << 20), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_streamed_oversized_body_is_refused_when_it_passes_the_limit() {
    // Chunked, no length: 2 MiB in 64 KiB chunks, the stream then left open.
    let mut reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..32 {
        reply.extend_from_slice(format!("{:x}\r\n", 65536).as_bytes());
        reply.extend(std::iter::repeat_n(b' ', 65536));
        reply.extend_from_slice(b"\r\n");
    }
    let client = aws(server(reply, 0).await).await;
    let error = client.list_standard_accounts().await.unwrap_err();
    assert!(matches!(error, backup_for_aws::Error::TooLarge(_)), "{error:?}");
}

/// `body` sent with chunked transfer encoding, in chunks of `size` bytes.
fn chunked(body: &[u8], size: usize) -> Vec<u8> {
    let mut reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for chunk in body.chunks(size) {
        reply.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        reply.extend_from_slice(chunk);
        reply.extend_from_slice(b"\r\n");
    }
    reply.extend_from_slice(b"0\r\n\r\n");
    reply
}

#[tokio::test]
async fn a_body_in_many_chunks_is_read_whole_and_one_chunk_past_the_limit_is_refused() {
    let page = include_bytes!("../../spec/backup_for_aws/examples/vbaws-standardaccounts-list.response.json");
    for size in [1, 7, 100, page.len()] {
        let client = aws(server(chunked(page, size), 0).await).await;
        let accounts = client.list_standard_accounts().await.unwrap();
        assert_eq!(accounts.results.len(), 1, "chunks of {size} bytes");
    }
    // One chunk of 2 MiB against a 1 MiB limit: the first chunk alone is too large.
    let client = aws(server(chunked(&vec![b' '; 2 << 20], 2 << 20), 0).await).await;
    let error = client.list_standard_accounts().await.unwrap_err();
    assert!(matches!(error, backup_for_aws::Error::TooLarge(_)), "{error:?}");
}

#[tokio::test]
async fn a_body_that_never_ends_is_a_timeout() {
    let reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    let client = aws(server(reply, 100_000).await).await;
    let started = Instant::now();
    let error = client.list_standard_accounts().await.unwrap_err();
    assert!(matches!(error, backup_for_aws::Error::Timeout(_) | backup_for_aws::Error::Transport(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn xml_nesting_past_the_limit_is_refused_and_the_limit_is_configurable() {
    let depth = 200;
    let body = format!(
        r#"<EntityReferences xmlns="http://www.veeam.com/ent/v1.0">{}{}</EntityReferences>"#,
        "<x>".repeat(depth),
        "</x>".repeat(depth)
    );
    let url = server(http(200, "application/xml", body.as_bytes()), 0).await;
    let error = em(url.clone(), veeam_api::Format::Xml).list_backup_servers().await.unwrap_err();
    let enterprise_manager::Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert!(decode.message().contains("nest deeper than 128 levels"), "{}", decode.message());
    let client = enterprise_manager::Client::builder(url).max_depth(depth + 10).build().unwrap();
    client.set_session_id("s");
    let list = client.list_backup_servers().await.unwrap();
    assert!(list.refs.unwrap_or_default().is_empty(), "unknown elements are skipped");
}

/// splitmix64: a fixed corpus on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bodies a broken or hostile server might send.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let documented: Vec<&[u8]> = vec![
        include_bytes!("../../spec/enterprise_manager/examples/em-backupservers-list.response.xml"),
        include_bytes!("../../spec/enterprise_manager/examples/em-logonsessions-list.response.xml"),
        include_bytes!("../../spec/enterprise_manager/examples/em-passwords-list.response.xml"),
        include_bytes!("../../spec/backup_for_aws/examples/vbaws-standardaccounts-list.response.json"),
        include_bytes!("../../spec/enterprise_manager/examples/em-backupserver-ref.resource.json"),
    ];
    let mut rng = Rng(2026);
    let mut bodies: Vec<(String, Vec<u8>)> = Vec::new();
    for (index, body) in documented.iter().enumerate() {
        for cut in [0, 1, body.len() / 3, body.len() / 2, body.len().saturating_sub(1)] {
            bodies.push((format!("documented {index} cut at {cut}"), body[..cut].to_vec()));
        }
        let mut flipped = body.to_vec();
        for _ in 0..20 {
            let at = rng.below(flipped.len());
            flipped[at] = rng.next() as u8;
        }
        bodies.push((format!("documented {index} with bytes flipped"), flipped));
        bodies.push((format!("documented {index} repeated"), body.repeat(3)));
    }
    for size in [1, 100, 10_000, 2_000_000] {
        bodies.push((format!("{size} random bytes"), (0..size).map(|_| rng.next() as u8).collect()));
    }
    bodies.push(("deep JSON".into(), format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes()));
    bodies.push(("deep JSON object".into(), "{\"results\":".repeat(50_000).into_bytes()));
    bodies.push(("deep XML".into(), "<a>".repeat(100_000).into_bytes()));
    bodies.push((
        "wide XML".into(),
        format!("<EntityReferences>{}</EntityReferences>", "<x/>".repeat(150_000)).into_bytes(),
    ));
    bodies.push(("billion laughs".into(), br#"<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><EntityReferences>&b;</EntityReferences>"#.to_vec()));
    bodies.push(("wrong types".into(), br#"{"results":"yes","totalCount":"many","_links":7}"#.to_vec()));
    bodies.push(("null".into(), b"null".to_vec()));
    bodies.push(("huge number".into(), format!("{{\"totalCount\":1{}}}", "0".repeat(10_000)).into_bytes()));
    bodies.push(("invalid UTF-8".into(), vec![0xff, 0xfe, b'<', b'a', b'/', b'>']));
    bodies.push(("long attribute".into(), format!("<EntityReferences a=\"{}\"/>", "x".repeat(500_000)).into_bytes()));
    bodies
}

#[tokio::test]
async fn every_hostile_body_ends_in_a_typed_answer_within_the_timeout() {
    let content_types = ["application/json", "application/xml", "text/html", "application/octet-stream", ""];
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    let mut rng = Rng(7);
    for (name, body) in corpus() {
        for status in [200, 500] {
            let content_type = content_types[rng.below(content_types.len())];
            let url = server(http(status, content_type, &body), 0).await;
            let started = Instant::now();
            let calls = async {
                let aws = aws(url.clone()).await.list_standard_accounts().await.map(|_| ()).map_err(|e| e.to_string());
                let em_xml = em(url.clone(), veeam_api::Format::Xml)
                    .list_backup_servers()
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string());
                let em_json = em(url.clone(), veeam_api::Format::Json)
                    .list_passwords(veeam_api::Uuid::nil())
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string());
                [aws, em_xml, em_json]
            };
            let results = tokio::time::timeout(Duration::from_secs(15), calls)
                .await
                .unwrap_or_else(|_| panic!("{name} ({status}, {content_type}): no answer in time"));
            assert!(started.elapsed() < Duration::from_secs(10), "{name}: {:?}", started.elapsed());
            for result in results {
                let outcome = match result {
                    Ok(()) => "decoded".to_owned(),
                    Err(message) => {
                        message.split(": ").nth(1).unwrap_or("other").split(' ').take(3).collect::<Vec<_>>().join(" ")
                    }
                };
                *outcomes.entry(outcome).or_default() += 1;
            }
        }
    }
    eprintln!("outcomes: {outcomes:#?}");
    assert!(outcomes.keys().any(|k| k.starts_with("the response is")), "an oversized body was refused: {outcomes:?}");
}

/// A transport of an API that sends `headers` on every call (no credentials), against a server
/// answering 204 to every `GET /api/things`.
async fn headers_api(
    headers: &'static [(&'static str, &'static str)],
) -> (wiremock::MockServer, veeam_runtime::client::Transport) {
    use veeam_runtime::client::{ApiInfo, AuthInfo, ClientBuilder, Format, Transport};

    let api = Box::leak(Box::new(ApiInfo {
        name: "headers",
        base_path: "/api",
        default_port: None,
        headers,
        formats: &[Format::Json],
        auth: AuthInfo::new(None, None, &[], false),
    }));
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(wiremock::ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let transport = ClientBuilder::<Transport>::new(api, server.uri()).build().unwrap();
    (server, transport)
}

/// A request for `GET /api/things` with these headers.
fn things(headers: &[(&'static str, &str)]) -> veeam_runtime::client::Request {
    let mut request = veeam_runtime::client::Request::new(veeam_runtime::client::GET, "things", "/api/things", false);
    request.literal("/things");
    for (name, value) in headers {
        request.header(name, Some(*value));
    }
    request
}

/// An operation's own value of a header the API sends on every call replaces it (one value on
/// the wire, the operation's), as a random spec with a per-operation `x-api-version` found.
#[tokio::test]
async fn an_operations_header_replaces_the_apis_fixed_one() {
    let (server, transport) = headers_api(&[("x-api-version", "1.0"), ("x-other", "kept")]).await;
    transport.send::<()>(things(&[("x-api-version", "2.0")])).await.unwrap();
    // Repeated, all of the operation's values are sent, in order.
    transport.send::<()>(things(&[("x-api-version", "2.0"), ("x-api-version", "2.1")])).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let values = |at: usize| -> Vec<&str> {
        received[at].headers.get_all("x-api-version").iter().map(|v| v.to_str().unwrap()).collect()
    };
    assert_eq!((values(0), values(1)), (vec!["2.0"], vec!["2.0", "2.1"]));
    assert_eq!(received[0].headers.get("x-other").map(|v| v.to_str().unwrap()), Some("kept"));
}

/// A header the caller filled with what no header may hold (a line break, a control character)
/// fails the call before anything is sent, with an encoding error that names the header and
/// never shows the value (it may be a secret).
#[tokio::test]
async fn a_header_value_that_cannot_be_sent_is_an_encoding_error() {
    use veeam_runtime::client::Error;

    let (server, transport) = headers_api(&[]).await;
    for (name, value) in [("x-token", "secret\r\nx-injected: 1"), ("x-token", "secret\u{7f}"), ("bad name", "v")] {
        let error = transport.send::<()>(things(&[("x-fine", "1"), (name, value)])).await.unwrap_err();
        let Error::Encode(encode) = &error else { panic!("{name}: {error:?}") };
        let shown = format!("{error} {error:?} {encode:?}");
        assert!(shown.contains(&format!("`{name}`")), "{shown}");
        assert!(!shown.contains("secret"), "{shown}");
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing is sent");
}
