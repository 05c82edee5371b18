//! Calls tried again, on a loopback server: an idempotent call after 503 or 429 (with the
//! server's `Retry-After`), never a POST, never past the attempts or a `Retry-After` beyond the
//! cap, and never when retries are disabled.

use std::time::Duration;

use veeam_runtime::client::{ApiInfo, AuthInfo, ClientBuilder, Format, Method, Request, RetryConfig, Transport};
use wiremock::{Mock, MockServer, ResponseTemplate};

static API: ApiInfo = ApiInfo {
    name: "retried",
    base_path: "/api",
    default_port: None,
    headers: &[],
    formats: &[Format::Json],
    auth: AuthInfo::NONE,
};

/// Short waits, so the tests take milliseconds.
fn quick() -> RetryConfig {
    RetryConfig::standard().with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// A server that answers `first` to the first `failures` calls, then 204; and a transport to it.
async fn busy_server(first: ResponseTemplate, failures: u64, retry: RetryConfig) -> (MockServer, Transport) {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(first).up_to_n_times(failures).mount(&server).await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let transport = ClientBuilder::<Transport>::new(&API, server.uri()).retry(retry).build().unwrap();
    (server, transport)
}

fn call(method: Method) -> Request {
    let mut request = Request::new(method, "things", "/api/things", false);
    request.literal("/things");
    request
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn an_idempotent_call_is_tried_again_after_a_busy_answer() {
    for (status, method) in [(503, Method::GET), (502, Method::PUT), (504, Method::DELETE), (429, Method::GET)] {
        let (server, transport) = busy_server(ResponseTemplate::new(status), 2, quick()).await;
        transport.send::<()>(call(method.clone())).await.unwrap_or_else(|e| panic!("{status} {method}: {e}"));
        assert_eq!(received(&server).await, 3, "{status} {method}: two refusals, then the answer");
    }
}

#[tokio::test]
async fn retry_after_is_honoured_up_to_the_cap() {
    // Zero seconds: tried again at once.
    let busy = ResponseTemplate::new(429).insert_header("retry-after", "0");
    let (server, transport) = busy_server(busy, 1, quick()).await;
    transport.send::<()>(call(Method::GET)).await.unwrap();
    assert_eq!(received(&server).await, 2);
    // Longer than the client waits: the answer is the refusal.
    let busy = ResponseTemplate::new(503).insert_header("retry-after", "3600");
    let (server, transport) = busy_server(busy, 1, quick()).await;
    let error = transport.send::<()>(call(Method::GET)).await.unwrap_err();
    assert!(error.to_string().contains("503"), "{error}");
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn a_post_or_a_refusal_that_is_not_busy_is_not_tried_again() {
    let (server, transport) = busy_server(ResponseTemplate::new(503), 1, quick()).await;
    assert!(transport.send::<()>(call(Method::POST)).await.is_err());
    assert_eq!(received(&server).await, 1, "POST is not idempotent");
    let (server, transport) = busy_server(ResponseTemplate::new(500), 1, quick()).await;
    assert!(transport.send::<()>(call(Method::GET)).await.is_err());
    assert_eq!(received(&server).await, 1, "500 is not a busy answer");
}

#[tokio::test]
async fn attempts_are_bounded_and_retries_can_be_disabled() {
    let (server, transport) = busy_server(ResponseTemplate::new(503), 10, quick()).await;
    assert!(transport.send::<()>(call(Method::GET)).await.is_err());
    assert_eq!(received(&server).await, 3, "three attempts by default");
    let (server, transport) = busy_server(ResponseTemplate::new(503), 10, quick().with_max_attempts(5)).await;
    assert!(transport.send::<()>(call(Method::GET)).await.is_err());
    assert_eq!(received(&server).await, 5);
    let (server, transport) = busy_server(ResponseTemplate::new(503), 10, RetryConfig::disabled()).await;
    assert!(transport.send::<()>(call(Method::GET)).await.is_err());
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn a_refused_connection_is_tried_again_then_reported() {
    let transport = ClientBuilder::<Transport>::new(&API, "http://127.0.0.1:9").retry(quick()).build().unwrap();
    let error = transport.send::<()>(call(Method::GET)).await.unwrap_err();
    assert!(matches!(error, veeam_runtime::client::Error::Connect(_)), "{error:?}");
}

#[tokio::test]
async fn a_post_the_spec_marks_idempotent_is_tried_again() {
    let (server, transport) = busy_server(ResponseTemplate::new(503), 1, quick()).await;
    let mut search = call(Method::POST);
    search.idempotent();
    transport.send::<()>(search).await.unwrap();
    assert_eq!(received(&server).await, 2);
}

/// The clock is paused: the two seconds the server asks for pass at once, and are measured on
/// the paused clock. The client has no timeout and its pool no idle timer, so no other timer
/// makes the paused clock jump while the server answers.
#[tokio::test(start_paused = true)]
async fn retry_after_two_seconds_waits_two_seconds() {
    let busy = ResponseTemplate::new(503).insert_header("retry-after", "2");
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(busy).up_to_n_times(1).mount(&server).await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    veeam_runtime::client::install_tls_provider();
    let http = veeam_runtime::reqwest::Client::builder().pool_idle_timeout(None).build().unwrap();
    let transport =
        ClientBuilder::<Transport>::new(&API, server.uri()).http_client(http).retry(quick()).build().unwrap();
    let started = tokio::time::Instant::now();
    transport.send::<()>(call(Method::GET)).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(2) && waited < Duration::from_millis(2500), "{waited:?}");
    assert_eq!(received(&server).await, 2);
}

#[tokio::test]
async fn a_retry_budget_ends_a_storm() {
    // A budget of two retries (5 tokens each): a server refusing everything gets 2 + 1 + 1 + ...
    // requests, not three per call.
    let storm = quick().with_max_attempts(3).with_budget(10);
    let (server, transport) = busy_server(ResponseTemplate::new(503), 1_000, storm).await;
    for _ in 0..5 {
        assert!(transport.send::<()>(call(Method::GET)).await.is_err());
    }
    assert_eq!(received(&server).await, 3 + 4, "the first call retried twice, the next four not at all");
}

#[tokio::test]
async fn successes_refill_the_budget() {
    // 5 tokens: one retry. A call that succeeds first time puts one back; five of them pay for
    // the next retry.
    let server = MockServer::start().await;
    let transport = ClientBuilder::<Transport>::new(&API, server.uri()).retry(quick().with_budget(5)).build().unwrap();
    busy_then_fine(&server).await;
    transport.send::<()>(call(Method::GET)).await.unwrap();
    // The budget is spent: the next refusal is the answer.
    busy_then_fine(&server).await;
    assert!(transport.send::<()>(call(Method::GET)).await.is_err());
    // Five first-time successes (the mock answers 204 now), then a refusal is retried again.
    for _ in 0..5 {
        transport.send::<()>(call(Method::GET)).await.unwrap();
    }
    busy_then_fine(&server).await;
    transport.send::<()>(call(Method::GET)).await.unwrap();
    assert_eq!(received(&server).await, 2);
}

/// The server answers 503 once, then 204 (what it received is forgotten).
async fn busy_then_fine(server: &MockServer) {
    server.reset().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(server)
        .await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(204)).mount(server).await;
}
