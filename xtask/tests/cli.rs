//! The `cargo xtask` commands as a user runs them, and the guard that keeps `generated/` in step
//! with `spec/` (so `cargo test` fails on stale output, as rust-analyzer's codegen tests do).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

fn xtask(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn generated_crates_are_up_to_date() {
    for (spec, out) in [
        ("spec", "generated"),
        ("codegen/tests/fixtures/kitchen_sink", "codegen/tests/fixtures/kitchen_sink_generated"),
    ] {
        let report = codegen::check(&root().join(spec), &root().join(out)).unwrap_or_else(|e| panic!("{e}"));
        assert!(report.is_clean(), "{out} is stale; run `cargo xtask codegen`:\n{report}");
    }
}

#[test]
fn check_passes_on_the_shipped_spec() {
    let (code, stdout, stderr) = xtask(&["check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("generated code is up to date"), "{stdout}");
}

/// A one-file spec folder in `dir` whose API file is `api`.
fn write_spec(dir: &Path, api: &str) -> PathBuf {
    let spec = dir.join("spec");
    std::fs::create_dir_all(spec.join("demo")).unwrap();
    let runtime = root().join("runtime");
    let crate_yaml = format!(
        "crate:\n  name: demo-api\n  version: 0.1.0\n  description: Demo\n  runtime:\n    package: veeam-runtime\n    path: {}\n",
        runtime.display()
    );
    std::fs::write(spec.join("crate.yaml"), crate_yaml).unwrap();
    std::fs::write(spec.join("demo/api.yaml"), api).unwrap();
    spec
}

const GOOD: &str = "api:\n  name: demo\n  title: Demo\n  base_path: /api\n  formats: { supported: [json], default: json }\nschemas:\n  Tag: { kind: string }\n";

#[test]
fn spec_errors_exit_with_1_and_write_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let spec = write_spec(temp.path(), &GOOD.replace("kind: string", "kind: strin"));
    let out = temp.path().join("out");
    let (code, _, stderr) = xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("demo/api.yaml:7:10: schemas.Tag.kind: unknown variant `strin`"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn codegen_then_check_then_stale_check() {
    let temp = tempfile::tempdir().unwrap();
    let spec = write_spec(temp.path(), GOOD);
    let out = temp.path().join("out");
    let args = ["--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()];
    let (code, stdout, stderr) = xtask(&[&["codegen"], &args[..]].concat());
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(out.join("src/demo/models.rs").exists());
    let (code, _, _) = xtask(&[&["check"], &args[..]].concat());
    assert_eq!(code, 0);

    std::fs::write(spec.join("demo/api.yaml"), GOOD.replace("Tag:", "Label:")).unwrap();
    let (code, _, stderr) = xtask(&[&["check"], &args[..]].concat());
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("stale: src/demo/models.rs"), "{stderr}");
    assert!(stderr.contains("+pub struct Label(pub String);"), "{stderr}");
}

#[test]
fn missing_spec_folder_is_an_error_not_a_panic() {
    let temp = tempfile::tempdir().unwrap();
    let missing = temp.path().join("nope");
    let (code, _, stderr) = xtask(&["check", "--spec", missing.to_str().unwrap(), "--out", missing.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cannot read"), "{stderr}");
}

#[test]
fn import_openapi_writes_a_spec_that_generates() {
    let temp = tempfile::tempdir().unwrap();
    let document = root().join("codegen/tests/fixtures/openapi/petstore.yaml");
    let spec = temp.path().join("spec");
    let out = spec.join("petstore");
    let (code, stdout, stderr) =
        xtask(&["import-openapi", document.to_str().unwrap(), "--name", "petstore", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("wrote 3 file(s)"), "{stdout}");
    let crate_yaml = format!(
        "crate:\n  name: pets\n  version: 0.1.0\n  description: Pets\n  runtime:\n    package: veeam-runtime\n    path: {}\n",
        root().join("runtime").display()
    );
    std::fs::write(spec.join("crate.yaml"), crate_yaml).unwrap();
    let generated = temp.path().join("generated");
    let (code, _, stderr) = xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", generated.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::read_to_string(generated.join("src/petstore/client.rs")).unwrap().contains("pub fn find_pets("));
}

#[test]
fn import_openapi_reports_unmappable_documents() {
    let temp = tempfile::tempdir().unwrap();
    let document = temp.path().join("bad.yaml");
    std::fs::write(&document, "openapi: 3.0.3\ninfo: {title: B, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    X: {not: {type: string}}\n").unwrap();
    let out = temp.path().join("bad");
    let (code, _, stderr) =
        xtask(&["import-openapi", document.to_str().unwrap(), "--name", "bad", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error: #/components/schemas/X/not: `not` cannot be expressed"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn synth_writes_both_formats_deterministically() {
    let temp = tempfile::tempdir().unwrap();
    let first = temp.path().join("a.yaml");
    let second = temp.path().join("b.yaml");
    for out in [&first, &second] {
        let (code, _, stderr) = xtask(&["synth", "30", "--format", "openapi", "--out", out.to_str().unwrap()]);
        assert_eq!(code, 0, "{stderr}");
    }
    assert_eq!(std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap());
    let spec = temp.path().join("spec");
    let (code, _, stderr) = xtask(&["synth", "30", "--format", "spec", "--out", spec.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) =
        xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", temp.path().join("out").to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
}
