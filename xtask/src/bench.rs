//! `cargo xtask bench`: the generator on synthetic APIs of several sizes (time of each phase,
//! peak memory, lines per schema and per operation), the compile time of what it generates, and
//! the same figures for progenitor on the same OpenAPI documents when asked. Medians of several
//! runs; the report is Markdown, printed and written to `<work>/report.md`.
//!
//! Each generation runs in a child process (`xtask generate-timed`) so its peak memory is its own:
//! the parent reads it from `wait4`'s resource usage, for progenitor the same way.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod caller;

/// Progenitor release compared with; installed into `<work>/tools` when missing.
const PROGENITOR_VERSION: &str = "0.15.1";

pub struct Options {
    pub sizes: Vec<usize>,
    pub runs: usize,
    pub compile: Vec<usize>,
    pub progenitor: bool,
    /// A git revision of this project to measure the same way (before/after figures).
    pub baseline: Option<String>,
    pub work: PathBuf,
    pub runtime: PathBuf,
}

/// One generation: wall time, peak resident memory, and our phases (progenitor has none).
#[derive(Clone, Copy, Default)]
struct Run {
    wall: Duration,
    peak_kib: u64,
    phases: [Duration; 6],
}

const PHASES: [&str; 6] = ["load", "resolve", "render (wall)", "emit (CPU)", "format (CPU)", "write"];

/// What one tool made of one size.
#[derive(Default)]
struct Measured {
    runs: Vec<Run>,
    src_lines: usize,
    test_lines: usize,
    build: Vec<Duration>,
    /// Build of a crate calling every operation, the generated crate built (see `caller`).
    calls_build: Vec<Duration>,
}

