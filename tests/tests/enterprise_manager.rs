//! The Enterprise Manager client against a real HTTP server on 127.0.0.1 (wiremock), in both wire
//! formats: logon with Basic credentials, the session header on every call, logout, and the exact
//! request of every operation (method, path, query, headers, body as an XML tree or JSON value).

use std::future::Future;
use std::pin::Pin;

use serde_json::Value;
use veeam_api::enterprise_manager::models::{
    AccountTypeEnumeration, BackupServerEditSpec, BackupServerSpec, BackupServerSpecRequired,
    EnterpriseAccountCreateSpec, EnterpriseAccountCreateSpecRequired, EnterpriseAccountInRoleCreateSpec, LinkRequired,
    PasswordKeyInfoEditSpec, PasswordKeyInfoSpec, TaskState, Uid,
};
use veeam_api::enterprise_manager::{Client, Error};
use veeam_api::Format;
use veeam_api::{json, xml};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;

use support::em::*;

fn cases() -> Vec<Case> {
    let s = SERVER;
    vec![
        Case {
            name: "list backup servers",
            call: |c| Box::pin(async move { c.list_backup_servers().await.map(|r| format!("{}", r.refs.unwrap().len())) }),
            method: "GET",
            path: "/api/backupServers".into(),
            query: None,
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::EntityReferences>(example!("em-backupservers-list.response.xml"), f)),
            expected: "2".into(),
        },
        Case {
            name: "list backup server entities",
            call: |c| Box::pin(async move { c.list_backup_server_entities().await.map(|r| format!("{:?}", r.backup_server.map(|v| v.len()))) }),
            method: "GET",
            path: "/api/backupServers".into(),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| match f {
                Format::Xml => (format!("<BackupServers xmlns=\"http://www.veeam.com/ent/v1.0\">{}</BackupServers>", example!("em-backupserver-entity.resource.xml").replace(" xmlns=\"http://www.veeam.com/ent/v1.0\"", "")), "application/xml"),
                _ => ("{\"BackupServer\": [{\"Name\": \"srv02.tech.local\"}]}".into(), "application/json"),
            }),
            expected: "Some(1)".into(),
        },
        Case {
            name: "get backup server reference",
            call: |c| Box::pin(async move { c.get_backup_server(SERVER.parse().unwrap()).await.map(|r| r.name.unwrap()) }),
            method: "GET",
            path: format!("/api/backupServers/{s}"),
            query: None,
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::EntityRef>(example!("em-enterpriseaccount-ref.resource.xml"), f)),
            expected: "BUILTIN\\Users".into(),
        },
        Case {
            name: "get backup server entity",
            call: |c| Box::pin(async move { c.get_backup_server_entity(SERVER.parse().unwrap()).await.map(|r| format!("{:?} {:?}", r.port, r.version)) }),
            method: "GET",
            path: format!("/api/backupServers/{s}"),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::BackupServer>(example!("em-backupserver-entity.resource.xml"), f)),
            expected: "Some(9392) Some(\"8.0\")".into(),
        },
        Case {
            name: "delete backup server",
            call: |c| Box::pin(async move { c.delete_backup_server(SERVER.parse().unwrap()).await.map(|()| "deleted".into()) }),
            method: "DELETE",
            path: format!("/api/backupServers/{s}"),
            query: None,
            status: 204,
            response: None,
            expected: "deleted".into(),
        },
        Case {
            name: "list passwords",
            call: |c| Box::pin(async move { c.list_passwords(SERVER.parse().unwrap()).await.map(|r| r.password_key_info.unwrap()[1].hint.clone().unwrap()) }),
            method: "GET",
            path: format!("/api/backupServers/{s}/passwords"),
            query: None,
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::PasswordKeyInfoList>(example!("em-passwords-list.response.xml"), f)),
            expected: "My favorite book".into(),
        },
        Case {
            name: "get password",
            call: |c| Box::pin(async move { c.get_password(SERVER.parse().unwrap(), PASSWORD.parse().unwrap()).await.map(|r| r.last_modification_date.unwrap().to_string()) }),
            method: "GET",
            path: format!("/api/backupServers/{s}/passwords/{PASSWORD}"),
            query: None,
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::PasswordKeyInfo>(example!("em-passwordkeyinfo-get.response.xml"), f)),
            expected: "2014-10-10T23:06:17-08:00".into(),
        },
        Case {
            name: "delete password",
            call: |c| Box::pin(async move { c.delete_password(SERVER.parse().unwrap(), PASSWORD.parse().unwrap()).await.map(|()| "deleted".into()) }),
            method: "DELETE",
            path: format!("/api/backupServers/{s}/passwords/{PASSWORD}"),
            query: None,
            status: 204,
            response: None,
            expected: "deleted".into(),
        },
        Case {
            name: "query passwords",
            call: |c| Box::pin(async move {
                c.query_passwords().filter("BackupServerName==\"enterprise06.tech.local\"").sort_asc("Hint").page_size(1).page(2).await.map(|r| format!("{:?}", r.paging_info.unwrap().pages_count))
            }),
            method: "GET",
            path: "/api/query".into(),
            query: Some("type=Passwords&filter=BackupServerName%3D%3D%22enterprise06.tech.local%22&sortAsc=Hint&pageSize=1&page=2"),
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::QueryResult>(example!("em-query-backupserver-paged.response.xml"), f)),
            expected: "Some(2)".into(),
        },
        Case {
            name: "query backup servers",
            call: |c| Box::pin(async move { c.query_backup_servers().sort_desc("name").await.map(|r| format!("{}", r.refs.unwrap().len())) }),
            method: "GET",
            path: "/api/query".into(),
            query: Some("type=BackupServer&sortDesc=name"),
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::QueryResult>(example!("em-query-backupserver-paged.response.xml"), f)),
            expected: "1".into(),
        },
        Case {
            name: "list accounts",
            call: |c| Box::pin(async move { c.list_accounts().await.map(|r| r.refs.unwrap()[2].name.clone().unwrap()) }),
            method: "GET",
            path: "/api/security/accounts".into(),
            query: None,
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::EntityReferences>(example!("em-security-accounts-list.response.xml"), f)),
            expected: "SRV02\\Administrator".into(),
        },
        Case {
            name: "get account reference",
            call: |c| Box::pin(async move { c.get_account(ACCOUNT.parse().unwrap()).await.map(|r| r.uid.unwrap().to_string()) }),
            method: "GET",
            path: format!("/api/security/accounts/{ACCOUNT}"),
            query: None,
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::EntityRef>(example!("em-enterpriseaccount-ref.resource.xml"), f)),
            expected: "urn:veeam:EnterpriseAccount:de19303b-bcf3-428b-b113-ac0b2cf46bd7".into(),
        },
        Case {
            name: "get account entity",
            call: |c| Box::pin(async move { c.get_account_entity(ACCOUNT.parse().unwrap()).await.map(|r| format!("{:?} {:?}", r.account_type, r.flr_settings.map(|s| s.flr_inplace_only))) }),
            method: "GET",
            path: format!("/api/security/accounts/{ACCOUNT}"),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::EnterpriseAccount>(example!("em-security-account-get.response.xml"), f)),
            expected: "Some(User) Some(false)".into(),
        },
        Case {
            name: "delete account",
            call: |c| Box::pin(async move { c.delete_account(ACCOUNT.parse().unwrap()).await.map(|()| "deleted".into()) }),
            method: "DELETE",
            path: format!("/api/security/accounts/{ACCOUNT}"),
            query: None,
            status: 204,
            response: None,
            expected: "deleted".into(),
        },
        Case {
            name: "list roles",
            call: |c| Box::pin(async move { c.list_roles().await.map(|r| format!("{}", r.refs.unwrap().len())) }),
            method: "GET",
            path: "/api/security/roles".into(),
            query: None,
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::EntityReferences>(example!("em-security-roles-list.response.xml"), f)),
            expected: "7".into(),
        },
        Case {
            name: "get role reference",
            call: |c| Box::pin(async move { c.get_role(ROLE.parse().unwrap()).await.map(|r| r.name.unwrap()) }),
            method: "GET",
            path: format!("/api/security/roles/{ROLE}"),
            query: None,
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::EntityRef>(example!("em-enterpriserole-ref.resource.xml"), f)),
            expected: "Exchange Restore Operator".into(),
        },
        Case {
            name: "get role entity",
            call: |c| Box::pin(async move { c.get_role_entity(ROLE.parse().unwrap()).await.map(|r| r.name.unwrap()) }),
            method: "GET",
            path: format!("/api/security/roles/{ROLE}"),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::EnterpriseRole>(example!("em-enterpriserole-entity.resource.xml"), f)),
            expected: "Exchange Restore Operator".into(),
        },
        Case {
            name: "get task",
            call: |c| Box::pin(async move { c.get_task("task-3").await.map(|t| format!("{:?} {:?}", t.state, t.result.and_then(|r| r.success))) }),
            method: "GET",
            path: "/api/tasks/task-3".into(),
            query: None,
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::Task>(example!("em-task-finished.response.xml"), f)),
            expected: "Some(Finished) Some(true)".into(),
        },
        Case {
            name: "list tasks",
            call: |c| Box::pin(async move { c.list_tasks().await.map(|t| format!("{:?}", t.task.map(|v| v.len()))) }),
            method: "GET",
            path: "/api/tasks".into(),
            query: None,
            status: 200,
            response: Some(|f| match f {
                Format::Xml => (format!("<Tasks xmlns=\"http://www.veeam.com/ent/v1.0\">{}</Tasks>", example!("em-task.resource.xml").replace(" xmlns=\"http://www.veeam.com/ent/v1.0\"", "")), "application/xml"),
                _ => ("{\"Task\": [{\"TaskId\": \"task-30\"}]}".into(), "application/json"),
            }),
            expected: "Some(1)".into(),
        },
        Case {
            name: "delete task",
            call: |c| Box::pin(async move { c.delete_task("task-30").await.map(|()| "deleted".into()) }),
            method: "DELETE",
            path: "/api/tasks/task-30".into(),
            query: None,
            status: 204,
            response: None,
            expected: "deleted".into(),
        },
        Case {
            name: "list logon sessions",
            call: |c| Box::pin(async move { c.list_logon_sessions().await.map(|s| s.logon_session.unwrap()[0].user_name.clone().unwrap()) }),
            method: "GET",
            path: "/api/logonSessions".into(),
            query: None,
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::LogonSessions>(example!("em-logonsessions-list.response.xml"), f)),
            expected: "SRV13\\Administrator".into(),
        },
        Case {
            name: "get logon session",
            call: |c| Box::pin(async move { c.get_logon_session("5496707f-c814-47ce-8d6d-110aa03cec03").await.map(|s| s.user_name.unwrap()) }),
            method: "GET",
            path: "/api/logonSessions/5496707f-c814-47ce-8d6d-110aa03cec03".into(),
            query: None,
            status: 200,
            response: Some(|f| body_in::<veeam_api::enterprise_manager::models::LogonSession>(example!("em-logonsession-get.response.xml"), f)),
            expected: "SRV13\\Administrator".into(),
        },
        Case {
            name: "delete a logon session",
            call: |c| Box::pin(async move { c.logout("5496707f-c814-47ce-8d6d-110aa03cec03").await.map(|()| "deleted".into()) }),
            method: "DELETE",
            path: "/api/logonSessions/5496707f-c814-47ce-8d6d-110aa03cec03".into(),
            query: None,
            status: 204,
            response: None,
            expected: "deleted".into(),
        },
        Case {
            name: "list credentials",
            call: |c| Box::pin(async move { c.list_credentials(SERVER.parse().unwrap()).await.map(|s| format!("{:?}", s.credentials_info.map(|v| v.len()))) }),
            method: "GET",
            path: format!("/api/backupServers/{s}/credentials"),
            query: None,
            status: 200,
            response: Some(|f| match f {
                Format::Xml => ("<CredentialsInfoList xmlns=\"http://www.veeam.com/ent/v1.0\"/>".into(), "application/xml"),
                _ => ("{}".into(), "application/json"),
            }),
            expected: "None".into(),
        },
        Case {
            name: "get credentials",
            call: |c| Box::pin(async move { c.get_credentials(SERVER.parse().unwrap(), "e7592e37-834b-4c69-b505-597c91e9a77e".parse().unwrap()).await.map(|s| s.username.unwrap()) }),
            method: "GET",
            path: format!("/api/backupServers/{s}/credentials/e7592e37-834b-4c69-b505-597c91e9a77e"),
            query: None,
            status: 200,
            response: Some(|f| match f {
                Format::Json => (example!("em-credentialsinfo.resource.json").to_owned(), "application/json"),
                _ => {
                    let value: veeam_api::enterprise_manager::models::CredentialsInfo = json::from_str(example!("em-credentialsinfo.resource.json")).unwrap();
                    (xml::to_string(&value).unwrap(), "application/xml")
                }
            }),
            expected: "tech\\william.fox".into(),
        },
    ]
}

