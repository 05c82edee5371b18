//! One XML decode, timed, for before/after comparisons across commits (run it under
//! `/usr/bin/time -f "%e s %M KB"` for peak memory):
//!
//! ```text
//! cargo run --release -p veeam-bench --example xml_sizes -- list 0.25     # a 0.25 MB list of Refs
//! cargo run --release -p veeam-bench --example xml_sizes -- small 0.25    # 0.25 MB of tiny Refs
//! cargo run --release -p veeam-bench --example xml_sizes -- nest 20000    # 20,000 nested elements
//! ```

use veeam_api::enterprise_manager::models::EntityReferences;

const REF: &str = r#" <Ref Type="BackupServerReference" Href="https://localhost:9398/api/backupServers/1eb5b858-e557-43b3-8e79-386161b7ea44" Name="srv03.tech.local" UID="urn:veeam:BackupServer:1eb5b858-e557-43b3-8e79-386161b7ea44">
   <Links>
     <Link Rel="Down" Type="JobReferenceList" Href="https://localhost:9398/api/backupServers/1eb5b858-e557-43b3-8e79-386161b7ea44/jobs" />
     <Link Rel="Alternate" Type="BackupServer" Href="https://localhost:9398/api/backupServers/1eb5b858-e557-43b3-8e79-386161b7ea44?format=Entity" Name="srv03.tech.local" />
   </Links>
 </Ref>
"#;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (kind, size) = match args.as_slice() {
        [_, kind, size] => (kind.as_str(), size.parse::<f64>().unwrap_or(1.0)),
        _ => {
            eprintln!("usage: xml_sizes list|small <megabytes> | nest <depth>");
            std::process::exit(2);
        }
    };
    let document = if kind == "small" {
        // Small valid items: `<Ref Name="…"/>`, about 20 bytes each.
        let count = (size * 1_000_000.0) as usize / 20;
        format!(
            r#"<EntityReferences xmlns="http://www.veeam.com/ent/v1.0">{}</EntityReferences>"#,
            "<Ref Name=\"x\"/>\n".repeat(count)
        )
    } else if kind == "list" {
        let count = (size * 1_000_000.0) as usize / REF.len();
        format!(r#"<EntityReferences xmlns="http://www.veeam.com/ent/v1.0">{}</EntityReferences>"#, REF.repeat(count))
    } else {
        let depth = size as usize;
        format!(
            r#"<EntityReferences xmlns="http://www.veeam.com/ent/v1.0">{}{}</EntityReferences>"#,
            "<x>".repeat(depth),
            "</x>".repeat(depth)
        )
    };
    let started = std::time::Instant::now();
    let result = veeam_api::xml::from_str::<EntityReferences>(&document);
    println!("{kind} {size}: {:?}, {}", started.elapsed(), if result.is_ok() { "decoded" } else { "refused" });
}
