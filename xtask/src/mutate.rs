//! `cargo xtask mutate`: random edits of the shipped spec, each run through `cargo xtask codegen`
//! in a child process, to show that no edit makes the generator panic, hang or die: every run
//! exits 0 (the edit is a valid spec) or 1 (an error was reported).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Lines the mutator inserts: stray keys, broken syntax, hostile names and text, deep nesting.
const SNIPPETS: &[&str] = &[
    "zz: 1",
    "  zz: 1",
    "    type: list<",
    "    type: map<list<map<any>>>",
    "      required: maybe",
    "- item",
    "{",
    "[[[[[[[[",
    "\"unterminated",
    "key: &anchor value",
    "other: *anchor",
    "other: *missing",
    "!!binary aGVsbG8=",
    "\t tab: indented",
    "  Self: { kind: string }",
    "  Option: { kind: object, fields: {} }",
    "  new: { method: GET, path: /new, responses: { 200: {} } }",
    "  client: { in: query, type: string }",
    "description: \"\u{202E} bidi\"",
    "path: /x/{y}/{y}",
    "x-api-version: \"\"",
    "200: { schema: list<list<list<list<list<list<list<list<list<string>>>>>>>>> }",
    "fields: { a: { type: A }, b: { type: B } }",
    "---",
    "...",
    "%YAML 1.1",
    "? complex key",
    "value: 1e999999",
    "default_port: 99999999",
];

/// Words an edit may put in place of another.
const WORDS: &[&str] = &[
    "object",
    "enum",
    "string",
    "list<string>",
    "map<any>",
    "uuid",
    "true",
    "false",
    "null",
    "~",
    "",
    "0",
    "-1",
    "Self",
    "self",
    "type",
    "client",
    "error",
    "Unknown",
    "Box",
    "Option",
    "json",
    "xml",
    "form",
    "GET",
    "FOO",
    "/",
    "{id}",
    "default",
    "999",
    "attribute",
    "text",
    "item",
    "wrapper",
    "{}",
    "[]",
    "\u{202E}",
];

/// splitmix64: the same seed, the same edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

fn mutate_text(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let at = rng.below(lines.len());
    match rng.below(9) {
        0 => {
            lines.remove(at);
        }
        1 => {
            let line = lines[at].clone();
            lines.insert(at, line);
        }
        2 => {
            let other = rng.below(lines.len());
            lines.swap(at, other);
        }
        3 => lines.insert(at, SNIPPETS[rng.below(SNIPPETS.len())].to_owned()),
        4 => {
            // A word of the line replaced.
            let words: Vec<&str> = lines[at].split_inclusive([' ', ':', ',', '{', '}', '<', '>']).collect();
            if !words.is_empty() {
                let index = rng.below(words.len());
                let replacement = WORDS[rng.below(WORDS.len())];
                let mut rebuilt = String::new();
                for (i, word) in words.iter().enumerate() {
                    if i == index {
                        let tail: String = word.chars().rev().take_while(|c| " :,{}<>".contains(*c)).collect();
                        rebuilt.push_str(replacement);
                        rebuilt.extend(tail.chars().rev());
                    } else {
                        rebuilt.push_str(word);
                    }
                }
                lines[at] = rebuilt;
            }
        }
        5 => {
            // Indentation changed.
            let trimmed = lines[at].trim_start().to_owned();
            lines[at] = format!("{}{trimmed}", " ".repeat(rng.below(9)));
        }
        6 => {
            // The file cut short.
            lines.truncate(at.max(1));
        }
        7 => {
            // A character of the line dropped.
            let chars: Vec<char> = lines[at].chars().collect();
            if !chars.is_empty() {
                let drop = rng.below(chars.len());
                lines[at] = chars.iter().enumerate().filter(|(i, _)| *i != drop).map(|(_, c)| c).collect();
            }
        }
        _ => {
            // A line from elsewhere in the file pasted here.
            let other = lines[rng.below(lines.len())].clone();
            lines.insert(at, other);
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
    out.sort();
}

/// Outcome counts of a mutation run.
#[derive(Default)]
struct Tally {
    accepted: usize,
    rejected: usize,
    failed: Vec<String>,
    slowest: Duration,
}

/// Runs `runs` mutants of `spec` (1 to 3 edits each) through `xtask codegen`; failing mutants are
/// kept under `keep`. Returns whether every run exited 0 or 1 in time.
pub fn run(spec: &Path, runtime: &Path, runs: usize, seed: u64, keep: &Path) -> bool {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(error) => {
            eprintln!("cannot find the xtask executable: {error}");
            return false;
        }
    };
    let scratch = std::env::temp_dir().join(format!("xtask-mutate-{seed}"));
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    let started = Instant::now();
    for run in 0..runs {
        let _ = std::fs::remove_dir_all(&scratch);
        let copy = scratch.join("spec");
        if let Err(error) = copy_dir(spec, &copy) {
            eprintln!("cannot copy the spec: {error}");
            return false;
        }
        // The runtime path of crate.yaml, absolute, so the copy generates like the original.
        let crate_yaml = copy.join("crate.yaml");
        if let Ok(text) = std::fs::read_to_string(&crate_yaml) {
            let _ =
                std::fs::write(&crate_yaml, text.replace("path: ../runtime", &format!("path: {}", runtime.display())));
        }
        let mut files = Vec::new();
        yaml_files(&copy, &mut files);
        let mut edits = Vec::new();
        for _ in 0..=rng.below(3) {
            let file = &files[rng.below(files.len())];
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let _ = std::fs::write(file, mutate_text(&text, &mut rng));
            edits.push(file.strip_prefix(&copy).unwrap_or(file).display().to_string());
        }
        let out = scratch.join("out");
        let began = Instant::now();
        let child = Command::new(&exe)
            .args(["codegen", "--spec"])
            .arg(&copy)
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn();
        let Ok(mut child) = child else {
            eprintln!("cannot start xtask");
            return false;
        };
        let status = loop {
            if let Ok(Some(status)) = child.try_wait() {
                break Some(status);
            }
            if began.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let elapsed = began.elapsed();
        tally.slowest = tally.slowest.max(elapsed);
        let outcome = match status.map(|s| s.code()) {
            Some(Some(0)) => {
                tally.accepted += 1;
                continue;
            }
            Some(Some(1)) => {
                tally.rejected += 1;
                continue;
            }
            Some(Some(code)) => format!("exit {code}"),
            Some(None) => "killed by a signal".to_owned(),
            None => "no answer in 20 s".to_owned(),
        };
        let kept = keep.join(format!("run-{seed}-{run}"));
        let _ = copy_dir(&copy, &kept);
        tally.failed.push(format!("run {run} ({}): {outcome}; kept in {}", edits.join(", "), kept.display()));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    println!(
        "{runs} mutants of {} (seed {seed}) in {:.0} s: {} accepted (exit 0), {} rejected with errors (exit 1), {} failed; slowest run {} ms",
        spec.display(),
        started.elapsed().as_secs_f64(),
        tally.accepted,
        tally.rejected,
        tally.failed.len(),
        tally.slowest.as_millis()
    );
    for failure in &tally.failed {
        println!("  {failure}");
    }
    tally.failed.is_empty()
}
