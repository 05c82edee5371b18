//! The reader: one pass over the input that checks it is well-formed XML 1.0 with namespaces and
//! builds the [`Document`] arena as it goes.
//!
//! Written for this arena rather than on a tokenizer crate: names, values and text are sliced
//! from the input and stored as they are found (no event or attribute iterator in between), a
//! prefix resolves in constant time, and nothing is copied unless it holds a reference, a
//! carriage return or (in an attribute value) whitespace to normalize. Every step is bounded:
//! each byte is looked at a fixed number of times, duplicate attributes are found through a set
//! past a few, and nesting stops at the limit.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use memchr::{memchr, memchr2, memmem};

use super::{Attribute, Document, Error, Node, NONE};

/// The namespace the `xml` prefix is bound to without a declaration.
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// The namespace of the `xmlns` prefix, which no declaration may name.
const XMLNS_NAMESPACE: &str = "http://www.w3.org/2000/xmlns/";

/// The most elements (and attributes) room is reserved for before reading: 2 MiB of arena.
const ARENA_CAP: usize = 1 << 15;

/// Attributes of one element compared pairwise for duplicates; more go through a set.
const PAIRWISE_ATTRIBUTES: usize = 16;

/// Byte classes of names: ASCII as the XML 1.0 productions have it, every byte of a multi-byte
/// character allowed (the input is a `str`, so those are whole characters).
const NOT_NAME: u8 = 0;
const NAME: u8 = 1;
const NAME_START: u8 = 2;

const CLASSES: [u8; 256] = {
    let mut classes = [NOT_NAME; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        classes[byte] = if b.is_ascii_alphabetic() || b == b'_' || b == b':' || b >= 0x80 {
            NAME_START
        } else if b.is_ascii_digit() || b == b'-' || b == b'.' {
            NAME
        } else {
            NOT_NAME
        };
        byte += 1;
    }
    classes
};

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_blank(text: &str) -> bool {
    text.bytes().all(is_space)
}

/// An element whose end tag has not been read yet.
struct Open<'a> {
    node: u32,
    /// Its last child so far ([`NONE`]: none yet).
    last_child: u32,
    /// Its name as written, prefix included, which the end tag must repeat.
    qualified: &'a str,
    /// Length of the namespace undo log before its declarations.
    scope: usize,
}

