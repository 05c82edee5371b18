//! The `cargo xtask` commands as a user runs them, and the guard that keeps `generated/` in step
//! with `spec/` (so `cargo test` fails on stale output, as rust-analyzer's codegen tests do).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

fn xtask(args: &[&str]) -> (i32, String, String) {
    xtask_with(args, &[])
}

/// `xtask` with environment variables set for the run.
fn xtask_with(args: &[&str], env: &[(&str, &Path)]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).envs(env.iter().copied()).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Every generated crate of the workspace matches its spec. Like rust-analyzer's
/// `ensure_file_contents`, a stale crate is regenerated on the spot (outside CI) and the test
/// fails, so that fixing is running the tests again and committing.
#[test]
fn generated_crates_are_up_to_date() {
    let mut stale = Vec::new();
    for (spec, out) in xtask::GENERATED {
        let (spec_dir, out_dir) = (root().join(spec), root().join(out));
        let report = codegen::check(&spec_dir, &out_dir).unwrap_or_else(|e| panic!("{spec}: {e}"));
        if report.is_clean() {
            continue;
        }
        if std::env::var_os("CI").is_none() {
            codegen::generate(&spec_dir, &out_dir).unwrap_or_else(|e| panic!("{spec}: {e}"));
            stale.push(format!("{out} was stale and has been regenerated; review and commit it:\n{report}"));
        } else {
            stale.push(format!("{out} is stale; run `cargo xtask codegen`:\n{report}"));
        }
    }
    assert!(stale.is_empty(), "{}", stale.join("\n"));
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
    let client = std::fs::read_to_string(generated.join("src/petstore/client.rs")).unwrap();
    // Plain code: the method, and the request its builder makes.
    assert!(client.contains("pub fn list_pets(&self) -> ListPets<'_>"), "{client}");
    assert!(client.contains("impl<'a> rt::Operation<'a> for ListPets<'a>"), "{client}");
    assert!(client.contains("\"list_pets\","), "{client}");
}

/// `cargo run` names the package folder at run time: that workspace wins over the one compiled into
/// the binary (stale when two clones share a target folder and cargo reuses the other's binary).
#[test]
fn the_workspace_is_the_one_cargo_names_at_run_time() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(temp.path().join("xtask")).unwrap();
    let document = root().join("codegen/tests/fixtures/openapi/petstore.yaml");
    let (code, stdout, stderr) = xtask_with(
        &["import-openapi", document.to_str().unwrap(), "--name", "petstore"],
        &[("CARGO_MANIFEST_DIR", &temp.path().join("xtask"))],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(temp.path().join("spec/petstore/operations.yaml").is_file(), "{stdout}");
    assert!(!root().join("spec/petstore").exists(), "written into this clone: {stdout}");
}

