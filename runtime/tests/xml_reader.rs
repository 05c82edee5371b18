//! The runtime's XML reader (quick-xml's tokenizer and this project's checks) against roxmltree,
//! an independent strict parser: the same trees for the documented Enterprise Manager payloads
//! and for thousands of generated documents that use every construct (namespaces declared and
//! redeclared, prefixed attributes, references, CDATA, comments, processing instructions, line
//! ends, both quotes); and for each kind of malformed document an error naming where, which
//! roxmltree refuses too.

use std::borrow::Cow;

use veeam_runtime::xml::Document;

mod xml_reference;

fn same(text: &str) {
    match xml_reference::compare(text, 10_000) {
        Ok(xml_reference::Agreement::Same) => {}
        Ok(_) => {
            let error = veeam_runtime::xml::Document::parse_with_depth(text, 10_000).map(|_| ());
            panic!("not read alike: {error:?}\n{text}")
        }
        Err(difference) => panic!("{difference}\n{text:?}"),
    }
}

/// Document type declarations of every shape XML 1.0 allows (skipped, and the rest read alike).
#[test]
fn document_type_declarations_read_alike() {
    for text in [
        "<!DOCTYPE z SYSTEM 'z.dtd'><z/>",
        "<!DOCTYPE z PUBLIC '-//A//B' \"z.dtd\" [<!ELEMENT z ANY>] ><z/>",
        "<!DOCTYPE z[]><z/>",
    ] {
        same(text);
    }
}

/// Names outside ASCII: the characters XML 1.0 (fifth edition) allows, where it allows them.
#[test]
fn names_beyond_ascii_read_alike() {
    for text in
        ["<\u{FFFD}/>", "<a\u{300}\u{B7}/>", "<\u{10000}\u{203F}/>", "<é a\u{FFFD}='1'/>", "<a xml\u{FFFD}ns='1'/>"]
    {
        same(text);
    }
}

#[test]
fn documented_payloads_read_alike() {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/enterprise_manager/examples");
    let mut read = 0;
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xml") {
            same(&std::fs::read_to_string(&path).unwrap());
            read += 1;
        }
    }
    assert!(read > 30, "{read} documents");
}

/// A small deterministic generator (xorshift), so failures reproduce from the seed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NAMES: &[&str] = &["Ref", "Link", "a", "Ä", "x-1", "_n.2", "Links"];
const PIECES: &[&str] = &[
    "plain",
    " ",
    "\n  ",
    "&amp;",
    "&lt;&gt;",
    "&quot;&apos;",
    "&#65;",
    "&#x1F600;",
    "&#10;",
    "\t",
    "\r\n",
    "\r",
    "é",
    "]",
    ">",
];
const URIS: &[&str] = &["urn:a", "urn:b", "http://www.veeam.com/ent/v1.0", "urn:a&amp;b"];

fn text(random: &mut Random, quote: char) -> String {
    (0..random.below(5))
        .map(|_| random.pick(PIECES))
        .map(|piece| if piece.contains(quote) { "&amp;" } else { piece })
        .collect()
}

