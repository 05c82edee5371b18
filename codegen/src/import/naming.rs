//! Operation names by convention (spec/README.md, "Operation names"): what an operation does,
//! read from its method, path and response, decides how its name starts: `list_` (a GET of a
//! list or a page), `get_` (a GET of one thing), `create_` (a POST to a collection), `update_`
//! (a PUT or PATCH, or a POST to a resource that is read with a GET), `delete_`, `problem_` (the
//! problem pages under `/problems/`), or, for any other action, the verb the path ends with
//! (`/policies/{policyId}/start` -> `start_`). A document's operationId that already fits is
//! kept; one that does not gets a name built by the same rule (`amazonAccountsGetAll` ->
//! `listAmazonAccounts`). The importer applies it; a test holds both Veeam APIs to it.

use std::collections::HashMap;

use heck::{ToLowerCamelCase, ToSnakeCase};

/// What an operation returns, as far as its name is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Returns {
    /// A list of this item type (a JSON array, or an object whose only list holds them).
    List(String),
    /// One page of a paged list of this item type.
    Page(String),
    /// One object (or value) of this type.
    One(String),
    /// A file, or nothing.
    Nothing,
}

/// An operation's method (upper case), path template, fixed `action` query value (Enterprise
/// Manager's `POST /jobs/{id}?action=start`) and what it returns.
#[derive(Debug, Clone)]
pub struct Shape {
    pub method: String,
    pub path: String,
    pub action: Option<String>,
    pub returns: Returns,
}

/// What the GETs of an API read at each path: one object's type, or a list's item type.
#[derive(Debug, Default)]
pub struct Resources {
    one: HashMap<String, String>,
    list: HashMap<String, String>,
}

impl Resources {
    pub fn new<'s>(shapes: impl IntoIterator<Item = &'s Shape>) -> Self {
        let mut resources = Resources::default();
        for shape in shapes.into_iter().filter(|shape| shape.method == "GET") {
            let path = normalized(&shape.path);
            match &shape.returns {
                Returns::List(item) | Returns::Page(item) => {
                    resources.list.entry(path).or_insert_with(|| item.clone());
                }
                Returns::One(ty) => {
                    resources.one.entry(path).or_insert_with(|| ty.clone());
                }
                Returns::Nothing => {}
            }
        }
        resources
    }

    /// The noun of the resource at `path`: the type a GET there returns, a list's items in the
    /// plural, else the path's last literal segment as written.
    fn noun(&self, path: &str) -> Option<String> {
        let path = normalized(path);
        if let Some(ty) = self.one.get(&path) {
            return Some(noun_of_type(ty));
        }
        // One item of a collection: its type, or the collection's name in the singular.
        if path.ends_with('}') {
            let collection = path.rfind('/').map_or("", |at| &path[..at]);
            if let Some(item) = self.list.get(collection) {
                return Some(noun_of_type(item));
            }
            return literals(&path).last().map(|literal| singular(&literal.to_snake_case()));
        }
        if let Some(item) = self.list.get(&path) {
            return Some(plural(&noun_of_type(item)));
        }
        literals(&path).last().map(|literal| literal.to_snake_case())
    }
}

/// The start a name must have, and the name the rule builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// `list_`, `get_`, ..., or the action's verb and `_`.
    pub prefix: String,
    /// The conventional name, `snake_case`.
    pub name: String,
    /// The name from the path's last segment instead of the type (`list_availability_zones`
    /// for a list of `Region`), for when two operations would take `name`.
    pub alternative: Option<String>,
}

impl Rule {
    /// Whether `name` (`snake_case`) follows the rule.
    pub fn fits(&self, name: &str) -> bool {
        name.starts_with(&self.prefix) && name.len() > self.prefix.len()
    }
}

