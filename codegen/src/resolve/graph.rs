//! Phase 3: the graph of schemas referring to schemas through their fields. Which fields need a
//! box (recursion), which schemas can derive `Eq`/`Hash`, and whether rustc can see through the
//! nesting at all. Iterative and linear in schemas plus fields.

use super::tables::Tables;
use super::types::{innermost_schema, nesting};
use super::Resolver;
use crate::ir::{self, Primitive, SchemaKind, Type};

/// How deep rustc may have to look through nested types. Its recursion limit is 128: beyond it
/// the generated crate, and every crate using it, fails to compile (E0320, or "queries overflow
/// the depth limit"). See [`Edge::weight`] for how a step is counted.
pub const MAX_NESTING: usize = 100;

struct Edge {
    target: usize,
    /// `list<…>` and `map<…>` around the schema.
    nesting: usize,
    /// The field is optional (`Option<…>`).
    optional: bool,
}

impl Edge {
    /// How many levels rustc goes down from one schema to the next, counting what costs most:
    /// drop checking and auto traits look through every generic type (`Option`, `Vec`, `Box`);
    /// layout looks through fields held by value (`T`, `Option<T>`), but not through pointers.
    fn weight(&self, boxed: bool) -> usize {
        let generics = self.nesting + usize::from(self.optional) + usize::from(boxed);
        let layout = if self.nesting == 0 && !boxed { 1 + usize::from(self.optional) } else { 0 };
        generics.max(layout).max(1)
    }
}

