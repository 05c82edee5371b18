//! import: OpenAPI 3.0, 3.1 and Swagger 2.0 documents into the spec language.
//!
//! The document is read as a JSON tree and walked by JSON pointer, so that no keyword of any
//! version stops the reading and everything reported names its place. Swagger 2.0 and OpenAPI
//! 3.1 are first rewritten into 3.0 shapes (`swagger2`, `downgrade`); then `schemas`,
//! `operations` and `api` map the 3.0 tree into the spec language's own AST values
//! (`load::ast`), which are serialized as the spec files. What has no exact equivalent is mapped
//! to the nearest thing that works and reported once, with its pointer, as a note.
//!
//! Component schemas are mapped from a worklist: a `$ref` names its target and queues it, so
//! long chains of references cost no stack.

mod api;
mod bundle;
mod document;
mod downgrade;
mod enums;
mod examples;
pub mod naming;
mod operations;
mod overlay;
mod paging;
mod schemas;
mod swagger2;

pub use bundle::FileOptions;

pub use overlay::{merge_patch, Overlay};

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;

use indexmap::IndexMap;
use serde_json::Value as Json;

use crate::load::ast;

/// Something in the document that was not mapped exactly, and where.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// JSON pointer into the document (`/components/schemas/Pet/oneOf`).
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match bundle::source_of(&self.pointer) {
            // A part of a document split across files: its file and the pointer inside it.
            Some((file, inner)) => write!(f, "{file}#{inner}: {}", self.message),
            None => write!(f, "#{}: {}", self.pointer, self.message),
        }
    }
}

/// The spec files of one imported API, by file name, and what was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub files: BTreeMap<String, String>,
    pub notes: Vec<Note>,
    /// Where each property of the document went (before an overlay renames anything).
    pub members: Vec<Member>,
}

/// A property of the document and the member of the spec that holds it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Member {
    /// JSON pointer of the property (`/components/schemas/Pet/properties/name`).
    pub pointer: String,
    pub holder: Holder,
    /// The field's key, or the parameter's.
    pub field: String,
}

/// What holds a property in the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Holder {
    /// A schema, by name: the property is one of its fields.
    Schema(String),
    /// An operation, by id: the property is a part of its multipart body, a parameter.
    Operation(String),
}

/// Why a document could not be imported.
#[derive(Debug)]
pub enum ImportError {
    /// The API name cannot name a Rust module (checked before the document is read).
    Name(String),
    /// Not YAML or JSON, or not an OpenAPI document.
    Parse(String),
    /// Constructs that cannot be expressed, each with its pointer, and the notes of the run
    /// (what was mapped only nearly often explains an error).
    Unmappable { errors: Vec<Note>, notes: Vec<Note> },
    /// The overlay does not apply: each problem with the overlay key it is at.
    Overlay(Vec<String>),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Name(message) => write!(f, "{message}"),
            ImportError::Parse(message) => write!(f, "cannot read the document: {message}"),
            ImportError::Unmappable { errors, notes } => {
                for note in notes {
                    writeln!(f, "not mapped: {note}")?;
                }
                for error in errors {
                    writeln!(f, "error: {error}")?;
                }
                write!(f, "{} construct(s) cannot be mapped; nothing was written", errors.len())
            }
            ImportError::Overlay(errors) => {
                for error in errors {
                    writeln!(f, "error: overlay: {error}")?;
                }
                write!(f, "the overlay does not apply to this document; nothing was written")
            }
        }
    }
}

impl std::error::Error for ImportError {}

/// How deep a document's mappings and lists may nest (serde_json stops at 128 too).
const MAX_DOCUMENT_DEPTH: usize = 128;

/// How many `$ref`s in a row are followed before the chain is reported.
const MAX_REFERENCE_HOPS: usize = 64;

/// Imports `text` (YAML or JSON; Swagger 2.0, OpenAPI 3.0 or 3.1) as the API `name`. `source`
/// names the document in the generated files' header. References to other files are not
/// followed (see [`import_file`]).
pub fn import(text: &str, source: &str, name: &str) -> Result<Imported, ImportError> {
    import_with_overlay(text, source, name, None)
}

