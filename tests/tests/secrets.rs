//! The secrets sweep: every path by which a password, token, refresh token or session id could
//! leak — every error variant a hostile or broken server can cause around authentication, the
//! builders, the clients, the request builders — checked against `Debug`, `Display`, the whole
//! `source()` chain, and everything `tracing` records at TRACE level. (Generated types with
//! sensitive fields have their own generated test: `generated/tests/sensitive_debug.rs`.)
//!
//! A test binary of its own: the subscriber is global, so traces of every thread are captured
//! (and tracing caches per-callsite interest globally: tests without a subscriber in the same
//! binary would hide spans).

use std::error::Error as _;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use veeam_api::{backup_for_aws, enterprise_manager};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything printable about an error: `Display`, `Debug` and each cause in the chain.
fn printed(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = format!("{error} | {error:?}");
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(" | caused by {cause} | {cause:?}"));
        source = cause.source();
    }
    text
}

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

async fn aws_server(token_response: ResponseTemplate) -> (MockServer, backup_for_aws::Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/api/v1/token")).respond_with(token_response).mount(&server).await;
    let client = backup_for_aws::Client::builder(server.uri()).build().unwrap();
    (server, client)
}

#[tokio::test]
async fn no_secret_in_any_error_debug_display_chain_or_trace() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let outputs: std::cell::RefCell<Vec<(&str, String)>> = Default::default();
    let variants: std::cell::RefCell<std::collections::BTreeSet<String>> = Default::default();
    let record = |what: &'static str, error: &backup_for_aws::Error| {
        variants.borrow_mut().insert(format!("{:?}", error).split('(').next().unwrap_or_default().to_owned());
        outputs.borrow_mut().push((what, printed(error)));
    };

    // Token responses that do not decode, with the tokens in them (Decode).
    for body in [
        r#"{"access_token":"access-SECRET","refresh_token":"refresh-SECRET","expires_in":"3600"}"#,
        r#"{"access_token":"access-SECRET","refresh_token":"refresh-SECRET","expires_in":"refresh-SECRET"}"#,
        r#"{"access_token":["access-SECRET"],"refresh_token":"refresh-SECRET"}"#,
        r#"{"access_token":"access-SECRET","#,
    ] {
        let (_server, client) = aws_server(json(200, body)).await;
        let error = client.log_in("admin", "password-SECRET").await.unwrap_err();
        assert!(matches!(error, backup_for_aws::Error::Decode(_)), "{error:?}");
        record("undecodable token response", &error);
    }
    // A refused grant whose body echoes the password (Api), an undeclared status (UnexpectedStatus).
    let (_server, client) = aws_server(json(
        400,
        r#"{"type":"x","title":"password-SECRET","status":400,"errorCode":"x","details":"password-SECRET"}"#,
    ))
    .await;
    let error = client.log_in("admin", "password-SECRET").await.unwrap_err();
    let backup_for_aws::Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.raw(), None, "the token call's body is never kept");
    record("refused grant", &error);
    let (_server, client) = aws_server(json(304, r#"{"access_token":"access-SECRET"}"#)).await;
    let error = client.log_in("admin", "password-SECRET").await.unwrap_err();
    assert!(matches!(&error, backup_for_aws::Error::UnexpectedStatus(e) if e.raw().is_none()), "{error:?}");
    record("undeclared grant status", &error);
    // A token response larger than the limit (TooLarge).
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(json(200, &"access-SECRET".repeat(100))).mount(&server).await;
    let client = backup_for_aws::Client::builder(server.uri()).max_response_size(64).build().unwrap();
    let error = client.log_in("admin", "password-SECRET").await.unwrap_err();
    assert!(matches!(error, backup_for_aws::Error::TooLarge(_)), "{error:?}");
    record("oversized token response", &error);
    // A refresh that fails with the refresh token echoed (Auth, caused by Api).
    let (server, client) =
        aws_server(json(500, r#"{"type":"x","title":"refresh-SECRET","status":500,"errorCode":"x"}"#)).await;
    Mock::given(method("GET")).respond_with(json(401, "")).mount(&server).await;
    client.set_tokens("access-SECRET", Some("refresh-SECRET".into()), Some(Duration::ZERO)).await;
    let error = client.list_standard_accounts().await.unwrap_err();
    let backup_for_aws::Error::Auth(auth) = &error else { panic!("{error:?}") };
    assert!(auth.source().is_some(), "the refresh failure keeps its cause");
    record("failed refresh", &error);
    let tokens = format!("{client:?} {:?}", client.transport().tokens().await);
    outputs.borrow_mut().push(("client with tokens", tokens));
    outputs
        .borrow_mut()
        .push(("request builder", format!("{:?}", client.list_standard_accounts().search_pattern("x"))));
    // A slow token endpoint (Timeout), a closed port (Connect), a reset connection (Transport).
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(200, r#"{"access_token":"access-SECRET"}"#).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = backup_for_aws::Client::builder(server.uri()).timeout(Duration::from_millis(100)).build().unwrap();
    let error = client.log_in("admin", "password-SECRET").await.unwrap_err();
    record("slow token endpoint", &error);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let client = backup_for_aws::Client::builder(format!("http://{address}")).build().unwrap();
    let error = client.log_in("admin", "password-SECRET").await.unwrap_err();
    record("closed port", &error);
    let reset = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = reset.local_addr().unwrap();
    tokio::spawn(async move {
        if let Ok((socket, _)) = reset.accept().await {
            let _ = socket2::SockRef::from(&socket).set_linger(Some(Duration::ZERO));
            drop(socket);
        }
    });
    let client = backup_for_aws::Client::builder(format!("http://{address}")).build().unwrap();
    let error = client.log_in("admin", "password-SECRET").await.unwrap_err();
    record("reset connection", &error);
    // Not logged in at all (Auth).
    let error = client.list_standard_accounts().await.unwrap_err();
    record("not logged in", &error);

    // Enterprise Manager sessions: a logon answered 200 instead of 201, an undecodable logon,
    // a logout whose path holds the session id.
    let em = MockServer::start().await;
    let session_body =
        r#"<LogonSession xmlns="http://www.veeam.com/ent/v1.0"><SessionId>session-SECRET</SessionId></LogonSession>"#;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-RestSvcSessionId", "session-SECRET")
                .set_body_raw(session_body, "application/xml"),
        )
        .mount(&em)
        .await;
    let em_client = enterprise_manager::Client::builder(em.uri()).build().unwrap();
    let em_error = em_client.log_in("admin", "password-SECRET").await.unwrap_err();
    assert!(matches!(&em_error, enterprise_manager::Error::UnexpectedStatus(e) if e.raw().is_none()), "{em_error:?}");
    outputs.borrow_mut().push(("logon answered 200", printed(&em_error)));
    let em = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("X-RestSvcSessionId", "session-SECRET")
                .set_body_raw(&session_body[..80], "application/xml"),
        )
        .mount(&em)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(400).set_body_raw("session-SECRET is not a session", "text/plain"))
        .mount(&em)
        .await;
    let em_client = enterprise_manager::Client::builder(em.uri()).build().unwrap();
    let em_error = em_client.log_in("admin", "password-SECRET").await.unwrap_err();
    assert!(matches!(&em_error, enterprise_manager::Error::Decode(e) if e.raw().is_none()), "{em_error:?}");
    outputs.borrow_mut().push(("undecodable logon", printed(&em_error)));
    outputs.borrow_mut().push(("session client", format!("{em_client:?} {:?}", em_client.session_id())));
    outputs.borrow_mut().push(("logout builder", format!("{:?}", em_client.logout("session-SECRET"))));
    let em_error = em_client.log_out().await.unwrap_err();
    outputs.borrow_mut().push(("failed logout", printed(&em_error)));

    // Credentials in the base URL: refused, and never echoed.
    let built = backup_for_aws::Client::builder("https://admin:password-SECRET@host");
    outputs.borrow_mut().push(("builder", format!("{built:?}")));
    let error = built.build().unwrap_err();
    outputs.borrow_mut().push(("URL with credentials", printed(&error)));
    let error = backup_for_aws::Client::builder("https://admin:password-SECRET@host:port").build().unwrap_err();
    outputs.borrow_mut().push(("unparsable URL with credentials", printed(&error)));

    tokio::time::sleep(Duration::from_millis(50)).await;
    let traces = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // Every call is traced with its operation, path template and status; never a URL.
    assert!(traces.contains("operation=\"log_in\""), "token grants are traced: {traces}");
    assert!(traces.contains("operation=\"list_standard_accounts\""), "{traces}");
    assert!(traces.contains("path=\"/api/v1/accounts/standard\""), "{traces}");
    assert!(traces.contains("status=400"), "the refused grant's status: {traces}");
    assert!(traces.contains("path=\"/api/logonSessions/{sessionId}\""), "the template, not the session id: {traces}");
    outputs.borrow_mut().push(("traces", traces));
    for (what, text) in outputs.borrow().iter() {
        assert!(!text.contains("SECRET"), "{what} shows a secret: {text}");
    }
    let expected: std::collections::BTreeSet<String> =
        ["Api", "UnexpectedStatus", "Timeout", "Connect", "Transport", "Decode", "TooLarge", "Auth"]
            .into_iter()
            .map(String::from)
            .collect();
    assert_eq!(*variants.borrow(), expected, "every error variant a server can cause is swept");
}
