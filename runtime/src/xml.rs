//! XML for generated models, on quick-xml.
//!
//! Reading parses the document into a small element tree (namespaces resolved by quick-xml's
//! `NsReader`, never by comparing prefixes), then generated `FromXml` impls pick what they need
//! from it in any order, skipping what they do not know. Writing streams elements in the order
//! generated `ToXml` impls give, which is the spec's (the XSD's) order.
//!
//! Names are matched by local name within the document's namespace: a child or attribute counts
//! when it is in the same namespace as the element it sits in, or in none.

use std::borrow::Cow;
use std::fmt;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// Why a document could not be read or written, and where: `/PasswordKeyInfo/Links/Link[2]/@Href`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct Error {
    /// Location in the document; `/` for the document itself.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

impl Error {
    fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error { path: path.into(), message: message.into() }
    }
}

/// Reads a model from a document.
pub trait FromXml: Sized {
    /// Root element name of the type when it is a whole document.
    const XML_NAME: &'static str;
    /// Builds the value from an element (the root element of a document, or a child element).
    fn from_xml(element: &Element) -> Result<Self, Error>;
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

/// Parses a document into `T`. The root element's name is not checked: the operation decides what
/// a document is, and list documents are named inconsistently across server versions.
pub fn from_str<T: FromXml>(text: &str) -> Result<T, Error> {
    T::from_xml(&Element::parse(text)?)
}

/// Parses a document into `T` only if its root element is `T`'s (for error bodies, where an HTML
/// page or another document must not pass for an empty error).
pub fn from_str_checked<T: FromXml>(text: &str) -> Result<T, Error> {
    let root = Element::parse(text)?;
    if root.name != T::XML_NAME {
        return Err(Error::new("/", format!("expected the document element `{}`, found `{}`", T::XML_NAME, root.name)));
    }
    T::from_xml(&root)
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

/// An element of a parsed document.
#[derive(Debug, Clone)]
pub struct Element {
    /// Resolved namespace URI, if any.
    pub namespace: Option<String>,
    /// Local name (prefix removed).
    pub name: String,
    /// Attributes other than namespace declarations.
    pub attributes: Vec<Attribute>,
    /// Child elements, in document order.
    pub children: Vec<Element>,
    /// Text content (concatenated text and CDATA directly inside the element).
    pub text: String,
    /// Location, for errors: `/Root/Child[2]`.
    pub path: String,
}

/// An attribute of a parsed element.
#[derive(Debug, Clone)]
pub struct Attribute {
    /// Resolved namespace; unprefixed attributes have none.
    pub namespace: Option<String>,
    /// Local name.
    pub name: String,
    /// Unescaped value.
    pub value: String,
}

fn namespace_of(resolved: ResolveResult<'_>, path: &str) -> Result<Option<String>, Error> {
    match resolved {
        ResolveResult::Bound(ns) => Ok(Some(ns.0.to_owned())),
        ResolveResult::Unbound => Ok(None),
        ResolveResult::Unknown(prefix) => Err(Error::new(path, format!("undeclared namespace prefix `{prefix}`"))),
    }
}

/// Text of a predefined entity or character reference.
fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

impl Element {
    /// Parses a whole document; malformed XML is an error naming where it was found.
    pub fn parse(text: &str) -> Result<Element, Error> {
        let mut reader = NsReader::from_str(text);
        reader.config_mut().check_end_names = true;
        let mut stack: Vec<Element> = Vec::new();
        let mut root: Option<Element> = None;
        let syntax = |reader: &NsReader<&[u8]>, error: quick_xml::Error, stack: &[Element]| {
            let path = stack.last().map_or("/".to_owned(), |e| e.path.clone());
            Error::new(path, format!("malformed XML at byte {}: {error}", reader.error_position()))
        };
        loop {
            let (resolved, event) = match reader.read_resolved_event() {
                Ok((resolved, event)) => (namespace_of(resolved, "/"), event),
                Err(error) => return Err(syntax(&reader, error, &stack)),
            };
            match event {
                Event::Start(start) | Event::Empty(start) if root.is_some() => {
                    let _ = start;
                    return Err(Error::new("/", "content after the document element"));
                }
                Event::Start(ref start) | Event::Empty(ref start) => {
                    let is_empty = matches!(event, Event::Empty(_));
                    let name = start.local_name().as_ref().to_owned();
                    let path = match stack.last() {
                        None => format!("/{name}"),
                        Some(parent) => {
                            let same = parent.children.iter().filter(|c| c.name == name).count();
                            if same == 0 {
                                format!("{}/{name}", parent.path)
                            } else {
                                format!("{}/{name}[{}]", parent.path, same + 1)
                            }
                        }
                    };
                    let namespace = resolved.map_err(|e| Error::new(path.clone(), e.message))?;
                    let mut attributes = Vec::new();
                    for attribute in start.attributes() {
                        let attribute =
                            attribute.map_err(|e| Error::new(path.clone(), format!("malformed attribute: {e}")))?;
                        let key = attribute.key;
                        if key.as_namespace_binding().is_some() {
                            continue;
                        }
                        let (resolved, local) = reader.resolver().resolve_attribute(key);
                        let local = local.as_ref().to_owned();
                        let namespace = namespace_of(resolved, &path)?;
                        let value = attribute
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map_err(|e| Error::new(format!("{path}/@{local}"), format!("malformed value: {e}")))?
                            .into_owned();
                        attributes.push(Attribute { namespace, name: local, value });
                    }
                    let element =
                        Element { namespace, name, attributes, children: Vec::new(), text: String::new(), path };
                    if is_empty {
                        match stack.last_mut() {
                            Some(parent) => parent.children.push(element),
                            None => root = Some(element),
                        }
                    } else {
                        stack.push(element);
                    }
                }
                Event::End(_) => {
                    let Some(element) = stack.pop() else {
                        return Err(Error::new("/", "unexpected end tag"));
                    };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(element),
                        None => root = Some(element),
                    }
                }
                Event::Text(text) => {
                    let content = text.xml10_content();
                    match stack.last_mut() {
                        Some(element) => element.text.push_str(&content),
                        None if content.trim().is_empty() => {}
                        None => return Err(Error::new("/", "text outside the document element")),
                    }
                }
                Event::CData(data) => {
                    let content = data.as_ref().to_owned();
                    if let Some(element) = stack.last_mut() {
                        element.text.push_str(&content);
                    }
                }
                Event::GeneralRef(reference) => {
                    let path = stack.last().map_or("/".to_owned(), |e| e.path.clone());
                    let character = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c,
                        Ok(None) => {
                            let name = reference.as_ref().to_owned();
                            entity(&name)
                                .ok_or_else(|| Error::new(path.clone(), format!("unknown entity `&{name};`")))?
                        }
                        Err(error) => return Err(Error::new(path, format!("invalid character reference: {error}"))),
                    };
                    if let Some(element) = stack.last_mut() {
                        element.text.push(character);
                    }
                }
                Event::Eof => break,
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
        if let Some(open) = stack.last() {
            return Err(Error::new(open.path.clone(), "document ends before the element is closed"));
        }
        root.ok_or_else(|| Error::new("/", "no document element"))
    }

    /// Whether `other`'s namespace counts as this element's: the same one, or none.
    fn in_scope(&self, namespace: &Option<String>) -> bool {
        namespace.is_none() || *namespace == self.namespace
    }

    /// Children named `name`, in document order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name && self.in_scope(&c.namespace))
    }

    /// The first child named `name`.
    pub fn child_named<'a>(&'a self, name: &'a str) -> Option<&'a Element> {
        self.children_named(name).next()
    }

    /// The value of the attribute `name`.
    pub fn attribute_named(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|a| a.name == name && self.in_scope(&a.namespace)).map(|a| a.value.as_str())
    }

