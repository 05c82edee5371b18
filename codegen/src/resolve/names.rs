//! Rust names from spec names: heck for the case conversion, then keyword escaping and the checks
//! that make the result a valid identifier.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of every edition (strict and reserved), as of Rust 2024.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "_"
}

fn check_ascii(name: &str) -> Result<(), String> {
    if name.is_ascii() {
        Ok(())
    } else {
        Err(format!("`{name}` has non-ASCII characters; Rust names are derived from ASCII names only"))
    }
}

/// Type name (`UpperCamelCase`) of a schema.
pub fn type_name(name: &str) -> Result<String, String> {
    check_ascii(name)?;
    let rust = name.to_upper_camel_case();
    if rust == "Self" {
        return Err(format!("`{name}` becomes `Self`, a Rust keyword that cannot name a type"));
    }
    if !is_identifier(&rust) {
        return Err(format!("`{name}` cannot be turned into a Rust type name (got `{rust}`)"));
    }
    Ok(rust)
}

/// Field, parameter or method name (`snake_case`); keywords become raw identifiers (`r#type`).
pub fn value_name(name: &str) -> Result<String, String> {
    check_ascii(name)?;
    let rust = name.to_snake_case();
    if NOT_RAW.contains(&rust.as_str()) {
        return Err(format!(
            "`{name}` becomes `{rust}`, a Rust keyword that cannot be used as a name, not even as `r#{rust}`"
        ));
    }
    if !is_identifier(&rust) {
        return Err(format!("`{name}` cannot be turned into a Rust name (got `{rust}`)"));
    }
    if KEYWORDS.contains(&rust.as_str()) {
        return Ok(format!("r#{rust}"));
    }
    Ok(rust)
}

/// Enum variant for a documented value; values are data, so any string gets a variant name.
pub fn variant_name(value: &str) -> String {
    let mut rust: String = value
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .to_upper_camel_case();
    if rust.is_empty() {
        rust = "Empty".into();
    }
    if rust.starts_with(|c: char| c.is_ascii_digit()) {
        rust.insert(0, 'V');
    }
    if rust == "Self" {
        rust.push('_');
    }
    rust
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(type_name("PasswordKeyInfo").unwrap(), "PasswordKeyInfo");
        assert_eq!(value_name("AllowRestoreAllVms").unwrap(), "allow_restore_all_vms");
        assert_eq!(value_name("_links").unwrap(), "links");
        assert_eq!(value_name("type").unwrap(), "r#type");
        assert_eq!(value_name(".issued").unwrap(), "issued");
        assert!(value_name("self").is_err());
        assert!(type_name("self").is_err());
        assert!(value_name("%%").is_err());
        assert_eq!(variant_name("1.0-rev0"), "V10Rev0");
        assert_eq!(variant_name("nameAsc"), "NameAsc");
        assert_eq!(variant_name(""), "Empty");
    }
}
