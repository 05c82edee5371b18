//! XML for generated models.
//!
//! Reading parses the document once, with the runtime's own reader (`parse`), into a flat arena
//! of elements that borrow their names and text from the input ([`Document`]); generated
//! `FromXml` impls then pick what they need from it in any order, skipping what they do not
//! know. The cost is linear in the document: no element stores its path (an error computes it
//! from parent links, only when it happens), and nesting deeper than a limit (default
//! [`DEFAULT_MAX_DEPTH`]) is refused as it is read. Writing streams elements in the order
//! generated `ToXml` impls give, which is the spec's (the XSD's) order, with quick-xml's writer.
//!
//! Names are matched by local name within the document's namespace: a child or attribute counts
//! when it is in the same namespace as the element it sits in, or in none.

use std::borrow::Cow;
use std::fmt;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

mod parse;

/// How deep elements may nest in a document read with [`from_str`].
pub const DEFAULT_MAX_DEPTH: usize = 128;

/// Why a document could not be read or written, and where: `/PasswordKeyInfo/Links/Link[2]/@Href`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Location in the document; `/` for the document itself.
    pub path: String,
    /// What went wrong.
    pub message: String,
    /// The text found where a value was expected, shown by `Display` but not by
    /// [`Error::without_values`].
    found: Option<String>,
}

impl Error {
    fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error { path: path.into(), message: message.into(), found: None }
    }

    /// The error without the values the reader found (for documents that may hold secrets).
    pub fn without_values(&self) -> String {
        format!("{}: {}", self.path, self.message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if let Some(found) = &self.found {
            let shown: String = found.chars().take(100).collect();
            write!(f, ", found `{shown}`{}", if found.chars().count() > 100 { "…" } else { "" })?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Reads a model from a document.
pub trait FromXml: Sized {
    /// Root element name of the type when it is a whole document.
    const XML_NAME: &'static str;
    /// Builds the value from an element (the root element of a document, or a child element).
    fn from_xml(element: Element<'_>) -> Result<Self, Error>;
}

/// Writes a model as a document.
pub trait ToXml {
    /// Root element name of the type when it is a whole document.
    const XML_NAME: &'static str;
    /// Namespace declared on the root element.
    const XML_NAMESPACE: Option<&'static str>;
    /// Writes the value as the element `name` (attributes, then children in spec order).
    fn to_xml(&self, writer: &mut Writer, name: &str) -> Result<(), Error>;
}

/// A value written as text: an element's content or an attribute's value.
pub trait XmlScalar: Sized {
    /// Parses the text; the error says what was expected.
    fn from_xml_text(text: &str) -> Result<Self, String>;
    /// The text to write.
    fn to_xml_text(&self) -> Cow<'_, str>;
    /// Whether an empty element or attribute means "no value" rather than an empty value.
    /// True for everything but strings.
    const EMPTY_IS_ABSENT: bool = true;
}

/// Parses a document into `T` (nesting up to [`DEFAULT_MAX_DEPTH`]). The root element's name is
/// not checked: the operation decides what a document is, and list documents are named
/// inconsistently across server versions.
pub fn from_str<T: FromXml>(text: &str) -> Result<T, Error> {
    from_str_with_depth(text, DEFAULT_MAX_DEPTH)
}

/// [`from_str`] with another nesting limit.
pub fn from_str_with_depth<T: FromXml>(text: &str, max_depth: usize) -> Result<T, Error> {
    let document = Document::parse_with_depth(text, max_depth)?;
    T::from_xml(document.root())
}

/// Parses a document into `T` only if its root element is `T`'s (for error bodies, where an HTML
/// page or another document must not pass for an empty error).
pub fn from_str_checked<T: FromXml>(text: &str, max_depth: usize) -> Result<T, Error> {
    let document = Document::parse_with_depth(text, max_depth)?;
    let root = document.root();
    if root.name() != T::XML_NAME {
        let message = format!("expected the document element `{}`, found `{}`", T::XML_NAME, root.name());
        return Err(Error::new("/", message));
    }
    T::from_xml(root)
}

/// Writes `value` as a document, with its namespace on the root element.
pub fn to_string<T: ToXml>(value: &T) -> Result<String, Error> {
    let mut writer = Writer::new(T::XML_NAMESPACE);
    value.to_xml(&mut writer, T::XML_NAME)?;
    writer.finish()
}

/// Writes `value` as a bare element `name`: no XML declaration, no namespace. For documented
/// fragments (`<FlrSettings>…</FlrSettings>`) and embedding in other documents.
pub fn fragment_to_string<T: ToXml>(value: &T, name: &str) -> Result<String, Error> {
    let mut writer = Writer::new(None);
    writer.fragment = true;
    value.to_xml(&mut writer, name)?;
    writer.finish()
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Elements shown at each end of the path of a very deep element.
const PATH_ENDS: usize = 16;

/// No node: the end of a sibling list.
const NONE: u32 = u32::MAX;

/// A parsed document: its elements in one arena, names and text borrowed from the input where
/// they need no unescaping.
#[derive(Debug)]
pub struct Document<'a> {
    nodes: Vec<Node<'a>>,
    attributes: Vec<Attribute<'a>>,
    /// Namespace URIs, interned; nodes refer to them by index + 1 (0: none).
    namespaces: Vec<String>,
}

#[derive(Debug)]
struct Node<'a> {
    name: &'a str,
    namespace: u32,
    parent: u32,
    first_child: u32,
    next_sibling: u32,
    attributes: (u32, u32),
    text: Cow<'a, str>,
}

#[derive(Debug)]
struct Attribute<'a> {
    namespace: u32,
    name: &'a str,
    value: Cow<'a, str>,
}

impl<'a> Document<'a> {
    /// The document element.
    pub fn root(&self) -> Element<'_> {
        Element { document: self, index: 0 }
    }

    /// `/Root/Child[2]`: the position of a node, computed from its parents (only on errors).
    fn path_of(&self, index: u32) -> String {
        let mut chain = Vec::new();
        let mut node = index;
        while node != NONE {
            chain.push(node);
            node = self.nodes[node as usize].parent;
        }
        // Paths of absurdly deep elements keep their two ends.
        let skipped = chain.len().saturating_sub(2 * PATH_ENDS);
        let mut path = String::new();
        for (depth, &node) in chain.iter().rev().enumerate() {
            if skipped > 0 && (PATH_ENDS..PATH_ENDS + skipped).contains(&depth) {
                if depth == PATH_ENDS {
                    path.push_str(&format!("/…{skipped} levels…"));
                }
                continue;
            }
            let current = &self.nodes[node as usize];
            path.push('/');
            path.push_str(current.name);
            if current.parent != NONE {
                let mut position = 0;
                let mut same = 0;
                let mut sibling = self.nodes[current.parent as usize].first_child;
                while sibling != NONE {
                    if self.nodes[sibling as usize].name == current.name {
                        same += 1;
                        if sibling == node {
                            position = same;
                        }
                    }
                    sibling = self.nodes[sibling as usize].next_sibling;
                }
                if same > 1 {
                    path.push_str(&format!("[{position}]"));
                }
            }
        }
        path
    }
}

/// An element of a [`Document`]: a cheap handle (`Copy`).
#[derive(Clone, Copy)]
pub struct Element<'d> {
    document: &'d Document<'d>,
    index: u32,
}