    fn missing(&self, what: &str) -> Error {
        Error::new(self.path.clone(), format!("missing {what}"))
    }

    // Helpers called by generated `FromXml` impls: each is `Option` for optional fields; the
    // generated code calls `required` on the result for required ones.

    /// A scalar attribute.
    pub fn attr<T: XmlScalar>(&self, name: &str) -> Result<Option<T>, Error> {
        match self.attribute_named(name) {
            None => Ok(None),
            Some(text) => scalar(text, &format!("{}/@{name}", self.path)),
        }
    }

    /// A scalar child element.
    pub fn scalar<T: XmlScalar>(&self, name: &str) -> Result<Option<T>, Error> {
        match self.child_named(name) {
            None => Ok(None),
            Some(child) => child.content(),
        }
    }

    /// The element's own text as a scalar.
    pub fn content<T: XmlScalar>(&self) -> Result<Option<T>, Error> {
        scalar(&self.text, &self.path)
    }

    /// A model child element.
    pub fn model<T: FromXml>(&self, name: &str) -> Result<Option<T>, Error> {
        self.child_named(name).map(T::from_xml).transpose()
    }

    /// Scalar items repeated flat: `<Tag>a</Tag><Tag>b</Tag>`. `None` when there are none.
    pub fn scalars<T: XmlScalar>(&self, name: &str) -> Result<Option<Vec<T>>, Error> {
        list(self.children_named(name), |c| c.content::<T>().and_then(|v| v.ok_or_else(|| c.missing("a value"))))
    }

    /// Model items repeated flat. `None` when there are none.
    pub fn models<T: FromXml>(&self, name: &str) -> Result<Option<Vec<T>>, Error> {
        list(self.children_named(name), T::from_xml)
    }

    /// Scalar items inside a wrapper element: `<Tags><Tag>a</Tag></Tags>`. `None` without the
    /// wrapper; an empty list with an empty wrapper.
    pub fn wrapped_scalars<T: XmlScalar>(&self, wrapper: &str, item: &str) -> Result<Option<Vec<T>>, Error> {
        match self.child_named(wrapper) {
            None => Ok(None),
            Some(wrapper) => Ok(Some(wrapper.scalars(item)?.unwrap_or_default())),
        }
    }

