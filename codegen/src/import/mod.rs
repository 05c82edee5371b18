//! import: OpenAPI 3.0 and 3.1 documents into the spec language.
//!
//! The document is parsed with `openapiv3` (3.1 documents are first rewritten into their 3.0 form:
//! `type: [T, "null"]` becomes `nullable`, and so on). What `openapiv3` does not model (the `xml`
//! object) is read from the same parsed JSON tree by pointer. Everything that cannot be mapped is
//! reported with its JSON pointer: as a note when the rest of the import stands without it, as an
//! error (and no output) when it would make wrong code.

mod downgrade;
mod openapi;

use std::collections::BTreeMap;
use std::fmt;

pub use openapi::import;

/// Something in the document that was not mapped, and where.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// JSON pointer into the document (`/components/schemas/Pet/oneOf`).
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}: {}", self.pointer, self.message)
    }
}

/// The spec files of one imported API, by file name, and what was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub files: BTreeMap<String, String>,
    pub notes: Vec<Note>,
}

/// Why a document could not be imported.
#[derive(Debug)]
pub enum ImportError {
    /// Not YAML or JSON, or not an OpenAPI 3 document.
    Parse(String),
    /// Constructs that cannot be expressed, each with its pointer.
    Unmappable(Vec<Note>),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Parse(message) => write!(f, "cannot read the document: {message}"),
            ImportError::Unmappable(notes) => {
                for note in notes {
                    writeln!(f, "error: {note}")?;
                }
                write!(f, "{} construct(s) cannot be mapped; nothing was written", notes.len())
            }
        }
    }
}

impl std::error::Error for ImportError {}

/// Writes the imported files into `out` after checking that they resolve: an import that would
/// not generate is an error, and nothing is written.
pub fn write(imported: &Imported, out: &std::path::Path) -> Result<(), crate::Error> {
    let folder = out.file_name().map(std::path::PathBuf::from).unwrap_or_default();
    let files = imported
        .files
        .iter()
        .map(|(name, text)| crate::load::SourceFile { name: folder.join(name), text: text.clone() })
        .collect();
    crate::resolve_sources(vec![crate::load::ApiSource { dir: out.to_owned(), files }])?;
    let io = |path: &std::path::Path| {
        let path = path.to_owned();
        move |error| crate::Error::Io { path, error }
    };
    std::fs::create_dir_all(out).map_err(io(out))?;
    for (name, text) in &imported.files {
        // Written beside, then renamed: a file is either the old one or the new one.
        let path = out.join(name);
        let staging = out.join(format!(".{name}.new"));
        std::fs::write(&staging, text).map_err(io(&staging))?;
        std::fs::rename(&staging, &path).map_err(io(&path))?;
    }
    Ok(())
}
