//! rustdoc attributes from spec text. Text is data: characters rustc refuses in comments (bidi
//! controls, a bare carriage return) or that would hide text are written as escapes.

use proc_macro2::TokenStream;
use quote::quote;

/// Characters that reorder or hide text (rustc denies them in comments and literals).
fn is_hidden(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with tabs as four spaces, and every other control character and bidi control escaped
/// as `\u{…}`.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.replace("\r\n", "\n").chars() {
        if c == '\t' {
            // Tabs in doc comments are a clippy warning.
            out.push_str("    ");
        } else if (c.is_control() && c != '\n') || is_hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn lines(text: Option<&str>) -> Vec<String> {
    // An empty doc comment is a clippy warning: no text, no comment.
    let Some(text) = text.filter(|text| !text.trim().is_empty()) else { return Vec::new() };
    let mut in_code = false;
    clean(text)
        .split('\n')
        .map(|line| {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            }
            match (line.is_empty(), in_code) {
                (true, _) => String::new(),
                (false, true) => format!(" {line}"),
                (false, false) => format!(" {}", linked(line)),
            }
        })
        .collect()
}

/// A line with each bare URL written `<https://…>` (rustdoc links those and warns of the others);
/// URLs already in `<…>`, a Markdown link's `(…)`, quotes or code are left as they are.
fn linked(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut in_code = false;
    while let Some(at) = rest.find(['`', 'h']) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        if let Some(after) = from.strip_prefix('`') {
            in_code = !in_code;
            out.push('`');
            rest = after;
            continue;
        }
        let is_url = from.starts_with("https://") || from.starts_with("http://");
        let previous = out.chars().last();
        let bare = is_url && !in_code && !matches!(previous, Some('<' | '(' | '"' | '\'' | '[' | '='));
        if !bare {
            out.push('h');
            rest = &from[1..];
            continue;
        }
        let end = from.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`')).unwrap_or(from.len());
        // Sentence punctuation and a closing parenthesis without its opening one end the URL.
        let mut url = &from[..end];
        loop {
            let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?']);
            let unbalanced = trimmed.ends_with(')') && trimmed.matches('(').count() < trimmed.matches(')').count();
            let next = if unbalanced { &trimmed[..trimmed.len() - 1] } else { trimmed };
            if next.len() == url.len() {
                break;
            }
            url = next;
        }
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &from[url.len()..];
    }
    out.push_str(rest);
    out
}

/// `///` lines.
pub fn outer(text: Option<&str>) -> TokenStream {
    let lines = lines(text);
    quote! { #(#[doc = #lines])* }
}

/// `//!` lines.
pub fn inner(text: Option<&str>) -> TokenStream {
    let lines = lines(text);
    quote! { #(#![doc = #lines])* }
}

#[cfg(test)]
mod tests {
    #[test]
    fn bare_urls_are_linked_and_others_left_alone() {
        use super::linked;
        assert_eq!(
            linked("sign in on the https://microsoft.com/devicelogin page."),
            "sign in on the <https://microsoft.com/devicelogin> page."
        );
        assert_eq!(linked("(see https://a.example/x)."), "(see <https://a.example/x>).");
        for kept in
            ["<https://a.example>", "[here](https://a.example)", "`https://a.example`", "hhttp", "a \"http://x\""]
        {
            assert_eq!(linked(kept), kept);
        }
    }

    #[test]
    fn hidden_and_control_characters_are_escaped() {
        assert_eq!(super::clean("a\u{202E}b\rc\td\r\n"), "a\\u{202e}b\\u{d}c    d\n");
    }
}