#[tokio::test]
async fn every_operation_without_a_body_in_both_formats() {
    run_cases(cases()).await;
}

fn task_response(format: Format) -> ResponseTemplate {
    respond(202, Some(body_in::<veeam_api::enterprise_manager::models::Task>(example!("em-task.resource.xml"), format)))
}

#[tokio::test]
async fn connect_backup_server_sends_the_spec_and_returns_the_task() {
    for format in [Format::Xml, Format::Json] {
        let (server, client) = logged_on(format).await;
        Mock::given(method("POST"))
            .and(path("/api/backupServers"))
            .respond_with(task_response(format))
            .mount(&server)
            .await;
        let spec = BackupServerSpec::new(BackupServerSpecRequired {
            description: "Veeam backup server 01".into(),
            dns_name_or_ip_address: "172.16.13.119".into(),
            port: 9392,
            username: "172.16.13.119\\Administrator".into(),
            password: "1234".into(),
        })
        .with_wcf_port(9405)
        .with_vbr_certificate_thumbprint("0000000000000000000000000000000000000000");
        let task = client.create_backup_server(spec).await.unwrap();
        assert_eq!(task.state, Some(TaskState::Finished));
        let request = only_request(&server, format).await;
        assert_eq!(request.url.query(), Some("action=create"));
        // The documented example, in the documented (table) element order.
        let expected_xml = r#"<BackupServerSpec xmlns="http://www.veeam.com/ent/v1.0"><Description>Veeam backup server 01</Description><DnsNameOrIpAddress>172.16.13.119</DnsNameOrIpAddress><Port>9392</Port><Username>172.16.13.119\Administrator</Username><Password>1234</Password><WcfPort>9405</WcfPort><VbrCertificateThumbprint>0000000000000000000000000000000000000000</VbrCertificateThumbprint></BackupServerSpec>"#;
        let mut expected_json: Value = serde_json::from_str(example!("em-backupserver-create.request.json")).unwrap();
        expected_json["Description"] = "Veeam backup server 01".into();
        assert_body(&request, format, expected_xml, Some(expected_json));
    }
}

