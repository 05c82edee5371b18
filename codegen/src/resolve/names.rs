//! Rust names from spec names: heck for the case conversion, then the checks that make the
//! result a valid identifier ([`Ident`] escapes keywords as raw identifiers).

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::{Ident, NOT_RAW};

fn check_ascii(name: &str) -> Result<(), String> {
    if name.is_ascii() {
        Ok(())
    } else {
        Err(format!("`{}` has non-ASCII characters; Rust names are derived from ASCII names only", name.escape_debug()))
    }
}

/// Keywords that cannot be raw identifiers get a trailing `_` (`self` -> `self_`, `Self` ->
/// `Self_`); other keywords become raw identifiers (`r#type`) in [`Ident::new`].
fn escape_keyword(mut rust: String) -> String {
    if NOT_RAW.contains(&rust.as_str()) && rust != "_" {
        rust.push('_');
    }
    rust
}

/// Type name (`UpperCamelCase`) of a schema.
pub fn type_name(name: &str) -> Result<Ident, String> {
    check_ascii(name)?;
    let rust = escape_keyword(name.to_upper_camel_case());
    Ident::new(&rust).ok_or_else(|| format!("`{name}` cannot be turned into a Rust type name (got `{rust}`)"))
}

/// Field, parameter or method name (`snake_case`); keywords become raw identifiers (`r#type`).
pub fn value_name(name: &str) -> Result<Ident, String> {
    check_ascii(name)?;
    let rust = escape_keyword(name.to_snake_case());
    Ident::new(&rust)
        .ok_or_else(|| format!("`{}` cannot be turned into a Rust name (got `{rust}`)", name.escape_debug()))
}

/// Checks an API name: a snake_case Rust module name that is not a keyword. The error suggests
/// one that is (`box` -> `box_api`, `Backup-Server` -> `backup_server`).
pub fn api_name(name: &str) -> Result<Ident, String> {
    let rust = value_name(name)?;
    if rust.as_str() == name {
        return Ok(rust);
    }
    let plain = rust.plain();
    let suggestion =
        if plain == name || rust.as_str().starts_with("r#") { format!("{plain}_api") } else { plain.to_owned() };
    let why = if plain == name { "is a Rust keyword" } else { "must be a snake_case Rust module name" };
    Err(format!("API name `{}` {why}; use a name such as `{suggestion}`", name.escape_debug()))
}

/// The variant name a union alternative gets from its written type expression: the name at its
/// heart as a Rust type name (`Pet`, `Int64` for `int64`), then `List`/`Map` for each wrapper
/// from the inside out (`PetList` for `list<Pet>`). The importer predicts names with it too.
pub fn union_variant_name(expr: &str) -> String {
    let mut wrappers = Vec::new();
    let mut expr = expr.trim();
    loop {
        let (wrapper, inner) = if let Some(inner) = expr.strip_prefix("list<") {
            ("List", inner)
        } else if let Some(inner) = expr.strip_prefix("map<") {
            ("Map", inner)
        } else {
            break;
        };
        wrappers.push(wrapper);
        expr = inner.trim_end().strip_suffix('>').unwrap_or(inner).trim();
    }
    let mut name = type_name(expr).map(|ident| ident.as_str().to_owned()).unwrap_or_else(|_| "Value".into());
    wrappers.iter().rev().for_each(|wrapper| name.push_str(wrapper));
    name
}

/// `UpperCamelCase` of a snake_case identifier (request builder names).
pub fn camel_of(ident: &Ident) -> Option<Ident> {
    Ident::new(&escape_keyword(ident.plain().to_upper_camel_case()))
}

/// Enum variant for a documented value; values are data, so any string gets a variant name
/// (collisions are made unique by the caller).
pub fn variant_name(value: &str) -> Ident {
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
    // ASCII letters and digits starting with an upper-case letter, not `Self`: an identifier.
    Ident::assume(rust)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_variant_names_come_from_the_written_type() {
        assert_eq!(union_variant_name("Pet"), "Pet");
        assert_eq!(union_variant_name("date-time"), "DateTime");
        assert_eq!(union_variant_name(" list< map<Money> > "), "MoneyMapList");
        assert_eq!(union_variant_name("Self"), "Self_");
    }

    #[test]
    fn names() {
        assert_eq!(type_name("PasswordKeyInfo").unwrap().as_str(), "PasswordKeyInfo");
        assert_eq!(value_name("AllowRestoreAllVms").unwrap().as_str(), "allow_restore_all_vms");
        assert_eq!(value_name("_links").unwrap().as_str(), "links");
        assert_eq!(value_name("type").unwrap().as_str(), "r#type");
        assert_eq!(value_name(".issued").unwrap().as_str(), "issued");
        assert_eq!(value_name("self").unwrap().as_str(), "self_");
        assert_eq!(value_name("super").unwrap().as_str(), "super_");
        assert_eq!(type_name("self").unwrap().as_str(), "Self_");
        assert!(value_name("%%").is_err());
        assert!(value_name("9lives").is_err());
        assert_eq!(variant_name("1.0-rev0").as_str(), "V10Rev0");
        assert_eq!(variant_name("nameAsc").as_str(), "NameAsc");
        assert_eq!(variant_name("").as_str(), "Empty");
        assert_eq!(variant_name("日本").as_str(), "Empty");
        assert_eq!(camel_of(&value_name("get_x1").unwrap()).unwrap().as_str(), "GetX1");
    }
}