pub fn run(options: &Options) -> Result<String, String> {
    std::fs::create_dir_all(&options.work).map_err(|e| format!("{}: {e}", options.work.display()))?;
    let progenitor = if options.progenitor { Some(install_progenitor(&options.work)?) } else { None };
    let baseline = match &options.baseline {
        Some(revision) => Some(build_baseline(revision, &options.work)?),
        None => None,
    };
    let xtask = release_xtask()?;
    let mut report = String::new();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let _ =
        writeln!(report, "Machine: {cores} cores. Medians of {} runs; generation in release builds.\n", options.runs);
    let mut rows = Vec::new();
    for &n in &options.sizes {
        let dir = options.work.join(format!("n{n}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let document = codegen::synth::openapi(n);
        let openapi = dir.join("openapi.yaml");
        std::fs::write(&openapi, &document).map_err(|e| e.to_string())?;
        let spec = dir.join("spec");
        codegen::synth::spec_folder(&document, &spec, &options.runtime)?;
        let operations = operation_count(&document);
        eprintln!("n = {n}: {operations} operations");

        // The tools take turns, run by run, so that a busy moment of the machine falls on all
        // of them rather than on one.
        let ours_out = dir.join("ours");
        let mut ours = Measured::default();
        let baseline_spec = dir.join("spec-baseline");
        if let Some((source, _)) = &baseline {
            codegen::synth::spec_folder(&document, &baseline_spec, &source.join("runtime"))?;
        }
        let baseline_out = dir.join("baseline");
        let baseline_codegen = |binary: &Path| {
            let mut command = Command::new(binary);
            command.arg("codegen").arg("--spec").arg(&baseline_spec).arg("--out").arg(&baseline_out);
            command
        };
        let progenitor_out = dir.join("progenitor");
        let mut before = baseline.as_ref().map(|_| Measured::default());
        let mut theirs = progenitor.as_ref().map(|_| Measured::default());
        for _ in 0..options.runs {
            ours.runs.push(generate_ours(&xtask, &spec, &ours_out)?);
            if let (Some((_, binary)), Some(before)) = (&baseline, &mut before) {
                let (wall, peak_kib, _) = measure(baseline_codegen(binary))?;
                let _ = std::fs::remove_dir_all(&baseline_out);
                before.runs.push(Run { wall, peak_kib, ..Run::default() });
            }
            if let (Some(binary), Some(theirs)) = (&progenitor, &mut theirs) {
                theirs.runs.push(generate_progenitor(binary, &openapi, &progenitor_out)?);
            }
        }
        (ours.src_lines, ours.test_lines) = (lines(&ours_out.join("src")), lines(&ours_out.join("tests")));
        if let (Some((_, binary)), Some(before)) = (&baseline, &mut before) {
            // Once more, kept: its lines and its build.
            measure(baseline_codegen(binary))?;
            (before.src_lines, before.test_lines) =
                (lines(&baseline_out.join("src")), lines(&baseline_out.join("tests")));
        }
        if let Some(theirs) = &mut theirs {
            theirs.src_lines = lines(&progenitor_out.join("src"));
        }
        if options.compile.contains(&n) {
            let target = options.work.join("target");
            let runs = options.runs;
            // The crates alone, then the calling crates, each set taking turns build by build.
            let mut alone = vec![(ours_out.clone(), target.join("ours"))];
            let mut calls = vec![(
                caller::write(&ours_out, caller::Generator::Ours, &dir.join("calls-ours"))?,
                target.join("ours"),
            )];
            if theirs.is_some() {
                alone.push((progenitor_out.clone(), target.join("progenitor")));
                let caller =
                    caller::write(&progenitor_out, caller::Generator::Progenitor, &dir.join("calls-progenitor"))?;
                calls.push((caller, target.join("progenitor")));
            }
            // The baseline's calling crate too, when its client is one the caller reads (plain
            // methods; a revision whose clients a macro wrote has none to find).
            let mut baseline_calls = false;
            if before.is_some() {
                alone.push((baseline_out.clone(), target.join("baseline")));
                match caller::write(&baseline_out, caller::Generator::Ours, &dir.join("calls-baseline")) {
                    Ok(caller) => {
                        calls.push((caller, target.join("baseline")));
                        baseline_calls = true;
                    }
                    Err(error) => eprintln!("the baseline's calling crate is not measured: {error}"),
                }
            }
            let mut alone = build_rounds(&alone, runs)?.into_iter();
            let mut calls = build_rounds(&calls, runs)?.into_iter();
            ours.build = alone.next().unwrap_or_default();
            ours.calls_build = calls.next().unwrap_or_default();
            if let Some(theirs) = &mut theirs {
                theirs.build = alone.next().unwrap_or_default();
                theirs.calls_build = calls.next().unwrap_or_default();
            }
            if let Some(before) = &mut before {
                before.build = alone.next().unwrap_or_default();
                if baseline_calls {
                    before.calls_build = calls.next().unwrap_or_default();
                }
            }
        }
        rows.push(Row { n, operations, ours, theirs, before });
    }
    write_report(&mut report, &rows, options);
    write_calls(&mut report, &rows);
    let path = options.work.join("report.md");
    std::fs::write(&path, &report).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(report)
}

fn operation_count(document: &str) -> usize {
    document.lines().filter(|line| line.trim_start().starts_with("operationId:")).count()
}

/// Runs `xtask generate-timed` once and reads its phases and peak memory.
fn generate_ours(xtask: &Path, spec: &Path, out: &Path) -> Result<Run, String> {
    let mut command = Command::new(xtask);
    command.arg("generate-timed").arg(spec).arg(out);
    let (wall, peak_kib, stdout) = measure(command)?;
    let mut run = Run { wall, peak_kib, phases: [Duration::ZERO; 6] };
    let values: Vec<u64> = stdout.split_whitespace().filter_map(|v| v.parse().ok()).collect();
    if values.len() != PHASES.len() {
        return Err(format!("generate-timed printed {stdout:?}"));
    }
    for (phase, nanos) in run.phases.iter_mut().zip(values) {
        *phase = Duration::from_nanos(nanos);
    }
    Ok(run)
}

fn generate_progenitor(binary: &Path, openapi: &Path, out: &Path) -> Result<Run, String> {
    let _ = std::fs::remove_dir_all(out);
    let mut command = Command::new(binary);
    command.arg("progenitor").arg("-i").arg(openapi).arg("-o").arg(out);
    command.args(["-n", "synth-progenitor", "-v", "0.1.0"]);
    let (wall, peak_kib, _) = measure(command)?;
    Ok(Run { wall, peak_kib, ..Run::default() })
}

/// Runs a command to its end: wall time, peak resident memory (KiB) and what it printed.
fn measure(mut command: Command) -> Result<(Duration, u64, String), String> {
    let output_file = tempfile_path("stdout");
    let stdout = std::fs::File::create(&output_file).map_err(|e| e.to_string())?;
    command.stdout(stdout);
    let start = Instant::now();
    let child = command.spawn().map_err(|e| format!("{command:?}: {e}"))?;
    let (status, peak_kib) = wait_with_usage(child)?;
    let wall = start.elapsed();
    let printed = std::fs::read_to_string(&output_file).unwrap_or_default();
    let _ = std::fs::remove_file(&output_file);
    if !status {
        return Err(format!("{command:?} failed"));
    }
    Ok((wall, peak_kib, printed))
}

fn tempfile_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("xtask-bench-{}-{name}", std::process::id()))
}

