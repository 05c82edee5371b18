//! API keys in each place OpenAPI's `apiKey` scheme puts them (a header, a query parameter, a
//! cookie), on a loopback server: sent where the API says, after the operation's own query,
//! and never shown by `Debug` or in an error; several keys of one API, each sent to the
//! operations that accept it, and keys an operation needs together.

use veeam_runtime::client::{
    ApiInfo, ApiKeyIn, ApiKeyInfo, AuthInfo, ClientBuilder, Error, Format, Request, Scheme, Secret, Transport, GET,
};

/// The transport of an API with these keys (and Basic credentials when `basic`), at `base`.
fn transport_with(keys: &'static [ApiKeyInfo], basic: bool, base: &str) -> Transport {
    let api = Box::leak(Box::new(ApiInfo {
        name: "keyed",
        base_path: "/api",
        default_port: None,
        headers: &[],
        formats: &[Format::Json],
        auth: AuthInfo::new(None, None, keys, basic),
    }));
    ClientBuilder::<Transport>::new(api, base).build().unwrap()
}

/// The transport of an API whose one key, `api_key`, goes in `place`, at `base`.
fn keyed_transport(place: ApiKeyIn, base: &str) -> Transport {
    transport_with(Box::leak(Box::new([ApiKeyInfo::new("api_key", place)])), false, base)
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
        transport.set_api_key("api_key", Secret::new(KEY));
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
    transport.set_api_key("api_key", Secret::new(KEY));
    let error = transport.send::<()>(things()).await.unwrap_err();
    let shown_500 = shown(&error);
    assert!(!shown_500.contains("k3y") && !shown_500.contains("secret"), "{shown_500}");
    // A server that cannot be reached: reqwest's error names the URL, which is left out.
    let transport = keyed_transport(ApiKeyIn::Query("api_key"), "http://127.0.0.1:9");
    transport.set_api_key("api_key", Secret::new(KEY));
    let error = transport.send::<()>(things()).await.unwrap_err();
    let unreachable = shown(&error);
    assert!(!unreachable.contains("k3y") && !unreachable.contains("secret"), "{unreachable}");
}

/// A server answering 204 to everything.
async fn server() -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

/// Gotify's shape: an application token and a client token, each its own key; an operation
/// names the one it accepts, or both (and Basic) as alternatives.
static GOTIFY_KEYS: [ApiKeyInfo; 2] = [
    ApiKeyInfo::new("app_token", ApiKeyIn::Header("X-Gotify-Key")),
    ApiKeyInfo::new("client_token", ApiKeyIn::Query("token")),
];

#[tokio::test]
async fn each_operation_gets_the_key_it_accepts() {
    let server = server().await;
    let transport = transport_with(&GOTIFY_KEYS, true, &server.uri());
    transport.set_api_key("app_token", Secret::new("app-secret"));
    transport.set_api_key("client_token", Secret::new("client-secret"));
    transport.set_basic_credentials("user", Secret::new("password"));

    let mut message = things();
    message.schemes(&[&[Scheme::ApiKey("app_token")]]);
    transport.send::<()>(message).await.unwrap();
    let mut client_call = things();
    client_call.schemes(&[&[Scheme::ApiKey("client_token")], &[Scheme::Basic]]);
    transport.send::<()>(client_call).await.unwrap();
    // Naming none: the API's schemes in order, the first key first.
    transport.send::<()>(things()).await.unwrap();

    let received = server.received_requests().await.unwrap();
    let header =
        |index: usize, name: &str| received[index].headers.get(name).map(|value| value.to_str().unwrap().to_owned());
    assert_eq!(header(0, "x-gotify-key").as_deref(), Some("app-secret"));
    assert_eq!(received[0].url.query(), Some("limit=5"));
    assert_eq!(header(0, "authorization"), None);
    assert_eq!(header(1, "x-gotify-key"), None);
    assert_eq!(received[1].url.query(), Some("limit=5&token=client-secret"));
    assert_eq!(header(1, "authorization"), None, "the first way the client holds is used, alone");
    assert_eq!(header(2, "x-gotify-key").as_deref(), Some("app-secret"));
    assert_eq!(received[2].url.query(), Some("limit=5"));
}