/// The rule for an operation of this shape; `None` for an action whose path names no verb
/// (`POST /token`): its own name stands.
pub fn rule(shape: &Shape, resources: &Resources) -> Option<Rule> {
    let path = normalized(&shape.path);
    let literals = literals(&path);
    let last = literals.last().copied().unwrap_or_default();
    let ends_with_parameter = path.ends_with('}');
    // Below an item (`/policies/{policyId}/regions`): its noun, then the segment (`policy_regions`).
    let owner = path.rfind(&format!("/{last}")).map(|at| &path[..at]).filter(|before| before.ends_with('}'));
    let from_path = match owner.and_then(|owner| resources.noun(owner)) {
        Some(owner) => format!("{owner}_{}", last.to_snake_case()),
        None => last.to_snake_case(),
    };
    let made = |prefix: &str, noun: &str| {
        let alternative = (!from_path.is_empty() && from_path != noun).then(|| format!("{prefix}_{from_path}"));
        Some(Rule { prefix: format!("{prefix}_"), name: format!("{prefix}_{noun}"), alternative })
    };
    if literals.len() >= 2 && literals[literals.len() - 2] == "problems" {
        return made("problem", &last.to_snake_case());
    }
    let own = || match &shape.returns {
        Returns::One(ty) => Some(noun_of_type(ty)),
        _ => None,
    };
    let here = || resources.noun(&path);
    let item_here = || resources.list.get(&path).map(|item| noun_of_type(item));
    match shape.method.as_str() {
        "GET" => match &shape.returns {
            Returns::List(item) | Returns::Page(item) if verb_of(last).is_none() => {
                made("list", &plural(&noun_of_type(item)))
            }
            Returns::List(_) | Returns::Page(_) => action(shape, &path, resources),
            _ if verb_of(last).is_some() && !ends_with_parameter => action(shape, &path, resources),
            // A GET whose answer the document does not describe says nothing of what it reads.
            Returns::Nothing if !path.contains("/problems/") => None,
            _ => made("get", &own().or_else(here).unwrap_or_default()),
        },
        "POST" if shape.action.is_none() && item_here().is_some() => made("create", &item_here().unwrap_or_default()),
        "POST" if shape.action.is_none() && resources.one.contains_key(&path) => {
            made("update", &here().unwrap_or_default())
        }
        "POST" if shape.action.is_none() && matches!(&shape.returns, Returns::Page(_)) && verb_of(last).is_none() => {
            let Returns::Page(item) = &shape.returns else { unreachable!("matched") };
            made("list", &plural(&noun_of_type(item)))
        }
        "POST" if shape.action.is_none() && creates(last, &shape.returns) => made("create", &own().unwrap_or_default()),
        "PUT" | "PATCH" => made("update", &here().or_else(own).unwrap_or_default()),
        "DELETE" => made("delete", &singular_noun(&path, resources)),
        _ => action(shape, &path, resources),
    }
}

/// An action: the verb the path ends with (or the fixed `action`), then what it acts on: the
/// rest of the last segment (`restoreVm` -> `restore_vm`), else the resource before it
/// (`/policies/{policyId}/start` -> `start_policy`).
fn action(shape: &Shape, path: &str, resources: &Resources) -> Option<Rule> {
    let literals = literals(path);
    let last = literals.last().copied().unwrap_or_default();
    let (verb, object, prefix_path) = match &shape.action {
        Some(action) => {
            let words = action.to_snake_case();
            let verb = words.split('_').next().unwrap_or_default().to_owned();
            (verb, String::new(), path.to_owned())
        }
        None => {
            verb_of(last)?;
            let words = last.to_snake_case();
            let (verb, object) = words.split_once('_').unwrap_or((words.as_str(), ""));
            let before = path.rfind(&format!("/{last}")).map_or("", |at| &path[..at]);
            (verb.to_owned(), object.to_owned(), before.to_owned())
        }
    };
    let noun = if object.is_empty() { resources.noun(&prefix_path).unwrap_or_default() } else { object };
    let name = if noun.is_empty() { verb.clone() } else { format!("{verb}_{noun}") };
    Some(Rule { prefix: format!("{verb}_"), name, alternative: None })
}

