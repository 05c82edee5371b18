//! End to end over fixture specs: a snapshot of the IR, deterministic bytes whatever the file
//! order, atomic replacement of the output folder, stale-output detection.
//!
//! The emitted code itself is reviewed where it is compiled: the `kitchen_sink_generated` crate,
//! kept up to date by `cargo xtask codegen` and checked by the staleness test of `xtask`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::load;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Where rendered fixtures pretend to go: inside the checkout, so that the runtime path written
/// into Cargo.toml does not depend on where the checkout is.
fn out_dir() -> PathBuf {
    fixture("kitchen_sink_generated")
}

/// Renders `spec_dir` with each API's files handed to the loader in the given order.
fn render_with_order(spec_dir: &Path, reorder: impl Fn(&mut Vec<load::SourceFile>)) -> codegen::Rendered {
    let (crate_spec, mut sources) = load::read_spec_dir(spec_dir).expect("fixture loads");
    for source in &mut sources {
        reorder(&mut source.files);
    }
    sources.reverse();
    let spec = codegen::resolve_sources(sources).expect("fixture resolves");
    let mut diagnostics = codegen::Diagnostics::default();
    let krate = codegen::resolve::krate(&crate_spec, &mut diagnostics).expect("crate.yaml resolves");
    codegen::emit::render(&krate, &spec, &out_dir()).expect("renders")
}

#[test]
fn ir_snapshot() {
    let (_, sources) = load::read_spec_dir(&fixture("kitchen_sink")).unwrap();
    let spec = codegen::resolve_sources(sources).unwrap();
    insta::assert_yaml_snapshot!("kitchen_sink_ir", spec);
}