#[tokio::test]
async fn edit_backup_server_puts_the_spec() {
    for format in [Format::Xml, Format::Json] {
        let (server, client) = logged_on(format).await;
        Mock::given(method("PUT"))
            .and(path(format!("/api/backupServers/{SERVER}")))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        // Editing needs only the address; the description is what changes here.
        let spec = BackupServerEditSpec::new("srv02.tech.local").with_description("Backup Server deployed on srv02");
        client.update_backup_server(SERVER.parse().unwrap(), spec).await.unwrap();
        let request = only_request(&server, format).await;
        let expected_json = serde_json::json!({"Description": "Backup Server deployed on srv02", "DnsNameOrIpAddress": "srv02.tech.local"});
        assert_body(&request, format, example!("em-backupserver-edit.request.xml"), Some(expected_json));
    }
}

#[tokio::test]
async fn create_and_edit_password() {
    for format in [Format::Xml, Format::Json] {
        let (server, client) = logged_on(format).await;
        Mock::given(method("POST"))
            .and(path(format!("/api/backupServers/{SERVER}/passwords")))
            .respond_with(task_response(format))
            .mount(&server)
            .await;
        let spec = PasswordKeyInfoSpec::new("1234").with_hint("My favorite book");
        let task = client.create_password(SERVER.parse().unwrap(), spec).await.unwrap();
        assert_eq!(task.task_id.as_deref(), Some("task-30"));
        let request = only_request(&server, format).await;
        assert_eq!(request.url.query(), Some("action=create"));
        let expected_json: Value = serde_json::from_str(example!("em-password-create.request.json")).unwrap();
        assert_body(&request, format, example!("em-password-create.request.xml"), Some(expected_json));

        let (server, client) = logged_on(format).await;
        let target = format!("/api/backupServers/{SERVER}/passwords/{PASSWORD}");
        Mock::given(method("PUT"))
            .and(path(target.as_str()))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        client
            .update_password(
                SERVER.parse().unwrap(),
                PASSWORD.parse().unwrap(),
                PasswordKeyInfoEditSpec::new().with_hint("My password"),
            )
            .await
            .unwrap();
        let request = only_request(&server, format).await;
        let expected_json: Value = serde_json::from_str(example!("em-password-edit.request.json")).unwrap();
        assert_body(&request, format, example!("em-password-edit.request.xml"), Some(expected_json));
    }
}

