//! Typos of Veeam's Swagger are spelt right in Rust and kept on the wire (the server knows only
//! its own spelling): `RegionsSortColumns::NameDesc` is `nameDesk`, `RegionSettings`'s
//! `parent_region_id` is `parentReiognId`, `list_virtual_machines().backup_destination(..)` is the
//! `BuckupDestination` query parameter.

use veeam_api::backup_for_aws::models::{
    BackupDestinations, RegionSettings, RegionSettingsRequired, RegionsSortColumns,
};
use veeam_api::backup_for_aws::Client;
use veeam_api::Uuid;

#[test]
fn rust_names_are_spelt_right_and_the_wire_keeps_the_documents_spelling() {
    assert_eq!(RegionsSortColumns::NameDesc.as_str(), "nameDesk");
    assert_eq!(serde_json::to_value(RegionsSortColumns::NameDesc).unwrap(), "nameDesk");

    let id = Uuid::from_u128(7);
    let settings = RegionSettings::new(RegionSettingsRequired {
        region_id: id,
        cloud_network_id: "net".into(),
        cloud_subnetwork_id: "subnet".into(),
        cloud_security_group_id: "group".into(),
    })
    .with_parent_region_id(id);
    let json = serde_json::to_value(&settings).unwrap();
    assert_eq!(json["parentReiognId"], serde_json::json!(id.to_string()));
    let read: RegionSettings = veeam_api::json::from_str(&json.to_string()).unwrap();
    assert_eq!(read.parent_region_id, Some(id));
}

#[tokio::test]
async fn the_misspelt_query_parameter_is_sent_as_the_server_spells_it() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({"results": [], "totalCount": 0})),
        )
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    client.set_tokens("access", None, None).await;
    client.list_virtual_machines().backup_destination(vec![BackupDestinations::Snapshot]).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].url.query().unwrap().contains("BuckupDestination=Snapshot"), "{:?}", requests[0].url);
}
