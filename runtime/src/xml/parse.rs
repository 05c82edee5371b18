//! The reader: quick-xml's tokenizer, and on top of it what XML 1.0 with namespaces asks that the
//! tokenizer leaves to its user, building the [`Document`] arena as the events come.
//!
//! quick-xml finds the markup (tags, attributes, comments, CDATA sections, processing
//! instructions, the document type declaration, references) and refuses what is not markup. This
//! module checks the rest of well-formedness: names, characters (no control character or NUL, no
//! `]]>` in text), where declarations may stand (one XML declaration, first; one document type
//! declaration, before the document element), references (predefined entities and characters
//! only: an entity is never expanded), attributes unique by expanded name, and namespaces (their
//! declarations, the reserved `xml` and `xmlns` prefixes). Line ends and attribute whitespace are
//! normalized as XML 1.0 says. Names, values and text are borrowed from the input unless they
//! must change.
//!
//! Every step is bounded: the tokenizer reads each byte a fixed number of times, this layer
//! looks at each event once, duplicate attributes are found through a set past a few, and
//! nesting stops at the limit. Why a tokenizer crate rather than a reader of our own:
//! `docs/decisions/xml-reader.md`.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use memchr::{memchr, memmem};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{Attribute, Document, Error, Node, NONE};

/// The namespace the `xml` prefix is bound to without a declaration.
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// The namespace of the `xmlns` prefix, which no declaration may name.
const XMLNS_NAMESPACE: &str = "http://www.w3.org/2000/xmlns/";

/// The most elements (and attributes) room is reserved for before reading: 2 MiB of arena.
const ARENA_CAP: usize = 1 << 15;

/// Attributes of one element compared pairwise for duplicates; more go through a set.
const PAIRWISE_ATTRIBUTES: usize = 16;

/// Byte classes of ASCII in names, as the XML 1.0 productions have them; bytes of multi-byte
/// characters are `NAME_START` here and checked as characters by [`is_name`].
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

/// `text` without the whitespace it starts with (XML's `S`).
fn skip_space(text: &str) -> &str {
    text.trim_start_matches([' ', '\t', '\n', '\r'])
}

fn is_blank(text: &str) -> bool {
    text.bytes().all(is_space)
}

/// Whether `text` is an XML `Name` (XML 1.0 fifth edition, productions 4 and 4a).
fn is_name(text: &str) -> bool {
    let bytes = text.as_bytes();
    let ascii_ok = bytes.first().is_some_and(|&b| CLASSES[usize::from(b)] == NAME_START)
        && bytes.iter().all(|&b| CLASSES[usize::from(b)] != NOT_NAME);
    // Most names are ASCII: the table alone decides them.
    ascii_ok
        && (text.is_ascii()
            || text
                .chars()
                .enumerate()
                .all(|(index, c)| c.is_ascii() || is_name_start_char(c) || (index > 0 && is_name_only_char(c))))
}

