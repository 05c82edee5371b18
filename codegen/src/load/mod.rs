//! load: read the spec folder and parse each YAML file into the spec AST. Only shapes are checked
//! here; meaning is checked by `resolve`.

pub mod ast;
mod depth;
mod locate;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Diagnostics};
pub use locate::Locations;

/// One spec file's text, with the name errors should show for it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Shown in errors and `@generated` headers: `<api folder>/<file>.yaml`.
    pub name: PathBuf,
    pub text: String,
}

/// The files of one API folder.
#[derive(Debug, Clone)]
pub struct ApiSource {
    /// Folder on disk; example bodies are read relative to it.
    pub dir: PathBuf,
    pub files: Vec<SourceFile>,
}

/// A parsed item and where it came from.
#[derive(Debug)]
pub struct Located<T> {
    pub value: T,
    /// Index into `ApiAst::files`.
    pub file: usize,
    /// YAML path of the item inside its file.
    pub path: String,
}

/// Everything one API folder says, as written.
#[derive(Debug)]
pub struct ApiAst {
    pub dir: PathBuf,
    /// Sorted by name: every later phase is independent of the order files were found in.
    pub files: Vec<SourceFile>,
    pub api: Vec<Located<ast::Api>>,
    pub schemas: Vec<Located<(String, ast::Schema)>>,
    pub operations: Vec<Located<(String, ast::Operation)>>,
    /// Names of schemas and operations that failed to parse (already reported): references to
    /// them are not reported again.
    pub unparsed: std::collections::HashSet<String>,
    /// A file could not be read at all (already reported): what it defined is unknown, so
    /// references to unknown names are not reported either.
    pub incomplete: bool,
}

impl ApiAst {
    /// A diagnostic for `path` in file `file`, with the line and column when they can be found.
    pub fn diagnostic(&self, file: usize, path: &str, message: impl Into<String>) -> Diagnostic {
        diagnostic_at(&self.files[file], path, message.into())
    }
}

fn diagnostic_at(file: &SourceFile, path: &str, message: String) -> Diagnostic {
    let position = Locations::index(&file.text).find(path);
    Diagnostic {
        file: file.name.clone(),
        line: position.map(|p| p.0),
        column: position.map(|p| p.1),
        path: path.to_owned(),
        message,
    }
}

/// The generated crate's settings, from `crate.yaml`.
#[derive(Debug, Clone)]
pub struct CrateSpec {
    pub krate: ast::Crate,
    /// Runtime crate folder on disk.
    pub runtime_dir: PathBuf,
    /// Name of the spec folder (`spec`), used to name spec files in generated headers.
    pub spec_name: String,
    /// The spec folder on disk (example bodies are found relative to it).
    pub spec_dir: PathBuf,
    /// `crate.yaml` itself, for errors.
    pub source: SourceFile,
}

impl CrateSpec {
    /// A diagnostic for `path` in `crate.yaml`.
    pub fn diagnostic(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        diagnostic_at(&self.source, path, message.into())
    }
}

pub const CRATE_FILE: &str = "crate.yaml";

/// What a spec folder holds: `crate.yaml` (when it parses) and the API folders' files, with the
/// problems found reading them.
#[derive(Debug)]
pub struct SpecFolder {
    pub krate: Option<CrateSpec>,
    pub apis: Vec<ApiSource>,
    pub diagnostics: Diagnostics,
}

/// Reads `crate.yaml` and every API folder under `spec_root` (each sub-folder holding `*.yaml`
/// files is an API). Fails only when the folder cannot be read; problems in `crate.yaml` are
/// diagnostics, reported with those of the APIs.
pub fn read_spec_folder(spec_root: &Path) -> Result<SpecFolder, Diagnostics> {
    let io_error = |path: &Path, error: std::io::Error| {
        Diagnostics(vec![Diagnostic {
            file: path.to_owned(),
            line: None,
            column: None,
            path: String::new(),
            message: format!("cannot read: {error}"),
        }])
    };
    let mut apis = Vec::new();
    let entries = std::fs::read_dir(spec_root).map_err(|e| io_error(spec_root, e))?;
    let mut dirs: Vec<PathBuf> =
        entries.filter_map(|entry| entry.ok().map(|e| e.path())).filter(|path| path.is_dir()).collect();
    dirs.sort();
    for dir in dirs {
        let folder = dir.file_name().map(PathBuf::from).unwrap_or_default();
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(|e| io_error(&dir, e))? {
            let path = entry.map_err(|e| io_error(&dir, e))?.path();
            let is_yaml = matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"));
            if is_yaml && path.is_file() {
                let text = std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))?;
                let name = folder.join(path.file_name().unwrap_or_default());
                files.push(SourceFile { name, text });
            }
        }
        if !files.is_empty() {
            apis.push(ApiSource { dir, files });
        }
    }
    let crate_path = spec_root.join(CRATE_FILE);
    let text = std::fs::read_to_string(&crate_path).map_err(|e| io_error(&crate_path, e))?;
    let (krate, mut diagnostics) = crate_spec(text, spec_root);
    if apis.is_empty() {
        diagnostics.push(Diagnostic {
            file: spec_root.to_owned(),
            line: None,
            column: None,
            path: String::new(),
            message: "no API folders found: expected sub-folders holding *.yaml spec files".into(),
        });
    }
    Ok(SpecFolder { krate, apis, diagnostics })
}