#[tokio::test]
async fn create_account_sends_roles_and_scope_with_each_formats_names() {
    for format in [Format::Xml, Format::Json] {
        let (server, client) = logged_on(format).await;
        Mock::given(method("POST"))
            .and(path("/api/security/accounts"))
            .respond_with(ResponseTemplate::new(201))
            .mount(&server)
            .await;
        let spec = EnterpriseAccountCreateSpec::new(EnterpriseAccountCreateSpecRequired {
            account_type: AccountTypeEnumeration::User,
            account_name: "VEEAM\\User".into(),
            roles: vec![EnterpriseAccountInRoleCreateSpec::new(Uid::from(
                "urn:veeam:EnterpriseRole:f84a8b62-49b8-4d0c-b25b-92321b52bab6",
            ))],
            allow_restore_all_vms: true,
        });
        client.create_account(spec).await.unwrap();
        let request = only_request(&server, format).await;
        let expected_json = serde_json::json!({
            "AccountType": "User",
            "AccountName": "VEEAM\\User",
            "Roles": {"EnterpriseRoles": [{"EnterpriseRoleUid": "urn:veeam:EnterpriseRole:f84a8b62-49b8-4d0c-b25b-92321b52bab6"}]},
            "AllowRestoreAllVms": true
        });
        assert_body(&request, format, example!("em-security-account-create.request.xml"), Some(expected_json));
    }
}

