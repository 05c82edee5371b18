//! Documents the benchmarks decode, shared by `benches/` and `examples/` (see `BENCHMARKS.md`).

/// A documented Enterprise Manager `Ref` (two links), as one list item.
pub const REF: &str = r#" <Ref Type="BackupServerReference" Href="https://localhost:9398/api/backupServers/1eb5b858-e557-43b3-8e79-386161b7ea44" Name="srv03.tech.local" UID="urn:veeam:BackupServer:1eb5b858-e557-43b3-8e79-386161b7ea44">
   <Links>
     <Link Rel="Down" Type="JobReferenceList" Href="https://localhost:9398/api/backupServers/1eb5b858-e557-43b3-8e79-386161b7ea44/jobs" />
     <Link Rel="Alternate" Type="BackupServer" Href="https://localhost:9398/api/backupServers/1eb5b858-e557-43b3-8e79-386161b7ea44?format=Entity" Name="srv03.tech.local" />
   </Links>
 </Ref>
"#;

/// An `EntityReferences` list document holding `item` repeated to about `megabytes` MB.
pub fn list_of(item: &str, megabytes: f64) -> String {
    let count = (megabytes * 1_000_000.0) as usize / item.len().max(1);
    let mut document = String::with_capacity(count * item.len() + 100);
    document.push_str(r#"<EntityReferences xmlns="http://www.veeam.com/ent/v1.0">"#);
    for _ in 0..count {
        document.push_str(item);
    }
    document.push_str("</EntityReferences>");
    document
}

/// A list document of about `megabytes` MB of documented `Ref`s.
pub fn list(megabytes: f64) -> String {
    list_of(REF, megabytes)
}

/// A list document with `depth` unknown elements nested inside it.
pub fn nested(depth: usize) -> String {
    format!(
        r#"<EntityReferences xmlns="http://www.veeam.com/ent/v1.0">{}{}</EntityReferences>"#,
        "<x>".repeat(depth),
        "</x>".repeat(depth)
    )
}