/// As [`import`], then applies the curation of `overlay` (see [`Overlay`]).
pub fn import_with_overlay(
    text: &str,
    source: &str,
    name: &str,
    overlay: Option<&Overlay>,
) -> Result<Imported, ImportError> {
    crate::resolve::api_name(name).map_err(ImportError::Name)?;
    let mut notes = Vec::new();
    let document = read_tree(text, &mut notes)?;
    import_tree(document, notes, source, name, overlay)
}

/// Imports the document at `path` and the files its relative references reach (bundled into
/// one document, each read once), as the API `name`, then applies `overlay`.
pub fn import_file(
    path: &std::path::Path,
    name: &str,
    overlay: Option<&Overlay>,
    options: &FileOptions,
) -> Result<Imported, ImportError> {
    crate::resolve::api_name(name).map_err(ImportError::Name)?;
    let mut notes = Vec::new();
    let document = bundle::bundle(path, options, &mut notes)?;
    let source = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    import_tree(document, notes, &source, name, overlay)
}

/// Reads one file's text into a JSON tree; numbers without an exact JSON value are noted.
fn read_tree(text: &str, notes: &mut Vec<Note>) -> Result<Json, ImportError> {
    // YAML scanners are quadratic in nesting depth: refuse absurd nesting before parsing.
    if let Err((line, column)) = crate::load::check_yaml_depth(text, MAX_DOCUMENT_DEPTH) {
        return Err(ImportError::Parse(format!(
            "line {line}, column {column}: the document nests more than {MAX_DOCUMENT_DEPTH} levels deep"
        )));
    }
    let document::Read { tree, approximated } = document::read(text).map_err(ImportError::Parse)?;
    if !tree.is_object() {
        return Err(ImportError::Parse("expected a mapping at the top level".into()));
    }
    notes.extend(approximated.into_iter().map(|(pointer, message)| Note { pointer, message }));
    Ok(tree)
}

fn import_tree(
    mut document: Json,
    mut notes: Vec<Note>,
    source: &str,
    name: &str,
    overlay: Option<&Overlay>,
) -> Result<Imported, ImportError> {
    let openapi = document.get("openapi").and_then(Json::as_str).unwrap_or_default().to_owned();
    let swagger = document.get("swagger").and_then(Json::as_str).unwrap_or_default().to_owned();
    let version = if swagger.starts_with("2.") {
        swagger2::to_3_0(&mut document, &mut notes);
        format!("Swagger {swagger}")
    } else if openapi.starts_with("3.1") {
        downgrade::to_3_0(&mut document);
        format!("OpenAPI {openapi}")
    } else if openapi.starts_with("3.0") {
        format!("OpenAPI {openapi}")
    } else {
        let found = match (openapi.is_empty(), swagger.is_empty()) {
            (true, true) => "neither `openapi` nor `swagger` version".to_owned(),
            (false, _) => format!("`openapi: {openapi}`"),
            (true, false) => format!("`swagger: {swagger}`"),
        };
        return Err(ImportError::Parse(format!(
            "expected an OpenAPI 3.0 or 3.1 or a Swagger 2.0 document, found {found}"
        )));
    };
    let mut importer = Importer::new(&document, swagger.starts_with("2."));
    importer.notes.extend(notes);
    importer.run(name, &version);
    if let Some(overlay) = overlay {
        overlay
            .apply(&mut importer.api, &mut importer.schemas, &mut importer.operations)
            .map_err(ImportError::Overlay)?;
        for (from, to) in overlay.operation_renames() {
            if let Some(pointer) = importer.operation_pointers.remove(from) {
                importer.operation_pointers.insert(to.to_owned(), pointer);
            }
        }
        overlay.describe_parameters(&mut importer.operations).map_err(ImportError::Overlay)?;
        if let Some(template) = overlay.operation_sources() {
            importer.reference_pages(template);
        }
    }
    importer.keep_document_ids();
    // Named after the operations' final names; checked against the curated schemas.
    importer.document_examples();
    importer.check_examples();
    if let Some(overlay) = overlay {
        overlay.apply_examples(&mut importer.operations).map_err(ImportError::Overlay)?;
    }
    let notes: Vec<Note> = std::mem::take(&mut importer.notes).into_iter().collect();
    if !importer.errors.is_empty() {
        let errors = std::mem::take(&mut importer.errors).into_iter().collect();
        return Err(ImportError::Unmappable { errors, notes });
    }
    let files = importer.render(source, name, &notes, overlay.is_some());
    let original =
        |pointer: String| if importer.swagger { swagger2::original_pointer_in(&document, &pointer) } else { pointer };
    let members = std::mem::take(&mut importer.members)
        .into_iter()
        .map(|member| Member { pointer: original(member.pointer), ..member })
        .collect();
    Ok(Imported { files, notes, members })
}