#[tokio::test]
async fn log_in_sends_basic_credentials_and_keeps_the_session_id() {
    for format in [Format::Xml, Format::Json] {
        let server = MockServer::start().await;
        let client = Client::builder(server.uri()).format(format).build().unwrap();
        let (body, media_type) =
            body_in::<veeam_api::enterprise_manager::models::LogonSession>(example!("em-logon.response.xml"), format);
        Mock::given(method("POST"))
            .and(path("/api/sessionMngr/"))
            .respond_with(
                ResponseTemplate::new(201)
                    .insert_header("X-RestSvcSessionId", SESSION)
                    .set_body_raw(body.into_bytes(), media_type),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/backupServers"))
            .respond_with(respond(
                200,
                Some(body_in::<veeam_api::enterprise_manager::models::EntityReferences>(
                    example!("em-backupservers-list.response.xml"),
                    format,
                )),
            ))
            .mount(&server)
            .await;
        // Logging out names the session by its `SessionId` GUID from the logon response, not by
        // the header value (delete_loginsessions_id.html; the session's own Delete link).
        Mock::given(method("DELETE"))
            .and(path("/api/logonSessions/15a3fc97-0325-4119-b789-5c0367c6c565"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;

        let session = client.log_in("username", "password").await.unwrap();
        assert_eq!(session.user_name.as_deref(), Some("SRV12\\Administrator"));
        assert_eq!(client.session_id().unwrap().expose(), SESSION);
        client.list_backup_servers().await.unwrap();
        client.log_out().await.unwrap();
        assert!(client.session_id().is_none());

        let requests = server.received_requests().await.unwrap();
        let logon = &requests[0];
        assert_eq!(logon.url.query(), Some("v=latest"));
        assert_eq!(header(logon, "authorization"), Some("Basic dXNlcm5hbWU6cGFzc3dvcmQ="), "the documented encoding");
        assert_eq!(header(logon, "x-restsvcsessionid"), None, "a logon request has no session yet");
        assert!(logon.body.is_empty());
        for later in &requests[1..] {
            assert_eq!(header(later, "x-restsvcsessionid"), Some(SESSION));
            assert_eq!(header(later, "authorization"), None);
        }
        assert_eq!(requests[2].method.as_str(), "DELETE");
        assert_eq!(requests[2].url.path(), "/api/logonSessions/15a3fc97-0325-4119-b789-5c0367c6c565");
        assert_eq!(header(&requests[2], "x-restsvcsessionid"), Some(SESSION), "the call itself is authenticated");

        let error = client.list_backup_servers().await.unwrap_err();
        assert!(matches!(error, Error::Auth(_)), "after logout: {error:?}");
    }
}

#[tokio::test]
async fn a_logon_without_the_session_header_is_an_auth_error() {
    let server = MockServer::start().await;
    let client = Client::builder(server.uri()).build().unwrap();
    Mock::given(method("POST"))
        .respond_with(respond(201, Some((example!("em-logon.response.xml").into(), "application/xml"))))
        .mount(&server)
        .await;
    let error = client.log_in("u", "p").await.unwrap_err();
    assert!(matches!(&error, Error::Auth(auth) if auth.reason().contains("X-RestSvcSessionId")), "{error:?}");
}

#[tokio::test]
async fn a_bad_logon_is_a_401_with_the_decoded_error() {
    let server = MockServer::start().await;
    let client = Client::builder(server.uri()).build().unwrap();
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).insert_header("WWW-Authenticate", "Basic Realm=RestSvc").set_body_raw(
            r#"<Error xmlns="http://www.veeam.com/ent/v1.0" Message="Login failed" StatusCode="401"/>"#,
            "application/xml",
        ))
        .mount(&server)
        .await;
    let error = client.log_in("u", "wrong").await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.body().and_then(|e| e.message.as_deref()), Some("Login failed"));
    assert!(client.session_id().is_none());
}

#[tokio::test]
async fn the_default_port_is_9398() {
    let client = Client::builder("https://em.example").build().unwrap();
    assert_eq!(client.transport().base_url().as_str(), "https://em.example:9398/api");
    assert_eq!(client.transport().format(), Format::Xml);
}

/// A session id set by hand has no `SessionId` known: logging out falls back to naming the
/// session by that id (and a later logon's `SessionId` never outlives its session).
#[tokio::test]
async fn logging_out_of_a_session_set_by_hand_names_it_by_its_id() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/logonSessions/hand-set"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    client.set_session_id("hand-set");
    client.log_out().await.unwrap();
    assert!(client.session_id().is_none());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// A list call, summarised as the number of items it decoded.
type ListCall = fn(Client) -> Pin<Box<dyn Future<Output = Result<usize, Error>> + Send>>;

/// Serves `body` as JSON to one list call and returns how many items it decoded to.
async fn json_list_len(body: &str, call: ListCall) -> Result<usize, Error> {
    let (server, client) = logged_on(Format::Json).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json"))
        .mount(&server)
        .await;
    call(client).await
}

