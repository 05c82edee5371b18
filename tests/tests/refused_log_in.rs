//! A refused log-in says why, in the server's words, without the secrets the call sent: Backup
//! for AWS's problem details (`details`, `title`) and Enterprise Manager's `Message`, on a
//! loopback server, each echoing the password it refused.

use veeam_api::{backup_for_aws, enterprise_manager};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An error's `Display`, `Debug` and chain of causes.
fn printed(error: &(dyn std::error::Error + 'static)) -> String {
    let mut printed = format!("{error} {error:?}");
    let mut source = error.source();
    while let Some(cause) = source {
        printed.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    printed
}

#[tokio::test]
async fn backup_for_aws_says_why_the_password_grant_was_refused() {
    let server = MockServer::start().await;
    let problem = serde_json::json!({
        "type": "about:blank",
        "title": "Unauthorized",
        "status": 401,
        "errorCode": "AccessDenied",
        "details": "The user name or password is incorrect: user admin, password pa$$-SECRET."
    });
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(401).set_body_json(problem)).mount(&server).await;
    let client = backup_for_aws::Client::builder(server.uri()).build().unwrap();
    let error = client.log_in("admin", "pa$$-SECRET").await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "log_in: the server answered 401 Unauthorized: The user name or password is incorrect: user admin, password ***."
    );
    let printed = printed(&error);
    assert!(!printed.contains("SECRET"), "{printed}");
}

#[tokio::test]
async fn a_refused_refresh_masks_the_refresh_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "type": "about:blank", "title": "Bad Request", "status": 400, "errorCode": "InvalidToken",
            "details": "refresh_token=refresh-SECRET has expired"
        })))
        .mount(&server)
        .await;
    let client = backup_for_aws::Client::builder(server.uri()).build().unwrap();
    // An expired access token with a refresh token: the next call refreshes first.
    client.set_tokens("access-SECRET", Some("refresh-SECRET".into()), Some(std::time::Duration::ZERO)).await;
    let error = client.list_standard_accounts().await.unwrap_err();
    let printed = printed(&error);
    assert!(printed.contains("refresh_token=*** has expired"), "{printed}");
    assert!(!printed.contains("SECRET"), "{printed}");
}

#[tokio::test]
async fn enterprise_manager_says_why_the_logon_was_refused() {
    let server = MockServer::start().await;
    let body = r#"<Error xmlns="http://www.veeam.com/ent/v1.0" Message="Logon failure for DOMAIN\admin with password pass-SECRET: unknown user name or bad password" StatusCode="401" Status="Unauthorized"/>"#;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(body, "application/xml"))
        .mount(&server)
        .await;
    let client = enterprise_manager::Client::builder(server.uri()).build().unwrap();
    let error = client.log_in("DOMAIN\\admin", "pass-SECRET").await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "log_in: the server answered 401 Unauthorized: Logon failure for DOMAIN\\admin with password ***: unknown user name or bad password"
    );
    assert!(!printed(&error).contains("SECRET"));
}

#[tokio::test]
async fn an_operation_whose_body_holds_secrets_still_shows_no_message() {
    // `authenticate` sends a `LoginSpec` whose password the runtime does not track: its
    // refusal says only the status.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "type": "about:blank", "title": "Unauthorized", "status": 401, "errorCode": "AccessDenied",
            "details": "password pa$$-SECRET"
        })))
        .mount(&server)
        .await;
    let client = backup_for_aws::Client::builder(server.uri()).build().unwrap();
    let spec = backup_for_aws::models::LoginSpec::new(backup_for_aws::models::LoginGrantTypes::Password)
        .with_username("admin")
        .with_password("pa$$-SECRET");
    let error = client.authenticate(spec).await.unwrap_err();
    assert_eq!(error.to_string(), "authenticate: the server answered 401 Unauthorized");
}
