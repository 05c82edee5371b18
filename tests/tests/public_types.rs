//! Everything a public signature of `veeam_api` mentions can be named through `veeam_api` alone:
//! a program needs no direct dependency on the runtime, `time`, `reqwest` or `serde_json` to
//! write these functions. (The generator's test `xtask/tests/public_api.rs` checks the generated
//! signatures for the same rule; this file proves it compiles from a user's side.)

use veeam_api::backup_for_aws::models;
use veeam_api::error::{
    ApiError, AuthError, ConnectError, DecodeError, EncodeError, IoError, TaskError, TaskErrorKind, TimeoutError,
    TooLargeError, TransportError, UnexpectedStatusError,
};
use veeam_api::{backup_for_aws, enterprise_manager, json, DateTime, Limits, Tokens, Transport};

/// What a program writes to report an error by kind.
fn describe<E: std::fmt::Debug>(error: &veeam_api::error::Error<E>) -> String {
    match error {
        veeam_api::error::Error::Api(api) => api_error(api),
        veeam_api::error::Error::UnexpectedStatus(e) => unexpected(e),
        veeam_api::error::Error::Timeout(e) => timeout(e),
        veeam_api::error::Error::Connect(e) => connect(e),
        veeam_api::error::Error::Transport(e) => transport(e),
        veeam_api::error::Error::Decode(e) => decode(e),
        veeam_api::error::Error::TooLarge(e) => too_large(e),
        veeam_api::error::Error::Encode(e) => encode(e),
        veeam_api::error::Error::Auth(e) => auth(e),
        veeam_api::error::Error::Io(e) => io(e),
        veeam_api::error::Error::Task(e) => task(e),
        _ => "other".to_owned(),
    }
}

fn api_error<E: std::fmt::Debug>(error: &ApiError<E>) -> String {
    format!("{} {:?}", error.status(), error.body())
}
fn unexpected(error: &UnexpectedStatusError) -> String {
    error.status().to_string()
}
fn timeout(error: &TimeoutError) -> String {
    error.operation().to_owned()
}
fn connect(error: &ConnectError) -> String {
    error.operation().to_owned()
}
fn transport(error: &TransportError) -> String {
    error.operation().to_owned()
}
fn decode(error: &DecodeError) -> String {
    error.message().to_owned()
}
fn too_large(error: &TooLargeError) -> String {
    error.limit().to_string()
}
fn encode(error: &EncodeError) -> String {
    error.operation().to_owned()
}
fn auth(error: &AuthError) -> String {
    error.reason().to_owned()
}
fn io(error: &IoError) -> String {
    error.operation().to_owned()
}
fn task(error: &TaskError) -> String {
    matches!(error.kind(), TaskErrorKind::Failed).to_string()
}

/// The operations that answer any JSON value return `veeam_api::json::Value`.
async fn untyped(client: &backup_for_aws::Client) -> Result<json::Value, backup_for_aws::Error> {
    client.test().await
}

async fn credentials(transport: &Transport) -> Option<Tokens> {
    let _: Limits = transport.limits();
    transport.tokens().await
}

#[test]
fn types_of_public_signatures_are_named_through_veeam_api() {
    // Timestamps for "now" and "7 days ago" without the `time` crate.
    let now = DateTime::now_utc();
    let week_ago = now.checked_sub(std::time::Duration::from_secs(7 * 86_400)).unwrap();
    assert!(week_ago < now);
    // And the crates themselves, at the versions the client uses.
    let _: veeam_api::time::OffsetDateTime = now.get();
    let _ = veeam_api::reqwest::Client::builder();
    let client = backup_for_aws::Client::builder("https://vbaws.example").build().unwrap();
    // Built, never awaited: their signatures are what is checked.
    drop(untyped(&client));
    drop(credentials(client.transport()));
    let _: fn(&backup_for_aws::Error) -> String = describe::<models::Error>;
    let _: fn(&enterprise_manager::Error) -> String = describe;
    let value: json::Value = json::from_str("{\"a\":1}").unwrap();
    assert_eq!(value["a"], 1);
}
