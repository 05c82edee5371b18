//! A crate that calls every operation of a generated client, for the benchmark's "every
//! operation used" build: what a downstream crate pays when all of an API's code is instantiated
//! (generated code that is generic or `#[inline]` is compiled where it is used, not where it is
//! defined, so building the generated crate alone does not show that cost).
//!
//! The client's methods are read from the generated source with syn: this project's operation
//! methods (the `impl super::Client` blocks of a `requests` module, each returning its request
//! builder), progenitor's `async fn`s of `impl Client`. Arguments are
//! conjured by a function that is never run (`fn v<T>() -> T`); the calls are awaited in an
//! `async fn` that a public function polls once, so the compiler instantiates all of it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use quote::ToTokens;
use syn::{FnArg, ImplItem, Item, Type, TypeParamBound};

/// Whose generated crate it calls.
#[derive(Clone, Copy)]
pub enum Generator {
    Ours,
    Progenitor,
}

/// Writes the calling crate into `out` and returns its path.
pub fn write(generated: &Path, generator: Generator, out: &Path) -> Result<PathBuf, String> {
    let manifest = std::fs::read_to_string(generated.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let package = manifest
        .lines()
        .find_map(|line| line.strip_prefix("name = \"").and_then(|rest| rest.strip_suffix('"')))
        .ok_or("no package name in the generated Cargo.toml")?
        .to_owned();
    let lib = package.replace('-', "_");
    let mut clients = Vec::new();
    match generator {
        Generator::Progenitor => clients.push((format!("{lib}::Client"), generated.join("src/lib.rs"))),
        Generator::Ours => {
            for entry in std::fs::read_dir(generated.join("src")).map_err(|e| e.to_string())? {
                let dir = entry.map_err(|e| e.to_string())?.path();
                let client = dir.join("client.rs");
                if client.is_file() {
                    let module = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    clients.push((format!("{lib}::{module}::Client"), client));
                }
            }
        }
    }
    clients.sort();
    let mut source = String::from(
        "//! Calls every operation (never run: built to instantiate them all).\n\
         #![allow(unreachable_code, clippy::all)]\n\n\
         fn v<T>() -> T {\n    unreachable!()\n}\n",
    );
    let mut calls = 0;
    for (index, (client, file)) in clients.iter().enumerate() {
        let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
        let parsed = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let mut body = String::new();
        for call in operation_calls(&parsed.items, generator) {
            let _ = writeln!(body, "    let _ = client.{call}.await;");
            calls += 1;
        }
        let _ = write!(
            source,
            "\nasync fn all{index}(client: &{client}) {{\n{body}}}\n\n\
             pub fn run{index}(client: &{client}) {{\n    \
             let mut future = std::pin::pin!(all{index}(client));\n    \
             let _ = std::future::Future::poll(future.as_mut(), &mut std::task::Context::from_waker(std::task::Waker::noop()));\n}}\n"
        );
    }
    if calls == 0 {
        return Err(format!("no operations found in {}", generated.display()));
    }
    let dir = out.to_path_buf();
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let path = std::path::absolute(generated).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"calls-{package}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{package} = {{ path = {:?} }}\n",
        path.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/lib.rs"), source).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// `name(arguments)` of every operation: progenitor's `async fn`s of `impl Client`, this
/// project's methods of `impl super::Client` in a `requests` module.
fn operation_calls(items: &[Item], generator: Generator) -> Vec<String> {
    calls_in(items, generator, false)
}

fn calls_in(items: &[Item], generator: Generator, in_requests: bool) -> Vec<String> {
    let mut calls = Vec::new();
    for item in items {
        match item {
            Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    calls.extend(calls_in(items, generator, module.ident == "requests"));
                }
            }
            Item::Impl(block) if block.trait_.is_none() && is_client(&block.self_ty) => {
                for item in &block.items {
                    let ImplItem::Fn(method) = item else { continue };
                    let signature = &method.sig;
                    let wanted = match generator {
                        Generator::Progenitor => signature.asyncness.is_some(),
                        Generator::Ours => in_requests,
                    };
                    if !wanted || !matches!(method.vis, syn::Visibility::Public(_)) {
                        continue;
                    }
                    let arguments: Vec<String> = signature
                        .inputs
                        .iter()
                        .filter_map(|input| match input {
                            FnArg::Receiver(_) => None,
                            FnArg::Typed(typed) => Some(argument(&typed.ty)),
                        })
                        .collect();
                    calls.push(format!("{}({})", signature.ident, arguments.join(", ")));
                }
            }
            _ => {}
        }
    }
    calls
}

fn is_client(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Client"))
}

/// A value of the argument's type: `v()`, or `v::<T>()` for `impl Into<T>`.
fn argument(ty: &Type) -> String {
    if let Type::ImplTrait(bounds) = ty {
        for bound in &bounds.bounds {
            if let TypeParamBound::Trait(bound) = bound {
                if let Some(last) = bound.path.segments.last() {
                    if let syn::PathArguments::AngleBracketed(arguments) = &last.arguments {
                        if let Some(target) = arguments.args.first() {
                            return format!("v::<{}>()", target.to_token_stream());
                        }
                    }
                }
            }
        }
    }
    "v()".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation of the shipped clients is found: 163 for Backup for AWS, and the
    /// Enterprise Manager's (its logon is `log_in`, not an operation method).
    #[test]
    fn finds_every_operation_of_the_shipped_clients() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src");
        let count = |api: &str| {
            let text = std::fs::read_to_string(root.join(api).join("client.rs")).unwrap();
            operation_calls(&syn::parse_file(&text).unwrap().items, Generator::Ours)
        };
        let aws = count("backup_for_aws");
        assert_eq!(aws.len(), 163);
        assert!(aws.contains(&"create_standard_account(v())".to_owned()), "{aws:?}");
        assert!(aws.iter().any(|call| call.starts_with("get_standard_account(")), "{aws:?}");
        assert!(count("enterprise_manager").len() >= 90);
    }
}