/// Waits for the child with `wait4`, which returns its resource usage: success and peak RSS.
#[cfg(target_os = "linux")]
fn wait_with_usage(child: std::process::Child) -> Result<(bool, u64), String> {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; the pid is our own unwaited child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if waited != pid {
        return Err(format!("wait4: {}", std::io::Error::last_os_error()));
    }
    let success = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    Ok((success, usage.ru_maxrss as u64))
}

#[cfg(not(target_os = "linux"))]
fn wait_with_usage(mut child: std::process::Child) -> Result<(bool, u64), String> {
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok((status.success(), 0))
}

/// Lines of the `.rs` files under `dir`.
fn lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut total = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            total += lines(&path);
        } else if path.extension().is_some_and(|e| e == "rs") {
            total += std::fs::read_to_string(&path).map_or(0, |text| text.lines().count());
        }
    }
    total
}

/// Builds each crate's dependencies once, then each crate alone `runs` times (debug, incremental
/// off, its `src/lib.rs` touched before each), taking turns build by build so that a slower
/// moment of this shared machine falls on all of them: the compile time a downstream crate pays.
fn build_rounds(crates: &[(PathBuf, PathBuf)], runs: usize) -> Result<Vec<Vec<Duration>>, String> {
    let build = |crate_dir: &Path, target: &Path| {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command.args(["build", "--quiet", "--lib", "--manifest-path"]).arg(crate_dir.join("Cargo.toml"));
        command.env("CARGO_TARGET_DIR", target).env("CARGO_INCREMENTAL", "0");
        let status = command.status().map_err(|e| e.to_string())?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("building {} failed", crate_dir.display()))
        }
    };
    for (crate_dir, target) in crates {
        build(crate_dir, target)?;
    }
    let mut times = vec![Vec::new(); crates.len()];
    for _ in 0..runs {
        for ((crate_dir, target), times) in crates.iter().zip(&mut times) {
            let lib = crate_dir.join("src/lib.rs");
            let text = std::fs::read(&lib).map_err(|e| e.to_string())?;
            std::fs::write(&lib, text).map_err(|e| e.to_string())?;
            let start = Instant::now();
            build(crate_dir, target)?;
            times.push(start.elapsed());
        }
    }
    Ok(times)
}

/// `cargo install`s progenitor's command line into `<work>/tools` unless it is there.
fn install_progenitor(work: &Path) -> Result<PathBuf, String> {
    let root = work.join("tools");
    let binary = root.join("bin").join("cargo-progenitor");
    if binary.exists() {
        return Ok(binary);
    }
    eprintln!("installing cargo-progenitor {PROGENITOR_VERSION} into {}", root.display());
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["install", "cargo-progenitor", "--locked", "--version", PROGENITOR_VERSION, "--root"])
        .arg(&root)
        .env("CARGO_TARGET_DIR", work.join("tools-target"))
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("installing cargo-progenitor failed".into());
    }
    Ok(binary)
}

impl Measured {
    fn wall(&self) -> Duration {
        median(self.runs.iter().map(|r| r.wall).collect())
    }

    fn phase(&self, index: usize) -> Duration {
        median(self.runs.iter().map(|r| r.phases[index]).collect())
    }

    fn peak_mib(&self) -> u64 {
        median_u64(self.runs.iter().map(|r| r.peak_kib).collect()) / 1024
    }

    /// Median build time; zero when not built.
    fn build(&self) -> Duration {
        median(self.build.clone())
    }