/// A binding replaced by a declaration: restored when the declaring element closes.
enum Undo<'a> {
    Default(u32),
    Prefix(&'a str, u32),
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    max_depth: usize,
    document: Document<'a>,
    open: Vec<Open<'a>>,
    closed_root: bool,
    /// The default namespace in scope (0: none) and the bound prefixes; both 1 + an index into
    /// the document's namespaces.
    default: u32,
    prefixes: HashMap<&'a str, u32>,
    undo: Vec<Undo<'a>>,
    interned: HashMap<String, u32>,
    /// The current tag's attribute names as written, for duplicates, and its prefixed attributes.
    names: Vec<&'a str>,
    seen: HashSet<&'a str>,
    prefixed: Vec<(usize, &'a str)>,
}

impl<'a> Document<'a> {
    /// Parses a whole document, elements nesting up to [`super::DEFAULT_MAX_DEPTH`].
    pub fn parse(text: &'a str) -> Result<Self, Error> {
        Self::parse_with_depth(text, super::DEFAULT_MAX_DEPTH)
    }

    /// Parses a whole document; malformed XML, or elements nested deeper than `max_depth`, are an
    /// error naming where they were found.
    pub fn parse_with_depth(text: &'a str, max_depth: usize) -> Result<Self, Error> {
        let bytes = text.as_bytes();
        // Sized once from an upper bound (every element starts with `<`, every attribute has an
        // `=`), up to a cap: growing by copies costs a few percent of a decode, and a document
        // refused early must not reserve room in proportion to its length.
        let bounded = |byte| memchr::memchr_iter(byte, bytes).count().min(ARENA_CAP);
        let document = Document {
            nodes: Vec::with_capacity(bounded(b'<')),
            attributes: Vec::with_capacity(bounded(b'=')),
            namespaces: Vec::new(),
        };
        let reader = Reader {
            text,
            bytes,
            at: if text.starts_with('\u{feff}') { 3 } else { 0 },
            max_depth,
            document,
            open: Vec::new(),
            closed_root: false,
            default: 0,
            prefixes: HashMap::new(),
            undo: Vec::new(),
            interned: HashMap::new(),
            names: Vec::new(),
            seen: HashSet::new(),
            prefixed: Vec::new(),
        };
        reader.read()
    }
}

impl<'a> Reader<'a> {
    fn read(mut self) -> Result<Document<'a>, Error> {
        loop {
            let start = self.at;
            let tag = memchr(b'<', &self.bytes[start..]).map_or(self.bytes.len(), |i| start + i);
            if tag > start {
                self.text(start, tag)?;
            }
            if tag == self.bytes.len() {
                break;
            }
            self.at = tag + 1;
            match self.bytes.get(self.at) {
                Some(b'/') => self.end_tag(tag)?,
                Some(b'?') => self.processing_instruction(tag)?,
                Some(b'!') => self.markup(tag)?,
                _ => self.start_tag(tag)?,
            }
        }
        if let Some(open) = self.open.last() {
            return Err(Error::new(self.document.path_of(open.node), "document ends before the element is closed"));
        }
        if self.document.nodes.is_empty() {
            return Err(Error::new("/", "no document element"));
        }
        Ok(self.document)
    }

    /// `text[start..end]`; every offset the reader keeps is next to an ASCII delimiter, so on a
    /// character boundary.
    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or_default()
    }

    /// Where the reader is: the innermost open element.
    fn here(&self) -> String {
        self.open.last().map_or_else(|| "/".to_owned(), |open| self.document.path_of(open.node))
    }

    fn malformed(&self, at: usize, message: impl std::fmt::Display) -> Error {
        Error::new(self.here(), format!("malformed XML at byte {at}: {message}"))
    }

    /// The offset just past the next `end` from `self.at`.
    fn past(&self, start: usize, end: &[u8], what: &str) -> Result<usize, Error> {
        memmem::find(&self.bytes[self.at..], end)
            .map(|i| self.at + i + end.len())
            .ok_or_else(|| self.malformed(start, format!("unterminated {what}")))
    }

    fn skip_spaces(&mut self) -> bool {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(|&b| is_space(b)) {
            self.at += 1;
        }
        self.at > start
    }

    /// A name at the reader's offset, which it moves past.
    fn name(&mut self, what: &str) -> Result<&'a str, Error> {
        let start = self.at;
        if self.bytes.get(start).is_none_or(|&b| CLASSES[usize::from(b)] != NAME_START) {
            let found = self.found(start);
            return Err(self.malformed(start, format!("expected {what}, found {found}")));
        }
        let mut end = start + 1;
        while self.bytes.get(end).is_some_and(|&b| CLASSES[usize::from(b)] != NOT_NAME) {
            end += 1;
        }
        self.at = end;
        Ok(self.slice(start, end))
    }

    /// The character at `at` for an error message.
    fn found(&self, at: usize) -> String {
        match self.text.get(at..).and_then(|rest| rest.chars().next()) {
            Some(c) => format!("`{}`", c.escape_debug()),
            None => "the end of the document".to_owned(),
        }
    }

    fn expect(&mut self, byte: u8, tag: usize) -> Result<(), Error> {
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            Ok(())
        } else {
            let found = self.found(self.at);
            Err(self.malformed(tag, format!("expected `{}`, found {found}", char::from(byte))))
        }
    }

    /// Text between tags, from `start` to `end`.
    fn text(&mut self, start: usize, end: usize) -> Result<(), Error> {
        let raw = self.slice(start, end);
        let Some(open) = self.open.last() else {
            return if is_blank(raw) { Ok(()) } else { Err(Error::new("/", "text outside the document element")) };
        };
        // Indentation between child elements is not content.
        if open.last_child != NONE && is_blank(raw) {
            return Ok(());
        }
        let node = open.node as usize;
        let content = if memchr2(b'&', b'\r', raw.as_bytes()).is_some() {
            Cow::Owned(self.unescape(raw, start, false)?)
        } else {
            Cow::Borrowed(raw)
        };
        push_text(&mut self.document.nodes[node].text, content);
        Ok(())
    }

    /// Replaces references and normalizes line ends (`\r\n` and `\r` to `\n`); in an attribute
    /// value, whitespace characters written as such become spaces.
    fn unescape(&self, raw: &str, offset: usize, attribute: bool) -> Result<String, Error> {
        let bytes = raw.as_bytes();
        let special = |b: u8| matches!(b, b'&' | b'\r') || (attribute && matches!(b, b'\t' | b'\n'));
        let mut out = String::with_capacity(raw.len());
        let mut copied = 0;
        let mut i = 0;
        while let Some(found) = bytes[i..].iter().position(|&b| special(b)) {
            let at = i + found;
            out.push_str(&raw[copied..at]);
            match bytes[at] {
                b'&' => {
                    let end = memchr(b';', &bytes[at..])
                        .map(|j| at + j)
                        .ok_or_else(|| self.malformed(offset + at, "a reference without its `;`"))?;
                    let name = &raw[at + 1..end];
                    out.push(reference(name).ok_or_else(|| {
                        let shown: String = name.chars().take(40).collect();
                        let message = format!("unknown entity or invalid character reference `&{shown};`");
                        self.malformed(offset + at, message)
                    })?);
                    i = end + 1;
                }
                b'\r' => {
                    out.push(if attribute { ' ' } else { '\n' });
                    i = at + if bytes.get(at + 1) == Some(&b'\n') { 2 } else { 1 };
                }
                // Whitespace in an attribute value.
                _ => {
                    out.push(' ');
                    i = at + 1;
                }
            }
            copied = i;
        }
        out.push_str(&raw[copied..]);
        Ok(out)
    }

    fn start_tag(&mut self, tag: usize) -> Result<(), Error> {
        if self.closed_root {
            return Err(Error::new("/", "content after the document element"));
        }
        if self.open.len() >= self.max_depth {
            let message = format!("elements nest deeper than {} levels", self.max_depth);
            return Err(Error::new(self.here(), message));
        }
        let qualified = self.name("an element name")?;
        let scope = self.undo.len();
        let first = self.document.attributes.len();
        self.names.clear();
        self.seen.clear();
        self.prefixed.clear();
        let empty = loop {
            let spaced = self.skip_spaces();
            match self.bytes.get(self.at) {
                Some(b'>') => {
                    self.at += 1;
                    break false;
                }
                Some(b'/') => {
                    self.at += 1;
                    self.expect(b'>', tag)?;
                    break true;
                }
                Some(_) if spaced => self.attribute(tag)?,
                _ => {
                    let found = self.found(self.at);
                    return Err(self.malformed(self.at, format!("expected `>`, `/>` or an attribute, found {found}")));
                }
            }
        };
        let index = u32::try_from(self.document.nodes.len()).map_err(|_| Error::new("/", "too many elements"))?;
        let attributes = (
            u32::try_from(first).map_err(|_| Error::new("/", "too many attributes"))?,
            u32::try_from(self.document.attributes.len()).map_err(|_| Error::new("/", "too many attributes"))?,
        );
        let (prefix, name) = split(qualified)
            .ok_or_else(|| self.malformed(tag, format!("`{qualified}` is not a valid qualified name")))?;
        let parent = self.open.last().map_or(NONE, |open| open.node);
        self.document.nodes.push(Node {
            name,
            namespace: 0,
            parent,
            first_child: NONE,
            next_sibling: NONE,
            attributes,
            text: Cow::Borrowed(""),
        });
        match self.open.last_mut() {
            Some(open) => {
                if open.last_child == NONE {
                    let parent = &mut self.document.nodes[open.node as usize];
                    parent.first_child = index;
                    // Indentation before the first child is not content either.
                    if is_blank(&parent.text) {
                        parent.text = Cow::Borrowed("");
                    }
                } else {
                    self.document.nodes[open.last_child as usize].next_sibling = index;
                }
                open.last_child = index;
            }
            None if index != 0 => return Err(Error::new("/", "content after the document element")),
            None => {}
        }
        // Declarations anywhere in the tag apply to the element and all of its attributes.
        self.document.nodes[index as usize].namespace = match prefix {
            None => self.default,
            Some(prefix) => self.resolve(prefix, index)?,
        };
        for k in 0..self.prefixed.len() {
            let (attribute, prefix) = self.prefixed[k];
            self.document.attributes[attribute].namespace = self.resolve(prefix, index)?;
        }
        if empty {
            self.close_scope(scope);
            self.closed_root |= self.open.is_empty();
        } else {
            self.open.push(Open { node: index, last_child: NONE, qualified, scope });
        }
        Ok(())
    }

    fn attribute(&mut self, tag: usize) -> Result<(), Error> {
        let at = self.at;
        let qualified = self.name("an attribute name")?;
        self.skip_spaces();
        self.expect(b'=', tag)?;
        self.skip_spaces();
        let quote = match self.bytes.get(self.at) {
            Some(&quote @ (b'"' | b'\'')) => quote,
            _ => {
                let found = self.found(self.at);
                return Err(self.malformed(self.at, format!("expected a quoted value of `{qualified}`, found {found}")));
            }
        };
        let start = self.at + 1;
        let end = memchr(quote, &self.bytes[start..])
            .map(|i| start + i)
            .ok_or_else(|| self.malformed(at, format!("the value of `{qualified}` is not closed")))?;
        self.at = end + 1;
        let raw = self.slice(start, end);
        let mut plain = true;
        for &b in raw.as_bytes() {
            match b {
                b'<' => return Err(self.malformed(at, format!("`<` in the value of `{qualified}`"))),
                b'&' | b'\t' | b'\n' | b'\r' => plain = false,
                _ => {}
            }
        }
        if self.duplicate(qualified) {
            return Err(self.malformed(at, format!("the attribute `{qualified}` is repeated")));
        }
        // Most values need neither references replaced nor whitespace normalized: borrowed.
        let value = if plain { Cow::Borrowed(raw) } else { Cow::Owned(self.unescape(raw, start, true)?) };
        let (prefix, name) = split(qualified)
            .ok_or_else(|| self.malformed(at, format!("`{qualified}` is not a valid qualified name")))?;
        // Namespaces in XML 1.0, section 3: `xml` is bound to its namespace only, `xmlns` to none,
        // and neither namespace to another prefix or as the default (`None`).
        let reserved = |prefix: Option<&str>| {
            (prefix == Some("xml")) != (value == XML_NAMESPACE) || prefix == Some("xmlns") || value == XMLNS_NAMESPACE
        };
        if qualified == "xmlns" {
            if reserved(None) {
                return Err(self.malformed(at, format!("`{value}` cannot be the default namespace")));
            }
            let namespace = if value.is_empty() { 0 } else { self.intern(&value) };
            self.undo.push(Undo::Default(self.default));
            self.default = namespace;
            return Ok(());
        }
        if prefix == Some("xmlns") {
            let prefix = name;
            if value.is_empty() || reserved(Some(prefix)) {
                return Err(self.malformed(at, format!("`{qualified}` cannot be declared as `{value}`")));
            }
            let namespace = self.intern(&value);
            let previous = self.prefixes.insert(prefix, namespace).unwrap_or(0);
            self.undo.push(Undo::Prefix(prefix, previous));
            return Ok(());
        }
        if let Some(prefix) = prefix {
            self.prefixed.push((self.document.attributes.len(), prefix));
        }
        self.document.attributes.push(Attribute { namespace: 0, name, value });
        Ok(())
    }

    /// Whether the current tag already has an attribute named `qualified` (and notes it).
    fn duplicate(&mut self, qualified: &'a str) -> bool {
        if self.names.len() < PAIRWISE_ATTRIBUTES {
            let repeated = self.names.contains(&qualified);
            self.names.push(qualified);
            return repeated;
        }
        if self.seen.is_empty() {
            self.seen.extend(self.names.iter().copied());
        }
        !self.seen.insert(qualified)
    }

    fn intern(&mut self, namespace: &str) -> u32 {
        if let Some(&index) = self.interned.get(namespace) {
            return index;
        }
        self.document.namespaces.push(namespace.to_owned());
        let index = u32::try_from(self.document.namespaces.len()).unwrap_or(0);
        self.interned.insert(namespace.to_owned(), index);
        index
    }

    /// The namespace of `prefix` where the element `node` is.
    fn resolve(&mut self, prefix: &str, node: u32) -> Result<u32, Error> {
        if let Some(&namespace) = self.prefixes.get(prefix) {
            if namespace != 0 {
                return Ok(namespace);
            }
        }
        if prefix == "xml" {
            return Ok(self.intern(XML_NAMESPACE));
        }
        Err(Error::new(self.document.path_of(node), format!("undeclared namespace prefix `{prefix}`")))
    }

    /// Ends the scope of the declarations made after `scope` entries of the undo log.
    fn close_scope(&mut self, scope: usize) {
        while self.undo.len() > scope {
            match self.undo.pop() {
                Some(Undo::Default(namespace)) => self.default = namespace,
                Some(Undo::Prefix(prefix, namespace)) => {
                    self.prefixes.insert(prefix, namespace);
                }
                None => break,
            }
        }
    }

    fn end_tag(&mut self, tag: usize) -> Result<(), Error> {
        self.at += 1;
        let qualified = self.name("an element name")?;
        self.skip_spaces();
        self.expect(b'>', tag)?;
        let Some(open) = self.open.last() else {
            return Err(Error::new("/", format!("unexpected end tag `</{qualified}>`")));
        };
        if open.qualified != qualified {
            let expected = open.qualified;
            return Err(self.malformed(tag, format!("expected `</{expected}>`, found `</{qualified}>`")));
        }
        let scope = open.scope;
        self.open.pop();
        self.close_scope(scope);
        self.closed_root |= self.open.is_empty();
        Ok(())
    }

    /// `<?target ...?>` (the XML declaration among them), skipped: a target name, then `?>` or
    /// whitespace and anything up to `?>`.
    fn processing_instruction(&mut self, tag: usize) -> Result<(), Error> {
        self.at += 1;
        self.name("a processing instruction's target")?;
        if !self.bytes[self.at..].starts_with(b"?>") && !self.skip_spaces() {
            let found = self.found(self.at);
            return Err(self.malformed(self.at, format!("expected `?>` or whitespace after the target, found {found}")));
        }
        self.at = self.past(tag, b"?>", "processing instruction")?;
        Ok(())
    }

    /// `<!`: a comment, a CDATA section or the document type declaration.
    fn markup(&mut self, tag: usize) -> Result<(), Error> {
        let rest = &self.bytes[self.at + 1..];
        if rest.starts_with(b"--") {
            self.at += 3;
            self.at = self.past(tag, b"-->", "comment")?;
        } else if rest.starts_with(b"[CDATA[") {
            self.at += 8;
            let end = self.past(tag, b"]]>", "CDATA section")?;
            let Some(open) = self.open.last() else {
                return Err(Error::new("/", "text outside the document element"));
            };
            let (node, raw) = (open.node as usize, self.slice(self.at, end - 3));
            let content = if raw.contains('\r') {
                Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
            } else {
                Cow::Borrowed(raw)
            };
            push_text(&mut self.document.nodes[node].text, content);
            self.at = end;
        } else if rest.starts_with(b"DOCTYPE") {
            if !self.document.nodes.is_empty() {
                return Err(self.malformed(tag, "a document type declaration after the document element"));
            }
            self.at += 8;
            // `<!DOCTYPE` S Name: the rest is skipped.
            if !self.skip_spaces() {
                return Err(self.malformed(tag, "expected whitespace and a name after `<!DOCTYPE`"));
            }
            self.name("the document type's name")?;
            self.at = self.doctype(tag)?;
        } else {
            return Err(self.malformed(tag, "expected a comment, a CDATA section or `DOCTYPE` after `<!`"));
        }
        Ok(())
    }

    /// The offset past a document type declaration (skipped: its entities are not expanded, so
    /// references to them are errors): quoted strings, the internal subset and its comments.
    fn doctype(&self, tag: usize) -> Result<usize, Error> {
        let mut i = self.at;
        let mut brackets = 0usize;
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b'"' | b'\'' => {
                    i += 1 + memchr(b, &self.bytes[i + 1..])
                        .ok_or_else(|| self.malformed(tag, "unterminated document type declaration"))?;
                }
                b'<' if self.bytes[i..].starts_with(b"<!--") => {
                    i += 4
                        + memmem::find(&self.bytes[i + 4..], b"-->")
                            .ok_or_else(|| self.malformed(tag, "unterminated comment"))?
                        + 2;
                }
                b'[' => brackets += 1,
                b']' => brackets = brackets.saturating_sub(1),
                b'>' if brackets == 0 => return Ok(i + 1),
                _ => {}
            }
            i += 1;
        }
        Err(self.malformed(tag, "unterminated document type declaration"))
    }
}

