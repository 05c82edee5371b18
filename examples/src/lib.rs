//! Lists the SMTP server credentials records of a Veeam Backup for AWS appliance, and adds one.
//! The library half of the `smtp-credentials` program, so that tests can run it against a local
//! server.

use std::fmt::Write;
use std::time::Duration;

use veeam_api::backup_for_aws::models::{
    StandardAccountCreateSpec, StandardAccountCreateSpecRequired, StandardAccountsSortColumns,
};
use veeam_api::backup_for_aws::{Client, Error};
use veeam_api::BuildError;

/// What to do.
pub struct Options {
    /// `https://host` (port 11005 and `/api/v1` are added when missing).
    pub url: String,
    pub username: String,
    pub password: String,
    /// Accept self-signed certificates (Veeam appliances ship with one).
    pub insecure: bool,
    /// Add a record with this name, user name and password before listing.
    pub add: Option<(String, String, String)>,
}

/// Why the program failed.
#[derive(Debug)]
pub enum Failure {
    /// The settings are unusable (a malformed URL, say).
    Settings(BuildError),
    /// A call failed.
    Call(Error),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Settings(error) => error.fmt(f),
            Failure::Call(error) => error.fmt(f),
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Call(error)
    }
}

/// Logs in, optionally adds a record, lists the records, logs out. Returns the report printed.
pub async fn run(options: &Options) -> Result<String, Failure> {
    let client = Client::builder(&options.url)
        .danger_accept_invalid_certs(options.insecure)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(Failure::Settings)?;
    client.log_in(&options.username, &options.password).await?;

    let mut report = String::new();
    if let Some((name, username, password)) = &options.add {
        let spec = StandardAccountCreateSpec::new(StandardAccountCreateSpecRequired {
            name: name.clone(),
            username: username.clone(),
            password: password.clone(),
        })
        .with_description("Added by the smtp-credentials example");
        let added = client.create_standard_account(spec).await?;
        let _ = writeln!(report, "added {} ({})", added.name, added.id);
    }
    let page = client.list_standard_accounts().limit(100).sort(vec![StandardAccountsSortColumns::NameAsc]).await?;
    let _ = writeln!(report, "{} SMTP credentials record(s):", page.total_count);
    for account in &page.results {
        let description = account.description.as_deref().unwrap_or("-");
        let _ = writeln!(report, "  {}  {:<24} {:<32} {description}", account.id, account.name, account.username);
    }
    client.log_out().await?;
    Ok(report)
}
