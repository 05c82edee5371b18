//! The Veeam Backup for AWS client against a real HTTP server on 127.0.0.1 (wiremock): the exact
//! request on the wire for every operation, documented responses decoded, bearer tokens granted,
//! refreshed and retried once.

use std::time::Duration;

use serde_json::{json, Value};
use veeam_api::backup_for_aws::models::{
    ErrorCode, LoginGrantTypes, LoginSpec, StandardAccountCreateSpec, StandardAccountCreateSpecRequired,
    StandardAccountNameValidationSpec, StandardAccountUpdateSpec, StandardAccountUpdateSpecRequired,
    StandardAccountsSortColumns,
};
use veeam_api::backup_for_aws::{Client, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

macro_rules! example {
    ($file:literal) => {
        include_str!(concat!("../../spec/backup_for_aws/examples/", $file))
    };
}

const TOKEN: &str =
    r#"{"access_token":"access-1","token_type":"bearer","refresh_token":"refresh-1","expires_in":3600}"#;

fn json_response(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

async fn server_and_client() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder(server.uri()).build().unwrap();
    (server, client)
}

/// A client that is already logged in with access token `access-0`.
async fn logged_in() -> (MockServer, Client) {
    let (server, client) = server_and_client().await;
    client.set_tokens("access-0", Some("refresh-0".into()), None).await;
    (server, client)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The single request the server got, with the headers every call carries checked.
async fn only_request(server: &MockServer) -> Request {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let request = requests.into_iter().next().unwrap();
    assert_eq!(header(&request, "x-api-version"), Some("1.0-rev0"));
    assert_eq!(header(&request, "accept"), Some("application/json"));
    assert!(header(&request, "user-agent").is_some_and(|ua| ua.contains("backup_for_aws")));
    request
}

fn body_json(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap()
}

#[tokio::test]
async fn log_in_uses_the_password_grant_and_later_calls_send_the_token() {
    let (server, client) = server_and_client().await;
    Mock::given(method("POST")).and(path("/api/v1/token")).respond_with(json_response(200, TOKEN)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/accounts/standard/10b074bd-0510-4795-9fdc-d5dce1db66c0"))
        .respond_with(json_response(200, example!("vbaws-standardaccount-create.response.json")))
        .mount(&server)
        .await;

    client.log_in("admin", "p@ss word").await.unwrap();
    let id = "10b074bd-0510-4795-9fdc-d5dce1db66c0".parse().unwrap();
    let account = client.get_standard_account(id).await.unwrap();
    assert_eq!(account.name, "administrator mail");
    assert_eq!(account.links.as_ref().map(Vec::len), Some(3));

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let grant = &requests[0];
    assert_eq!(header(grant, "content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(header(grant, "authorization"), None, "the token request is not authenticated");
    assert_eq!(header(grant, "x-api-version"), Some("1.0-rev0"));
    assert_eq!(std::str::from_utf8(&grant.body).unwrap(), "grant_type=password&username=admin&password=p%40ss+word");
    assert_eq!(header(&requests[1], "authorization"), Some("Bearer access-1"));
}

/// A form's fields, sorted: their order carries no meaning.
fn form_pairs(form: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(form).unwrap();
    pairs.sort();
    pairs
}

#[tokio::test]
async fn authenticate_sends_the_documented_form() {
    let (server, client) = server_and_client().await;
    Mock::given(method("POST")).and(path("/api/v1/token")).respond_with(json_response(200, TOKEN)).mount(&server).await;
    let documented = example!("vbaws-token-refresh.request.form").trim_end();
    let spec: LoginSpec = serde_urlencoded::from_str(documented).unwrap();
    assert_eq!(spec.grant_type, LoginGrantTypes::RefreshToken);
    let tokens = client.authenticate(spec).await.unwrap();
    assert_eq!(tokens.expires_in, Some(3600));
    let request = only_request(&server).await;
    // The same fields and values as documented (in the Swagger definition's order).
    assert_eq!(form_pairs(std::str::from_utf8(&request.body).unwrap()), form_pairs(documented));
    assert_eq!(header(&request, "authorization"), None);
}

#[tokio::test]
async fn list_sends_paging_filter_and_sort_and_decodes_the_documented_collection() {
    let (server, client) = logged_in().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/accounts/standard"))
        .respond_with(json_response(200, example!("vbaws-standardaccounts-list.response.json")))
        .mount(&server)
        .await;
    let page = client
        .list_standard_accounts()
        .search_pattern("SMTP*")
        .offset(0)
        .limit(10)
        .sort(vec![StandardAccountsSortColumns::NameAsc, StandardAccountsSortColumns::NameDesc])
        .send()
        .await
        .unwrap();
    assert_eq!(page.total_count, 1);
    assert_eq!(page.results[0].username, "john.smith@company.com");
    let request = only_request(&server).await;
    // Byte for byte: `Sort` is a comma-separated list (Swagger 2.0's `csv`), its delimiter a
    // literal comma (`%2C` would be one value to a strict server).
    assert_eq!(request.url.query(), Some("SearchPattern=SMTP*&Offset=0&Limit=10&Sort=nameAsc,nameDesc"));
    assert_eq!(header(&request, "authorization"), Some("Bearer access-0"));
    assert!(request.body.is_empty());
    assert_eq!(header(&request, "content-type"), None);
}

#[tokio::test]
async fn add_sends_the_documented_body_and_decodes_201() {
    let (server, client) = logged_in().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/accounts/standard"))
        .respond_with(json_response(201, example!("vbaws-standardaccount-create.response.json")))
        .mount(&server)
        .await;
    let spec = StandardAccountCreateSpec::new(StandardAccountCreateSpecRequired {
        name: "administrator mail".into(),
        username: "administrator@company.mail".into(),
        password: "Administrator1".into(),
    })
    .with_description("Administration SMTP server");
    let account = client.create_standard_account(spec).await.unwrap();
    assert_eq!(account.id.to_string(), "10b074bd-0510-4795-9fdc-d5dce1db66c0");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    let documented: Value = serde_json::from_str(example!("vbaws-standardaccount-create.request.json")).unwrap();
    assert_eq!(body_json(&request), documented);
}

#[tokio::test]
async fn update_sends_put_and_leaves_out_the_omitted_description() {
    let (server, client) = logged_in().await;
    let id = "10b074bd-0510-4795-9fdc-d5dce1db66c0";
    Mock::given(method("PUT"))
        .and(path(format!("/api/v1/accounts/standard/{id}")))
        .respond_with(json_response(200, example!("vbaws-standardaccount-create.response.json")))
        .mount(&server)
        .await;
    let spec = StandardAccountUpdateSpec::new(StandardAccountUpdateSpecRequired {
        name: "new name".into(),
        username: "administrator@company.mail".into(),
    });
    client.update_standard_account(id.parse().unwrap(), spec).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(body_json(&request), json!({"name": "new name", "username": "administrator@company.mail"}));
}

#[tokio::test]
async fn delete_accepts_204_and_200() {
    let id: veeam_api::Uuid = "a71a58c5-3221-4965-ad6b-19465a0580e9".parse().unwrap();
    for status in [204, 200] {
        let (server, client) = logged_in().await;
        Mock::given(method("DELETE"))
            .and(path(format!("/api/v1/accounts/standard/{id}")))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        client.delete_standard_account(id).await.unwrap();
        assert_eq!(only_request(&server).await.method.as_str(), "DELETE");
    }
}

#[tokio::test]
async fn validate_name_posts_the_spec_and_decodes_the_messages() {
    let (server, client) = logged_in().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/accounts/standard/validateName"))
        .respond_with(json_response(
            200,
            r#"[{"severity":"Error","message":"The name is already used","contextId":"a71a58c5-3221-4965-ad6b-19465a0580e9"}]"#,
        ))
        .mount(&server)
        .await;
    let messages =
        client.validate_standard_account_name(StandardAccountNameValidationSpec::new("string")).await.unwrap();
    assert_eq!(messages[0].message.as_deref(), Some("The name is already used"));
    let request = only_request(&server).await;
    let documented: Value =
        serde_json::from_str(example!("vbaws-standardaccount-validatename.request-format.json")).unwrap();
    assert_eq!(body_json(&request), documented);
}

#[tokio::test]
async fn log_out_revokes_the_token_and_forgets_it() {
    let (server, client) = logged_in().await;
    Mock::given(method("DELETE"))
        .and(path("/api/v1/token"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client.log_out().await.unwrap();
    assert_eq!(header(&only_request(&server).await, "authorization"), Some("Bearer access-0"));
    let error = client.list_standard_accounts().await.unwrap_err();
    assert!(matches!(error, Error::Auth(_)), "{error:?}");
    // `delete_token` is the same operation, typed.
    client.set_tokens("access-9", None, None).await;
    client.delete_token().await.unwrap();
}

#[tokio::test]
async fn a_401_refreshes_the_token_and_retries_once() {
    let (server, client) = logged_in().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/accounts/standard"))
        .and(wiremock::matchers::header("authorization", "Bearer access-0"))
        .respond_with(json_response(
            401,
            r#"{"type":"about:blank","title":"Unauthorized","status":401,"errorCode":"ExpiredToken"}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/api/v1/token")).respond_with(json_response(200, TOKEN)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/accounts/standard"))
        .and(wiremock::matchers::header("authorization", "Bearer access-1"))
        .respond_with(json_response(200, r#"{"results":[],"totalCount":0}"#))
        .mount(&server)
        .await;

    let page = client.list_standard_accounts().await.unwrap();
    assert_eq!(page.total_count, 0);
    let requests = server.received_requests().await.unwrap();
    let summary: Vec<String> = requests.iter().map(|r| format!("{} {}", r.method, r.url.path())).collect();
    assert_eq!(summary, ["GET /api/v1/accounts/standard", "POST /api/v1/token", "GET /api/v1/accounts/standard"]);
    assert_eq!(std::str::from_utf8(&requests[1].body).unwrap(), "grant_type=refresh_token&refresh_token=refresh-0");
}

#[tokio::test]
async fn a_second_401_is_an_error_not_a_loop() {
    let (server, client) = logged_in().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/accounts/standard"))
        .respond_with(json_response(
            401,
            r#"{"type":"about:blank","title":"Unauthorized","status":401,"errorCode":"InvalidToken"}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/api/v1/token")).respond_with(json_response(200, TOKEN)).mount(&server).await;

    let error = client.list_standard_accounts().await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.body().map(|b| b.error_code.clone()), Some(ErrorCode::InvalidToken));
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "call, refresh, one retry");
}

#[tokio::test]
async fn an_expired_token_is_refreshed_before_the_call() {
    let (server, client) = server_and_client().await;
    client.set_tokens("access-0", Some("refresh-0".into()), Some(Duration::ZERO)).await;
    Mock::given(method("POST")).and(path("/api/v1/token")).respond_with(json_response(200, TOKEN)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/accounts/standard"))
        .respond_with(json_response(200, r#"{"results":[],"totalCount":0}"#))
        .mount(&server)
        .await;
    client.list_standard_accounts().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), "/api/v1/token");
    assert_eq!(header(&requests[1], "authorization"), Some("Bearer access-1"));
}

/// Calls made together while the token is expired wait for one refresh (the first takes the
/// tokens' lock, the others find it held) and all go out with the new token.
#[tokio::test]
async fn concurrent_calls_with_an_expired_token_refresh_it_once() {
    let (server, client) = server_and_client().await;
    client.set_tokens("access-0", Some("refresh-0".into()), Some(Duration::ZERO)).await;
    let slow_token = json_response(200, TOKEN).set_delay(Duration::from_millis(200));
    Mock::given(method("POST")).and(path("/api/v1/token")).respond_with(slow_token).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/accounts/standard"))
        .respond_with(json_response(200, r#"{"results":[],"totalCount":0}"#))
        .mount(&server)
        .await;
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.list_standard_accounts().await.map(|page| page.total_count) })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), 0);
    }
    let requests = server.received_requests().await.unwrap();
    let tokens = requests.iter().filter(|r| r.url.path() == "/api/v1/token").count();
    let calls: Vec<_> =
        requests.iter().filter(|r| r.method.as_str() == "GET").map(|r| header(r, "authorization")).collect();
    assert_eq!((tokens, calls.len()), (1, 8), "one refresh, eight calls");
    assert!(calls.iter().all(|sent| *sent == Some("Bearer access-1")), "{calls:?}");
}

/// A token that cannot be sent in a header (a line break from a broken token endpoint or a
/// caller) fails each call before it is sent, and the error never shows it.
#[tokio::test]
async fn a_token_that_is_no_header_value_fails_the_call_unsent() {
    let (server, client) = server_and_client().await;
    client.set_tokens("access\r\nx-injected: 1", None, None).await;
    for _ in 0..2 {
        let error = client.list_standard_accounts().await.unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(matches!(error, Error::Auth(_)) && shown.contains("not a valid header value"), "{shown}");
        assert!(!shown.contains("injected"), "{shown}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn without_a_refresh_token_a_401_is_returned_at_once() {
    let (server, client) = server_and_client().await;
    client.set_tokens("access-0", None, None).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let error = client.list_standard_accounts().await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_api_version_is_a_client_setting() {
    let server = MockServer::start().await;
    let client = Client::builder(server.uri()).header("x-api-version", "1.7-rev0").build().unwrap();
    client.set_tokens("a", None, None).await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, r#"{"results":[],"totalCount":0}"#))
        .mount(&server)
        .await;
    client.list_standard_accounts().await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(header(request, "x-api-version"), Some("1.7-rev0"));
    assert_eq!(request.headers.get_all("x-api-version").iter().count(), 1);
}

#[tokio::test]
async fn the_default_port_and_base_path_are_added() {
    let client = Client::builder("https://vbaws.example").build().unwrap();
    assert_eq!(client.transport().base_url().as_str(), "https://vbaws.example:11005/api/v1");
    let client = Client::builder("https://vbaws.example:443/api/v1/").build().unwrap();
    assert_eq!(client.transport().base_url().as_str(), "https://vbaws.example/api/v1");
    assert!(Client::builder("vbaws.example").build().is_err());
    assert!(Client::builder("ftp://vbaws.example").build().is_err());
}