/// Parses the text of `crate.yaml` for the spec folder `spec_root` (which need not exist: the
/// runtime and example paths are only joined to it).
pub fn crate_spec(text: String, spec_root: &Path) -> (Option<CrateSpec>, Diagnostics) {
    let file = SourceFile { name: PathBuf::from(CRATE_FILE), text };
    let mut diagnostics = Diagnostics::default();
    let parsed: Option<ast::CrateFile> =
        parse_value(&file, &mut diagnostics).and_then(|v| item(&file, "", v, &mut diagnostics));
    let krate = parsed.map(|parsed| {
        let runtime_dir = spec_root.join(&parsed.krate.runtime.path);
        let spec_name = std::path::absolute(spec_root)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "spec".into());
        CrateSpec { krate: parsed.krate, runtime_dir, spec_name, spec_dir: spec_root.to_owned(), source: file }
    });
    (krate, diagnostics)
}

/// Reads a spec folder that must be free of problems in `crate.yaml` (tests and tools).
pub fn read_spec_dir(spec_root: &Path) -> Result<(CrateSpec, Vec<ApiSource>), Diagnostics> {
    let folder = read_spec_folder(spec_root)?;
    match folder.krate {
        Some(krate) if folder.diagnostics.is_empty() => Ok((krate, folder.apis)),
        _ => Err(folder.diagnostics),
    }
}

/// Parses the files of one API, each on its own core. Each schema and operation is parsed on its
/// own, so one bad item does not hide the errors of the others; the diagnostics come in the
/// order of the sorted files, whichever finished first.
pub fn parse(source: ApiSource, diagnostics: &mut Diagnostics) -> ApiAst {
    let mut files = source.files;
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let mut ast = ApiAst {
        dir: source.dir,
        files: Vec::new(),
        api: Vec::new(),
        schemas: Vec::new(),
        operations: Vec::new(),
        unparsed: Default::default(),
        incomplete: false,
    };
    // The largest files first (threads take from the end).
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&index| files[index].text.len());
    let mut parsed = crate::parallel::map(order, |index| (index, parse_items(index, &files[index])));
    parsed.sort_by_key(|(index, _)| *index);
    for (_, items) in parsed {
        let FileItems { api, schemas, operations, unparsed, incomplete, diagnostics: found } = items;
        ast.api.extend(api);
        ast.schemas.extend(schemas);
        ast.operations.extend(operations);
        ast.unparsed.extend(unparsed);
        ast.incomplete |= incomplete;
        diagnostics.0.extend(found.0);
    }
    ast.files = files;
    ast
}

/// What one file defines, and the problems found in it.
#[derive(Default)]
struct FileItems {
    api: Option<Located<ast::Api>>,
    schemas: Vec<Located<(String, ast::Schema)>>,
    operations: Vec<Located<(String, ast::Operation)>>,
    unparsed: Vec<String>,
    incomplete: bool,
    diagnostics: Diagnostics,
}

/// Parses file number `index` of an API.
fn parse_items(index: usize, file: &SourceFile) -> FileItems {
    let mut items = FileItems::default();
    let diagnostics = &mut items.diagnostics;
    let Some(parsed) = parse_file(file, diagnostics) else {
        items.incomplete = true;
        return items;
    };
    if let Some(api) = parsed.api {
        if let Some(value) = item(file, "api", api, diagnostics) {
            items.api = Some(Located { value, file: index, path: "api".into() });
        }
    }
    for (name, value) in parsed.schemas {
        let path = format!("schemas.{name}");
        match item(file, &path, value, diagnostics) {
            Some(schema) => items.schemas.push(Located { value: (name, schema), file: index, path }),
            None => items.unparsed.push(name),
        }
    }
    for (name, value) in parsed.operations {
        let path = format!("operations.{name}");
        match item(file, &path, value, diagnostics) {
            Some(operation) => items.operations.push(Located { value: (name, operation), file: index, path }),
            None => items.unparsed.push(name),
        }
    }
    items
}

/// Parses a file's sections. An unknown top-level key is reported, and the known sections are
/// still read, so that one stray key does not hide what the file defines.
fn parse_file(file: &SourceFile, diagnostics: &mut Diagnostics) -> Option<ast::File> {
    let value = parse_value(file, diagnostics)?;
    let serde_yaml::Value::Mapping(mapping) = value else {
        return item(file, "", value, diagnostics);
    };
    let mut known = serde_yaml::Mapping::new();
    for (key, value) in mapping {
        match key.as_str() {
            Some(name) if ast::File::KEYS.contains(&name) => {
                known.insert(key, value);
            }
            _ => {
                let mut stray = serde_yaml::Mapping::new();
                stray.insert(key, value);
                // Reported as serde reports it, with the keys that are allowed.
                item::<ast::File>(file, "", serde_yaml::Value::Mapping(stray), diagnostics);
            }
        }
    }
    item(file, "", serde_yaml::Value::Mapping(known), diagnostics)
}