/// Whether a POST to a path ending in `last` that returns `returns` creates one of them
/// (`POST /amazonConnections` -> `AmazonConnection`).
fn creates(last: &str, returns: &Returns) -> bool {
    let Returns::One(ty) = returns else { return false };
    let (last, ty) = (last.to_snake_case(), noun_of_type(ty));
    last == ty || last == plural(&ty)
}

/// The singular noun of the resource at `path` (for `delete_`): an item's noun, else the type
/// a GET reads there, else the last segment in the singular.
fn singular_noun(path: &str, resources: &Resources) -> String {
    let path = normalized(path);
    if path.ends_with('}') {
        return resources.noun(&path).unwrap_or_default();
    }
    match resources.one.get(&path) {
        Some(ty) => noun_of_type(ty),
        None => literals(&path).last().map(|literal| singular(&literal.to_snake_case())).unwrap_or_default(),
    }
}

/// The noun a type name gives an operation's name: its `snake_case` without the suffix that
/// only says it is a type (`JobModel` -> `job`, so `list_jobs`, not `list_job_models`).
fn noun_of_type(ty: &str) -> String {
    let words = ty.to_snake_case();
    for suffix in ["_model", "_dto"] {
        if let Some(noun) = words.strip_suffix(suffix).filter(|noun| !noun.is_empty()) {
            return noun.to_owned();
        }
    }
    words
}

/// The first word of a path segment, when it is a verb (`validateName`, `export`, `rescan`).
fn verb_of(segment: &str) -> Option<&'static str> {
    const VERBS: &[&str] = &[
        "accept",
        "browse",
        "calculate",
        "check",
        "clone",
        "create",
        "delete",
        "disable",
        "download",
        "enable",
        "export",
        "import",
        "is",
        "query",
        "regenerate",
        "rescan",
        "reset",
        "resolve",
        "retry",
        "search",
        "send",
        "set",
        "start",
        "stop",
        "sync",
        "take",
        "test",
        "upload",
        "validate",
    ];
    let words = segment.to_snake_case();
    let first = words.split('_').next().unwrap_or_default();
    VERBS.iter().copied().find(|verb| *verb == first)
}

/// The path with every parameter written `{}` and no trailing slash.
fn normalized(path: &str) -> String {
    let mut out = String::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        out.push_str(if segment.starts_with('{') { "{}" } else { segment });
    }
    out
}

fn literals(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty() && !s.starts_with('{')).collect()
}

/// English plural of the last word of a `snake_case` noun.
pub fn plural(noun: &str) -> String {
    let (head, last) = noun.rsplit_once('_').map_or(("", noun), |(h, l)| (h, l));
    let plural = if last.ends_with("ss")
        || last.ends_with("us")
        || last.ends_with('x')
        || last.ends_with("ch")
        || last.ends_with("sh")
    {
        format!("{last}es")
    } else if last.ends_with('s') {
        // Already plural: settings, credentials.
        last.to_owned()
    } else if let Some(stem) = last.strip_suffix('y').filter(|stem| !stem.ends_with(['a', 'e', 'o', 'u'])) {
        format!("{stem}ies")
    } else {
        format!("{last}s")
    };
    if head.is_empty() {
        plural
    } else {
        format!("{head}_{plural}")
    }
}

/// English singular of the last word of a `snake_case` noun.
fn singular(noun: &str) -> String {
    let (head, last) = noun.rsplit_once('_').map_or(("", noun), |(h, l)| (h, l));
    let singular = if let Some(stem) = last.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = last.strip_suffix("sses").or_else(|| last.strip_suffix("xes")) {
        format!("{stem}{}", if last.ends_with("sses") { "ss" } else { "x" })
    } else if let Some(stem) = last.strip_suffix('s').filter(|stem| !stem.ends_with('s')) {
        stem.to_owned()
    } else {
        last.to_owned()
    };
    if head.is_empty() {
        singular
    } else {
        format!("{head}_{singular}")
    }
}

/// The spec key of a conventional name: `list_amazon_accounts` -> `listAmazonAccounts`.
pub fn spec_key(name: &str) -> String {
    name.to_lower_camel_case()
}

