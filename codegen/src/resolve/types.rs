//! The type expressions of the spec language: a primitive (`string`, `uuid`, ...), a schema name,
//! `list<T>` or `map<T>` (string keys). Parsed without recursion, nesting bounded.

use std::collections::HashMap;

use crate::ir::{Primitive, SchemaId, Type};

/// How many `list<…>` / `map<…>` a type expression may nest. Real APIs need four (GeoJSON
/// polygons); every level is a generic type rustc has to see through.
pub const MAX_TYPE_DEPTH: usize = 8;

#[derive(Debug, PartialEq)]
pub enum TypeError {
    /// A name that is neither a primitive nor a schema of the API.
    Unknown(String),
    Malformed(String),
}

pub fn parse(expr: &str, schemas: &HashMap<String, SchemaId>) -> Result<Type, TypeError> {
    let mut wrappers: Vec<fn(Box<Type>) -> Type> = Vec::new();
    let mut rest = expr.trim();
    loop {
        let wrap = if let Some(inner) = rest.strip_prefix("list<") {
            rest = inner;
            Type::List as fn(Box<Type>) -> Type
        } else if let Some(inner) = rest.strip_prefix("map<") {
            rest = inner;
            Type::Map
        } else {
            break;
        };
        if wrappers.len() == MAX_TYPE_DEPTH {
            return Err(TypeError::Malformed(format!("lists and maps nest more than {MAX_TYPE_DEPTH} levels deep")));
        }
        let Some(inner) = rest.trim_end().strip_suffix('>') else {
            return Err(TypeError::Malformed("expected `>` at the end".into()));
        };
        rest = inner.trim();
        wrappers.push(wrap);
    }
    if rest.is_empty() {
        return Err(TypeError::Malformed("expected a type name".into()));
    }
    if rest.contains(['<', '>', ' ', ',']) {
        return Err(TypeError::Malformed("expected a name, `list<T>` or `map<T>`".into()));
    }
    let mut ty = match Primitive::ALL.iter().find(|(name, _)| *name == rest) {
        Some((_, primitive)) => Type::Primitive(*primitive),
        None => schemas.get(rest).map(|id| Type::Schema(*id)).ok_or_else(|| TypeError::Unknown(rest.to_owned()))?,
    };
    while let Some(wrap) = wrappers.pop() {
        ty = wrap(Box::new(ty));
    }
    Ok(ty)
}

/// How many generic types (`Vec`, `BTreeMap`) wrap the innermost type.
pub fn nesting(ty: &Type) -> usize {
    let mut depth = 0;
    let mut ty = ty;
    while let Type::List(inner) | Type::Map(inner) = ty {
        depth += 1;
        ty = inner;
    }
    depth
}

/// Raw bytes somewhere in the type: only whole bodies and multipart parts hold them.
pub fn holds_binary(ty: &Type) -> bool {
    let mut ty = ty;
    while let Type::List(inner) | Type::Map(inner) = ty {
        ty = inner;
    }
    *ty == Type::Primitive(Primitive::Binary)
}

/// Why `binary` may not stand where it was written.
pub const BINARY_PLACE: &str =
    "`binary` (raw bytes) is a whole request or response body or a multipart part (`in: part`), not a value inside a schema, parameter or header";

/// The schema at the heart of a type, through lists and maps.
pub fn innermost_schema(ty: &Type) -> Option<SchemaId> {
    let mut ty = ty;
    loop {
        match ty {
            Type::List(inner) | Type::Map(inner) => ty = inner,
            Type::Schema(id) => return Some(*id),
            Type::Primitive(_) => return None,
        }
    }
}

/// `ty` with its innermost type replaced by `inner` (`list<Alias>` with `map<X>`: `list<map<X>>`).
pub fn substitute(ty: &Type, inner: Type) -> Type {
    let mut wrappers: Vec<fn(Box<Type>) -> Type> = Vec::new();
    let mut ty = ty;
    loop {
        match ty {
            Type::List(item) => {
                wrappers.push(Type::List);
                ty = item;
            }
            Type::Map(item) => {
                wrappers.push(Type::Map);
                ty = item;
            }
            _ => break,
        }
    }
    let mut result = inner;
    while let Some(wrap) = wrappers.pop() {
        result = wrap(Box::new(result));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions() {
        let schemas = HashMap::from([("Link".to_owned(), SchemaId(3))]);
        assert_eq!(parse("uuid", &schemas), Ok(Type::Primitive(Primitive::Uuid)));
        assert_eq!(parse("list<Link>", &schemas), Ok(Type::List(Box::new(Type::Schema(SchemaId(3))))));
        assert_eq!(
            parse("map<list<string>>", &schemas),
            Ok(Type::Map(Box::new(Type::List(Box::new(Type::Primitive(Primitive::String))))))
        );
        assert_eq!(parse(" list< Link > ", &schemas), Ok(Type::List(Box::new(Type::Schema(SchemaId(3))))));
        assert_eq!(parse("Lnk", &schemas), Err(TypeError::Unknown("Lnk".into())));
        assert!(matches!(parse("list<Link", &schemas), Err(TypeError::Malformed(_))));
        assert!(matches!(parse("list<>", &schemas), Err(TypeError::Malformed(_))));
        assert!(matches!(parse("list<Link>>", &schemas), Err(TypeError::Malformed(_))));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let schemas = HashMap::new();
        let deep = format!("{}string{}", "list<".repeat(100_000), ">".repeat(100_000));
        assert!(matches!(parse(&deep, &schemas), Err(TypeError::Malformed(m)) if m.contains("more than 8")));
        let ok = format!("{}string{}", "list<".repeat(MAX_TYPE_DEPTH), ">".repeat(MAX_TYPE_DEPTH));
        assert_eq!(nesting(&parse(&ok, &schemas).unwrap()), MAX_TYPE_DEPTH);
    }
}