    fn calls_build(&self) -> Duration {
        median(self.calls_build.clone())
    }
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn median_u64(mut values: Vec<u64>) -> u64 {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn seconds(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{:.0} ms", duration.as_secs_f64() * 1000.0)
    } else {
        format!("{:.2} s", duration.as_secs_f64())
    }
}

struct Row {
    n: usize,
    operations: usize,
    ours: Measured,
    theirs: Option<Measured>,
    before: Option<Measured>,
}

/// This tree's `xtask`, built in release (`cargo xtask` runs a debug build): generation is
/// measured as users run it.
fn release_xtask() -> Result<PathBuf, String> {
    let root = xtask::workspace_root();
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["build", "--quiet", "--release", "-p", "xtask", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("building xtask in release failed".to_owned());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(target.join("release").join(format!("xtask{}", std::env::consts::EXE_SUFFIX)))
}

/// Checks `revision` out beside the work folder and builds its `xtask` (release).
fn build_baseline(revision: &str, work: &Path) -> Result<(PathBuf, PathBuf), String> {
    let source = work.join("baseline-src");
    let root = xtask::workspace_root();
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(&root).args(args).status().map_err(|e| e.to_string());
    if source.exists() {
        let _ = git(&["worktree", "remove", "--force", &source.to_string_lossy()]);
        let _ = std::fs::remove_dir_all(&source);
    }
    if !git(&["worktree", "add", "--detach", &source.to_string_lossy(), revision])?.success() {
        return Err(format!("cannot check out {revision}"));
    }
    let target = work.join("baseline-target");
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["build", "--quiet", "--release", "-p", "xtask", "--manifest-path"])
        .arg(source.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("building xtask at {revision} failed"));
    }
    Ok((source, target.join("release").join("xtask")))
}

fn write_report(report: &mut String, rows: &[Row], options: &Options) {
    if let Some(revision) = &options.baseline {
        write_baseline(report, rows, revision);
    }
    let _ = writeln!(report, "### Generation (this project)\n");
    let _ = writeln!(report, "| schemas | operations | wall | {} | peak memory |", PHASES.join(" | "));
    let _ = writeln!(report, "|{}", " --- |".repeat(PHASES.len() + 4));
    for Row { n, operations, ours, .. } in rows {
        let phases: Vec<String> = (0..PHASES.len()).map(|i| seconds(ours.phase(i))).collect();
        let _ = writeln!(
            report,
            "| {n} | {operations} | {} | {} | {} MiB |",
            seconds(ours.wall()),
            phases.join(" | "),
            ours.peak_mib()
        );
    }
    let _ = writeln!(report, "\n### Generated lines (this project)\n");
    let _ = writeln!(report, "| schemas | operations | crate (`src/`) | per schema and operation | tests |");
    let _ = writeln!(report, "| --- | --- | --- | --- | --- |");
    for Row { n, operations, ours, .. } in rows {
        let per = ours.src_lines as f64 / (*n + *operations) as f64;
        let _ = writeln!(report, "| {n} | {operations} | {} | {per:.1} | {} |", ours.src_lines, ours.test_lines);
    }
    if options.progenitor {
        let _ = writeln!(report, "\n### Against progenitor {PROGENITOR_VERSION}, same documents\n");
        let _ = writeln!(
            report,
            "| schemas | wall: ours / progenitor (ratio) | peak memory: ours / progenitor | lines: ours / progenitor |"
        );
        let _ = writeln!(report, "| --- | --- | --- | --- |");
        for Row { n, ours, theirs, .. } in rows {
            let Some(theirs) = theirs else { continue };
            let (a, b) = (ours.wall(), theirs.wall());
            let (ma, mb) = (ours.peak_mib(), theirs.peak_mib());
            let _ = writeln!(
                report,
                "| {n} | {} / {} ({:.2}x faster) | {} / {} MiB ({:.2}x) | {} / {} ({:.2}x) |",
                seconds(a),
                seconds(b),
                b.as_secs_f64() / a.as_secs_f64().max(1e-9),
                ma,
                mb,
                ma as f64 / mb.max(1) as f64,
                ours.src_lines,
                theirs.src_lines,
                ours.src_lines as f64 / theirs.src_lines.max(1) as f64
            );
        }
    }
    if !options.compile.is_empty() {
        let _ =
            writeln!(report, "\n### Building the generated crate alone (debug, dependencies built, incremental off)\n");
        let _ = writeln!(
            report,
            "| schemas | this project | progenitor | ratio of medians | per-round ratios (median, range) |"
        );
        let _ = writeln!(report, "| --- | --- | --- | --- | --- |");
        for Row { n, ours, theirs, .. } in rows.iter().filter(|row| !row.ours.build.is_empty()) {
            let a = ours.build();
            match theirs.as_ref().filter(|t| !t.build.is_empty()) {
                Some(theirs) => {
                    let b = theirs.build();
                    // Built in turns: each round's ratio is measured at one moment of the machine.
                    let mut sorted: Vec<f64> =
                        ours.build.iter().zip(&theirs.build).map(|(a, b)| a.as_secs_f64() / b.as_secs_f64()).collect();
                    sorted.sort_by(f64::total_cmp);
                    let _ = writeln!(
                        report,
                        "| {n} | {} | {} | {:.2} | {:.2} ({:.2}-{:.2}) |",
                        seconds(a),
                        seconds(b),
                        a.as_secs_f64() / b.as_secs_f64().max(1e-9),
                        sorted[sorted.len() / 2],
                        sorted[0],
                        sorted[sorted.len() - 1],
                    );
                }
                None => {
                    let _ = writeln!(report, "| {n} | {} | | | |", seconds(a));
                }
            }
        }
    }
}