impl super::Importer<'_> {
    /// Renames every operation whose id does not follow the naming rules to the name the rule
    /// builds, unless two would take one name (then both keep theirs, with a note).
    pub(super) fn conventional_names(&mut self) {
        let mut shapes: Vec<(String, Shape)> =
            self.operations.iter().map(|(id, operation)| (id.clone(), self.operation_shape(operation))).collect();
        // The API's base path (`/api/v1`) names nothing.
        let common = super::api::literal_prefix(shapes.iter().map(|(_, shape)| shape.path.as_str()));
        for (_, shape) in &mut shapes {
            if let Some(rest) = shape.path.strip_prefix(&common) {
                shape.path = rest.to_owned();
            }
        }
        let resources = Resources::new(shapes.iter().map(|(_, shape)| shape));
        let mut renames: Vec<(String, String, Option<String>)> = Vec::new();
        for (id, shape) in &shapes {
            let Some(rule) = rule(shape, &resources) else { continue };
            if !rule.fits(&id.to_snake_case()) && rule.name != id.to_snake_case() {
                renames.push((id.clone(), spec_key(&rule.name), rule.alternative.as_deref().map(spec_key)));
            }
        }
        // Two wanting one name take the path's instead, where they have one.
        let count = |renames: &[(String, String, Option<String>)]| {
            let mut wanted: HashMap<String, usize> = HashMap::new();
            for (_, to, _) in renames {
                *wanted.entry(to.to_snake_case()).or_default() += 1;
            }
            wanted
        };
        let wanted = count(&renames);
        for (_, to, alternative) in &mut renames {
            if wanted[&to.to_snake_case()] > 1 {
                if let Some(alternative) = alternative.take() {
                    *to = alternative;
                }
            }
        }
        // A name taken by an operation that keeps its own, or still wanted by two: no rename.
        let wanted = count(&renames);
        let renames: Vec<(String, String)> = renames.into_iter().map(|(from, to, _)| (from, to)).collect();
        let renamed: std::collections::HashSet<&String> = renames.iter().map(|(from, _)| from).collect();
        let kept: std::collections::HashSet<String> =
            self.operations.keys().filter(|id| !renamed.contains(id)).map(|id| id.to_snake_case()).collect();
        let mut applied = Vec::new();
        for (from, to) in &renames {
            let snake = to.to_snake_case();
            if wanted[&snake] > 1 || kept.contains(&snake) {
                let pointer = self.operation_pointers.get(from).cloned().unwrap_or_default();
                self.note(&pointer, format!("`{from}` keeps its name: `{to}`, the conventional one, is taken"));
                continue;
            }
            applied.push((from.clone(), to.clone()));
        }
        for (from, to) in applied {
            self.rename_operation(&from, &to);
        }
        // An operation the document does not summarise says what its name says; so does a path
        // parameter naming an id (`policyId`: "ID of the policy.").
        for (id, operation) in &mut self.operations {
            if operation.summary.is_none() {
                operation.summary = Some(summary_of(&id.to_snake_case()));
            }
            for (name, parameter) in &mut operation.parameters {
                let in_path = matches!(parameter.location, crate::load::ast::ParameterLocation::Path);
                if in_path && parameter.description.is_none() {
                    parameter.description = id_description(name);
                }
            }
        }
    }

    /// Every operation not named as the document names it says which operationId it is, also
    /// when an overlay renamed it or wrote its description.
    pub(super) fn keep_document_ids(&mut self) {
        for (id, pointer) in &self.operation_pointers {
            let Some(document_id) = self.document.pointer(&format!("{pointer}/operationId")).and_then(|v| v.as_str())
            else {
                continue;
            };
            let from = spec_key(document_id);
            let Some(operation) = self.operations.get_mut(id) else { continue };
            let said = format!("The document's operationId: `{from}`.");
            let told = operation.description.as_deref().is_some_and(|d| d.contains("The document's operationId"));
            if from != *id && !told {
                operation.description = Some(match operation.description.take() {
                    Some(description) => format!("{description}\n\n{said}"),
                    None => said,
                });
            }
        }
    }

    /// Renames an operation everywhere the import refers to it (`keep_document_ids` then says in
    /// its description which operationId of the document it is).
    fn rename_operation(&mut self, from: &str, to: &str) {
        let Some(operation) = self.operations.remove(from) else { return };
        self.operations.insert(to.to_owned(), operation);
        let same = |id: &mut String| {
            if id == from {
                *id = to.to_owned();
            }
        };
        self.security.iter_mut().for_each(|(id, _, _)| same(id));
        self.header_defaults.iter_mut().for_each(|(id, _)| same(id));
        if let Some(pointer) = self.operation_pointers.remove(from) {
            self.operation_pointers.insert(to.to_owned(), pointer);
        }
        let members = std::mem::take(&mut self.members);
        self.members = members
            .into_iter()
            .map(|mut member| {
                if let super::Holder::Operation(id) = &mut member.holder {
                    same(id);
                }
                member
            })
            .collect();
    }

    fn operation_shape(&self, operation: &crate::load::ast::Operation) -> Shape {
        let action = operation
            .parameters
            .iter()
            .find(|(name, parameter)| *name == "action" && parameter.value.is_some())
            .and_then(|(_, parameter)| parameter.value.clone());
        let body = operation
            .responses
            .iter()
            .filter(|(status, _)| status.starts_with('2'))
            .find_map(|(_, response)| response.schema.clone());
        let returns = match (&operation.paging, body) {
            (Some(paging), Some(page)) => {
                let item = self.schemas.get(&page).and_then(|schema| schema.fields.as_ref()?.get(&paging.items));
                match item.and_then(|field| field.ty.strip_prefix("list<")?.strip_suffix('>')) {
                    Some(item) => Returns::Page(item.to_owned()),
                    None => Returns::One(page),
                }
            }
            (None, Some(body)) => match body.strip_prefix("list<").and_then(|item| item.strip_suffix('>')) {
                Some(item) => Returns::List(item.to_owned()),
                None if body == "binary" || body == "string" => Returns::Nothing,
                None => match self.page_items(&body) {
                    Some(item) => Returns::Page(item),
                    None => Returns::One(body),
                },
            },
            (_, None) => Returns::Nothing,
        };
        Shape { method: operation.method.to_ascii_uppercase(), path: operation.path.clone(), action, returns }
    }
}

