//! APIs that offer several authentication schemes, and the OAuth2 client-credentials grant, on a
//! loopback server (the kitchen sink's ledger: bearer tokens from a password grant or client
//! credentials, and an API key; one operation accepts the key only).

use std::time::Duration;

use kitchen_sink_api::ledger::Client;
use veeam_runtime::client::Error;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn no_header(name: &'static str) -> impl Fn(&Request) -> bool {
    move |request: &Request| !request.headers.contains_key(name)
}

async fn token_endpoint(server: &MockServer, access_token: &str, expires_in: u64) {
    Mock::given(method("POST"))
        .and(path("/api/v1/oauth/token"))
        // RFC 6749 section 2.3.1: the client authenticates with HTTP Basic.
        .and(header("authorization", "Basic bWFjaGluZTpzM2NyZXQ="))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=client_credentials&scope=ledger.read+ledger.write"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": access_token, "token_type": "Bearer", "expires_in": expires_in
        })))
        .up_to_n_times(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn client_credentials_give_a_token_and_a_new_one_when_it_expires() {
    let server = MockServer::start().await;
    // The first token expires within the refresh margin: the next call fetches another.
    token_endpoint(&server, "first", 5).await;
    token_endpoint(&server, "second", 3600).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/entries"))
        .and(header("authorization", "Bearer second"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    client.log_in_client_credentials("machine", "s3cret").await.unwrap();
    assert_eq!(client.transport().tokens().await.unwrap().access.expose(), "first");
    assert!(client.list_entries().await.unwrap().is_empty());
    assert_eq!(client.transport().tokens().await.unwrap().access.expose(), "second");
    assert!(!format!("{client:?}").contains("s3cret"));
}

#[tokio::test]
async fn a_refused_client_credentials_token_is_replaced_once() {
    let server = MockServer::start().await;
    token_endpoint(&server, "revoked", 3600).await;
    token_endpoint(&server, "fresh", 3600).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/entries"))
        .and(header("authorization", "Bearer revoked"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/entries"))
        .and(header("authorization", "Bearer fresh"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    client.log_in_client_credentials("machine", "s3cret").await.unwrap();
    client.list_entries().await.unwrap();
}

#[tokio::test]
async fn wrong_client_credentials_fail_the_log_in_and_are_not_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({"error": "invalid_client"})))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).timeout(Duration::from_secs(10)).build().unwrap();
    let error = client.log_in_client_credentials("machine", "wrong-secret").await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status() == 401), "{error:?}");
    assert!(!format!("{error:?} {error}").contains("wrong-secret"));
    // Nothing kept: a call is not logged in (and does not retry the grant).
    let error = client.list_entries().await.unwrap_err();
    assert!(matches!(error, Error::Auth(_)), "{error:?}");
}

#[tokio::test]
async fn each_call_uses_a_scheme_its_operation_accepts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/health"))
        .and(header("x-ledger-key", "key-1"))
        .and(no_header("authorization"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/entries"))
        .and(header("authorization", "Bearer token-1"))
        .and(no_header("x-ledger-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/entries"))
        .and(header("x-ledger-key", "key-1"))
        .and(no_header("authorization"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!([{"id": "00000000-0000-0000-0000-000000000001", "amount": 1.5}])),
        )
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();

    // No credentials at all: nothing is sent.
    let error = client.health().await.unwrap_err();
    assert!(matches!(error, Error::Auth(_)), "{error:?}");

    // Only the key: every operation takes it.
    client.set_api_key("key-1");
    client.health().await.unwrap();
    assert_eq!(client.list_entries().await.unwrap().len(), 1);

    // Tokens too: they come first where accepted; `health` still gets the key.
    client.set_tokens("token-1", None, None).await;
    assert!(client.list_entries().await.unwrap().is_empty());
    client.health().await.unwrap();
}