/// Non-ASCII `NameStartChar`s.
fn is_name_start_char(c: char) -> bool {
    matches!(c,
        '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}'
        | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}'
        | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// Non-ASCII characters a `Name` may hold after its first.
fn is_name_only_char(c: char) -> bool {
    matches!(c, '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// What follows the name in `<!DOCTYPE name …>` (XML 1.0 productions 28 and 75): an optional
/// external ID, then an optional internal subset (not read: it is skipped), then `>`.
fn is_doctype_tail(tail: &str) -> bool {
    /// `"…"` or `'…'`: the text inside and what follows.
    fn quoted(text: &str) -> Option<(&str, &str)> {
        let quote = text.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let inner = &text[1..];
        let close = inner.find(quote)?;
        Some((&inner[..close], &inner[close + 1..]))
    }
    let is_pubid = |b: u8| b.is_ascii_alphanumeric() || b" \r\n-'()+,./:=?;!*#@$_%".contains(&b);
    let Some(body) = tail.strip_suffix('>') else { return false };
    let mut rest = skip_space(body);
    let spaced = rest.len() < body.len();
    for (keyword, literals) in [("SYSTEM", 1), ("PUBLIC", 2)] {
        let Some(mut after) = rest.strip_prefix(keyword) else { continue };
        if !spaced {
            return false;
        }
        for index in 0..literals {
            let literal_start = skip_space(after);
            if literal_start.len() == after.len() {
                return false;
            }
            let Some((literal, remaining)) = quoted(literal_start) else { return false };
            if literals == 2 && index == 0 && !literal.bytes().all(is_pubid) {
                return false;
            }
            after = remaining;
        }
        rest = skip_space(after);
        break;
    }
    if let Some(subset) = rest.strip_prefix('[') {
        let Some(close) = subset.rfind(']') else { return false };
        rest = skip_space(&subset[close + 1..]);
    }
    rest.is_empty()
}

/// Where the first character of `text` that XML 1.0's `Char` excludes is: a control character
/// other than tab, line feed and carriage return, or U+FFFE / U+FFFF (a `str` holds no
/// surrogate). No such character may stand anywhere in a document, markup included, so one scan
/// of the input finds them all.
fn forbidden_char(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // Without branches per byte, in blocks the compiler turns into vector compares: most
    // documents have none, and this scan reads every byte of every body.
    let bad = |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r');
    let mut blocks = bytes.chunks_exact(64);
    let mut control = None;
    for (index, block) in (&mut blocks).enumerate() {
        if block.iter().fold(false, |found, &b| found | bad(b)) {
            control = block.iter().position(|&b| bad(b)).map(|i| index * 64 + i);
            break;
        }
    }
    if control.is_none() {
        let start = bytes.len() - blocks.remainder().len();
        control = blocks.remainder().iter().position(|&b| bad(b)).map(|i| start + i);
    }
    // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
    let mut from = 0;
    let mut noncharacter = None;
    while let Some(at) = memchr(0xef, &bytes[from..]).map(|i| from + i) {
        if bytes.get(at + 1) == Some(&0xbf) && matches!(bytes.get(at + 2), Some(0xbe | 0xbf)) {
            noncharacter = Some(at);
            break;
        }
        from = at + 1;
    }
    match (control, noncharacter) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
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

/// Where the reader is in the document: before the document element, in it, after it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Prolog,
    Element,
    Epilog,
}

struct Builder<'a> {
    text: &'a str,
    max_depth: usize,
    document: Document<'a>,
    open: Vec<Open<'a>>,
    part: Part,
    doctype_seen: bool,
    /// The default namespace in scope (0: none) and the bound prefixes; both 1 + an index into
    /// the document's namespaces.
    default: u32,
    prefixes: HashMap<&'a str, u32>,
    undo: Vec<Undo<'a>>,
    interned: HashMap<String, u32>,
    /// The current tag's attributes as written and as expanded, for duplicates.
    names: Vec<&'a str>,
    seen: HashSet<&'a str>,
    expanded: HashSet<(u32, &'a str)>,
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
        let builder = Builder {
            text,
            max_depth,
            document,
            open: Vec::new(),
            part: Part::Prolog,
            doctype_seen: false,
            default: 0,
            prefixes: HashMap::new(),
            undo: Vec::new(),
            interned: HashMap::new(),
            names: Vec::new(),
            seen: HashSet::new(),
            expanded: HashSet::new(),
            prefixed: Vec::new(),
        };
        builder.read()
    }
}

impl<'a> Builder<'a> {
    fn read(mut self) -> Result<Document<'a>, Error> {
        let mut reader = Reader::from_str(self.text);
        let config = reader.config_mut();
        config.check_comments = true;
        // End tags are compared here, with the message this reader gives.
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.trim_text(false);
        let forbidden = forbidden_char(self.text).unwrap_or(usize::MAX);
        let mut first = true;
        loop {
            let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            let event = reader.read_event().map_err(|error| {
                let at = reader.error_position();
                Error::new(self.here(), format!("malformed XML at byte {at}: {error}"))
            })?;
            let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            if end > forbidden {
                return Err(self.forbidden(forbidden));
            }
            let raw = self.text.get(start..end).unwrap_or_default();
            match event {
                Event::Start(tag) => self.start_tag(&tag, start, false)?,
                Event::Empty(tag) => self.start_tag(&tag, start, true)?,
                Event::End(tag) => {
                    let qualified = self.within(tag.name().0);
                    self.end_tag(qualified, start)?;
                }
                Event::Text(text) => self.text(self.within(&text), start)?,
                Event::GeneralRef(name) => {
                    let c = reference(&name).ok_or_else(|| {
                        let shown: String = name.chars().take(40).collect();
                        let message = format!("unknown entity or invalid character reference `&{shown};`");
                        self.malformed(start, message)
                    })?;
                    self.content(Cow::Owned(c.to_string()))?;
                }
                Event::CData(data) => {
                    let content = self.within(&data);
                    self.content(normalized_lines(content))?;
                }
                Event::Comment(_) => {}
                Event::PI(pi) => {
                    let target = pi.target();
                    if !is_name(target) || target.eq_ignore_ascii_case("xml") {
                        let shown: String = target.chars().take(40).collect();
                        return Err(
                            self.malformed(start, format!("`{shown}` is not a processing instruction's target"))
                        );
                    }
                }
                Event::Decl(_) => {
                    // Only the very first thing of the document (after a byte order mark).
                    let at_start =
                        self.text.get(..start).is_some_and(|before| before.is_empty() || before == "\u{feff}");
                    if !first || !at_start {
                        return Err(self.malformed(start, "an XML declaration anywhere but at the start"));
                    }
                    if !is_xml_declaration(raw) {
                        return Err(self.malformed(
                            start,
                            "an XML declaration that is not `version`, then `encoding` and `standalone` if any",
                        ));
                    }
                }
                Event::DocType(_) => self.doctype(raw, start)?,
                Event::Eof => break,
            }
            first = false;
        }
        if let Some(open) = self.open.last() {
            return Err(Error::new(self.document.path_of(open.node), "document ends before the element is closed"));
        }
        if self.document.nodes.is_empty() {
            return Err(Error::new("/", "no document element"));
        }
        Ok(self.document)
    }

    /// `piece` (borrowed from the input by the tokenizer) as a slice of the input, so that it
    /// lives as long as the document. Every event of a reader over a `str` borrows from it.
    fn within(&self, piece: &str) -> &'a str {
        let start = self.offset(piece);
        self.text.get(start..start.saturating_add(piece.len())).unwrap_or_default()
    }

    /// Where `piece`, a slice of the input, starts in it.
    fn offset(&self, piece: &str) -> usize {
        (piece.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize)
    }

    /// Where the reader is: the innermost open element.
    fn here(&self) -> String {
        self.open.last().map_or_else(|| "/".to_owned(), |open| self.document.path_of(open.node))
    }

    fn malformed(&self, at: usize, message: impl std::fmt::Display) -> Error {
        Error::new(self.here(), format!("malformed XML at byte {at}: {message}"))
    }

    /// The error for a character XML 1.0 refuses anywhere in a document, found by the scan of
    /// the whole input before reading (reported where the reader is when it reaches it).
    fn forbidden(&self, at: usize) -> Error {
        let c = self.text.get(at..).and_then(|rest| rest.chars().next()).unwrap_or_default();
        self.malformed(at, format!("the character U+{:04X} is not allowed in XML", u32::from(c)))
    }

    /// `<!DOCTYPE name ...>`: once, before the document element; skipped (its entities are not
    /// expanded, so references to them are errors).
    fn doctype(&mut self, raw: &str, at: usize) -> Result<(), Error> {
        if self.part != Part::Prolog {
            return Err(self.malformed(at, "a document type declaration after the document element"));
        }
        if std::mem::replace(&mut self.doctype_seen, true) {
            return Err(self.malformed(at, "a second document type declaration"));
        }
        // `<!DOCTYPE` (upper case, unlike HTML's), whitespace, the document element's name.
        let rest = raw.strip_prefix("<!DOCTYPE").unwrap_or_default();
        let after = skip_space(rest);
        let name_end = after.bytes().position(|b| CLASSES[usize::from(b)] == NOT_NAME).unwrap_or(after.len());
        if !raw.starts_with("<!DOCTYPE") || rest.len() == after.len() || !is_name(&after[..name_end]) {
            return Err(self.malformed(at, "expected `<!DOCTYPE`, whitespace and the document element's name"));
        }
        if !is_doctype_tail(&after[name_end..]) {
            let message = "expected an external ID (`SYSTEM \"…\"` or `PUBLIC \"…\" \"…\"`) or an internal \
                           subset (`[…]`) after the document type's name";
            return Err(self.malformed(at, message));
        }
        Ok(())
    }

    /// Text between tags (references are events of their own).
    fn text(&mut self, raw: &'a str, at: usize) -> Result<(), Error> {
        let Some(open) = self.open.last() else {
            return if is_blank(raw) { Ok(()) } else { Err(Error::new("/", "text outside the document element")) };
        };
        // Most text has no `]` at all: the search for `]]>` only runs where one is.
        if memchr(b']', raw.as_bytes()).is_some() {
            if let Some(i) = memmem::find(raw.as_bytes(), b"]]>") {
                return Err(self.malformed(at + i, "`]]>` in text"));
            }
        }
        // Indentation between child elements is not content.
        if open.last_child != NONE && is_blank(raw) {
            return Ok(());
        }
        self.content(normalized_lines(raw))
    }

    /// Appends to the open element's text, borrowing while it is one piece of the input; outside
    /// the document element it is an error.
    fn content(&mut self, piece: Cow<'a, str>) -> Result<(), Error> {
        let Some(open) = self.open.last() else { return Err(Error::new("/", "text outside the document element")) };
        let text = &mut self.document.nodes[open.node as usize].text;
        if text.is_empty() {
            *text = piece;
        } else {
            text.to_mut().push_str(&piece);
        }
        Ok(())
    }

    fn start_tag(&mut self, tag: &BytesStart<'_>, at: usize, empty: bool) -> Result<(), Error> {
        if self.part == Part::Epilog {
            return Err(Error::new("/", "content after the document element"));
        }
        if self.open.len() >= self.max_depth {
            let message = format!("elements nest deeper than {} levels", self.max_depth);
            return Err(Error::new(self.here(), message));
        }
        let qualified = self.within(tag.name().0);
        let (prefix, name) = split(qualified)
            .ok_or_else(|| self.malformed(at, format!("`{qualified}` is not a valid qualified name")))?;
        let scope = self.undo.len();
        let first = self.document.attributes.len();
        self.names.clear();
        self.seen.clear();
        self.expanded.clear();
        self.prefixed.clear();
        // Duplicates are found here, in linear time (the tokenizer compares each key with all before it).
        for attribute in tag.attributes().with_checks(false) {
            let attribute = attribute.map_err(|error| self.malformed(at, error))?;
            let key = self.within(attribute.key.0);
            let raw = match &attribute.value {
                Cow::Borrowed(value) => self.within(value),
                Cow::Owned(_) => return Err(self.malformed(at, "an attribute value that is not in the input")),
            };
            // After the closing quote: whitespace, or the end of the tag (the tokenizer takes
            // `a='1'b='2'` as two attributes).
            let after = self.offset(raw) + raw.len() + 1;
            if self.text.as_bytes().get(after).is_some_and(|&b| !is_space(b) && b != b'/' && b != b'>') {
                return Err(self.malformed(at, format!("no whitespace between attributes after `{key}`")));
            }
            self.attribute(key, raw, at)?;
        }
        let index = u32::try_from(self.document.nodes.len()).map_err(|_| Error::new("/", "too many elements"))?;
        let attributes = (
            u32::try_from(first).map_err(|_| Error::new("/", "too many attributes"))?,
            u32::try_from(self.document.attributes.len()).map_err(|_| Error::new("/", "too many attributes"))?,
        );
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
            None => self.part = Part::Element,
        }
        // Declarations anywhere in the tag apply to the element and all of its attributes.
        self.document.nodes[index as usize].namespace = match prefix {
            None => self.default,
            Some(prefix) => self.resolve(prefix, index)?,
        };
        for k in 0..self.prefixed.len() {
            let (attribute, prefix) = self.prefixed[k];
            let namespace = self.resolve(prefix, index)?;
            self.document.attributes[attribute].namespace = namespace;
            // Two attributes may not have the same expanded name (`a:x` and `b:x`, one namespace):
            // compared pairwise, through a set past a few.
            let local = self.document.attributes[attribute].name;
            let repeated = match k < PAIRWISE_ATTRIBUTES {
                true => self.prefixed[..k].iter().any(|&(other, _)| {
                    let other = &self.document.attributes[other];
                    other.name == local && other.namespace == namespace
                }),
                false => {
                    if self.expanded.is_empty() {
                        let earlier = self.prefixed[..k].iter().map(|&(other, _)| &self.document.attributes[other]);
                        self.expanded.extend(earlier.map(|other| (other.namespace, other.name)).collect::<Vec<_>>());
                    }
                    !self.expanded.insert((namespace, local))
                }
            };
            if repeated {
                return Err(self.malformed(at, format!("two attributes `{local}` in one namespace")));
            }
        }
        if empty {
            self.close_scope(scope);
            if self.open.is_empty() {
                self.part = Part::Epilog;
            }
        } else {
            self.open.push(Open { node: index, last_child: NONE, qualified, scope });
        }
        Ok(())
    }

    fn attribute(&mut self, qualified: &'a str, raw: &'a str, at: usize) -> Result<(), Error> {
        if memchr(b'<', raw.as_bytes()).is_some() {
            return Err(self.malformed(at, format!("`<` in the value of `{qualified}`")));
        }
        if self.duplicate(qualified) {
            return Err(self.malformed(at, format!("the attribute `{qualified}` is repeated")));
        }
        // Most values need neither references replaced nor whitespace normalized: borrowed.
        let plain = !raw.bytes().any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'));
        let value = if plain { Cow::Borrowed(raw) } else { Cow::Owned(self.unescape(raw, at)?) };
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
        // An unprefixed attribute is in no namespace, a prefixed one always in one: only prefixed
        // attributes can share an expanded name without sharing a written one.
        if let Some(prefix) = prefix {
            self.prefixed.push((self.document.attributes.len(), prefix));
        }
        self.document.attributes.push(Attribute { namespace: 0, name, value });
        Ok(())
    }

    /// An attribute value with references replaced and whitespace normalized (`\r\n`, `\r`,
    /// `\n` and `\t` written as such become a space; a reference's character stays as it is).
    fn unescape(&self, raw: &str, at: usize) -> Result<String, Error> {
        let bytes = raw.as_bytes();
        let mut out = String::with_capacity(raw.len());
        let mut copied = 0;
        let mut i = 0;
        while let Some(found) = bytes[i..].iter().position(|&b| matches!(b, b'&' | b'\r' | b'\t' | b'\n')) {
            let special = i + found;
            out.push_str(&raw[copied..special]);
            match bytes[special] {
                b'&' => {
                    let end = memchr(b';', &bytes[special..])
                        .map(|j| special + j)
                        .ok_or_else(|| self.malformed(at, "a reference without its `;`"))?;
                    let name = &raw[special + 1..end];
                    out.push(reference(name).ok_or_else(|| {
                        let shown: String = name.chars().take(40).collect();
                        self.malformed(at, format!("unknown entity or invalid character reference `&{shown};`"))
                    })?);
                    i = end + 1;
                }
                b'\r' => {
                    out.push(' ');
                    i = special + if bytes.get(special + 1) == Some(&b'\n') { 2 } else { 1 };
                }
                _ => {
                    out.push(' ');
                    i = special + 1;
                }
            }
            copied = i;
        }
        out.push_str(&raw[copied..]);
        Ok(out)
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

    fn end_tag(&mut self, qualified: &'a str, at: usize) -> Result<(), Error> {
        let Some(open) = self.open.last() else {
            return Err(Error::new("/", format!("unexpected end tag `</{qualified}>`")));
        };
        if open.qualified != qualified {
            let expected = open.qualified;
            return Err(self.malformed(at, format!("expected `</{expected}>`, found `</{qualified}>`")));
        }
        let scope = open.scope;
        self.open.pop();
        self.close_scope(scope);
        if self.open.is_empty() {
            self.part = Part::Epilog;
        }
        Ok(())
    }
}