/// The generated crate alone, then a crate calling every operation: what is compiled where.
fn write_calls(report: &mut String, rows: &[Row]) {
    let _ = writeln!(report, "\n### Every operation called from a downstream crate (debug, incremental off)\n");
    let _ = writeln!(report, "| schemas | tool | generated crate alone | calling crate | both |");
    let _ = writeln!(report, "| --- | --- | --- | --- | --- |");
    for Row { n, ours, theirs, .. } in rows.iter().filter(|row| !row.ours.calls_build.is_empty()) {
        for (tool, measured) in [("this project", Some(ours)), ("progenitor", theirs.as_ref())] {
            let Some(measured) = measured.filter(|m| !m.calls_build.is_empty()) else { continue };
            let (alone, calls) = (measured.build(), measured.calls_build());
            let _ = writeln!(
                report,
                "| {n} | {tool} | {} | {} | {} |",
                seconds(alone),
                seconds(calls),
                seconds(alone + calls)
            );
        }
    }
}

/// Before and after: the baseline revision against the working tree.
fn write_baseline(report: &mut String, rows: &[Row], revision: &str) {
    let _ = writeln!(report, "\n### Before ({revision}) and after (this tree)\n");
    let _ = writeln!(
        report,
        "| schemas | generation wall | peak memory | crate lines | test lines | build alone | calling crate |"
    );
    let _ = writeln!(report, "| --- | --- | --- | --- | --- | --- | --- |");
    for Row { n, ours, before, .. } in rows {
        let Some(before) = before else { continue };
        let build = |m: &Measured| if m.build.is_empty() { "".to_owned() } else { seconds(m.build()) };
        let ratio = |a: f64, b: f64| if a > 0.0 { format!(" ({:.2}x)", b / a) } else { String::new() };
        let (ba, bb) = (ours.build().as_secs_f64(), before.build().as_secs_f64());
        let calls = match before.calls_build.is_empty() || ours.calls_build.is_empty() {
            true => String::new(),
            false => {
                let (after, earlier) = (ours.calls_build(), before.calls_build());
                format!(
                    "{} -> {}{}",
                    seconds(earlier),
                    seconds(after),
                    ratio(after.as_secs_f64(), earlier.as_secs_f64())
                )
            }
        };
        let _ = writeln!(
            report,
            "| {n} | {} -> {}{} | {} -> {} MiB | {} -> {}{} | {} -> {} | {} -> {}{} | {calls} |",
            seconds(before.wall()),
            seconds(ours.wall()),
            ratio(ours.wall().as_secs_f64(), before.wall().as_secs_f64()),
            before.peak_mib(),
            ours.peak_mib(),
            before.src_lines,
            ours.src_lines,
            ratio(ours.src_lines as f64, before.src_lines as f64),
            before.test_lines,
            ours.test_lines,
            build(before),
            build(ours),
            ratio(ba, bb)
        );
    }
}

/// `xtask generate-timed SPEC OUT`: one generation, printing the nanoseconds of each phase.
pub fn generate_timed(spec: &Path, out: &Path) -> Result<String, String> {
    let phases = codegen::generate_timed(spec, out).map_err(|e| e.to_string())?;
    let values = [phases.load, phases.resolve, phases.render, phases.times.emit, phases.times.format, phases.write];
    Ok(values.iter().map(|d| d.as_nanos().to_string()).collect::<Vec<_>>().join(" "))
}
