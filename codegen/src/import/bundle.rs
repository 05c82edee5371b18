//! Documents split across files: relative `$ref`s (`./parameters.yaml#/Limit`,
//! `../schemas/pet.yaml`) followed and bundled into one tree.
//!
//! Every file reached is read once, whatever the cycles between them, and placed whole under
//! `/x-bundled/<its path from the root document's folder>`; each reference is rewritten to point
//! there (`#/x-bundled/schemas~1pet.yaml/properties/owner`), so the importer reads one document
//! and follows only references inside it. Notes on a bundled part name its file
//! (`schemas/pet.yaml#/properties/owner`). URLs are not fetched, and files outside the root
//! document's folder are not read unless asked: both are noted and read as unresolved.

use std::collections::{HashMap, VecDeque};
use std::path::{Component, Path, PathBuf};

use serde_json::Value as Json;

use super::{escape, Note};

/// Where bundled files are placed in the root document.
pub(super) const BUNDLED: &str = "x-bundled";

/// How many files one document may reach.
const MAX_FILES: usize = 1_000;

/// How many bytes the files of one document may hold together.
const MAX_BYTES: usize = 256 << 20;

/// How a document and the files it refers to are read.
#[derive(Debug, Clone, Default)]
pub struct FileOptions {
    /// Follow references to files outside the root document's folder tree.
    pub allow_outside: bool,
}

/// A file to read, and where to put it.
struct Pending {
    path: PathBuf,
    key: String,
}

/// Reads the document at `root` and every file its references reach; returns the bundled tree,
/// or why the root document cannot be read. Problems with other files are notes.
pub(super) fn bundle(root: &Path, options: &FileOptions, notes: &mut Vec<Note>) -> Result<Json, super::ImportError> {
    let read_error = |error: String| super::ImportError::Parse(format!("{}: {error}", root.display()));
    let folder = root.parent().map(Path::to_path_buf).unwrap_or_default();
    let folder = folder.canonicalize().unwrap_or(folder);
    let text = std::fs::read_to_string(root).map_err(|e| read_error(e.to_string()))?;
    let mut tree = super::read_tree(&text, notes)?;
    let mut bundler = Bundler {
        folder,
        options: options.clone(),
        keys: HashMap::new(),
        queue: VecDeque::new(),
        bytes: text.len(),
        notes,
    };
    let root_file = root.canonicalize().unwrap_or_else(|_| root.to_owned());
    bundler.keys.insert(root_file.clone(), String::new());
    bundler.rewrite(&mut tree, &root_file, "", "");
    let mut bundled = serde_json::Map::new();
    while let Some(Pending { path, key }) = bundler.queue.pop_front() {
        let pointer = format!("/{BUNDLED}/{}", escape(&key));
        let text = match std::fs::read_to_string(&path) {
            Ok(text) if bundler.bytes + text.len() <= MAX_BYTES => text,
            Ok(_) => {
                let message = format!("`{key}` is not read: the document's files hold more than {MAX_BYTES} bytes");
                bundler.notes.push(Note { pointer, message });
                continue;
            }
            Err(error) => {
                bundler.notes.push(Note { pointer, message: format!("`{key}` cannot be read: {error}") });
                continue;
            }
        };
        bundler.bytes += text.len();
        let mut file_notes = Vec::new();
        let mut file_tree = match super::read_tree(&text, &mut file_notes) {
            Ok(tree) => tree,
            Err(error) => {
                bundler.notes.push(Note { pointer, message: format!("`{key}`: {error}") });
                continue;
            }
        };
        bundler
            .notes
            .extend(file_notes.into_iter().map(|note| Note { pointer: format!("{pointer}{}", note.pointer), ..note }));
        bundler.rewrite(&mut file_tree, &path, &key, &pointer);
        bundled.insert(key, file_tree);
    }
    if !bundled.is_empty() {
        if let Json::Object(object) = &mut tree {
            object.insert(BUNDLED.to_owned(), Json::Object(bundled));
        }
    }
    Ok(tree)
}

struct Bundler<'n> {
    /// The root document's folder (canonical).
    folder: PathBuf,
    options: FileOptions,
    /// Each file reached (canonical path) and its key under `/x-bundled` (the root's is empty).
    keys: HashMap<PathBuf, String>,
    queue: VecDeque<Pending>,
    bytes: usize,
    notes: &'n mut Vec<Note>,
}