/// An element with `depth` levels below it; `prefixes` are the ones declared around it.
fn element(random: &mut Random, depth: usize, prefixes: &mut Vec<String>, out: &mut String) {
    let declared = prefixes.len();
    let mut tag = String::new();
    let mut attributes = String::new();
    let mut names = Vec::new();
    for _ in 0..random.below(4) {
        let quote = if random.below(2) == 0 { '"' } else { '\'' };
        let spaces = [" ", "  ", "\n", "\t"][random.below(4)];
        match random.below(6) {
            0 => {
                let prefix = format!("p{}", random.below(3));
                if names.contains(&format!("xmlns:{prefix}")) {
                    continue;
                }
                names.push(format!("xmlns:{prefix}"));
                attributes.push_str(&format!("{spaces}xmlns:{prefix}={quote}{}{quote}", random.pick(URIS)));
                prefixes.push(prefix);
            }
            1 if !names.contains(&"xmlns".to_owned()) => {
                names.push("xmlns".to_owned());
                let uri = if random.below(4) == 0 { "" } else { random.pick(URIS) };
                attributes.push_str(&format!("{spaces}xmlns{spaces}={spaces}{quote}{uri}{quote}"));
            }
            2 if !prefixes.is_empty() => {
                // A prefixed attribute: its prefix may be declared later in the same tag.
                let name = format!("{}:{}", prefixes[random.below(prefixes.len())], random.pick(NAMES));
                if !names.contains(&name) {
                    attributes.push_str(&format!("{spaces}{name}={quote}{}{quote}", text(random, quote)));
                    names.push(name);
                }
            }
            _ => {
                let name = random.pick(NAMES).to_owned();
                if !names.contains(&name) {
                    attributes.push_str(&format!("{spaces}{name}={quote}{}{quote}", text(random, quote)));
                    names.push(name);
                }
            }
        }
    }
    let name = random.pick(NAMES);
    if !prefixes.is_empty() && random.below(3) == 0 {
        tag.push_str(&prefixes[random.below(prefixes.len())]);
        tag.push(':');
    }
    tag.push_str(name);
    out.push_str(&format!("<{tag}{attributes}"));
    if depth == 0 || random.below(4) == 0 {
        out.push_str(if random.below(2) == 0 { "/>" } else { " />" });
    } else {
        out.push('>');
        for _ in 0..random.below(4) {
            match random.below(7) {
                0 => out.push_str(&format!("<!-- {} -->", random.pick(NAMES))),
                1 => out.push_str("<![CDATA[ <x> & ]] \r\n ]]>"),
                2 => out.push_str("<?pi some data?>"),
                3 => out.push_str(&text(random, '<')),
                _ => element(random, depth - 1, prefixes, out),
            }
        }
        out.push_str(&format!("</{tag}{}>", if random.below(3) == 0 { "  " } else { "" }));
    }
    prefixes.truncate(declared);
}

