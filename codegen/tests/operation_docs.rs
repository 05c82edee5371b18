//! Every operation of the Veeam APIs is documented: a summary of its own (not the one the importer
//! derives from its name), and the Help Center pages it was written from. The only operations
//! without a page are Backup for AWS's problem pages (RFC 9457 problem types), documented by
//! the importer itself.

use std::path::Path;

use codegen::import::naming::summary_of;

#[test]
fn every_operation_has_a_summary_of_its_own_and_its_pages() {
    let (_, spec) = codegen::load_spec(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).unwrap();
    let mut missing = Vec::new();
    let mut checked = 0;
    for api in &spec.apis {
        for operation in &api.operations {
            let name = operation.rust_name.plain();
            let at = format!("{}::{name}", api.module.plain());
            if name.starts_with("problem_") {
                continue;
            }
            checked += 1;
            match operation.summary.as_deref().map(str::trim) {
                None | Some("") => missing.push(format!("{at}: no summary")),
                Some(summary) if summary == summary_of(name) => {
                    missing.push(format!("{at}: only the summary derived from its name ({summary:?})"))
                }
                Some(_) => {}
            }
            if !operation.sources.iter().any(|page| page.starts_with("https://helpcenter.veeam.com/")) {
                missing.push(format!("{at}: no Help Center page in `sources`"));
            }
        }
    }
    assert!(checked > 370, "{checked}: the operations of the three APIs, problem pages apart");
    assert!(missing.is_empty(), "{} operation(s) undocumented:\n{}", missing.len(), missing.join("\n"));
}

#[test]
fn problem_pages_say_what_they_are() {
    let (_, spec) = codegen::load_spec(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).unwrap();
    let problems: Vec<_> = spec
        .apis
        .iter()
        .flat_map(|api| &api.operations)
        .filter(|operation| operation.rust_name.plain().starts_with("problem_"))
        .collect();
    assert_eq!(problems.len(), 17, "Backup for AWS's problem pages");
    for operation in problems {
        let summary = operation.summary.as_deref().unwrap_or_default();
        assert!(summary.contains("error answer's `type`"), "{}: {summary:?}", operation.rust_name.plain());
    }
}
