//! The example program against a local test server: what it prints and what it sends.

use examples::{run, Failure, Options};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

#[tokio::test]
async fn lists_and_adds_records() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/token"))
        .respond_with(json(200, r#"{"access_token":"a","refresh_token":"r","expires_in":3600}"#))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/accounts/standard"))
        .respond_with(json(
            201,
            include_str!("../../spec/backup_for_aws/examples/vbaws-standardaccount-create.response.json"),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/accounts/standard"))
        .respond_with(json(
            200,
            include_str!("../../spec/backup_for_aws/examples/vbaws-standardaccounts-list.response.json"),
        ))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/v1/token"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;

    let options = Options {
        url: server.uri(),
        username: "admin".into(),
        password: "secret".into(),
        insecure: true,
        add: Some(("administrator mail".into(), "administrator@company.mail".into(), "Administrator1".into())),
    };
    let report = run(&options).await.unwrap();
    assert_eq!(
        report,
        "added administrator mail (10b074bd-0510-4795-9fdc-d5dce1db66c0)\n\
         1 SMTP credentials record(s):\n  \
         a71a58c5-3221-4965-ad6b-19465a0580e9  SMTP Mail                john.smith@company.com           Current SMTP server\n"
    );
    let requests = server.received_requests().await.unwrap();
    let calls: Vec<String> = requests.iter().map(|r| format!("{} {}", r.method, r.url.path())).collect();
    assert_eq!(
        calls,
        [
            "POST /api/v1/token",
            "POST /api/v1/accounts/standard",
            "GET /api/v1/accounts/standard",
            "DELETE /api/v1/token"
        ]
    );
    let added: serde_json::Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(added["password"], "Administrator1");
    assert_eq!(requests[2].url.query(), Some("Limit=100&Sort=nameAsc"));
}

#[tokio::test]
async fn a_refused_login_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(
            401,
            r#"{"type":"about:blank","title":"Unauthorized","status":401,"errorCode":"AccessDenied"}"#,
        ))
        .mount(&server)
        .await;
    let options = Options { url: server.uri(), username: "a".into(), password: "b".into(), insecure: false, add: None };
    let error = run(&options).await.unwrap_err();
    assert!(matches!(&error, Failure::Call(e) if e.status() == Some(401)), "{error:?}");
    let options =
        Options { url: "not a url".into(), username: "a".into(), password: "b".into(), insecure: false, add: None };
    assert!(matches!(run(&options).await, Err(Failure::Settings(_))));
}