impl fmt::Debug for Element<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}> at {}", self.name(), self.path())
    }
}

impl fmt::Display for Element<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}>", self.name())
    }
}

impl<'d> Element<'d> {
    fn node(&self) -> &'d Node<'d> {
        &self.document.nodes[self.index as usize]
    }

    /// Local name (prefix removed).
    pub fn name(&self) -> &'d str {
        self.node().name
    }

    /// Resolved namespace URI, if any.
    pub fn namespace(&self) -> Option<&'d str> {
        let index = self.node().namespace as usize;
        index.checked_sub(1).and_then(|i| self.document.namespaces.get(i)).map(String::as_str)
    }

    /// Text content: text and CDATA directly inside the element, concatenated. Whitespace-only
    /// text next to child elements (indentation) is not kept.
    pub fn text(&self) -> &'d str {
        &self.node().text
    }

    /// Location, for errors: `/Root/Child[2]`.
    pub fn path(&self) -> String {
        self.document.path_of(self.index)
    }

    /// Child elements, in document order.
    pub fn children(&self) -> impl Iterator<Item = Element<'d>> + 'd {
        let document = self.document;
        let mut next = self.node().first_child;
        std::iter::from_fn(move || {
            let index = next;
            if index == NONE {
                return None;
            }
            next = document.nodes[index as usize].next_sibling;
            Some(Element { document, index })
        })
    }

    /// Attributes other than namespace declarations: namespace, local name and value.
    pub fn attributes(&self) -> impl Iterator<Item = (Option<&'d str>, &'d str, &'d str)> + 'd {
        let document = self.document;
        let (first, end) = self.node().attributes;
        document.attributes[first as usize..end as usize].iter().map(move |attribute| {
            let namespace = (attribute.namespace as usize).checked_sub(1).and_then(|i| document.namespaces.get(i));
            (namespace.map(String::as_str), attribute.name, attribute.value.as_ref())
        })
    }

    /// Whether a namespace counts as this element's: the same one, or none.
    fn in_scope(&self, namespace: u32) -> bool {
        namespace == 0 || namespace == self.node().namespace
    }

    /// Children named `name`, in document order.
    pub fn children_named(&self, name: &'d str) -> impl Iterator<Item = Element<'d>> + 'd {
        let this = *self;
        self.children().filter(move |c| c.node().name == name && this.in_scope(c.node().namespace))
    }

    /// The first child named `name`.
    pub fn child_named(&self, name: &'d str) -> Option<Element<'d>> {
        self.children_named(name).next()
    }

    /// The value of the attribute `name`.
    pub fn attribute_named(&self, name: &str) -> Option<&'d str> {
        let (first, end) = self.node().attributes;
        self.document.attributes[first as usize..end as usize]
            .iter()
            // Byte by byte: names are short, a call to `memcmp` per candidate costs more.
            .find(|a| a.name.len() == name.len() && a.name.bytes().eq(name.bytes()) && self.in_scope(a.namespace))
            .map(|a| a.value.as_ref())
    }

    fn missing(&self, what: &str) -> Error {
        Error::new(self.path(), format!("missing {what}"))
    }

    // Helpers called by generated `FromXml` impls: each is `Option` for optional fields; the
    // generated code calls `required` on the result for required ones.

    /// A scalar attribute.
    pub fn attr<T: XmlScalar>(&self, name: &str) -> Result<Option<T>, Error> {
        match self.attribute_named(name) {
            None => Ok(None),
            Some(text) => scalar(text, || format!("{}/@{name}", self.path())),
        }
    }

    /// A scalar child element.
    pub fn scalar<T: XmlScalar>(&self, name: &'d str) -> Result<Option<T>, Error> {
        match self.child_named(name) {
            None => Ok(None),
            Some(child) => child.content(),
        }
    }

    /// The element's own text as a scalar.
    pub fn content<T: XmlScalar>(&self) -> Result<Option<T>, Error> {
        scalar(self.text(), || self.path())
    }

    /// A model child element.
    pub fn model<T: FromXml>(&self, name: &'d str) -> Result<Option<T>, Error> {
        self.child_named(name).map(T::from_xml).transpose()
    }

    /// Scalar items repeated flat: `<Tag>a</Tag><Tag>b</Tag>`. `None` when there are none.
    pub fn scalars<T: XmlScalar>(&self, name: &'d str) -> Result<Option<Vec<T>>, Error> {
        list(self.children_named(name), |c| c.content::<T>().and_then(|v| v.ok_or_else(|| c.missing("a value"))))
    }

    /// Model items repeated flat. `None` when there are none.
    pub fn models<T: FromXml>(&self, name: &'d str) -> Result<Option<Vec<T>>, Error> {
        list(self.children_named(name), T::from_xml)
    }

    /// Scalar items inside a wrapper element: `<Tags><Tag>a</Tag></Tags>`. `None` without the
    /// wrapper; an empty list with an empty wrapper.
    pub fn wrapped_scalars<T: XmlScalar>(&self, wrapper: &'d str, item: &'d str) -> Result<Option<Vec<T>>, Error> {
        match self.child_named(wrapper) {
            None => Ok(None),
            Some(wrapper) => Ok(Some(wrapper.scalars(item)?.unwrap_or_default())),
        }
    }

    /// Model items inside a wrapper element: `<Links><Link/></Links>`.
    pub fn wrapped_models<T: FromXml>(&self, wrapper: &'d str, item: &'d str) -> Result<Option<Vec<T>>, Error> {
        match self.child_named(wrapper) {
            None => Ok(None),
            Some(wrapper) => Ok(Some(wrapper.models(item)?.unwrap_or_default())),
        }
    }

    /// The text of an attribute, else of a child element, named `name`: a union's
    /// discriminator.
    pub fn tag(&self, name: &str) -> Option<&'d str> {
        self.attribute_named(name)
            .or_else(|| self.children().find(|c| c.name() == name).map(|c| c.text()))
            .map(str::trim)
    }

    /// The error when no alternative of the union `union` takes this element.
    pub fn no_variant(&self, union: &str) -> Error {
        Error::new(self.path(), format!("the element matches none of the alternatives of `{union}`"))
    }

    /// Turns a missing required value into an error naming it.
    pub fn required<T>(&self, value: Option<T>, what: &str) -> Result<T, Error> {
        value.ok_or_else(|| self.missing(what))
    }
}

