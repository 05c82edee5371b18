//! Finds the line and column of a YAML path in a spec file.
//!
//! serde_yaml knows positions only while it parses; resolver errors are found later, on values.
//! This index is built from a second, event-level parse (yaml-rust2 reports a marker per event)
//! and only when there is an error to report, so a clean run pays nothing for it.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// YAML path (`schemas.Foo.fields.bar`, `examples[0].file`) to 1-based line and column.
pub struct Locations {
    positions: HashMap<String, (usize, usize)>,
}

impl Locations {
    pub fn index(text: &str) -> Self {
        let mut builder = Builder { frames: Vec::new(), positions: HashMap::new() };
        // A syntax error ends the index early; what was seen before it is still useful.
        let _ = Parser::new_from_str(text).load(&mut builder, false);
        Locations { positions: builder.positions }
    }

    /// Position of `path`, or of its nearest ancestor present in the file.
    pub fn find(&self, path: &str) -> Option<(usize, usize)> {
        let mut path = path;
        loop {
            if let Some(position) = self.positions.get(path) {
                return Some(*position);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}

enum Frame {
    /// `seen`: whether the container's own position has been recorded. Block collections are
    /// positioned at their first key or item (yaml-rust2 marks a block mapping's start at the
    /// first `:`, not at the key).
    Mapping {
        path: String,
        key: Option<String>,
        seen: bool,
    },
    Sequence {
        path: String,
        next: usize,
        seen: bool,
    },
}

struct Builder {
    frames: Vec<Frame>,
    positions: HashMap<String, (usize, usize)>,
}

impl Builder {
    fn record(&mut self, path: &str, mark: Marker) {
        self.positions.entry(path.to_owned()).or_insert((mark.line(), mark.col() + 1));
    }

    /// Handles a node starting at `mark`; returns its path when it is a value (not a key).
    fn node(&mut self, scalar: Option<&str>, mark: Marker) -> Option<String> {
        if let Some(Frame::Mapping { path, key: None, seen } | Frame::Sequence { path, seen, .. }) =
            self.frames.last_mut()
        {
            if !*seen {
                *seen = true;
                let path = path.clone();
                self.record(&path, mark);
            }
        }
        match self.frames.last_mut() {
            None => Some(String::new()),
            Some(Frame::Mapping { path, key, .. }) => match key.take() {
                None => {
                    // A key: remember it; complex (non-scalar) keys get an empty name.
                    let name = scalar.unwrap_or_default();
                    let full = join(path, name);
                    *key = Some(name.to_owned());
                    self.record(&full, mark);
                    None
                }
                Some(name) => Some(join(path, &name)),
            },
            Some(Frame::Sequence { path, next, .. }) => {
                let full = format!("{path}[{next}]");
                *next += 1;
                Some(full)
            }
        }
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                self.node(Some(&value), mark);
            }
            Event::Alias(_) => {
                self.node(None, mark);
            }
            Event::MappingStart(..) => {
                // A mapping used as a key is never a valid spec; index it as an empty key.
                let path = self.node(None, mark).unwrap_or_default();
                self.frames.push(Frame::Mapping { path, key: None, seen: false });
            }
            Event::SequenceStart(..) => {
                let path = self.node(None, mark).unwrap_or_default();
                self.frames.push(Frame::Sequence { path, next: 0, seen: false });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.frames.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_items_and_nearest_ancestor() {
        let text = "schemas:\n  Foo:\n    kind: object\n    fields:\n      bar: { type: strin }\nexamples:\n  - name: a\n    file: x\n  - name: b\n";
        let locations = Locations::index(text);
        assert_eq!(locations.find("schemas"), Some((1, 1)));
        assert_eq!(locations.find("schemas.Foo.kind"), Some((3, 5)));
        assert_eq!(locations.find("schemas.Foo.fields.bar.type"), Some((5, 14)));
        assert_eq!(locations.find("examples[0].file"), Some((8, 5)));
        assert_eq!(locations.find("examples[1]"), Some((9, 5)));
        assert_eq!(locations.find("schemas.Foo.fields.missing"), Some((4, 5)));
        assert_eq!(locations.find("nothing"), None);
    }
}
