//! Phase 3: how operations page (an operation's `paging`): the position and size parameters
//! among its own, and the field paths of its response that hold the items and the total.

use super::tables::Tables;
use super::tasks::Want;
use super::Resolver;
use crate::ir::{self, Output, ParameterLocation, Primitive, Type};
use crate::load::ast;

impl Resolver<'_> {
    pub(super) fn paging(&mut self, schemas: &[ir::Schema], operations: &mut [ir::Operation], tables: &Tables) {
        for (index, operation) in operations.iter_mut().enumerate() {
            let located = &tables.operations[index].located;
            let Some(paging) = &located.value.1.paging else { continue };
            let (file, base) = (located.file, format!("{}.paging", located.path));
            operation.paging = self.operation_paging(file, &base, paging, operation, schemas);
        }
    }

    fn operation_paging(
        &mut self,
        file: usize,
        base: &str,
        paging: &ast::Paging,
        operation: &ir::Operation,
        schemas: &[ir::Schema],
    ) -> Option<ir::Paging> {
        let start = self.errors();
        let (style, position) = match (&paging.offset, &paging.page) {
            (Some(offset), None) => {
                if paging.first_page.is_some() {
                    self.error(file, &format!("{base}.first_page"), "`first_page` is for `page`: offsets start at 0");
                }
                (ir::PageStyle::Offset, self.paging_parameter(file, &format!("{base}.offset"), offset, operation))
            }
            (None, Some(page)) => {
                let first = paging.first_page.unwrap_or(1);
                let position = self.paging_parameter(file, &format!("{base}.page"), page, operation);
                (ir::PageStyle::Page { first }, position)
            }
            _ => {
                let message = "give exactly one of `offset` (items skipped) and `page` (the page number)";
                self.error(file, base, message);
                (ir::PageStyle::Offset, None)
            }
        };
        let size = paging.size.as_ref().and_then(|size| {
            let size = self.paging_parameter(file, &format!("{base}.size"), size, operation)?;
            if Some(size) == position {
                self.error(file, &format!("{base}.size"), "the page size and the position are one parameter");
            }
            Some(size)
        });
        let sends_a_file =
            operation.request.as_ref().is_some_and(|body| body.formats.contains(&ir::BodyFormat::Binary))
                || operation.parameters.iter().any(|p| p.location == ParameterLocation::Part);
        if sends_a_file {
            self.error(file, base, "a paged operation sends no file: each page is the same request again");
        }
        let page = match &operation.output {
            Output::Body(Type::Schema(id)) if matches!(schemas[id.0].kind, ir::SchemaKind::Object(_)) => Some(*id),
            _ => {
                let message = "a paged operation answers every success with one object that holds the page's items";
                self.error(file, base, message);
                None
            }
        };
        let page = page?;
        let items = self.field_path(file, &format!("{base}.items"), schemas, page, &paging.items, Want::List);
        let total = paging
            .total
            .as_ref()
            .and_then(|total| self.field_path(file, &format!("{base}.total"), schemas, page, total, Want::Integer));
        if self.errors() != start {
            return None;
        }
        let items = items?;
        let Some(Type::List(item)) = items.ty(schemas) else { return None };
        let item = (**item).clone();
        Some(ir::Paging { style, position: position?, size, items, item, total })
    }

    /// The operation's parameter `name`: an optional integer in the query, set by the builder.
    fn paging_parameter(&mut self, file: usize, path: &str, name: &str, operation: &ir::Operation) -> Option<usize> {
        let Some(index) = operation.parameters.iter().position(|p| p.name == name) else {
            let hint = crate::diagnostics::did_you_mean(name, operation.parameters.iter().map(|p| p.name.as_str()));
            self.error(file, path, format!("the operation has no parameter `{}`{hint}", name.escape_debug()));
            return None;
        };
        let parameter = &operation.parameters[index];
        let fits = parameter.location == ParameterLocation::Query
            && matches!(parameter.ty, Type::Primitive(Primitive::Int32 | Primitive::Int64))
            && !parameter.required
            && parameter.value.is_none();
        if !fits {
            let message =
                format!("`{name}` must be an optional `int32` or `int64` query parameter without a fixed value");
            self.error(file, path, message);
            return None;
        }
        Some(index)
    }
}
