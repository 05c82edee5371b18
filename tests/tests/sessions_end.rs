//! Ending a session or revoking tokens, through whichever method does it, leaves the client
//! without credentials: the next call goes out unauthenticated-refused on the client side, and no
//! logon, refresh or token request reaches the server. Only a server-side expiry (a 401 to an
//! ordinary call) logs on again. A token operation called directly gives the client its tokens.
//! Both clients against a real HTTP server on 127.0.0.1 (wiremock).

mod support;

use veeam_api::backup_for_aws::models::{LoginGrantTypes, LoginSpec};
use veeam_api::Format;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use support::em::{body_in, respond};

const TOKEN: &str =
    r#"{"access_token":"access-1","token_type":"bearer","refresh_token":"refresh-1","expires_in":3600}"#;

fn json_response(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

async fn summary(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap();
    requests.iter().map(|r| format!("{} {}", r.method, r.url.path())).collect()
}

/// An Enterprise Manager server that logs on (session `session-1`, SessionId `SESSION-ID`) and
/// answers the backup server list and the logout.
async fn em_server(format: Format) -> MockServer {
    let server = MockServer::start().await;
    let logon = veeam_api::enterprise_manager::models::LogonSession::default();
    let mut logon = logon;
    logon.session_id = Some("SESSION-ID".into());
    let (body, media_type) = match format {
        Format::Json => (veeam_api::json::to_string(&logon).unwrap(), "application/json"),
        _ => (veeam_api::xml::to_string(&logon).unwrap(), "application/xml"),
    };
    Mock::given(method("POST"))
        .and(path("/api/sessionMngr/"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("X-RestSvcSessionId", "session-1")
                .set_body_raw(body.into_bytes(), media_type),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/logonSessions/SESSION-ID"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let list = body_in::<veeam_api::enterprise_manager::models::EntityReferences>(
        include_str!("../../spec/enterprise_manager/examples/em-backupservers-list.response.xml"),
        format,
    );
    // A session the server has ended: every later call with it is refused.
    Mock::given(method("GET"))
        .and(path("/api/backupServers"))
        .and(header("x-restsvcsessionid", "session-1"))
        .respond_with(respond(200, Some(list)))
        .mount(&server)
        .await;
    server
}

/// `logout(id)` (the operation) and `log_out()` (the convenience) both forget the credentials:
/// the next call is refused by the client, and the server sees no logon after the logout.
#[tokio::test]
async fn enterprise_manager_logout_through_either_method_logs_on_no_more() {
    use veeam_api::enterprise_manager::Client;
    for format in [Format::Xml, Format::Json] {
        for through_operation in [true, false] {
            let server = em_server(format).await;
            let client = Client::builder(server.uri()).format(format).build().unwrap();
            client.log_in("username", "password").await.unwrap();
            assert_eq!(client.list_backup_servers().await.unwrap().refs.unwrap().len(), 2);
            if through_operation {
                client.logout("SESSION-ID").await.unwrap();
            } else {
                client.log_out().await.unwrap();
            }
            assert!(client.session_id().is_none(), "{format:?}");
            let error = client.list_backup_servers().await.unwrap_err();
            assert!(error.to_string().contains("not logged in"), "{error}");
            assert_eq!(
                summary(&server).await,
                ["POST /api/sessionMngr/", "GET /api/backupServers", "DELETE /api/logonSessions/SESSION-ID"],
                "{format:?}, through the operation: {through_operation}"
            );
        }
    }
}

/// A logout refused with 401 (the session had already expired) is not answered by logging on
/// again to end the new session: the credentials are forgotten all the same.
#[tokio::test]
async fn enterprise_manager_a_refused_logout_does_not_log_on_again() {
    use veeam_api::enterprise_manager::Client;
    let server = MockServer::start().await;
    let client = Client::builder(server.uri()).build().unwrap();
    let logon = veeam_api::xml::to_string(&veeam_api::enterprise_manager::models::LogonSession::default()).unwrap();
    Mock::given(method("POST"))
        .and(path("/api/sessionMngr/"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("X-RestSvcSessionId", "session-1")
                .set_body_raw(logon.into_bytes(), "application/xml"),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    client.log_in("username", "password").await.unwrap();
    let error = client.log_out().await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert!(client.session_id().is_none());
    assert_eq!(summary(&server).await, ["POST /api/sessionMngr/", "DELETE /api/logonSessions/session-1"]);
}

/// `delete_token()` (the operation) and `log_out()` revoke the tokens and forget them: the next call
/// neither refreshes with the revoked refresh token nor reaches the server.
#[tokio::test]
async fn backup_for_aws_sign_out_through_either_method_forgets_the_tokens() {
    use veeam_api::backup_for_aws::Client;
    for through_operation in [true, false] {
        let server = MockServer::start().await;
        let client = Client::builder(server.uri()).build().unwrap();
        Mock::given(method("POST"))
            .and(path("/api/v1/token"))
            .respond_with(json_response(200, TOKEN))
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .and(path("/api/v1/token"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        client.log_in("admin", "password").await.unwrap();
        if through_operation {
            client.delete_token().await.unwrap();
        } else {
            client.log_out().await.unwrap();
        }
        assert!(client.transport().tokens().await.is_none());
        let error = client.list_standard_accounts().await.unwrap_err();
        assert!(error.to_string().contains("not logged in"), "{error}");
        assert_eq!(summary(&server).await, ["POST /api/v1/token", "DELETE /api/v1/token"]);
        let revoke = &server.received_requests().await.unwrap()[1];
        assert_eq!(revoke.headers.get("authorization").unwrap(), "Bearer access-1");
    }
}

/// A sign-out the server answers with an error still leaves no tokens behind.
#[tokio::test]
async fn backup_for_aws_a_failed_sign_out_forgets_the_tokens_too() {
    use veeam_api::backup_for_aws::Client;
    let server = MockServer::start().await;
    let client = Client::builder(server.uri()).build().unwrap();
    client.set_tokens("access-0", Some("refresh-0".into()), None).await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    Mock::given(method("POST")).respond_with(json_response(200, TOKEN)).mount(&server).await;
    assert_eq!(client.delete_token().await.unwrap_err().status(), Some(401));
    assert!(client.transport().tokens().await.is_none());
    assert_eq!(summary(&server).await, ["DELETE /api/v1/token"], "no refresh to sign out again");
}

/// `authenticate(LoginSpec)`, the token operation itself, gives the client the tokens it
/// returns: later calls send them, and refresh with its refresh token.
#[tokio::test]
async fn backup_for_aws_authenticate_gives_the_client_its_tokens() {
    use veeam_api::backup_for_aws::Client;
    let server = MockServer::start().await;
    let client = Client::builder(server.uri()).build().unwrap();
    Mock::given(method("POST")).and(path("/api/v1/token")).respond_with(json_response(200, TOKEN)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/accounts/standard"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(json_response(
            200,
            include_str!("../../spec/backup_for_aws/examples/vbaws-standardaccounts-list.response.json"),
        ))
        .mount(&server)
        .await;
    let spec = LoginSpec::new(LoginGrantTypes::Password).with_username("admin").with_password("password");
    let issued = client.authenticate(spec).await.unwrap();
    assert_eq!(issued.expires_in, Some(3600));
    let tokens = client.transport().tokens().await.unwrap();
    assert_eq!(tokens.access.expose(), "access-1");
    assert_eq!(tokens.refresh.unwrap().expose(), "refresh-1");
    client.list_standard_accounts().await.unwrap();
    assert_eq!(summary(&server).await, ["POST /api/v1/token", "GET /api/v1/accounts/standard"]);
}