impl Bundler<'_> {
    /// Rewrites every `$ref` in `tree` (the file `file`, bundled under `key`; `at` is the
    /// pointer of its root in the bundled document).
    fn rewrite(&mut self, tree: &mut Json, file: &Path, key: &str, at: &str) {
        // Depth-first with an explicit stack of (value, pointer): documents nest at most 128
        // levels, but the walk does not rely on it.
        let mut stack: Vec<(&mut Json, String)> = vec![(tree, at.to_owned())];
        while let Some((value, pointer)) = stack.pop() {
            match value {
                Json::Object(object) => {
                    for (member, child) in object.iter_mut() {
                        let child_pointer = format!("{pointer}/{}", escape(member));
                        if member == "$ref" {
                            if let Json::String(reference) = child {
                                if let Some(target) = self.target(reference, file, key, &child_pointer) {
                                    *reference = target;
                                }
                            }
                        } else {
                            stack.push((child, child_pointer));
                        }
                    }
                }
                Json::Array(items) => {
                    for (index, child) in items.iter_mut().enumerate() {
                        stack.push((child, format!("{pointer}/{index}")));
                    }
                }
                _ => {}
            }
        }
    }

    /// Where `reference` (written in `file`, bundled under `key`) points in the bundled document;
    /// `None` to leave it as written (a note says why when it will not resolve).
    fn target(&mut self, reference: &str, file: &Path, key: &str, pointer: &str) -> Option<String> {
        let (location, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if !fragment.is_empty() && !fragment.starts_with('/') {
            let message = format!("reference `{reference}` names an anchor, not a JSON pointer; not followed");
            self.notes.push(Note { pointer: pointer.to_owned(), message });
            return None;
        }
        let target_key = if location.is_empty() {
            // Inside the same file.
            key.to_owned()
        } else {
            if location.contains("://") || location.starts_with("//") {
                let message = format!("reference `{reference}` is a URL; URLs are not fetched");
                self.notes.push(Note { pointer: pointer.to_owned(), message });
                return None;
            }
            let joined = file
                .parent()
                .unwrap_or(Path::new(""))
                .join(percent_encoding::percent_decode_str(location).decode_utf8_lossy().as_ref());
            let Some(path) = normalized(&joined) else {
                let message = format!("reference `{reference}` climbs above the file system's root");
                self.notes.push(Note { pointer: pointer.to_owned(), message });
                return None;
            };
            let path = path.canonicalize().unwrap_or(path);
            match self.keys.get(&path) {
                Some(known) => known.clone(),
                None => self.reach(&path, reference, pointer)?,
            }
        };
        Some(if target_key.is_empty() {
            format!("#{fragment}")
        } else {
            format!("#/{BUNDLED}/{}{fragment}", escape(&target_key))
        })
    }

    /// Gives a newly reached file its key and queues it; `None` when it may not be read.
    fn reach(&mut self, path: &Path, reference: &str, pointer: &str) -> Option<String> {
        let inside = path.strip_prefix(&self.folder).ok().map(Path::to_path_buf);
        if inside.is_none() && !self.options.allow_outside {
            let message = format!(
                "reference `{reference}` reaches a file outside the document's folder; not followed \
                 (`--allow-refs-outside` follows it)"
            );
            self.notes.push(Note { pointer: pointer.to_owned(), message });
            return None;
        }
        if self.keys.len() > MAX_FILES {
            let message =
                format!("reference `{reference}` is not followed: the document reaches more than {MAX_FILES} files");
            self.notes.push(Note { pointer: pointer.to_owned(), message });
            return None;
        }
        let key = match inside {
            Some(relative) => slashed(&relative),
            // Outside the folder: named by the whole path, which no relative key can equal.
            None => slashed(path),
        };
        self.keys.insert(path.to_owned(), key.clone());
        self.queue.push_back(Pending { path: path.to_owned(), key: key.clone() });
        Some(key)
    }
}

/// `a/./b/../c` as `a/c`, without touching the file system; `None` above the root.
fn normalized(path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<Component> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => return None,
                _ => parts.push(component),
            },
            other => parts.push(other),
        }
    }
    Some(parts.iter().collect())
}

/// A path with `/` between its parts, whatever the platform.
fn slashed(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Where a bundled pointer is in its own file: `("schemas/pet.yaml", "/properties/owner")`.
pub(super) fn source_of(pointer: &str) -> Option<(String, &str)> {
    let rest = pointer.strip_prefix('/')?.strip_prefix(BUNDLED)?.strip_prefix('/')?;
    let (key, inner) = rest.find('/').map_or((rest, ""), |slash| (&rest[..slash], &rest[slash..]));
    Some((super::unescape(key), inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_lexically() {
        assert_eq!(normalized(Path::new("/a/b/../c/./d.yaml")), Some(PathBuf::from("/a/c/d.yaml")));
        assert_eq!(normalized(Path::new("/a/../../b")), None);
        assert_eq!(slashed(Path::new("schemas/pet.yaml")), "schemas/pet.yaml");
    }

    #[test]
    fn bundled_pointers_name_their_file() {
        assert_eq!(
            source_of("/x-bundled/schemas~1pet.yaml/properties/a"),
            Some(("schemas/pet.yaml".into(), "/properties/a"))
        );
        assert_eq!(source_of("/x-bundled/pet.yaml"), Some(("pet.yaml".into(), "")));
        assert_eq!(source_of("/components/schemas/A"), None);
    }
}