fn scalar<T: XmlScalar>(text: &str, path: impl FnOnce() -> String) -> Result<Option<T>, Error> {
    if T::EMPTY_IS_ABSENT && text.trim().is_empty() {
        return Ok(None);
    }
    T::from_xml_text(text).map(Some).map_err(|expected| Error {
        path: path(),
        message: format!("expected {expected}"),
        found: Some(text.to_owned()),
    })
}

fn list<'d, T>(
    items: impl Iterator<Item = Element<'d>>,
    read: impl Fn(Element<'d>) -> Result<T, Error>,
) -> Result<Option<Vec<T>>, Error> {
    let items = items.map(read).collect::<Result<Vec<T>, Error>>()?;
    Ok((!items.is_empty()).then_some(items))
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Streams a document. Generated `ToXml` impls call `start`, `attr`, the child writers, `end`.
pub struct Writer {
    inner: quick_xml::Writer<Vec<u8>>,
    namespace: Option<&'static str>,
    /// Start tag being built: attributes can still be added.
    pending: Option<BytesStart<'static>>,
    depth: usize,
    /// Writing a fragment: no XML declaration.
    fragment: bool,
}

impl Writer {
    fn new(namespace: Option<&'static str>) -> Self {
        Writer { inner: quick_xml::Writer::new(Vec::new()), namespace, pending: None, depth: 0, fragment: false }
    }

    fn io(error: std::io::Error) -> Error {
        Error::new("/", format!("cannot write: {error}"))
    }

    fn flush_start(&mut self) -> Result<(), Error> {
        if let Some(start) = self.pending.take() {
            self.inner.write_event(Event::Start(start)).map_err(Self::io)?;
        }
        Ok(())
    }

    /// Opens the element `name`; the document's root gets the namespace declaration.
    pub fn start(&mut self, name: &str) -> Result<(), Error> {
        self.flush_start()?;
        if self.depth == 0 && !self.fragment {
            let declaration = BytesDecl::new("1.0", Some("utf-8"), None);
            self.inner.write_event(Event::Decl(declaration)).map_err(Self::io)?;
        }
        let mut start = BytesStart::new(name.to_owned());
        if self.depth == 0 {
            if let Some(namespace) = self.namespace {
                start.push_attribute(("xmlns", namespace));
            }
        }
        self.pending = Some(start);
        self.depth += 1;
        Ok(())
    }

    /// Adds an attribute to the element just opened; `None` writes nothing.
    pub fn attr<T: XmlScalar>(&mut self, name: &str, value: Option<&T>) -> Result<(), Error> {
        let Some(value) = value else { return Ok(()) };
        match self.pending.as_mut() {
            Some(start) => {
                start.push_attribute((name, value.to_xml_text().as_ref()));
                Ok(())
            }
            None => Err(Error::new("/", format!("attribute `{name}` written after the element's content"))),
        }
    }

    /// Writes the open element's text.
    pub fn text<T: XmlScalar>(&mut self, value: Option<&T>) -> Result<(), Error> {
        let Some(value) = value else { return Ok(()) };
        self.flush_start()?;
        let text = value.to_xml_text();
        self.inner.write_event(Event::Text(BytesText::new(&text))).map_err(Self::io)
    }

    /// Closes the element `name` (as `<name/>` when it got no content).
    pub fn end(&mut self, name: &str) -> Result<(), Error> {
        self.depth = self.depth.saturating_sub(1);
        match self.pending.take() {
            Some(start) => self.inner.write_event(Event::Empty(start)).map_err(Self::io),
            None => self.inner.write_event(Event::End(BytesEnd::new(name))).map_err(Self::io),
        }
    }

    /// `<name>text</name>`; `None` writes nothing.
    pub fn scalar<T: XmlScalar>(&mut self, name: &str, value: Option<&T>) -> Result<(), Error> {
        let Some(value) = value else { return Ok(()) };
        self.start(name)?;
        self.text(Some(value))?;
        self.end(name)
    }

    /// `<name/>`: how a nullable field without a value is written.
    pub fn empty(&mut self, name: &str) -> Result<(), Error> {
        self.start(name)?;
        self.end(name)
    }

    /// A model as the element `name`; `None` writes nothing.
    pub fn model<T: ToXml>(&mut self, name: &str, value: Option<&T>) -> Result<(), Error> {
        match value {
            Some(value) => value.to_xml(self, name),
            None => Ok(()),
        }
    }

    /// Scalar items repeated flat.
    pub fn scalars<T: XmlScalar>(&mut self, name: &str, items: Option<&[T]>) -> Result<(), Error> {
        for item in items.unwrap_or_default() {
            self.scalar(name, Some(item))?;
        }
        Ok(())
    }

    /// Model items repeated flat.
    pub fn models<T: ToXml>(&mut self, name: &str, items: Option<&[T]>) -> Result<(), Error> {
        for item in items.unwrap_or_default() {
            item.to_xml(self, name)?;
        }
        Ok(())
    }

    /// Scalar items in a wrapper element; `None` writes nothing, an empty list an empty wrapper.
    pub fn wrapped_scalars<T: XmlScalar>(
        &mut self,
        wrapper: &str,
        item: &str,
        items: Option<&[T]>,
    ) -> Result<(), Error> {
        let Some(items) = items else { return Ok(()) };
        self.start(wrapper)?;
        self.scalars(item, Some(items))?;
        self.end(wrapper)
    }

    /// Model items in a wrapper element.
    pub fn wrapped_models<T: ToXml>(&mut self, wrapper: &str, item: &str, items: Option<&[T]>) -> Result<(), Error> {
        let Some(items) = items else { return Ok(()) };
        self.start(wrapper)?;
        self.models(item, Some(items))?;
        self.end(wrapper)
    }

    fn finish(mut self) -> Result<String, Error> {
        self.flush_start()?;
        String::from_utf8(self.inner.into_inner()).map_err(|e| Error::new("/", format!("not UTF-8: {e}")))
    }
}

// ---------------------------------------------------------------------------------------------
// Scalars

impl XmlScalar for String {
    const EMPTY_IS_ABSENT: bool = false;
    fn from_xml_text(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl XmlScalar for bool {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        crate::json::parse_bool(text).ok_or_else(|| "a boolean (`true` or `false`)".to_owned())
    }
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! parsed_scalar {
    ($($ty:ty => $what:literal),* $(,)?) => {$(
        impl XmlScalar for $ty {
            fn from_xml_text(text: &str) -> Result<Self, String> {
                text.trim().parse().map_err(|_| $what.to_owned())
            }
            fn to_xml_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}

parsed_scalar! {
    i32 => "a 32-bit integer",
    i64 => "a 64-bit integer",
    f64 => "a number",
    uuid::Uuid => "a UUID",
    crate::DateTime => "an RFC 3339 date-time",
    crate::Date => "a date (YYYY-MM-DD)",
}

// ---------------------------------------------------------------------------------------------
// Comparing documents (tests of round trips)

/// Whether two elements are the same tree: names and namespaces, attributes as a set (order
/// never matters, namespace declarations are ignored), children in order (or, with `ordered`
/// false, in any order), text with surrounding whitespace ignored. Scalar texts also match when
/// they are the same boolean in another case (`True` / `true`) or the same instant with the same
/// offset (`Z` / `+00:00`): the forms the readers accept and the writers normalise.
pub fn same_tree(a: Element<'_>, b: Element<'_>, ordered: bool) -> Result<(), String> {
    let text_matches = |x: &str, y: &str| {
        let (x, y) = (x.trim(), y.trim());
        x == y
            || matches!((crate::json::parse_bool(x), crate::json::parse_bool(y)), (Some(p), Some(q)) if p == q && !x.is_empty())
            || matches!((x.parse::<crate::DateTime>(), y.parse::<crate::DateTime>()), (Ok(p), Ok(q)) if p == q)
    };
    if a.name() != b.name() || a.namespace() != b.namespace() {
        return Err(format!("{}: element `{}` vs `{}`", a.path(), a.name(), b.name()));
    }
    let mut left: Vec<_> = a.attributes().collect();
    let mut right: Vec<_> = b.attributes().collect();
    left.sort();
    right.sort();
    let attributes_match = left.len() == right.len()
        && left.iter().zip(&right).all(|(x, y)| x.0 == y.0 && x.1 == y.1 && text_matches(x.2, y.2));
    if !attributes_match {
        return Err(format!("{}: attributes {left:?} vs {right:?}", a.path()));
    }
    let mut a_children: Vec<Element<'_>> = a.children().collect();
    let mut b_children: Vec<Element<'_>> = b.children().collect();
    if a_children.is_empty() && b_children.is_empty() && !text_matches(a.text(), b.text()) {
        return Err(format!("{}: text `{}` vs `{}`", a.path(), a.text().trim(), b.text().trim()));
    }
    if a_children.len() != b_children.len() {
        let names = |children: &[Element<'_>]| children.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ");
        return Err(format!("{}: children [{}] vs [{}]", a.path(), names(&a_children), names(&b_children)));
    }
    if !ordered {
        a_children.sort_by_key(|c| c.name());
        b_children.sort_by_key(|c| c.name());
    }
    a_children.into_iter().zip(b_children).try_for_each(|(x, y)| same_tree(x, y, ordered))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_prefixes_and_computes_paths_on_demand() {
        let doc = r#"<?xml version="1.0"?><ent:Info xmlns:ent="urn:x" ent:Type="A" Href="h"><ent:Id>1</ent:Id><ent:Id>2</ent:Id><other:Id xmlns:other="urn:y">3</other:Id></ent:Info>"#;
        let document = Document::parse(doc).unwrap();
        let root = document.root();
        assert_eq!(root.name(), "Info");
        assert_eq!(root.namespace(), Some("urn:x"));
        assert_eq!(root.attribute_named("Type"), Some("A"));
        assert_eq!(root.attribute_named("Href"), Some("h"));
        let ids: Vec<_> = root.children_named("Id").map(|c| c.text()).collect();
        assert_eq!(ids, ["1", "2"], "an element of another namespace is not ours");
        assert_eq!(root.children().nth(1).unwrap().path(), "/Info/Id[2]");
        assert_eq!(root.children().nth(2).unwrap().path(), "/Info/Id[3]");
        assert_eq!(root.scalar::<i32>("Id").unwrap(), Some(1));
    }

    #[test]
    fn malformed_documents_are_errors() {
        for doc in
            ["", "<a>", "<a></b>", "<a x='1' x='2'/>", "<p:a/>", "<a>&nope;</a>", "<a/><b/>", "<a/>text", "x<a/>"]
        {
            assert!(Document::parse(doc).is_err(), "{doc}");
        }
        let error = Document::parse("<a><b>x</b><b>y</a>").unwrap_err();
        assert!(error.message.contains("malformed XML"), "{error}");
        assert_eq!(error.path, "/a/b[2]");
    }

    #[test]
    fn entities_and_cdata() {
        let document = Document::parse("<a>x &amp; y &#65;<![CDATA[<z>]]></a>").unwrap();
        assert_eq!(document.root().text(), "x & y A<z>");
        let document = Document::parse("<a b='1 &lt; 2'>plain</a>").unwrap();
        assert_eq!(document.root().attribute_named("b"), Some("1 < 2"));
        assert!(matches!(document.nodes[0].text, Cow::Borrowed("plain")), "plain text is borrowed");
    }

    #[test]
    fn scalar_errors_name_the_place_and_can_leave_out_the_value() {
        let document = Document::parse("<a><n>1</n><n>seven</n></a>").unwrap();
        let error = document.root().scalars::<i32>("n").unwrap_err();
        assert_eq!(error.to_string(), "/a/n[2]: expected a 32-bit integer, found `seven`");
        assert_eq!(error.without_values(), "/a/n[2]: expected a 32-bit integer");
    }

    #[test]
    fn nesting_is_limited() {
        let deep = format!("{}{}", "<a>".repeat(200), "</a>".repeat(200));
        let error = Document::parse(&deep).unwrap_err();
        assert!(error.message.contains("deeper than 128"), "{error}");
        assert!(Document::parse_with_depth(&deep, 200).is_ok());
        // A limit far below the document: refused early, the error's path only as long as it.
        let error = Document::parse_with_depth(&deep, 3).unwrap_err();
        assert_eq!(error.path, "/a/a/a");
        // Paths of very deep elements keep their ends.
        let error = Document::parse_with_depth(&deep.replace("</a></a>", "</a></b>"), 1000).unwrap_err();
        assert!(error.path.starts_with("/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/…167 levels…/a/"), "{}", error.path);
    }

    #[test]
    fn unordered_comparison() {
        let a = Document::parse("<r><x>1</x><y>2</y></r>").unwrap();
        let b = Document::parse("<r><y>2</y><x>1</x></r>").unwrap();
        assert!(same_tree(a.root(), b.root(), true).is_err());
        assert!(same_tree(a.root(), b.root(), false).is_ok());
    }
}