#[tokio::test]
async fn json_list_documents_use_the_plural_member_accept_the_item_name_and_reject_a_misnamed_list() {
    let item = r#"{"Name": "x", "Links": []}"#;
    let lists: [(&str, &str, ListCall); 5] = [
        ("PasswordKeyInfos", "PasswordKeyInfo", |c| {
            Box::pin(async move {
                c.list_passwords(SERVER.parse().unwrap()).await.map(|r| r.password_key_info.unwrap_or_default().len())
            })
        }),
        ("Tasks", "Task", |c| Box::pin(async move { c.list_tasks().await.map(|r| r.task.unwrap_or_default().len()) })),
        ("LogonSessions", "LogonSession", |c| {
            Box::pin(async move { c.list_logon_sessions().await.map(|r| r.logon_session.unwrap_or_default().len()) })
        }),
        ("BackupServers", "BackupServer", |c| {
            Box::pin(
                async move { c.list_backup_server_entities().await.map(|r| r.backup_server.unwrap_or_default().len()) },
            )
        }),
        ("CredentialsInfos", "CredentialsInfo", |c| {
            Box::pin(async move {
                c.list_credentials(SERVER.parse().unwrap()).await.map(|r| r.credentials_info.unwrap_or_default().len())
            })
        }),
    ];
    for (plural, singular, call) in lists {
        let two = format!("[{item}, {item}]");
        // CredentialsInfo requires `Id`.
        let two = two.replace(r#""Name": "x""#, &format!(r#""Name": "x", "Id": "{SERVER}""#));
        assert_eq!(json_list_len(&format!(r#"{{"{plural}": {two}}}"#), call).await.unwrap(), 2, "{plural}");
        assert_eq!(
            json_list_len(&format!(r#"{{"{singular}": {two}, "Links": []}}"#), call).await.unwrap(),
            2,
            "{singular}"
        );
        assert_eq!(json_list_len("{}", call).await.unwrap(), 0, "{plural}: an empty document is an empty list");
        let misnamed = format!(r#"{{"{plural}Items": {two}}}"#);
        let error = json_list_len(&misnamed, call).await.unwrap_err();
        assert!(matches!(error, Error::Decode(_)), "{plural}: {error:?}");
        let message =
            std::error::Error::source(&error).map(ToString::to_string).unwrap_or_default() + &error.to_string();
        // Sessions and credentials carry secrets, so their decode errors say only what kind of
        // problem it was and where.
        if !matches!(plural, "LogonSessions" | "CredentialsInfos") {
            assert!(
                message.contains(&format!("{plural}Items")),
                "{plural}: the error names the unknown member: {message}"
            );
        }
    }
    // And the writer uses the plural.
    let list = veeam_api::enterprise_manager::models::PasswordKeyInfoList::new().with_password_key_info(Vec::new());
    assert_eq!(json::to_string(&list).unwrap(), r#"{"PasswordKeyInfos":[]}"#);
}

#[tokio::test]
async fn send_with_response_returns_the_location_of_what_was_created_and_the_headers() {
    let location = format!("https://em.example:9398/api/security/accounts/{ACCOUNT}");
    for format in [Format::Xml, Format::Json] {
        let (server, client) = logged_on(format).await;
        Mock::given(method("POST"))
            .and(path("/api/security/accounts"))
            .respond_with(
                ResponseTemplate::new(201)
                    .insert_header("location", location.as_str())
                    .insert_header("x-restsvcsessionid", SESSION),
            )
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/api/backupServers/{SERVER}/passwords")))
            .respond_with(task_response(format).insert_header("location", "https://em.example:9398/api/tasks/task-1"))
            .mount(&server)
            .await;
        let spec = EnterpriseAccountCreateSpec::new(EnterpriseAccountCreateSpecRequired {
            account_type: AccountTypeEnumeration::User,
            account_name: "VEEAM\\User".into(),
            roles: Vec::new(),
            allow_restore_all_vms: true,
        });
        let created = client.create_account(spec).send_with_response().await.unwrap();
        assert_eq!((created.status(), created.location()), (201, Some(location.as_str())));
        // Debug names the headers and never shows their values (a session id here).
        let debug = format!("{created:?}");
        assert!(debug.contains("x-restsvcsessionid") && !debug.contains(SESSION), "{debug}");

        // A body comes with its headers too, and `.await` still returns the body alone.
        let task = client
            .create_password(SERVER.parse().unwrap(), PasswordKeyInfoSpec::new("1234"))
            .send_with_response()
            .await
            .unwrap();
        assert_eq!(task.status(), 202);
        assert_eq!(task.location(), Some("https://em.example:9398/api/tasks/task-1"));
        assert_eq!(task.state, Some(TaskState::Finished), "derefs to the body");
        let (_, headers, body) = task.into_parts();
        assert!(headers.contains_key("content-type"));
        assert_eq!(body.task_id.as_deref(), Some("task-30"));
    }
}

#[tokio::test]
async fn references_and_links_give_the_id_their_urn_or_url_names() {
    use veeam_api::enterprise_manager::models::{EntityRef, Link};
    let first: veeam_api::Uuid = "1eb5b858-e557-43b3-8e79-386161b7ea44".parse().unwrap();
    for format in [Format::Xml, Format::Json] {
        let (server, client) = logged_on(format).await;
        let body = body_in::<veeam_api::enterprise_manager::models::EntityReferences>(
            example!("em-backupservers-list.response.xml"),
            format,
        );
        Mock::given(method("GET")).respond_with(respond(200, Some(body))).mount(&server).await;
        let refs = client.list_backup_servers().await.unwrap().refs.unwrap();
        assert_eq!(refs[0].id(), Some(first), "{format:?}");
        // The id goes straight back into a call taking it.
        Mock::given(method("GET"))
            .and(path(format!("/api/backupServers/{first}")))
            .respond_with(respond(
                200,
                Some(body_in::<EntityRef>(example!("em-enterpriseaccount-ref.resource.xml"), format)),
            ))
            .mount(&server)
            .await;
        client.get_backup_server(refs[0].id().unwrap()).await.unwrap();
        let links = refs[0].links.as_deref().unwrap();
        let alternate = links.iter().find(|link| link.rel == "Alternate").unwrap();
        assert_eq!(alternate.id(), Some(first), "a URL with a query still ends in the id");
        // A link to a sub-collection names no resource id of its own.
        assert_eq!(links[0].id(), None);
    }
    // From the UID when there is no Href, and plain text through `ids`.
    let uid_only = EntityRef::new().with_uid(format!("urn:veeam:BackupServer:{first}").into());
    assert_eq!(uid_only.id(), Some(first));
    assert_eq!(
        Link::new(LinkRequired { rel: "Related".into(), href: "https://em/api/tasks/task-1".into() }).id(),
        None
    );
    assert_eq!(veeam_api::ids::urn_kind("urn:veeam:Job:x"), Some("Job"));
}

/// A task document in `format`: `state`, and a result when given.
fn task_in(format: Format, state: &str, success: Option<bool>, related: Option<&str>) -> ResponseTemplate {
    let result = success
        .map(|ok| {
            format!(
                "<Result Success=\"{ok}\"><Message>Job \"Nightly\" {}</Message></Result>",
                if ok { "started" } else { "failed to start" }
            )
        })
        .unwrap_or_default();
    let related =
        related.map(|href| format!("<Link Rel=\"Related\" Type=\"Job\" Href=\"{href}\" />")).unwrap_or_default();
    let xml = format!(
        "<Task xmlns=\"http://www.veeam.com/ent/v1.0\" Type=\"Task\" Href=\"https://em/api/tasks/task-7\"><Links><Link Rel=\"Delete\" Href=\"https://em/api/tasks/task-7\" />{related}</Links><TaskId>task-7</TaskId><State>{state}</State><Operation>StartJob</Operation>{result}</Task>"
    );
    respond(200, Some(body_in::<veeam_api::enterprise_manager::models::Task>(&xml, format)))
}

fn quick() -> veeam_api::TaskWait {
    veeam_api::TaskWait::new()
        .first_delay(std::time::Duration::from_millis(5))
        .max_delay(std::time::Duration::from_millis(20))
}

#[tokio::test]
async fn wait_for_task_polls_until_finished_and_names_what_it_changed() {
    use veeam_api::TaskStatus;
    let job = "https://em:9398/api/jobs/3a4a2ec5-70b8-4a22-a5a3-1c6d2f33fe9f";
    for format in [Format::Xml, Format::Json] {
        let (server, client) = logged_on(format).await;
        for (priority, state) in [(1, "Running"), (2, "OperationFinished")] {
            Mock::given(method("GET"))
                .and(path("/api/tasks/task-7"))
                .respond_with(task_in(format, state, None, None))
                .up_to_n_times(1)
                .with_priority(priority)
                .mount(&server)
                .await;
        }
        Mock::given(method("GET"))
            .and(path("/api/tasks/task-7"))
            .respond_with(task_in(format, "Finished", Some(true), Some(job)))
            .with_priority(3)
            .mount(&server)
            .await;
        let accepted: veeam_api::enterprise_manager::models::Task = xml::from_str(
            "<Task xmlns=\"http://www.veeam.com/ent/v1.0\"><TaskId>task-7</TaskId><State>Running</State></Task>",
        )
        .unwrap();
        let finished = client.wait_for_task_with(accepted, &quick()).await.unwrap();
        assert!(finished.is_done() && finished.succeeded() == Some(true), "{format:?}");
        assert_eq!(finished.message(), Some("Job \"Nightly\" started"));
        assert_eq!(finished.related_href(), Some(job));
        assert_eq!(finished.related_id(), Some("3a4a2ec5-70b8-4a22-a5a3-1c6d2f33fe9f".parse().unwrap()));
        let polls = server.received_requests().await.unwrap();
        assert_eq!(polls.len(), 3, "Running, OperationFinished, Finished ({format:?})");
        assert!(polls.iter().all(|r| header(r, "x-restsvcsessionid") == Some(SESSION)));

        // A task that is already over is not polled again.
        let again = client.wait_for_task(finished).await.unwrap();
        assert_eq!(again.task_id().as_deref(), Some("task-7"));
        assert_eq!(server.received_requests().await.unwrap().len(), 3);
    }
}

#[tokio::test]
async fn a_failed_or_endless_task_is_a_task_error() {
    use veeam_api::TaskErrorKind;
    for format in [Format::Xml, Format::Json] {
        let (server, client) = logged_on(format).await;
        Mock::given(method("GET"))
            .and(path("/api/tasks/task-7"))
            .respond_with(task_in(format, "Finished", Some(false), None))
            .mount(&server)
            .await;
        let running: veeam_api::enterprise_manager::models::Task = xml::from_str(
            "<Task xmlns=\"http://www.veeam.com/ent/v1.0\"><TaskId>task-7</TaskId><State>Running</State></Task>",
        )
        .unwrap();
        let Err(Error::Task(failed)) = client.wait_for_task_with(running.clone(), &quick()).await else {
            panic!("a failed task is an error")
        };
        assert_eq!((failed.kind(), failed.task_id()), (TaskErrorKind::Failed, Some("task-7")));
        assert_eq!(failed.message(), Some("Job \"Nightly\" failed to start"));
        assert!(failed.to_string().contains("task-7 failed: Job \"Nightly\" failed to start"), "{failed}");

        let (server, client) = logged_on(format).await;
        Mock::given(method("GET"))
            .and(path("/api/tasks/task-7"))
            .respond_with(task_in(format, "Running", None, None))
            .mount(&server)
            .await;
        let options = quick().timeout(std::time::Duration::from_millis(100));
        let Err(Error::Task(late)) = client.wait_for_task_with(running, &options).await else {
            panic!("a task that never ends times out")
        };
        assert_eq!(late.kind(), TaskErrorKind::TimedOut);
        let polls = server.received_requests().await.unwrap().len();
        assert!((2..=20).contains(&polls), "backoff, not a busy loop: {polls} polls in 100 ms");

        // A poll that fails ends the wait with that error.
        let (server, client) = logged_on(format).await;
        Mock::given(method("GET"))
            .and(path("/api/tasks/task-7"))
            .respond_with(ResponseTemplate::new(404))
            .mount(&server)
            .await;
        let running: veeam_api::enterprise_manager::models::Task = xml::from_str(
            "<Task xmlns=\"http://www.veeam.com/ent/v1.0\"><TaskId>task-7</TaskId><State>Running</State></Task>",
        )
        .unwrap();
        let error = client.wait_for_task_with(running, &quick()).await.unwrap_err();
        assert_eq!(error.status(), Some(404));
        drop(server);

        // No id, nothing to poll.
        let (_server, client) = logged_on(format).await;
        let anonymous: veeam_api::enterprise_manager::models::Task =
            xml::from_str("<Task xmlns=\"http://www.veeam.com/ent/v1.0\"><State>Running</State></Task>").unwrap();
        let Err(Error::Task(no_id)) = client.wait_for_task(anonymous).await else {
            panic!("a task without an id is an error")
        };
        assert_eq!(no_id.kind(), TaskErrorKind::NoId);
    }
}

/// Mounts a logon answering with each of `sessions` in turn (the last one from then on).
async fn logons(server: &MockServer, format: Format, sessions: &[&str]) {
    let (body, media_type) =
        body_in::<veeam_api::enterprise_manager::models::LogonSession>(example!("em-logon.response.xml"), format);
    for (index, session) in sessions.iter().enumerate() {
        let mut mock = Mock::given(method("POST")).and(path("/api/sessionMngr/")).respond_with(
            ResponseTemplate::new(201)
                .insert_header("X-RestSvcSessionId", *session)
                .set_body_raw(body.clone().into_bytes(), media_type),
        );
        if index + 1 < sessions.len() {
            mock = mock.up_to_n_times(1);
        }
        mock.with_priority(u8::try_from(index + 1).unwrap()).mount(server).await;
    }
}

#[tokio::test]
async fn an_expired_session_is_renewed_once_with_the_kept_credentials() {
    use wiremock::matchers::header as has_header;
    for format in [Format::Xml, Format::Json] {
        let server = MockServer::start().await;
        let client = Client::builder(server.uri()).format(format).build().unwrap();
        logons(&server, format, &["expired-session", "fresh-session"]).await;
        Mock::given(method("GET"))
            .and(has_header("x-restsvcsessionid", "expired-session"))
            .respond_with(ResponseTemplate::new(401))
            .mount(&server)
            .await;
        let list = body_in::<veeam_api::enterprise_manager::models::EntityReferences>(
            example!("em-backupservers-list.response.xml"),
            format,
        );
        Mock::given(method("GET"))
            .and(has_header("x-restsvcsessionid", "fresh-session"))
            .respond_with(respond(200, Some(list)))
            .mount(&server)
            .await;

        client.log_in("username", "password").await.unwrap();
        let refs = client.list_backup_servers().await.unwrap();
        assert_eq!(refs.refs.unwrap().len(), 2, "{format:?}");
        assert_eq!(client.session_id().unwrap().expose(), "fresh-session");
        let requests = server.received_requests().await.unwrap();
        let summary: Vec<String> = requests.iter().map(|r| format!("{} {}", r.method, r.url.path())).collect();
        assert_eq!(
            summary,
            ["POST /api/sessionMngr/", "GET /api/backupServers", "POST /api/sessionMngr/", "GET /api/backupServers"]
        );
        assert_eq!(
            header(&requests[2], "authorization"),
            Some("Basic dXNlcm5hbWU6cGFzc3dvcmQ="),
            "the same credentials"
        );
        // The password is kept, never shown.
        assert!(!format!("{client:?}").contains("password"));
    }
}

#[tokio::test]
async fn a_401_is_returned_when_logging_on_again_fails_or_there_are_no_credentials() {
    for format in [Format::Xml, Format::Json] {
        // The credentials were revoked: one new logon, refused, and the call's 401 is the answer.
        let server = MockServer::start().await;
        let client = Client::builder(server.uri()).format(format).build().unwrap();
        logons(&server, format, &["old-session"]).await;
        client.log_in("username", "password").await.unwrap();
        server.reset().await;
        Mock::given(method("POST"))
            .and(path("/api/sessionMngr/"))
            .respond_with(ResponseTemplate::new(401))
            .mount(&server)
            .await;
        Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
        let error = client.list_backup_servers().await.unwrap_err();
        assert_eq!(error.status(), Some(401), "{error:?}");
        let methods: Vec<String> =
            server.received_requests().await.unwrap().iter().map(|r| r.method.to_string()).collect();
        assert_eq!(methods, ["GET", "POST"], "one attempt to log on again, no loop");

        // A session id set by hand: nothing to log on with.
        let (server, client) = logged_on(format).await;
        Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
        assert_eq!(client.list_backup_servers().await.unwrap_err().status(), Some(401));
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}
