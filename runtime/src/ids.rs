//! IDs inside URNs and URLs: APIs name resources by URN (`urn:veeam:BackupServer:<uuid>`) or by
//! URL (`https://host/api/backupServers/<uuid>?format=Entity`) while their operations take the
//! bare ID. Generated types with an `id()` method read it through these.

use uuid::Uuid;

/// The ID at the end of a URN: `urn:veeam:BackupServer:ce15a8c7-…` gives the UUID; anything that
/// is not a URN, or whose last part is not a UUID, gives `None`.
pub fn urn_id(urn: &str) -> Option<Uuid> {
    urn_parts(urn).and_then(|(_, id)| Uuid::parse_str(id).ok())
}

/// The type named in a URN: `urn:veeam:BackupServer:<id>` gives `BackupServer`.
pub fn urn_kind(urn: &str) -> Option<&str> {
    let (head, _) = urn_parts(urn)?;
    let kind = head.rsplit(':').next()?;
    // `urn:<namespace>:<id>` has no type.
    (head.matches(':').count() >= 2 && !kind.is_empty()).then_some(kind)
}

/// `(everything before the last `:`, the part after it)` of a URN.
fn urn_parts(urn: &str) -> Option<(&str, &str)> {
    let scheme = urn.get(..4)?;
    if !scheme.eq_ignore_ascii_case("urn:") {
        return None;
    }
    urn.rsplit_once(':').filter(|(_, id)| !id.is_empty())
}

/// The ID at the end of a URL's path: `https://host/api/backupServers/<uuid>?format=Entity` (or a
/// relative `/backupServers/<uuid>/`) gives the UUID; a last segment that is not one gives `None`.
pub fn href_id(href: &str) -> Option<Uuid> {
    let path = href.split(['?', '#']).next().unwrap_or_default();
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    Uuid::parse_str(last).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "ce15a8c7-aa49-495e-b05b-ee3398c91018";

    #[test]
    fn urns_give_their_id_and_type() {
        let urn = format!("urn:veeam:BackupServer:{ID}");
        assert_eq!(urn_id(&urn), Some(ID.parse().unwrap()));
        assert_eq!(urn_kind(&urn), Some("BackupServer"));
        assert_eq!(urn_id(&format!("URN:veeam:Job:{ID}")), Some(ID.parse().unwrap()));
        assert_eq!(urn_kind(&format!("urn:veeam:{ID}")), None);
        for not_one in ["", "urn", "urn:", "urn:veeam:Vm:vm-7870", "https://x/y", "urn:veeam:Job:", "ürn:é:ü"] {
            assert_eq!(urn_id(not_one), None, "{not_one}");
        }
    }

    #[test]
    fn urls_give_the_id_ending_their_path() {
        let id = Some(ID.parse().unwrap());
        assert_eq!(href_id(&format!("https://em:9398/api/backupServers/{ID}?format=Entity")), id);
        assert_eq!(href_id(&format!("/backupServers/{ID}/")), id);
        assert_eq!(href_id(&format!("https://em/api/backupServers/{ID}#top")), id);
        for not_one in ["", "/", "https://em:9398/api/tasks/task-1", &format!("https://em/{ID}/passwords")] {
            assert_eq!(href_id(not_one), None, "{not_one}");
        }
    }
}