    /// Model items inside a wrapper element: `<Links><Link/></Links>`.
    pub fn wrapped_models<T: FromXml>(&self, wrapper: &str, item: &str) -> Result<Option<Vec<T>>, Error> {
        match self.child_named(wrapper) {
            None => Ok(None),
            Some(wrapper) => Ok(Some(wrapper.models(item)?.unwrap_or_default())),
        }
    }

    /// Turns a missing required value into an error naming it.
    pub fn required<T>(&self, value: Option<T>, what: &str) -> Result<T, Error> {
        value.ok_or_else(|| self.missing(what))
    }
}

fn scalar<T: XmlScalar>(text: &str, path: &str) -> Result<Option<T>, Error> {
    if T::EMPTY_IS_ABSENT && text.trim().is_empty() {
        return Ok(None);
    }
    T::from_xml_text(text)
        .map(Some)
        .map_err(|expected| Error::new(path, format!("expected {expected}, found `{text}`")))
}

fn list<'a, T>(
    items: impl Iterator<Item = &'a Element>,
    read: impl Fn(&'a Element) -> Result<T, Error>,
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

/// Whether two documents are the same tree: names and namespaces, attributes as a set (order
/// never matters, namespace declarations are ignored), children in order, text with surrounding
/// whitespace ignored. Scalar texts also match when they are the same boolean in another case
/// (`True` / `true`) or the same instant with the same offset (`Z` / `+00:00`): the forms the
/// readers accept and the writers normalise.
pub fn same_tree(a: &Element, b: &Element) -> Result<(), String> {
    let text_matches = |x: &str, y: &str| {
        let (x, y) = (x.trim(), y.trim());
        x == y
            || matches!((crate::json::parse_bool(x), crate::json::parse_bool(y)), (Some(p), Some(q)) if p == q && !x.is_empty())
            || matches!((x.parse::<crate::DateTime>(), y.parse::<crate::DateTime>()), (Ok(p), Ok(q)) if p == q)
    };
    if a.name != b.name || a.namespace != b.namespace {
        return Err(format!("{}: element `{}` vs `{}`", a.path, a.name, b.name));
    }
    let mut left: Vec<_> = a.attributes.iter().map(|x| (&x.namespace, &x.name, &x.value)).collect();
    let mut right: Vec<_> = b.attributes.iter().map(|x| (&x.namespace, &x.name, &x.value)).collect();
    left.sort();
    right.sort();
    let attributes_match = left.len() == right.len()
        && left.iter().zip(&right).all(|(x, y)| x.0 == y.0 && x.1 == y.1 && text_matches(x.2, y.2));
    if !attributes_match {
        return Err(format!("{}: attributes {left:?} vs {right:?}", a.path));
    }
    if a.children.is_empty() && b.children.is_empty() && !text_matches(&a.text, &b.text) {
        return Err(format!("{}: text `{}` vs `{}`", a.path, a.text.trim(), b.text.trim()));
    }
    if a.children.len() != b.children.len() {
        let names = |e: &Element| e.children.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(", ");
        return Err(format!("{}: children [{}] vs [{}]", a.path, names(a), names(b)));
    }
    a.children.iter().zip(&b.children).try_for_each(|(x, y)| same_tree(x, y))
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}>", self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_prefixes_and_keeps_paths() {
        let doc = r#"<?xml version="1.0"?><ent:Info xmlns:ent="urn:x" ent:Type="A" Href="h"><ent:Id>1</ent:Id><ent:Id>2</ent:Id><other:Id xmlns:other="urn:y">3</other:Id></ent:Info>"#;
        let root = Element::parse(doc).unwrap();
        assert_eq!(root.name, "Info");
        assert_eq!(root.namespace.as_deref(), Some("urn:x"));
        assert_eq!(root.attribute_named("Type"), Some("A"));
        assert_eq!(root.attribute_named("Href"), Some("h"));
        let ids: Vec<_> = root.children_named("Id").map(|c| c.text.as_str()).collect();
        assert_eq!(ids, ["1", "2"], "an element of another namespace is not ours");
        assert_eq!(root.children[1].path, "/Info/Id[2]");
        assert_eq!(root.scalar::<i32>("Id").unwrap(), Some(1));
    }

    #[test]
    fn malformed_documents_are_errors() {
        for doc in ["", "<a>", "<a></b>", "<a x='1' x='2'/>", "<p:a/>", "<a>&nope;</a>", "<a/><b/>"] {
            assert!(Element::parse(doc).is_err(), "{doc}");
        }
        let error = Element::parse("<a><b>x</b><b>y</a>").unwrap_err();
        assert!(error.message.contains("malformed XML"), "{error}");
    }

    #[test]
    fn entities_and_cdata() {
        let root = Element::parse("<a>x &amp; y &#65;<![CDATA[<z>]]></a>").unwrap();
        assert_eq!(root.text, "x & y A<z>");
    }

    #[test]
    fn scalar_errors_name_the_place() {
        let root = Element::parse("<a><n>seven</n></a>").unwrap();
        let error = root.scalar::<i32>("n").unwrap_err();
        assert_eq!(error.to_string(), "/a/n: expected a 32-bit integer, found `seven`");
    }
}