#[test]
fn output_does_not_depend_on_file_order() {
    let spec_dir = fixture("kitchen_sink");
    let sorted = render_with_order(&spec_dir, |files| files.sort_by(|a, b| a.name.cmp(&b.name)));
    let reversed = render_with_order(&spec_dir, |files| files.sort_by(|a, b| b.name.cmp(&a.name)));
    let rotated = render_with_order(&spec_dir, |files| files.rotate_left(1));
    assert_eq!(sorted, reversed);
    assert_eq!(sorted, rotated);
    // And two full runs from disk give the same bytes.
    let first = codegen::render(&spec_dir, &out_dir()).unwrap();
    let second = codegen::render(&spec_dir, &out_dir()).unwrap();
    assert_eq!(first, second);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn read_tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(path.strip_prefix(root).unwrap().to_owned(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// A spec copied into a temp folder with the runtime path made absolute, so it can be edited.
fn scratch_spec(temp: &Path) -> PathBuf {
    let spec = temp.join("spec");
    copy_dir(&fixture("kitchen_sink"), &spec);
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let crate_yaml = std::fs::read_to_string(spec.join("crate.yaml")).unwrap();
    let crate_yaml = crate_yaml.replace("../../../../runtime", &runtime.display().to_string());
    std::fs::write(spec.join("crate.yaml"), crate_yaml).unwrap();
    spec
}

#[test]
fn failed_generation_leaves_previous_output_untouched() {
    let temp = tempfile::tempdir().unwrap();
    let spec = scratch_spec(temp.path());
    let out = temp.path().join("generated");
    assert!(codegen::generate(&spec, &out).unwrap(), "first run writes");
    std::fs::write(out.join("marker.txt"), "left by hand").unwrap();
    let before = read_tree(&out);

    // Break the spec: a dangling reference.
    let schemas = spec.join("store/schemas.yaml");
    let text = std::fs::read_to_string(&schemas).unwrap();
    std::fs::write(&schemas, text.replace("type: list<Link>", "type: list<Lnk>")).unwrap();
    let error = codegen::generate(&spec, &out).unwrap_err();
    assert!(error.to_string().contains("unknown type `Lnk`; did you mean `Link`?"), "{error}");

    assert_eq!(read_tree(&out), before, "output folder changed by a failed run");
    let leftovers: Vec<_> = std::fs::read_dir(temp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && !n.ends_with(".codegen-lock"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
}

#[test]
fn generation_replaces_stale_files_and_skips_unchanged_output() {
    let temp = tempfile::tempdir().unwrap();
    let spec = scratch_spec(temp.path());
    let out = temp.path().join("generated");
    codegen::generate(&spec, &out).unwrap();
    let clean = read_tree(&out);
    assert!(!codegen::generate(&spec, &out).unwrap(), "an up-to-date folder is left alone");

    std::fs::write(out.join("src/lib.rs"), "// edited by hand\n").unwrap();
    std::fs::write(out.join("stray.rs"), "").unwrap();
    assert!(codegen::generate(&spec, &out).unwrap());
    assert_eq!(read_tree(&out), clean, "regeneration restores exactly the generated files");
}

#[test]
fn check_reports_stale_missing_and_extra_files() {
    let temp = tempfile::tempdir().unwrap();
    let spec = scratch_spec(temp.path());
    let out = temp.path().join("generated");
    codegen::generate(&spec, &out).unwrap();
    assert!(codegen::check(&spec, &out).unwrap().is_clean());

    let models = out.join("src/store/models.rs");
    let text = std::fs::read_to_string(&models).unwrap();
    std::fs::write(&models, text.replace("pub struct Order {", "pub struct Order { // edited")).unwrap();
    std::fs::remove_file(out.join("src/store/mod.rs")).unwrap();
    std::fs::write(out.join("src/extra.rs"), "").unwrap();

    let report = codegen::check(&spec, &out).unwrap();
    assert!(!report.is_clean());
    let text = report.to_string();
    assert!(text.contains("missing: src/store/mod.rs"), "{text}");
    assert!(text.contains("not generated from the spec: src/extra.rs"), "{text}");
    assert!(text.contains("stale: src/store/models.rs"), "{text}");
    assert!(text.contains("-pub struct Order { // edited"), "{text}");
    assert!(text.contains("+pub struct Order {"), "{text}");
    assert!(
        text.ends_with("1 missing, 1 extra, 1 stale file(s): run `cargo xtask codegen` and commit the result"),
        "{text}"
    );
}

#[test]
fn a_runtime_package_named_otherwise_is_named_everywhere() {
    let temp = tempfile::tempdir().unwrap();
    let spec = scratch_spec(temp.path());
    let crate_yaml = std::fs::read_to_string(spec.join("crate.yaml")).unwrap();
    std::fs::write(spec.join("crate.yaml"), crate_yaml.replace("package: veeam-runtime", "package: my-runtime"))
        .unwrap();
    let out = temp.path().join("generated");
    codegen::generate(&spec, &out).unwrap();
    let tree = read_tree(&out.join("src"));
    let text: String = tree.values().map(|bytes| String::from_utf8_lossy(bytes).into_owned()).collect();
    // Models derive serde's own traits; every path into the runtime names it by its package.
    assert!(text.contains("::serde::Deserialize"), "serde's derive");
    assert!(text.contains("use ::my_runtime::client as rt;") && text.contains("::my_runtime::json::"));
    assert!(!text.contains("veeam_runtime"), "the default runtime name is left somewhere");
}

/// An API without schemas: its models file has a head and no items, and the place its items
/// would go leaves nothing behind.
#[test]
fn an_api_without_schemas_renders_without_a_trace_of_its_items() {
    let api = codegen::load::SourceFile {
        name: PathBuf::from("bare/api.yaml"),
        text: "api:\n  name: bare\n  title: Bare\n  base_path: /api\n  formats:\n    supported: [json]\n    default: json\n"
            .into(),
    };
    let operations = codegen::load::SourceFile {
        name: PathBuf::from("bare/operations.yaml"),
        text: "operations:\n  ping:\n    method: GET\n    path: /ping\n    responses:\n      '204':\n        description: up\n"
            .into(),
    };
    let crate_yaml = "crate:\n  name: bare-api\n  version: 0.0.0\n  description: Bare\n  runtime:\n    package: veeam-runtime\n    path: ../runtime\n";
    let source = codegen::load::ApiSource { dir: PathBuf::from("bare"), files: vec![api, operations] };
    let rendered = codegen::render_in_memory(crate_yaml, vec![source], Path::new("spec"), &out_dir()).expect("renders");
    let models = &rendered.files[Path::new("src/bare/models.rs")];
    let client = &rendered.files[Path::new("src/bare/client.rs")];
    for file in [models, client] {
        assert!(!file.contains("__ITEMS__"), "{file}");
        syn::parse_file(file).expect("a Rust file");
    }
    assert!(client.contains("pub struct Ping<'a>"), "{client}");
}
