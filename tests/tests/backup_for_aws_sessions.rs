//! Waiting for the sessions Backup for AWS operations start, on a loopback server: a policy
//! started (`202` and the session's id), its session polled until it is over; a failed or
//! cancelled session is a typed error with the server's reason; a session that never ends runs
//! out of time.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use veeam_api::backup_for_aws::models::{SessionResults, SessionStatuses};
use veeam_api::backup_for_aws::{Client, Error};
use veeam_api::{TaskErrorKind, TaskStatus, TaskWait, Uuid};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const POLICY: &str = "5e6a2b4c-1111-4a3f-9c53-2b4f1d1e9a10";
const SESSION: &str = "8d3c9e7a-2222-4b1e-8f0a-6c5d4e3f2a1b";

fn session(status: &str, result: Option<&str>, reason: Option<&str>) -> serde_json::Value {
    serde_json::json!({
        "id": SESSION,
        "type": "Policy",
        "status": status,
        "result": result,
        "reason": reason,
        "usn": 42,
        "_links": []
    })
}

/// A server whose policy starts a session that answers `statuses` in turn (the last one for
/// ever after).
async fn server(statuses: Vec<serde_json::Value>) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/v1/policies/{POLICY}/start")))
        .respond_with(ResponseTemplate::new(202).set_body_json(serde_json::json!({ "sessionId": SESSION })))
        .mount(&server)
        .await;
    let polls = Arc::new(AtomicUsize::new(0));
    let counted = polls.clone();
    Mock::given(method("GET"))
        .and(path(format!("/api/v1/sessions/{SESSION}")))
        .respond_with(move |_: &Request| {
            let index = counted.fetch_add(1, Ordering::SeqCst).min(statuses.len() - 1);
            ResponseTemplate::new(200).set_body_json(statuses[index].clone())
        })
        .mount(&server)
        .await;
    (server, polls)
}

async fn client(server: &MockServer) -> Client {
    let client = Client::builder(server.uri()).build().unwrap();
    client.set_tokens("access", None, None).await;
    client
}

fn quick() -> TaskWait {
    TaskWait::new().first_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(4))
}

#[tokio::test]
async fn a_started_policy_is_waited_for_until_its_session_is_over() {
    let running = session("Running", Some("Running"), None);
    let (server, polls) = server(vec![running.clone(), running, session("Succeeded", Some("Success"), None)]).await;
    let client = client(&server).await;
    let started = client.start_policy(POLICY.parse().unwrap()).await.unwrap();
    let finished = client.wait_for_task_id_with(started.session_id, &quick()).await.unwrap();
    assert_eq!(finished.status, SessionStatuses::Succeeded);
    assert_eq!(finished.result, Some(SessionResults::Success));
    assert_eq!(finished.task_id(), Some(SESSION.parse::<Uuid>().unwrap()));
    assert_eq!(polls.load(Ordering::SeqCst), 3, "fetched at once, then polled until over");
    // A session already over is not polled again.
    let again = client.wait_for_task(finished).await.unwrap();
    assert!(again.is_done());
    assert_eq!(polls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_warning_is_a_success_and_a_failure_or_cancel_is_an_error_with_the_reason() {
    let (warned, _) = server(vec![session("Warning", Some("Warning"), Some("one VM skipped"))]).await;
    let done = client(&warned).await.wait_for_task_id(SESSION.parse().unwrap()).await.unwrap();
    assert_eq!(done.status, SessionStatuses::Warning);

    for status in ["Failed", "Canceled", "NeverExecuted"] {
        let statuses =
            vec![session("Running", None, None), session(status, Some("Failed"), Some("no access to region"))];
        let (failing, _) = server(statuses).await;
        let error = client(&failing).await.wait_for_task_id_with(SESSION.parse().unwrap(), &quick()).await.unwrap_err();
        let Error::Task(task) = &error else { panic!("{status}: {error:?}") };
        assert_eq!(task.kind(), TaskErrorKind::Failed, "{status}");
        assert_eq!(task.task_id(), Some(SESSION), "{status}");
        assert_eq!(task.message(), Some("no access to region"), "{status}");
        assert!(error.to_string().contains("wait_for_task_id"), "{error}");
    }
}

#[tokio::test]
async fn a_session_that_never_ends_runs_out_of_time() {
    let (server, polls) = server(vec![session("Running", None, None)]).await;
    let client = client(&server).await;
    let wait = quick().timeout(Duration::from_millis(30));
    let error = client.wait_for_task_id_with(SESSION.parse().unwrap(), &wait).await.unwrap_err();
    let Error::Task(task) = &error else { panic!("{error:?}") };
    assert_eq!(task.kind(), TaskErrorKind::TimedOut);
    assert!(polls.load(Ordering::SeqCst) >= 2);
}
