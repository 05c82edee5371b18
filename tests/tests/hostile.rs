//! The crate generated from the hostile-names fixture, used: names that collide with what
//! generated code writes are renamed or qualified as spec/README.md says, and still reach the
//! wire under their own names.

use hostile_names_api::names::models::{self, States};
use hostile_names_api::names::Client;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn parameters_named_like_builder_members_are_renamed_but_sent_by_their_names() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/v1/things/a%20b/client"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"type":"t","new":"n","self":"s"}"#.as_bytes().to_vec(), "application/json"),
        )
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    client.set_tokens("token", None, None).await;
    // `client` (the builder's own field), `body`, `send` and `into_future` get the `_param` suffix.
    let body = models::Option::new("a type").with_client("c").with_body("b").with_new("n");
    let answer = client
        .client("a b", body)
        .client_param("the client")
        .body_param(7)
        .send_param(true)
        .into_future_param("later")
        .r#type(States::UnknownValue)
        .some(models::Some::from("some"))
        .r#match(vec!["x".into(), "y".into()])
        .x_request_id("id-1")
        .await
        .unwrap();
    assert_eq!(answer.map(|a| a.r#type), Some("t".to_owned()));

    let requests = server.received_requests().await.unwrap();
    let query: Vec<(String, String)> = requests[0].url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
    let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        pairs,
        [
            ("client", "the client"),
            ("body", "7"),
            ("send", "true"),
            ("into_future", "later"),
            ("type", "UnknownValue"),
            ("Some", "some"),
            ("match", "x"),
            ("match", "y"),
            ("filter", "a&b=c \"quoted\""),
        ]
    );
    assert_eq!(requests[0].headers.get("x-request-id").unwrap(), "id-1");
    let sent: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(sent, serde_json::json!({"type": "a type", "client": "c", "body": "b", "new": "n"}));
}

#[test]
fn documented_values_named_like_the_catch_all_keep_their_variants() {
    // `Unknown`, `UnknownValue` and `Undocumented` are documented values; the catch-all takes
    // the next free name.
    assert_eq!(States::from("Unknown"), States::Unknown);
    assert_eq!(States::from("unknown"), States::Unknown2);
    assert_eq!(States::from("UnknownValue"), States::UnknownValue);
    assert!(matches!(States::from("brand new"), States::Unknown3(_)));
    assert_eq!(States::from("brand new").as_str(), "brand new");
    // Values that only differ in punctuation get numbered variants, each its own wire value.
    assert_eq!(States::AB.as_str(), "a-b");
    assert_eq!(States::AB2.as_str(), "a_b");
    assert_eq!(States::AB3.as_str(), "a b");
    assert_eq!(States::from("été"), States::T);
    for value in States::VALUES {
        let parsed = States::from(*value);
        assert_eq!(parsed.as_str(), *value);
        assert!(!matches!(parsed, States::Unknown3(_)), "{value} is documented");
        let json = serde_json::to_string(&parsed).unwrap();
        assert_eq!(serde_json::from_str::<States>(&json).unwrap(), parsed);
    }
}

#[test]
fn std_named_schemas_round_trip_and_deep_cycles_build() {
    let value = models::Result::new("r").with_self_("me");
    let json = serde_json::to_value(&value).unwrap();
    assert_eq!(json, serde_json::json!({"type": "r", "self_": "me"}));
    // A ring of required schemas has no finite value: decoding ends in an error, not a crash.
    let error = serde_json::from_str::<models::Ring0>(r#"{"next":{"next":{"label":"x"}}}"#).unwrap_err();
    assert!(error.to_string().contains("missing field `next`"), "{error}");
    let deep = format!("{}{}", r#"{"next":"#.repeat(10_000), "}".repeat(10_000));
    assert!(serde_json::from_str::<models::Ring0>(&deep).is_err());
    let chain: models::Chain0 = serde_json::from_str(r#"{"next":{"next":{}}}"#).unwrap();
    assert!(chain.next.and_then(|c| c.next).is_some_and(|c| c.next.is_none()));
}