/// "ID of the backup session." for `backupSessionId`; `None` for a name that is not `<noun>Id`.
pub fn id_description(name: &str) -> Option<String> {
    let words = name.to_snake_case();
    let noun = words.strip_suffix("_id").filter(|noun| !noun.is_empty())?;
    Some(format!("ID of the {}.", noun.replace('_', " ")))
}

/// A summary from a conventional name: `list_amazon_accounts` -> "Lists amazon accounts.".
pub fn summary_of(name: &str) -> String {
    let (verb, rest) = name.split_once('_').unwrap_or((name, ""));
    let rest = rest.replace('_', " ");
    match verb {
        "list" => format!("Lists {rest}."),
        "get" => format!("Gets the {rest}."),
        "create" => format!("Creates a {rest}."),
        "update" => format!("Updates the {rest}."),
        "delete" => format!("Deletes the {rest}."),
        // RFC 9457: a problem's `type` is the address of a page that documents it.
        "problem" => format!("The problem page `{rest}`: the HTML page an error answer's `type` names."),
        "is" => format!("Whether {rest}."),
        _ if rest.is_empty() => format!("{}.", capitalized(&third_person(verb))),
        _ => format!("{} the {rest}.", capitalized(&third_person(verb))),
    }
}

/// `start` -> `starts`, `query` -> `queries`, `search` -> `searches`.
fn third_person(verb: &str) -> String {
    if let Some(stem) = verb.strip_suffix('y').filter(|stem| !stem.ends_with(['a', 'e', 'o', 'u'])) {
        format!("{stem}ies")
    } else if verb.ends_with('s') || verb.ends_with("sh") || verb.ends_with("ch") || verb.ends_with('x') {
        format!("{verb}es")
    } else {
        format!("{verb}s")
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(method: &str, path: &str, returns: Returns) -> Shape {
        Shape { method: method.into(), path: path.into(), action: None, returns }
    }

    #[test]
    fn names_follow_what_the_operation_does() {
        let shapes = [
            shape("GET", "/accounts/amazon", Returns::Page("AmazonAccount".into())),
            shape("GET", "/accounts/amazon/{id}", Returns::One("AmazonAccount".into())),
            shape("POST", "/accounts/amazon", Returns::One("AmazonAccount".into())),
            shape("PUT", "/accounts/amazon/{id}", Returns::One("AmazonAccount".into())),
            shape("DELETE", "/accounts/amazon/{id}", Returns::Nothing),
            shape("POST", "/accounts/amazon/{id}/rescan", Returns::One("SessionLink".into())),
            shape("POST", "/accounts/amazon/validateName", Returns::List("ValidationMessage".into())),
            shape("POST", "/accounts/amazon/export", Returns::Nothing),
            shape("GET", "/problems/accessDenied", Returns::Nothing),
            shape("GET", "/settings/emailNotifications", Returns::One("EmailNotifications".into())),
            shape("POST", "/settings/emailNotifications", Returns::One("EmailNotifications".into())),
            shape("POST", "/virtualMachines/{id}/takeSnapshot", Returns::One("SessionLink".into())),
            shape("GET", "/policies", Returns::Page("Policy".into())),
            shape("POST", "/policies/{id}/start", Returns::One("SessionLink".into())),
            shape("POST", "/sessions/{id}/stop", Returns::Nothing),
            shape("GET", "/sessions/{id}", Returns::One("Session".into())),
        ];
        let resources = Resources::new(&shapes);
        let names: Vec<String> = shapes.iter().map(|shape| rule(shape, &resources).unwrap().name).collect();
        assert_eq!(
            names,
            [
                "list_amazon_accounts",
                "get_amazon_account",
                "create_amazon_account",
                "update_amazon_account",
                "delete_amazon_account",
                "rescan_amazon_account",
                "validate_name",
                "export_amazon_accounts",
                "problem_access_denied",
                "get_email_notifications",
                "update_email_notifications",
                "take_snapshot",
                "list_policies",
                "start_policy",
                "stop_session",
                "get_session",
            ]
        );
        let jobs =
            Shape { action: Some("start".into()), ..shape("POST", "/jobs/{jobId}", Returns::One("Task".into())) };
        assert_eq!(rule(&jobs, &resources).unwrap().prefix, "start_");
        assert_eq!(rule(&shape("POST", "/token", Returns::One("Tokens".into())), &resources), None);
    }

    #[test]
    fn summaries_say_what_names_say() {
        assert_eq!(summary_of("list_amazon_accounts"), "Lists amazon accounts.");
        assert_eq!(super::id_description("backupSessionId").as_deref(), Some("ID of the backup session."));
        assert_eq!(super::id_description("id"), None);
        assert_eq!(super::id_description("folderName"), None);
        assert_eq!(summary_of("get_policy"), "Gets the policy.");
        assert_eq!(summary_of("start_policy"), "Starts the policy.");
        assert_eq!(summary_of("query_backup_servers"), "Queries the backup servers.");
        assert_eq!(
            summary_of("problem_access_denied"),
            "The problem page `access denied`: the HTML page an error answer's `type` names."
        );
        assert_eq!(summary_of("test"), "Tests.");
        assert_eq!(summary_of("is_first_login"), "Whether first login.");
    }

    #[test]
    fn plurals_and_singulars() {
        for (one, many) in [
            ("policy", "policies"),
            ("amazon_account", "amazon_accounts"),
            ("status", "statuses"),
            ("region_settings", "region_settings"),
            ("key", "keys"),
            ("box", "boxes"),
        ] {
            assert_eq!(plural(one), many);
        }
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("cloud_networks"), "cloud_network");
        assert_eq!(singular("addresses"), "address");
    }
}