/// Deepest nesting of mappings and sequences a spec file may have. Spec files need about eight
/// levels; the limit is checked before serde_yaml parses, whose scanner is quadratic in depth.
pub const MAX_YAML_DEPTH: usize = 64;

/// Checks the nesting depth of YAML (or JSON) text in one linear pass (module `depth`), before a
/// parser that is quadratic in it reads the text: the line and column where it goes deeper than
/// `limit`.
pub fn check_yaml_depth(text: &str, limit: usize) -> Result<(), (usize, usize)> {
    match depth::too_deep(text, limit) {
        Some(place) => Err(place),
        None => Ok(()),
    }
}

fn check_depth(file: &SourceFile) -> Result<(), Diagnostic> {
    check_yaml_depth(&file.text, MAX_YAML_DEPTH).map_err(|(line, column)| Diagnostic {
        file: file.name.clone(),
        line: Some(line),
        column: Some(column),
        path: String::new(),
        message: format!("mappings and lists nest more than {MAX_YAML_DEPTH} levels deep"),
    })
}

/// Parses the YAML text of a file: syntax only, with keys made strings.
fn parse_value(file: &SourceFile, diagnostics: &mut Diagnostics) -> Option<serde_yaml::Value> {
    if let Err(diagnostic) = check_depth(file) {
        diagnostics.push(diagnostic);
        return None;
    }
    let value: serde_yaml::Value = match serde_yaml::from_str(&file.text) {
        Ok(value) => value,
        Err(error) => {
            let location = error.location();
            diagnostics.push(Diagnostic {
                file: file.name.clone(),
                line: location.as_ref().map(|l| l.line()),
                column: location.as_ref().map(|l| l.column()),
                path: String::new(),
                message: format!("invalid YAML: {}", without_own_location(&error.to_string(), location.as_ref())),
            });
            return None;
        }
    };
    if value.is_null() {
        diagnostics.push(diagnostic_at(
            file,
            "",
            "the file is empty; expected a mapping with `api`, `schemas` or `operations`".into(),
        ));
        return None;
    }
    let mut value = value;
    stringify_keys(&mut value);
    Some(value)
}

/// YAML reads `200:` as a number; every key of the spec language is a string.
fn stringify_keys(value: &mut serde_yaml::Value) {
    match value {
        serde_yaml::Value::Mapping(mapping) => {
            let numeric = mapping.keys().any(|k| k.is_number() || k.is_bool());
            if numeric {
                let entries = std::mem::take(mapping);
                for (key, value) in entries {
                    let key = match key {
                        serde_yaml::Value::Number(n) => serde_yaml::Value::String(n.to_string()),
                        serde_yaml::Value::Bool(b) => serde_yaml::Value::String(b.to_string()),
                        other => other,
                    };
                    mapping.insert(key, value);
                }
            }
            mapping.values_mut().for_each(stringify_keys);
        }
        serde_yaml::Value::Sequence(items) => items.iter_mut().for_each(stringify_keys),
        serde_yaml::Value::Tagged(tagged) => stringify_keys(&mut tagged.value),
        _ => {}
    }
}

/// Deserializes one value, turning a failure into a diagnostic at the exact YAML path.
fn item<T: DeserializeOwned>(
    file: &SourceFile,
    base: &str,
    value: serde_yaml::Value,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    match serde_path_to_error::deserialize(value) {
        Ok(item) => Some(item),
        Err(error) => {
            let inner = yaml_path(&error.path().to_string());
            let path = match (base.is_empty(), inner.is_empty()) {
                (_, true) => base.to_owned(),
                (true, false) => inner,
                (false, false) => format!("{base}.{inner}"),
            };
            let message = describe(error.inner().to_string());
            diagnostics.push(diagnostic_at(file, &path, message));
            None
        }
    }
}

/// serde_path_to_error writes sequence items as `.0`; YAML paths here use `[0]`, and `?` (an
/// unknown position) is dropped.
fn yaml_path(path: &str) -> String {
    let mut out = String::new();
    for segment in path.split('.').filter(|s| !s.is_empty() && *s != "?") {
        if segment.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(segment);
        }
    }
    out
}

/// serde's messages name Rust types in places; say what the spec author wrote instead.
fn describe(message: String) -> String {
    message
        .replace("expected a boolean", "expected `true` or `false`")
        .replace("expected a map", "expected a mapping")
        .replace("struct ", "")
}

/// serde_yaml repeats the position in its message; the diagnostic shows it already. Other
/// positions in the message (where an unclosed construct started) are kept.
fn without_own_location(message: &str, location: Option<&serde_yaml::Location>) -> String {
    match location {
        Some(location) => {
            let own = format!(" at line {} column {}", location.line(), location.column());
            message.replacen(&own, "", 1)
        }
        None => message.to_owned(),
    }
}
