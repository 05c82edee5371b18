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

/// Without `--spec` and `--out`: the shipped spec into `generated/`, and the fixture specs into
/// their crates (so everything generated in the repository is covered).
#[derive(Args)]
struct Paths {
    /// Spec folder: `crate.yaml` plus one sub-folder per API.
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// Output crate folder.
    #[arg(long, requires = "spec")]
    out: Option<PathBuf>,
}

/// Spec folders generated into workspace crates, relative to the workspace root: the shipped spec
/// first, then the fixtures whose generated code the workspace compiles, lints and tests.
const GENERATED: &[(&str, &str)] =
    &[("spec", "generated"), ("codegen/tests/fixtures/kitchen_sink", "codegen/tests/fixtures/kitchen_sink_generated")];

impl Paths {
    fn pairs(&self) -> Vec<(PathBuf, PathBuf)> {
        match (&self.spec, &self.out) {
            (Some(spec), Some(out)) => vec![(spec.clone(), out.clone())],
            _ => {
                GENERATED.iter().map(|(spec, out)| (workspace_root().join(spec), workspace_root().join(out))).collect()
            }
        }
    }
}

fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_owned()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut failed = false;
    match cli.command {
        Command::Codegen(paths) => {
            for (spec, out) in paths.pairs() {
                match codegen::generate(&spec, &out) {
                    Ok(true) => println!("generated {} from {}", out.display(), spec.display()),
                    Ok(false) => println!("{} is up to date", out.display()),
                    Err(error) => {
                        eprintln!("{error}");
                        eprintln!("nothing was written; {} is unchanged", out.display());
                        failed = true;
                    }
                }
            }
        }
        Command::Check(paths) => {
            for (spec, out) in paths.pairs() {
                match codegen::check(&spec, &out) {
                    Ok(report) if report.is_clean() => println!("{}: {report}", out.display()),
                    Ok(report) => {
                        eprintln!("{}:\n{report}", out.display());
                        failed = true;
                    }
                    Err(error) => {
                        eprintln!("{error}");
                        failed = true;
                    }
                }
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