/// `prefix:local` or `local`, each part a name; `None` for an empty part, a second colon or a
/// character no name has.
fn split(qualified: &str) -> Option<(Option<&str>, &str)> {
    if !is_name(qualified) {
        return None;
    }
    match qualified.split_once(':') {
        None => Some((None, qualified)),
        Some((prefix, local)) if !prefix.is_empty() && !local.is_empty() && !local.contains(':') => {
            // The local part must start like a name too.
            (CLASSES[usize::from(local.as_bytes()[0])] == NAME_START).then_some((Some(prefix), local))
        }
        Some(_) => None,
    }
}

/// Whether `raw` (`<?xml ...?>`) is an XML declaration as XML 1.0 writes one: `version="1.x"`,
/// then optionally `encoding` (a name of letters, digits, `.`, `_`, `-`, starting with a letter)
/// and `standalone` (`yes` or `no`), each after whitespace, in that order, nothing else.
fn is_xml_declaration(raw: &str) -> bool {
    let Some(mut rest) = raw.strip_prefix("<?xml").and_then(|r| r.strip_suffix("?>")) else { return false };
    let mut expected = ["version", "encoding", "standalone"].into_iter();
    let mut seen_version = false;
    loop {
        let trimmed = skip_space(rest);
        if trimmed.is_empty() {
            return seen_version;
        }
        if trimmed.len() == rest.len() {
            return false;
        }
        // `name`, optional spaces, `=`, optional spaces, a quoted value.
        let name_end = trimmed.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(trimmed.len());
        let name = &trimmed[..name_end];
        if !expected.by_ref().any(|known| known == name) {
            return false;
        }
        let after = skip_space(&trimmed[name_end..]);
        let Some(after) = after.strip_prefix('=') else { return false };
        let after = skip_space(after);
        let Some(quote) = after.chars().next().filter(|q| *q == '"' || *q == '\'') else { return false };
        let Some(end) = after[1..].find(quote) else { return false };
        let value = &after[1..1 + end];
        let valid = match name {
            "version" => value
                .strip_prefix("1.")
                .is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit())),
            "encoding" => {
                value.starts_with(|c: char| c.is_ascii_alphabetic())
                    && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            }
            _ => value == "yes" || value == "no",
        };
        if !valid || (name != "version" && !seen_version) {
            return false;
        }
        seen_version = true;
        rest = &after[2 + end..];
    }
}

