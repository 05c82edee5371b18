//! `cargo xtask <command>`: project automation.
//!
//! - `codegen`: regenerate `generated/` from `spec/` (atomic: on error nothing changes).
//! - `check`: fail, with a diff summary, when `generated/` is not what `spec/` generates.
//! - `bench`: the generator's phases, memory and output size at several sizes, the compile time of
//!   what it generates, and progenitor's figures on the same documents (see `BENCHMARKS.md`).
//!
//! Exit codes: 0 success, 1 spec error or stale output, 2 bad command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

mod bench;
mod mutate;

// Generation is allocation-bound (token trees built, parsed and dropped on every thread).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Write spec-language YAML for an OpenAPI 3.0 or 3.1 document (YAML or JSON).
    ImportOpenapi(Import),
    /// Write a deterministic synthetic API with N schemas and about 2N operations.
    Synth(Synth),
    /// Write a spec folder of random valid specs, one API per seed; with `--compile`, also
    /// generate its crate in a temporary folder and run clippy and its tests on it.
    RandomSpecs(RandomSpecs),
    /// Run random edits of a spec through `codegen`: every run must exit 0 or 1 in time.
    Mutate(Mutate),
    /// Measure the generator on synthetic APIs (and progenitor with `--progenitor`); writes a
    /// Markdown report.
    Bench(Bench),
    /// One generation, printing the nanoseconds of each phase (used by `bench`).
    #[command(hide = true)]
    GenerateTimed { spec: PathBuf, out: PathBuf },
    /// Every test: `cargo test --workspace`, then the tests of the crates generated from the
    /// fixture specs (a workspace of their own, in the same target folder). Arguments are passed
    /// to both (`cargo xtask test --locked`).
    Test {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

#[derive(Args)]
struct Bench {
    /// Numbers of schemas (about twice as many operations).
    #[arg(long, value_delimiter = ',', default_value = "50,200,1000,5000")]
    sizes: Vec<usize>,
    /// Runs per measurement (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Sizes whose generated crates are also compiled (dependencies first, then the crate alone).
    #[arg(long, value_delimiter = ',')]
    compile: Vec<usize>,
    /// Measure progenitor on the same documents (installed into the work folder when missing).
    #[arg(long)]
    progenitor: bool,
    /// Also measure this git revision of the project (checked out in the work folder), for
    /// before/after figures.
    #[arg(long)]
    baseline: Option<String>,
    /// Work folder, outside any cargo workspace so the generated crates build on their own
    /// (default: `<temp>/veeam-bench`).
    #[arg(long)]
    work: Option<PathBuf>,
}

#[derive(Args)]
struct Mutate {
    /// Number of mutants.
    #[arg(long, default_value_t = 200)]
    runs: usize,
    /// Seed of the edits.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The spec folder to mutate (default: `spec/`).
    #[arg(long)]
    spec: Option<PathBuf>,
}

#[derive(Args)]
struct RandomSpecs {
    /// Seeds, as `START..END`.
    #[arg(long, value_parser = parse_range, default_value = "0..8")]
    seeds: std::ops::Range<u64>,
    /// Spec folder to write (default: the fixture `codegen/tests/fixtures/random`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Generate the crate in a temporary folder and compile it with `cargo clippy -D warnings`.
    #[arg(long)]
    compile: bool,
}

fn parse_range(text: &str) -> Result<std::ops::Range<u64>, String> {
    let (start, end) = text.split_once("..").ok_or("expected START..END")?;
    let start = start.parse::<u64>().map_err(|e| e.to_string())?;
    let end = end.parse::<u64>().map_err(|e| e.to_string())?;
    if start >= end {
        return Err("an empty range".into());
    }
    Ok(start..end)
}

#[derive(Args)]
struct Import {
    /// The OpenAPI document; relative `$ref`s to other files are followed and bundled.
    file: PathBuf,
    /// Name of the API (its Rust module): snake_case.
    #[arg(long)]
    name: String,
    /// Folder for the spec files (default `spec/<name>/`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Curation applied to the import (default: `<out>/import/overlay.yaml`, when it exists).
    #[arg(long)]
    overlay: Option<PathBuf>,
    /// Follow `$ref`s to files outside the document's folder tree (not followed by default).
    #[arg(long)]
    allow_refs_outside: bool,
}

#[derive(Args)]
struct Synth {
    /// Number of schemas.
    n: usize,
    /// `openapi` writes one OpenAPI 3.0 document; `spec` writes a spec folder (`crate.yaml` and
    /// one API folder) ready for `cargo xtask codegen --spec`.
    #[arg(long, value_enum, default_value = "spec")]
    format: SynthFormat,
    /// Where to write: a file for `openapi`, a folder for `spec`.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SynthFormat {
    Openapi,
    Spec,
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

impl Paths {
    fn pairs(&self) -> Vec<(PathBuf, PathBuf)> {
        match (&self.spec, &self.out) {
            (Some(spec), Some(out)) => vec![(spec.clone(), out.clone())],
            _ => xtask::GENERATED
                .iter()
                .map(|(spec, out)| (workspace_root().join(spec), workspace_root().join(out)))
                .collect(),
        }
    }
}

use xtask::workspace_root;

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
        Command::ImportOpenapi(import) => failed = !import_openapi(&import),
        Command::Synth(synth) => failed = !write_synth(&synth),
        Command::RandomSpecs(random) => failed = !random_specs(&random),
        Command::Bench(args) => {
            let options = bench::Options {
                sizes: args.sizes,
                runs: args.runs.max(1),
                compile: args.compile,
                progenitor: args.progenitor,
                baseline: args.baseline,
                work: args.work.unwrap_or_else(|| std::env::temp_dir().join("veeam-bench")),
                runtime: workspace_root().join("runtime"),
            };
            match bench::run(&options) {
                Ok(report) => println!("{report}"),
                Err(error) => {
                    eprintln!("{error}");
                    failed = true;
                }
            }
        }
        Command::GenerateTimed { spec, out } => match bench::generate_timed(&spec, &out) {
            Ok(line) => println!("{line}"),
            Err(error) => {
                eprintln!("{error}");
                failed = true;
            }
        },
        Command::Test { args } => failed = !test(&args),
        Command::Mutate(mutate) => {
            let root = workspace_root();
            let spec = mutate.spec.clone().unwrap_or_else(|| root.join("spec"));
            failed = !mutate::run(&spec, &root.join("runtime"), mutate.runs, mutate.seed, &root.join("target/mutants"));
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `cargo test` of the main workspace, then of the fixtures' workspace; both run, whatever the
/// first gives. Returns success.
fn test(args: &[String]) -> bool {
    let root = workspace_root();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let fixtures = root.join("codegen/tests/fixtures/Cargo.toml");
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let runs: [(&str, Vec<&std::ffi::OsStr>); 2] = [
        ("the workspace", vec!["test".as_ref(), "--workspace".as_ref()]),
        (
            "the fixture crates",
            vec!["test".as_ref(), "--workspace".as_ref(), "--manifest-path".as_ref(), fixtures.as_os_str()],
        ),
    ];
    let mut passed = true;
    for (what, run) in runs {
        println!("== cargo test: {what}");
        let status = std::process::Command::new(&cargo)
            .args(run)
            .args(args)
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", &target)
            .status();
        match status {
            Ok(status) if status.success() => {}
            Ok(status) => {
                eprintln!("cargo test of {what} failed ({status})");
                passed = false;
            }
            Err(error) => {
                eprintln!("cargo: {error}");
                passed = false;
            }
        }
    }
    passed
}

/// Imports an OpenAPI document into spec files; reports what was not mapped. Returns success.
fn import_openapi(import: &Import) -> bool {
    if let Err(message) = codegen::resolve::api_name(&import.name) {
        eprintln!("--name: {message}");
        return false;
    }
    let out = import.out.clone().unwrap_or_else(|| workspace_root().join("spec").join(&import.name));
    let overlay_path = import.overlay.clone().or_else(|| {
        let default = out.join("import").join("overlay.yaml");
        default.is_file().then_some(default)
    });
    let overlay = match &overlay_path {
        Some(path) => {
            let parsed = std::fs::read_to_string(path)
                .map_err(|e| format!("{}: {e}", path.display()))
                .and_then(|text| codegen::import::Overlay::parse(&text, &path.display().to_string()));
            match parsed {
                Ok(overlay) => Some(overlay),
                Err(error) => {
                    eprintln!("{error}");
                    return false;
                }
            }
        }
        None => None,
    };
    let options = codegen::import::FileOptions { allow_outside: import.allow_refs_outside };
    let imported = match codegen::import::import_file(&import.file, &import.name, overlay.as_ref(), &options) {
        Ok(imported) => imported,
        Err(error) => {
            eprintln!("{}: {error}", import.file.display());
            return false;
        }
    };
    // Notes first: what was mapped only nearly often explains an error after it.
    for note in &imported.notes {
        eprintln!("not mapped: {note}");
    }
    if let Err(error) = codegen::import::write(&imported, &out) {
        eprintln!("{error}");
        eprintln!("the imported spec does not resolve; nothing was written to {}", out.display());
        return false;
    }
    if let Some(path) = &overlay_path {
        println!("applied the overlay {}", path.display());
    }
    println!("wrote {} file(s) to {}", imported.files.len(), out.display());
    true
}

fn write_synth(synth: &Synth) -> bool {
    let document = codegen::synth::openapi(synth.n);
    let result = match synth.format {
        SynthFormat::Openapi => {
            std::fs::write(&synth.out, document).map_err(|e| format!("{}: {e}", synth.out.display()))
        }
        SynthFormat::Spec => codegen::synth::spec_folder(&document, &synth.out, &workspace_root().join("runtime")),
    };
    match result {
        Ok(()) => {
            println!("wrote a synthetic API with {} schemas to {}", synth.n, synth.out.display());
            true
        }
        Err(error) => {
            eprintln!("{error}");
            false
        }
    }
}

/// Writes random specs; with `--compile`, builds and lints their crate outside the workspace.
fn random_specs(random: &RandomSpecs) -> bool {
    let root = workspace_root();
    if !random.compile {
        let out = random.out.clone().unwrap_or_else(|| root.join("codegen/tests/fixtures/random"));
        // Relative to the fixture folder, so the written files do not depend on the checkout.
        let runtime = "../../../../runtime";
        return match codegen::synth::random::write_folder(random.seeds.clone(), &out, "random_generated", runtime) {
            Ok(()) => {
                println!("wrote seeds {:?} to {}", random.seeds, out.display());
                true
            }
            Err(error) => {
                eprintln!("{}: {error}", out.display());
                false
            }
        };
    }
    let scratch = random.out.clone().unwrap_or_else(|| std::env::temp_dir().join("codegen-random-specs"));
    let (spec, crate_dir) = (scratch.join("spec"), scratch.join("crate"));
    let runtime = root.join("runtime");
    if let Err(error) = codegen::synth::random::write_folder(
        random.seeds.clone(),
        &spec,
        "random_generated",
        &runtime.display().to_string(),
    ) {
        eprintln!("{}: {error}", spec.display());
        return false;
    }
    if let Err(error) = codegen::generate(&spec, &crate_dir) {
        eprintln!("seeds {:?} do not generate (a generator bug: they must):\n{error}", random.seeds);
        return false;
    }
    // Its own workspace, sharing the build directory so dependencies build once.
    let manifest = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap_or_default();
    if !text.contains("[workspace]") {
        let _ = std::fs::write(&manifest, format!("{text}\n[workspace]\n"));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for args in [&["clippy", "--all-targets", "--", "-D", "warnings"][..], &["test", "--quiet"][..]] {
        let status = std::process::Command::new(&cargo)
            .args(args)
            .current_dir(&crate_dir)
            .env("CARGO_TARGET_DIR", root.join("target/random-specs"))
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!(
                "`cargo {}` failed on the crate of seeds {:?} in {}",
                args.join(" "),
                random.seeds,
                crate_dir.display()
            );
            return false;
        }
    }
    println!("seeds {:?}: generated, compiled and linted without warnings", random.seeds);
    true
}
