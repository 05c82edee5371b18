//! One enum per value list: an enum declared inline (a query parameter's `Sort` items, a
//! property's) whose values are those of a component enum is that enum; inline enums with the
//! same values are one. Component enums stay apart even when their values agree: their names
//! are the document's.

use std::collections::{BTreeMap, HashSet};

use super::overlay::{rename_operation_types, rename_type_references};
use super::Importer;
use crate::load::ast;

impl Importer<'_> {
    pub(super) fn merge_duplicate_enums(&mut self) {
        let components: HashSet<String> = self.component_names.values().cloned().collect();
        let mut by_values: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
        for (name, schema) in &self.schemas {
            if !matches!(schema.kind, ast::SchemaKind::Enum) {
                continue;
            }
            let mut values: Vec<String> = schema.values.iter().flatten().map(|v| v.value.clone()).collect();
            values.sort();
            by_values.entry(values).or_default().push(name.clone());
        }
        let mut merges: Vec<(String, String)> = Vec::new();
        for names in by_values.values().filter(|names| names.len() > 1) {
            let (declared, inline): (Vec<&String>, Vec<&String>) =
                names.iter().partition(|name| components.contains(*name));
            for name in &inline {
                // The component nearest in name (`AmazonAccountsGetAllSortItem` ->
                // `AmazonAccountsSortColumns`), else the first inline one.
                let target = declared
                    .iter()
                    .max_by_key(|candidate| (shared_prefix(candidate, name), std::cmp::Reverse(candidate.as_str())))
                    .copied()
                    .or_else(|| inline.first().copied().filter(|first| first != name));
                if let Some(target) = target {
                    merges.push(((*name).clone(), target.clone()));
                }
            }
        }
        for (from, to) in merges {
            let Some(merged) = self.schemas.remove(&from) else { continue };
            // Descriptions of values the kept enum lacks are not lost.
            if let (Some(kept), Some(values)) = (self.schemas.get_mut(&to), merged.values) {
                for value in values {
                    if let Some(existing) = kept.values.iter_mut().flatten().find(|v| v.value == value.value) {
                        if existing.description.is_none() {
                            existing.description = value.description;
                        }
                    }
                }
            }
            for schema in self.schemas.values_mut() {
                rename_type_references(schema, &from, &to);
            }
            for operation in self.operations.values_mut() {
                rename_operation_types(operation, &from, &to);
            }
        }
    }
}

fn shared_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}
