//! What the clients make of failures: error bodies in each API's format, empty bodies, HTML
//! pages, truncated bodies, reset connections and timeouts each give their own variant; nothing
//! panics. (That no secret reaches an error, `Debug` or a trace is `tracing.rs`.)

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use veeam_api::backup_for_aws::models::ErrorCode;
use veeam_api::{backup_for_aws, enterprise_manager};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn aws_client(server: &MockServer) -> backup_for_aws::Client {
    let client = backup_for_aws::Client::builder(server.uri()).build().unwrap();
    client.set_tokens("access-secret", None, None).await;
    client
}

async fn respond_once(status: u16, body: &'static str, media_type: &'static str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), media_type))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn problem_json_is_decoded() {
    let body = r#"{"type":"https://vbaws/api/v1/problems/resourceNotFound","title":"Not Found","status":404,"errorCode":"NotFound","details":"No such record","instance":"a71a58c5"}"#;
    let server = respond_once(404, body, "application/problem+json").await;
    let error = aws_client(&server).await.get_standard_account(veeam_api::Uuid::nil()).await.unwrap_err();
    let backup_for_aws::Error::Api(api) = &error else { panic!("{error:?}") };
    let problem = api.body().unwrap();
    assert_eq!(api.status(), 404);
    assert_eq!(problem.error_code, ErrorCode::NotFound);
    assert_eq!(problem.details.as_deref(), Some("No such record"));
    assert_eq!(api.raw(), Some(body));
    // The message is the decoded `details`, on one line; the raw body is never shown.
    assert_eq!(error.to_string(), "get_standard_account: the server answered 404 Not Found: No such record");
    // `Debug` shows the decoded body (whose type redacts sensitive fields), never the raw one.
    let debug = format!("{error:?}");
    assert!(!debug.contains(r#"{"type""#) && debug.contains(&format!("<{} bytes>", body.len())), "{debug}");
}

#[tokio::test]
async fn an_unknown_error_code_still_decodes() {
    let body = r#"{"type":"about:blank","title":"Conflict","status":409,"errorCode":"PolicyAlreadyStarted"}"#;
    let server = respond_once(409, body, "application/problem+json").await;
    let error = aws_client(&server).await.list_standard_accounts().await.unwrap_err();
    assert_eq!(error.body().map(|b| b.error_code.as_str()), Some("PolicyAlreadyStarted"));
}

#[tokio::test]
async fn enterprise_manager_error_documents_are_decoded_in_both_formats() {
    let xml = r#"<?xml version="1.0" encoding="utf-8"?><Error xmlns="http://www.veeam.com/ent/v1.0" Message="Object reference not set" StatusCode="500"><FirstChanceExceptionMessage>NullReferenceException</FirstChanceExceptionMessage></Error>"#;
    let json = r#"{"FirstChanceExceptionMessage":null,"Message":"Cannot deserialize","StackTrace":null,"Status":"BadRequest","StatusCode":400}"#;
    for (status, body, media_type, format) in [
        (500, xml, "application/xml", veeam_api::Format::Xml),
        (400, json, "application/json", veeam_api::Format::Json),
    ] {
        let server = respond_once(status, body, media_type).await;
        let client = enterprise_manager::Client::builder(server.uri()).format(format).build().unwrap();
        client.set_session_id("session-secret");
        let error = client.list_backup_servers().await.unwrap_err();
        let error_body = error.body().unwrap_or_else(|| panic!("{error:?}"));
        assert_eq!(error_body.status_code, Some(status as i32));
        let message = error_body.message.as_deref().unwrap();
        // `Display` shows the decoded message, never the document's first line.
        assert!(error.to_string().ends_with(&format!(": {message}")), "{error}");
        assert!(!error.to_string().contains("<?xml"), "{error}");
    }
}

#[tokio::test]
async fn empty_and_html_error_bodies_keep_the_status_and_the_text() {
    let server = respond_once(503, "", "text/plain").await;
    let error = aws_client(&server).await.list_standard_accounts().await.unwrap_err();
    assert!(
        matches!(&error, backup_for_aws::Error::Api(api) if api.status() == 503 && api.body().is_none() && api.raw() == Some("")),
        "{error:?}"
    );

    let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let server = respond_once(502, page, "text/html").await;
    let error = aws_client(&server).await.list_standard_accounts().await.unwrap_err();
    assert!(
        matches!(&error, backup_for_aws::Error::Api(api) if api.status() == 502 && api.body().is_none() && api.raw() == Some(page)),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "list_standard_accounts: the server answered 502 Bad Gateway");

    let server = respond_once(500, page, "text/html").await;
    let client = enterprise_manager::Client::builder(server.uri()).build().unwrap();
    client.set_session_id("s");
    let error = client.list_roles().await.unwrap_err();
    assert!(
        matches!(&error, enterprise_manager::Error::Api(api) if api.status() == 500 && api.body().is_none()),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_undecodable_success_body_is_a_decode_error_naming_the_place() {
    let server = respond_once(200, r#"{"results":[{"id":"not-a-uuid"}],"totalCount":1}"#, "application/json").await;
    let error = aws_client(&server).await.list_standard_accounts().await.unwrap_err();
    let backup_for_aws::Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert_eq!(decode.status(), 200);
    assert!(decode.message().starts_with("results[0].id: "), "{}", decode.message());
    // The cause is in `source()`, not repeated in `Display`.
    assert_eq!(error.to_string(), "list_standard_accounts: the 200 response is not the documented body");
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(source.starts_with("results[0].id: "), "{source}");

    let server = respond_once(200, r#"{"results":[],"totalCount":1"#, "application/json").await;
    let error = aws_client(&server).await.list_standard_accounts().await.unwrap_err();
    assert!(matches!(error, backup_for_aws::Error::Decode(_)), "{error:?}");

    let server = respond_once(200, "<EntityReferences><Ref>", "application/xml").await;
    let client = enterprise_manager::Client::builder(server.uri()).build().unwrap();
    client.set_session_id("s");
    let error = client.list_backup_servers().await.unwrap_err();
    assert!(
        matches!(&error, enterprise_manager::Error::Decode(decode) if decode.message().contains("/EntityReferences/Ref")),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_undeclared_success_status_is_reported() {
    let server = respond_once(206, "{}", "application/json").await;
    let error = aws_client(&server).await.list_standard_accounts().await.unwrap_err();
    assert!(matches!(&error, backup_for_aws::Error::UnexpectedStatus(e) if e.status() == 206), "{error:?}");
}

/// A one-shot TCP server on 127.0.0.1 that answers the first request with `reply` and then, if
/// `reset`, resets the connection instead of closing it cleanly.
async fn raw_server(reply: &'static [u8], reset: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        let mut buffer = vec![0; 8192];
        let _ = socket.read(&mut buffer).await;
        let _ = socket.write_all(reply).await;
        if reset {
            // Linger 0: closing sends RST instead of FIN.
            let _ = socket2::SockRef::from(&socket).set_linger(Some(Duration::ZERO));
        }
        drop(socket);
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error() {
    let url = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"results\":[",
        false,
    )
    .await;
    let client = backup_for_aws::Client::builder(url).build().unwrap();
    client.set_tokens("t", None, None).await;
    let error = client.list_standard_accounts().await.unwrap_err();
    assert!(matches!(error, backup_for_aws::Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn a_reset_connection_is_a_transport_error() {
    let url = raw_server(b"", true).await;
    let client = backup_for_aws::Client::builder(url).build().unwrap();
    client.set_tokens("t", None, None).await;
    let error = client.list_standard_accounts().await.unwrap_err();
    assert!(matches!(error, backup_for_aws::Error::Transport(_) | backup_for_aws::Error::Connect(_)), "{error:?}");
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = backup_for_aws::Client::builder(format!("http://{address}")).build().unwrap();
    client.set_tokens("t", None, None).await;
    let error = client.list_standard_accounts().await.unwrap_err();
    assert!(matches!(error, backup_for_aws::Error::Connect(_)), "{error:?}");
}

#[tokio::test]
async fn a_slow_server_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = backup_for_aws::Client::builder(server.uri()).timeout(Duration::from_millis(200)).build().unwrap();
    client.set_tokens("t", None, None).await;
    let error = client.list_standard_accounts().await.unwrap_err();
    assert!(
        matches!(&error, backup_for_aws::Error::Timeout(e) if e.operation() == "list_standard_accounts"),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "list_standard_accounts: timed out");
}