/// Line ends as XML 1.0 normalizes them: `\r\n` and `\r` become `\n` (borrowed when there is none).
fn normalized_lines(text: &str) -> Cow<'_, str> {
    match memchr(b'\r', text.as_bytes()) {
        Some(_) => Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")),
        None => Cow::Borrowed(text),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_found() {
        assert_eq!(forbidden_char("a\tb\nc\rd"), None);
        assert_eq!(forbidden_char("a\u{0}b"), Some(1));
        assert_eq!(forbidden_char("a\u{1b}b"), Some(1));
        assert_eq!(forbidden_char("a\u{fffe}"), Some(1));
        assert_eq!(forbidden_char("\u{ffff}\u{1}"), Some(0));
        assert_eq!(forbidden_char("\u{fffd}\u{efbf}"), None);
        // In a block, past the blocks, at a block's end.
        let long = "x".repeat(200);
        assert_eq!(forbidden_char(&format!("{long}\u{2}")), Some(200));
        assert_eq!(forbidden_char(&format!("{}\u{2}{long}", &long[..63])), Some(63));
        assert_eq!(forbidden_char(&format!("{}\u{2}", &long[..127])), Some(127));
        assert_eq!(forbidden_char(&long), None);
    }

    #[test]
    fn expanded_names_are_unique_past_the_pairwise_few() {
        let attributes: String = (0..40).map(|i| format!(" p:a{i}='{i}'")).collect();
        let ok = format!("<r xmlns:p='u' xmlns:q='u'{attributes}/>");
        assert_eq!(Document::parse(&ok).unwrap().root().attributes().count(), 40);
        for duplicate in [" q:a3='x'", " q:a39='x'"] {
            let bad = format!("<r xmlns:p='u' xmlns:q='u'{attributes}{duplicate}/>");
            let error = Document::parse(&bad).unwrap_err();
            assert!(error.message.contains("in one namespace"), "{error}");
        }
    }

    #[test]
    fn xml_declarations() {
        for good in [
            "<?xml version=\"1.0\"?>",
            "<?xml version='1.0' encoding='utf-8'?>",
            "<?xml version=\"1.1\" encoding=\"UTF-8\" standalone=\"yes\" ?>",
            "<?xml version = '1.0'\tstandalone='no'?>",
        ] {
            assert!(is_xml_declaration(good), "{good}");
        }
        for bad in [
            "<?xml?>",
            "<?xml encoding='utf-8'?>",
            "<?xml version='1.0' encoding=\"uns:xsd=\"http://x\" y=\"z\"?>",
            "<?xml version='2.0'?>",
            "<?xml version='1.0'encoding='utf-8'?>",
            "<?xml version='1.0' standalone='yes' encoding='utf-8'?>",
            "<?xml version='1.0' standalone='maybe'?>",
            "<?xml version='1.0' other='x'?>",
            "<?xml version='1.0' version='1.0'?>",
        ] {
            assert!(!is_xml_declaration(bad), "{bad}");
        }
    }

    #[test]
    fn references() {
        assert_eq!(reference("amp"), Some('&'));
        assert_eq!(reference("#x41"), Some('A'));
        assert_eq!(reference("#65"), Some('A'));
        assert_eq!(reference("#0"), None);
        assert_eq!(reference("#x+41"), None);
        assert_eq!(reference("nbsp"), None);
    }
}
