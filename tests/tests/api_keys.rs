//! API keys in each place OpenAPI's `apiKey` scheme puts them (a header, a query parameter, a
//! cookie), on a loopback server: sent where the API says, after the operation's own query,
//! and never shown by `Debug` or in an error.

use veeam_runtime::client::{
    ApiInfo, ApiKeyIn, AuthInfo, ClientBuilder, Error, Format, Request, Secret, Transport, GET,
};

/// The transport of an API whose key goes in `place`, at `base`.
fn keyed_transport(place: ApiKeyIn, base: &str) -> Transport {
    let api = Box::leak(Box::new(ApiInfo {
        name: "keyed",
        base_path: "/api",
        default_port: None,
        headers: &[],
        formats: &[Format::Json],
        auth: AuthInfo::new(None, None, Some(place), false),
    }));
    ClientBuilder::<Transport>::new(api, base).build().unwrap()
}

/// A transport of an API whose key goes in `place`, against a server answering `status` to
/// every `GET /api/things`.
async fn keyed_api(place: ApiKeyIn, status: u16) -> (wiremock::MockServer, Transport) {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(wiremock::ResponseTemplate::new(status))
        .mount(&server)
        .await;
    let transport = keyed_transport(place, &server.uri());
    (server, transport)
}

/// An error, its `Debug` and its whole chain of causes, as text.
fn shown(error: &Error<()>) -> String {
    let mut shown = format!("{error} {error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        shown.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    shown
}

/// `GET /api/things?limit=5`, authenticated.
fn things() -> Request {
    let mut request = Request::new(GET, "list_things", "/api/things", true);
    request.literal("/things");
    request.query("limit", Some(&5));
    request
}

const KEY: &str = "k3y&value=1 secret";

#[tokio::test]
async fn a_key_is_sent_where_the_api_says() {
    for (place, expected) in [
        (ApiKeyIn::Header("X-Api-Key"), ("limit=5", Some(("x-api-key", KEY.to_owned())))),
        (ApiKeyIn::Query("api_key"), ("limit=5&api_key=k3y%26value%3D1+secret", None)),
        (ApiKeyIn::Cookie("session"), ("limit=5", Some(("cookie", format!("session={KEY}"))))),
    ] {
        let (server, transport) = keyed_api(place, 204).await;
        // No key yet: nothing is sent.
        let error = transport.send::<()>(things()).await.unwrap_err();
        assert!(matches!(error, Error::Auth(_)), "{place:?}: {error:?}");
        transport.set_api_key(Secret::new(KEY));
        transport.send::<()>(things()).await.unwrap();
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 1, "{place:?}");
        assert_eq!(received[0].url.query(), Some(expected.0), "{place:?}");
        if let Some((header, value)) = expected.1 {
            assert_eq!(received[0].headers.get(header).map(|v| v.to_str().unwrap().to_owned()), Some(value));
        }
        assert!(!format!("{transport:?}").contains("secret"), "{place:?}");
    }
}

#[tokio::test]
async fn a_key_in_the_query_is_never_shown() {
    let (_server, transport) = keyed_api(ApiKeyIn::Query("api_key"), 500).await;
    transport.set_api_key(Secret::new(KEY));
    let error = transport.send::<()>(things()).await.unwrap_err();
    let shown_500 = shown(&error);
    assert!(!shown_500.contains("k3y") && !shown_500.contains("secret"), "{shown_500}");
    // A server that cannot be reached: reqwest's error names the URL, which is left out.
    let transport = keyed_transport(ApiKeyIn::Query("api_key"), "http://127.0.0.1:9");
    transport.set_api_key(Secret::new(KEY));
    let error = transport.send::<()>(things()).await.unwrap_err();
    let unreachable = shown(&error);
    assert!(!unreachable.contains("k3y") && !unreachable.contains("secret"), "{unreachable}");
}
