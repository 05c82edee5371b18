//! The Backup & Replication REST API on a loopback server: OAuth2 tokens as the API documents
//! them (password, refresh with a new refresh token each time, authorization code, logout), the
//! `x-api-version` header on every call, `skip`/`limit` paging, and the sessions that starting a
//! job answers, waited for until they stop.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use veeam_api::backup_and_replication::models::{ESessionResult, ESessionState, JobModel, JobStartSpec};
use veeam_api::backup_and_replication::{Client, Error};
use veeam_api::stream::TryStreamExt;
use veeam_api::{TaskErrorKind, TaskStatus, TaskWait};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const JOB: &str = "f9a16e9c-46e4-4bb7-9ba1-8a2f8b5e7d10";
const SESSION: &str = "b1380736-18a9-4fac-adfe-20abc570e8de";

/// A token answer as `POST /api/oauth2/token` documents it; `expires_in: 0` makes the client
/// refresh before its next call.
fn tokens(access: &str, refresh: &str, expires_in: u32) -> serde_json::Value {
    serde_json::json!({
        "access_token": access,
        "token_type": "bearer",
        "refresh_token": refresh,
        "expires_in": expires_in,
        ".issued": "2026-12-07T10:00:00Z",
        ".expires": "2026-12-07T10:15:00Z"
    })
}

fn form(request: &Request) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(&request.body).unwrap()
}

fn job(name: &str, id: &str) -> serde_json::Value {
    let documented: serde_json::Value =
        serde_json::from_str(include_str!("../../spec/backup_and_replication/examples/list_jobs.200.json")).unwrap();
    let mut job = documented["data"][0].clone();
    job["name"] = name.into();
    job["id"] = id.into();
    job
}

fn session(state: &str, result: Option<(&str, &str)>) -> serde_json::Value {
    serde_json::json!({
        "sessionType": "Job",
        "state": state,
        "id": SESSION,
        "name": "Oracle Backup",
        "activityId": "75fc491a-d158-4380-a433-ebc42a28e4df",
        "creationTime": "2026-12-07T10:00:00+01:00",
        "result": result.map(|(result, message)| serde_json::json!({"result": result, "message": message})),
        "usn": 0
    })
}

async fn logged_in(server: &MockServer) -> Client {
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tokens("a1", "r1", 900)))
        .mount(server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    client.log_in("administrator", "s3cret").await.unwrap();
    client
}

