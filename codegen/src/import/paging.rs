//! Paging, recognised by its common shapes: a GET with an optional integer query parameter
//! for the position (`offset`, `skip`, `start`; or `page`) and one for the page size (`limit`,
//! `pageSize`, `per_page`, ...), whose one success body is an object with a list of items
//! (`results`, `items`, `data`, ... or its only list) and, maybe, a total (`totalCount`;
//! `totalPages`, also one object down: `PagingInfo.PagesCount`).

use super::Importer;
use crate::load::ast;

/// Parameter and field names, compared lower-case without `_` and `-`.
const OFFSET: &[&str] = &["offset", "skip", "start", "startindex", "from"];
const PAGE: &[&str] = &["page", "pagenumber", "pagenum", "pageindex", "pageno"];
const SIZE: &[&str] =
    &["limit", "pagesize", "perpage", "size", "top", "maxresults", "maxitems", "pagelimit", "count", "take"];
const ITEMS: &[&str] = &["results", "items", "data", "records", "entries", "values", "content", "elements"];
const TOTAL_ITEMS: &[&str] =
    &["totalcount", "total", "totalitems", "totalresults", "totalrecords", "totalelements", "totalsize"];
const TOTAL_PAGES: &[&str] = &["totalpages", "pagescount", "pagecount", "pages", "numpages"];

fn normalized(name: &str) -> String {
    name.chars().filter(|c| *c != '_' && *c != '-').flat_map(char::to_lowercase).collect()
}

fn one_of(name: &str, names: &[&str]) -> bool {
    names.contains(&normalized(name).as_str())
}

fn is_integer(ty: &str) -> bool {
    matches!(ty, "int32" | "int64")
}

impl Importer<'_> {
    /// Gives each operation that pages in a known shape its `paging`.
    pub(super) fn detect_paging(&mut self) {
        let mut found = Vec::new();
        for (id, operation) in &self.operations {
            if let Some(paging) = self.paging_of(operation) {
                found.push((id.clone(), paging));
            }
        }
        for (id, paging) in found {
            if let Some(operation) = self.operations.get_mut(&id) {
                operation.paging = Some(paging);
            }
        }
    }

    fn paging_of(&self, operation: &ast::Operation) -> Option<ast::Paging> {
        if !operation.method.eq_ignore_ascii_case("GET") {
            return None;
        }
        let parameter = |names: &[&str]| {
            operation.parameters.iter().find_map(|(name, parameter)| {
                let fits = matches!(parameter.location, ast::ParameterLocation::Query)
                    && is_integer(&parameter.ty)
                    && !parameter.required
                    && parameter.value.is_none()
                    && one_of(name, names);
                fits.then(|| name.clone())
            })
        };
        let (offset, page) = match (parameter(OFFSET), parameter(PAGE)) {
            (Some(offset), None) => (Some(offset), None),
            (None, Some(page)) => (None, Some(page)),
            _ => return None,
        };
        let size = parameter(SIZE);
        // One success response with a body: the page.
        let mut bodies = operation.responses.iter().filter(|(status, _)| status.starts_with('2'));
        let (Some((_, response)), None) = (bodies.next(), bodies.next()) else { return None };
        let fields = self.fields_of(response.schema.as_deref()?)?;
        let lists: Vec<&String> = fields.iter().filter(|(_, f)| f.ty.starts_with("list<")).map(|(n, _)| n).collect();
        let items = match lists.as_slice() {
            [only] => (*only).clone(),
            several => (*several.iter().find(|name| one_of(name, ITEMS))?).clone(),
        };
        let totals = if offset.is_some() { TOTAL_ITEMS } else { TOTAL_PAGES };
        let total = fields.iter().find(|(name, f)| is_integer(&f.ty) && one_of(name, totals)).map(|(n, _)| n.clone());
        // Paging information one object down (`PagingInfo: { PagesCount }`).
        let total = total.or_else(|| {
            fields.iter().find_map(|(name, field)| {
                let inner = self.fields_of(&field.ty)?;
                let (total, _) = inner.iter().find(|(n, f)| is_integer(&f.ty) && one_of(n, totals))?;
                Some(format!("{name}.{total}"))
            })
        });
        // A position without a size or a total cannot tell the last page: not a paginator.
        if size.is_none() && total.is_none() {
            return None;
        }
        Some(ast::Paging { offset, page, first_page: None, size, items, total })
    }

    /// The item type of a list-shaped object (`RegionsPage`, `EntityReferences`): one list of
    /// items beside nothing but links and a total, whether or not an operation pages it.
    pub(super) fn page_items(&self, name: &str) -> Option<String> {
        let fields = self.fields_of(name)?;
        let links = |name: &str| name.eq_ignore_ascii_case("links") || name == "_links";
        let total = |name: &str, field: &ast::Field| {
            let name = name.to_ascii_lowercase();
            is_integer(&field.ty) && (name.contains("total") || name.contains("count"))
        };
        let mut lists = fields.iter().filter(|(name, f)| !links(name) && f.ty.starts_with("list<"));
        let others = fields.iter().filter(|(name, f)| !links(name) && !total(name, f) && !f.ty.starts_with("list<"));
        let ((_, items), None, 0) = (lists.next()?, lists.next(), others.count()) else { return None };
        Some(items.ty.strip_prefix("list<")?.strip_suffix('>')?.to_owned())
    }

    /// The fields of the object schema `name`, if it is one.
    fn fields_of(&self, name: &str) -> Option<&indexmap::IndexMap<String, ast::Field>> {
        let schema = self.schemas.get(name)?;
        match schema.kind {
            ast::SchemaKind::Object => schema.fields.as_ref(),
            _ => None,
        }
    }
}