/// Writes the imported files into `out` after checking that they resolve: an import that would
/// not generate is an error, and nothing is written.
pub fn write(imported: &Imported, out: &std::path::Path) -> Result<(), crate::Error> {
    let folder = out.file_name().map(std::path::PathBuf::from).unwrap_or_default();
    let io = |path: &std::path::Path| {
        let path = path.to_owned();
        move |error| crate::Error::Io { path, error }
    };
    // Every file goes to a staging folder beside `out` first (the resolver reads example bodies
    // from disk), then each is renamed into place: a file is either the old one or the new one,
    // and a spec that does not resolve leaves `out` untouched.
    let staging = out.with_file_name(format!(".{}.import", folder.display()));
    let _ = std::fs::remove_dir_all(&staging);
    let staged = (|| {
        // The spec may name example files that were there before (an overlay's own).
        copy_tree(out, &staging).map_err(io(out))?;
        for (name, text) in &imported.files {
            let path = staging.join(name);
            let parent = path.parent().unwrap_or(&staging);
            std::fs::create_dir_all(parent).map_err(io(parent))?;
            std::fs::write(&path, text).map_err(io(&path))?;
        }
        let files = imported
            .files
            .iter()
            .filter(|(name, _)| name.ends_with(".yaml"))
            .map(|(name, text)| crate::load::SourceFile { name: folder.join(name), text: text.clone() })
            .collect();
        crate::resolve_sources(vec![crate::load::ApiSource { dir: staging.clone(), files }])?;
        for name in imported.files.keys() {
            let path = out.join(name);
            let parent = path.parent().unwrap_or(out);
            std::fs::create_dir_all(parent).map_err(io(parent))?;
            std::fs::rename(staging.join(name), &path).map_err(io(&path))?;
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&staging);
    staged
}

/// Copies the files of `from` (when it exists) into `to`, folders included, hidden ones left out.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(from) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    std::fs::create_dir_all(to)?;
    for entry in entries {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// A JSON pointer segment (`~` and `/` escaped).
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer segment, unescaped.
fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// An operation's parameters (by key) and their schema defaults.
type ParameterDefaults = Vec<(String, Option<String>)>;

/// The mapping under way.
struct Importer<'a> {
    document: &'a Json,
    /// Pointers of a Swagger 2.0 document are reported in its own terms (`/definitions/…`).
    swagger: bool,
    notes: BTreeSet<Note>,
    /// Schemas of the spec, by spec name.
    schemas: BTreeMap<String, ast::Schema>,
    /// Spec name of each component schema (by pointer), assigned before any is mapped.
    component_names: HashMap<String, String>,
    /// Rust type names taken (spec names are unique after conversion).
    type_names: HashSet<String>,
    /// Component schemas named but not mapped yet.
    queue: VecDeque<String>,
    operations: BTreeMap<String, ast::Operation>,
    /// Rust method names taken by operations.
    method_names: HashSet<String>,
    /// Per operation, the default of each parameter (fixed-header candidates).
    header_defaults: Vec<(String, ParameterDefaults)>,
    /// Per operation, its JSON pointer in the document.
    operation_pointers: BTreeMap<String, String>,
    /// The examples' files (`examples/<operation>.<of>.json`) and their text.
    example_files: BTreeMap<String, String>,
    /// Per operation, the security requirements that apply (scheme names; several in one
    /// requirement are needed together) and where they are.
    security: Vec<(String, String, Vec<Vec<String>>)>,
    /// XML namespaces the schemas declare.
    namespaces: BTreeSet<String>,
    /// Body formats seen (`json`, `xml`, `form`).
    media: BTreeSet<&'static str>,
    api: Option<ast::Api>,
    /// Unions with members of their own (schema name, pointer, `oneOf` or `anyOf`): the members
    /// go on every variant once all schemas are mapped.
    unions_with_members: Vec<(String, String, &'static str)>,
    /// What makes the import impossible (a member declared twice with different types).
    errors: BTreeSet<Note>,
    /// Where each property went.
    members: BTreeSet<Member>,
}

impl<'a> Importer<'a> {
    fn new(document: &'a Json, swagger: bool) -> Self {
        Importer {
            document,
            swagger,
            notes: BTreeSet::new(),
            schemas: BTreeMap::new(),
            component_names: HashMap::new(),
            type_names: HashSet::new(),
            queue: VecDeque::new(),
            operations: BTreeMap::new(),
            method_names: HashSet::new(),
            header_defaults: Vec::new(),
            operation_pointers: BTreeMap::new(),
            example_files: BTreeMap::new(),
            security: Vec::new(),
            namespaces: BTreeSet::new(),
            media: BTreeSet::new(),
            api: None,
            unions_with_members: Vec::new(),
            errors: BTreeSet::new(),
            members: BTreeSet::new(),
        }
    }

    /// Reports that a reference at `pointer` does not resolve, unless bundling the document
    /// already said why (a URL, a file outside its folder).
    fn note_unresolved(&mut self, pointer: &str, message: impl Into<String>) {
        if !self.notes.iter().any(|note| note.pointer == pointer) {
            self.note(pointer, message);
        }
    }

    /// Reports that `pointer` was not mapped exactly; the same note twice is kept once.
    fn note(&mut self, pointer: &str, message: impl Into<String>) {
        let pointer =
            if self.swagger { swagger2::original_pointer_in(self.document, pointer) } else { pointer.to_owned() };
        self.notes.insert(Note { pointer, message: message.into() });
    }

    /// Reports that `pointer` cannot be mapped: the import fails, with every error and note.
    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let pointer =
            if self.swagger { swagger2::original_pointer_in(self.document, pointer) } else { pointer.to_owned() };
        self.errors.insert(Note { pointer, message: message.into() });
    }

    fn get(&self, pointer: &str) -> Option<&'a Json> {
        self.document.pointer(pointer)
    }

    fn string_at(&self, pointer: &str) -> Option<String> {
        self.get(pointer).and_then(Json::as_str).map(str::to_owned)
    }

    /// Follows `$ref`s from the value at `pointer`: the value they end at, and its pointer.
    /// Only references inside the document are followed; one that is not is reported.
    fn deref(&mut self, pointer: &str) -> Option<(&'a Json, String)> {
        match self.follow(pointer) {
            Ok(found) => Some(found),
            Err(Some((at, message))) => {
                self.note_unresolved(&at, message);
                None
            }
            Err(None) => None,
        }
    }

    /// As [`Importer::deref`], without reporting: for looking at a value that is read (and
    /// reported) elsewhere.
    fn peek(&self, pointer: &str) -> Option<(&'a Json, String)> {
        self.follow(pointer).ok()
    }

    /// The value `$ref`s from `pointer` end at; `Err` with what to report (nothing when there
    /// is no value at all).
    fn follow(&self, pointer: &str) -> Result<(&'a Json, String), Option<(String, String)>> {
        let mut pointer = pointer.to_owned();
        for _ in 0..MAX_REFERENCE_HOPS {
            let value = self.get(&pointer).ok_or(None)?;
            let Some(reference) = value.get("$ref").and_then(Json::as_str) else { return Ok((value, pointer)) };
            match reference.strip_prefix('#') {
                Some(target) if self.get(target).is_some() => pointer = target.to_owned(),
                _ => {
                    return Err(Some((format!("{pointer}/$ref"), format!("reference `{reference}` does not resolve"))))
                }
            }
        }
        Err(Some((pointer, format!("more than {MAX_REFERENCE_HOPS} references in a row"))))
    }

    fn run(&mut self, name: &str, version: &str) {
        self.name_components();
        self.drain_queue();
        self.paths();
        self.drain_queue();
        self.members_on_variants();
        self.drain_queue();
        self.break_alias_cycles();
        self.merge_duplicate_enums();
        self.detect_paging();
        self.conventional_names();
        self.api = Some(self.api_section(name, version));
    }

    // -----------------------------------------------------------------------------------------
    // Output

    fn render(&self, source: &str, name: &str, notes: &[Note], curated: bool) -> BTreeMap<String, String> {
        let header = |what: &str| {
            let how = if curated {
                "# Curated by `import/overlay.yaml`: edit the overlay, not this file, and import again.\n"
            } else {
                "# A starting point: edit freely (descriptions, names, sensitive fields), then `cargo xtask codegen`.\n"
            };
            format!("# {what} of the `{name}` API, imported from {source} by `cargo xtask import-openapi`.\n{how}")
        };
        let mut files = BTreeMap::new();
        let mut api_text = header("The api section");
        if !notes.is_empty() {
            api_text.push_str("#\n# Not mapped exactly (JSON pointers into the document):\n");
            for note in notes {
                for (index, line) in note.to_string().lines().enumerate() {
                    api_text.push_str(if index == 0 { "# - " } else { "#   " });
                    api_text.push_str(line);
                    api_text.push('\n');
                }
            }
        }
        let file = |api: Option<&ast::Api>, schemas: IndexMap<String, serde_yaml::Value>, operations| {
            #[derive(serde::Serialize)]
            struct File<'f> {
                #[serde(skip_serializing_if = "Option::is_none")]
                api: Option<&'f ast::Api>,
                #[serde(skip_serializing_if = "IndexMap::is_empty")]
                schemas: IndexMap<String, serde_yaml::Value>,
                #[serde(skip_serializing_if = "IndexMap::is_empty")]
                operations: IndexMap<String, serde_yaml::Value>,
            }
            serde_yaml::to_string(&File { api, schemas, operations }).unwrap_or_default()
        };
        api_text.push_str(&file(self.api.as_ref(), IndexMap::new(), IndexMap::new()));
        files.insert("api.yaml".to_owned(), api_text);
        if !self.schemas.is_empty() {
            let schemas = self.schemas.iter().map(|(name, schema)| (name.clone(), yaml_value(schema))).collect();
            files.insert(
                "schemas.yaml".to_owned(),
                format!("{}{}", header("Schemas"), file(None, schemas, IndexMap::new())),
            );
        }
        if !self.operations.is_empty() {
            let operations =
                self.operations.iter().map(|(id, operation)| (id.clone(), yaml_value(operation))).collect();
            files.insert(
                "operations.yaml".to_owned(),
                format!("{}{}", header("Operations"), file(None, IndexMap::new(), operations)),
            );
        }
        files.extend(self.example_files.iter().map(|(name, text)| (name.clone(), text.clone())));
        files
    }
}

fn yaml_value<T: serde::Serialize>(item: &T) -> serde_yaml::Value {
    serde_yaml::to_value(item).unwrap_or(serde_yaml::Value::Null)
}

/// A value as spec text: strings as they are, anything else as compact JSON.
fn compact(value: &Json) -> String {
    match value {
        Json::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Trimmed text, `None` when empty.
fn text(value: Option<&Json>) -> Option<String> {
    value.and_then(Json::as_str).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}
