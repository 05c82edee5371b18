//! A reference for the runtime's XML reader: the tree roxmltree (an independent, strict XML 1.0
//! parser; the runtime reads through quick-xml's tokenizer) sees, and the same view of the
//! runtime's [`Document`]. Shared by `tests/xml_reader.rs` and the `xml_reader` fuzz target.

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

    fn theirs(node: roxmltree::Node<'_, '_>) -> Tree {
        Tree {
            // roxmltree names the namespace of `xmlns=""` as empty: no namespace.
            namespace: node.tag_name().namespace().filter(|ns| !ns.is_empty()).map(str::to_owned),
            name: node.tag_name().name().to_owned(),
            attributes: node
                .attributes()
                .map(|a| (a.namespace().map(str::to_owned), a.name().to_owned(), a.value().to_owned()))
                .collect(),
            text: node.children().filter(|c| c.is_text()).filter_map(|c| c.text()).collect(),
            children: node.children().filter(|c| c.is_element()).map(Tree::theirs).collect(),
        }
        .normalized()
    }

    /// Carriage returns as line ends (in text) and spaces (in attribute values), wherever they
    /// came from: roxmltree keeps a carriage return written next to a reference (`\r&#10;`,
    /// `&gt;\r`) instead of normalizing it, so documents with one are compared this way (the
    /// runtime's own line-end tests in `xml_reader.rs` check the exact characters).
    fn without_carriage_returns(mut self) -> Tree {
        self.text = self.text.replace('\r', "\n");
        for (_, _, value) in &mut self.attributes {
            *value = value.replace('\r', " ");
        }
        self.children = self.children.into_iter().map(Tree::without_carriage_returns).collect();
        self
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

/// The same tree read by roxmltree; `None` when it refuses the document. A document type
/// declaration is allowed (and skipped), as the runtime's reader does.
pub fn reference(text: &str) -> Option<Tree> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, nodes_limit: u32::MAX, ..Default::default() };
    let document = roxmltree::Document::parse_with_options(text, options).ok()?;
    Some(Tree::theirs(document.root_element()))
}

/// How the runtime's reader and roxmltree agree on a document.
#[derive(Debug, PartialEq, Eq)]
pub enum Agreement {
    /// Both read it, as the same tree.
    Same,
    /// Both refused it.
    Refused,
    /// The runtime's reader refused it and roxmltree did not: the runtime is the stricter where
    /// roxmltree is lenient (it replaces a reference to a surrogate with U+FFFD, takes `<:a/>`,
    /// `xmlns:p=""` and a processing instruction's target followed by `=`).
    Stricter,
    /// Left out: it declares entities (roxmltree expands them, the runtime refuses to), or it
    /// nests deeper than the limit the runtime was given.
    Skipped,
}

/// Compares the runtime's reader with roxmltree on `text`: whatever the runtime accepts,
/// roxmltree accepts as the same tree; what the runtime refuses is [`Agreement::Refused`] or
/// [`Agreement::Stricter`]. `Err` says how they differ.
pub fn compare(text: &str, max_depth: usize) -> Result<Agreement, String> {
    if text.contains("<!ENTITY") {
        return Ok(Agreement::Skipped);
    }
    let ours = Document::parse_with_depth(text, max_depth).map(|d| Tree::ours(d.root()));
    let (ours, theirs) = match text.contains('\r') {
        true => (ours.map(Tree::without_carriage_returns), reference(text).map(Tree::without_carriage_returns)),
        false => (ours, reference(text)),
    };
    match (ours, theirs) {
        (Ok(ours), Some(theirs)) if ours == theirs => Ok(Agreement::Same),
        (Err(_), None) => Ok(Agreement::Refused),
        (Err(error), Some(_)) if error.message.contains("nest deeper") => Ok(Agreement::Skipped),
        (Err(_), Some(_)) => Ok(Agreement::Stricter),
        (ours, theirs) => Err(format!("ours: {ours:?}\nroxmltree: {theirs:?}")),
    }
}
