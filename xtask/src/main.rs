//! `cargo xtask <command>`: project automation.
//!
//! - `codegen`: regenerate `generated/` from `spec/` (atomic: on error nothing changes).
//! - `check`: fail, with a diff summary, when `generated/` is not what `spec/` generates.
//!
//! Exit codes: 0 success, 1 spec error or stale output, 2 bad command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Project automation for the API client generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the output crate from the spec.
    Codegen(Paths),
    /// Exit non-zero, with a diff summary, when the output crate is stale.
    Check(Paths),
}

#[derive(Args)]
struct Paths {
    /// Spec folder: `crate.yaml` plus one sub-folder per API.
    #[arg(long, default_value_os_t = workspace_root().join("spec"))]
    spec: PathBuf,
    /// Output crate folder.
    #[arg(long, default_value_os_t = workspace_root().join("generated"))]
    out: PathBuf,
}

fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_owned()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen(paths) => match codegen::generate(&paths.spec, &paths.out) {
            Ok(true) => {
                println!("generated {} from {}", paths.out.display(), paths.spec.display());
                ExitCode::SUCCESS
            }
            Ok(false) => {
                println!("{} is up to date", paths.out.display());
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("{error}");
                eprintln!("nothing was written; {} is unchanged", paths.out.display());
                ExitCode::FAILURE
            }
        },
        Command::Check(paths) => match codegen::check(&paths.spec, &paths.out) {
            Ok(report) if report.is_clean() => {
                println!("{}: {report}", paths.out.display());
                ExitCode::SUCCESS
            }
            Ok(report) => {
                eprintln!("{report}");
                ExitCode::FAILURE
            }
            Err(error) => {
                eprintln!("{error}");
                ExitCode::FAILURE
            }
        },
    }
}
