//! The type expressions of the spec language: a primitive (`string`, `uuid`, ...), a schema name,
//! `list<T>` or `map<T>` (string keys).

use std::collections::HashMap;

use crate::ir::{Primitive, SchemaId, Type};

#[derive(Debug, PartialEq)]
pub enum TypeError {
    /// A name that is neither a primitive nor a schema of the API.
    Unknown(String),
    Malformed(String),
}

pub fn parse(expr: &str, schemas: &HashMap<String, SchemaId>) -> Result<Type, TypeError> {
    let expr = expr.trim();
    for (prefix, wrap) in [("list<", Type::List as fn(Box<Type>) -> Type), ("map<", Type::Map)] {
        if let Some(inner) = expr.strip_prefix(prefix) {
            let Some(inner) = inner.strip_suffix('>') else {
                return Err(TypeError::Malformed("expected `>` at the end".into()));
            };
            return Ok(wrap(Box::new(parse(inner, schemas)?)));
        }
    }
    if expr.is_empty() {
        return Err(TypeError::Malformed("expected a type name".into()));
    }
    if expr.contains(['<', '>', ' ', ',']) {
        return Err(TypeError::Malformed("expected a name, `list<T>` or `map<T>`".into()));
    }
    if let Some((_, primitive)) = Primitive::ALL.iter().find(|(name, _)| *name == expr) {
        return Ok(Type::Primitive(*primitive));
    }
    schemas.get(expr).map(|id| Type::Schema(*id)).ok_or_else(|| TypeError::Unknown(expr.to_owned()))
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
        assert_eq!(parse("Lnk", &schemas), Err(TypeError::Unknown("Lnk".into())));
        assert!(matches!(parse("list<Link", &schemas), Err(TypeError::Malformed(_))));
        assert!(matches!(parse("list<>", &schemas), Err(TypeError::Malformed(_))));
    }
}
