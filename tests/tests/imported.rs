//! The Veeam Backup for AWS credential endpoints, imported from an OpenAPI description, against
//! the hand-written spec: both generate models that read and write every documented example
//! identically. (And the imported clients work over HTTP like the hand-written ones.)

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use imported_api::vbaws::models as imported;
use veeam_api::backup_for_aws::models as written;

macro_rules! example {
    ($file:literal) => {
        include_str!(concat!("../../spec/backup_for_aws/examples/", $file))
    };
}

/// Decodes `body` with both types and returns what each writes.
fn both<A, B>(body: &str) -> (Value, Value)
where
    A: Serialize + DeserializeOwned,
    B: Serialize + DeserializeOwned,
{
    let a: A = veeam_api::json::from_str(body).unwrap();
    let b: B = imported_api::json::from_str(body).unwrap();
    (serde_json::to_value(&a).unwrap(), serde_json::to_value(&b).unwrap())
}

#[test]
fn documented_examples_serialize_identically() {
    let cases = [
        (
            "create request",
            both::<written::StandardAccountCreateSpec, imported::StandardAccountCreateSpec>(example!(
                "vbaws-standardaccount-create.request.json"
            )),
        ),
        (
            "create request format",
            both::<written::StandardAccountCreateSpec, imported::StandardAccountCreateSpec>(example!(
                "vbaws-standardaccount-create.request-format.json"
            )),
        ),
        (
            "create response",
            both::<written::StandardAccount, imported::StandardAccount>(example!(
                "vbaws-standardaccount-create.response.json"
            )),
        ),
        (
            "modify request format",
            both::<written::StandardAccountUpdateSpec, imported::StandardAccountUpdateSpec>(example!(
                "vbaws-standardaccount-modify.request-format.json"
            )),
        ),
        (
            "validate request format",
            both::<written::StandardAccountNameValidationSpec, imported::StandardAccountNameValidationSpec>(example!(
                "vbaws-standardaccount-validatename.request-format.json"
            )),
        ),
        (
            "collection",
            both::<written::StandardAccountsPage, imported::StandardAccountsPage>(example!(
                "vbaws-standardaccounts-list.response.json"
            )),
        ),
    ];
    for (name, (written, imported)) in cases {
        assert_eq!(written, imported, "{name}");
        assert!(written.as_object().is_some_and(|o| !o.is_empty()), "{name}: something was compared");
    }
    // The token request is a form.
    let form = example!("vbaws-token-refresh.request.form").trim_end();
    let a: written::LoginSpec = serde_urlencoded::from_str(form).unwrap();
    let b: imported::LoginSpec = serde_urlencoded::from_str(form).unwrap();
    // The same fields and values (their order carries no meaning in a form).
    let pairs = |form: &str| {
        let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(form).unwrap();
        pairs.sort();
        pairs
    };
    assert_eq!(pairs(&serde_urlencoded::to_string(&a).unwrap()), pairs(&serde_urlencoded::to_string(&b).unwrap()));
    assert_eq!(pairs(&serde_urlencoded::to_string(&a).unwrap()), pairs(form));
}

#[test]
fn the_imported_api_keeps_the_fixed_header_and_the_token_flow() {
    let client = imported_api::vbaws::Client::builder("https://vbaws.example").build().unwrap();
    assert_eq!(client.transport().base_url().as_str(), "https://vbaws.example:11005/api/v1");
    assert_eq!(imported_api::vbaws::FIXED_HEADERS, [("x-api-version", "1.0-rev0")]);
    assert_eq!(veeam_api::backup_for_aws::FIXED_HEADERS, imported_api::vbaws::FIXED_HEADERS);
}

#[tokio::test]
async fn imported_clients_speak_http_like_the_hand_written_ones() {
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/pets"))
        .and(header("x-api-key", "key-1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"[{"name":"Rex","id":7}]"#, "application/json"))
        .mount(&server)
        .await;
    let client = imported_api::petstore::Client::builder(server.uri()).build().unwrap();
    client.set_api_key("key-1");
    let pets = client.find_pets().limit(5).tags(vec!["dog".into()]).await.unwrap();
    assert_eq!(pets[0].name, "Rex");
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.url.query(), Some("tags=dog&limit=5"));

    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v2/orders/6f1b6a52-0b3c-4a3f-9c53-2b4f1d1e9a10"))
        .and(header("authorization", "Basic dXNlcjpwYXNz"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = imported_api::everything::Client::builder(server.uri()).build().unwrap();
    client.set_credentials("user", "pass");
    client.delete_order("6f1b6a52-0b3c-4a3f-9c53-2b4f1d1e9a10".parse().unwrap()).await.unwrap();
}

/// A union in both directions on loopback (Hugging Face TGI's `/invocations`, imported from the
/// corpus): the request is written as its alternative, each response decodes as the first
/// alternative that fits, and a shape none documents is kept rather than failing the call.
#[tokio::test]
async fn union_bodies_over_http() {
    use imported_api::tgi::models::{CompatGenerateRequest, SagemakerRequest, SagemakerResponse};
    use wiremock::matchers::{body_json, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/invocations"))
        .and(body_json(serde_json::json!({"inputs": "My name is Olivier and I"})))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"generated_text":"test"}"#, "application/json"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/invocations"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"surprise":[1,2]}"#, "application/json"))
        .mount(&server)
        .await;
    let client = imported_api::tgi::Client::builder(server.uri()).build().unwrap();
    let request = SagemakerRequest::from(CompatGenerateRequest::new("My name is Olivier and I"));
    match client.sagemaker_compatibility(request.clone()).await.unwrap() {
        SagemakerResponse::GenerateResponse(response) => assert_eq!(response.generated_text, "test"),
        other => panic!("expected the first alternative, got {other:?}"),
    }
    match client.sagemaker_compatibility(request).await.unwrap() {
        SagemakerResponse::Unknown(value) => {
            assert_eq!(value.as_value(), &serde_json::json!({"surprise": [1, 2]}));
            assert_eq!(format!("{value:?}"), "UnknownJson(an object)", "Debug never shows what it holds");
        }
        other => panic!("expected the catch-all, got {other:?}"),
    }
}
