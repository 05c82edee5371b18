//! A reference for the runtime's XML reader: the tree quick-xml's namespace-aware reader sees,
//! and the same view of the runtime's [`Document`]. Shared by `tests/xml_reader.rs` and the
//! `xml_reader` fuzz target.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use veeam_runtime::xml::{Document, Element};

#[derive(Debug, PartialEq)]
pub struct Tree {
    namespace: Option<String>,
    name: String,
    attributes: Vec<(Option<String>, String, String)>,
    text: String,
    children: Vec<Tree>,
}

impl Tree {
    pub fn ours(element: Element<'_>) -> Tree {
        Tree {
            namespace: element.namespace().map(str::to_owned),
            name: element.name().to_owned(),
            attributes: element
                .attributes()
                .map(|(n, k, v)| (n.map(str::to_owned), k.to_owned(), v.to_owned()))
                .collect(),
            text: element.text().to_owned(),
            children: element.children().map(Tree::ours).collect(),
        }
        .normalized()
    }

    /// The text of an element with children, without its whitespace: indentation between
    /// children is not kept by the runtime's reader.
    fn normalized(mut self) -> Tree {
        if !self.children.is_empty() {
            self.text.retain(|c| !c.is_whitespace());
        }
        self
    }
}

/// The namespace a name resolved to; `Err` when its declaration holds an unknown reference.
fn namespace(resolved: ResolveResult<'_>) -> Result<Option<String>, quick_xml::escape::EscapeError> {
    Ok(match resolved {
        // quick-xml keeps a declaration's value as written; the namespace is the value after
        // whitespace normalization and references (XML 1.0 section 3.3.3).
        ResolveResult::Bound(ns) => {
            let normalized = ns.0.replace("\r\n", " ").replace(['\r', '\n', '\t'], " ");
            Some(quick_xml::escape::unescape(&normalized)?.into_owned())
        }
        _ => None,
    })
}

/// The same tree read with quick-xml's `NsReader`; `None` when quick-xml refuses the document.
pub fn reference(text: &str) -> Option<Tree> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Tree> = Vec::new();
    let mut root = None;
    loop {
        let (resolved, event) = reader.read_resolved_event().ok()?;
        let element_namespace = namespace(resolved).ok()?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let mut attributes = Vec::new();
                for attribute in start.attributes() {
                    let attribute = attribute.ok()?;
                    if attribute.key.as_namespace_binding().is_some() {
                        continue;
                    }
                    let (ns, local) = reader.resolver().resolve_attribute(attribute.key);
                    let value = attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()?;
                    let local = local.as_ref().to_owned();
                    attributes.push((namespace(ns).ok()?, local, value.into_owned()));
                }
                let tree = Tree {
                    namespace: element_namespace,
                    name: start.local_name().as_ref().to_owned(),
                    attributes,
                    text: String::new(),
                    children: Vec::new(),
                };
                if matches!(event, Event::Empty(_)) {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(tree.normalized()),
                        None => root = Some(tree),
                    }
                } else {
                    stack.push(tree);
                }
            }
            Event::End(_) => {
                let tree = stack.pop()?.normalized();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(tree),
                    None => root = Some(tree),
                }
            }
            Event::Text(text) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&text.xml10_content());
                }
            }
            Event::CData(data) => {
                let data = data.as_ref().to_owned();
                stack.last_mut()?.text.push_str(&data.replace("\r\n", "\n").replace('\r', "\n"));
            }
            Event::GeneralRef(reference) => {
                let open = stack.last_mut()?;
                match reference.resolve_char_ref().ok()? {
                    Some(c) => open.text.push(c),
                    None => open.text.push_str(quick_xml::escape::resolve_predefined_entity(reference.as_ref())?),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    root
}

/// How the runtime's reader and quick-xml's agree on a document.
#[derive(Debug, PartialEq, Eq)]
pub enum Agreement {
    /// Both read it, as the same tree.
    Same,
    /// The runtime's reader refused it (whatever quick-xml did).
    Refused,
}

/// Compares the runtime's reader with quick-xml's on `text`. The runtime's is the stricter:
/// whatever it accepts, quick-xml accepts as the same tree. `Err` says how they differ.
pub fn compare(text: &str, max_depth: usize) -> Result<Agreement, String> {
    let ours = Document::parse_with_depth(text, max_depth).map(|d| Tree::ours(d.root()));
    match (ours, reference(text)) {
        (Ok(ours), Some(theirs)) if ours == theirs => Ok(Agreement::Same),
        (Err(_), _) => Ok(Agreement::Refused),
        (ours, theirs) => Err(format!("ours: {ours:?}\nquick-xml: {theirs:?}")),
    }
}
