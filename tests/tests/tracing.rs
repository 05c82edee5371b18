//! No secret reaches an error, a `Debug` output or the tracing output, and every call is traced
//! with its operation, path template and status. (In a test binary of its own: tracing caches
//! per-callsite interest globally, so other tests running without a subscriber would hide spans.)

use std::io::Write;
use std::sync::{Arc, Mutex};

use veeam_api::{backup_for_aws, enterprise_manager};
use wiremock::matchers::method;
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

#[tokio::test]
async fn secrets_never_reach_errors_debug_or_traces() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // Bearer: a password grant, a refused token, a refresh, a retry.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"access_token":"access-SECRET","refresh_token":"refresh-SECRET","expires_in":3600}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let client = backup_for_aws::Client::builder(server.uri()).build().unwrap();
    client.log_in("admin", "password-SECRET").await.unwrap();
    let error = client.list_standard_accounts().await.unwrap_err();
    let client_debug = format!("{client:?}");
    let tokens = format!("{:?}", client.transport().tokens().await);

    // Session: logon, a call, a logout whose path holds the session id, failing.
    let em = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).insert_header("X-RestSvcSessionId", "session-SECRET").set_body_raw(
            r#"<LogonSession xmlns="http://www.veeam.com/ent/v1.0"><SessionId>session-SECRET</SessionId></LogonSession>"#,
            "application/xml",
        ))
        .mount(&em)
        .await;
    let em_client = enterprise_manager::Client::builder(em.uri()).build().unwrap();
    let session = em_client.log_in("admin", "password-SECRET").await.unwrap();
    let em_error = em_client.log_out().await.unwrap_err();
    let session_debug = format!("{session:?} {:?} {:?}", em_client.session_id(), em_client.logout("session-SECRET"),);

    drop(_guard);
    let traces = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for (what, text) in [
        ("error", format!("{error} {error:?}")),
        ("logout error", format!("{em_error} {em_error:?}")),
        ("client", client_debug),
        ("tokens", tokens),
        ("session", session_debug),
        ("traces", traces.clone()),
    ] {
        assert!(!text.contains("SECRET"), "{what} shows a secret: {text}");
    }
    assert!(traces.contains("operation=\"listStandardAccounts\""), "{traces}");
    assert!(traces.contains("path=\"/api/v1/accounts/standard\""), "{traces}");
    assert!(traces.contains("status=401"), "{traces}");
    assert!(traces.contains("path=\"/api/logonSessions/{sessionId}\""), "the template, not the session id: {traces}");
}
