//! One XML decode, timed, for before/after comparisons across commits (run it under
//! `/usr/bin/time -f "%e s %M KB"` for peak memory):
//!
//! ```text
//! cargo run --release -p bench --example xml_sizes -- list 0.25     # a 0.25 MB list of Refs
//! cargo run --release -p bench --example xml_sizes -- small 0.25    # 0.25 MB of tiny Refs
//! cargo run --release -p bench --example xml_sizes -- nest 20000    # 20,000 nested elements
//! ```

use veeam_api::enterprise_manager::models::EntityReferences;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (kind, size) = match args.as_slice() {
        [_, kind, size] => (kind.as_str(), size.parse::<f64>().unwrap_or(1.0)),
        _ => {
            eprintln!("usage: xml_sizes list|small <megabytes> | nest <depth>");
            std::process::exit(2);
        }
    };
    let document = match kind {
        // Small valid items, about 20 bytes each.
        "small" => bench::list_of("<Ref Name=\"x\"/>\n", size),
        "list" => bench::list(size),
        _ => bench::nested(size as usize),
    };
    let started = std::time::Instant::now();
    let result = veeam_api::xml::from_str::<EntityReferences>(&document);
    println!("{kind} {size}: {:?}, {}", started.elapsed(), if result.is_ok() { "decoded" } else { "refused" });
}