#[tokio::test]
async fn a_missing_key_falls_back_to_the_next_way_or_says_which_setter_to_call() {
    let server = server().await;
    let transport = transport_with(&GOTIFY_KEYS, true, &server.uri());
    let mut client_only = things();
    client_only.schemes(&[&[Scheme::ApiKey("client_token")]]);
    let error = transport.send::<()>(client_only).await.unwrap_err();
    assert!(error.to_string().contains("set_client_token"), "{error}");

    // The app token does not stand in for the client token; Basic, the next way, does.
    transport.set_api_key("app_token", Secret::new("app-secret"));
    transport.set_basic_credentials("user", Secret::new("password"));
    let mut client_or_basic = things();
    client_or_basic.schemes(&[&[Scheme::ApiKey("client_token")], &[Scheme::Basic]]);
    transport.send::<()>(client_or_basic).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert!(received[0].headers.get("authorization").unwrap().to_str().unwrap().starts_with("Basic "));
    assert_eq!(received[0].headers.get("x-gotify-key"), None);
}

/// A key and its secret, needed together; a second pair of cookies, needed together too.
static PAIRED_KEYS: [ApiKeyInfo; 5] = [
    ApiKeyInfo::new("app_key", ApiKeyIn::Header("X-App-Key")),
    ApiKeyInfo::new("app_secret", ApiKeyIn::Query("secret")),
    ApiKeyInfo::new("tenant", ApiKeyIn::Query("tenant")),
    ApiKeyInfo::new("csrf", ApiKeyIn::Cookie("csrf")),
    ApiKeyInfo::new("session", ApiKeyIn::Cookie("sid")),
];

#[tokio::test]
async fn keys_needed_together_are_all_sent_or_none() {
    let server = server().await;
    let transport = transport_with(&PAIRED_KEYS, false, &server.uri());
    let together = || {
        let mut request = things();
        request.schemes(&[
            &[Scheme::ApiKey("app_key"), Scheme::ApiKey("app_secret"), Scheme::ApiKey("tenant")],
            &[Scheme::ApiKey("csrf"), Scheme::ApiKey("session")],
        ]);
        request
    };
    // One of a pair is not enough: nothing is sent, and the error names what is missing.
    transport.set_api_key("app_key", Secret::new("key-1"));
    transport.set_api_key("csrf", Secret::new("c1"));
    let error = transport.send::<()>(together()).await.unwrap_err();
    assert!(matches!(error, Error::Auth(_)), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty());

    // The second way complete: both cookies, in one `Cookie` header.
    transport.set_api_key("session", Secret::new("s1"));
    transport.send::<()>(together()).await.unwrap();
    // The first way complete: it wins, with every key of it.
    transport.set_api_key("app_secret", Secret::new("secret one"));
    transport.set_api_key("tenant", Secret::new("t&1"));
    transport.send::<()>(together()).await.unwrap();

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    let cookies: Vec<_> = received[0].headers.get_all("cookie").iter().collect();
    assert_eq!(cookies.len(), 1);
    assert_eq!(cookies[0].to_str().unwrap(), "csrf=c1; sid=s1");
    assert_eq!(received[0].headers.get("x-app-key"), None);
    assert_eq!(received[1].headers.get("x-app-key").unwrap().to_str().unwrap(), "key-1");
    assert_eq!(received[1].url.query(), Some("limit=5&secret=secret+one&tenant=t%261"));
    assert_eq!(received[1].headers.get("cookie"), None);
}

#[tokio::test]
async fn the_error_for_keys_needed_together_names_each_setter() {
    let transport = transport_with(&PAIRED_KEYS, false, "http://127.0.0.1:9");
    let mut request = things();
    request.schemes(&[&[Scheme::ApiKey("app_key"), Scheme::ApiKey("app_secret")]]);
    let error = transport.send::<()>(request).await.unwrap_err().to_string();
    assert!(error.contains("set_app_key") && error.contains("set_app_secret"), "{error}");
}

#[tokio::test]
async fn forgetting_credentials_forgets_every_key() {
    let server = server().await;
    let transport = transport_with(&GOTIFY_KEYS, false, &server.uri());
    transport.set_api_key("app_token", Secret::new("app-secret"));
    transport.clear_credentials().await;
    let error = transport.send::<()>(things()).await.unwrap_err();
    assert!(matches!(error, Error::Auth(_)), "{error:?}");
}
