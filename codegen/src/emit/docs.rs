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
    text.filter(|text| !text.trim().is_empty())
        .map(|text| {
            clean(text)
                .split('\n')
                .map(|line| if line.is_empty() { String::new() } else { format!(" {line}") })
                .collect()
        })
        .unwrap_or_default()
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
    fn hidden_and_control_characters_are_escaped() {
        assert_eq!(super::clean("a\u{202E}b\rc\td\r\n"), "a\\u{202e}b\\u{d}c    d\n");
    }
}
