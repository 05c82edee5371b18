//! Every type a public signature of a generated crate mentions can be named by its users: each
//! path into the runtime (`::veeam_runtime::json::Value`) that appears in a public function,
//! field, variant or alias of `generated/` is re-exported by the crate (`veeam_api::json::Value`),
//! so nobody has to add the runtime, or a crate it uses, to their own dependencies.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Fields, ImplItem, Item, UseTree, Visibility};

const RUNTIME: &str = "veeam_runtime";

fn generated() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src")
}

/// The runtime paths in `tokens`: `veeam_runtime :: a :: B` as `veeam_runtime::a::B`.
fn runtime_paths(tokens: TokenStream, found: &mut BTreeSet<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut at = 0;
    while at < trees.len() {
        match &trees[at] {
            TokenTree::Group(group) => runtime_paths(group.stream(), found),
            TokenTree::Ident(ident) if ident == RUNTIME => {
                let mut path = RUNTIME.to_owned();
                // `::` is two `:` punctuation tokens, then the next segment.
                while let (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)), Some(TokenTree::Ident(segment))) =
                    (trees.get(at + 1), trees.get(at + 2), trees.get(at + 3))
                {
                    if a.as_char() != ':' || b.as_char() != ':' {
                        break;
                    }
                    path.push_str("::");
                    path.push_str(&segment.to_string());
                    at += 3;
                }
                found.insert(path);
            }
            _ => {}
        }
        at += 1;
    }
}

fn is_pub(visibility: &Visibility) -> bool {
    matches!(visibility, Visibility::Public(_))
}

/// What the public items of `items` mention, and what they re-export (`pub use` and `pub type`).
fn scan(items: &[Item], mentioned: &mut BTreeSet<String>, exported: &mut BTreeSet<String>) {
    for item in items {
        match item {
            Item::Fn(function) if is_pub(&function.vis) => runtime_paths(function.sig.to_token_stream(), mentioned),
            Item::Struct(structure) if is_pub(&structure.vis) => {
                for field in structure.fields.iter().filter(|f| is_pub(&f.vis)) {
                    runtime_paths(field.ty.to_token_stream(), mentioned);
                }
            }
            Item::Enum(enumeration) if is_pub(&enumeration.vis) => {
                for variant in &enumeration.variants {
                    if let Fields::Named(_) | Fields::Unnamed(_) = &variant.fields {
                        runtime_paths(variant.fields.to_token_stream(), mentioned);
                    }
                }
            }
            // An alias of the runtime's item of the same name is its re-export for this API
            // (`type Error = veeam_runtime::client::Error<models::Error>`); any other alias only
            // mentions what it stands for.
            Item::Type(alias) if is_pub(&alias.vis) => {
                let mut named = BTreeSet::new();
                runtime_paths(alias.ty.to_token_stream(), &mut named);
                let own = named.iter().find(|path| path.rsplit("::").next() == Some(&alias.ident.to_string())).cloned();
                if let Some(own) = own {
                    named.remove(&own);
                    exported.insert(own);
                }
                mentioned.extend(named);
            }
            // Inherent methods; of a trait impl, the types it fixes (`Operation::Output`, what a
            // builder's `.await` gives): its methods' signatures are the trait's.
            Item::Impl(block) => {
                for member in &block.items {
                    match member {
                        ImplItem::Fn(method) if block.trait_.is_none() && is_pub(&method.vis) => {
                            runtime_paths(method.sig.to_token_stream(), mentioned)
                        }
                        ImplItem::Type(ty) if block.trait_.is_some() => {
                            runtime_paths(ty.ty.to_token_stream(), mentioned)
                        }
                        _ => {}
                    }
                }
            }
            Item::Use(used) if is_pub(&used.vis) => uses(&used.tree, String::new(), exported),
            Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    scan(items, mentioned, exported);
                }
            }
            _ => {}
        }
    }
}

/// The paths a `pub use` tree names.
fn uses(tree: &UseTree, prefix: String, exported: &mut BTreeSet<String>) {
    let join = |name: String| if prefix.is_empty() { name } else { format!("{prefix}::{name}") };
    match tree {
        UseTree::Path(path) => uses(&path.tree, join(path.ident.to_string()), exported),
        UseTree::Name(name) => {
            exported.insert(join(name.ident.to_string()));
        }
        UseTree::Rename(rename) => {
            exported.insert(join(rename.ident.to_string()));
        }
        UseTree::Group(group) => {
            for tree in &group.items {
                uses(tree, prefix.clone(), exported);
            }
        }
        UseTree::Glob(_) => {
            exported.insert(join("*".to_owned()));
        }
    }
}

fn files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// Whether `path` is reachable through the exports: exported itself, through a module it is in,
/// or by a glob of its module.
fn reachable(path: &str, exported: &BTreeSet<String>) -> bool {
    let mut prefix = path;
    loop {
        if exported.contains(prefix) || exported.contains(&format!("{prefix}::*")) && prefix != path {
            return true;
        }
        match prefix.rfind("::") {
            Some(at) => prefix = &prefix[..at],
            None => return false,
        }
    }
}

#[test]
fn every_runtime_type_in_a_public_signature_is_re_exported() {
    let mut paths = Vec::new();
    files(&generated(), &mut paths);
    paths.sort();
    let (mut mentioned, mut exported) = (BTreeSet::new(), BTreeSet::new());
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        scan(&file.items, &mut mentioned, &mut exported);
    }
    assert!(mentioned.len() > 5, "the scan finds the runtime's types: {mentioned:?}");
    let missing: Vec<&String> = mentioned.iter().filter(|path| !reachable(path, &exported)).collect();
    assert!(missing.is_empty(), "public signatures mention types `veeam_api` does not re-export: {missing:#?}");
}

#[test]
fn the_scan_sees_paths_in_generic_arguments() {
    let mut found = BTreeSet::new();
    runtime_paths(quote::quote!(fn f(x: Option<::veeam_runtime::json::Value>) -> ::veeam_runtime::Uuid), &mut found);
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["veeam_runtime::Uuid", "veeam_runtime::json::Value"]);
    let exported: BTreeSet<String> = ["veeam_runtime::ids".to_owned()].into();
    assert!(reachable("veeam_runtime::ids::Urn", &exported));
    assert!(!reachable("veeam_runtime::json::Value", &exported));
}