#[test]
fn import_openapi_notes_what_it_maps_near_and_refuses_what_it_cannot_read() {
    let temp = tempfile::tempdir().unwrap();
    let document = temp.path().join("near.yaml");
    std::fs::write(&document, "openapi: 3.0.3\ninfo: {title: B, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    X: {not: {type: string}}\n").unwrap();
    let out = temp.path().join("near");
    let (code, stdout, stderr) =
        xtask(&["import-openapi", document.to_str().unwrap(), "--name", "near", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let said = format!("{stdout}{stderr}");
    assert!(said.contains("#/components/schemas/X/not: `not` has no equivalent; read as any value"), "{said}");
    assert!(out.join("schemas.yaml").exists());

    let old = temp.path().join("old.yaml");
    std::fs::write(&old, "swagger: '1.2'\ninfo: {title: B, version: '1'}\n").unwrap();
    let out = temp.path().join("old");
    let (code, _, stderr) =
        xtask(&["import-openapi", old.to_str().unwrap(), "--name", "old", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("expected an OpenAPI 3.0 or 3.1 or a Swagger 2.0 document"), "{stderr}");
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

/// Spec folders that hold several mistakes at once, mistakes that interact: an item that fails
/// beside items that refer to it, a broken `crate.yaml` beside broken APIs, a file that cannot
/// be read beside files that use what it defined. Every mistake is reported with its file and
/// line, nothing panics, the exit code is 1 and nothing is written.
#[test]
fn several_interacting_mistakes_are_all_reported() {
    struct Case {
        name: &'static str,
        crate_yaml: Option<&'static str>,
        files: &'static [(&'static str, &'static str)],
        expected: &'static [&'static str],
    }
    const API: &str =
        "api:\n  name: demo\n  title: Demo\n  base_path: /api\n  formats: { supported: [json], default: json }\n";
    let cases = [
        Case {
            // The panic of the first batch: a stray top-level key and a failing schema beside
            // schemas and operations that use them.
            name: "stray key, duplicate field, references to what failed",
            crate_yaml: None,
            files: &[
                ("demo/api.yaml", "api:\n  name: demo\n  title: Demo\n  base_path: /api\n  formats: { supported: [json], default: json }\nzz: 1\n"),
                ("demo/common.yaml", "schemas:\n  Info:\n    kind: object\n    fields:\n      Id: { type: uuid }\n      id: { type: string }\n  Other:\n    kind: object\n    fields:\n      info: { type: Info }\n      tags: { type: list<Tagg> }\n  Tag: { kind: string }\n"),
                ("demo/ops.yaml", "operations:\n  getInfo:\n    method: GET\n    path: /info/{infoId}\n    responses:\n      200: { schema: Info }\n  putInfo:\n    method: PUTT\n    path: /info\n    request: { schema: Info }\n    responses:\n      200: { schema: Other }\n"),
            ],
            expected: &[
                "demo/api.yaml:6:1: zz: unknown field `zz`",
                "demo/common.yaml:6:7: schemas.Info.fields.id: fields `Id` and `id` both become the Rust field `id`",
                "demo/common.yaml:11:15: schemas.Other.fields.tags.type: unknown type `Tagg`; did you mean `Tag`?",
                "demo/ops.yaml:4:5: operations.getInfo.path: path template uses `{infoId}` but no path parameter `infoId` is declared",
                "demo/ops.yaml:8:5: operations.putInfo.method: unknown HTTP method `PUTT`; did you mean `PUT`?",
            ],
        },
        Case {
            name: "crate.yaml and the API wrong together",
            crate_yaml: Some("crate:\n  name: 1demo api\n  version: one\n  description: x\n  runtime: { package: self, path: ../runtime }\n"),
            files: &[("demo/api.yaml", "api:\n  name: Demo\n  title: Demo\n  base_path: api\n  formats: { supported: [json, yaml], default: xml }\n")],
            expected: &[
                "crate.yaml:2:3: crate.name: `1demo api` must start with an ASCII letter",
                "crate.yaml:3:3: crate.version: `one` is not a semantic version",
                "crate.yaml:5:14: crate.runtime.package: `self` is a Rust keyword",
                "demo/api.yaml:2:3: api.name: API name `Demo` must be a snake_case Rust module name; use a name such as `demo`",
                "demo/api.yaml:4:3: api.base_path: `api` must start with `/`",
                "demo/api.yaml:5:14: api.formats.supported[1]: unknown format `yaml`; expected `json` or `xml`",
                "demo/api.yaml:5:39: api.formats.default: default format `xml` is not one of the supported formats (json, yaml)",
            ],
        },
        Case {
            name: "a file that is not YAML beside files that use what it defined",
            crate_yaml: None,
            files: &[
                ("demo/api.yaml", API),
                ("demo/broken.yaml", "schemas:\n  Tag: { kind: string\n"),
                ("demo/ops.yaml", "operations:\n  getTag:\n    method: GET\n    path: /tags/{id}\n    parameters: { id: { in: path, type: Tag } }\n    responses: { 200: { schema: Tag } }\n  list:\n    method: GET\n    path: /tags\n    parameters: { limit: { in: query, type: list<list<int32>> } }\n    responses: { 200: {} }\n"),
            ],
            expected: &[
                "demo/broken.yaml:3:1: invalid YAML: did not find expected ',' or '}', while parsing a flow mapping at line 2 column 8",
                "2 errors in the spec",
                "demo/ops.yaml:10:39: operations.list.parameters.limit.type: a query parameter holds a single value",
            ],
        },
        Case {
            name: "auth, logout and error bodies wrong together, with a deep type",
            crate_yaml: None,
            files: &[(
                "demo/api.yaml",
                "api:\n  name: demo\n  title: Demo\n  base_path: /api\n  formats: { supported: [json], default: json }\n  auth:\n    session: { header: X-Id, logon_operation: logon, logout_operation: logof }\nschemas:\n  E1: { kind: object, fields: {} }\n  E2: { kind: object, fields: {} }\n  Deep: { kind: object, fields: { d: { type: 'list<list<list<list<list<list<list<list<list<int32>>>>>>>>>' } } }\noperations:\n  logon:\n    method: POST\n    path: /logon/{user}\n    parameters: { user: { in: path, type: string } }\n    responses: { 200: {} }\n    errors: { 401: { schema: E1 } }\n  builder:\n    method: GET\n    path: /b\n    responses: { 200: {} }\n    errors: { 500: { schema: E2 } }\n",
            )],
            expected: &[
                "demo/api.yaml:7:54: api.auth.session.logout_operation: unknown operation `logof`; did you mean `logon`?",
                "demo/api.yaml:11:40: schemas.Deep.fields.d.type: malformed type",
                "lists and maps nest more than 8 levels deep",
                "demo/api.yaml:19:3: operations.builder: operation `builder` becomes the method `builder`, which every client already has",
            ],
        },
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let temp = tempfile::tempdir().unwrap();
        let spec = write_spec(temp.path(), "");
        std::fs::remove_file(spec.join("demo/api.yaml")).unwrap();
        if let Some(crate_yaml) = case.crate_yaml {
            std::fs::write(spec.join("crate.yaml"), crate_yaml).unwrap();
        }
        for (name, text) in case.files {
            std::fs::write(spec.join(name), text).unwrap();
        }
        let out = temp.path().join("out");
        let (code, stdout, stderr) =
            xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        let missing: Vec<&&str> = case.expected.iter().filter(|e| !stderr.contains(**e)).collect();
        if code != 1 || !missing.is_empty() || out.exists() || stderr.contains("panicked") {
            failures.push(format!("{}: exit {code}, missing {missing:?}\n{stdout}{stderr}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A run of `codegen` killed at any moment (SIGKILL, no chance to clean up) leaves the output
/// folder complete: the old version or the new one. The next run cleans up what it left.
#[test]
fn a_killed_generation_leaves_the_old_or_the_new_folder() {
    let temp = tempfile::tempdir().unwrap();
    let runtime = root().join("runtime");
    let (old_spec, new_spec) = (temp.path().join("old"), temp.path().join("new"));
    for (spec, n) in [(&old_spec, 200), (&new_spec, 201)] {
        codegen::synth::spec_folder(&codegen::synth::openapi(n), spec, &runtime).unwrap();
    }
    let out = temp.path().join("generated");
    let old = codegen::render(&old_spec, &out).unwrap();
    let new = codegen::render(&new_spec, &out).unwrap();
    let read = |dir: &Path| -> std::collections::BTreeMap<PathBuf, String> {
        let mut files = std::collections::BTreeMap::new();
        let mut stack = vec![dir.to_owned()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.insert(path.strip_prefix(&out).unwrap().to_owned(), std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        files
    };
    let mut outcomes = std::collections::BTreeMap::new();
    for delay_ms in [0u64, 20, 100, 200, 300, 450, 700, 1500] {
        codegen::generate(&old_spec, &out).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["codegen", "--spec", new_spec.to_str().unwrap(), "--out", out.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        assert!(out.is_dir(), "no output folder after a kill at {delay_ms} ms");
        let found = read(&out);
        let which = if found == old.files {
            "old"
        } else if found == new.files {
            "new"
        } else {
            panic!("a kill at {delay_ms} ms left an incomplete folder ({} files)", found.len())
        };
        *outcomes.entry(which).or_insert(0) += 1;
        // The next run finishes the job and leaves no staging behind.
        codegen::generate(&new_spec, &out).unwrap();
        assert_eq!(read(&out), new.files);
        let leftovers: Vec<String> = std::fs::read_dir(temp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".codegen-") && !n.ends_with("-lock"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
    eprintln!("outcomes of the kills: {outcomes:?}");
    assert!(outcomes.contains_key("old"), "{outcomes:?}");
}

/// A generated crate declares the Rust version of the runtime it depends on (the workspace's,
/// which the runtime inherits): never an older one that could not build its dependency.
#[test]
fn generated_crates_declare_the_runtime_rust_version() {
    let rust_version = |manifest: &str| -> Option<String> {
        manifest.lines().find_map(|line| {
            let value = line.trim().strip_prefix("rust-version")?.trim().strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        })
    };
    let workspace = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let runtime = std::fs::read_to_string(root().join("runtime/Cargo.toml")).unwrap();
    assert!(runtime.contains("rust-version.workspace = true"), "the runtime inherits the workspace's");
    let expected = rust_version(&workspace).expect("the workspace declares a rust-version");
    assert_eq!(codegen::emit::cargo::RUST_VERSION, expected);
    for (_, out) in xtask::GENERATED {
        let manifest = std::fs::read_to_string(root().join(out).join("Cargo.toml")).unwrap();
        assert_eq!(rust_version(&manifest).as_deref(), Some(expected.as_str()), "{out}");
    }
}
