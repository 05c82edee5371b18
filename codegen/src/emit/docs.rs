//! rustdoc attributes from spec text.

use proc_macro2::TokenStream;
use quote::quote;

fn lines(text: Option<&str>) -> Vec<String> {
    text.map(|text| text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") }).collect())
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