#[test]
fn generated_documents_read_alike() {
    for seed in 1..3000u64 {
        let mut random = Random(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut document = String::new();
        if random.below(2) == 0 {
            document.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        }
        if random.below(4) == 0 {
            document.push_str("<!DOCTYPE r [ <!ELEMENT r ANY> <!-- ] > --> ]>\n");
        }
        if random.below(3) == 0 {
            document.push_str("<!-- before -->\n");
        }
        element(&mut random, 4, &mut Vec::new(), &mut document);
        if random.below(3) == 0 {
            document.push_str("\n<!-- after --> <?pi?>\n");
        }
        same(&document);
    }
}

#[test]
fn text_borrows_from_the_input_unless_it_must_change() {
    let document =
        Document::parse("<a x='1 &lt; 2' y='plain'><b>plain</b><c>x &amp; y</c><d>l1\r\nl2</d></a>").unwrap();
    let root = document.root();
    let texts: Vec<&str> = root.children().map(|c| c.text()).collect();
    assert_eq!(texts, ["plain", "x & y", "l1\nl2"]);
    assert_eq!(root.attribute_named("x"), Some("1 < 2"));
    // Borrowed: the same bytes as the input.
    let input = "<a y='plain'><b>plain</b></a>";
    let document = Document::parse(input).unwrap();
    let range = input.as_bytes().as_ptr_range();
    assert!(range.contains(&document.root().attribute_named("y").unwrap().as_ptr()));
    assert!(range.contains(&document.root().children().next().unwrap().text().as_ptr()));
    let _: Cow<'_, str> = Cow::Borrowed("");
}

#[test]
fn attribute_values_are_normalized_but_character_references_are_kept() {
    let document = Document::parse("<a v='x\ty\r\nz\n&#10;&#9;'/>").unwrap();
    assert_eq!(document.root().attribute_named("v"), Some("x y z \n\t"));
    // A namespace is its declaration's value after the same normalization (found by fuzzing:
    // quick-xml compares declarations as written).
    let document = Document::parse("<a xmlns='urn:x\ry&amp;'><b xmlns='urn:x y&#38;'/></a>").unwrap();
    assert_eq!(document.root().namespace(), Some("urn:x y&"));
    assert_eq!(document.root().children().next().unwrap().namespace(), document.root().namespace());
    assert!(Document::parse("<a xmlns='urn:&bad;'/>").is_err());
    // The `xml` prefix may be declared, with its own namespace.
    let document = Document::parse("<a xmlns:xml='http://www.w3.org/XML/1998/namespace' xml:lang='en'/>").unwrap();
    let (namespace, name, value) = document.root().attributes().next().unwrap();
    assert_eq!((namespace, name, value), (Some("http://www.w3.org/XML/1998/namespace"), "lang", "en"));
}

#[test]
fn indentation_between_children_is_not_text() {
    let document = Document::parse("<a>\n  <b> kept </b>\n  <c/>\n</a>").unwrap();
    assert_eq!(document.root().text(), "");
    assert_eq!(document.root().children().next().unwrap().text(), " kept ");
    let mixed = Document::parse("<a>one <b/> two</a>").unwrap();
    assert_eq!(mixed.root().text(), "one  two");
}

/// Malformed documents roxmltree reads anyway (XML 1.0 and Namespaces in XML 1.0 refuse them).
const LENIENT_REFERENCE: &[&str] = &[
    "<a xmlns:p=''/>",
    "<a xmlns:xmlns='u'/>",
    "<:a/>",
    "<a>&#xD800;</a>",
    "<a>&#x110000;</a>",
    "<?x-y=1?><a/>",
    "<?XmL x?><a/>",
    // `{` is not a `PubidChar`.
    "<!DOCTYPE z PUBLIC 'a{b' 'c'><z/>",
];

#[test]
fn each_kind_of_malformed_document_is_an_error_naming_where() {
    let cases: &[(&str, &str, &str)] = &[
        ("", "/", "no document element"),
        ("   \n", "/", "no document element"),
        ("<!-- only a comment -->", "/", "no document element"),
        ("<a>", "/a", "document ends before the element is closed"),
        ("<a><b>", "/a/b", "document ends before the element is closed"),
        ("<a></b>", "/a", "expected `</a>`, found `</b>`"),
        ("<a><b>x</b><b>y</a>", "/a/b[2]", "expected `</b>`, found `</a>`"),
        ("</a>", "/", "unexpected end tag `</a>`"),
        ("<a/></a>", "/", "unexpected end tag"),
        ("<a x='1' x='2'/>", "/", "the attribute `x` is repeated"),
        ("<a xmlns:p='u' xmlns:p='v'/>", "/", "the attribute `xmlns:p` is repeated"),
        ("<p:a/>", "/a", "undeclared namespace prefix `p`"),
        // After the document type's name: an external ID or an internal subset, nothing else.
        ("<!DOCTYPE z P<?xml version='1.0'?><z/>", "/", "expected an external ID"),
        ("<!DOCTYPE z SYSTEM><z/>", "/", "expected an external ID"),
        ("<!DOCTYPE z PUBLIC 'a{b' 'c'><z/>", "/", "expected an external ID"),
        ("<!DOCTYPE z PUBLIC 'a'><z/>", "/", "expected an external ID"),
        ("<!DOCTYPE zSYSTEM 'a'><z/>", "/", "expected an external ID"),
        // Names: U+E2CB is private use, U+0300 (a combining accent) may not start one.
        ("<Q\u{E2CB}R/>", "/", "is not a valid qualified name"),
        ("<\u{300}a/>", "/", "is not a valid qualified name"),
        ("<a b\u{E000}='1'/>", "/", "is not a valid qualified name"),
        ("<a><p:b/></a>", "/a/b", "undeclared namespace prefix `p`"),
        ("<a p:x='1'/>", "/a", "undeclared namespace prefix `p`"),
        ("<a><b xmlns:p='u'/><p:c/></a>", "/a/c", "undeclared namespace prefix `p`"),
        ("<a xmlns:p=''/>", "/", "cannot be declared"),
        ("<a xmlns:xmlns='u'/>", "/", "cannot be declared"),
        ("<a xmlns:='u'/>", "/", "`xmlns:` is not a valid qualified name"),
        // Found by fuzzing: the reserved prefixes and namespaces.
        ("<a xmlns:xml='urn:x'/>", "/", "cannot be declared"),
        ("<a xmlns:p='http://www.w3.org/XML/1998/namespace'/>", "/", "cannot be declared"),
        ("<a xmlns:p='http://www.w3.org/2000/xmlns/'/>", "/", "cannot be declared"),
        ("<a xmlns='http://www.w3.org/2000/xmlns/'/>", "/", "cannot be the default namespace"),
        ("<a xmlns:1='u'/>", "/", "`xmlns:1` is not a valid qualified name"),
        ("<a:/>", "/", "is not a valid qualified name"),
        ("<:a/>", "/", "is not a valid qualified name"),
        ("<a:b:c xmlns:a='u'/>", "/", "is not a valid qualified name"),
        ("<a>&nope;</a>", "/a", "unknown entity or invalid character reference `&nope;`"),
        ("<a>&#0;</a>", "/a", "invalid character reference `&#0;`"),
        ("<a>&#xD800;</a>", "/a", "invalid character reference"),
        ("<a>&#x110000;</a>", "/a", "invalid character reference"),
        ("<a>&#+65;</a>", "/a", "invalid character reference"),
        ("<a>&#x;</a>", "/a", "invalid character reference"),
        ("<a>&amp</a>", "/a", "reference not closed: `;` not found"),
        ("<a v='&bad;'/>", "/", "unknown entity"),
        ("<a v='<'/>", "/", "`<` in the value of `v`"),
        ("<a v='1/>", "/", "attribute value not closed"),
        ("<a v=1/>", "/", "attribute value must be enclosed in `\"` or `'`"),
        ("<a v/>", "/", "attribute key must be directly followed by `=` or space"),
        ("<a v='1'w='2'/>", "/", "no whitespace between attributes"),
        ("<a", "/", "tag not closed"),
        ("<a /", "/", "tag not closed"),
        ("<1a/>", "/", "`1a` is not a valid qualified name"),
        ("< a/>", "/", "is not a valid qualified name"),
        ("<a></ a>", "/a", "expected `</a>`, found `</ a>`"),
        ("<a></a", "/a", "tag not closed"),
        ("<a/><b/>", "/", "content after the document element"),
        ("<a/>text", "/", "text outside the document element"),
        ("x<a/>", "/", "text outside the document element"),
        ("<![CDATA[x]]><a/>", "/", "text outside the document element"),
        ("<a><![CDATA[x</a>", "/a", "CDATA not closed"),
        ("<a><!-- x</a>", "/a", "comment not closed"),
        ("<a><?x y</a>", "/a", "processing instruction not closed"),
        // Found by fuzzing: a processing instruction starts with its target's name.
        ("<?><a/>", "/", "processing instruction not closed"),
        ("<?\u{20}?><a/>", "/", "is not a processing instruction's target"),
        ("<a><? x?></a>", "/a", "is not a processing instruction's target"),
        ("<?x-y=1?><a/>", "/", "`x-y=1` is not a processing instruction's target"),
        ("<!DOCTYPE a [ <!ELEMENT a ANY> <a/>", "/", "DOCTYPE not closed"),
        ("<a/><!DOCTYPE a>", "/", "a document type declaration after the document element"),
        // Found by fuzzing: a document type declaration names the document element.
        ("<!DOCTYPE><a/>", "/", "does not contain a name of a document type"),
        ("<!DOCTYPE [<!ELEMENT a ANY>]><a/>", "/", "whitespace and the document element's name"),
        ("<a><!x></a>", "/a", "unknown or missed symbol in markup"),
        // What XML 1.0 refuses and a tokenizer leaves to its user.
        ("<a>x\u{0}y</a>", "/a", "the character U+0000 is not allowed"),
        ("<a>x\u{1b}y</a>", "/a", "the character U+001B is not allowed"),
        ("<a v='\u{7}'/>", "/", "the character U+0007 is not allowed"),
        ("<a>\u{fffe}</a>", "/a", "the character U+FFFE is not allowed"),
        ("<a><![CDATA[\u{1}]]></a>", "/a", "the character U+0001 is not allowed"),
        ("<a>x]]>y</a>", "/a", "`]]>` in text"),
        ("<a><!-- x -- y --></a>", "/a", "forbidden string `--` was found in a comment"),
        ("<?xml version='1.0'?><?xml version='1.0'?><a/>", "/", "an XML declaration anywhere but at the start"),
        (" <?xml version='1.0'?><a/>", "/", "an XML declaration anywhere but at the start"),
        ("<a><?xml version='1.0'?></a>", "/a", "an XML declaration anywhere but at the start"),
        ("<?XmL x?><a/>", "/", "`XmL` is not a processing instruction's target"),
        // Found by fuzzing: the declaration's own grammar.
        ("<?xml version=\"1.0\" encoding=\"uns:xsd=\"http://x\" y=\"z\"?><a/>", "/", "an XML declaration that is not"),
        ("<?xml encoding='utf-8'?><a/>", "/", "an XML declaration that is not"),
        ("<!DOCTYPE a><!DOCTYPE a><a/>", "/", "a second document type declaration"),
        ("<!doctype a><a/>", "/", "expected `<!DOCTYPE`"),
        ("<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>", "/", "two attributes `x` in one namespace"),
    ];
    let mut wrong = Vec::new();
    for (document, path, message) in cases {
        match Document::parse(document) {
            Ok(_) => wrong.push(format!("ACCEPTED {document:?}")),
            Err(error) if error.path != *path || !error.message.contains(message) => {
                wrong.push(format!("{document:?} => {:?} {:?}", error.path, error.message))
            }
            Err(_) => {}
        }
        // An independent parser refuses each of them too, except where it is known to be lenient.
        let expected = match LENIENT_REFERENCE.contains(document) {
            true => xml_reference::Agreement::Stricter,
            false => xml_reference::Agreement::Refused,
        };
        match xml_reference::compare(document, 128) {
            Ok(agreement) if agreement == expected => {}
            other => wrong.push(format!("roxmltree differs on {document:?}: {other:?}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn hostile_shapes_cost_linear_time() {
    // Many attributes on one element: duplicates are found through a set, not pairwise.
    let attributes: String = (0..50_000).map(|i| format!(" a{i}='{i}'")).collect();
    let document = format!("<a{attributes}/>");
    assert_eq!(Document::parse(&document).unwrap().root().attributes().count(), 50_000);
    let repeated = format!("<a{attributes} a49999='x'/>");
    assert!(Document::parse(&repeated).unwrap_err().message.contains("`a49999` is repeated"));
    // Many prefixes declared at once, each used: resolved by lookup, not by a scan.
    let declarations: String = (0..20_000).map(|i| format!(" xmlns:p{i}='urn:{i}'")).collect();
    let children: String = (0..20_000).map(|i| format!("<p{i}:x/>")).collect();
    let document = format!("<a{declarations}>{children}</a>");
    let parsed = Document::parse(&document).unwrap();
    assert_eq!(parsed.root().children().last().unwrap().namespace(), Some("urn:19999"));
    // References without their `;` stop at the first.
    assert!(Document::parse(&format!("<a>{}</a>", "&".repeat(100_000))).is_err());
}

/// A document type declaration whose internal subset holds a processing instruction is skipped
/// to its real end: a parser that counted brackets would read the first document element (a
/// session id an attacker chose) where every XML parser reads the second (found in review: two
/// readers disagreeing on one document is how response smuggling starts).
#[test]
fn a_doctype_is_skipped_to_where_xml_parsers_end_it() {
    let smuggled = concat!(
        r#"<!DOCTYPE r [<?pi ]><LogonSession xmlns="http://www.veeam.com/ent/v1.0"><SessionId>evil</SessionId></LogonSession><!-- ?>]>"#,
        r#"<LogonSession xmlns="http://www.veeam.com/ent/v1.0"><SessionId>good</SessionId></LogonSession><!-- -->"#,
    );
    let document = Document::parse(smuggled).unwrap();
    assert_eq!(document.root().children().next().unwrap().text(), "good");
    same(smuggled);
    // Well-formed, with an apostrophe in the instruction: read.
    let quoted = "<!DOCTYPE a [<?pi don't?>]><a/>";
    assert_eq!(Document::parse(quoted).unwrap().root().name(), "a");
    same(quoted);
}
