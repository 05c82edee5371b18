//! Phase 3: the task resource (`api.tasks`): which schema, which operation polls it, and the
//! field paths the client's `wait_for_task` reads.

use super::settings::Settings;
use super::Resolver;
use crate::ir::{self, Output, SchemaId, Type};
use crate::load::ast;

/// What a field path must end in.
#[derive(Clone, Copy)]
pub(super) enum Want {
    Text,
    TextOrEnum,
    Boolean,
    ListOfObjects,
    List,
    Integer,
    TextOrUuid,
}

impl Want {
    fn describe(self) -> &'static str {
        match self {
            Want::Text => "text",
            Want::TextOrEnum => "text or an enum",
            Want::Boolean => "a boolean",
            Want::ListOfObjects => "a list of objects",
            Want::List => "a list",
            Want::Integer => "an integer",
            Want::TextOrUuid => "text or a UUID",
        }
    }
}

impl Resolver<'_> {
    pub(super) fn tasks(
        &mut self,
        settings: &Settings,
        schemas: &[ir::Schema],
        operations: &[ir::Operation],
        tables: &super::tables::Tables,
    ) -> Option<ir::Tasks> {
        let tasks: &ast::Tasks = settings.tasks?;
        let file = settings.file;
        let start = self.errors();
        let schema = match tables.schema_ids.get(&tasks.schema) {
            Some(id) if matches!(schemas[id.0].kind, ir::SchemaKind::Object(_)) => Some(*id),
            Some(_) => {
                self.error(file, "api.tasks.schema", format!("`{}` is not an object schema", tasks.schema));
                None
            }
            None => {
                let hint =
                    crate::diagnostics::did_you_mean(&tasks.schema, tables.schema_ids.keys().map(String::as_str));
                self.error(file, "api.tasks.schema", format!("no schema `{}`{hint}", tasks.schema));
                None
            }
        };
        let poll = match tables.operation_ids.get(&tasks.poll) {
            Some(id) => Some(id.0),
            None => {
                let hint =
                    crate::diagnostics::did_you_mean(&tasks.poll, tables.operation_ids.keys().map(String::as_str));
                self.error(file, "api.tasks.poll", format!("no operation `{}`{hint}", tasks.poll));
                None
            }
        };
        if let (Some(schema), Some(poll)) = (schema, poll) {
            let operation = &operations[poll];
            let arguments: Vec<&ir::Parameter> =
                operation.parameters.iter().filter(|p| p.required && p.value.is_none()).collect();
            let id_type = |ty: &Type| super::rules::is_text(ty, schemas) || *ty == Type::Primitive(ir::Primitive::Uuid);
            let takes_id = arguments.len() == 1 && id_type(&arguments[0].ty);
            let returns_task = matches!(&operation.output, Output::Body(Type::Schema(id)) if *id == schema);
            if !takes_id || !returns_task {
                let message = format!(
                    "operation `{}` must take the task id (text or a UUID) as its one argument and return `{}`",
                    tasks.poll, tasks.schema
                );
                self.error(file, "api.tasks.poll", message);
            }
        }
        let schema = schema?;
        let path = |resolver: &mut Self, key: &str, text: &str, want: Want| {
            resolver.field_path(file, &format!("api.tasks.{key}"), schemas, schema, text, want)
        };
        let id = path(self, "id", &tasks.id, Want::TextOrUuid);
        // The poll operation takes the id as the task holds it.
        if let (Some(id), Some(poll)) = (&id, poll) {
            let argument = operations[poll].parameters.iter().find(|p| p.required && p.value.is_none());
            let uuid = |ty: Option<&Type>| ty == Some(&Type::Primitive(ir::Primitive::Uuid));
            if argument.is_some_and(|argument| uuid(Some(&argument.ty)) != uuid(id.ty(schemas))) {
                let message = format!("`{}` and the argument of `{}` differ in type", tasks.id, tasks.poll);
                self.error(file, "api.tasks.id", message);
            }
        }
        let state = path(self, "state", &tasks.state, Want::TextOrEnum);
        let success = tasks.success.as_deref().map(|text| path(self, "success", text, Want::Boolean));
        let message = tasks.message.as_deref().map(|text| path(self, "message", text, Want::Text));
        let related = tasks.related.as_ref().map(|related| {
            let links = path(self, "related.links", &related.links, Want::ListOfObjects);
            let item = links.as_ref().and_then(|links| match links.ty(schemas)?.list_item()? {
                Type::Schema(id) => Some(*id),
                _ => None,
            });
            let rel = item.and_then(|item| {
                self.field_path(file, "api.tasks.related.rel", schemas, item, &related.rel, Want::Text)
            });
            let href = item.and_then(|item| {
                self.field_path(file, "api.tasks.related.href", schemas, item, &related.href, Want::Text)
            });
            Some(ir::RelatedLink { links: links?, rel: rel?, href: href?, value: related.value.clone() })
        });
        let done =
            state.as_ref().map(|state| self.done_states(file, "done", schemas, state, &tasks.done)).unwrap_or_default();
        let outcome = tasks.outcome.as_deref().map(|text| path(self, "outcome", text, Want::TextOrEnum));
        let failed = match &outcome {
            Some(outcome) => outcome
                .as_ref()
                .map(|outcome| self.done_states(file, "failed", schemas, outcome, &tasks.failed))
                .unwrap_or_default(),
            None => {
                let failed = state
                    .as_ref()
                    .map(|state| self.done_states(file, "failed", schemas, state, &tasks.failed))
                    .unwrap_or_default();
                for (index, (value, _)) in failed.iter().enumerate() {
                    if !done.iter().any(|(done, _)| done == value) {
                        let message = format!("`{value}` is not a done state: list it in `done` too");
                        self.error(file, &format!("api.tasks.failed[{index}]"), message);
                    }
                }
                failed
            }
        };
        if tasks.success.is_some() && !tasks.failed.is_empty() {
            self.error(file, "api.tasks.failed", "give `success` (a boolean) or `failed` (states), not both");
        }
        if tasks.outcome.is_some() && tasks.failed.is_empty() {
            self.error(file, "api.tasks.outcome", "`outcome` needs `failed`: the values of it that say a task failed");
        }
        if tasks.done.is_empty() {
            self.error(file, "api.tasks.done", "name at least one state in which a task is over");
        }
        if self.errors() != start {
            return None;
        }
        Some(ir::Tasks {
            schema,
            poll: poll?,
            id: id?,
            state: state?,
            done,
            success: success.flatten(),
            failed,
            outcome: outcome.flatten(),
            message: message.flatten(),
            related: related.flatten(),
        })
    }

    /// Done (or failed) states: each a value of the state enum, or any text for a text state
    /// (`state` is the outcome's path for an outcome's failing values).
    fn done_states(
        &mut self,
        file: usize,
        key: &str,
        schemas: &[ir::Schema],
        state: &ir::FieldPath,
        done: &[String],
    ) -> Vec<(String, Option<ir::Ident>)> {
        let ty = state.ty(schemas);
        let values = match ty {
            Some(Type::Schema(id)) => match &schemas[id.0].kind {
                ir::SchemaKind::Enum(values) => Some(values),
                _ => None,
            },
            _ => None,
        };
        let mut resolved = Vec::new();
        for (index, value) in done.iter().enumerate() {
            match values {
                None => resolved.push((value.clone(), None)),
                Some(values) => match values.values.iter().find(|v| v.value == *value) {
                    Some(found) => resolved.push((value.clone(), Some(found.rust_name.clone()))),
                    None => {
                        let hint =
                            crate::diagnostics::did_you_mean(value, values.values.iter().map(|v| v.value.as_str()));
                        self.error(
                            file,
                            &format!("api.tasks.{key}[{index}]"),
                            format!("the state has no value `{value}`{hint}"),
                        );
                    }
                },
            }
        }
        resolved
    }

    /// `A.B.C` from `schema`: every step but the last an object field.
    pub(super) fn field_path(
        &mut self,
        file: usize,
        yaml_path: &str,
        schemas: &[ir::Schema],
        schema: SchemaId,
        text: &str,
        want: Want,
    ) -> Option<ir::FieldPath> {
        let mut steps = Vec::new();
        let mut owner = schema;
        let parts: Vec<&str> = text.split('.').collect();
        for (index, part) in parts.iter().enumerate() {
            let ir::SchemaKind::Object(object) = &schemas[owner.0].kind else {
                let message = format!("`{}` is not an object, so `{text}` cannot go through it", schemas[owner.0].name);
                self.error(file, yaml_path, message);
                return None;
            };
            let Some(found) = object.fields.iter().position(|f| f.name == *part) else {
                let hint = crate::diagnostics::did_you_mean(part, object.fields.iter().map(|f| f.name.as_str()));
                let message = format!("`{}` has no field `{part}`{hint}", schemas[owner.0].name);
                self.error(file, yaml_path, message);
                return None;
            };
            steps.push((owner, found));
            if index + 1 < parts.len() {
                match &object.fields[found].ty {
                    Type::Schema(next) => owner = *next,
                    other => {
                        let message = format!("`{part}` is `{}`, not an object", type_name(other, schemas));
                        self.error(file, yaml_path, message);
                        return None;
                    }
                }
            }
        }
        let path = ir::FieldPath(steps);
        let ty = path.ty(schemas)?;
        let fits = match want {
            Want::Text => super::rules::is_text(ty, schemas),
            Want::TextOrEnum => {
                super::rules::is_text(ty, schemas)
                    || matches!(ty, Type::Schema(id) if matches!(schemas[id.0].kind, ir::SchemaKind::Enum(_)))
            }
            Want::Boolean => *ty == Type::Primitive(ir::Primitive::Boolean),
            Want::ListOfObjects => matches!(ty, Type::List(item)
                if matches!(**item, Type::Schema(id) if matches!(schemas[id.0].kind, ir::SchemaKind::Object(_)))),
            Want::List => matches!(ty, Type::List(_)),
            Want::Integer => matches!(ty, Type::Primitive(ir::Primitive::Int32 | ir::Primitive::Int64)),
            Want::TextOrUuid => super::rules::is_text(ty, schemas) || *ty == Type::Primitive(ir::Primitive::Uuid),
        };
        if !fits {
            let message = format!("`{text}` is `{}`; it must be {}", type_name(ty, schemas), want.describe());
            self.error(file, yaml_path, message);
            return None;
        }
        Some(path)
    }
}

fn type_name(ty: &Type, schemas: &[ir::Schema]) -> String {
    match ty {
        Type::Schema(id) => schemas[id.0].name.clone(),
        Type::List(item) => format!("list<{}>", type_name(item, schemas)),
        Type::Map(value) => format!("map<{}>", type_name(value, schemas)),
        Type::Primitive(primitive) => primitive.spec_name().to_owned(),
    }
}