#[tokio::test]
async fn the_password_grant_gives_a_bearer_token_sent_with_the_api_version_on_every_call() {
    let server = MockServer::start().await;
    let client = logged_in(&server).await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v1/sessions/{SESSION}")))
        .and(header("authorization", "Bearer a1"))
        .and(header("x-api-version", "1.1-rev0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session("Working", None)))
        .mount(&server)
        .await;
    client.get_session(SESSION.parse().unwrap()).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let login = &requests[0];
    assert_eq!(login.headers.get("x-api-version").unwrap(), "1.1-rev0");
    assert_eq!(login.headers.get("content-type").unwrap(), "application/x-www-form-urlencoded");
    let fields = form(login);
    assert!(fields.contains(&("grant_type".into(), "password".into())), "{fields:?}");
    assert!(fields.contains(&("username".into(), "administrator".into())));
    assert!(fields.contains(&("password".into(), "s3cret".into())));
}

#[tokio::test]
async fn each_refresh_sends_the_refresh_token_the_last_one_answered() {
    let server = MockServer::start().await;
    let refreshes = Arc::new(Mutex::new(Vec::new()));
    let seen = refreshes.clone();
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .respond_with(move |request: &Request| {
            let fields = form(request);
            let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
            match field("grant_type").as_str() {
                "password" => ResponseTemplate::new(200).set_body_json(tokens("a1", "r1", 0)),
                "refresh_token" => {
                    let mut seen = seen.lock().unwrap();
                    seen.push(field("refresh_token"));
                    let n = seen.len() + 1;
                    // Single-use refresh tokens: each answer carries a new one.
                    ResponseTemplate::new(200).set_body_json(tokens(&format!("a{n}"), &format!("r{n}"), 0))
                }
                other => ResponseTemplate::new(400).set_body_string(format!("grant {other}")),
            }
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v1/sessions/{SESSION}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(session("Working", None)))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    client.log_in("administrator", "s3cret").await.unwrap();
    client.get_session(SESSION.parse().unwrap()).await.unwrap();
    client.get_session(SESSION.parse().unwrap()).await.unwrap();
    assert_eq!(*refreshes.lock().unwrap(), ["r1", "r2"], "the rotated refresh token is the one sent next");
    let requests = server.received_requests().await.unwrap();
    let bearers: Vec<&str> = requests
        .iter()
        .filter(|r| r.url.path().starts_with("/api/v1/sessions/"))
        .map(|r| r.headers.get("authorization").unwrap().to_str().unwrap())
        .collect();
    assert_eq!(bearers, ["Bearer a2", "Bearer a3"]);
}

#[tokio::test]
async fn an_authorization_code_logs_in_and_logging_out_revokes_the_tokens() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tokens("a-code", "r-code", 900)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/logout"))
        .and(header("authorization", "Bearer a-code"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    client.log_in_authorization_code("c0de-from-the-console").await.unwrap();
    let fields = form(&server.received_requests().await.unwrap()[0]);
    assert_eq!(
        fields,
        [
            ("grant_type".to_owned(), "authorization_code".to_owned()),
            ("code".to_owned(), "c0de-from-the-console".to_owned())
        ]
    );
    client.log_out().await.unwrap();
    let error = client.get_session(SESSION.parse().unwrap()).await.unwrap_err();
    assert!(matches!(error, Error::Auth(_)), "{error}");
    assert!(error.to_string().contains("not logged in"), "{error}");
}

#[tokio::test]
async fn five_jobs_with_a_limit_of_two_are_three_requests() {
    let server = MockServer::start().await;
    let client = logged_in(&server).await;
    let names = ["Nightly", "Hourly", "Weekly", "Oracle", "Exchange"];
    Mock::given(method("GET"))
        .and(path("/api/v1/jobs"))
        .respond_with(move |request: &Request| {
            let query: Vec<(String, String)> = serde_urlencoded::from_str(request.url.query().unwrap_or("")).unwrap();
            let number = |name: &str| query.iter().find(|(k, _)| k == name).map_or(0, |(_, v)| v.parse().unwrap());
            let (skip, limit) = (number("skip"), number("limit"));
            let data: Vec<serde_json::Value> = names
                .iter()
                .enumerate()
                .skip(skip)
                .take(limit)
                .map(|(index, name)| job(name, &format!("00000000-0000-0000-0000-00000000000{index}")))
                .collect();
            let count = data.len();
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "data": data,
                "pagination": {"total": names.len(), "count": count, "skip": skip, "limit": limit}
            }))
        })
        .mount(&server)
        .await;
    let jobs: Vec<JobModel> = client.list_jobs().limit(2).items().try_collect().await.unwrap();
    let found: Vec<String> = jobs
        .iter()
        .map(|job| match job {
            JobModel::BackupJobModel(job) => job.name.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(found, names);
    // The members every job type has are read without a match.
    assert_eq!(jobs[1].name(), Some("Hourly"));
    assert_eq!(jobs[1].id().map(ToString::to_string).as_deref(), Some("00000000-0000-0000-0000-000000000001"));
    let pages = server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/api/v1/jobs").count();
    assert_eq!(pages, 3, "2 + 2 + 1 of a total of 5");
}

/// A server whose job starts a session that answers `states` in turn (the last for ever after).
async fn job_server(states: Vec<serde_json::Value>) -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = logged_in(&server).await;
    Mock::given(method("POST"))
        .and(path(format!("/api/v1/jobs/{JOB}/start")))
        .respond_with(ResponseTemplate::new(201).set_body_json(session("Starting", None)))
        .mount(&server)
        .await;
    let polls = Arc::new(Mutex::new(0usize));
    Mock::given(method("GET"))
        .and(path(format!("/api/v1/sessions/{SESSION}")))
        .respond_with(move |_: &Request| {
            let mut polls = polls.lock().unwrap();
            let index = (*polls).min(states.len() - 1);
            *polls += 1;
            ResponseTemplate::new(200).set_body_json(states[index].clone())
        })
        .mount(&server)
        .await;
    (server, client)
}

fn quick() -> TaskWait {
    TaskWait::new().first_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(4))
}

#[tokio::test]
async fn a_started_job_is_waited_for_until_its_session_stops() {
    let working = session("Working", None);
    let (server, client) =
        job_server(vec![working.clone(), working, session("Stopped", Some(("Warning", "1 VM skipped")))]).await;
    let started = client.start_job(JOB.parse().unwrap(), JobStartSpec::new(false)).await.unwrap();
    assert_eq!(started.state, ESessionState::Starting);
    let finished = client.wait_for_task_with(started, &quick()).await.unwrap();
    assert_eq!(finished.state, ESessionState::Stopped);
    assert_eq!(finished.result.as_ref().map(|r| &r.result), Some(&ESessionResult::Warning));
    assert_eq!((finished.succeeded(), finished.message()), (Some(true), Some("1 VM skipped")));
    let start = &server.received_requests().await.unwrap()[1];
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&start.body).unwrap(),
        serde_json::json!({"performActiveFull": false})
    );
}

#[tokio::test]
async fn a_session_that_stops_failed_is_a_typed_error_with_the_servers_message() {
    let (_server, client) = job_server(vec![session("Stopped", Some(("Failed", "Repository is out of space")))]).await;
    let started = client.start_job(JOB.parse().unwrap(), JobStartSpec::new(true)).await.unwrap();
    let Error::Task(error) = client.wait_for_task_with(started, &quick()).await.unwrap_err() else {
        panic!("not a task error")
    };
    assert_eq!(error.kind(), TaskErrorKind::Failed);
    assert!(error.to_string().contains("Repository is out of space"), "{error}");
}

#[tokio::test]
async fn a_session_that_never_stops_runs_out_of_time() {
    let (_server, client) = job_server(vec![session("Working", None)]).await;
    let started = client.start_job(JOB.parse().unwrap(), JobStartSpec::new(false)).await.unwrap();
    let wait = quick().timeout(Duration::from_millis(50));
    let Error::Task(error) = client.wait_for_task_with(started, &wait).await.unwrap_err() else {
        panic!("not a task error")
    };
    assert_eq!(error.kind(), TaskErrorKind::TimedOut);
}