/// `prefix:local` or `local`; `None` for an empty part or a second colon.
fn split(qualified: &str) -> Option<(Option<&str>, &str)> {
    match qualified.split_once(':') {
        None => Some((None, qualified)),
        Some((prefix, local)) if !prefix.is_empty() && !local.is_empty() && !local.contains(':') => {
            // The local part must start like a name too.
            (CLASSES[usize::from(local.as_bytes()[0])] == NAME_START).then_some((Some(prefix), local))
        }
        Some(_) => None,
    }
}

/// The character a reference names: a predefined entity or a character reference.
fn reference(name: &str) -> Option<char> {
    let code = if let Some(hex) = name.strip_prefix("#x") {
        u32::from_str_radix(hex, 16).ok()?
    } else if let Some(decimal) = name.strip_prefix('#') {
        decimal.parse().ok()?
    } else {
        return Some(match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => return None,
        });
    };
    // `from_str_radix` and `parse` take a sign; a reference does not.
    if !name.bytes().skip(1).all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    // XML 1.0's `Char`: no other control characters, no surrogates, no U+FFFE/U+FFFF.
    let c = char::from_u32(code)?;
    let allowed = matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{fffe}' | '\u{ffff}'));
    allowed.then_some(c)
}

/// Appends to a node's text, borrowing while it is one piece of the input.
fn push_text<'a>(text: &mut Cow<'a, str>, piece: Cow<'a, str>) {
    if text.is_empty() {
        *text = piece;
    } else {
        text.to_mut().push_str(&piece);
    }
}
