//! `smtp-credentials`: list (and add) SMTP credentials records on Veeam Backup for AWS.
//!
//! ```text
//! cargo run -p examples --bin smtp-credentials -- \
//!     --url https://vbaws.example --username admin --password '...' --insecure \
//!     --add "Mail relay" relay@example.com 'relay-password'
//! ```

use std::process::ExitCode;

use clap::Parser;
use examples::{run, Options};

#[derive(Parser)]
#[command(about = "List and add SMTP credentials records on Veeam Backup for AWS")]
struct Cli {
    /// Appliance address, e.g. https://vbaws.example (port 11005 by default).
    #[arg(long)]
    url: String,
    #[arg(long)]
    username: String,
    /// Password; read from VEEAM_PASSWORD when not given.
    #[arg(long, env = "VEEAM_PASSWORD", hide_env_values = true)]
    password: String,
    /// Accept a self-signed certificate.
    #[arg(long)]
    insecure: bool,
    /// Add a record first: NAME USERNAME PASSWORD.
    #[arg(long, num_args = 3, value_names = ["NAME", "USERNAME", "PASSWORD"])]
    add: Option<Vec<String>>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let add = cli.add.map(|v| (v[0].clone(), v[1].clone(), v[2].clone()));
    let options = Options { url: cli.url, username: cli.username, password: cli.password, insecure: cli.insecure, add };
    match run(&options).await {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