impl Resolver<'_> {
    pub(super) fn graph(&mut self, schemas: &mut [ir::Schema], tables: &Tables) {
        let edges: Vec<Vec<Edge>> = schemas
            .iter()
            .map(|schema| match &schema.kind {
                SchemaKind::Object(object) => object
                    .fields
                    .iter()
                    .filter_map(|field| {
                        let target = innermost_schema(&field.ty)?.0;
                        let optional = !field.required || field.nullable;
                        Some(Edge { target, nesting: nesting(&field.ty), optional })
                    })
                    .collect(),
                SchemaKind::Union(union) => union
                    .variants
                    .iter()
                    .filter_map(|variant| {
                        let target = innermost_schema(&variant.ty)?.0;
                        Some(Edge { target, nesting: nesting(&variant.ty), optional: false })
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        let components = strongly_connected(&edges);
        mark_boxed(schemas, &components);
        mark_eq(schemas, &edges);
        mark_secrets(schemas, &edges);
        self.check_nesting(schemas, &edges, &components, tables);
    }

    /// One error when some chain of nested types is deeper than rustc can follow.
    fn check_nesting(&mut self, schemas: &[ir::Schema], edges: &[Vec<Edge>], components: &Components, tables: &Tables) {
        let count = components.count;
        let mut size = vec![0usize; count];
        let mut inner_weight = vec![0usize; count];
        for (node, targets) in edges.iter().enumerate() {
            let component = components.of[node];
            size[component] += 1;
            for edge in targets {
                if components.of[edge.target] == component {
                    // Within a cycle, fields held directly are boxed.
                    inner_weight[component] = inner_weight[component].max(edge.weight(edge.nesting == 0));
                }
            }
        }
        // Components are numbered sinks first, so every edge leaving a component reaches one
        // already measured: the deepest chain from each, bounded by walking a whole cycle.
        let mut depth = vec![0usize; count];
        let mut next: Vec<Option<usize>> = vec![None; count];
        for component in 0..count {
            depth[component] = size[component] * inner_weight[component];
        }
        for &node in &components.order {
            let component = components.of[node];
            let within = size[component] * inner_weight[component];
            for edge in &edges[node] {
                let target = components.of[edge.target];
                let reach = within + edge.weight(false) + depth[target];
                if target != component && reach > depth[component] {
                    depth[component] = reach;
                    next[component] = Some(edge.target);
                }
            }
        }
        let Some((deepest, &worst)) = depth.iter().enumerate().max_by_key(|(index, d)| (**d, usize::MAX - index))
        else {
            return;
        };
        if worst <= MAX_NESTING {
            return;
        }
        let start = components.of.iter().position(|c| *c == deepest).unwrap_or(0);
        let mut chain = vec![schemas[start].name.as_str()];
        let mut component = deepest;
        while let Some(node) = next[component] {
            chain.push(&schemas[node].name);
            component = components.of[node];
            if chain.len() > 6 {
                chain.push("…");
                break;
            }
        }
        let located = tables.schemas[start].located;
        let message = format!(
            "schema `{}` nests other schemas {worst} generic types deep ({}); rustc follows at most \
             {MAX_NESTING}: break the chain with a list, or shorten it",
            schemas[start].name,
            chain.join(" → ")
        );
        self.error(located.file, &located.path, message);
    }
}

struct Components {
    /// Component of each node; numbered in the order Tarjan's algorithm closes them (sinks first).
    of: Vec<usize>,
    count: usize,
    /// Nodes in the order their components close (sinks first).
    order: Vec<usize>,
}

/// Tarjan's strongly connected components, with an explicit stack (no recursion).
fn strongly_connected(edges: &[Vec<Edge>]) -> Components {
    let n = edges.len();
    let mut index: Vec<Option<usize>> = vec![None; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut of = vec![0usize; n];
    let mut order = Vec::with_capacity(n);
    let mut count = 0;
    let mut next_index = 0;
    // (node, next edge to look at)
    let mut calls: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root].is_some() {
            continue;
        }
        calls.push((root, 0));
        index[root] = Some(next_index);
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = calls.last_mut() {
            if let Some(target) = edges[node].get(*edge).map(|e| e.target) {
                *edge += 1;
                match index[target] {
                    None => {
                        index[target] = Some(next_index);
                        low[target] = next_index;
                        next_index += 1;
                        stack.push(target);
                        on_stack[target] = true;
                        calls.push((target, 0));
                    }
                    Some(target_index) if on_stack[target] => low[node] = low[node].min(target_index),
                    Some(_) => {}
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if Some(low[node]) == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    of[member] = count;
                    order.push(member);
                    if member == node {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    Components { of, count, order }
}

/// Boxes every field whose type reaches back to its own schema without a list or map in between.
fn mark_boxed(schemas: &mut [ir::Schema], components: &Components) {
    for (index, schema) in schemas.iter_mut().enumerate() {
        if let SchemaKind::Object(object) = &mut schema.kind {
            for field in &mut object.fields {
                if let Type::Schema(id) = field.ty {
                    field.boxed = components.of[id.0] == components.of[index];
                }
            }
        }
        if let SchemaKind::Union(union) = &mut schema.kind {
            for variant in &mut union.variants {
                if let Type::Schema(id) = variant.ty {
                    variant.boxed = components.of[id.0] == components.of[index];
                }
            }
        }
    }
}

/// Whether each schema's values can be `Eq` and `Hash`: not when they hold a float or arbitrary
/// JSON, directly or through other schemas. The mark spreads backwards along references.
fn mark_eq(schemas: &mut [ir::Schema], edges: &[Vec<Edge>]) {
    let not_eq = reaching(schemas, edges, |schema| match &schema.kind {
        SchemaKind::Object(object) => object.fields.iter().any(|field| holds_float_or_any(&field.ty)),
        // The catch-all holds arbitrary JSON.
        SchemaKind::Union(union) => {
            union.catch_all.is_some() || union.variants.iter().any(|variant| holds_float_or_any(&variant.ty))
        }
        SchemaKind::Alias(ty) => holds_float_or_any(ty),
        SchemaKind::Enum(_) | SchemaKind::String => false,
    });
    for (schema, not_eq) in schemas.iter_mut().zip(not_eq) {
        schema.eq = !not_eq;
    }
}

/// Which schemas hold a sensitive field, directly or through other schemas.
fn mark_secrets(schemas: &mut [ir::Schema], edges: &[Vec<Edge>]) {
    let secret = reaching(schemas, edges, |schema| match &schema.kind {
        SchemaKind::Object(object) => object.fields.iter().any(|field| field.sensitive),
        _ => false,
    });
    for (schema, secret) in schemas.iter_mut().zip(secret) {
        schema.holds_secret = secret;
    }
}

/// For each schema, whether it matches `seed`, itself or through the schemas it
/// refers to: the mark spreads backwards along references, each schema visited once.
fn reaching(schemas: &[ir::Schema], edges: &[Vec<Edge>], seed: impl Fn(&ir::Schema) -> bool) -> Vec<bool> {
    let mut marked = vec![false; schemas.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); schemas.len()];
    let mut queue = Vec::new();
    for (index, schema) in schemas.iter().enumerate() {
        if seed(schema) {
            marked[index] = true;
            queue.push(index);
        }
        for edge in &edges[index] {
            dependents[edge.target].push(index);
        }
    }
    while let Some(schema) = queue.pop() {
        for &dependent in &dependents[schema] {
            if !marked[dependent] {
                marked[dependent] = true;
                queue.push(dependent);
            }
        }
    }
    marked
}

fn holds_float_or_any(ty: &Type) -> bool {
    let mut ty = ty;
    while let Type::List(inner) | Type::Map(inner) = ty {
        ty = inner;
    }
    matches!(ty, Type::Primitive(Primitive::Number | Primitive::Any))
}
