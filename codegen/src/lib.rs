//! Schema-driven API client generator.
//!
//! ```text
//! spec/<api>/*.yaml --load--> AST --resolve--> IR --emit--> tokens --write--> files
//! ```
//!
//! Each phase lives in the module named after it. [`generate`] runs them all and replaces the
//! output folder atomically; [`check`] renders in memory and reports what differs.

pub mod diagnostics;
pub mod emit;
pub mod fuzzing;
pub mod import;
pub mod ir;
pub mod load;
pub mod parallel;
pub mod resolve;
pub mod synth;
pub mod write;

use std::path::Path;
use std::time::{Duration, Instant};

pub use diagnostics::{Diagnostic, Diagnostics};
pub use write::{CheckReport, Rendered};

/// Loads and resolves the spec folder `spec_dir`: `crate.yaml` and every API, all mistakes
/// reported together.
pub fn load_spec(spec_dir: &Path) -> Result<(ir::Crate, ir::Spec), Diagnostics> {
    resolve_folder(load::read_spec_folder(spec_dir)?)
}

fn resolve_folder(folder: load::SpecFolder) -> Result<(ir::Crate, ir::Spec), Diagnostics> {
    let mut diagnostics = folder.diagnostics;
    let krate = folder.krate.and_then(|krate| resolve::krate(&krate, &mut diagnostics));
    let asts: Vec<_> = folder.apis.into_iter().map(|source| load::parse(source, &mut diagnostics)).collect();
    let spec = resolve::resolve(asts, &mut diagnostics);
    match (krate, spec) {
        (Some(krate), Some(spec)) if diagnostics.is_empty() => Ok((krate, spec)),
        _ => Err(diagnostics.sorted()),
    }
}

/// Loads, resolves and renders a spec held in memory: the text of `crate.yaml` and the files of
/// each API (fuzzers, tests). Paths (the runtime's, example bodies) are relative to `spec_dir`.
pub fn render_in_memory(
    crate_yaml: &str,
    apis: Vec<load::ApiSource>,
    spec_dir: &Path,
    out_dir: &Path,
) -> Result<Rendered, Error> {
    let (krate, diagnostics) = load::crate_spec(crate_yaml.to_owned(), spec_dir);
    let (krate, spec) = resolve_folder(load::SpecFolder { krate, apis, diagnostics })?;
    emit::render(&krate, &spec, out_dir)
}

/// Parses and resolves API sources given in memory (in any order).
pub fn resolve_sources(sources: Vec<load::ApiSource>) -> Result<ir::Spec, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let asts: Vec<_> = sources.into_iter().map(|source| load::parse(source, &mut diagnostics)).collect();
    let spec = resolve::resolve(asts, &mut diagnostics);
    match spec {
        Some(spec) if diagnostics.is_empty() => Ok(spec),
        _ => Err(diagnostics.sorted()),
    }
}

/// Everything that can stop a run.
#[derive(Debug)]
pub enum Error {
    Spec(Diagnostics),
    Io {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
    /// A bug in the generator (emitted code that does not parse); never the spec's fault.
    Internal(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Spec(diagnostics) => diagnostics.fmt(f),
            Error::Io { path, error } => write!(f, "{}: {error}", path.display()),
            Error::Internal(message) => write!(f, "internal generator error: {message}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<Diagnostics> for Error {
    fn from(diagnostics: Diagnostics) -> Self {
        Error::Spec(diagnostics)
    }
}

/// Renders the crate for `spec_dir` in memory, as it would be written to `out_dir`.
pub fn render(spec_dir: &Path, out_dir: &Path) -> Result<Rendered, Error> {
    let (krate, spec) = load_spec(spec_dir)?;
    emit::render(&krate, &spec, out_dir)
}

/// Regenerates `out_dir` from `spec_dir`. On any error the folder is left exactly as it was.
/// Returns whether anything changed.
pub fn generate(spec_dir: &Path, out_dir: &Path) -> Result<bool, Error> {
    let rendered = render(spec_dir, out_dir)?;
    write::replace_dir(&rendered, out_dir)
}

/// How long each phase of one generation took (`cargo xtask bench`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Phases {
    /// Reading and parsing the YAML.
    pub load: Duration,
    /// Resolving the AST into the IR.
    pub resolve: Duration,
    /// Emitting and formatting every file (wall time, on all cores).
    pub render: Duration,
    /// Of `render`: CPU time building token streams, and parsing and printing them, summed over
    /// the threads.
    pub times: emit::RenderTimes,
    /// Replacing the output folder.
    pub write: Duration,
}

/// [`generate`], timing each phase.
pub fn generate_timed(spec_dir: &Path, out_dir: &Path) -> Result<Phases, Error> {
    let mut phases = Phases::default();
    let start = Instant::now();
    let folder = load::read_spec_folder(spec_dir)?;
    let mut diagnostics = folder.diagnostics;
    let asts: Vec<_> = folder.apis.into_iter().map(|source| load::parse(source, &mut diagnostics)).collect();
    phases.load = start.elapsed();
    let start = Instant::now();
    let krate = folder.krate.and_then(|krate| resolve::krate(&krate, &mut diagnostics));
    let spec = resolve::resolve(asts, &mut diagnostics);
    let (krate, spec) = match (krate, spec) {
        (Some(krate), Some(spec)) if diagnostics.is_empty() => (krate, spec),
        _ => return Err(diagnostics.sorted().into()),
    };
    phases.resolve = start.elapsed();
    let start = Instant::now();
    let (rendered, times) = emit::render_timed(&krate, &spec, out_dir)?;
    phases.render = start.elapsed();
    phases.times = times;
    let start = Instant::now();
    write::replace_dir(&rendered, out_dir)?;
    phases.write = start.elapsed();
    Ok(phases)
}

/// Compares `out_dir` with what `spec_dir` generates.
pub fn check(spec_dir: &Path, out_dir: &Path) -> Result<CheckReport, Error> {
    let rendered = render(spec_dir, out_dir)?;
    write::compare(&rendered, out_dir)
}
