//! Every operation of the three Veeam APIs is named by the rules (spec/README.md, "Operation names";
//! `codegen::import::naming`): `list_` for a GET of a list or a page, `get_` for a GET of one
//! thing, `create_`, `update_`, `delete_`, `problem_` for the problem pages, and the path's verb
//! for other actions. The exceptions are listed here, each with its reason.

use std::path::Path;

use codegen::import::naming::{rule, Resources, Returns, Shape};
use codegen::ir::{self, Output, Type};

/// Operations whose names the rules do not decide, and why.
const EXCEPTIONS: &[(&str, &str, &str)] = &[
    ("backup_for_aws", "test", "`POST /test` names no resource; the page calls it a test of the connection"),
    ("backup_for_aws", "install_license", "a license file is installed (Veeam's verb), not the license record updated"),
    ("enterprise_manager", "logout", "ends the session; the client's `log_out` calls it"),
];

fn shape(api: &ir::Api, operation: &ir::Operation) -> Shape {
    let name = |ty: &Type| match ty {
        Type::Schema(id) => api.schema(*id).name.clone(),
        other => format!("{other:?}"),
    };
    let returns = match (&operation.paging, &operation.output) {
        (Some(paging), _) => Returns::Page(name(&paging.item)),
        (None, Output::Body(Type::List(item))) => Returns::List(name(item)),
        (None, Output::Body(Type::Schema(id))) => match &api.schema(*id).kind {
            // An object holding one list of items, beside its links and a total: a list.
            ir::SchemaKind::Object(object) => {
                let links = |field: &ir::Field| field.name.eq_ignore_ascii_case("links") || field.name == "_links";
                let total = |field: &ir::Field| {
                    let name = field.name.to_ascii_lowercase();
                    matches!(field.ty, Type::Primitive(ir::Primitive::Int32 | ir::Primitive::Int64))
                        && (name.contains("total") || name.contains("count"))
                };
                let lists: Vec<&Type> =
                    object.fields.iter().filter(|f| !links(f)).filter_map(|f| f.ty.list_item()).collect();
                let others = object.fields.iter().filter(|f| !links(f) && !total(f) && f.ty.list_item().is_none());
                match lists.as_slice() {
                    [item] if others.count() == 0 => Returns::List(name(item)),
                    _ => Returns::One(api.schema(*id).name.clone()),
                }
            }
            _ => Returns::One(api.schema(*id).name.clone()),
        },
        (None, Output::Body(other) | Output::OptionalBody(other)) => Returns::One(name(other)),
        _ => Returns::Nothing,
    };
    let action = operation.parameters.iter().find(|p| p.name == "action").and_then(|p| p.value.clone());
    Shape { method: format!("{:?}", operation.method).to_uppercase(), path: operation.path.clone(), action, returns }
}

#[test]
fn every_operation_of_every_api_follows_the_naming_rules() {
    let (_, spec) = codegen::load_spec(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).unwrap();
    let mut broken = Vec::new();
    let mut checked = 0;
    for api in &spec.apis {
        let shapes: Vec<Shape> = api.operations.iter().map(|operation| shape(api, operation)).collect();
        let resources = Resources::new(&shapes);
        for (operation, shape) in api.operations.iter().zip(&shapes) {
            let name = operation.rust_name.plain();
            if EXCEPTIONS.iter().any(|(module, exception, _)| *module == api.module.plain() && *exception == name) {
                continue;
            }
            checked += 1;
            if let Some(rule) = rule(shape, &resources) {
                if !rule.fits(name) {
                    broken.push(format!(
                        "{}::{name}: {} {} should start `{}` (`{}`)",
                        api.module.plain(),
                        shape.method,
                        shape.path,
                        rule.prefix,
                        rule.name
                    ));
                }
            }
        }
    }
    assert!(checked > 380, "{checked}: every operation of the three APIs");
    assert!(broken.is_empty(), "{} operations break the naming rules:\n{}", broken.len(), broken.join("\n"));
}
